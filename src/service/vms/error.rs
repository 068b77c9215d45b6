//! What a VM operation can refuse, with its stable code and its message's arguments.

use super::super::{Coded, ErrorKind, KeyError, PlanError, TemplateError};
use crate::domain::quota::QuotaExceeded;
use crate::domain::vm::{HostnameError, VmId};
use crate::host::images::ImageError;
use crate::hv::HvError;
use crate::store::StoreError;

/// Why a VM operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum VmError {
    /// Bad hostname.
    #[error("{0}")]
    Hostname(#[from] HostnameError),
    /// Hostname used by another VM of the account.
    #[error("You have a virtual machine named {0} already; choose another hostname")]
    HostnameTaken(String),
    /// Unknown or disabled plan.
    #[error("The plan you chose is not on offer; pick one from the list")]
    PlanUnavailable,
    /// Unknown or disabled template.
    #[error("The operating system you chose is not on offer; pick one from the list")]
    TemplateUnavailable,
    /// Plan disk smaller than the template needs.
    #[error("The {template} image needs a disk of at least {min} GiB; the plan has {disk} GiB")]
    DiskTooSmall {
        /// Template name.
        template: String,
        /// Needed.
        min: u64,
        /// Plan disk.
        disk: u64,
    },
    /// Neither key nor password.
    #[error("Choose at least one SSH key or set a root password, or you could not log in")]
    NoCredentials,
    /// Root password too short or too long.
    #[error("The root password needs 10 to 128 characters")]
    PasswordWeak,
    /// Over quota.
    #[error("{0}")]
    Quota(#[from] QuotaExceeded),
    /// No such VM (or not yours).
    #[error("No such virtual machine")]
    NotFound,
    /// Another operation is running on it.
    #[error("The virtual machine is busy ({0}); wait until it finishes")]
    Busy(&'static str),
    /// The action does not fit the current state.
    #[error("{0}")]
    WrongState(StateProblem),
    /// Suspended by the provider.
    #[error("This virtual machine is suspended by the provider; contact support")]
    Suspended,
    /// The account is suspended for non-payment.
    #[error("Your account is suspended until the balance is above zero; top up to order or start servers")]
    AccountSuspended,
    /// Delete confirmation mismatch.
    #[error("Type the hostname exactly to confirm")]
    ConfirmMismatch,
    /// A resize that would shrink the disk.
    #[error("Disks can only grow: the new plan has {new} GiB, the VM has {old} GiB")]
    DiskShrink {
        /// New size.
        new: u64,
        /// Current size.
        old: u64,
    },
    /// The hypervisor does not answer.
    #[error("The hypervisor is unavailable right now, so nothing was changed; try again in a minute")]
    Unavailable(HvError),
    /// A hypervisor call failed.
    #[error(transparent)]
    Hv(HvError),
    /// Key lookup failed.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// Template lookup failed.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// Plan lookup failed.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// Disk or seed file failure.
    #[error(transparent)]
    Image(#[from] ImageError),
    /// VM ids past the MAC address space.
    #[error("This host has used up its 16.7 million VM interface addresses; contact the vendor")]
    MacSpace,
    /// Public addresses could not be given.
    #[error(transparent)]
    Ip(#[from] crate::service::ipam::IpamError),
    /// A private network refused.
    #[error(transparent)]
    Net(#[from] crate::service::privnets::NetError),
    /// An extra disk refused.
    #[error(transparent)]
    Disk(#[from] crate::service::disks::DiskError),
    /// A firewall rule that does not parse.
    #[error(transparent)]
    Rule(#[from] crate::domain::firewall::RuleError),
    /// Store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The host is short of disk space.
    #[error(transparent)]
    Space(#[from] crate::service::storage::LowSpace),
    /// Another server carries this `external_service_id`.
    #[error("The external service id {0:?} belongs to server {1} already")]
    ExternalTaken(String, VmId),
    /// An `external_service_id` that is empty, too long or not printable.
    #[error("An external service id is 1 to 128 printable characters")]
    ExternalInvalid,
    /// The server is scheduled for deletion.
    #[error("This server is scheduled for deletion; restore it first")]
    DeletionPending,
    /// A restore of a server that is not scheduled for deletion.
    #[error("This server is not scheduled for deletion")]
    NoDeletionPending,
    /// No such operation, or not the caller's.
    #[error("No such operation")]
    OperationNotFound,
    /// An abuse action on a server with no open abuse case.
    #[error("This server has no open abuse case")]
    NoAbuseCase,
    /// A CPU cap out of range.
    #[error("A CPU cap is 1 to 100 per cent of each vCPU")]
    CpuCapRange,
    /// Rescue asked for where the hoster has installed no rescue system.
    #[error("This host has no rescue system yet; please ask support")]
    NoRescueImage,
    /// Something a server in rescue cannot do.
    #[error("This server is in rescue; leave rescue first")]
    InRescue,
    /// Leaving rescue asked for a server that is not in it.
    #[error("This server is not in rescue")]
    NotInRescue,
    /// An ISO that is not (or no longer) published.
    #[error("This ISO image is not available")]
    IsoUnavailable,
    /// Detaching from an empty drive.
    #[error("This server has no ISO image in its CD-ROM drive")]
    NoIso,
    /// A server's own port speed or allowance out of range.
    #[error(
        "A port speed is 1 to 100000 Mbit/s and a traffic allowance 1 to 1048576 GiB a month (or unlimited)"
    )]
    LimitsRange,
    /// Something that would replace or remove the disks a server's snapshots live in.
    #[error(
        "This server has {0} snapshot(s), which live in the disks this would replace or remove; delete them first"
    )]
    HasSnapshots(usize),
    /// A snapshot's name that is empty, too long or not printable.
    #[error("A snapshot's name is 1 to 64 printable characters")]
    SnapshotLabel,
    /// A revert to a snapshot that covers a disk no longer attached.
    #[error(
        "This snapshot covers a disk that is no longer attached to the server; attach it again or delete the snapshot"
    )]
    SnapshotDisksChanged,
    /// No such snapshot of this server.
    #[error("No such snapshot")]
    NoSnapshot,
}

impl From<HvError> for VmError {
    fn from(e: HvError) -> Self {
        match e {
            HvError::Connect { .. } => VmError::Unavailable(e),
            other => VmError::Hv(other),
        }
    }
}

/// Why an action does not fit the virtual machine's current state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateProblem {
    /// Start of a running VM.
    #[error("The virtual machine is running already")]
    Running,
    /// An action that needs a running VM.
    #[error("The virtual machine is not running")]
    NotRunning,
    /// The console of a stopped VM.
    #[error("The virtual machine is not running; start it first")]
    NotRunningConsole,
    /// A plan change of a running VM.
    #[error("Shut the virtual machine down before changing its plan")]
    RunningResize,
    /// The test driver has no consoles.
    #[error("This hypervisor (libvirt's test driver) has no consoles")]
    NoConsoles,
    /// The screen could not be made into a thumbnail.
    #[error("The screen could not be shown: {0}")]
    Screen(String),
    /// More addresses than a VM holds.
    #[error("A virtual machine holds at most {0} IPv4 addresses")]
    MaxIpv4(u32),
    /// Removal of an address the plan includes.
    #[error("The plan includes {0} IPv4 address(es); only extra addresses can be removed")]
    IncludedIpv4(u32),
    /// An IPv6 address to move.
    #[error("Only IPv4 addresses move between virtual machines")]
    OnlyIpv4Moves,
    /// An address moved to where it is.
    #[error("{0} is on this virtual machine already")]
    AlreadyHere(std::net::IpAddr),
}

impl StateProblem {
    /// Its message's arguments (see [`crate::error::Coded::args`]).
    pub fn args(&self) -> crate::error::Args {
        let r = |key: &str| ("reason", crate::error::Arg::from(key));
        match self {
            StateProblem::Running => vec![r("running")],
            StateProblem::NotRunning => vec![r("not-running")],
            StateProblem::NotRunningConsole => vec![r("not-running-console")],
            StateProblem::RunningResize => vec![r("running-resize")],
            StateProblem::NoConsoles => vec![r("no-consoles")],
            StateProblem::Screen(d) => vec![r("screen"), ("detail", d.as_str().into())],
            StateProblem::MaxIpv4(n) => vec![r("max-ipv4"), ("count", (*n).into())],
            StateProblem::IncludedIpv4(n) => vec![r("included-ipv4"), ("count", (*n).into())],
            StateProblem::OnlyIpv4Moves => vec![r("only-ipv4-moves")],
            StateProblem::AlreadyHere(a) => vec![r("already-here"), ("address", a.to_string().into())],
        }
    }
}

impl Coded for VmError {
    fn code(&self) -> &'static str {
        match self {
            VmError::Hostname(_) => "VM0001",
            VmError::HostnameTaken(_) => "VM0002",
            VmError::PlanUnavailable => "VM0003",
            VmError::TemplateUnavailable => "VM0004",
            VmError::DiskTooSmall { .. } => "VM0005",
            VmError::NoCredentials => "VM0006",
            VmError::PasswordWeak => "VM0007",
            VmError::Quota(_) => "VM0008",
            VmError::NotFound => "VM0009",
            VmError::Busy(_) => "VM0010",
            VmError::WrongState(_) => "VM0011",
            VmError::Suspended => "VM0012",
            VmError::ConfirmMismatch => "VM0013",
            VmError::DiskShrink { .. } => "VM0014",
            VmError::MacSpace => "VM0015",
            VmError::AccountSuspended => "VM0016",
            VmError::ExternalTaken(..) => "VM0017",
            VmError::ExternalInvalid => "VM0018",
            VmError::DeletionPending => "VM0019",
            VmError::NoDeletionPending => "VM0020",
            VmError::OperationNotFound => "VM0021",
            VmError::NoAbuseCase => "VM0022",
            VmError::CpuCapRange => "VM0023",
            VmError::NoRescueImage => "VM0024",
            VmError::InRescue => "VM0025",
            VmError::NotInRescue => "VM0026",
            VmError::LimitsRange => "VM0027",
            VmError::IsoUnavailable => "VM0028",
            VmError::NoIso => "VM0029",
            VmError::HasSnapshots(_) => "VM0030",
            VmError::SnapshotLabel => "VM0031",
            VmError::SnapshotDisksChanged => "VM0032",
            VmError::NoSnapshot => "VM0033",
            VmError::Unavailable(e) | VmError::Hv(e) => e.code(),
            VmError::Key(e) => e.code(),
            VmError::Template(e) => e.code(),
            VmError::Plan(e) => e.code(),
            VmError::Image(e) => e.code(),
            VmError::Ip(e) => e.code(),
            VmError::Net(e) => e.code(),
            VmError::Disk(e) => e.code(),
            VmError::Rule(e) => e.code(),
            VmError::Store(e) => e.code(),
            VmError::Space(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            VmError::NotFound | VmError::OperationNotFound | VmError::NoSnapshot => ErrorKind::NotFound,
            VmError::HostnameTaken(_)
            | VmError::DeletionPending
            | VmError::NoDeletionPending
            | VmError::NoAbuseCase
            | VmError::NoRescueImage
            | VmError::InRescue
            | VmError::NotInRescue
            | VmError::NoIso
            | VmError::HasSnapshots(_)
            | VmError::SnapshotDisksChanged
            | VmError::Busy(_)
            | VmError::WrongState(_)
            | VmError::Suspended
            | VmError::AccountSuspended
            | VmError::ExternalTaken(..) => ErrorKind::Conflict,
            VmError::Unavailable(_) => ErrorKind::Unavailable,
            VmError::Hv(e) => e.kind(),
            VmError::Key(e) => e.kind(),
            VmError::Template(e) => e.kind(),
            VmError::Plan(e) => e.kind(),
            VmError::Ip(e) => e.kind(),
            VmError::Net(e) => e.kind(),
            VmError::Disk(e) => e.kind(),
            VmError::Store(e) => e.kind(),
            VmError::Space(e) => e.kind(),
            VmError::Image(_) | VmError::MacSpace => ErrorKind::Internal,
            _ => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        use crate::error::reason;
        match self {
            VmError::Hostname(e) => e.args(),
            VmError::HostnameTaken(h) => vec![("hostname", h.as_str().into())],
            VmError::ExternalTaken(e, id) => vec![("external", e.as_str().into()), ("server", id.0.into())],
            VmError::DiskTooSmall { template, min, disk } => {
                vec![("template", template.as_str().into()), ("min", (*min).into()), ("disk", (*disk).into())]
            }
            VmError::Quota(q) => q.args(),
            VmError::Busy(what) => reason(match *what {
                "it is not ready" => "not-ready",
                "the disk changed meanwhile" => "disk-changed",
                _ => "operation",
            }),
            VmError::WrongState(w) => w.args(),
            VmError::DiskShrink { new, old } => vec![("new", (*new).into()), ("old", (*old).into())],
            VmError::HasSnapshots(n) => vec![("count", (*n).into())],
            VmError::Unavailable(_) => reason("unavailable"),
            VmError::Hv(e) => e.args(),
            VmError::Key(e) => e.args(),
            VmError::Template(e) => e.args(),
            VmError::Plan(e) => e.args(),
            VmError::Ip(e) => e.args(),
            VmError::Net(e) => e.args(),
            VmError::Disk(e) => e.args(),
            VmError::Rule(e) => e.args(),
            VmError::Store(e) => e.args(),
            VmError::Space(e) => e.args(),
            _ => Vec::new(),
        }
    }
}

store_error_conversions!(VmError);
