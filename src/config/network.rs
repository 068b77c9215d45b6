//! The `[network]` section: how public interfaces reach the uplink, address rest, traffic
//! sampling.

use serde::{Deserialize, Serialize};

/// Public addresses and networks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkConfig {
    /// The existing Linux bridge (holding the uplink) that VMs' public interfaces join; empty:
    /// no public interface (or `public_network`).
    pub public_bridge: String,
    /// Instead of `public_bridge`: a libvirt network vpsbox creates and keeps running for the
    /// public interfaces, routed: the host takes each IP pool's gateway address on it and routes
    /// the pools' subnets (which the upstream routes to this host).
    pub public_network: String,
    /// Seconds a released public address rests before it is handed out again.
    pub ip_cooldown_secs: u64,
    /// Seconds between samples of the public interfaces' traffic counters.
    pub traffic_interval_secs: u64,
    /// The speed (Mbit/s, each way) a server is throttled to once its month's traffic reaches
    /// its allowance, until the month ends or the allowance is raised.
    pub throttle_mbit: u32,
    /// How port speeds are applied: `auto` (each way where the kernel can: see
    /// `host::shaping`), `on` (both ways) or `off` (not at all: shaped elsewhere).
    pub shaping: Shaping,
}

/// How port speeds are applied to servers' interfaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shaping {
    /// Each way where the kernel has what libvirt uses for it.
    #[default]
    Auto,
    /// Both ways (a kernel without those modules then cannot start shaped servers).
    On,
    /// Not at all.
    Off,
}

impl Shaping {
    /// The ways port speeds shape on this host.
    pub fn resolve(self) -> crate::domain::vm::ShapeWays {
        match self {
            Shaping::Auto => crate::host::shaping::detect(),
            Shaping::On => crate::domain::vm::ShapeWays::BOTH,
            Shaping::Off => crate::domain::vm::ShapeWays::NONE,
        }
    }
}

impl Default for NetworkConfig {
    fn default() -> Self {
        Self {
            public_bridge: String::new(),
            public_network: String::new(),
            ip_cooldown_secs: 86_400,
            traffic_interval_secs: 60,
            throttle_mbit: 10,
            shaping: Shaping::Auto,
        }
    }
}

impl NetworkConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if crate::domain::vm::PortSpeed::new(self.throttle_mbit).is_none() {
            return Err(format!("network.throttle_mbit {}: use 1 to 100000", self.throttle_mbit));
        }
        if !self.public_bridge.is_empty() && !self.public_network.is_empty() {
            return Err("set network.public_bridge or network.public_network, not both".into());
        }
        let n = &self.public_network;
        if !n.is_empty()
            && (n.len() > 64
                || !n.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                || n.starts_with(&crate::domain::privnet::network_prefix()))
        {
            return Err(format!(
                "network.public_network {n:?}: use up to 64 letters, digits, '-', '_' or '.', not starting with {:?}",
                crate::domain::privnet::network_prefix()
            ));
        }
        Ok(())
    }
}
