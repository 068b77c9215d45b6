//! Accounts' ids in outside systems (a billing system's client id, the API's `external_id`):
//! at most one per account, and one account per id.

use redb::ReadableTable;

use super::{AccountError, Accounts, get_user};
use crate::domain::account::{Email, Role, UserId};
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::store::StoreError;
use crate::store::records::UserRecord;
use crate::store::tables::{EXTERNAL_OF_USER, OWNER_VMS, USER_BY_EMAIL, USER_EXTERNAL};

/// `raw` as an outside id: 1 to 128 printable characters, trimmed.
pub(super) fn checked(raw: &str) -> Result<String, AccountError> {
    let e = raw.trim();
    if e.is_empty() || e.chars().count() > 128 || e.chars().any(char::is_control) {
        return Err(AccountError::ExternalInvalid);
    }
    Ok(e.to_string())
}

/// Give `user` the outside id `external` inside `tx` (dropping the one it had).
pub(super) fn claim(tx: &redb::WriteTransaction, user: UserId, external: &str) -> Result<(), AccountError> {
    let mut ids = tx.open_table(USER_EXTERNAL)?;
    if let Some(owner) = ids.get(external)?.map(|v| v.value())
        && owner != user.0
    {
        return Err(AccountError::ExternalTaken(external.to_string(), owner));
    }
    let mut of = tx.open_table(EXTERNAL_OF_USER)?;
    let old = of.get(user.0)?.map(|v| v.value().to_string());
    if let Some(old) = old {
        ids.remove(old.as_str())?;
    }
    ids.insert(external, user.0)?;
    of.insert(user.0, external)?;
    Ok(())
}

impl Accounts {
    /// The account an outside id names.
    pub fn by_external(&self, external: &str) -> Result<UserRecord, AccountError> {
        let tx = self.store.read()?;
        let id = tx
            .open_table(USER_EXTERNAL)?
            .get(external.trim())?
            .map(|v| v.value())
            .ok_or(AccountError::NotFound)?;
        get_user(&tx, UserId(id))?.ok_or(AccountError::NotFound)
    }

    /// An account's outside id, if it has one.
    pub fn external_of(&self, user: UserId) -> Result<Option<String>, AccountError> {
        let tx = self.store.read()?;
        Ok(tx.open_table(EXTERNAL_OF_USER)?.get(user.0)?.map(|v| v.value().to_string()))
    }

    /// Set (or with `None` drop) an account's outside id.
    pub async fn set_external(&self, user: UserId, external: Option<String>) -> Result<(), AccountError> {
        let external = external.map(|e| checked(&e)).transpose()?;
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            if tx.open_table(crate::store::tables::USERS)?.get(user.0)?.is_none() {
                return Err(AccountError::NotFound);
            }
            match &external {
                Some(e) => claim(&tx, user, e)?,
                None => {
                    let old = tx.open_table(EXTERNAL_OF_USER)?.remove(user.0)?.map(|v| v.value().to_string());
                    if let Some(old) = old {
                        tx.open_table(USER_EXTERNAL)?.remove(old.as_str())?;
                    }
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }
}

impl Accounts {
    /// Close customer account `user` for good (a billing system's "delete client"): it must
    /// own no servers. Its e-mail and outside id are freed, its sessions end and it is
    /// disabled; the record stays, with its ledger and statements, for the books.
    pub async fn close_account(&self, caller: &Caller, user: UserId) -> Result<(), AccountError> {
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let mut u = super::get_user_w(&tx, user)?.ok_or(AccountError::NotFound)?;
            if !caller.sees(user) {
                return Err(AccountError::NotFound);
            }
            if u.role != Role::Customer {
                return Err(AccountError::SsoNotCustomer);
            }
            let owned = tx.open_table(OWNER_VMS)?.range((user.0, 0)..=(user.0, u64::MAX))?.next().is_some();
            if owned {
                return Err(AccountError::HasServers);
            }
            let old = u.email.as_str().to_string();
            tx.open_table(USER_BY_EMAIL)?.remove(old.as_str())?;
            u.email = Email::parse(&format!("closed-{}@closed.invalid", user.0))?;
            tx.open_table(USER_BY_EMAIL)?.insert(u.email.as_str(), user.0)?;
            u.disabled = true;
            super::put_user(&tx, &u)?;
            super::revoke_sessions(&tx, user)?;
            let external = tx.open_table(EXTERNAL_OF_USER)?.remove(user.0)?.map(|v| v.value().to_string());
            if let Some(e) = external {
                tx.open_table(USER_EXTERNAL)?.remove(e.as_str())?;
            }
            crate::service::audit::record(
                &tx,
                now,
                &caller,
                user,
                &format!("user:{}", user.0),
                "account.close",
                old,
            )?;
            tx.commit().map_err(StoreError::from)?;
            tracing::info!(user = %user, "account closed");
            Ok(())
        })
        .await
    }
}
