//! `vpsbox ip-pool add|list|remove` (the public address pools) and `vpsbox rdns export`,
//! directly on the state file or through the running daemon.

use std::process::ExitCode;

use clap::Subcommand;

use super::{dispatch, print_reply};
use crate::config::Config;
use crate::control::Command;

#[derive(Subcommand, Debug)]
pub enum PoolCommand {
    /// Add a pool of public IPv4 addresses or an IPv6 prefix.
    ///
    /// Examples: `vpsbox ip-pool add public-v4 --network 203.0.113.0/24 --gateway 203.0.113.1
    /// --range 203.0.113.10-203.0.113.250 --dns 203.0.113.53`;
    /// `vpsbox ip-pool add public-v6 --network 2001:db8:100::/48 --gateway fe80::1`.
    Add {
        /// Pool name, e.g. public-v4.
        name: String,
        /// Network in CIDR notation (IPv4 subnet or IPv6 prefix).
        #[arg(long)]
        network: String,
        /// Gateway the guests use (IPv4: inside the subnet; IPv6: inside the prefix or link-local).
        #[arg(long)]
        gateway: String,
        /// Only hand out this part of the network, `FIRST-LAST`.
        #[arg(long, value_name = "FIRST-LAST")]
        range: Option<String>,
        /// Never hand out this address or `FIRST-LAST` range (repeatable).
        #[arg(long, value_name = "ADDR[-ADDR]")]
        exclude: Vec<String>,
        /// DNS servers given to guests, comma-separated.
        #[arg(long, default_value = "")]
        dns: String,
        /// IPv6: give each VM a /64 (64, default) or a single address (128).
        #[arg(long, value_name = "64|128")]
        per_vm: Option<u8>,
    },
    /// List pools with their size and use.
    List,
    /// Remove a pool (refused while any of its addresses is assigned).
    Remove {
        /// Pool name.
        name: String,
    },
}

pub async fn run(cfg: &Config, cmd: PoolCommand) -> anyhow::Result<ExitCode> {
    let command = match cmd {
        PoolCommand::Add { name, network, gateway, range, exclude, dns, per_vm } => {
            Command::PoolAdd { name, network, gateway, range, exclude, dns, per_vm }
        }
        PoolCommand::List => Command::PoolList,
        PoolCommand::Remove { name } => Command::PoolRemove { name },
    };
    let reply = dispatch(cfg, command).await?;
    Ok(print_reply(&reply))
}

#[derive(Subcommand, Debug)]
pub enum RdnsCommand {
    /// Print every reverse DNS name customers set, as zone file lines (`… IN PTR name.`).
    Export,
}

pub async fn run_rdns(cfg: &Config, cmd: RdnsCommand) -> anyhow::Result<ExitCode> {
    let command = match cmd {
        RdnsCommand::Export => Command::RdnsExport,
    };
    let reply = dispatch(cfg, command).await?;
    Ok(print_reply(&reply))
}
