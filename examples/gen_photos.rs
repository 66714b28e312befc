//! Writes a site with COUNT photos of about 5 MB each (4000x3000 JPEGs, 4.8 MB
//! on average: a little harder than the 3 MB the benchmark asks for),
//! ten to a page, for the photo benchmark in `scripts/bench.sh`. The same
//! COUNT always gives the same bytes (seeded noise over gradients).
//!
//!   cargo run --release --example gen_photos -- DIR [COUNT]

use rayon::prelude::*;
use std::path::Path;

const WIDTH: u32 = 4000;
const HEIGHT: u32 = 3000;

fn photo(n: u32) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(u64::from(n) + 1);
    let (a, b, c) = (rng.u32(0..256), rng.u32(0..256), rng.u32(0..256));
    let mut noise = fastrand::Rng::with_seed(u64::from(n) * 7919 + 3);
    let img = image::RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let mut px = [
            (a + x / 16) % 256,
            (b + y / 12) % 256,
            (c + (x + y) / 28) % 256,
        ];
        for p in &mut px {
            *p = (*p as i32 + noise.i32(-14..=14)).clamp(0, 255) as u32;
        }
        image::Rgb([px[0] as u8, px[1] as u8, px[2] as u8])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88)
        .encode_image(&img)
        .expect("JPEG");
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: gen_photos DIR [COUNT]");
    let count: u32 = args.next().map_or(100, |c| c.parse().expect("COUNT"));
    let root = Path::new(&dir);
    let photos = root.join("content/photos");
    std::fs::create_dir_all(&photos).unwrap();
    std::fs::write(root.join("site.toml"), "title = \"Photo benchmark\"\n").unwrap();
    let pages = count.div_ceil(10);
    let mut home = String::from("---\ntitle: Photo benchmark\n---\n\n");
    for p in 0..pages {
        home.push_str(&format!("- [Photos {p}](photos/page-{p}.md)\n"));
        let mut page = format!("---\ntitle: Photos {p}\n---\n\n");
        for n in (p * 10)..((p + 1) * 10).min(count) {
            page.push_str(&format!("![Photo number {n}](photo-{n:03}.jpg)\n\n"));
        }
        std::fs::write(photos.join(format!("page-{p}.md")), page).unwrap();
    }
    std::fs::write(root.join("content/_index.md"), home).unwrap();
    let bytes: u64 = (0..count)
        .into_par_iter()
        .map(|n| {
            let path = photos.join(format!("photo-{n:03}.jpg"));
            let data = photo(n);
            let len = data.len() as u64;
            std::fs::write(path, data).unwrap();
            len
        })
        .sum();
    println!(
        "wrote {count} photos ({:.1} MB on average) into {}",
        bytes as f64 / f64::from(count.max(1)) / 1e6,
        root.display()
    );
}
