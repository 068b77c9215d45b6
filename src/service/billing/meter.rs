//! The metering tick: every complete clock hour not metered yet is metered in one write
//! transaction that also moves the "metered until" mark, so a crash mid-tick leaves either the
//! whole hour booked or none of it, and a daemon that was down catches up hour by hour. Each
//! resource that was billable at any moment of the hour is charged at that hour's price within
//! its monthly cap; an account's charges of an hour are one ledger entry keyed by account and
//! hour. When an hour closes a calendar month, the month's statements are issued in the same
//! transaction (see [`super::statements`]).

use std::collections::BTreeMap;

use redb::ReadableTable;

use super::{Billing, BillingError};
use crate::domain::account::UserId;
use crate::domain::billing::{self, Hour, Item};
use crate::domain::money::Money;
use crate::service::blocking;
use crate::store::billing::{self as rec, ChargeLine, EntryKind, MonthLine, UsageRecord};
use crate::store::codec::{decode, encode};
use crate::store::tables::{
    BALANCES, LEDGER, LEDGER_HOURS, LEDGER_ROWS, META, META_METERED_UNTIL, MONTH_LINES, PRICES, USAGE,
};

/// What a tick did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Hours metered.
    pub hours: u64,
    /// Resource-hours charged (lines, including those at their cap).
    pub lines: u64,
    /// Statements issued.
    pub statements: u64,
    /// GiB of extra traffic charged.
    pub traffic_gib: u64,
}

/// The name backup storage is charged under (one line per account and hour).
pub const BACKUP_STORAGE: &str = "backups";

/// What one account owes for one hour: per resource, the item and units.
type HourUse = BTreeMap<(UserId, String), (Item, u64)>;

/// The billable state of each resource in `[start, end)`: the latest interval that overlaps
/// the hour (a resource changed within the hour is charged as it ended the hour); backups
/// summed per account, rounded up to GiB.
fn hour_use(usage: &[UsageRecord], h: Hour) -> HourUse {
    let (start, end) = (billing::start_of(h), billing::start_of(h + 1));
    let mut latest: BTreeMap<(UserId, &str), &UsageRecord> = BTreeMap::new();
    for u in usage.iter().filter(|u| u.overlaps(start, end)) {
        let e = latest.entry((u.owner, u.resource.as_str())).or_insert(u);
        if (u.from, u.id) > (e.from, e.id) {
            *e = u;
        }
    }
    let mut out = HourUse::new();
    let mut backups: BTreeMap<UserId, u64> = BTreeMap::new();
    for ((owner, resource), u) in latest {
        if u.item == Item::BackupGb {
            let b = backups.entry(owner).or_default();
            *b = b.saturating_add(u.qty);
        } else {
            out.insert((owner, resource.to_string()), (u.item, u.qty));
        }
    }
    for (owner, bytes) in backups {
        let gb = crate::domain::quota::gib_ceil(bytes);
        if gb > 0 {
            out.insert((owner, BACKUP_STORAGE.to_string()), (Item::BackupGb, gb));
        }
    }
    out
}

impl Billing {
    /// Meter every complete hour not metered yet, issuing statements as months close. The
    /// first tick on a fresh state starts with the current hour (nothing before it is
    /// charged).
    pub async fn tick(&self) -> Result<TickReport, BillingError> {
        let current = billing::hour_of(self.clock.now());
        let mut report = TickReport::default();
        // Trials start (and end) before their hours are metered.
        self.review_trials().await?;
        loop {
            let this = self.clone();
            let done = blocking(move || this.meter_next(current)).await?;
            match done {
                Some((lines, statements)) => {
                    report.hours += 1;
                    report.lines += lines;
                    report.statements += statements;
                }
                None => break,
            }
        }
        if report.hours > 0 {
            tracing::debug!(hours = report.hours, lines = report.lines, "metered");
        }
        report.traffic_gib = self.charge_traffic().await?;
        self.review_all(report.hours > 0).await?;
        Ok(report)
    }

    /// Meter the next hour before `current`, if any, in one transaction. Returns the lines
    /// charged and statements issued, or `None` when everything is metered.
    fn meter_next(&self, current: Hour) -> Result<Option<(u64, u64)>, BillingError> {
        let tx = self.store.write()?;
        let until = tx.open_table(META)?.get(META_METERED_UNTIL)?.map(|v| v.value());
        let h = match until {
            Some(h) if h < current => h,
            Some(_) => return Ok(None),
            None => {
                tx.open_table(META)?.insert(META_METERED_UNTIL, current)?;
                tx.commit()?;
                return Ok(None);
            }
        };
        let lines = self.meter_hour_in(&tx, h)?;
        let tz = &self.settings.tz;
        let statements = if billing::month_of(h + 1, tz) != billing::month_of(h, tz) {
            self.issue_statements_in(&tx, billing::month_of(h, tz))?
        } else {
            0
        };
        tx.open_table(META)?.insert(META_METERED_UNTIL, h + 1)?;
        tx.commit()?;
        Ok(Some((lines, statements)))
    }

    /// Charge hour `h` inside `tx`; prune usage that ended before the next hour.
    fn meter_hour_in(&self, tx: &redb::WriteTransaction, h: Hour) -> Result<u64, BillingError> {
        let month = billing::month_of(h, &self.settings.tz);
        let usage = rec::all_usage(&tx.open_table(USAGE)?)?;
        let used = hour_use(&usage, h);
        let prices = tx.open_table(PRICES)?;
        let mut months = tx.open_table(MONTH_LINES)?;
        let mut per_owner: BTreeMap<UserId, Vec<ChargeLine>> = BTreeMap::new();
        let mut price_cache: BTreeMap<Item, crate::domain::billing::Price> = BTreeMap::new();
        // Hours that begin inside an account's trial are free (counted, at no charge).
        let free = Self::free_windows(tx)?;
        let (begins, ends) = (billing::start_of(h), billing::start_of(h + 1));
        let is_free = |o: &UserId| free.get(o).is_some_and(|(from, to)| begins < *to && ends > *from);
        let n = used.len() as u64;
        for ((owner, resource), (item, qty)) in used {
            let price = match price_cache.get(&item) {
                Some(p) => *p,
                None => {
                    let p = rec::price_at(&prices, item, h)?.unwrap_or_default();
                    price_cache.insert(item, p);
                    p
                }
            };
            let key = (owner.0, month, resource.as_str());
            let mut line = match months.get(key)? {
                Some(v) => decode::<MonthLine>(v.value())?,
                None => MonthLine { item, qty, hours: 0, amount: Money(0) },
            };
            let amount =
                if is_free(&owner) { Money(0) } else { billing::hour_charge(price, qty, line.amount) };
            line.item = item;
            line.qty = qty;
            line.hours += 1;
            line.amount = Money(line.amount.0.saturating_add(amount.0));
            months.insert(key, encode(&line)?.as_slice())?;
            if amount.0 > 0 {
                per_owner.entry(owner).or_default().push(ChargeLine { resource, item, qty, price, amount });
            }
        }
        let now = self.clock.now();
        let mut ledger = tx.open_table(LEDGER)?;
        let mut balances = tx.open_table(BALANCES)?;
        let mut hours = tx.open_table(LEDGER_HOURS)?;
        let mut rows = tx.open_table(LEDGER_ROWS)?;
        for (owner, lines) in per_owner {
            if rec::charged_hour(&hours, owner, h)?.is_some() {
                continue;
            }
            let total = Money(lines.iter().map(|l| l.amount.0).sum());
            let kind = EntryKind::Charge { hour: h, lines };
            let e = rec::append_in(&mut ledger, &mut balances, &mut rows, owner, now, kind, Money(-total.0))?;
            rec::mark_hour(&mut hours, owner, h, e.seq)?;
        }
        let end = billing::start_of(h + 1);
        let mut t = tx.open_table(USAGE)?;
        for u in usage.iter().filter(|u| u.to.is_some_and(|to| to <= end)) {
            t.remove(u.id)?;
        }
        Ok(n)
    }
}
