//! The multi-step operations: create (ordered in [`super::create`]), reinstall, resize and delete. Each writes its intent in
//! the same transaction that reserves its resources, then runs the steps it has not done yet,
//! marking each done; `run_intent` is the one runner for fresh operations and for recovery.

use redb::ReadableTable;

use super::{StateProblem, VmError, Vms};
use crate::domain::account::UserId;
use crate::domain::catalog::{PlanId, PlanSpec, TemplateId};
use crate::domain::cloudinit::{GuestNic, SeedInput};
use crate::domain::quota;
use crate::domain::vm::{DomainKind, DomainOwner, FilterSpec, PowerState, VmId, mac_of};
use crate::host::{images, seed};
use crate::hv::Hypervisor;
use crate::i18n::Msg;
use crate::service::audit;
use crate::service::caller::Caller;
use crate::service::notices::notify_in;
use crate::service::quotas::{limits_in, usage_in, vm_usage};
use crate::service::{Coded, blocking};
use crate::service::{disks, ipam, privnets};
use crate::store::codec::{decode, encode};
use crate::store::host::{GoneRecord, HostKind};
use crate::store::notices::Audience;
use crate::store::operations::{self, OpState};
use crate::store::records::{IntentOp, IntentRecord, Step, VmPhase, VmRecord};
use crate::store::tables::{
    INTENTS, OWNER_HOLDINGS, OWNER_VMS, QUOTAS, VM_BY_UUID, VM_DELETIONS, VM_HOSTNAMES, VM_RESTORES, VMS,
};
use crate::store::vms;

/// The key of a hostname in `VM_HOSTNAMES` (unique per account).
pub(crate) fn hostname_key(owner: UserId, hostname: &str) -> String {
    format!("{}/{hostname}", owner.0)
}

/// The record of VM `id` in `t`.
pub(super) fn load_vm(t: &impl ReadableTable<u64, &'static [u8]>, id: VmId) -> Result<VmRecord, VmError> {
    match t.get(id.0)? {
        Some(v) => Ok(decode(v.value())?),
        None => Err(VmError::NotFound),
    }
}

/// Why a run of steps ended without finishing.
enum Stop {
    /// A step failed.
    Failed(VmError),
    /// The test hook stopped it (the "process died").
    Halted,
}

impl From<VmError> for Stop {
    fn from(e: VmError) -> Self {
        Stop::Failed(e)
    }
}

impl Vms {
    /// Start an intent's steps in the background.
    pub(crate) fn spawn_intent(&self, id: VmId) {
        let this = self.clone();
        tokio::spawn(async move {
            if let Err(e) = this.run_intent(id).await {
                tracing::error!(vm = %id, code = e.code(), "VM operation failed: {e}");
            }
        });
    }

    /// Run the steps of `id`'s intent that are not done yet, then finish it. Holding the VM's
    /// lock, so a fresh run and a recovery never overlap.
    pub async fn run_intent(&self, id: VmId) -> Result<(), VmError> {
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        let Some(intent) = self.intent(id)? else {
            return Ok(());
        };
        let this = self.clone();
        let outcome = blocking(move || {
            Ok::<_, VmError>(match this.run_steps(&intent) {
                Ok(()) => Ok(intent),
                Err(stop) => Err((intent, stop)),
            })
        })
        .await?;
        match outcome {
            Ok(intent) => self.finish(intent).await,
            Err((_, Stop::Halted)) => Ok(()),
            Err((intent, Stop::Failed(e))) => {
                self.fail(intent, &e).await?;
                Err(e)
            }
        }
    }

    /// The blocking part: each step not done yet, marked done as it completes.
    fn run_steps(&self, intent: &IntentRecord) -> Result<(), Stop> {
        for step in intent.op.steps() {
            if intent.done.contains(step) {
                continue;
            }
            let vm = self.get(&Caller::system(), intent.vm)?;
            self.do_step(&vm, *step)?;
            self.mark_done(intent.vm, *step)?;
            if self.halts_after(*step) {
                tracing::warn!(vm = %vm.id, ?step, "halted after step (test hook)");
                return Err(Stop::Halted);
            }
        }
        Ok(())
    }

    pub(super) fn do_step(&self, vm: &VmRecord, step: Step) -> Result<(), VmError> {
        match step {
            Step::Reserve => Ok(()),
            Step::Stop => {
                let hv = self.hv()?;
                if hv.state(&vm.uuid)?.is_some_and(|s| s.is_active()) {
                    self.book_final_traffic(hv.as_ref(), vm);
                    hv.destroy(&vm.uuid)?;
                }
                Ok(())
            }
            Step::Disk => {
                images::ensure_dir(&self.paths.disks())?;
                let restore = {
                    let tx = self.store.read()?;
                    crate::store::backups::restore_source_of(&tx.open_table(VM_RESTORES)?, vm.id)?
                };
                if let Some(r) = restore {
                    // The backup's chain flattened into a standalone disk, grown to the plan.
                    let disk = self.paths.disk(&vm.uuid);
                    let staged = crate::host::backup_files::Names::of(&disk).partial;
                    crate::host::backup_files::flatten(std::path::Path::new(&r.file), &staged)?;
                    images::grow(&staged, vm.spec.disk_gb)?;
                    images::prepare_disk_file(&staged)?;
                    std::fs::rename(&staged, &disk)
                        .map_err(|source| images::ImageError::Io { path: disk.clone(), source })?;
                    return Ok(());
                }
                let t = self.templates.get(vm.template)?;
                images::create_overlay(
                    &self.templates.path_of(&t),
                    t.format,
                    &self.paths.disk(&vm.uuid),
                    vm.spec.disk_gb,
                )?;
                Ok(())
            }
            Step::Seed => self.write_seed(vm),
            Step::Define => {
                let hv = self.hv()?;
                images::ensure_dir(&self.paths.logs())?;
                self.define_vm(hv.as_ref(), vm)
            }
            Step::Start => {
                let hv = self.hv()?;
                if !hv.state(&vm.uuid)?.is_some_and(|s| s.is_active()) {
                    hv.start(&vm.uuid)?;
                }
                Ok(())
            }
            Step::Undefine => {
                let hv = self.hv()?;
                if hv.state(&vm.uuid)?.is_some() {
                    hv.undefine(&vm.uuid)?;
                }
                if self.domain_kind(hv.as_ref())? != DomainKind::Test {
                    hv.undefine_filter(&vm.uuid)?;
                }
                Ok(())
            }
            Step::RemoveFiles => {
                self.remove_rescue_files(vm)?;
                images::remove_if_exists(&self.paths.disk(&vm.uuid))?;
                images::remove_if_exists(&self.paths.seed(&vm.uuid))?;
                images::remove_if_exists(&self.paths.serial_log(&vm.uuid))?;
                Ok(())
            }
            Step::GrowDisk => Ok(images::grow(&self.paths.disk(&vm.uuid), vm.spec.disk_gb)?),
            Step::RescueDisk => self.make_rescue_files(vm),
            Step::RemoveRescue => self.remove_rescue_files(vm),
            Step::TakeSnapshot => self.take_snapshot_step(vm),
            Step::RevertSnapshot => self.revert_snapshot_step(vm),
            Step::DeleteSnapshot => self.delete_snapshot_step(vm),
        }
    }

    /// Define a VM's domain from its record, with the network filter of its public interface
    /// first (the test driver has no filters). Both are idempotent.
    pub(crate) fn define_vm(&self, hv: &dyn Hypervisor, vm: &VmRecord) -> Result<(), VmError> {
        let kind = self.domain_kind(hv)?;
        let spec = self.spec_of(vm, kind)?;
        if kind != DomainKind::Test && spec.nics.iter().any(|n| n.filter.is_some()) {
            hv.define_filter(&self.filter_of(vm)?)?;
        }
        hv.define(&spec)?;
        Ok(())
    }

    /// What a VM's public interface may send from: its leased units.
    pub(crate) fn filter_of(&self, vm: &VmRecord) -> Result<FilterSpec, VmError> {
        let owner = Some(DomainOwner { installation: self.store.installation_id(), vm: vm.id });
        let mut f =
            FilterSpec { uuid: vm.uuid, ipv4: vec![], ipv6: vec![], firewall: self.firewall(vm.id)?, owner };
        for l in ipam::vm_leases_in(&self.store.read()?, vm.id)? {
            match l.unit.0 {
                std::net::IpAddr::V4(a) => f.ipv4.push(a),
                std::net::IpAddr::V6(a) => f.ipv6.push((a, l.unit.1)),
            }
        }
        Ok(f)
    }

    /// The guest's interfaces: the public one (`eth0`: its leased addresses, or DHCP when it
    /// holds none, as the image would do by itself), then one per private network
    /// (`eth<slot>`, no gateway).
    pub(crate) fn guest_nics(&self, vm: &VmRecord) -> Result<Vec<GuestNic>, VmError> {
        let leases = ipam::vm_leases_in(&self.store.read()?, vm.id)?;
        let mut out = Vec::new();
        {
            let mac = mac_of(vm.id, 0).ok_or(VmError::MacSpace)?;
            let mut nic =
                GuestNic { name: "eth0".into(), mac, addresses: vec![], gateways: vec![], dns: vec![] };
            for l in leases {
                nic.addresses.push(l.address);
                if !nic.gateways.iter().any(|g| g.is_ipv4() == l.gateway.is_ipv4()) {
                    nic.gateways.push(l.gateway);
                }
                for d in l.dns {
                    if !nic.dns.contains(&d) {
                        nic.dns.push(d);
                    }
                }
            }
            out.push(nic);
        }
        for p in self.ports(vm)? {
            out.push(GuestNic {
                name: format!("eth{}", p.slot),
                mac: mac_of(vm.id, p.slot).ok_or(VmError::MacSpace)?,
                addresses: vec![(std::net::IpAddr::V4(p.address), p.subnet.len)],
                gateways: vec![],
                dns: vec![],
            });
        }
        Ok(out)
    }

    /// The login user of the VM's template (`None` when the template is gone or names none).
    fn template_login_user(&self, vm: &VmRecord) -> Option<String> {
        self.templates.get(vm.template).ok().and_then(|t| t.login_user)
    }

    /// (Re)write a VM's cloud-init seed from its record.
    pub(crate) fn write_seed(&self, vm: &VmRecord) -> Result<(), VmError> {
        images::ensure_dir(&self.paths.seeds())?;
        let input = SeedInput {
            instance_id: vm.uuid.to_string(),
            hostname: vm.hostname.clone(),
            root_password_hash: vm.root_password_hash.clone(),
            ssh_keys: vm.ssh_keys.clone(),
            login_user: self.template_login_user(vm),
            nics: self.guest_nics(vm)?,
        };
        Ok(seed::write_seed(&self.paths.seed(&vm.uuid), &input, self.clock.now())?)
    }

    fn mark_done(&self, id: VmId, step: Step) -> Result<(), VmError> {
        let tx = self.store.write()?;
        {
            let mut t = tx.open_table(INTENTS)?;
            let mut intent: IntentRecord = match t.get(id.0)? {
                Some(v) => decode(v.value())?,
                None => return Ok(()),
            };
            if !intent.done.contains(&step) {
                intent.done.push(step);
            }
            t.insert(id.0, encode(&intent)?.as_slice())?;
        }
        tx.commit()?;
        Ok(())
    }

    /// All steps done: settle the record and drop the intent.
    async fn finish(&self, intent: IntentRecord) -> Result<(), VmError> {
        let power = match intent.op {
            IntentOp::Delete => None,
            _ => {
                let (hv, vm) = (self.hv()?, self.get(&Caller::system(), intent.vm)?);
                blocking(move || Ok::<_, VmError>(hv.state(&vm.uuid)?)).await?
            }
        };
        let (store, now, cooldown) = (self.store.clone(), self.clock.now(), self.ip_cooldown_secs);
        blocking(move || {
            let tx = store.write()?;
            let vm = load_vm(&tx.open_table(VMS)?, intent.vm)?;
            tx.open_table(INTENTS)?.remove(intent.vm.0)?;
            tx.open_table(VM_RESTORES)?.remove(intent.vm.0)?;
            operations::end(&tx, intent.vm, OpState::Succeeded, now)?;
            match intent.op {
                IntentOp::Delete => {
                    tx.open_table(VM_DELETIONS)?.remove(vm.id.0)?;
                    vms::remove(&tx, &vm)?;
                    // Proof for reconcile that a domain, filter or file left under this UUID
                    // is ours to remove.
                    let gone = GoneRecord { kind: HostKind::Domain, id: vm.id.0, at: now };
                    crate::store::host::bury(&tx, &vm.uuid.to_string(), &gone)?;
                    ipam::release_vm_in(&tx, vm.id, now, cooldown)?;
                    privnets::leave_all_in(&tx, vm.id)?;
                    disks::detach_all_in(&tx, vm.id)?;
                    tx.open_table(crate::store::tables::VM_FIREWALLS)?.remove(vm.id.0)?;
                    crate::service::traffic::forget_in(&tx, vm.id)?;
                    crate::service::usage::forget_in(&tx, vm.id)?;
                    tx.open_table(crate::store::tables::ABUSE_CASES)?.remove(vm.id.0)?;
                    tx.open_table(crate::store::tables::VM_RESCUE)?.remove(vm.id.0)?;
                    super::snapshots::forget_in(&tx, &vm, now)?;
                    crate::store::limits::forget_in(&tx, vm.id)?;
                    crate::store::isos::set_vm(&tx, vm.id, None)?;
                    crate::store::backups::remove_schedules_of_vm(&tx, vm.id)?;
                    tx.open_table(VM_BY_UUID)?.remove(vm.uuid.to_string().as_str())?;
                    tx.open_table(VM_HOSTNAMES)?.remove(hostname_key(vm.owner, &vm.hostname).as_str())?;
                    // Logged (and told to webhooks) while the service id is still known.
                    super::log_system(&tx, now, &vm, "vm.deleted", &vm.hostname)?;
                    // The billing system's id of the service is free again.
                    vms::set_external(&tx, vm.id, None)?;
                }
                op => {
                    let mut vm = vm;
                    vm.phase = VmPhase::Ready;
                    vm.power = power.unwrap_or(PowerState::Shutoff);
                    vm.updated_at = now;
                    vms::put(&tx, &vm)?;
                    let (action, detail) = match op {
                        IntentOp::Create => ("vm.created", power_detail(vm.power)),
                        IntentOp::Reinstall => ("vm.reinstalled", power_detail(vm.power)),
                        IntentOp::Rescue => ("vm.rescued", power_detail(vm.power)),
                        IntentOp::Unrescue => ("vm.unrescued", power_detail(vm.power)),
                        IntentOp::Snapshot | IntentOp::RevertSnapshot | IntentOp::DeleteSnapshot => {
                            let (action, label) = super::snapshots::settle_in(&tx, &vm, op, now, true)?;
                            (action, label.into())
                        }
                        _ => ("vm.resized", power_detail(vm.power)),
                    };
                    super::log_system(&tx, now, &vm, action, detail)?;
                    if let Some(n) = super::rescue::rescue_notice(op, &vm, None) {
                        notify_in(&tx, now, Audience::User(vm.owner), n)?;
                    }
                }
            }
            tx.commit()?;
            tracing::info!(vm = %intent.vm, op = ?intent.op, "VM operation finished");
            Ok(())
        })
        .await
    }

    /// A step failed. Create and reinstall give up and clean up; delete and resize keep their
    /// intent, so recovery retries them (e.g. once the hypervisor answers again).
    async fn fail(&self, intent: IntentRecord, e: &VmError) -> Result<(), VmError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        let (code, message) = (e.code().to_string(), e.to_string());
        tracing::error!(vm = %intent.vm, op = ?intent.op, code, "VM operation failed: {message}");
        match intent.op {
            IntentOp::Delete | IntentOp::Resize | IntentOp::Unrescue => {
                blocking(move || {
                    let tx = store.write()?;
                    operations::note_error(&tx, intent.vm, &code, &message)?;
                    tx.commit()?;
                    Ok(())
                })
                .await
            }
            IntentOp::Rescue => self.rescue_failed(intent, code, message).await,
            IntentOp::Snapshot | IntentOp::RevertSnapshot | IntentOp::DeleteSnapshot => {
                self.snapshot_failed(intent, code, message).await
            }
            IntentOp::Create | IntentOp::Reinstall => {
                let this = self.clone();
                blocking(move || {
                    let tx = store.write()?;
                    let mut vm = load_vm(&tx.open_table(VMS)?, intent.vm)?;
                    tx.open_table(INTENTS)?.remove(intent.vm.0)?;
                    tx.open_table(VM_RESTORES)?.remove(intent.vm.0)?;
                    let failed = OpState::Failed { code: code.clone(), message: message.clone() };
                    operations::end(&tx, intent.vm, failed, now)?;
                    vm.updated_at = now;
                    let action = if intent.op == IntentOp::Create {
                        // Its addresses were never reachable: free at once, no rest.
                        ipam::release_vm_in(&tx, vm.id, now, 0)?;
                        privnets::leave_all_in(&tx, vm.id)?;
                        disks::detach_all_in(&tx, vm.id)?;
                        vm.phase = VmPhase::Failed { code: code.clone(), message: message.clone() };
                        "vm.create_failed"
                    } else {
                        vm.phase = VmPhase::Ready;
                        vm.power = PowerState::Shutoff;
                        "vm.reinstall_failed"
                    };
                    vms::put(&tx, &vm)?;
                    let detail = format!("{code}: {message}");
                    super::log_system(&tx, now, &vm, action, &detail)?;
                    tx.commit()?;
                    if intent.op == IntentOp::Create {
                        // Nothing of a failed VM stays on the host (best effort; reconcile
                        // removes a domain the hypervisor would not let go of now).
                        for step in [Step::Stop, Step::Undefine, Step::RemoveFiles] {
                            if let Err(e) = this.do_step(&vm, step) {
                                tracing::warn!(vm = %vm.id, ?step, "cleanup after failed create: {e}");
                            }
                        }
                    }
                    Ok(())
                })
                .await
            }
        }
    }

    /// Begin an operation on an existing VM: checks, intent and record changes in one
    /// transaction, then the steps in the background.
    pub(super) async fn begin(
        &self,
        caller: &Caller,
        id: VmId,
        op: IntentOp,
        change: impl FnOnce(&mut VmRecord, &redb::WriteTransaction) -> Result<audit::Detail, VmError>
        + Send
        + 'static,
    ) -> Result<u64, VmError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        let operation = blocking(move || {
            let tx = store.write()?;
            let mut vm = load_vm(&tx.open_table(VMS)?, id)?;
            if !caller.sees(vm.owner) {
                return Err(VmError::NotFound);
            }
            if tx.open_table(INTENTS)?.get(id.0)?.is_some() {
                return Err(VmError::Busy("another operation is running"));
            }
            if op != IntentOp::Delete
                && crate::store::deletions::of(&tx.open_table(VM_DELETIONS)?, id)?.is_some()
            {
                return Err(VmError::DeletionPending);
            }
            let failed = matches!(vm.phase, VmPhase::Failed { .. });
            if vm.phase != VmPhase::Ready && !(failed && op == IntentOp::Delete) {
                return Err(VmError::Busy("it is not ready"));
            }
            let detail = change(&mut vm, &tx)?;
            vm.phase = match op {
                IntentOp::Delete => VmPhase::Deleting,
                IntentOp::Reinstall => VmPhase::Reinstalling,
                _ => vm.phase.clone(),
            };
            vm.updated_at = now;
            vms::put(&tx, &vm)?;
            let intent = IntentRecord { vm: id, op, done: vec![], started_at: now };
            tx.open_table(INTENTS)?.insert(id.0, encode(&intent)?.as_slice())?;
            let operation = operations::begin(&tx, id, vm.owner, op, now)?;
            let action = match op {
                IntentOp::Delete => "vm.delete",
                IntentOp::Reinstall => "vm.reinstall",
                IntentOp::Resize => "vm.resize",
                IntentOp::Create => "vm.create",
                IntentOp::Rescue => "vm.rescue",
                IntentOp::Unrescue => "vm.unrescue",
                IntentOp::Snapshot => "vm.snapshot",
                IntentOp::RevertSnapshot => "vm.snapshot_revert",
                IntentOp::DeleteSnapshot => "vm.snapshot_delete",
            };
            audit::record(&tx, now, &caller, vm.owner, &format!("vm:{id}"), action, detail)?;
            tx.commit()?;
            Ok(operation)
        })
        .await?;
        self.spawn_intent(id);
        Ok(operation)
    }

    /// Delete a VM: the caller typed its hostname to confirm. Frees its quota when done. The
    /// operation's id.
    pub async fn delete(&self, caller: &Caller, id: VmId, confirm: &str) -> Result<u64, VmError> {
        let vm = self.get(caller, id)?;
        if confirm.trim().to_ascii_lowercase().trim_end_matches('.') != vm.hostname {
            return Err(VmError::ConfirmMismatch);
        }
        if !matches!(vm.phase, VmPhase::Failed { .. }) {
            self.hv()?;
        }
        self.begin(caller, id, IntentOp::Delete, |vm, _| Ok(vm.hostname.clone().into())).await
    }

    /// Reinstall from `template`: a fresh disk, same hostname, UUID, keys and password. The
    /// operation's id.
    pub async fn reinstall(&self, caller: &Caller, id: VmId, template: TemplateId) -> Result<u64, VmError> {
        let vm = self.get(caller, id)?;
        let t =
            self.templates.get(template).ok().filter(|t| t.enabled).ok_or(VmError::TemplateUnavailable)?;
        if vm.spec.disk_gb < u64::from(t.min_disk_gb) {
            return Err(VmError::DiskTooSmall {
                template: t.name,
                min: u64::from(t.min_disk_gb),
                disk: vm.spec.disk_gb,
            });
        }
        self.hv()?;
        self.begin(caller, id, IntentOp::Reinstall, move |vm, tx| {
            if crate::store::rescue::of(&tx.open_table(crate::store::tables::VM_RESCUE)?, vm.id)?.is_some() {
                return Err(VmError::InRescue);
            }
            super::snapshots::refuse_with_snapshots(tx, vm.id)?;
            vm.template = t.id;
            vm.template_name = t.name.clone();
            Ok(audit::told(Msg::AuditReinstall, vec![("template", t.name.clone().into())]))
        })
        .await
    }

    /// Move a stopped VM to another plan: vCPU and RAM change, the disk only grows. The quota
    /// takes the difference, checked in the same transaction. The operation's id.
    pub async fn resize(&self, caller: &Caller, id: VmId, plan: PlanId) -> Result<u64, VmError> {
        let vm = self.get(caller, id)?;
        let p = self.plans.get(plan).ok().filter(|p| p.enabled).ok_or(VmError::PlanUnavailable)?;
        if p.spec.disk_gb < vm.spec.disk_gb {
            return Err(VmError::DiskShrink { new: p.spec.disk_gb, old: vm.spec.disk_gb });
        }
        let hv = self.hv()?;
        let uuid = vm.uuid;
        let state = blocking(move || Ok::<_, VmError>(hv.state(&uuid)?)).await?;
        if state.is_some_and(|s| s.is_active()) {
            return Err(VmError::WrongState(StateProblem::RunningResize));
        }
        let (default, now, cooldown) = (self.quota_default, self.clock.now(), self.ip_cooldown_secs);
        self.begin(caller, id, IntentOp::Resize, move |vm, tx| {
            let limits = limits_in(&tx.open_table(QUOTAS)?, vm.owner, &default)?;
            let used = usage_in(&tx.open_table(OWNER_VMS)?, &tx.open_table(OWNER_HOLDINGS)?, vm.owner)?;
            let before = vm_usage(&vm.phase, &vm.spec);
            let old_name = vm.plan_name.clone();
            // Extra addresses the customer added stay; the plan's own follow the new plan.
            let extra = vm.spec.ipv4.saturating_sub(super::network::plan_ipv4(tx, vm.plan)?);
            vm.plan = p.id;
            vm.plan_name = p.name.clone();
            vm.spec = PlanSpec { ipv4: p.spec.ipv4 + extra, ..p.spec };
            let after = vm_usage(&vm.phase, &vm.spec);
            let mut add = quota::Amounts::default();
            let mut base = used;
            for r in quota::Resource::ALL {
                let (b, a) = (before.get(r), after.get(r));
                add.set(r, a.saturating_sub(b));
                base.set(r, used.get(r).saturating_sub(b.saturating_sub(a)));
            }
            quota::check(&limits, &base, &add)?;
            ipam::set_ipv4_count_in(tx, vm.owner, vm.id, vm.spec.ipv4, now, cooldown)?;
            Ok(format!("{old_name} → {}", p.name).into())
        })
        .await
    }
}

/// A power state in an audit entry's details, in each reader's language.
pub(super) fn power_detail(state: PowerState) -> audit::Detail {
    audit::told(Msg::AuditPower, vec![("state", state.as_str().replace(' ', "-").into())])
}
