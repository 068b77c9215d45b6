//! Billing commands of the control socket: `vpsbox billing topup|adjust|balance|prices|set-price`.

use serde::{Deserialize, Serialize};

use super::{BalanceRow, Failure, PriceRow, Reply};
use crate::domain::billing::{Item, Price, start_of};
use crate::domain::money::{Money, currency};
use crate::service::Services;
use crate::service::billing::BillingError;
use crate::service::caller::Caller;

/// A billing command: the same enum is the CLI's `vpsbox billing …` and what travels over the
/// control socket.
#[derive(Debug, Clone, Serialize, Deserialize, clap::Subcommand)]
pub enum BillingCommand {
    /// Book a payment into an account's balance.
    #[command(name = "topup")]
    TopUp {
        /// The account's e-mail.
        email: String,
        /// Amount in the configured currency (`1500` or `1500.50`).
        amount: String,
        /// Payment reference (bank transfer id, receipt number).
        #[arg(long)]
        reference: String,
    },
    /// Correct an account's balance (negative to take off), with a reason.
    Adjust {
        /// The account's e-mail.
        email: String,
        /// Amount (`-200` or `200`).
        #[arg(allow_hyphen_values = true)]
        amount: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Show an account's balance, this month's charges and its rate.
    Balance {
        /// The account's e-mail.
        email: String,
    },
    /// List the price list.
    Prices,
    /// Set a price from the next full hour: ITEM is plan:NAME, ipv4, disk_gb or backup_gb.
    SetPrice {
        /// What the price is for.
        item: String,
        /// Per month (the cap of a calendar month).
        monthly: String,
        /// Per hour.
        hourly: String,
    },
}

fn amount(s: &str, signed: bool) -> Result<Money, Failure> {
    let m = if signed { Money::parse_signed(s) } else { Money::parse(s) };
    m.ok_or_else(|| BillingError::Amount.into())
}

/// Run a billing command.
pub(super) async fn run(svc: &Services, cmd: BillingCommand) -> Result<Reply, Failure> {
    let b = &svc.billing;
    let cur = currency();
    match cmd {
        BillingCommand::TopUp { email, amount: a, reference } => {
            let user = svc.accounts.user_by_email(&email)?;
            let e = b.top_up(user.id, amount(&a, false)?, &reference, &Caller::system()).await?;
            Ok(Reply::Done(format!(
                "booked {} {cur} for {}; balance {} {cur}",
                e.amount, user.email, e.balance
            )))
        }
        BillingCommand::Adjust { email, amount: a, reason } => {
            let user = svc.accounts.user_by_email(&email)?;
            let e = b.adjust(user.id, amount(&a, true)?, &reason, &Caller::system()).await?;
            Ok(Reply::Done(format!(
                "booked {} {cur} for {}; balance {} {cur}",
                e.amount, user.email, e.balance
            )))
        }
        BillingCommand::Balance { email } => {
            let user = svc.accounts.user_by_email(&email)?;
            let o = b.overview(user.id)?;
            let st = b.standing(user.id)?;
            Ok(Reply::Balance(BalanceRow {
                email: user.email.to_string(),
                currency: cur.to_string(),
                balance: o.balance,
                month_total: o.month_total,
                per_hour: o.per_hour,
                suspended: st.suspended_at.is_some(),
                lines: o.lines.iter().map(|(r, l)| (r.clone(), l.hours, l.amount)).collect(),
            }))
        }
        BillingCommand::Prices => Ok(Reply::Prices(
            b.price_list()?
                .into_iter()
                .map(|r| PriceRow {
                    item: match r.item {
                        Item::Plan(_) => format!("plan:{}", r.label.trim_start_matches("Plan ")),
                        other => other.key(),
                    },
                    monthly: r.current.monthly,
                    hourly: r.current.hourly,
                    next: r.next.map(|(h, p)| (p.monthly, p.hourly, start_of(h))),
                })
                .collect(),
        )),
        BillingCommand::SetPrice { item, monthly, hourly } => {
            let it = match item.trim().strip_prefix("plan:") {
                Some(name) => Item::Plan(svc.plans.by_name(name)?.id),
                None => Item::parse(item.trim()).ok_or(BillingError::NotFound("price item"))?,
            };
            let price = Price { monthly: amount(&monthly, false)?, hourly: amount(&hourly, false)? };
            let from = b.set_price(it, price, &Caller::system()).await?;
            Ok(Reply::Done(format!(
                "{item}: {} {cur} a month, {} {cur} an hour from {} UTC",
                price.monthly,
                price.hourly,
                start_of(from).display_utc()
            )))
        }
    }
}
