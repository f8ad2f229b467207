//! Reading a camera's frames: a new frame every 33 ms and a person waiting with the label in
//! front of the lens. What counts is the time until the first read, not one frame's decode.
//!
//! Each frame gets a quick attempt on the part that looks like a code
//! ([`look::find_code_region`]): a clean label reads there in a few milliseconds. Only when
//! the frame looks like it holds a code and the quick attempt read nothing are the stronger,
//! slower efforts of [`LADDER`] tried, in turn, within [`FRAME_BUDGET_MS`] per frame, frame
//! after frame where the last one left off. Frames that show no code never pay for them.

use crate::look::{self, Region};
use crate::{Binariser, Read, attempt, attempt_with, half_size, stretch_contrast};

/// One attempt on a camera frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    /// The part that looks like a code, as it is (or, when no part does, the whole frame at
    /// half size: a big code the region finder missed).
    Quick,
    /// That part with its contrast stretched (faded print, dim light).
    Stretched,
    /// That part at half size, stretched: blur and noise average out.
    HalfSize,
    /// That part stretched, looking harder (every row, 1-D codes turned on their side).
    TryHarder,
    /// That part at twice the size, stretched, looking harder: modules of one or two pixels.
    Enlarged,
    /// That part sharpened, stretched, looking harder: an out-of-focus label.
    Sharpened,
    /// That part stretched, looking harder, one threshold per row: blurred bars.
    RowThreshold,
    /// The whole frame, stretched, looking harder: in case the part was the wrong one.
    WholeFrame,
}

/// The stronger efforts, cheapest first.
pub const LADDER: [Effort; 7] = [
    Effort::Stretched,
    Effort::HalfSize,
    Effort::TryHarder,
    Effort::Enlarged,
    Effort::Sharpened,
    Effort::RowThreshold,
    Effort::WholeFrame,
];

/// Worker time one frame may take before the page is given the answer and sends the next
/// frame (the label may have moved into a better position meanwhile). An effort started
/// within the budget is finished.
pub const FRAME_BUDGET_MS: f64 = 100.0;

/// The largest part (in pixels) [`Effort::Enlarged`] doubles: larger ones have big enough
/// modules already, and four times their pixels would take too long.
const MAX_ENLARGED_PIXELS: u32 = 400 * 400;

/// What one frame gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameOutcome {
    pub reads: Vec<Read>,
    /// Whether the frame looked like it holds a code.
    pub looked_like_code: bool,
    /// The efforts made on it, in order.
    pub efforts: Vec<Effort>,
}

/// The state of one camera scan: where on the ladder the next frame starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CameraReader {
    next_rung: usize,
}

impl CameraReader {
    /// A new scan: the next frame starts at the bottom of the ladder.
    pub const fn new() -> Self {
        Self { next_rung: 0 }
    }

    /// The efforts for a frame, in order, if none reads and time allows: only the quick one
    /// when the frame shows no code; otherwise the ladder, once round, from where the last
    /// frame stopped.
    pub fn plan(&self, looks_like_code: bool) -> Vec<Effort> {
        let mut efforts = vec![Effort::Quick];
        if looks_like_code {
            efforts.extend((0..LADDER.len()).map(|i| LADDER[(self.next_rung + i) % LADDER.len()]));
        }
        efforts
    }

    /// Notes that an effort of the ladder was made without a read: the next frame goes on
    /// from the rung after it. A frame showing no code starts the ladder again from the
    /// bottom (a new label is coming into view).
    fn made(&mut self, effort: Effort) {
        if let Some(rung) = LADDER.iter().position(|candidate| *candidate == effort) {
            self.next_rung = (rung + 1) % LADDER.len();
        }
    }

    /// Reads one greyscale frame. `now` is a clock in milliseconds (the worker's, or a test's).
    pub fn read(
        &mut self,
        width: u32,
        height: u32,
        luma: Vec<u8>,
        now: &mut dyn FnMut() -> f64,
    ) -> FrameOutcome {
        let started = now();
        let frame = Frame::new(width, height, luma);
        let looked_like_code = frame.looks_like_code();
        if !looked_like_code {
            self.next_rung = 0;
        }
        let mut outcome = FrameOutcome {
            reads: Vec::new(),
            looked_like_code,
            efforts: Vec::new(),
        };
        for effort in self.plan(looked_like_code) {
            if effort != Effort::Quick && now() - started > FRAME_BUDGET_MS {
                break;
            }
            outcome.efforts.push(effort);
            let reads = frame.try_effort(effort);
            if !reads.is_empty() {
                outcome.reads = reads;
                return outcome;
            }
            self.made(effort);
        }
        outcome
    }
}

/// A greyscale frame and the part of it that looks like a code.
pub struct Frame {
    width: u32,
    height: u32,
    luma: Vec<u8>,
    region: Option<Region>,
    /// The pixels of `region` (empty without one).
    part: Vec<u8>,
}

impl Frame {
    pub fn new(width: u32, height: u32, luma: Vec<u8>) -> Self {
        let region = look::find_code_region(width, height, &luma);
        let part = region.map_or_else(Vec::new, |region| look::crop(width, &luma, region));
        Self {
            width,
            height,
            luma,
            region,
            part,
        }
    }

    pub fn looks_like_code(&self) -> bool {
        self.region.is_some()
    }

    /// Makes one effort on this frame.
    pub fn try_effort(&self, effort: Effort) -> Vec<Read> {
        let (width, height, luma) = (self.width, self.height, &self.luma);
        let Some(region) = self.region else {
            return match effort {
                Effort::Quick => {
                    let (half_width, half_height, half) = half_size(width, height, luma);
                    attempt(half_width, half_height, half, false)
                }
                Effort::WholeFrame => attempt(width, height, stretch_contrast(luma), true),
                // The other efforts look at the part, and there is none.
                _ => Vec::new(),
            };
        };
        let (w, h, part) = (region.width, region.height, &self.part);
        match effort {
            Effort::Quick => attempt(w, h, part.clone(), false),
            Effort::Stretched => attempt(w, h, stretch_contrast(part), false),
            Effort::HalfSize => {
                let (half_width, half_height, half) = half_size(w, h, &stretch_contrast(part));
                attempt(half_width, half_height, half, false)
            }
            Effort::TryHarder => attempt(w, h, stretch_contrast(part), true),
            Effort::Enlarged if w * h <= MAX_ENLARGED_PIXELS => {
                let (double_width, double_height, double) =
                    look::double_size(w, h, &stretch_contrast(part));
                attempt(double_width, double_height, double, true)
            }
            Effort::Enlarged => Vec::new(),
            Effort::Sharpened => attempt(w, h, stretch_contrast(&look::sharpen(w, h, part)), true),
            Effort::RowThreshold => {
                attempt_with(w, h, stretch_contrast(part), true, Binariser::Global)
            }
            Effort::WholeFrame => attempt(width, height, stretch_contrast(luma), true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_without_a_code_gets_only_the_quick_look() {
        let reader = CameraReader::default();
        assert_eq!(reader.plan(false), vec![Effort::Quick]);
        let plan = reader.plan(true);
        assert_eq!(plan[0], Effort::Quick);
        assert_eq!(&plan[1..], &LADDER);
    }

    #[test]
    fn the_ladder_goes_on_where_the_last_frame_stopped() {
        let mut reader = CameraReader::default();
        reader.made(Effort::Quick);
        assert_eq!(reader.next_rung, 0, "the quick look is not a rung");
        reader.made(Effort::HalfSize);
        let plan = reader.plan(true);
        assert_eq!(
            plan,
            vec![
                Effort::Quick,
                Effort::TryHarder,
                Effort::Enlarged,
                Effort::Sharpened,
                Effort::RowThreshold,
                Effort::WholeFrame,
                Effort::Stretched,
                Effort::HalfSize,
            ]
        );
        reader.made(Effort::WholeFrame);
        assert_eq!(reader.plan(true)[1], Effort::Stretched, "round again");
    }

    /// A clock that moves on `step` ms each time it is read.
    fn ticking(step: f64) -> impl FnMut() -> f64 {
        let mut time = 0.0;
        move || {
            time += step;
            time
        }
    }

    #[test]
    fn an_empty_frame_is_looked_at_once_and_restarts_the_ladder() {
        let mut reader = CameraReader { next_rung: 3 };
        let outcome = reader.read(64, 48, vec![200; 64 * 48], &mut ticking(1.0));
        assert_eq!(outcome.efforts, vec![Effort::Quick]);
        assert!(!outcome.looked_like_code && outcome.reads.is_empty());
        assert_eq!(reader.next_rung, 0);
    }

    #[test]
    fn a_busy_frame_with_no_read_climbs_the_ladder_within_the_budget() {
        // A checkerboard looks like a code and reads as none.
        let luma: Vec<u8> = (0..128 * 96)
            .map(|i| {
                if ((i % 128) / 4 + (i / 128) / 4) % 2 == 0 {
                    20
                } else {
                    230
                }
            })
            .collect();
        let mut reader = CameraReader::default();
        let outcome = reader.read(128, 96, luma.clone(), &mut ticking(1.0));
        assert!(outcome.looked_like_code);
        assert_eq!(outcome.efforts.len(), 1 + LADDER.len(), "time allowed all");
        assert_eq!(reader.next_rung, 0, "once round");

        // A slow machine: the budget is spent after the quick look and two rungs.
        let mut reader = CameraReader::default();
        let outcome = reader.read(128, 96, luma.clone(), &mut ticking(FRAME_BUDGET_MS / 2.5));
        assert_eq!(
            outcome.efforts,
            vec![Effort::Quick, Effort::Stretched, Effort::HalfSize]
        );
        let outcome = reader.read(128, 96, luma, &mut ticking(FRAME_BUDGET_MS / 2.5));
        assert_eq!(
            outcome.efforts,
            vec![Effort::Quick, Effort::TryHarder, Effort::Enlarged],
            "the next frame goes on up the ladder"
        );
    }
}
