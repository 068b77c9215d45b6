//! SSH keys saved in an account, picked when ordering a VM.

use std::sync::Arc;

use redb::ReadableTable;

use super::audit;
use super::caller::Caller;
use super::{Coded, ErrorKind, blocking};
use crate::clock::Clock;
use crate::domain::account::UserId;
use crate::domain::ssh::{SshKey, SshKeyError};
use crate::store::codec::{decode, encode};
use crate::store::records::SshKeyRecord;
use crate::store::tables::{META, META_LAST_KEY_ID, SSH_KEYS, USER_KEYS};
use crate::store::{Store, StoreError};

/// Most keys one account may keep.
pub const MAX_KEYS: usize = 50;

/// Why a key operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key text is not a usable public key.
    #[error("{0}")]
    Invalid(#[from] SshKeyError),
    /// Name empty or too long.
    #[error("Give the key a name of 1 to 64 characters")]
    Name,
    /// Already saved.
    #[error("This key is saved already (as {0})")]
    Duplicate(String),
    /// Too many.
    #[error("An account keeps at most {MAX_KEYS} keys; delete one first")]
    TooMany,
    /// Not found (or not yours).
    #[error("No such key")]
    NotFound,
    /// Store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Coded for KeyError {
    fn code(&self) -> &'static str {
        match self {
            KeyError::Invalid(_) => "KEY0001",
            KeyError::Name => "KEY0002",
            KeyError::Duplicate(_) => "KEY0003",
            KeyError::TooMany => "KEY0004",
            KeyError::NotFound => "KEY0005",
            KeyError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            KeyError::Store(e) => e.kind(),
            KeyError::NotFound => ErrorKind::NotFound,
            KeyError::Duplicate(_) | KeyError::TooMany => ErrorKind::Conflict,
            _ => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            KeyError::Invalid(e) => e.args(),
            KeyError::Duplicate(n) => vec![("name", n.as_str().into())],
            KeyError::TooMany => vec![("max", MAX_KEYS.into())],
            KeyError::Store(e) => e.args(),
            _ => Vec::new(),
        }
    }
}

store_error_conversions!(KeyError);

/// The keys service.
#[derive(Clone)]
pub struct Keys {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
}

fn list_in(tx: &redb::ReadTransaction, owner: UserId) -> Result<Vec<SshKeyRecord>, KeyError> {
    let idx = tx.open_multimap_table(USER_KEYS)?;
    let keys = tx.open_table(SSH_KEYS)?;
    let mut out = Vec::new();
    for id in idx.get(owner.0)? {
        if let Some(v) = keys.get(id?.value())? {
            out.push(decode(v.value())?);
        }
    }
    Ok(out)
}

impl Keys {
    /// The service over `store`.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>) -> Keys {
        Keys { store, clock }
    }

    /// The owner's keys, oldest first.
    pub fn list(&self, owner: UserId) -> Result<Vec<SshKeyRecord>, KeyError> {
        list_in(&self.store.read()?, owner)
    }

    /// The owner's keys with these ids; any id not theirs is `NotFound`.
    pub fn pick(&self, owner: UserId, ids: &[u64]) -> Result<Vec<SshKeyRecord>, KeyError> {
        let all = self.list(owner)?;
        ids.iter().map(|id| all.iter().find(|k| k.id == *id).cloned().ok_or(KeyError::NotFound)).collect()
    }

    /// Save a key.
    pub async fn add(
        &self,
        owner: UserId,
        name: &str,
        text: &str,
        caller: &Caller,
    ) -> Result<SshKeyRecord, KeyError> {
        let key = SshKey::parse(text)?;
        let name = name.trim().to_string();
        let name = if name.is_empty() && !key.comment.is_empty() { key.comment.clone() } else { name };
        if name.is_empty() || name.chars().count() > 64 {
            return Err(KeyError::Name);
        }
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            // Write transactions are serialised, so a snapshot taken while holding this one is
            // the latest state.
            let existing = list_in(&store.read()?, owner)?;
            if let Some(k) = existing.iter().find(|k| k.key.blob == key.blob) {
                return Err(KeyError::Duplicate(k.name.clone()));
            }
            if existing.len() >= MAX_KEYS {
                return Err(KeyError::TooMany);
            }
            let id = {
                let mut meta = tx.open_table(META)?;
                let id = meta.get(META_LAST_KEY_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
                meta.insert(META_LAST_KEY_ID, id)?;
                id
            };
            let rec = SshKeyRecord { id, owner, name, key, created_at: now };
            tx.open_table(SSH_KEYS)?.insert(id, encode(&rec)?.as_slice())?;
            tx.open_multimap_table(USER_KEYS)?.insert(owner.0, id)?;
            audit::record(&tx, now, &caller, owner, &format!("key:{id}"), "key.add", rec.key.fingerprint())?;
            tx.commit()?;
            Ok(rec)
        })
        .await
    }

    /// Delete one of the owner's keys (VMs keep the keys they were given).
    pub async fn delete(&self, owner: UserId, id: u64, caller: &Caller) -> Result<(), KeyError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            let rec: SshKeyRecord = {
                let t = tx.open_table(SSH_KEYS)?;
                let v = t.get(id)?.ok_or(KeyError::NotFound)?;
                decode(v.value())?
            };
            if rec.owner != owner {
                return Err(KeyError::NotFound);
            }
            tx.open_table(SSH_KEYS)?.remove(id)?;
            tx.open_multimap_table(USER_KEYS)?.remove(owner.0, id)?;
            audit::record(&tx, now, &caller, owner, &format!("key:{id}"), "key.delete", &rec.name)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::domain::time::Timestamp;

    const ED: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop";

    #[tokio::test]
    async fn add_list_pick_delete_and_ownership() {
        let k = Keys::new(
            Arc::new(Store::in_memory().unwrap()),
            Arc::new(ManualClock::new(Timestamp::from_secs(1_800_000_000))),
        );
        let (a, b) = (UserId(1), UserId(2));
        let rec = k.add(a, "", ED, &Caller::system()).await.unwrap();
        assert_eq!(rec.name, "alice@laptop");
        assert!(matches!(k.add(a, "again", ED, &Caller::system()).await, Err(KeyError::Duplicate(_))));
        assert_eq!(k.add(a, "x", "ssh-ed25519 nope", &Caller::system()).await.unwrap_err().code(), "KEY0001");
        k.add(b, "bobs", ED, &Caller::system()).await.unwrap();
        assert_eq!(k.pick(a, &[rec.id]).unwrap().len(), 1);
        assert!(matches!(k.pick(b, &[rec.id]), Err(KeyError::NotFound)), "another account's key");
        assert!(matches!(k.delete(b, rec.id, &Caller::system()).await, Err(KeyError::NotFound)));
        k.delete(a, rec.id, &Caller::system()).await.unwrap();
        assert!(k.list(a).unwrap().is_empty());
        assert_eq!(k.list(b).unwrap().len(), 1);
    }
}
