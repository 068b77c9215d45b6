//! A VM's public addresses after create: extra IPv4 addresses customers add and remove within
//! their quota. The count is the VM's `spec.ipv4` (the plan's addresses plus extras), so quota
//! usage and billing see it; the filter of a defined domain is updated at once and the seed
//! carries the addresses to the next first boot.

use std::net::IpAddr;

use redb::ReadableTable;

use super::{StateProblem, VmError, Vms};
use crate::domain::catalog::PlanId;
use crate::domain::quota::{self, Amounts};
use crate::domain::vm::VmId;
use crate::service::audit;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::service::ipam::{self, Lease};
use crate::service::quotas::{limits_in, usage_in};
use crate::store::codec::decode;
use crate::store::records::{PlanRecord, VmPhase, VmRecord};
use crate::store::tables::{INTENTS, OWNER_HOLDINGS, OWNER_VMS, PLANS, QUOTAS, VMS};
use crate::store::{StoreError, vms};

/// Most public IPv4 addresses one VM may hold (as for plans).
pub const MAX_IPV4_PER_VM: u32 = 16;

/// The IPv4 addresses a VM's plan includes (extras are the rest).
pub(crate) fn plan_ipv4(tx: &redb::WriteTransaction, plan: PlanId) -> Result<u32, StoreError> {
    Ok(match tx.open_table(PLANS)?.get(plan.0)? {
        Some(v) => decode::<PlanRecord>(v.value())?.spec.ipv4,
        None => 0,
    })
}

/// Load a VM for a change of its addresses: visible, ready, nothing else running on it.
pub(crate) fn ready_vm(tx: &redb::WriteTransaction, caller: &Caller, id: VmId) -> Result<VmRecord, VmError> {
    let vm: VmRecord = match tx.open_table(VMS)?.get(id.0)? {
        Some(v) => decode(v.value())?,
        None => return Err(VmError::NotFound),
    };
    if !caller.sees(vm.owner) {
        return Err(VmError::NotFound);
    }
    if vm.phase != VmPhase::Ready || tx.open_table(INTENTS)?.get(id.0)?.is_some() {
        return Err(VmError::Busy("another operation is running"));
    }
    Ok(vm)
}

impl Vms {
    /// Give a VM one more public IPv4 address, within the account's quota (admins too: an
    /// admin raises the quota first).
    pub async fn add_ipv4(&self, caller: &Caller, id: VmId) -> Result<Lease, VmError> {
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        let (store, now, default) = (self.store.clone(), self.clock.now(), self.quota_default);
        let caller = caller.clone();
        let (vm, lease) = blocking(move || {
            let tx = store.write()?;
            let mut vm = ready_vm(&tx, &caller, id)?;
            if vm.spec.ipv4 >= MAX_IPV4_PER_VM {
                return Err(VmError::WrongState(StateProblem::MaxIpv4(MAX_IPV4_PER_VM)));
            }
            let limits = limits_in(&tx.open_table(QUOTAS)?, vm.owner, &default)?;
            let used = usage_in(&tx.open_table(OWNER_VMS)?, &tx.open_table(OWNER_HOLDINGS)?, vm.owner)?;
            quota::check(&limits, &used, &Amounts { ipv4: 1, ..Amounts::default() })?;
            let added = ipam::set_ipv4_count_in(&tx, vm.owner, vm.id, vm.spec.ipv4 + 1, now, 0)?;
            let lease =
                added.into_iter().next().ok_or(VmError::Ip(ipam::IpamError::NoFreeAddress("IPv4")))?;
            vm.spec.ipv4 += 1;
            vm.updated_at = now;
            vms::put(&tx, &vm)?;
            let detail = lease.address.0.to_string();
            audit::record(&tx, now, &caller, vm.owner, &format!("vm:{id}"), "vm.ip_add", &detail)?;
            tx.commit()?;
            Ok((vm, lease))
        })
        .await?;
        self.refresh_network(vm).await?;
        Ok(lease)
    }

    /// Take back an extra IPv4 address of a VM (the plan's own stay); it rests for the
    /// cool-down before anyone gets it again.
    pub async fn remove_ipv4(&self, caller: &Caller, id: VmId, addr: IpAddr) -> Result<(), VmError> {
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        let (store, now, cooldown) = (self.store.clone(), self.clock.now(), self.ip_cooldown_secs);
        let caller = caller.clone();
        let vm = blocking(move || {
            let tx = store.write()?;
            let mut vm = ready_vm(&tx, &caller, id)?;
            let leases = ipam::vm_leases_tx(&tx, id)?;
            let Some(lease) = leases.iter().find(|l| l.address.0 == addr && addr.is_ipv4()) else {
                return Err(VmError::NotFound);
            };
            let included = plan_ipv4(&tx, vm.plan)?;
            if vm.spec.ipv4 <= included {
                return Err(VmError::WrongState(StateProblem::IncludedIpv4(included)));
            }
            ipam::release_lease_in(&tx, lease, now, cooldown)?;
            vm.spec.ipv4 -= 1;
            vm.updated_at = now;
            vms::put(&tx, &vm)?;
            audit::record(
                &tx,
                now,
                &caller,
                vm.owner,
                &format!("vm:{id}"),
                "vm.ip_remove",
                addr.to_string(),
            )?;
            tx.commit()?;
            Ok(vm)
        })
        .await?;
        self.refresh_network(vm).await
    }

    /// Move a public IPv4 address to another VM (admins): both VMs' address counts, filters
    /// and seeds follow. Quotas are not checked: the admin decides.
    pub async fn move_ipv4(&self, addr: IpAddr, to: VmId, caller: &Caller) -> Result<(), VmError> {
        if !addr.is_ipv4() {
            return Err(VmError::WrongState(StateProblem::OnlyIpv4Moves));
        }
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        let (from, target) = blocking(move || {
            let tx = store.write()?;
            let mut target = ready_vm(&tx, &Caller::system(), to)?;
            let from = ipam::move_in(&tx, addr, target.owner, target.id)?;
            if from == Some(to) {
                return Err(VmError::WrongState(StateProblem::AlreadyHere(addr)));
            }
            let mut source = None;
            if let Some(from) = from {
                let mut vm = ready_vm(&tx, &Caller::system(), from)?;
                vm.spec.ipv4 = vm.spec.ipv4.saturating_sub(1);
                vm.updated_at = now;
                vms::put(&tx, &vm)?;
                let detail = format!("{addr} → {}", target.hostname);
                audit::record(&tx, now, &caller, vm.owner, &format!("vm:{from}"), "vm.ip_move_out", &detail)?;
                source = Some(vm);
            }
            target.spec.ipv4 += 1;
            target.updated_at = now;
            vms::put(&tx, &target)?;
            audit::record(
                &tx,
                now,
                &caller,
                target.owner,
                &format!("vm:{to}"),
                "vm.ip_move_in",
                addr.to_string(),
            )?;
            tx.commit()?;
            Ok((source, target))
        })
        .await?;
        if let Some(from) = from {
            self.refresh_network(from).await?;
        }
        self.refresh_network(target).await
    }

    /// Interface counters of every running VM with a public interface, for traffic accounting
    /// (blocking: hypervisor calls). A VM whose counters cannot be read is skipped this round.
    pub fn traffic_samples(&self) -> Result<Vec<(VmId, crate::hv::NicCounters)>, VmError> {
        let hv = self.hv()?;
        let mut out = Vec::new();
        for vm in self.records()? {
            if vm.phase != VmPhase::Ready || !vm.power.is_active() {
                continue;
            }
            let Some(nic) = self.public_nic(&vm) else { continue };
            match hv.nic_counters(&vm.uuid, &nic.mac) {
                Ok(Some(c)) => out.push((vm.id, c)),
                Ok(None) => {}
                Err(e) => tracing::debug!(vm = %vm.id, "no interface counters: {e}"),
            }
        }
        Ok(out)
    }

    /// Book a running VM's last traffic before vpsbox powers it off (its counters end with the
    /// domain). Best effort: a failure is logged, the power action goes on.
    pub(crate) fn book_final_traffic(&self, hv: &dyn crate::hv::Hypervisor, vm: &VmRecord) {
        let Some(nic) = self.public_nic(vm) else { return };
        let booked = match hv.nic_counters(&vm.uuid, &nic.mac) {
            Ok(Some(c)) => self.traffic.record_now(vec![(vm.id, c)]).map_err(|e| e.to_string()),
            Ok(None) => Ok(()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = booked {
            tracing::warn!(vm = %vm.id, "last traffic before power-off not booked: {e}");
        }
    }

    /// After a VM's addresses changed: its filter (applied to a running domain at once) and its
    /// seed (for the next first boot). A hypervisor that is down gets the filter at the next
    /// define; the change itself stands.
    async fn refresh_network(&self, vm: VmRecord) -> Result<(), VmError> {
        let this = self.clone();
        blocking(move || {
            this.write_seed(&vm)?;
            match this.hv() {
                Ok(hv) if hv.state(&vm.uuid)?.is_some() => this.define_vm(hv.as_ref(), &vm),
                Ok(_) => Ok(()),
                Err(e) => {
                    tracing::warn!(vm = %vm.id, "addresses changed while the hypervisor is unavailable: {e}");
                    Ok(())
                }
            }
        })
        .await
    }
}

impl Vms {
    /// The public network vpsbox keeps (`network.public_network`), with the host on each IP
    /// pool's gateway (link-local IPv6 gateways are the router's own and are left out).
    pub fn public_network_spec(&self) -> Result<Option<crate::domain::privnet::NetworkSpec>, VmError> {
        if self.public_network.is_empty() {
            return Ok(None);
        }
        let tx = self.store.read()?;
        let mut gateways = Vec::new();
        for row in tx.open_table(crate::store::tables::IP_POOLS)?.iter()? {
            let pool: crate::store::records::PoolRecord = decode(row?.1.value())?;
            let gw = pool.spec.gateway;
            let link_local = matches!(gw, IpAddr::V6(a) if a.segments()[0] & 0xffc0 == 0xfe80);
            if !link_local {
                gateways.push((gw, pool.spec.network.len));
            }
        }
        Ok(Some(crate::domain::privnet::NetworkSpec::public(&self.public_network, gateways)))
    }

    /// Make the public network exist and run with the pools' gateways (blocking). A running
    /// network whose gateways changed gets the new definition for its next start, with a
    /// warning: restarting it would cut the VMs on it off.
    pub fn ensure_public_network(&self) -> Result<(), VmError> {
        let Some(spec) = self.public_network_spec()? else { return Ok(()) };
        let hv = self.hv()?;
        hv.define_network(&spec)?;
        hv.ensure_network(&spec)?;
        let live = hv.network_xml(&spec.name)?.map(|(x, _)| x).unwrap_or_default();
        for (addr, len) in &spec.host_addresses {
            if !live.contains(&format!("address='{addr}'")) {
                tracing::warn!(
                    network = %spec.name,
                    "the public network runs without gateway {addr}/{len}; it is in its definition and \
                     takes effect when the network restarts (virsh net-destroy/net-start with no VM on it)"
                );
            }
        }
        Ok(())
    }
}
