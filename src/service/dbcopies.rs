//! Copies of the appliance's own state: on demand (`vpsbox db backup FILE`, through the
//! daemon when it runs) and automatic, every `backup.db_copy_interval_hours`, under
//! `DATA_DIR/db-backups/vpsbox-<YYYYMMDD-HHMMSS>.redb` with the newest
//! `backup.db_copies_keep` kept. A copy missed while the daemon was down is made once when it
//! is back.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::clock::Clock;
use crate::config::BackupConfig;
use crate::domain::time::Timestamp;
use crate::service::{Coded, ErrorKind, blocking};
use crate::store::copy::{CopyStats, partial_name};
use crate::store::{Store, StoreError};

/// Directory of the automatic copies inside the data directory.
pub const DIR: &str = "db-backups";

/// A state copy could not be made or listed.
#[derive(Debug, thiserror::Error)]
pub enum DbCopyError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file operation failed.
    #[error("Cannot use {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The destination is not an absolute path.
    #[error("The copy's path must be absolute: {0}")]
    RelativePath(PathBuf),
}

impl Coded for DbCopyError {
    fn kind(&self) -> ErrorKind {
        match self {
            DbCopyError::Store(e) => e.kind(),
            DbCopyError::Io { .. } => ErrorKind::Internal,
            DbCopyError::RelativePath(_) => ErrorKind::Invalid,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            DbCopyError::Store(e) => e.code(),
            DbCopyError::Io { .. } => "DBC0001",
            DbCopyError::RelativePath(_) => "DBC0002",
        }
    }
}

/// One automatic copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbCopy {
    /// Its file.
    pub path: PathBuf,
    /// When it was taken (from its name).
    pub taken_at: Timestamp,
}

/// The state copies service.
#[derive(Clone)]
pub struct DbCopies {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    dir: PathBuf,
    cfg: BackupConfig,
}

impl DbCopies {
    /// Copies of `store`, the automatic ones under `data_dir/db-backups`.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>, data_dir: &Path, cfg: &BackupConfig) -> DbCopies {
        DbCopies { store, clock, dir: data_dir.join(DIR), cfg: cfg.clone() }
    }

    /// Directory of the automatic copies.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write a consistent copy of the state to `dest` (absolute; replaced if it exists).
    pub async fn copy_to(&self, dest: PathBuf) -> Result<CopyStats, DbCopyError> {
        if !dest.is_absolute() {
            return Err(DbCopyError::RelativePath(dest));
        }
        let store = self.store.clone();
        blocking(move || store.copy_to(&dest).map_err(DbCopyError::from)).await
    }

    /// The automatic copies, newest first.
    pub fn list(&self) -> Result<Vec<DbCopy>, DbCopyError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(DbCopyError::Io { path: self.dir.clone(), source }),
        };
        let mut out: Vec<DbCopy> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let stamp = name.strip_prefix("vpsbox-")?.strip_suffix(".redb")?;
                Some(DbCopy { path: e.path(), taken_at: Timestamp::parse_file_stamp(stamp)? })
            })
            .collect();
        out.sort_by_key(|c| std::cmp::Reverse(c.taken_at));
        Ok(out)
    }

    /// Make an automatic copy when the newest is older than the interval (or there is none),
    /// then remove all but the newest `db_copies_keep`. Returns the copy made, if any.
    pub async fn auto_copy_if_due(&self) -> Result<Option<DbCopy>, DbCopyError> {
        if self.cfg.db_copy_interval_hours == 0 {
            return Ok(None);
        }
        let now = self.clock.now();
        let interval =
            i64::try_from(self.cfg.db_copy_interval_hours.saturating_mul(3600)).unwrap_or(i64::MAX);
        let newest = self.list()?.first().map(|c| c.taken_at);
        // A copy "from the future" (the clock was set back) does not stop new ones.
        if newest.is_some_and(|t| t <= now && now.secs_since(t) < interval) {
            return Ok(None);
        }
        let path = self.dir.join(format!("vpsbox-{}.redb", now.file_stamp()));
        let stats = self.copy_to(path.clone()).await?;
        tracing::info!(path = %path.display(), rows = stats.rows, bytes = stats.bytes, "made the automatic copy of the state");
        let keep = self.cfg.db_copies_keep.max(1);
        for old in self.list()?.into_iter().skip(keep) {
            tracing::info!(path = %old.path.display(), "removing an old automatic copy of the state");
            std::fs::remove_file(&old.path)
                .map_err(|source| DbCopyError::Io { path: old.path.clone(), source })?;
        }
        // A partial copy left by a crash is never listed; clear it.
        let _ = std::fs::remove_file(partial_name(&path));
        Ok(Some(DbCopy { path, taken_at: now }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[tokio::test]
    async fn automatic_copies_follow_the_interval_catch_up_once_and_keep_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(&dir.path().join("vpsbox.redb")).unwrap());
        let start = Timestamp::parse_file_stamp("20261126-030000").unwrap();
        let clock = Arc::new(ManualClock::new(start));
        let cfg = BackupConfig { db_copy_interval_hours: 24, db_copies_keep: 3, ..BackupConfig::default() };
        let copies = DbCopies::new(store, clock.clone(), dir.path(), &cfg);
        let first = copies.auto_copy_if_due().await.unwrap().unwrap();
        assert!(first.path.ends_with("db-backups/vpsbox-20261126-030000.redb"), "{first:?}");
        assert!(Store::open(&first.path).is_ok());
        clock.advance_secs(23 * 3600);
        assert_eq!(copies.auto_copy_if_due().await.unwrap(), None, "not due yet");
        clock.advance_secs(3600);
        assert!(copies.auto_copy_if_due().await.unwrap().is_some());
        // Down for ten days: one copy when back, not ten.
        clock.advance_secs(10 * 86_400);
        assert!(copies.auto_copy_if_due().await.unwrap().is_some());
        assert_eq!(copies.auto_copy_if_due().await.unwrap(), None);
        clock.advance_secs(86_400);
        copies.auto_copy_if_due().await.unwrap().unwrap();
        let names: Vec<String> = copies
            .list()
            .unwrap()
            .iter()
            .map(|c| c.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["vpsbox-20261208-030000.redb", "vpsbox-20261207-030000.redb", "vpsbox-20261127-030000.redb"]
        );
        assert_eq!(std::fs::read_dir(copies.dir()).unwrap().count(), 3, "older copies removed");
    }

    #[tokio::test]
    async fn a_relative_path_is_refused() {
        let store = Arc::new(Store::in_memory().unwrap());
        let clock = Arc::new(ManualClock::new(Timestamp::from_secs(0)));
        let copies = DbCopies::new(store, clock, Path::new("/nonexistent"), &BackupConfig::default());
        let err = copies.copy_to(PathBuf::from("copy.redb")).await.unwrap_err();
        assert_eq!(err.code(), "DBC0002");
    }
}
