//! Bookings by an outside payment system (through the API): a payment into a balance, or a
//! correction either way, each once per reference. A payment system that retries a booking
//! (the answer was lost) gets the first entry back instead of a second one.

use super::{Billing, BillingError, text};
use crate::domain::account::UserId;
use crate::domain::money::Money;
use crate::service::caller::Caller;
use crate::store::billing::{EntryKind, LedgerEntry};

impl Billing {
    /// Book a payment of `amount` into `owner`'s balance, once per `reference`: the entry, and
    /// whether it was booked before.
    pub async fn book_payment(
        &self,
        owner: UserId,
        amount: Money,
        reference: &str,
        caller: &Caller,
    ) -> Result<(LedgerEntry, bool), BillingError> {
        if amount.0 <= 0 {
            return Err(BillingError::Amount);
        }
        let reference = text(reference, "the payment reference")?;
        let kind = EntryKind::TopUp { reference: reference.clone(), by: caller.user };
        let once = Some(format!("payment/{reference}"));
        self.book(owner, amount, kind, caller, "billing.topup", reference, once).await
    }

    /// Correct `owner`'s balance by `amount` (either sign) for `reason`, once per `reference`.
    pub async fn book_correction(
        &self,
        owner: UserId,
        amount: Money,
        reason: &str,
        reference: &str,
        caller: &Caller,
    ) -> Result<(LedgerEntry, bool), BillingError> {
        if amount.0 == 0 {
            return Err(BillingError::Amount);
        }
        let reason = text(reason, "why the balance is corrected")?;
        let reference = text(reference, "the payment reference")?;
        let kind = EntryKind::Adjustment { reason: format!("{reason} ({reference})"), by: caller.user };
        let once = Some(format!("correction/{reference}"));
        self.book(owner, amount, kind, caller, "billing.adjust", reason, once).await
    }
}

impl Billing {
    /// `owner`'s ledger oldest first: up to `limit` entries after sequence `after`.
    pub fn transactions_after(
        &self,
        owner: UserId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<LedgerEntry>, BillingError> {
        let tx = self.store.read()?;
        let t = tx.open_table(crate::store::tables::LEDGER)?;
        let mut out = Vec::new();
        for row in t.range((owner.0, after.saturating_add(1))..=(owner.0, u64::MAX))?.take(limit) {
            out.push(crate::store::codec::decode(row?.1.value())?);
        }
        Ok(out)
    }

    /// Whether `owner` is suspended for non-payment.
    pub fn is_suspended(&self, owner: UserId) -> Result<bool, BillingError> {
        let tx = self.store.read()?;
        Ok(crate::store::billing::is_suspended(&tx.open_table(crate::store::tables::STANDINGS)?, owner)?)
    }
}
