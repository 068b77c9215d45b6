//! Every 30 seconds: the heartbeat (a gap found at the next start is downtime), maintenance
//! notices whose time has come, availability credits of months just metered, and support
//! requests near or past their response target.

use std::time::Duration;

use crate::service::Coded;
use crate::service::sla::{HEARTBEAT_SECS, Sla};
use crate::service::support::Support;

/// Run until the task is aborted.
pub async fn run(sla: Sla, support: Support, beats: crate::service::beats::JobBeats) {
    let mut tick = tokio::time::interval(Duration::from_secs(HEARTBEAT_SECS.unsigned_abs()));
    loop {
        tick.tick().await;
        let r = sla.beat().await;
        beats.outcome("sla", &r);
        if let Err(e) = r {
            tracing::warn!(code = e.code(), "heartbeat not written: {e}");
        }
        if let Err(e) = sla.notify_windows().await {
            tracing::warn!(code = e.code(), "maintenance notices not sent: {e}");
        }
        if let Err(e) = sla.book_credits().await {
            tracing::warn!(code = e.code(), "availability credits not booked: {e}");
        }
        match support.check_due().await {
            Ok((0, 0)) => {}
            Ok((warned, breached)) => {
                tracing::warn!(warned, breached, "support requests near or past their target")
            }
            Err(e) => tracing::warn!(code = e.code(), "support due times not checked: {e}"),
        }
    }
}
