//! Hand-made SVG charts, drawn from figures the server has already worked out.
//!
//! Every chart is a `<figure>` with a headline title and a subtitle saying how the figures
//! are made, a legend in HTML (each entry shows its colour, line pattern and marker, so that
//! nothing depends on colour), and the SVG itself, labelled as an image whose figures are in
//! the table that the page puts next to it. Nothing is shown on hover only: there are no
//! tooltips, and flagged points carry their label on the chart. Geometry is in [`geometry`],
//! styles and their contrast checks in [`palette`].

pub mod bars;
pub mod funnel;
pub mod geometry;
pub mod line;
pub mod palette;

use leptos::prelude::*;

use geometry::{Frame, Scale, marker_path, tick_label, ticks};
use palette::{GRID, INK, SeriesStyle};

/// The frame of a chart: title, method subtitle, legend, then the drawing.
#[component]
pub fn ChartFigure(
    #[prop(into)] title: String,
    #[prop(into)] subtitle: String,
    /// Each entry's text and swatch (see [`series_swatch`], [`bar_swatch`], [`line_swatch`]).
    legend: Vec<(String, AnyView)>,
    children: Children,
) -> impl IntoView {
    view! {
        <figure class="app-chart">
            <figcaption class="app-chart__caption">
                <p class="app-chart__title">{title}</p>
                <p class="app-chart__subtitle">{subtitle}</p>
            </figcaption>
            <ul class="app-chart__legend" aria-label="Key">
                {legend.into_iter().map(|(label, swatch)| view! {
                    <li>{swatch}{label}</li>
                }).collect_view()}
            </ul>
            {children()}
        </figure>
    }
}

/// A short stretch of a series' line with its marker.
pub fn series_swatch(style: SeriesStyle) -> AnyView {
    view! {
        <svg class="app-chart__swatch" viewBox="0 0 40 16" width="40" height="16" aria-hidden="true" focusable="false">
            <line x1="2" y1="8" x2="38" y2="8" stroke=style.colour stroke-width="3" stroke-dasharray=style.dashes/>
            <path d=marker_path(style.marker, 20.0, 8.0, 8.0) fill=style.colour stroke=palette::BACKGROUND stroke-width="1"/>
        </svg>
    }
    .into_any()
}

/// A patch of a bar series' fill (its pattern is defined in the chart `chart_id`).
pub fn bar_swatch(chart_id: &str, style: SeriesStyle) -> AnyView {
    let fill = format!("url(#{chart_id}-{})", style.pattern);
    view! {
        <svg class="app-chart__swatch" viewBox="0 0 24 16" width="24" height="16" aria-hidden="true" focusable="false">
            <rect x="1" y="1" width="22" height="14" fill=fill stroke=style.colour stroke-width="1"/>
        </svg>
    }
    .into_any()
}

/// A reference line's swatch (dashed or dotted, in the ink colour).
pub fn line_swatch(dashes: &'static str) -> AnyView {
    view! {
        <svg class="app-chart__swatch" viewBox="0 0 40 16" width="40" height="16" aria-hidden="true" focusable="false">
            <line x1="2" y1="8" x2="38" y2="8" stroke=INK stroke-width="2" stroke-dasharray=dashes/>
        </svg>
    }
    .into_any()
}

/// A band's swatch.
pub fn band_swatch(colour: &'static str) -> AnyView {
    view! {
        <svg class="app-chart__swatch" viewBox="0 0 40 16" width="40" height="16" aria-hidden="true" focusable="false">
            <rect x="2" y="2" width="36" height="12" fill=colour fill-opacity="0.2" stroke=colour stroke-width="1"/>
        </svg>
    }
    .into_any()
}

/// Horizontal grid lines with their labels, and the y axis's title.
pub fn y_axis(frame: &Frame, max: f64, label: &str) -> impl IntoView + use<> {
    let (bottom, top) = frame.y_range();
    let y = Scale::new((0.0, max), (bottom, top));
    let (left, right) = frame.x_range();
    let middle = (bottom + top) / 2.0;
    let label = label.to_string();
    view! {
        <g class="app-chart__axis">
            {ticks(max, 5).into_iter().map(|value| {
                let at = y.at(value);
                view! {
                    <line x1=left x2=right y1=at y2=at stroke=GRID stroke-width="1"/>
                    <text x=left - 6.0 y=at + 4.0 text-anchor="end" fill=INK font-size="13">{tick_label(value)}</text>
                }
            }).collect_view()}
            <text
                x="14"
                y=middle
                fill=INK
                font-size="13"
                text-anchor="middle"
                transform=format!("rotate(-90 14 {middle})")
            >
                {label}
            </text>
        </g>
    }
}

/// The x axis: its line, labels at `values` and its title.
pub fn x_axis(
    frame: &Frame,
    scale: &Scale,
    values: Vec<(f64, String)>,
    label: &str,
) -> impl IntoView + use<> {
    let (bottom, _) = frame.y_range();
    let (left, right) = frame.x_range();
    let scale = *scale;
    let label = label.to_string();
    view! {
        <g class="app-chart__axis">
            <line x1=left x2=right y1=bottom y2=bottom stroke=INK stroke-width="1"/>
            {values.into_iter().map(|(value, text)| {
                let at = scale.at(value);
                view! {
                    <line x1=at x2=at y1=bottom y2=bottom + 4.0 stroke=INK stroke-width="1"/>
                    <text x=at y=bottom + 18.0 text-anchor="middle" fill=INK font-size="13">{text}</text>
                }
            }).collect_view()}
            <text x=(left + right) / 2.0 y=frame.height - 8.0 text-anchor="middle" fill=INK font-size="13">{label}</text>
        </g>
    }
}
