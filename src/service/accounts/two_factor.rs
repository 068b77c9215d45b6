//! Two-factor sign-in: an authenticator app (TOTP) set up and confirmed from the account page,
//! ten single-use recovery codes stored hashed, the second step of a sign-in (its own short-lived
//! record, never a session, its wrong codes counted by the login throttle), enrolment at sign-in
//! when the admins require a second factor, and an admin's reset.

use std::net::IpAddr;

use redb::ReadableTable;
use sha2::{Digest, Sha256};

use super::{
    AccountError, Accounts, NewSession, account_throttle_key, get_user, get_user_w, ip_throttle_key,
    open_session,
};
use crate::domain::account::UserId;
use crate::domain::throttle::FailureWindow;
use crate::domain::time::Timestamp;
use crate::domain::two_factor::{
    RECOVERY_BYTES, RECOVERY_CODES, Required, SECRET_BYTES, is_code_shaped, matching_step,
    normalized_recovery, recovery_text,
};
use crate::i18n::Msg;
use crate::service::caller::Caller;
use crate::service::{audit, blocking, notices, tokens};
use crate::store::StoreError;
use crate::store::codec::{decode, encode};
use crate::store::notices::Audience;
use crate::store::records::UserRecord;
use crate::store::tables::{LOGIN_FAILURES, PASSKEY_BY_CREDENTIAL, PASSKEYS, SECOND_STEPS, SETTINGS, TOTP};
use crate::store::two_factor::{SecondStepRecord, TWO_FACTOR_KEY, TotpRecord, TwoFactorPolicy};

/// How long the second step of a sign-in waits (enrolment included), seconds.
pub const SECOND_STEP_SECS: i64 = 600;

/// What a right password leads to.
#[derive(Debug, Clone)]
pub enum SignIn {
    /// No second factor is due: a session.
    Session(NewSession),
    /// A second factor (or its enrolment) is due: the token of the second step, for a cookie.
    SecondStep(String),
}

impl SignIn {
    /// The session, when no second factor was due.
    pub fn into_session(self) -> Option<NewSession> {
        match self {
            SignIn::Session(s) => Some(s),
            SignIn::SecondStep(_) => None,
        }
    }
}

/// A sign-in's second step as its page shows it.
#[derive(Debug, Clone)]
pub struct SecondStep {
    /// Whose password was right.
    pub user: UserRecord,
    /// The secret to enrol with, when the account must set up an authenticator first.
    pub enrol: Option<[u8; SECRET_BYTES]>,
    /// The account answers with a code from an authenticator app.
    pub totp: bool,
    /// The account answers with a passkey.
    pub passkeys: bool,
}

/// A passed second step.
#[derive(Debug, Clone)]
pub struct Passed {
    /// The session it opens.
    pub session: NewSession,
    /// Recovery codes to show once, when the step enrolled the account.
    pub recovery: Vec<String>,
    /// Recovery codes left, when one was used.
    pub recovery_left: Option<usize>,
}

/// An account's two-factor state, for its page.
#[derive(Debug, Clone, Default)]
pub struct TwoFactorState {
    /// When the authenticator was confirmed; `None` while off.
    pub enabled_at: Option<Timestamp>,
    /// A secret being set up, not yet confirmed.
    pub setting_up: Option<[u8; SECRET_BYTES]>,
    /// Unused recovery codes.
    pub recovery_left: usize,
    /// Whether the provider requires a second factor of this account.
    pub required: bool,
    /// The account has passkeys.
    pub passkeys: bool,
}

/// Which second factor a right answer was.
enum Answer {
    Code(u64),
    Recovery(usize),
}

fn random<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    let bytes = tokens::random_bytes();
    out.copy_from_slice(&bytes[..N]);
    out
}

fn recovery_digest(normalized: &str) -> [u8; 32] {
    Sha256::digest(normalized.as_bytes()).into()
}

/// Ten new recovery codes: their texts (shown once) and their digests (stored).
fn new_recovery_codes() -> (Vec<String>, Vec<[u8; 32]>) {
    (0..RECOVERY_CODES)
        .map(|_| {
            let text = recovery_text(&random::<RECOVERY_BYTES>());
            let digest = normalized_recovery(&text).map(|n| recovery_digest(&n)).unwrap_or_default();
            (text, digest)
        })
        .unzip()
}

/// Which of `rec`'s factors `input` is at `now`, if any: a code of a step not used before, or an
/// unused recovery code.
fn answer(rec: &TotpRecord, input: &str, now: Timestamp) -> Option<Answer> {
    if is_code_shaped(input) {
        return matching_step(&rec.secret, input, now.as_secs(), rec.last_step).map(Answer::Code);
    }
    let digest = recovery_digest(&normalized_recovery(input)?);
    rec.recovery.iter().position(|d| tokens::ct_eq(d, &digest)).map(Answer::Recovery)
}

/// Use up `answer` in `rec`.
fn spend(rec: &mut TotpRecord, answer: &Answer) {
    match answer {
        Answer::Code(step) => rec.last_step = *step,
        Answer::Recovery(i) => {
            rec.recovery.remove(*i);
        }
    }
}

fn totp_of(tx: &redb::ReadTransaction, user: UserId) -> Result<Option<TotpRecord>, StoreError> {
    tx.open_table(TOTP)?.get(user.0)?.map(|v| decode(v.value())).transpose()
}

fn totp_of_w(tx: &redb::WriteTransaction, user: UserId) -> Result<Option<TotpRecord>, StoreError> {
    let t = tx.open_table(TOTP)?;
    let v = t.get(user.0)?;
    v.map(|v| decode(v.value())).transpose()
}

fn put_totp(tx: &redb::WriteTransaction, user: UserId, rec: &TotpRecord) -> Result<(), StoreError> {
    tx.open_table(TOTP)?.insert(user.0, encode(rec)?.as_slice())?;
    Ok(())
}

fn policy_in(t: &impl ReadableTable<&'static str, &'static [u8]>) -> Result<Required, StoreError> {
    Ok(match t.get(TWO_FACTOR_KEY)? {
        Some(v) => decode::<TwoFactorPolicy>(v.value())?.required,
        None => Required::Nobody,
    })
}

/// Whether the provider requires a second factor of `user` (inside `tx`).
pub(super) fn required_of(tx: &redb::WriteTransaction, user: &UserRecord) -> Result<bool, StoreError> {
    Ok(policy_in(&tx.open_table(SETTINGS)?)?.applies_to(user.role))
}

/// Whether `user` has a second factor: a confirmed authenticator or a passkey.
pub(super) fn has_second_factor(tx: &redb::WriteTransaction, user: UserId) -> Result<bool, StoreError> {
    Ok(totp_of_w(tx, user)?.is_some_and(|r| r.enabled_at.is_some())
        || super::passkeys::has_passkeys(&tx.open_table(PASSKEYS)?, user)?)
}

/// The second step under `key` in the steps table `t` (of a read or a write transaction),
/// unless it is unknown or has expired at `now`.
pub(super) fn second_step_in(
    t: &impl ReadableTable<&'static [u8; 32], &'static [u8]>,
    key: [u8; 32],
    now: Timestamp,
) -> Result<SecondStepRecord, AccountError> {
    let v = t.get(&key)?;
    let rec: SecondStepRecord = match v {
        Some(v) => decode(v.value())?,
        None => return Err(AccountError::SecondStepExpired),
    };
    if rec.expires_at <= now {
        return Err(AccountError::SecondStepExpired);
    }
    Ok(rec)
}

/// Inside a login's write transaction: whether `user`'s right password needs a second step, and
/// if so its token. An account with a confirmed authenticator answers a code; one the admins
/// require a second factor of, without one, enrols first.
pub(super) fn second_step_due(
    tx: &redb::WriteTransaction,
    user: &UserRecord,
    now: Timestamp,
    client_ip: &str,
) -> Result<Option<String>, StoreError> {
    let enrol = if has_second_factor(tx, user.id)? {
        None
    } else if policy_in(&tx.open_table(SETTINGS)?)?.applies_to(user.role) {
        Some(random::<SECRET_BYTES>())
    } else {
        return Ok(None);
    };
    let token = tokens::random_bytes();
    let rec = SecondStepRecord {
        user: user.id,
        expires_at: now.plus_secs(SECOND_STEP_SECS),
        client_ip: client_ip.to_string(),
        enrol,
    };
    tx.open_table(SECOND_STEPS)?.insert(&tokens::digest(&token), encode(&rec)?.as_slice())?;
    Ok(Some(tokens::encode(&token)))
}

impl Accounts {
    /// Who must use a second factor.
    pub fn two_factor_policy(&self) -> Result<Required, AccountError> {
        Ok(policy_in(&self.store.read()?.open_table(SETTINGS)?)?)
    }

    /// Set who must use a second factor (admin; audited).
    pub async fn set_two_factor_policy(
        &self,
        caller: &Caller,
        value: &str,
    ) -> Result<Required, AccountError> {
        let required =
            Required::parse(value).ok_or_else(|| AccountError::TwoFactorPolicy(value.to_string()))?;
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let rec = TwoFactorPolicy { required };
            tx.open_table(SETTINGS)?.insert(TWO_FACTOR_KEY, encode(&rec)?.as_slice())?;
            let me = caller.user.unwrap_or(UserId(0));
            audit::record(&tx, now, &caller, me, "settings", "settings.two_factor", required.as_str())?;
            tx.commit().map_err(StoreError::from)?;
            tracing::info!(required = required.as_str(), "two-factor requirement set");
            Ok(required)
        })
        .await
    }

    /// The accounts with two-factor sign-in on (the admins' account list).
    pub fn two_factor_users(&self) -> Result<std::collections::HashSet<UserId>, AccountError> {
        let tx = self.store.read()?;
        let mut out = std::collections::HashSet::new();
        for row in tx.open_table(TOTP)?.iter()? {
            let (k, v) = row.map_err(StoreError::from)?;
            if decode::<TotpRecord>(v.value())?.enabled_at.is_some() {
                out.insert(UserId(k.value()));
            }
        }
        for row in tx.open_table(PASSKEYS)?.iter()? {
            let (k, _) = row.map_err(StoreError::from)?;
            out.insert(UserId(k.value().0));
        }
        Ok(out)
    }

    /// `user`'s two-factor state.
    pub fn two_factor(&self, user: &UserRecord) -> Result<TwoFactorState, AccountError> {
        let tx = self.store.read()?;
        let required = policy_in(&tx.open_table(SETTINGS)?)?.applies_to(user.role);
        let passkeys = super::passkeys::has_passkeys(&tx.open_table(PASSKEYS)?, user.id)?;
        Ok(match totp_of(&tx, user.id)? {
            Some(r) if r.enabled_at.is_some() => TwoFactorState {
                enabled_at: r.enabled_at,
                setting_up: None,
                recovery_left: r.recovery.len(),
                required,
                passkeys,
            },
            Some(r) => {
                TwoFactorState { setting_up: Some(r.secret), required, passkeys, ..TwoFactorState::default() }
            }
            None => TwoFactorState { required, passkeys, ..TwoFactorState::default() },
        })
    }

    /// Start setting up an authenticator: a new secret, kept unconfirmed until a first code.
    pub async fn totp_begin(&self, user: UserId) -> Result<(), AccountError> {
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            if totp_of_w(&tx, user)?.is_some_and(|r| r.enabled_at.is_some()) {
                return Err(AccountError::TotpOnAlready);
            }
            let rec = TotpRecord { secret: random(), enabled_at: None, last_step: 0, recovery: Vec::new() };
            put_totp(&tx, user, &rec)?;
            tx.commit().map_err(StoreError::from)?;
            Ok(())
        })
        .await
    }

    /// Confirm the authenticator being set up with its first code: two-factor sign-in is on.
    /// Returns the recovery codes, to be shown this once.
    pub async fn totp_confirm(
        &self,
        caller: &Caller,
        user: UserId,
        code: &str,
    ) -> Result<Vec<String>, AccountError> {
        let (store, now, caller, code) =
            (self.store.clone(), self.clock.now(), caller.clone(), code.to_string());
        blocking(move || {
            let tx = store.write()?;
            let mut rec = match totp_of_w(&tx, user)? {
                Some(r) if r.enabled_at.is_none() => r,
                Some(_) => return Err(AccountError::TotpOnAlready),
                None => return Err(AccountError::TotpNotSetUp),
            };
            let step = matching_step(&rec.secret, &code, now.as_secs(), 0).ok_or(AccountError::CodeWrong)?;
            let (texts, digests) = new_recovery_codes();
            rec.enabled_at = Some(now);
            rec.last_step = step;
            rec.recovery = digests;
            put_totp(&tx, user, &rec)?;
            audit::record(&tx, now, &caller, user, &format!("user:{user}"), "account.2fa_on", "totp")?;
            tx.commit().map_err(StoreError::from)?;
            tracing::info!(user = %user, "two-factor sign-in turned on");
            Ok(texts)
        })
        .await
    }

    /// Check `password` and a code (or recovery code) of `user`'s authenticator, then change
    /// its record with `change` inside the same transaction.
    async fn with_password_and_code<T: Send + 'static>(
        &self,
        user: UserId,
        password: &str,
        code: &str,
        change: impl FnOnce(
            &redb::WriteTransaction,
            &UserRecord,
            TotpRecord,
            Timestamp,
        ) -> Result<T, AccountError>
        + Send
        + 'static,
    ) -> Result<T, AccountError> {
        let rec = get_user(&self.store.read()?, user)?.ok_or(AccountError::NotFound)?;
        if !self.pool.verify(password, Some(&rec.password_hash)).await? {
            return Err(AccountError::WrongCurrentPassword);
        }
        let (store, now, code) = (self.store.clone(), self.clock.now(), code.to_string());
        blocking(move || {
            let tx = store.write()?;
            let user = get_user_w(&tx, user)?.ok_or(AccountError::NotFound)?;
            let mut totp =
                totp_of_w(&tx, user.id)?.filter(|r| r.enabled_at.is_some()).ok_or(AccountError::TotpOff)?;
            let a = answer(&totp, &code, now).ok_or(AccountError::CodeWrong)?;
            spend(&mut totp, &a);
            let out = change(&tx, &user, totp, now)?;
            tx.commit().map_err(StoreError::from)?;
            Ok(out)
        })
        .await
    }

    /// Turn two-factor sign-in off with the password and a code; refused while the provider
    /// requires it of the account.
    pub async fn totp_disable(
        &self,
        caller: &Caller,
        user: UserId,
        password: &str,
        code: &str,
    ) -> Result<(), AccountError> {
        let caller = caller.clone();
        self.with_password_and_code(user, password, code, move |tx, u, _, now| {
            tx.open_table(TOTP)?.remove(u.id.0)?;
            if required_of(tx, u)? && !has_second_factor(tx, u.id)? {
                return Err(AccountError::TwoFactorRequired);
            }
            audit::record(tx, now, &caller, u.id, &format!("user:{}", u.id), "account.2fa_off", "")?;
            tracing::info!(user = %u.id, "two-factor sign-in turned off");
            Ok(())
        })
        .await
    }

    /// New recovery codes (the old ones stop working), with the password and a code.
    pub async fn recovery_renew(
        &self,
        caller: &Caller,
        user: UserId,
        password: &str,
        code: &str,
    ) -> Result<Vec<String>, AccountError> {
        let caller = caller.clone();
        self.with_password_and_code(user, password, code, move |tx, u, mut totp, now| {
            let (texts, digests) = new_recovery_codes();
            totp.recovery = digests;
            put_totp(tx, u.id, &totp)?;
            audit::record(tx, now, &caller, u.id, &format!("user:{}", u.id), "account.2fa_recovery", "")?;
            Ok(texts)
        })
        .await
    }

    /// An admin turns `user`'s two-factor sign-in off (a lost phone): its authenticator and its
    /// passkeys go, audited, and the account is told. If the provider requires a second factor, the account enrols again at its next
    /// login.
    pub async fn two_factor_reset(&self, caller: &Caller, user: UserId) -> Result<(), AccountError> {
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let u = get_user_w(&tx, user)?.ok_or(AccountError::NotFound)?;
            let mut removed = tx.open_table(TOTP)?.remove(user.0)?.is_some();
            {
                let mut keys = tx.open_table(PASSKEYS)?;
                let mut by_cred = tx.open_table(PASSKEY_BY_CREDENTIAL)?;
                let ids: Vec<u64> = keys
                    .range((user.0, 0)..=(user.0, u64::MAX))?
                    .map(|r| r.map(|(k, _)| k.value().1))
                    .collect::<Result<_, _>>()?;
                for id in ids {
                    keys.remove((user.0, id))?;
                    removed = true;
                }
                by_cred.retain(|_, (u, _)| u != user.0)?;
            }
            if !removed {
                return Err(AccountError::TotpOff);
            }
            audit::record(&tx, now, &caller, user, &format!("user:{user}"), "account.2fa_reset", "")?;
            let n = notices::told(
                "account.2fa_reset",
                Msg::NoticeTwoFactorReset,
                Some(Msg::NoticeTwoFactorResetBody),
                Vec::new(),
                Some("/account/2fa".into()),
            );
            notices::notify_in(&tx, now, Audience::User(user), n)?;
            tx.commit().map_err(StoreError::from)?;
            tracing::info!(user = %u.id, by = ?caller.user, "two-factor sign-in reset by an admin");
            Ok(())
        })
        .await
    }

    /// The second step of a sign-in by its token: refused once it has expired.
    pub fn second_step(&self, token: &str) -> Result<SecondStep, AccountError> {
        let raw = tokens::decode(token).ok_or(AccountError::SecondStepExpired)?;
        let tx = self.store.read()?;
        let rec = second_step_in(&tx.open_table(SECOND_STEPS)?, tokens::digest(&raw), self.clock.now())?;
        let user = get_user(&tx, rec.user)?.filter(|u| !u.disabled).ok_or(AccountError::SecondStepExpired)?;
        let totp = totp_of(&tx, user.id)?.is_some_and(|r| r.enabled_at.is_some());
        let passkeys = super::passkeys::has_passkeys(&tx.open_table(PASSKEYS)?, user.id)?;
        Ok(SecondStep { user, enrol: rec.enrol, totp, passkeys })
    }

    /// Answer a sign-in's second step with a code or a recovery code (or, when enrolling, the
    /// first code of the new authenticator) from `ip`. A right answer opens the session and ends
    /// the step; a wrong one counts as a failed login for the account and the address.
    pub async fn pass_second_step(
        &self,
        token: &str,
        input: &str,
        ip: IpAddr,
    ) -> Result<Passed, AccountError> {
        let raw = tokens::decode(token).ok_or(AccountError::SecondStepExpired)?;
        let key = tokens::digest(&raw);
        let (store, now, input) = (self.store.clone(), self.clock.now(), input.to_string());
        let ip_key = ip_throttle_key(ip);
        blocking(move || {
            let tx = store.write()?;
            let step = second_step_in(&tx.open_table(SECOND_STEPS)?, key, now)?;
            let user =
                get_user_w(&tx, step.user)?.filter(|u| !u.disabled).ok_or(AccountError::SecondStepExpired)?;
            let acct_key = account_throttle_key(user.email.as_str());
            for k in [&acct_key, &ip_key] {
                if let Some(until) = window_w(&tx, k)?.locked_at(now) {
                    return Err(AccountError::Locked { until });
                }
            }
            let result = match step.enrol {
                Some(secret) => match matching_step(&secret, &input, now.as_secs(), 0) {
                    Some(s) => {
                        let (texts, digests) = new_recovery_codes();
                        let rec =
                            TotpRecord { secret, enabled_at: Some(now), last_step: s, recovery: digests };
                        put_totp(&tx, user.id, &rec)?;
                        let caller = Caller::of(user.id, user.role, step.client_ip.clone());
                        let res = format!("user:{}", user.id);
                        audit::record(&tx, now, &caller, user.id, &res, "account.2fa_on", "totp")?;
                        Some((texts, None))
                    }
                    None => None,
                },
                None => match totp_of_w(&tx, user.id)?.filter(|r| r.enabled_at.is_some()) {
                    Some(mut rec) => match answer(&rec, &input, now) {
                        Some(a) => {
                            spend(&mut rec, &a);
                            put_totp(&tx, user.id, &rec)?;
                            let left = matches!(a, Answer::Recovery(_)).then_some(rec.recovery.len());
                            Some((Vec::new(), left))
                        }
                        None => None,
                    },
                    // Passkeys only (or reset by an admin meanwhile): no code can be right.
                    None => None,
                },
            };
            let out = match result {
                Some((recovery, recovery_left)) => {
                    tx.open_table(SECOND_STEPS)?.remove(&key)?;
                    tx.open_table(LOGIN_FAILURES)?.remove(acct_key.as_str())?;
                    let session = open_session(&tx, user.id, now, ip.to_string())?;
                    tracing::info!(user = %user.id, "login with a second factor");
                    Ok(Passed { session, recovery, recovery_left })
                }
                None => Err(record_failure(&tx, &[&acct_key, &ip_key], now, AccountError::CodeWrong)?),
            };
            tx.commit().map_err(StoreError::from)?;
            out
        })
        .await
    }
}

pub(super) fn window_w(tx: &redb::WriteTransaction, key: &str) -> Result<FailureWindow, StoreError> {
    let t = tx.open_table(LOGIN_FAILURES)?;
    let v = t.get(key)?;
    v.map(|v| decode(v.value())).transpose().map(Option::unwrap_or_default)
}

/// Count a failed login for each of `keys`; the error to answer with: a lock when one began,
/// else `otherwise`.
pub(super) fn record_failure(
    tx: &redb::WriteTransaction,
    keys: &[&str],
    now: Timestamp,
    otherwise: AccountError,
) -> Result<AccountError, StoreError> {
    let mut locked = None;
    let mut t = tx.open_table(LOGIN_FAILURES)?;
    for key in keys {
        let mut w = match t.get(*key)? {
            Some(v) => decode::<FailureWindow>(v.value())?,
            None => FailureWindow::default(),
        };
        if let Some(until) = w.record_failure(now) {
            locked = Some(until);
        }
        t.insert(*key, encode(&w)?.as_slice())?;
    }
    tracing::warn!(locked = locked.is_some(), "failed login");
    Ok(match locked {
        Some(until) => AccountError::Locked { until },
        None => otherwise,
    })
}
