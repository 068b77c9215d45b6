//! Recovery and reconcile. On start (and then periodically) unfinished intents are resumed, and
//! the records in redb are compared with the domains libvirt has: a missing domain is defined
//! again, an unknown domain with our prefix is removed, a stale power state is corrected, and
//! disk/seed/log files that belong to no VM are deleted. Each repair is logged.

use std::collections::{HashMap, HashSet};

use redb::ReadableTable;
use uuid::Uuid;

use super::{Scope, VmError, Vms};
use crate::domain::vm::{DOMAIN_PREFIX, PowerState, VmId};
use crate::host::images;
use crate::service::blocking;
use crate::store::codec::decode;
use crate::store::records::{IntentRecord, VmPhase, VmRecord};
use crate::store::tables::INTENTS;

/// What a reconcile pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReconcileReport {
    /// Domains seen.
    pub domains: usize,
    /// VMs whose missing domain was defined again.
    pub redefined: usize,
    /// Unknown domains with our prefix that were removed.
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
    /// Unknown domains with our prefix left in place because the state was restored from a
    /// copy (they may be VMs made after it).
    pub kept_unknown: usize,
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
    v4_ok
        && v6_ok
        && fw_ok
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

    /// Compare redb with libvirt and repair drift.
    pub async fn reconcile(&self) -> Result<ReconcileReport, VmError> {
        let hv = self.hv()?;
        let vms = self.records()?;
        let busy: HashSet<VmId> = self.intents()?.into_iter().map(|i| i.vm).collect();
        let this = self.clone();
        let (report, fixes) = blocking(move || {
            let domains = hv.list(DOMAIN_PREFIX)?;
            let mut report = ReconcileReport { domains: domains.len(), ..Default::default() };
            let by_uuid: HashMap<Uuid, PowerState> = domains.iter().map(|d| (d.uuid, d.state)).collect();
            let known: HashMap<Uuid, &VmRecord> = vms.iter().map(|v| (v.uuid, v)).collect();
            let mut fixes: Vec<(VmRecord, &'static str, String)> = Vec::new();
            // After a restore from a copy, what the state does not know may be a customer's VM
            // made after the copy was taken: report it, never remove it.
            let keep_strays = this.store.restored_at()?.is_some();
            for d in &domains {
                // Checked again now: a VM ordered after the snapshot above is not a stray.
                if !known.contains_key(&d.uuid) && !this.uuid_known(&d.uuid)? {
                    if keep_strays {
                        tracing::warn!(domain = d.name, "a domain with our prefix that no VM owns is kept: the state was restored from a copy");
                        report.kept_unknown += 1;
                        continue;
                    }
                    tracing::warn!(domain = d.name, "removing a domain with our prefix that no VM owns");
                    if d.state.is_active() {
                        hv.destroy(&d.uuid)?;
                    }
                    hv.undefine(&d.uuid)?;
                    report.removed_unknown += 1;
                }
            }
            for vm in &vms {
                if busy.contains(&vm.id) {
                    continue;
                }
                match (&vm.phase, by_uuid.get(&vm.uuid)) {
                    (VmPhase::Failed { .. }, Some(state)) => {
                        if state.is_active() {
                            hv.destroy(&vm.uuid)?;
                        }
                        hv.undefine(&vm.uuid)?;
                        report.removed_failed += 1;
                    }
                    (VmPhase::Ready, None) => {
                        tracing::warn!(vm = %vm.id, "domain missing: defining it again");
                        this.write_seed(vm)?;
                        this.define_vm(hv.as_ref(), vm)?;
                        let detail = if vm.power.is_active() && !vm.suspended {
                            hv.start(&vm.uuid)?;
                            "domain was missing; defined and started again"
                        } else {
                            "domain was missing; defined again"
                        };
                        fixes.push((vm.clone(), "vm.repaired", detail.to_string()));
                        report.redefined += 1;
                    }
                    (VmPhase::Ready, Some(state)) if *state != vm.power => {
                        let reason = if state.is_active() { None } else { hv.stop_reason(&vm.uuid)? };
                        report.power_corrected += usize::from(this.observe_power(&vm.uuid, *state, reason)?);
                        if reason == Some(crate::domain::vm::StopReason::Platform) {
                            this.restart_after_fault(&vm.uuid)?;
                        }
                    }
                    _ => {}
                }
            }
            if !keep_strays {
                report.orphan_files = this.sweep_files(&vms)?;
            }
            this.reconcile_filters(hv.as_ref(), &vms, &busy, keep_strays, &mut report)?;
            Ok::<_, VmError>((report, fixes))
        })
        .await?;
        if !fixes.is_empty() {
            let (store, now) = (self.store.clone(), self.clock.now());
            blocking(move || {
                let tx = store.write()?;
                for (vm, action, detail) in &fixes {
                    super::log_system(&tx, now, vm, action, detail)?;
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

    /// Remove network filters no VM owns any more; define those missing for VMs with a public
    /// interface (a domain cannot start without its filter). The test driver has no filters.
    fn reconcile_filters(
        &self,
        hv: &dyn crate::hv::Hypervisor,
        vms: &[VmRecord],
        busy: &HashSet<VmId>,
        keep_strays: bool,
        report: &mut ReconcileReport,
    ) -> Result<(), VmError> {
        if self.domain_kind(hv)? == crate::domain::vm::DomainKind::Test {
            return Ok(());
        }
        let have: HashSet<Uuid> = hv.list_filters()?.into_iter().collect();
        let known: HashMap<Uuid, &VmRecord> = vms.iter().map(|v| (v.uuid, v)).collect();
        for uuid in &have {
            if !keep_strays && !known.contains_key(uuid) && !self.uuid_known(uuid)? {
                tracing::warn!(%uuid, "removing the network filter of a VM that no longer exists");
                hv.undefine_filter(uuid)?;
                report.removed_filters += 1;
            }
        }
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

    /// Delete disk, seed and log files whose UUID belongs to no VM record.
    pub(crate) fn sweep_files(&self, vms: &[VmRecord]) -> Result<usize, VmError> {
        let known: HashSet<String> = vms.iter().map(|v| v.uuid.to_string()).collect();
        let mut n = 0;
        for dir in [self.paths.disks(), self.paths.seeds(), self.paths.logs()] {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let Some(uuid) = name.get(..36).filter(|u| Uuid::parse_str(u).is_ok()) else { continue };
                // A file of a VM ordered after the snapshot (a create's disk and seed come right
                // after its record) is not an orphan: check the record now, and leave young
                // files to a later pass.
                let young = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t.elapsed().map(|a| a.as_secs() < ORPHAN_MIN_AGE_SECS).unwrap_or(true));
                let parsed = Uuid::parse_str(uuid).unwrap_or_default();
                if !known.contains(uuid) && !young && !self.uuid_known(&parsed)? {
                    tracing::warn!(file = %e.path().display(), "removing a file that belongs to no VM");
                    images::remove_if_exists(&e.path())?;
                    n += 1;
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

    /// Look a VM up by id for recovery checks in tests.
    pub fn get_any(&self, id: VmId) -> Result<VmRecord, VmError> {
        self.get(Scope::Admin, id)
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
