//! Photos: every JPEG and PNG in content/ gets WebP copies at a few widths
//! (never wider than the original), made in parallel and cached by the hash
//! of the photo's bytes and the settings, so an unchanged photo is never
//! encoded again, by `build` or `serve`. Pages show them through `srcset`
//! (see `markdown`), with the original as the fallback; SVG, GIF and other
//! files are copied as they are.
//!
//! The cache lives in the site's folder, in `.fairguide-cache/images/<key>/`:
//! `meta` (the photo's width and height) and one `<width>.webp` per copy.
//! Files are written under a temporary name and renamed into place, `meta`
//! last, so a build and `serve` sharing the cache never see half a file.

use crate::content::Asset;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The widths photos are resized to.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// WebP quality (0 to 100).
pub const QUALITY: f32 = 80.0;
/// The cache folder, in the site's folder (kept out of version control).
pub const CACHE_DIR: &str = ".fairguide-cache";
/// Changes whenever the copies would come out different, so old ones are not reused.
const RECIPE: &str = "fairguide-photos-1 webp q80 lanczos3 widths 480 960 1600";

/// What `sizes` tells the browser: the theme's text column is 44rem at most.
pub const SIZES: &str = "(min-width: 46rem) 44rem, 100vw";

/// A photo, ready to show: its size (upright, as it is displayed) and its copies.
#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    pub width: u32,
    pub height: u32,
    /// Narrowest first.
    pub copies: Vec<Resized>,
}

/// One resized copy of a photo.
#[derive(Debug, Clone, PartialEq)]
pub struct Resized {
    pub width: u32,
    /// Its path in the output folder, beside the original.
    pub output_path: String,
    /// The cached file holding it.
    pub file: PathBuf,
}

/// The photos of a site, by their path in the output folder (the original's).
#[derive(Debug, Clone, Default)]
pub struct Photos {
    by_path: Arc<HashMap<String, Result<Photo, String>>>,
    /// How many photos this run encoded (0 when every one came from the cache).
    pub encoded: usize,
}

impl Photos {
    /// The photo at `path` (from content/, `/`-separated): None for a file
    /// that is not a photo; the reason it could not be read, if it could not.
    pub fn get(&self, path: &str) -> Option<&Result<Photo, String>> {
        self.by_path.get(path)
    }

    /// Every copy to write: (cached file, path in the output), sorted by path.
    pub fn files(&self) -> Vec<(&Path, &str)> {
        let mut out: Vec<(&Path, &str)> = self
            .by_path
            .values()
            .filter_map(|p| p.as_ref().ok())
            .flat_map(|p| p.copies.iter())
            .map(|c| (c.file.as_path(), c.output_path.as_str()))
            .collect();
        out.sort_by(|a, b| a.1.cmp(b.1));
        out
    }
}

/// True for a file resized into copies: JPEG and PNG.
pub fn is_photo(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png"].iter().any(|e| lower.ends_with(e))
}

/// The widths of a photo `width` pixels wide: each of [`WIDTHS`] narrower
/// than it, and its own width when that is below the widest.
pub fn widths_for(width: u32) -> Vec<u32> {
    let mut out: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < width).collect();
    let widest = WIDTHS[WIDTHS.len() - 1];
    if width <= widest && !out.contains(&width) {
        out.push(width);
    }
    out
}

/// Where the copy `width` pixels wide of `path` goes: `a/photo.jpg` -> `a/photo-480w.webp`.
pub fn copy_path(path: &str, width: u32) -> String {
    let stem = path.rsplit_once('.').map_or(path, |(s, _)| s);
    format!("{stem}-{width}w.webp")
}

/// Reads (or finds in the cache) every photo among `assets`, in parallel.
pub fn prepare(root: &Path, assets: &[Asset]) -> Photos {
    let cache = root.join(CACHE_DIR).join("images");
    let encoded = AtomicUsize::new(0);
    let results: Vec<(String, Result<Photo, String>)> = assets
        .par_iter()
        .filter(|a| is_photo(&a.output_path))
        .map(|a| {
            let photo = photo(&cache, &a.source, &a.output_path, &encoded);
            (a.output_path.clone(), photo)
        })
        .collect();
    let mut by_path: HashMap<String, Result<Photo, String>> = results.into_iter().collect();
    // A copy must not take the name of another file (`photo.jpg` beside `photo.png`).
    let mut taken: HashMap<String, String> = assets
        .iter()
        .map(|a| (a.output_path.clone(), a.output_path.clone()))
        .collect();
    let mut paths: Vec<String> = by_path.keys().cloned().collect();
    paths.sort();
    for path in paths {
        let Some(Ok(photo)) = by_path.get(&path) else {
            continue;
        };
        let clash = photo
            .copies
            .iter()
            .find_map(|c| taken.get(&c.output_path).map(|other| (c, other.clone())));
        match clash {
            Some((copy, other)) => {
                let message = format!(
                    "its copy {} would take the name of content/{other}; rename one of the two files",
                    copy.output_path
                );
                by_path.insert(path, Err(message));
            }
            None => {
                for c in &photo.copies {
                    taken.insert(c.output_path.clone(), path.clone());
                }
            }
        }
    }
    Photos {
        by_path: Arc::new(by_path),
        encoded: encoded.into_inner(),
    }
}

/// One photo, from the cache when its key is there, else made and cached.
fn photo(
    cache: &Path,
    source: &Path,
    output_path: &str,
    encoded: &AtomicUsize,
) -> Result<Photo, String> {
    let bytes = std::fs::read(source).map_err(|e| format!("it cannot be read: {e}"))?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(RECIPE.as_bytes());
    hasher.update(&bytes);
    let dir = cache.join(format!("{:032x}", hasher.digest128()));
    let made = |width: u32, height: u32| Photo {
        width,
        height,
        copies: widths_for(width)
            .into_iter()
            .map(|w| Resized {
                width: w,
                output_path: copy_path(output_path, w),
                file: dir.join(format!("{w}.webp")),
            })
            .collect(),
    };
    if let Some((w, h)) = read_meta(&dir) {
        let photo = made(w, h);
        if photo.copies.iter().all(|c| c.file.is_file()) {
            return Ok(photo);
        }
    }
    let (width, height, copies) = encode(&bytes)?;
    encoded.fetch_add(1, Ordering::Relaxed);
    let photo = made(width, height);
    std::fs::create_dir_all(&dir).map_err(|e| cache_error(&dir, e))?;
    for (copy, webp) in photo.copies.iter().zip(copies) {
        write_atomic(&copy.file, &webp)?;
    }
    write_atomic(&dir.join("meta"), format!("{width} {height}\n").as_bytes())?;
    Ok(photo)
}

fn cache_error(path: &Path, e: std::io::Error) -> String {
    format!(
        "the resized copies cannot be saved in {}: {e}",
        path.display()
    )
}

fn read_meta(dir: &Path) -> Option<(u32, u32)> {
    let text = std::fs::read_to_string(dir.join("meta")).ok()?;
    let (w, h) = text.trim().split_once(' ')?;
    Some((w.parse().ok()?, h.parse().ok()?))
}

/// Writes under a name of this process and thread, then renames into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension(format!(
        "tmp-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            cache_error(path, e)
        })
}

/// Decodes a photo, turns it upright, and encodes each copy: (width, height, WebP files).
fn encode(bytes: &[u8]) -> Result<(u32, u32, Vec<Vec<u8>>), String> {
    use image::ImageDecoder;
    let unreadable =
        |e: image::ImageError| format!("it is not a JPEG or PNG image that can be read ({e})");
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("it cannot be read: {e}"))?;
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut img = image::DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    img.apply_orientation(orientation);
    let (width, height) = (img.width(), img.height());
    if width == 0 || height == 0 {
        return Err("it has no pixels".into());
    }
    let alpha = img.color().has_alpha();
    let (pixels, pixel_type) = if alpha {
        (
            img.into_rgba8().into_raw(),
            fast_image_resize::PixelType::U8x4,
        )
    } else {
        (
            img.into_rgb8().into_raw(),
            fast_image_resize::PixelType::U8x3,
        )
    };
    let source = fast_image_resize::images::Image::from_vec_u8(width, height, pixels, pixel_type)
        .map_err(|e| format!("it cannot be resized: {e}"))?;
    let mut resizer = fast_image_resize::Resizer::new();
    let options = fast_image_resize::ResizeOptions::new().resize_alg(
        fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::Lanczos3),
    );
    let mut out = Vec::new();
    for w in widths_for(width) {
        // Rounded, at least one pixel high.
        let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width))
            .max(1) as u32;
        let resized;
        let view = if w == width {
            &source
        } else {
            let mut dst = fast_image_resize::images::Image::new(w, h, pixel_type);
            resizer
                .resize(&source, &mut dst, &options)
                .map_err(|e| format!("it cannot be resized: {e}"))?;
            resized = dst;
            &resized
        };
        let encoder = if alpha {
            webp::Encoder::from_rgba(view.buffer(), w, h)
        } else {
            webp::Encoder::from_rgb(view.buffer(), w, h)
        };
        let webp = encoder
            .encode_simple(false, QUALITY)
            .map_err(|e| format!("it cannot be encoded as WebP ({e:?})"))?;
        out.push(webp.to_vec());
    }
    Ok((width, height, out))
}

/// The `<picture>` for a photo: WebP copies by width, the original as the fallback.
/// `src` is the original's URL; `alt` and `title` are plain text.
pub fn picture_html(
    photo: &Photo,
    src: &str,
    base: &str,
    alt: &str,
    title: &str,
    lazy: bool,
) -> String {
    use crate::html::escape_html;
    let srcset: Vec<String> = photo
        .copies
        .iter()
        .map(|c| format!("{base}{} {}w", c.output_path, c.width))
        .collect();
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape_html(title))
    };
    let loading = if lazy { " loading=\"lazy\"" } else { "" };
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{SIZES}\"><img src=\"{}\" alt=\"{}\"{title} width=\"{}\" height=\"{}\"{loading} decoding=\"async\"></picture>",
        escape_html(&srcset.join(", ")),
        escape_html(src),
        escape_html(alt),
        photo.width,
        photo.height,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(widths_for(4000), [480, 960, 1600]);
        assert_eq!(widths_for(1600), [480, 960, 1600]);
        assert_eq!(widths_for(1200), [480, 960, 1200]);
        assert_eq!(widths_for(960), [480, 960]);
        assert_eq!(widths_for(300), [300]);
    }

    #[test]
    fn copies_sit_beside_the_original() {
        assert_eq!(copy_path("a/photo.jpg", 480), "a/photo-480w.webp");
        assert_eq!(copy_path("photo.v2.PNG", 960), "photo.v2-960w.webp");
    }
}
