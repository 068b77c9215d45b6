//! Every table of the state file. Keys are plain redb types; values are versioned records
//! (see `codec`) unless noted.

use redb::{MultimapTableDefinition, MultimapTableHandle, TableDefinition, TableHandle};

/// Bookkeeping: `schema_version`, id counters. Values are plain `u64`.
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta");

/// Accounts by id → `UserRecord`.
pub const USERS: TableDefinition<u64, &[u8]> = TableDefinition::new("users");

/// Normalised e-mail → user id.
pub const USER_BY_EMAIL: TableDefinition<&str, u64> = TableDefinition::new("user_by_email");

/// SHA-256 of a session token → `SessionRecord`. The token itself is never stored.
pub const SESSIONS: TableDefinition<&[u8; 32], &[u8]> = TableDefinition::new("sessions");

/// User id → SHA-256 of each of their session tokens (for "log out everywhere").
pub const USER_SESSIONS: MultimapTableDefinition<u64, &[u8; 32]> =
    MultimapTableDefinition::new("user_sessions");

/// `acct:<email>` or `ip:<address>` → `FailureWindow` of recent failed logins.
pub const LOGIN_FAILURES: TableDefinition<&str, &[u8]> = TableDefinition::new("login_failures");

/// SHA-256 of a password-reset token → `ResetTokenRecord`.
pub const RESET_TOKENS: TableDefinition<&[u8; 32], &[u8]> = TableDefinition::new("reset_tokens");

/// SHA-256 of a single sign-on link's token → `SsoLinkRecord` (60 s, single use).
pub const SSO_LINKS: TableDefinition<&[u8; 32], &[u8]> = TableDefinition::new("sso_links");

/// User id → `TotpRecord`: the account's authenticator secret (confirmed, or being set up),
/// the last step a code was taken from, and the hashes of its recovery codes.
pub const TOTP: TableDefinition<u64, &[u8]> = TableDefinition::new("totp");

/// `(user id, passkey id)` → `PasskeyRecord`: an account's passkeys (WebAuthn credentials).
pub const PASSKEYS: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("passkeys");

/// A passkey's credential id → `(user id, passkey id)`: a credential belongs to one account, and
/// a password-less login finds it by the id the browser sends.
pub const PASSKEY_BY_CREDENTIAL: TableDefinition<&[u8], (u64, u64)> =
    TableDefinition::new("passkey_by_credential");

/// SHA-256 of a sign-in's second-step token → `SecondStepRecord`: the password was right and
/// the second factor (or its enrolment) is still due. Never a session.
pub const SECOND_STEPS: TableDefinition<&[u8; 32], &[u8]> = TableDefinition::new("second_steps");

/// Admin-changeable settings → `SettingsRecord` under the key `settings`, `TwoFactorPolicy`
/// under `two_factor`.
pub const SETTINGS: TableDefinition<&str, &[u8]> = TableDefinition::new("settings");

/// OS templates by id → `TemplateRecord`.
pub const TEMPLATES: TableDefinition<u64, &[u8]> = TableDefinition::new("templates");

/// Template name → id.
pub const TEMPLATE_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("template_by_name");

/// Plans by id → `PlanRecord`.
pub const PLANS: TableDefinition<u64, &[u8]> = TableDefinition::new("plans");

/// Plan name → id.
pub const PLAN_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("plan_by_name");

/// VMs by id → `VmRecord`.
pub const VMS: TableDefinition<u64, &[u8]> = TableDefinition::new("vms");

/// `(owner id, VM id)` → `VmListRecord`: each owner's VMs in id order, with what lists and
/// quota usage need. Written only through `store::vms`, together with [`VMS`].
pub const OWNER_VMS: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("owner_vms");

/// Domain UUID (text) → VM id.
pub const VM_BY_UUID: TableDefinition<&str, u64> = TableDefinition::new("vm_by_uuid");

/// `<owner id>/<hostname>` → VM id: hostnames are unique per account.
pub const VM_HOSTNAMES: TableDefinition<&str, u64> = TableDefinition::new("vm_hostnames");

/// One-time key of a create form → the VM it made (a retried or doubled submit finds it).
pub const CREATE_KEYS: TableDefinition<&str, u64> = TableDefinition::new("create_keys");

/// VM id → `IntentRecord` of the multi-step operation in progress on it.
pub const INTENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("intents");

/// SSH keys by id → `SshKeyRecord`.
pub const SSH_KEYS: TableDefinition<u64, &[u8]> = TableDefinition::new("ssh_keys");

/// Owner id → ids of their SSH keys.
pub const USER_KEYS: MultimapTableDefinition<u64, u64> = MultimapTableDefinition::new("user_keys");

/// An outside system's id of an account (a billing system's client id) → user id.
pub const USER_EXTERNAL: TableDefinition<&str, u64> = TableDefinition::new("user_external");

/// User id → its outside id (see [`USER_EXTERNAL`]).
pub const EXTERNAL_OF_USER: TableDefinition<u64, &str> = TableDefinition::new("external_of_user");

/// A billing system's id of a service (`external_service_id`) → VM id.
pub const EXTERNAL_SERVICES: TableDefinition<&str, u64> = TableDefinition::new("external_services");

/// VM id → its `external_service_id` (see [`EXTERNAL_SERVICES`]).
pub const VM_EXTERNAL: TableDefinition<u64, &str> = TableDefinition::new("vm_external");

/// `<token id>/<Idempotency-Key>` → `IdempotentRecord`: an API answer to replay.
pub const API_IDEMPOTENCY: TableDefinition<&str, &[u8]> = TableDefinition::new("api_idempotency");

/// Operation id → `OperationRecord`: slow operations on servers as the API shows them.
pub const OPERATIONS: TableDefinition<u64, &[u8]> = TableDefinition::new("operations");

/// VM id → id of its running operation (see [`OPERATIONS`]).
pub const VM_OPERATION: TableDefinition<u64, u64> = TableDefinition::new("vm_operation");

/// VM id → `DeletionRecord`: servers scheduled for deletion after a grace period.
pub const VM_DELETIONS: TableDefinition<u64, &[u8]> = TableDefinition::new("vm_deletions");

/// `payment/<reference>` or `correction/<reference>` → (account, ledger sequence): what an
/// outside payment system booked, once per reference.
pub const BOOKING_REFS: TableDefinition<&str, (u64, u64)> = TableDefinition::new("booking_refs");

/// Webhook id → `WebhookRecord`.
pub const WEBHOOKS: TableDefinition<u64, &[u8]> = TableDefinition::new("webhooks");

/// Delivery id → `DeliveryRecord`.
pub const WEBHOOK_DELIVERIES: TableDefinition<u64, &[u8]> = TableDefinition::new("webhook_deliveries");

/// `(next attempt, ms since the epoch; delivery id)` of pending deliveries.
pub const WEBHOOK_DUE: TableDefinition<(u64, u64), ()> = TableDefinition::new("webhook_due");

/// Webhook id → its deliveries' ids (the delivery log).
pub const WEBHOOK_LOG: MultimapTableDefinition<u64, u64> = MultimapTableDefinition::new("webhook_log");

/// Keys of the last webhook, delivery and event ids in [`META`].
pub const META_LAST_WEBHOOK_ID: &str = "last_webhook_id";
/// See [`META_LAST_WEBHOOK_ID`].
pub const META_LAST_DELIVERY_ID: &str = "last_delivery_id";
/// See [`META_LAST_WEBHOOK_ID`].
pub const META_LAST_EVENT_ID: &str = "last_event_id";

/// Key of the last operation id in [`META`].
pub const META_LAST_OPERATION_ID: &str = "last_operation_id";

/// API token id → `ApiTokenRecord`.
pub const API_TOKENS: TableDefinition<u64, &[u8]> = TableDefinition::new("api_tokens");

/// Owner id → ids of their API tokens.
pub const OWNER_TOKENS: MultimapTableDefinition<u64, u64> = MultimapTableDefinition::new("owner_tokens");

/// Key of the last API token id in [`META`].
pub const META_LAST_TOKEN_ID: &str = "last_token_id";

/// User id → `QuotaRecord` (limits set at sign-up, changed by admins).
pub const QUOTAS: TableDefinition<u64, &[u8]> = TableDefinition::new("quotas");

/// Quota increase requests by id → `QuotaRequestRecord`.
pub const QUOTA_REQUESTS: TableDefinition<u64, &[u8]> = TableDefinition::new("quota_requests");

/// Audit log by sequence number → `AuditRecord`.
pub const AUDIT: TableDefinition<u64, &[u8]> = TableDefinition::new("audit");

/// Owner of the resource → sequence numbers of audit entries about their resources.
pub const USER_AUDIT: MultimapTableDefinition<u64, u64> = MultimapTableDefinition::new("user_audit");

/// Resource (`vm:12`) → sequence numbers of the audit entries about it (a VM page's history
/// without reading the owner's whole log).
pub const RESOURCE_AUDIT: MultimapTableDefinition<&str, u64> = MultimapTableDefinition::new("resource_audit");

/// IP pools by id → `PoolRecord`.
pub const IP_POOLS: TableDefinition<u64, &[u8]> = TableDefinition::new("ip_pools");

/// Pool name → id.
pub const IP_POOL_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("ip_pool_by_name");

/// `(pool, first unit)` → last unit: the runs of units a pool can hand out now (see
/// `domain::ipam` for what a unit index is). Runs never touch or overlap.
pub const IP_FREE: TableDefinition<(u64, u128), u128> = TableDefinition::new("ip_free");

/// `(pool, rests until (ms), unit)`: released units resting before they are free again.
pub const IP_COOLING: TableDefinition<(u64, i64, u128), ()> = TableDefinition::new("ip_cooling");

/// `(pool, unit)` → `IpLeaseRecord`: who holds each handed-out unit.
pub const IP_LEASES: TableDefinition<(u64, u128), &[u8]> = TableDefinition::new("ip_leases");

/// Pool → (units leased, units cooling), kept with every change.
pub const IP_POOL_COUNTS: TableDefinition<u64, (u64, u64)> = TableDefinition::new("ip_pool_counts");

/// VM id → `(pool, unit)` of each address it holds.
pub const VM_IPS: MultimapTableDefinition<u64, (u64, u128)> = MultimapTableDefinition::new("vm_ips");

/// VM id → its guest addresses as the lists show them, packed (`store::addresses`), kept with
/// `VM_IPS`.
pub const VM_ADDRESSES: TableDefinition<u64, &[u8]> = TableDefinition::new("vm_addresses");

/// `(VM id, day number since 1970-01-01 UTC)` → (bytes in, bytes out) of its public interface.
pub const TRAFFIC_DAYS: TableDefinition<(u64, u32), (u64, u64)> = TableDefinition::new("traffic_days");

/// VM id → (run id, bytes in, bytes out): the interface counters last sampled.
pub const TRAFFIC_SEEN: TableDefinition<u64, (u32, u64, u64)> = TableDefinition::new("traffic_seen");

/// `(VM id, tier, slot)` → its usage over one bucket of the tier (`domain::usage`): (bucket
/// start in seconds, then `Usage::to_tuple`). One fixed ring per VM and tier: a bucket's slot is
/// overwritten when the ring comes round, so the table's size is bounded.
pub const VM_USAGE: TableDefinition<(u64, u8, u16), (i64, crate::domain::usage::Sums)> =
    TableDefinition::new("vm_usage");

/// VM id → the counters last read: (seconds, vCPUs, CPU ns, disk read, disk written, rx, tx).
pub const VM_USAGE_SEEN: TableDefinition<u64, crate::domain::usage::StoredReading> =
    TableDefinition::new("vm_usage_seen");

/// VM id → since when (seconds) its vCPUs have been busy at the abuse rule's level without a
/// break; no row while they are not.
pub const CPU_BUSY_SINCE: TableDefinition<u64, i64> = TableDefinition::new("cpu_busy_since");

/// VM id → `AbuseCase`: the abuse rule's case about it (open, capped, suspended or closed).
pub const ABUSE_CASES: TableDefinition<u64, &[u8]> = TableDefinition::new("abuse_cases");

/// Rescue image id → `RescueImage`: the rescue systems the hoster imported (the newest is the
/// one servers boot; older ones stay while a server in rescue still runs on them).
pub const RESCUE_IMAGES: TableDefinition<u64, &[u8]> = TableDefinition::new("rescue_images");

/// VM id → `RescueRecord`: the server boots the rescue system (no row: its own disk).
pub const VM_RESCUE: TableDefinition<u64, &[u8]> = TableDefinition::new("vm_rescue");

/// Plan id → its monthly traffic allowance, GiB (no row: unlimited). Beside the plan record,
/// so older plan records need no rewrite.
pub const PLAN_TRAFFIC: TableDefinition<u64, u64> = TableDefinition::new("plan_traffic");

/// Plan id → price of each GiB begun past the allowance (minor units): servers on such a plan
/// are charged for extra traffic instead of throttled (no row: throttled).
pub const PLAN_OVERAGE: TableDefinition<u64, i64> = TableDefinition::new("plan_overage");

/// VM id → (month index, GiB charged): the extra traffic billed for the server's month.
pub const TRAFFIC_CHARGED: TableDefinition<u64, (u32, u64)> = TableDefinition::new("traffic_charged");

/// VM id → `VmLimits`: what an admin set for the server instead of its plan's port speed and
/// allowance.
pub const VM_LIMITS: TableDefinition<u64, &[u8]> = TableDefinition::new("vm_limits");

/// ISO id → `IsoRecord`: the ISO images admins published.
pub const ISOS: TableDefinition<u64, &[u8]> = TableDefinition::new("isos");

/// VM id → `VmIso`: the ISO in the server's CD-ROM drive (no row: the drive is empty).
pub const VM_ISO: TableDefinition<u64, &[u8]> = TableDefinition::new("vm_iso");

/// ISO id → owner's user id: the ISOs customers uploaded for themselves (no row: published by
/// the hoster, for everyone).
pub const ISO_OWNERS: TableDefinition<u64, u64> = TableDefinition::new("iso_owners");

/// (VM id, snapshot id) → `SnapshotRecord`: the snapshots of each server's disks.
pub const SNAPSHOTS: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("snapshots");

/// VM id → (month index, notice level told, throttled): the allowance rule's state of the
/// server's current month (`domain::allowance::MonthState`).
pub const TRAFFIC_MONTH: TableDefinition<u64, (u32, u8, bool)> = TableDefinition::new("traffic_month");

/// Private networks by id → `PrivNetRecord`.
pub const PRIVATE_NETS: TableDefinition<u64, &[u8]> = TableDefinition::new("private_nets");

/// `(network, VM)` → (interface slot, host address index): the VMs on each private network.
pub const NET_MEMBERS: TableDefinition<(u64, u64), (u8, u32)> = TableDefinition::new("net_members");

/// `(VM, network)` → (interface slot, host address index): the same rows by VM.
pub const VM_NETS: TableDefinition<(u64, u64), (u8, u32)> = TableDefinition::new("vm_nets");

/// Extra disks by id → `DiskRecord`.
pub const DISKS: TableDefinition<u64, &[u8]> = TableDefinition::new("disks");

/// `(VM, slot)` → disk id: the extra disks attached to each VM.
pub const VM_DISKS: TableDefinition<(u64, u8), u64> = TableDefinition::new("vm_disks");

/// VM id → `FirewallRecord`: the VM's inbound firewall (absent: everything allowed).
pub const VM_FIREWALLS: TableDefinition<u64, &[u8]> = TableDefinition::new("vm_firewalls");

/// `(owner, kind, id)` → amount: what an account holds besides VMs, for quota sums and lists
/// (kinds in `store::holdings`).
pub const OWNER_HOLDINGS: TableDefinition<(u64, u8, u64), u64> = TableDefinition::new("owner_holdings");

/// Key of the `schema_version` entry in [`META`].
pub const META_SCHEMA_VERSION: &str = "schema_version";
/// Key of the last assigned user id in [`META`].
pub const META_LAST_USER_ID: &str = "last_user_id";
/// Key of the last assigned template id in [`META`].
pub const META_LAST_TEMPLATE_ID: &str = "last_template_id";
/// Key of the last assigned plan id in [`META`].
pub const META_LAST_PLAN_ID: &str = "last_plan_id";
/// Key of the last assigned VM id in [`META`].
pub const META_LAST_VM_ID: &str = "last_vm_id";
/// Key of the last assigned SSH key id in [`META`].
pub const META_LAST_KEY_ID: &str = "last_key_id";
/// Key of the last assigned quota request id in [`META`].
pub const META_LAST_QUOTA_REQUEST_ID: &str = "last_quota_request_id";
/// Key of the last assigned IP pool id in [`META`].
pub const META_LAST_POOL_ID: &str = "last_pool_id";
/// Key of the last assigned private network id in [`META`].
pub const META_LAST_NET_ID: &str = "last_net_id";
/// Key of the last assigned extra disk id in [`META`].
pub const META_LAST_DISK_ID: &str = "last_disk_id";
/// Backups by id (`BackupRecord`).
pub const BACKUPS: TableDefinition<u64, &[u8]> = TableDefinition::new("backups");

/// A VM's backups: (vm, backup) → ().
pub const VM_BACKUPS: TableDefinition<(u64, u64), ()> = TableDefinition::new("vm_backups");

/// Backup schedules by id (`ScheduleRecord`).
pub const BACKUP_SCHEDULES: TableDefinition<u64, &[u8]> = TableDefinition::new("backup_schedules");

/// A VM's backup schedules: (vm, schedule) → ().
pub const VM_SCHEDULES: TableDefinition<(u64, u64), ()> = TableDefinition::new("vm_schedules");

/// VMs being made from a backup: vm → `RestoreSource` (removed once the VM is made or failed).
pub const VM_RESTORES: TableDefinition<u64, &[u8]> = TableDefinition::new("vm_restores");

/// Notices by (recipient, id): the recipient is a user id, or 0 for the admins
/// (`NoticeRecord`).
pub const NOTICES: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("notices");

/// Notices to send by e-mail: notice id → recipient key (as in [`NOTICES`]).
pub const MAIL_OUTBOX: TableDefinition<u64, u64> = TableDefinition::new("mail_outbox");

/// Per reader: the notice id up to which they have read.
pub const NOTICE_READ: TableDefinition<u64, u64> = TableDefinition::new("notice_read");

/// Key of the last notice id in [`META`].
pub const META_LAST_NOTICE_ID: &str = "last_notice_id";

/// Billing usage intervals by id (`UsageRecord`).
pub const USAGE: TableDefinition<u64, &[u8]> = TableDefinition::new("usage");

/// The open usage interval of each billable resource: resource → usage id.
pub const USAGE_OPEN: TableDefinition<&str, u64> = TableDefinition::new("usage_open");

/// Each account's open usage intervals: (account, usage id) → ().
pub const OWNER_USAGE: TableDefinition<(u64, u64), ()> = TableDefinition::new("owner_usage");

/// Each account's open usage summed by item: (account, item key) → units (bytes for backup
/// storage), kept with [`OWNER_USAGE`] by `store::billing`, so an account's hourly rate is a
/// few rows however many resources it has.
pub const OWNER_OPEN_ITEMS: TableDefinition<(u64, &str), u64> = TableDefinition::new("owner_open_items");

/// Key of the last usage id in [`META`].
pub const META_LAST_USAGE_ID: &str = "last_usage_id";

/// Price history: (item key, first hour it applies to) → `PriceRecord`.
pub const PRICES: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("prices");

/// Each account's ledger: (account, seq) → `LedgerEntry` (append-only).
pub const LEDGER: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("ledger");

/// The store's health probe: room for an ordinary change, written and removed (see
/// `Store::probe`).
pub const STORE_PROBE: TableDefinition<u64, &[u8]> = TableDefinition::new("store_probe");

/// Each account's transactions as the Billing page lists them: (account, first seq) →
/// `LedgerRow` (a UTC day's run of hourly charges, or one other entry), kept with the ledger.
pub const LEDGER_ROWS: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("ledger_rows");

/// Which hours are charged: (account, hour) → seq of its charge entry.
pub const LEDGER_HOURS: TableDefinition<(u64, u64), u64> = TableDefinition::new("ledger_hours");

/// Cached balance of each account, minor units (moved with every ledger entry).
pub const BALANCES: TableDefinition<u64, i64> = TableDefinition::new("balances");

/// Usage per account, month and resource: (account, month, resource) → `MonthLine`.
pub const MONTH_LINES: TableDefinition<(u64, u32, &str), &[u8]> = TableDefinition::new("month_lines");

/// Statements by number (`StatementRecord`), numbered from 1 without gaps.
pub const STATEMENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("statements");

/// An account's statements: (account, month) → number.
pub const OWNER_STATEMENTS: TableDefinition<(u64, u32), u64> = TableDefinition::new("owner_statements");

/// Key in [`META`] of the last statement number.
pub const META_LAST_STATEMENT_NO: &str = "last_statement_no";

/// Each account's standing (`Standing`): below zero since, notices sent, suspension.
pub const STANDINGS: TableDefinition<u64, &[u8]> = TableDefinition::new("standings");

/// Key in [`META`] of the first hour not metered yet.
pub const META_METERED_UNTIL: &str = "metered_until_hour";

/// The address each account signed up from: user id → IP text (for trial decisions).
pub const SIGNUP_IPS: TableDefinition<u64, &str> = TableDefinition::new("signup_ips");

/// Free trials by account (`TrialRecord`).
pub const TRIALS: TableDefinition<u64, &[u8]> = TableDefinition::new("trials");

/// Downtime of VMs: (vm, id) → `DowntimeRecord`.
pub const DOWNTIME: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("downtime");

/// Key in [`META`] of the last downtime id.
pub const META_LAST_DOWNTIME_ID: &str = "last_downtime_id";

/// Key in [`META`] of the daemon's last heartbeat (Unix milliseconds).
pub const META_HEARTBEAT: &str = "heartbeat_ms";

/// VM id → `OpenDowntime`: a platform fault seen and not yet over.
pub const OPEN_DOWNTIME: TableDefinition<u64, &[u8]> = TableDefinition::new("open_downtime");

/// Incidents by id → `IncidentRecord`.
pub const INCIDENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("incidents");

/// Counter for incident ids.
pub const META_LAST_INCIDENT_ID: &str = "last_incident_id";

/// Maintenance windows by id → `MaintenanceRecord`.
pub const MAINTENANCE: TableDefinition<u64, &[u8]> = TableDefinition::new("maintenance");

/// Counter for maintenance window ids.
pub const META_LAST_MAINTENANCE_ID: &str = "last_maintenance_id";

/// (account, month) → `SlaCreditRecord`: the availability credits booked for a month.
pub const SLA_CREDITS: TableDefinition<(u64, u32), &[u8]> = TableDefinition::new("sla_credits");

/// The last month whose availability credits are booked (a `Month`).
pub const META_SLA_CREDITED_MONTH: &str = "sla_credited_month";

/// Support requests by id → `SupportRecord`.
pub const SUPPORT: TableDefinition<u64, &[u8]> = TableDefinition::new("support");

/// (account, request id): an account's requests.
pub const OWNER_SUPPORT: TableDefinition<(u64, u64), ()> = TableDefinition::new("owner_support");

/// (request id, message number) → `MessageRecord`.
pub const SUPPORT_MESSAGES: TableDefinition<(u64, u32), &[u8]> = TableDefinition::new("support_messages");

/// Counter for support request ids.
pub const META_LAST_SUPPORT_ID: &str = "last_support_id";

/// Quota request id → alerts sent about its response target (1: at risk, 2: missed).
pub const QUOTA_ALERTS: TableDefinition<u64, u8> = TableDefinition::new("quota_alerts");

/// Admin notice id → 0: waiting to be sent to the Telegram chat.
pub const TELEGRAM_OUTBOX: TableDefinition<u64, u64> = TableDefinition::new("telegram_outbox");

/// One-time code of the customers' Telegram bot (text) → `LinkCode`.
pub const TG_CODES: TableDefinition<&str, &[u8]> = TableDefinition::new("tg_codes");

/// User id → `TgLink`: the Telegram account linked to a cabinet account.
pub const TG_LINKS: TableDefinition<u64, &[u8]> = TableDefinition::new("tg_links");

/// Telegram user id → user id: who a Telegram user is in the cabinet.
pub const TG_USERS: TableDefinition<i64, u64> = TableDefinition::new("tg_users");

/// Telegram user id → `Dialog`: where their conversation with the bot stands (absent: idle).
pub const TG_DIALOGS: TableDefinition<i64, &[u8]> = TableDefinition::new("tg_dialogs");

/// Number → `Outgoing`: the bot's messages waiting to be sent, in order.
pub const TG_OUTBOX: TableDefinition<u64, &[u8]> = TableDefinition::new("tg_outbox");

/// Key in [`META`] of the id of the last Telegram update handled.
pub const META_TG_OFFSET: &str = "tg_offset";

/// Key in [`META`] of the last number given to an outgoing Telegram message.
pub const META_TG_LAST_OUT: &str = "tg_last_out";

/// An account's preferences by user id (`AccountPrefs`).
pub const ACCOUNT_PREFS: TableDefinition<u64, &[u8]> = TableDefinition::new("account_prefs");

/// UUID (text) of a domain, network filter or private network this installation removed from
/// its state → `GoneRecord`: proof for reconcile that what libvirt still has under that UUID
/// is its own and must go. Kept for [`crate::store::host::GONE_KEEP_DAYS`].
pub const GONE: TableDefinition<&str, &[u8]> = TableDefinition::new("gone");

/// `<kind>:<name>` → `UnmanagedRecord`: what reconcile found on the host with vpsbox's names
/// but cannot prove is this installation's to manage (left alone, listed for the admins).
pub const UNMANAGED: TableDefinition<&str, &[u8]> = TableDefinition::new("unmanaged");

/// Key of the last backup schedule id in [`META`].
pub const META_LAST_SCHEDULE_ID: &str = "last_schedule_id";

/// Key of the last backup id in [`META`].
pub const META_LAST_BACKUP_ID: &str = "last_backup_id";

/// Key in [`SETTINGS`] of this installation's id (16 bytes, a random UUID made with the state):
/// everything vpsbox makes on the host carries it, so it can tell its own from another's.
pub const INSTALLATION_KEY: &str = "installation_id";

/// Key in [`META`]: when (Unix seconds) the state was put back from a copy. While set, nothing
/// that the state does not know (domains, networks, image files) is removed automatically: it
/// may be a customer's resource made after the copy was taken.
pub const META_RESTORED_AT: &str = "restored_at";
/// Key in [`META`]: when (Unix ms) the store's health probe last committed a write (see
/// `Store::probe`).
pub const META_PROBE: &str = "probe_ms";
/// Key of the last passkey id in [`META`].
pub const META_LAST_PASSKEY_ID: &str = "last_passkey_id";
/// Key of the last audit sequence number in [`META`].
pub const META_LAST_AUDIT_ID: &str = "last_audit_id";
/// The last ISO id handed out.
pub const META_LAST_ISO_ID: &str = "last_iso_id";
/// The last snapshot id handed out.
pub const META_LAST_SNAPSHOT_ID: &str = "last_snapshot_id";
/// The last rescue image id handed out (the current rescue image has the highest id).
pub const META_LAST_RESCUE_IMAGE_ID: &str = "last_rescue_image_id";

/// Calls `$m!(table NAME)` or `$m!(multimap NAME)` once for every table: the one list that
/// creating, checking and copying the store work from.
macro_rules! each_table {
    ($m:ident) => {
        $m!(table META);
        $m!(table USERS);
        $m!(table USER_BY_EMAIL);
        $m!(table SESSIONS);
        $m!(multimap USER_SESSIONS);
        $m!(table LOGIN_FAILURES);
        $m!(table RESET_TOKENS);
        $m!(table TOTP);
        $m!(table PASSKEYS);
        $m!(table PASSKEY_BY_CREDENTIAL);
        $m!(table SECOND_STEPS);
        $m!(table SETTINGS);
        $m!(table TEMPLATES);
        $m!(table TEMPLATE_BY_NAME);
        $m!(table PLANS);
        $m!(table PLAN_BY_NAME);
        $m!(table VMS);
        $m!(table OWNER_VMS);
        $m!(table VM_BY_UUID);
        $m!(table VM_HOSTNAMES);
        $m!(table CREATE_KEYS);
        $m!(table INTENTS);
        $m!(table SSH_KEYS);
        $m!(multimap USER_KEYS);
        $m!(table QUOTAS);
        $m!(table QUOTA_REQUESTS);
        $m!(table AUDIT);
        $m!(multimap USER_AUDIT);
        $m!(multimap RESOURCE_AUDIT);
        $m!(table IP_POOLS);
        $m!(table IP_POOL_BY_NAME);
        $m!(table IP_FREE);
        $m!(table IP_COOLING);
        $m!(table IP_LEASES);
        $m!(table IP_POOL_COUNTS);
        $m!(table PRIVATE_NETS);
        $m!(table NET_MEMBERS);
        $m!(table VM_NETS);
        $m!(table DISKS);
        $m!(table VM_DISKS);
        $m!(table OWNER_HOLDINGS);
        $m!(table VM_FIREWALLS);
        $m!(multimap VM_IPS);
        $m!(table VM_ADDRESSES);
        $m!(table TRAFFIC_DAYS);
        $m!(table TRAFFIC_SEEN);
        $m!(table BACKUPS);
        $m!(table VM_BACKUPS);
        $m!(table BACKUP_SCHEDULES);
        $m!(table VM_SCHEDULES);
        $m!(table ACCOUNT_PREFS);
        $m!(table VM_RESTORES);
        $m!(table NOTICES);
        $m!(table NOTICE_READ);
        $m!(table MAIL_OUTBOX);
        $m!(table USAGE);
        $m!(table USAGE_OPEN);
        $m!(table OWNER_USAGE);
        $m!(table OWNER_OPEN_ITEMS);
        $m!(table PRICES);
        $m!(table LEDGER);
        $m!(table LEDGER_HOURS);
        $m!(table STORE_PROBE);
        $m!(table LEDGER_ROWS);
        $m!(table BALANCES);
        $m!(table MONTH_LINES);
        $m!(table STATEMENTS);
        $m!(table OWNER_STATEMENTS);
        $m!(table STANDINGS);
        $m!(table SIGNUP_IPS);
        $m!(table TRIALS);
        $m!(table DOWNTIME);
        $m!(table OPEN_DOWNTIME);
        $m!(table INCIDENTS);
        $m!(table MAINTENANCE);
        $m!(table SLA_CREDITS);
        $m!(table SUPPORT);
        $m!(table OWNER_SUPPORT);
        $m!(table SUPPORT_MESSAGES);
        $m!(table TELEGRAM_OUTBOX);
        $m!(table TG_CODES);
        $m!(table TG_LINKS);
        $m!(table TG_USERS);
        $m!(table TG_DIALOGS);
        $m!(table TG_OUTBOX);
        $m!(table QUOTA_ALERTS);
        $m!(table GONE);
        $m!(table UNMANAGED);
        $m!(table API_TOKENS);
        $m!(table USER_EXTERNAL);
        $m!(table EXTERNAL_SERVICES);
        $m!(table VM_EXTERNAL);
        $m!(table API_IDEMPOTENCY);
        $m!(table EXTERNAL_OF_USER);
        $m!(multimap OWNER_TOKENS);
        $m!(table OPERATIONS);
        $m!(table VM_OPERATION);
        $m!(table VM_DELETIONS);
        $m!(table SSO_LINKS);
        $m!(table BOOKING_REFS);
        $m!(table WEBHOOKS);
        $m!(table WEBHOOK_DELIVERIES);
        $m!(table WEBHOOK_DUE);
        $m!(multimap WEBHOOK_LOG);
        $m!(table VM_USAGE);
        $m!(table VM_USAGE_SEEN);
        $m!(table CPU_BUSY_SINCE);
        $m!(table ABUSE_CASES);
        $m!(table RESCUE_IMAGES);
        $m!(table VM_RESCUE);
        $m!(table PLAN_TRAFFIC);
        $m!(table PLAN_OVERAGE);
        $m!(table TRAFFIC_CHARGED);
        $m!(table VM_LIMITS);
        $m!(table TRAFFIC_MONTH);
        $m!(table ISOS);
        $m!(table VM_ISO);
        $m!(table SNAPSHOTS);
        $m!(table ISO_OWNERS);
    };
}
pub(crate) use each_table;

/// Names of every table.
pub fn all_names() -> Vec<&'static str> {
    let mut names = Vec::new();
    macro_rules! name {
        (table $t:ident) => {
            names.push($t.name());
        };
        (multimap $t:ident) => {
            names.push($t.name());
        };
    }
    each_table!(name);
    names
}

/// Whether every table exists (a file written by an older binary may lack new ones).
pub fn all_exist(tx: &redb::ReadTransaction) -> Result<bool, redb::TableError> {
    let names: Vec<String> = tx
        .list_tables()?
        .map(|h| h.name().to_string())
        .chain(tx.list_multimap_tables()?.map(|h| h.name().to_string()))
        .collect();
    Ok(all_names().iter().all(|n| names.iter().any(|have| have == n)))
}

/// Create every table, so read transactions never meet a missing one.
pub fn create_all(tx: &redb::WriteTransaction) -> Result<(), redb::TableError> {
    macro_rules! open {
        (table $t:ident) => {
            tx.open_table($t)?;
        };
        (multimap $t:ident) => {
            tx.open_multimap_table($t)?;
        };
    }
    each_table!(open);
    Ok(())
}
