//! The customers' Telegram bot, the terms' official channel for support requests and outage
//! reports. A customer links their Telegram account with a one-time deep link made on the
//! Account page; then files requests by category (inline buttons), picks servers, describes
//! the problem (a text log may come as a file), writes to a request, and gets support's
//! answers and status changes as messages. Requests made there are the cabinet's requests,
//! recorded with the Telegram channel.
//!
//! Updates come by long polling (`getUpdates`) or by webhook. Each is handled in one write
//! transaction that also records its id as the offset and queues the replies, so a restart
//! handles every update exactly once. Queued messages leave in order and are removed once the
//! API took them: a crash between the two resends that one message, nothing else.

pub mod api;
mod dialog;

use std::sync::Arc;

use sha2::Digest;

use crate::clock::Clock;
use crate::config::SupportConfig;
use crate::domain::account::UserId;
use crate::domain::support_hours::WorkingHours;
use crate::domain::time::Timestamp;
use crate::i18n::{Catalog, Msg};
use crate::service::support::{MAX_ATTACHMENT_BYTES, SupportError, attachment};
use crate::service::{Caller, Coded, ErrorKind, blocking, tokens};
use crate::store::support as rec;
use crate::store::tables::{META, SUPPORT, SUPPORT_MESSAGES, TG_LINKS, TG_OUTBOX};
use crate::store::telegram::{self as tg, Button, LinkCode, Outgoing, TgLink};
use crate::store::{Store, StoreError};
pub use api::Update;

/// A message ready to send: chat, text, rows of buttons.
type Ready = (i64, String, Vec<Vec<Button>>);

/// How long a link code works, minutes.
pub const LINK_CODE_MINUTES: i64 = 15;

/// How long one `getUpdates` call waits for an update, seconds.
pub const POLL_SECS: u64 = 25;

/// Messages sent per drain at most.
const BATCH: usize = 50;

/// The bot could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum BotError {
    /// No bot is configured.
    #[error("The provider has no Telegram bot")]
    Off,
    /// The Bot API refused or could not be reached.
    #[error(transparent)]
    Api(#[from] api::ApiError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

store_error_conversions!(BotError);

impl Coded for BotError {
    fn code(&self) -> &'static str {
        match self {
            BotError::Off => "TG0001",
            BotError::Api(_) => "TG0002",
            BotError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            BotError::Off => ErrorKind::Conflict,
            BotError::Api(_) => ErrorKind::Unavailable,
            BotError::Store(e) => e.kind(),
        }
    }
}

struct Inner {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    catalog: Arc<Catalog>,
    hours: WorkingHours,
    api: Option<api::Api>,
    username: std::sync::Mutex<String>,
    webhook: bool,
    secret: String,
    draining: tokio::sync::Mutex<()>,
    polling: tokio::sync::Mutex<()>,
}

/// The customers' bot (off without a token).
#[derive(Clone)]
pub struct Bot(Arc<Inner>);

impl Bot {
    /// The bot of `cfg`, writing in `catalog`'s languages; the messenger's promise holds in
    /// `hours`.
    pub fn new(
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
        catalog: Arc<Catalog>,
        cfg: &SupportConfig,
        hours: WorkingHours,
    ) -> Bot {
        let api =
            cfg.telegram().then(|| api::Api::new(&cfg.telegram_api, &cfg.telegram_bot_token, POLL_SECS));
        let digest = sha2::Sha256::digest(format!("vpsbox webhook {}", cfg.telegram_bot_token).as_bytes());
        let secret: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        Bot(Arc::new(Inner {
            store,
            clock,
            catalog,
            hours,
            api,
            username: std::sync::Mutex::new(cfg.telegram_bot_username.trim_start_matches('@').to_string()),
            webhook: cfg.telegram_webhook,
            secret,
            draining: tokio::sync::Mutex::new(()),
            polling: tokio::sync::Mutex::new(()),
        }))
    }

    /// Whether a bot is configured.
    pub fn enabled(&self) -> bool {
        self.0.api.is_some()
    }

    /// Whether updates come by webhook (else by long polling).
    pub fn webhook(&self) -> bool {
        self.0.webhook
    }

    /// The secret Telegram sends with webhook updates.
    pub fn webhook_secret(&self) -> &str {
        &self.0.secret
    }

    fn api(&self) -> Result<&api::Api, BotError> {
        self.0.api.as_ref().ok_or(BotError::Off)
    }

    /// Learn the bot's username if not configured, and tell Telegram how updates are taken:
    /// by webhook at `public_url`, or (deleting any webhook) by polling.
    pub async fn start(&self, public_url: &str) -> Result<(), BotError> {
        let api = self.api()?;
        if self.username().is_empty() {
            let name = api.username().await?;
            if let Ok(mut u) = self.0.username.lock() {
                *u = name;
            }
        }
        let url = format!("{}/telegram/webhook", public_url.trim_end_matches('/'));
        api.set_webhook(self.0.webhook.then_some(url.as_str()), &self.0.secret).await?;
        Ok(())
    }

    /// The bot's username (empty until known).
    pub fn username(&self) -> String {
        self.0.username.lock().map(|u| u.clone()).unwrap_or_default()
    }

    /// A one-time link for `user`: `https://t.me/<bot>?start=<code>`, working for
    /// [`LINK_CODE_MINUTES`]; earlier codes of the account stop working.
    pub async fn link_url(&self, user: UserId) -> Result<String, BotError> {
        self.api()?;
        let code = tokens::encode(&tokens::random_bytes());
        let rec = LinkCode { user, expires_at: self.0.clock.now().plus_secs(LINK_CODE_MINUTES * 60) };
        let (store, c) = (self.0.store.clone(), code.clone());
        blocking(move || {
            let tx = store.write()?;
            tg::put_code(&tx, &c, &rec)?;
            tx.commit()?;
            Ok::<_, BotError>(())
        })
        .await?;
        Ok(format!("https://t.me/{}?start={code}", self.username()))
    }

    /// `user`'s linked Telegram account.
    pub fn link_of(&self, user: UserId) -> Result<Option<TgLink>, BotError> {
        let tx = self.0.store.read()?;
        Ok(tg::link_of(&tx.open_table(TG_LINKS)?, user)?)
    }

    /// Unlink `user`'s Telegram account (audited).
    pub async fn unlink(&self, user: UserId, caller: &Caller) -> Result<(), BotError> {
        let (store, now, caller) = (self.0.store.clone(), self.0.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            if let Some(old) = tg::remove_link(&tx, user)? {
                crate::service::audit::record(
                    &tx,
                    now,
                    &caller,
                    user,
                    "telegram",
                    "telegram.unlink",
                    &old.name,
                )?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// The id of the last update handled.
    pub fn offset(&self) -> Result<u64, BotError> {
        let tx = self.0.store.read()?;
        Ok(tg::offset(&tx.open_table(META)?)?)
    }

    /// Handle one update (from polling or the webhook) exactly once.
    pub async fn handle(&self, upd: Update) -> Result<(), BotError> {
        if upd.update_id <= self.offset()? {
            return Ok(());
        }
        let file = match upd.message.as_ref().and_then(|m| m.document.as_ref()) {
            Some(doc) => Some(self.fetch(doc).await?),
            None => None,
        };
        let (store, now, inner) = (self.0.store.clone(), self.0.clock.now(), self.0.clone());
        let callback = upd.callback_query.as_ref().map(|q| q.id.clone());
        blocking(move || {
            let tx = store.write()?;
            if upd.update_id <= tg::offset(&tx.open_table(META)?)? {
                return Ok(());
            }
            let env = dialog::Env { now, catalog: &inner.catalog, hours: &inner.hours };
            dialog::handle_in(&tx, &env, &upd, file)?;
            tg::set_offset(&tx, upd.update_id)?;
            tx.commit()?;
            Ok::<_, BotError>(())
        })
        .await?;
        if let (Some(id), Ok(api)) = (callback, self.api()) {
            // Only stops the button's spinner: not worth keeping across a restart.
            if let Err(e) = api.answer_callback(&id).await {
                tracing::debug!("answerCallbackQuery: {e}");
            }
        }
        self.drain().await.map(|_| ())
    }

    /// A text log sent as a file: fetched, or why it cannot be attached.
    async fn fetch(
        &self,
        doc: &api::Document,
    ) -> Result<Result<crate::store::support::Attachment, SupportError>, BotError> {
        let name = doc.file_name.clone().unwrap_or_else(|| "log.txt".into());
        if doc.file_size.is_some_and(|n| n > MAX_ATTACHMENT_BYTES as u64) {
            return Ok(Err(SupportError::AttachmentTooBig(name, MAX_ATTACHMENT_BYTES / 1024)));
        }
        match self.api()?.download(&doc.file_id, MAX_ATTACHMENT_BYTES).await {
            Ok(bytes) => Ok(attachment(&name, &bytes)),
            Err(e) if e.0 == "file too big" => {
                Ok(Err(SupportError::AttachmentTooBig(name, MAX_ATTACHMENT_BYTES / 1024)))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Ask for updates after the last handled one (waiting up to `wait_secs`) and handle them;
    /// returns how many were new.
    pub async fn poll(&self, wait_secs: u64) -> Result<usize, BotError> {
        let _one = self.0.polling.lock().await;
        let offset = self.offset()?;
        let updates = self.api()?.get_updates(offset + 1, wait_secs).await?;
        let mut n = 0;
        for u in updates {
            if u.update_id > offset {
                self.handle(u).await?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// What `m` says, read now: `None` when it no longer applies (unlinked, gone).
    fn render(&self, tx: &redb::ReadTransaction, m: &Outgoing) -> Result<Option<Ready>, BotError> {
        let (user, request) = match m {
            Outgoing::Text { chat, text, buttons } => {
                return Ok(Some((*chat, text.clone(), buttons.clone())));
            }
            Outgoing::Answered { user, request, .. } | Outgoing::Status { user, request, .. } => {
                (*user, *request)
            }
        };
        let Some(link) = tg::link_of(&tx.open_table(TG_LINKS)?, user)? else { return Ok(None) };
        let Some(r) = rec::get(&tx.open_table(SUPPORT)?, request)? else { return Ok(None) };
        let account = crate::store::tables::USERS;
        let acct: Option<crate::store::records::UserRecord> = tx
            .open_table(account)?
            .get(user.0)?
            .map(|v| crate::store::codec::decode(v.value()))
            .transpose()?;
        let cat = &self.0.catalog;
        let lang = dialog::lang_of(cat, acct.as_ref(), None);
        let subject = r.subject.as_str();
        let text = match m {
            Outgoing::Answered { n, .. } => {
                let messages = rec::messages(&tx.open_table(SUPPORT_MESSAGES)?, request)?;
                let Some(msg) = messages.iter().find(|x| x.n == *n) else { return Ok(None) };
                cat.fmt(
                    lang,
                    Msg::BotAnswer,
                    &[
                        ("id", request.into()),
                        ("subject", subject.into()),
                        ("body", msg.body.as_str().into()),
                    ],
                )
            }
            Outgoing::Status { status, .. } => {
                let words = cat.fmt(lang, Msg::SupportStatus, &[("status", status.label().into())]);
                cat.fmt(
                    lang,
                    Msg::BotStatus,
                    &[("id", request.into()), ("subject", subject.into()), ("status", words.into())],
                )
            }
            Outgoing::Text { .. } => return Ok(None),
        };
        Ok(Some((link.chat, text, Vec::new())))
    }

    /// Send what is queued, in order; returns the messages sent. Stops at the first failure
    /// (the rest wait for the next drain). Without a bot the queue is dropped.
    pub async fn drain(&self) -> Result<usize, BotError> {
        let _one = self.0.draining.lock().await;
        let mut sent = 0;
        loop {
            let queued = {
                let tx = self.0.store.read()?;
                let list = tg::waiting(&tx.open_table(TG_OUTBOX)?, BATCH)?;
                let mut out = Vec::with_capacity(list.len());
                for (id, m) in list {
                    out.push((id, self.render(&tx, &m)?));
                }
                out
            };
            if queued.is_empty() {
                return Ok(sent);
            }
            for (id, msg) in queued {
                if let (Some((chat, text, buttons)), Some(api)) = (msg, self.0.api.as_ref()) {
                    api.send(chat, &text, &buttons).await?;
                    sent += 1;
                }
                let store = self.0.store.clone();
                blocking(move || {
                    let tx = store.write()?;
                    tx.open_table(TG_OUTBOX)?.remove(id)?;
                    tx.commit()?;
                    Ok::<_, BotError>(())
                })
                .await?;
            }
        }
    }

    /// The time now.
    pub fn now(&self) -> Timestamp {
        self.0.clock.now()
    }
}
