//! Revision rates by device, the outlier screen, and each body site's funnel plot.

use domain::statistics::{FunnelPlot, NjrLevel, OutlierRow, funnel_ratio_limit};
use leptos::prelude::*;

use super::format::{decimal, interval, probability, years};
use super::{Column, CountText, CsvDownload, FiguresTable, NumberCell};
use crate::api::statistics::{DeviceName, StatisticsFigure, StatisticsQuery};
use crate::components::charts::funnel::FunnelChart;

/// Where a device's point lies against its funnel's limits, in words.
pub fn funnel_position(
    ratio: Option<f64>,
    component_years: f64,
    group_rate_per_100: Option<f64>,
) -> &'static str {
    let (Some(ratio), Some(rate)) = (ratio, group_rate_per_100) else {
        return "Not available";
    };
    let expected = rate / 100.0 * component_years;
    if expected <= 0.0 {
        return "Not available";
    }
    if ratio > funnel_ratio_limit(0.999, expected) {
        "Above the upper 99.8 % limit"
    } else if ratio > funnel_ratio_limit(0.975, expected) {
        "Above the upper 95 % limit"
    } else if ratio < funnel_ratio_limit(0.001, expected) {
        "Below the lower 99.8 % limit"
    } else if ratio < funnel_ratio_limit(0.025, expected) {
        "Below the lower 95 % limit"
    } else {
        "Within the 95 % limits"
    }
}

fn level(level: Option<NjrLevel>) -> &'static str {
    match level {
        Some(NjrLevel::Level1) => "Level 1",
        Some(NjrLevel::Level2) => "Level 2",
        None => "None",
    }
}

#[component]
fn RatesTable(rows: Vec<OutlierRow<DeviceName>>) -> impl IntoView {
    view! {
        <FiguresTable
            caption="Revision rates by device, against the rest of each device's body-site group"
            region="Revision rates by device, table"
            columns=&[
                Column::Words("Device"),
                Column::Words("Body site"),
                Column::Numbers("Primaries"),
                Column::Numbers("Revisions"),
                Column::Numbers("Component-years"),
                Column::Numbers("Revisions per 100 component-years"),
                Column::Words("95 % confidence interval"),
                Column::Numbers("Rest of group, per 100"),
                Column::Numbers("Ratio"),
                Column::Numbers("P-value"),
                Column::Words("NJR level"),
                Column::Words("Outlier"),
            ]
        >
            {rows.into_iter().map(|row| view! {
                <tr class="nhsuk-table__row">
                    <th scope="row" class="nhsuk-table__header app-statistics-device">{row.device_identifier.label()}</th>
                    <td class="nhsuk-table__cell">{row.body_site.label()}</td>
                    <NumberCell><CountText value=row.primaries/></NumberCell>
                    <NumberCell><CountText value=row.revisions/></NumberCell>
                    <NumberCell>{years(row.component_years)}</NumberCell>
                    <NumberCell>{decimal(row.rate_per_100)}</NumberCell>
                    <td class="nhsuk-table__cell">{interval(row.rate_lower_95, row.rate_upper_95)}</td>
                    <NumberCell>{decimal(row.group_rate_per_100)}</NumberCell>
                    <NumberCell>{decimal(row.ratio)}</NumberCell>
                    <NumberCell>{probability(row.p_value)}</NumberCell>
                    <td class="nhsuk-table__cell">{level(row.njr_level)}</td>
                    <td class="nhsuk-table__cell">
                        {if row.flagged {
                            view! { <strong class="nhsuk-tag nhsuk-tag--red">"Outlier"</strong> }.into_any()
                        } else {
                            "No".into_any()
                        }}
                    </td>
                </tr>
            }).collect_view()}
        </FiguresTable>
    }
}

#[component]
fn Funnel(plot: FunnelPlot<DeviceName>, flagged: Vec<String>) -> impl IntoView {
    let site = plot.body_site.label().to_lowercase();
    let title = format!("Each {site} device's revisions against those expected at the {site} rate");
    let subtitle = format!(
        "Observed ÷ expected revisions, where expected is every {site} primary's rate ({} per 100 component-years) times the device's component-years. The lines are 95 % and 99.8 % Poisson probability limits: a device with the site's rate falls outside them by chance 5 and 0.2 times in 100.",
        decimal(plot.group_rate_per_100)
    );
    let rows = plot.devices.clone();
    let rate = plot.group_rate_per_100;
    let caption = format!("Funnel plot figures, {site}");
    view! {
        <FunnelChart title=title subtitle=subtitle plot=plot flagged=flagged.clone()/>
        <FiguresTable
            caption=caption
            columns=&[
                Column::Words("Device"),
                Column::Numbers("Component-years"),
                Column::Numbers("Observed ÷ expected"),
                Column::Words("Against the limits"),
                Column::Words("Outlier"),
            ]
        >
            {rows.into_iter().map(|point| {
                let is_flagged = flagged.contains(&point.device_identifier.device_identifier);
                view! {
                    <tr class="nhsuk-table__row">
                        <th scope="row" class="nhsuk-table__header app-statistics-device">{point.device_identifier.label()}</th>
                        <NumberCell>{years(point.component_years)}</NumberCell>
                        <NumberCell>{decimal(point.ratio)}</NumberCell>
                        <td class="nhsuk-table__cell">{funnel_position(point.ratio, point.component_years, rate)}</td>
                        <td class="nhsuk-table__cell">{if is_flagged { "Yes" } else { "No" }}</td>
                    </tr>
                }
            }).collect_view()}
        </FiguresTable>
    }
}

#[component]
pub fn RevisionRates(
    rows: Vec<OutlierRow<DeviceName>>,
    funnels: Vec<FunnelPlot<DeviceName>>,
    #[prop(into)] query: Signal<StatisticsQuery>,
) -> impl IntoView {
    let outliers: Vec<&OutlierRow<DeviceName>> = rows.iter().filter(|row| row.flagged).collect();
    let summary = match outliers.len() {
        0 => "No device is flagged as an outlier.".to_string(),
        1 => "1 device is flagged as an outlier:".to_string(),
        n => format!("{n} devices are flagged as outliers:"),
    };
    let outlier_list = outliers
        .iter()
        .map(|row| {
            format!(
                "{} ({}, {} times the rest of its group)",
                row.device_identifier.label(),
                row.body_site.label().to_lowercase(),
                decimal(row.ratio)
            )
        })
        .collect::<Vec<_>>();
    let funnels = funnels
        .into_iter()
        .map(|plot| {
            let flagged: Vec<String> = rows
                .iter()
                .filter(|row| row.flagged && row.body_site == plot.body_site)
                .map(|row| row.device_identifier.device_identifier.clone())
                .collect();
            view! { <Funnel plot=plot flagged=flagged/> }
        })
        .collect_view();
    view! {
        <section aria-labelledby="revision-rates" class="app-statistics-section">
            <h2 id="revision-rates">"Revision rates and outliers"</h2>
            <p>"A device is flagged as an outlier when it has at least 10 linkable primaries, is revised at least twice as often per 100 component-years as the rest of its body-site group, and would be unlikely (one-sided Poisson probability below 0.05) to be revised that often at the group's rate. The national joint registry's level is given beside it."</p>
            <p>{summary}</p>
            {(!outlier_list.is_empty()).then(|| view! {
                <ul>{outlier_list.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}</ul>
            })}
            <RatesTable rows=rows/>
            <CsvDownload figure=StatisticsFigure::RevisionRates query=query label="revision rates by device"/>
            <h3>"Funnel plots"</h3>
            {funnels}
            <CsvDownload figure=StatisticsFigure::Funnel query=query label="funnel plot figures"/>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_against_the_limits() {
        // Site rate 2 per 100 over 100 component-years: 2 expected. The upper 95 % limit is
        // 2.38 (see the domain's funnel tests), the upper 99.8 % higher still.
        assert_eq!(
            funnel_position(Some(1.0), 100.0, Some(2.0)),
            "Within the 95 % limits"
        );
        assert_eq!(
            funnel_position(Some(2.5), 100.0, Some(2.0)),
            "Above the upper 95 % limit"
        );
        assert_eq!(
            funnel_position(Some(6.0), 100.0, Some(2.0)),
            "Above the upper 99.8 % limit"
        );
        assert_eq!(funnel_position(None, 100.0, Some(2.0)), "Not available");
        assert_eq!(funnel_position(Some(1.0), 0.0, Some(2.0)), "Not available");
    }
}
