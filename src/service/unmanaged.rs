//! Resources on the host with vpsbox's names that this installation cannot prove are its own:
//! another installation's, defined by hand, or carrying this installation's mark while its
//! state has no record of them (a state restored from a copy, a lost state). Reconcile leaves
//! them alone and lists them here; each is logged, and the admins told, once when first seen.

use redb::ReadableTable;

use crate::domain::time::Timestamp;
use crate::service::notices::notify_in;
use crate::store::host::{self, HostKind, UnmanagedRecord};
use crate::store::notices::Audience;
use crate::store::tables::UNMANAGED;
use crate::store::{Store, StoreError};

/// Why a resource with vpsbox's names is not this installation's to manage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// It carries no installation's mark (made by hand, or by another program).
    NoMark,
    /// It carries another installation's mark.
    Another(uuid::Uuid),
    /// It carries this installation's mark, but the state has no record of it.
    NoRecord,
    /// As `NoRecord`, in a state restored from a copy.
    NoRecordRestored,
    /// A file under the data directory of a VM the state has no record of.
    StrayFile,
}

impl Why {
    /// The reason for a domain, network or filter carrying `mark`.
    pub fn of(ours: uuid::Uuid, mark: Option<uuid::Uuid>, restored: bool) -> Why {
        match mark {
            None => Why::NoMark,
            Some(m) if m != ours => Why::Another(m),
            Some(_) if restored => Why::NoRecordRestored,
            Some(_) => Why::NoRecord,
        }
    }

    /// The reason for a listed resource.
    pub fn of_record(r: &UnmanagedRecord, ours: uuid::Uuid, restored: bool) -> Why {
        match r.kind {
            HostKind::File => Why::StrayFile,
            _ => Why::of(ours, r.installation, restored),
        }
    }

    /// Its key in the bundles' `admin-unmanaged-why`.
    pub fn key(self) -> &'static str {
        match self {
            Why::NoMark => "no-mark",
            Why::Another(_) => "another",
            Why::NoRecord => "no-record",
            Why::NoRecordRestored => "restored",
            Why::StrayFile => "file",
        }
    }

    /// In a sentence, in English (the log, the record).
    pub fn english(self) -> String {
        match self {
            Why::NoMark => {
                "carries no vpsbox installation's mark (made by hand, or by another program)".into()
            }
            Why::Another(m) => format!("belongs to another vpsbox installation ({m})"),
            Why::NoRecordRestored => {
                "carries this installation's mark, but the state (restored from a copy) has no record of it"
                    .into()
            }
            Why::NoRecord => "carries this installation's mark, but the state has no record of it".into(),
            Why::StrayFile => "a file under the data dir of a VM this state has no record of".into(),
        }
    }
}

/// A row for [`record`].
pub fn row(
    kind: HostKind,
    name: &str,
    state: &str,
    installation: Option<uuid::Uuid>,
    why: String,
    now: Timestamp,
) -> UnmanagedRecord {
    UnmanagedRecord {
        kind,
        name: name.to_string(),
        state: state.to_string(),
        disks: vec![],
        installation,
        why,
        first_seen: now,
        last_seen: now,
    }
}

/// Put what a reconcile pass over `kinds` found in place of the last pass's; log each new one
/// once, and tell the admins in one notice. Blocking.
pub fn record(
    store: &Store,
    now: Timestamp,
    kinds: &[HostKind],
    found: Vec<UnmanagedRecord>,
) -> Result<(), StoreError> {
    if found.is_empty() {
        // Nothing to write unless rows of these kinds are left from an earlier pass.
        let tx = store.read()?;
        let t = tx.open_table(UNMANAGED)?;
        let mut any = false;
        for row in t.iter()? {
            let (k, _) = row?;
            any |= kinds.iter().any(|kind| k.value().starts_with(&format!("{}:", kind.as_str())));
        }
        if !any {
            return Ok(());
        }
    }
    let tx = store.write()?;
    let new = host::replace_unmanaged(&tx, kinds, found)?;
    for r in &new {
        tracing::warn!(kind = r.kind.as_str(), name = %r.name, installation = ?r.installation, "left alone: {}", r.why);
    }
    if !new.is_empty() {
        let names: Vec<String> = new.iter().map(|r| format!("{} {}", r.kind.as_str(), r.name)).collect();
        let n = crate::service::notices::told(
            "host.unmanaged",
            crate::i18n::Msg::NoticeUnmanaged,
            Some(crate::i18n::Msg::NoticeUnmanagedBody),
            vec![("count", new.len().into()), ("names", names.join(", ").into())],
            Some("/admin/unmanaged".into()),
        );
        notify_in(&tx, now, Audience::Admins, n)?;
    }
    tx.commit()?;
    Ok(())
}

/// Every unmanaged resource, by kind and name.
pub fn list(store: &Store) -> Result<Vec<UnmanagedRecord>, StoreError> {
    host::unmanaged(&store.read()?.open_table(UNMANAGED)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mark_gives_its_reason_and_files_their_own() {
        let (ours, theirs) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
        assert_eq!(Why::of(ours, None, false), Why::NoMark);
        assert_eq!(Why::of(ours, Some(theirs), true), Why::Another(theirs));
        assert_eq!(Why::of(ours, Some(ours), false), Why::NoRecord);
        assert_eq!(Why::of(ours, Some(ours), true), Why::NoRecordRestored);
        let file = row(
            HostKind::File,
            "/var/lib/vpsbox/x/disk.qcow2",
            "kept",
            None,
            String::new(),
            Timestamp::from_secs(0),
        );
        assert_eq!(Why::of_record(&file, ours, false), Why::StrayFile);
        let net = UnmanagedRecord { kind: HostKind::Network, installation: Some(theirs), ..file };
        assert_eq!(Why::of_record(&net, ours, false), Why::Another(theirs));
        assert!(Why::Another(theirs).english().contains(&theirs.to_string()));
        let keys: std::collections::BTreeSet<_> =
            [Why::NoMark, Why::Another(theirs), Why::NoRecord, Why::NoRecordRestored, Why::StrayFile]
                .iter()
                .map(|w| w.key())
                .collect();
        assert_eq!(keys.len(), 5, "one bundle variant each");
    }
}
