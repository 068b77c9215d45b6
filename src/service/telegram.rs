//! Admin alerts in a Telegram chat. Every admin notice is queued in `TELEGRAM_OUTBOX` in the
//! transaction that writes it; [`Telegram::drain`] posts the queue in order to the Bot API's
//! `sendMessage` (`[alerts]`) and removes each entry once the API accepted it, so an API that
//! is down delays alerts and a crash sends one at most once more. Without a bot token the
//! queue is dropped.

use std::sync::Arc;
use std::time::Duration;

use redb::ReadableTable;

use crate::config::AlertsConfig;
use crate::i18n::Catalog;
use crate::service::blocking;
use crate::store::notices::{self, Audience, NoticeRecord};
use crate::store::tables::{NOTICES, TELEGRAM_OUTBOX};
use crate::store::{Store, StoreError};

/// Sending failed.
#[derive(Debug, thiserror::Error)]
pub enum TelegramError {
    /// The API refused or could not be reached.
    #[error("Telegram: {0}")]
    Api(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

store_error_conversions!(TelegramError);

/// Alerts sent per drain at most.
const BATCH: usize = 50;

/// The Telegram alerter.
#[derive(Clone)]
pub struct Telegram {
    store: Arc<Store>,
    cfg: AlertsConfig,
    /// Alerts are written in the host's default language.
    catalog: Arc<Catalog>,
    base_url: String,
    http: reqwest::Client,
    draining: Arc<tokio::sync::Mutex<()>>,
}

impl Telegram {
    /// The alerter of `cfg` (off without a bot token); links point into `base_url`.
    pub fn new(store: Arc<Store>, cfg: AlertsConfig, catalog: Arc<Catalog>, base_url: String) -> Telegram {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Telegram { store, cfg, catalog, base_url, http, draining: Arc::default() }
    }

    /// Whether a bot is configured.
    pub fn enabled(&self) -> bool {
        !self.cfg.telegram_bot_token.is_empty()
    }

    fn queued(&self) -> Result<Vec<(u64, Option<NoticeRecord>)>, TelegramError> {
        let tx = self.store.read()?;
        let (outbox, all) = (tx.open_table(TELEGRAM_OUTBOX)?, tx.open_table(NOTICES)?);
        let mut out = Vec::new();
        for row in outbox.iter()?.take(BATCH) {
            let id = row?.0.value();
            out.push((id, notices::get(&all, Audience::Admins.key(), id)?));
        }
        Ok(out)
    }

    fn text(&self, n: &NoticeRecord) -> String {
        let (mut t, body) = crate::service::notices::read_in(&self.catalog, self.catalog.default_lang(), n);
        if !body.is_empty() {
            t.push_str("\n\n");
            t.push_str(&body);
        }
        if let Some(link) = n.link.as_ref().filter(|_| !self.base_url.is_empty()) {
            t.push_str(&format!("\n{}{link}", self.base_url.trim_end_matches('/')));
        }
        t
    }

    async fn send(&self, n: &NoticeRecord) -> Result<(), TelegramError> {
        let c = &self.cfg;
        let url = format!("{}/bot{}/sendMessage", c.telegram_api.trim_end_matches('/'), c.telegram_bot_token);
        let body = serde_json::json!({ "chat_id": c.telegram_chat_id, "text": self.text(n) });
        // The token is part of the address: errors are reported without it.
        let resp = self.http.post(&url).json(&body).send().await.map_err(|e| {
            TelegramError::Api(if e.is_timeout() {
                "timed out".into()
            } else {
                "cannot reach the API".into()
            })
        })?;
        if !resp.status().is_success() {
            let status = resp.status();
            let detail = resp.text().await.unwrap_or_default();
            return Err(TelegramError::Api(format!(
                "{status}: {}",
                detail.chars().take(200).collect::<String>()
            )));
        }
        Ok(())
    }

    /// Post what is queued; returns the alerts sent. Stops at the first failure.
    pub async fn drain(&self) -> Result<usize, TelegramError> {
        let _one = self.draining.lock().await;
        let queued = {
            let this = self.clone();
            blocking(move || this.queued()).await?
        };
        let mut sent = 0;
        for (id, notice) in queued {
            if let Some(n) = notice.as_ref().filter(|_| self.enabled()) {
                self.send(n).await?;
                tracing::info!(notice = id, "alert sent to Telegram");
                sent += 1;
            }
            let store = self.store.clone();
            blocking(move || {
                let tx = store.write()?;
                tx.open_table(TELEGRAM_OUTBOX)?.remove(id)?;
                tx.commit()?;
                Ok::<_, TelegramError>(())
            })
            .await?;
        }
        Ok(sent)
    }
}
