//! An account's standing, reviewed after every metering tick and every booking: low-balance
//! notices at the configured days-left thresholds (each once until the balance recovers), a
//! notice when the balance goes below zero, suspension when it stays below zero past the grace
//! period (every VM stopped and held, none deleted; no new orders), and the suspension lifted
//! by itself once a payment brings the balance above zero.

use redb::ReadableTable;

use super::{Billing, BillingError};
use crate::domain::account::UserId;
use crate::domain::time::Timestamp;
use crate::i18n::Msg;
use crate::service::caller::Caller;
use crate::service::notices::told;
use crate::service::{Coded, blocking};
use crate::store::billing::{self as rec, Standing};
use crate::store::notices::{Audience, NewNotice};
use crate::store::tables::{BALANCES, STANDINGS};

impl Billing {
    /// `owner`'s standing.
    pub fn standing(&self, owner: UserId) -> Result<Standing, BillingError> {
        let tx = self.store.read()?;
        Ok(rec::standing(&tx.open_table(STANDINGS)?, owner)?)
    }

    /// When a below-zero account is suspended unless it pays.
    pub fn suspends_at(&self, s: &Standing) -> Option<Timestamp> {
        s.negative_since.map(|t| t.plus_secs(self.settings.grace_secs))
    }

    /// Review the accounts a tick touched: every account with a balance when hours were
    /// metered, else only those below zero (their grace period runs out by the clock).
    pub(super) async fn review_all(&self, metered: bool) -> Result<(), BillingError> {
        let owners: Vec<UserId> = {
            let tx = self.store.read()?;
            let mut out = Vec::new();
            if metered {
                for row in tx.open_table(BALANCES)?.iter()? {
                    out.push(UserId(row?.0.value()));
                }
            } else {
                for row in tx.open_table(STANDINGS)?.iter()? {
                    let (k, v) = row?;
                    let s: Standing = crate::store::codec::decode(v.value())?;
                    if s.negative_since.is_some() {
                        out.push(UserId(k.value()));
                    }
                }
            }
            out
        };
        for owner in owners {
            if let Err(e) = self.review(owner).await {
                tracing::warn!(account = %owner, code = e.code(), "billing review failed: {e}");
            }
        }
        Ok(())
    }

    /// Review `owner`'s standing now: notices, suspension, or its end.
    pub async fn review(&self, owner: UserId) -> Result<Standing, BillingError> {
        let now = self.clock.now();
        let o = self.overview(owner)?;
        let before = self.standing(owner)?;
        let mut s = before.clone();
        let mut notes: Vec<(Audience, NewNotice<'static>)> = Vec::new();
        let to_owner = Audience::User(owner);
        // Low balance: each threshold once, again after the balance recovered above it.
        for &t in &self.settings.low_balance_days {
            let below = o.days_left.is_some_and(|d| d < i64::from(t));
            if below && !s.notified_days.contains(&t) && o.balance.0 > 0 {
                s.notified_days.push(t);
                notes.push((
                    to_owner,
                    told(
                        "billing.low_balance",
                        Msg::NoticeLowBalance,
                        Some(Msg::NoticeLowBalanceBody),
                        vec![
                            ("days", t.into()),
                            ("balance", o.balance.into()),
                            ("per_hour", o.per_hour.into()),
                        ],
                        Some("/billing".into()),
                    ),
                ));
            } else if !below {
                s.notified_days.retain(|x| *x != t);
            }
        }
        if o.balance.0 < 0 && s.negative_since.is_none() {
            s.negative_since = Some(now);
            let when = now.plus_secs(self.settings.grace_secs);
            notes.push((
                to_owner,
                told(
                    "billing.negative",
                    Msg::NoticeNegative,
                    Some(Msg::NoticeNegativeBody),
                    vec![("balance", o.balance.into()), ("by", when.into())],
                    Some("/billing".into()),
                ),
            ));
        }
        if o.balance.0 > 0 {
            s.negative_since = None;
            if s.suspended_at.is_some() {
                self.lift(owner, &s).await;
                s.suspended_at = None;
                s.suspended_vms.clear();
                notes.push((
                    to_owner,
                    told(
                        "billing.resumed",
                        Msg::NoticeResumed,
                        Some(Msg::NoticeResumedBody),
                        Vec::new(),
                        Some("/vms".into()),
                    ),
                ));
            }
        }
        if s.suspended_at.is_none() && self.suspends_at(&s).is_some_and(|t| t <= now) {
            s.suspended_vms = self.suspend(owner).await;
            s.suspended_at = Some(now);
            notes.push((
                to_owner,
                told(
                    "billing.suspended",
                    Msg::NoticeSuspended,
                    Some(Msg::NoticeSuspendedBody),
                    vec![("balance", o.balance.into())],
                    Some("/billing".into()),
                ),
            ));
            notes.push((
                Audience::Admins,
                told(
                    "billing.suspended",
                    Msg::NoticeSuspendedAdmin,
                    Some(Msg::NoticeSuspendedAdminBody),
                    vec![
                        ("account", owner.0.into()),
                        ("balance", o.balance.into()),
                        ("servers", s.suspended_vms.len().into()),
                    ],
                    Some(format!("/admin/users/{owner}/billing")),
                ),
            ));
        }
        if s != before {
            let (store, now, s2) = (self.store.clone(), now, s.clone());
            blocking(move || {
                let tx = store.write()?;
                tx.open_table(STANDINGS)?.insert(owner.0, crate::store::codec::encode(&s2)?.as_slice())?;
                for (to, n) in notes {
                    crate::service::notices::notify_in(&tx, now, to, n)?;
                }
                tx.commit()?;
                Ok::<_, BillingError>(())
            })
            .await?;
        }
        Ok(s)
    }

    /// Stop and hold every VM of `owner` that is not held already. Returns those it held.
    async fn suspend(&self, owner: UserId) -> Vec<crate::domain::vm::VmId> {
        let mut held = Vec::new();
        let list = self.vms.list(owner).unwrap_or_default();
        for vm in list.into_iter().filter(|v| !v.suspended) {
            match self.vms.set_suspended(&Caller::system(), vm.id, true).await {
                Ok(_) => held.push(vm.id),
                Err(e) => tracing::warn!(vm = %vm.id, code = e.code(), "cannot suspend for non-payment: {e}"),
            }
        }
        tracing::info!(account = %owner, vms = held.len(), "suspended for non-payment");
        held
    }

    /// Let go of the VMs a suspension held.
    async fn lift(&self, owner: UserId, s: &Standing) {
        for id in &s.suspended_vms {
            if let Err(e) = self.vms.set_suspended(&Caller::system(), *id, false).await {
                tracing::warn!(vm = %id, code = e.code(), "cannot lift the suspension: {e}");
            }
        }
        tracing::info!(account = %owner, vms = s.suspended_vms.len(), "suspension lifted");
    }
}
