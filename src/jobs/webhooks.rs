//! Sends due webhook deliveries every two seconds (and right at start).

use std::time::Duration;

use crate::service::Coded;
use crate::service::webhooks::Webhooks;

/// How often the queue is looked at.
pub const INTERVAL: Duration = Duration::from_secs(2);

/// Run until the task is aborted.
pub async fn run(webhooks: Webhooks, beats: crate::service::beats::JobBeats) {
    let mut tick = tokio::time::interval(INTERVAL);
    loop {
        tick.tick().await;
        let r = webhooks.deliver_due().await;
        beats.outcome("webhooks", &r);
        match r {
            Ok(0) => {}
            Ok(n) => tracing::debug!(delivered = n, "webhook deliveries sent"),
            Err(e) => tracing::warn!(code = e.code(), "webhook deliveries failed (tried again later): {e}"),
        }
    }
}
