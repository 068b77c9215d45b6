//! The one-time free trial, by the hoster's terms: a new customer (no earlier trial, no
//! servers or other resources, no charge ever) asks in the cabinet; an admin approves with the
//! trial's limits or declines (or the configuration approves at once). The trial starts with
//! the account's first server and lasts `days` from then; hours that begin inside it are free.
//! Notices go out 24 h and 1 h before the end. The customer may end it early. Whatever is left
//! when it ends is paid from the first hour that begins after the end, at the price list; the
//! account's limits go back to what they were.

use redb::ReadableTable;

use super::{Billing, BillingError};
use crate::domain::account::UserId;
use crate::domain::quota::Amounts;
use crate::domain::time::Timestamp;
use crate::i18n::Msg;
use crate::service::audit;
use crate::service::caller::Caller;
use crate::service::notices::{notify_in, told};
use crate::service::{Coded, blocking};
use crate::store::codec::{decode, encode};
use crate::store::notices::Audience;
use crate::store::records::QuotaRecord;
use crate::store::tables::{LEDGER, OWNER_HOLDINGS, OWNER_USAGE, OWNER_VMS, QUOTAS, TRIALS, USAGE};
use crate::store::trials::{self, TrialRecord, TrialState};

/// Hours before the end at which the customer is told.
pub const WARN_HOURS: [u32; 2] = [24, 1];

/// How trials are set up (from `[trial]`).
#[derive(Debug, Clone)]
pub struct TrialSettings {
    /// Length in days.
    pub days: u32,
    /// Approve eligible requests at once.
    pub auto_approve: bool,
    /// Limits during a trial.
    pub quota: Amounts,
    /// Limits of accounts without their own (to put back after a trial).
    pub default_limits: Amounts,
}

fn put(tx: &redb::WriteTransaction, t: &TrialRecord) -> Result<(), BillingError> {
    tx.open_table(TRIALS)?.insert(t.owner.0, encode(t)?.as_slice())?;
    Ok(())
}

/// Whether `owner` has ever used the service: a charge in the ledger, or anything held now.
fn has_used(tx: &redb::WriteTransaction, owner: UserId) -> Result<bool, BillingError> {
    let o = owner.0;
    if tx.open_table(OWNER_VMS)?.range((o, 0)..=(o, u64::MAX))?.next().is_some()
        || tx.open_table(OWNER_HOLDINGS)?.range((o, 0, 0)..=(o, u8::MAX, u64::MAX))?.next().is_some()
    {
        return Ok(true);
    }
    for row in tx.open_table(LEDGER)?.range((o, 0)..=(o, u64::MAX))? {
        let e: crate::store::billing::LedgerEntry = decode(row?.1.value())?;
        if matches!(e.kind, crate::store::billing::EntryKind::Charge { .. }) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Replace `owner`'s limits, returning the ones before.
fn swap_limits(
    tx: &redb::WriteTransaction,
    owner: UserId,
    limits: Amounts,
    default: &Amounts,
) -> Result<Amounts, BillingError> {
    let mut q = tx.open_table(QUOTAS)?;
    let before = match q.get(owner.0)? {
        Some(v) => decode::<QuotaRecord>(v.value())?.limits,
        None => *default,
    };
    q.insert(owner.0, encode(&QuotaRecord { limits })?.as_slice())?;
    Ok(before)
}

/// Whether `owner` holds anything billable now, and since when the earliest of it.
fn open_since(tx: &redb::WriteTransaction, owner: UserId) -> Result<Option<Timestamp>, BillingError> {
    let list =
        crate::store::billing::open_usage_of(&tx.open_table(OWNER_USAGE)?, &tx.open_table(USAGE)?, owner)?;
    Ok(list.iter().map(|u| u.from).min())
}

impl Billing {
    /// `owner`'s trial, if they ever asked for one.
    pub fn trial(&self, owner: UserId) -> Result<Option<TrialRecord>, BillingError> {
        let tx = self.store.read()?;
        Ok(trials::get(&tx.open_table(TRIALS)?, owner)?)
    }

    /// Every trial, newest request first (admin).
    pub fn trials(&self) -> Result<Vec<TrialRecord>, BillingError> {
        let tx = self.store.read()?;
        let mut out = trials::all(&tx.open_table(TRIALS)?)?;
        out.sort_by_key(|t| std::cmp::Reverse(t.requested_at));
        Ok(out)
    }

    /// The trial's length in days.
    pub fn trial_days(&self) -> u32 {
        self.trial.days
    }

    /// The limits a trial gets unless the admin says otherwise.
    pub fn trial_quota(&self) -> Amounts {
        self.trial.quota
    }

    /// A customer asks for the free trial.
    pub async fn request_trial(
        &self,
        owner: UserId,
        note: &str,
        caller: &Caller,
    ) -> Result<TrialRecord, BillingError> {
        let note = note.trim().chars().take(500).collect::<String>();
        let (store, now, s) = (self.store.clone(), self.clock.now(), self.trial.clone());
        let caller = caller.clone();
        let t = blocking(move || {
            let tx = store.write()?;
            if trials::get(&tx.open_table(TRIALS)?, owner)?.is_some() {
                return Err(BillingError::TrialUsed);
            }
            if has_used(&tx, owner)? {
                return Err(BillingError::TrialNotNew);
            }
            let mut t = TrialRecord {
                owner,
                requested_at: now,
                note,
                state: TrialState::Requested,
                decided: None,
                days: s.days,
                quota: s.quota,
                previous_limits: None,
                notified: Vec::new(),
            };
            if s.auto_approve {
                t.state = TrialState::Approved;
                t.decided = Some((now, None));
                t.previous_limits = Some(swap_limits(&tx, owner, s.quota, &s.default_limits)?);
                notify_in(
                    &tx,
                    now,
                    Audience::User(owner),
                    told(
                        "trial.approved",
                        Msg::NoticeTrialApproved,
                        Some(Msg::NoticeTrialApprovedBody),
                        vec![("days", s.days.into())],
                        Some("/billing".into()),
                    ),
                )?;
            } else {
                notify_in(
                    &tx,
                    now,
                    Audience::Admins,
                    told(
                        "trial.requested",
                        Msg::NoticeTrialRequested,
                        Some(Msg::NoticeTrialRequestedBody),
                        vec![("account", owner.0.into()), ("note", t.note.clone().into())],
                        Some("/admin/trials".into()),
                    ),
                )?;
            }
            put(&tx, &t)?;
            audit::record(&tx, now, &caller, owner, &format!("account:{owner}"), "trial.request", &t.note)?;
            tx.commit()?;
            Ok(t)
        })
        .await?;
        Ok(t)
    }

    /// An admin approves (with the trial's limits) or declines a requested trial.
    pub async fn decide_trial(
        &self,
        owner: UserId,
        approve: bool,
        quota: Amounts,
        caller: &Caller,
    ) -> Result<TrialRecord, BillingError> {
        let (store, now, s) = (self.store.clone(), self.clock.now(), self.trial.clone());
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            let mut t =
                trials::get(&tx.open_table(TRIALS)?, owner)?.ok_or(BillingError::NotFound("trial"))?;
            if t.state != TrialState::Requested {
                return Err(BillingError::TrialState);
            }
            t.decided = Some((now, caller.user));
            if approve {
                t.state = TrialState::Approved;
                t.quota = quota;
                t.previous_limits = Some(swap_limits(&tx, owner, quota, &s.default_limits)?);
                notify_in(
                    &tx,
                    now,
                    Audience::User(owner),
                    told(
                        "trial.approved",
                        Msg::NoticeTrialApproved,
                        Some(Msg::NoticeTrialApprovedFree),
                        vec![("days", t.days.into())],
                        Some("/billing".into()),
                    ),
                )?;
            } else {
                t.state = TrialState::Declined;
                notify_in(
                    &tx,
                    now,
                    Audience::User(owner),
                    told(
                        "trial.declined",
                        Msg::NoticeTrialDeclined,
                        Some(Msg::NoticeTrialDeclinedBody),
                        Vec::new(),
                        Some("/plans".into()),
                    ),
                )?;
            }
            put(&tx, &t)?;
            let action = if approve { "trial.approve" } else { "trial.decline" };
            audit::record(
                &tx,
                now,
                &caller,
                owner,
                &format!("account:{owner}"),
                action,
                crate::service::quotas::describe(&quota),
            )?;
            tx.commit()?;
            Ok(t)
        })
        .await
    }

    /// The customer ends the trial now: whatever is left is paid from the next hour.
    pub async fn end_trial(&self, owner: UserId, caller: &Caller) -> Result<TrialRecord, BillingError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            let t = trials::get(&tx.open_table(TRIALS)?, owner)?.ok_or(BillingError::NotFound("trial"))?;
            let started = match t.state {
                TrialState::Approved => None,
                TrialState::Active { started_at, .. } => Some(started_at),
                _ => return Err(BillingError::TrialState),
            };
            let t = Self::finish_in(&tx, t, started, now, true)?;
            let detail = crate::service::audit::told(Msg::AuditTrialEndedEarly, Vec::new());
            audit::record(&tx, now, &caller, owner, &format!("account:{owner}"), "trial.end", detail)?;
            tx.commit()?;
            Ok(t)
        })
        .await
    }

    /// End trial `t` at `at` inside `tx`: limits back, notices.
    fn finish_in(
        tx: &redb::WriteTransaction,
        mut t: TrialRecord,
        started: Option<Timestamp>,
        at: Timestamp,
        early: bool,
    ) -> Result<TrialRecord, BillingError> {
        let converted = open_since(tx, t.owner)?.is_some();
        t.state = TrialState::Ended { started_at: started, ended_at: at, early, converted };
        if let Some(prev) = t.previous_limits {
            tx.open_table(QUOTAS)?.insert(t.owner.0, encode(&QuotaRecord { limits: prev })?.as_slice())?;
        }
        let body = if converted { Msg::NoticeTrialEndedPaid } else { Msg::NoticeTrialEndedFree };
        notify_in(
            tx,
            at,
            Audience::User(t.owner),
            told("trial.ended", Msg::NoticeTrialEnded, Some(body), Vec::new(), Some("/billing".into())),
        )?;
        put(tx, &t)?;
        Ok(t)
    }

    /// Start trials whose first server runs, warn before the end, and end those that are
    /// over. Runs before each metering pass, so an hour is never charged inside a trial.
    pub(super) async fn review_trials(&self) -> Result<(), BillingError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            let list = trials::all(&tx.open_table(TRIALS)?)?;
            let mut changed = false;
            for mut t in list {
                match t.state.clone() {
                    TrialState::Approved => {
                        let Some(since) = open_since(&tx, t.owner)? else { continue };
                        let decided = t.decided.map(|(at, _)| at).unwrap_or(since);
                        let started_at = since.max(decided);
                        let ends_at = started_at.plus_secs(i64::from(t.days) * 86_400);
                        t.state = TrialState::Active { started_at, ends_at };
                        notify_in(
                            &tx,
                            now,
                            Audience::User(t.owner),
                            told(
                                "trial.started",
                                Msg::NoticeTrialStarted,
                                Some(Msg::NoticeTrialStartedBody),
                                vec![("until", ends_at.into())],
                                Some("/billing".into()),
                            ),
                        )?;
                        put(&tx, &t)?;
                        changed = true;
                    }
                    TrialState::Active { started_at, ends_at } => {
                        if now >= ends_at {
                            Self::finish_in(&tx, t, Some(started_at), ends_at, false)?;
                            changed = true;
                            continue;
                        }
                        for h in WARN_HOURS {
                            if now >= ends_at.plus_secs(-i64::from(h) * 3600) && !t.notified.contains(&h) {
                                t.notified.push(h);
                                notify_in(
                                    &tx,
                                    now,
                                    Audience::User(t.owner),
                                    told(
                                        "trial.ending",
                                        Msg::NoticeTrialEnding,
                                        Some(Msg::NoticeTrialEndingBody),
                                        vec![("hours", h.into()), ("at", ends_at.into())],
                                        Some("/billing".into()),
                                    ),
                                )?;
                                put(&tx, &t)?;
                                changed = true;
                            }
                        }
                    }
                    _ => {}
                }
            }
            if changed {
                tx.commit()?;
            }
            Ok::<_, BillingError>(())
        })
        .await
        .inspect_err(|e| tracing::warn!(code = e.code(), "trial review failed: {e}"))
    }

    /// Each trial account's free window (for metering).
    pub(super) fn free_windows(
        tx: &redb::WriteTransaction,
    ) -> Result<std::collections::BTreeMap<UserId, (Timestamp, Timestamp)>, BillingError> {
        let mut out = std::collections::BTreeMap::new();
        for row in tx.open_table(TRIALS)?.iter()? {
            let t: TrialRecord = decode(row?.1.value())?;
            if let Some(w) = t.free_window() {
                out.insert(t.owner, w);
            }
        }
        Ok(out)
    }
}
