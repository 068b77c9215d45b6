//! The `[libvirt]` section: the connection, the guests' domain type, the reconcile interval.

use serde::{Deserialize, Serialize};

/// Domain type requested for guests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DomainType {
    /// `kvm` when libvirt offers it, else `qemu`.
    Auto,
    /// Hardware virtualisation.
    Kvm,
    /// Software emulation (TCG).
    Qemu,
}

/// Hypervisor connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LibvirtConfig {
    /// libvirt connection URI.
    pub uri: String,
    /// Domain type for guests.
    pub domain_type: DomainType,
    /// Seconds between reconcile passes (redb compared with libvirt).
    pub reconcile_interval_secs: u64,
}

impl Default for LibvirtConfig {
    fn default() -> Self {
        Self { uri: "qemu:///system".into(), domain_type: DomainType::Auto, reconcile_interval_secs: 30 }
    }
}
