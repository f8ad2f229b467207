//! Funnel plots: each device's ratio of observed to expected revisions against its
//! component-years, between the 95 % and 99.8 % probability limits; outliers as labelled
//! triangles.

use domain::statistics::{FunnelLimit, FunnelPlot};
use leptos::prelude::*;

use super::geometry::{Frame, Marker, Scale, line_path, marker_path, nice_max, tick_label, ticks};
use super::palette::{BACKGROUND, INK, SeriesStyle};
use super::{ChartFigure, line_swatch, series_swatch, x_axis, y_axis};
use crate::api::statistics::DeviceName;

const DEVICE: SeriesStyle = SeriesStyle {
    marker: Marker::Circle,
    ..super::palette::SERIES[0]
};
const FLAGGED: SeriesStyle = SeriesStyle {
    marker: Marker::Triangle,
    ..super::palette::SERIES[3]
};

/// The y axis's top: every device's ratio fits, and at least 2 (twice the site's rate).
pub fn ratio_top(plot: &FunnelPlot<DeviceName>) -> f64 {
    let highest = plot
        .devices
        .iter()
        .filter_map(|point| point.ratio)
        .fold(2.0, f64::max);
    nice_max(highest * 1.05, 5)
}

/// One limit curve, its values kept inside the chart (a limit beyond the top runs along it).
pub fn limit_points(
    limits: &[FunnelLimit],
    top: f64,
    pick: fn(&FunnelLimit) -> f64,
) -> Vec<(f64, f64)> {
    limits
        .iter()
        .map(|limit| (limit.component_years, pick(limit).clamp(0.0, top)))
        .collect()
}

/// A short name for a label on the chart.
pub fn short_name(device: &DeviceName) -> String {
    let name = device
        .name
        .clone()
        .unwrap_or_else(|| device.device_identifier.clone());
    let mut short: String = name.chars().take(28).collect();
    if name.chars().count() > 28 {
        short.push('…');
    }
    short
}

#[component]
pub fn FunnelChart(
    #[prop(into)] title: String,
    #[prop(into)] subtitle: String,
    plot: FunnelPlot<DeviceName>,
    /// The identifiers of the devices flagged at this site.
    flagged: Vec<String>,
) -> impl IntoView {
    let frame = Frame::STANDARD;
    let widest = plot
        .devices
        .iter()
        .map(|point| point.component_years)
        .fold(0.0, f64::max);
    let x_top = nice_max(widest, 5);
    let top = ratio_top(&plot);
    let x = Scale::new((0.0, x_top), frame.x_range());
    let y = Scale::new((0.0, top), frame.y_range());
    let x_labels = ticks(x_top, 4)
        .into_iter()
        .map(|value| (value, tick_label(value)))
        .collect();
    let (left, right) = frame.x_range();
    let target = y.at(1.0);
    let curves: Vec<(Vec<(f64, f64)>, &'static str)> = vec![
        (
            limit_points(&plot.limits, top, |limit| limit.upper_95),
            "6 4",
        ),
        (
            limit_points(&plot.limits, top, |limit| limit.lower_95),
            "6 4",
        ),
        (
            limit_points(&plot.limits, top, |limit| limit.upper_998),
            "2 3",
        ),
        (
            limit_points(&plot.limits, top, |limit| limit.lower_998),
            "2 3",
        ),
    ];
    let legend = vec![
        ("Device".to_string(), series_swatch(DEVICE)),
        (
            "Flagged as an outlier (labelled)".to_string(),
            series_swatch(FLAGGED),
        ),
        ("Site's rate (ratio 1)".to_string(), line_swatch("")),
        ("95 % limits".to_string(), line_swatch("6 4")),
        ("99.8 % limits".to_string(), line_swatch("2 3")),
    ];
    let label = format!("{title}. The figures are in the table below the chart.");
    let points = plot
        .devices
        .into_iter()
        .filter_map(|point| point.ratio.map(|ratio| (point, ratio)))
        .map(|(point, ratio)| {
            let is_flagged = flagged.contains(&point.device_identifier.device_identifier);
            let style = if is_flagged { FLAGGED } else { DEVICE };
            let (cx, cy) = (x.at(point.component_years), y.at(ratio.min(top)));
            let name = is_flagged.then(|| short_name(&point.device_identifier));
            // Labels go left of points in the right half, so they stay inside the frame.
            let anchor = if cx > (left + right) / 2.0 { "end" } else { "start" };
            let label_x = if anchor == "end" { cx - 8.0 } else { cx + 8.0 };
            view! {
                <path d=marker_path(style.marker, cx, cy, if is_flagged { 10.0 } else { 7.0 }) fill=style.colour stroke=BACKGROUND stroke-width="1"/>
                {name.map(|name| view! {
                    <text x=label_x y=cy + 4.0 text-anchor=anchor fill=INK font-size="12" font-weight="bold">{name}</text>
                })}
            }
        })
        .collect_view();
    view! {
        <ChartFigure title=title subtitle=subtitle legend=legend>
            <svg class="app-chart__plot" viewBox=frame.view_box() role="img" aria-label=label>
                {y_axis(&frame, top, "Observed ÷ expected revisions")}
                {x_axis(&frame, &x, x_labels, "Component-years at risk")}
                <line x1=left x2=right y1=target y2=target stroke=INK stroke-width="1.5"/>
                {curves.into_iter().map(|(curve, dashes)| view! {
                    <path d=line_path(&curve, &x, &y) fill="none" stroke=INK stroke-width="1.5" stroke-dasharray=dashes/>
                }).collect_view()}
                {points}
            </svg>
        </ChartFigure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::procedure::BodySite;
    use domain::statistics::FunnelPoint;

    fn device(name: &str, ratio: Option<f64>) -> FunnelPoint<DeviceName> {
        FunnelPoint {
            device_identifier: DeviceName {
                device_identifier: "05060099000119".into(),
                name: Some(name.into()),
                manufacturer: None,
            },
            component_years: 100.0,
            ratio,
        }
    }

    #[test]
    fn the_top_holds_every_ratio_and_limits_stay_inside() {
        let plot = FunnelPlot {
            body_site: BodySite::Hip,
            group_rate_per_100: Some(1.0),
            devices: vec![device("A", Some(3.4)), device("B", None)],
            limits: vec![FunnelLimit {
                component_years: 10.0,
                expected_revisions: 0.1,
                lower_998: 0.0,
                lower_95: 0.0,
                upper_95: 25.0,
                upper_998: 60.0,
            }],
        };
        assert_eq!(ratio_top(&plot), 4.0);
        assert_eq!(
            limit_points(&plot.limits, 4.0, |limit| limit.upper_998),
            vec![(10.0, 4.0)]
        );
        let long = device("Meridian II highly cross-linked liner, 32 mm", None);
        assert_eq!(
            short_name(&long.device_identifier),
            "Meridian II highly cross-lin…"
        );
    }
}
