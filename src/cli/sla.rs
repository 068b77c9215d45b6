//! `vpsbox maintenance list|add|cancel`, `vpsbox incident list|declare|update` and
//! `vpsbox support queue|report`: the service level from the command line, through the running
//! daemon when it runs. Times are UTC, `YYYY-MM-DD HH:MM`.

use std::process::ExitCode;

use clap::Subcommand;

use super::{dispatch, print_reply};
use crate::config::Config;
use crate::control::{Command, SlaCommand};

#[derive(Subcommand, Debug)]
pub enum MaintenanceCli {
    /// List maintenance windows.
    List,
    /// Schedule a window; the customers it covers are notified `[sla] maintenance_notice_hours`
    /// before it starts.
    Add {
        /// What will be done (customers read it).
        description: String,
        /// Start, UTC: "2027-01-20 02:00".
        #[arg(long)]
        starts: String,
        /// End, UTC.
        #[arg(long)]
        ends: String,
        /// "host" (every server) or server numbers: "12,14".
        #[arg(long, default_value = "host")]
        scope: String,
    },
    /// Call a window off (customers already notified are told).
    Cancel {
        /// The window's id.
        id: u64,
    },
}

#[derive(Subcommand, Debug)]
pub enum IncidentCli {
    /// List incidents, newest first.
    List,
    /// Declare an incident (a full outage unless --degradation); covered customers are notified.
    Declare {
        /// One line customers read.
        title: String,
        /// Degraded service instead of a full outage (shown, not counted as downtime).
        #[arg(long)]
        degradation: bool,
        /// "host" or server numbers: "12,14".
        #[arg(long, default_value = "host")]
        scope: String,
        /// When it began, UTC (default: now).
        #[arg(long, default_value = "now")]
        started: String,
    },
    /// Add a note, resolve (restoration confirmed), or set who bears it.
    Update {
        /// The incident's id.
        id: u64,
        /// A note for the status page.
        #[arg(long, default_value = "")]
        note: String,
        /// Restored at, UTC, or "now".
        #[arg(long, default_value = "")]
        resolved: String,
        /// provider, customer or force-majeure (the last two are excluded from availability).
        #[arg(long, default_value = "")]
        blame: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum SupportCli {
    /// Requests waiting for an answer, most urgent first, then the rest.
    Queue,
    /// Share of requests answered within target, per category.
    Report {
        /// The month, YYYY-MM (default: this month).
        #[arg(long, default_value = "")]
        month: String,
    },
}

pub async fn run_maintenance(cfg: &Config, cmd: MaintenanceCli) -> anyhow::Result<ExitCode> {
    let cmd = match cmd {
        MaintenanceCli::List => SlaCommand::MaintenanceList,
        MaintenanceCli::Add { description, starts, ends, scope } => {
            SlaCommand::MaintenanceAdd { starts, ends, scope, description }
        }
        MaintenanceCli::Cancel { id } => SlaCommand::MaintenanceCancel { id },
    };
    Ok(print_reply(&dispatch(cfg, Command::Sla(cmd)).await?))
}

pub async fn run_incident(cfg: &Config, cmd: IncidentCli) -> anyhow::Result<ExitCode> {
    let cmd = match cmd {
        IncidentCli::List => SlaCommand::IncidentList,
        IncidentCli::Declare { title, degradation, scope, started } => {
            SlaCommand::IncidentDeclare { title, degradation, scope, started }
        }
        IncidentCli::Update { id, note, resolved, blame } => {
            SlaCommand::IncidentUpdate { id, note, resolved, blame }
        }
    };
    Ok(print_reply(&dispatch(cfg, Command::Sla(cmd)).await?))
}

pub async fn run_support(cfg: &Config, cmd: SupportCli) -> anyhow::Result<ExitCode> {
    let cmd = match cmd {
        SupportCli::Queue => SlaCommand::SupportQueue,
        SupportCli::Report { month } => SlaCommand::SupportReport { month },
    };
    Ok(print_reply(&dispatch(cfg, Command::Sla(cmd)).await?))
}
