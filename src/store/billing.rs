//! Billing state: price history, the ledger with its cached balances, per-month usage lines
//! and statements. The usage intervals they are charged from are in [`super::usage`] (named
//! here too, as callers know them).

use redb::{ReadableTable, Table, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use super::tables::{BALANCES, LEDGER, LEDGER_ROWS, PRICES};
pub use super::usage::{UsageRecord, all_usage, discard_usage, open_totals, open_usage_of, set_usage};
use crate::domain::account::UserId;
use crate::domain::billing::{Hour, Item, Price};
use crate::domain::money::Money;
use crate::domain::time::Timestamp;

/// A price as set, with when it was set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceRecord {
    /// The price.
    pub price: Price,
    /// When it was set.
    pub set_at: Timestamp,
}

impl Record for PriceRecord {
    const KIND: &'static str = "price";
    const VERSION: u8 = 1;
}

/// The price of `item` for hour `h`: the latest one taking effect at or before it.
pub fn price_at(
    t: &impl ReadableTable<(&'static str, u64), &'static [u8]>,
    item: Item,
    h: Hour,
) -> Result<Option<Price>, StoreError> {
    let key = item.key();
    match t.range((key.as_str(), 0)..=(key.as_str(), h))?.next_back() {
        Some(row) => Ok(Some(decode::<PriceRecord>(row?.1.value())?.price)),
        None => Ok(None),
    }
}

/// Every price of `item` with the hour it takes effect, oldest first.
pub fn price_history(
    t: &impl ReadableTable<(&'static str, u64), &'static [u8]>,
    item: Item,
) -> Result<Vec<(Hour, PriceRecord)>, StoreError> {
    let key = item.key();
    let mut out = Vec::new();
    for row in t.range((key.as_str(), 0)..=(key.as_str(), u64::MAX))? {
        let (k, v) = row?;
        out.push((k.value().1, decode(v.value())?));
    }
    Ok(out)
}

/// Set `item`'s price from hour `from` on (replacing a price set for that same hour).
pub fn set_price(
    tx: &WriteTransaction,
    item: Item,
    from: Hour,
    price: Price,
    now: Timestamp,
) -> Result<(), StoreError> {
    let key = item.key();
    let rec = PriceRecord { price, set_at: now };
    tx.open_table(PRICES)?.insert((key.as_str(), from), encode(&rec)?.as_slice())?;
    Ok(())
}

/// One resource's charge within an hourly ledger entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeLine {
    /// The resource.
    pub resource: String,
    /// What it was priced as.
    pub item: Item,
    /// Units.
    pub qty: u64,
    /// The price used.
    pub price: Price,
    /// Charged (the hourly price times the units, within the monthly cap).
    pub amount: Money,
}

/// What a ledger entry is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryKind {
    /// The charges of one hour (key: account + hour; a line per resource).
    Charge {
        /// The hour.
        hour: Hour,
        /// A line per resource charged.
        lines: Vec<ChargeLine>,
    },
    /// Money paid in (recorded by an admin).
    TopUp {
        /// Payment reference.
        reference: String,
        /// The admin, or `None` from the command line.
        by: Option<UserId>,
    },
    /// Money given back (e.g. an SLA credit).
    Credit {
        /// Why.
        reason: String,
    },
    /// A correction by an admin, either way.
    Adjustment {
        /// Why.
        reason: String,
        /// The admin, or `None` from the command line.
        by: Option<UserId>,
    },
    /// Traffic past a server's allowance, charged per GiB begun at its plan's price.
    Traffic {
        /// The server.
        vm: crate::domain::vm::VmId,
        /// Its hostname then.
        hostname: String,
        /// GiB charged by this entry.
        gib: u64,
        /// The price of one.
        price: Money,
    },
}

/// An append-only ledger entry of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Sequence within the account, from 1, without gaps.
    pub seq: u64,
    /// When it was booked.
    pub at: Timestamp,
    /// What it is.
    pub kind: EntryKind,
    /// Its effect on the balance (charges are negative).
    pub amount: Money,
    /// The balance after it.
    pub balance: Money,
}

impl Record for LedgerEntry {
    const KIND: &'static str = "ledger entry";
    const VERSION: u8 = 1;
}

/// The balance of `owner` (0 without entries).
pub fn balance(t: &impl ReadableTable<u64, i64>, owner: UserId) -> Result<Money, StoreError> {
    Ok(Money(t.get(owner.0)?.map(|v| v.value()).unwrap_or(0)))
}

/// Append an entry to `owner`'s ledger and move the cached balance with it, in `tx`.
pub fn append(
    tx: &WriteTransaction,
    owner: UserId,
    at: Timestamp,
    kind: EntryKind,
    amount: Money,
) -> Result<LedgerEntry, StoreError> {
    let mut ledger = tx.open_table(LEDGER)?;
    let mut balances = tx.open_table(BALANCES)?;
    let mut rows = tx.open_table(LEDGER_ROWS)?;
    append_in(&mut ledger, &mut balances, &mut rows, owner, at, kind, amount)
}

/// [`append`] with the tables open already (a metering tick appends thousands).
pub fn append_in(
    ledger: &mut Table<(u64, u64), &[u8]>,
    balances: &mut Table<u64, i64>,
    rows: &mut Table<(u64, u64), &[u8]>,
    owner: UserId,
    at: Timestamp,
    kind: EntryKind,
    amount: Money,
) -> Result<LedgerEntry, StoreError> {
    let seq = match ledger.range((owner.0, 0)..=(owner.0, u64::MAX))?.next_back() {
        Some(row) => row?.0.value().1 + 1,
        None => 1,
    };
    let before = balance(balances, owner)?;
    let entry = LedgerEntry { seq, at, kind, amount, balance: Money(before.0.saturating_add(amount.0)) };
    ledger.insert((owner.0, seq), encode(&entry)?.as_slice())?;
    balances.insert(owner.0, entry.balance.0)?;
    add_row(rows, owner, &entry)?;
    Ok(entry)
}

/// A line of an account's transactions as the Billing page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRow {
    /// The first entry it covers (its key).
    pub first: u64,
    /// The last entry it covers.
    pub last: u64,
    /// What it is.
    pub kind: RowKind,
}

/// What a [`LedgerRow`] shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowKind {
    /// Consecutive hourly charges of one UTC day.
    Day {
        /// Midnight (UTC) of the day.
        day: Timestamp,
        /// Hours charged.
        hours: u32,
        /// Their sum (negative).
        amount: Money,
        /// The balance after the last of them.
        balance: Money,
    },
    /// Any other entry, as it is.
    One(LedgerEntry),
}

impl Record for LedgerRow {
    const KIND: &'static str = "ledger row";
    const VERSION: u8 = 1;
}

/// Midnight (UTC) of the day `t` falls in.
fn utc_midnight(t: Timestamp) -> Timestamp {
    Timestamp::from_secs(t.as_secs().div_euclid(86_400) * 86_400)
}

/// Add `entry` (just appended) to `owner`'s rows: an hourly charge joins the newest row when
/// that holds the charges of the same UTC day up to the entry before it; anything else starts
/// a row.
pub fn add_row(
    rows: &mut Table<(u64, u64), &[u8]>,
    owner: UserId,
    entry: &LedgerEntry,
) -> Result<(), StoreError> {
    let row = match &entry.kind {
        EntryKind::Charge { hour, .. } => {
            let day = utc_midnight(crate::domain::billing::start_of(*hour));
            let newest: Option<LedgerRow> = match rows.range((owner.0, 0)..=(owner.0, u64::MAX))?.next_back()
            {
                Some(r) => Some(decode(r?.1.value())?),
                None => None,
            };
            match newest {
                Some(mut r)
                    if r.last + 1 == entry.seq
                        && matches!(r.kind, RowKind::Day { day: d, .. } if d == day) =>
                {
                    if let RowKind::Day { hours, amount, balance, .. } = &mut r.kind {
                        *hours += 1;
                        amount.0 = amount.0.saturating_add(entry.amount.0);
                        *balance = entry.balance;
                    }
                    r.last = entry.seq;
                    r
                }
                _ => LedgerRow {
                    first: entry.seq,
                    last: entry.seq,
                    kind: RowKind::Day { day, hours: 1, amount: entry.amount, balance: entry.balance },
                },
            }
        }
        _ => LedgerRow { first: entry.seq, last: entry.seq, kind: RowKind::One(entry.clone()) },
    };
    rows.insert((owner.0, row.first), encode(&row)?.as_slice())?;
    Ok(())
}

/// `owner`'s rows, newest first: `limit` rows of entries before sequence `before` (the newest
/// when `None`).
pub fn rows_of(
    rows: &impl ReadableTable<(u64, u64), &'static [u8]>,
    owner: UserId,
    before: Option<u64>,
    limit: usize,
) -> Result<Vec<LedgerRow>, StoreError> {
    let end = before.map(|b| b.saturating_sub(1)).unwrap_or(u64::MAX);
    let mut out = Vec::new();
    for r in rows.range((owner.0, 0)..=(owner.0, end))?.rev().take(limit) {
        out.push(decode(r?.1.value())?);
    }
    Ok(out)
}

/// The seq of `owner`'s charge entry for hour `h`, if booked.
pub fn charged_hour(
    t: &impl ReadableTable<(u64, u64), u64>,
    owner: UserId,
    h: Hour,
) -> Result<Option<u64>, StoreError> {
    Ok(t.get((owner.0, h))?.map(|v| v.value()))
}

/// Remember that `owner`'s charges for hour `h` are entry `seq`.
pub fn mark_hour(t: &mut Table<(u64, u64), u64>, owner: UserId, h: Hour, seq: u64) -> Result<(), StoreError> {
    t.insert((owner.0, h), seq)?;
    Ok(())
}

/// `owner`'s entries with a sequence in `range`, oldest first.
pub fn entries(
    t: &impl ReadableTable<(u64, u64), &'static [u8]>,
    owner: UserId,
    range: std::ops::RangeInclusive<u64>,
) -> Result<Vec<LedgerEntry>, StoreError> {
    let mut out = Vec::new();
    for row in t.range((owner.0, *range.start())..=(owner.0, *range.end()))? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// One resource's usage in a month so far (a statement line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthLine {
    /// What it was priced as (the latest).
    pub item: Item,
    /// Units in its latest hour.
    pub qty: u64,
    /// Hours it was billable.
    pub hours: u32,
    /// Charged.
    pub amount: Money,
}

impl Record for MonthLine {
    const KIND: &'static str = "month line";
    const VERSION: u8 = 1;
}

/// `owner`'s lines of month `m`, by resource.
pub fn month_lines(
    t: &impl ReadableTable<(u64, u32, &'static str), &'static [u8]>,
    owner: UserId,
    m: crate::domain::billing::Month,
) -> Result<Vec<(String, MonthLine)>, StoreError> {
    let mut out = Vec::new();
    for row in t.range((owner.0, m, "")..(owner.0, m + 1, ""))? {
        let (k, v) = row?;
        out.push((k.value().2.to_string(), decode(v.value())?));
    }
    Ok(out)
}

/// A month's statement of one account, frozen once issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementRecord {
    /// Number, from 1 over all accounts, without gaps.
    pub number: u64,
    /// The account.
    pub owner: UserId,
    /// The month.
    pub month: crate::domain::billing::Month,
    /// A line per resource: hours and amount.
    pub lines: Vec<(String, MonthLine)>,
    /// Charged in the month (the lines' sum).
    pub charges: Money,
    /// Credits given in the month.
    pub credits: Money,
    /// Paid in during the month.
    pub top_ups: Money,
    /// Corrections (either sign).
    pub adjustments: Money,
    /// Balance at the start of the month.
    pub opening: Money,
    /// Balance at its end: opening − charges + credits + top-ups + adjustments.
    pub closing: Money,
    /// When it was issued.
    pub issued_at: Timestamp,
}

impl Record for StatementRecord {
    const KIND: &'static str = "statement";
    const VERSION: u8 = 1;
}

/// An account's standing: how long its balance has been below zero, the low-balance notices
/// sent since it was last topped up, and whether billing suspended it (and which VMs).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Standing {
    /// Below zero since.
    pub negative_since: Option<Timestamp>,
    /// Low-balance thresholds (days left) already notified.
    pub notified_days: Vec<u32>,
    /// Suspended for non-payment since.
    pub suspended_at: Option<Timestamp>,
    /// The VMs the suspension stopped (only these are let go again).
    pub suspended_vms: Vec<crate::domain::vm::VmId>,
}

impl Record for Standing {
    const KIND: &'static str = "standing";
    const VERSION: u8 = 1;
}

/// `owner`'s standing (default: in good standing).
pub fn standing(t: &impl ReadableTable<u64, &'static [u8]>, owner: UserId) -> Result<Standing, StoreError> {
    match t.get(owner.0)? {
        Some(v) => decode(v.value()),
        None => Ok(Standing::default()),
    }
}

/// Whether billing has suspended `owner` (read in any transaction).
pub fn is_suspended(t: &impl ReadableTable<u64, &'static [u8]>, owner: UserId) -> Result<bool, StoreError> {
    Ok(standing(t, owner)?.suspended_at.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_days_hourly_charges_are_one_row_until_another_entry_or_day_comes() {
        let store = Store::in_memory().unwrap();
        let owner = UserId(4);
        let h0: Hour = 24 * 20_000; // midnight UTC of a day
        let charge = |h: Hour| EntryKind::Charge { hour: h, lines: vec![] };
        let tx = store.write().unwrap();
        for (at, kind, amount) in [
            (h0, charge(h0), -10),
            (h0 + 1, charge(h0 + 1), -10),
            (h0 + 2, EntryKind::TopUp { reference: "bank 1".into(), by: None }, 500),
            (h0 + 3, charge(h0 + 2), -10),
            (h0 + 4, charge(h0 + 3), -10),
            (h0 + 25, charge(h0 + 24), -7),
        ] {
            append(&tx, owner, crate::domain::billing::start_of(at), kind, Money(amount)).unwrap();
        }
        append(&tx, UserId(5), Timestamp::from_secs(0), charge(h0), Money(-1)).unwrap();
        tx.commit().unwrap();
        let r = store.read().unwrap();
        let rows = rows_of(&r.open_table(LEDGER_ROWS).unwrap(), owner, None, 10).unwrap();
        let shape: Vec<(u64, u64, String)> = rows
            .iter()
            .map(|row| {
                let what = match &row.kind {
                    RowKind::Day { day, hours, amount, balance } => {
                        format!("{} {hours}h {} -> {}", &day.display_utc()[..10], amount.0, balance.0)
                    }
                    RowKind::One(e) => format!("one {}", e.amount.0),
                };
                (row.first, row.last, what)
            })
            .collect();
        let day1 = crate::domain::billing::start_of(h0).display_utc()[..10].to_string();
        let day2 = crate::domain::billing::start_of(h0 + 24).display_utc()[..10].to_string();
        assert_eq!(
            shape,
            [
                (6, 6, format!("{day2} 1h -7 -> 453")),
                (4, 5, format!("{day1} 2h -20 -> 460")),
                (3, 3, "one 500".to_string()),
                (1, 2, format!("{day1} 2h -20 -> -20")),
            ]
        );
        // Paging: the rows before entry 4, and at most one of them.
        let older = rows_of(&r.open_table(LEDGER_ROWS).unwrap(), owner, Some(4), 1).unwrap();
        assert_eq!(older.iter().map(|r| r.first).collect::<Vec<_>>(), [3]);
    }
}
