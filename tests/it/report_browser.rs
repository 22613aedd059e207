//! The report drawn by a real headless Chromium (from the distribution's packages): its
//! screenshot is decoded (a small PNG reader: chunks, zlib, the five row filters) and must not
//! be blank. Without Chromium the test says so and passes, except under CI, where it fails.

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The browser on the PATH, if any.
fn chromium() -> Option<String> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser"]
        .into_iter()
        .find_map(|name| {
            std::env::split_paths(&path)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
                .map(|p| p.to_string_lossy().into_owned())
        })
}

/// A decoded 8-bit PNG: width, height, bytes per pixel, the pixels row by row.
pub struct Image {
    pub width: usize,
    pub height: usize,
    pub bpp: usize,
    pub pixels: Vec<u8>,
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Reads an 8-bit, non-interlaced PNG (grey, grey+alpha, RGB or RGBA).
pub fn decode(png: &[u8]) -> Result<Image, String> {
    let rest = png.strip_prefix(b"\x89PNG\r\n\x1a\n").ok_or("not a PNG")?;
    let (mut at, mut header, mut idat) = (0usize, None, Vec::new());
    while at + 8 <= rest.len() {
        let len = u32::from_be_bytes(rest[at..at + 4].try_into().map_err(|_| "length")?) as usize;
        let kind = &rest[at + 4..at + 8];
        let data = rest.get(at + 8..at + 8 + len).ok_or("a chunk is cut")?;
        match kind {
            b"IHDR" => header = Some(data.to_vec()),
            b"IDAT" => idat.extend_from_slice(data),
            b"IEND" => break,
            _ => {}
        }
        at += 12 + len;
    }
    let h = header.ok_or("no IHDR")?;
    let word = |i: usize| u32::from_be_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]) as usize;
    let (width, height, depth, colour, interlace) = (word(0), word(4), h[8], h[9], h[12]);
    let bpp = match colour {
        0 => 1,
        2 => 3,
        4 => 2,
        6 => 4,
        c => return Err(format!("colour type {c} not read here")),
    };
    if depth != 8 || interlace != 0 {
        return Err("only 8-bit non-interlaced PNGs are read here".into());
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .map_err(|e| e.to_string())?;
    let stride = width * bpp;
    if raw.len() != height * (stride + 1) {
        return Err(format!("{} bytes for {width}×{height}", raw.len()));
    }
    let mut pixels = vec![0u8; height * stride];
    for y in 0..height {
        let filter = raw[y * (stride + 1)];
        let line = &raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)];
        for x in 0..stride {
            let a = if x >= bpp {
                pixels[y * stride + x - bpp]
            } else {
                0
            };
            let b = if y > 0 {
                pixels[(y - 1) * stride + x]
            } else {
                0
            };
            let c = if x >= bpp && y > 0 {
                pixels[(y - 1) * stride + x - bpp]
            } else {
                0
            };
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => paeth(a, b, c),
                f => return Err(format!("filter {f}")),
            };
            pixels[y * stride + x] = line[x].wrapping_add(predicted);
        }
    }
    Ok(Image {
        width,
        height,
        bpp,
        pixels,
    })
}

/// The share of pixels that differ from the first (the background).
pub fn ink(img: &Image) -> f64 {
    let first = &img.pixels[..img.bpp];
    let differ = img.pixels.chunks(img.bpp).filter(|p| *p != first).count();
    differ as f64 / (img.width * img.height) as f64
}

fn screenshot(browser: &str, html: &Path, png: &Path, profile: &Path) {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
        ])
        .args([
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .args([
            "--window-size=1200,900",
            &format!("file://{}", html.display()),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    // A guard against a browser that never exits, not a measure of time.
    let until = Instant::now() + Duration::from_secs(180);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > until {
            let _ = child.kill();
            panic!("chromium did not finish");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_decoder_tells_a_blank_image_from_a_drawn_one() {
    // 2×1 RGB, filter 0: one white pixel and one black; then both white.
    let png = |row: &[u8]| {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut z, row).expect("deflate");
        let idat = z.finish().expect("deflate");
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [
            (&b"IHDR"[..], vec![0, 0, 0, 2, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
            (b"IDAT", idat),
            (b"IEND", vec![]),
        ] {
            out.extend((data.len() as u32).to_be_bytes());
            out.extend(kind);
            out.extend(&data);
            out.extend([0; 4]);
        }
        out
    };
    let drawn = decode(&png(&[0, 255, 255, 255, 0, 0, 0])).expect("decodes");
    assert_eq!((drawn.width, drawn.height), (2, 1));
    assert!(ink(&drawn) > 0.4);
    let blank = decode(&png(&[0, 255, 255, 255, 255, 255, 255])).expect("decodes");
    assert_eq!(ink(&blank), 0.0);
}

#[test]
fn a_headless_browser_draws_the_report() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is required under CI"
        );
        eprintln!("notice: chromium not found; the browser test of the report is skipped");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let html = dir.path().join("session.html");
    let source = format!("{}/recordings/all.jsonl", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(["report", &source, "-o", &html.to_string_lossy()])
        .env_remove("ORCHSCOPE_CONFIG")
        .output()
        .expect("run orchscope");
    assert_eq!(out.status.code(), Some(0));
    let png = dir.path().join("shot.png");
    screenshot(&browser, &html, &png, &dir.path().join("profile"));
    let img = decode(&std::fs::read(&png).expect("a screenshot")).expect("a PNG");
    assert_eq!((img.width, img.height), (1200, 900));
    let ink = ink(&img);
    assert!(ink > 0.01, "the screenshot is blank ({ink})");
}
