//! Login throttling: 5 failed logins for one account or from one client address within 15
//! minutes lock that account or address for 15 minutes.

use serde::{Deserialize, Serialize};

use super::time::Timestamp;

/// Failures that trigger a lock.
pub const MAX_FAILURES: usize = 5;
/// Window in which failures are counted, seconds.
pub const WINDOW_SECS: i64 = 15 * 60;
/// How long a lock lasts, seconds.
pub const LOCK_SECS: i64 = 15 * 60;

/// Recent failed logins for one key (an account or a client address).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureWindow {
    /// Times of failures inside the window, oldest first.
    pub failures: Vec<Timestamp>,
    /// While set and in the future, logins for this key are refused.
    pub locked_until: Option<Timestamp>,
}

impl FailureWindow {
    /// The end of the lock, when one is in force at `now`.
    pub fn locked_at(&self, now: Timestamp) -> Option<Timestamp> {
        self.locked_until.filter(|until| *until > now)
    }

    /// Record a failure at `now`; returns the end of the lock if this failure caused one.
    pub fn record_failure(&mut self, now: Timestamp) -> Option<Timestamp> {
        self.forget_old(now);
        self.failures.push(now);
        if self.failures.len() >= MAX_FAILURES {
            let until = now.plus_secs(LOCK_SECS);
            self.locked_until = Some(until);
            self.failures.clear();
            return Some(until);
        }
        None
    }

    /// Drop failures older than the window and an expired lock.
    pub fn forget_old(&mut self, now: Timestamp) {
        self.failures.retain(|t| now.secs_since(*t) < WINDOW_SECS);
        if self.locked_at(now).is_none() {
            self.locked_until = None;
        }
    }

    /// Nothing left worth storing.
    pub fn is_empty(&self) -> bool {
        self.failures.is_empty() && self.locked_until.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_in_window_lock_for_fifteen_minutes() {
        let t0 = Timestamp::from_secs(10_000);
        let mut w = FailureWindow::default();
        for i in 0..4 {
            assert_eq!(w.record_failure(t0.plus_secs(i * 60)), None);
        }
        let until = w.record_failure(t0.plus_secs(240)).unwrap();
        assert_eq!(until, t0.plus_secs(240 + LOCK_SECS));
        assert_eq!(w.locked_at(t0.plus_secs(300)), Some(until));
        assert_eq!(w.locked_at(until), None);
    }

    #[test]
    fn failures_outside_window_do_not_count() {
        let t0 = Timestamp::from_secs(10_000);
        let mut w = FailureWindow::default();
        for i in 0..4 {
            w.record_failure(t0.plus_secs(i));
        }
        // 16 minutes later the old four have expired.
        assert_eq!(w.record_failure(t0.plus_secs(16 * 60)), None);
        assert_eq!(w.failures.len(), 1);
        w.forget_old(t0.plus_secs(40 * 60));
        assert!(w.is_empty());
    }
}
