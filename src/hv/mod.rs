//! The hypervisor boundary. Everything the product asks of libvirt goes through the blocking
//! [`Hypervisor`] trait (call it through `spawn_blocking`); `libvirt` implements it once for
//! both `test:///default` (demo, fast tests) and `qemu:///system` (production).

use std::sync::Arc;

use uuid::Uuid;

use crate::domain::disk::DiskSpec;
use crate::domain::privnet::{NetworkOwner, NetworkSpec};
use crate::domain::vm::{DomainKind, DomainOwner, FilterSpec, NicSpec, PowerState, VmSpec};

pub mod agents;
pub mod ffi;
pub mod libvirt;
pub mod link;
pub mod snapshots;
pub mod stats;
pub mod xml;

/// What the hypervisor connection reports about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HvInfo {
    /// Connection URI as libvirt reports it.
    pub uri: String,
    /// Driver name (`QEMU`, `TEST`).
    pub driver: String,
    /// Host name of the hypervisor host.
    pub hostname: String,
    /// libvirt library version, dotted.
    pub libvirt_version: String,
    /// Hypervisor version, dotted.
    pub hypervisor_version: String,
}

/// A hypervisor call failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum HvError {
    /// The domain does not exist.
    #[error("The virtual machine's domain {0} does not exist on the hypervisor")]
    NoDomain(String),
    /// The call does not fit the domain's state (e.g. start a running VM).
    #[error("Not possible in the virtual machine's current state: {0}")]
    InvalidState(String),
    /// No connection could be made.
    #[error("Cannot connect to the hypervisor at {uri}: {message}")]
    Connect {
        /// URI tried.
        uri: String,
        /// libvirt's message.
        message: String,
    },
    /// A call on an open connection failed.
    #[error("Hypervisor call failed: {0}")]
    Call(String),
    /// The guest runs no QEMU guest agent (or it does not answer).
    #[error("The guest agent does not answer: {0}")]
    NoAgent(String),
}

impl crate::error::Coded for HvError {
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            HvError::Connect { .. } => ErrorKind::Unavailable,
            HvError::NoDomain(_) => ErrorKind::NotFound,
            HvError::InvalidState(_) | HvError::NoAgent(_) => ErrorKind::Conflict,
            HvError::Call(_) => ErrorKind::Internal,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            HvError::Connect { .. } => "HV0001",
            HvError::Call(_) => "HV0002",
            HvError::NoDomain(_) => "HV0003",
            HvError::InvalidState(_) => "HV0004",
            HvError::NoAgent(_) => "HV0005",
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            HvError::InvalidState(s) | HvError::NoAgent(s) => vec![("detail", s.as_str().into())],
            _ => Vec::new(),
        }
    }
}

/// One domain as listed by the hypervisor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainInfo {
    /// Domain name.
    pub name: String,
    /// Domain UUID.
    pub uuid: uuid::Uuid,
    /// Power state.
    pub state: PowerState,
    /// Who made it, from vpsbox's metadata in its persistent definition (`None`: no vpsbox
    /// installation's mark).
    pub owner: Option<DomainOwner>,
    /// Files of its disks.
    pub disks: Vec<String>,
}

/// One network filter of the kind vpsbox makes (`vpsbox-vm-<uuid>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterInfo {
    /// The VM UUID in its name.
    pub uuid: uuid::Uuid,
    /// Who made it, from the mark in its rules.
    pub owner: Option<DomainOwner>,
}

/// One libvirt network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkInfo {
    /// Network name.
    pub name: String,
    /// Network UUID.
    pub uuid: uuid::Uuid,
    /// Whether it is active.
    pub active: bool,
    /// Who made it, from vpsbox's metadata.
    pub owner: Option<NetworkOwner>,
}

/// Byte counters of one interface of a running domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NicCounters {
    /// The domain's run id (libvirt's domain id, new at every start): counters restart with it.
    pub run: u32,
    /// Bytes the guest received.
    pub rx: u64,
    /// Bytes the guest sent.
    pub tx: u64,
}

/// The operations vpsbox needs from a hypervisor. Blocking: call through `spawn_blocking`.
/// Domains are addressed by UUID.
pub trait Hypervisor: Send + Sync + 'static {
    /// Describe the connection (also a liveness check).
    fn describe(&self) -> Result<HvInfo, HvError>;
    /// Domain types the host offers for x86_64 guests.
    fn domain_kinds(&self) -> Result<Vec<DomainKind>, HvError>;
    /// Define (or redefine) the persistent domain; idempotent by UUID.
    fn define(&self, spec: &VmSpec) -> Result<(), HvError>;
    /// Boot a defined domain.
    fn start(&self, uuid: &Uuid) -> Result<(), HvError>;
    /// Ask the guest to power off (ACPI power button).
    fn shutdown(&self, uuid: &Uuid) -> Result<(), HvError>;
    /// Pull the plug.
    fn destroy(&self, uuid: &Uuid) -> Result<(), HvError>;
    /// Press the reset button: instant hard reset of a hung guest.
    fn reset(&self, uuid: &Uuid) -> Result<(), HvError>;
    /// Set `user`'s password inside the running guest, through its QEMU guest agent
    /// ([`HvError::NoAgent`] when the guest runs none).
    fn set_user_password(&self, uuid: &Uuid, user: &str, password: &str) -> Result<(), HvError>;
    /// Ask the guest to reboot (ACPI).
    fn reboot(&self, uuid: &Uuid) -> Result<(), HvError>;
    /// Remove the domain definition (the domain must be off).
    fn undefine(&self, uuid: &Uuid) -> Result<(), HvError>;
    /// Power state, or `None` when no such domain exists.
    fn state(&self, uuid: &Uuid) -> Result<Option<PowerState>, HvError>;
    /// Why a domain that is not running stopped, or `None` when no such domain exists.
    fn stop_reason(&self, uuid: &Uuid) -> Result<Option<crate::domain::vm::StopReason>, HvError>;
    /// Every domain whose name starts with `prefix`.
    fn list(&self, prefix: &str) -> Result<Vec<DomainInfo>, HvError>;
    /// Define or replace a VM's network filter; libvirt applies a replaced filter to the
    /// running domain at once.
    fn define_filter(&self, filter: &FilterSpec) -> Result<(), HvError>;
    /// Remove a VM's network filter; absent is fine.
    fn undefine_filter(&self, uuid: &Uuid) -> Result<(), HvError>;
    /// The XML of a VM's network filter, if defined.
    fn filter_xml(&self, uuid: &Uuid) -> Result<Option<String>, HvError>;
    /// The network filters named like a VM's filter (`vpsbox-vm-<uuid>`), whoever made them.
    fn list_filters(&self) -> Result<Vec<FilterInfo>, HvError>;
    /// Byte counters of a running domain's interface (by MAC), from the guest's side; `None`
    /// when the domain is not running.
    fn nic_counters(&self, uuid: &Uuid, mac: &str) -> Result<Option<NicCounters>, HvError>;
    /// Make sure a private network is defined, set to start with libvirtd, and active.
    /// Idempotent.
    fn ensure_network(&self, net: &NetworkSpec) -> Result<(), HvError>;
    /// Define or redefine a network's persistent configuration (idempotent by UUID); an active
    /// network runs on with its old configuration until it is restarted.
    fn define_network(&self, net: &NetworkSpec) -> Result<(), HvError>;
    /// The live XML of a network and whether it is active, if it exists.
    fn network_xml(&self, name: &str) -> Result<Option<(String, bool)>, HvError>;
    /// Stop and remove a libvirt network; absent is fine.
    fn remove_network(&self, name: &str) -> Result<(), HvError>;
    /// The libvirt networks whose name starts with `prefix`, whoever made them.
    fn list_networks(&self, prefix: &str) -> Result<Vec<NetworkInfo>, HvError>;
    /// Plug a device into a running domain (the persistent definition is the caller's, through
    /// [`Hypervisor::define`]).
    fn attach_live(&self, uuid: &Uuid, kind: DomainKind, device: &Device) -> Result<(), HvError>;
    /// Change a device of a running domain in place (an interface's `<bandwidth>`); the
    /// persistent definition is the caller's.
    fn update_live(&self, uuid: &Uuid, kind: DomainKind, device: &Device) -> Result<(), HvError>;
    /// Unplug a device from a running domain; the guest is asked to release it (ACPI hot
    /// unplug) and libvirt waits a few seconds for it.
    fn detach_live(&self, uuid: &Uuid, kind: DomainKind, device: &Device) -> Result<(), HvError>;
    /// Grow an attached disk of a running domain to `bytes`.
    fn resize_disk_live(&self, uuid: &Uuid, target: &str, bytes: u64) -> Result<(), HvError>;
    /// A socket to a running domain's VNC server (RFB), through libvirt.
    fn open_vnc(&self, uuid: &Uuid) -> Result<std::os::unix::net::UnixStream, HvError>;
    /// A byte stream to a running domain's serial console; `force` takes it over from another
    /// client (libvirt allows one at a time).
    fn open_serial(&self, uuid: &Uuid, force: bool) -> Result<Arc<dyn ByteStream>, HvError>;
    /// A picture of a running domain's display: (MIME type, bytes).
    fn screenshot(&self, uuid: &Uuid) -> Result<(String, Vec<u8>), HvError>;
    /// Start a live backup of a running domain's disks (and the checkpoint the next
    /// incremental backup starts from); it runs in the background: see
    /// [`Hypervisor::backup_state`].
    fn backup_begin(&self, uuid: &Uuid, job: &BackupJob) -> Result<(), HvError>;
    /// Where the domain's backup job is.
    fn backup_state(&self, uuid: &Uuid) -> Result<JobState, HvError>;
    /// Stop the domain's running backup job.
    fn backup_abort(&self, uuid: &Uuid) -> Result<(), HvError>;
    /// Names of the domain's checkpoints.
    fn checkpoints(&self, uuid: &Uuid) -> Result<Vec<String>, HvError>;
    /// Remove a checkpoint: its metadata and the disks' bitmaps, or (`metadata_only`, after
    /// the disks were replaced and hold no bitmaps) its metadata alone; absent is fine.
    fn delete_checkpoint(&self, uuid: &Uuid, name: &str, metadata_only: bool) -> Result<(), HvError>;
    /// Take snapshot `name` of the domain's disks (and its memory while it runs); one of that
    /// name already there is fine.
    fn snapshot_create(&self, uuid: &Uuid, name: &str, description: &str) -> Result<(), HvError>;
    /// Names of the domain's snapshots.
    fn snapshots(&self, uuid: &Uuid) -> Result<Vec<String>, HvError>;
    /// Bring the domain back to snapshot `name`: its disks, and its memory and running state
    /// when it was taken running. libvirt puts back the definition the snapshot holds too.
    fn snapshot_revert(&self, uuid: &Uuid, name: &str) -> Result<(), HvError>;
    /// Delete snapshot `name`; absent is fine.
    fn snapshot_delete(&self, uuid: &Uuid, name: &str) -> Result<(), HvError>;
    /// Every domain's statistics, in one call (metrics, usage graphs).
    fn domain_stats(&self) -> Result<Vec<stats::DomainStats>, HvError>;
    /// A domain's XML as libvirt has it (`inactive`: the persistent definition, else the live
    /// one), or `None` when no such domain exists.
    fn domain_xml(&self, uuid: &Uuid, inactive: bool) -> Result<Option<String>, HvError>;
    /// Whether the guest agent of domain `uuid` answers: `None` when the domain is not running
    /// or has no agent port. Implementations may answer from what libvirt's events told them.
    fn agent_connected(&self, uuid: &Uuid) -> Result<Option<bool>, HvError> {
        ask_agent(self, uuid)
    }
    /// What [`Hypervisor::agent_connected`] would answer, when it is known without calling
    /// libvirt (`None`: it must be asked).
    fn agent_known(&self, _uuid: &Uuid) -> Option<Option<bool>> {
        None
    }
    /// Apply CPU limits to a running domain at once (its cgroups; the persistent definition
    /// is the caller's, through [`Hypervisor::define`]). No cap or share lifts it.
    fn set_cpu_limits_live(&self, uuid: &Uuid, limits: &crate::domain::vm::CpuLimits) -> Result<(), HvError>;
}

/// Ask the hypervisor whether the guest agent of domain `uuid` answers, from the running
/// domain's live XML (see [`Hypervisor::agent_connected`]).
pub(crate) fn ask_agent<H: Hypervisor + ?Sized>(hv: &H, uuid: &Uuid) -> Result<Option<bool>, HvError> {
    if !hv.state(uuid)?.is_some_and(|s| s.is_active()) {
        return Ok(None);
    }
    Ok(hv.domain_xml(uuid, false)?.as_deref().and_then(xml::agent_connected))
}

/// One disk of a backup job and the file it is written to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupTarget {
    /// The disk's target in the domain (`vda`).
    pub target: String,
    /// The output file.
    pub file: std::path::PathBuf,
}

/// A live backup to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupJob {
    /// The disks to back up; the domain's other disks take no part.
    pub disks: Vec<BackupTarget>,
    /// The checkpoint this backup is incremental against (only clusters changed since it are
    /// written); `None`: full.
    pub incremental: Option<String>,
    /// The checkpoint created at the backup's instant, for the next incremental one.
    pub checkpoint: Option<String>,
    /// The output files exist already (made by the caller, e.g. with the parent backup as their
    /// backing file, so that unchanged clusters read through to it).
    pub reuse_files: bool,
}

/// Where a domain's backup job is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobState {
    /// No job runs and none finished since the last look.
    Idle,
    /// Running: bytes done of the total.
    Running {
        /// Bytes processed.
        processed: u64,
        /// Bytes in all.
        total: u64,
    },
    /// The last job finished well.
    Completed,
    /// The last job failed or was cancelled.
    Failed(String),
}

/// What a read from a console stream found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// This many bytes, at the start of the buffer.
    Bytes(usize),
    /// Nothing yet: wait for [`ByteStream::ready`], then read again.
    Nothing,
    /// The stream ended (the domain's side closed it, or `close` was called).
    End,
}

/// A byte stream to a domain (its serial console). Reads never wait: after one finds
/// [`Received::Nothing`], [`ByteStream::ready`] is notified when there is more to read. Writes
/// may wait briefly for the connection, so they belong on a thread of their own; reads and
/// writes may come from different threads.
pub trait ByteStream: Send + Sync {
    /// Read what has arrived, without waiting.
    fn try_recv(&self, buf: &mut [u8]) -> Result<Received, HvError>;
    /// Write all of `data`.
    fn send(&self, data: &[u8]) -> Result<(), HvError>;
    /// Notified when a read that found nothing may now find something (or the end).
    fn ready(&self) -> std::sync::Arc<tokio::sync::Notify>;
    /// End the stream.
    fn close(&self);
}

/// A device plugged into or out of a running domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Device {
    /// A network interface.
    Nic(NicSpec),
    /// An extra disk.
    Disk(DiskSpec),
}

/// libvirt's packed version number (major * 1_000_000 + minor * 1000 + release) as text.
pub fn dotted_version(v: u32) -> String {
    format!("{}.{}.{}", v / 1_000_000, (v / 1000) % 1000, v % 1000)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dotted() {
        assert_eq!(super::dotted_version(9_000_000), "9.0.0");
        assert_eq!(super::dotted_version(7_002_013), "7.2.13");
    }
}
