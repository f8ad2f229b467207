//! Rate limits, counted in the database so that every server process sharing it sees the same
//! counts and a restart forgets nothing.
//!
//! Each limit counts attempts per key (a client address, an account, an organisation) in
//! fixed windows and decides on a sliding estimate: all of the current window plus the part of
//! the previous window that the sliding window still covers (the usual two-window
//! approximation, without the burst a plain fixed window allows at its boundary). An attempt is
//! counted *before* the work it guards, in the same step as the check, so requests arriving
//! together cannot all pass before the first is counted; a refused attempt is not counted.
//! The first refusal of each window is written to the audit trail.

use app::api::ApiError;
use app::api::context::Principal;
use serde_json::json;

use crate::audit::{self, Action, Event};
use crate::db::{Database, rate_limits};
use crate::services::error::ServiceResult;

/// At most `max` attempts per key in any `window_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub bucket: &'static str,
    pub max: u32,
    pub window_seconds: i64,
}

impl Limit {
    /// The start of the fixed window holding `now` (unix seconds), and of the one before.
    pub fn windows(&self, now: i64) -> (i64, i64) {
        let start = now - now.rem_euclid(self.window_seconds);
        (start, start - self.window_seconds)
    }

    /// The sliding estimate of attempts in the `window_seconds` ending at `now`.
    pub fn sliding_count(&self, counts: rate_limits::WindowCounts, now: i64) -> f64 {
        let (start, _) = self.windows(now);
        let overlap = 1.0 - (now - start) as f64 / self.window_seconds as f64;
        counts.current as f64 + counts.previous as f64 * overlap
    }

    /// `Err(seconds to wait)` when the attempt just counted goes over the limit.
    pub fn decide(&self, counts: rate_limits::WindowCounts, now: i64) -> Result<(), u64> {
        if self.sliding_count(counts, now) <= f64::from(self.max) {
            return Ok(());
        }
        let (start, _) = self.windows(now);
        let wait = if counts.current > i64::from(self.max) {
            // This window alone is full: wait for the next one.
            start + self.window_seconds - now
        } else {
            // The previous window's share shrinks as time passes: wait until enough of it has.
            let excess = self.sliding_count(counts, now) - f64::from(self.max);
            let per_second = counts.previous as f64 / self.window_seconds as f64;
            (excess / per_second.max(f64::MIN_POSITIVE)).ceil() as i64
        };
        Err(wait.clamp(1, self.window_seconds) as u64)
    }
}

/// Counts attempts against limits in the database.
#[derive(Clone, Debug)]
pub struct RateLimiter {
    database: Database,
}

/// How much of a limit is used after an attempt that was allowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Usage {
    pub used: f64,
    pub max: u32,
}

impl Usage {
    /// True from 80 % of the limit: time to warn someone.
    pub fn nearly_exhausted(&self) -> bool {
        self.used >= 0.8 * f64::from(self.max)
    }
}

impl RateLimiter {
    pub fn new(database: Database) -> Self {
        Self { database }
    }

    /// Counts an attempt for `key`, or refuses it (`ApiError::RateLimited`) when over the
    /// limit. `who` and `client_ip` go into the audit entry of the window's first refusal.
    pub async fn take(
        &self,
        limit: &Limit,
        key: &str,
        who: Option<&Principal>,
        client_ip: Option<&str>,
    ) -> ServiceResult<Usage> {
        let now = self.database.now().unix_seconds();
        let (start, previous) = limit.windows(now);
        let mut transaction = self.database.write().await?;
        let counts =
            rate_limits::count_attempt(&mut transaction, limit.bucket, key, start, previous)
                .await?;
        match limit.decide(counts, now) {
            Ok(()) => {
                transaction.commit().await?;
                Ok(Usage {
                    used: limit.sliding_count(counts, now),
                    max: limit.max,
                })
            }
            Err(retry_after_seconds) => {
                let refusals =
                    rate_limits::record_refusal(&mut transaction, limit.bucket, key, start).await?;
                if refusals == 1 {
                    tracing::warn!(bucket = limit.bucket, key = ?key, "rate limit reached");
                    let mut event = Event::new(Action::RateLimitRefused)
                        .with(json!({ "limit": limit.bucket, "key": key, "max": limit.max, "window_seconds": limit.window_seconds }))
                        .from_ip(client_ip);
                    if let Some(who) = who {
                        event = event.by(who);
                    }
                    audit::record(&mut transaction, event).await?;
                }
                transaction.commit().await?;
                Err(ApiError::RateLimited {
                    retry_after_seconds,
                }
                .into())
            }
        }
    }

    /// Gives back an attempt counted by `take` (for limits on failures: the attempt worked).
    pub async fn give_back(&self, limit: &Limit, key: &str) -> ServiceResult<()> {
        let (start, _) = limit.windows(self.database.now().unix_seconds());
        let mut transaction = self.database.write().await?;
        rate_limits::give_back(&mut transaction, limit.bucket, key, start).await?;
        Ok(transaction.commit().await?)
    }

    /// The sliding count for `key` now, without counting.
    pub async fn usage(&self, limit: &Limit, key: &str) -> ServiceResult<Usage> {
        let now = self.database.now().unix_seconds();
        let (start, previous) = limit.windows(now);
        let mut connection = self.database.read().await?;
        let counts =
            rate_limits::counts(&mut connection, limit.bucket, key, start, previous).await?;
        Ok(Usage {
            used: limit.sliding_count(counts, now),
            max: limit.max,
        })
    }

    /// The keys with the most attempts in the current window.
    pub async fn busiest(&self, limit: &Limit, count: i64) -> ServiceResult<Vec<(String, i64)>> {
        let (start, _) = limit.windows(self.database.now().unix_seconds());
        let mut connection = self.database.read().await?;
        Ok(rate_limits::busiest(&mut connection, limit.bucket, start, count).await?)
    }
}

/// The key a client address is limited by: the address itself for IPv4, its /64 network for
/// IPv6 (one subscriber usually has a whole /64, so single addresses are free to rotate).
pub fn address_key(ip: Option<&str>) -> String {
    match ip.and_then(|ip| ip.parse::<std::net::IpAddr>().ok()) {
        Some(std::net::IpAddr::V6(v6)) => {
            let segments = v6.segments();
            format!(
                "{:x}:{:x}:{:x}:{:x}::/64",
                segments[0], segments[1], segments[2], segments[3]
            )
        }
        Some(std::net::IpAddr::V4(v4)) => v4.to_string(),
        None => "unknown".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rate_limits::WindowCounts;

    const LIMIT: Limit = Limit {
        bucket: "test",
        max: 10,
        window_seconds: 100,
    };

    fn counts(current: i64, previous: i64) -> WindowCounts {
        WindowCounts { current, previous }
    }

    #[test]
    fn windows_are_aligned_to_their_length() {
        assert_eq!(LIMIT.windows(1_234), (1_200, 1_100));
        assert_eq!(LIMIT.windows(1_200), (1_200, 1_100));
    }

    #[test]
    fn the_previous_window_weighs_by_how_much_it_still_overlaps() {
        // 25 s into the window: 75 % of the previous window is still inside the last 100 s.
        assert_eq!(LIMIT.sliding_count(counts(4, 8), 1_225), 4.0 + 6.0);
        assert_eq!(LIMIT.decide(counts(4, 8), 1_225), Ok(()));
        // One more is over: 11 > 10. The previous window's share (0.08 per second) must fall by 1.
        assert_eq!(LIMIT.decide(counts(5, 8), 1_225), Err(13));
    }

    #[test]
    fn a_full_window_waits_for_the_next() {
        assert_eq!(LIMIT.decide(counts(11, 0), 1_240), Err(60));
        assert_eq!(LIMIT.decide(counts(10, 0), 1_240), Ok(()));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_bit_network() {
        assert_eq!(
            address_key(Some("2001:db8:1:2:aaaa::1")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            address_key(Some("2001:db8:1:2:ffff::9")),
            address_key(Some("2001:db8:1:2::5"))
        );
        assert_eq!(address_key(Some("192.0.2.7")), "192.0.2.7");
        assert_eq!(address_key(None), "unknown");
    }

    #[test]
    fn usage_warns_from_eighty_percent() {
        assert!(Usage { used: 8.0, max: 10 }.nearly_exhausted());
        assert!(!Usage { used: 7.9, max: 10 }.nearly_exhausted());
    }
}
