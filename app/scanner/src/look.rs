//! Cheap looks at a frame before decoding it: where in the frame something like a barcode is
//! (many sharp edges close together), and the pixels of just that part.
//!
//! A camera frame is mostly not the code: cutting it down to the busy region makes every
//! decode attempt faster, and a frame with no busy region at all (nothing in view, or the
//! label still out of focus) is not worth the stronger, slower attempts.

/// A rectangle of a frame, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// Side of the square tiles the frame is judged in.
const TILE: u32 = 16;
/// Sampled pixel pairs in a tile (every second pixel of every second row: 8 × 8) that must be
/// an edge for the tile to count as busy: about one in ten. A code's modules of 2–10 px give
/// 15–50 %; paper, a wall or an out-of-focus label give none.
const BUSY_EDGES: u32 = 7;
/// Tiles of quiet zone kept around the busy ones: the decoders need the code's margin.
const MARGIN_TILES: u32 = 2;

/// The darkest and brightest levels, ignoring the 1 % at each end (specks, glare).
pub fn brightness_range(luma: &[u8]) -> (u8, u8) {
    let mut histogram = [0usize; 256];
    for value in luma {
        histogram[usize::from(*value)] += 1;
    }
    let cut = luma.len() / 100;
    let first_past_cut = |levels: &mut dyn Iterator<Item = usize>| {
        let mut seen = 0;
        for level in levels {
            seen += histogram[level];
            if seen > cut {
                return Some(level);
            }
        }
        None
    };
    let low = first_past_cut(&mut (0..256)).unwrap_or(0);
    let high = first_past_cut(&mut (0..256).rev()).unwrap_or(255);
    (low as u8, high.max(low) as u8)
}

/// The part of the frame that looks like it holds a code: the bounding box of the busy tiles
/// (each with a busy neighbour, so a lone speck does not count), with a margin. `None` when
/// nothing in the frame looks like a code.
pub fn find_code_region(width: u32, height: u32, luma: &[u8]) -> Option<Region> {
    let (columns, rows) = (width / TILE, height / TILE);
    if columns == 0 || rows == 0 || luma.len() < (width * height) as usize {
        return None;
    }
    let (low, high) = brightness_range(luma);
    // An edge is a step of an eighth of the frame's range over two pixels (a blurred edge
    // still makes it), and never less than 6 levels (sensor noise on a flat surface).
    let step = (i32::from(high - low) / 8).max(6);
    let at = |x: u32, y: u32| i32::from(luma[(y * width + x) as usize]);
    let mut busy = vec![false; (columns * rows) as usize];
    for row in 0..rows {
        for column in 0..columns {
            let mut edges = 0;
            for y in (row * TILE..(row + 1) * TILE).step_by(2) {
                for x in (column * TILE..(column + 1) * TILE).step_by(2) {
                    let here = at(x, y);
                    let right = at((x + 2).min(width - 1), y);
                    let below = at(x, (y + 2).min(height - 1));
                    if (here - right).abs() >= step || (here - below).abs() >= step {
                        edges += 1;
                    }
                }
            }
            busy[(row * columns + column) as usize] = edges >= BUSY_EDGES;
        }
    }
    let is_busy = |column: i64, row: i64| {
        column >= 0
            && row >= 0
            && column < i64::from(columns)
            && row < i64::from(rows)
            && busy[(row * i64::from(columns) + column) as usize]
    };
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    for row in 0..rows {
        for column in 0..columns {
            let (c, r) = (i64::from(column), i64::from(row));
            let has_busy_neighbour = (-1..=1)
                .flat_map(|dy| (-1..=1).map(move |dx| (dx, dy)))
                .any(|(dx, dy)| (dx, dy) != (0, 0) && is_busy(c + dx, r + dy));
            if is_busy(c, r) && has_busy_neighbour {
                bounds = Some(match bounds {
                    None => (column, row, column, row),
                    Some((left, top, right, bottom)) => (
                        left.min(column),
                        top.min(row),
                        right.max(column),
                        bottom.max(row),
                    ),
                });
            }
        }
    }
    let (left, top, right, bottom) = bounds?;
    let x = left.saturating_sub(MARGIN_TILES) * TILE;
    let y = top.saturating_sub(MARGIN_TILES) * TILE;
    let x_end = ((right + 1 + MARGIN_TILES) * TILE).min(width);
    let y_end = ((bottom + 1 + MARGIN_TILES) * TILE).min(height);
    Some(Region {
        x,
        y,
        width: x_end - x,
        height: y_end - y,
    })
}

/// The pixels of `region` (which must lie inside the frame).
pub fn crop(width: u32, luma: &[u8], region: Region) -> Vec<u8> {
    let mut part = Vec::with_capacity((region.width * region.height) as usize);
    for y in region.y..region.y + region.height {
        let start = (y * width + region.x) as usize;
        part.extend_from_slice(&luma[start..start + region.width as usize]);
    }
    part
}

/// Doubles each side, each new pixel the mean of its nearest old ones: gives a decoder whose
/// binariser works in blocks more pixels per module of a small code.
pub fn double_size(width: u32, height: u32, luma: &[u8]) -> (u32, u32, Vec<u8>) {
    let (w, h) = (width as usize, height as usize);
    let at = |x: usize, y: usize| u32::from(luma[y.min(h - 1) * w + x.min(w - 1)]);
    let mut double = Vec::with_capacity(4 * w * h);
    for y in 0..2 * h {
        let (y0, y1) = (y / 2, (y / 2) + (y % 2));
        for x in 0..2 * w {
            let (x0, x1) = (x / 2, (x / 2) + (x % 2));
            double.push(((at(x0, y0) + at(x1, y0) + at(x0, y1) + at(x1, y1)) / 4) as u8);
        }
    }
    (2 * width, 2 * height, double)
}

/// Radius of the box [`sharpen`] compares each pixel with: about a blur's reach (sigma 2–3).
const SHARPEN_RADIUS: usize = 2;

/// Unsharp masking: each pixel pushed away from the mean of the (2r+1)² box around it, by
/// as much again, so that blurred edges steepen (out-of-focus labels).
pub fn sharpen(width: u32, height: u32, luma: &[u8]) -> Vec<u8> {
    let (w, h, r) = (width as usize, height as usize, SHARPEN_RADIUS);
    if w == 0 || h == 0 {
        return luma.to_vec();
    }
    // Box sums through a summed-area table: the same cost at any radius.
    let mut table = vec![0u32; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0u32;
        for x in 0..w {
            row += u32::from(luma[y * w + x]);
            table[(y + 1) * (w + 1) + x + 1] = table[y * (w + 1) + x + 1] + row;
        }
    }
    let mut sharp = Vec::with_capacity(w * h);
    for y in 0..h {
        let (top, bottom) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (left, right) = (x.saturating_sub(r), (x + r + 1).min(w));
            let sum = table[bottom * (w + 1) + right] + table[top * (w + 1) + left]
                - table[top * (w + 1) + right]
                - table[bottom * (w + 1) + left];
            let mean = (sum / ((bottom - top) * (right - left)) as u32) as i32;
            let here = i32::from(luma[y * w + x]);
            sharp.push((2 * here - mean).clamp(0, 255) as u8);
        }
    }
    sharp
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A light frame with a checkerboard of `module`-px squares at (x, y), `side` px wide.
    fn frame_with_code(width: u32, height: u32, x: u32, y: u32, side: u32, module: u32) -> Vec<u8> {
        let mut luma = vec![220u8; (width * height) as usize];
        for py in y..y + side {
            for px in x..x + side {
                if ((px - x) / module + (py - y) / module).is_multiple_of(2) {
                    luma[(py * width + px) as usize] = 30;
                }
            }
        }
        luma
    }

    #[test]
    fn the_range_ignores_the_extreme_percent() {
        let mut luma = vec![100u8; 1000];
        luma[0] = 0;
        luma[1] = 255;
        luma[500..700].fill(180);
        assert_eq!(brightness_range(&luma), (100, 180));
        assert_eq!(brightness_range(&[]), (0, 255));
    }

    #[test]
    fn a_code_is_found_with_a_margin() {
        let luma = frame_with_code(640, 480, 200, 120, 160, 8);
        let region = find_code_region(640, 480, &luma).expect("a code");
        // The code covers tiles 12..=22 across and 7..=17 down; two tiles of margin each side.
        assert_eq!(
            region,
            Region {
                x: 160,
                y: 80,
                width: 240,
                height: 240
            }
        );
        let part = crop(640, &luma, region);
        assert_eq!(part.len(), 240 * 240);
        assert_eq!(part[0], 220);
        assert_eq!(part[40 * 240 + 40], 30, "the code's first module");
    }

    #[test]
    fn a_region_is_clamped_to_the_frame() {
        let luma = frame_with_code(320, 240, 0, 0, 64, 4);
        let region = find_code_region(320, 240, &luma).expect("a code");
        assert_eq!((region.x, region.y), (0, 0));
        assert_eq!((region.width, region.height), (96, 96));
    }

    #[test]
    fn nothing_busy_is_no_code() {
        // Flat, a gentle gradient (an out-of-focus label), and one lone speck.
        assert_eq!(find_code_region(320, 240, &[200; 320 * 240]), None);
        let gradient: Vec<u8> = (0..320 * 240).map(|i| ((i % 320) / 2) as u8).collect();
        assert_eq!(find_code_region(320, 240, &gradient), None);
        let speck = frame_with_code(320, 240, 100, 100, 8, 2);
        assert_eq!(find_code_region(320, 240, &speck), None);
        assert_eq!(
            find_code_region(8, 8, &[0; 64]),
            None,
            "smaller than a tile"
        );
        assert_eq!(find_code_region(320, 240, &[0; 10]), None, "short buffer");
    }

    #[test]
    fn low_contrast_codes_are_found() {
        let luma: Vec<u8> = frame_with_code(320, 240, 100, 60, 96, 6)
            .into_iter()
            .map(|value| if value == 30 { 120 } else { 140 })
            .collect();
        assert!(find_code_region(320, 240, &luma).is_some());
    }

    #[test]
    fn sharpening_steepens_edges_and_leaves_flat_parts() {
        // A soft edge from 100 to 200 over five pixels, in rows of 9.
        let row = [100u8, 100, 100, 125, 150, 175, 200, 200, 200];
        let luma: Vec<u8> = row.iter().cycle().take(9 * 5).copied().collect();
        let sharp = sharpen(9, 5, &luma);
        assert_eq!(sharp[0], 100, "flat stays flat");
        assert_eq!(sharp[8], 200);
        assert!(
            sharp[3] < 125 && sharp[5] > 175,
            "the edge is steeper: {:?}",
            &sharp[..9]
        );
        assert_eq!(sharp[4], 150, "its middle stays");
        assert_eq!(sharpen(0, 0, &[]), Vec::<u8>::new());
    }

    #[test]
    fn double_size_interpolates() {
        let (width, height, double) = double_size(2, 1, &[0, 100]);
        assert_eq!((width, height), (4, 2));
        assert_eq!(double, vec![0, 50, 100, 100, 0, 50, 100, 100]);
    }
}
