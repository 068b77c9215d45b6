//! Monthly statements: issued inside the metering transaction of a month's last hour, one per
//! account that had usage or money movements in the month, numbered from 1 without gaps
//! (redb runs one write transaction at a time, and an account's month is issued once), and
//! never changed afterwards. Shown as a print-friendly page and as CSV.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use redb::ReadableTable;

use super::{Billing, BillingError};
use crate::domain::account::UserId;
use crate::domain::billing::{self, Month};
use crate::domain::money::Money;
use crate::store::billing::{self as rec, EntryKind, LedgerEntry, StatementRecord};
use crate::store::codec::{decode, encode};
use crate::store::tables::{
    BALANCES, LEDGER, META, META_LAST_STATEMENT_NO, MONTH_LINES, OWNER_STATEMENTS, STATEMENTS,
};

/// Money movements of one account in one month, by kind.
#[derive(Default)]
struct Movements {
    charges: i64,
    credits: i64,
    top_ups: i64,
    adjustments: i64,
    any: bool,
}

/// `owner`'s statements inside `tx`, newest first.
pub(super) fn statements_in(
    tx: &redb::ReadTransaction,
    owner: UserId,
) -> Result<Vec<StatementRecord>, BillingError> {
    let (idx, t) = (tx.open_table(OWNER_STATEMENTS)?, tx.open_table(STATEMENTS)?);
    let mut out = Vec::new();
    for row in idx.range((owner.0, 0)..=(owner.0, u32::MAX))?.rev() {
        if let Some(v) = t.get(row?.1.value())? {
            out.push(decode(v.value())?);
        }
    }
    Ok(out)
}

impl Billing {
    /// The month an entry belongs to: a charge to its hour's, anything else to when it was
    /// booked.
    fn month_of_entry(&self, e: &LedgerEntry) -> Month {
        match &e.kind {
            EntryKind::Charge { hour, .. } => billing::month_of(*hour, &self.settings.tz),
            _ => self.month_at(e.at),
        }
    }

    /// `owner`'s movements in month `m` (ledger read from the newest entry back to the month's
    /// start: a charge is booked after its hour, so nothing of `m` is older than the month).
    fn movements_in(
        &self,
        ledger: &impl ReadableTable<(u64, u64), &'static [u8]>,
        owner: UserId,
        m: Month,
    ) -> Result<Movements, BillingError> {
        let start = billing::start_of(billing::hours_of_month(m, &self.settings.tz).0);
        let mut mv = Movements::default();
        for row in ledger.range((owner.0, 0)..=(owner.0, u64::MAX))?.rev() {
            let e: LedgerEntry = decode(row?.1.value())?;
            if e.at < start {
                break;
            }
            if self.month_of_entry(&e) != m {
                continue;
            }
            mv.any = true;
            let slot = match e.kind {
                EntryKind::Charge { .. } | EntryKind::Traffic { .. } => &mut mv.charges,
                EntryKind::Credit { .. } => &mut mv.credits,
                EntryKind::TopUp { .. } => &mut mv.top_ups,
                EntryKind::Adjustment { .. } => &mut mv.adjustments,
            };
            *slot = slot.saturating_add(e.amount.0);
        }
        Ok(mv)
    }

    /// Issue month `m`'s statements inside `tx`. Returns how many were issued.
    pub(super) fn issue_statements_in(
        &self,
        tx: &redb::WriteTransaction,
        m: Month,
    ) -> Result<u64, BillingError> {
        let mut owners: BTreeSet<u64> = BTreeSet::new();
        for row in tx.open_table(MONTH_LINES)?.iter()? {
            let (k, _) = row?;
            let (o, month, _) = k.value();
            if month == m {
                owners.insert(o);
            }
        }
        for row in tx.open_table(BALANCES)?.iter()? {
            owners.insert(row?.0.value());
        }
        let ledger = tx.open_table(LEDGER)?;
        let lines_t = tx.open_table(MONTH_LINES)?;
        let mut by_owner = tx.open_table(OWNER_STATEMENTS)?;
        let mut statements = tx.open_table(STATEMENTS)?;
        let mut meta = tx.open_table(META)?;
        let now = self.clock.now();
        let mut issued = 0;
        for o in owners {
            let owner = UserId(o);
            if by_owner.get((o, m))?.is_some() {
                continue;
            }
            let lines = rec::month_lines(&lines_t, owner, m)?;
            let mv = self.movements_in(&ledger, owner, m)?;
            if lines.is_empty() && !mv.any {
                continue;
            }
            let opening = match by_owner.range((o, 0)..(o, m))?.next_back() {
                Some(row) => {
                    let n = row?.1.value();
                    match statements.get(n)? {
                        Some(v) => decode::<StatementRecord>(v.value())?.closing,
                        None => Money(0),
                    }
                }
                None => Money(0),
            };
            let number = meta.get(META_LAST_STATEMENT_NO)?.map(|v| v.value()).unwrap_or(0) + 1;
            meta.insert(META_LAST_STATEMENT_NO, number)?;
            let net = mv.charges + mv.credits + mv.top_ups + mv.adjustments;
            let s = StatementRecord {
                number,
                owner,
                month: m,
                lines,
                charges: Money(-mv.charges),
                credits: Money(mv.credits),
                top_ups: Money(mv.top_ups),
                adjustments: Money(mv.adjustments),
                opening,
                closing: Money(opening.0.saturating_add(net)),
                issued_at: now,
            };
            statements.insert(number, encode(&s)?.as_slice())?;
            by_owner.insert((o, m), number)?;
            issued += 1;
        }
        if issued > 0 {
            tracing::info!(month = billing::month_label(m), issued, "statements issued");
        }
        Ok(issued)
    }

    /// `owner`'s statements, newest first.
    pub fn statements(&self, owner: UserId) -> Result<Vec<StatementRecord>, BillingError> {
        statements_in(&self.store.read()?, owner)
    }

    /// Statement `number`, if it is `owner`'s (any account's for `None`, the admin).
    pub fn statement(&self, owner: Option<UserId>, number: u64) -> Result<StatementRecord, BillingError> {
        let tx = self.store.read()?;
        let s: StatementRecord = match tx.open_table(STATEMENTS)?.get(number)? {
            Some(v) => decode(v.value())?,
            None => return Err(BillingError::NotFound("statement")),
        };
        match owner {
            Some(o) if o != s.owner => Err(BillingError::NotFound("statement")),
            _ => Ok(s),
        }
    }

    /// Every statement number in use, in order (for checks).
    pub fn statement_numbers(&self) -> Result<BTreeMap<u64, (UserId, Month)>, BillingError> {
        let tx = self.store.read()?;
        let mut out = BTreeMap::new();
        for row in tx.open_table(OWNER_STATEMENTS)?.iter()? {
            let (k, v) = row?;
            let (o, m) = k.value();
            out.insert(v.value(), (UserId(o), m));
        }
        Ok(out)
    }
}

/// A statement as CSV: a header line, a line per resource, then the totals.
pub fn statement_csv(s: &StatementRecord) -> String {
    let mut out = String::from("statement,month,resource,item,units,hours,amount,currency\n");
    let (n, month, cur) = (s.number, billing::month_label(s.month), crate::domain::money::currency());
    for (resource, l) in &s.lines {
        let _ =
            writeln!(out, "{n},{month},{resource},{},{},{},{},{cur}", l.item.key(), l.qty, l.hours, l.amount);
    }
    for (label, amount) in [
        ("opening balance", s.opening),
        ("charges", Money(-s.charges.0)),
        ("credits", s.credits),
        ("top-ups", s.top_ups),
        ("adjustments", s.adjustments),
        ("closing balance", s.closing),
    ] {
        let _ = writeln!(out, "{n},{month},{label},,,,{amount},{cur}");
    }
    out
}
