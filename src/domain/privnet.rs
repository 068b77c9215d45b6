//! Private networks: isolated L2 segments a customer builds between their own VMs.
//!
//! Each network is its own libvirt network with its own Linux bridge and no `<forward>` and no
//! `<ip>`: no uplink, no address on the host, no DHCP. So networks of different customers never
//! share a segment, and the host is not reachable from them. (A VLAN on a trunk was the other
//! choice; a bridge per network needs no switch configuration and works on any host.)
//!
//! Addresses: each network has an IPv4 subnet the customer chooses; attached VMs get the lowest
//! free host address, delivered to the guest as static configuration through the seed.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

use serde::{Deserialize, Serialize};

use super::ipam::Cidr;
use super::vm::DOMAIN_PREFIX;

/// Identifier of a private network (`/networks/3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NetId(pub u64);

impl fmt::Display for NetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Largest network id whose bridge name (`vpsbox-n<id>`) fits Linux's 15-character limit.
pub const MAX_NET_ID: u64 = 9_999_999;

/// Private interfaces per VM (interface slots 1..=8; slot 0 is the public one).
pub const MAX_PRIVATE_NICS: u8 = 8;

/// Prefix of every libvirt network vpsbox manages.
pub fn network_prefix() -> String {
    format!("{DOMAIN_PREFIX}net-")
}

/// The libvirt network name of a private network: `vpsbox-net-<id>`.
pub fn network_name(id: NetId) -> String {
    format!("{}{id}", network_prefix())
}

/// The Linux bridge of a private network: `vpsbox-n<id>` (at most 15 characters).
pub fn bridge_name(id: NetId) -> String {
    format!("{DOMAIN_PREFIX}n{id}")
}

/// The network id in a libvirt network name of ours.
pub fn id_of_name(name: &str) -> Option<NetId> {
    name.strip_prefix(&network_prefix())?.parse().ok().map(NetId)
}

/// Why a private network definition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetSpecError {
    /// Bad name.
    #[error("A network name has 1 to 32 letters, digits, dots, dashes or underscores")]
    Name,
    /// Bad subnet.
    #[error("{0}")]
    Subnet(String),
}

impl NetSpecError {
    /// Its message's arguments (see [`crate::error::Coded::args`]).
    pub fn args(&self) -> crate::error::Args {
        match self {
            NetSpecError::Name => Vec::new(),
            NetSpecError::Subnet(d) => vec![("detail", d.as_str().into())],
        }
    }
}

/// A network's name: 1–32 characters of `[A-Za-z0-9._-]`.
pub fn parse_name(raw: &str) -> Result<String, NetSpecError> {
    let s = raw.trim();
    let ok = (1..=32).contains(&s.len())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok { Ok(s.to_string()) } else { Err(NetSpecError::Name) }
}

/// A private subnet: IPv4, a /16 to a /29.
pub fn parse_subnet(raw: &str) -> Result<Cidr, NetSpecError> {
    let c = Cidr::parse(raw).map_err(|e| NetSpecError::Subnet(e.to_string()))?;
    if !c.is_v4() || !(16..=29).contains(&c.len) {
        return Err(NetSpecError::Subnet(format!(
            "`{c}`: a private network needs an IPv4 subnet from /16 to /29 (for example 10.0.0.0/24)"
        )));
    }
    Ok(c)
}

/// Host addresses of a subnet: indexes `1..=hosts(subnet)` (network and broadcast excluded).
pub fn hosts(subnet: &Cidr) -> u32 {
    let n = 1u64 << (32 - u32::from(subnet.len));
    u32::try_from(n.saturating_sub(2)).unwrap_or(u32::MAX)
}

/// The host address with `index` (1-based) in `subnet`.
pub fn host_address(subnet: &Cidr, index: u32) -> Ipv4Addr {
    let base = match subnet.addr {
        IpAddr::V4(a) => u32::from(a),
        IpAddr::V6(_) => 0,
    };
    Ipv4Addr::from(base.wrapping_add(index))
}

/// What the hypervisor needs to create a libvirt network: a private network (isolated), or
/// the public network when vpsbox makes one (routed, with the pools' gateways on the host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkSpec {
    /// libvirt network name.
    pub name: String,
    /// libvirt network UUID.
    pub uuid: uuid::Uuid,
    /// Linux bridge name.
    pub bridge: String,
    /// Routed (`<forward mode='route'/>`); otherwise isolated (no `<forward>`).
    pub routed: bool,
    /// Host addresses on the bridge, with prefix lengths (none for private networks).
    pub host_addresses: Vec<(IpAddr, u8)>,
    /// Whose network it is, written into its libvirt `<metadata>` (private networks).
    pub owner: Option<NetworkOwner>,
}

/// Who made a private network: written into its libvirt `<metadata>` under
/// [`NetworkOwner::NAMESPACE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkOwner {
    /// The installation's id.
    pub installation: uuid::Uuid,
    /// The network record.
    pub net: NetId,
}

impl NetworkOwner {
    /// The XML namespace of vpsbox's network metadata.
    pub const NAMESPACE: &'static str = "urn:x-vpsbox:network:1";
}

/// Bridge of the public network vpsbox creates (`network.public_network`).
pub const PUBLIC_BRIDGE: &str = "vpsbox-pub";

impl NetworkSpec {
    /// The spec of private network `id` of installation `installation`.
    pub fn of(id: NetId, uuid: uuid::Uuid, installation: uuid::Uuid) -> NetworkSpec {
        NetworkSpec {
            name: network_name(id),
            uuid,
            bridge: bridge_name(id),
            routed: false,
            host_addresses: vec![],
            owner: Some(NetworkOwner { installation, net: id }),
        }
    }

    /// The public network `name`, routed, with the host on `gateways`. Its UUID follows from
    /// its name, so every definition of it replaces the last.
    pub fn public(name: &str, gateways: Vec<(IpAddr, u8)>) -> NetworkSpec {
        use sha2::{Digest, Sha256};
        let h = Sha256::digest(format!("vpsbox public network {name}").as_bytes());
        let mut b = [0u8; 16];
        b.copy_from_slice(&h[..16]);
        NetworkSpec {
            name: name.to_string(),
            uuid: uuid::Builder::from_random_bytes(b).into_uuid(),
            bridge: PUBLIC_BRIDGE.to_string(),
            routed: true,
            host_addresses: gateways,
            // The host's uplink network, shared by whatever runs here: nobody's to remove.
            owner: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_linux_and_round_trip() {
        assert_eq!(bridge_name(NetId(MAX_NET_ID)).len(), 15);
        assert_eq!(network_name(NetId(7)), "vpsbox-net-7");
        assert_eq!(id_of_name("vpsbox-net-7"), Some(NetId(7)));
        assert_eq!(id_of_name("vpsbox-net-x"), None);
        assert_eq!(id_of_name("default"), None);
    }

    #[test]
    fn subnets_and_names_are_checked() {
        assert!(parse_subnet("10.0.0.0/24").is_ok());
        for bad in ["10.0.0.1/24", "10.0.0.0/8", "10.0.0.0/30", "2001:db8::/64", "ten/24", "10.0.0.0"] {
            assert!(parse_subnet(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_name(" backend-1 ").unwrap(), "backend-1");
        for bad in ["", "a b", "x".repeat(33).as_str(), "<script>"] {
            assert_eq!(parse_name(bad), Err(NetSpecError::Name), "{bad}");
        }
    }

    #[test]
    fn host_addresses() {
        let c = parse_subnet("192.0.2.0/29").unwrap();
        assert_eq!(hosts(&c), 6);
        assert_eq!(host_address(&c, 1), Ipv4Addr::new(192, 0, 2, 1));
        assert_eq!(host_address(&c, 6), Ipv4Addr::new(192, 0, 2, 6));
        assert_eq!(hosts(&parse_subnet("10.1.0.0/16").unwrap()), 65534);
    }
}
