//! Accounts and sessions: sign-up, login with throttling, sessions with idle and absolute
//! expiry, logout (here and everywhere), password change and one-time reset links, admin
//! account management and the run-time sign-up switch.

use std::net::IpAddr;
use std::sync::Arc;

use redb::ReadableTable;

use super::passwords::PasswordPool;
use super::{blocking, tokens};
use crate::clock::Clock;
use crate::config::AccountsConfig;
use crate::domain::account::{Email, Role, UserId, check_new_password};
use crate::domain::quota::Amounts;
use crate::domain::throttle::FailureWindow;
use crate::store::codec::{decode, encode};
use crate::store::records::{
    QuotaRecord, ResetTokenRecord, SETTINGS_KEY, SessionRecord, SettingsRecord, UserRecord,
};
use crate::store::tables::{
    LOGIN_FAILURES, META, META_LAST_USER_ID, QUOTAS, RESET_TOKENS, SESSIONS, SETTINGS, USER_BY_EMAIL,
    USER_SESSIONS, USERS,
};
use crate::store::{Store, StoreError};

/// How long a password-reset link works.
pub const RESET_LINK_SECS: i64 = 3600;
/// A session's `last_seen` is rewritten at most this often.
pub const TOUCH_INTERVAL_SECS: i64 = 60;

mod error;
pub use error::AccountError;
pub use prefs::Alike;

mod external;
mod passkeys;
mod prefs;
mod sessions;
mod sso;
mod two_factor;
pub use passkeys::{CEREMONY_SECS, Challenge, NAME_MAX_CHARS, PasskeyRow};
pub use sso::{SSO_LINK_SECS, SsoLink};
pub use two_factor::{Passed, SECOND_STEP_SECS, SecondStep, SignIn, TwoFactorState};

/// A session just created by a login.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The secret for the cookie; never stored.
    pub token: String,
    /// Whose session.
    pub user: UserId,
}

/// Open a session for `user` inside `tx`.
pub(crate) fn open_session(
    tx: &redb::WriteTransaction,
    user: UserId,
    now: crate::domain::time::Timestamp,
    client_ip: String,
) -> Result<NewSession, AccountError> {
    let token = tokens::random_bytes();
    let key = tokens::digest(&token);
    let rec =
        SessionRecord { user, created_at: now, last_seen: now, csrf: tokens::random_bytes(), client_ip };
    tx.open_table(SESSIONS)?.insert(&key, encode(&rec)?.as_slice())?;
    tx.open_multimap_table(USER_SESSIONS)?.insert(user.0, &key)?;
    Ok(NewSession { token: tokens::encode(&token), user })
}

/// A valid session and its account.
#[derive(Debug, Clone)]
pub struct SessionView {
    /// The account.
    pub user: UserRecord,
    /// CSRF token for forms, text form.
    pub csrf: String,
    /// Stored key of the session.
    pub key: [u8; 32],
    /// The stored `last_seen` is old enough to be rewritten.
    pub needs_touch: bool,
}

/// The accounts service.
#[derive(Clone)]
pub struct Accounts {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    pool: PasswordPool,
    idle_secs: i64,
    absolute_secs: i64,
    signup_default: bool,
    default_quota: Amounts,
    ceremonies: passkeys::Ceremonies,
}

/// Throttle key of a client address: IPv6 clients are grouped by /64, as one host usually holds
/// a whole /64.
pub fn ip_throttle_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => format!("ip:{v4}"),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("ip:{v4}"),
            None => {
                let s = v6.segments();
                format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

fn account_throttle_key(email: &str) -> String {
    format!("acct:{}", email.trim().to_lowercase())
}

fn read_window(tx: &redb::ReadTransaction, key: &str) -> Result<FailureWindow, StoreError> {
    let t = tx.open_table(LOGIN_FAILURES)?;
    match t.get(key)? {
        Some(v) => decode(v.value()),
        None => Ok(FailureWindow::default()),
    }
}

fn get_user(tx: &redb::ReadTransaction, id: UserId) -> Result<Option<UserRecord>, StoreError> {
    let t = tx.open_table(USERS)?;
    t.get(id.0)?.map(|v| decode(v.value())).transpose()
}

fn user_by_email(tx: &redb::ReadTransaction, email: &Email) -> Result<Option<UserRecord>, StoreError> {
    let ids = tx.open_table(USER_BY_EMAIL)?;
    let Some(id) = ids.get(email.as_str())?.map(|v| v.value()) else {
        return Ok(None);
    };
    get_user(tx, UserId(id))
}

fn put_user(tx: &redb::WriteTransaction, user: &UserRecord) -> Result<(), StoreError> {
    tx.open_table(USERS)?.insert(user.id.0, encode(user)?.as_slice())?;
    Ok(())
}

/// Delete every session of `user` inside `tx`.
fn revoke_sessions(tx: &redb::WriteTransaction, user: UserId) -> Result<usize, StoreError> {
    let mut by_user = tx.open_multimap_table(USER_SESSIONS)?;
    let mut sessions = tx.open_table(SESSIONS)?;
    let keys: Vec<[u8; 32]> =
        by_user.remove_all(user.0)?.map(|k| k.map(|k| *k.value())).collect::<Result<_, _>>()?;
    for k in &keys {
        sessions.remove(k)?;
    }
    Ok(keys.len())
}

impl Accounts {
    /// The service over `store`, reading time from `clock`.
    /// New accounts get `default_quota` as their limits.
    pub fn new(
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
        cfg: &AccountsConfig,
        default_quota: Amounts,
    ) -> Accounts {
        Accounts {
            default_quota,
            store,
            clock,
            pool: PasswordPool::new(cfg.hash_concurrency),
            idle_secs: i64::from(cfg.session_idle_minutes) * 60,
            absolute_secs: i64::from(cfg.session_absolute_hours) * 3600,
            signup_default: cfg.signup,
            ceremonies: passkeys::Ceremonies::default(),
        }
    }

    /// The store underneath (for health checks).
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Whether customers may sign up themselves now.
    pub fn signup_enabled(&self) -> Result<bool, AccountError> {
        let tx = self.store.read()?;
        let t = tx.open_table(SETTINGS)?;
        Ok(match t.get(SETTINGS_KEY)? {
            Some(v) => decode::<SettingsRecord>(v.value())?.signup_enabled,
            None => self.signup_default,
        })
    }

    /// Turn self sign-up on or off (admin).
    pub async fn set_signup_enabled(&self, enabled: bool) -> Result<(), AccountError> {
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            let rec = SettingsRecord { signup_enabled: enabled };
            tx.open_table(SETTINGS)?.insert(SETTINGS_KEY, encode(&rec)?.as_slice())?;
            tx.commit().map_err(StoreError::from)?;
            Ok(())
        })
        .await
    }

    /// A customer signs up in the cabinet.
    pub async fn sign_up(&self, email: &str, password: &str) -> Result<UserId, AccountError> {
        if !self.signup_enabled()? {
            return Err(AccountError::SignupClosed);
        }
        self.create_user(email, password, Role::Customer).await
    }

    /// Create an account (sign-up, admin page, CLI).
    pub async fn create_user(&self, email: &str, password: &str, role: Role) -> Result<UserId, AccountError> {
        self.create_user_with(email, password, role, None).await
    }

    /// Create an account, carrying an outside system's id for it when given (unique; see
    /// `external.rs`), in one transaction.
    pub async fn create_user_with(
        &self,
        email: &str,
        password: &str,
        role: Role,
        external: Option<String>,
    ) -> Result<UserId, AccountError> {
        let external = external.map(|e| external::checked(&e)).transpose()?;
        let email = Email::parse(email)?;
        check_new_password(password, &email)?;
        if user_by_email(&self.store.read()?, &email)?.is_some() {
            return Err(AccountError::EmailTaken);
        }
        let hash = self.pool.hash(password).await?;
        let (store, now, quota) = (self.store.clone(), self.clock.now(), self.default_quota);
        blocking(move || {
            let tx = store.write()?;
            let id = {
                let mut by_email = tx.open_table(USER_BY_EMAIL)?;
                if by_email.get(email.as_str())?.is_some() {
                    return Err(AccountError::EmailTaken);
                }
                let mut meta = tx.open_table(META)?;
                let id = meta.get(META_LAST_USER_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
                meta.insert(META_LAST_USER_ID, id)?;
                by_email.insert(email.as_str(), id)?;
                UserId(id)
            };
            if let Some(e) = &external {
                external::claim(&tx, id, e)?;
            }
            let user = UserRecord {
                id,
                email,
                password_hash: hash,
                role,
                disabled: false,
                created_at: now,
                password_changed_at: now,
                language: None,
            };
            put_user(&tx, &user)?;
            tx.open_table(QUOTAS)?.insert(id.0, encode(&QuotaRecord { limits: quota })?.as_slice())?;
            tx.commit().map_err(StoreError::from)?;
            tracing::info!(user = %id, role = %role, "account created");
            Ok(id)
        })
        .await
    }

    /// Log in with e-mail and password from `ip`. Five failures per account or per address in
    /// 15 minutes lock it for 15 minutes. A right password opens a session, or the second step
    /// when the account uses (or must set up) a second factor; the account's failures are
    /// forgiven only when the whole sign-in succeeds, so a known password never buys more
    /// guesses at the code.
    pub async fn login(&self, email: &str, password: &str, ip: IpAddr) -> Result<SignIn, AccountError> {
        let now = self.clock.now();
        let acct_key = account_throttle_key(email);
        let ip_key = ip_throttle_key(ip);
        let user = {
            let tx = self.store.read()?;
            for key in [&acct_key, &ip_key] {
                if let Some(until) = read_window(&tx, key)?.locked_at(now) {
                    return Err(AccountError::Locked { until });
                }
            }
            match Email::parse(email) {
                Ok(e) => user_by_email(&tx, &e)?,
                Err(_) => None,
            }
        };
        let ok = self.pool.verify(password, user.as_ref().map(|u| u.password_hash.as_str())).await?;
        let store = self.store.clone();
        let ip_text = ip.to_string();
        blocking(move || {
            let tx = store.write()?;
            let result = match user {
                Some(user) if ok => {
                    if user.disabled {
                        Err(AccountError::Disabled)
                    } else if let Some(token) = two_factor::second_step_due(&tx, &user, now, &ip_text)? {
                        tracing::info!(user = %user.id, "password right; second factor due");
                        Ok(SignIn::SecondStep(token))
                    } else {
                        tx.open_table(LOGIN_FAILURES)?.remove(acct_key.as_str())?;
                        let session = open_session(&tx, user.id, now, ip_text)?;
                        tracing::info!(user = %user.id, "login");
                        Ok(SignIn::Session(session))
                    }
                }
                _ => {
                    tracing::warn!(throttle_key = %ip_key, "wrong e-mail or password");
                    Err(two_factor::record_failure(
                        &tx,
                        &[&acct_key, &ip_key],
                        now,
                        AccountError::BadCredentials,
                    )?)
                }
            };
            tx.commit().map_err(StoreError::from)?;
            result
        })
        .await
    }

    /// Change a password, given the current one. Other sessions of the account end; the one
    /// identified by `keep` stays.
    pub async fn change_password(
        &self,
        user: UserId,
        current: &str,
        new: &str,
        keep: Option<[u8; 32]>,
    ) -> Result<(), AccountError> {
        let rec = get_user(&self.store.read()?, user)?.ok_or(AccountError::NotFound)?;
        if !self.pool.verify(current, Some(&rec.password_hash)).await? {
            return Err(AccountError::WrongCurrentPassword);
        }
        check_new_password(new, &rec.email)?;
        let hash = self.pool.hash(new).await?;
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            let mut rec = get_user_w(&tx, user)?.ok_or(AccountError::NotFound)?;
            rec.password_hash = hash;
            rec.password_changed_at = now;
            put_user(&tx, &rec)?;
            let kept = match keep {
                Some(k) => tx.open_table(SESSIONS)?.get(&k)?.map(|v| v.value().to_vec()),
                None => None,
            };
            revoke_sessions(&tx, user)?;
            if let (Some(k), Some(v)) = (keep, kept) {
                tx.open_table(SESSIONS)?.insert(&k, v.as_slice())?;
                tx.open_multimap_table(USER_SESSIONS)?.insert(user.0, &k)?;
            }
            tx.commit().map_err(StoreError::from)?;
            tracing::info!(user = %user, "password changed");
            Ok(())
        })
        .await
    }

    /// Make a one-time password-reset token for `user`, valid for an hour.
    pub async fn issue_reset_token(&self, user: UserId) -> Result<String, AccountError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            if get_user_w(&tx, user)?.is_none() {
                return Err(AccountError::NotFound);
            }
            let token = tokens::random_bytes();
            let rec = ResetTokenRecord { user, expires_at: now.plus_secs(RESET_LINK_SECS) };
            tx.open_table(RESET_TOKENS)?.insert(&tokens::digest(&token), encode(&rec)?.as_slice())?;
            tx.commit().map_err(StoreError::from)?;
            tracing::info!(user = %user, "password reset link issued");
            Ok(tokens::encode(&token))
        })
        .await
    }

    /// The account a reset token is for, if it is still valid.
    pub fn check_reset_token(&self, token: &str) -> Result<UserRecord, AccountError> {
        let raw = tokens::decode(token).ok_or(AccountError::ResetLinkInvalid)?;
        let tx = self.store.read()?;
        let rec: ResetTokenRecord = match tx.open_table(RESET_TOKENS)?.get(&tokens::digest(&raw))? {
            Some(v) => decode(v.value())?,
            None => return Err(AccountError::ResetLinkInvalid),
        };
        if rec.expires_at <= self.clock.now() {
            return Err(AccountError::ResetLinkInvalid);
        }
        get_user(&tx, rec.user)?.ok_or(AccountError::ResetLinkInvalid)
    }

    /// Set a new password through a reset token. The token is used up, every session of the
    /// account ends, and a login lock on the account is lifted.
    pub async fn reset_password(&self, token: &str, new: &str) -> Result<UserId, AccountError> {
        let user = self.check_reset_token(token)?;
        check_new_password(new, &user.email)?;
        let hash = self.pool.hash(new).await?;
        let raw = tokens::decode(token).ok_or(AccountError::ResetLinkInvalid)?;
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            let rec = tx
                .open_table(RESET_TOKENS)?
                .remove(&tokens::digest(&raw))?
                .map(|v| decode::<ResetTokenRecord>(v.value()))
                .transpose()?;
            let Some(rec) = rec.filter(|r| r.expires_at > now) else {
                return Err(AccountError::ResetLinkInvalid);
            };
            let mut u = get_user_w(&tx, rec.user)?.ok_or(AccountError::ResetLinkInvalid)?;
            u.password_hash = hash;
            u.password_changed_at = now;
            put_user(&tx, &u)?;
            revoke_sessions(&tx, u.id)?;
            tx.open_table(LOGIN_FAILURES)?.remove(account_throttle_key(u.email.as_str()).as_str())?;
            tx.commit().map_err(StoreError::from)?;
            tracing::info!(user = %u.id, "password reset through link");
            Ok(u.id)
        })
        .await
    }

    /// Every account, by id.
    pub fn list_users(&self) -> Result<Vec<UserRecord>, AccountError> {
        let tx = self.store.read()?;
        let t = tx.open_table(USERS)?;
        let mut out = Vec::new();
        for row in t.iter()? {
            let (_, v) = row.map_err(StoreError::from)?;
            out.push(decode(v.value())?);
        }
        Ok(out)
    }

    /// One account.
    pub fn user(&self, id: UserId) -> Result<UserRecord, AccountError> {
        get_user(&self.store.read()?, id)?.ok_or(AccountError::NotFound)
    }

    /// One account by e-mail.
    pub fn user_by_email(&self, email: &str) -> Result<UserRecord, AccountError> {
        let email = Email::parse(email)?;
        user_by_email(&self.store.read()?, &email)?.ok_or(AccountError::NotFound)
    }

    /// Disable or enable an account. Disabling ends its sessions; the last enabled admin
    /// cannot be disabled.
    pub async fn set_disabled(&self, user: UserId, disabled: bool) -> Result<(), AccountError> {
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            let mut u = get_user_w(&tx, user)?.ok_or(AccountError::NotFound)?;
            if disabled && u.role == Role::Admin && !u.disabled {
                let other_admins = all_users_w(&tx)?
                    .iter()
                    .filter(|o| o.role == Role::Admin && !o.disabled && o.id != u.id)
                    .count();
                if other_admins == 0 {
                    return Err(AccountError::LastAdmin);
                }
            }
            u.disabled = disabled;
            put_user(&tx, &u)?;
            if disabled {
                revoke_sessions(&tx, user)?;
            }
            tx.commit().map_err(StoreError::from)?;
            tracing::info!(user = %user, disabled, "account status changed");
            Ok(())
        })
        .await
    }

    /// When no enabled admin exists, create one (or re-enable and re-password the account with
    /// `email`) with a random password, and return it for printing once.
    pub async fn ensure_admin(&self, email: &str) -> Result<Option<(Email, String)>, AccountError> {
        if self.list_users()?.iter().any(|u| u.role == Role::Admin && !u.disabled) {
            return Ok(None);
        }
        let password = tokens::random_password();
        let email = Email::parse(email)?;
        self.set_credentials(&email, &password, Role::Admin).await?;
        Ok(Some((email, password)))
    }

    /// Create or overwrite an account with the given role and password, enabled (demo accounts,
    /// first admin).
    pub async fn set_credentials(
        &self,
        email: &Email,
        password: &str,
        role: Role,
    ) -> Result<UserId, AccountError> {
        let existing = user_by_email(&self.store.read()?, email)?;
        let Some(mut u) = existing else {
            return self.create_user(email.as_str(), password, role).await;
        };
        let hash = self.pool.hash(password).await?;
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            u.password_hash = hash;
            u.password_changed_at = now;
            u.role = role;
            u.disabled = false;
            put_user(&tx, &u)?;
            revoke_sessions(&tx, u.id)?;
            tx.commit().map_err(StoreError::from)?;
            Ok(u.id)
        })
        .await
    }

    /// Audit entries about `owner`'s resources (all when `None`), newest first.
    pub fn audit(
        &self,
        owner: Option<UserId>,
        limit: usize,
    ) -> Result<Vec<crate::store::records::AuditRecord>, StoreError> {
        super::audit::list(&self.store.read()?, owner, None, limit)
    }
}

#[cfg(test)]
mod tests;

fn get_user_w(tx: &redb::WriteTransaction, id: UserId) -> Result<Option<UserRecord>, StoreError> {
    let t = tx.open_table(USERS)?;
    let v = t.get(id.0)?;
    v.map(|v| decode(v.value())).transpose()
}

fn all_users_w(tx: &redb::WriteTransaction) -> Result<Vec<UserRecord>, StoreError> {
    let t = tx.open_table(USERS)?;
    let mut out = Vec::new();
    for row in t.iter()? {
        let (_, v) = row?;
        out.push(decode(v.value())?);
    }
    Ok(out)
}
