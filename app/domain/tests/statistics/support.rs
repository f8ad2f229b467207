//! The procedures the statistics tests build their cases from.

use domain::calendar::CalendarDate;
use domain::procedure::{BodySite, Laterality, ProcedureType};
use domain::statistics::{
    AnalysisSet, ClinicKey, ComponentTally, Count, DAYS_PER_YEAR, DeviceKey, PatientKey,
    ProcedureEvent,
};

use ProcedureType::Primary;

pub fn date(iso: &str) -> CalendarDate {
    CalendarDate::from_iso(iso).unwrap()
}

pub struct Record {
    pub id: i64,
    pub patient: Option<u64>,
    pub on: &'static str,
    pub kind: ProcedureType,
    pub site: BodySite,
    pub side: Laterality,
    pub devices: Vec<u32>,
}

impl Record {
    /// A left hip procedure without a pseudonym or devices: each test sets what it is about.
    pub fn left_hip(id: i64, on: &'static str, kind: ProcedureType) -> Self {
        Self {
            id,
            patient: None,
            on,
            kind,
            site: BodySite::Hip,
            side: Laterality::Left,
            devices: vec![],
        }
    }
}

pub fn procedure(record: Record) -> ProcedureEvent {
    ProcedureEvent {
        procedure_id: record.id,
        patient: record.patient.map(PatientKey),
        date: date(record.on),
        kind: record.kind,
        body_site: record.site,
        laterality: record.side,
        clinic: ClinicKey(1),
        devices: record.devices.into_iter().map(DeviceKey).collect(),
        components: ComponentTally::default(),
    }
}

/// Patient 1's procedure; each primary gets its own device so its follow-up can be read
/// back through `follow_up`.
pub fn of_patient_1(
    id: i64,
    on: &'static str,
    kind: ProcedureType,
    site: BodySite,
    side: Laterality,
) -> ProcedureEvent {
    procedure(Record {
        patient: Some(1),
        site,
        side,
        devices: if kind == Primary {
            vec![id as u32]
        } else {
            vec![]
        },
        ..Record::left_hip(id, on, kind)
    })
}

/// (days followed, revised) of the primary carrying `device`.
pub fn follow_up(set: &AnalysisSet, device: u32) -> (i32, bool) {
    let rate = set.revision_rate_for_device(DeviceKey(device));
    let followed = (rate.component_years * DAYS_PER_YEAR).round() as i32;
    (followed, rate.revisions == Count::Shown(1))
}

/// The primary carrying `device` was followed for `days` and revised (or not), for `why`.
pub fn assert_followed(set: &AnalysisSet, device: u32, (days, revised): (i32, bool), why: &str) {
    assert_eq!(follow_up(set, device), (days, revised), "{why}");
}
