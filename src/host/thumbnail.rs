//! Screenshot thumbnails for the VM page: a screen grab as libvirt hands it over (QEMU: binary
//! PPM; the test driver: PNG) scaled down to a small RGB PNG.

/// Why a screenshot could not be turned into a thumbnail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Unreadable screenshot ({0})")]
pub struct ThumbnailError(pub String);

/// An RGB picture, 3 bytes per pixel, row by row.
struct Rgb {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

/// Scale `image` (of MIME type `mime`) to at most `max_width` pixels wide and encode it as PNG.
pub fn thumbnail(mime: &str, image: &[u8], max_width: usize) -> Result<Vec<u8>, ThumbnailError> {
    let rgb = if mime.contains("png") || image.starts_with(b"\x89PNG") {
        decode_png(image)?
    } else {
        decode_ppm(image)?
    };
    let scaled = scale(&rgb, max_width.max(1));
    encode_png(&scaled)
}

fn bad(what: &str) -> ThumbnailError {
    ThumbnailError(what.to_string())
}

/// Binary PPM (`P6`, 8-bit).
fn decode_ppm(data: &[u8]) -> Result<Rgb, ThumbnailError> {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        // Skip white space and comments between header fields.
        while let Some(&c) = data.get(i) {
            if c == b'#' {
                while data.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            } else if c.is_ascii_whitespace() {
                i += 1;
            } else {
                break;
            }
        }
        let start = i;
        while data.get(i).is_some_and(|c| !c.is_ascii_whitespace()) {
            i += 1;
        }
        if start == i {
            return Err(bad("short PPM header"));
        }
        fields.push(std::str::from_utf8(&data[start..i]).map_err(|_| bad("PPM header"))?.to_string());
    }
    i += 1; // the single white space byte before the pixels
    if fields[0] != "P6" || fields[3] != "255" {
        return Err(bad("only 8-bit binary PPM is read"));
    }
    let width: usize = fields[1].parse().map_err(|_| bad("PPM width"))?;
    let height: usize = fields[2].parse().map_err(|_| bad("PPM height"))?;
    let len = width.checked_mul(height).and_then(|n| n.checked_mul(3)).ok_or_else(|| bad("PPM size"))?;
    let pixels = data.get(i..i + len).ok_or_else(|| bad("PPM shorter than its size"))?.to_vec();
    Ok(Rgb { width, height, pixels })
}

fn decode_png(data: &[u8]) -> Result<Rgb, ThumbnailError> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(data));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| bad(&e.to_string()))?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or_else(|| bad("PNG too large"))?];
    let info = reader.next_frame(&mut buf).map_err(|e| bad(&e.to_string()))?;
    let (width, height) = (info.width as usize, info.height as usize);
    let channels = info.color_type.samples();
    let mut pixels = Vec::with_capacity(width * height * 3);
    for px in buf.get(..width * height * channels).unwrap_or_default().chunks_exact(channels) {
        match channels {
            1 | 2 => pixels.extend_from_slice(&[px[0], px[0], px[0]]),
            _ => pixels.extend_from_slice(&px[..3]),
        }
    }
    Ok(Rgb { width, height, pixels })
}

/// Nearest-neighbour scaling to at most `max_width` wide (never up).
fn scale(src: &Rgb, max_width: usize) -> Rgb {
    if src.width <= max_width || src.width == 0 {
        return Rgb { width: src.width, height: src.height, pixels: src.pixels.clone() };
    }
    let width = max_width;
    let height = (src.height * width / src.width).max(1);
    let mut pixels = Vec::with_capacity(width * height * 3);
    for y in 0..height {
        let sy = y * src.height / height;
        for x in 0..width {
            let sx = x * src.width / width;
            let at = (sy * src.width + sx) * 3;
            pixels.extend_from_slice(src.pixels.get(at..at + 3).unwrap_or(&[0, 0, 0]));
        }
    }
    Rgb { width, height, pixels }
}

fn encode_png(img: &Rgb) -> Result<Vec<u8>, ThumbnailError> {
    let mut out = Vec::new();
    let (w, h) = (u32::try_from(img.width), u32::try_from(img.height));
    let (Ok(w), Ok(h)) = (w, h) else { return Err(bad("too large")) };
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().map_err(|e| bad(&e.to_string()))?;
    writer.write_image_data(&img.pixels).map_err(|e| bad(&e.to_string()))?;
    writer.finish().map_err(|e| bad(&e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ppm(w: usize, h: usize) -> Vec<u8> {
        let mut v = format!("P6\n# made by a test\n{w} {h}\n255\n").into_bytes();
        for y in 0..h {
            for x in 0..w {
                v.extend_from_slice(&[(x % 256) as u8, (y % 256) as u8, 7]);
            }
        }
        v
    }

    fn size_of_png(data: &[u8]) -> (u32, u32) {
        let r = png::Decoder::new(std::io::Cursor::new(data)).read_info().unwrap();
        (r.info().width, r.info().height)
    }

    #[test]
    fn ppm_is_scaled_to_a_png() {
        let out = thumbnail("image/x-portable-pixmap", &ppm(640, 480), 320).unwrap();
        assert_eq!(size_of_png(&out), (320, 240));
        let small = thumbnail("image/x-portable-pixmap", &ppm(100, 50), 320).unwrap();
        assert_eq!(size_of_png(&small), (100, 50), "never scaled up");
    }

    #[test]
    fn png_in_png_out_and_garbage_refused() {
        let first = thumbnail("image/x-portable-pixmap", &ppm(800, 600), 800).unwrap();
        let again = thumbnail("image/png", &first, 200).unwrap();
        assert_eq!(size_of_png(&again), (200, 150));
        assert!(thumbnail("image/x-portable-pixmap", b"P6\n10 10\n255\nshort", 320).is_err());
        assert!(thumbnail("image/x-portable-pixmap", b"P3\n1 1\n255\n0 0 0", 320).is_err());
        assert!(thumbnail("image/png", b"\x89PNG nonsense", 320).is_err());
    }
}
