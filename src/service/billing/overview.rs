//! An account's money now, and its Billing page read in one transaction: the balance, the month
//! so far, what its open usage costs per hour (so how many days the balance lasts), and what
//! it calls the resources billing names.

use super::{Billing, BillingError, BillingPage, Overview, meter, statements};
use crate::domain::account::UserId;
use crate::domain::billing::{self, Hour, Item};
use crate::domain::money::Money;
use crate::store::StoreError;
use crate::store::billing as rec;
use crate::store::tables::{BALANCES, MONTH_LINES, OWNER_OPEN_ITEMS, PRICES};

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

    /// What `owner`'s open usage costs per hour at hour `h`'s prices, from the account's open
    /// totals by item (a row per item, however many resources; an account without usage
    /// opens nothing more).
    fn rate_in(&self, tx: &redb::ReadTransaction, owner: UserId, h: Hour) -> Result<Money, BillingError> {
        let totals = rec::open_totals(&tx.open_table(OWNER_OPEN_ITEMS)?, owner)?;
        if totals.is_empty() {
            return Ok(Money(0));
        }
        let prices = tx.open_table(PRICES)?;
        let mut per_hour = 0i64;
        for (item, qty) in totals {
            // Backup storage is kept in bytes and billed per GiB begun, the account's together.
            let units = if item == Item::BackupGb { crate::domain::quota::gib_ceil(qty) } else { qty };
            let p = rec::price_at(&prices, item, h)?.unwrap_or_default();
            per_hour = per_hour.saturating_add(p.hourly.0.saturating_mul(i64::try_from(units).unwrap_or(0)));
        }
        Ok(Money(per_hour))
    }
}
