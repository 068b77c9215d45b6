//! Read models: everything one page shows, read in one read transaction, so the page is one
//! consistent snapshot and its renderer a pure function of the model.

use crate::domain::firewall::Firewall;
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;
use crate::store::codec::decode;
use crate::store::records::{AuditRecord, DiskRecord, IntentRecord, PlanRecord, TemplateRecord, VmRecord};
use crate::store::tables::{DISKS, INTENTS, PRIVATE_NETS, VM_DISKS, VM_NETS, VMS};

use super::ipam::Lease;
use super::privnets::{NetSummary, Port};
use super::sla::{SlaError, VmAvailability};
use super::traffic::{MonthTraffic, TrafficError};
use super::{Caller, Coded, ErrorKind, Services, VmError};

/// Why a page's model could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The VM (or what it refers to) could not be read.
    #[error(transparent)]
    Vm(#[from] VmError),
    /// Its traffic could not be read.
    #[error(transparent)]
    Traffic(#[from] TrafficError),
    /// Its availability could not be read.
    #[error(transparent)]
    Sla(#[from] SlaError),
    /// The account's money could not be read.
    #[error(transparent)]
    Billing(#[from] super::billing::BillingError),
}

impl Coded for PageError {
    fn code(&self) -> &'static str {
        match self {
            PageError::Vm(e) => e.code(),
            PageError::Traffic(e) => e.code(),
            PageError::Sla(e) => e.code(),
            PageError::Billing(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            PageError::Vm(e) => e.kind(),
            PageError::Traffic(e) => e.kind(),
            PageError::Sla(e) => e.kind(),
            PageError::Billing(e) => e.kind(),
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            PageError::Vm(e) => e.args(),
            PageError::Traffic(e) => e.args(),
            PageError::Sla(e) => e.args(),
            PageError::Billing(e) => e.args(),
        }
    }
}

impl From<crate::store::StoreError> for PageError {
    fn from(e: crate::store::StoreError) -> Self {
        PageError::Vm(e.into())
    }
}

/// What the dashboard shows, read in one transaction (the most visited page).
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// How many VMs the account has.
    pub count: usize,
    /// How many of them run.
    pub running: usize,
    /// Its limits.
    pub limits: crate::domain::quota::Amounts,
    /// What its VMs use.
    pub usage: crate::domain::quota::Amounts,
    /// Its live sessions.
    pub sessions: usize,
    /// The balance.
    pub balance: crate::domain::money::Money,
    /// Whole days it lasts at the current rate (`None`: nothing is charged).
    pub days_left: Option<i64>,
    /// When its free trial ends, while it runs.
    pub trial_ends: Option<Timestamp>,
    /// Incidents and maintenance windows that cover its servers.
    pub status: super::sla::StatusView,
    /// The time the model was read at.
    pub now: Timestamp,
}

/// The VM page: the VM and everything around it, as of one moment.
#[derive(Debug, Clone)]
pub struct VmPage {
    /// The VM.
    pub vm: VmRecord,
    /// The operation running on it, if any.
    pub intent: Option<IntentRecord>,
    /// What was done to it, newest first.
    pub history: Vec<AuditRecord>,
    /// OS templates on offer (for reinstall).
    pub templates: Vec<TemplateRecord>,
    /// Plans on offer, cheapest first (for a plan change).
    pub plans: Vec<PlanRecord>,
    /// When the page was read.
    pub now: Timestamp,
    /// Its public addresses, IPv4 first.
    pub leases: Vec<Lease>,
    /// This month's traffic.
    pub traffic: MonthTraffic,
    /// This month's traffic against its allowance.
    pub allowance: super::vms::TrafficView,
    /// The private networks it is on.
    pub ports: Vec<Port>,
    /// The owner's private networks (to join one).
    pub owned_nets: Vec<NetSummary>,
    /// Extra disks attached to it.
    pub attached: Vec<DiskRecord>,
    /// The owner's extra disks attached to no VM (to attach one).
    pub detached: Vec<DiskRecord>,
    /// Its inbound firewall.
    pub firewall: Firewall,
    /// Whether it has a public interface to guard.
    pub public: bool,
    /// IPv4 addresses beyond those its plan includes.
    pub extra_ipv4: u32,
    /// This month's availability (none for a VM whose create failed).
    pub availability: Option<VmAvailability>,
    /// Its CPU, disk and network use over the range asked for.
    pub usage: crate::domain::usage::Series,
    /// The abuse rule's case about it, if there is one.
    pub abuse: Option<crate::store::abuse::AbuseCase>,
    /// Its stay in rescue, if it is in rescue.
    pub rescue: Option<crate::store::rescue::RescueRecord>,
    /// Whether the hoster has imported a rescue system (else rescue is not offered).
    pub rescue_offered: bool,
    /// What an admin set for it instead of its plan's port speed and allowance.
    pub limits: crate::domain::allowance::VmLimits,
    /// The ISO in its CD-ROM drive, if any.
    pub iso: Option<(crate::store::isos::VmIso, crate::store::isos::IsoRecord)>,
    /// The ISO images on offer: the published ones, then the owner's own.
    pub isos: Vec<crate::store::isos::IsoRecord>,
    /// Whether customers may upload ISO images of their own.
    pub iso_uploads: bool,
    /// Its snapshots, oldest first.
    pub snapshots: Vec<crate::store::snapshots::SnapshotRecord>,
}

impl Services {
    /// The dashboard of `user`, as of one moment.
    pub fn dashboard(&self, user: crate::domain::account::UserId) -> Result<Dashboard, PageError> {
        use crate::store::tables::{OWNER_HOLDINGS, OWNER_VMS, QUOTAS, TRIALS, USER_SESSIONS};
        use crate::store::trials::TrialState;
        let tx = self.accounts.store().read()?;
        let sessions = tx
            .open_multimap_table(USER_SESSIONS)
            .map_err(VmError::from)?
            .get(user.0)
            .map_err(VmError::from)?
            .count();
        let limits = super::quotas::limits_in(
            &tx.open_table(QUOTAS).map_err(VmError::from)?,
            user,
            &self.vms.quota_default,
        )?;
        // The list entries are read in place: the page shows counts and sums only.
        let (mut ids, mut running, mut vm_usage) = (Vec::new(), 0, crate::domain::quota::Amounts::default());
        crate::store::vms::visit_owned(
            &tx.open_table(OWNER_VMS).map_err(VmError::from)?,
            user,
            None,
            |vm| {
                ids.push(vm.id);
                running += usize::from(vm.power.is_active());
                vm_usage = vm_usage.plus(&super::quotas::vm_usage(&vm.phase, &vm.spec));
                std::ops::ControlFlow::Continue(())
            },
        )?;
        let usage = super::quotas::with_holdings(
            vm_usage,
            &tx.open_table(OWNER_HOLDINGS).map_err(VmError::from)?,
            user,
        )?;
        let trial_ends =
            match crate::store::trials::get(&tx.open_table(TRIALS).map_err(VmError::from)?, user)?
                .map(|t| t.state)
            {
                Some(TrialState::Active { ends_at, .. }) => Some(ends_at),
                _ => None,
            };
        let (balance, days_left) = self.billing.balance_in(&tx, user)?;
        Ok(Dashboard {
            balance,
            days_left,
            status: self.sla.status_in(&tx)?.affecting(&ids),
            now: self.vms.now(),
            count: ids.len(),
            running,
            limits,
            usage,
            sessions,
            trial_ends,
        })
    }

    /// The VM page of `id` as `caller` may see it, with its usage over `range`, read in one
    /// transaction.
    pub fn vm_page(
        &self,
        caller: &Caller,
        id: VmId,
        range: crate::domain::usage::Range,
    ) -> Result<VmPage, PageError> {
        let tx = self.accounts.store().read()?;
        let vm: VmRecord =
            match tx.open_table(VMS).map_err(VmError::from)?.get(id.0).map_err(VmError::from)? {
                Some(v) => decode(v.value())?,
                None => return Err(VmError::NotFound.into()),
            };
        if !caller.sees(vm.owner) {
            return Err(VmError::NotFound.into());
        }
        let intent = match tx.open_table(INTENTS).map_err(VmError::from)?.get(id.0).map_err(VmError::from)? {
            Some(v) => Some(decode(v.value())?),
            None => None,
        };
        let now = self.vms.now();
        let history = super::audit::list(&tx, Some(vm.owner), Some(&format!("vm:{}", vm.id)), 30)?;
        let templates = super::templates::list_in(&tx)
            .map_err(VmError::from)?
            .into_iter()
            .filter(|t| t.enabled)
            .collect();
        let all_plans = super::plans::list_in(&tx).map_err(VmError::from)?;
        let included = all_plans.iter().find(|p| p.id == vm.plan).map(|p| p.spec.ipv4).unwrap_or(0);
        let plans = super::plans::offered(all_plans);
        let leases = super::ipam::vm_leases_in(&tx, vm.id).map_err(VmError::from)?;
        let traffic = super::traffic::month_in(&tx, vm.id, now)?;
        let allowance = self.vms.traffic_view_in(&tx, &vm)?;
        let ports = super::privnets::ports_in(
            &tx.open_table(VM_NETS).map_err(VmError::from)?,
            &tx.open_table(PRIVATE_NETS).map_err(VmError::from)?,
            vm.id,
        )
        .map_err(VmError::from)?;
        let owned_nets = super::privnets::list_in(&tx, vm.owner).map_err(VmError::from)?;
        let attached = super::disks::attached_in(
            &tx.open_table(VM_DISKS).map_err(VmError::from)?,
            &tx.open_table(DISKS).map_err(VmError::from)?,
            vm.id,
        )
        .map_err(VmError::from)?;
        let detached = super::disks::list_in(&tx, vm.owner)
            .map_err(VmError::from)?
            .into_iter()
            .filter(|d| d.attached.is_none())
            .collect();
        let firewall = super::vms::firewall_in(&tx, vm.id)?;
        let availability = match vm.phase {
            crate::store::records::VmPhase::Failed { .. } => None,
            _ => {
                let month = self.sla.month_at(now);
                self.sla.availability_in(&tx, std::slice::from_ref(&vm), month)?.pop()
            }
        };
        let usage = super::usage::series_in(&tx, vm.id, range, now).map_err(VmError::from)?;
        let abuse = super::abuse::case_in(&tx, vm.id).map_err(VmError::from)?;
        let rescue = crate::store::rescue::of(
            &tx.open_table(crate::store::tables::VM_RESCUE).map_err(VmError::from)?,
            vm.id,
        )?;
        let images = tx.open_table(crate::store::tables::RESCUE_IMAGES).map_err(VmError::from)?;
        let rescue_offered = crate::store::rescue::current(&images)?.is_some();
        let limits = crate::store::limits::vm_limits_in(&tx, vm.id)?;
        let isos = crate::store::isos::offered_to(
            crate::store::isos::all(&tx.open_table(crate::store::tables::ISOS).map_err(VmError::from)?)?,
            &tx.open_table(crate::store::tables::ISO_OWNERS).map_err(VmError::from)?,
            Some(vm.owner),
        )?;
        let in_drive = crate::store::isos::of_vm(
            &tx.open_table(crate::store::tables::VM_ISO).map_err(VmError::from)?,
            vm.id,
        )?;
        let iso = in_drive.and_then(|v| isos.iter().find(|i| i.id == v.iso).map(|i| (v, i.clone())));
        let snapshots = crate::store::snapshots::of_vm(
            &tx.open_table(crate::store::tables::SNAPSHOTS).map_err(VmError::from)?,
            vm.id,
        )?;
        Ok(VmPage {
            iso_uploads: self.isos.uploads().enabled,
            snapshots,
            limits,
            iso,
            isos,
            usage,
            abuse,
            rescue,
            rescue_offered,
            public: self.vms.public_nic(&vm).is_some(),
            extra_ipv4: vm.spec.ipv4.saturating_sub(included),
            vm,
            intent,
            history,
            templates,
            plans,
            now,
            leases,
            traffic,
            allowance,
            ports,
            owned_nets,
            attached,
            detached,
            firewall,
            availability,
        })
    }
}
