//! The synthetic procedures, patient by patient, from a seeded ChaCha8 generator.
//!
//! Each patient is drawn whole (their primary, its revision if its hazard says so before the
//! end date, perhaps the other side later) and their procedures handed out in date order;
//! the stream stops at exactly the planned number of procedures.
//!
//! Here: the stream, the patients, their procedures and revisions. What a primary is made of
//! (its system, a device for each part, each component's identifiers) is in `construct`.

use std::collections::VecDeque;

use domain::calendar::CalendarDate;
use domain::procedure::{BodySite, Laterality, ProcedureType, RevisionReason, Sex};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;

use super::catalogue::{self, CLINICS, SITE_SHARES};
use super::{Plan, SyntheticComponent, SyntheticProcedure, YEARS};

mod construct;

const DAYS_PER_YEAR: f64 = 365.25;
/// Share of patients whose other hip or knee is done later.
const OTHER_SIDE: f64 = 0.12;
/// Share of patients with a second primary on the same side and no revision recorded.
const SAME_SIDE_AGAIN: f64 = 0.003;
/// Share of patients whose only procedure here is a revision (their primary was elsewhere).
const REVISION_ONLY: f64 = 0.006;
/// Share of primaries with an early failure (infection, dislocation) in the first 18 months,
/// scaled by the construct's relative hazard.
const EARLY_FAILURE: f64 = 0.006;

const POSTCODE_DISTRICTS: &[&str] = &[
    "LS1", "LS6", "M14", "M20", "B15", "B29", "NE2", "NE6", "S10", "S11", "L17", "L18", "BS6",
    "BS8", "NG7", "NG9", "CF10", "CF14", "EH3", "EH9", "G12", "G41", "BT9", "YO10", "OX4", "CB1",
    "PL4", "EX4", "SO17", "BN2",
];

/// The stream of procedures of one plan.
pub struct Generator {
    random: ChaCha8Rng,
    left: u64,
    first_day: i32,
    last_day: i32,
    pending: VecDeque<SyntheticProcedure>,
    /// Each clinic's consultants' GMC numbers.
    consultants: Vec<Vec<String>>,
}

impl Generator {
    pub fn new(plan: &Plan) -> Self {
        let mut random = ChaCha8Rng::seed_from_u64(plan.seed);
        let last_day = plan.end.days_since_epoch();
        let first_day = last_day - (f64::from(YEARS) * DAYS_PER_YEAR) as i32;
        let consultants = CLINICS
            .iter()
            .map(|_| {
                (0..6)
                    .map(|_| format!("{:07}", random.gen_range(1_000_000..10_000_000u32)))
                    .collect()
            })
            .collect();
        Self {
            random,
            left: plan.procedures,
            first_day,
            last_day,
            pending: VecDeque::new(),
            consultants,
        }
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.random.gen_bool(probability.clamp(0.0, 1.0))
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, f64)]) -> T {
        let total: f64 = items.iter().map(|(_, weight)| weight).sum();
        let mut pick = self.random.gen_range(0.0..total);
        for &(item, weight) in items {
            if pick < weight {
                return item;
            }
            pick -= weight;
        }
        items[items.len() - 1].0
    }

    /// A primary's day: the registry grows, so later years are busier (density rising
    /// linearly from 1 to 3 across the span; sampled by inverting its distribution).
    fn primary_day(&mut self) -> i32 {
        let uniform: f64 = self.random.r#gen();
        // Density 1 + 2x on 0–1 has the distribution F(x) = (x + x²) / 2; x = F⁻¹(uniform).
        let share = (-1.0 + (1.0 + 8.0 * uniform).sqrt()) / 2.0;
        self.first_day + (share * f64::from(self.last_day - self.first_day)) as i32
    }

    fn date(day: i32) -> CalendarDate {
        CalendarDate::from_days_since_epoch(day).expect("synthetic days are real dates")
    }

    fn clinic_for(&mut self, site: BodySite) -> usize {
        let choices: Vec<(usize, f64)> = CLINICS
            .iter()
            .enumerate()
            .filter(|(_, clinic)| clinic.specialty.operates_on(site))
            .map(|(index, clinic)| (index, clinic.weight))
            .collect();
        self.weighted(&choices)
    }

    fn pseudonym(&mut self) -> String {
        let bytes: [u8; 32] = self.random.r#gen();
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    /// Days from a primary to its revision, if the construct's hazard gives one.
    fn time_to_revision(&mut self, site: BodySite, hazard: f64) -> i32 {
        if self.chance(EARLY_FAILURE * hazard) {
            return self.random.gen_range(0..(1.5 * DAYS_PER_YEAR) as i32);
        }
        let rate = catalogue::base_hazard(site) * hazard;
        let uniform: f64 = self.random.gen_range(f64::MIN_POSITIVE..1.0);
        let years = -uniform.ln() / rate;
        (years * DAYS_PER_YEAR).min(1.0e6) as i32
    }

    fn revision_reasons(&mut self, site: BodySite, early: bool) -> Vec<RevisionReason> {
        use RevisionReason::*;
        let choices: &[(RevisionReason, f64)] = match (site, early) {
            (BodySite::Breast, _) => &[
                (Rupture, 4.0),
                (CapsularContracture, 5.0),
                (Infection, 1.0),
                (Other, 1.0),
            ],
            (_, true) => &[
                (Infection, 4.0),
                (Instability, 4.0),
                (PeriprostheticFracture, 2.0),
                (Pain, 1.0),
            ],
            (_, false) => &[
                (AsepticLoosening, 6.0),
                (Wear, 2.0),
                (AdverseReaction, 1.0),
                (Pain, 2.0),
                (Instability, 1.0),
                (Malalignment, 1.0),
            ],
        };
        let first = self.weighted(choices);
        let mut reasons = vec![first];
        if self.chance(0.2) {
            let second = self.weighted(choices);
            if second != first {
                reasons.push(second);
            }
        }
        reasons
    }

    fn person(&mut self, site: BodySite, day: i32) -> (u16, Sex) {
        let (mean, spread, female) = match site {
            BodySite::Breast => (38.0, 9.0, 0.99),
            BodySite::Knee => (69.0, 9.0, 0.57),
            _ => (68.0, 11.0, 0.60),
        };
        // A sum of uniforms: bell-shaped enough, and in a known range.
        let bell: f64 = (0..4)
            .map(|_| self.random.gen_range(-1.0..1.0))
            .sum::<f64>()
            / 4.0;
        let age = (mean + bell * spread * 2.0).clamp(18.0, 98.0) as u16;
        let sex = if self.chance(female) {
            Sex::Female
        } else if self.chance(0.995) {
            Sex::Male
        } else {
            Sex::NotKnown
        };
        (Self::date(day).year() - age, sex)
    }

    #[allow(clippy::too_many_arguments)]
    fn procedure(
        &mut self,
        clinic: usize,
        day: i32,
        kind: ProcedureType,
        body_site: BodySite,
        laterality: Laterality,
        pseudonym: Option<String>,
        person: (u16, Sex),
        components: Vec<SyntheticComponent>,
        revision_reasons: Vec<RevisionReason>,
    ) -> SyntheticProcedure {
        let site = self.random.gen_range(0..CLINICS[clinic].sites.len());
        let consultant = self.consultants[clinic]
            .choose(&mut self.random)
            .cloned()
            .expect("every clinic has consultants");
        let postcode_district = POSTCODE_DISTRICTS
            .choose(&mut self.random)
            .copied()
            .expect("districts");
        SyntheticProcedure {
            clinic,
            site,
            consultant_gmc: consultant,
            date: Self::date(day),
            kind,
            body_site,
            laterality,
            revision_reasons,
            pseudonym,
            year_of_birth: person.0,
            sex: person.1,
            postcode_district,
            components,
        }
    }

    /// A primary on one side and, when its hazard says so before the end, its revision.
    #[allow(clippy::too_many_arguments)]
    fn side(
        &mut self,
        clinic: usize,
        site: BodySite,
        laterality: Laterality,
        day: i32,
        pseudonym: &Option<String>,
        person: (u16, Sex),
        out: &mut Vec<SyntheticProcedure>,
    ) {
        let (components, hazard) = self.construct(clinic, site, laterality, day);
        let revision_day = day + self.time_to_revision(site, hazard);
        out.push(self.procedure(
            clinic,
            day,
            ProcedureType::Primary,
            site,
            laterality,
            pseudonym.clone(),
            person,
            components.clone(),
            Vec::new(),
        ));
        if revision_day > self.last_day {
            return;
        }
        let early = revision_day - day < (1.5 * DAYS_PER_YEAR) as i32;
        let removal = self.chance(if site == BodySite::Breast { 0.35 } else { 0.1 });
        let reasons = self.revision_reasons(site, early);
        // Revisions mostly where the primary was done; some elsewhere.
        let revising_clinic = if self.chance(0.9) {
            clinic
        } else {
            self.clinic_for(site)
        };
        let replaced = if removal {
            // A removal records what came out.
            components
        } else {
            self.construct(revising_clinic, site, laterality, revision_day)
                .0
        };
        let kind = if removal {
            ProcedureType::Removal
        } else {
            ProcedureType::Revision
        };
        out.push(self.procedure(
            revising_clinic,
            revision_day,
            kind,
            site,
            laterality,
            pseudonym.clone(),
            person,
            replaced,
            reasons,
        ));
    }

    /// One patient's procedures, in date order.
    fn patient(&mut self) -> Vec<SyntheticProcedure> {
        let site = self.weighted(SITE_SHARES);
        let clinic = self.clinic_for(site);
        let pseudonym = self
            .chance(CLINICS[clinic].consent_rate)
            .then(|| self.pseudonym());
        let day = self.primary_day();
        let person = self.person(site, day);
        let laterality = match site {
            BodySite::Breast if self.chance(0.85) => Laterality::Bilateral,
            _ if self.chance(0.5) => Laterality::Left,
            _ => Laterality::Right,
        };
        let mut out = Vec::new();
        if self.chance(REVISION_ONLY) {
            let (components, _) = self.construct(clinic, site, laterality, day);
            let reasons = self.revision_reasons(site, false);
            out.push(self.procedure(
                clinic,
                day,
                ProcedureType::Revision,
                site,
                laterality,
                pseudonym,
                person,
                components,
                reasons,
            ));
            return out;
        }
        self.side(clinic, site, laterality, day, &pseudonym, person, &mut out);
        let other_side = match laterality {
            Laterality::Left => Some(Laterality::Right),
            Laterality::Right => Some(Laterality::Left),
            _ => None,
        };
        if let Some(other) = other_side
            && self.chance(OTHER_SIDE)
        {
            let later = day + self.random.gen_range(180..(6.0 * DAYS_PER_YEAR) as i32);
            if later <= self.last_day {
                self.side(clinic, site, other, later, &pseudonym, person, &mut out);
            }
        }
        if site != BodySite::Breast && self.chance(SAME_SIDE_AGAIN) {
            let later = day + self.random.gen_range(365..(8.0 * DAYS_PER_YEAR) as i32);
            if later <= self.last_day {
                self.side(
                    clinic, site, laterality, later, &pseudonym, person, &mut out,
                );
            }
        }
        // Date order; the sort is stable, so a same-day revision stays after its primary.
        out.sort_by_key(|procedure| procedure.date);
        out
    }
}

impl Iterator for Generator {
    type Item = SyntheticProcedure;

    fn next(&mut self) -> Option<SyntheticProcedure> {
        if self.left == 0 {
            return None;
        }
        while self.pending.is_empty() {
            let procedures = self.patient();
            self.pending.extend(procedures);
        }
        self.left -= 1;
        self.pending.pop_front()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.left as usize;
        (left, Some(left))
    }
}

#[cfg(test)]
mod tests;
