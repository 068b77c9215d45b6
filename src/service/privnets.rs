//! Private networks (see `domain::privnet`): customers create and delete them within their
//! quota; VMs join and leave them through `Vms` (which redefines and hot-plugs the domain).
//!
//! redb is the truth: a network is recorded first, then made in libvirt; [`PrivateNets::reconcile`]
//! (at start-up and with the VM reconcile) makes every recorded network exist and removes
//! libvirt networks of ours that are no longer recorded, so a crash between the two steps
//! leaves nothing behind.

use std::net::Ipv4Addr;
use std::sync::Arc;

use redb::{ReadableTable, WriteTransaction};

use super::audit;
use super::caller::Caller;
use super::quotas::{limits_in, usage_in};
use super::{Coded, ErrorKind, blocking, unmanaged};
use crate::clock::Clock;
use crate::domain::account::UserId;
use crate::domain::ipam::Cidr;
use crate::domain::privnet::{self, MAX_NET_ID, MAX_PRIVATE_NICS, NetId, NetSpecError, NetworkSpec};
use crate::domain::quota::{self, Amounts, QuotaExceeded};
use crate::domain::vm::VmId;
use crate::hv::HvError;
use crate::hv::link::HvLink;
use crate::store::codec::{decode, encode};
use crate::store::holdings::{self, Kind};
use crate::store::host::{self, GoneRecord, HostKind};
use crate::store::records::PrivNetRecord;
use crate::store::tables::{
    GONE, META, META_LAST_NET_ID, NET_MEMBERS, OWNER_HOLDINGS, OWNER_VMS, PRIVATE_NETS, QUOTAS, VM_NETS,
};
use crate::store::{Store, StoreError};

/// Why a private network operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// Bad name or subnet.
    #[error("{0}")]
    Spec(#[from] NetSpecError),
    /// The owner has a network of that name.
    #[error("You have a private network named {0} already; choose another name")]
    NameTaken(String),
    /// Over quota.
    #[error("{0}")]
    Quota(#[from] QuotaExceeded),
    /// No such network (or not yours).
    #[error("No such private network")]
    NotFound,
    /// Delete refused while VMs are on it.
    #[error("{0} virtual machine(s) are still on this network; detach them first")]
    InUse(usize),
    /// No free address left.
    #[error("The network's subnet has no free address left; detach a VM or use a bigger subnet")]
    Full,
    /// The VM is on that network already.
    #[error("The virtual machine is on this network already")]
    AlreadyAttached,
    /// The VM is not on that network.
    #[error("The virtual machine is not on this network")]
    NotAttached,
    /// All private interface slots of the VM are in use.
    #[error("A virtual machine can be on at most {MAX_PRIVATE_NICS} private networks")]
    TooManyNics,
    /// Network ids past what bridge names can hold.
    #[error("This host has used up its private network names; contact the vendor")]
    IdSpace,
    /// The hypervisor does not answer or refused.
    #[error("{0}")]
    Hv(HvError),
    /// Store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<HvError> for NetError {
    fn from(e: HvError) -> Self {
        NetError::Hv(e)
    }
}

impl Coded for NetError {
    fn code(&self) -> &'static str {
        match self {
            NetError::Spec(NetSpecError::Name) => "NET0001",
            NetError::Spec(NetSpecError::Subnet(_)) => "NET0002",
            NetError::NameTaken(_) => "NET0003",
            NetError::Quota(_) => "NET0004",
            NetError::NotFound => "NET0005",
            NetError::InUse(_) => "NET0006",
            NetError::Full => "NET0007",
            NetError::AlreadyAttached => "NET0008",
            NetError::NotAttached => "NET0009",
            NetError::TooManyNics => "NET0010",
            NetError::IdSpace => "NET0011",
            NetError::Hv(e) => e.code(),
            NetError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            NetError::NotFound => ErrorKind::NotFound,
            NetError::InUse(_)
            | NetError::NameTaken(_)
            | NetError::AlreadyAttached
            | NetError::NotAttached
            | NetError::Full
            | NetError::TooManyNics => ErrorKind::Conflict,
            NetError::Hv(e) => e.kind(),
            NetError::Store(e) => e.kind(),
            NetError::IdSpace => ErrorKind::Internal,
            NetError::Spec(_) | NetError::Quota(_) => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            NetError::Spec(e) => e.args(),
            NetError::NameTaken(n) => vec![("name", n.as_str().into())],
            NetError::Quota(q) => q.args(),
            NetError::InUse(n) => vec![("count", (*n).into())],
            NetError::TooManyNics => vec![("max", u32::from(MAX_PRIVATE_NICS).into())],
            NetError::Hv(e) => e.args(),
            NetError::Store(e) => e.args(),
            _ => Vec::new(),
        }
    }
}

store_error_conversions!(NetError);

/// A VM's place on a private network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    /// The network.
    pub net: NetId,
    /// Its name.
    pub name: String,
    /// Its subnet.
    pub subnet: Cidr,
    /// Interface slot in the VM (1..=8; MAC `02:76:<slot>:…`, guest name `eth<slot>`).
    pub slot: u8,
    /// The VM's address there.
    pub address: Ipv4Addr,
}

/// A network with how many VMs are on it.
#[derive(Debug, Clone)]
pub struct NetSummary {
    /// The record.
    pub net: PrivNetRecord,
    /// VMs on it.
    pub members: usize,
}

/// A VM on a network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The VM.
    pub vm: VmId,
    /// Its interface slot.
    pub slot: u8,
    /// Its address.
    pub address: Ipv4Addr,
}

/// The private networks service.
#[derive(Clone)]
pub struct PrivateNets {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    hv: Arc<HvLink>,
    quota_default: Amounts,
}

impl PrivateNets {
    /// The service.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>, hv: Arc<HvLink>, quota_default: Amounts) -> Self {
        PrivateNets { store, clock, hv, quota_default }
    }

    /// Create a network for `owner`: recorded (quota reserved) in one transaction, then made in
    /// libvirt; if libvirt refuses, the record is taken back.
    pub async fn create(
        &self,
        owner: UserId,
        name: &str,
        subnet: &str,
        caller: &Caller,
    ) -> Result<NetId, NetError> {
        let name = privnet::parse_name(name)?;
        let subnet = privnet::parse_subnet(subnet)?;
        let hv = self.hv.get()?;
        let (store, now, default) = (self.store.clone(), self.clock.now(), self.quota_default);
        let caller = caller.clone();
        let rec = blocking(move || {
            // A libvirt network under a fresh number belongs to a network the state does not
            // know (made after the copy the state was restored from): never hand it out.
            let taken: Vec<NetId> = hv
                .list_networks(&privnet::network_prefix())?
                .iter()
                .filter_map(|n| privnet::id_of_name(&n.name))
                .collect();
            let tx = store.write()?;
            if owned_in(&tx, owner)?.iter().any(|n| n.name == name) {
                return Err(NetError::NameTaken(name));
            }
            {
                let limits = limits_in(&tx.open_table(QUOTAS)?, owner, &default)?;
                let used = usage_in(&tx.open_table(OWNER_VMS)?, &tx.open_table(OWNER_HOLDINGS)?, owner)?;
                quota::check(&limits, &used, &Amounts { private_networks: 1, ..Amounts::default() })?;
            }
            let id = {
                let mut meta = tx.open_table(META)?;
                let mut id = meta.get(META_LAST_NET_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
                while taken.contains(&NetId(id)) {
                    id += 1;
                }
                if id > MAX_NET_ID {
                    return Err(NetError::IdSpace);
                }
                meta.insert(META_LAST_NET_ID, id)?;
                NetId(id)
            };
            let rec = PrivNetRecord { id, uuid: uuid::Uuid::new_v4(), owner, name, subnet, created_at: now };
            tx.open_table(PRIVATE_NETS)?.insert(id.0, encode(&rec)?.as_slice())?;
            holdings::put(&tx, now, owner, Kind::Network, id.0, 1)?;
            let detail = format!("{} {}", rec.name, rec.subnet);
            audit::record(&tx, now, &caller, owner, &format!("net:{id}"), "net.create", &detail)?;
            tx.commit()?;
            Ok(rec)
        })
        .await?;
        let hv = self.hv.get()?;
        let spec = NetworkSpec::of(rec.id, rec.uuid, self.store.installation_id());
        if let Err(e) = blocking(move || hv.ensure_network(&spec).map_err(NetError::from)).await {
            tracing::error!(net = %rec.id, code = e.code(), "private network not made: {e}");
            let (store, id) = (self.store.clone(), rec.id);
            blocking(move || {
                let tx = store.write()?;
                tx.open_table(PRIVATE_NETS)?.remove(id.0)?;
                holdings::discard(&tx, owner, Kind::Network, id.0)?;
                tx.commit()?;
                Ok::<_, NetError>(())
            })
            .await?;
            return Err(e);
        }
        tracing::info!(net = %rec.id, owner = %owner, "private network created");
        Ok(rec.id)
    }

    /// `owner`'s networks with their member counts, by id.
    pub fn list(&self, owner: UserId) -> Result<Vec<NetSummary>, NetError> {
        list_in(&self.store.read()?, owner)
    }

    /// One network, if `caller` sees it.
    pub fn get(&self, caller: &Caller, id: NetId) -> Result<PrivNetRecord, NetError> {
        let tx = self.store.read()?;
        let rec = load(&tx.open_table(PRIVATE_NETS)?, id)?;
        if caller.sees(rec.owner) { Ok(rec) } else { Err(NetError::NotFound) }
    }

    /// The VMs on a network, by VM id.
    pub fn members(&self, id: NetId) -> Result<Vec<Member>, NetError> {
        let tx = self.store.read()?;
        let rec = load(&tx.open_table(PRIVATE_NETS)?, id)?;
        let mut out = Vec::new();
        for row in tx.open_table(NET_MEMBERS)?.range((id.0, 0)..=(id.0, u64::MAX))? {
            let (k, v) = row?;
            let (slot, index) = v.value();
            out.push(Member {
                vm: VmId(k.value().1),
                slot,
                address: privnet::host_address(&rec.subnet, index),
            });
        }
        Ok(out)
    }

    /// Delete a network with no VMs on it.
    pub async fn delete(&self, caller: &Caller, id: NetId) -> Result<(), NetError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        let rec = blocking(move || {
            let tx = store.write()?;
            let rec = load(&tx.open_table(PRIVATE_NETS)?, id)?;
            if !caller.sees(rec.owner) {
                return Err(NetError::NotFound);
            }
            let n = tx.open_table(NET_MEMBERS)?.range((id.0, 0)..=(id.0, u64::MAX))?.count();
            if n > 0 {
                return Err(NetError::InUse(n));
            }
            tx.open_table(PRIVATE_NETS)?.remove(id.0)?;
            // Proof for reconcile that a libvirt network left under this UUID is ours to remove.
            crate::store::host::bury(
                &tx,
                &rec.uuid.to_string(),
                &GoneRecord { kind: HostKind::Network, id: id.0, at: now },
            )?;
            holdings::remove(&tx, now, rec.owner, Kind::Network, id.0)?;
            audit::record(&tx, now, &caller, rec.owner, &format!("net:{id}"), "net.delete", &rec.name)?;
            tx.commit()?;
            Ok(rec)
        })
        .await?;
        // The record is gone; a libvirt network left behind now is removed by reconcile.
        if let Ok(hv) = self.hv.get() {
            let name = privnet::network_name(rec.id);
            if let Err(e) = blocking(move || hv.remove_network(&name).map_err(NetError::from)).await {
                tracing::warn!(net = %rec.id, "private network stays in libvirt until reconcile: {e}");
            }
        }
        Ok(())
    }

    /// Make libvirt's networks match the records: each recorded network defined (with this
    /// installation's mark) and active; a network this installation deleted removed. Any other
    /// network with our prefix is left alone and listed as unmanaged. Returns (ensured,
    /// removed). Blocking.
    pub fn reconcile(&self) -> Result<(usize, usize), NetError> {
        let hv = self.hv.get()?;
        let ours = self.store.installation_id();
        // Listed before the records are read: a network made in between has its record then.
        let have = hv.list_networks(&privnet::network_prefix())?;
        let (recs, gone): (Vec<PrivNetRecord>, Vec<Option<GoneRecord>>) = {
            let tx = self.store.read()?;
            let t = tx.open_table(PRIVATE_NETS)?;
            let mut out = Vec::new();
            for row in t.iter()? {
                out.push(decode(row?.1.value())?);
            }
            let g = tx.open_table(GONE)?;
            let gone = have.iter().map(|n| host::gone(&g, &n.uuid.to_string())).collect::<Result<_, _>>()?;
            (out, gone)
        };
        for r in &recs {
            let spec = NetworkSpec::of(r.id, r.uuid, ours);
            match have.iter().find(|n| n.name == spec.name) {
                Some(n) if n.uuid != r.uuid => {
                    tracing::error!(network = %n.name, net = %r.id, "the libvirt network this private network needs is another's: left alone (its VMs cannot start until it is gone)");
                    continue;
                }
                // Made before networks carried the mark: define it again with it.
                Some(n) if n.owner != spec.owner => hv.define_network(&spec)?,
                _ => {}
            }
            hv.ensure_network(&spec)?;
        }
        let restored = self.store.restored_at()?.is_some();
        let now = self.clock.now();
        let (mut removed, mut found) = (0, Vec::new());
        for (n, gone) in have.iter().zip(gone) {
            if recs.iter().any(|r| r.uuid == n.uuid) {
                continue;
            }
            // Its UUID was one of our records (and the mark, when it has one, is ours).
            let proven = gone.is_some_and(|g| g.kind == HostKind::Network)
                && n.owner.is_none_or(|o| o.installation == ours);
            if proven && !restored {
                tracing::warn!(network = %n.name, "removing a private network this installation deleted");
                hv.remove_network(&n.name)?;
                removed += 1;
                continue;
            }
            let mark = n.owner.map(|o| o.installation);
            let state = if n.active { "active" } else { "inactive" };
            found.push(unmanaged::row(
                HostKind::Network,
                &n.name,
                state,
                mark,
                unmanaged::Why::of(ours, mark, restored).english(),
                now,
            ));
        }
        unmanaged::record(&self.store, now, &[HostKind::Network], found)?;
        Ok((recs.len(), removed))
    }
}

fn load(t: &impl ReadableTable<u64, &'static [u8]>, id: NetId) -> Result<PrivNetRecord, NetError> {
    match t.get(id.0)? {
        Some(v) => Ok(decode(v.value())?),
        None => Err(NetError::NotFound),
    }
}

/// `owner`'s network records, inside a write transaction.
fn owned_in(tx: &WriteTransaction, owner: UserId) -> Result<Vec<PrivNetRecord>, NetError> {
    let ids = holdings::of_kind(&tx.open_table(OWNER_HOLDINGS)?, owner, Kind::Network)?;
    let t = tx.open_table(PRIVATE_NETS)?;
    let mut out = Vec::new();
    for (id, _) in ids {
        out.push(load(&t, NetId(id))?);
    }
    Ok(out)
}

/// Put VM `vm` of `owner` on network `net` inside `tx`: the lowest free interface slot and the
/// lowest free address. A network of another owner is `NotFound`.
pub(crate) fn join_in(tx: &WriteTransaction, owner: UserId, vm: VmId, net: NetId) -> Result<Port, NetError> {
    let rec = load(&tx.open_table(PRIVATE_NETS)?, net)?;
    if rec.owner != owner {
        return Err(NetError::NotFound);
    }
    let mut vm_nets = tx.open_table(VM_NETS)?;
    if vm_nets.get((vm.0, net.0))?.is_some() {
        return Err(NetError::AlreadyAttached);
    }
    let mut slots = Vec::new();
    for row in vm_nets.range((vm.0, 0)..=(vm.0, u64::MAX))? {
        slots.push(row?.1.value().0);
    }
    let slot = (1..=MAX_PRIVATE_NICS).find(|s| !slots.contains(s)).ok_or(NetError::TooManyNics)?;
    let mut members = tx.open_table(NET_MEMBERS)?;
    let mut taken = Vec::new();
    for row in members.range((net.0, 0)..=(net.0, u64::MAX))? {
        taken.push(row?.1.value().1);
    }
    taken.sort_unstable();
    // The lowest index not taken: walk the sorted list until a gap.
    let mut index = 1u32;
    for t in taken {
        if t == index {
            index += 1;
        } else if t > index {
            break;
        }
    }
    if index > privnet::hosts(&rec.subnet) {
        return Err(NetError::Full);
    }
    vm_nets.insert((vm.0, net.0), (slot, index))?;
    members.insert((net.0, vm.0), (slot, index))?;
    Ok(Port {
        net,
        name: rec.name,
        subnet: rec.subnet,
        slot,
        address: privnet::host_address(&rec.subnet, index),
    })
}

/// Take VM `vm` off network `net` inside `tx`.
pub(crate) fn leave_in(tx: &WriteTransaction, vm: VmId, net: NetId) -> Result<(), NetError> {
    if tx.open_table(VM_NETS)?.remove((vm.0, net.0))?.is_none() {
        return Err(NetError::NotAttached);
    }
    tx.open_table(NET_MEMBERS)?.remove((net.0, vm.0))?;
    Ok(())
}

/// Take VM `vm` off every network inside `tx` (the VM is being deleted).
pub(crate) fn leave_all_in(tx: &WriteTransaction, vm: VmId) -> Result<(), NetError> {
    let nets: Vec<u64> = {
        let t = tx.open_table(VM_NETS)?;
        let mut out = Vec::new();
        for row in t.range((vm.0, 0)..=(vm.0, u64::MAX))? {
            out.push(row?.0.value().1);
        }
        out
    };
    for n in nets {
        leave_in(tx, vm, NetId(n))?;
    }
    Ok(())
}

/// `owner`'s networks with their member counts, by id, inside `tx`.
pub fn list_in(tx: &redb::ReadTransaction, owner: UserId) -> Result<Vec<NetSummary>, NetError> {
    let ids = holdings::of_kind(&tx.open_table(OWNER_HOLDINGS)?, owner, Kind::Network)?;
    let (nets, members) = (tx.open_table(PRIVATE_NETS)?, tx.open_table(NET_MEMBERS)?);
    let mut out = Vec::with_capacity(ids.len());
    for (id, _) in ids {
        let Some(v) = nets.get(id)? else { continue };
        let n = members.range((id, 0)..=(id, u64::MAX))?.count();
        out.push(NetSummary { net: decode(v.value())?, members: n });
    }
    Ok(out)
}

/// The networks VM `vm` is on, by slot.
pub fn ports_in(
    vm_nets: &impl ReadableTable<(u64, u64), (u8, u32)>,
    nets: &impl ReadableTable<u64, &'static [u8]>,
    vm: VmId,
) -> Result<Vec<Port>, NetError> {
    let mut out = Vec::new();
    for row in vm_nets.range((vm.0, 0)..=(vm.0, u64::MAX))? {
        let (k, v) = row?;
        let (slot, index) = v.value();
        let rec = load(nets, NetId(k.value().1))?;
        out.push(Port {
            net: rec.id,
            name: rec.name,
            subnet: rec.subnet,
            slot,
            address: privnet::host_address(&rec.subnet, index),
        });
    }
    out.sort_by_key(|p| p.slot);
    Ok(out)
}

#[cfg(test)]
#[path = "privnets_tests.rs"]
mod tests;
