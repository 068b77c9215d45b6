//! The customers' Telegram bot at work: learns its name and sets how updates come (retrying
//! while Telegram cannot be reached), then long-polls for updates unless they come by webhook,
//! and sends queued messages (support's answers, status changes) every few seconds.

use std::time::Duration;

use crate::service::bot::{Bot, POLL_SECS};

/// How often queued messages are looked at.
pub const DRAIN_EVERY: Duration = Duration::from_secs(3);

/// Wait after a failed call before the next.
const BACKOFF: Duration = Duration::from_secs(10);

/// Run until the task is aborted; nothing to do without a bot.
pub async fn run(bot: Bot, public_url: String) {
    if !bot.enabled() {
        return;
    }
    while let Err(e) = bot.start(&public_url).await {
        tracing::warn!("Telegram bot not started (tried again in 10 s): {e}");
        tokio::time::sleep(BACKOFF).await;
    }
    tracing::info!(bot = %bot.username(), webhook = bot.webhook(), "Telegram bot started");
    let sender = bot.clone();
    let drain = tokio::spawn(async move {
        let mut tick = tokio::time::interval(DRAIN_EVERY);
        loop {
            tick.tick().await;
            if let Err(e) = sender.drain().await {
                tracing::warn!("Telegram message not sent (tried again later): {e}");
            }
        }
    });
    let _stop_drain_with_us = AbortOnDrop(drain);
    if bot.webhook() {
        std::future::pending::<()>().await;
    }
    loop {
        match bot.poll(POLL_SECS).await {
            Ok(n) if n > 0 => tracing::debug!(updates = n, "Telegram updates handled"),
            Ok(_) => {}
            Err(e) => {
                tracing::warn!("Telegram updates not read (tried again in 10 s): {e}");
                tokio::time::sleep(BACKOFF).await;
            }
        }
    }
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
