//! A VM's inbound firewall: rules the customer edits (protocol, port range, source network,
//! allow or deny), checked in order, then the VM's default (allow or deny). Enforced on the host
//! by the VM's libvirt network filter (see `hv::xml::filter_xml`), so it works whatever the
//! guest runs and changes apply to the running VM at once.
//!
//! Connection tracking makes it stateful: replies to connections the guest opened always come
//! back in, and ICMPv6 neighbour discovery is always let through so IPv6 keeps working.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ipam::Cidr;

/// Most rules one VM may have.
pub const MAX_RULES: usize = 50;

/// What a rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Protocol {
    /// TCP, optionally on a port range.
    Tcp,
    /// UDP, optionally on a port range.
    Udp,
    /// ICMP (and ICMPv6 for IPv6 sources).
    Icmp,
    /// Every protocol.
    Any,
}

impl Protocol {
    /// Form value and display name.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
            Protocol::Any => "any",
        }
    }

    /// Every protocol, in form order.
    pub const ALL: [Protocol; 4] = [Protocol::Tcp, Protocol::Udp, Protocol::Icmp, Protocol::Any];

    /// Whether rules of this protocol can name ports.
    pub fn has_ports(self) -> bool {
        matches!(self, Protocol::Tcp | Protocol::Udp)
    }
}

/// Allow or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Let it in.
    Allow,
    /// Drop it.
    Deny,
}

impl Action {
    /// Form value and display name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Deny => "deny",
        }
    }
}

/// One inbound rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Allow or deny.
    pub action: Action,
    /// Protocol.
    pub protocol: Protocol,
    /// Destination port range (TCP/UDP only); `None`: every port.
    pub ports: Option<(u16, u16)>,
    /// Source network; `None`: anywhere (IPv4 and IPv6).
    pub source: Option<Cidr>,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.action.as_str(), self.protocol.as_str())?;
        match self.ports {
            Some((a, b)) if a == b => write!(f, " port {a}")?,
            Some((a, b)) => write!(f, " ports {a}-{b}")?,
            None => {}
        }
        match &self.source {
            Some(c) => write!(f, " from {c}"),
            None => write!(f, " from anywhere"),
        }
    }
}

/// A VM's inbound firewall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Firewall {
    /// What happens to traffic no rule matches.
    pub default: Action,
    /// Rules, checked in order; the first match decides.
    pub rules: Vec<Rule>,
}

impl Default for Firewall {
    /// Everything allowed: the same as no firewall.
    fn default() -> Self {
        Firewall { default: Action::Allow, rules: vec![] }
    }
}

impl Firewall {
    /// Whether it lets everything in (nothing to enforce).
    pub fn is_open(&self) -> bool {
        self.default == Action::Allow && self.rules.iter().all(|r| r.action == Action::Allow)
    }

    /// A short digest of the rules, so a filter in libvirt can be checked against the record.
    pub fn digest(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(self.default.as_str());
        for r in &self.rules {
            h.update(b"\n");
            h.update(r.to_string());
        }
        h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}

/// Why a rule was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// Unknown protocol or action.
    #[error("Choose a protocol (tcp, udp, icmp, any) and allow or deny")]
    Kind,
    /// Ports for a protocol that has none.
    #[error("{0} has no ports; leave the port empty")]
    NoPorts(&'static str),
    /// A port that does not parse or is out of range.
    #[error("`{0}` is not a port from 1 to 65535")]
    NotAPort(String),
    /// A reversed port range.
    #[error("The port range {0}-{1} is reversed; write {1}-{0}")]
    Reversed(u16, u16),
    /// A source that is not an address or a network.
    #[error("`{0}` is not an address or a network (such as 203.0.113.7 or 203.0.113.0/24)")]
    Source(String),
    /// Too many rules.
    #[error("A virtual machine can have at most {MAX_RULES} firewall rules")]
    TooMany,
}

impl crate::error::Coded for RuleError {
    fn code(&self) -> &'static str {
        match self {
            RuleError::Kind => "FWL0001",
            RuleError::NoPorts(_) | RuleError::NotAPort(_) | RuleError::Reversed(..) => "FWL0002",
            RuleError::Source(_) => "FWL0003",
            RuleError::TooMany => "FWL0004",
        }
    }

    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::Invalid
    }

    fn args(&self) -> crate::error::Args {
        match self {
            RuleError::Kind => Vec::new(),
            RuleError::NoPorts(p) => vec![("reason", "no-ports".into()), ("protocol", (*p).into())],
            RuleError::NotAPort(p) => vec![("reason", "not-a-port".into()), ("port", p.as_str().into())],
            RuleError::Reversed(a, b) => vec![
                ("reason", "reversed".into()),
                ("from", u32::from(*a).into()),
                ("to", u32::from(*b).into()),
            ],
            RuleError::Source(s) => vec![("source", s.as_str().into())],
            RuleError::TooMany => vec![("max", MAX_RULES.into())],
        }
    }
}

/// Parse `22`, `8000-8100` or empty (every port) for `protocol`.
pub fn parse_ports(protocol: Protocol, raw: &str) -> Result<Option<(u16, u16)>, RuleError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if !protocol.has_ports() {
        return Err(RuleError::NoPorts(protocol.as_str()));
    }
    let port = |p: &str| -> Result<u16, RuleError> {
        match p.trim().parse::<u16>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(RuleError::NotAPort(p.trim().to_string())),
        }
    };
    let (a, b) = match s.split_once('-') {
        Some((a, b)) => (port(a)?, port(b)?),
        None => {
            let p = port(s)?;
            (p, p)
        }
    };
    if a > b {
        return Err(RuleError::Reversed(a, b));
    }
    Ok(Some((a, b)))
}

/// Parse a source: empty (anywhere), an address (a /32 or /128) or a network.
pub fn parse_source(raw: &str) -> Result<Option<Cidr>, RuleError> {
    let s = raw.trim();
    if s.is_empty() || s == "0.0.0.0/0" || s == "::/0" || s.eq_ignore_ascii_case("any") {
        return Ok(None);
    }
    if let Ok(a) = s.parse::<std::net::IpAddr>() {
        return Ok(Some(Cidr { addr: a, len: if a.is_ipv4() { 32 } else { 128 } }));
    }
    Cidr::parse(s).map(Some).map_err(|_| RuleError::Source(s.to_string()))
}

/// Parse a rule from its form fields.
pub fn parse_rule(action: &str, protocol: &str, ports: &str, source: &str) -> Result<Rule, RuleError> {
    let action = match action.trim() {
        "allow" => Action::Allow,
        "deny" => Action::Deny,
        _ => return Err(RuleError::Kind),
    };
    let protocol =
        Protocol::ALL.into_iter().find(|p| p.as_str() == protocol.trim()).ok_or(RuleError::Kind)?;
    Ok(Rule { action, protocol, ports: parse_ports(protocol, ports)?, source: parse_source(source)? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_parse_and_reversed_ranges_are_refused() {
        assert_eq!(parse_ports(Protocol::Tcp, " 22 "), Ok(Some((22, 22))));
        assert_eq!(parse_ports(Protocol::Udp, "8000-8100"), Ok(Some((8000, 8100))));
        assert_eq!(parse_ports(Protocol::Tcp, ""), Ok(None));
        let e = parse_ports(Protocol::Tcp, "8100-8000").unwrap_err();
        assert!(e.to_string().contains("reversed"), "{e}");
        for bad in ["0", "65536", "x", "1-", "-5"] {
            assert!(parse_ports(Protocol::Tcp, bad).is_err(), "{bad}");
        }
        assert!(parse_ports(Protocol::Icmp, "22").is_err());
    }

    #[test]
    fn sources_and_rules() {
        assert_eq!(parse_source("").unwrap(), None);
        assert_eq!(parse_source("0.0.0.0/0").unwrap(), None);
        assert_eq!(parse_source("192.0.2.7").unwrap().unwrap().to_string(), "192.0.2.7/32");
        assert_eq!(parse_source("2001:db8::/32").unwrap().unwrap().to_string(), "2001:db8::/32");
        assert!(parse_source("192.0.2.1/24").is_err(), "host bits");
        let r = parse_rule("allow", "tcp", "22", "198.51.100.0/24").unwrap();
        assert_eq!(r.to_string(), "allow tcp port 22 from 198.51.100.0/24");
        assert_eq!(parse_rule("maybe", "tcp", "", ""), Err(RuleError::Kind));
        assert_eq!(parse_rule("deny", "gre", "", ""), Err(RuleError::Kind));
    }

    #[test]
    fn open_and_digest() {
        let mut f = Firewall::default();
        assert!(f.is_open());
        let d0 = f.digest();
        f.rules.push(parse_rule("allow", "tcp", "22", "").unwrap());
        assert!(f.is_open(), "allow rules under an allow default change nothing");
        f.default = Action::Deny;
        assert!(!f.is_open());
        assert_ne!(f.digest(), d0);
        assert_eq!(f.digest().len(), 16);
    }
}
