//! Every table of the state file. Keys are plain redb types; values are versioned records
//! (see `codec`) unless noted. The definitions live in a file per area; this one keeps the
//! bookkeeping table with its keys and the one list of every table.

use redb::{MultimapTableHandle, TableDefinition, TableHandle};

mod accounts;
mod api;
mod billing;
mod catalog;
mod messages;
mod network;
mod sla;
mod storage;
mod vms;

pub use accounts::*;
pub use api::*;
pub use billing::*;
pub use catalog::*;
pub use messages::*;
pub use network::*;
pub use sla::*;
pub use storage::*;
pub use vms::*;

/// Bookkeeping: `schema_version`, id counters. Values are plain `u64`.
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta");

/// Admin-changeable settings → `SettingsRecord` under the key `settings`, `TwoFactorPolicy`
/// under `two_factor`.
pub const SETTINGS: TableDefinition<&str, &[u8]> = TableDefinition::new("settings");

/// Keys of the last webhook, delivery and event ids in [`META`].
pub const META_LAST_WEBHOOK_ID: &str = "last_webhook_id";

/// See [`META_LAST_WEBHOOK_ID`].
pub const META_LAST_DELIVERY_ID: &str = "last_delivery_id";

/// See [`META_LAST_WEBHOOK_ID`].
pub const META_LAST_EVENT_ID: &str = "last_event_id";

/// Key of the last operation id in [`META`].
pub const META_LAST_OPERATION_ID: &str = "last_operation_id";

/// Key of the last API token id in [`META`].
pub const META_LAST_TOKEN_ID: &str = "last_token_id";

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

/// Key of the last notice id in [`META`].
pub const META_LAST_NOTICE_ID: &str = "last_notice_id";

/// Key of the last usage id in [`META`].
pub const META_LAST_USAGE_ID: &str = "last_usage_id";

/// The store's health probe: room for an ordinary change, written and removed (see
/// `Store::probe`).
pub const STORE_PROBE: TableDefinition<u64, &[u8]> = TableDefinition::new("store_probe");

/// Key in [`META`] of the last statement number.
pub const META_LAST_STATEMENT_NO: &str = "last_statement_no";

/// Key in [`META`] of the first hour not metered yet.
pub const META_METERED_UNTIL: &str = "metered_until_hour";

/// Key in [`META`] of the last downtime id.
pub const META_LAST_DOWNTIME_ID: &str = "last_downtime_id";

/// Key in [`META`] of the daemon's last heartbeat (Unix milliseconds).
pub const META_HEARTBEAT: &str = "heartbeat_ms";

/// Counter for incident ids.
pub const META_LAST_INCIDENT_ID: &str = "last_incident_id";

/// Counter for maintenance window ids.
pub const META_LAST_MAINTENANCE_ID: &str = "last_maintenance_id";

/// The last month whose availability credits are booked (a `Month`).
pub const META_SLA_CREDITED_MONTH: &str = "sla_credited_month";

/// Counter for support request ids.
pub const META_LAST_SUPPORT_ID: &str = "last_support_id";

/// Key in [`META`] of the id of the last Telegram update handled.
pub const META_TG_OFFSET: &str = "tg_offset";

/// Key in [`META`] of the last number given to an outgoing Telegram message.
pub const META_TG_LAST_OUT: &str = "tg_last_out";

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
