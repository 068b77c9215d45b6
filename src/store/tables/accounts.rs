//! Accounts: users, sign-in (sessions, second steps, passkeys, single sign-on), SSH keys, quotas, trials and preferences.

use redb::{MultimapTableDefinition, TableDefinition};

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

/// SSH keys by id → `SshKeyRecord`.
pub const SSH_KEYS: TableDefinition<u64, &[u8]> = TableDefinition::new("ssh_keys");

/// Owner id → ids of their SSH keys.
pub const USER_KEYS: MultimapTableDefinition<u64, u64> = MultimapTableDefinition::new("user_keys");

/// User id → `QuotaRecord` (limits set at sign-up, changed by admins).
pub const QUOTAS: TableDefinition<u64, &[u8]> = TableDefinition::new("quotas");

/// Quota increase requests by id → `QuotaRequestRecord`.
pub const QUOTA_REQUESTS: TableDefinition<u64, &[u8]> = TableDefinition::new("quota_requests");

/// The address each account signed up from: user id → IP text (for trial decisions).
pub const SIGNUP_IPS: TableDefinition<u64, &str> = TableDefinition::new("signup_ips");

/// Free trials by account (`TrialRecord`).
pub const TRIALS: TableDefinition<u64, &[u8]> = TableDefinition::new("trials");

/// Quota request id → alerts sent about its response target (1: at risk, 2: missed).
pub const QUOTA_ALERTS: TableDefinition<u64, u8> = TableDefinition::new("quota_alerts");

/// An account's preferences by user id (`AccountPrefs`).
pub const ACCOUNT_PREFS: TableDefinition<u64, &[u8]> = TableDefinition::new("account_prefs");
