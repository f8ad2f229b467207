//! Procedure records: record one, the clinic's list, a record's detail and corrections, and
//! the patient's implant card.

pub mod card;
pub mod correct;
pub mod detail;
pub mod form;
pub mod list;
pub mod new;
pub mod outbox;
pub mod queued;

use domain::calendar::CalendarDate;
use domain::procedure::{BodySite, Laterality, ProcedureForm};

/// How an outbox item is named in lists: "Hip (left), 20 November 2026" (the date as typed
/// when it is not a date yet).
pub fn label_for(form: &ProcedureForm) -> String {
    let site = BodySite::from_code(&form.body_site).map_or("Procedure", BodySite::label);
    let side = Laterality::from_code(&form.laterality)
        .filter(|side| {
            matches!(
                side,
                Laterality::Left | Laterality::Right | Laterality::Bilateral
            )
        })
        .map(|side| format!(" ({})", side.label().to_lowercase()))
        .unwrap_or_default();
    let date = CalendarDate::from_parts(
        &form.procedure_day,
        &form.procedure_month,
        &form.procedure_year,
        "Procedure date",
    )
    .map(|date| date.to_string())
    .unwrap_or_else(|_| {
        format!(
            "{}/{}/{}",
            form.procedure_day.trim(),
            form.procedure_month.trim(),
            form.procedure_year.trim()
        )
    });
    format!("{site}{side}, {date}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_site_side_and_date_only() {
        let form = ProcedureForm {
            body_site: "knee".into(),
            laterality: "right".into(),
            procedure_day: "20".into(),
            procedure_month: "11".into(),
            procedure_year: "2026".into(),
            nhs_number: "9991234578".into(),
            ..ProcedureForm::default()
        };
        assert_eq!(label_for(&form), "Knee (right), 20 November 2026");
    }
}
