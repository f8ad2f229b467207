//! Poisson arithmetic for revision rates: exact limits, tail probabilities and quantiles.
//!
//! Revisions over component-years are treated as a Poisson count, as the registries do. The
//! chi-square and incomplete-gamma functions come from `statrs`; everything that could panic
//! there (a zero mean, a probability outside 0–1) is decided here first.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};
use statrs::function::gamma::checked_gamma_lr;

use super::disclosure::{Count, Disclose, DisclosureControl};

/// Days in a year at risk: the mean length of a Julian year, so leap days average out.
pub const DAYS_PER_YEAR: f64 = 365.25;

/// Exact (Garwood) limits on the mean of a Poisson count `observed`, for a two-sided
/// `confidence` level such as 0.95: lower = χ²(α/2; 2k)/2, upper = χ²(1−α/2; 2k+2)/2, and
/// lower = 0 when k = 0 (the χ² with no degrees of freedom is the point 0).
pub fn exact_poisson_limits(observed: u64, confidence: f64) -> (f64, f64) {
    let alpha = (1.0 - confidence).clamp(f64::MIN_POSITIVE, 1.0);
    let k = observed as f64;
    let lower = if observed == 0 {
        0.0
    } else {
        chi_square_quantile(2.0 * k, alpha / 2.0) / 2.0
    };
    let upper = chi_square_quantile(2.0 * k + 2.0, 1.0 - alpha / 2.0) / 2.0;
    (lower, upper)
}

fn chi_square_quantile(degrees_of_freedom: f64, probability: f64) -> f64 {
    // Degrees of freedom here are ≥ 2, so `new` cannot fail; NaN says so if it ever did.
    ChiSquared::new(degrees_of_freedom)
        .map(|distribution| distribution.inverse_cdf(probability.clamp(0.0, 1.0)))
        .unwrap_or(f64::NAN)
}

/// P(X ≥ `observed`) for X ~ Poisson(`mean`): the one-sided probability of seeing at least
/// this many revisions. It equals the regularised lower incomplete gamma P(k, μ).
pub fn poisson_at_least(observed: u64, mean: f64) -> f64 {
    if observed == 0 {
        return 1.0;
    }
    if mean <= 0.0 || mean.is_nan() {
        return 0.0;
    }
    if mean.is_infinite() {
        return 1.0;
    }
    checked_gamma_lr(observed as f64, mean).unwrap_or(f64::NAN)
}

/// P(X ≤ `count`) for X ~ Poisson(`mean`).
pub fn poisson_at_most(count: u64, mean: f64) -> f64 {
    1.0 - poisson_at_least(count.saturating_add(1), mean)
}

/// The smallest count r with P(X ≤ r) ≥ `probability`, for X ~ Poisson(`mean`).
pub fn poisson_quantile(probability: f64, mean: f64) -> u64 {
    if mean <= 0.0 || !mean.is_finite() || probability <= 0.0 {
        return 0;
    }
    let probability = probability.min(1.0 - f64::EPSILON);
    // P(X ≤ c), with P(X ≤ −1) = 0 so that −1 is always below the answer.
    let at_most = |count: i64| match u64::try_from(count) {
        Ok(count) => poisson_at_most(count, mean),
        Err(_) => 0.0,
    };
    // Bracket the answer in steps that double from one standard deviation around the mean,
    // then halve the bracket: a few dozen gamma evaluations whatever the mean.
    let spread = mean.sqrt().ceil().max(1.0) as i64;
    let mut high = mean.ceil() as i64;
    let mut step = spread;
    while at_most(high) < probability {
        high += step;
        step *= 2;
    }
    let mut low = (high - spread).max(-1);
    step = spread;
    while at_most(low) >= probability {
        high = low;
        low = (low - step).max(-1);
        step *= 2;
    }
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        if at_most(middle) >= probability {
            high = middle;
        } else {
            low = middle;
        }
    }
    high.max(0) as u64
}

/// A revision rate: revisions per 100 component-years at risk, with exact Poisson 95 % limits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RevisionRate {
    pub revisions: Count,
    pub component_years: f64,
    /// `None` when there is no time at risk (every primary was on the analysis date).
    pub rate_per_100: Option<f64>,
    pub lower_95: Option<f64>,
    pub upper_95: Option<f64>,
}

impl RevisionRate {
    pub fn new(revisions: u64, component_years: f64) -> Self {
        let (lower, upper) = exact_poisson_limits(revisions, 0.95);
        let per_100 = |count: f64| {
            (component_years > 0.0 && component_years.is_finite())
                .then(|| 100.0 * count / component_years)
        };
        Self {
            revisions: Count::Shown(revisions),
            component_years,
            rate_per_100: per_100(revisions as f64),
            lower_95: per_100(lower),
            upper_95: per_100(upper),
        }
    }
}

impl Disclose for RevisionRate {
    fn control_counts(&mut self, control: &DisclosureControl) {
        self.revisions.control_counts(control);
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

    #[test]
    fn exact_limits_match_the_chi_square_formula() {
        // Reference figures from scipy.stats.chi2.ppf(0.025, 2k)/2 and chi2.ppf(0.975, 2k+2)/2.
        let (lower, upper) = exact_poisson_limits(0, 0.95);
        assert_eq!(lower, 0.0);
        close(upper, 3.688879454113936, 1e-9); // = −ln(0.025): P(X = 0 | μ) = 0.025.
        let (lower, upper) = exact_poisson_limits(1, 0.95);
        close(lower, 0.025317807984289876, 1e-9); // = −ln(0.975).
        close(upper, 5.571643390938898, 1e-9);
        let (lower, upper) = exact_poisson_limits(3, 0.95);
        close(lower, 0.6186721228956014, 1e-9);
        close(upper, 8.767273069742323, 1e-9);
        let (lower, upper) = exact_poisson_limits(100, 0.95);
        close(lower, 81.36399125092314, 1e-7);
        close(upper, 121.62679379242638, 1e-7);
    }

    #[test]
    fn tail_probabilities_by_hand() {
        // P(X ≥ 1 | μ = 2) = 1 − e^−2 = 0.8646647167633873.
        close(poisson_at_least(1, 2.0), 1.0 - (-2.0f64).exp(), 1e-12);
        // P(X ≥ 3 | μ = 1) = 1 − e^−1 (1 + 1 + 1/2) = 0.08030139707139416.
        close(poisson_at_least(3, 1.0), 1.0 - (-1.0f64).exp() * 2.5, 1e-12);
        assert_eq!(poisson_at_least(0, 0.0), 1.0);
        assert_eq!(poisson_at_least(2, 0.0), 0.0);
        // P(X ≤ 1 | μ = 2) = e^−2 (1 + 2) = 0.40600584970983811.
        close(poisson_at_most(1, 2.0), 3.0 * (-2.0f64).exp(), 1e-12);
    }

    #[test]
    fn quantiles_are_the_smallest_count_reaching_the_probability() {
        // μ = 2: P(X ≤ 0) = 0.1353, P(X ≤ 1) = 0.4060, P(X ≤ 2) = 0.6767, P(X ≤ 5) = 0.9834,
        // P(X ≤ 6) = 0.9955.
        assert_eq!(poisson_quantile(0.1, 2.0), 0);
        assert_eq!(poisson_quantile(0.5, 2.0), 2);
        assert_eq!(poisson_quantile(0.975, 2.0), 5);
        assert_eq!(poisson_quantile(0.99, 2.0), 6);
        // scipy.stats.poisson.ppf(0.025, 1000) = 938, ppf(0.999, 1000) = 1099.
        assert_eq!(poisson_quantile(0.025, 1000.0), 938);
        assert_eq!(poisson_quantile(0.999, 1000.0), 1099);
        assert_eq!(poisson_quantile(0.5, 0.0), 0);
        // scipy.stats.poisson.ppf(1e-6, 3) = 0 and ppf(0.999, 1e6) = 1003092.
        assert_eq!(poisson_quantile(1e-6, 3.0), 0);
        assert_eq!(poisson_quantile(0.999, 1e6), 1_003_092);
    }

    #[test]
    fn rate_per_100_component_years() {
        // 3 revisions over 150 component-years: 100 × 3 / 150 = 2.0 per 100; limits are
        // 100 × (0.6187, 8.7673) / 150 = (0.4124, 5.8448).
        let rate = RevisionRate::new(3, 150.0);
        close(rate.rate_per_100.unwrap(), 2.0, 1e-12);
        close(rate.lower_95.unwrap(), 0.4124480819304009, 1e-9);
        close(rate.upper_95.unwrap(), 5.844848713161548, 1e-9);
        let none = RevisionRate::new(0, 0.0);
        assert_eq!(none.rate_per_100, None);
        assert_eq!(none.upper_95, None);
    }
}
