//! The time, as the server sees it. Everything that reads the time asks the database's clock
//! (`Database::now`, or a connection's), so that tests, and a demo, can move time on instead
//! of waiting for it (a lock to expire, an authenticator's next 30-second step).

use std::sync::atomic::{AtomicI64, Ordering};

use time::{Duration, OffsetDateTime};

use crate::db::types::Timestamp;

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> Timestamp;
}

/// The real time, moved on by a settable offset (zero unless a test or the demo moves it).
#[derive(Debug, Default)]
pub struct ServerClock {
    offset_milliseconds: AtomicI64,
}

impl ServerClock {
    /// Moves this clock on (never back: stored times must not run backwards).
    pub fn advance(&self, by: Duration) {
        let milliseconds = by.whole_milliseconds().clamp(0, i128::from(i64::MAX)) as i64;
        self.offset_milliseconds
            .fetch_add(milliseconds, Ordering::SeqCst);
    }

    pub fn offset(&self) -> Duration {
        Duration::milliseconds(self.offset_milliseconds.load(Ordering::SeqCst))
    }
}

impl Clock for ServerClock {
    fn now(&self) -> Timestamp {
        Timestamp::new(OffsetDateTime::now_utc() + self.offset())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_moves_on_when_told_and_never_back() {
        let clock = ServerClock::default();
        let before = clock.now();
        clock.advance(Duration::minutes(16));
        assert!(clock.now() - before >= Duration::minutes(16));
        clock.advance(Duration::minutes(-30));
        assert!(clock.now() - before >= Duration::minutes(16));
    }
}
