//! Billing commands of the control socket: `vpsbox billing topup|adjust|balance|prices|set-price`.

use serde::{Deserialize, Serialize};

use super::Failure;
use crate::domain::billing::{Item, Price, start_of};
use crate::domain::money::{Money, currency};
use crate::service::Coded;
use crate::service::Services;
use crate::service::billing::BillingError;
use crate::service::caller::Caller;

/// A billing command.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum BillingCommand {
    /// Book a payment.
    TopUp {
        /// The account's e-mail.
        email: String,
        /// Amount as typed (`1500.50`).
        amount: String,
        /// Payment reference.
        reference: String,
    },
    /// Correct a balance (either sign).
    Adjust {
        /// The account's e-mail.
        email: String,
        /// Amount as typed (`-200`).
        amount: String,
        /// Why.
        reason: String,
    },
    /// Show an account's balance and month so far.
    Balance {
        /// The account's e-mail.
        email: String,
    },
    /// List the prices.
    Prices,
    /// Set a price (from the next hour).
    SetPrice {
        /// `plan:NAME`, `ipv4`, `disk_gb` or `backup_gb`.
        item: String,
        /// Monthly price.
        monthly: String,
        /// Hourly price.
        hourly: String,
    },
}

impl From<BillingError> for Failure {
    fn from(e: BillingError) -> Self {
        Failure(e.code(), e.to_string())
    }
}

fn amount(s: &str, signed: bool) -> Result<Money, Failure> {
    let m = if signed { Money::parse_signed(s) } else { Money::parse(s) };
    m.ok_or_else(|| BillingError::Amount.into())
}

/// Run a billing command.
pub(super) async fn run(svc: &Services, cmd: BillingCommand) -> Result<String, Failure> {
    let b = &svc.billing;
    let cur = currency();
    match cmd {
        BillingCommand::TopUp { email, amount: a, reference } => {
            let user = svc.accounts.user_by_email(&email)?;
            let e = b.top_up(user.id, amount(&a, false)?, &reference, &Caller::system()).await?;
            Ok(format!("booked {} {cur} for {}; balance {} {cur}\n", e.amount, user.email, e.balance))
        }
        BillingCommand::Adjust { email, amount: a, reason } => {
            let user = svc.accounts.user_by_email(&email)?;
            let e = b.adjust(user.id, amount(&a, true)?, &reason, &Caller::system()).await?;
            Ok(format!("booked {} {cur} for {}; balance {} {cur}\n", e.amount, user.email, e.balance))
        }
        BillingCommand::Balance { email } => {
            let user = svc.accounts.user_by_email(&email)?;
            let o = b.overview(user.id)?;
            let st = b.standing(user.id)?;
            let mut out = format!(
                "{}: balance {} {cur}, this month {} {cur}, {} {cur} an hour now{}\n",
                user.email,
                o.balance,
                o.month_total,
                o.per_hour,
                if st.suspended_at.is_some() { ", SUSPENDED for non-payment" } else { "" }
            );
            for (r, l) in &o.lines {
                out.push_str(&format!("  {r:<24} {:>4} h  {:>12} {cur}\n", l.hours, l.amount));
            }
            Ok(out)
        }
        BillingCommand::Prices => {
            let mut out = format!("{:<28} {:>12} {:>10}  {}\n", "ITEM", "MONTHLY", "HOURLY", "NEXT");
            for r in b.price_list()? {
                let key = match r.item {
                    Item::Plan(_) => format!("plan:{}", r.label.trim_start_matches("Plan ")),
                    other => other.key(),
                };
                let next = r
                    .next
                    .map(|(h, p)| format!("{} / {} from {}", p.monthly, p.hourly, start_of(h).display_utc()))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "{key:<28} {:>12} {:>10}  {next}\n",
                    r.current.monthly, r.current.hourly
                ));
            }
            Ok(out)
        }
        BillingCommand::SetPrice { item, monthly, hourly } => {
            let it = match item.trim().strip_prefix("plan:") {
                Some(name) => {
                    Item::Plan(svc.plans.by_name(name).map_err(|e| Failure(e.code(), e.to_string()))?.id)
                }
                None => Item::parse(item.trim()).ok_or(BillingError::NotFound("price item"))?,
            };
            let price = Price { monthly: amount(&monthly, false)?, hourly: amount(&hourly, false)? };
            let from = b.set_price(it, price, &Caller::system()).await?;
            Ok(format!(
                "{item}: {} {cur} a month, {} {cur} an hour from {} UTC\n",
                price.monthly,
                price.hourly,
                start_of(from).display_utc()
            ))
        }
    }
}
