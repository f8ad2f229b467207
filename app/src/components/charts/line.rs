//! Line charts: survival curves (cumulative percent revised by year, with their 95 %
//! confidence bands) and completeness over time.

use leptos::prelude::*;

use super::geometry::{Frame, Scale, band_path, line_path, marker_path, nice_max, tick_label};
use super::palette::{BACKGROUND, series};
use super::{ChartFigure, band_swatch, series_swatch, x_axis, y_axis};

/// One line: its points and, optionally, a band (x, lower, upper) drawn behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct LineSeries {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    pub band: Vec<(f64, f64, f64)>,
}

/// The chart's scales: x from `x_min` to `x_max`, y from 0 to a nice value above every
/// point and band (or `y_max` when given).
pub fn scales(
    frame: &Frame,
    series: &[LineSeries],
    x_min: f64,
    x_max: f64,
    y_max: Option<f64>,
) -> (Scale, Scale, f64) {
    let highest = series
        .iter()
        .flat_map(|line| {
            line.points
                .iter()
                .map(|point| point.1)
                .chain(line.band.iter().map(|band| band.2))
        })
        .fold(0.0, f64::max);
    let top = y_max.unwrap_or_else(|| nice_max(highest, 5));
    let x = Scale::new((x_min, x_max), frame.x_range());
    let y = Scale::new((0.0, top), frame.y_range());
    (x, y, top)
}

#[component]
pub fn LineChart(
    #[prop(into)] title: String,
    #[prop(into)] subtitle: String,
    #[prop(into)] x_label: String,
    #[prop(into)] y_label: String,
    series_list: Vec<LineSeries>,
    x_min: f64,
    x_max: f64,
    /// Labels on the x axis: (value, text).
    x_labels: Vec<(f64, String)>,
    #[prop(optional)] y_max: Option<f64>,
    /// What the bands are, for the legend ("95 % confidence band"); none when empty.
    #[prop(optional, into)]
    band_label: String,
) -> impl IntoView {
    let frame = Frame::STANDARD;
    let (x, y, top) = scales(&frame, &series_list, x_min, x_max, y_max);
    let mut legend: Vec<(String, AnyView)> = series_list
        .iter()
        .enumerate()
        .map(|(index, line)| (line.label.clone(), series_swatch(series(index))))
        .collect();
    if series_list.iter().any(|line| line.band.len() > 1) && !band_label.is_empty() {
        legend.push((band_label, band_swatch(series(0).colour)));
    }
    let label = format!("{title}. The figures are in the table below the chart.");
    view! {
        <ChartFigure title=title subtitle=subtitle legend=legend>
            <svg class="app-chart__plot" viewBox=frame.view_box() role="img" aria-label=label preserveAspectRatio="xMidYMid meet">
                {y_axis(&frame, top, &y_label)}
                {x_axis(&frame, &x, x_labels, &x_label)}
                {series_list.iter().enumerate().map(|(index, line)| {
                    let style = series(index);
                    view! {
                        <path d=band_path(&line.band, &x, &y) fill=style.colour fill-opacity="0.15" stroke="none"/>
                    }
                }).collect_view()}
                {series_list.into_iter().enumerate().map(|(index, line)| {
                    let style = series(index);
                    let markers = line.points.iter().map(|&(px, py)| view! {
                        <path d=marker_path(style.marker, x.at(px), y.at(py), 7.0) fill=style.colour stroke=BACKGROUND stroke-width="1"/>
                    }).collect_view();
                    view! {
                        <path d=line_path(&line.points, &x, &y) fill="none" stroke=style.colour stroke-width="2.5" stroke-dasharray=style.dashes stroke-linejoin="round"/>
                        {markers}
                    }
                }).collect_view()}
            </svg>
        </ChartFigure>
    }
}

/// Labels every `every` from `from` to `to` (whole numbers).
pub fn every(from: f64, to: f64, every: f64) -> Vec<(f64, String)> {
    let mut labels = Vec::new();
    let mut value = from;
    while value <= to + 1e-9 {
        labels.push((value, tick_label(value)));
        value += every;
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_y_axis_holds_every_point_and_band() {
        let line = LineSeries {
            label: "Hip".into(),
            points: vec![(0.0, 0.0), (1.0, 1.2), (2.0, 2.4)],
            band: vec![(0.0, 0.0, 0.0), (1.0, 0.8, 1.7), (2.0, 1.9, 3.1)],
        };
        let (_, y, top) = scales(&Frame::STANDARD, &[line], 0.0, 20.0, None);
        assert_eq!(top, 4.0);
        assert_eq!(y.at(4.0), Frame::STANDARD.top);
        let (_, _, fixed) = scales(&Frame::STANDARD, &[], 0.0, 1.0, Some(100.0));
        assert_eq!(fixed, 100.0);
        assert_eq!(
            every(0.0, 10.0, 5.0),
            vec![(0.0, "0".into()), (5.0, "5".into()), (10.0, "10".into())]
        );
    }
}
