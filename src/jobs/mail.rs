//! Sends the e-mail copies of notices every ten seconds (and right at start).

use std::time::Duration;

use crate::service::mail::Mailer;

/// How often the outbox is looked at.
pub const INTERVAL: Duration = Duration::from_secs(10);

/// Run until the task is aborted.
pub async fn run(mailer: Mailer, beats: crate::service::beats::JobBeats) {
    let mut tick = tokio::time::interval(INTERVAL);
    loop {
        tick.tick().await;
        let r = mailer.drain().await;
        beats.outcome("mail", &r);
        match r {
            Ok(0) => {}
            Ok(n) => tracing::debug!(sent = n, "notices mailed"),
            Err(e) => tracing::warn!("notice e-mail not sent (tried again later): {e}"),
        }
    }
}
