//! Posts queued admin alerts to the Telegram chat every ten seconds (and right at start).

use std::time::Duration;

use crate::service::telegram::Telegram;

/// How often the queue is looked at.
pub const INTERVAL: Duration = Duration::from_secs(10);

/// Run until the task is aborted.
pub async fn run(telegram: Telegram, beats: crate::service::beats::JobBeats) {
    let mut tick = tokio::time::interval(INTERVAL);
    loop {
        tick.tick().await;
        let r = telegram.drain().await;
        beats.outcome("telegram", &r);
        match r {
            Ok(0) => {}
            Ok(n) => tracing::debug!(sent = n, "alerts sent to Telegram"),
            Err(e) => tracing::warn!("Telegram alert not sent (tried again later): {e}"),
        }
    }
}
