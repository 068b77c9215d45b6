//! The audit log: who did what to which resource, when, from where. Entries are written inside
//! the transaction of the change they describe, so the log never disagrees with the state.

use redb::ReadableTable;

use crate::domain::account::UserId;
use crate::domain::time::Timestamp;
use crate::i18n::Msg;
use crate::service::caller::Caller;
use crate::store::StoreError;
use crate::store::codec::{decode, encode};
use crate::store::records::AuditRecord;
use crate::store::tables::{AUDIT, META, META_LAST_AUDIT_ID, RESOURCE_AUDIT, USER_AUDIT};

/// What an entry says beyond its action: values as they are (names, addresses, amounts), or
/// words, told by a message of the bundles (`audit.ftl`) so each reader reads them in their
/// language.
pub enum Detail {
    /// Values only.
    Values(String),
    /// A message with its arguments.
    Told(Msg, crate::error::Args),
}

impl From<&str> for Detail {
    fn from(s: &str) -> Detail {
        Detail::Values(s.to_string())
    }
}

impl From<&String> for Detail {
    fn from(s: &String) -> Detail {
        Detail::Values(s.clone())
    }
}

impl From<String> for Detail {
    fn from(s: String) -> Detail {
        Detail::Values(s)
    }
}

/// Details told by `msg` with `args`.
pub fn told(msg: Msg, args: crate::error::Args) -> Detail {
    Detail::Told(msg, args)
}

/// Append an entry inside `tx`.
pub fn record(
    tx: &redb::WriteTransaction,
    now: Timestamp,
    caller: &Caller,
    owner: UserId,
    resource: &str,
    action: &str,
    detail: impl Into<Detail>,
) -> Result<(), StoreError> {
    let (detail, told) = match detail.into() {
        Detail::Values(s) => (s, None),
        Detail::Told(msg, args) => {
            let (english, told) = crate::service::notices::english_and_told(msg, args);
            (english, Some(told))
        }
    };
    let seq = {
        let mut meta = tx.open_table(META)?;
        let seq = meta.get(META_LAST_AUDIT_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
        meta.insert(META_LAST_AUDIT_ID, seq)?;
        seq
    };
    let rec = AuditRecord {
        seq,
        at: now,
        actor: caller.user,
        ip: caller.ip.clone(),
        owner,
        resource: resource.into(),
        action: action.into(),
        detail,
        told,
    };
    tx.open_table(AUDIT)?.insert(seq, encode(&rec)?.as_slice())?;
    tx.open_multimap_table(USER_AUDIT)?.insert(owner.0, seq)?;
    tx.open_multimap_table(RESOURCE_AUDIT)?.insert(resource, seq)?;
    crate::service::webhooks::from_audit_in(tx, &rec)?;
    Ok(())
}

/// The newest `limit` entries about `owner`'s resources (all owners when `None`), optionally
/// only those about `resource`, newest first.
pub fn list(
    tx: &redb::ReadTransaction,
    owner: Option<UserId>,
    resource: Option<&str>,
    limit: usize,
) -> Result<Vec<AuditRecord>, StoreError> {
    let audit = tx.open_table(AUDIT)?;
    let mut out = Vec::new();
    let keep = |r: &AuditRecord| resource.is_none_or(|res| r.resource == res);
    if let Some(res) = resource {
        // One resource's entries, newest first, from its own index.
        let idx = tx.open_multimap_table(RESOURCE_AUDIT)?;
        for seq in idx.get(res)?.rev() {
            if let Some(v) = audit.get(seq?.value())? {
                let r: AuditRecord = decode(v.value())?;
                if owner.is_none_or(|o| r.owner == o) {
                    out.push(r);
                    if out.len() == limit {
                        break;
                    }
                }
            }
        }
        return Ok(out);
    }
    match owner {
        Some(o) => {
            let idx = tx.open_multimap_table(USER_AUDIT)?;
            let seqs: Vec<u64> = idx.get(o.0)?.map(|s| s.map(|s| s.value())).collect::<Result<_, _>>()?;
            for seq in seqs.into_iter().rev() {
                if let Some(v) = audit.get(seq)? {
                    let r: AuditRecord = decode(v.value())?;
                    if keep(&r) {
                        out.push(r);
                        if out.len() == limit {
                            break;
                        }
                    }
                }
            }
        }
        None => {
            for row in audit.iter()?.rev() {
                let (_, v) = row?;
                let r: AuditRecord = decode(v.value())?;
                if keep(&r) {
                    out.push(r);
                    if out.len() == limit {
                        break;
                    }
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn written_in_the_callers_transaction_and_listed_newest_first() {
        let store = Store::in_memory().unwrap();
        let a = Caller::customer(UserId(1), "192.0.2.1");
        let tx = store.write().unwrap();
        for i in 0..5 {
            record(
                &tx,
                Timestamp::from_secs(i),
                &a,
                UserId(1 + i as u64 % 2),
                &format!("vm:{i}"),
                "vm.start",
                "",
            )
            .unwrap();
        }
        tx.commit().unwrap();
        let r = store.read().unwrap();
        let mine = list(&r, Some(UserId(1)), None, 10).unwrap();
        assert_eq!(mine.iter().map(|e| e.seq).collect::<Vec<_>>(), [5, 3, 1]);
        assert_eq!(list(&r, None, None, 2).unwrap().iter().map(|e| e.seq).collect::<Vec<_>>(), [5, 4]);
        assert_eq!(list(&r, Some(UserId(2)), Some("vm:3"), 10).unwrap().len(), 1);
        // An aborted transaction leaves no entry.
        let tx = store.write().unwrap();
        record(&tx, Timestamp::from_secs(9), &a, UserId(1), "vm:9", "vm.stop", "").unwrap();
        drop(tx);
        assert_eq!(list(&store.read().unwrap(), None, None, 100).unwrap().len(), 5);
    }

    #[test]
    fn one_resources_entries_come_from_its_index_newest_first() {
        let store = Store::in_memory().unwrap();
        let a = Caller::customer(UserId(1), "192.0.2.1");
        let tx = store.write().unwrap();
        for i in 0..50 {
            let res = if i % 10 == 0 { "vm:7" } else { "vm:8" };
            record(&tx, Timestamp::from_secs(i), &a, UserId(1), res, "vm.start", "").unwrap();
        }
        tx.commit().unwrap();
        let r = store.read().unwrap();
        let seqs = |owner, limit| {
            list(&r, owner, Some("vm:7"), limit).unwrap().iter().map(|e| e.seq).collect::<Vec<_>>()
        };
        assert_eq!(seqs(Some(UserId(1)), 10), [41, 31, 21, 11, 1]);
        assert_eq!(seqs(None, 2), [41, 31]);
        assert!(seqs(Some(UserId(2)), 10).is_empty(), "another owner's filter keeps nothing");
    }
}
