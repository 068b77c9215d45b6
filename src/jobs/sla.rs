//! Writes the heartbeat every 30 seconds (a gap found at the next start is downtime).

use std::time::Duration;

use crate::service::Coded;
use crate::service::sla::{HEARTBEAT_SECS, Sla};

/// Run until the task is aborted.
pub async fn run(sla: Sla) {
    let mut tick = tokio::time::interval(Duration::from_secs(HEARTBEAT_SECS.unsigned_abs()));
    loop {
        tick.tick().await;
        if let Err(e) = sla.beat().await {
            tracing::warn!(code = e.code(), "heartbeat not written: {e}");
        }
    }
}
