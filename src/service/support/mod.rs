//! Support requests: customers file them by category (each with its first-response target
//! from the terms) in the cabinet or through the Telegram bot, or an admin files one for a
//! customer who phoned or wrote an e-mail; with the servers they concern and text logs
//! attached. Replies move the status; an outage or degradation report opens an incident for
//! the SLA in the same transaction. The provider's side (queue, warnings, report) is in
//! [`queue`]. Every change is made by a `*_in` function inside the caller's transaction, so
//! the bot files and replies in the transaction that consumes the Telegram update.

mod error;
mod queue;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use redb::ReadableTable;

pub use error::SupportError;
pub use queue::{QueueItem, Report};

use crate::clock::Clock;
use crate::domain::account::{Role, UserId};
use crate::domain::billing::{self, Month};
use crate::domain::support::{Category, Status};
use crate::domain::support_hours::{Channel, WorkingHours, target_mins};
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::service::audit;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::service::notices::{notify_in, told};
use crate::store::codec::decode;
use crate::store::notices::Audience;
use crate::store::records::VmRecord;
use crate::store::support::{self as rec, Attachment, Author, MessageRecord, SupportRecord};
use crate::store::tables::{OWNER_SUPPORT, SUPPORT, SUPPORT_MESSAGES, VMS};
use crate::store::telegram::{self as tg, Outgoing};
use crate::store::{Store, StoreError};

/// Largest attachment, bytes.
pub const MAX_ATTACHMENT_BYTES: usize = 256 * 1024;

/// Most attachments on one message.
pub const MAX_ATTACHMENTS: usize = 3;

/// A request to file.
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// What about.
    pub category: Category,
    /// One line.
    pub subject: String,
    /// The message.
    pub body: String,
    /// The servers it concerns (the customer's own).
    pub vms: Vec<VmId>,
    /// Text logs.
    pub attachments: Vec<Attachment>,
    /// How it reached the provider.
    pub channel: Channel,
    /// When the customer reported it, if before it was filed (the bot asks for servers and a
    /// description after "report an outage"): an incident counts from then.
    pub reported_at: Option<Timestamp>,
}

impl NewRequest {
    /// A request filed in the cabinet now.
    pub fn in_cabinet(category: Category, subject: &str, body: &str, vms: Vec<VmId>) -> NewRequest {
        NewRequest {
            category,
            subject: subject.into(),
            body: body.into(),
            vms,
            attachments: Vec::new(),
            channel: Channel::Cabinet,
            reported_at: None,
        }
    }
}

/// Check an attachment: a text log of a sane size with a plain name.
pub fn attachment(name: &str, bytes: &[u8]) -> Result<Attachment, SupportError> {
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(SupportError::AttachmentTooBig(name.to_string(), MAX_ATTACHMENT_BYTES / 1024));
    }
    let text = std::str::from_utf8(bytes)
        .ok()
        .filter(|t| !t.contains('\0'))
        .ok_or_else(|| SupportError::AttachmentNotText(name.to_string()))?;
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .take(80)
        .collect();
    let clean = if clean.trim_matches('.').is_empty() { "log.txt".to_string() } else { clean };
    Ok(Attachment { name: clean, text: text.to_string() })
}

fn check_text(body: &str) -> Result<String, SupportError> {
    let body = body.trim();
    if body.is_empty() || body.chars().count() > 10_000 {
        return Err(SupportError::Body);
    }
    Ok(body.to_string())
}

fn check_attachments(list: &[Attachment]) -> Result<(), SupportError> {
    if list.len() > MAX_ATTACHMENTS {
        return Err(SupportError::TooManyAttachments(MAX_ATTACHMENTS));
    }
    Ok(())
}

/// Record `action` on request `r` in the owner's activity log, inside `tx`.
fn audited(
    tx: &redb::WriteTransaction,
    now: Timestamp,
    caller: &Caller,
    r: &SupportRecord,
    action: &str,
    detail: impl Into<audit::Detail>,
) -> Result<(), StoreError> {
    audit::record(tx, now, caller, r.owner, &format!("support:{}", r.id), action, detail)
}

/// A message added to a request.
#[derive(Debug, Clone, Default)]
pub struct NewReply {
    /// The text.
    pub body: String,
    /// Text logs.
    pub attachments: Vec<Attachment>,
    /// Whether an admin resolves the request with it.
    pub resolve: bool,
}

fn check_subject(subject: &str) -> Result<String, SupportError> {
    let subject = subject.trim();
    if subject.is_empty() || subject.chars().count() > 200 || subject.chars().any(char::is_control) {
        return Err(SupportError::Subject);
    }
    Ok(subject.to_string())
}

fn as_mins(m: i64) -> u32 {
    u32::try_from(m).unwrap_or(u32::MAX)
}

/// `owner` files `n` inside `tx` at `now`. The admins are alerted; an outage or degradation
/// report opens an incident covering the servers named (or all of the customer's), counted
/// from when it was reported.
pub fn file_in(
    tx: &redb::WriteTransaction,
    now: Timestamp,
    hours: &WorkingHours,
    owner: UserId,
    n: NewRequest,
    caller: &Caller,
) -> Result<SupportRecord, SupportError> {
    let subject = check_subject(&n.subject)?;
    let body = check_text(&n.body)?;
    check_attachments(&n.attachments)?;
    let mut vms = n.vms.clone();
    vms.sort();
    vms.dedup();
    {
        let t = tx.open_table(VMS)?;
        for v in &vms {
            let mine = match t.get(v.0)? {
                Some(row) => decode::<VmRecord>(row.value())?.owner == owner,
                None => false,
            };
            if !mine {
                return Err(SupportError::NotYourServer(v.0));
            }
        }
    }
    let target = target_mins(n.category, n.channel, now, hours);
    let due = now.plus_secs(target * 60);
    let mut r = rec::add(
        tx,
        SupportRecord {
            id: 0,
            owner,
            category: n.category,
            subject: subject.clone(),
            status: Status::Open,
            vms: vms.clone(),
            created_at: now,
            due: Some(due),
            first_response: None,
            breached: false,
            risk_alerted: false,
            messages: 0,
            incident: None,
            updated_at: now,
            channel: n.channel,
            target_mins: as_mins(target),
            due_mins: as_mins(target),
        },
    )?;
    let m =
        MessageRecord { n: 0, at: now, author: Author::Customer(owner), body, attachments: n.attachments };
    rec::append(tx, &mut r, m)?;
    if n.category.is_incident() {
        let since = n.reported_at.filter(|t| *t <= now).unwrap_or(now);
        let inc = crate::service::sla::report_in(tx, since, owner, r.id, n.category, &subject, &vms)?;
        r.incident = Some(inc.id);
    }
    rec::put(tx, &r)?;
    let alert = told(
        "support.new",
        Msg::NoticeSupportNew,
        Some(Msg::NoticeSupportNewBody),
        vec![
            ("id", r.id.into()),
            ("channel", n.channel.key().into()),
            ("category", n.category.key().into()),
            ("due", due.into()),
            ("subject", subject.into()),
        ],
        Some(format!("/admin/support/{}", r.id)),
    );
    notify_in(tx, now, Audience::Admins, alert)?;
    let detail = audit::told(
        Msg::AuditSupportFile,
        vec![("category", n.category.key().into()), ("channel", n.channel.key().into())],
    );
    audited(tx, now, caller, &r, "support.file", detail)?;
    Ok(r)
}

/// Add a message to request `id` inside `tx`. A customer's reply reopens it (a response is
/// due again within the request's target for its channel); an admin's answers it (the first
/// answer is the response the target measures) and may resolve it. The customer hears of an
/// answer through the bot as well when their Telegram account is linked.
pub fn reply_in(
    tx: &redb::WriteTransaction,
    now: Timestamp,
    hours: &WorkingHours,
    caller: &Caller,
    id: u64,
    reply: NewReply,
) -> Result<SupportRecord, SupportError> {
    let NewReply { body, attachments, resolve } = reply;
    let body = check_text(&body)?;
    check_attachments(&attachments)?;
    let mut r = visible(&tx.open_table(SUPPORT)?, caller, id)?;
    if r.status == Status::Closed {
        return Err(SupportError::Closed);
    }
    let who = caller.user.unwrap_or(UserId(0));
    let author = match caller.role {
        Role::Customer => {
            if r.due.is_none() {
                let target = target_mins(r.category, r.channel, now, hours);
                r.due = Some(now.plus_secs(target * 60));
                r.due_mins = as_mins(target);
                r.risk_alerted = false;
            }
            r.status = Status::Open;
            Author::Customer(who)
        }
        Role::Admin => {
            if r.first_response.is_none() {
                r.first_response = Some(now);
            }
            r.breached |= r.due.is_some_and(|d| now > d);
            r.due = None;
            r.status = if resolve { Status::Resolved } else { Status::Answered };
            Author::Staff(who)
        }
    };
    rec::append(tx, &mut r, MessageRecord { n: 0, at: now, author, body, attachments })?;
    r.updated_at = now;
    rec::put(tx, &r)?;
    let (to, kind, subject, link) = match caller.role {
        Role::Customer => {
            (Audience::Admins, "support.reply", Msg::NoticeSupportReplied, format!("/admin/support/{}", r.id))
        }
        Role::Admin => {
            tg::queue_if_linked(
                tx,
                r.owner,
                &Outgoing::Answered { user: r.owner, request: r.id, n: r.messages },
            )?;
            (
                Audience::User(r.owner),
                "support.answered",
                Msg::NoticeSupportAnswered,
                format!("/support/{}", r.id),
            )
        }
    };
    let args = vec![("id", r.id.into()), ("subject", r.subject.clone().into())];
    notify_in(tx, now, to, told(kind, subject, None, args, Some(link)))?;
    audited(
        tx,
        now,
        caller,
        &r,
        "support.reply",
        audit::told(Msg::AuditSupportReply, vec![("status", r.status.label().into())]),
    )?;
    Ok(r)
}

/// Close request `id` inside `tx` (the customer, or an admin). Nothing is due any more; a
/// linked customer hears of it through the bot when an admin closed it.
pub fn close_in(
    tx: &redb::WriteTransaction,
    now: Timestamp,
    caller: &Caller,
    id: u64,
) -> Result<SupportRecord, SupportError> {
    let mut r = visible(&tx.open_table(SUPPORT)?, caller, id)?;
    if r.status == Status::Closed {
        return Ok(r);
    }
    r.breached |= r.due.is_some_and(|d| now > d) && caller.is_admin();
    r.status = Status::Closed;
    r.due = None;
    r.updated_at = now;
    let closed =
        MessageRecord { n: 0, at: now, author: Author::System, body: "Closed.".into(), attachments: vec![] };
    rec::append(tx, &mut r, closed)?;
    rec::put(tx, &r)?;
    if caller.is_admin() {
        tg::queue_if_linked(
            tx,
            r.owner,
            &Outgoing::Status { user: r.owner, request: r.id, status: r.status },
        )?;
    }
    audited(tx, now, caller, &r, "support.close", "")?;
    Ok(r)
}

fn visible(
    t: &impl ReadableTable<u64, &'static [u8]>,
    caller: &Caller,
    id: u64,
) -> Result<SupportRecord, SupportError> {
    match rec::get(t, id)? {
        Some(r) if caller.sees(r.owner) => Ok(r),
        _ => Err(SupportError::NotFound),
    }
}

/// The support service.
#[derive(Clone)]
pub struct Support {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    tz: jiff::tz::TimeZone,
    hours: Arc<WorkingHours>,
}

impl Support {
    /// The service; reports count months in `tz` (the billing time zone); the messenger's
    /// promise holds in `hours`.
    pub fn new(
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
        tz: jiff::tz::TimeZone,
        hours: WorkingHours,
    ) -> Support {
        Support { store, clock, tz, hours: Arc::new(hours) }
    }

    /// The month `t` falls in.
    pub fn month_at(&self, t: Timestamp) -> Month {
        billing::month_of(billing::hour_of(t), &self.tz)
    }

    /// The time now.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The provider's working hours.
    pub fn hours(&self) -> &WorkingHours {
        &self.hours
    }

    /// `owner` files a request (see [`file_in`]); `caller` is the customer, or an admin filing
    /// on their behalf.
    pub async fn file(
        &self,
        owner: UserId,
        n: NewRequest,
        caller: &Caller,
    ) -> Result<SupportRecord, SupportError> {
        let (store, now, caller, hours) =
            (self.store.clone(), self.clock.now(), caller.clone(), self.hours.clone());
        blocking(move || {
            let tx = store.write()?;
            let r = file_in(&tx, now, &hours, owner, n, &caller)?;
            tx.commit()?;
            Ok(r)
        })
        .await
    }

    /// Add a message to request `id` (see [`reply_in`]).
    pub async fn reply(
        &self,
        caller: &Caller,
        id: u64,
        body: &str,
        attachments: Vec<Attachment>,
        resolve: bool,
    ) -> Result<SupportRecord, SupportError> {
        let (store, now, caller, hours) =
            (self.store.clone(), self.clock.now(), caller.clone(), self.hours.clone());
        let reply = NewReply { body: body.to_string(), attachments, resolve };
        blocking(move || {
            let tx = store.write()?;
            let r = reply_in(&tx, now, &hours, &caller, id, reply)?;
            tx.commit()?;
            Ok(r)
        })
        .await
    }

    /// Close request `id` (see [`close_in`]).
    pub async fn close(&self, caller: &Caller, id: u64) -> Result<SupportRecord, SupportError> {
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let r = close_in(&tx, now, &caller, id)?;
            tx.commit()?;
            Ok(r)
        })
        .await
    }

    /// Request `id` with its messages, if `caller` sees it.
    pub fn get(&self, caller: &Caller, id: u64) -> Result<(SupportRecord, Vec<MessageRecord>), SupportError> {
        let tx = self.store.read()?;
        let r = visible(&tx.open_table(SUPPORT)?, caller, id)?;
        let messages = rec::messages(&tx.open_table(SUPPORT_MESSAGES)?, id)?;
        Ok((r, messages))
    }

    /// `owner`'s requests, newest first.
    pub fn of_owner(&self, owner: UserId) -> Result<Vec<SupportRecord>, SupportError> {
        let tx = self.store.read()?;
        let t = tx.open_table(SUPPORT)?;
        let mut out = Vec::new();
        for id in rec::ids_of(&tx.open_table(OWNER_SUPPORT)?, owner)? {
            out.extend(rec::get(&t, id)?);
        }
        Ok(out)
    }
}
