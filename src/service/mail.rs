//! E-mail copies of notices. Every notice is queued in `MAIL_OUTBOX` in the transaction that
//! writes it; [`Mailer::drain`] sends the queue in order through the SMTP relay of `[mail]`
//! (a customer's notice to the account's address, an admin notice to every admin) and removes
//! each entry once the relay accepted it, so a relay that is down delays mail and a crash
//! sends a notice at most once more. Without a relay the queue is dropped.

use std::sync::Arc;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use redb::ReadableTable;

use crate::config::{MailConfig, SmtpSecurity};
use crate::domain::account::{Role, UserId};
use crate::i18n::{Catalog, Lang};
use crate::service::blocking;
use crate::store::notices::{self, NoticeRecord};
use crate::store::records::UserRecord;
use crate::store::tables::{MAIL_OUTBOX, NOTICES, USERS};
use crate::store::{Store, StoreError};

/// Sending failed.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The relay refused or could not be reached.
    #[error("Mail relay: {0}")]
    Smtp(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

store_error_conversions!(MailError);

/// A queued notice: its id, the notice (gone if it was removed), the addresses to send it to
/// with each reader's language.
type Queued = (u64, Option<NoticeRecord>, Vec<(String, Lang)>);

/// Entries sent per drain at most.
const BATCH: usize = 100;

/// The mailer.
#[derive(Clone)]
pub struct Mailer {
    store: Arc<Store>,
    cfg: MailConfig,
    /// The messages notices are written in, in each reader's language.
    catalog: Arc<Catalog>,
    /// The cabinet's address for links (`public_url`), if configured.
    base_url: String,
    /// One drain at a time (so nothing is sent twice by two drains).
    draining: Arc<tokio::sync::Mutex<()>>,
}

impl Mailer {
    /// The mailer of `cfg` (off when no relay is set).
    pub fn new(store: Arc<Store>, cfg: MailConfig, catalog: Arc<Catalog>, base_url: String) -> Mailer {
        Mailer { store, cfg, catalog, base_url, draining: Arc::default() }
    }

    /// Whether a relay is configured.
    pub fn enabled(&self) -> bool {
        !self.cfg.smtp_host.is_empty()
    }

    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
        let c = &self.cfg;
        let b = match c.security {
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&c.smtp_host),
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&c.smtp_host),
            SmtpSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&c.smtp_host)),
        }
        .map_err(|e| MailError::Smtp(e.to_string()))?;
        let mut b = b.port(c.smtp_port).timeout(Some(std::time::Duration::from_secs(30)));
        if !c.username.is_empty() {
            b = b.credentials(Credentials::new(c.username.clone(), c.password.clone()));
        }
        Ok(b.build())
    }

    /// The queued notices (oldest first) with their recipients' addresses.
    fn queued(&self) -> Result<Vec<Queued>, MailError> {
        let tx = self.store.read()?;
        let (outbox, all, users) =
            (tx.open_table(MAIL_OUTBOX)?, tx.open_table(NOTICES)?, tx.open_table(USERS)?);
        let lang_of = |u: &UserRecord| {
            u.language.as_deref().and_then(Lang::from_code).unwrap_or(self.catalog.default_lang())
        };
        let mut out = Vec::new();
        for row in outbox.iter()?.take(BATCH) {
            let (id, to) = row?;
            let (id, to) = (id.value(), to.value());
            let notice = notices::get(&all, to, id)?;
            let mut rcpt = Vec::new();
            if to == 0 {
                for u in users.iter()? {
                    let u: UserRecord = crate::store::codec::decode(u?.1.value())?;
                    if u.role == Role::Admin && !u.disabled {
                        rcpt.push((u.email.as_str().to_string(), lang_of(&u)));
                    }
                }
            } else if let Some(v) = users.get(UserId(to).0)? {
                let u: UserRecord = crate::store::codec::decode(v.value())?;
                rcpt.push((u.email.as_str().to_string(), lang_of(&u)));
            }
            out.push((id, notice, rcpt));
        }
        Ok(out)
    }

    fn message(&self, n: &NoticeRecord, to: &str, lang: Lang) -> Result<Message, MailError> {
        let from: Mailbox = self
            .cfg
            .from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Smtp(e.to_string()))?;
        let to: Mailbox =
            to.parse().map_err(|e: lettre::address::AddressError| MailError::Smtp(e.to_string()))?;
        let (subject, mut body) = crate::service::notices::read_in(&self.catalog, lang, n);
        if let Some(link) = &n.link
            && !self.base_url.is_empty()
        {
            body.push_str(&format!("\n\n{}{link}\n", self.base_url.trim_end_matches('/')));
        }
        Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| MailError::Smtp(e.to_string()))
    }

    /// Send what is queued; returns the e-mails sent. Stops at the first failure (the rest
    /// waits for the next drain).
    pub async fn drain(&self) -> Result<usize, MailError> {
        let _one = self.draining.lock().await;
        let queued = {
            let this = self.clone();
            blocking(move || this.queued()).await?
        };
        if queued.is_empty() {
            return Ok(0);
        }
        let transport = if self.enabled() { Some(self.transport()?) } else { None };
        let mut sent = 0;
        for (id, notice, rcpt) in queued {
            if let (Some(t), Some(n)) = (&transport, &notice) {
                for (to, lang) in &rcpt {
                    let msg = self.message(n, to, *lang)?;
                    t.send(msg).await.map_err(|e| MailError::Smtp(e.to_string()))?;
                    tracing::info!(notice = id, to, "notice mailed");
                    sent += 1;
                }
            }
            let store = self.store.clone();
            blocking(move || {
                let tx = store.write()?;
                tx.open_table(MAIL_OUTBOX)?.remove(id)?;
                tx.commit()?;
                Ok::<_, MailError>(())
            })
            .await?;
        }
        Ok(sent)
    }
}
