//! Kaplan–Meier survival with exponential-Greenwood limits, reported as cumulative percent
//! revised at whole years.

use serde::{Deserialize, Serialize};

use super::disclosure::{Count, Disclose, DisclosureControl};
use super::poisson::DAYS_PER_YEAR;

/// The standard normal's 97.5th percentile, for two-sided 95 % limits.
const Z_95: f64 = 1.959_963_984_540_054;

/// One primary's follow-up: days from the primary to its first linked revision (`revised`)
/// or to the end of follow-up (censored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    pub days: i32,
    pub revised: bool,
}

/// The Kaplan–Meier estimate just after one distinct follow-up time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KaplanMeierStep {
    pub days: i32,
    /// Primaries followed up to at least this time (revised or censored here included).
    pub at_risk: u64,
    pub revisions: u64,
    pub censored: u64,
    /// S(t), the share not revised.
    pub survival: f64,
    /// ln S(t), summed term by term (more exact than taking the log of the product).
    pub log_survival: f64,
    /// Greenwood's sum Σ d / (n (n − d)) over the times up to here.
    pub greenwood_sum: f64,
}

impl KaplanMeierStep {
    /// 95 % limits on S(t) from Greenwood's variance on the log(−log) scale:
    /// exp(−exp(ln(−ln S) ± z √G / |ln S|)). The transform keeps limits inside 0–1.
    ///
    /// Where S is 1 (no revision yet) or 0 (all revised) the transform has no spread; like
    /// lifelines, the limits are then the estimate itself.
    pub fn survival_limits(&self) -> (f64, f64) {
        if self.log_survival == 0.0 {
            return (1.0, 1.0);
        }
        if self.survival <= 0.0 || !self.log_survival.is_finite() {
            return (0.0, 0.0);
        }
        let centre = (-self.log_survival).ln();
        let spread = Z_95 * self.greenwood_sum.sqrt() / -self.log_survival;
        (
            (-(centre + spread).exp()).exp(),
            (-(centre - spread).exp()).exp(),
        )
    }
}

/// The Kaplan–Meier curve: one step per distinct follow-up time, in time order.
///
/// Ties: at a time with d revisions and c censorings, all n followed to that time are at
/// risk, the revisions come first (S ×= 1 − d/n) and the censored leave afterwards — the
/// standard convention, which lifelines and Stata follow. A revision at time 0 (same day as
/// the primary) is an event at 0.
pub fn kaplan_meier(observations: &mut [Observation]) -> Vec<KaplanMeierStep> {
    observations.sort_unstable_by_key(|observation| observation.days);
    let mut steps = Vec::new();
    let mut at_risk = observations.len() as u64;
    let (mut log_survival, mut greenwood_sum) = (0.0f64, 0.0f64);
    for group in observations.chunk_by(|a, b| a.days == b.days) {
        let revisions = group.iter().filter(|o| o.revised).count() as u64;
        let censored = group.len() as u64 - revisions;
        if revisions > 0 {
            let (n, d) = (at_risk as f64, revisions as f64);
            log_survival += (-d / n).ln_1p();
            greenwood_sum += d / (n * (n - d));
        }
        steps.push(KaplanMeierStep {
            days: group[0].days,
            at_risk,
            revisions,
            censored,
            survival: log_survival.exp(),
            log_survival,
            greenwood_sum,
        });
        at_risk -= group.len() as u64;
    }
    steps
}

/// Which years to report and when to withhold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurvivalOptions {
    /// Years 1 to this are reported.
    pub last_year: u32,
    /// Below this many at risk the estimate is withheld (the national joint registry: 10).
    pub minimum_at_risk: u64,
}

impl Default for SurvivalOptions {
    fn default() -> Self {
        Self {
            last_year: 20,
            minimum_at_risk: 10,
        }
    }
}

/// One whole year of the survival table. The three figures are `None` (JSON `null`) where
/// the estimate is withheld.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SurvivalRow {
    pub years: u32,
    /// Primaries still followed at this time (follow-up ≥ years).
    pub at_risk: Count,
    /// Revisions observed up to and including this time (cumulative, so the row reads with
    /// the cumulative percent beside it).
    pub revisions: Count,
    pub cumulative_percent_revised: Option<f64>,
    pub lower_95: Option<f64>,
    pub upper_95: Option<f64>,
}

/// Survival of a device or a body site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurvivalReport {
    /// Primaries in the analysis (followable ones: with a pseudonym).
    pub primaries: Count,
    /// First linked revisions of those primaries.
    pub revisions: Count,
    /// Primaries left out because they had no pseudonym (they count in volumes only).
    pub unlinkable: Count,
    pub table: Vec<SurvivalRow>,
}

impl Disclose for SurvivalReport {
    fn control_counts(&mut self, control: &DisclosureControl) {
        self.primaries.control_counts(control);
        self.revisions.control_counts(control);
        self.unlinkable.control_counts(control);
        for row in &mut self.table {
            row.at_risk.control_counts(control);
            row.revisions.control_counts(control);
        }
    }
}

/// The survival table at years 1…`options.last_year` from follow-up times.
pub fn survival_report(
    observations: &mut [Observation],
    unlinkable: u64,
    options: &SurvivalOptions,
) -> SurvivalReport {
    let primaries = observations.len() as u64;
    let steps = kaplan_meier(observations);
    let total_revisions: u64 = steps.iter().map(|step| step.revisions).sum();
    let mut table = Vec::with_capacity(options.last_year as usize);
    // Walk the steps once, moving a cursor past every step at or before each year.
    let mut cursor = 0;
    let (mut revisions_so_far, mut left_so_far) = (0u64, 0u64);
    for years in 1..=options.last_year {
        let horizon = f64::from(years) * DAYS_PER_YEAR;
        while cursor < steps.len() && f64::from(steps[cursor].days) <= horizon {
            revisions_so_far += steps[cursor].revisions;
            left_so_far += steps[cursor].revisions + steps[cursor].censored;
            cursor += 1;
        }
        // Those whose follow-up ends exactly at the horizon were still at risk at it.
        let ending_at_horizon = cursor
            .checked_sub(1)
            .map(|last| &steps[last])
            .filter(|step| f64::from(step.days) == horizon)
            .map_or(0, |step| step.revisions + step.censored);
        let at_risk = primaries - left_so_far + ending_at_horizon;
        let estimate = (at_risk >= options.minimum_at_risk).then(|| {
            let step = cursor.checked_sub(1).map(|last| steps[last]);
            let (survival, (lower, upper)) =
                step.map_or((1.0, (1.0, 1.0)), |s| (s.survival, s.survival_limits()));
            // Percent revised = 100 (1 − S): the upper limit on S gives the lower one here.
            let percent = |s: f64| 100.0 * (1.0 - s);
            (percent(survival), percent(upper), percent(lower))
        });
        table.push(SurvivalRow {
            years,
            at_risk: Count::Shown(at_risk),
            revisions: Count::Shown(revisions_so_far),
            cumulative_percent_revised: estimate.map(|e| e.0),
            lower_95: estimate.map(|e| e.1),
            upper_95: estimate.map(|e| e.2),
        });
    }
    SurvivalReport {
        primaries: Count::Shown(primaries),
        revisions: Count::Shown(total_revisions),
        unlinkable: Count::Shown(unlinkable),
        table,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not within {tolerance} of {expected}"
        );
    }

    fn observations(times_and_events: &[(i32, bool)]) -> Vec<Observation> {
        times_and_events
            .iter()
            .map(|&(days, revised)| Observation { days, revised })
            .collect()
    }

    #[test]
    fn kaplan_meier_by_hand_with_a_tie_and_all_revised_at_the_end() {
        // Times 1 (censored), 2 (revised), 2 (censored), 3 (revised), 4 (revised).
        // t=1: n=5, d=0 → S=1.
        // t=2: n=4, d=1 → S = 3/4; the censoring at 2 leaves after the revision.
        // t=3: n=2, d=1 → S = 3/4 · 1/2 = 3/8.
        // t=4: n=1, d=1 → S = 0.
        let mut data = observations(&[(3, true), (1, false), (2, true), (4, true), (2, false)]);
        let steps = kaplan_meier(&mut data);
        let at = |i: usize| (steps[i].days, steps[i].at_risk, steps[i].survival);
        assert_eq!(steps.len(), 4);
        assert_eq!(at(0), (1, 5, 1.0));
        assert_eq!(at(1), (2, 4, 0.75));
        assert_eq!(at(2), (3, 2, 0.375));
        assert_eq!(at(3), (4, 1, 0.0));
        assert_eq!(steps[1].censored, 1);
    }

    #[test]
    fn exponential_greenwood_limits_by_hand() {
        // Same data as above, at t=2: S = 0.75, G = 1/(4·3) = 1/12.
        // ln S = −0.2876821, ln(−ln S) = −1.2458993, z√G/|ln S| = 1.959964 · 0.2886751 /
        // 0.2876821 = 1.9667296. Lower S = exp(−exp(−1.2458993 + 1.9667296)) = 0.127947,
        // upper S = exp(−exp(−1.2458993 − 1.9667296)) = 0.960549 (lifelines: 0.127947,
        // 0.960549).
        let mut data = observations(&[(3, true), (1, false), (2, true), (4, true), (2, false)]);
        let steps = kaplan_meier(&mut data);
        close(steps[1].greenwood_sum, 1.0 / 12.0, 1e-15);
        let (lower, upper) = steps[1].survival_limits();
        close(lower, 0.127947, 5e-7);
        close(upper, 0.960549, 5e-7);
        // t=3: S = 0.375, G = 1/12 + 1/(2·1) = 7/12; lifelines gives 0.010971 and 0.808001.
        let (lower, upper) = steps[2].survival_limits();
        close(lower, 0.010971, 5e-7);
        close(upper, 0.808001, 5e-7);
        // Before any revision and after all: the estimate itself, as lifelines reports.
        assert_eq!(steps[0].survival_limits(), (1.0, 1.0));
        assert_eq!(steps[3].survival_limits(), (0.0, 0.0));
    }

    #[test]
    fn censoring_at_an_event_time_stays_at_risk_for_it() {
        // Two at risk at day 10: one revised, one censored the same day → S = 1 − 1/2.
        let mut data = observations(&[(10, false), (10, true)]);
        let steps = kaplan_meier(&mut data);
        assert_eq!(steps.len(), 1);
        assert_eq!((steps[0].at_risk, steps[0].survival), (2, 0.5));
    }

    #[test]
    fn year_table_withholds_below_ten_at_risk() {
        // 12 primaries: 2 revised at day 100 (year 0.27), 10 censored at day 800 (year 2.19).
        // Year 1: at risk 10, S = 1 − 2/12 = 5/6 → 16.67 % revised; G = 2/(12·10) = 1/60.
        // Year 2: same, still 10 at risk. Year 3: 0 at risk → withheld, revisions still 2.
        let mut data: Vec<_> = (0..12)
            .map(|i| Observation {
                days: if i < 2 { 100 } else { 800 },
                revised: i < 2,
            })
            .collect();
        let report = survival_report(&mut data, 4, &SurvivalOptions::default());
        assert_eq!(report.primaries, Count::Shown(12));
        assert_eq!(report.revisions, Count::Shown(2));
        assert_eq!(report.unlinkable, Count::Shown(4));
        assert_eq!(report.table.len(), 20);
        let first = report.table[0];
        assert_eq!(first.at_risk, Count::Shown(10));
        close(
            first.cumulative_percent_revised.unwrap(),
            100.0 / 6.0,
            1e-12,
        );
        // Limits: ln S = ln(5/6) = −0.1823216, ln(−ln S) = −1.7019834, spread =
        // 1.959964 · √(1/60) / 0.1823216 = 1.3878242 → S limits exp(−exp(−0.3141592)) =
        // 0.481715 and exp(−exp(−3.0898075)) = 0.955509 (lifelines: 0.481715, 0.955509);
        // percent revised 4.4491 to 51.8285.
        close(first.lower_95.unwrap(), 100.0 * (1.0 - 0.955_509_366), 1e-6);
        close(first.upper_95.unwrap(), 100.0 * (1.0 - 0.481_714_942), 1e-6);
        assert!(report.table[1].cumulative_percent_revised.is_some());
        let third = report.table[2];
        assert_eq!(third.at_risk, Count::Shown(0));
        assert_eq!(third.revisions, Count::Shown(2));
        assert_eq!(third.cumulative_percent_revised, None);
        assert_eq!(third.lower_95, None);
    }

    #[test]
    fn follow_up_ending_exactly_at_a_year_counts_as_at_risk_then() {
        // Four years = 1461 days exactly; ten primaries censored on day 1461 are at risk at
        // year 4 and no longer at year 5.
        let mut data = observations(&[(1461, false); 10]);
        let report = survival_report(&mut data, 0, &SurvivalOptions::default());
        assert_eq!(report.table[3].at_risk, Count::Shown(10));
        assert_eq!(report.table[3].cumulative_percent_revised, Some(0.0));
        assert_eq!(report.table[4].at_risk, Count::Shown(0));
    }

    #[test]
    fn no_events_and_all_revised() {
        let mut none_revised = observations(&[(400, false); 10]);
        let report = survival_report(&mut none_revised, 0, &SurvivalOptions::default());
        let row = report.table[0];
        assert_eq!(row.cumulative_percent_revised, Some(0.0));
        assert_eq!((row.lower_95, row.upper_95), (Some(0.0), Some(0.0)));

        let mut all_revised = observations(&[(30, true); 10]);
        let steps = kaplan_meier(&mut all_revised);
        assert_eq!(steps[0].survival, 0.0);
        assert_eq!(steps[0].survival_limits(), (0.0, 0.0));
        // At year 1 nobody is at risk any more: withheld.
        let report = survival_report(&mut all_revised, 0, &SurvivalOptions::default());
        assert_eq!(report.table[0].cumulative_percent_revised, None);
    }

    #[test]
    fn revisions_on_the_day_of_the_primary_are_events_at_time_zero() {
        let mut data = observations(&[(0, true), (0, false), (5, false), (5, false)]);
        let steps = kaplan_meier(&mut data);
        assert_eq!(
            (steps[0].days, steps[0].at_risk, steps[0].survival),
            (0, 4, 0.75)
        );
    }

    #[test]
    fn empty_input_gives_zero_counts_and_withheld_estimates() {
        let report = survival_report(&mut [], 0, &SurvivalOptions::default());
        assert_eq!(report.primaries, Count::Shown(0));
        assert!(
            report
                .table
                .iter()
                .all(|row| row.cumulative_percent_revised.is_none())
        );
    }
}
