//! A synthetic registry for demonstrations, tests and benchmarks (issue 14): about fifteen
//! years of hip, knee and breast procedures in twelve invented clinics, with an invented
//! device register, filled into an empty database.
//!
//! - [`catalogue`]: the clinics and devices (fixed data).
//! - [`generator`]: the procedures, from a seeded ChaCha8 generator: the same seed and end
//!   date always give the same registry, on any machine.
//! - [`load`]: writes them through `db::synthetic` in large transactions.
//!
//! How the data behaves: primaries grow in number year on year; about 93 % of patients consent
//! (so have a pseudonym), less in cosmetic clinics; each primary's time to revision is drawn
//! from its construct's hazard (the site's base hazard times its worst component's relative
//! hazard, with a small early-failure share), so a few devices are clearly worse than their
//! group; some patients have their other side done later, a few have a second primary on the
//! same side with no revision recorded, and a few have a revision with no primary in the
//! registry (done before it began). About 5 % of components have no lot or serial number.

pub mod catalogue;
pub mod generator;
pub mod load;

use domain::calendar::CalendarDate;
use domain::procedure::{BodySite, Laterality, ProcedureType, RevisionReason, Sex};

pub use generator::Generator;
pub use load::{SyntheticError, SyntheticSummary, fill, fill_with};

/// How large a registry to make, from which seed, ending on which day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Procedures in all (primaries, revisions and removals).
    pub procedures: u64,
    pub seed: u64,
    /// The last day procedures happen on; the registry starts 15 years before.
    pub end: CalendarDate,
}

/// How many years of procedures the registry holds.
pub const YEARS: i32 = 15;

/// A component as the clinic recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticComponent {
    /// The device identifier (GTIN-14).
    pub device_identifier: String,
    /// Index into [`catalogue::DEVICES`]; `None` for a device not in the register.
    pub register_entry: Option<usize>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub expiry: CalendarDate,
}

/// One procedure record, as a clinic would have submitted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticProcedure {
    /// Index into [`catalogue::CLINICS`].
    pub clinic: usize,
    /// Index into that clinic's sites.
    pub site: usize,
    pub consultant_gmc: String,
    pub date: CalendarDate,
    pub kind: ProcedureType,
    pub body_site: BodySite,
    pub laterality: Laterality,
    pub revision_reasons: Vec<RevisionReason>,
    /// `None` without consent.
    pub pseudonym: Option<String>,
    pub year_of_birth: u16,
    pub sex: Sex,
    pub postcode_district: &'static str,
    pub components: Vec<SyntheticComponent>,
}

impl SyntheticComponent {
    /// The UDI as a scanner would have read it, in GS1 human-readable form.
    pub fn udi(&self) -> String {
        let expiry = format!(
            "{:02}{:02}{:02}",
            self.expiry.year() % 100,
            self.expiry.month(),
            self.expiry.day()
        );
        let mut udi = format!("(01){}(17){expiry}", self.device_identifier);
        if let Some(lot) = &self.lot {
            udi.push_str(&format!("(10){lot}"));
        }
        if let Some(serial) = &self.serial {
            udi.push_str(&format!("(21){serial}"));
        }
        udi
    }
}
