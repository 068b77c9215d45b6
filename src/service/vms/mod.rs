//! Virtual machines: ordering (quota checked and reserved in one transaction), the multi-step
//! operations (create, reinstall, resize, delete) that write an intent before their first side
//! effect and mark each step done, power actions, and recovery of unfinished intents on start.
//!
//! Files: disks in `DATA_DIR/disks/<uuid>.qcow2`, seeds in `DATA_DIR/seeds/<uuid>.img`, serial
//! logs in `DATA_DIR/logs/<uuid>-serial.log` — all named by the domain UUID, so what belongs
//! to which VM is never ambiguous.

mod abuse;
mod allowance;
#[cfg(test)]
mod allowance_tests;
mod attach;
mod console;
mod create;
mod deletion;
mod firewall;
#[cfg(test)]
mod firewall_tests;
mod iso;
#[cfg(test)]
mod iso_tests;
mod limits;
mod list;
mod network;
#[cfg(test)]
mod network_tests;
mod ops;
mod password;
mod power;
mod recover;
#[cfg(test)]
mod recover_tests;
mod rescue;
#[cfg(test)]
mod rescue_tests;
mod snapshots;
#[cfg(test)]
mod snapshots_tests;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use redb::ReadableTable;
use uuid::Uuid;

pub use allowance::{AllowanceReport, TrafficView};
pub use firewall::{firewall_in, rule_args};
pub use iso::Drive;
pub use limits::cpu_limits_in;
pub use list::ListRow;
pub use password::PasswordApplied;
pub use power::PowerAction;
pub use rescue::RescueEntered;

use super::Templates;
use super::caller::Caller;
use crate::clock::Clock;
use crate::config::DomainType;
use crate::domain::account::UserId;
use crate::domain::catalog::{PlanId, TemplateId};
use crate::domain::quota::Amounts;
use crate::domain::vm::{DomainKind, DomainOwner, FilterSpec, NicLink, NicSpec, VmId, VmSpec, mac_of};
use crate::hv::link::HvLink;
use crate::hv::{HvError, Hypervisor};
use crate::store::codec::decode;
use crate::store::records::{IntentRecord, Step, VmListRecord, VmRecord};
use crate::store::tables::{INTENTS, OWNER_VMS, VMS};
use crate::store::{Store, StoreError, vms};

mod error;
pub use error::{StateProblem, VmError};

/// One VM with what the API shows beside its record (see [`Vms::get_view`]).
#[derive(Debug, Clone)]
pub struct VmView {
    /// The record.
    pub vm: VmRecord,
    /// Its guest addresses, IPv4 first.
    pub addresses: Vec<std::net::IpAddr>,
    /// Its billing-system service id.
    pub external: Option<String>,
    /// Its scheduled deletion.
    pub deletion: Option<crate::store::deletions::DeletionRecord>,
}

/// What a customer orders.
#[derive(Debug, Clone)]
pub struct CreateVm {
    /// Plan.
    pub plan: PlanId,
    /// OS template.
    pub template: TemplateId,
    /// Hostname.
    pub hostname: String,
    /// Saved keys to put in.
    pub key_ids: Vec<u64>,
    /// Root password (plain; hashed before storing), when wanted.
    pub root_password: Option<String>,
    /// The form's one-time key: the same key never makes a second VM.
    pub once_key: String,
    /// Private networks of the owner to put it on.
    pub networks: Vec<crate::domain::privnet::NetId>,
    /// Make the system disk from this backup instead of the template (which then only names
    /// the OS; keys and password are optional, the disk has its own).
    pub restore: Option<crate::store::backups::RestoreSource>,
}

/// What an API order adds to a [`CreateVm`].
#[derive(Debug, Clone, Default)]
pub struct OrderExtras {
    /// Public keys given as text (besides the account's saved ones named by `key_ids`).
    pub keys: Vec<crate::domain::ssh::SshKey>,
    /// The billing system's id of the service: unique among the host's servers.
    pub external: Option<String>,
    /// Check everything, reserve nothing, make nothing.
    pub dry_run: bool,
}

/// What an order came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ordered {
    /// A new VM.
    Made(VmId),
    /// The VM its once-key made before.
    Again(VmId),
    /// A dry run: it would have been made.
    WouldMake,
}

/// Where a VM's files are.
#[derive(Debug, Clone)]
pub struct VmPaths {
    root: PathBuf,
}

impl VmPaths {
    /// Paths under `data_dir`.
    pub fn new(data_dir: &Path) -> VmPaths {
        VmPaths { root: data_dir.to_path_buf() }
    }
    /// Disks directory.
    pub fn disks(&self) -> PathBuf {
        self.root.join("disks")
    }
    /// Seeds directory.
    pub fn seeds(&self) -> PathBuf {
        self.root.join("seeds")
    }
    /// Serial logs directory.
    pub fn logs(&self) -> PathBuf {
        self.root.join("logs")
    }
    /// The system disk of a VM.
    pub fn disk(&self, uuid: &Uuid) -> PathBuf {
        self.disks().join(format!("{uuid}.qcow2"))
    }
    /// The cloud-init seed of a VM.
    pub fn seed(&self, uuid: &Uuid) -> PathBuf {
        self.seeds().join(format!("{uuid}.img"))
    }
    /// The serial console log of a VM.
    pub fn serial_log(&self, uuid: &Uuid) -> PathBuf {
        self.logs().join(format!("{uuid}-serial.log"))
    }
    /// The rescue system's disk of a VM in rescue (an overlay on the rescue image).
    pub fn rescue_disk(&self, uuid: &Uuid) -> PathBuf {
        self.disks().join(format!("{uuid}-rescue.qcow2"))
    }
    /// The rescue system's cloud-init seed of a VM in rescue.
    pub fn rescue_seed(&self, uuid: &Uuid) -> PathBuf {
        self.seeds().join(format!("{uuid}-rescue.img"))
    }
    /// Extra disk images directory.
    pub fn volumes(&self) -> PathBuf {
        self.root.join("volumes")
    }
    /// The image of an extra disk.
    pub fn volume(&self, id: crate::domain::disk::DiskId) -> PathBuf {
        self.volumes().join(format!("{id}.qcow2"))
    }
}

/// A test hook: stop an operation right after a step, as if the process died there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HaltAfter(pub Step);

/// The VM service.
#[derive(Clone)]
pub struct Vms {
    pub(crate) store: Arc<Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) hv: Arc<HvLink>,
    pub(crate) templates: Templates,
    pub(crate) rescue_images: super::rescue::RescueImages,
    isos_dir: PathBuf,
    pub(crate) plans: super::Plans,
    pub(crate) keys: super::Keys,
    pub(crate) quota_default: Amounts,
    pub(crate) paths: VmPaths,
    domain_type: DomainType,
    ip_cooldown_secs: u64,
    throttle: crate::domain::vm::PortSpeed,
    shape: crate::domain::vm::ShapeWays,
    public_bridge: String,
    public_network: String,
    traffic: super::traffic::Traffic,
    pub(crate) space: super::storage::SpaceFloor,
    kind: Arc<Mutex<Option<DomainKind>>>,
    locks: Arc<Mutex<HashMap<VmId, Arc<tokio::sync::Mutex<()>>>>>,
    /// Whether a reconcile pass has completed since this daemon started (libvirt's test
    /// driver keeps no domains across a restart: missing ones then are no fault).
    reconciled: Arc<std::sync::atomic::AtomicBool>,
    halt: Arc<Mutex<Option<HaltAfter>>>,
}

/// Everything [`Vms::new`] needs.
pub struct VmsDeps {
    /// The store.
    pub store: Arc<Store>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// The hypervisor link.
    pub hv: Arc<HvLink>,
    /// Templates.
    pub templates: Templates,
    /// The rescue system's images.
    pub rescue_images: super::rescue::RescueImages,
    /// Plans.
    pub plans: super::Plans,
    /// SSH keys.
    pub keys: super::Keys,
    /// Default quota.
    pub quota_default: Amounts,
    /// `DATA_DIR`.
    pub data_dir: PathBuf,
    /// Configured domain type.
    pub domain_type: DomainType,
    /// Seconds a deleted VM's addresses rest before reuse.
    pub ip_cooldown_secs: u64,
    /// The speed a server past its traffic allowance is throttled to.
    pub throttle: crate::domain::vm::PortSpeed,
    /// Which ways port speeds shape servers' interfaces (see `host::shaping`).
    pub shape: crate::domain::vm::ShapeWays,
    /// The host bridge public interfaces join (empty: none).
    pub public_bridge: String,
    /// Or the libvirt network vpsbox creates for them (empty: none).
    pub public_network: String,
    /// Traffic accounting (a VM's last bytes are booked before vpsbox powers it off).
    pub traffic: super::traffic::Traffic,
    /// Free space kept on the host (new VMs are refused below it).
    pub space: super::storage::SpaceFloor,
}

impl Vms {
    /// The service.
    pub fn new(d: VmsDeps) -> Vms {
        Vms {
            store: d.store,
            clock: d.clock,
            hv: d.hv,
            templates: d.templates,
            rescue_images: d.rescue_images,
            isos_dir: super::isos::Isos::dir_of(&d.data_dir),
            plans: d.plans,
            keys: d.keys,
            quota_default: d.quota_default,
            paths: VmPaths::new(&d.data_dir),
            domain_type: d.domain_type,
            ip_cooldown_secs: d.ip_cooldown_secs,
            throttle: d.throttle,
            shape: d.shape,
            public_bridge: d.public_bridge,
            public_network: d.public_network,
            traffic: d.traffic,
            space: d.space,
            kind: Arc::new(Mutex::new(None)),
            locks: Arc::new(Mutex::new(HashMap::new())),
            reconciled: Arc::new(std::sync::atomic::AtomicBool::new(false)),
            halt: Arc::new(Mutex::new(None)),
        }
    }

    /// The current time (for pages that compare with recorded times).
    pub fn now(&self) -> crate::domain::time::Timestamp {
        self.clock.now()
    }

    /// File locations.
    pub fn paths(&self) -> &VmPaths {
        &self.paths
    }

    /// Test hook: the next operations stop right after `step` (simulated crash).
    pub fn set_halt_after(&self, step: Option<Step>) {
        if let Ok(mut h) = self.halt.lock() {
            *h = step.map(HaltAfter);
        }
    }

    pub(crate) fn halts_after(&self, step: Step) -> bool {
        self.halt.lock().map(|h| *h == Some(HaltAfter(step))).unwrap_or(false)
    }

    /// The hypervisor, or `Unavailable`.
    pub(crate) fn hv(&self) -> Result<Arc<dyn Hypervisor>, VmError> {
        self.hv.get().map_err(|e| match e {
            HvError::Connect { .. } => VmError::Unavailable(e),
            other => {
                VmError::Unavailable(HvError::Connect { uri: "libvirt".into(), message: other.to_string() })
            }
        })
    }

    /// The domain type for new definitions (resolved once from the config and the host).
    pub(crate) fn domain_kind(&self, hv: &dyn Hypervisor) -> Result<DomainKind, VmError> {
        if let Ok(k) = self.kind.lock()
            && let Some(k) = *k
        {
            return Ok(k);
        }
        let offered = hv.domain_kinds()?;
        let kind = if offered.contains(&DomainKind::Test) {
            DomainKind::Test
        } else {
            match self.domain_type {
                DomainType::Kvm => DomainKind::Kvm,
                DomainType::Qemu => DomainKind::Qemu,
                DomainType::Auto if offered.contains(&DomainKind::Kvm) => DomainKind::Kvm,
                DomainType::Auto => DomainKind::Qemu,
            }
        };
        if let Ok(mut k) = self.kind.lock() {
            *k = Some(kind);
        }
        Ok(kind)
    }

    /// The domain spec of a VM record, with its private interfaces and extra disks.
    pub(crate) fn spec_of(&self, vm: &VmRecord, kind: DomainKind) -> Result<VmSpec, VmError> {
        let mut nics: Vec<NicSpec> = self.public_nic(vm).into_iter().collect();
        for p in self.ports(vm)? {
            nics.push(self.private_nic(vm.id, &p)?);
        }
        let disks = self.attached_disks(vm)?.iter().filter_map(|d| self.disk_spec(d)).collect();
        let (cpu, speed) = self.plan_limits(vm)?;
        if let Some(public) = nics.first_mut().filter(|n| n.filter.is_some()) {
            public.speed = speed;
        }
        let in_rescue = self.rescue_of(vm.id)?.is_some();
        let cdrom = self.iso_of(vm.id)?.map(|(v, rec)| crate::domain::vm::CdRom {
            path: self.isos_dir.join(&rec.file),
            boot: v.boot != crate::store::isos::IsoBoot::No,
        });
        let seed = if in_rescue { self.paths.rescue_seed(&vm.uuid) } else { self.paths.seed(&vm.uuid) };
        Ok(VmSpec {
            name: VmSpec::domain_name(&vm.uuid),
            uuid: vm.uuid,
            kind,
            vcpus: vm.spec.vcpus,
            memory_mib: vm.spec.memory_mib,
            disk: self.paths.disk(&vm.uuid),
            seed: Some(seed),
            serial_log: Some(self.paths.serial_log(&vm.uuid)),
            nics,
            disks,
            owner: Some(DomainOwner { installation: self.store.installation_id(), vm: vm.id }),
            cpu,
            rescue: in_rescue.then(|| self.paths.rescue_disk(&vm.uuid)),
            cdrom,
        })
    }

    /// The public interface on the configured bridge or public network, when one is configured.
    pub fn public_nic(&self, vm: &VmRecord) -> Option<NicSpec> {
        let link = match (self.public_bridge.is_empty(), self.public_network.is_empty()) {
            (false, _) => NicLink::Bridge(self.public_bridge.clone()),
            (true, false) => NicLink::Network(self.public_network.clone()),
            (true, true) => return None,
        };
        Some(NicSpec {
            mac: mac_of(vm.id, 0)?,
            link,
            filter: Some(FilterSpec::name_of(&vm.uuid)),
            speed: None,
            shape: self.shape,
        })
    }

    /// The lock that serialises operations on one VM.
    pub(crate) fn lock_of(&self, id: VmId) -> Arc<tokio::sync::Mutex<()>> {
        match self.locks.lock() {
            Ok(mut m) => m.entry(id).or_default().clone(),
            Err(_) => Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// One VM, if `caller` sees it.
    pub fn get(&self, caller: &Caller, id: VmId) -> Result<VmRecord, VmError> {
        let tx = self.store.read()?;
        let t = tx.open_table(VMS)?;
        let vm: VmRecord = match t.get(id.0)? {
            Some(v) => decode(v.value())?,
            None => return Err(VmError::NotFound),
        };
        if caller.sees(vm.owner) { Ok(vm) } else { Err(VmError::NotFound) }
    }

    /// One VM, if `caller` sees it, as the API shows it, in one read: its record, its guest
    /// addresses (IPv4 first), its billing-system service id and its scheduled deletion.
    pub fn get_view(&self, caller: &Caller, id: VmId) -> Result<VmView, VmError> {
        let tx = self.store.read()?;
        let vm: VmRecord = match tx.open_table(VMS)?.get(id.0)? {
            Some(v) => decode(v.value())?,
            None => return Err(VmError::NotFound),
        };
        if !caller.sees(vm.owner) {
            return Err(VmError::NotFound);
        }
        let mut addresses = Vec::new();
        crate::store::addresses::read_into(
            &tx.open_table(crate::store::tables::VM_ADDRESSES)?,
            id,
            &mut addresses,
        )?;
        let external =
            tx.open_table(crate::store::tables::VM_EXTERNAL)?.get(id.0)?.map(|v| v.value().to_string());
        let deletion = crate::store::deletions::of(&tx.open_table(crate::store::tables::VM_DELETIONS)?, id)?;
        Ok(VmView { vm, addresses, external, deletion })
    }

    /// The billing system's id of a VM's service, if it has one.
    pub fn external_of(&self, id: VmId) -> Result<Option<String>, VmError> {
        let tx = self.store.read()?;
        Ok(tx.open_table(crate::store::tables::VM_EXTERNAL)?.get(id.0)?.map(|v| v.value().to_string()))
    }

    /// The VM a billing system's service id names, if any.
    pub fn by_external(&self, external: &str) -> Result<Option<VmId>, VmError> {
        let tx = self.store.read()?;
        Ok(tx
            .open_table(crate::store::tables::EXTERNAL_SERVICES)?
            .get(external.trim())?
            .map(|v| VmId(v.value())))
    }

    /// The operation in progress on a VM, if any.
    pub fn intent(&self, id: VmId) -> Result<Option<IntentRecord>, VmError> {
        let tx = self.store.read()?;
        let t = tx.open_table(INTENTS)?;
        Ok(t.get(id.0)?.map(|v| decode(v.value())).transpose()?)
    }

    /// List entries of one owner's VMs, by id.
    pub fn list(&self, owner: UserId) -> Result<Vec<VmListRecord>, VmError> {
        Ok(vms::owned(&self.store.read()?.open_table(OWNER_VMS)?, owner)?)
    }

    /// Every VM record, by id (reconcile).
    pub fn records(&self) -> Result<Vec<VmRecord>, VmError> {
        let tx = self.store.read()?;
        let t = tx.open_table(VMS)?;
        let mut out = Vec::new();
        for row in t.iter()? {
            out.push(decode(row?.1.value())?);
        }
        Ok(out)
    }

    /// List entries of every VM with its owner, by id.
    pub fn list_all(&self) -> Result<Vec<(UserId, VmListRecord)>, VmError> {
        Ok(vms::all(&self.store.read()?.open_table(OWNER_VMS)?)?)
    }

    /// Audit entries about one VM, newest first.
    pub fn history(
        &self,
        vm: &VmRecord,
        limit: usize,
    ) -> Result<Vec<crate::store::records::AuditRecord>, VmError> {
        Ok(super::audit::list(&self.store.read()?, Some(vm.owner), Some(&format!("vm:{}", vm.id)), limit)?)
    }
}

/// Log something vpsbox itself did to a VM, inside `tx`.
pub(crate) fn log_system(
    tx: &redb::WriteTransaction,
    now: crate::domain::time::Timestamp,
    vm: &VmRecord,
    action: &str,
    detail: impl Into<super::audit::Detail>,
) -> Result<(), StoreError> {
    super::audit::record(tx, now, &Caller::system(), vm.owner, &format!("vm:{}", vm.id), action, detail)
}
