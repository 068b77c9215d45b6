//! An account's money now, and its Billing page read in one transaction: the balance, the month
//! so far, what its open usage costs per hour (so how many days the balance lasts), and what
//! it calls the resources billing names.

use super::{Billing, BillingError, BillingPage, Overview, meter, statements};
use crate::domain::account::UserId;
use crate::domain::billing::{self, Hour, Item, Price};
use crate::domain::money::Money;
use crate::store::StoreError;
use crate::store::billing as rec;
use crate::store::codec::decode;
use crate::store::tables::{BALANCES, MONTH_LINES, OWNER_USAGE, PRICES, USAGE};

/// What `owner` calls the resources billing names by key: `vm:<id>` (and its extra traffic,
/// `traffic:vm:<id>`) → the server's hostname, `disk:<id>` → the disk's name (resources deleted since keep their key), inside `tx`.
fn resource_names_in(
    tx: &redb::ReadTransaction,
    owner: UserId,
) -> Result<std::collections::BTreeMap<String, String>, StoreError> {
    let mut out = std::collections::BTreeMap::new();
    for v in crate::store::vms::owned(&tx.open_table(crate::store::tables::OWNER_VMS)?, owner)? {
        out.insert(super::traffic::traffic_resource(v.id), v.hostname.clone());
        out.insert(format!("vm:{}", v.id), v.hostname);
    }
    let disks = tx.open_table(crate::store::tables::DISKS)?;
    let held = tx.open_table(crate::store::tables::OWNER_HOLDINGS)?;
    for (id, _) in crate::store::holdings::of_kind(&held, owner, crate::store::holdings::Kind::Disk)? {
        if let Some(v) = disks.get(id)? {
            let d: crate::store::records::DiskRecord = crate::store::codec::decode(v.value())?;
            out.insert(format!("disk:{id}"), d.name);
        }
    }
    out.insert(meter::BACKUP_STORAGE.to_string(), "backup storage".into());
    Ok(out)
}

impl Billing {
    /// `owner`'s balance, month so far and forecast.
    pub fn overview(&self, owner: UserId) -> Result<Overview, BillingError> {
        self.overview_in(&self.store.read()?, owner)
    }

    /// The balance and the whole days it lasts at the current rate, inside `tx` (the
    /// dashboard's glance: no month lines, no names).
    pub(crate) fn balance_in(
        &self,
        tx: &redb::ReadTransaction,
        owner: UserId,
    ) -> Result<(Money, Option<i64>), BillingError> {
        let balance = rec::balance(&tx.open_table(BALANCES)?, owner)?;
        let per_hour = self.rate_in(tx, owner, billing::hour_of(self.clock.now()))?;
        Ok((balance, billing::days_left(balance, per_hour)))
    }

    /// [`Billing::overview`] inside `tx`.
    pub(crate) fn overview_in(
        &self,
        tx: &redb::ReadTransaction,
        owner: UserId,
    ) -> Result<Overview, BillingError> {
        let now = self.clock.now();
        let h = billing::hour_of(now);
        let month = billing::month_of(h, &self.settings.tz);
        let balance = rec::balance(&tx.open_table(BALANCES)?, owner)?;
        let lines = rec::month_lines(&tx.open_table(MONTH_LINES)?, owner, month)?;
        let month_total = Money(lines.iter().map(|(_, l)| l.amount.0).sum());
        let per_hour = self.rate_in(tx, owner, h)?;
        Ok(Overview {
            balance,
            month,
            lines,
            month_total,
            per_hour,
            days_left: billing::days_left(balance, per_hour),
            names: resource_names_in(tx, owner)?,
        })
    }

    /// The Billing page of `owner`, read in one transaction: the overview, the standing, up to
    /// `limit` rows of ledger entries before sequence `before` (the newest when `None`), the
    /// statements and the trial.
    pub fn page(
        &self,
        owner: UserId,
        before: Option<u64>,
        limit: usize,
    ) -> Result<BillingPage, BillingError> {
        let tx = self.store.read()?;
        let standing =
            crate::store::billing::standing(&tx.open_table(crate::store::tables::STANDINGS)?, owner)?;
        Ok(BillingPage {
            overview: self.overview_in(&tx, owner)?,
            suspends_at: self.suspends_at(&standing).filter(|_| standing.suspended_at.is_none()),
            standing,
            rows: crate::store::billing::rows_of(
                &tx.open_table(crate::store::tables::LEDGER_ROWS)?,
                owner,
                before,
                limit,
            )?,
            statements: statements::statements_in(&tx, owner)?,
            trial: crate::store::trials::get(&tx.open_table(crate::store::tables::TRIALS)?, owner)?,
            now: self.clock.now(),
        })
    }

    /// What `owner` calls the resources its statements name by key (see [`Overview::names`]).
    pub fn resource_names(
        &self,
        owner: UserId,
    ) -> Result<std::collections::BTreeMap<String, String>, BillingError> {
        Ok(resource_names_in(&self.store.read()?, owner)?)
    }

    /// What `owner`'s open usage costs per hour at hour `h`'s prices, in one pass over the
    /// account's usage index (an account without usage opens nothing more).
    fn rate_in(&self, tx: &redb::ReadTransaction, owner: UserId, h: Hour) -> Result<Money, BillingError> {
        let index = tx.open_table(OWNER_USAGE)?;
        let mut rows = index.range((owner.0, 0)..=(owner.0, u64::MAX))?.peekable();
        if rows.peek().is_none() {
            return Ok(Money(0));
        }
        let (usage, prices) = (tx.open_table(USAGE)?, tx.open_table(PRICES)?);
        // Each item's price is looked up once (an account has many usages of few items).
        let mut known: Vec<(Item, Price)> = Vec::with_capacity(8);
        let mut price_of = |item: Item| -> Result<Price, BillingError> {
            if let Some((_, p)) = known.iter().find(|(i, _)| *i == item) {
                return Ok(*p);
            }
            let p = rec::price_at(&prices, item, h)?.unwrap_or_default();
            known.push((item, p));
            Ok(p)
        };
        let mut per_hour = 0i64;
        let mut backup_bytes = 0u64;
        for row in rows {
            let Some(v) = usage.get(row.map_err(StoreError::from)?.0.value().1)? else { continue };
            let u: rec::UsageRecord = decode(v.value())?;
            if u.item == Item::BackupGb {
                backup_bytes = backup_bytes.saturating_add(u.qty);
                continue;
            }
            let p = price_of(u.item)?;
            per_hour = per_hour.saturating_add(p.hourly.0.saturating_mul(i64::try_from(u.qty).unwrap_or(0)));
        }
        if backup_bytes > 0 {
            let p = price_of(Item::BackupGb)?;
            let gb = i64::try_from(crate::domain::quota::gib_ceil(backup_bytes)).unwrap_or(0);
            per_hour = per_hour.saturating_add(p.hourly.0.saturating_mul(gb));
        }
        Ok(Money(per_hour))
    }
}
