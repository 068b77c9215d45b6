//! Incidents and maintenance windows as the SLA sees them: what they cover (the whole host or
//! some VMs), whether an incident stopped service or only degraded it, and who bears it.

use serde::{Deserialize, Serialize};

use super::sla::{Cause, Span};
use super::vm::VmId;

/// What an incident or a maintenance window covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// Every VM of the host.
    Host,
    /// These VMs.
    Vms(Vec<VmId>),
}

impl Scope {
    /// Whether it covers `vm`.
    pub fn covers(&self, vm: VmId) -> bool {
        match self {
            Scope::Host => true,
            Scope::Vms(list) => list.contains(&vm),
        }
    }

    /// For people.
    pub fn label(&self) -> String {
        match self {
            Scope::Host => "all servers".to_string(),
            Scope::Vms(list) if list.is_empty() => "no servers".to_string(),
            Scope::Vms(list) if list.len() == 1 => format!("server #{}", list[0]),
            Scope::Vms(list) => {
                let ids: Vec<String> = list.iter().map(|v| format!("#{v}")).collect();
                format!("servers {}", ids.join(", "))
            }
        }
    }

    /// Parse `host` or a list of VM numbers (`12, 14 #15`).
    pub fn parse(s: &str) -> Option<Scope> {
        let s = s.trim();
        if s.is_empty() || s.eq_ignore_ascii_case("host") || s.eq_ignore_ascii_case("all") {
            return Some(Scope::Host);
        }
        let mut ids = Vec::new();
        for part in s.split(|c: char| c == ',' || c.is_whitespace()).filter(|p| !p.is_empty()) {
            ids.push(VmId(part.trim_start_matches('#').parse().ok()?));
        }
        ids.sort();
        ids.dedup();
        Some(Scope::Vms(ids))
    }
}

/// How bad an incident is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    /// The service stopped: counts as downtime.
    Outage,
    /// The service worked, degraded: shown, not counted as downtime.
    Degradation,
}

impl Severity {
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Outage => "full outage",
            Severity::Degradation => "degradation",
        }
    }
}

/// Who bears an incident, as decided by the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Blame {
    /// The provider: an outage counts as downtime.
    Provider,
    /// The customer's actions or inaction: excluded.
    Customer,
    /// Force majeure, outside the provider's control: excluded.
    ForceMajeure,
}

impl Blame {
    /// Every choice, for forms.
    pub const ALL: [Blame; 3] = [Blame::Provider, Blame::Customer, Blame::ForceMajeure];

    /// Stable key for forms.
    pub fn key(self) -> &'static str {
        match self {
            Blame::Provider => "provider",
            Blame::Customer => "customer",
            Blame::ForceMajeure => "force-majeure",
        }
    }

    /// From a form key.
    pub fn from_key(s: &str) -> Option<Blame> {
        Blame::ALL.into_iter().find(|b| b.key() == s)
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Blame::Provider => "provider",
            Blame::Customer => "caused by the customer (excluded)",
            Blame::ForceMajeure => "force majeure (excluded)",
        }
    }
}

/// The downtime an incident adds to a VM it covers, if any: an outage's span until `now` while
/// it lasts, with the cause its blame gives; a degradation adds none.
pub fn incident_downtime(
    severity: Severity,
    blame: Blame,
    started: super::time::Timestamp,
    ended: Option<super::time::Timestamp>,
    now: super::time::Timestamp,
) -> Option<(Span, Cause)> {
    if severity != Severity::Outage {
        return None;
    }
    let cause = match blame {
        Blame::Provider => Cause::Incident,
        Blame::Customer => Cause::Customer,
        Blame::ForceMajeure => Cause::ForceMajeure,
    };
    Some((Span::new(started, ended.unwrap_or(now)), cause))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::Timestamp;

    #[test]
    fn scopes_parse_and_cover() {
        assert_eq!(Scope::parse(" host "), Some(Scope::Host));
        assert_eq!(Scope::parse(""), Some(Scope::Host));
        let s = Scope::parse("#14, 12 14").unwrap();
        assert_eq!(s, Scope::Vms(vec![VmId(12), VmId(14)]));
        assert!(s.covers(VmId(12)) && !s.covers(VmId(13)));
        assert_eq!(s.label(), "servers #12, #14");
        assert_eq!(Scope::parse("12, x"), None);
    }

    #[test]
    fn only_outages_add_downtime_and_blame_decides_whether_it_counts() {
        let (a, b, now) = (Timestamp::from_secs(100), Timestamp::from_secs(400), Timestamp::from_secs(900));
        assert_eq!(incident_downtime(Severity::Degradation, Blame::Provider, a, None, now), None);
        let (span, cause) = incident_downtime(Severity::Outage, Blame::Provider, a, None, now).unwrap();
        assert_eq!((span.secs(), cause.counts()), (800, true));
        let (span, cause) =
            incident_downtime(Severity::Outage, Blame::ForceMajeure, a, Some(b), now).unwrap();
        assert_eq!((span.secs(), cause.counts()), (300, false));
        assert_eq!(Blame::from_key("customer"), Some(Blame::Customer));
    }
}
