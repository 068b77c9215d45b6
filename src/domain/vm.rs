//! Virtual machines as the business sees them: ids, the hardware spec handed to the
//! hypervisor, power states, and hostname rules.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Prefix of every libvirt domain vpsbox manages; the reconcile loop treats other domains as
/// not ours and never touches them.
pub const DOMAIN_PREFIX: &str = "vpsbox-";

/// The MAC address of interface `nic` (0 = public) of VM `id`: `02:76:NN:XX:XX:XX`, locally
/// administered (bit 1 of the first octet) and unique on the host as long as VM ids fit in 24
/// bits (16.7 million VMs); `None` beyond that.
pub fn mac_of(id: VmId, nic: u8) -> Option<String> {
    if id.0 >= 1 << 24 {
        return None;
    }
    let b = id.0.to_be_bytes();
    Some(format!("02:76:{nic:02x}:{:02x}:{:02x}:{:02x}", b[5], b[6], b[7]))
}

/// Identifier of a VM as customers see it (`/vms/17`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct VmId(pub u64);

impl fmt::Display for VmId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Hardware virtualisation or software emulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DomainKind {
    /// `<domain type='kvm'>`.
    Kvm,
    /// `<domain type='qemu'>` (TCG).
    Qemu,
    /// libvirt's test driver.
    Test,
}

impl DomainKind {
    /// The value of the `type` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            DomainKind::Kvm => "kvm",
            DomainKind::Qemu => "qemu",
            DomainKind::Test => "test",
        }
    }
}

/// Disk image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImageFormat {
    /// QEMU copy-on-write v2/v3.
    Qcow2,
    /// Plain bytes.
    Raw,
}

impl ImageFormat {
    /// Name used by qemu-img and libvirt.
    pub fn as_str(self) -> &'static str {
        match self {
            ImageFormat::Qcow2 => "qcow2",
            ImageFormat::Raw => "raw",
        }
    }
}

/// Everything the hypervisor needs to define a VM's domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmSpec {
    /// libvirt domain name (`vpsbox-<uuid>`).
    pub name: String,
    /// libvirt domain UUID, also the cloud-init instance id.
    pub uuid: uuid::Uuid,
    /// Domain type.
    pub kind: DomainKind,
    /// Virtual CPUs.
    pub vcpus: u32,
    /// Memory in MiB.
    pub memory_mib: u64,
    /// The system disk (qcow2 overlay).
    pub disk: PathBuf,
    /// The cloud-init seed (vfat, read-only), when there is one.
    pub seed: Option<PathBuf>,
    /// File the first serial port is logged to (by virtlogd), when set.
    pub serial_log: Option<PathBuf>,
    /// Network interfaces, the public one first.
    pub nics: Vec<NicSpec>,
    /// Extra disks, by target.
    pub disks: Vec<super::disk::DiskSpec>,
    /// Which installation and VM record the domain belongs to (in its libvirt metadata).
    pub owner: Option<DomainOwner>,
    /// Limits on its CPU: the plan's fair-use share and cap, or an admin's cap.
    pub cpu: CpuLimits,
    /// In rescue: the rescue system's disk (an overlay on the hoster's rescue image), booted
    /// instead of the system disk, which stays attached as it is; `seed` is then the rescue
    /// seed.
    pub rescue: Option<PathBuf>,
    /// The ISO in its CD-ROM drive, if any.
    pub cdrom: Option<CdRom>,
}

/// An ISO image in a server's CD-ROM drive (SATA, read-only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdRom {
    /// The image.
    pub path: PathBuf,
    /// Boot from it before the system disk (not in rescue: the rescue disk comes first).
    pub boot: bool,
}

/// The libvirt target of the rescue system's disk: after every extra disk (`vdc`–`vdj`), so the
/// server's own disks keep their names in the rescue system too.
pub const RESCUE_TARGET: &str = "vdz";

/// Limits on a domain's CPU time, as libvirt's `<cputune>` sets them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CpuLimits {
    /// Relative weight against other domains when the host's CPUs are contended (cgroup
    /// shares; libvirt's default is 1024).
    pub shares: Option<u32>,
    /// The most each vCPU may use, per cent of a host CPU (1–100).
    pub cap_percent: Option<u8>,
}

impl CpuLimits {
    /// The scheduling period the cap is a share of, microseconds.
    pub const PERIOD_US: u64 = 100_000;

    /// Why the limits cannot be used, if they cannot: shares 2 to 262 144 (the kernel's
    /// range), a cap of 1 to 100 per cent.
    pub fn check(&self) -> Result<(), &'static str> {
        if self.shares.is_some_and(|s| !(2..=262_144).contains(&s)) {
            return Err("shares");
        }
        if self.cap_percent.is_some_and(|c| !(1..=100).contains(&c)) {
            return Err("cap");
        }
        Ok(())
    }

    /// The time each vCPU may run per period, microseconds, when capped.
    pub fn quota_us(&self) -> Option<u64> {
        self.cap_percent.map(|p| Self::PERIOD_US * u64::from(p.clamp(1, 100)) / 100)
    }

    /// The tighter of two limits, field by field.
    pub fn tighter(self, other: CpuLimits) -> CpuLimits {
        fn min<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
            match (a, b) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        }
        CpuLimits {
            shares: min(self.shares, other.shares),
            cap_percent: min(self.cap_percent, other.cap_percent),
        }
    }
}

/// Who made a domain: written into its libvirt `<metadata>` under vpsbox's own namespace
/// ([`DomainOwner::NAMESPACE`]), so an installation can tell its domains from another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DomainOwner {
    /// The installation's id (the state's).
    pub installation: uuid::Uuid,
    /// The VM record.
    pub vm: VmId,
}

impl DomainOwner {
    /// The XML namespace of vpsbox's domain metadata.
    pub const NAMESPACE: &'static str = "urn:x-vpsbox:domain:1";
    /// Start of the comment that marks a VM's network filter as this owner's (network filters
    /// have no metadata): `vpsbox:<installation>:<vm id>`.
    pub const FILTER_MARK: &'static str = "vpsbox:";

    /// The filter comment of this owner.
    pub fn filter_mark(&self) -> String {
        format!("{}{}:{}", Self::FILTER_MARK, self.installation, self.vm.0)
    }
}

/// A network interface of a VM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NicSpec {
    /// MAC address (see [`mac_of`]).
    pub mac: String,
    /// What it is plugged into.
    pub link: NicLink,
    /// Name of the libvirt network filter that guards it, if any.
    pub filter: Option<String>,
    /// The port speed it is shaped to (the plan's), if any, in the ways `shape` says.
    pub speed: Option<PortSpeed>,
    /// Which ways a port speed shapes it (what the host's kernel can: see `host::shaping`).
    pub shape: ShapeWays,
}

/// Which ways port speeds shape an interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShapeWays {
    /// What the guest receives (libvirt `<inbound>`: htb and sfq on the tap).
    pub inbound: bool,
    /// What the guest sends (libvirt `<outbound>`: the tap's ingress queue and a police action).
    pub outbound: bool,
}

impl ShapeWays {
    /// Both ways.
    pub const BOTH: ShapeWays = ShapeWays { inbound: true, outbound: true };
    /// Neither: port speeds are not applied.
    pub const NONE: ShapeWays = ShapeWays { inbound: false, outbound: false };
}

/// A port speed: the rate an interface is shaped to, each way (libvirt `<bandwidth>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PortSpeed {
    /// Megabits per second (1–100 000).
    pub mbit: u32,
}

impl PortSpeed {
    /// The average and peak rate, libvirt's kilobytes (1,000 bytes) per second.
    pub fn kbytes_per_sec(&self) -> u64 {
        u64::from(self.mbit) * 125
    }

    /// The burst allowed above the rate, kilobytes: a tenth of a second's worth, at least 64.
    pub fn burst_kbytes(&self) -> u64 {
        (self.kbytes_per_sec() / 10).max(64)
    }

    /// The speed, if `mbit` is in range.
    pub fn new(mbit: u32) -> Option<PortSpeed> {
        (1..=100_000).contains(&mbit).then_some(PortSpeed { mbit })
    }
}

/// Where an interface is plugged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NicLink {
    /// A host bridge that exists outside libvirt (the public bridge).
    Bridge(String),
    /// A libvirt network (a private network).
    Network(String),
}

/// What a VM's public interface may send: its own MAC (libvirt fills in `$MAC`) and these
/// addresses; everything else from the guest is dropped. Inbound traffic passes the customer's
/// firewall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterSpec {
    /// The VM.
    pub uuid: uuid::Uuid,
    /// IPv4 addresses it may send from.
    pub ipv4: Vec<std::net::Ipv4Addr>,
    /// IPv6 networks it may send from (a /64 or single /128s), besides link-local.
    pub ipv6: Vec<(std::net::Ipv6Addr, u8)>,
    /// The customer's inbound rules.
    pub firewall: super::firewall::Firewall,
    /// Whose filter it is (written as a rule comment, see [`DomainOwner::FILTER_MARK`]).
    pub owner: Option<DomainOwner>,
}

impl FilterSpec {
    /// The libvirt filter name of a VM: `vpsbox-vm-<uuid>`.
    pub fn name_of(uuid: &uuid::Uuid) -> String {
        format!("{DOMAIN_PREFIX}vm-{uuid}")
    }
}

impl VmSpec {
    /// Domain name for a UUID.
    pub fn domain_name(uuid: &uuid::Uuid) -> String {
        format!("{DOMAIN_PREFIX}{uuid}")
    }
}

/// Power state as libvirt reports it, reduced to what customers need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PowerState {
    /// Running (or blocked waiting for I/O).
    Running,
    /// Paused by the hypervisor.
    Paused,
    /// Shutting down.
    ShuttingDown,
    /// Off.
    Shutoff,
    /// Crashed.
    Crashed,
    /// Suspended to memory / disk.
    Suspended,
    /// Anything else.
    Unknown,
}

impl PowerState {
    /// Lower-case word for pages.
    pub fn as_str(self) -> &'static str {
        match self {
            PowerState::Running => "running",
            PowerState::Paused => "paused",
            PowerState::ShuttingDown => "shutting down",
            PowerState::Shutoff => "stopped",
            PowerState::Crashed => "crashed",
            PowerState::Suspended => "suspended",
            PowerState::Unknown => "unknown",
        }
    }

    /// Whether the guest is consuming CPU (counts as up).
    pub fn is_active(self) -> bool {
        matches!(self, PowerState::Running | PowerState::Paused | PowerState::ShuttingDown)
    }
}

/// Why a domain stopped, as the SLA splits responsibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StopReason {
    /// The guest did it (shut itself down, or its kernel panicked): the customer's side.
    Guest,
    /// QEMU crashed or failed, or libvirt lost it: the provider's platform.
    Platform,
    /// Stopped on request (vpsbox, an admin) or for a reason that says nothing of fault.
    Other,
    /// Pulled out from under the guest (`virsh destroy`): vpsbox's own force-off when one of
    /// its operations runs on the VM, otherwise something outside vpsbox on the host, which is
    /// the provider's side.
    Destroyed,
}

impl StopReason {
    /// Whether the stop may be the platform's fault (then the VM is started again).
    pub fn may_be_platform(self) -> bool {
        matches!(self, StopReason::Platform | StopReason::Destroyed)
    }
}

/// Why a hostname was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostnameError {
    /// Empty or longer than 253 characters.
    #[error("A hostname has 1 to 253 characters")]
    Length,
    /// A label breaks RFC 1123.
    #[error(
        "Each part of the hostname (between dots) has 1 to 63 letters, digits or hyphens and neither \
         starts nor ends with a hyphen"
    )]
    Label,
    /// All digits at the end, which looks like an IP address.
    #[error("The last part of the hostname must not be all digits")]
    Numeric,
}

impl HostnameError {
    /// Its message's arguments (see [`crate::error::Coded::args`]).
    pub fn args(&self) -> crate::error::Args {
        crate::error::reason(match self {
            HostnameError::Length => "length",
            HostnameError::Label => "label",
            HostnameError::Numeric => "numeric",
        })
    }
}

/// Validate and normalise (lower-case) a hostname per RFC 1123.
pub fn parse_hostname(raw: &str) -> Result<String, HostnameError> {
    let h = raw.trim().trim_end_matches('.').to_ascii_lowercase();
    if h.is_empty() || h.len() > 253 {
        return Err(HostnameError::Length);
    }
    for label in h.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            return Err(HostnameError::Label);
        }
    }
    if h.rsplit('.').next().is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit())) {
        return Err(HostnameError::Numeric);
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_are_local_unique_and_bounded() {
        assert_eq!(mac_of(VmId(1), 0).unwrap(), "02:76:00:00:00:01");
        assert_eq!(mac_of(VmId(0x00ab_cdef), 3).unwrap(), "02:76:03:ab:cd:ef");
        assert_ne!(mac_of(VmId(0x0100), 0), mac_of(VmId(0x01), 0));
        assert!(mac_of(VmId(1 << 24), 0).is_none());
        let first = u8::from_str_radix(&mac_of(VmId(5), 0).unwrap()[..2], 16).unwrap();
        assert_eq!(first & 0b11, 0b10, "locally administered, unicast");
    }

    #[test]
    fn hostnames() {
        assert_eq!(parse_hostname("Web-1.Example.com.").unwrap(), "web-1.example.com");
        assert_eq!(parse_hostname("db").unwrap(), "db");
        assert_eq!(parse_hostname(""), Err(HostnameError::Length));
        assert_eq!(parse_hostname(&"a".repeat(254)), Err(HostnameError::Length));
        for bad in ["-web", "web-", "we_b", "a..b", "web 1", "wéb", &"a".repeat(64)] {
            assert_eq!(parse_hostname(bad), Err(HostnameError::Label), "{bad}");
        }
        assert_eq!(parse_hostname("10.0.0.1"), Err(HostnameError::Numeric));
        assert!(parse_hostname("1host").is_ok());
    }

    #[test]
    fn domain_names_carry_the_prefix() {
        let u = uuid::Uuid::nil();
        assert_eq!(VmSpec::domain_name(&u), "vpsbox-00000000-0000-0000-0000-000000000000");
        assert!(PowerState::Running.is_active() && !PowerState::Shutoff.is_active());
    }
}
