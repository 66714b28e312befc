//! Photos: JPEG and PNG images in pages get WebP copies at a few widths,
//! `srcset`, `sizes`, `width`, `height` and lazy loading; the copies are
//! cached (never encoded twice), the same from `build` and `serve`, cold or
//! warm; SVG and GIF pass through; an unreadable photo is an error at its line.

use fairguide::content;
use fairguide::images;
use fairguide::incremental::Incremental;
use std::path::Path;
use std::process::{Command, Output};

/// A 1x1 GIF.
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>\n";

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A 2000x1000 JPEG and a 300x200 PNG with transparency, made here.
fn photos(root: &Path) {
    let jpeg = image::RgbImage::from_fn(2000, 1000, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    jpeg.save(root.join("content/news/meeting.jpg")).unwrap();
    let png = image::RgbaImage::from_fn(300, 200, |x, y| {
        image::Rgba([
            (x % 256) as u8,
            90,
            (y % 256) as u8,
            if x < 150 { 255 } else { 40 },
        ])
    });
    png.save(root.join("content/news/chart.png")).unwrap();
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "site.toml", b"title = \"Photos\"\n");
    write(
        root,
        "content/_index.md",
        b"---\ntitle: Home\n---\n\nSee [the news](news/day.md).\n",
    );
    write(
        root,
        "content/news/day.md",
        b"---\ntitle: A day\n---\n\n![A meeting in the hall](meeting.jpg \"The hall\")\n\nText.\n\n![Chart of *costs*](chart.png)\n\n![Logo](logo.svg) ![Dot](dot.gif)\n",
    );
    std::fs::create_dir_all(root.join("content/news")).unwrap();
    photos(root);
    write(root, "content/news/logo.svg", SVG.as_bytes());
    write(root, "content/news/dot.gif", GIF);
    dir
}

fn fairguide(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fairguide"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn build(root: &Path, out: &Path) -> Output {
    let out = fairguide(&[
        "build",
        "--no-search",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    out
}

/// Every file of an output folder but its manifest: path -> bytes.
fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .filter(|(p, _)| !p.starts_with(".fairguide"))
        .collect()
}

/// Width and height of a lossy WebP file (from its VP8 frame header, or its
/// VP8X canvas when it has transparency).
fn webp_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[0..4], b"RIFF");
    assert_eq!(&bytes[8..12], b"WEBP");
    let u24 = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], 0]);
    match &bytes[12..16] {
        b"VP8X" => {
            // Lossy colour with an alpha chunk, never lossless.
            assert!(bytes.windows(4).any(|w| w == b"VP8 "), "lossy WebP");
            (u24(24) + 1, u24(27) + 1)
        }
        b"VP8 " => {
            assert_eq!(&bytes[23..26], &[0x9d, 0x01, 0x2a]);
            let w = u16::from_le_bytes([bytes[26], bytes[27]]) & 0x3fff;
            let h = u16::from_le_bytes([bytes[28], bytes[29]]) & 0x3fff;
            (u32::from(w), u32::from(h))
        }
        other => panic!("not lossy WebP: {other:?}"),
    }
}

#[test]
fn photos_get_webp_copies_srcset_and_sizes() {
    let s = site();
    let out = tempfile::tempdir().unwrap();
    let o = build(s.path(), out.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(out.path().join("news/day/index.html")).unwrap();
    assert!(
        html.contains("<p><picture><source type=\"image/webp\" srcset=\"/news/meeting-480w.webp 480w, /news/meeting-960w.webp 960w, /news/meeting-1600w.webp 1600w\" sizes=\"(min-width: 46rem) 44rem, 100vw\"><img src=\"/news/meeting.jpg\" alt=\"A meeting in the hall\" title=\"The hall\" width=\"2000\" height=\"1000\" decoding=\"async\"></picture></p>"),
        "{html}"
    );
    // Not wider than the original; lazy after the first; alt as plain text.
    assert!(
        html.contains("<p><picture><source type=\"image/webp\" srcset=\"/news/chart-300w.webp 300w\" sizes=\"(min-width: 46rem) 44rem, 100vw\"><img src=\"/news/chart.png\" alt=\"Chart of costs\" width=\"300\" height=\"200\" loading=\"lazy\" decoding=\"async\"></picture></p>"),
        "{html}"
    );
    // SVG and GIF as they are.
    assert!(
        html.contains(
            "<img src=\"/news/logo.svg\" alt=\"Logo\" /> <img src=\"/news/dot.gif\" alt=\"Dot\" />"
        ),
        "{html}"
    );
    let built = files(out.path());
    for (path, width, height) in [
        ("news/meeting-480w.webp", 480, 240),
        ("news/meeting-960w.webp", 960, 480),
        ("news/meeting-1600w.webp", 1600, 800),
        ("news/chart-300w.webp", 300, 200),
    ] {
        assert_eq!(webp_size(&built[path]), (width, height), "{path}");
    }
    let webps: Vec<&String> = built.keys().filter(|p| p.ends_with(".webp")).collect();
    assert_eq!(webps.len(), 4, "{webps:?}");
    // The originals are kept as they were.
    for name in ["meeting.jpg", "chart.png", "logo.svg", "dot.gif"] {
        assert_eq!(
            built[&format!("news/{name}")],
            std::fs::read(s.path().join("content/news").join(name)).unwrap(),
            "{name}"
        );
    }
    // check finds every copy the page names.
    let o = fairguide(&["check", "--root", s.path().to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{text}");
    assert!(!text.contains("leads to no file"), "{text}");
}

#[test]
fn an_unchanged_photo_is_never_encoded_again_and_every_run_writes_the_same_bytes() {
    let s = site();
    let root = s.path();
    let (loaded, _) = content::load(root);
    let cold = images::prepare(root, &loaded.assets);
    assert_eq!(cold.encoded, 2);
    let cached: Vec<(std::path::PathBuf, std::time::SystemTime)> = cold
        .files()
        .iter()
        .map(|(f, _)| {
            (
                f.to_path_buf(),
                std::fs::metadata(f).unwrap().modified().unwrap(),
            )
        })
        .collect();
    assert_eq!(cached.len(), 4);
    for (f, _) in &cached {
        assert!(
            f.starts_with(root.join(".fairguide-cache/images")),
            "{}",
            f.display()
        );
    }
    let warm = images::prepare(root, &loaded.assets);
    assert_eq!(warm.encoded, 0, "warm run encoded again");

    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    assert!(build(root, a.path()).status.success());
    assert!(build(root, b.path()).status.success());
    for (f, modified) in &cached {
        assert_eq!(
            &std::fs::metadata(f).unwrap().modified().unwrap(),
            modified,
            "{}",
            f.display()
        );
    }
    let first = files(a.path());
    assert_eq!(first, files(b.path()), "warm builds differ");

    // A cold build elsewhere (no cache) writes the same bytes.
    let fresh = tempfile::tempdir().unwrap();
    for (rel, bytes) in walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
    {
        write(fresh.path(), rel.to_str().unwrap(), &bytes);
    }
    write(fresh.path(), "site.toml", b"title = \"Photos\"\n");
    let c = tempfile::tempdir().unwrap();
    assert!(build(fresh.path(), c.path()).status.success());
    assert_eq!(first, files(c.path()), "cold and warm builds differ");

    // serve shows what build writes, byte for byte.
    let mut serve = Incremental::new(root, None);
    serve.rebuild_all().unwrap();
    for (path, bytes) in &first {
        if path.starts_with("pagefind/") {
            continue;
        }
        let served = serve
            .files()
            .get(path)
            .unwrap_or_else(|| panic!("serve lacks {path}"));
        assert_eq!(served.as_ref(), bytes.as_slice(), "{path}");
    }
    assert_eq!(
        serve
            .files()
            .keys()
            .filter(|p| p.ends_with(".webp"))
            .count(),
        4
    );

    // A changed photo is encoded again; the other comes from the cache.
    photos_changed(root);
    let again = images::prepare(root, &loaded.assets);
    assert_eq!(again.encoded, 1);
}

fn photos_changed(root: &Path) {
    let png = image::RgbaImage::from_fn(250, 100, |x, _| image::Rgba([(x % 256) as u8, 0, 0, 255]));
    png.save(root.join("content/news/chart.png")).unwrap();
}

#[test]
fn a_photo_that_cannot_be_read_is_an_error_naming_page_line_and_file() {
    let s = site();
    write(s.path(), "content/news/broken.jpg", b"not a photo at all");
    write(
        s.path(),
        "content/news/second.md",
        b"---\ntitle: Second\n---\n\nSome text.\n\n![The hall](broken.jpg)\n",
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(s.path(), out.path());
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("error: image `broken.jpg` cannot be shown: it is not a JPEG or PNG image that can be read ("),
        "{err}"
    );
    assert!(err.contains("--> content/news/second.md:7:1"), "{err}");
    assert!(err.contains("7 | ![The hall](broken.jpg)"), "{err}");
    assert!(
        err.contains("= hint: open the file in an image editor and save it again as JPEG or PNG, or replace it with one that opens"),
        "{err}"
    );
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}

#[test]
fn a_photo_without_alt_text_is_still_a_check_warning() {
    let s = site();
    write(
        s.path(),
        "content/news/day.md",
        b"---\ntitle: A day\n---\n\n![](meeting.jpg)\n\n[![](chart.png)](https://example.org/)\n",
    );
    let o = fairguide(&["check", "--root", s.path().to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stderr);
    assert_eq!(text.matches("image without alt text").count(), 2, "{text}");
    let out = tempfile::tempdir().unwrap();
    assert!(build(s.path(), out.path()).status.success());
    let html = std::fs::read_to_string(out.path().join("news/day/index.html")).unwrap();
    // A link holding only a photo without alt text is named after where it goes.
    assert!(
        html.contains(
            "<a href=\"https://example.org/\" aria-label=\"Link to example.org\"><picture>"
        ),
        "{html}"
    );
}
