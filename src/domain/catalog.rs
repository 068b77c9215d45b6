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

/// The hardware a plan sells, checked against sane bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSpec {
    /// Virtual CPUs (1–64).
    pub vcpus: u32,
    /// Memory, MiB (128–1 048 576).
    pub memory_mib: u64,
    /// System disk, GiB (1–65 536).
    pub disk_gb: u64,
    /// Public IPv4 addresses included (0–16).
    pub ipv4: u32,
}

/// Why a plan's numbers were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanSpecError {
    /// Out of range.
    #[error("{what} must be between {min} and {max}")]
    OutOfRange {
        /// Which field.
        what: &'static str,
        /// Lowest allowed.
        min: u64,
        /// Highest allowed.
        max: u64,
    },
}

impl PlanSpecError {
    /// Its message's arguments (see [`crate::error::Coded::args`]).
    pub fn args(&self) -> crate::error::Args {
        match self {
            PlanSpecError::OutOfRange { what, min, max } => {
                let key = match *what {
                    "vCPUs" => "vcpus",
                    "Memory (MiB)" => "memory",
                    "Disk (GiB)" => "disk",
                    _ => "ipv4",
                };
                vec![("what", key.into()), ("min", (*min).into()), ("max", (*max).into())]
            }
        }
    }
}

impl PlanSpec {
    /// Check the bounds.
    pub fn validate(&self) -> Result<(), PlanSpecError> {
        let check = |what, v: u64, min, max| {
            if (min..=max).contains(&v) { Ok(()) } else { Err(PlanSpecError::OutOfRange { what, min, max }) }
        };
        check("vCPUs", u64::from(self.vcpus), 1, 64)?;
        check("Memory (MiB)", self.memory_mib, 128, 1 << 20)?;
        check("Disk (GiB)", self.disk_gb, 1, 65_536)?;
        check("Public IPv4 addresses", u64::from(self.ipv4), 0, 16)
    }
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
    fn plan_bounds() {
        let ok = PlanSpec { vcpus: 2, memory_mib: 2048, disk_gb: 40, ipv4: 1 };
        assert!(ok.validate().is_ok());
        let e = PlanSpec { vcpus: 0, ..ok }.validate().unwrap_err();
        assert_eq!(e.to_string(), "vCPUs must be between 1 and 64");
        assert!(PlanSpec { memory_mib: 64, ..ok }.validate().is_err());
        assert!(PlanSpec { ipv4: 17, ..ok }.validate().is_err());
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
