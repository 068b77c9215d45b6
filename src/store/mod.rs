//! The state store: one redb file (`DATA_DIR/vpsbox.redb`), the single source of truth for what
//! customers own and pay for. Tables are declared in [`tables`], stored values are versioned
//! serde records ([`codec`], [`records`]), and [`migrate`] upgrades old files on open.
//!
//! Services own their transactions: they call [`Store::read`] / [`Store::write`], do their
//! work, and commit. Nothing above `service` opens a transaction.

pub mod backups;
pub mod billing;
pub mod codec;
pub mod copy;
pub mod holdings;
pub mod host;
pub mod incidents;
pub mod migrate;
pub mod notices;
pub mod records;
pub mod sla;
pub mod support;
pub mod tables;
pub mod trials;
pub mod vms;

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
    Redb(#[from] redb::Error),
    /// A blocking store task failed to run.
    #[error("State store task failed: {0}")]
    Task(String),
}

impl crate::service::Coded for StoreError {
    fn kind(&self) -> crate::service::ErrorKind {
        crate::service::ErrorKind::Internal
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
        }
    }
}

macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                StoreError::Redb(e.into())
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
        StoreError::Redb(e.into())
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

/// The opened state file.
pub struct Store {
    db: Database,
    path: Option<PathBuf>,
    installation: uuid::Uuid,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

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
        Ok(Store { db, path: Some(path.to_path_buf()), installation })
    }

    /// A store kept in memory only; for tests.
    pub fn in_memory() -> Result<Store, StoreError> {
        let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new())?;
        migrate::migrate(&db, migrate::STEPS)?;
        let installation = installation_of(&db)?;
        Ok(Store { db, path: None, installation })
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
        Ok(self.db.begin_read()?)
    }

    /// Begin a write transaction (one at a time; each commit is durable on return).
    pub fn write(&self) -> Result<WriteTransaction, StoreError> {
        Ok(self.db.begin_write()?)
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
