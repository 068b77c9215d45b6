//! IP address pools, pure: parsing and checking a pool's definition, and the arithmetic between
//! a pool's allocation units and addresses. Which units are free, cooling down or assigned is
//! kept in the store (see `service::ipam`).
//!
//! Every pool hands out *units* numbered by a `u128` index: for IPv4 and single IPv6 addresses
//! the index is the address itself; for IPv6 pools that give each VM a /64, it is the /64's
//! number (the address shifted right by 64). A pool's free units are then runs of consecutive
//! indices, whatever the family.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

/// Identifier of an IP pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PoolId(pub u64);

impl fmt::Display for PoolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An IP network: an address with its prefix length, host bits zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cidr {
    /// Network address.
    pub addr: IpAddr,
    /// Prefix length.
    pub len: u8,
}

/// Why a pool definition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolSpecError {
    /// Not `ADDRESS/LENGTH`, or host bits set.
    #[error("{0}")]
    Cidr(String),
    /// An address that does not parse.
    #[error("`{0}` is not an IP address")]
    Address(String),
    /// Gateway not usable for this network.
    #[error("The gateway {gateway} is not a usable address of {network}")]
    Gateway {
        /// The gateway given.
        gateway: IpAddr,
        /// The pool's network.
        network: Cidr,
    },
    /// A range outside the network, reversed, or of the wrong family.
    #[error("{0}")]
    Range(String),
    /// A DNS server list that is too long or mixes in garbage.
    #[error("{0}")]
    Dns(String),
    /// Nothing left to hand out.
    #[error("The pool has no assignable address left after the gateway and exclusions")]
    Empty,
}

impl PoolSpecError {
    /// Its message's arguments (see [`crate::error::Coded::args`]).
    pub fn args(&self) -> crate::error::Args {
        match self {
            PoolSpecError::Cidr(d) | PoolSpecError::Range(d) | PoolSpecError::Dns(d) => {
                vec![("reason", "detail".into()), ("detail", d.as_str().into())]
            }
            PoolSpecError::Address(a) => vec![("reason", "address".into()), ("address", a.as_str().into())],
            PoolSpecError::Gateway { gateway, network } => vec![
                ("reason", "gateway".into()),
                ("gateway", gateway.to_string().into()),
                ("network", network.to_string().into()),
            ],
            PoolSpecError::Empty => crate::error::reason("empty"),
        }
    }
}

impl Cidr {
    /// Parse `192.0.2.0/24` or `2001:db8::/48`. Host bits must be zero.
    pub fn parse(s: &str) -> Result<Cidr, PoolSpecError> {
        let bad = |why: &str| PoolSpecError::Cidr(format!("`{s}` is not a network in CIDR notation: {why}"));
        let (a, l) = s.trim().split_once('/').ok_or_else(|| bad("expected ADDRESS/LENGTH"))?;
        let addr: IpAddr = a.parse().map_err(|_| bad("the address does not parse"))?;
        let len: u8 = l.parse().map_err(|_| bad("the length is not a number"))?;
        if len > max_len(&addr) {
            return Err(bad("the length is too long for the address family"));
        }
        let c = Cidr { addr, len };
        if c.host_bits(to_u128(&addr)) != 0 {
            return Err(bad(&format!("host bits are set (the network is {})", c.network_of(&addr))));
        }
        Ok(c)
    }

    /// Whether it is IPv4.
    pub fn is_v4(&self) -> bool {
        self.addr.is_ipv4()
    }

    /// First address as a number.
    pub fn first(&self) -> u128 {
        to_u128(&self.addr)
    }

    /// Last address as a number.
    pub fn last(&self) -> u128 {
        self.first() | self.host_mask()
    }

    /// Whether `ip` is inside (same family).
    pub fn contains(&self, ip: &IpAddr) -> bool {
        ip.is_ipv4() == self.is_v4() && (self.first()..=self.last()).contains(&to_u128(ip))
    }

    /// Whether two networks share any address.
    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.is_v4() == other.is_v4() && self.first() <= other.last() && other.first() <= self.last()
    }

    fn host_mask(&self) -> u128 {
        let bits = u32::from(max_len(&self.addr) - self.len);
        if bits >= 128 { u128::MAX } else { (1u128 << bits) - 1 }
    }

    fn host_bits(&self, v: u128) -> u128 {
        v & self.host_mask()
    }

    fn network_of(&self, ip: &IpAddr) -> Cidr {
        Cidr { addr: from_u128(to_u128(ip) & !self.host_mask(), ip.is_ipv4()), len: self.len }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

fn max_len(a: &IpAddr) -> u8 {
    if a.is_ipv4() { 32 } else { 128 }
}

/// An address as a number (IPv4 in the low 32 bits).
pub fn to_u128(a: &IpAddr) -> u128 {
    match a {
        IpAddr::V4(v4) => u128::from(u32::from(*v4)),
        IpAddr::V6(v6) => u128::from(*v6),
    }
}

/// A number back to an address of the given family.
pub fn from_u128(v: u128, v4: bool) -> IpAddr {
    if v4 {
        IpAddr::V4(Ipv4Addr::from(u32::try_from(v).unwrap_or(u32::MAX)))
    } else {
        IpAddr::V6(Ipv6Addr::from(v))
    }
}

/// What one allocation from a pool is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    /// One address (IPv4, or one IPv6 address with prefix length 128).
    Address,
    /// A whole IPv6 /64 routed to the VM (it uses `::1` of it by default).
    Prefix64,
}

/// A pool as an admin defines it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolSpec {
    /// The subnet (IPv4) or prefix (IPv6) the addresses are in.
    pub network: Cidr,
    /// Gateway the guests use; never handed out.
    pub gateway: IpAddr,
    /// Part of the network to hand out (inclusive); the whole network when `None`.
    pub range: Option<(IpAddr, IpAddr)>,
    /// Addresses (or, for /64 pools, prefixes containing them) never handed out.
    pub excluded: Vec<(IpAddr, IpAddr)>,
    /// Resolvers given to guests.
    pub dns: Vec<IpAddr>,
    /// What one allocation is.
    pub unit: Unit,
}

/// Most DNS servers a pool may list (cloud-init and resolv.conf take three; one spare).
pub const MAX_DNS: usize = 4;

impl PoolSpec {
    /// Check a definition: family agreement, gateway, range and exclusions inside the network,
    /// unit fitting the family, something left to hand out.
    pub fn check(&self) -> Result<(), PoolSpecError> {
        let net = self.network;
        let v4 = net.is_v4();
        match (v4, self.unit) {
            (true, Unit::Prefix64) => {
                return Err(PoolSpecError::Range("IPv4 pools hand out single addresses".into()));
            }
            (true, Unit::Address) if net.len > 30 => {
                return Err(PoolSpecError::Range(format!(
                    "{net} is too small: an IPv4 pool needs at least a /30 (network, gateway, address, broadcast)"
                )));
            }
            (false, Unit::Prefix64) if net.len > 64 => {
                return Err(PoolSpecError::Range(format!(
                    "{net} cannot be carved into /64s: use a /64 or shorter"
                )));
            }
            (false, Unit::Address) if !(64..=120).contains(&net.len) => {
                return Err(PoolSpecError::Range(format!(
                    "{net}: a pool of single IPv6 addresses needs a prefix between /64 and /120"
                )));
            }
            _ => {}
        }
        let gw_ok = if v4 {
            net.contains(&self.gateway)
                && to_u128(&self.gateway) != net.first()
                && to_u128(&self.gateway) != net.last()
        } else {
            self.gateway.is_ipv6()
                && (net.contains(&self.gateway) || is_link_local_v6(&self.gateway))
                && to_u128(&self.gateway) != net.first()
        };
        if !gw_ok {
            return Err(PoolSpecError::Gateway { gateway: self.gateway, network: net });
        }
        let pair_ok = |what: &str, (a, b): &(IpAddr, IpAddr)| {
            if !net.contains(a) || !net.contains(b) {
                Err(PoolSpecError::Range(format!("The {what} {a}–{b} is not inside {net}")))
            } else if to_u128(a) > to_u128(b) {
                Err(PoolSpecError::Range(format!(
                    "The {what} {a}–{b} is reversed: put the lower address first"
                )))
            } else {
                Ok(())
            }
        };
        if let Some(r) = &self.range {
            pair_ok("range", r)?;
        }
        for x in &self.excluded {
            pair_ok("exclusion", x)?;
        }
        if self.dns.len() > MAX_DNS {
            return Err(PoolSpecError::Dns(format!("At most {MAX_DNS} DNS servers")));
        }
        if self.free_runs().is_empty() {
            return Err(PoolSpecError::Empty);
        }
        Ok(())
    }

    /// Index of the unit holding `ip`.
    pub fn index_of(&self, ip: &IpAddr) -> u128 {
        match self.unit {
            Unit::Address => to_u128(ip),
            Unit::Prefix64 => to_u128(ip) >> 64,
        }
    }

    /// The first address of unit `index`.
    pub fn addr_of(&self, index: u128) -> IpAddr {
        match self.unit {
            Unit::Address => from_u128(index, self.network.is_v4()),
            Unit::Prefix64 => from_u128(index << 64, false),
        }
    }

    /// The address a guest configures for unit `index`, with its prefix length: IPv4 and single
    /// IPv6 addresses with the pool's prefix length; a /64 as its `::1`.
    pub fn guest_address(&self, index: u128) -> (IpAddr, u8) {
        match self.unit {
            Unit::Address => (self.addr_of(index), self.network.len),
            Unit::Prefix64 => (from_u128((index << 64) | 1, false), 64),
        }
    }

    /// Indices of every unit the pool could hand out, as inclusive runs in ascending order:
    /// the range (or network) without the network address, the IPv4 broadcast, the gateway
    /// and exclusions.
    pub fn free_runs(&self) -> Vec<(u128, u128)> {
        let net = self.network;
        let (mut lo, mut hi) = match &self.range {
            Some((a, b)) => (to_u128(a), to_u128(b)),
            None => (net.first(), net.last()),
        };
        if self.unit == Unit::Address {
            lo = lo.max(net.first() + 1);
            if net.is_v4() {
                hi = hi.min(net.last() - 1);
            }
        }
        let (lo, hi) = match self.unit {
            Unit::Address => (lo, hi),
            Unit::Prefix64 => (lo >> 64, hi >> 64),
        };
        if lo > hi {
            return vec![];
        }
        let mut holes: Vec<(u128, u128)> =
            self.excluded.iter().map(|(a, b)| (self.index_of(a), self.index_of(b))).collect();
        if self.network.contains(&self.gateway) {
            let g = self.index_of(&self.gateway);
            holes.push((g, g));
        }
        holes.sort_unstable();
        let mut runs = Vec::new();
        let mut next = lo;
        for (a, b) in holes {
            if b < next || a > hi {
                continue;
            }
            if a > next {
                runs.push((next, a - 1));
            }
            if b >= hi {
                return runs;
            }
            next = next.max(b + 1);
        }
        runs.push((next, hi));
        runs
    }

    /// The size in words: `253 addresses` or `65536 /64s`.
    pub fn size_text(&self) -> String {
        match self.unit {
            Unit::Address => format!("{} addresses", self.size()),
            Unit::Prefix64 => format!("{} /64s", self.size()),
        }
    }

    /// How many units the pool holds.
    pub fn size(&self) -> u128 {
        self.free_runs().iter().fold(0u128, |n, (a, b)| n.saturating_add(b - a + 1))
    }
}

fn is_link_local_v6(ip: &IpAddr) -> bool {
    matches!(ip, IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80)
}

/// The order a VM's addresses are shown in everywhere (its page, the server list): IPv4
/// first, then by pool and unit.
pub fn display_order(address: &IpAddr, pool: PoolId, unit: u128) -> (bool, PoolId, u128) {
    (!address.is_ipv4(), pool, unit)
}

/// Parse `A` or `A-B` into an inclusive address pair.
pub fn parse_span(s: &str) -> Result<(IpAddr, IpAddr), PoolSpecError> {
    let one = |t: &str| t.trim().parse::<IpAddr>().map_err(|_| PoolSpecError::Address(t.trim().to_string()));
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (one(a)?, one(b)?);
            if a.is_ipv4() != b.is_ipv4() {
                return Err(PoolSpecError::Range(format!("`{s}` mixes IPv4 and IPv6")));
            }
            Ok((a, b))
        }
        None => {
            let a = one(s)?;
            Ok((a, a))
        }
    }
}

/// Parse a comma- or space-separated address list (DNS servers).
pub fn parse_addrs(s: &str) -> Result<Vec<IpAddr>, PoolSpecError> {
    s.split([',', ' ', '\n'])
        .filter(|t| !t.trim().is_empty())
        .map(|t| t.trim().parse().map_err(|_| PoolSpecError::Address(t.trim().to_string())))
        .collect()
}

/// Why a reverse DNS name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a fully qualified host name (like server1.example.com: letters, digits and hyphens, at least two labels)"
)]
pub struct PtrNameError(pub String);

/// A reverse DNS (PTR) target: a fully qualified host name, lower case, without trailing dot.
pub fn parse_ptr_name(raw: &str) -> Result<String, PtrNameError> {
    let bad = || PtrNameError(raw.trim().to_string());
    let name = super::vm::parse_hostname(raw).map_err(|_| bad())?;
    if !name.contains('.') {
        return Err(bad());
    }
    Ok(name)
}

/// The name a reverse lookup of `ip` asks for: `10.2.0.192.in-addr.arpa.`, or the 32 nibbles
/// of an IPv6 address under `ip6.arpa.`.
pub fn reverse_name(ip: &IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{d}.{c}.{b}.{a}.in-addr.arpa.")
        }
        IpAddr::V6(v6) => {
            let mut out = String::with_capacity(73);
            for byte in v6.octets().iter().rev() {
                out.push_str(&format!("{:x}.{:x}.", byte & 0xf, byte >> 4));
            }
            out.push_str("ip6.arpa.");
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn v4(net: &str, gw: &str) -> PoolSpec {
        PoolSpec {
            network: Cidr::parse(net).unwrap(),
            gateway: ip(gw),
            range: None,
            excluded: vec![],
            dns: vec![],
            unit: Unit::Address,
        }
    }

    #[test]
    fn ptr_names_and_reverse_names() {
        assert_eq!(parse_ptr_name(" Web1.Example.COM. ").unwrap(), "web1.example.com");
        for bad in ["web1", "-x.example.com", "a..b", "x.123", "a_b.example.com", ""] {
            assert!(parse_ptr_name(bad).is_err(), "{bad}");
        }
        assert_eq!(reverse_name(&ip("192.0.2.10")), "10.2.0.192.in-addr.arpa.");
        assert_eq!(
            reverse_name(&ip("2001:db8::1")),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."
        );
    }

    #[test]
    fn cidr_parsing_and_refusals() {
        let c = Cidr::parse("192.0.2.0/24").unwrap();
        assert_eq!((c.first(), c.last() - c.first()), (0xC000_0200, 255));
        assert_eq!(c.to_string(), "192.0.2.0/24");
        assert!(Cidr::parse("2001:db8::/32").unwrap().contains(&ip("2001:db8:ffff::1")));
        assert!(Cidr::parse("0.0.0.0/0").is_ok());
        for bad in ["192.0.2.0", "192.0.2.0/33", "192.0.2.1/24", "banana/8", "192.0.2.0/x", "2001:db8::1/64"]
        {
            assert!(matches!(Cidr::parse(bad), Err(PoolSpecError::Cidr(_))), "{bad}");
        }
        let e = Cidr::parse("192.0.2.7/24").unwrap_err().to_string();
        assert!(e.contains("host bits") && e.contains("192.0.2.0/24"), "{e}");
        let a = Cidr::parse("198.51.100.0/24").unwrap();
        assert!(a.overlaps(&Cidr::parse("198.51.100.128/25").unwrap()));
        assert!(!a.overlaps(&Cidr::parse("198.51.101.0/24").unwrap()));
        assert!(!a.overlaps(&Cidr::parse("2001:db8::/32").unwrap()));
    }

    #[test]
    fn v4_pool_skips_network_broadcast_gateway_and_exclusions() {
        let mut p = v4("192.0.2.0/24", "192.0.2.1");
        p.check().unwrap();
        let base = to_u128(&ip("192.0.2.0"));
        assert_eq!(p.free_runs(), vec![(base + 2, base + 254)]);
        assert_eq!(p.size(), 253);
        p.excluded = vec![parse_span("192.0.2.10-192.0.2.19").unwrap(), parse_span("192.0.2.254").unwrap()];
        p.range = Some(parse_span("192.0.2.1-192.0.2.255").unwrap());
        assert_eq!(p.free_runs(), vec![(base + 2, base + 9), (base + 20, base + 253)]);
        assert_eq!(p.guest_address(base + 2), (ip("192.0.2.2"), 24));
    }

    #[test]
    fn bad_definitions_are_refused_with_reasons() {
        let mut p = v4("192.0.2.0/24", "198.51.100.1");
        assert!(matches!(p.check(), Err(PoolSpecError::Gateway { .. })), "gateway outside");
        p.gateway = ip("192.0.2.255");
        assert!(matches!(p.check(), Err(PoolSpecError::Gateway { .. })), "broadcast as gateway");
        p.gateway = ip("192.0.2.1");
        p.range = Some(parse_span("192.0.2.200-192.0.2.100").unwrap());
        assert!(p.check().unwrap_err().to_string().contains("reversed"));
        p.range = Some(parse_span("192.0.2.100-192.0.3.1").unwrap());
        assert!(p.check().unwrap_err().to_string().contains("not inside"));
        p.range = None;
        p.excluded = vec![parse_span("192.0.2.2-192.0.2.254").unwrap()];
        assert_eq!(p.check(), Err(PoolSpecError::Empty));
        assert!(v4("192.0.2.0/31", "192.0.2.1").check().is_err());
        assert!(parse_span("192.0.2.1-2001:db8::1").is_err());
        assert!(matches!(parse_addrs("192.0.2.53, nope"), Err(PoolSpecError::Address(a)) if a == "nope"));
    }

    #[test]
    fn v6_pools_carve_64s_or_single_addresses() {
        let p = PoolSpec {
            network: Cidr::parse("2001:db8:100::/48").unwrap(),
            gateway: ip("fe80::1"),
            range: None,
            excluded: vec![],
            dns: vec![ip("2001:db8::53")],
            unit: Unit::Prefix64,
        };
        p.check().unwrap();
        assert_eq!(p.size(), 65_536, "a /48 holds 65,536 /64s");
        let first = p.free_runs()[0].0;
        assert_eq!(p.addr_of(first), ip("2001:db8:100::"));
        assert_eq!(p.guest_address(first + 1), (ip("2001:db8:100:1::1"), 64));
        assert_eq!(p.index_of(&ip("2001:db8:100:1:abcd::9")), first + 1);

        // A gateway inside the prefix takes its /64 out.
        let mut inside = p.clone();
        inside.gateway = ip("2001:db8:100::1");
        assert_eq!(inside.size(), 65_535);
        assert_eq!(inside.free_runs()[0].0, first + 1);

        let single =
            PoolSpec { network: Cidr::parse("2001:db8:200::/64").unwrap(), unit: Unit::Address, ..p };
        single.check().unwrap();
        assert_eq!(single.size(), (1u128 << 64) - 1, "all but the subnet-router anycast address");
        assert_eq!(single.guest_address(single.free_runs()[0].0), (ip("2001:db8:200::1"), 64));
        let too_long =
            PoolSpec { network: Cidr::parse("2001:db8:300::/72").unwrap(), unit: Unit::Prefix64, ..single };
        assert!(too_long.check().is_err());
    }
}
