//! Deletes expired sessions, reset links and stale login-failure records every ten minutes.

use crate::service::Coded;
use std::time::Duration;

use crate::service::Accounts;

/// How often housekeeping runs.
pub const INTERVAL: Duration = Duration::from_secs(600);

/// Run until the task is aborted.
pub async fn run(accounts: Accounts, beats: crate::service::beats::JobBeats) {
    let mut tick = tokio::time::interval(INTERVAL);
    loop {
        tick.tick().await;
        let r = accounts.purge_expired().await;
        beats.outcome("housekeeping", &r);
        match r {
            Ok(0) => {}
            Ok(n) => tracing::info!(records = n, "housekeeping removed expired records"),
            Err(e) => tracing::warn!(code = e.code(), "housekeeping failed: {e}"),
        }
    }
}
