//! Volumes and completeness: counts of what was recorded, by year and site or by clinic and
//! month. Every procedure up to the analysis date counts here, linkable or not.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::disclosure::{Count, Disclose, DisclosureControl};
use super::input::{ClinicKey, ProcedureEvent};
use crate::calendar::CalendarDate;
use crate::procedure::{BodySite, ProcedureType};

/// Procedures in one calendar year at one body site.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VolumeRow {
    pub year: u16,
    pub body_site: BodySite,
    /// All primaries, with or without a pseudonym.
    pub primaries: Count,
    /// Revisions and removals, linked or not.
    pub revisions: Count,
}

impl Disclose for VolumeRow {
    fn control_counts(&mut self, control: &DisclosureControl) {
        self.primaries.control_counts(control);
        self.revisions.control_counts(control);
    }
}

/// How complete one clinic's records of one month are: the month's figures, laid out as a
/// year's [`CompletenessTotal`] (whose `year` is the month's).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CompletenessRow {
    pub clinic: ClinicKey,
    pub month: u8,
    #[serde(flatten)]
    pub figures: CompletenessTotal,
}

impl Disclose for CompletenessRow {
    fn control_counts(&mut self, control: &DisclosureControl) {
        self.figures.control_counts(control);
    }
}

/// Completeness over one calendar year (one clinic's months, or every clinic's, added up), or
/// of one month in a [`CompletenessRow`].
///
/// The percentages are worked out from exact counts before control (rates need none), so a
/// public reader sees a true rate beside rounded counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CompletenessTotal {
    pub year: u16,
    /// Procedures (primaries, revisions and removals).
    pub procedures: Count,
    /// Of those, with a pseudonym: the patient consented and the record can be linked.
    pub linkable: Count,
    pub linkable_percent: Option<f64>,
    /// Components recorded.
    pub components: Count,
    pub matched_to_register: Count,
    pub matched_percent: Option<f64>,
    pub with_lot_or_serial: Count,
    pub lot_or_serial_percent: Option<f64>,
}

impl Disclose for CompletenessTotal {
    fn control_counts(&mut self, control: &DisclosureControl) {
        for count in [
            &mut self.procedures,
            &mut self.linkable,
            &mut self.components,
            &mut self.matched_to_register,
            &mut self.with_lot_or_serial,
        ] {
            count.control_counts(control);
        }
    }
}

#[derive(Default, Clone, Copy)]
struct VolumeTally {
    primaries: u64,
    revisions: u64,
}

#[derive(Default, Clone, Copy)]
struct CompletenessTally {
    procedures: u64,
    linkable: u64,
    components: u64,
    matched: u64,
    traced: u64,
}

impl CompletenessTally {
    fn add(&mut self, event: &ProcedureEvent) {
        self.procedures += 1;
        self.linkable += u64::from(event.patient.is_some());
        self.components += u64::from(event.components.recorded);
        self.matched += u64::from(event.components.matched_to_register);
        self.traced += u64::from(event.components.with_lot_or_serial);
    }

    /// The tally's figures, for `year` (or a month of it).
    fn figures(&self, year: u16) -> CompletenessTotal {
        CompletenessTotal {
            year,
            procedures: Count::Shown(self.procedures),
            linkable: Count::Shown(self.linkable),
            linkable_percent: percent(self.linkable, self.procedures),
            components: Count::Shown(self.components),
            matched_to_register: Count::Shown(self.matched),
            matched_percent: percent(self.matched, self.components),
            with_lot_or_serial: Count::Shown(self.traced),
            lot_or_serial_percent: percent(self.traced, self.components),
        }
    }
}

/// Completeness by calendar year of the procedures up to `as_of` (all of them, or one
/// clinic's, or those in a date range: the caller filters).
pub fn completeness_by_year<'a>(
    events: impl IntoIterator<Item = &'a ProcedureEvent>,
    as_of: CalendarDate,
) -> Vec<CompletenessTotal> {
    let mut years: BTreeMap<u16, CompletenessTally> = BTreeMap::new();
    for event in events.into_iter().filter(|event| event.date <= as_of) {
        years.entry(event.date.year()).or_default().add(event);
    }
    years
        .into_iter()
        .map(|(year, tally)| tally.figures(year))
        .collect()
}

fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

/// Volumes and completeness in one pass over the procedures up to `as_of` (all of them, or
/// one clinic's: the server passes a filtered iterator for a clinic's own figures).
pub fn tally_activity<'a>(
    events: impl IntoIterator<Item = &'a ProcedureEvent>,
    as_of: CalendarDate,
) -> (Vec<VolumeRow>, Vec<CompletenessRow>) {
    // Ordered maps: a few hundred (year, site) and some ten thousand (clinic, month) keys, and
    // the rows come out sorted.
    let mut volumes: BTreeMap<(u16, BodySite), VolumeTally> = BTreeMap::new();
    let mut completeness: BTreeMap<(ClinicKey, u16, u8), CompletenessTally> = BTreeMap::new();
    for event in events.into_iter().filter(|event| event.date <= as_of) {
        let volume = volumes
            .entry((event.date.year(), event.body_site))
            .or_default();
        if event.kind == ProcedureType::Primary {
            volume.primaries += 1;
        } else {
            volume.revisions += 1;
        }
        completeness
            .entry((event.clinic, event.date.year(), event.date.month()))
            .or_default()
            .add(event);
    }
    let volumes = volumes
        .into_iter()
        .map(|((year, body_site), tally)| VolumeRow {
            year,
            body_site,
            primaries: Count::Shown(tally.primaries),
            revisions: Count::Shown(tally.revisions),
        })
        .collect();
    let completeness = completeness
        .into_iter()
        .map(|((clinic, year, month), tally)| CompletenessRow {
            clinic,
            month,
            figures: tally.figures(year),
        })
        .collect();
    (volumes, completeness)
}
