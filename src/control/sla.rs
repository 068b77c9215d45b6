//! Service level commands of the control socket: `vpsbox maintenance list|add|cancel`,
//! `vpsbox incident list|declare|update`, `vpsbox support queue|report`.

use serde::{Deserialize, Serialize};

use super::Failure;
use crate::domain::billing::{month_label, parse_month};
use crate::domain::incident::{Blame, Scope, Severity};
use crate::domain::support::{Category, permille_label, time_left_label};
use crate::domain::time::Timestamp;
use crate::service::Coded;
use crate::service::Services;
use crate::service::caller::Caller;
use crate::service::sla::{NewIncident, NewWindow, SlaError};
use crate::service::support::SupportError;

/// A service level command.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum SlaCommand {
    /// List maintenance windows.
    MaintenanceList,
    /// Schedule a window.
    MaintenanceAdd {
        /// Starts, `YYYY-MM-DD HH:MM` UTC.
        starts: String,
        /// Ends.
        ends: String,
        /// `host` or server numbers.
        scope: String,
        /// What will be done.
        description: String,
    },
    /// Call a window off.
    MaintenanceCancel {
        /// Its id.
        id: u64,
    },
    /// List incidents.
    IncidentList,
    /// Declare an incident.
    IncidentDeclare {
        /// One line.
        title: String,
        /// A degradation instead of a full outage.
        degradation: bool,
        /// `host` or server numbers.
        scope: String,
        /// When it began (`now` or empty: now).
        started: String,
    },
    /// Update an incident.
    IncidentUpdate {
        /// Its id.
        id: u64,
        /// A note.
        note: String,
        /// Restoration confirmed at (`now` or a time); empty: still going.
        resolved: String,
        /// `provider`, `customer` or `force-majeure`; empty: unchanged.
        blame: String,
    },
    /// The support queue.
    SupportQueue,
    /// The monthly support report.
    SupportReport {
        /// `YYYY-MM`; empty: this month.
        month: String,
    },
}

impl From<SlaError> for Failure {
    fn from(e: SlaError) -> Self {
        Failure(e.code(), e.to_string())
    }
}

impl From<SupportError> for Failure {
    fn from(e: SupportError) -> Self {
        Failure(e.code(), e.to_string())
    }
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

/// The name of a command, for the log.
pub(super) fn name(cmd: &SlaCommand) -> &'static str {
    match cmd {
        SlaCommand::MaintenanceList => "maintenance list",
        SlaCommand::MaintenanceAdd { .. } => "maintenance add",
        SlaCommand::MaintenanceCancel { .. } => "maintenance cancel",
        SlaCommand::IncidentList => "incident list",
        SlaCommand::IncidentDeclare { .. } => "incident declare",
        SlaCommand::IncidentUpdate { .. } => "incident update",
        SlaCommand::SupportQueue => "support queue",
        SlaCommand::SupportReport { .. } => "support report",
    }
}

/// Run a service level command.
pub(super) async fn run(svc: &Services, cmd: SlaCommand) -> Result<String, Failure> {
    let sla = &svc.sla;
    let now = sla.now();
    match cmd {
        SlaCommand::MaintenanceList => {
            let mut out = String::from(
                "ID  STARTS                ENDS                  SCOPE         STATE       DESCRIPTION\n",
            );
            for w in sla.windows()? {
                let state = if w.cancelled {
                    "called off"
                } else if w.ends <= now {
                    "over"
                } else if w.notified {
                    "notified"
                } else {
                    "planned"
                };
                out.push_str(&format!(
                    "{:<3} {}  {}  {:<13} {:<11} {}\n",
                    w.id,
                    w.starts.display_utc(),
                    w.ends.display_utc(),
                    w.scope.label(),
                    state,
                    w.description
                ));
            }
            Ok(out)
        }
        SlaCommand::MaintenanceAdd { starts, ends, scope: s, description } => {
            let n = NewWindow {
                scope: scope(&s)?,
                starts: time(&starts, now, "--starts")?,
                ends: time(&ends, now, "--ends")?,
                description,
            };
            let w = sla.schedule(n, &Caller::system()).await?;
            let short = w.announced_at > w.starts.plus_secs(-sla.notice_hours() * 3600);
            Ok(format!(
                "maintenance {} scheduled {} – {}{}\n",
                w.id,
                w.starts.display_utc(),
                w.ends.display_utc(),
                if short {
                    " (short notice: customers notified now; its time counts against the SLA)"
                } else {
                    ""
                }
            ))
        }
        SlaCommand::MaintenanceCancel { id } => {
            sla.cancel_window(id, &Caller::system()).await?;
            Ok(format!("maintenance {id} called off\n"))
        }
        SlaCommand::IncidentList => {
            let mut out = String::new();
            for i in sla.incidents()? {
                out.push_str(&format!(
                    "#{} {} [{}] {} since {}{} — {}\n",
                    i.id,
                    if i.is_open() { "ONGOING" } else { "resolved" },
                    i.severity.label(),
                    i.scope.label(),
                    i.started.display_utc(),
                    i.ended.map(|e| format!(" until {}", e.display_utc())).unwrap_or_default(),
                    i.title
                ));
            }
            Ok(out)
        }
        SlaCommand::IncidentDeclare { title, degradation, scope: s, started } => {
            let severity = if degradation { Severity::Degradation } else { Severity::Outage };
            let n = NewIncident {
                severity,
                scope: scope(&s)?,
                title,
                started: time(&started, now, "--started")?,
            };
            let i = sla.declare(n, &Caller::system()).await?;
            Ok(format!("incident {} declared; the customers it covers were notified\n", i.id))
        }
        SlaCommand::IncidentUpdate { id, note, resolved, blame } => {
            let end =
                if resolved.trim().is_empty() { None } else { Some(time(&resolved, now, "--resolved")?) };
            let blame = match blame.trim() {
                "" => None,
                b => Some(Blame::from_key(b).ok_or_else(|| {
                    Failure::from(SlaError::Invalid("--blame: provider, customer or force-majeure".into()))
                })?),
            };
            let i = sla.update_incident(id, &note, end, blame, &Caller::system()).await?;
            Ok(format!("incident {} updated{}\n", i.id, if i.is_open() { "" } else { " (resolved)" }))
        }
        SlaCommand::SupportQueue => {
            let mut out = String::new();
            for i in svc.support.queue()? {
                let left = i.due.map(|d| time_left_label(d, now)).unwrap_or_else(|| "-".into());
                out.push_str(&format!(
                    "{:<10} {:<9} {:<16} {} — {}\n",
                    i.label,
                    i.status,
                    left,
                    i.category.label(),
                    i.subject
                ));
            }
            Ok(out)
        }
        SlaCommand::SupportReport { month } => {
            let m = if month.trim().is_empty() {
                svc.support.month_at(now)
            } else {
                parse_month(&month)
                    .ok_or_else(|| Failure::from(SupportError::Invalid("--month: YYYY-MM".into())))?
            };
            let report = svc.support.report(m)?;
            let mut out = format!("support report {}\n", month_label(m));
            for c in Category::ALL {
                let l = report.get(&c).copied().unwrap_or_default();
                let share = l.share_permille().map(permille_label).unwrap_or_else(|| "-".into());
                out.push_str(&format!(
                    "{:<44} filed {:>4}  in target {:>4}  late {:>4}  waiting {:>4}  {share}\n",
                    c.label(),
                    l.filed,
                    l.in_target,
                    l.late,
                    l.waiting
                ));
            }
            Ok(out)
        }
    }
}
