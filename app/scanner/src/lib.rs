//! Finding and reading the barcodes on a device label in one image (a camera frame or a
//! photo). The reading itself is rxing's; what is ours is the order of attempts that makes it
//! read what a clinic's webcam sees (dark-on-light and light-on-dark codes, flat contrast,
//! blur, several codes on one label) while staying inside a video frame's time budget.
//!
//! Plain Rust, tested natively; `worker` exposes it to the browser's Web Worker.

use std::collections::HashSet;

use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::multi::{GenericMultipleBarcodeReader, MultipleBarcodeReader};
use rxing::{
    BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource, MultiUseMultiFormatReader,
    RXingResult,
};

pub mod camera;
pub mod look;
#[cfg(target_arch = "wasm32")]
mod worker;

/// The separator GS1 data carries between variable-length fields (FNC1 in the symbol).
const GS: char = '\u{1d}';

/// One barcode read from the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    /// The data as a scanner transmits it: FNC1 as GS, no symbology identifier.
    pub text: String,
    pub symbology: Symbology,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbology {
    DataMatrix,
    Code128,
    Qr,
}

impl Symbology {
    pub fn name(self) -> &'static str {
        match self {
            Self::DataMatrix => "Data Matrix",
            Self::Code128 => "Code 128",
            Self::Qr => "QR code",
        }
    }
}

/// How hard to look in one image. A photo is the only chance, so it gets everything
/// ([`Strategy::Thorough`]); camera frames are read by [`camera::CameraReader`], which
/// looks harder only at frames that seem to hold a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// The image as it is.
    AsIs,
    /// Contrast stretched to the full range (poor light, faded print).
    Stretched,
    /// Half size, stretched: blur and noise average out, large codes fit the finder.
    HalfSize,
    /// All of the above in turn, each looking harder (every row, rotated 1D codes).
    Thorough,
}

impl Strategy {
    pub const ALL: [Strategy; 4] = [
        Strategy::AsIs,
        Strategy::Stretched,
        Strategy::HalfSize,
        Strategy::Thorough,
    ];
}

/// Reads every UDI barcode in an RGBA image (as a canvas gives it). Empty when none is found.
pub fn read_rgba(width: u32, height: u32, rgba: &[u8], strategy: Strategy) -> Vec<Read> {
    if width == 0 || height == 0 || rgba.len() < (width * height * 4) as usize {
        return Vec::new();
    }
    read_luma_with(width, height, luma_of_rgba(rgba), strategy)
}

/// Reads every UDI barcode in a greyscale image, as thoroughly as a photo deserves.
pub fn read_luma(width: u32, height: u32, luma: Vec<u8>) -> Vec<Read> {
    read_luma_with(width, height, luma, Strategy::Thorough)
}

pub fn read_luma_with(width: u32, height: u32, luma: Vec<u8>, strategy: Strategy) -> Vec<Read> {
    match strategy {
        Strategy::AsIs => attempt(width, height, luma, false),
        Strategy::Stretched => attempt(width, height, stretch_contrast(&luma), false),
        Strategy::HalfSize => {
            let (half_width, half_height, half) =
                half_size(width, height, &stretch_contrast(&luma));
            attempt(half_width, half_height, half, false)
        }
        Strategy::Thorough => {
            let reads = attempt(width, height, luma.clone(), true);
            if !reads.is_empty() {
                return reads;
            }
            let stretched = stretch_contrast(&luma);
            let reads = attempt(width, height, stretched.clone(), true);
            if !reads.is_empty() {
                return reads;
            }
            let (half_width, half_height, half) = half_size(width, height, &stretched);
            attempt(half_width, half_height, half, true)
        }
    }
}

fn hints(try_harder: bool) -> DecodeHints {
    DecodeHints {
        TryHarder: Some(try_harder),
        // FNC1 comes out as GS, so the UDI engine can delimit GS1 fields.
        AssumeGs1: Some(true),
        // Light-on-dark codes (laser-etched metal, inverted labels).
        AlsoInverted: Some(true),
        PossibleFormats: Some(HashSet::from([
            BarcodeFormat::DATA_MATRIX,
            BarcodeFormat::CODE_128,
            BarcodeFormat::QR_CODE,
        ])),
        ..DecodeHints::default()
    }
}

pub(crate) fn attempt(width: u32, height: u32, luma: Vec<u8>, try_harder: bool) -> Vec<Read> {
    attempt_with(width, height, luma, try_harder, Binariser::Local)
}

/// How grey becomes black and white before the codes are looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Binariser {
    /// A threshold per 8 × 8 block (rxing's hybrid binariser): uneven light.
    Local,
    /// One threshold per row, from its histogram: blurred bars, whose local thresholds wander.
    Global,
}

pub(crate) fn attempt_with(
    width: u32,
    height: u32,
    luma: Vec<u8>,
    try_harder: bool,
    binariser: Binariser,
) -> Vec<Read> {
    let Ok(source) = Luma8LuminanceSource::new(luma, width, height) else {
        return Vec::new();
    };
    let mut reader = GenericMultipleBarcodeReader::new(MultiUseMultiFormatReader::default());
    let results = match binariser {
        Binariser::Local => reader.decode_multiple_with_hints(
            &mut BinaryBitmap::new(HybridBinarizer::new(source)),
            &hints(try_harder),
        ),
        Binariser::Global => reader.decode_multiple_with_hints(
            &mut BinaryBitmap::new(GlobalHistogramBinarizer::new(source)),
            &hints(try_harder),
        ),
    }
    .unwrap_or_default();
    let mut reads: Vec<Read> = Vec::new();
    for result in results {
        if let Some(read) = to_read(&result)
            && !reads.contains(&read)
        {
            reads.push(read);
        }
    }
    reads
}

fn to_read(result: &RXingResult) -> Option<Read> {
    let symbology = match result.getBarcodeFormat() {
        BarcodeFormat::DATA_MATRIX => Symbology::DataMatrix,
        BarcodeFormat::CODE_128 => Symbology::Code128,
        BarcodeFormat::QR_CODE => Symbology::Qr,
        _ => return None,
    };
    Some(Read {
        text: scanner_text(result.getText()),
        symbology,
    })
}

/// rxing marks GS1 Code 128 with a leading `]C1` and may start GS1 data with the FNC1 that
/// announces it; a scanner sends neither.
fn scanner_text(text: &str) -> String {
    let text = text.strip_prefix("]C1").unwrap_or(text);
    text.strip_prefix(GS).unwrap_or(text).to_string()
}

/// ITU-R BT.601 luma, in integers.
pub fn luma_of_rgba(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|pixel| {
            let (r, g, b) = (
                u32::from(pixel[0]),
                u32::from(pixel[1]),
                u32::from(pixel[2]),
            );
            ((r * 299 + g * 587 + b * 114) / 1000) as u8
        })
        .collect()
}

/// Maps the 1st–99th percentile of brightness onto 0–255, so a grey-on-grey code becomes
/// black-on-white before binarising. Leaves flat images alone.
pub fn stretch_contrast(luma: &[u8]) -> Vec<u8> {
    let (low, high) = look::brightness_range(luma);
    let (low, high) = (usize::from(low), usize::from(high));
    if high <= low + 8 {
        return luma.to_vec();
    }
    let span = (high - low) as u32;
    luma.iter()
        .map(|value| {
            let clamped = usize::from(*value).clamp(low, high) - low;
            ((clamped as u32 * 255) / span) as u8
        })
        .collect()
}

/// Halves each side, averaging 2×2 blocks.
pub fn half_size(width: u32, height: u32, luma: &[u8]) -> (u32, u32, Vec<u8>) {
    let (half_width, half_height) = (width / 2, height / 2);
    let width = width as usize;
    let mut half = Vec::with_capacity((half_width * half_height) as usize);
    for y in 0..half_height as usize {
        for x in 0..half_width as usize {
            let at = |dx: usize, dy: usize| u32::from(luma[(2 * y + dy) * width + 2 * x + dx]);
            half.push(((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4) as u8);
        }
    }
    (half_width, half_height, half)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_stretched_to_the_full_range() {
        let flat: Vec<u8> = (0..1000)
            .map(|i| if i % 2 == 0 { 120 } else { 140 })
            .collect();
        let stretched = stretch_contrast(&flat);
        assert_eq!(stretched[0], 0);
        assert_eq!(stretched[1], 255);
        let uniform = vec![77u8; 100];
        assert_eq!(stretch_contrast(&uniform), uniform);
    }

    #[test]
    fn half_size_averages_blocks() {
        let luma = [0, 100, 50, 50, 200, 100, 50, 50];
        assert_eq!(half_size(4, 2, &luma), (2, 1, vec![100, 50]));
    }

    #[test]
    fn scanner_text_drops_what_a_scanner_does_not_send() {
        assert_eq!(
            scanner_text("]C10105060001340012\u{1d}10A"),
            "0105060001340012\u{1d}10A"
        );
        assert_eq!(scanner_text("\u{1d}0105060001340012"), "0105060001340012");
        assert_eq!(scanner_text("+A123PROD1I"), "+A123PROD1I");
    }

    #[test]
    fn nothing_is_read_from_nothing() {
        for strategy in Strategy::ALL {
            assert!(read_rgba(0, 0, &[], strategy).is_empty());
            assert!(read_rgba(16, 16, &[255; 16 * 16 * 4], strategy).is_empty());
            assert!(
                read_rgba(16, 16, &[0; 10], strategy).is_empty(),
                "short buffer"
            );
        }
    }
}
