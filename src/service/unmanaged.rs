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

/// Why a resource of vpsbox's kind is not this installation's to manage, in a sentence.
pub fn why(ours: uuid::Uuid, mark: Option<uuid::Uuid>, restored: bool) -> String {
    match mark {
        None => "carries no vpsbox installation's mark (made by hand, or by another program)".into(),
        Some(m) if m != ours => format!("belongs to another vpsbox installation ({m})"),
        Some(_) if restored => {
            "carries this installation's mark, but the state (restored from a copy) has no record of it"
                .into()
        }
        Some(_) => "carries this installation's mark, but the state has no record of it".into(),
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
