//! The state store: one redb file (`DATA_DIR/vpsbox.redb`), the single source of truth for what
//! customers own and pay for. Tables are declared in [`tables`], stored values are versioned
//! serde records ([`codec`], [`records`]), and [`migrate`] upgrades old files on open.
//!
//! Services own their transactions: they call [`Store::read`] / [`Store::write`], do their
//! work, and commit. Nothing above `service` opens a transaction.

pub mod abuse;
pub mod addresses;
pub mod api_tokens;
pub mod backups;
pub mod billing;
pub mod codec;
pub mod copy;
pub mod deletions;
pub mod holdings;
pub mod host;
pub mod idempotency;
pub mod incidents;
pub mod isos;
pub mod limits;
pub mod list_entry;
pub mod migrate;
pub mod notices;
pub mod operations;
pub mod records;
pub mod rescue;
pub mod sla;
pub mod snapshots;
pub mod sso;
pub mod support;
pub mod tables;
pub mod telegram;
pub mod trials;
pub mod two_factor;
pub mod usage;
pub mod vms;
pub mod webhooks;

use std::path::{Path, PathBuf};

use redb::{Database, ReadTransaction, ReadableDatabase, WriteTransaction};

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process (usually the running daemon) has the file open.
    #[error(
        "The state file {0} is already in use by another vpsbox process (is the daemon running? \
         stop it with `systemctl stop vpsbox`, or run this command against the running daemon)"
    )]
    AlreadyInUse(PathBuf),
    /// The file was written by a newer vpsbox.
    #[error(
        "The state file has schema version {found}, newer than the {supported} this vpsbox \
         understands; install the newer vpsbox again"
    )]
    NewerSchema {
        /// Version recorded in the file.
        found: u64,
        /// Newest version this binary knows.
        supported: u64,
    },
    /// A stored value could not be decoded.
    #[error("Stored {kind} record is unreadable: {reason}")]
    Corrupt {
        /// Record type.
        kind: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// A record could not be encoded.
    #[error("Cannot encode {kind} record: {reason}")]
    Encode {
        /// Record type.
        kind: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// The data directory could not be prepared.
    #[error("Cannot prepare data directory {path}: {source}")]
    Io {
        /// Directory in question.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// redb reported an error.
    #[error("State store error: {0}")]
    Redb(redb::Error),
    /// The file cannot be written now (the disk is full or failing): every change is refused
    /// until the store is reopened, which the daemon does by itself once it works again.
    #[error(
        "The state store cannot save changes right now (its disk is full or failing): nothing was changed. vpsbox retries by itself; try again in a minute ({0})"
    )]
    Unavailable(String),
    /// A blocking store task failed to run.
    #[error("State store task failed: {0}")]
    Task(String),
}

impl crate::error::Coded for StoreError {
    fn kind(&self) -> crate::error::ErrorKind {
        match self {
            StoreError::Unavailable(_) => crate::error::ErrorKind::Unavailable,
            _ => crate::error::ErrorKind::Internal,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            StoreError::AlreadyInUse(_) => "STO0001",
            StoreError::NewerSchema { .. } => "STO0002",
            StoreError::Corrupt { .. } => "STO0003",
            StoreError::Encode { .. } => "STO0004",
            StoreError::Io { .. } => "STO0005",
            StoreError::Redb(_) => "STO0006",
            StoreError::Task(_) => "STO0007",
            StoreError::Unavailable(_) => "STO0008",
        }
    }
}

macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                StoreError::from(redb::Error::from(e))
            }
        }
    )*};
}
from_redb!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::CompactionError
);

impl From<redb::DatabaseError> for StoreError {
    fn from(e: redb::DatabaseError) -> Self {
        StoreError::from(redb::Error::from(e))
    }
}

/// I/O failures of any store in this process so far: a store's probe writes for real only
/// when this moved since its last good probe (see [`Store::probe`]).
static IO_FAILURES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl From<redb::Error> for StoreError {
    /// I/O failures of the file (and redb's refusal to go on after one) are
    /// [`StoreError::Unavailable`]: the daemon's health check reopens the store.
    fn from(e: redb::Error) -> Self {
        match &e {
            redb::Error::PreviousIo | redb::Error::Io(_) | redb::Error::DatabaseClosed => {
                IO_FAILURES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                StoreError::Unavailable(e.to_string())
            }
            _ => StoreError::Redb(e),
        }
    }
}

fn restrict_mode(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let io = |source| StoreError::Io { path: path.to_path_buf(), source };
    let mode = std::fs::metadata(path).map_err(io)?.permissions().mode();
    if mode & 0o077 != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    }
    Ok(())
}

/// The next id of the counter `key` in [`tables::META`] (from 1), taken inside `tx`.
pub fn next_id(tx: &redb::WriteTransaction, key: &str) -> Result<u64, StoreError> {
    use redb::ReadableTable;
    let mut meta = tx.open_table(tables::META)?;
    let id = meta.get(key)?.map(|v| v.value()).unwrap_or(0) + 1;
    meta.insert(key, id)?;
    Ok(id)
}

/// Count the VM records in `tx` for which `f` holds (used inside delete transactions of the
/// catalogue, so a VM created concurrently is always seen).
pub fn count_vms(
    tx: &redb::WriteTransaction,
    f: impl Fn(&records::VmRecord) -> bool,
) -> Result<usize, StoreError> {
    use redb::ReadableTable;
    let t = tx.open_table(tables::VMS)?;
    let mut n = 0;
    for row in t.iter()? {
        let (_, v) = row?;
        if f(&codec::decode(v.value())?) {
            n += 1;
        }
    }
    Ok(n)
}

/// The installation id recorded in `db`, made (a random UUID) when there is none yet.
/// The file beside the state that names its installation (`installation-id`), readable while
/// the daemon holds the state (`vpsbox doctor`, a hoster's scripts).
pub fn installation_file(state: &Path) -> PathBuf {
    state.with_file_name("installation-id")
}

/// Keep [`installation_file`] in step with the state at `state` (rewritten only when it
/// differs). The daemon does this at start; opening a copy leaves no file beside it.
pub fn write_installation_file(state: &Path, id: uuid::Uuid) -> Result<(), StoreError> {
    let path = installation_file(state);
    let text = format!("{id}\n");
    if std::fs::read_to_string(&path).is_ok_and(|t| t == text) {
        return Ok(());
    }
    std::fs::write(&path, text).map_err(|source| StoreError::Io { path, source })
}

fn installation_of(db: &Database) -> Result<uuid::Uuid, StoreError> {
    let read = |tx: &ReadTransaction| -> Result<Option<uuid::Uuid>, StoreError> {
        let t = match tx.open_table(tables::SETTINGS) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        Ok(t.get(tables::INSTALLATION_KEY)?.and_then(|v| uuid::Uuid::from_slice(v.value()).ok()))
    };
    if let Some(id) = read(&db.begin_read()?)? {
        return Ok(id);
    }
    let tx = db.begin_write()?;
    let id = {
        use redb::ReadableTable;
        let mut t = tx.open_table(tables::SETTINGS)?;
        let existing = t.get(tables::INSTALLATION_KEY)?.and_then(|v| uuid::Uuid::from_slice(v.value()).ok());
        match existing {
            Some(id) => id,
            None => {
                let id = uuid::Uuid::new_v4();
                t.insert(tables::INSTALLATION_KEY, id.as_bytes().as_slice())?;
                id
            }
        }
    };
    tx.commit()?;
    tracing::info!(installation = %id, "installation id recorded");
    Ok(id)
}

/// The opened state file. After an I/O error redb refuses every further transaction until
/// the file is opened again: [`Store::probe`] notices and reopens it in place (the services keep
/// their `Arc<Store>`).
pub struct Store {
    db: std::sync::RwLock<Option<std::sync::Arc<Database>>>,
    path: Option<PathBuf>,
    installation: uuid::Uuid,
    /// Since when (Unix ms) writes fail, and why; `None` while healthy.
    fault: std::sync::Mutex<Option<(i64, String)>>,
    /// [`IO_FAILURES`] at this store's last good probe.
    failures_seen: std::sync::atomic::AtomicU64,
}

/// What [`Store::probe`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// Writes work.
    Healthy,
    /// Writes fail since `since_ms` (Unix ms): the error.
    Failing {
        /// When the failure was first seen.
        since_ms: i64,
        /// What the store said.
        error: String,
        /// Whether this probe is the first to see it.
        new: bool,
    },
    /// Writes work again after failing since `since_ms`.
    Recovered {
        /// When the failure was first seen.
        since_ms: i64,
        /// What the store had said.
        error: String,
    },
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// What a probe after an I/O error writes before it calls the store healthy again: room for
/// an ordinary change (a support request with its text log is up to about this size).
pub const PROBE_BYTES: usize = 256 * 1024;

impl Store {
    /// Open (or create) the state file at `path`, creating its directory, and bring its schema
    /// up to date. A file held by another process is refused with [`StoreError::AlreadyInUse`].
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| StoreError::Io { path: dir.to_path_buf(), source })?;
        }
        let db = match Database::create(path) {
            Ok(db) => db,
            Err(redb::DatabaseError::DatabaseAlreadyOpen) => {
                return Err(StoreError::AlreadyInUse(path.to_path_buf()));
            }
            Err(e) => return Err(e.into()),
        };
        // The file holds password hashes and session digests: owner only.
        restrict_mode(path)?;
        migrate::migrate(&db, migrate::STEPS)?;
        let installation = installation_of(&db)?;
        Ok(Store::with(db, Some(path.to_path_buf()), installation))
    }

    fn with(db: Database, path: Option<PathBuf>, installation: uuid::Uuid) -> Store {
        Store {
            db: std::sync::RwLock::new(Some(std::sync::Arc::new(db))),
            path,
            installation,
            fault: std::sync::Mutex::new(None),
            failures_seen: std::sync::atomic::AtomicU64::new(
                IO_FAILURES.load(std::sync::atomic::Ordering::SeqCst),
            ),
        }
    }

    /// The open database, unless it is being reopened.
    fn db(&self) -> Result<std::sync::Arc<Database>, StoreError> {
        match self.db.read() {
            Ok(g) => {
                g.clone().ok_or_else(|| StoreError::Unavailable("the state file is being reopened".into()))
            }
            Err(_) => Err(StoreError::Unavailable("the store's lock was poisoned".into())),
        }
    }

    /// Check that writes work; when they fail, reopen the file (as a restart would: redb
    /// checks and repairs it) once nothing else holds it. `now_ms` is the time of the check
    /// (Unix ms). A write transaction is begun and dropped (nothing reaches the disk) unless an
    /// I/O error was seen since the last good probe (or the store is failing): then
    /// [`PROBE_BYTES`] are committed for real and removed in a second commit, since redb reports
    /// a full disk only when a commit writes, and a write that fits in the pages a failed one
    /// left free inside the file says nothing about room for an ordinary change.
    pub fn probe(&self, now_ms: i64) -> Health {
        use std::sync::atomic::Ordering::SeqCst;
        let failures = IO_FAILURES.load(SeqCst);
        let suspect = failures != self.failures_seen.load(SeqCst) || self.fault().is_some();
        let check = self.db().and_then(|db| {
            let tx = db.begin_write()?;
            if suspect {
                tx.open_table(tables::META)?
                    .insert(tables::META_PROBE, u64::try_from(now_ms).unwrap_or(0))?;
                tx.open_table(tables::STORE_PROBE)?.insert(0, vec![0u8; PROBE_BYTES].as_slice())?;
                tx.commit()?;
                let tx = db.begin_write()?;
                tx.open_table(tables::STORE_PROBE)?.remove(0)?;
                tx.commit()?;
            }
            Ok(())
        });
        if check.is_ok() {
            self.failures_seen.store(failures, SeqCst);
        }
        let mut fault = match self.fault.lock() {
            Ok(f) => f,
            Err(p) => p.into_inner(),
        };
        match check {
            Ok(()) => match fault.take() {
                Some((since_ms, error)) => Health::Recovered { since_ms, error },
                None => Health::Healthy,
            },
            Err(e) => {
                let new = fault.is_none();
                let (since_ms, error) = fault.get_or_insert_with(|| (now_ms, e.to_string())).clone();
                drop(fault);
                if matches!(e, StoreError::Unavailable(_)) {
                    self.reopen();
                }
                Health::Failing { since_ms, error, new }
            }
        }
    }

    /// Since when (Unix ms) the last probe found writes failing, and why.
    pub fn fault(&self) -> Option<(i64, String)> {
        self.fault.lock().map(|f| f.clone()).unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Close and open the file again, if only this store holds it (transactions in flight
    /// keep it open: then the next probe tries again).
    fn reopen(&self) {
        let Some(path) = self.path.clone() else { return };
        let Ok(mut slot) = self.db.write() else { return };
        let Some(db) = slot.take() else {
            *slot = Database::create(&path).ok().map(std::sync::Arc::new);
            return;
        };
        match std::sync::Arc::try_unwrap(db) {
            Ok(db) => {
                drop(db);
                match Database::create(&path) {
                    Ok(db) => {
                        tracing::warn!(path = %path.display(), "state store reopened");
                        *slot = Some(std::sync::Arc::new(db));
                    }
                    Err(e) => {
                        tracing::error!(path = %path.display(), "cannot reopen the state store yet: {e}")
                    }
                }
            }
            Err(shared) => *slot = Some(shared),
        }
    }

    /// A store kept in memory only; for tests.
    pub fn in_memory() -> Result<Store, StoreError> {
        let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new())?;
        migrate::migrate(&db, migrate::STEPS)?;
        let installation = installation_of(&db)?;
        Ok(Store::with(db, None, installation))
    }

    /// This installation's id ([`tables::INSTALLATION_KEY`]): made with the state, kept by its
    /// copies and restores.
    pub fn installation_id(&self) -> uuid::Uuid {
        self.installation
    }

    /// Path of the file, unless in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Begin a read transaction: a consistent snapshot, concurrent with everything else.
    pub fn read(&self) -> Result<ReadTransaction, StoreError> {
        Ok(self.db()?.begin_read()?)
    }

    /// Begin a write transaction (one at a time; each commit is durable on return).
    pub fn write(&self) -> Result<WriteTransaction, StoreError> {
        Ok(self.db()?.begin_write()?)
    }

    /// When the state was put back from a copy ([`tables::META_RESTORED_AT`]), if it was.
    pub fn restored_at(&self) -> Result<Option<crate::domain::time::Timestamp>, StoreError> {
        let tx = self.read()?;
        let meta = tx.open_table(tables::META)?;
        let at = meta.get(tables::META_RESTORED_AT)?.map(|v| v.value());
        Ok(at.and_then(|s| i64::try_from(s).ok()).map(crate::domain::time::Timestamp::from_secs))
    }

    /// The schema version recorded in the file.
    pub fn schema_version(&self) -> Result<u64, StoreError> {
        migrate::read_version(&self.read()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_installation_id_is_made_once_and_kept_by_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vpsbox.redb");
        let first = Store::open(&path).unwrap().installation_id();
        assert_eq!(Store::open(&path).unwrap().installation_id(), first, "the same state, the same id");
        let other = Store::open(&dir.path().join("other.redb")).unwrap().installation_id();
        assert_ne!(other, first, "another state, another installation");
        assert_ne!(first, uuid::Uuid::nil());
    }

    #[test]
    fn second_open_of_same_file_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/vpsbox.redb");
        let first = Store::open(&path).unwrap();
        assert_eq!(first.schema_version().unwrap(), migrate::SCHEMA_VERSION);
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::AlreadyInUse(_)), "{err}");
        assert!(err.to_string().contains("already in use"));
        drop(first);
        Store::open(&path).unwrap();
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
