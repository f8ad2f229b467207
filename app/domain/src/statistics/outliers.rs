//! The outlier screen: devices revised more often than the rest of their body-site group.
//!
//! A device is flagged (the AOANJRR's automatic rule, as issue 14 asks) when it has at least
//! 10 linkable primaries, its rate per 100 component-years is at least twice the rate of the
//! rest of its group (every other primary of the site that does not contain the device), and
//! seeing at least its revisions would be unlikely (one-sided Poisson p < 0.05) at the
//! group's rate over its component-years. The national joint registry's level is given
//! beside it.
//!
//! Why "the rest" and not the whole site: a device that is most of its site would otherwise be
//! compared with itself and never stand out (the AOANJRR leaves a large component out of its
//! comparator for the same reason).

use serde::{Deserialize, Serialize};

use super::disclosure::{Count, Disclose, DisclosureControl};
use super::input::DeviceKey;
use super::poisson::{DAYS_PER_YEAR, RevisionRate, poisson_at_least};
use crate::procedure::BodySite;

/// The thresholds of the automatic flag; defaults as in issue 14.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OutlierRule {
    pub minimum_primaries: u64,
    pub minimum_ratio: f64,
    pub significance: f64,
}

impl Default for OutlierRule {
    fn default() -> Self {
        Self {
            minimum_primaries: 10,
            minimum_ratio: 2.0,
            significance: 0.05,
        }
    }
}

/// The national joint registry's outlier levels. Level 1 (reported to the MHRA): ≥ 2× with
/// ≥ 100 primaries. Level 2: ≥ 2× with fewer, or ≥ 1.5× with ≥ 100. In JSON: 1 or 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum NjrLevel {
    Level1,
    Level2,
}

impl From<NjrLevel> for u8 {
    fn from(level: NjrLevel) -> u8 {
        match level {
            NjrLevel::Level1 => 1,
            NjrLevel::Level2 => 2,
        }
    }
}

impl TryFrom<u8> for NjrLevel {
    type Error = String;
    fn try_from(level: u8) -> Result<Self, Self::Error> {
        match level {
            1 => Ok(NjrLevel::Level1),
            2 => Ok(NjrLevel::Level2),
            other => Err(format!("{other} is not an NJR outlier level (1 or 2)")),
        }
    }
}

/// Primaries, first revisions and days at risk, added up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RiskTally {
    pub primaries: u64,
    pub revisions: u64,
    /// Summed in whole days so that subtracting a device from its site is exact.
    pub days_at_risk: i64,
}

impl RiskTally {
    pub fn add(&mut self, follow_up_days: i32, revised: bool) {
        self.primaries += 1;
        self.revisions += u64::from(revised);
        self.days_at_risk += i64::from(follow_up_days);
    }

    pub fn component_years(&self) -> f64 {
        self.days_at_risk as f64 / DAYS_PER_YEAR
    }

    /// Revisions per component-year, when there is time at risk.
    fn rate_per_year(&self) -> Option<f64> {
        (self.days_at_risk > 0).then(|| self.revisions as f64 / self.component_years())
    }

    fn without(&self, part: &RiskTally) -> RiskTally {
        RiskTally {
            primaries: self.primaries.saturating_sub(part.primaries),
            revisions: self.revisions.saturating_sub(part.revisions),
            days_at_risk: self.days_at_risk - part.days_at_risk,
        }
    }
}

/// One device in one body-site group. `Device` is a `DeviceKey` as computed; the server maps
/// it to the identifier text with [`OutlierRow::map_device`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutlierRow<Device = DeviceKey> {
    pub device_identifier: Device,
    pub body_site: BodySite,
    /// Linkable primaries containing the device.
    pub primaries: Count,
    pub revisions: Count,
    pub component_years: f64,
    pub rate_per_100: Option<f64>,
    /// Exact Poisson 95 % limits on `rate_per_100`.
    pub rate_lower_95: Option<f64>,
    pub rate_upper_95: Option<f64>,
    /// The rate of the rest of the group; `None` when the device is the whole group.
    pub group_rate_per_100: Option<f64>,
    /// `rate_per_100 / group_rate_per_100`; `None` when either is missing or the group had
    /// no revisions (then any revision of the device is an unbounded excess).
    pub ratio: Option<f64>,
    /// P(at least `revisions` | Poisson with the group's rate over the device's years).
    pub p_value: Option<f64>,
    pub njr_level: Option<NjrLevel>,
    pub flagged: bool,
}

impl<Device> OutlierRow<Device> {
    /// The same row with the device named differently (e.g. by its identifier text).
    pub fn map_device<Other>(self, name: impl FnOnce(Device) -> Other) -> OutlierRow<Other> {
        OutlierRow {
            device_identifier: name(self.device_identifier),
            body_site: self.body_site,
            primaries: self.primaries,
            revisions: self.revisions,
            component_years: self.component_years,
            rate_per_100: self.rate_per_100,
            rate_lower_95: self.rate_lower_95,
            rate_upper_95: self.rate_upper_95,
            group_rate_per_100: self.group_rate_per_100,
            ratio: self.ratio,
            p_value: self.p_value,
            njr_level: self.njr_level,
            flagged: self.flagged,
        }
    }
}

impl<Device> Disclose for OutlierRow<Device> {
    fn control_counts(&mut self, control: &DisclosureControl) {
        self.primaries.control_counts(control);
        self.revisions.control_counts(control);
    }
}

/// How a device's rate compares with its group's.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Excess {
    Ratio(f64),
    /// The group had time at risk but no revisions, and the device had some.
    Unbounded,
    NotComparable,
}

impl Excess {
    fn at_least(self, threshold: f64) -> bool {
        match self {
            Excess::Ratio(ratio) => ratio >= threshold,
            Excess::Unbounded => true,
            Excess::NotComparable => false,
        }
    }
}

fn njr_level(excess: Excess, primaries: u64) -> Option<NjrLevel> {
    let large = primaries >= 100;
    if excess.at_least(2.0) {
        Some(if large {
            NjrLevel::Level1
        } else {
            NjrLevel::Level2
        })
    } else if excess.at_least(1.5) && large {
        Some(NjrLevel::Level2)
    } else {
        None
    }
}

/// Screens one device against its body-site group. `site` is the whole site; the device's
/// own primaries are taken out of it to make the comparator.
pub fn screen_device(
    device: DeviceKey,
    body_site: BodySite,
    tally: &RiskTally,
    site: &RiskTally,
    rule: &OutlierRule,
) -> OutlierRow {
    let rest = site.without(tally);
    let rate = RevisionRate::new(tally.revisions, tally.component_years());
    let device_rate = tally.rate_per_year();
    let group_rate = rest.rate_per_year();
    let excess = match (device_rate, group_rate) {
        (Some(device), Some(group)) if group > 0.0 => Excess::Ratio(device / group),
        (Some(device), Some(_)) if device > 0.0 => Excess::Unbounded,
        _ => Excess::NotComparable,
    };
    let p_value =
        group_rate.map(|group| poisson_at_least(tally.revisions, group * tally.component_years()));
    let flagged = tally.primaries >= rule.minimum_primaries
        && excess.at_least(rule.minimum_ratio)
        && p_value.is_some_and(|p| p < rule.significance);
    OutlierRow {
        device_identifier: device,
        body_site,
        primaries: Count::Shown(tally.primaries),
        revisions: Count::Shown(tally.revisions),
        component_years: tally.component_years(),
        rate_per_100: rate.rate_per_100,
        rate_lower_95: rate.lower_95,
        rate_upper_95: rate.upper_95,
        group_rate_per_100: group_rate.map(|rate| 100.0 * rate),
        ratio: match excess {
            Excess::Ratio(ratio) => Some(ratio),
            Excess::Unbounded | Excess::NotComparable => None,
        },
        p_value,
        njr_level: njr_level(excess, tally.primaries),
        flagged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(primaries: u64, revisions: u64, years: i64) -> RiskTally {
        // Whole years of 365.25 days: multiples of 4 years make whole days.
        RiskTally {
            primaries,
            revisions,
            days_at_risk: years * 1461 / 4,
        }
    }

    fn screen(device: RiskTally, site: RiskTally) -> OutlierRow {
        screen_device(
            DeviceKey(7),
            BodySite::Hip,
            &device,
            &site,
            &OutlierRule::default(),
        )
    }

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not within {tolerance} of {expected}"
        );
    }

    #[test]
    fn flags_a_device_at_three_times_its_group_rate() {
        // Device: 20 primaries, 6 revisions over 100 years → 6.0 per 100.
        // Site: 220 primaries, 10 revisions over 300 years; the rest: 200 primaries, 4
        // revisions over 200 years → 2.0 per 100. Ratio 3.0.
        // Expected at the group's rate: μ = 0.02 × 100 = 2; P(X ≥ 6 | 2) =
        // 1 − e^−2 (1 + 2 + 2 + 4/3 + 2/3 + 4/15) = 0.016563608480614 < 0.05 → flagged.
        let row = screen(tally(20, 6, 100), tally(220, 10, 300));
        close(row.rate_per_100.unwrap(), 6.0, 1e-12);
        close(row.group_rate_per_100.unwrap(), 2.0, 1e-12);
        close(row.ratio.unwrap(), 3.0, 1e-12);
        let by_hand =
            1.0 - (-2.0f64).exp() * (1.0 + 2.0 + 2.0 + 4.0 / 3.0 + 2.0 / 3.0 + 4.0 / 15.0);
        close(row.p_value.unwrap(), by_hand, 1e-12);
        assert!(row.flagged);
        // 20 primaries (< 100) at ≥ 2×: NJR level 2.
        assert_eq!(row.njr_level, Some(NjrLevel::Level2));
    }

    #[test]
    fn needs_ten_primaries_twice_the_rate_and_a_small_p() {
        // 9 primaries: the same excess is not flagged.
        assert!(!screen(tally(9, 6, 100), tally(209, 10, 300)).flagged);
        // Ratio 1.5 (3 per 100 vs 2 per 100): not flagged.
        let row = screen(tally(20, 3, 100), tally(220, 7, 300));
        close(row.ratio.unwrap(), 1.5, 1e-12);
        assert!(!row.flagged);
        assert_eq!(
            row.njr_level, None,
            "1.5× with fewer than 100 is no NJR level"
        );
        // Ratio 2 but weak evidence: 4 revisions over 100 years vs 2 per 100 → μ = 2,
        // P(X ≥ 4 | 2) = 1 − e^−2 (1 + 2 + 2 + 4/3) = 0.1428765 ≥ 0.05.
        let row = screen(tally(10, 4, 100), tally(210, 8, 300));
        close(row.ratio.unwrap(), 2.0, 1e-12);
        let by_hand = 1.0 - (-2.0f64).exp() * (1.0 + 2.0 + 2.0 + 4.0 / 3.0);
        close(row.p_value.unwrap(), by_hand, 1e-12);
        assert!(!row.flagged);
    }

    #[test]
    fn njr_levels_for_large_devices() {
        // 100 primaries at 2×: level 1; at 1.5×: level 2.
        let row = screen(tally(100, 8, 200), tally(300, 12, 400));
        close(row.ratio.unwrap(), 2.0, 1e-12);
        assert_eq!(row.njr_level, Some(NjrLevel::Level1));
        let row = screen(tally(100, 6, 200), tally(300, 10, 400));
        close(row.ratio.unwrap(), 1.5, 1e-12);
        assert_eq!(row.njr_level, Some(NjrLevel::Level2));
    }

    #[test]
    fn no_revisions_and_no_comparator() {
        // No revisions at all: 0/0 has no ratio; p = P(X ≥ 0) = 1; nothing flagged.
        let row = screen(tally(50, 0, 100), tally(150, 0, 300));
        assert_eq!((row.ratio, row.p_value), (None, Some(1.0)));
        assert!(!row.flagged);
        // The group has years but no revisions; the device 3: unbounded excess, p = 0.
        let row = screen(tally(50, 3, 100), tally(150, 3, 300));
        assert_eq!((row.ratio, row.p_value), (None, Some(0.0)));
        assert!(row.flagged);
        // The device is the whole site: nothing to compare with.
        let row = screen(tally(50, 30, 100), tally(50, 30, 100));
        assert_eq!(
            (row.group_rate_per_100, row.ratio, row.p_value),
            (None, None, None)
        );
        assert!(!row.flagged);
        // All primaries on the analysis date: no years at risk.
        let row = screen(tally(50, 0, 0), tally(150, 3, 300));
        assert_eq!((row.rate_per_100, row.ratio), (None, None));
        assert!(!row.flagged);
    }

    #[test]
    fn serialises_with_the_rest_field_names() {
        let row = screen(tally(20, 6, 100), tally(220, 10, 300))
            .map_device(|key| format!("DI-{}", key.0));
        let json = serde_json::to_value(&row).unwrap();
        for field in [
            "device_identifier",
            "primaries",
            "revisions",
            "component_years",
            "rate_per_100",
            "group_rate_per_100",
            "ratio",
            "p_value",
            "njr_level",
        ] {
            assert!(json.get(field).is_some(), "{field} missing from {json}");
        }
        assert_eq!(json["device_identifier"], "DI-7");
        assert_eq!(json["njr_level"], 2);
        let back: OutlierRow<String> = serde_json::from_value(json).unwrap();
        assert_eq!(back, row);
    }
}
