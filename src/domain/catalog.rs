//! The catalogue admins sell from: OS templates and plans.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Identifier of an OS template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TemplateId(pub u64);

impl fmt::Display for TemplateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Identifier of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PlanId(pub u64);

impl fmt::Display for PlanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Operating-system family of a template (all are configured through a cloud-init seed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OsFamily {
    /// Linux distributions.
    Linux,
    /// FreeBSD, OpenBSD and friends.
    Bsd,
    /// Windows with cloudbase-init.
    Windows,
}

impl OsFamily {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            OsFamily::Linux => "linux",
            OsFamily::Bsd => "bsd",
            OsFamily::Windows => "windows",
        }
    }

    /// Parse `linux`, `bsd` or `windows`.
    pub fn parse(s: &str) -> Option<OsFamily> {
        match s.trim().to_ascii_lowercase().as_str() {
            "linux" => Some(OsFamily::Linux),
            "bsd" => Some(OsFamily::Bsd),
            "windows" => Some(OsFamily::Windows),
            _ => None,
        }
    }
}

/// A catalogue name (template or plan): 1–64 of `a-z 0-9 . _ -`, starting with a letter or
/// digit, e.g. `debian-12` or `small.2024`.
pub fn parse_catalog_name(raw: &str) -> Option<String> {
    let s = raw.trim().to_ascii_lowercase();
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.as_bytes()[0].is_ascii_alphanumeric()
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    ok.then_some(s)
}

/// Whole GiB needed to hold `bytes`.
pub fn gib_ceil(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 30)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(parse_catalog_name(" Debian-12 ").as_deref(), Some("debian-12"));
        assert_eq!(parse_catalog_name("small.2024_a").as_deref(), Some("small.2024_a"));
        for bad in ["", "-x", ".x", "a b", "a/b", "ü", &"a".repeat(65)] {
            assert_eq!(parse_catalog_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn os_and_sizes() {
        assert_eq!(OsFamily::parse("Linux"), Some(OsFamily::Linux));
        assert_eq!(OsFamily::parse("dos"), None);
        assert_eq!(gib_ceil(1), 1);
        assert_eq!(gib_ceil(1 << 30), 1);
        assert_eq!(gib_ceil((1 << 30) + 1), 2);
        assert_eq!(gib_ceil(0), 0);
    }
}
