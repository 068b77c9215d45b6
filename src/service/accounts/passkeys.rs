//! Passkeys (WebAuthn through webauthn-rs: pure Rust, no OpenSSL): registered from the account
//! page, used for a password-less login (a discoverable credential with user verification is
//! two factors in one) or as the second step after a password. A ceremony's state stays in this
//! process for five minutes under a random token and is taken once; credentials are stored with
//! their counters, and a credential id belongs to one account.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use redb::ReadableTable;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder,
};

use super::two_factor::{Passed, record_failure, second_step_in};
use super::{
    AccountError, Accounts, NewSession, account_throttle_key, get_user_w, ip_throttle_key, open_session,
};
use crate::domain::account::UserId;
use crate::domain::time::Timestamp;
use crate::service::caller::Caller;
use crate::service::{audit, blocking, tokens};
use crate::store::StoreError;
use crate::store::codec::{decode, encode};
use crate::store::tables::{
    LOGIN_FAILURES, META, META_LAST_PASSKEY_ID, PASSKEY_BY_CREDENTIAL, PASSKEYS, SECOND_STEPS,
};
use crate::store::two_factor::PasskeyRecord;

/// How long a ceremony (the browser asking the authenticator) may take, seconds.
pub const CEREMONY_SECS: i64 = 300;
/// Most ceremonies kept at once: a flood of starts cannot grow memory without bound.
const MAX_CEREMONIES: usize = 10_000;
/// Longest passkey name.
pub const NAME_MAX_CHARS: usize = 64;

enum Ceremony {
    Register { user: UserId, state: PasskeyRegistration },
    Login { state: DiscoverableAuthentication },
    Second { step: [u8; 32], state: PasskeyAuthentication },
}

/// A ceremony and when it stops being accepted.
type Waiting = (Timestamp, Ceremony);

/// Ceremonies under way, by the digest of their token.
#[derive(Clone, Default)]
pub struct Ceremonies(Arc<Mutex<HashMap<[u8; 32], Waiting>>>);

impl Ceremonies {
    fn put(&self, now: Timestamp, c: Ceremony) -> String {
        let token = tokens::random_bytes();
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, (until, _)| *until > now);
        if map.len() >= MAX_CEREMONIES {
            map.clear();
        }
        map.insert(tokens::digest(&token), (now.plus_secs(CEREMONY_SECS), c));
        tokens::encode(&token)
    }

    fn take(&self, token: &str, now: Timestamp) -> Option<Ceremony> {
        let raw = tokens::decode(token)?;
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&tokens::digest(&raw)).filter(|(until, _)| *until > now).map(|(_, c)| c)
    }
}

/// A passkey as the account page lists it.
#[derive(Debug, Clone)]
pub struct PasskeyRow {
    /// Its id.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// When it was registered.
    pub created_at: Timestamp,
    /// When it last signed in.
    pub last_used: Option<Timestamp>,
}

/// What the browser needs to start a ceremony: the token to send back and the options for
/// `navigator.credentials`.
#[derive(Debug, Clone)]
pub struct Challenge {
    /// Sent back with the answer.
    pub token: String,
    /// The options, as webauthn-rs writes them (`{"publicKey": {...}}`).
    pub options: serde_json::Value,
}

/// The relying party for the cabinet at `origin` (`https://panel.example.com[:port]`): its
/// host is the passkeys' RP id, so an address (no domain) cannot hold passkeys.
fn relying_party(origin: &str) -> Result<Webauthn, AccountError> {
    let url = Url::parse(origin).map_err(|_| AccountError::PasskeySite)?;
    // An address has no registrable domain, so browsers refuse it as a relying party.
    let host = url.host_str().unwrap_or_default().to_string();
    if host.is_empty() || host.parse::<std::net::Ipv4Addr>().is_ok() || host.starts_with('[') {
        return Err(AccountError::PasskeySite);
    }
    WebauthnBuilder::new(&host, &url)
        .and_then(|b| b.rp_name("vpsbox").build())
        .map_err(|_| AccountError::PasskeySite)
}

fn failed(e: impl std::fmt::Display) -> AccountError {
    AccountError::PasskeyFailed(e.to_string())
}

fn to_json(v: &impl serde::Serialize) -> Result<serde_json::Value, AccountError> {
    serde_json::to_value(v).map_err(failed)
}

/// The user handle of `user` in passkeys: this installation's id and the account's, so a
/// handle from elsewhere names nobody here.
fn handle(installation: Uuid, user: UserId) -> Uuid {
    Uuid::from_u64_pair(installation.as_u64_pair().0, user.0)
}

fn user_of_handle(installation: Uuid, h: Uuid) -> Option<UserId> {
    let (hi, lo) = h.as_u64_pair();
    (hi == installation.as_u64_pair().0).then_some(UserId(lo))
}

/// The passkeys of `user` in the passkeys table `t` (of a read or a write transaction):
/// (record, credential).
fn passkeys_in(
    t: &impl ReadableTable<(u64, u64), &'static [u8]>,
    user: UserId,
) -> Result<Vec<(PasskeyRecord, Passkey)>, AccountError> {
    let mut out = Vec::new();
    for row in t.range((user.0, 0)..=(user.0, u64::MAX))? {
        let (_, v) = row.map_err(StoreError::from)?;
        let rec: PasskeyRecord = decode(v.value())?;
        let key: Passkey = serde_json::from_str(&rec.credential).map_err(failed)?;
        out.push((rec, key));
    }
    Ok(out)
}

/// Record that `rec` (with `key`) signed in at `now`, with the authenticator's new counter.
fn used(
    tx: &redb::WriteTransaction,
    user: UserId,
    mut rec: PasskeyRecord,
    mut key: Passkey,
    res: &webauthn_rs::prelude::AuthenticationResult,
    now: Timestamp,
) -> Result<(), AccountError> {
    key.update_credential(res);
    rec.credential = serde_json::to_string(&key).map_err(failed)?;
    rec.last_used = Some(now);
    tx.open_table(PASSKEYS)?.insert((user.0, rec.id), encode(&rec)?.as_slice())?;
    Ok(())
}

/// Whether `user` has a passkey (inside a read or write transaction's table).
pub(super) fn has_passkeys(
    t: &impl ReadableTable<(u64, u64), &'static [u8]>,
    user: UserId,
) -> Result<bool, StoreError> {
    Ok(t.range((user.0, 0)..=(user.0, u64::MAX))?.next().is_some())
}

impl Accounts {
    /// `user`'s passkeys.
    pub fn passkeys(&self, user: UserId) -> Result<Vec<PasskeyRow>, AccountError> {
        let tx = self.store.read()?;
        let t = tx.open_table(PASSKEYS)?;
        let mut out = Vec::new();
        for row in t.range((user.0, 0)..=(user.0, u64::MAX))? {
            let (_, v) = row.map_err(StoreError::from)?;
            let r: PasskeyRecord = decode(v.value())?;
            out.push(PasskeyRow { id: r.id, name: r.name, created_at: r.created_at, last_used: r.last_used });
        }
        Ok(out)
    }

    /// Start registering a passkey for `user` on the cabinet at `origin`.
    pub fn passkey_register_begin(
        &self,
        user: UserId,
        email: &str,
        origin: &str,
    ) -> Result<Challenge, AccountError> {
        let rp = relying_party(origin)?;
        let keys = passkeys_in(&self.store.read()?.open_table(PASSKEYS)?, user)?;
        let exclude = keys.into_iter().map(|(_, k)| k.cred_id().clone()).collect::<Vec<_>>();
        let h = handle(self.store.installation_id(), user);
        let (options, state) =
            rp.start_passkey_registration(h, email, email, Some(exclude)).map_err(failed)?;
        let token = self.ceremonies.put(self.clock.now(), Ceremony::Register { user, state });
        let mut options = to_json(&options)?;
        // Ask for a discoverable credential where the authenticator can keep one (phones and
        // password managers always do): then it also signs in without a password.
        if let Some(sel) =
            options.pointer_mut("/publicKey/authenticatorSelection").and_then(|v| v.as_object_mut())
        {
            sel.insert("residentKey".into(), "preferred".into());
        }
        Ok(Challenge { token, options })
    }

    /// Finish registering: the browser's `credential` (JSON) for ceremony `token`, kept as `name`.
    #[allow(clippy::too_many_arguments)]
    pub async fn passkey_register_finish(
        &self,
        caller: &Caller,
        user: UserId,
        token: &str,
        origin: &str,
        name: &str,
        credential: &str,
    ) -> Result<u64, AccountError> {
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > NAME_MAX_CHARS || name.chars().any(char::is_control) {
            return Err(AccountError::PasskeyName);
        }
        let rp = relying_party(origin)?;
        let now = self.clock.now();
        let Some(Ceremony::Register { user: for_user, state }) = self.ceremonies.take(token, now) else {
            return Err(AccountError::CeremonyExpired);
        };
        if for_user != user {
            return Err(AccountError::CeremonyExpired);
        }
        let reg: RegisterPublicKeyCredential = serde_json::from_str(credential).map_err(failed)?;
        let key = rp.finish_passkey_registration(&reg, &state).map_err(failed)?;
        let json = serde_json::to_string(&key).map_err(failed)?;
        let (store, caller) = (self.store.clone(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let cred_id: &[u8] = key.cred_id().as_ref();
            if tx.open_table(PASSKEY_BY_CREDENTIAL)?.get(cred_id)?.is_some() {
                return Err(AccountError::PasskeyFailed("this passkey is registered already".into()));
            }
            let id = {
                let mut meta = tx.open_table(META)?;
                let id = meta.get(META_LAST_PASSKEY_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
                meta.insert(META_LAST_PASSKEY_ID, id)?;
                id
            };
            let rec =
                PasskeyRecord { id, name: name.clone(), created_at: now, last_used: None, credential: json };
            tx.open_table(PASSKEYS)?.insert((user.0, id), encode(&rec)?.as_slice())?;
            tx.open_table(PASSKEY_BY_CREDENTIAL)?.insert(cred_id, (user.0, id))?;
            audit::record(&tx, now, &caller, user, &format!("user:{user}"), "account.passkey_add", &name)?;
            tx.commit().map_err(StoreError::from)?;
            tracing::info!(user = %user, passkey = id, "passkey registered");
            Ok(id)
        })
        .await
    }

    /// Remove one of `user`'s passkeys. The last second factor of an account the provider
    /// requires one of stays.
    pub async fn passkey_delete(&self, caller: &Caller, user: UserId, id: u64) -> Result<(), AccountError> {
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let u = get_user_w(&tx, user)?.ok_or(AccountError::NotFound)?;
            let rec: PasskeyRecord = match tx.open_table(PASSKEYS)?.remove((user.0, id))? {
                Some(v) => decode(v.value())?,
                None => return Err(AccountError::NotFound),
            };
            if super::two_factor::required_of(&tx, &u)? && !super::two_factor::has_second_factor(&tx, user)? {
                return Err(AccountError::TwoFactorRequired);
            }
            let key: Passkey = serde_json::from_str(&rec.credential).map_err(failed)?;
            let cred_id: &[u8] = key.cred_id().as_ref();
            tx.open_table(PASSKEY_BY_CREDENTIAL)?.remove(cred_id)?;
            audit::record(
                &tx,
                now,
                &caller,
                user,
                &format!("user:{user}"),
                "account.passkey_remove",
                &rec.name,
            )?;
            tx.commit().map_err(StoreError::from)?;
            Ok(())
        })
        .await
    }

    /// Start a password-less login on the cabinet at `origin`: any passkey of this site.
    pub fn passkey_login_begin(&self, origin: &str) -> Result<Challenge, AccountError> {
        let rp = relying_party(origin)?;
        let (mut options, state) = rp.start_discoverable_authentication().map_err(failed)?;
        // A button press, not the autofill prompt webauthn-rs prepares for.
        options.mediation = None;
        let token = self.ceremonies.put(self.clock.now(), Ceremony::Login { state });
        Ok(Challenge { token, options: to_json(&options)? })
    }

    /// Finish a password-less login from `ip`: the session of the passkey's account.
    pub async fn passkey_login_finish(
        &self,
        token: &str,
        origin: &str,
        credential: &str,
        ip: IpAddr,
    ) -> Result<NewSession, AccountError> {
        let rp = relying_party(origin)?;
        let now = self.clock.now();
        let Some(Ceremony::Login { state }) = self.ceremonies.take(token, now) else {
            return Err(AccountError::CeremonyExpired);
        };
        let cred: PublicKeyCredential = serde_json::from_str(credential).map_err(failed)?;
        let (store, installation) = (self.store.clone(), self.store.installation_id());
        let ip_key = ip_throttle_key(ip);
        blocking(move || {
            let tx = store.write()?;
            if let Some(until) = super::two_factor::window_w(&tx, &ip_key)?.locked_at(now) {
                return Err(AccountError::Locked { until });
            }
            let found = match rp.identify_discoverable_authentication(&cred) {
                Ok((h, cred_id)) => {
                    let at = tx.open_table(PASSKEY_BY_CREDENTIAL)?.get(cred_id)?.map(|v| v.value());
                    at.filter(|(u, _)| user_of_handle(installation, h) == Some(UserId(*u)))
                }
                Err(_) => None,
            };
            let Some((user, id)) = found else {
                let e = record_failure(&tx, &[&ip_key], now, AccountError::PasskeyUnknown)?;
                tx.commit().map_err(StoreError::from)?;
                return Err(e);
            };
            let user = UserId(user);
            let (rec, key) = passkeys_in(&tx.open_table(PASSKEYS)?, user)?
                .into_iter()
                .find(|(r, _)| r.id == id)
                .ok_or(AccountError::PasskeyUnknown)?;
            let res = match rp.finish_discoverable_authentication_v2(&cred, state, &key) {
                Ok(res) => res,
                Err(e) => {
                    let out = record_failure(&tx, &[&ip_key], now, failed(e))?;
                    tx.commit().map_err(StoreError::from)?;
                    return Err(out);
                }
            };
            let u = get_user_w(&tx, user)?.ok_or(AccountError::PasskeyUnknown)?;
            if u.disabled {
                return Err(AccountError::Disabled);
            }
            used(&tx, user, rec, key, &res, now)?;
            tx.open_table(LOGIN_FAILURES)?.remove(account_throttle_key(u.email.as_str()).as_str())?;
            let session = open_session(&tx, user, now, ip.to_string())?;
            tx.commit().map_err(StoreError::from)?;
            tracing::info!(user = %user, "login with a passkey");
            Ok(session)
        })
        .await
    }

    /// Start the passkey answer to a sign-in's second step `step_token`.
    pub fn passkey_second_begin(&self, step_token: &str, origin: &str) -> Result<Challenge, AccountError> {
        let rp = relying_party(origin)?;
        let step_key = tokens::digest(&tokens::decode(step_token).ok_or(AccountError::SecondStepExpired)?);
        let tx = self.store.read()?;
        let step = second_step_in(&tx.open_table(SECOND_STEPS)?, step_key, self.clock.now())?;
        let keys: Vec<Passkey> =
            passkeys_in(&tx.open_table(PASSKEYS)?, step.user)?.into_iter().map(|(_, k)| k).collect();
        drop(tx);
        if keys.is_empty() {
            return Err(AccountError::PasskeyUnknown);
        }
        let (options, state) = rp.start_passkey_authentication(&keys).map_err(failed)?;
        let token = self.ceremonies.put(self.clock.now(), Ceremony::Second { step: step_key, state });
        Ok(Challenge { token, options: to_json(&options)? })
    }

    /// Answer a sign-in's second step with a passkey: the session, as a right code gives it.
    pub async fn passkey_second_finish(
        &self,
        step_token: &str,
        token: &str,
        origin: &str,
        credential: &str,
        ip: IpAddr,
    ) -> Result<Passed, AccountError> {
        let rp = relying_party(origin)?;
        let now = self.clock.now();
        let step_key = tokens::digest(&tokens::decode(step_token).ok_or(AccountError::SecondStepExpired)?);
        let Some(Ceremony::Second { step, state }) = self.ceremonies.take(token, now) else {
            return Err(AccountError::CeremonyExpired);
        };
        if step != step_key {
            return Err(AccountError::CeremonyExpired);
        }
        let cred: PublicKeyCredential = serde_json::from_str(credential).map_err(failed)?;
        let store = self.store.clone();
        let ip_key = ip_throttle_key(ip);
        blocking(move || {
            let tx = store.write()?;
            let rec = second_step_in(&tx.open_table(SECOND_STEPS)?, step_key, now)?;
            let u =
                get_user_w(&tx, rec.user)?.filter(|u| !u.disabled).ok_or(AccountError::SecondStepExpired)?;
            let acct_key = account_throttle_key(u.email.as_str());
            for k in [&acct_key, &ip_key] {
                if let Some(until) = super::two_factor::window_w(&tx, k)?.locked_at(now) {
                    return Err(AccountError::Locked { until });
                }
            }
            let res = rp.finish_passkey_authentication(&cred, &state);
            let Some((res, rec, key)) = res.ok().and_then(|res| {
                let found = passkeys_in(&tx.open_table(PASSKEYS).ok()?, u.id)
                    .ok()?
                    .into_iter()
                    .find(|(_, k)| k.cred_id() == res.cred_id())?;
                Some((res, found.0, found.1))
            }) else {
                let e = record_failure(&tx, &[&acct_key, &ip_key], now, AccountError::PasskeyUnknown)?;
                tx.commit().map_err(StoreError::from)?;
                return Err(e);
            };
            used(&tx, u.id, rec, key, &res, now)?;
            tx.open_table(SECOND_STEPS)?.remove(&step_key)?;
            tx.open_table(LOGIN_FAILURES)?.remove(acct_key.as_str())?;
            let session = open_session(&tx, u.id, now, ip.to_string())?;
            tx.commit().map_err(StoreError::from)?;
            tracing::info!(user = %u.id, "login with a password and a passkey");
            Ok(Passed { session, recovery: Vec::new(), recovery_left: None })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handle_names_an_account_of_this_installation_only() {
        let here = Uuid::from_u64_pair(7, 9);
        let elsewhere = Uuid::from_u64_pair(8, 9);
        assert_eq!(user_of_handle(here, handle(here, UserId(42))), Some(UserId(42)));
        assert_eq!(user_of_handle(elsewhere, handle(here, UserId(42))), None);
    }

    #[test]
    fn passkeys_need_a_domain_name() {
        assert!(relying_party("https://panel.example.com").is_ok());
        assert!(relying_party("https://localhost:8443").is_ok());
        for bad in ["https://127.0.0.1:8443", "https://[::1]:8443", "not a url"] {
            assert!(matches!(relying_party(bad), Err(AccountError::PasskeySite)), "{bad}");
        }
    }

    #[test]
    fn a_ceremony_is_taken_once_and_not_after_it_expires() {
        let c = Ceremonies::default();
        let now = Timestamp::from_secs(1_800_000_000);
        let rp = relying_party("https://localhost").unwrap();
        let mk = || Ceremony::Login { state: rp.start_discoverable_authentication().unwrap().1 };
        let t = c.put(now, mk());
        assert!(c.take(&t, now).is_some());
        assert!(c.take(&t, now).is_none(), "taken once");
        let t = c.put(now, mk());
        assert!(c.take(&t, now.plus_secs(CEREMONY_SECS)).is_none(), "expired");
        assert!(c.take("not a token", now).is_none());
    }
}
