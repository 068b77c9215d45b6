//! Copies of the state file: a consistent copy made while the daemon runs (`vpsbox db backup`
//! and the daily automatic copy), and putting a copy back in place (`vpsbox db restore`).
//!
//! A copy is logical: one read transaction (a snapshot of every commit made before it began)
//! is written table by table into a fresh redb file. Copying the bytes of a file that redb is
//! writing would not be consistent. The copy is written under a temporary name in the target's
//! directory, made durable, and only then renamed, so a crash never leaves a half-written file
//! under the name asked for.

use std::io::Write;
use std::path::{Path, PathBuf};

use redb::{
    Database, MultimapTableDefinition, ReadTransaction, ReadableMultimapTable, ReadableTable,
    TableDefinition, WriteTransaction,
};

use super::tables::{self, *};
use super::{Store, StoreError};
use crate::domain::time::Timestamp;

/// What a copy holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyStats {
    /// Tables copied.
    pub tables: usize,
    /// Rows over all tables (each value of a multimap counts).
    pub rows: u64,
    /// Size of the written file.
    pub bytes: u64,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io { path: path.to_path_buf(), source }
}

/// The temporary name a file is written under before it is renamed to `dest`.
pub fn partial_name(dest: &Path) -> PathBuf {
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dest.with_file_name(format!(".{name}.partial"))
}

fn copy_table<K: redb::Key + 'static, V: redb::Value + 'static>(
    def: TableDefinition<K, V>,
    from: &ReadTransaction,
    to: &WriteTransaction,
) -> Result<u64, StoreError> {
    let src = from.open_table(def)?;
    let mut dst = to.open_table(def)?;
    let mut n = 0;
    for row in src.iter()? {
        let (k, v) = row?;
        dst.insert(k.value(), v.value())?;
        n += 1;
    }
    Ok(n)
}

fn copy_multimap<K: redb::Key + 'static, V: redb::Key + 'static>(
    def: MultimapTableDefinition<K, V>,
    from: &ReadTransaction,
    to: &WriteTransaction,
) -> Result<u64, StoreError> {
    let src = from.open_multimap_table(def)?;
    let mut dst = to.open_multimap_table(def)?;
    let mut n = 0;
    for row in src.iter()? {
        let (k, values) = row?;
        for v in values {
            dst.insert(k.value(), v?.value())?;
            n += 1;
        }
    }
    Ok(n)
}

/// Every table of `from` into `to`; returns (tables, rows).
fn copy_tables(from: &ReadTransaction, to: &WriteTransaction) -> Result<(usize, u64), StoreError> {
    let (mut count, mut rows) = (0usize, 0u64);
    macro_rules! copy {
        (table $t:ident) => {
            rows += copy_table($t, from, to)?;
            count += 1;
        };
        (multimap $t:ident) => {
            rows += copy_multimap($t, from, to)?;
            count += 1;
        };
    }
    tables::each_table!(copy);
    Ok((count, rows))
}

/// Create `path` for writing with mode 0600 (the state holds password hashes), replacing a
/// leftover partial file.
fn create_private(path: &Path) -> Result<std::fs::File, StoreError> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(path)(e)),
    }
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(io(path))
}

/// Make a rename in `dir` durable.
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

fn parent_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

impl Store {
    /// Write a consistent copy of the whole state to `dest` (replaced if it exists): everything
    /// committed before the call began, nothing committed during it. Runs concurrently with
    /// writers; blocking (call through `spawn_blocking`).
    pub fn copy_to(&self, dest: &Path) -> Result<CopyStats, StoreError> {
        let snapshot = self.read()?;
        let dir = parent_of(dest);
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let partial = partial_name(dest);
        let written = (|| {
            let file = create_private(&partial)?;
            let backend = redb::backends::FileBackend::new(file)?;
            let db = Database::builder().create_with_backend(backend)?;
            let tx = db.begin_write()?;
            let (tables, rows) = copy_tables(&snapshot, &tx)?;
            tx.commit()?;
            drop(db);
            let bytes = std::fs::metadata(&partial).map_err(io(&partial))?.len();
            Ok::<_, StoreError>(CopyStats { tables, rows, bytes })
        })();
        let stats = match written {
            Ok(s) => s,
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        };
        std::fs::rename(&partial, dest).map_err(io(dest))?;
        sync_dir(dir)?;
        Ok(stats)
    }
}

/// What `restore` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Where the state file that was replaced was kept (none when there was no state file).
    pub previous: Option<PathBuf>,
    /// Schema version of the restored state (after upgrading an older copy).
    pub schema_version: u64,
}

/// Put the copy `from` in place of the state file `state` (the daemon must be stopped). The
/// copy is checked by opening it (an older copy is upgraded to this version's schema) before
/// anything is replaced; the current state file is kept next to it as
/// `<state>.before-restore-<stamp>`. `from` itself is never modified. The restored state
/// records when it was restored ([`META_RESTORED_AT`]).
pub fn restore(from: &Path, state: &Path, now: Timestamp) -> Result<Restored, StoreError> {
    let stamp = now.file_stamp();
    // Refuse while something (the daemon) holds the current state file.
    if state.exists() {
        match Database::open(state) {
            Ok(db) => drop(db),
            Err(redb::DatabaseError::DatabaseAlreadyOpen) => {
                return Err(StoreError::AlreadyInUse(state.to_path_buf()));
            }
            // An unreadable current state is what a restore is for.
            Err(_) => {}
        }
    }
    let dir = parent_of(state);
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let staged = partial_name(state);
    let checked = (|| {
        let mut out = create_private(&staged)?;
        let mut src = std::fs::File::open(from).map_err(io(from))?;
        std::io::copy(&mut src, &mut out).map_err(io(&staged))?;
        out.flush().map_err(io(&staged))?;
        out.sync_all().map_err(io(&staged))?;
        drop(out);
        let store = Store::open(&staged)?;
        if !tables::all_exist(&store.read()?)? {
            return Err(StoreError::Corrupt { kind: "state copy", reason: "tables are missing".into() });
        }
        let tx = store.write()?;
        tx.open_table(META)?.insert(META_RESTORED_AT, u64::try_from(now.as_secs()).unwrap_or(0))?;
        tx.commit()?;
        store.schema_version()
    })();
    let schema_version = match checked {
        Ok(v) => v,
        Err(e) => {
            let _ = std::fs::remove_file(&staged);
            return Err(e);
        }
    };
    let previous = if state.exists() {
        let kept = state.with_file_name(format!(
            "{}.before-restore-{stamp}",
            state.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        ));
        std::fs::rename(state, &kept).map_err(io(state))?;
        Some(kept)
    } else {
        None
    };
    std::fs::rename(&staged, state).map_err(io(state))?;
    sync_dir(dir)?;
    Ok(Restored { previous, schema_version })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(store: &Store, key: &str, value: u64) {
        let tx = store.write().unwrap();
        tx.open_table(META).unwrap().insert(key, value).unwrap();
        tx.commit().unwrap();
    }

    fn get(store: &Store, key: &str) -> Option<u64> {
        let tx = store.read().unwrap();
        let t = tx.open_table(META).unwrap();
        t.get(key).unwrap().map(|v| v.value())
    }

    #[test]
    fn copy_holds_every_table_and_row() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("vpsbox.redb")).unwrap();
        put(&store, "test_key", 42);
        {
            let tx = store.write().unwrap();
            tx.open_multimap_table(USER_KEYS).unwrap().insert(1, 7).unwrap();
            tx.open_multimap_table(USER_KEYS).unwrap().insert(1, 8).unwrap();
            tx.commit().unwrap();
        }
        let dest = dir.path().join("copies/one.redb");
        let stats = store.copy_to(&dest).unwrap();
        assert_eq!(stats.tables, tables::all_names().len());
        assert!(stats.rows >= 3, "{stats:?}");
        assert!(!partial_name(&dest).exists());
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777, 0o600);
        let copy = Store::open(&dest).unwrap();
        assert_eq!(get(&copy, "test_key"), Some(42));
        assert_eq!(copy.schema_version().unwrap(), store.schema_version().unwrap());
        let tx = copy.read().unwrap();
        let keys: Vec<u64> =
            tx.open_multimap_table(USER_KEYS).unwrap().get(1).unwrap().map(|v| v.unwrap().value()).collect();
        assert_eq!(keys, vec![7, 8]);
        // Every table the store has exists in the copy.
        let names: Vec<String> = tx
            .list_tables()
            .unwrap()
            .map(|h| redb::TableHandle::name(&h).to_string())
            .chain(
                tx.list_multimap_tables().unwrap().map(|h| redb::MultimapTableHandle::name(&h).to_string()),
            )
            .collect();
        for n in tables::all_names() {
            assert!(names.iter().any(|have| have == n), "{n} missing from the copy");
        }
    }

    #[test]
    fn copy_is_the_snapshot_at_its_start() {
        let dir = tempfile::tempdir().unwrap();
        let store = std::sync::Arc::new(Store::open(&dir.path().join("vpsbox.redb")).unwrap());
        // Many rows, so that the copy takes a while, and a writer that keeps committing.
        {
            let tx = store.write().unwrap();
            let mut t = tx.open_table(AUDIT).unwrap();
            for i in 0..20_000u64 {
                t.insert(i, [7u8; 64].as_slice()).unwrap();
            }
            drop(t);
            tx.commit().unwrap();
        }
        put(&store, "counter", 0);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = {
            let (store, stop) = (store.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    n += 1;
                    put(&store, "counter", n);
                }
                n
            })
        };
        std::thread::sleep(std::time::Duration::from_millis(20));
        let before = get(&store, "counter").unwrap();
        let dest = dir.path().join("copy.redb");
        store.copy_to(&dest).unwrap();
        let after = get(&store, "counter").unwrap();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let total = writer.join().unwrap();
        let copy = Store::open(&dest).unwrap();
        let seen = get(&copy, "counter").unwrap();
        assert!(before <= seen && seen <= after, "copy saw {seen}, outside [{before}, {after}]");
        assert!(total > seen, "the writer kept committing during the copy");
        let tx = copy.read().unwrap();
        use redb::ReadableTableMetadata;
        assert_eq!(tx.open_table(AUDIT).unwrap().len().unwrap(), 20_000);
    }

    #[test]
    fn restore_replaces_the_state_and_keeps_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("vpsbox.redb");
        let copy = dir.path().join("copy.redb");
        {
            let store = Store::open(&state).unwrap();
            put(&store, "which", 1);
            store.copy_to(&copy).unwrap();
            put(&store, "which", 2);
        }
        let copy_bytes = std::fs::read(&copy).unwrap();
        let now = Timestamp::parse_file_stamp("20261126-120000").unwrap();
        let done = restore(&copy, &state, now).unwrap();
        let kept = done.previous.unwrap();
        assert!(kept.ends_with("vpsbox.redb.before-restore-20261126-120000"), "{kept:?}");
        let restored = Store::open(&state).unwrap();
        assert_eq!(get(&restored, "which"), Some(1));
        assert_eq!(restored.restored_at().unwrap(), Some(now));
        drop(restored);
        let old = Store::open(&kept).unwrap();
        assert_eq!(get(&old, "which"), Some(2));
        assert_eq!(old.restored_at().unwrap(), None);
        assert_eq!(std::fs::read(&copy).unwrap(), copy_bytes, "the copy itself is untouched");
    }

    #[test]
    fn restore_refuses_a_running_daemon_and_a_file_that_is_no_state() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("vpsbox.redb");
        let copy = dir.path().join("copy.redb");
        let store = Store::open(&state).unwrap();
        put(&store, "which", 1);
        store.copy_to(&copy).unwrap();
        let err = restore(&copy, &state, Timestamp::from_secs(1)).unwrap_err();
        assert!(matches!(err, StoreError::AlreadyInUse(_)), "{err}");
        drop(store);
        let junk = dir.path().join("junk.redb");
        std::fs::write(&junk, b"not a database at all").unwrap();
        assert!(restore(&junk, &state, Timestamp::from_secs(2)).is_err());
        assert!(!partial_name(&state).exists(), "no staged file left behind");
        assert_eq!(get(&Store::open(&state).unwrap(), "which"), Some(1), "state untouched");
        assert!(!dir.path().join("vpsbox.redb.before-restore-19700101-000002").exists());
    }
}
