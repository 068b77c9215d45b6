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

/// Admin-changeable settings → `SettingsRecord` under the key `settings`.
pub const SETTINGS: TableDefinition<&str, &[u8]> = TableDefinition::new("settings");

/// OS templates by id → `TemplateRecord`.
pub const TEMPLATES: TableDefinition<u64, &[u8]> = TableDefinition::new("templates");

/// Template name → id.
pub const TEMPLATE_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("template_by_name");

/// Plans by id → `PlanRecord`.
pub const PLANS: TableDefinition<u64, &[u8]> = TableDefinition::new("plans");

/// Plan name → id.
pub const PLAN_BY_NAME: TableDefinition<&str, u64> = TableDefinition::new("plan_by_name");

/// Key of the `schema_version` entry in [`META`].
pub const META_SCHEMA_VERSION: &str = "schema_version";
/// Key of the last assigned user id in [`META`].
pub const META_LAST_USER_ID: &str = "last_user_id";
/// Key of the last assigned template id in [`META`].
pub const META_LAST_TEMPLATE_ID: &str = "last_template_id";
/// Key of the last assigned plan id in [`META`].
pub const META_LAST_PLAN_ID: &str = "last_plan_id";

/// Whether every table exists (a file written by an older binary may lack new ones).
pub fn all_exist(tx: &redb::ReadTransaction) -> Result<bool, redb::TableError> {
    let names: Vec<String> = tx
        .list_tables()?
        .map(|h| h.name().to_string())
        .chain(tx.list_multimap_tables()?.map(|h| h.name().to_string()))
        .collect();
    Ok(ALL.iter().all(|n| names.iter().any(|have| have == n)))
}

/// Names of every table, for [`all_exist`].
const ALL: &[&str] = &[
    "meta",
    "users",
    "user_by_email",
    "sessions",
    "user_sessions",
    "login_failures",
    "reset_tokens",
    "settings",
    "templates",
    "template_by_name",
    "plans",
    "plan_by_name",
];

/// Create every table, so read transactions never meet a missing one.
pub fn create_all(tx: &redb::WriteTransaction) -> Result<(), redb::TableError> {
    tx.open_table(META)?;
    tx.open_table(USERS)?;
    tx.open_table(USER_BY_EMAIL)?;
    tx.open_table(SESSIONS)?;
    tx.open_multimap_table(USER_SESSIONS)?;
    tx.open_table(LOGIN_FAILURES)?;
    tx.open_table(RESET_TOKENS)?;
    tx.open_table(SETTINGS)?;
    tx.open_table(TEMPLATES)?;
    tx.open_table(TEMPLATE_BY_NAME)?;
    tx.open_table(PLANS)?;
    tx.open_table(PLAN_BY_NAME)?;
    Ok(())
}
