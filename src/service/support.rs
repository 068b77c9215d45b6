//! Support requests: customers file them by category (each with its first-response target
//! from the terms), with the servers they concern and text logs attached; the provider's
//! queue sorts by due time; replies move the status; a job warns the admins when a target is
//! near and records a breach; the monthly report gives the share answered within target. An
//! outage or degradation report opens an incident for the SLA in the same transaction, and
//! quota increase requests (their own form) join the queue and the report.

use std::collections::BTreeMap;
use std::sync::Arc;

use redb::ReadableTable;

use crate::clock::Clock;
use crate::domain::account::{Role, UserId};
use crate::domain::billing::{self, Month};
use crate::domain::support::{self as rules, Category, ReportLine, Status, Urgency};
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;
use crate::service::audit;
use crate::service::caller::Caller;
use crate::service::notices::notify_in;
use crate::service::{Coded, ErrorKind, blocking};
use crate::store::codec::decode;
use crate::store::notices::{Audience, NewNotice};
use crate::store::records::{QuotaRequestRecord, RequestStatus, VmRecord};
use crate::store::support::{self as rec, Attachment, Author, MessageRecord, SupportRecord};
use crate::store::tables::{OWNER_SUPPORT, QUOTA_ALERTS, QUOTA_REQUESTS, SUPPORT, SUPPORT_MESSAGES, VMS};
use crate::store::{Store, StoreError};

/// Largest attachment, bytes.
pub const MAX_ATTACHMENT_BYTES: usize = 256 * 1024;

/// Most attachments on one message.
pub const MAX_ATTACHMENTS: usize = 3;

/// A support request could not be filed, read or answered.
#[derive(Debug, thiserror::Error)]
pub enum SupportError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A message that is empty or too long.
    #[error("Write a message of up to 10,000 characters")]
    Body,
    /// A subject that is empty, too long or not one line.
    #[error("The subject is one line of up to 200 characters")]
    Subject,
    /// A server that is not the customer's.
    #[error("You have no server #{0}")]
    NotYourServer(u64),
    /// The input is wrong (admin commands).
    #[error("{0}")]
    Invalid(String),
    /// No such request (or not yours).
    #[error("No such support request")]
    NotFound,
    /// Closed requests take no replies.
    #[error("This request is closed; file a new one")]
    Closed,
    /// An attachment over the size limit.
    #[error("{0}: attachments are text logs of at most {1} KiB")]
    AttachmentTooBig(String, usize),
    /// An attachment that is not text.
    #[error("{0}: only text files (logs) can be attached")]
    AttachmentNotText(String),
    /// Too many attachments.
    #[error("At most {0} attachments per message")]
    TooManyAttachments(usize),
}

store_error_conversions!(SupportError);

impl Coded for SupportError {
    fn code(&self) -> &'static str {
        match self {
            SupportError::Store(e) => e.code(),
            SupportError::Invalid(_)
            | SupportError::Body
            | SupportError::Subject
            | SupportError::NotYourServer(_) => "SUP0001",
            SupportError::NotFound => "SUP0002",
            SupportError::Closed => "SUP0003",
            SupportError::AttachmentTooBig(..)
            | SupportError::AttachmentNotText(_)
            | SupportError::TooManyAttachments(_) => "SUP0004",
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            SupportError::Store(e) => e.kind(),
            SupportError::NotFound => ErrorKind::NotFound,
            SupportError::Closed => ErrorKind::Conflict,
            _ => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            SupportError::Store(e) => e.args(),
            SupportError::Invalid(d) => vec![("reason", "detail".into()), ("detail", d.as_str().into())],
            SupportError::Body => crate::error::reason("body"),
            SupportError::Subject => crate::error::reason("subject"),
            SupportError::NotYourServer(v) => vec![("reason", "server".into()), ("server", (*v).into())],
            SupportError::AttachmentTooBig(name, kib) => {
                vec![("reason", "too-big".into()), ("name", name.as_str().into()), ("max", (*kib).into())]
            }
            SupportError::AttachmentNotText(name) => {
                vec![("reason", "not-text".into()), ("name", name.as_str().into())]
            }
            SupportError::TooManyAttachments(n) => vec![("reason", "too-many".into()), ("max", (*n).into())],
            _ => Vec::new(),
        }
    }
}

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
}

/// A row of the admin queue: a support request or a quota increase request.
#[derive(Debug, Clone)]
pub struct QueueItem {
    /// The account.
    pub owner: UserId,
    /// `#12` or `quota #3`.
    pub label: String,
    /// The category (quota requests: quota increase).
    pub category: Category,
    /// One line.
    pub subject: String,
    /// Status for people.
    pub status: &'static str,
    /// Filed.
    pub filed: Timestamp,
    /// When the provider's answer is due, while one is awaited.
    pub due: Option<Timestamp>,
    /// The page to handle it.
    pub link: String,
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
    detail: &str,
) -> Result<(), StoreError> {
    audit::record(tx, now, caller, r.owner, &format!("support:{}", r.id), action, detail)
}

/// The alert a request waiting for a response due at `due` needs now, given the level already
/// sent (0 none, 1 at risk, 2 missed): `Some(new level)` when it is higher.
fn alert_level(due: Timestamp, category: Category, now: Timestamp, sent: u8) -> Option<u8> {
    let level = match rules::urgency(due, category.target_mins(), now) {
        Urgency::InTime => 0,
        Urgency::AtRisk => 1,
        Urgency::Breached => 2,
    };
    (level > sent).then_some(level)
}

/// Tell the admins that `what` is near (level 1) or past (level 2) its response target.
fn alert(
    tx: &redb::WriteTransaction,
    now: Timestamp,
    level: u8,
    what: &str,
    due: Timestamp,
    body: &str,
    link: &str,
) -> Result<u64, StoreError> {
    let (kind, state) = if level == 2 {
        ("support.breached", "is past its response target")
    } else {
        ("support.at_risk", "is close to its response target")
    };
    let n = NewNotice {
        kind,
        subject: format!("{what} {state} ({})", rules::time_left_label(due, now)),
        body: body.to_string(),
        link: Some(link.to_string()),
    };
    notify_in(tx, now, Audience::Admins, n)
}

/// The support service.
#[derive(Clone)]
pub struct Support {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    tz: jiff::tz::TimeZone,
}

impl Support {
    /// The service; reports count months in `tz` (the billing time zone).
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>, tz: jiff::tz::TimeZone) -> Support {
        Support { store, clock, tz }
    }

    /// The month `t` falls in.
    pub fn month_at(&self, t: Timestamp) -> Month {
        billing::month_of(billing::hour_of(t), &self.tz)
    }

    /// The time now.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// A customer files a request. The admins are alerted; an outage or degradation report
    /// opens an incident covering the servers named (or all of the customer's).
    pub async fn file(
        &self,
        owner: UserId,
        n: NewRequest,
        caller: &Caller,
    ) -> Result<SupportRecord, SupportError> {
        let subject = n.subject.trim().to_string();
        if subject.is_empty() || subject.chars().count() > 200 || subject.chars().any(char::is_control) {
            return Err(SupportError::Subject);
        }
        let body = check_text(&n.body)?;
        check_attachments(&n.attachments)?;
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
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
            let due = rules::due_at(n.category, now);
            let mut r = rec::add(
                &tx,
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
                },
            )?;
            let m = MessageRecord {
                n: 0,
                at: now,
                author: Author::Customer(owner),
                body,
                attachments: n.attachments,
            };
            rec::append(&tx, &mut r, m)?;
            if n.category.is_incident() {
                let inc = crate::service::sla::report_in(&tx, now, owner, r.id, n.category, &subject, &vms)?;
                r.incident = Some(inc.id);
            }
            rec::put(&tx, &r)?;
            let alert = NewNotice {
                kind: "support.new",
                subject: format!(
                    "New support request #{}: {} — answer by {}",
                    r.id,
                    n.category.label(),
                    due.display_utc()
                ),
                body: subject,
                link: Some(format!("/admin/support/{}", r.id)),
            };
            notify_in(&tx, now, Audience::Admins, alert)?;
            audited(&tx, now, &caller, &r, "support.file", n.category.key())?;
            tx.commit()?;
            Ok(r)
        })
        .await
    }

    /// Add a message to request `id`. A customer's reply reopens it (a response is due again
    /// within the category's target); an admin's answers it (the first answer is the response
    /// the target measures) and may resolve it.
    pub async fn reply(
        &self,
        caller: &Caller,
        id: u64,
        body: &str,
        attachments: Vec<Attachment>,
        resolve: bool,
    ) -> Result<SupportRecord, SupportError> {
        let body = check_text(body)?;
        check_attachments(&attachments)?;
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let mut r = Self::visible(&tx.open_table(SUPPORT)?, &caller, id)?;
            if r.status == Status::Closed {
                return Err(SupportError::Closed);
            }
            let who = caller.user.unwrap_or(UserId(0));
            let author = match caller.role {
                Role::Customer => {
                    if r.due.is_none() {
                        r.due = Some(rules::due_at(r.category, now));
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
            rec::append(&tx, &mut r, MessageRecord { n: 0, at: now, author, body, attachments })?;
            r.updated_at = now;
            rec::put(&tx, &r)?;
            let (to, kind, subject, link) = match caller.role {
                Role::Customer => (
                    Audience::Admins,
                    "support.reply",
                    format!("Customer replied on #{}: {}", r.id, r.subject),
                    format!("/admin/support/{}", r.id),
                ),
                Role::Admin => (
                    Audience::User(r.owner),
                    "support.answered",
                    format!("Support answered your request #{}: {}", r.id, r.subject),
                    format!("/support/{}", r.id),
                ),
            };
            notify_in(&tx, now, to, NewNotice { kind, subject, body: String::new(), link: Some(link) })?;
            audited(&tx, now, &caller, &r, "support.reply", r.status.label())?;
            tx.commit()?;
            Ok(r)
        })
        .await
    }

    /// Close request `id` (the customer, or an admin). Nothing is due any more.
    pub async fn close(&self, caller: &Caller, id: u64) -> Result<SupportRecord, SupportError> {
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let mut r = Self::visible(&tx.open_table(SUPPORT)?, &caller, id)?;
            if r.status == Status::Closed {
                return Ok(r);
            }
            r.breached |= r.due.is_some_and(|d| now > d) && caller.is_admin();
            r.status = Status::Closed;
            r.due = None;
            r.updated_at = now;
            rec::append(
                &tx,
                &mut r,
                MessageRecord {
                    n: 0,
                    at: now,
                    author: Author::System,
                    body: "Closed.".into(),
                    attachments: vec![],
                },
            )?;
            rec::put(&tx, &r)?;
            audited(&tx, now, &caller, &r, "support.close", "")?;
            tx.commit()?;
            Ok(r)
        })
        .await
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

    /// Request `id` with its messages, if `caller` sees it.
    pub fn get(&self, caller: &Caller, id: u64) -> Result<(SupportRecord, Vec<MessageRecord>), SupportError> {
        let tx = self.store.read()?;
        let r = Self::visible(&tx.open_table(SUPPORT)?, caller, id)?;
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

    /// The admin queue: everything awaiting the provider by due time (soonest, i.e. most
    /// urgent, first), then the rest by last change.
    pub fn queue(&self) -> Result<Vec<QueueItem>, SupportError> {
        let tx = self.store.read()?;
        let mut items: Vec<QueueItem> = rec::all(&tx.open_table(SUPPORT)?)?
            .into_iter()
            .map(|r| QueueItem {
                owner: r.owner,
                label: format!("#{}", r.id),
                category: r.category,
                subject: r.subject,
                status: r.status.label(),
                filed: r.created_at,
                due: r.due,
                link: format!("/admin/support/{}", r.id),
            })
            .collect();
        for row in tx.open_table(QUOTA_REQUESTS)?.iter()? {
            let q: QuotaRequestRecord = decode(row?.1.value())?;
            let pending = q.status == RequestStatus::Pending;
            items.push(QueueItem {
                owner: q.owner,
                label: format!("quota #{}", q.id),
                category: Category::QuotaIncrease,
                subject: crate::service::quotas::describe(&q.wanted),
                status: match q.status {
                    RequestStatus::Pending => "open",
                    RequestStatus::Approved => "approved",
                    RequestStatus::Declined => "declined",
                },
                filed: q.created_at,
                due: pending.then(|| rules::due_at(Category::QuotaIncrease, q.created_at)),
                link: "/admin/quota-requests".into(),
            });
        }
        items.sort_by(|a, b| match (a.due, b.due) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => b.filed.cmp(&a.filed),
        });
        Ok(items)
    }

    /// Warn the admins of requests (quota increase requests too) whose target is near, and
    /// record breaches; each alert once. Returns (warned, breached) counts.
    pub async fn check_due(&self) -> Result<(usize, usize), SupportError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            let (mut warned, mut breached) = (0, 0);
            let mut count = |level: u8| if level == 2 { breached += 1 } else { warned += 1 };
            let waiting: Vec<SupportRecord> =
                rec::all(&tx.open_table(SUPPORT)?)?.into_iter().filter(|r| r.due.is_some()).collect();
            for mut r in waiting {
                let Some(due) = r.due else { continue };
                let sent = if r.breached { 2 } else { u8::from(r.risk_alerted) };
                let Some(level) = alert_level(due, r.category, now, sent) else { continue };
                (r.risk_alerted, r.breached) = (true, level == 2);
                rec::put(&tx, &r)?;
                let what = format!("Request #{}", r.id);
                alert(
                    &tx,
                    now,
                    level,
                    &what,
                    due,
                    &format!("{}: {}", r.category.label(), r.subject),
                    &format!("/admin/support/{}", r.id),
                )?;
                count(level);
            }
            let pending: Vec<QuotaRequestRecord> = {
                let mut out = Vec::new();
                for row in tx.open_table(QUOTA_REQUESTS)?.iter()? {
                    let q: QuotaRequestRecord = decode(row?.1.value())?;
                    if q.status == RequestStatus::Pending {
                        out.push(q);
                    }
                }
                out
            };
            for q in pending {
                let c = Category::QuotaIncrease;
                let due = rules::due_at(c, q.created_at);
                let sent = tx.open_table(QUOTA_ALERTS)?.get(q.id)?.map(|v| v.value()).unwrap_or(0);
                let Some(level) = alert_level(due, c, now, sent) else { continue };
                tx.open_table(QUOTA_ALERTS)?.insert(q.id, level)?;
                let what = format!("Quota request #{}", q.id);
                alert(
                    &tx,
                    now,
                    level,
                    &what,
                    due,
                    &crate::service::quotas::describe(&q.wanted),
                    "/admin/quota-requests",
                )?;
                count(level);
            }
            tx.commit()?;
            Ok((warned, breached))
        })
        .await
    }

    /// The share of requests filed in `month` that got their first response within target,
    /// per category (quota increase requests included; their decision is the response).
    pub fn report(&self, month: Month) -> Result<BTreeMap<Category, ReportLine>, SupportError> {
        let now = self.clock.now();
        let tx = self.store.read()?;
        let mut out: BTreeMap<Category, ReportLine> =
            Category::ALL.iter().map(|c| (*c, ReportLine::default())).collect();
        for r in rec::all(&tx.open_table(SUPPORT)?)? {
            if self.month_at(r.created_at) == month {
                out.entry(r.category).or_default().add(r.category, r.created_at, r.first_response, now);
            }
        }
        for row in tx.open_table(QUOTA_REQUESTS)?.iter()? {
            let q: QuotaRequestRecord = decode(row?.1.value())?;
            if self.month_at(q.created_at) == month {
                let c = Category::QuotaIncrease;
                out.entry(c).or_default().add(c, q.created_at, q.decided.map(|d| d.0), now);
            }
        }
        Ok(out)
    }
}
