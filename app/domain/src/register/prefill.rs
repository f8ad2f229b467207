//! Forms filled in from what the register already holds: a notice's form from a saved notice
//! (to edit the draft, or to start the next version from the one in force), and a device's
//! form from a UDI a clinic scanned (for the review queue).

use super::device_form::DeviceForm;
use super::identifier::DeviceIdentifier;
use super::notice::{DateWindow, Selection};
use super::notice_text::{DateBoxes, DeviceScopeForm, NoticeDraft, NoticeForm, SelectionKind};
use crate::calendar::CalendarDate;
use crate::udi::IssuingAgency;

impl DateBoxes {
    /// The three boxes showing `date` (empty for none).
    pub fn of(date: Option<CalendarDate>) -> Self {
        match date {
            None => Self::default(),
            Some(date) => Self {
                day: date.day().to_string(),
                month: date.month().to_string(),
                year: date.year().to_string(),
            },
        }
    }
}

impl NoticeForm {
    /// The form that parses back into `draft`. `agency` tells each DI's issuing agency (the
    /// register knows it; GS1 DIs tell it themselves).
    pub fn from_draft(
        draft: &NoticeDraft,
        agency: impl Fn(&DeviceIdentifier) -> Option<IssuingAgency>,
    ) -> Self {
        let devices = draft
            .scope
            .devices
            .iter()
            .map(|device| {
                let (kind, values, first, last) = match &device.selection {
                    Selection::AllUnits => (SelectionKind::All, String::new(), "", ""),
                    Selection::Lots { lots } => {
                        (SelectionKind::Lots, lots.as_slice().join("\n"), "", "")
                    }
                    Selection::Serials { serials } => (
                        SelectionKind::Serials,
                        serials.as_slice().join("\n"),
                        "",
                        "",
                    ),
                    Selection::LotRange { range } => (
                        SelectionKind::LotRange,
                        String::new(),
                        range.first(),
                        range.last(),
                    ),
                    Selection::SerialRange { range } => (
                        SelectionKind::SerialRange,
                        String::new(),
                        range.first(),
                        range.last(),
                    ),
                };
                let window = |window: &Option<DateWindow>| match window {
                    Some(window) => (DateBoxes::of(window.from), DateBoxes::of(window.to)),
                    None => (DateBoxes::default(), DateBoxes::default()),
                };
                let (manufactured_from, manufactured_to) = window(&device.manufactured);
                let (expiry_from, expiry_to) = window(&device.expiry);
                DeviceScopeForm {
                    device_identifier: device.device_identifier.to_string(),
                    agency: agency(&device.device_identifier)
                        .or_else(|| device.device_identifier.evident_agency())
                        .map(|agency| agency.name().to_string())
                        .unwrap_or_default(),
                    selection: kind.code().to_string(),
                    values,
                    range_first: first.to_string(),
                    range_last: last.to_string(),
                    manufactured_from,
                    manufactured_to,
                    expiry_from,
                    expiry_to,
                }
            })
            .collect();
        Self {
            reference: draft.reference.clone(),
            title: draft.title.clone(),
            manufacturer_reference: draft.manufacturer_reference.clone(),
            fsn_date: DateBoxes::of(Some(draft.fsn_date)),
            problem: draft.problem.clone(),
            risk: draft.risk.clone(),
            clinic_action: draft.clinic_action.clone(),
            patient_action: draft.patient_action.clone(),
            devices,
        }
    }
}

impl DeviceForm {
    /// The register form for a device a clinic scanned but the register does not know: its DI
    /// and agency, and the catalogue number when the barcode carries one (HIBC). The rest is
    /// for the administrator to complete from the label or the maker's data.
    pub fn suggested_for(
        device_identifier: &str,
        agency: Option<&str>,
        catalogue_number: Option<&str>,
    ) -> Self {
        let agency = agency
            .and_then(super::device::agency_from_name)
            .or_else(|| {
                DeviceIdentifier::parse_stored(device_identifier)
                    .ok()
                    .and_then(|di| di.evident_agency())
            });
        Self {
            device_identifier: device_identifier.to_string(),
            agency: agency.map(|a| a.name().to_string()).unwrap_or_default(),
            catalogue_number: catalogue_number.unwrap_or_default().to_string(),
            side: "either".into(),
            status: "active".into(),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxes(day: &str, month: &str, year: &str) -> DateBoxes {
        DateBoxes {
            day: day.into(),
            month: month.into(),
            year: year.into(),
        }
    }

    fn form() -> NoticeForm {
        NoticeForm {
            reference: "FSN-2026-021".into(),
            title: "Northgate knee trays: locking screw".into(),
            manufacturer_reference: "NGO-21".into(),
            fsn_date: boxes("02", "11", "2026"),
            problem: "The screw may loosen.".into(),
            risk: "Pain; a second operation.".into(),
            clinic_action: "Review the patients.".into(),
            patient_action: "Your clinic will contact you.".into(),
            devices: vec![
                DeviceScopeForm {
                    device_identifier: "5060123450019".into(),
                    agency: "GS1".into(),
                    selection: "lot_range".into(),
                    range_first: "c100".into(),
                    range_last: "C199".into(),
                    expiry_to: boxes("31", "12", "2028"),
                    ..DeviceScopeForm::default()
                },
                DeviceScopeForm {
                    device_identifier: "M456SPC3000".into(),
                    agency: "HIBCC".into(),
                    selection: "serials".into(),
                    values: "S1, s2".into(),
                    ..DeviceScopeForm::default()
                },
                DeviceScopeForm {
                    device_identifier: "05060987650013".into(),
                    agency: "GS1".into(),
                    selection: "all".into(),
                    manufactured_from: boxes("1", "1", "2024"),
                    ..DeviceScopeForm::default()
                },
            ],
        }
    }

    #[test]
    fn a_saved_notice_fills_a_form_that_parses_back_to_it() {
        let today = CalendarDate::new(2026, 11, 23).unwrap();
        let draft = form().parse(today).unwrap();
        let hibcc =
            |di: &DeviceIdentifier| (di.as_str() == "M456SPC3000").then_some(IssuingAgency::Hibcc);
        let filled = NoticeForm::from_draft(&draft, hibcc);
        assert_eq!(filled.devices[0].range_first, "C100");
        assert_eq!(filled.devices[0].device_identifier, "05060123450019");
        assert_eq!(filled.devices[1].agency, "HIBCC");
        assert_eq!(filled.devices[1].values, "S1\nS2");
        assert_eq!(filled.fsn_date, boxes("2", "11", "2026"));
        assert_eq!(filled.parse(today).unwrap(), draft);
    }

    #[test]
    fn a_scanned_device_suggests_its_identifier_agency_and_catalogue_number() {
        let gs1 = DeviceForm::suggested_for("05060999990015", None, None);
        assert_eq!((gs1.agency.as_str(), gs1.side.as_str()), ("GS1", "either"));
        let hibc = DeviceForm::suggested_for("A123BJC51", Some("HIBCC"), Some("BJC5"));
        assert_eq!(hibc.agency, "HIBCC");
        assert_eq!(hibc.catalogue_number, "BJC5");
        // What the administrator must still give is reported by the form itself.
        let errors = hibc.parse().unwrap_err();
        assert!(errors.iter().any(|error| error.field == "brand_name"));
        assert!(
            !errors
                .iter()
                .any(|error| error.field == "device_identifier")
        );
    }
}
