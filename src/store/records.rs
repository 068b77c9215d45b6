//! The records stored in the tables, with their encoding versions.

use serde::{Deserialize, Serialize};

use super::codec::Record;
use crate::domain::account::{Email, Role, UserId};
use crate::domain::catalog::{OsFamily, PlanId, PlanSpec, TemplateId};
use crate::domain::disk::DiskId;
use crate::domain::ipam::{Cidr, PoolId, PoolSpec};
use crate::domain::money::Money;
use crate::domain::privnet::NetId;
use crate::domain::quota::Amounts;
use crate::domain::ssh::SshKey;
use crate::domain::throttle::FailureWindow;
use crate::domain::time::Timestamp;
use crate::domain::vm::{ImageFormat, PowerState, VmId};

/// An account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    /// Identifier.
    pub id: UserId,
    /// Login name, normalised.
    pub email: Email,
    /// argon2id PHC string.
    pub password_hash: String,
    /// What the account may do.
    pub role: Role,
    /// Disabled accounts cannot log in and have no sessions.
    pub disabled: bool,
    /// When the account was made.
    pub created_at: Timestamp,
    /// When the password was last set.
    pub password_changed_at: Timestamp,
    /// The cabinet's language the account chose (`kk`, `ru`, `en`); `None`: the browser's.
    pub language: Option<String>,
}

impl Record for UserRecord {
    const KIND: &'static str = "user";
    const VERSION: u8 = 2;
}

/// A logged-in session; the key is the SHA-256 of its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// Whose session.
    pub user: UserId,
    /// Login time; the absolute expiry counts from here.
    pub created_at: Timestamp,
    /// Last request seen (updated at most once a minute); the idle expiry counts from here.
    pub last_seen: Timestamp,
    /// The CSRF token of forms in this session.
    pub csrf: [u8; 32],
    /// Client address at login, for the account page.
    pub client_ip: String,
}

impl Record for SessionRecord {
    const KIND: &'static str = "session";
    const VERSION: u8 = 1;
}

/// A one-time password-reset link; the key is the SHA-256 of its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetTokenRecord {
    /// Whose password it resets.
    pub user: UserId,
    /// When the link stops working.
    pub expires_at: Timestamp,
}

impl Record for ResetTokenRecord {
    const KIND: &'static str = "reset_token";
    const VERSION: u8 = 1;
}

impl Record for FailureWindow {
    const KIND: &'static str = "login_failures";
    const VERSION: u8 = 1;
}

/// Settings an admin changes at run time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsRecord {
    /// Customers may sign up themselves.
    pub signup_enabled: bool,
}

impl Record for SettingsRecord {
    const KIND: &'static str = "settings";
    const VERSION: u8 = 1;
}

/// Key of the single [`SettingsRecord`] in the settings table.
pub const SETTINGS_KEY: &str = "settings";

/// An OS template image in `DATA_DIR/templates/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRecord {
    /// Identifier.
    pub id: TemplateId,
    /// Unique catalogue name, e.g. `debian-12`.
    pub name: String,
    /// OS family.
    pub os: OsFamily,
    /// Image format.
    pub format: ImageFormat,
    /// Size the guest sees, bytes.
    pub virtual_size: u64,
    /// Bytes on disk.
    pub file_size: u64,
    /// SHA-256 of the image file, hex.
    pub sha256: String,
    /// Smallest disk a VM from this template may have, GiB.
    pub min_disk_gb: u32,
    /// Offered to customers.
    pub enabled: bool,
    /// File name inside the templates directory.
    pub file: String,
    /// When it was imported.
    pub created_at: Timestamp,
    /// The image's own login user (`debian`, `ubuntu`, `almalinux`), who gets the customer's
    /// SSH keys beside root; `None`: root only.
    pub login_user: Option<String>,
}

impl Record for TemplateRecord {
    const KIND: &'static str = "template";
    const VERSION: u8 = 2;
}

/// A plan customers order VMs from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRecord {
    /// Identifier.
    pub id: PlanId,
    /// Unique catalogue name, e.g. `s-2`.
    pub name: String,
    /// What it sells.
    pub spec: PlanSpec,
    /// Price per month (billing uses it; shown on the order page).
    pub monthly_price: Money,
    /// Price per hour for hourly metering.
    pub hourly_price: Money,
    /// Offered to customers.
    pub enabled: bool,
    /// When it was made.
    pub created_at: Timestamp,
    /// Fair-use limits every server on the plan runs with (CPU share and cap).
    pub cpu: crate::domain::vm::CpuLimits,
    /// The speed its servers' public interfaces are shaped to, each way.
    pub port: Option<crate::domain::vm::PortSpeed>,
}

impl Record for PlanRecord {
    const KIND: &'static str = "plan";
    const VERSION: u8 = 2;
}

/// Where a VM is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VmPhase {
    /// Being created (see its intent for the steps done).
    Creating,
    /// Created; power actions allowed.
    Ready,
    /// Disk being replaced from a template.
    Reinstalling,
    /// Being deleted.
    Deleting,
    /// Creation failed; nothing of it exists on the host. Counts against no quota.
    Failed {
        /// Error code.
        code: String,
        /// What went wrong.
        message: String,
    },
}

/// A customer's virtual machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmRecord {
    /// Identifier (URLs).
    pub id: VmId,
    /// libvirt domain UUID (domain name `vpsbox-<uuid>`).
    pub uuid: uuid::Uuid,
    /// Owner.
    pub owner: UserId,
    /// Hostname, unique per account.
    pub hostname: String,
    /// Plan it was ordered on (or resized to).
    pub plan: PlanId,
    /// Plan name at the time, for display.
    pub plan_name: String,
    /// The hardware it has.
    pub spec: PlanSpec,
    /// Template its disk is based on.
    pub template: TemplateId,
    /// Template name at the time.
    pub template_name: String,
    /// Keys put into the guest.
    pub ssh_keys: Vec<SshKey>,
    /// SHA-512 crypt of the root password, when one was set.
    pub root_password_hash: Option<String>,
    /// Life phase.
    pub phase: VmPhase,
    /// Last known power state.
    pub power: PowerState,
    /// Suspended by an admin: the customer cannot start it.
    pub suspended: bool,
    /// When a graceful shutdown was asked for (force off is offered after a while).
    pub shutdown_requested_at: Option<Timestamp>,
    /// When it was ordered.
    pub created_at: Timestamp,
    /// Last change of phase or power.
    pub updated_at: Timestamp,
}

impl Record for VmRecord {
    const KIND: &'static str = "vm";
    const VERSION: u8 = 1;
}

pub use super::list_entry::{VmListRecord, VmListView};

/// A step of a multi-step VM operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// Quota reserved and record written.
    Reserve,
    /// Domain powered off.
    Stop,
    /// Disk overlay created.
    Disk,
    /// cloud-init seed written.
    Seed,
    /// Domain defined.
    Define,
    /// Domain started.
    Start,
    /// Domain undefined.
    Undefine,
    /// Disk, seed and log removed.
    RemoveFiles,
    /// Disk grown to the new size.
    GrowDisk,
    /// The rescue system's disk and seed made.
    RescueDisk,
    /// The rescue system's disk and seed removed.
    RemoveRescue,
    /// The snapshot taken.
    TakeSnapshot,
    /// The server brought back to the snapshot (its disks grown back to today's sizes).
    RevertSnapshot,
    /// The snapshot deleted.
    DeleteSnapshot,
}

impl Step {
    /// Words for the progress list.
    pub fn label(self) -> &'static str {
        match self {
            Step::Reserve => "Reserve resources",
            Step::Stop => "Power off",
            Step::Disk => "Create disk",
            Step::Seed => "Write cloud-init seed",
            Step::Define => "Define virtual machine",
            Step::Start => "Start",
            Step::Undefine => "Remove definition",
            Step::RemoveFiles => "Remove disk and seed",
            Step::GrowDisk => "Grow disk",
            Step::RescueDisk => "Prepare the rescue system",
            Step::RemoveRescue => "Remove the rescue system",
            Step::TakeSnapshot => "Take the snapshot",
            Step::RevertSnapshot => "Revert to the snapshot",
            Step::DeleteSnapshot => "Delete the snapshot",
        }
    }
}

/// The operation an intent records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IntentOp {
    /// Create a VM.
    Create,
    /// Reinstall from a template (fresh disk, same identity).
    Reinstall,
    /// Delete a VM.
    Delete,
    /// Apply a new plan (vCPU/RAM redefine, disk grow) to a stopped VM.
    Resize,
    /// Boot the rescue system with the server's disks attached.
    Rescue,
    /// Boot the server's own disk again and remove the rescue system.
    Unrescue,
    /// Take a snapshot of the server's disks (the snapshot record being taken says which).
    Snapshot,
    /// Bring the server back to a snapshot (the record being reverted to says which).
    RevertSnapshot,
    /// Delete a snapshot (the record being deleted says which).
    DeleteSnapshot,
}

impl IntentOp {
    /// The steps, in order.
    pub fn steps(self) -> &'static [Step] {
        match self {
            IntentOp::Create => &[Step::Reserve, Step::Disk, Step::Seed, Step::Define, Step::Start],
            IntentOp::Reinstall => &[Step::Stop, Step::Disk, Step::Seed, Step::Define, Step::Start],
            IntentOp::Delete => &[Step::Stop, Step::Undefine, Step::RemoveFiles],
            IntentOp::Resize => &[Step::Define, Step::GrowDisk],
            IntentOp::Rescue => &[Step::Stop, Step::RescueDisk, Step::Define, Step::Start],
            IntentOp::Unrescue => &[Step::Stop, Step::Define, Step::Start, Step::RemoveRescue],
            IntentOp::Snapshot => &[Step::TakeSnapshot],
            IntentOp::RevertSnapshot => &[Step::RevertSnapshot],
            IntentOp::DeleteSnapshot => &[Step::DeleteSnapshot],
        }
    }
}

/// A multi-step operation in progress on one VM, written before its first side effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntentRecord {
    /// The VM.
    pub vm: VmId,
    /// What is being done.
    pub op: IntentOp,
    /// Steps finished so far.
    pub done: Vec<Step>,
    /// When it began.
    pub started_at: Timestamp,
}

impl Record for IntentRecord {
    const KIND: &'static str = "intent";
    const VERSION: u8 = 1;
}

/// An SSH key saved in an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshKeyRecord {
    /// Identifier.
    pub id: u64,
    /// Owner.
    pub owner: UserId,
    /// Name the customer gave it.
    pub name: String,
    /// The key.
    pub key: SshKey,
    /// When it was added.
    pub created_at: Timestamp,
}

impl Record for SshKeyRecord {
    const KIND: &'static str = "ssh_key";
    const VERSION: u8 = 1;
}

/// An account's limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaRecord {
    /// The limits.
    pub limits: Amounts,
}

impl Record for QuotaRecord {
    const KIND: &'static str = "quota";
    /// 2: `Amounts` gained `private_networks`; 3: `backup_gb`; 4: `snapshots`.
    const VERSION: u8 = 4;
}

/// State of a quota increase request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestStatus {
    /// Waiting for an admin.
    Pending,
    /// Granted: the limits were raised.
    Approved,
    /// Refused.
    Declined,
}

/// A customer's request for higher limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaRequestRecord {
    /// Identifier.
    pub id: u64,
    /// Who asks.
    pub owner: UserId,
    /// The limits asked for.
    pub wanted: Amounts,
    /// Why.
    pub reason: String,
    /// State.
    pub status: RequestStatus,
    /// When asked.
    pub created_at: Timestamp,
    /// When decided, and by whom.
    pub decided: Option<(Timestamp, UserId)>,
}

impl Record for QuotaRequestRecord {
    const KIND: &'static str = "quota_request";
    /// 2: `Amounts` gained `private_networks`; 3: `backup_gb`; 4: `snapshots`.
    const VERSION: u8 = 4;
}

/// A customer's private network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivNetRecord {
    /// Identifier.
    pub id: NetId,
    /// libvirt network UUID.
    pub uuid: uuid::Uuid,
    /// Owner.
    pub owner: UserId,
    /// Name the customer gave it (unique per owner).
    pub name: String,
    /// IPv4 subnet the VMs on it get their addresses from.
    pub subnet: Cidr,
    /// When it was made.
    pub created_at: Timestamp,
}

impl Record for PrivNetRecord {
    const KIND: &'static str = "private_net";
    const VERSION: u8 = 1;
}

/// A VM's inbound firewall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirewallRecord {
    /// The rules and default.
    pub firewall: crate::domain::firewall::Firewall,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl Record for FirewallRecord {
    const KIND: &'static str = "firewall";
    const VERSION: u8 = 1;
}

/// A customer's extra disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiskRecord {
    /// Identifier.
    pub id: DiskId,
    /// Owner.
    pub owner: UserId,
    /// Name the customer gave it.
    pub name: String,
    /// Size in GiB.
    pub size_gb: u64,
    /// The VM it is attached to, with its slot there (target `vdc` + slot).
    pub attached: Option<(VmId, u8)>,
    /// When it was made.
    pub created_at: Timestamp,
}

impl Record for DiskRecord {
    const KIND: &'static str = "disk";
    const VERSION: u8 = 1;
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Sequence number.
    pub seq: u64,
    /// When.
    pub at: Timestamp,
    /// Who did it (`None`: vpsbox itself, e.g. the reconcile loop).
    pub actor: Option<UserId>,
    /// From which address.
    pub ip: String,
    /// Owner of the resource acted on.
    pub owner: UserId,
    /// The resource, e.g. `vm:17`.
    pub resource: String,
    /// What, e.g. `vm.start`.
    pub action: String,
    /// Details: values as they are, or the English of `told`.
    pub detail: String,
    /// The details as a message of the bundles, for each reader's language.
    pub told: Option<super::notices::NoticeText>,
}

impl Record for AuditRecord {
    const KIND: &'static str = "audit";
    const VERSION: u8 = 2;
}

/// An IP pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolRecord {
    /// Identifier.
    pub id: PoolId,
    /// Unique name, e.g. `public-v4`.
    pub name: String,
    /// Its definition.
    pub spec: PoolSpec,
    /// When it was made.
    pub created_at: Timestamp,
}

impl Record for PoolRecord {
    const KIND: &'static str = "ip pool";
    const VERSION: u8 = 1;
}

/// Who holds a handed-out unit of a pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpLeaseRecord {
    /// The account it is charged to.
    pub owner: UserId,
    /// The VM it is on, if attached.
    pub vm: Option<VmId>,
    /// Since when.
    pub since: Timestamp,
    /// Reverse DNS name, when set.
    pub ptr: Option<String>,
}

impl Record for IpLeaseRecord {
    const KIND: &'static str = "ip lease";
    const VERSION: u8 = 1;
}
