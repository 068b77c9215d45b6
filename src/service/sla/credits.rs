//! Monthly availability credits: once a month's last hour is metered, each account gets, per
//! VM billed that month, the credit tier of its availability applied to that VM's charges; the
//! account's total is capped at what it was charged for the service that month and booked as
//! one ledger credit in the current (next) period, in the same transaction that marks the
//! month done, so it is booked exactly once.

use std::collections::BTreeMap;

use redb::ReadableTable;

use super::{Events, Sla, SlaError, compute};
use crate::domain::account::UserId;
use crate::domain::billing::{self, Month};
use crate::domain::money::Money;
use crate::domain::sla::{self, Span};
use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::service::blocking;
use crate::service::notices::{notify_in, told};
use crate::store::StoreError;
use crate::store::billing::{self as ledger, EntryKind, LedgerEntry, MonthLine};
use crate::store::codec::decode;
use crate::store::notices::Audience;
use crate::store::sla::{self as rec, CreditLine, SlaCreditRecord};
use crate::store::tables::{
    DOWNTIME, INCIDENTS, LEDGER, MAINTENANCE, META, META_METERED_UNTIL, META_SLA_CREDITED_MONTH, MONTH_LINES,
    OPEN_DOWNTIME, SLA_CREDITS,
};

/// The VM a month line's resource belongs to (`vm:12`, `vm:12/ipv4`).
fn vm_of(resource: &str) -> Option<VmId> {
    let rest = resource.strip_prefix("vm:")?;
    rest.split('/').next()?.parse().ok().map(VmId)
}

/// One account's month: each VM's charges and billed hours, and what it paid (its charges
/// less what was given back).
#[derive(Default)]
struct AccountMonth {
    vms: BTreeMap<VmId, (Money, u32)>,
    paid: Money,
}

/// Credits and positive corrections booked for `owner` within `span`.
fn given_back(tx: &redb::WriteTransaction, owner: UserId, span: Span) -> Result<Money, StoreError> {
    let ledger = tx.open_table(LEDGER)?;
    let mut sum = 0;
    for row in ledger.range((owner.0, 0)..=(owner.0, u64::MAX))?.rev() {
        let e: LedgerEntry = decode(row?.1.value())?;
        if e.at < span.from {
            break;
        }
        let back =
            matches!(e.kind, EntryKind::Credit { .. } | EntryKind::Adjustment { .. }) && e.amount.0 > 0;
        if e.at < span.to && back {
            sum += e.amount.0;
        }
    }
    Ok(Money(sum))
}

impl Sla {
    /// Book the credits of every month that is fully metered and not credited yet. Returns
    /// the accounts credited with their amounts.
    pub async fn book_credits(&self) -> Result<Vec<(UserId, Money)>, SlaError> {
        let sla = self.clone();
        blocking(move || {
            let mut booked = Vec::new();
            while let Some(m) = sla.next_month_to_credit()? {
                booked.extend(sla.book_month(m)?);
            }
            Ok(booked)
        })
        .await
    }

    /// The next month whose last hour is metered and whose credits are not booked.
    fn next_month_to_credit(&self) -> Result<Option<Month>, SlaError> {
        let tx = self.store.read()?;
        let meta = tx.open_table(META)?;
        let Some(until) = meta.get(META_METERED_UNTIL)?.map(|v| v.value()) else { return Ok(None) };
        // The month the next unmetered hour is in is still open; the one before it is closed.
        let open = billing::month_of(until, &self.tz);
        let last_closed = open.saturating_sub(1);
        let next = match meta.get(META_SLA_CREDITED_MONTH)?.map(|v| v.value()) {
            Some(done) => u32::try_from(done).unwrap_or(u32::MAX).saturating_add(1),
            // A new state file starts with the last closed month.
            None => last_closed,
        };
        Ok((next <= last_closed && next > 0).then_some(next))
    }

    fn book_month(&self, m: Month) -> Result<Vec<(UserId, Money)>, SlaError> {
        let now = self.clock.now();
        let (first, next) = billing::hours_of_month(m, &self.tz);
        let month_span = Span::new(billing::start_of(first), billing::start_of(next));
        let tx = self.store.write()?;
        let mut accounts: BTreeMap<UserId, AccountMonth> = BTreeMap::new();
        for row in tx.open_table(MONTH_LINES)?.iter()? {
            let (k, v) = row?;
            let (owner, month, resource) = k.value();
            if month != m {
                continue;
            }
            let line: MonthLine = decode(v.value())?;
            let acc = accounts.entry(UserId(owner)).or_default();
            acc.paid = Money(acc.paid.0 + line.amount.0);
            if let Some(vm) = vm_of(resource) {
                let e = acc.vms.entry(vm).or_insert((Money(0), 0));
                e.0 = Money(e.0.0 + line.amount.0);
                if !resource.contains('/') {
                    e.1 = line.hours;
                }
            }
        }
        // What the customer paid: the month's charges less what was given back in the month.
        for (owner, acc) in accounts.iter_mut() {
            acc.paid = Money(acc.paid.0 - given_back(&tx, *owner, month_span)?.0);
        }
        let events =
            Events::load(&tx.open_table(INCIDENTS)?, &tx.open_table(MAINTENANCE)?, self.notice_secs)?;
        let mut booked = Vec::new();
        for (owner, acc) in accounts.into_iter().filter(|(_, a)| !a.vms.is_empty()) {
            let mut lines = Vec::new();
            for (vm, (charges, hours)) in acc.vms {
                let own = rec::of_vm(&tx.open_table(DOWNTIME)?, vm, month_span)?;
                let open = rec::open_of(&tx.open_table(OPEN_DOWNTIME)?, vm)?;
                let a = compute(vm, month_span, &own, open.as_ref(), &events, now.min(month_span.to));
                // The period is the hours the VM was billed in the month.
                let period_secs = i64::from(hours) * 3600;
                let counted = a.counted_secs.min(period_secs);
                let ppm = sla::availability_ppm(period_secs, counted);
                let percent = sla::credit_percent(ppm);
                lines.push(CreditLine {
                    vm,
                    ppm,
                    counted_secs: counted,
                    percent,
                    charges,
                    credit: sla::credit_of(charges, percent),
                });
            }
            let sum: i64 = lines.iter().map(|l| l.credit.0).sum();
            let total = Money(sum.min(acc.paid.0.max(0)));
            let ledger_seq = if total.0 > 0 {
                let reason = format!("Availability credit for {}", billing::month_label(m));
                let entry =
                    ledger::append(&tx, owner, now, EntryKind::Credit { reason: reason.clone() }, total)?;
                let n = told(
                    "sla.credit",
                    Msg::NoticeCredit,
                    Some(Msg::NoticeCreditBody),
                    vec![("month", billing::month_label(m).into()), ("amount", total.into())],
                    Some("/sla".into()),
                );
                notify_in(&tx, now, Audience::User(owner), n)?;
                booked.push((owner, total));
                Some(entry.seq)
            } else {
                None
            };
            rec::put_credit(
                &tx,
                owner,
                &SlaCreditRecord { month: m, lines, paid: acc.paid, total, at: now, ledger_seq },
            )?;
        }
        tx.open_table(META)?.insert(META_SLA_CREDITED_MONTH, u64::from(m))?;
        tx.commit()?;
        tracing::info!(month = %billing::month_label(m), accounts = booked.len(), "availability credits booked");
        Ok(booked)
    }

    /// `owner`'s monthly credit records, newest first.
    pub fn credits(&self, owner: UserId) -> Result<Vec<SlaCreditRecord>, SlaError> {
        Ok(rec::credits_of(&self.store.read()?.open_table(SLA_CREDITS)?, owner)?)
    }

    /// Every account's credit record of month `m`.
    pub fn credits_in(&self, m: Month) -> Result<Vec<(UserId, SlaCreditRecord)>, SlaError> {
        let tx = self.store.read()?;
        let mut out = Vec::new();
        for row in tx.open_table(SLA_CREDITS)?.iter()? {
            let (k, v) = row?;
            if k.value().1 == m {
                out.push((UserId(k.value().0), decode(v.value())?));
            }
        }
        Ok(out)
    }
}
