//! Linkage: which revision ends which primary's follow-up.
//!
//! Procedures of one patient pseudonym, body site and laterality are put in order of date and
//! then procedure id (one sort, O(n log n)), and read once:
//!
//! - A revision or removal links to the most recent primary before it in that order; only
//!   the first revision of a primary counts. A later revision of the same primary is counted
//!   apart (`later_revisions`) and ends nothing.
//! - Same day: a revision follows a primary of the same day only if its procedure id is
//!   higher. Ids are given in the order records are made, so a return to theatre on the day
//!   of the primary (recorded after it) is a revision at time 0 — an early failure the
//!   registry must see — while a same-day revision recorded first is not linked to it.
//! - Laterality must match exactly: a left revision never ends a right primary, and a
//!   "bilateral" or "not applicable" record only links to one with the same code. Guessing
//!   which side of a bilateral primary was revised would invent data.
//! - A second primary on a side whose primary was not revised supersedes it: the earlier
//!   primary is censored on the day of the later one (its implant must have gone, but no
//!   revision was recorded, so we cannot call it a revision) and the later one is followed
//!   from then. Counting it as a revision would charge data gaps to the device; keeping both
//!   at risk would count years of an implant that is no longer there. How many were
//!   superseded is reported, as a data-quality figure.
//! - A revision with no earlier primary (done before the registry, or in another country) or
//!   without a pseudonym is not linked; both are counted.
//! - A primary without a pseudonym (no consent) cannot be followed: it counts in volumes,
//!   not in survival or rates.

use serde::{Deserialize, Serialize};

use super::disclosure::{Count, Disclose, DisclosureControl};
use super::input::ProcedureEvent;
use crate::calendar::CalendarDate;
use crate::procedure::{BodySite, ProcedureType};

/// How a primary's follow-up ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FollowUpEnd {
    /// No pseudonym: not followed.
    Unlinkable,
    /// Still followed on the analysis date.
    Censored,
    /// Censored when a later primary on the same side replaced it.
    Superseded,
    /// Its first linked revision.
    Revised,
}

/// A primary in the analysis set, in the order of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LinkedPrimary {
    /// Index of the primary in the input.
    pub event: u32,
    pub body_site: BodySite,
    pub start_day: i32,
    pub end_day: i32,
    pub end: FollowUpEnd,
}

impl LinkedPrimary {
    pub fn follow_up_days(&self) -> i32 {
        self.end_day - self.start_day
    }

    pub fn is_linkable(&self) -> bool {
        self.end != FollowUpEnd::Unlinkable
    }

    pub fn is_revised(&self) -> bool {
        self.end == FollowUpEnd::Revised
    }
}

/// What linkage found; counts of procedures, so they pass disclosure control.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LinkageSummary {
    /// Primaries up to the analysis date.
    pub primaries: Count,
    /// Of those, without a pseudonym: in volumes only.
    pub unlinkable_primaries: Count,
    /// Of those, censored when a later primary on the same side replaced them.
    pub superseded_primaries: Count,
    /// Revisions and removals up to the analysis date.
    pub revisions: Count,
    /// First revisions linked to a primary: the events of the survival analysis.
    pub linked_revisions: Count,
    /// Revisions of a primary already revised: not counted again.
    pub later_revisions: Count,
    /// Revisions with no earlier primary of the same patient, site and side.
    pub revisions_without_primary: Count,
    /// Revisions without a pseudonym.
    pub revisions_without_pseudonym: Count,
}

impl Disclose for LinkageSummary {
    fn control_counts(&mut self, control: &DisclosureControl) {
        for count in [
            &mut self.primaries,
            &mut self.unlinkable_primaries,
            &mut self.superseded_primaries,
            &mut self.revisions,
            &mut self.linked_revisions,
            &mut self.later_revisions,
            &mut self.revisions_without_primary,
            &mut self.revisions_without_pseudonym,
        ] {
            count.control_counts(control);
        }
    }
}

#[derive(Default)]
struct Tallies {
    unlinkable: u64,
    superseded: u64,
    revisions: u64,
    linked: u64,
    later: u64,
    without_primary: u64,
    without_pseudonym: u64,
}

/// Links revisions to primaries up to `as_of` (inclusive). Events after it are ignored.
pub(crate) fn link(
    events: &[ProcedureEvent],
    as_of: CalendarDate,
) -> (Vec<LinkedPrimary>, LinkageSummary) {
    let as_of_day = as_of.days_since_epoch();
    let mut tallies = Tallies::default();
    let mut primaries = Vec::new();
    // Where each input primary sits in `primaries`, for the scan below.
    let mut primary_slot = vec![u32::MAX; events.len()];
    // (patient, site, side, day, procedure id, input index): sorting groups a patient's side
    // and puts it in time order.
    let mut linkable = Vec::with_capacity(events.len());
    for (index, event) in events.iter().enumerate() {
        if event.date > as_of {
            continue;
        }
        let day = event.date.days_since_epoch();
        let is_primary = event.kind == ProcedureType::Primary;
        if is_primary {
            primary_slot[index] = primaries.len() as u32;
            let (end_day, end) = match event.patient {
                Some(_) => (as_of_day, FollowUpEnd::Censored),
                None => (day, FollowUpEnd::Unlinkable),
            };
            primaries.push(LinkedPrimary {
                event: index as u32,
                body_site: event.body_site,
                start_day: day,
                end_day,
                end,
            });
        } else {
            tallies.revisions += 1;
        }
        match event.patient {
            Some(patient) => linkable.push((
                patient,
                event.body_site,
                event.laterality,
                day,
                event.procedure_id,
                index as u32,
            )),
            None if is_primary => tallies.unlinkable += 1,
            None => tallies.without_pseudonym += 1,
        }
    }
    linkable.sort_unstable();

    for side in linkable.chunk_by(|a, b| (a.0, a.1, a.2) == (b.0, b.1, b.2)) {
        // The primary now on this side, if any, and whether it has been revised.
        let mut current: Option<(usize, bool)> = None;
        for &(_, _, _, day, _, index) in side {
            let slot = primary_slot[index as usize];
            if slot != u32::MAX {
                if let Some((previous, false)) = current {
                    primaries[previous].end_day = day;
                    primaries[previous].end = FollowUpEnd::Superseded;
                    tallies.superseded += 1;
                }
                current = Some((slot as usize, false));
                continue;
            }
            match current {
                Some((primary, false)) => {
                    primaries[primary].end_day = day;
                    primaries[primary].end = FollowUpEnd::Revised;
                    tallies.linked += 1;
                    current = Some((primary, true));
                }
                Some((_, true)) => tallies.later += 1,
                None => tallies.without_primary += 1,
            }
        }
    }

    let summary = LinkageSummary {
        primaries: Count::Shown(primaries.len() as u64),
        unlinkable_primaries: Count::Shown(tallies.unlinkable),
        superseded_primaries: Count::Shown(tallies.superseded),
        revisions: Count::Shown(tallies.revisions),
        linked_revisions: Count::Shown(tallies.linked),
        later_revisions: Count::Shown(tallies.later),
        revisions_without_primary: Count::Shown(tallies.without_primary),
        revisions_without_pseudonym: Count::Shown(tallies.without_pseudonym),
    };
    (primaries, summary)
}
