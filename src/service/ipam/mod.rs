//! IP address management: admins' pools, and handing units out and taking them back, each in a
//! single write transaction so an address is never given twice.
//!
//! A pool's units are in exactly one of three places: a free run in `IP_FREE`, a resting entry
//! in `IP_COOLING` (released, waiting out the cool-down), or a lease in `IP_LEASES`. Allocation
//! first returns rested units to the free runs, then takes the lowest free unit; release moves
//! a lease to cooling. `IP_POOL_COUNTS` keeps the number leased and cooling beside them.

use std::net::IpAddr;
use std::sync::Arc;

use redb::ReadableTable;

use super::{Coded, ErrorKind, blocking};
use crate::clock::Clock;
use crate::domain::account::UserId;
use crate::domain::catalog::parse_catalog_name;
use crate::domain::ipam::{
    Cidr, PoolId, PoolSpec, PoolSpecError, PtrNameError, Unit, parse_addrs, parse_ptr_name, parse_span,
};
use crate::domain::vm::VmId;
use crate::store::codec::{decode, encode};
use crate::store::records::{IpLeaseRecord, PoolRecord};
use crate::store::tables::{
    IP_COOLING, IP_FREE, IP_LEASES, IP_POOL_BY_NAME, IP_POOL_COUNTS, IP_POOLS, META, META_LAST_POOL_ID,
};
use crate::store::{Store, StoreError};

mod units;
pub use units::{
    allocate_in, assign_vm_in, move_in, release_in, release_lease_in, release_vm_in, set_ipv4_count_in,
    vm_leases_in, vm_leases_tx,
};

/// Why an IPAM operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum IpamError {
    /// Bad pool name.
    #[error("Pool names have 1 to 64 of a-z, 0-9, '.', '_', '-' and start with a letter or digit")]
    NameInvalid,
    /// Name in use.
    #[error("A pool named {0} exists already")]
    NameTaken(String),
    /// Bad definition.
    #[error("{0}")]
    Spec(#[from] PoolSpecError),
    /// Shares addresses with another pool.
    #[error("{network} overlaps pool {other} ({other_network})")]
    Overlap {
        /// The new pool's network.
        network: String,
        /// The pool it overlaps.
        other: String,
        /// That pool's network.
        other_network: String,
    },
    /// No such pool.
    #[error("No such IP pool: {0}")]
    NotFound(String),
    /// Addresses of the pool are held.
    #[error("Pool {name} has {leased} address(es) in use; release them first")]
    InUse {
        /// Pool name.
        name: String,
        /// How many are held.
        leased: u64,
    },
    /// Nothing free.
    #[error("Pool {0} has no free address left")]
    Exhausted(String),
    /// No pool of a family can give a VM its address.
    #[error("No public {0} address is free on this host; please contact support")]
    NoFreeAddress(&'static str),
    /// A unit that is not leased.
    #[error("{0} is not assigned from pool {1}")]
    NotLeased(IpAddr, String),
    /// A bad reverse DNS name.
    #[error("{0}")]
    PtrName(#[from] PtrNameError),
    /// An address the caller does not hold (or nobody does).
    #[error("{0} is not one of your addresses")]
    UnknownAddress(IpAddr),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Coded for IpamError {
    fn code(&self) -> &'static str {
        match self {
            IpamError::NameInvalid => "IPM0001",
            IpamError::NameTaken(_) => "IPM0002",
            IpamError::Spec(_) => "IPM0003",
            IpamError::Overlap { .. } => "IPM0004",
            IpamError::NotFound(_) => "IPM0005",
            IpamError::InUse { .. } => "IPM0006",
            IpamError::Exhausted(_) => "IPM0007",
            IpamError::NotLeased(..) => "IPM0008",
            IpamError::NoFreeAddress(_) => "IPM0009",
            IpamError::PtrName(_) => "IPM0010",
            IpamError::UnknownAddress(_) => "IPM0011",
            IpamError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            IpamError::Store(e) => e.kind(),
            IpamError::NotFound(_) | IpamError::UnknownAddress(_) => ErrorKind::NotFound,
            IpamError::NameTaken(_)
            | IpamError::Overlap { .. }
            | IpamError::InUse { .. }
            | IpamError::Exhausted(_)
            | IpamError::NoFreeAddress(_)
            | IpamError::NotLeased(..) => ErrorKind::Conflict,
            IpamError::NameInvalid | IpamError::Spec(_) | IpamError::PtrName(_) => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            IpamError::NameTaken(n) | IpamError::NotFound(n) | IpamError::Exhausted(n) => {
                vec![("pool", n.as_str().into())]
            }
            IpamError::Spec(e) => e.args(),
            IpamError::Overlap { network, other, other_network } => vec![
                ("network", network.as_str().into()),
                ("pool", other.as_str().into()),
                ("pool_network", other_network.as_str().into()),
            ],
            IpamError::InUse { name, leased } => {
                vec![("pool", name.as_str().into()), ("count", (*leased).into())]
            }
            IpamError::NoFreeAddress(family) => vec![("family", (*family).into())],
            IpamError::NotLeased(a, pool) => {
                vec![("address", a.to_string().into()), ("pool", pool.as_str().into())]
            }
            IpamError::PtrName(e) => vec![("name", e.0.as_str().into())],
            IpamError::UnknownAddress(a) => vec![("address", a.to_string().into())],
            IpamError::Store(e) => e.args(),
            IpamError::NameInvalid => Vec::new(),
        }
    }
}

store_error_conversions!(IpamError);

/// A pool with how much of it is used.
#[derive(Debug, Clone)]
pub struct PoolView {
    /// The pool.
    pub pool: PoolRecord,
    /// Units it holds in all.
    pub size: u128,
    /// Units leased.
    pub leased: u64,
    /// Units resting after release.
    pub cooling: u64,
}

/// A unit handed out, with what a guest needs to configure it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The pool.
    pub pool: PoolId,
    /// Unit index in the pool.
    pub index: u128,
    /// The address the guest configures, and its prefix length.
    pub address: (IpAddr, u8),
    /// Gateway.
    pub gateway: IpAddr,
    /// Resolvers.
    pub dns: Vec<IpAddr>,
    /// The whole unit the VM may send from: one address (`/32`, `/128`) or its `/64`.
    pub unit: (IpAddr, u8),
    /// Reverse DNS name of `address`, when set.
    pub ptr: Option<String>,
}

impl Lease {
    fn of(pool: &PoolRecord, index: u128) -> Lease {
        let first = pool.spec.addr_of(index);
        let unit = match pool.spec.unit {
            Unit::Prefix64 => (first, 64),
            Unit::Address => (first, if first.is_ipv4() { 32 } else { 128 }),
        };
        Lease {
            pool: pool.id,
            index,
            address: pool.spec.guest_address(index),
            gateway: pool.spec.gateway,
            dns: pool.spec.dns.clone(),
            unit,
            ptr: None,
        }
    }
}

/// A pool definition as typed by an admin (CLI flags or the admin form).
#[derive(Debug, Clone, Default)]
pub struct PoolText {
    /// Network in CIDR notation.
    pub network: String,
    /// Gateway address.
    pub gateway: String,
    /// `FIRST-LAST` part to hand out; empty for the whole network.
    pub range: String,
    /// `A` or `A-B` entries never handed out.
    pub exclude: Vec<String>,
    /// DNS servers, comma- or space-separated.
    pub dns: String,
    /// IPv6: `64` (a /64 per VM, default) or `128` (single addresses); IPv4: none or `32`.
    pub per_vm: Option<u8>,
}

impl PoolText {
    /// Parse into a definition (checked later by [`PoolSpec::check`]).
    pub fn spec(&self) -> Result<PoolSpec, IpamError> {
        let network = Cidr::parse(&self.network)?;
        let gateway = self
            .gateway
            .trim()
            .parse()
            .map_err(|_| PoolSpecError::Address(self.gateway.trim().to_string()))?;
        let unit = match (network.is_v4(), self.per_vm) {
            (true, None | Some(32)) => Unit::Address,
            (false, None | Some(64)) => Unit::Prefix64,
            (false, Some(128)) => Unit::Address,
            (_, Some(n)) => {
                return Err(PoolSpecError::Range(format!(
                    "--per-vm {n}: IPv6 pools give each VM a /64 (64) or a single address (128); IPv4 pools single addresses"
                ))
                .into());
            }
        };
        let range = match self.range.trim() {
            "" => None,
            r => Some(parse_span(r)?),
        };
        let excluded = self
            .exclude
            .iter()
            .filter(|x| !x.trim().is_empty())
            .map(|x| parse_span(x))
            .collect::<Result<_, _>>()?;
        Ok(PoolSpec { network, gateway, range, excluded, dns: parse_addrs(&self.dns)?, unit })
    }
}

/// The IPAM service.
#[derive(Clone)]
pub struct Ipam {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    cooldown_secs: u64,
}

fn load(t: &impl ReadableTable<u64, &'static [u8]>, id: PoolId) -> Result<PoolRecord, IpamError> {
    match t.get(id.0)? {
        Some(v) => Ok(decode(v.value())?),
        None => Err(IpamError::NotFound(id.to_string())),
    }
}

fn pool_id_by_name(t: &impl ReadableTable<&'static str, u64>, name: &str) -> Result<PoolId, IpamError> {
    let key = parse_catalog_name(name).ok_or_else(|| IpamError::NotFound(name.to_string()))?;
    let id = t.get(key.as_str())?.ok_or_else(|| IpamError::NotFound(name.to_string()))?.value();
    Ok(PoolId(id))
}

impl Ipam {
    /// The service; released units rest `cooldown_secs` before reuse.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>, cooldown_secs: u64) -> Ipam {
        Ipam { store, clock, cooldown_secs }
    }

    /// Add a pool after checking its definition and that it overlaps no other pool.
    pub async fn add_pool(&self, name: &str, spec: PoolSpec) -> Result<PoolRecord, IpamError> {
        let name = parse_catalog_name(name).ok_or(IpamError::NameInvalid)?;
        spec.check()?;
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            let rec = {
                let mut by_name = tx.open_table(IP_POOL_BY_NAME)?;
                if by_name.get(name.as_str())?.is_some() {
                    return Err(IpamError::NameTaken(name));
                }
                let mut pools = tx.open_table(IP_POOLS)?;
                for row in pools.iter()? {
                    let other: PoolRecord = decode(row?.1.value())?;
                    if other.spec.network.overlaps(&spec.network) {
                        return Err(IpamError::Overlap {
                            network: spec.network.to_string(),
                            other: other.name,
                            other_network: other.spec.network.to_string(),
                        });
                    }
                }
                let mut meta = tx.open_table(META)?;
                let id = meta.get(META_LAST_POOL_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
                meta.insert(META_LAST_POOL_ID, id)?;
                by_name.insert(name.as_str(), id)?;
                let rec = PoolRecord { id: PoolId(id), name, spec, created_at: now };
                pools.insert(id, encode(&rec)?.as_slice())?;
                rec
            };
            {
                let mut free = tx.open_table(IP_FREE)?;
                for (a, b) in rec.spec.free_runs() {
                    free.insert((rec.id.0, a), b)?;
                }
            }
            tx.open_table(IP_POOL_COUNTS)?.insert(rec.id.0, (0, 0))?;
            tx.commit()?;
            tracing::info!(pool = rec.name, network = %rec.spec.network, "IP pool added");
            Ok(rec)
        })
        .await
    }

    /// Every pool with its usage, by id.
    pub fn list(&self) -> Result<Vec<PoolView>, IpamError> {
        let tx = self.store.read()?;
        let (pools, counts) = (tx.open_table(IP_POOLS)?, tx.open_table(IP_POOL_COUNTS)?);
        let mut out = Vec::new();
        for row in pools.iter()? {
            let pool: PoolRecord = decode(row?.1.value())?;
            let (leased, cooling) = counts.get(pool.id.0)?.map(|v| v.value()).unwrap_or((0, 0));
            out.push(PoolView { size: pool.spec.size(), pool, leased, cooling });
        }
        Ok(out)
    }

    /// One pool by name.
    pub fn pool(&self, name: &str) -> Result<PoolRecord, IpamError> {
        let tx = self.store.read()?;
        let id = pool_id_by_name(&tx.open_table(IP_POOL_BY_NAME)?, name)?;
        load(&tx.open_table(IP_POOLS)?, id)
    }

    /// One pool by id.
    pub fn get(&self, id: PoolId) -> Result<PoolRecord, IpamError> {
        load(&self.store.read()?.open_table(IP_POOLS)?, id)
    }

    /// Remove a pool none of whose addresses are leased (resting ones are forgotten).
    pub async fn remove_pool(&self, name: &str) -> Result<(), IpamError> {
        let (store, name) = (self.store.clone(), name.to_string());
        blocking(move || {
            let tx = store.write()?;
            let id = pool_id_by_name(&tx.open_table(IP_POOL_BY_NAME)?, &name)?;
            let pool = load(&tx.open_table(IP_POOLS)?, id)?;
            let (leased, _) = tx.open_table(IP_POOL_COUNTS)?.get(id.0)?.map(|v| v.value()).unwrap_or((0, 0));
            if leased > 0 {
                return Err(IpamError::InUse { name: pool.name, leased });
            }
            tx.open_table(IP_FREE)?.retain_in((id.0, 0)..=(id.0, u128::MAX), |_, _| false)?;
            tx.open_table(IP_COOLING)?
                .retain_in((id.0, i64::MIN, 0)..=(id.0, i64::MAX, u128::MAX), |_, _| false)?;
            tx.open_table(IP_POOL_COUNTS)?.remove(id.0)?;
            tx.open_table(IP_POOLS)?.remove(id.0)?;
            tx.open_table(IP_POOL_BY_NAME)?.remove(pool.name.as_str())?;
            tx.commit()?;
            tracing::info!(pool = pool.name, "IP pool removed");
            Ok(())
        })
        .await
    }

    /// Hand out the lowest free unit of pool `name` to `owner` (and `vm`).
    pub async fn allocate(&self, name: &str, owner: UserId, vm: Option<VmId>) -> Result<Lease, IpamError> {
        let (store, now, name) = (self.store.clone(), self.clock.now(), name.to_string());
        blocking(move || {
            let tx = store.write()?;
            let id = pool_id_by_name(&tx.open_table(IP_POOL_BY_NAME)?, &name)?;
            let pool = load(&tx.open_table(IP_POOLS)?, id)?;
            let lease = allocate_in(&tx, &pool, owner, vm, now)?;
            tx.commit()?;
            Ok(lease)
        })
        .await
    }

    /// Take back the unit holding `addr` in pool `name`; it rests for the cool-down.
    pub async fn release(&self, name: &str, addr: IpAddr) -> Result<IpLeaseRecord, IpamError> {
        let (store, now, name, cooldown) =
            (self.store.clone(), self.clock.now(), name.to_string(), self.cooldown_secs);
        blocking(move || {
            let tx = store.write()?;
            let id = pool_id_by_name(&tx.open_table(IP_POOL_BY_NAME)?, &name)?;
            let pool = load(&tx.open_table(IP_POOLS)?, id)?;
            if !pool.spec.network.contains(&addr) {
                return Err(IpamError::NotLeased(addr, pool.name));
            }
            let lease = release_in(&tx, &pool, pool.spec.index_of(&addr), now, cooldown)?;
            tx.commit()?;
            Ok(lease)
        })
        .await
    }

    /// The addresses `vm` holds, IPv4 first.
    pub fn vm_leases(&self, vm: VmId) -> Result<Vec<Lease>, IpamError> {
        vm_leases_in(&self.store.read()?, vm)
    }

    /// Seconds a released address rests.
    pub fn cooldown_secs(&self) -> u64 {
        self.cooldown_secs
    }

    /// Set (or with an empty `name`, clear) the reverse DNS name of `addr`, the address a guest
    /// configures for one of the units `owner` holds (`None`: an admin, any unit).
    pub async fn set_ptr(
        &self,
        owner: Option<UserId>,
        addr: IpAddr,
        name: &str,
    ) -> Result<Option<String>, IpamError> {
        let ptr = match name.trim() {
            "" => None,
            n => Some(parse_ptr_name(n)?),
        };
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            let pool = units::pool_containing(&tx, addr)?;
            let index = pool.spec.index_of(&addr);
            let unknown = || IpamError::UnknownAddress(addr);
            {
                let mut leases = tx.open_table(IP_LEASES)?;
                let mut lease: IpLeaseRecord = match leases.get((pool.id.0, index))? {
                    Some(v) => decode(v.value())?,
                    None => return Err(unknown()),
                };
                if owner.is_some_and(|o| o != lease.owner) || pool.spec.guest_address(index).0 != addr {
                    return Err(unknown());
                }
                lease.ptr = ptr.clone();
                leases.insert((pool.id.0, index), encode(&lease)?.as_slice())?;
            }
            tx.commit()?;
            Ok(ptr)
        })
        .await
    }

    /// Every reverse DNS name set, as (address, name), by pool and address.
    pub fn ptr_records(&self) -> Result<Vec<(IpAddr, String)>, IpamError> {
        let tx = self.store.read()?;
        let pools = tx.open_table(IP_POOLS)?;
        let mut out = Vec::new();
        for row in tx.open_table(IP_LEASES)?.iter()? {
            let (k, v) = row?;
            let (pool, index) = k.value();
            let lease: IpLeaseRecord = decode(v.value())?;
            if let Some(ptr) = lease.ptr {
                out.push((load(&pools, PoolId(pool))?.spec.guest_address(index).0, ptr));
            }
        }
        Ok(out)
    }

    /// The leases of pool `name`, by unit.
    pub fn leases(&self, name: &str) -> Result<Vec<(Lease, IpLeaseRecord)>, IpamError> {
        let tx = self.store.read()?;
        let id = pool_id_by_name(&tx.open_table(IP_POOL_BY_NAME)?, name)?;
        let pool = load(&tx.open_table(IP_POOLS)?, id)?;
        let mut out = Vec::new();
        for row in tx.open_table(IP_LEASES)?.range((id.0, 0)..=(id.0, u128::MAX))? {
            let (k, v) = row?;
            out.push((Lease::of(&pool, k.value().1), decode(v.value())?));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
