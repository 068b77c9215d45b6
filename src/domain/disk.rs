//! Extra virtual disks: volumes a customer creates, attaches to one of their VMs, detaches,
//! grows and deletes, within the disk quota.
//!
//! In the domain the system disk is `vda` and the cloud-init seed `vdb`; extra disks take
//! `vdc` onwards by attachment slot. The guest kernel names virtio disks in the order it finds
//! them, which usually but not always matches, so every disk also carries a serial
//! (`vpsbox-d<id>`) that the guest shows as `/dev/disk/by-id/virtio-vpsbox-d<id>`.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Identifier of an extra disk (`/disks/5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DiskId(pub u64);

impl fmt::Display for DiskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Extra disks one VM can hold (`vdc` to `vdj`).
pub const MAX_DISKS_PER_VM: u8 = 8;

/// Largest extra disk, GiB.
pub const MAX_DISK_GB: u64 = 16 * 1024;

/// The domain target of attachment slot `slot` (0-based): `vdc`, `vdd`, …
pub fn target_of(slot: u8) -> String {
    format!("vd{}", char::from(b'c' + slot.min(23)))
}

/// The disk's serial as the guest sees it (at most 20 characters for virtio).
pub fn serial_of(id: DiskId) -> String {
    format!("vpsbox-d{id}")
}

/// Why a disk definition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiskSpecError {
    /// Bad name.
    #[error("A disk name has 1 to 32 letters, digits, dots, dashes or underscores")]
    Name,
    /// Bad size.
    #[error("A disk has 1 to {MAX_DISK_GB} GiB; `{0}` is not that")]
    Size(String),
}

impl DiskSpecError {
    /// Its message's arguments (see [`crate::error::Coded::args`]).
    pub fn args(&self) -> crate::error::Args {
        match self {
            DiskSpecError::Name => Vec::new(),
            DiskSpecError::Size(s) => vec![("max", MAX_DISK_GB.into()), ("size", s.as_str().into())],
        }
    }
}

/// A disk's name: 1–32 characters of `[A-Za-z0-9._-]`.
pub fn parse_name(raw: &str) -> Result<String, DiskSpecError> {
    super::privnet::parse_name(raw).map_err(|_| DiskSpecError::Name)
}

/// A size in GiB, 1..=[`MAX_DISK_GB`].
pub fn parse_size(raw: &str) -> Result<u64, DiskSpecError> {
    match raw.trim().parse::<u64>() {
        Ok(n) if (1..=MAX_DISK_GB).contains(&n) => Ok(n),
        _ => Err(DiskSpecError::Size(raw.trim().chars().take(20).collect())),
    }
}

/// An extra disk as the domain sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskSpec {
    /// The qcow2 image.
    pub path: PathBuf,
    /// Target device (`vdc`).
    pub target: String,
    /// Serial (`vpsbox-d5`).
    pub serial: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_and_serials() {
        assert_eq!(target_of(0), "vdc");
        assert_eq!(target_of(MAX_DISKS_PER_VM - 1), "vdj");
        assert!(serial_of(DiskId(999_999_999_999)).len() <= 20);
    }

    #[test]
    fn sizes_are_checked() {
        assert_eq!(parse_size(" 10 "), Ok(10));
        for bad in ["0", "-1", "x", "16385", ""] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }
}
