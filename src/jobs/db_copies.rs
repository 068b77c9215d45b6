//! Makes the automatic copy of the state file when it is due (checked every ten minutes, and
//! right at start, so a copy missed while the daemon was down is made once).

use std::time::Duration;

use crate::service::Coded;
use crate::service::dbcopies::DbCopies;

/// How often the job looks whether a copy is due.
pub const INTERVAL: Duration = Duration::from_secs(600);

/// Run until the task is aborted.
pub async fn run(copies: DbCopies, beats: crate::service::beats::JobBeats) {
    let mut tick = tokio::time::interval(INTERVAL);
    loop {
        tick.tick().await;
        let r = copies.auto_copy_if_due().await;
        beats.outcome("db_copies", &r);
        if let Err(e) = r {
            tracing::warn!(code = e.code(), "the automatic copy of the state failed: {e}");
        }
    }
}
