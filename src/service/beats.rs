//! When each background job last finished a round without an error, for monitoring
//! (`vpsbox_job_last_success_timestamp_seconds` on `/metrics`). Kept in memory: a restarted
//! daemon reports its jobs from their first round on.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::clock::Clock;
use crate::domain::time::Timestamp;

/// The jobs' last successes.
#[derive(Clone)]
pub struct JobBeats {
    last: Arc<Mutex<BTreeMap<&'static str, Timestamp>>>,
    clock: Arc<dyn Clock>,
}

impl JobBeats {
    /// No job has run yet.
    pub fn new(clock: Arc<dyn Clock>) -> JobBeats {
        JobBeats { last: Arc::default(), clock }
    }

    /// `job` finished a round without an error now.
    pub fn ok(&self, job: &'static str) {
        let now = self.clock.now();
        if let Ok(mut m) = self.last.lock() {
            m.insert(job, now);
        }
    }

    /// Record the round's outcome: a success beats, an error does not.
    pub fn outcome<T, E>(&self, job: &'static str, r: &Result<T, E>) {
        if r.is_ok() {
            self.ok(job);
        }
    }

    /// Every job that has succeeded, by name, with when it last did.
    pub fn last(&self) -> Vec<(&'static str, Timestamp)> {
        self.last.lock().map(|m| m.iter().map(|(k, v)| (*k, *v)).collect()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[test]
    fn only_successes_beat() {
        let clock = ManualClock::new(Timestamp::from_secs(100));
        let b = JobBeats::new(Arc::new(clock.clone()));
        b.outcome("billing", &Ok::<(), ()>(()));
        clock.advance_secs(60);
        b.outcome("billing", &Err::<(), ()>(()));
        b.outcome("usage", &Ok::<(), ()>(()));
        assert_eq!(
            b.last(),
            vec![("billing", Timestamp::from_secs(100)), ("usage", Timestamp::from_secs(160))]
        );
    }
}
