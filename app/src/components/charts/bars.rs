//! Grouped bar charts (procedures by year and body site). Each series' bars have their own
//! fill pattern as well as their colour, and a gap separates neighbouring bars.

use leptos::prelude::*;

use super::geometry::{Frame, Scale, grouped_bars, nice_max};
use super::palette::{BACKGROUND, SeriesStyle, series};
use super::{ChartFigure, bar_swatch, x_axis, y_axis};

/// The SVG patterns the series' bars are filled with, ids prefixed by the chart's own.
fn patterns(prefix: &str, styles: &[SeriesStyle]) -> impl IntoView + use<> {
    let prefix = prefix.to_string();
    styles
        .iter()
        .map(|style| {
            let id = format!("{prefix}-{}", style.pattern);
            let colour = style.colour;
            // Solid, diagonal hatching, dots, cross-hatching: told apart in black and white.
            let marks = match style.pattern {
                "app-chart-hatch" => view! { <path d="M0 6 L6 0 M-1 1 L1 -1 M5 7 L7 5" stroke=BACKGROUND stroke-width="1.5"/> }.into_any(),
                "app-chart-dots" => view! { <circle cx="3" cy="3" r="1.3" fill=BACKGROUND/> }.into_any(),
                "app-chart-cross" => view! { <path d="M0 3 H6 M3 0 V6" stroke=BACKGROUND stroke-width="1.2"/> }.into_any(),
                _ => ().into_any(),
            };
            view! {
                <pattern id=id width="6" height="6" patternUnits="userSpaceOnUse">
                    <rect width="6" height="6" fill=colour/>
                    {marks}
                </pattern>
            }
        })
        .collect_view()
}

#[component]
pub fn BarChart(
    /// Unique on the page: prefixes the fill patterns' ids.
    #[prop(into)]
    id: String,
    #[prop(into)] title: String,
    #[prop(into)] subtitle: String,
    #[prop(into)] x_label: String,
    #[prop(into)] y_label: String,
    /// The groups' labels (years), in order.
    categories: Vec<String>,
    /// Each series' label and its value in every group.
    series_list: Vec<(String, Vec<f64>)>,
) -> impl IntoView {
    let frame = Frame::STANDARD;
    let styles: Vec<SeriesStyle> = (0..series_list.len()).map(series).collect();
    let values: Vec<Vec<f64>> = (0..categories.len())
        .map(|group| {
            series_list
                .iter()
                .map(|(_, values)| values.get(group).copied().unwrap_or(0.0))
                .collect()
        })
        .collect();
    let highest = values.iter().flatten().copied().fold(0.0, f64::max);
    let top = nice_max(highest, 5);
    let bars = grouped_bars(&frame, categories.len(), series_list.len(), &values, top);
    // Label every year when there is room, else every other or every fifth.
    let step = match categories.len() {
        0..=8 => 1,
        9..=16 => 2,
        _ => 5,
    };
    let (left, right) = frame.x_range();
    let group_width = (right - left) / categories.len().max(1) as f64;
    let centre = Scale::new(
        (0.0, 1.0),
        (left + group_width / 2.0, left + group_width * 1.5),
    );
    let labels = categories
        .iter()
        .enumerate()
        .filter(|(index, _)| index % step == 0 || *index + 1 == categories.len())
        .map(|(index, label)| (index as f64, label.clone()))
        .collect();
    let legend = series_list
        .iter()
        .zip(&styles)
        .map(|((label, _), style)| (label.clone(), bar_swatch(&id, *style)))
        .collect();
    let label = format!("{title}. The figures are in the table below the chart.");
    view! {
        <ChartFigure title=title subtitle=subtitle legend=legend>
            <svg class="app-chart__plot" viewBox=frame.view_box() role="img" aria-label=label>
                <defs>{patterns(&id, &styles)}</defs>
                {y_axis(&frame, top, &y_label)}
                {bars.into_iter().flat_map(|group| group.into_iter().enumerate()).map(|(index, bar)| {
                    let fill = format!("url(#{id}-{})", styles[index].pattern);
                    view! {
                        <rect x=bar.x y=bar.y width=bar.width height=bar.height fill=fill stroke=styles[index].colour stroke-width="0.5"/>
                    }
                }).collect_view()}
                {x_axis(&frame, &centre, labels, &x_label)}
            </svg>
        </ChartFigure>
    }
}
