//! The provider's side of support: the queue by due time, warnings when a response target is
//! near or missed, and the monthly report of first responses within target, per category and
//! per channel.

use std::collections::BTreeMap;

use redb::ReadableTable;

use super::{Support, SupportError};
use crate::domain::account::UserId;
use crate::domain::billing::Month;
use crate::domain::support::{self as rules, Category, ReportLine, Urgency};
use crate::domain::support_hours::Channel;
use crate::domain::time::Timestamp;
use crate::i18n::Msg;
use crate::service::blocking;
use crate::service::notices::{notify_in, told};
use crate::store::StoreError;
use crate::store::codec::decode;
use crate::store::notices::Audience;
use crate::store::records::{QuotaRequestRecord, RequestStatus};
use crate::store::support::{self as rec, SupportRecord};
use crate::store::tables::{QUOTA_ALERTS, QUOTA_REQUESTS, SUPPORT};

/// A row of the admin queue: a support request or a quota increase request.
#[derive(Debug, Clone)]
pub struct QueueItem {
    /// The account.
    pub owner: UserId,
    /// `#12` or `quota #3`.
    pub label: String,
    /// The request's number (a quota request's among quota requests).
    pub id: u64,
    /// What a quota request asks for (`None` for support requests).
    pub wanted: Option<crate::domain::quota::Amounts>,
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
    /// The target of that answer, minutes.
    pub due_mins: i64,
    /// How it reached the provider.
    pub channel: Channel,
    /// The page to handle it.
    pub link: String,
}

/// The monthly report: first responses within target per category and per channel.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Per category (every category listed).
    pub by_category: BTreeMap<Category, ReportLine>,
    /// Per channel (every channel listed).
    pub by_channel: BTreeMap<Channel, ReportLine>,
}

impl Report {
    fn new() -> Report {
        Report {
            by_category: Category::ALL.iter().map(|c| (*c, ReportLine::default())).collect(),
            by_channel: Channel::ALL.iter().map(|c| (*c, ReportLine::default())).collect(),
        }
    }

    fn add(
        &mut self,
        c: Category,
        ch: Channel,
        target: i64,
        filed: Timestamp,
        first: Option<Timestamp>,
        now: Timestamp,
    ) {
        self.by_category.entry(c).or_default().add(target, filed, first, now);
        self.by_channel.entry(ch).or_default().add(target, filed, first, now);
    }
}

/// The alert a request waiting for a response due at `due` needs now, given the level already
/// sent (0 none, 1 at risk, 2 missed): `Some(new level)` when it is higher.
fn alert_level(due: Timestamp, target_mins: i64, now: Timestamp, sent: u8) -> Option<u8> {
    let level = match rules::urgency(due, target_mins, now) {
        Urgency::InTime => 0,
        Urgency::AtRisk => 1,
        Urgency::Breached => 2,
    };
    (level > sent).then_some(level)
}

/// What an alert is about: a support request or a quota request, by id.
enum Waiting<'a> {
    Request { id: u64, category: Category, subject: &'a str },
    Quota { id: u64, wanted: String },
}

/// Tell the admins that a request is near (level 1) or past (level 2) its response target.
fn alert(
    tx: &redb::WriteTransaction,
    now: Timestamp,
    level: u8,
    what: Waiting<'_>,
    due: Timestamp,
) -> Result<u64, StoreError> {
    let (kind, state) =
        if level == 2 { ("support.breached", "breached") } else { ("support.at_risk", "risk") };
    let mut args = vec![("level", state.into()), ("due", due.into())];
    let (subject, body, link) = match what {
        Waiting::Request { id, category, subject } => {
            args.extend([
                ("id", id.into()),
                ("category", category.key().into()),
                ("subject", subject.into()),
            ]);
            (Msg::NoticeRequestAlert, Msg::NoticeRequestAlertBody, format!("/admin/support/{id}"))
        }
        Waiting::Quota { id, wanted } => {
            args.extend([("id", id.into()), ("wanted", wanted.into())]);
            (Msg::NoticeQuotaAlert, Msg::NoticeQuotaAlertBody, "/admin/quota-requests".to_string())
        }
    };
    notify_in(tx, now, Audience::Admins, told(kind, subject, Some(body), args, Some(link)))
}

impl Support {
    /// The admin queue: everything awaiting the provider by due time (soonest, i.e. most
    /// urgent, first), then the rest by last change.
    pub fn queue(&self) -> Result<Vec<QueueItem>, SupportError> {
        let tx = self.store.read()?;
        let mut items: Vec<QueueItem> = rec::all(&tx.open_table(SUPPORT)?)?
            .into_iter()
            .map(|r| QueueItem {
                owner: r.owner,
                label: format!("#{}", r.id),
                id: r.id,
                wanted: None,
                category: r.category,
                subject: r.subject,
                status: r.status.label(),
                filed: r.created_at,
                due: r.due,
                due_mins: i64::from(r.due_mins),
                channel: r.channel,
                link: format!("/admin/support/{}", r.id),
            })
            .collect();
        for row in tx.open_table(QUOTA_REQUESTS)?.iter()? {
            let q: QuotaRequestRecord = decode(row?.1.value())?;
            let pending = q.status == RequestStatus::Pending;
            items.push(QueueItem {
                owner: q.owner,
                label: format!("quota #{}", q.id),
                id: q.id,
                wanted: Some(q.wanted),
                category: Category::QuotaIncrease,
                subject: crate::service::quotas::describe(&q.wanted),
                status: match q.status {
                    RequestStatus::Pending => "open",
                    RequestStatus::Approved => "approved",
                    RequestStatus::Declined => "declined",
                },
                filed: q.created_at,
                due: pending.then(|| rules::due_at(Category::QuotaIncrease, q.created_at)),
                due_mins: Category::QuotaIncrease.target_mins(),
                channel: Channel::Cabinet,
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
                let Some(level) = alert_level(due, i64::from(r.due_mins), now, sent) else { continue };
                (r.risk_alerted, r.breached) = (true, level == 2);
                rec::put(&tx, &r)?;
                let what = Waiting::Request { id: r.id, category: r.category, subject: &r.subject };
                alert(&tx, now, level, what, due)?;
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
                let Some(level) = alert_level(due, c.target_mins(), now, sent) else { continue };
                tx.open_table(QUOTA_ALERTS)?.insert(q.id, level)?;
                let what = Waiting::Quota { id: q.id, wanted: crate::service::quotas::describe(&q.wanted) };
                alert(&tx, now, level, what, due)?;
                count(level);
            }
            tx.commit()?;
            Ok((warned, breached))
        })
        .await
    }

    /// The share of requests filed in `month` that got their first response within target
    /// (each its own: the category's, or the messenger's in working hours), per category and
    /// per channel; quota increase requests included (their decision is the response).
    pub fn report(&self, month: Month) -> Result<Report, SupportError> {
        let now = self.clock.now();
        let tx = self.store.read()?;
        let mut out = Report::new();
        for r in rec::all(&tx.open_table(SUPPORT)?)? {
            if self.month_at(r.created_at) == month {
                out.add(r.category, r.channel, i64::from(r.target_mins), r.created_at, r.first_response, now);
            }
        }
        for row in tx.open_table(QUOTA_REQUESTS)?.iter()? {
            let q: QuotaRequestRecord = decode(row?.1.value())?;
            if self.month_at(q.created_at) == month {
                let c = Category::QuotaIncrease;
                out.add(c, Channel::Cabinet, c.target_mins(), q.created_at, q.decided.map(|d| d.0), now);
            }
        }
        Ok(out)
    }
}
