//! An account's preferences: its time zone (backup schedules run in it), the cabinet's language
//! (kept in the account record, which every request reads anyway); and the address it signed up
//! from (admins see it when they decide on a free trial).

use super::{AccountError, Accounts};
use crate::domain::account::UserId;
use crate::store::StoreError;

impl Accounts {
    /// The time zone `user` chose (`UTC` until they choose one).
    pub fn time_zone(&self, user: UserId) -> Result<String, AccountError> {
        let tx = self.store.read()?;
        let tz = crate::store::backups::prefs_of(&tx.open_table(crate::store::tables::ACCOUNT_PREFS)?, user)?
            .time_zone;
        Ok(if tz.is_empty() { "UTC".into() } else { tz })
    }

    /// Set `user`'s time zone (an IANA name such as `Asia/Almaty`); returns it as stored.
    pub async fn set_time_zone(&self, user: UserId, name: &str) -> Result<String, AccountError> {
        crate::domain::schedule::zone(name).map_err(AccountError::TimeZone)?;
        let (store, name) = (self.store.clone(), name.trim().to_string());
        let stored = name.clone();
        tokio::task::spawn_blocking(move || {
            let tx = store.write()?;
            {
                let mut t = tx.open_table(crate::store::tables::ACCOUNT_PREFS)?;
                let mut prefs = crate::store::backups::prefs_of(&t, user)?;
                prefs.time_zone = name;
                t.insert(user.0, crate::store::codec::encode(&prefs)?.as_slice())?;
            }
            tx.commit()?;
            Ok::<_, AccountError>(())
        })
        .await
        .map_err(|e| AccountError::Store(StoreError::Task(e.to_string())))??;
        Ok(stored)
    }

    /// Set the cabinet's language of `user` (`kk`, `ru`, `en`; `None`: the browser's).
    pub async fn set_language(&self, user: UserId, code: Option<&str>) -> Result<(), AccountError> {
        let code = match code {
            Some(c) => Some(
                crate::i18n::Lang::from_code(c)
                    .filter(|l| l.code() == c)
                    .ok_or_else(|| AccountError::Language(c.chars().take(16).collect()))?
                    .code()
                    .to_string(),
            ),
            None => None,
        };
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || {
            let tx = store.write()?;
            let mut rec = super::get_user_w(&tx, user)?.ok_or(AccountError::NotFound)?;
            rec.language = code;
            super::put_user(&tx, &rec)?;
            tx.commit()?;
            Ok::<_, AccountError>(())
        })
        .await
        .map_err(|e| AccountError::Store(StoreError::Task(e.to_string())))?
    }

    /// Remember the address `user` signed up from.
    pub async fn note_signup_ip(&self, user: UserId, ip: std::net::IpAddr) -> Result<(), AccountError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || {
            let tx = store.write()?;
            tx.open_table(crate::store::tables::SIGNUP_IPS)?.insert(user.0, ip.to_string().as_str())?;
            tx.commit()?;
            Ok::<_, AccountError>(())
        })
        .await
        .map_err(|e| AccountError::Store(StoreError::Task(e.to_string())))?
    }

    /// The address `user` signed up from, if known (accounts made by admins have none).
    pub fn signup_ip(&self, user: UserId) -> Result<Option<String>, AccountError> {
        let tx = self.store.read()?;
        Ok(tx.open_table(crate::store::tables::SIGNUP_IPS)?.get(user.0)?.map(|v| v.value().to_string()))
    }

    /// Other accounts that look like `user`: the same e-mail domain or the same sign-up address.
    pub fn look_alikes(
        &self,
        user: UserId,
    ) -> Result<Vec<(crate::store::records::UserRecord, Alike)>, AccountError> {
        let me = self.user(user)?;
        let domain = me.email.as_str().rsplit_once('@').map(|(_, d)| d.to_string()).unwrap_or_default();
        let ip = self.signup_ip(user)?;
        let mut out = Vec::new();
        for u in self.list_users()? {
            if u.id == user {
                continue;
            }
            if ip.is_some() && self.signup_ip(u.id)? == ip {
                out.push((u, Alike::Address));
            } else if u.email.as_str().rsplit_once('@').is_some_and(|(_, d)| d == domain) {
                out.push((u, Alike::Domain));
            }
        }
        Ok(out)
    }
}

/// Why an account looks like another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alike {
    /// It signed up from the same address.
    Address,
    /// Its e-mail is at the same domain.
    Domain,
}

impl Alike {
    /// Stable key (`address`, `domain`).
    pub fn key(self) -> &'static str {
        match self {
            Alike::Address => "address",
            Alike::Domain => "domain",
        }
    }
}
