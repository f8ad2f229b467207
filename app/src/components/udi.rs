//! Showing a parsed UDI: the key fields as an NHS.UK summary list, notes, and every field read.

use domain::udi::{IssuingAgency, Udi};
use leptos::prelude::*;

/// The rows a person needs first, in the order a label is read.
pub fn summary_rows(udi: &Udi) -> Vec<(&'static str, String)> {
    let mut rows = vec![(
        "Issued under",
        format!("{} ({})", udi.agency.name(), udi.form.describe()),
    )];
    let mut push = |key: &'static str, value: Option<String>| {
        if let Some(value) = value {
            rows.push((key, value));
        }
    };
    push("Device identifier (UDI-DI)", udi.device_identifier.clone());
    if udi.agency == IssuingAgency::Hibcc {
        push("Labeler code", udi.hibc.as_ref().map(|h| h.labeler.clone()));
        push(
            "Product or catalogue number",
            udi.hibc.as_ref().map(|h| h.product.clone()),
        );
    }
    push("Lot or batch number", udi.lot.clone());
    push("Serial number", udi.serial.clone());
    push("Expiry date", udi.expiry.map(|date| date.to_string()));
    push(
        "Manufacture date",
        udi.manufactured.map(|date| date.to_string()),
    );
    push("Software version", udi.software_version.clone());
    rows
}

#[component]
pub fn UdiSummary(udi: Udi, heading: &'static str) -> impl IntoView {
    let rows = summary_rows(&udi);
    let warnings = udi.warnings.clone();
    let fields = udi.fields.clone();
    view! {
        <h2>{heading}</h2>
        <dl class="nhsuk-summary-list">
            {rows
                .into_iter()
                .map(|(key, value)| {
                    view! {
                        <div class="nhsuk-summary-list__row">
                            <dt class="nhsuk-summary-list__key">{key}</dt>
                            <dd class="nhsuk-summary-list__value">{value}</dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
        {(!warnings.is_empty()).then(|| view! {
            <div class="nhsuk-inset-text">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                {warnings.into_iter().map(|warning| view! { <p>{warning}</p> }).collect_view()}
            </div>
        })}
        <table class="nhsuk-table">
            <caption class="nhsuk-table__caption nhsuk-table__caption--s">"Every field read"</caption>
            <thead class="nhsuk-table__head">
                <tr class="nhsuk-table__row">
                    <th scope="col" class="nhsuk-table__header">"Code"</th>
                    <th scope="col" class="nhsuk-table__header">"Field"</th>
                    <th scope="col" class="nhsuk-table__header">"Value"</th>
                </tr>
            </thead>
            <tbody class="nhsuk-table__body">
                {fields
                    .into_iter()
                    .map(|field| view! {
                        <tr class="nhsuk-table__row">
                            <td class="nhsuk-table__cell">{field.code}</td>
                            <td class="nhsuk-table__cell">{field.label}</td>
                            <td class="nhsuk-table__cell app-udi-value">{field.value}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::udi::{ParseOptions, parse};

    #[test]
    fn rows_show_what_was_read_in_plain_words() {
        let udi = parse(
            "(01)09506000134352(17)270630(10)AB12",
            &ParseOptions::new(2026),
        )
        .unwrap();
        let rows = summary_rows(&udi);
        assert_eq!(
            rows,
            vec![
                ("Issued under", "GS1 (GS1 human-readable text)".to_string()),
                ("Device identifier (UDI-DI)", "09506000134352".to_string()),
                ("Lot or batch number", "AB12".to_string()),
                ("Expiry date", "30 June 2027".to_string()),
            ]
        );
    }
}
