//! Sessions: looking a cookie up, keeping it alive, logging out (here and everywhere), and
//! purging what has expired.

use redb::{ReadableTable, ReadableTableMetadata};

use super::{AccountError, Accounts, SessionView, TOUCH_INTERVAL_SECS, get_user, revoke_sessions};
use crate::domain::account::UserId;
use crate::domain::throttle::FailureWindow;
use crate::service::{blocking, tokens};
use crate::store::StoreError;
use crate::store::codec::{decode, encode};
use crate::store::records::{ResetTokenRecord, SessionRecord};
use crate::store::tables::{LOGIN_FAILURES, RESET_TOKENS, SECOND_STEPS, SESSIONS, USER_SESSIONS};
use crate::store::two_factor::SecondStepRecord;

impl Accounts {
    /// Look up a session cookie. Expired sessions and sessions of disabled accounts are `None`.
    pub fn session(&self, token: &str) -> Result<Option<SessionView>, AccountError> {
        let Some(raw) = tokens::decode(token) else {
            return Ok(None);
        };
        self.session_by_key(tokens::digest(&raw))
    }

    /// Look up a session by its stored key (a console checking that its session still holds).
    pub fn session_by_key(&self, key: [u8; 32]) -> Result<Option<SessionView>, AccountError> {
        self.session_in(&self.store.read()?, key)
    }

    /// [`Accounts::session`] inside `tx` (the request's context reads the session and the
    /// unread count in one transaction).
    pub fn session_of_token_in(
        &self,
        tx: &redb::ReadTransaction,
        token: &str,
    ) -> Result<Option<SessionView>, AccountError> {
        match tokens::decode(token) {
            Some(raw) => self.session_in(tx, tokens::digest(&raw)),
            None => Ok(None),
        }
    }

    fn session_in(
        &self,
        tx: &redb::ReadTransaction,
        key: [u8; 32],
    ) -> Result<Option<SessionView>, AccountError> {
        let now = self.clock.now();
        let rec: SessionRecord = {
            let t = tx.open_table(SESSIONS)?;
            match t.get(&key)? {
                Some(v) => decode(v.value())?,
                None => return Ok(None),
            }
        };
        if now.secs_since(rec.last_seen) >= self.idle_secs
            || now.secs_since(rec.created_at) >= self.absolute_secs
        {
            return Ok(None);
        }
        let Some(user) = get_user(tx, rec.user)?.filter(|u| !u.disabled) else {
            return Ok(None);
        };
        Ok(Some(SessionView {
            user,
            csrf: tokens::encode(&rec.csrf),
            key,
            needs_touch: now.secs_since(rec.last_seen) >= TOUCH_INTERVAL_SECS,
        }))
    }

    /// Record activity on a session (keeps it from idling out).
    pub async fn touch(&self, key: [u8; 32]) -> Result<(), AccountError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            {
                let mut t = tx.open_table(SESSIONS)?;
                let rec = match t.get(&key)? {
                    Some(v) => Some(decode::<SessionRecord>(v.value())?),
                    None => None,
                };
                if let Some(mut rec) = rec {
                    rec.last_seen = now;
                    t.insert(&key, encode(&rec)?.as_slice())?;
                }
            }
            tx.commit().map_err(StoreError::from)?;
            Ok(())
        })
        .await
    }

    /// End one session.
    pub async fn logout(&self, key: [u8; 32]) -> Result<(), AccountError> {
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            let removed = tx
                .open_table(SESSIONS)?
                .remove(&key)?
                .map(|v| decode::<SessionRecord>(v.value()))
                .transpose()?;
            if let Some(rec) = removed {
                tx.open_multimap_table(USER_SESSIONS)?.remove(rec.user.0, &key)?;
                tracing::info!(user = %rec.user, "logout");
            }
            tx.commit().map_err(StoreError::from)?;
            Ok(())
        })
        .await
    }

    /// End every session of `user`; returns how many there were.
    pub async fn logout_everywhere(&self, user: UserId) -> Result<usize, AccountError> {
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            let n = revoke_sessions(&tx, user)?;
            tx.commit().map_err(StoreError::from)?;
            tracing::info!(user = %user, sessions = n, "logged out everywhere");
            Ok(n)
        })
        .await
    }

    /// Delete expired sessions, reset tokens, second steps of sign-ins and stale login-failure
    /// windows. Returns how many
    /// records went.
    pub async fn purge_expired(&self) -> Result<usize, AccountError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        let (idle, absolute) = (self.idle_secs, self.absolute_secs);
        blocking(move || {
            let tx = store.write()?;
            let mut n = 0;
            {
                let mut sessions = tx.open_table(SESSIONS)?;
                let mut by_user = tx.open_multimap_table(USER_SESSIONS)?;
                let mut dead = Vec::new();
                for row in sessions.iter()? {
                    let (k, v) = row.map_err(StoreError::from)?;
                    let rec: SessionRecord = decode(v.value())?;
                    if now.secs_since(rec.last_seen) >= idle || now.secs_since(rec.created_at) >= absolute {
                        dead.push((*k.value(), rec.user));
                    }
                }
                for (k, user) in dead {
                    sessions.remove(&k)?;
                    by_user.remove(user.0, &k)?;
                    n += 1;
                }
            }
            {
                let mut t = tx.open_table(RESET_TOKENS)?;
                let before = t.len()?;
                t.retain(|_, v| decode::<ResetTokenRecord>(v).map(|r| r.expires_at > now).unwrap_or(false))?;
                n += usize::try_from(before - t.len()?).unwrap_or(0);
            }
            {
                let mut t = tx.open_table(LOGIN_FAILURES)?;
                let before = t.len()?;
                t.retain(|_, v| {
                    decode::<FailureWindow>(v)
                        .map(|mut w| {
                            w.forget_old(now);
                            !w.is_empty()
                        })
                        .unwrap_or(false)
                })?;
                n += usize::try_from(before - t.len()?).unwrap_or(0);
            }
            {
                let mut t = tx.open_table(SECOND_STEPS)?;
                let before = t.len()?;
                t.retain(|_, v| decode::<SecondStepRecord>(v).map(|r| r.expires_at > now).unwrap_or(false))?;
                n += usize::try_from(before - t.len()?).unwrap_or(0);
            }
            n += Accounts::purge_sso_in(&tx, now)?;
            tx.commit().map_err(StoreError::from)?;
            Ok(n)
        })
        .await
    }

    /// Number of live sessions of `user` (account page).
    pub fn session_count(&self, user: UserId) -> Result<usize, AccountError> {
        let tx = self.store.read()?;
        let t = tx.open_multimap_table(USER_SESSIONS)?;
        let n = t.get(user.0)?.count();
        Ok(n)
    }
}
