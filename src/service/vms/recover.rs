//! Recovery and reconcile. On start (and then periodically) unfinished intents are resumed, and
//! the records in redb are compared with the domains libvirt has: a missing domain is defined
//! again (and started, as a platform fault, when it was meant to run), a domain, filter or
//! file of a VM this installation deleted is removed, a stale power state is corrected. What
//! carries our names but cannot be proven ours is never touched: it is listed as unmanaged
//! (`service::unmanaged`). Each repair is logged.

use crate::service::Caller;
use std::collections::{HashMap, HashSet};

use redb::ReadableTable;
use uuid::Uuid;

use super::{VmError, Vms};
use crate::domain::vm::{DOMAIN_PREFIX, DomainOwner, FilterSpec, PowerState, StopReason, VmId};
use crate::host::images;
use crate::hv::DomainInfo;
use crate::service::{blocking, unmanaged};
use crate::store::codec::decode;
use crate::store::host::{self, GoneRecord, HostKind};
use crate::store::records::{IntentRecord, VmPhase, VmRecord};
use crate::store::tables::{GONE, INTENTS};

/// What a reconcile pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReconcileReport {
    /// Domains seen.
    pub domains: usize,
    /// VMs whose missing domain was defined again.
    pub redefined: usize,
    /// Domains of VMs this installation deleted, found still there and removed.
    pub removed_unknown: usize,
    /// Domains of failed creates that were removed.
    pub removed_failed: usize,
    /// Power states corrected in the records.
    pub power_corrected: usize,
    /// Files that belonged to no VM and were deleted.
    pub orphan_files: usize,
    /// Network filters of VMs that no longer exist, removed.
    pub removed_filters: usize,
    /// Network filters of VMs that were missing or held other addresses, defined again.
    pub filters_defined: usize,
    /// Domains with our prefix this installation cannot prove are its own: left alone, listed
    /// as unmanaged.
    pub kept_unknown: usize,
    /// Domains of ours defined again to carry the installation's mark.
    pub marked: usize,
}

impl ReconcileReport {
    /// Whether anything was repaired.
    pub fn repaired(&self) -> bool {
        self.redefined
            + self.removed_unknown
            + self.removed_failed
            + self.power_corrected
            + self.orphan_files
            + self.removed_filters
            + self.filters_defined
            + self.marked
            > 0
    }
}

/// Files younger than this are never swept as orphans (a create may be making them).
const ORPHAN_MIN_AGE_SECS: u64 = 120;

/// Whether a filter's XML (as libvirt prints it) allows exactly the addresses of `want`.
fn filter_matches(xml: &str, want: &crate::domain::vm::FilterSpec) -> bool {
    let v4_ok = want.ipv4.iter().all(|a| xml.contains(&format!("<ip srcipaddr='{a}'/>")));
    let v6_ok = want.ipv6.iter().all(|(n, l)| xml.contains(&format!("srcipaddr='{n}' srcipmask='{l}'")));
    // Besides its own units, the IPv6 rules allow link-local and `::`.
    // The firewall's rules carry its digest; an open firewall has no rules at all.
    let tag = crate::hv::xml::FIREWALL_TAG;
    let fw_ok = if want.firewall.is_open() {
        !xml.contains(tag)
    } else {
        let current = format!("{tag}{}", want.firewall.digest());
        xml.contains(&current) && xml.matches(tag).count() == xml.matches(&current).count()
    };
    // The owner's mark (filters made before filters carried it lack it).
    let mark_ok = want.owner.is_none_or(|o| xml.contains(&o.filter_mark()));
    v4_ok
        && v6_ok
        && fw_ok
        && mark_ok
        && xml.matches("<ip srcipaddr=").count() == want.ipv4.len()
        && xml.matches("<ipv6 srcipaddr=").count() == want.ipv6.len() + 2
}

impl Vms {
    /// Unfinished intents, by VM.
    pub fn intents(&self) -> Result<Vec<IntentRecord>, VmError> {
        let tx = self.store.read()?;
        let t = tx.open_table(INTENTS)?;
        let mut out = Vec::new();
        for row in t.iter()? {
            let (_, v) = row?;
            out.push(decode(v.value())?);
        }
        Ok(out)
    }

    /// Run every unfinished intent to its end (roll forward; a create that cannot finish is
    /// rolled back). Returns how many there were.
    pub async fn recover(&self) -> Result<usize, VmError> {
        let intents = self.intents()?;
        for i in &intents {
            tracing::warn!(vm = %i.vm, op = ?i.op, done = ?i.done, "resuming an unfinished operation");
            if let Err(e) = self.run_intent(i.vm).await {
                tracing::error!(vm = %i.vm, "resumed operation failed: {e}");
            }
        }
        Ok(intents.len())
    }

    /// Compare redb with libvirt and repair drift. Only what this installation can prove is
    /// its own is changed or removed: a domain, filter or file goes when its UUID is one this
    /// state deleted (and any mark on it is ours), or when its VM's create failed. Everything
    /// else with our names is left alone and listed as unmanaged.
    pub async fn reconcile(&self) -> Result<ReconcileReport, VmError> {
        let hv = self.hv()?;
        let vms = self.records()?;
        let busy: HashSet<VmId> = self.intents()?.into_iter().map(|i| i.vm).collect();
        let this = self.clone();
        let (report, fixes) = blocking(move || {
            let ours = this.store.installation_id();
            let now = this.clock.now();
            let domains = hv.list(DOMAIN_PREFIX)?;
            let mut report = ReconcileReport { domains: domains.len(), ..Default::default() };
            let by_uuid: HashMap<Uuid, &DomainInfo> = domains.iter().map(|d| (d.uuid, d)).collect();
            let known: HashMap<Uuid, &VmRecord> = vms.iter().map(|v| (v.uuid, v)).collect();
            let mut fixes: Vec<(VmRecord, &'static str, &'static str)> = Vec::new();
            // After a restore from a copy, what the state does not know may be a customer's VM
            // made after the copy was taken: report it, never remove it.
            let restored = this.store.restored_at()?.is_some();
            let mut found = Vec::new();
            for d in &domains {
                // Checked again now: a VM ordered after the snapshot above is not a stray.
                if known.contains_key(&d.uuid) || this.uuid_known(&d.uuid)? {
                    continue;
                }
                let mark = d.owner.map(|o| o.installation);
                if !restored && mark == Some(ours) && this.gone(&d.uuid)?.is_some() {
                    tracing::warn!(domain = d.name, "removing the domain of a VM this installation deleted");
                    if d.state.is_active() {
                        hv.destroy(&d.uuid)?;
                    }
                    hv.undefine(&d.uuid)?;
                    report.removed_unknown += 1;
                    continue;
                }
                let mut row = unmanaged::row(
                    HostKind::Domain,
                    &d.name,
                    d.state.as_str(),
                    mark,
                    unmanaged::Why::of(ours, mark, restored).english(),
                    now,
                );
                row.disks = d.disks.clone();
                found.push(row);
                report.kept_unknown += 1;
            }
            for vm in &vms {
                if busy.contains(&vm.id) {
                    continue;
                }
                match (&vm.phase, by_uuid.get(&vm.uuid)) {
                    (VmPhase::Failed { .. }, Some(d)) => {
                        if d.state.is_active() {
                            hv.destroy(&vm.uuid)?;
                        }
                        hv.undefine(&vm.uuid)?;
                        report.removed_failed += 1;
                    }
                    (VmPhase::Ready, None) => {
                        tracing::warn!(vm = %vm.id, "domain missing: defining it again");
                        let detail = this.revive(hv.as_ref(), vm)?;
                        fixes.push((vm.clone(), "vm.repaired", detail));
                        report.redefined += 1;
                    }
                    (VmPhase::Ready, Some(d)) => {
                        // Defined before domains carried the mark: define it again with it.
                        if d.owner != Some(DomainOwner { installation: ours, vm: vm.id }) {
                            tracing::info!(vm = %vm.id, "marking the domain as this installation's");
                            this.define_vm(hv.as_ref(), vm)?;
                            report.marked += 1;
                        }
                        if d.state != vm.power {
                            let reason = if d.state.is_active() {
                                None
                            } else {
                                match hv.stop_reason(&vm.uuid)? {
                                    Some(r) => Some(r),
                                    // Undefined since the listing: the next pass finds it
                                    // missing, with the power it was meant to have.
                                    None => continue,
                                }
                            };
                            report.power_corrected +=
                                usize::from(this.observe_power(&vm.uuid, d.state, reason)?);
                            if reason.is_some_and(StopReason::may_be_platform) {
                                this.restart_after_fault(&vm.uuid)?;
                            }
                        }
                    }
                    _ => {}
                }
            }
            let files = this.sweep_files(&vms, restored, &mut found)?;
            report.orphan_files = files;
            unmanaged::record(&this.store, now, &[HostKind::Domain, HostKind::File], found)?;
            this.reconcile_filters(hv.as_ref(), &vms, &busy, restored, &mut report)?;
            this.prune_gone()?;
            this.reconciled.store(true, std::sync::atomic::Ordering::Relaxed);
            Ok::<_, VmError>((report, fixes))
        })
        .await?;
        if !fixes.is_empty() {
            let (store, now) = (self.store.clone(), self.clock.now());
            blocking(move || {
                let tx = store.write()?;
                for (vm, action, detail) in &fixes {
                    let how = vec![("how", (*detail).into())];
                    super::log_system(
                        &tx,
                        now,
                        vm,
                        action,
                        crate::service::audit::told(crate::i18n::Msg::AuditRepaired, how),
                    )?;
                }
                tx.commit()?;
                Ok::<_, VmError>(())
            })
            .await?;
        }
        if report.repaired() {
            tracing::warn!(?report, "reconcile repaired drift");
        }
        Ok(report)
    }

    /// Define a ready VM whose domain vanished again; if it was meant to run, it was lost by
    /// the platform: its downtime counts as a platform fault from now until it runs, and it is
    /// started again (within the restart limit). Returns what was done (`audit-repaired`'s key), for
    /// the VM's log.
    fn revive(&self, hv: &dyn crate::hv::Hypervisor, vm: &VmRecord) -> Result<&'static str, VmError> {
        self.write_seed(vm)?;
        self.define_vm(hv, vm)?;
        let fault_open = {
            let tx = self.store.read()?;
            crate::store::sla::open_of(&tx.open_table(crate::store::tables::OPEN_DOWNTIME)?, vm.id)?.is_some()
        };
        if vm.suspended || !(vm.power.is_active() || fault_open) {
            return Ok("defined");
        }
        // libvirt's test driver (the demo) forgets its domains when the daemon stops.
        let first = !self.reconciled.load(std::sync::atomic::Ordering::Relaxed);
        if first && self.domain_kind(hv)? == crate::domain::vm::DomainKind::Test {
            hv.start(&vm.uuid)?;
            return Ok("test-driver");
        }
        self.mark_vanished(vm)?;
        Ok(if self.restart_after_fault(&vm.uuid)? { "fault" } else { "left-off" })
    }

    /// Record that `vm`'s domain vanished while it was meant to run: off, with a platform fault
    /// open.
    fn mark_vanished(&self, vm: &VmRecord) -> Result<(), VmError> {
        let tx = self.store.write()?;
        let now = self.clock.now();
        let found =
            tx.open_table(crate::store::tables::VMS)?.get(vm.id.0)?.map(|v| decode::<VmRecord>(v.value()));
        if let Some(mut rec) = found.transpose()?
            && rec.power.is_active()
        {
            rec.power = PowerState::Shutoff;
            rec.updated_at = now;
            crate::store::vms::put(&tx, &rec)?;
        }
        super::power::open_platform_fault(&tx, vm, now, "the server's domain vanished from the hypervisor")?;
        tx.commit()?;
        Ok(())
    }

    /// Whether this state removed a VM with this UUID.
    fn gone(&self, uuid: &Uuid) -> Result<Option<GoneRecord>, VmError> {
        Ok(host::gone(&self.store.read()?.open_table(GONE)?, &uuid.to_string())?)
    }

    /// Forget proofs of removal past their time (a write only when there are some).
    fn prune_gone(&self) -> Result<(), VmError> {
        let cutoff = self.clock.now().plus_secs(-host::GONE_KEEP_DAYS * 86_400);
        let any_old = {
            let tx = self.store.read()?;
            let t = tx.open_table(GONE)?;
            let mut any = false;
            for row in t.iter()? {
                any |= decode::<GoneRecord>(row?.1.value())?.at < cutoff;
            }
            any
        };
        if any_old {
            let tx = self.store.write()?;
            host::prune_gone(&mut tx.open_table(GONE)?, self.clock.now())?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Remove network filters of VMs this installation deleted; define those missing for VMs
    /// with a public interface (a domain cannot start without its filter). Others named like
    /// ours are listed as unmanaged. The test driver has no filters.
    fn reconcile_filters(
        &self,
        hv: &dyn crate::hv::Hypervisor,
        vms: &[VmRecord],
        busy: &HashSet<VmId>,
        restored: bool,
        report: &mut ReconcileReport,
    ) -> Result<(), VmError> {
        if self.domain_kind(hv)? == crate::domain::vm::DomainKind::Test {
            return Ok(());
        }
        let ours = self.store.installation_id();
        let now = self.clock.now();
        let listed = hv.list_filters()?;
        let have: HashSet<Uuid> = listed.iter().map(|f| f.uuid).collect();
        let known: HashMap<Uuid, &VmRecord> = vms.iter().map(|v| (v.uuid, v)).collect();
        let mut found = Vec::new();
        for f in &listed {
            if known.contains_key(&f.uuid) || self.uuid_known(&f.uuid)? {
                continue;
            }
            let mark = f.owner.map(|o| o.installation);
            if !restored && mark.is_none_or(|m| m == ours) && self.gone(&f.uuid)?.is_some() {
                tracing::warn!(uuid = %f.uuid, "removing the network filter of a VM this installation deleted");
                hv.undefine_filter(&f.uuid)?;
                report.removed_filters += 1;
                continue;
            }
            let name = FilterSpec::name_of(&f.uuid);
            found.push(unmanaged::row(
                HostKind::Filter,
                &name,
                "defined",
                mark,
                unmanaged::Why::of(ours, mark, restored).english(),
                now,
            ));
        }
        unmanaged::record(&self.store, now, &[HostKind::Filter], found)?;
        for vm in vms {
            let ready = vm.phase == VmPhase::Ready && !busy.contains(&vm.id);
            if !ready || self.public_nic(vm).is_none() {
                continue;
            }
            let want = self.filter_of(vm)?;
            let why = if !have.contains(&vm.uuid) {
                Some("missing")
            } else if !hv.filter_xml(&vm.uuid)?.is_some_and(|x| filter_matches(&x, &want)) {
                Some("out of date")
            } else {
                None
            };
            if let Some(why) = why {
                tracing::warn!(vm = %vm.id, "network filter {why}: defining it again");
                hv.define_filter(&want)?;
                report.filters_defined += 1;
            }
        }
        Ok(())
    }

    /// Whether a VM record with this UUID exists right now.
    fn uuid_known(&self, uuid: &Uuid) -> Result<bool, VmError> {
        let tx = self.store.read()?;
        Ok(tx.open_table(crate::store::tables::VM_BY_UUID)?.get(uuid.to_string().as_str())?.is_some())
    }

    /// Delete disk, seed and log files of VMs this state deleted; list (in `found`) files of
    /// UUIDs it never knew. Returns how many were deleted.
    pub(crate) fn sweep_files(
        &self,
        vms: &[VmRecord],
        restored: bool,
        found: &mut Vec<crate::store::host::UnmanagedRecord>,
    ) -> Result<usize, VmError> {
        let known: HashSet<String> = vms.iter().map(|v| v.uuid.to_string()).collect();
        let now = self.clock.now();
        let mut n = 0;
        for dir in [self.paths.disks(), self.paths.seeds(), self.paths.logs()] {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let Some(uuid) = name.get(..36).and_then(|u| Uuid::parse_str(u).ok()) else { continue };
                // A file of a VM ordered after the snapshot (a create's disk and seed come right
                // after its record) is not an orphan: check the record now, and leave young
                // files to a later pass.
                let young = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t.elapsed().map(|a| a.as_secs() < ORPHAN_MIN_AGE_SECS).unwrap_or(true));
                if known.contains(&uuid.to_string()) || young || self.uuid_known(&uuid)? {
                    continue;
                }
                let path = e.path();
                if !restored && self.gone(&uuid)?.is_some() {
                    tracing::warn!(file = %path.display(), "removing a file of a VM this installation deleted");
                    images::remove_if_exists(&path)?;
                    n += 1;
                } else {
                    let why = unmanaged::Why::StrayFile.english();
                    found.push(unmanaged::row(
                        HostKind::File,
                        &path.to_string_lossy(),
                        "kept",
                        None,
                        why,
                        now,
                    ));
                }
            }
        }
        Ok(n)
    }

    /// Resume intents that are not running (after a failure while the hypervisor was away).
    pub fn resume_stalled(&self) -> Result<usize, VmError> {
        let intents = self.intents()?;
        for i in &intents {
            if let Ok(_guard) = self.lock_of(i.vm).try_lock_owned() {
                drop(_guard);
                self.spawn_intent(i.vm);
            }
        }
        Ok(intents.len())
    }

    /// What reconcile left alone on the host (see `service::unmanaged`).
    pub fn unmanaged(&self) -> Result<Vec<crate::store::host::UnmanagedRecord>, VmError> {
        Ok(unmanaged::list(&self.store)?)
    }

    /// What reconcile left alone, each with why (for the admins' page).
    pub fn unmanaged_with_reasons(
        &self,
    ) -> Result<Vec<(crate::store::host::UnmanagedRecord, unmanaged::Why)>, VmError> {
        let (ours, restored) = (self.store.installation_id(), self.store.restored_at()?.is_some());
        let list = unmanaged::list(&self.store)?;
        Ok(list
            .into_iter()
            .map(|r| {
                let why = unmanaged::Why::of_record(&r, ours, restored);
                (r, why)
            })
            .collect())
    }

    /// This installation's id.
    pub fn installation_id(&self) -> Uuid {
        self.store.installation_id()
    }

    /// Look a VM up by id for recovery checks in tests.
    pub fn get_any(&self, id: VmId) -> Result<VmRecord, VmError> {
        self.get(&Caller::system(), id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vm::FilterSpec;

    #[test]
    fn filter_match_checks_exactly_the_addresses() {
        let f = FilterSpec {
            uuid: Uuid::nil(),
            ipv4: vec!["192.0.2.10".parse().unwrap()],
            ipv6: vec![("2001:db8:100::".parse().unwrap(), 64)],
            firewall: Default::default(),
            owner: Some(DomainOwner { installation: Uuid::new_v4(), vm: VmId(3) }),
        };
        // libvirt prints each rule on lines of its own; our builder's output is the same text.
        let pretty = crate::hv::xml::filter_xml(&f).replace("'><", "'>\n    <");
        assert!(filter_matches(&pretty, &f), "{pretty}");
        let other = FilterSpec { ipv4: vec!["192.0.2.11".parse().unwrap()], ..f.clone() };
        assert!(!filter_matches(&crate::hv::xml::filter_xml(&other), &f));
        let more = FilterSpec {
            ipv4: vec!["192.0.2.10".parse().unwrap(), "192.0.2.12".parse().unwrap()],
            ..f.clone()
        };
        assert!(!filter_matches(&crate::hv::xml::filter_xml(&more), &f), "an extra address is drift too");
        let no_v6 = FilterSpec { ipv6: vec![], ..f.clone() };
        let unmarked = FilterSpec { owner: None, ..f.clone() };
        assert!(
            !filter_matches(&crate::hv::xml::filter_xml(&unmarked), &f),
            "made before filters carried the mark"
        );
        assert!(!filter_matches(&crate::hv::xml::filter_xml(&no_v6), &f));
        // Firewall rules: the recorded ones, or none for an open firewall.
        let mut closed = f.clone();
        closed.firewall.default = crate::domain::firewall::Action::Deny;
        let closed_xml = crate::hv::xml::filter_xml(&closed);
        assert!(filter_matches(&closed_xml, &closed));
        assert!(!filter_matches(&closed_xml, &f), "rules left behind");
        assert!(!filter_matches(&crate::hv::xml::filter_xml(&f), &closed), "rules missing");
        let mut other_rules = closed.clone();
        other_rules
            .firewall
            .rules
            .push(crate::domain::firewall::parse_rule("allow", "tcp", "22", "").unwrap());
        assert!(!filter_matches(&closed_xml, &other_rules), "other rules");
    }
}
