//! Requests per token: a steady rate with a burst above it (GCRA, the generic cell rate
//! algorithm: one "theoretical arrival time" per token), on the injected clock. A request over
//! the limit is refused with 429 and `Retry-After`.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::http::StatusCode;

use super::problem::ApiError;
use crate::config::ApiConfig;
use crate::domain::time::Timestamp;

/// The limits of every token, in memory (a restart forgives).
#[derive(Debug)]
pub struct RateLimits {
    /// Milliseconds between requests at the steady rate; 0: no limit.
    interval_ms: i64,
    /// Requests at once above the steady rate.
    burst: i64,
    per_minute: u32,
    /// Token id → theoretical arrival time (ms).
    tat: Mutex<HashMap<u64, i64>>,
}

impl RateLimits {
    /// The limits `[api]` sets.
    pub fn new(cfg: &ApiConfig) -> RateLimits {
        let per_minute = i64::from(cfg.rate_limit_per_minute);
        RateLimits {
            interval_ms: if per_minute == 0 { 0 } else { (60_000 / per_minute).max(1) },
            burst: i64::from(cfg.rate_limit_burst.max(1)),
            per_minute: cfg.rate_limit_per_minute,
            tat: Mutex::new(HashMap::new()),
        }
    }

    /// Count a request of `token` at `now`; refused when over the limit.
    pub fn take(&self, token: u64, now: Timestamp) -> Result<(), ApiError> {
        if self.interval_ms == 0 {
            return Ok(());
        }
        let now = now.as_millis();
        let mut tat = self.tat.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let t = tat.entry(token).or_insert(now);
        let next = (*t).max(now) + self.interval_ms;
        let over = next - now - self.burst * self.interval_ms;
        if over > 0 {
            let secs = u64::try_from((over + 999) / 1000).unwrap_or(1).max(1);
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "API0429",
                format!("Too many requests: this token may make {} a minute", self.per_minute),
            )
            .retry_after(secs));
        }
        *t = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_steady_rate_and_tokens_apart() {
        let cfg = ApiConfig { rate_limit_per_minute: 60, rate_limit_burst: 3, ..ApiConfig::default() };
        let l = RateLimits::new(&cfg);
        let t0 = Timestamp::from_secs(1_800_000_000);
        for _ in 0..3 {
            l.take(1, t0).unwrap();
        }
        let e = l.take(1, t0).unwrap_err();
        assert_eq!((e.status().as_u16(), e.code()), (429, "API0429"));
        l.take(2, t0).unwrap();
        // One a second comes back.
        l.take(1, t0.plus_secs(1)).unwrap();
        assert!(l.take(1, t0.plus_secs(1)).is_err());
        for s in 2..10 {
            l.take(1, t0.plus_secs(s)).unwrap();
        }
        let off = RateLimits::new(&ApiConfig { rate_limit_per_minute: 0, ..ApiConfig::default() });
        for _ in 0..10_000 {
            off.take(1, t0).unwrap();
        }
    }
}
