//! ISO images admins publish (`vpsbox iso import NAME FILE`, *Admin › Templates*) for customers
//! to put in their servers' CD-ROM drive and boot from (`service::vms::iso`): installers of
//! other systems, live and rescue CDs. Kept in `DATA_DIR/isos/`; a file must be an ISO 9660
//! image (its primary volume descriptor at sector 16).
//!
//! Import order is that of templates: copied to `.incoming-<random>`, checked, renamed to
//! `iso-<uuid>.iso`, then recorded; [`Isos::sweep`] removes what a crash left.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::ReadableTable;

use super::templates::{INCOMING_PREFIX, Staged, TemplateError, is_staged_in};
use super::{Coded, ErrorKind, blocking};
use crate::clock::Clock;
use crate::domain::catalog::parse_catalog_name;
use crate::host::images::ImageError;
use crate::store::isos::{self, IsoRecord};
use crate::store::tables::{ISO_OWNERS, ISOS, META, META_LAST_ISO_ID, VM_ISO};
use crate::store::{Store, StoreError};

/// Why an ISO operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum IsoError {
    /// Bad name.
    #[error("ISO names have 1 to 64 of a-z, 0-9, '.', '_', '-' and start with a letter or digit")]
    NameInvalid,
    /// Name in use.
    #[error("An ISO named {0} exists already")]
    NameTaken(String),
    /// Not ISO 9660.
    #[error("This file is not an ISO 9660 image (no CD001 volume descriptor at sector 16)")]
    NotIso,
    /// No such ISO.
    #[error("No such ISO image: {0}")]
    NotFound(String),
    /// Servers have it in their drive.
    #[error("ISO {name} is in the CD-ROM drive of {vms} server(s); detach it first")]
    InUse {
        /// Its name.
        name: String,
        /// How many servers.
        vms: usize,
    },
    /// An upload past the configured size.
    #[error("An uploaded ISO image may have at most {max_mib} MiB")]
    TooLarge {
        /// The limit, MiB.
        max_mib: u64,
    },
    /// An upload past the account's room for own ISO images.
    #[error("{0}")]
    Quota(#[from] crate::domain::quota::QuotaExceeded),
    /// An upload form without a file.
    #[error("Choose an ISO image file to upload")]
    NoFile,
    /// Uploads are switched off on this host.
    #[error("This host takes no ISO uploads; ask support to publish the image you need")]
    UploadsOff,
    /// A staged file outside the incoming area.
    #[error("The staged image must be an {INCOMING_PREFIX}* file in the ISO directory")]
    StagedPathInvalid,
    /// The file could not be read or copied.
    #[error(transparent)]
    Image(#[from] ImageError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Coded for IsoError {
    fn code(&self) -> &'static str {
        match self {
            IsoError::NameInvalid => "ISO0001",
            IsoError::NameTaken(_) => "ISO0002",
            IsoError::NotIso => "ISO0003",
            IsoError::NotFound(_) => "ISO0004",
            IsoError::InUse { .. } => "ISO0005",
            IsoError::StagedPathInvalid => "ISO0006",
            IsoError::TooLarge { .. } => "ISO0007",
            IsoError::Quota(_) => "ISO0008",
            IsoError::NoFile => "ISO0009",
            IsoError::UploadsOff => "ISO0010",
            IsoError::Image(e) => e.code(),
            IsoError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            IsoError::Store(e) => e.kind(),
            IsoError::NotFound(_) => ErrorKind::NotFound,
            IsoError::NameTaken(_) | IsoError::InUse { .. } | IsoError::UploadsOff => ErrorKind::Conflict,
            _ => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            IsoError::NameTaken(n) | IsoError::NotFound(n) => vec![("iso", n.as_str().into())],
            IsoError::InUse { name, vms } => vec![("iso", name.as_str().into()), ("count", (*vms).into())],
            IsoError::StagedPathInvalid => vec![("prefix", INCOMING_PREFIX.into())],
            IsoError::TooLarge { max_mib } => vec![("max", (*max_mib).into())],
            IsoError::Quota(q) => q.args(),
            IsoError::Image(e) => e.args(),
            IsoError::Store(e) => e.args(),
            _ => Vec::new(),
        }
    }
}

store_error_conversions!(IsoError);

impl From<TemplateError> for IsoError {
    fn from(e: TemplateError) -> Self {
        match e {
            TemplateError::Image(e) => IsoError::Image(e),
            TemplateError::Store(e) => IsoError::Store(e),
            _ => IsoError::StagedPathInvalid,
        }
    }
}

/// Whether the file at `path` is an ISO 9660 image: a volume descriptor (`CD001`) at sector 16.
pub fn is_iso9660(path: &Path) -> Result<bool, ImageError> {
    let io = |source| ImageError::Io { path: path.to_path_buf(), source };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut magic = [0u8; 5];
    f.seek(SeekFrom::Start(16 * 2048 + 1)).map_err(io)?;
    match f.read_exact(&mut magic) {
        Ok(()) => Ok(&magic == b"CD001"),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(io(e)),
    }
}

/// The ISO images.
#[derive(Clone)]
pub struct Isos {
    pub(super) store: Arc<Store>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) dir: PathBuf,
    pub(super) uploads: Uploads,
}

/// What customers' uploads may do.
#[derive(Debug, Clone, Copy)]
pub struct Uploads {
    /// Whether customers may upload.
    pub enabled: bool,
    /// The largest upload, bytes.
    pub max_bytes: u64,
    /// The quota of accounts with no limits of their own.
    pub quota_default: crate::domain::quota::Amounts,
}

impl Isos {
    /// The service over `store`, keeping images in `data_dir/isos`; no customer uploads.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>, data_dir: &Path) -> Isos {
        let uploads =
            Uploads { enabled: false, max_bytes: 0, quota_default: crate::domain::quota::Amounts::default() };
        Isos { store, clock, dir: Self::dir_of(data_dir), uploads }
    }

    /// What customers' uploads may do.
    pub fn uploads(&self) -> Uploads {
        self.uploads
    }

    /// The same service taking customers' uploads as `uploads` says.
    pub fn with_uploads(self, uploads: Uploads) -> Isos {
        Isos { uploads, ..self }
    }

    /// The ISO directory of `data_dir` (the CLI stages into it).
    pub fn dir_of(data_dir: &Path) -> PathBuf {
        data_dir.join("isos")
    }

    /// Absolute path of an ISO's file.
    pub fn path_of(&self, iso: &IsoRecord) -> PathBuf {
        self.dir.join(&iso.file)
    }

    /// Turn a staged file into a published ISO named `name` (blocking). The staged file is
    /// consumed either way; a path that is not an incoming file of this directory is refused
    /// and left alone.
    pub fn register(&self, staged: &Staged, name: &str) -> Result<IsoRecord, IsoError> {
        if !is_staged_in(&self.dir, &staged.path) {
            return Err(IsoError::StagedPathInvalid);
        }
        let result = self.register_inner(staged, name);
        if result.is_err() {
            let _ = std::fs::remove_file(&staged.path);
        }
        result
    }

    fn register_inner(&self, staged: &Staged, name: &str) -> Result<IsoRecord, IsoError> {
        let name = parse_catalog_name(name).ok_or(IsoError::NameInvalid)?;
        if !is_iso9660(&staged.path)? {
            return Err(IsoError::NotIso);
        }
        let size = std::fs::metadata(&staged.path)
            .map_err(|source| ImageError::Io { path: staged.path.clone(), source })?
            .len();
        let file = format!("iso-{}.iso", uuid::Uuid::new_v4());
        let final_path = self.dir.join(&file);
        std::fs::rename(&staged.path, &final_path)
            .map_err(|source| ImageError::Io { path: final_path.clone(), source })?;
        let tx = self.store.write()?;
        if isos::all(&tx.open_table(ISOS)?)?.iter().any(|i| i.name == name) {
            drop(tx);
            let _ = std::fs::remove_file(&final_path);
            return Err(IsoError::NameTaken(name));
        }
        let id = {
            let mut meta = tx.open_table(META)?;
            let id = meta.get(META_LAST_ISO_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
            meta.insert(META_LAST_ISO_ID, id)?;
            id
        };
        let rec =
            IsoRecord { id, name, file, size, sha256: staged.sha256.clone(), imported_at: self.clock.now() };
        isos::put(&tx, &rec)?;
        tx.commit()?;
        tracing::info!(iso = rec.name, id, size, sha256 = rec.sha256, "ISO image imported");
        Ok(rec)
    }

    /// Copy `source` in and publish it as `name`.
    pub async fn import(&self, source: PathBuf, name: String) -> Result<IsoRecord, IsoError> {
        let this = self.clone();
        blocking(move || {
            let staged = super::templates::stage(&this.dir, &source)?;
            this.register(&staged, &name)
        })
        .await
    }

    /// Every published ISO (customers' own are theirs), by id, with how many servers have it
    /// in their drive.
    pub fn list(&self) -> Result<Vec<(IsoRecord, usize)>, IsoError> {
        let tx = self.store.read()?;
        let t = tx.open_table(VM_ISO)?;
        let published =
            isos::offered_to(isos::all(&tx.open_table(ISOS)?)?, &tx.open_table(ISO_OWNERS)?, None)?;
        let mut out = Vec::new();
        for i in published {
            let n = isos::users(&t, i.id)?;
            out.push((i, n));
        }
        Ok(out)
    }

    /// One published ISO by name.
    pub fn by_name(&self, name: &str) -> Result<IsoRecord, IsoError> {
        self.list()?
            .into_iter()
            .map(|(i, _)| i)
            .find(|i| i.name == name.trim().to_ascii_lowercase())
            .ok_or_else(|| IsoError::NotFound(name.to_string()))
    }

    /// Delete an ISO and its file; refused while a server has it in its drive.
    pub async fn delete(&self, id: u64) -> Result<IsoRecord, IsoError> {
        let (store, dir) = (self.store.clone(), self.dir.clone());
        blocking(move || {
            let tx = store.write()?;
            let published = isos::owner_of(&tx.open_table(ISO_OWNERS)?, id)?.is_none();
            let rec = isos::get(&tx.open_table(ISOS)?, id)?
                .filter(|_| published)
                .ok_or_else(|| IsoError::NotFound(id.to_string()))?;
            let vms = isos::users(&tx.open_table(VM_ISO)?, id)?;
            if vms > 0 {
                return Err(IsoError::InUse { name: rec.name, vms });
            }
            tx.open_table(ISOS)?.remove(id)?;
            tx.commit()?;
            // The record is gone; a crash before this line leaves a file the sweep removes.
            let _ = std::fs::remove_file(dir.join(&rec.file));
            tracing::info!(iso = rec.name, "ISO image deleted");
            Ok(rec)
        })
        .await
    }

    /// Remove files no record names (a crash mid-import or mid-delete) and incoming files older
    /// than an hour. Returns the removed paths.
    pub fn sweep(&self) -> Result<Vec<PathBuf>, IsoError> {
        let known: Vec<String> =
            isos::all(&self.store.read()?.open_table(ISOS)?)?.into_iter().map(|i| i.file).collect();
        let mut gone = super::templates::sweep_dir(&self.dir, "iso-", &known)?;
        gone.extend(super::templates::sweep_dir(&self.dir, "own-", &known)?);
        Ok(gone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::domain::time::Timestamp;

    /// A minimal ISO 9660 header: sector 16 holds a volume descriptor.
    fn iso_file(dir: &Path, name: &str) -> PathBuf {
        let p = dir.join(name);
        let mut bytes = vec![0u8; 18 * 2048];
        bytes[16 * 2048] = 1;
        bytes[16 * 2048 + 1..16 * 2048 + 6].copy_from_slice(b"CD001");
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[tokio::test]
    async fn import_checks_the_volume_descriptor_and_names() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(Timestamp::from_secs(1_800_000_000)));
        let isos = Isos::new(Arc::new(Store::in_memory().unwrap()), clock, dir.path());
        let rec = isos.import(iso_file(dir.path(), "a.iso"), "Debian-12-netinst".into()).await.unwrap();
        assert_eq!((rec.name.as_str(), rec.size), ("debian-12-netinst", 18 * 2048));
        assert!(isos.path_of(&rec).exists());
        let again = isos.import(iso_file(dir.path(), "b.iso"), "debian-12-netinst".into()).await.unwrap_err();
        assert_eq!(again.code(), "ISO0002");
        let junk = dir.path().join("junk.iso");
        std::fs::write(&junk, vec![7u8; 40_000]).unwrap();
        assert_eq!(isos.import(junk, "junk".into()).await.unwrap_err().code(), "ISO0003");
        let short = dir.path().join("short.iso");
        std::fs::write(&short, b"tiny").unwrap();
        assert_eq!(isos.import(short, "short".into()).await.unwrap_err().code(), "ISO0003");
        assert_eq!(
            isos.import(iso_file(dir.path(), "c.iso"), "bad name!".into()).await.unwrap_err().code(),
            "ISO0001"
        );
        // Nothing of the refused imports is left; the published one deletes.
        assert_eq!(std::fs::read_dir(&isos.dir).unwrap().count(), 1);
        assert_eq!(isos.by_name("Debian-12-netinst").unwrap().id, rec.id);
        isos.delete(rec.id).await.unwrap();
        assert!(!isos.path_of(&rec).exists() && isos.list().unwrap().is_empty());
    }
}
