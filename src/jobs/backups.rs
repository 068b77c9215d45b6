//! Starts the scheduled backups that are due, every half minute (and right at start, so runs
//! missed while the daemon was down are made once).

use std::time::Duration;

use crate::service::Coded;
use crate::service::backups::Backups;

/// How often the schedules are looked at.
pub const INTERVAL: Duration = Duration::from_secs(30);

/// Run until the task is aborted.
pub async fn run(backups: Backups, beats: crate::service::beats::JobBeats) {
    let mut tick = tokio::time::interval(INTERVAL);
    loop {
        tick.tick().await;
        let r = backups.tick().await;
        beats.outcome("backups", &r);
        match r {
            Ok(started) if !started.is_empty() => tracing::info!(?started, "scheduled backups started"),
            Ok(_) => {}
            Err(e) => tracing::warn!(code = e.code(), "backup scheduling failed: {e}"),
        }
    }
}
