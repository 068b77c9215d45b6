//! Every table of the state file. Keys are plain redb types; values are versioned records
//! (see `codec`) unless noted.

use redb::{MultimapTableDefinition, TableDefinition};

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

/// Key of the `schema_version` entry in [`META`].
pub const META_SCHEMA_VERSION: &str = "schema_version";
/// Key of the last assigned user id in [`META`].
pub const META_LAST_USER_ID: &str = "last_user_id";

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
    Ok(())
}
