//! An account's standing, reviewed after every metering tick and every booking: low-balance
//! notices at the configured days-left thresholds (each once until the balance recovers), a
//! notice when the balance goes below zero, suspension when it stays below zero past the grace
//! period (every VM stopped and held, none deleted; no new orders), and the suspension lifted
//! by itself once a payment brings the balance above zero.

use redb::ReadableTable;

use super::{Billing, BillingError};
use crate::domain::account::UserId;
use crate::domain::time::Timestamp;
use crate::service::caller::Caller;
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
                    NewNotice {
                        kind: "billing.low_balance",
                        subject: format!(
                            "Your balance lasts less than {t} day{}",
                            if t == 1 { "" } else { "s" }
                        ),
                        body: format!(
                            "Balance {} {}, about {} {} an hour. Top up to keep your servers running.",
                            o.balance,
                            crate::domain::money::currency(),
                            o.per_hour,
                            crate::domain::money::currency()
                        ),
                        link: Some("/billing".into()),
                    },
                ));
            } else if !below {
                s.notified_days.retain(|x| *x != t);
            }
        }
        if o.balance.0 < 0 && s.negative_since.is_none() {
            s.negative_since = Some(now);
            let when = now.plus_secs(self.settings.grace_secs);
            notes.push((to_owner, NewNotice {
                kind: "billing.negative",
                subject: "Your balance is below zero".into(),
                body: format!(
                    "Balance {} {}. Top up by {} UTC, or your servers will be stopped (not deleted) until you do.",
                    o.balance,
                    crate::domain::money::currency(),
                    when.display_utc()
                ),
                link: Some("/billing".into()),
            }));
        }
        if o.balance.0 > 0 {
            s.negative_since = None;
            if s.suspended_at.is_some() {
                self.lift(owner, &s).await;
                s.suspended_at = None;
                s.suspended_vms.clear();
                notes.push((
                    to_owner,
                    NewNotice {
                        kind: "billing.resumed",
                        subject: "Thank you: your account is active again".into(),
                        body: "Your servers can be started again.".into(),
                        link: Some("/vms".into()),
                    },
                ));
            }
        }
        if s.suspended_at.is_none() && self.suspends_at(&s).is_some_and(|t| t <= now) {
            s.suspended_vms = self.suspend(owner).await;
            s.suspended_at = Some(now);
            notes.push((to_owner, NewNotice {
                kind: "billing.suspended",
                subject: "Your account is suspended for non-payment".into(),
                body: format!(
                    "Balance {} {}. Your servers are stopped, not deleted; a top-up that brings the balance above zero lets them start again.",
                    o.balance,
                    crate::domain::money::currency()
                ),
                link: Some("/billing".into()),
            }));
            notes.push((
                Audience::Admins,
                NewNotice {
                    kind: "billing.suspended",
                    subject: format!("Account {owner} suspended for non-payment"),
                    body: format!("Balance {}; {} servers stopped.", o.balance, s.suspended_vms.len()),
                    link: Some(format!("/admin/users/{owner}/billing")),
                },
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
