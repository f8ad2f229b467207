//! Records and devices the procedure tests share.

use super::*;
use crate::calendar::CalendarDate;
use crate::forms::FieldError;
use crate::pseudonym::Pseudonym;
use crate::udi::gtin::Gtin;

pub fn today() -> CalendarDate {
    CalendarDate::new(2026, 11, 23).unwrap()
}

/// A GTIN-14 with a computed check digit.
pub fn gtin(first_thirteen: &str) -> String {
    let digits: Vec<u8> = first_thirteen.bytes().map(|b| b - b'0').collect();
    Gtin::from_digits_without_check(digits.try_into().unwrap()).to_gtin14()
}

pub fn udi(first_thirteen: &str, expiry: &str, lot: &str) -> String {
    format!("(01){}(17){expiry}(10){lot}", gtin(first_thirteen))
}

pub fn form() -> ProcedureForm {
    ProcedureForm {
        site_id: "3".into(),
        consultant_gmc: "1234567".into(),
        procedure_day: "20".into(),
        procedure_month: "11".into(),
        procedure_year: "2026".into(),
        procedure_type: "primary".into(),
        body_site: "hip".into(),
        laterality: "left".into(),
        components: vec![
            ComponentForm {
                udi: udi("0506000134001", "281231", "STEM1"),
                ..ComponentForm::default()
            },
            ComponentForm {
                udi: udi("0506000134002", "281231", "CUP1"),
                ..ComponentForm::default()
            },
        ],
        consent: "given".into(),
        nhs_number: "999 123 4578".into(),
        birth_day: "13".into(),
        birth_month: "5".into(),
        birth_year: "1960".into(),
        sex: "female".into(),
        postcode_district: "ls1".into(),
        ..ProcedureForm::default()
    }
}

pub fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|error| error.field.as_str()).collect()
}

pub fn manual(lot: &str) -> ComponentEntry {
    ComponentEntry {
        identity: ComponentIdentity::Manual {
            manufacturer: "Acme Orthopaedics".into(),
            catalogue_number: "REF-1".into(),
            lot: lot.into(),
            serial: String::new(),
        },
    }
}

/// The form's record as the server receives it: with a pseudonym.
pub fn submission() -> Submission {
    let mut submission = form().parse("k", today()).unwrap().submission;
    submission.pseudonym = Some(Pseudonym::try_from("ab".repeat(32)).unwrap());
    submission
}

pub fn context() -> CheckContext {
    CheckContext {
        today: Some(today()),
        devices: Default::default(),
    }
}

pub fn facts(
    first_thirteen: &str,
    manufacturer: &str,
    side: Option<Laterality>,
) -> (String, DeviceFacts) {
    let di = gtin(first_thirteen);
    (
        di.clone(),
        DeviceFacts {
            device_identifier: di,
            manufacturer: manufacturer.into(),
            name: format!("{manufacturer} component"),
            side,
            body_site: Some(BodySite::Hip),
            status: crate::register::RegisterStatus::Active,
        },
    )
}
