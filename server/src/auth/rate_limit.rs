//! Counting attempts per key (a client address, an email address that has no account, a user
//! asking for pseudonyms) in a sliding window, in memory: enough to slow guessing from one
//! place without a database write per attempt. Per-account lockout lives in the database (it
//! must survive restarts).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct AttemptLimiter {
    max_attempts: usize,
    window: Duration,
    attempts: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl AttemptLimiter {
    pub fn new(max_attempts: usize, window: Duration) -> Self {
        Self {
            max_attempts,
            window,
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds to wait)` when `key` has used up its attempts in the window.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        let mut attempts = self
            .attempts
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        self.wait(&mut attempts, key)
    }

    /// Checks and counts an attempt in one step, so that requests arriving together cannot all
    /// pass the check before any of them is counted.
    pub fn take(&self, key: &str) -> Result<(), u64> {
        let mut attempts = self
            .attempts
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        self.wait(&mut attempts, key)?;
        Self::push(&mut attempts, key, self.window);
        Ok(())
    }

    fn wait(
        &self,
        attempts: &mut HashMap<String, VecDeque<Instant>>,
        key: &str,
    ) -> Result<(), u64> {
        let Some(times) = attempts.get_mut(key) else {
            return Ok(());
        };
        let now = Instant::now();
        while times
            .front()
            .is_some_and(|first| now.duration_since(*first) >= self.window)
        {
            times.pop_front();
        }
        if times.len() < self.max_attempts {
            return Ok(());
        }
        let oldest = *times.front().expect("non-empty: at the limit");
        let wait = self.window.saturating_sub(now.duration_since(oldest));
        Err(wait.as_secs().max(1))
    }

    fn push(attempts: &mut HashMap<String, VecDeque<Instant>>, key: &str, window: Duration) {
        // Bound the memory an attacker can make us use with many keys.
        if attempts.len() > 100_000 {
            attempts.retain(|_, times| times.back().is_some_and(|last| last.elapsed() < window));
        }
        attempts
            .entry(key.to_string())
            .or_default()
            .push_back(Instant::now());
    }

    pub fn record(&self, key: &str) {
        let mut attempts = self
            .attempts
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        Self::push(&mut attempts, key, self.window);
    }

    pub fn clear(&self, key: &str) {
        self.attempts
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_maximum_until_the_window_passes() {
        let limiter = AttemptLimiter::new(3, Duration::from_millis(200));
        for _ in 0..3 {
            assert!(limiter.check("a").is_ok());
            limiter.record("a");
        }
        assert!(limiter.check("a").is_err());
        assert!(limiter.check("b").is_ok(), "other keys are unaffected");
        std::thread::sleep(Duration::from_millis(220));
        assert!(limiter.check("a").is_ok());
        limiter.record("a");
        limiter.clear("a");
        assert!(limiter.check("a").is_ok());
    }
}
