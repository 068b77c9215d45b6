//! Incidents and planned maintenance: admins declare incidents and schedule windows, customers
//! report outages through support requests; the customers they cover are notified (for a
//! window, the notice period ahead), and the public status page reads them.

use std::collections::BTreeSet;

use redb::ReadableTable;

use super::{Refusal, Sla, SlaError};
use crate::domain::account::UserId;
use crate::domain::incident::{Blame, Scope, Severity};
use crate::domain::support::Category;
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::service::notices::{notify_in, told};
use crate::store::incidents::{self as rec, IncidentRecord, IncidentUpdate, MaintenanceRecord};
use crate::store::notices::Audience;
use crate::store::records::VmRecord;
use crate::store::support::{Author, MessageRecord};
use crate::store::tables::{INCIDENTS, MAINTENANCE, OPEN_DOWNTIME, OWNER_VMS, SUPPORT, VMS};
use crate::store::{StoreError, codec::decode};

/// An incident to declare.
#[derive(Debug, Clone)]
pub struct NewIncident {
    /// Outage or degradation.
    pub severity: Severity,
    /// What it covers.
    pub scope: Scope,
    /// One line.
    pub title: String,
    /// When it began (at most now).
    pub started: Timestamp,
}

/// A maintenance window to schedule.
#[derive(Debug, Clone)]
pub struct NewWindow {
    /// What it covers.
    pub scope: Scope,
    /// Starts (in the future).
    pub starts: Timestamp,
    /// Ends.
    pub ends: Timestamp,
    /// What will be done.
    pub description: String,
}

/// What the public status page shows.
#[derive(Debug, Clone)]
pub struct StatusView {
    /// Incidents going on.
    pub current: Vec<IncidentRecord>,
    /// Incidents ended in the last seven days.
    pub recent: Vec<IncidentRecord>,
    /// Windows not over yet and not called off, soonest first.
    pub upcoming: Vec<MaintenanceRecord>,
}

impl StatusView {
    /// Only what covers one of `vms` (a customer's servers).
    pub fn affecting(self, vms: &[VmId]) -> StatusView {
        let hits = |scope: &Scope| vms.iter().any(|v| scope.covers(*v));
        StatusView {
            current: self.current.into_iter().filter(|i| hits(&i.scope)).collect(),
            recent: self.recent.into_iter().filter(|i| hits(&i.scope)).collect(),
            upcoming: self.upcoming.into_iter().filter(|w| hits(&w.scope)).collect(),
        }
    }
}

fn one_line(s: &str, what: &'static str, max: usize) -> Result<String, SlaError> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > max || s.chars().any(char::is_control) {
        return Err(SlaError::Refused(Refusal::Line { what, max }));
    }
    Ok(s.to_string())
}

/// Check that every VM of `scope` exists.
fn check_scope(tx: &redb::WriteTransaction, scope: &Scope) -> Result<(), SlaError> {
    if let Scope::Vms(list) = scope {
        if list.is_empty() {
            return Err(SlaError::Refused(Refusal::NoServers));
        }
        let vms = tx.open_table(VMS)?;
        if let Some(v) = list.iter().find(|v| vms.get(v.0).ok().flatten().is_none()) {
            return Err(SlaError::Refused(Refusal::NoSuchServer(v.0)));
        }
    }
    Ok(())
}

/// The accounts with a VM that `scope` covers.
fn owners_covered(tx: &redb::WriteTransaction, scope: &Scope) -> Result<BTreeSet<UserId>, StoreError> {
    let mut out = BTreeSet::new();
    match scope {
        Scope::Host => {
            for row in tx.open_table(OWNER_VMS)?.iter()? {
                out.insert(UserId(row?.0.value().0));
            }
        }
        Scope::Vms(list) => {
            let vms = tx.open_table(VMS)?;
            for v in list {
                if let Some(row) = vms.get(v.0)? {
                    out.insert(decode::<VmRecord>(row.value())?.owner);
                }
            }
        }
    }
    Ok(out)
}

/// The arguments that name `scope` in a notice (`scope-words` in `notices.ftl`).
fn scope_args(scope: &Scope) -> crate::error::Args {
    let (key, servers) = match scope {
        Scope::Host => ("host", String::new()),
        Scope::Vms(list) if list.is_empty() => ("none", String::new()),
        Scope::Vms(list) => {
            let ids: Vec<String> = list.iter().map(|v| format!("#{v}")).collect();
            (if list.len() == 1 { "one" } else { "many" }, ids.join(", "))
        }
    };
    vec![("scope", key.into()), ("servers", servers.into())]
}

/// Tell every customer with a server in `scope`: `subject` and `body` are messages of
/// `notices.ftl`, given `args` and the scope's.
/// A line of an incident's history: `msg` with `args`.
fn update(at: Timestamp, msg: Msg, args: crate::error::Args) -> IncidentUpdate {
    let (text, told) = crate::service::notices::english_and_told(msg, args);
    IncidentUpdate { at, text: text.trim().to_string(), told: Some(told) }
}

fn notify_owners(
    tx: &redb::WriteTransaction,
    now: Timestamp,
    scope: &Scope,
    kind: &'static str,
    (subject, body): (Msg, Msg),
    mut args: crate::error::Args,
) -> Result<usize, StoreError> {
    args.extend(scope_args(scope));
    let owners = owners_covered(tx, scope)?;
    for o in &owners {
        let n = told(kind, subject, Some(body), args.clone(), Some("/status".into()));
        notify_in(tx, now, Audience::User(*o), n)?;
    }
    Ok(owners.len())
}

/// Open an incident for an outage `owner` reports through request `request` (inside the
/// request's transaction): it covers the VMs named, or all of the owner's; the downtime starts
/// at the earlier of the report and a platform fault already seen on them.
pub fn report_in(
    tx: &redb::WriteTransaction,
    now: Timestamp,
    owner: UserId,
    request: u64,
    category: Category,
    subject: &str,
    vms: &[VmId],
) -> Result<IncidentRecord, StoreError> {
    let list: Vec<VmId> = if vms.is_empty() {
        crate::store::vms::owned(&tx.open_table(OWNER_VMS)?, owner)?.iter().map(|v| v.id).collect()
    } else {
        vms.to_vec()
    };
    let mut started = now;
    {
        let open = tx.open_table(OPEN_DOWNTIME)?;
        for v in &list {
            if let Some(o) = crate::store::sla::open_of(&open, *v)? {
                started = started.min(o.from);
            }
        }
    }
    let severity = if category == Category::FullOutage { Severity::Outage } else { Severity::Degradation };
    rec::add_incident(
        tx,
        IncidentRecord {
            id: 0,
            severity,
            scope: Scope::Vms(list),
            // What the customer wrote; pages say it was reported by a customer.
            title: subject.to_string(),
            started,
            ended: None,
            blame: Blame::Provider,
            request: Some(request),
            reported_by: Some(owner),
            updates: vec![update(now, Msg::IncidentReported, vec![("request", request.into())])],
        },
    )
}

impl Sla {
    /// Declare an incident; the customers it covers are notified.
    pub async fn declare(&self, n: NewIncident, caller: &Caller) -> Result<IncidentRecord, SlaError> {
        let title = one_line(&n.title, "title", 200)?;
        let (store, now) = (self.store.clone(), self.clock.now());
        if n.started > now.plus_secs(60) {
            return Err(SlaError::Refused(Refusal::StartsInFuture));
        }
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            check_scope(&tx, &n.scope)?;
            let inc = rec::add_incident(
                &tx,
                IncidentRecord {
                    id: 0,
                    severity: n.severity,
                    scope: n.scope,
                    title: title.clone(),
                    started: n.started.min(now),
                    ended: None,
                    blame: Blame::Provider,
                    request: None,
                    reported_by: None,
                    updates: vec![update(now, Msg::IncidentDeclared, vec![("title", title.clone().into())])],
                },
            )?;
            let severity = match inc.severity {
                Severity::Outage => "outage",
                Severity::Degradation => "degradation",
            };
            let args = vec![
                ("title", title.clone().into()),
                ("severity", severity.into()),
                ("since", inc.started.into()),
            ];
            let texts = (Msg::NoticeIncident, Msg::NoticeIncidentBody);
            let n = notify_owners(&tx, now, &inc.scope, "incident.declared", texts, args)?;
            let mut data = serde_json::Map::new();
            data.insert("incident".into(), inc.id.into());
            data.insert("title".into(), title.clone().into());
            data.insert("severity".into(), severity.into());
            crate::service::webhooks::emit_in(&tx, now, "incident.opened", UserId(0), data)?;
            tx.commit()?;
            tracing::warn!(incident = inc.id, by = ?caller.user, customers = n, "incident declared: {title}");
            Ok(inc)
        })
        .await
    }

    /// Add an update to incident `id`; optionally end it at `end` (restoration confirmed) and
    /// set who bears it.
    pub async fn update_incident(
        &self,
        id: u64,
        text: &str,
        end: Option<Timestamp>,
        blame: Option<Blame>,
        caller: &Caller,
    ) -> Result<IncidentRecord, SlaError> {
        let text = text.trim().to_string();
        if text.chars().count() > 2000 {
            return Err(SlaError::Refused(Refusal::UpdateTooLong));
        }
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            let mut inc =
                rec::incident(&tx.open_table(INCIDENTS)?, id)?.ok_or(SlaError::NotFound("incident"))?;
            if let Some(end) = end {
                if end < inc.started || end > now.plus_secs(60) {
                    return Err(SlaError::Refused(Refusal::EndOutside { start: inc.started }));
                }
                inc.ended = Some(end.min(now));
            }
            let changed_blame = blame.filter(|b| *b != inc.blame);
            let resolved = inc.ended.filter(|_| end.is_some());
            if changed_blame.is_none() && resolved.is_none() && text.is_empty() {
                return Err(SlaError::Refused(Refusal::NothingToUpdate));
            }
            if let Some(b) = changed_blame {
                inc.blame = b;
            }
            let args = vec![
                ("blame", changed_blame.map_or("same", Blame::key).into()),
                ("resolved", (if resolved.is_some() { "yes" } else { "no" }).into()),
                ("at", resolved.unwrap_or(now).into()),
                ("note", text.clone().into()),
            ];
            inc.updates.push(update(now, Msg::IncidentUpdated, args));
            rec::put_incident(&tx, &inc)?;
            if let Some(req) = inc.request.filter(|_| end.is_some() || blame.is_some()) {
                // The customer who reported it reads the outcome in their request.
                let found = crate::store::support::get(&tx.open_table(SUPPORT)?, req)?;
                if let Some(mut r) = found {
                    let body = inc.updates.last().map(|u| u.text.clone()).unwrap_or_default();
                    let m =
                        MessageRecord { n: 0, at: now, author: Author::System, body, attachments: vec![] };
                    crate::store::support::append(&tx, &mut r, m)?;
                    r.updated_at = now;
                    crate::store::support::put(&tx, &r)?;
                }
            }
            if end.is_some() {
                let args = vec![("title", inc.title.clone().into()), ("at", inc.ended.unwrap_or(now).into())];
                let texts = (Msg::NoticeResolved, Msg::NoticeResolvedBody);
                notify_owners(&tx, now, &inc.scope, "incident.resolved", texts, args)?;
                let mut data = serde_json::Map::new();
                data.insert("incident".into(), inc.id.into());
                data.insert("title".into(), inc.title.clone().into());
                crate::service::webhooks::emit_in(&tx, now, "incident.resolved", UserId(0), data)?;
            }
            tx.commit()?;
            tracing::info!(incident = id, by = ?caller.user, "incident updated");
            Ok(inc)
        })
        .await
    }

    /// Every incident, newest first.
    pub fn incidents(&self) -> Result<Vec<IncidentRecord>, SlaError> {
        Ok(rec::incidents(&self.store.read()?.open_table(INCIDENTS)?)?)
    }

    /// Schedule a maintenance window. Customers it covers are told the notice period ahead
    /// (at once when it starts sooner, in which case it does not exclude time).
    pub async fn schedule(&self, n: NewWindow, caller: &Caller) -> Result<MaintenanceRecord, SlaError> {
        let description = one_line(&n.description, "description", 500)?;
        let now = self.clock.now();
        if n.starts < now {
            return Err(SlaError::Refused(Refusal::WindowInPast));
        }
        if n.ends <= n.starts || n.ends.secs_since(n.starts) > 7 * 86_400 {
            return Err(SlaError::Refused(Refusal::WindowLength));
        }
        let store = self.store.clone();
        let caller = caller.clone();
        let w = blocking(move || {
            let tx = store.write()?;
            check_scope(&tx, &n.scope)?;
            let w = rec::add_window(
                &tx,
                MaintenanceRecord {
                    id: 0,
                    scope: n.scope,
                    starts: n.starts,
                    ends: n.ends,
                    description,
                    announced_at: now,
                    by: caller.user,
                    notified: false,
                    cancelled: false,
                },
            )?;
            tx.commit()?;
            tracing::info!(window = w.id, by = ?caller.user, starts = %w.starts.display_utc(), "maintenance scheduled");
            Ok::<_, SlaError>(w)
        })
        .await?;
        self.notify_windows().await?;
        Ok(w)
    }

    /// Call off window `id`; customers already told are told it is off.
    pub async fn cancel_window(&self, id: u64, caller: &Caller) -> Result<MaintenanceRecord, SlaError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            let mut w = rec::windows(&tx.open_table(MAINTENANCE)?)?
                .into_iter()
                .find(|w| w.id == id)
                .ok_or(SlaError::NotFound("maintenance window"))?;
            if w.cancelled || w.ends <= now {
                return Err(SlaError::Refused(Refusal::WindowOver));
            }
            w.cancelled = true;
            rec::put_window(&tx, &w)?;
            if w.notified {
                let args = vec![("starts", w.starts.into()), ("description", w.description.clone().into())];
                let texts = (Msg::NoticeMaintenanceCancelled, Msg::NoticeMaintenanceCancelledBody);
                notify_owners(&tx, now, &w.scope, "maintenance.cancelled", texts, args)?;
            }
            tx.commit()?;
            tracing::info!(window = id, by = ?caller.user, "maintenance called off");
            Ok(w)
        })
        .await
    }

    /// Notify the customers of every window whose notice time has come. Returns the windows
    /// announced.
    pub async fn notify_windows(&self) -> Result<usize, SlaError> {
        let (store, now, notice) = (self.store.clone(), self.clock.now(), self.notice_secs);
        blocking(move || {
            let tx = store.write()?;
            let due: Vec<MaintenanceRecord> = rec::windows(&tx.open_table(MAINTENANCE)?)?
                .into_iter()
                .filter(|w| !w.notified && !w.cancelled && w.ends > now && w.starts.plus_secs(-notice) <= now)
                .collect();
            for mut w in due.clone() {
                let args = vec![
                    ("starts", w.starts.into()),
                    ("ends", w.ends.into()),
                    ("description", w.description.clone().into()),
                ];
                let texts = (Msg::NoticeMaintenance, Msg::NoticeMaintenanceBody);
                notify_owners(&tx, now, &w.scope, "maintenance.planned", texts, args)?;
                w.notified = true;
                rec::put_window(&tx, &w)?;
            }
            tx.commit()?;
            Ok(due.len())
        })
        .await
    }

    /// Every maintenance window, newest first.
    pub fn windows(&self) -> Result<Vec<MaintenanceRecord>, SlaError> {
        Ok(rec::windows(&self.store.read()?.open_table(MAINTENANCE)?)?)
    }

    /// What the public status page shows: the incidents the provider declared (one a customer
    /// reported stays between them and support, in the request; its words are not published).
    pub fn status(&self) -> Result<StatusView, SlaError> {
        self.status_in(&self.store.read()?)
    }

    /// [`Sla::status`] inside `tx`.
    pub(crate) fn status_in(&self, tx: &redb::ReadTransaction) -> Result<StatusView, SlaError> {
        let now = self.clock.now();
        let mut all = rec::incidents(&tx.open_table(INCIDENTS)?)?;
        all.retain(|i| i.reported_by.is_none());
        let week_ago = now.plus_secs(-7 * 86_400);
        let (current, ended): (Vec<_>, Vec<_>) = all.into_iter().partition(|i| i.is_open());
        let recent = ended.into_iter().filter(|i| i.ended.is_some_and(|e| e >= week_ago)).collect();
        let mut upcoming: Vec<MaintenanceRecord> = rec::windows(&tx.open_table(MAINTENANCE)?)?
            .into_iter()
            .filter(|w| !w.cancelled && w.ends > now)
            .collect();
        upcoming.sort_by_key(|w| w.starts);
        Ok(StatusView { current, recent, upcoming })
    }
}
