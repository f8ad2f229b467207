//! What the scanner makes of what the decoder read: plain logic, no browser, tested natively.
//! Codes read frame after frame are collected, interpreted by the UDI engine (codes from one
//! label joined, different labels offered as a choice), and described in words a person (or
//! a screen reader) can follow.

use domain::udi::combine::{ScanOutcome, combine};
use domain::udi::{IssuingAgency, Udi};

/// A camera failure, in words a person can act on (the other ways to scan are offered).
pub fn camera_problem(error_name: &str) -> &'static str {
    match error_name {
        "NotAllowedError" | "SecurityError" => {
            "The camera was not allowed. To use it, allow camera access for this site in your browser's settings, then try again. Or read a photo of the label, or type the code."
        }
        "NotFoundError" | "OverconstrainedError" => {
            "No camera was found on this device. Read a photo of the label instead, or use a handheld scanner or type the code in the UDI box."
        }
        "NotReadableError" | "AbortError" => {
            "The camera is being used by another application. Close it there and try again, or read a photo of the label."
        }
        _ => {
            "The camera could not be started. Read a photo of the label instead, or type the code in the UDI box."
        }
    }
}

/// "Read: device 05060001340012, lot LOT42, expires 31 December 2028."
pub fn describe_read(udi: &Udi) -> String {
    let device = udi
        .device_identifier
        .as_ref()
        .map(|di| format!("device {di}"));
    let parts: Vec<String> = device.into_iter().chain(udi.production_summary()).collect();
    format!("Read: {}.", parts.join(", "))
}

/// Frames to keep looking after a GS1 device identifier was read without its lot or serial:
/// on a two-line label the second line may come into view a moment later.
pub const FRAMES_FOR_SECOND_LINE: u32 = 8;

/// A camera gives a new frame every 33 ms (30 a second).
pub const FRAME_INTERVAL_MS: f64 = 33.0;

/// How long to wait before taking the next camera frame, `busy_ms` after this one was taken:
/// never sooner than the camera makes a new one, and not at all once it has (the decoder took
/// longer). Frames that come while the decoder is busy are skipped, never queued: the next one
/// taken is the newest.
pub fn pause_before_next_frame(busy_ms: f64) -> u32 {
    (FRAME_INTERVAL_MS - busy_ms)
        .clamp(0.0, FRAME_INTERVAL_MS)
        .ceil() as u32
}

/// What to do with what has been read so far.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Fill the field with this UDI text; `summary` is announced.
    Fill { text: String, summary: String },
    /// Different devices: offer these (summary, text) choices.
    Choose(Vec<(String, String)>),
    /// Nothing usable yet; `note` (if any) says what was seen.
    KeepLooking { note: Option<String> },
}

impl Step {
    /// Whether the scan is over (the field is filled or a choice is offered).
    pub fn is_done(&self) -> bool {
        !matches!(self, Step::KeepLooking { .. })
    }
}

/// Decides, from every code read so far, whether the scan is done. `may_wait`: a GS1 device
/// identifier without lot or serial waits for the label's second line.
pub fn next_step(texts: &[String], may_wait: bool, reference_year: u16) -> Step {
    if texts.is_empty() {
        return Step::KeepLooking { note: None };
    }
    match combine(texts, reference_year) {
        ScanOutcome::One { udi, .. }
            if may_wait
                && udi.agency == IssuingAgency::Gs1
                && udi.lot.is_none()
                && udi.serial.is_none() =>
        {
            Step::KeepLooking {
                note: Some(format!(
                    "{} Looking for the lot or serial number on the label…",
                    describe_read(&udi)
                )),
            }
        }
        ScanOutcome::One { udi, .. } => Step::Fill {
            summary: describe_read(&udi),
            text: udi.human_readable(),
        },
        ScanOutcome::Choose(found) => Step::Choose(
            found
                .into_iter()
                .map(|(_, udi)| (describe_read(&udi), udi.human_readable()))
                .collect(),
        ),
        ScanOutcome::NotUdi(codes) => Step::KeepLooking {
            note: codes
                .first()
                .and_then(|code| code.parsed.as_ref().err())
                .map(|problem| {
                    format!("A barcode was read, but it is not a device identifier: {problem}")
                }),
        },
    }
}

/// The codes a camera has read, frame after frame, until the scan is done.
#[derive(Debug, Clone, Default)]
pub struct FrameReads {
    /// Each distinct code, in the order first read.
    seen: Vec<String>,
    /// The number of the frame where the first code was read.
    first_read: Option<u32>,
}

impl FrameReads {
    /// Adds what frame `number` read; says what to do now. A lone GS1 device identifier waits
    /// [`FRAMES_FOR_SECOND_LINE`] frames for its lot or serial, then is used as it is.
    pub fn add(&mut self, number: u32, texts: Vec<String>, reference_year: u16) -> Step {
        for text in texts {
            if !self.seen.contains(&text) {
                self.seen.push(text);
            }
        }
        if !self.seen.is_empty() {
            self.first_read.get_or_insert(number);
        }
        let waited = self.first_read.map_or(0, |first| number - first);
        next_step(&self.seen, waited < FRAMES_FOR_SECOND_LINE, reference_year)
    }
}

/// The words on the button that chooses one of several labels: "Use device …, lot …".
pub fn choice_label(description: &str) -> String {
    format!(
        "Use {}",
        description
            .trim_start_matches("Read: ")
            .trim_end_matches('.')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const YEAR: u16 = 2026;
    /// Device identifiers (AI 01) as a camera decoder reads them: element strings.
    const STEM: &str = "0109506000134352";
    const CUP: &str = "0109506000134369";
    /// A label's second line: expiry and lot.
    const SECOND_LINE: &str = "1728123110LOT42";

    fn texts(codes: &[&str]) -> Vec<String> {
        codes.iter().map(|code| code.to_string()).collect()
    }

    #[test]
    fn every_camera_failure_offers_another_way() {
        for name in [
            "NotAllowedError",
            "NotFoundError",
            "NotReadableError",
            "Whatever",
        ] {
            let message = camera_problem(name);
            assert!(
                message.contains("photo") || message.contains("type"),
                "{name}: {message}"
            );
        }
    }

    #[test]
    fn the_next_frame_is_taken_when_the_camera_has_one() {
        assert_eq!(pause_before_next_frame(0.0), 33);
        assert_eq!(pause_before_next_frame(20.5), 13);
        assert_eq!(pause_before_next_frame(33.0), 0);
        assert_eq!(pause_before_next_frame(180.0), 0);
        assert_eq!(pause_before_next_frame(f64::NAN), 0, "a clock that failed");
    }

    #[test]
    fn nothing_read_keeps_looking_quietly() {
        assert_eq!(next_step(&[], true, YEAR), Step::KeepLooking { note: None });
    }

    #[test]
    fn a_whole_udi_fills_the_field_and_is_described() {
        let step = next_step(&texts(&[&format!("{STEM}{SECOND_LINE}")]), true, YEAR);
        let Step::Fill { text, summary } = step else {
            panic!("{step:?}");
        };
        assert_eq!(text, "(01)09506000134352(17)281231(10)LOT42");
        assert_eq!(
            summary,
            "Read: device 09506000134352, lot LOT42, expires 31 December 2028."
        );
    }

    #[test]
    fn a_lone_device_identifier_waits_for_the_second_line_then_is_used() {
        let lone = texts(&[STEM]);
        let Step::KeepLooking { note: Some(note) } = next_step(&lone, true, YEAR) else {
            panic!("waits");
        };
        assert!(note.starts_with("Read: device 09506000134352."), "{note}");
        assert!(note.ends_with("Looking for the lot or serial number on the label…"));
        assert!(matches!(next_step(&lone, false, YEAR), Step::Fill { .. }));
    }

    #[test]
    fn two_lines_of_one_label_are_joined() {
        let step = next_step(&texts(&[STEM, SECOND_LINE]), true, YEAR);
        assert!(
            matches!(&step, Step::Fill { text, .. } if text.contains("(10)LOT42")),
            "{step:?}"
        );
    }

    #[test]
    fn different_labels_are_offered_as_a_choice() {
        let step = next_step(
            &texts(&[&format!("{STEM}10A1"), &format!("{CUP}10B2")]),
            true,
            YEAR,
        );
        let Step::Choose(choices) = step else {
            panic!("{step:?}");
        };
        assert_eq!(choices.len(), 2);
        assert_eq!(
            choice_label(&choices[0].0),
            "Use device 09506000134352, lot A1"
        );
    }

    #[test]
    fn a_barcode_that_is_not_a_udi_says_so_and_keeps_looking() {
        let step = next_step(&texts(&["hello"]), true, YEAR);
        let Step::KeepLooking { note: Some(note) } = step else {
            panic!("{step:?}");
        };
        assert!(
            note.starts_with("A barcode was read, but it is not a device identifier: "),
            "{note}"
        );
        assert!(!Step::KeepLooking { note: None }.is_done());
    }

    #[test]
    fn frames_are_collected_and_a_lone_identifier_waits_eight_frames() {
        let mut reads = FrameReads::default();
        assert_eq!(
            reads.add(1, Vec::new(), YEAR),
            Step::KeepLooking { note: None }
        );
        for frame in 3..3 + FRAMES_FOR_SECOND_LINE {
            assert!(!reads.add(frame, texts(&[STEM]), YEAR).is_done(), "{frame}");
        }
        assert!(
            reads
                .add(3 + FRAMES_FOR_SECOND_LINE, Vec::new(), YEAR)
                .is_done()
        );

        let mut reads = FrameReads::default();
        reads.add(1, texts(&[STEM]), YEAR);
        let step = reads.add(2, texts(&[SECOND_LINE, STEM]), YEAR);
        assert!(
            matches!(&step, Step::Fill { text, .. } if text.ends_with("(10)LOT42")),
            "{step:?}"
        );
    }
}
