//! `vpsbox billing topup|adjust|balance|prices|set-price`: money from the command line, through
//! the running daemon when it runs.

use std::process::ExitCode;

use clap::Subcommand;

use super::{dispatch, print_reply};
use crate::config::Config;
use crate::control::{BillingCommand, Command};

#[derive(Subcommand, Debug)]
pub enum BillingCli {
    /// Book a payment into an account's balance.
    Topup {
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

pub async fn run(cfg: &Config, cmd: BillingCli) -> anyhow::Result<ExitCode> {
    let cmd = match cmd {
        BillingCli::Topup { email, amount, reference } => BillingCommand::TopUp { email, amount, reference },
        BillingCli::Adjust { email, amount, reason } => BillingCommand::Adjust { email, amount, reason },
        BillingCli::Balance { email } => BillingCommand::Balance { email },
        BillingCli::Prices => BillingCommand::Prices,
        BillingCli::SetPrice { item, monthly, hourly } => BillingCommand::SetPrice { item, monthly, hourly },
    };
    Ok(print_reply(&dispatch(cfg, Command::Billing(cmd)).await?))
}
