//! Service level commands: `vpsbox maintenance list|add|cancel`, `vpsbox incident
//! list|declare|update`, `vpsbox support queue|report`. Each enum is both the CLI's subcommand
//! and what travels over the control socket. Times are UTC, `YYYY-MM-DD HH:MM`.

use serde::{Deserialize, Serialize};

use super::{Failure, IncidentRow, QueueRow, Reply, ReportRow, WindowRow};
use crate::domain::billing::{month_label, parse_month};
use crate::domain::incident::{Blame, Scope, Severity};
use crate::domain::support::{Category, permille_label, time_left_label};
use crate::domain::time::Timestamp;
use crate::service::Services;
use crate::service::caller::Caller;
use crate::service::sla::{NewIncident, NewWindow, SlaError};
use crate::service::support::SupportError;

/// `vpsbox maintenance …`: the CLI's enum and what travels over the control socket.
#[derive(Debug, Clone, Serialize, Deserialize, clap::Subcommand)]
pub enum MaintenanceCommand {
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

/// `vpsbox incident …`.
#[derive(Debug, Clone, Serialize, Deserialize, clap::Subcommand)]
pub enum IncidentCommand {
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

/// `vpsbox support …`.
#[derive(Debug, Clone, Serialize, Deserialize, clap::Subcommand)]
pub enum SupportCommand {
    /// Requests waiting for an answer, most urgent first, then the rest.
    Queue,
    /// Share of requests answered within target, per category.
    Report {
        /// The month, YYYY-MM (default: this month).
        #[arg(long, default_value = "")]
        month: String,
    },
}

fn time(s: &str, now: Timestamp, what: &str) -> Result<Timestamp, Failure> {
    if s.trim().is_empty() || s.trim() == "now" {
        return Ok(now);
    }
    Timestamp::parse_utc_minute(s)
        .ok_or_else(|| SlaError::Invalid(format!("{what}: a time such as \"2027-01-20 02:00\" (UTC)")).into())
}

fn scope(s: &str) -> Result<Scope, Failure> {
    Scope::parse(s)
        .ok_or_else(|| SlaError::Invalid("Scope: \"host\" or server numbers such as 12,14".into()).into())
}

/// Run a maintenance command.
pub(super) async fn maintenance(svc: &Services, cmd: MaintenanceCommand) -> Result<Reply, Failure> {
    let sla = &svc.sla;
    let now = sla.now();
    match cmd {
        MaintenanceCommand::List => Ok(Reply::Windows(
            sla.windows()?
                .into_iter()
                .map(|w| {
                    let state = if w.cancelled {
                        "called off"
                    } else if w.ends <= now {
                        "over"
                    } else if w.notified {
                        "notified"
                    } else {
                        "planned"
                    };
                    WindowRow {
                        id: w.id,
                        starts: w.starts,
                        ends: w.ends,
                        scope: w.scope.label(),
                        state: state.into(),
                        description: w.description,
                    }
                })
                .collect(),
        )),
        MaintenanceCommand::Add { starts, ends, scope: s, description } => {
            let n = NewWindow {
                scope: scope(&s)?,
                starts: time(&starts, now, "--starts")?,
                ends: time(&ends, now, "--ends")?,
                description,
            };
            let w = sla.schedule(n, &Caller::system()).await?;
            let short = w.announced_at > w.starts.plus_secs(-sla.notice_hours() * 3600);
            Ok(Reply::Done(format!(
                "maintenance {} scheduled {} – {}{}",
                w.id,
                w.starts.display_utc(),
                w.ends.display_utc(),
                if short {
                    " (short notice: customers notified now; its time counts against the SLA)"
                } else {
                    ""
                }
            )))
        }
        MaintenanceCommand::Cancel { id } => {
            sla.cancel_window(id, &Caller::system()).await?;
            Ok(Reply::Done(format!("maintenance {id} called off")))
        }
    }
}

/// Run an incident command.
pub(super) async fn incident(svc: &Services, cmd: IncidentCommand) -> Result<Reply, Failure> {
    let sla = &svc.sla;
    let now = sla.now();
    match cmd {
        IncidentCommand::List => Ok(Reply::Incidents(
            sla.incidents()?
                .into_iter()
                .map(|i| IncidentRow {
                    id: i.id,
                    open: i.is_open(),
                    severity: i.severity.label().into(),
                    scope: i.scope.label(),
                    started: i.started,
                    ended: i.ended,
                    title: if i.reported_by.is_some() {
                        format!("Reported by a customer: {}", i.title)
                    } else {
                        i.title
                    },
                })
                .collect(),
        )),
        IncidentCommand::Declare { title, degradation, scope: s, started } => {
            let severity = if degradation { Severity::Degradation } else { Severity::Outage };
            let n = NewIncident {
                severity,
                scope: scope(&s)?,
                title,
                started: time(&started, now, "--started")?,
            };
            let i = sla.declare(n, &Caller::system()).await?;
            Ok(Reply::Done(format!("incident {} declared; the customers it covers were notified", i.id)))
        }
        IncidentCommand::Update { id, note, resolved, blame } => {
            let end =
                if resolved.trim().is_empty() { None } else { Some(time(&resolved, now, "--resolved")?) };
            let blame = match blame.trim() {
                "" => None,
                b => Some(Blame::from_key(b).ok_or_else(|| {
                    Failure::from(SlaError::Invalid("--blame: provider, customer or force-majeure".into()))
                })?),
            };
            let i = sla.update_incident(id, &note, end, blame, &Caller::system()).await?;
            Ok(Reply::Done(format!(
                "incident {} updated{}",
                i.id,
                if i.is_open() { "" } else { " (resolved)" }
            )))
        }
    }
}

/// Run a support command.
pub(super) async fn support(svc: &Services, cmd: SupportCommand) -> Result<Reply, Failure> {
    let now = svc.sla.now();
    match cmd {
        SupportCommand::Queue => Ok(Reply::Queue(
            svc.support
                .queue()?
                .into_iter()
                .map(|i| QueueRow {
                    time_left: i.due.map(|d| time_left_label(d, now)).unwrap_or_else(|| "-".into()),
                    label: i.label,
                    status: i.status.into(),
                    category: i.category.label().into(),
                    subject: i.subject,
                })
                .collect(),
        )),
        SupportCommand::Report { month } => {
            let m = if month.trim().is_empty() {
                svc.support.month_at(now)
            } else {
                parse_month(&month)
                    .ok_or_else(|| Failure::from(SupportError::Invalid("--month: YYYY-MM".into())))?
            };
            let report = svc.support.report(m)?;
            let row = |name: String, l: crate::domain::support::ReportLine| ReportRow {
                category: name,
                filed: l.filed,
                in_target: l.in_target,
                late: l.late,
                waiting: l.waiting,
                share: l.share_permille().map(permille_label).unwrap_or_else(|| "-".into()),
            };
            let lines = Category::ALL
                .iter()
                .map(|c| row(c.label().into(), report.by_category.get(c).copied().unwrap_or_default()))
                .collect();
            let channels = crate::domain::support_hours::Channel::ALL
                .iter()
                .map(|c| row(c.key().into(), report.by_channel.get(c).copied().unwrap_or_default()))
                .collect();
            Ok(Reply::Report { month: month_label(m), lines, channels })
        }
    }
}
