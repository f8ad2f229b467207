//! Funnel plots: each device's ratio of observed to expected revisions against its
//! component-years, between probability-based limits.
//!
//! Why prediction limits and not confidence intervals: the question a funnel answers is
//! "would a device with the group's rate and this much follow-up land here by chance?", so the
//! limits are Poisson quantiles of the expected count μ = rate × years, divided by μ. They
//! narrow as years grow. Spiegelhalter's interpolation (Stat Med 2005, appendix A.1.1) turns
//! the steps of the discrete quantile into a smooth curve: for a quantile r with
//! F(r) ≥ p > F(r − 1), the limit is (r − α) / μ with α = (F(r) − p) / (F(r) − F(r − 1)).

use serde::{Deserialize, Serialize};

use super::disclosure::{Disclose, DisclosureControl};
use super::input::DeviceKey;
use super::poisson::{poisson_at_most, poisson_quantile};
use crate::procedure::BodySite;

/// The limits at one amount of follow-up, on the ratio scale (1 = the group's rate).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FunnelLimit {
    pub component_years: f64,
    pub expected_revisions: f64,
    /// 99.8 % limits (0.1 % in each tail): "3 standard deviations".
    pub lower_998: f64,
    /// 95 % limits (2.5 % in each tail): "2 standard deviations".
    pub lower_95: f64,
    pub upper_95: f64,
    pub upper_998: f64,
}

/// One device's point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FunnelPoint<Device = DeviceKey> {
    pub device_identifier: Device,
    pub component_years: f64,
    /// Observed over expected at the group's rate; `None` without years at risk.
    pub ratio: Option<f64>,
}

/// A body site's funnel: the devices' points and the limit curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelPlot<Device = DeviceKey> {
    pub body_site: BodySite,
    /// The site's rate, the target line's level; `None` without years at risk.
    pub group_rate_per_100: Option<f64>,
    pub devices: Vec<FunnelPoint<Device>>,
    pub limits: Vec<FunnelLimit>,
}

/// A funnel holds ratios and years only: nothing to control, but it passes the same step so
/// that every aggregate leaves the server the same way.
impl<Device> Disclose for FunnelPlot<Device> {
    fn control_counts(&mut self, _control: &DisclosureControl) {}
}

/// The interpolated `probability` limit on observed/expected for an expected count `mean`.
pub fn funnel_ratio_limit(probability: f64, mean: f64) -> f64 {
    if mean <= 0.0 || !mean.is_finite() {
        return f64::NAN;
    }
    let quantile = poisson_quantile(probability, mean);
    let at_quantile = poisson_at_most(quantile, mean);
    let below = match quantile {
        0 => 0.0,
        q => poisson_at_most(q - 1, mean),
    };
    let step = at_quantile - below;
    let alpha = if step > 0.0 {
        (at_quantile - probability) / step
    } else {
        0.0
    };
    ((quantile as f64 - alpha) / mean).max(0.0)
}

/// The limit curve at `points` evenly spaced amounts of follow-up, from
/// `max_component_years / points` up to `max_component_years`, for a group with
/// `group_rate_per_100` revisions per 100 component-years. Empty when the rate or the range
/// is not positive (there is no funnel to draw).
pub fn funnel_limits(
    group_rate_per_100: f64,
    max_component_years: f64,
    points: usize,
) -> Vec<FunnelLimit> {
    let rate_per_year = group_rate_per_100 / 100.0;
    let usable = |x: f64| x > 0.0 && x.is_finite();
    if !usable(rate_per_year) || !usable(max_component_years) || points == 0 {
        return Vec::new();
    }
    (1..=points)
        .map(|point| {
            let component_years = max_component_years * point as f64 / points as f64;
            let mean = rate_per_year * component_years;
            FunnelLimit {
                component_years,
                expected_revisions: mean,
                lower_998: funnel_ratio_limit(0.001, mean),
                lower_95: funnel_ratio_limit(0.025, mean),
                upper_95: funnel_ratio_limit(0.975, mean),
                upper_998: funnel_ratio_limit(0.999, mean),
            }
        })
        .collect()
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

    #[test]
    fn interpolated_limit_by_hand() {
        // μ = 2, p = 0.975: F(4) = 0.9473, F(5) = 0.9834 → r = 5,
        // α = (0.9834364 − 0.975) / (0.9834364 − 0.9473470) = 0.2337666, limit =
        // (5 − 0.2337666) / 2 = 2.3831167.
        let e = (-2.0f64).exp();
        let f4 = e * (1.0 + 2.0 + 2.0 + 4.0 / 3.0 + 2.0 / 3.0);
        let f5 = f4 + e * 4.0 / 15.0;
        let alpha = (f5 - 0.975) / (f5 - f4);
        close(funnel_ratio_limit(0.975, 2.0), (5.0 - alpha) / 2.0, 1e-9);
        // p = 0.025: F(0) = e^−2 = 0.1353 ≥ 0.025 → r = 0, α = (0.1353 − 0.025) / 0.1353,
        // limit (0 − α) / 2 < 0 → 0.
        assert_eq!(funnel_ratio_limit(0.025, 2.0), 0.0);
    }

    #[test]
    fn limits_narrow_towards_one_as_follow_up_grows() {
        let limits = funnel_limits(2.0, 10_000.0, 50);
        assert_eq!(limits.len(), 50);
        close(limits[49].component_years, 10_000.0, 1e-9);
        close(limits[49].expected_revisions, 200.0, 1e-9);
        for pair in limits.windows(2) {
            assert!(pair[1].upper_998 <= pair[0].upper_998 + 1e-9);
            assert!(pair[1].lower_95 >= pair[0].lower_95 - 1e-9);
        }
        let last = limits[49];
        assert!(last.lower_998 < last.lower_95 && last.lower_95 < 1.0);
        assert!(1.0 < last.upper_95 && last.upper_95 < last.upper_998);
        // Near the normal approximation at μ = 200: 1 ± 1.96 / √200 = 0.861 to 1.139.
        close(last.lower_95, 1.0 - 1.96 / 200f64.sqrt(), 0.01);
        close(last.upper_95, 1.0 + 1.96 / 200f64.sqrt(), 0.01);
    }

    #[test]
    fn no_funnel_without_a_rate_or_points() {
        assert!(funnel_limits(0.0, 100.0, 10).is_empty());
        assert!(funnel_limits(2.0, 0.0, 10).is_empty());
        assert!(funnel_limits(2.0, 100.0, 0).is_empty());
    }
}
