//! Chart geometry as plain functions: scales, tick values, SVG path data for lines, bands,
//! markers and bars. No browser types, so every piece is tested natively.

/// The plotting area inside an SVG's view box, with room for the axes' labels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    /// The charts' usual frame: a 480 × 300 view box (it scales to the page's width).
    pub const STANDARD: Frame = Frame {
        width: 480.0,
        height: 300.0,
        left: 56.0,
        right: 16.0,
        top: 16.0,
        bottom: 52.0,
    };

    pub fn x_range(&self) -> (f64, f64) {
        (self.left, self.width - self.right)
    }

    /// Bottom to top: larger values are higher.
    pub fn y_range(&self) -> (f64, f64) {
        (self.height - self.bottom, self.top)
    }

    pub fn view_box(&self) -> String {
        format!("0 0 {} {}", self.width, self.height)
    }
}

/// A linear map from data values to view-box coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    from: (f64, f64),
    to: (f64, f64),
}

impl Scale {
    pub fn new(from: (f64, f64), to: (f64, f64)) -> Self {
        Self { from, to }
    }

    pub fn at(&self, value: f64) -> f64 {
        let span = self.from.1 - self.from.0;
        if span == 0.0 {
            return self.to.0;
        }
        self.to.0 + (value - self.from.0) / span * (self.to.1 - self.to.0)
    }
}

/// A "nice" step (1, 2 or 5 times a power of ten) giving about `count` ticks over `span`.
pub fn nice_step(span: f64, count: usize) -> f64 {
    if span <= 0.0 || !span.is_finite() || count == 0 {
        return 1.0;
    }
    let raw = span / count as f64;
    let power = 10f64.powf(raw.log10().floor());
    let fraction = raw / power;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// The top of an axis that starts at 0 and holds `max`: the next multiple of a nice step.
pub fn nice_max(max: f64, count: usize) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let step = nice_step(max, count);
    (max / step).ceil() * step
}

/// Tick values from 0 to `max` in nice steps (`max` itself included when it is one).
pub fn ticks(max: f64, count: usize) -> Vec<f64> {
    let step = nice_step(max, count);
    let mut values = Vec::new();
    let mut index = 0.0;
    while index * step <= max + step * 1e-9 {
        values.push(index * step);
        index += 1.0;
    }
    values
}

/// A tick's label: whole numbers without decimals, others with as few as needed.
pub fn tick_label(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{}", value.round() as i64)
    } else {
        let text = format!("{value:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn coordinate(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// `M x y L x y …` through the points.
pub fn line_path(points: &[(f64, f64)], x: &Scale, y: &Scale) -> String {
    points
        .iter()
        .enumerate()
        .map(|(index, &(px, py))| {
            format!(
                "{}{} {}",
                if index == 0 { "M" } else { "L" },
                coordinate(x.at(px)),
                coordinate(y.at(py))
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A closed band between `lower` and `upper` at each x: along the upper edge, back along the
/// lower. Empty when there are fewer than two points.
pub fn band_path(points: &[(f64, f64, f64)], x: &Scale, y: &Scale) -> String {
    if points.len() < 2 {
        return String::new();
    }
    let upper: Vec<(f64, f64)> = points.iter().map(|&(px, _, high)| (px, high)).collect();
    let lower: Vec<String> = points
        .iter()
        .rev()
        .map(|&(px, low, _)| format!("L{} {}", coordinate(x.at(px)), coordinate(y.at(low))))
        .collect();
    format!("{} {} Z", line_path(&upper, x, y), lower.join(" "))
}

/// Marker shapes, so that series differ by more than colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

/// A marker of about `size` across, centred on (cx, cy), as path data.
pub fn marker_path(marker: Marker, cx: f64, cy: f64, size: f64) -> String {
    let r = size / 2.0;
    let c = coordinate;
    match marker {
        Marker::Circle => format!(
            "M{} {} a{r} {r} 0 1 0 {} 0 a{r} {r} 0 1 0 {} 0",
            c(cx - r),
            c(cy),
            c(2.0 * r),
            c(-2.0 * r)
        ),
        Marker::Square => format!(
            "M{} {} h{} v{} h{} Z",
            c(cx - r),
            c(cy - r),
            c(2.0 * r),
            c(2.0 * r),
            c(-2.0 * r)
        ),
        Marker::Triangle => format!(
            "M{} {} L{} {} L{} {} Z",
            c(cx),
            c(cy - r * 1.15),
            c(cx + r * 1.15),
            c(cy + r),
            c(cx - r * 1.15),
            c(cy + r)
        ),
        Marker::Diamond => format!(
            "M{} {} L{} {} L{} {} L{} {} Z",
            c(cx),
            c(cy - r * 1.3),
            c(cx + r * 1.3),
            c(cy),
            c(cx),
            c(cy + r * 1.3),
            c(cx - r * 1.3),
            c(cy)
        ),
    }
}

/// A bar in a grouped bar chart: x, y, width, height in view-box units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// The bars of `groups` groups of `series` bars over the frame's width, each group with a
/// gap either side and a 1-unit gap between its bars (so adjacent bars never touch).
pub fn grouped_bars(
    frame: &Frame,
    groups: usize,
    series: usize,
    values: &[Vec<f64>],
    max: f64,
) -> Vec<Vec<Bar>> {
    let (left, right) = frame.x_range();
    let (bottom, top) = frame.y_range();
    let y = Scale::new((0.0, max.max(f64::MIN_POSITIVE)), (bottom, top));
    let group_width = (right - left) / groups.max(1) as f64;
    let inner = group_width * 0.8;
    let bar_width = (inner / series.max(1) as f64 - 1.0).max(0.5);
    values
        .iter()
        .enumerate()
        .map(|(group, row)| {
            row.iter()
                .enumerate()
                .map(|(index, &value)| {
                    let x = left
                        + group as f64 * group_width
                        + group_width * 0.1
                        + index as f64 * (bar_width + 1.0);
                    let top_y = y.at(value.max(0.0));
                    Bar {
                        x,
                        y: top_y,
                        width: bar_width,
                        height: bottom - top_y,
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_map_linearly_and_flip_for_the_y_axis() {
        let x = Scale::new((0.0, 10.0), (50.0, 450.0));
        assert_eq!(x.at(0.0), 50.0);
        assert_eq!(x.at(5.0), 250.0);
        let (bottom, top) = Frame::STANDARD.y_range();
        let y = Scale::new((0.0, 20.0), (bottom, top));
        assert_eq!(y.at(0.0), 248.0);
        assert_eq!(y.at(20.0), 16.0);
        assert_eq!(
            Scale::new((3.0, 3.0), (0.0, 100.0)).at(3.0),
            0.0,
            "no span: the start"
        );
    }

    #[test]
    fn ticks_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(10.0, 5), 2.0);
        assert_eq!(nice_step(7.3, 5), 2.0);
        assert_eq!(nice_step(23.0, 5), 5.0);
        assert!((nice_step(0.37, 4) - 0.1).abs() < 1e-12);
        assert_eq!(nice_max(7.3, 5), 8.0);
        assert_eq!(nice_max(0.0, 5), 1.0);
        assert_eq!(ticks(8.0, 4), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(tick_label(4.0), "4");
        assert_eq!(tick_label(0.25), "0.25");
        assert_eq!(tick_label(0.5), "0.5");
    }

    #[test]
    fn lines_and_bands_by_hand() {
        let x = Scale::new((0.0, 2.0), (0.0, 200.0));
        let y = Scale::new((0.0, 10.0), (100.0, 0.0));
        assert_eq!(
            line_path(&[(0.0, 0.0), (1.0, 5.0), (2.0, 10.0)], &x, &y),
            "M0 100 L100 50 L200 0"
        );
        assert_eq!(
            band_path(&[(0.0, 0.0, 2.0), (2.0, 4.0, 8.0)], &x, &y),
            "M0 80 L200 20 L200 60 L0 100 Z"
        );
        assert_eq!(band_path(&[(0.0, 0.0, 2.0)], &x, &y), "");
        assert_eq!(coordinate(12.345), "12.3");
    }

    #[test]
    fn markers_are_closed_shapes_around_their_centre() {
        assert_eq!(
            marker_path(Marker::Square, 10.0, 10.0, 4.0),
            "M8 8 h4 v4 h-4 Z"
        );
        assert!(marker_path(Marker::Circle, 10.0, 10.0, 4.0).starts_with("M8 10 a2 2"));
        assert!(marker_path(Marker::Triangle, 0.0, 0.0, 2.0).ends_with('Z'));
        assert!(marker_path(Marker::Diamond, 0.0, 0.0, 2.0).ends_with('Z'));
    }

    #[test]
    fn grouped_bars_fill_their_groups_without_touching() {
        let frame = Frame::STANDARD;
        let bars = grouped_bars(&frame, 2, 2, &[vec![10.0, 5.0], vec![0.0, 10.0]], 10.0);
        let (bottom, top) = frame.y_range();
        assert_eq!(bars[0][0].y, top);
        assert_eq!(bars[0][0].height, bottom - top);
        assert_eq!(bars[1][0].height, 0.0);
        assert!((bars[0][1].height - (bottom - top) / 2.0).abs() < 1e-9);
        // Bars of one group leave a gap between them; groups stay inside the frame.
        assert!(bars[0][0].x + bars[0][0].width < bars[0][1].x);
        assert!(bars[1][1].x + bars[1][1].width <= frame.x_range().1);
    }
}
