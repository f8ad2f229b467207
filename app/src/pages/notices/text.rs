//! A notice's text as clinics and patients read it, and the devices it names: shown on the
//! registry's review page and on the clinic's page, so both see the same words.

use domain::register::{DateWindow, Selection};
use leptos::prelude::*;

use crate::api::notices::NoticeContent;

/// Which units of a device, in words.
pub fn units(selection: &Selection) -> String {
    match selection {
        Selection::AllUnits => "All units".into(),
        Selection::Lots { lots } => format!("Lots {}", lots.as_slice().join(", ")),
        Selection::Serials { serials } => {
            format!("Serial numbers {}", serials.as_slice().join(", "))
        }
        Selection::LotRange { range } => format!("Lots {} to {}", range.first(), range.last()),
        Selection::SerialRange { range } => {
            format!("Serial numbers {} to {}", range.first(), range.last())
        }
    }
}

/// A date window in words, e.g. "made from 1 January 2024".
pub fn window(what: &str, window: &Option<DateWindow>) -> Option<String> {
    let window = window.as_ref()?;
    Some(match (window.from, window.to) {
        (Some(from), Some(to)) => format!("{what} from {from} to {to}"),
        (Some(from), None) => format!("{what} from {from}"),
        (None, Some(to)) => format!("{what} up to {to}"),
        (None, None) => return None,
    })
}

/// Paragraphs as typed (blank lines between them).
fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.split("\n\n")
        .map(|paragraph| paragraph.trim().to_string())
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| view! { <p>{paragraph}</p> })
        .collect_view()
}

#[component]
pub fn NoticeText(content: NoticeContent, #[prop(default = 2)] level: u8) -> impl IntoView {
    let heading = move |text: &'static str| match level {
        2 => view! { <h2>{text}</h2> }.into_any(),
        _ => view! { <h3>{text}</h3> }.into_any(),
    };
    view! {
        <p class="nhsuk-body-s">{format!("Manufacturer's notice {} of {}.", content.manufacturer_reference, content.fsn_date)}</p>
        {heading("The problem")}
        {paragraphs(&content.problem)}
        {heading("The risk")}
        {paragraphs(&content.risk)}
        {heading("What clinics must do")}
        {paragraphs(&content.clinic_action)}
        {heading("What patients should do")}
        <div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">"Advice for patients: "</span>{paragraphs(&content.patient_action)}</div>
        <table class="nhsuk-table-responsive">
            <caption class="nhsuk-table__caption">"Devices this notice concerns"</caption>
            <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                <th scope="col" class="nhsuk-table__header">"Device"</th>
                <th scope="col" class="nhsuk-table__header">"Device identifier"</th>
                <th scope="col" class="nhsuk-table__header">"Units concerned"</th>
            </tr></thead>
            <tbody class="nhsuk-table__body">
                {content.scope.devices.iter().zip(content.devices.iter()).map(|(scope, named)| {
                    let mut concerned = vec![units(&scope.selection)];
                    concerned.extend(window("made", &scope.manufactured));
                    concerned.extend(window("expiring", &scope.expiry));
                    view! {
                        <tr class="nhsuk-table__row">
                            <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Device "</span>
                                {if named.manufacturer.is_empty() { named.name.clone() } else { format!("{} ({})", named.name, named.manufacturer) }}</td>
                            <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Device identifier "</span>{named.device_identifier.clone()}</td>
                            <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">"Units concerned "</span>{concerned.join("; ")}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::calendar::CalendarDate;
    use domain::register::{CodeKind, CodeRange};

    #[test]
    fn units_and_windows_read_plainly() {
        let range = CodeRange::new("c100", "C199", CodeKind::Lot).unwrap();
        assert_eq!(units(&Selection::LotRange { range }), "Lots C100 to C199");
        let window_of = DateWindow {
            from: CalendarDate::new(2024, 1, 1),
            to: None,
        };
        assert_eq!(
            window("made", &Some(window_of)).unwrap(),
            "made from 1 January 2024"
        );
        assert_eq!(window("made", &None), None);
    }
}
