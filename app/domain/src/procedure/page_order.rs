//! Where each field of the procedure form is on the page, so that problems are listed in the
//! order a person meets the fields (the error summary follows the page, top to bottom).

use crate::forms::FieldError;

/// The form's fields from top to bottom. Components sit at `components`, each in turn; the
/// warnings to confirm come after the patient's details ("Check before you submit").
const FIELDS: &[&str] = &[
    "site_id",
    "consultant_gmc",
    "procedure_date",
    "procedure_type",
    "revision_reasons",
    "body_site",
    "laterality",
    "components",
    "consent",
    "nhs_number",
    "date_of_birth",
    "year_of_birth",
    "sex",
    "postcode_district",
    "warning",
    "acknowledged_warnings",
    "correction_reason",
];

/// A component's fields, in the order they appear in its box.
const COMPONENT_PARTS: &[&str] = &[
    "udi",
    "no-barcode",
    "manufacturer",
    "catalogue",
    "lot",
    "serial",
];

/// Where `field` is on the page: (its place among the form's fields, the component's number,
/// the place of the component's part). Unknown fields go last.
pub fn position(field: &str) -> (usize, usize, usize) {
    let place = |name: &str| {
        FIELDS
            .iter()
            .position(|known| *known == name)
            .unwrap_or(FIELDS.len())
    };
    if let Some(rest) = field.strip_prefix("component-")
        && let Some((index, part)) = rest.split_once('-')
        && let Ok(index) = index.parse::<usize>()
    {
        let part = COMPONENT_PARTS
            .iter()
            .position(|known| *known == part)
            .unwrap_or(COMPONENT_PARTS.len());
        // "components" itself (none at all, too many) comes before the first component.
        return (place("components"), index + 1, part);
    }
    if field.starts_with("warning-") {
        return (place("warning"), 0, 0);
    }
    (place(field), 0, 0)
}

/// Puts problems in page order. Problems about one field keep their order (the sort is
/// stable), so warnings stay in the order the rules found them.
pub fn sort_in_page_order(errors: &mut [FieldError]) {
    errors.sort_by_key(|error| position(&error.field));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|error| error.field.as_str()).collect()
    }

    #[test]
    fn problems_follow_the_page_from_top_to_bottom() {
        let mut errors: Vec<FieldError> = [
            "postcode_district",
            "warning-side-0",
            "component-1-udi",
            "procedure_date",
            "component-0-lot",
            "components",
            "consultant_gmc",
            "component-0-udi",
            "nhs_number",
            "site_id",
            "correction_reason",
            "warning-expired-0",
        ]
        .into_iter()
        .map(|field| FieldError::new(field, "x"))
        .collect();
        sort_in_page_order(&mut errors);
        assert_eq!(
            fields(&errors),
            [
                "site_id",
                "consultant_gmc",
                "procedure_date",
                "components",
                "component-0-udi",
                "component-0-lot",
                "component-1-udi",
                "nhs_number",
                "postcode_district",
                "warning-side-0",
                "warning-expired-0",
                "correction_reason",
            ]
        );
    }

    #[test]
    fn component_ten_comes_after_component_two() {
        assert!(position("component-9-udi") > position("component-1-serial"));
        assert!(position("component-0-serial") > position("component-0-udi"));
    }

    #[test]
    fn unknown_fields_go_last_and_keep_their_order() {
        let mut errors = vec![
            FieldError::new("outbox", "first"),
            FieldError::new("site_id", "site"),
            FieldError::new("outbox", "second"),
        ];
        sort_in_page_order(&mut errors);
        assert_eq!(fields(&errors), ["site_id", "outbox", "outbox"]);
        assert_eq!(errors[2].message, "second");
    }
}
