//! Billing: the price list (changes apply from the next hour; every charge keeps the price it
//! used), top-ups and corrections, each account's balance, ledger and month so far, and the
//! hourly metering tick with its monthly statements (in [`meter`]).

mod meter;
mod overview;
mod payments;
mod standing;
mod statements;
#[cfg(test)]
pub(crate) mod tests;
mod traffic;
mod trial;
mod usage;
pub use usage::ServerUsage;

use std::sync::Arc;

use jiff::tz::TimeZone;
use redb::ReadableTable;

use crate::clock::Clock;
use crate::domain::account::UserId;
use crate::domain::billing::{self, Hour, Item, Month, Price};
use crate::domain::money::Money;
use crate::service::audit;
use crate::service::caller::Caller;
use crate::service::{Coded, ErrorKind, blocking};
use crate::store::billing::{self as rec, EntryKind, LedgerEntry, MonthLine};
use crate::store::tables::{LEDGER, PLANS, PRICES};
use crate::store::{Store, StoreError};

pub use meter::{BACKUP_STORAGE, TickReport};
pub use statements::statement_csv;
pub use trial::TrialSettings;

/// A billing request was refused.
#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    /// An amount is missing, malformed or out of range.
    #[error("Enter an amount such as 1500 or 1500.50 (above zero)")]
    Amount,
    /// A reason or reference is missing or too long.
    #[error("Say in 1 to 200 characters {0}")]
    Text(&'static str),
    /// The hourly price is above the monthly one.
    #[error("The hourly price cannot be above the monthly price")]
    HourlyAboveMonthly,
    /// No such account, plan or statement.
    #[error("No such {0}")]
    NotFound(&'static str),
    /// A trial was asked for already.
    #[error("The free trial is granted once per customer, and this account has asked for it already")]
    TrialUsed,
    /// Not a new customer.
    #[error("The free trial is for new customers: this account has used the service already")]
    TrialNotNew,
    /// The trial is not in a state for this.
    #[error("The trial is not in a state for this")]
    TrialState,
    /// A payment or correction reference booked before with another account or amount.
    #[error("The reference {0:?} was booked already, for another account or amount")]
    ReferenceTaken(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

store_error_conversions!(BillingError);

impl Coded for BillingError {
    fn code(&self) -> &'static str {
        match self {
            BillingError::Amount => "BIL0001",
            BillingError::Text(_) => "BIL0002",
            BillingError::HourlyAboveMonthly => "BIL0003",
            BillingError::NotFound(_) => "BIL0004",
            BillingError::TrialUsed => "BIL0005",
            BillingError::TrialNotNew => "BIL0006",
            BillingError::TrialState => "BIL0007",
            BillingError::ReferenceTaken(_) => "BIL0008",
            BillingError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            BillingError::NotFound(_) => ErrorKind::NotFound,
            BillingError::TrialUsed
            | BillingError::TrialNotNew
            | BillingError::TrialState
            | BillingError::ReferenceTaken(_) => ErrorKind::Conflict,
            BillingError::Store(e) => e.kind(),
            _ => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            BillingError::Text(what) => vec![(
                "what",
                match *what {
                    "the payment reference" => "reference",
                    "why the balance is corrected" => "correction",
                    _ => "credit",
                }
                .into(),
            )],
            BillingError::NotFound(what) => vec![("what", (*what).into())],
            BillingError::ReferenceTaken(r) => vec![("reference", r.as_str().into())],
            BillingError::Store(e) => e.args(),
            _ => Vec::new(),
        }
    }
}

/// How billing is set up on this appliance.
#[derive(Debug, Clone)]
pub struct BillingSettings {
    /// Time zone of calendar months.
    pub tz: TimeZone,
    /// Seconds the balance may stay below zero before suspension.
    pub grace_secs: i64,
    /// Low-balance notice thresholds, days left.
    pub low_balance_days: Vec<u32>,
}

impl BillingSettings {
    /// From the configuration (validated already; an unknown zone falls back to UTC).
    pub fn from_config(c: &crate::config::BillingConfig) -> BillingSettings {
        BillingSettings {
            tz: crate::domain::schedule::zone(&c.time_zone).unwrap_or(TimeZone::UTC),
            grace_secs: i64::try_from(c.grace_days.saturating_mul(86_400)).unwrap_or(i64::MAX),
            low_balance_days: c.low_balance_days.clone(),
        }
    }
}

/// One row of the price list.
#[derive(Debug, Clone)]
pub struct PriceRow {
    /// The item.
    pub item: Item,
    /// The plan's name (empty for the extras, which their item names).
    pub label: String,
    /// The price of the current hour (zero when none was ever set).
    pub current: Price,
    /// A change set for a later hour: from then, the new price.
    pub next: Option<(Hour, Price)>,
}

/// What an account sees at the top of its billing page.
#[derive(Debug, Clone)]
pub struct Overview {
    /// The balance.
    pub balance: Money,
    /// This month.
    pub month: Month,
    /// Its lines so far, by resource.
    pub lines: Vec<(String, MonthLine)>,
    /// Charged this month so far.
    pub month_total: Money,
    /// What the account's resources cost per hour now (before monthly caps).
    pub per_hour: Money,
    /// Whole days the balance lasts at that rate (`None`: nothing is charged).
    pub days_left: Option<i64>,
    /// What the account calls its resources (`vm:1` → its hostname), read with the rest.
    pub names: std::collections::BTreeMap<String, String>,
}

/// The key billing names the account's backup storage by.
pub const BACKUP_STORAGE_KEY: &str = meter::BACKUP_STORAGE;

/// The billing service.
#[derive(Clone)]
pub struct Billing {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    settings: BillingSettings,
    trial: TrialSettings,
    vms: crate::service::vms::Vms,
}

fn text(s: &str, what: &'static str) -> Result<String, BillingError> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > 200 {
        return Err(BillingError::Text(what));
    }
    Ok(t.to_string())
}

impl Billing {
    /// The service.
    pub fn new(
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
        settings: BillingSettings,
        trial: TrialSettings,
        vms: crate::service::vms::Vms,
    ) -> Billing {
        Billing { store, clock, settings, trial, vms }
    }

    /// The calendar month `t` is in.
    pub fn month_at(&self, t: crate::domain::time::Timestamp) -> Month {
        billing::month_of(billing::hour_of(t), &self.settings.tz)
    }

    /// The price list: every plan and the extras, with the price of this hour and any change
    /// set for later.
    pub fn price_list(&self) -> Result<Vec<PriceRow>, BillingError> {
        let now = billing::hour_of(self.clock.now());
        let tx = self.store.read()?;
        let prices = tx.open_table(PRICES)?;
        let mut items: Vec<(Item, String)> = Vec::new();
        for row in tx.open_table(PLANS)?.iter()? {
            let p: crate::store::records::PlanRecord = crate::store::codec::decode(row?.1.value())?;
            items.push((Item::Plan(p.id), p.name));
        }
        for e in Item::EXTRAS {
            items.push((e, String::new()));
        }
        let mut out = Vec::new();
        for (item, label) in items {
            let history = rec::price_history(&prices, item)?;
            let current =
                history.iter().rev().find(|(h, _)| *h <= now).map(|(_, p)| p.price).unwrap_or_default();
            let next = history.iter().find(|(h, _)| *h > now).map(|(h, p)| (*h, p.price));
            out.push(PriceRow { item, label, current, next });
        }
        Ok(out)
    }

    /// Set `item`'s price. It applies from the next full hour (hours already begun keep the
    /// old price); an item never priced before is priced from the start.
    pub async fn set_price(&self, item: Item, price: Price, caller: &Caller) -> Result<Hour, BillingError> {
        if price.monthly.0 < 0 || price.hourly.0 < 0 {
            return Err(BillingError::Amount);
        }
        if price.hourly > price.monthly {
            return Err(BillingError::HourlyAboveMonthly);
        }
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            if let Item::Plan(p) = item
                && tx.open_table(PLANS)?.get(p.0)?.is_none()
            {
                return Err(BillingError::NotFound("plan"));
            }
            let priced = !rec::price_history(&tx.open_table(PRICES)?, item)?.is_empty();
            let from = if priced { billing::hour_of(now) + 1 } else { 0 };
            rec::set_price(&tx, item, from, price, now)?;
            let detail = audit::told(
                crate::i18n::Msg::AuditPrice,
                vec![
                    ("item", item.key().into()),
                    ("monthly", price.monthly.into()),
                    ("hourly", price.hourly.into()),
                    ("from", billing::start_of(from).into()),
                ],
            );
            audit::record(&tx, now, &caller, UserId(0), "billing:prices", "billing.price", detail)?;
            tx.commit()?;
            Ok(from)
        })
        .await
    }

    /// Book a payment into `owner`'s balance (an admin, from the cabinet or the CLI).
    pub async fn top_up(
        &self,
        owner: UserId,
        amount: Money,
        reference: &str,
        caller: &Caller,
    ) -> Result<LedgerEntry, BillingError> {
        if amount.0 <= 0 {
            return Err(BillingError::Amount);
        }
        let reference = text(reference, "the payment reference")?;
        let kind = EntryKind::TopUp { reference: reference.clone(), by: caller.user };
        Ok(self.book(owner, amount, kind, caller, "billing.topup", reference, None).await?.0)
    }

    /// Correct `owner`'s balance by `amount` (either sign) with a reason (admin).
    pub async fn adjust(
        &self,
        owner: UserId,
        amount: Money,
        reason: &str,
        caller: &Caller,
    ) -> Result<LedgerEntry, BillingError> {
        if amount.0 == 0 {
            return Err(BillingError::Amount);
        }
        let reason = text(reason, "why the balance is corrected")?;
        let kind = EntryKind::Adjustment { reason: reason.clone(), by: caller.user };
        Ok(self.book(owner, amount, kind, caller, "billing.adjust", reason, None).await?.0)
    }

    /// Give `owner` a credit (e.g. for missed availability).
    pub async fn credit(
        &self,
        owner: UserId,
        amount: Money,
        reason: &str,
    ) -> Result<LedgerEntry, BillingError> {
        if amount.0 <= 0 {
            return Err(BillingError::Amount);
        }
        let reason = text(reason, "what the credit is for")?;
        let kind = EntryKind::Credit { reason: reason.clone() };
        Ok(self.book(owner, amount, kind, &Caller::system(), "billing.credit", reason, None).await?.0)
    }

    /// Book `amount` for `owner` (with the audit `action` and `detail`), once per `once` key
    /// when given: the entry booked under it before comes back (`true`) if it is the same
    /// account and amount, else [`BillingError::ReferenceTaken`].
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn book(
        &self,
        owner: UserId,
        amount: Money,
        kind: EntryKind,
        caller: &Caller,
        action: &'static str,
        detail: String,
        once: Option<String>,
    ) -> Result<(LedgerEntry, bool), BillingError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        let (entry, again) = blocking(move || {
            let tx = store.write()?;
            if tx.open_table(crate::store::tables::USERS)?.get(owner.0)?.is_none() {
                return Err(BillingError::NotFound("account"));
            }
            if let Some(key) = &once {
                let booked =
                    tx.open_table(crate::store::tables::BOOKING_REFS)?.get(key.as_str())?.map(|v| v.value());
                if let Some((o, seq)) = booked {
                    let first: Option<LedgerEntry> = tx
                        .open_table(LEDGER)?
                        .get((o, seq))?
                        .map(|v| crate::store::codec::decode(v.value()))
                        .transpose()?;
                    return match first {
                        Some(e) if o == owner.0 && e.amount == amount => Ok((e, true)),
                        _ => Err(BillingError::ReferenceTaken(
                            key.split_once('/').map_or(key.as_str(), |k| k.1).to_string(),
                        )),
                    };
                }
            }
            let entry = rec::append(&tx, owner, now, kind, amount)?;
            if let Some(key) = &once {
                tx.open_table(crate::store::tables::BOOKING_REFS)?
                    .insert(key.as_str(), (owner.0, entry.seq))?;
            }
            let detail = audit::told(
                crate::i18n::Msg::AuditBooked,
                vec![("amount", amount.into()), ("text", detail.into()), ("balance", entry.balance.into())],
            );
            audit::record(&tx, now, &caller, owner, &format!("account:{owner}"), action, detail)?;
            tx.commit()?;
            Ok((entry, false))
        })
        .await?;
        if again {
            return Ok((entry, true));
        }
        // The entry is booked: a failed review must not read as a failed payment (it would be
        // booked again); the next tick reviews the account anyway.
        if let Err(e) = self.review(owner).await {
            tracing::warn!(account = %owner, code = e.code(), "billing review after a booking failed: {e}");
        }
        Ok((entry, false))
    }

    /// `owner`'s entries of the UTC day that starts at `day` (charges by their hour), newest
    /// first.
    pub fn transactions_on(
        &self,
        owner: UserId,
        day: crate::domain::time::Timestamp,
    ) -> Result<Vec<LedgerEntry>, BillingError> {
        let end = day.plus_secs(86_400);
        let tx = self.store.read()?;
        let mut out = Vec::new();
        for row in tx.open_table(LEDGER)?.range((owner.0, 1)..=(owner.0, u64::MAX))?.rev() {
            let e: LedgerEntry = crate::store::codec::decode(row?.1.value())?;
            if e.at < day {
                break;
            }
            let when = match &e.kind {
                EntryKind::Charge { hour, .. } => billing::start_of(*hour),
                _ => e.at,
            };
            if when >= day && when < end {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// `owner`'s ledger as the Billing page lists it, newest first: `limit` rows of entries
    /// before sequence `before` (the newest when `None`).
    pub fn rows(
        &self,
        owner: UserId,
        before: Option<u64>,
        limit: usize,
    ) -> Result<Vec<crate::store::billing::LedgerRow>, BillingError> {
        let tx = self.store.read()?;
        Ok(crate::store::billing::rows_of(
            &tx.open_table(crate::store::tables::LEDGER_ROWS)?,
            owner,
            before,
            limit,
        )?)
    }

    /// `owner`'s ledger, newest first: `limit` entries before sequence `before` (all when
    /// `None`).
    pub fn transactions(
        &self,
        owner: UserId,
        before: Option<u64>,
        limit: usize,
    ) -> Result<Vec<LedgerEntry>, BillingError> {
        transactions_in(&self.store.read()?, owner, before, limit)
    }
}

/// `owner`'s ledger inside `tx`, newest first: `limit` entries before sequence `before`.
fn transactions_in(
    tx: &redb::ReadTransaction,
    owner: UserId,
    before: Option<u64>,
    limit: usize,
) -> Result<Vec<LedgerEntry>, BillingError> {
    let t = tx.open_table(LEDGER)?;
    let end = before.map(|b| b.saturating_sub(1)).unwrap_or(u64::MAX);
    let mut out = Vec::new();
    for row in t.range((owner.0, 1)..=(owner.0, end))?.rev().take(limit) {
        out.push(crate::store::codec::decode(row?.1.value())?);
    }
    Ok(out)
}

/// What the Billing page shows, as of one moment.
#[derive(Debug, Clone)]
pub struct BillingPage {
    /// Balance, month so far, forecast.
    pub overview: Overview,
    /// Suspension state.
    pub standing: crate::store::billing::Standing,
    /// When a below-zero account is suspended unless it pays (none once suspended).
    pub suspends_at: Option<crate::domain::time::Timestamp>,
    /// The ledger as rows (a day of hourly charges, or one other entry), newest first.
    pub rows: Vec<crate::store::billing::LedgerRow>,
    /// Statements, newest first.
    pub statements: Vec<crate::store::billing::StatementRecord>,
    /// The account's trial, if it has one.
    pub trial: Option<crate::store::trials::TrialRecord>,
    /// When it was read.
    pub now: crate::domain::time::Timestamp,
}
