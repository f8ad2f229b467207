//! How chart series look: colour, line pattern and marker together, so that no series is told
//! apart by colour alone; and the contrast rules the colours meet (WCAG 2.1 non-text contrast:
//! 3:1 against the white background and between neighbouring series).
//!
//! The colours are the UK Government Analysis Function's categorical palette, which is made to
//! pass these checks in this order.

use super::geometry::Marker;

/// The look of one series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesStyle {
    pub colour: &'static str,
    /// An SVG `stroke-dasharray` ("" for a solid line).
    pub dashes: &'static str,
    pub marker: Marker,
    /// The id of the SVG hatching pattern for bars of this series.
    pub pattern: &'static str,
}

pub const SERIES: [SeriesStyle; 4] = [
    SeriesStyle {
        colour: "#12436D",
        dashes: "",
        marker: Marker::Circle,
        pattern: "app-chart-solid",
    },
    SeriesStyle {
        colour: "#28A197",
        dashes: "8 4",
        marker: Marker::Square,
        pattern: "app-chart-hatch",
    },
    SeriesStyle {
        colour: "#801650",
        dashes: "2 3",
        marker: Marker::Triangle,
        pattern: "app-chart-dots",
    },
    SeriesStyle {
        colour: "#F46A25",
        dashes: "10 3 2 3",
        marker: Marker::Diamond,
        pattern: "app-chart-cross",
    },
];

/// The style of the `index`th series (repeating after four).
pub fn series(index: usize) -> SeriesStyle {
    SERIES[index % SERIES.len()]
}

/// Text and axis lines: the NHS.UK design system's text colour.
pub const INK: &str = "#212B32";
/// Grid lines: light, they only guide the eye.
pub const GRID: &str = "#D8DDE0";
pub const BACKGROUND: &str = "#FFFFFF";

fn channel(hex: &str) -> f64 {
    let value = f64::from(u8::from_str_radix(hex, 16).unwrap_or(0)) / 255.0;
    if value <= 0.03928 {
        value / 12.92
    } else {
        ((value + 0.055) / 1.055).powf(2.4)
    }
}

/// WCAG relative luminance of a `#RRGGBB` colour.
pub fn luminance(colour: &str) -> f64 {
    let hex = colour.trim_start_matches('#');
    if hex.len() != 6 {
        return 0.0;
    }
    0.2126 * channel(&hex[0..2]) + 0.7152 * channel(&hex[2..4]) + 0.0722 * channel(&hex[4..6])
}

/// WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: &str, b: &str) -> f64 {
    let (first, second) = (luminance(a), luminance(b));
    let (light, dark) = if first > second {
        (first, second)
    } else {
        (second, first)
    };
    (light + 0.05) / (dark + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_by_hand() {
        assert!((contrast("#000000", "#FFFFFF") - 21.0).abs() < 1e-9);
        assert!((contrast("#777777", "#777777") - 1.0).abs() < 1e-9);
        // #777777 on white, the well-known near miss of 4.5:1: 4.48:1.
        assert!((contrast("#777777", "#FFFFFF") - 4.48).abs() < 0.005);
    }

    #[test]
    fn every_series_has_three_to_one_against_white_and_its_neighbours() {
        for style in SERIES {
            assert!(
                contrast(style.colour, BACKGROUND) >= 3.0,
                "{} on white",
                style.colour
            );
        }
        for pair in SERIES.windows(2) {
            assert!(
                contrast(pair[0].colour, pair[1].colour) >= 3.0,
                "{} next to {}",
                pair[0].colour,
                pair[1].colour
            );
        }
        // The last wraps round to the first when there are more than four.
        assert!(contrast(SERIES[3].colour, SERIES[0].colour) >= 3.0);
        assert!(contrast(INK, BACKGROUND) >= 4.5);
    }

    #[test]
    fn no_two_series_share_a_pattern_or_a_marker() {
        for (index, a) in SERIES.iter().enumerate() {
            for b in &SERIES[index + 1..] {
                assert_ne!(a.dashes, b.dashes);
                assert_ne!(a.marker, b.marker);
                assert_ne!(a.pattern, b.pattern);
            }
        }
    }
}
