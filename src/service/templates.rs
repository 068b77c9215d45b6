//! OS templates: import (copy into `DATA_DIR/templates/`, inspect with qemu-img, record format,
//! size and SHA-256), list, enable/disable, delete, and the start-up sweep of orphaned files.
//!
//! Import order keeps a crash harmless: the image is copied to `.incoming-<random>`, inspected,
//! renamed to its final `tpl-<uuid>.<format>` name, and only then recorded. A crash before the
//! record leaves a file no record names, which [`Templates::sweep_orphans`] removes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::ReadableTable;

use super::{Coded, ErrorKind, blocking};
use crate::clock::Clock;
use crate::domain::catalog::{OsFamily, TemplateId, gib_ceil, parse_catalog_name};
use crate::host::images::{self, ImageError};
use crate::store::codec::{decode, encode};
use crate::store::records::TemplateRecord;
use crate::store::tables::{META, META_LAST_TEMPLATE_ID, TEMPLATE_BY_NAME, TEMPLATES};
use crate::store::{Store, StoreError};

/// Prefix of images being copied in.
pub const INCOMING_PREFIX: &str = ".incoming-";

/// Why a template operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// Bad name.
    #[error("Template names have 1 to 64 of a-z, 0-9, '.', '_', '-' and start with a letter or digit")]
    NameInvalid,
    /// Name in use.
    #[error("A template named {0} exists already")]
    NameTaken(String),
    /// Unknown OS family.
    #[error("Unknown OS {0:?}: use linux, bsd or windows")]
    OsInvalid(String),
    /// No such template.
    #[error("No such template: {0}")]
    NotFound(String),
    /// A VM still uses it.
    #[error(
        "Template {name} is the backing image of {vms} virtual machine(s); delete or reinstall them first"
    )]
    InUse {
        /// Template name.
        name: String,
        /// How many VMs use it.
        vms: usize,
    },
    /// A staged file outside the incoming area.
    #[error("The staged image must be an {INCOMING_PREFIX}* file in the templates directory")]
    StagedPathInvalid,
    /// Not a user name a Linux image can have.
    #[error(
        "A login user name has 1 to 32 of a-z, 0-9, '_' and '-' and starts with a letter or '_' (e.g. debian)"
    )]
    LoginUserInvalid,
    /// Minimum disk smaller than the image.
    #[error("The minimum disk ({min} GiB) is smaller than the image's virtual size ({needed} GiB)")]
    MinDiskTooSmall {
        /// Asked for.
        min: u64,
        /// Needed.
        needed: u64,
    },
    /// The image is unusable.
    #[error(transparent)]
    Image(#[from] ImageError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Coded for TemplateError {
    fn code(&self) -> &'static str {
        match self {
            TemplateError::NameInvalid => "TPL0001",
            TemplateError::NameTaken(_) => "TPL0002",
            TemplateError::OsInvalid(_) => "TPL0003",
            TemplateError::NotFound(_) => "TPL0004",
            TemplateError::InUse { .. } => "TPL0005",
            TemplateError::StagedPathInvalid => "TPL0006",
            TemplateError::MinDiskTooSmall { .. } => "TPL0007",
            TemplateError::LoginUserInvalid => "TPL0008",
            TemplateError::Image(e) => e.code(),
            TemplateError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            TemplateError::Store(e) => e.kind(),
            TemplateError::NotFound(_) => ErrorKind::NotFound,
            TemplateError::NameTaken(_) | TemplateError::InUse { .. } => ErrorKind::Conflict,
            _ => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            TemplateError::NameTaken(n) | TemplateError::NotFound(n) => vec![("template", n.as_str().into())],
            TemplateError::OsInvalid(os) => vec![("os", os.as_str().into())],
            TemplateError::InUse { name, vms } => {
                vec![("template", name.as_str().into()), ("count", (*vms).into())]
            }
            TemplateError::StagedPathInvalid => vec![("prefix", INCOMING_PREFIX.into())],
            TemplateError::MinDiskTooSmall { min, needed } => {
                vec![("min", (*min).into()), ("needed", (*needed).into())]
            }
            TemplateError::Image(e) => e.args(),
            TemplateError::Store(e) => e.args(),
            _ => Vec::new(),
        }
    }
}

store_error_conversions!(TemplateError);

/// An image copied into the incoming area, not yet a template.
#[derive(Debug, Clone)]
pub struct Staged {
    /// Where it is.
    pub path: PathBuf,
    /// Its SHA-256.
    pub sha256: String,
}

/// What an import asks for.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// Catalogue name.
    pub name: String,
    /// OS family, as typed.
    pub os: String,
    /// Minimum disk in GiB; `None` = the image's virtual size rounded up.
    pub min_disk_gb: Option<u32>,
    /// The image's own login user that also gets the customer's keys (`None`, empty or
    /// `root`: root only).
    pub login_user: Option<String>,
}

/// A template's login user as typed: empty or `root` is root only; else a portable Linux user
/// name (what useradd takes on Debian, Ubuntu and the RHEL family).
pub fn parse_login_user(s: &str) -> Result<Option<String>, TemplateError> {
    let s = s.trim();
    if s.is_empty() || s == "root" {
        return Ok(None);
    }
    let mut chars = s.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if s.len() > 32 || !first_ok || !rest_ok {
        return Err(TemplateError::LoginUserInvalid);
    }
    Ok(Some(s.to_string()))
}

/// Copy `source` into the incoming area of the templates directory `dir` (blocking). The CLI
/// does this itself, with its own access to the file, before asking the daemon to register it.
pub fn stage(dir: &Path, source: &Path) -> Result<Staged, TemplateError> {
    images::ensure_dir(dir)?;
    let path = dir.join(format!("{INCOMING_PREFIX}{}", uuid::Uuid::new_v4()));
    match images::copy_with_sha256(source, &path) {
        Ok(sha256) => Ok(Staged { path, sha256 }),
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            Err(e.into())
        }
    }
}

/// Whether `path` is a file (not a link) in the incoming area of `dir`: the only staged files
/// the daemon takes from the CLI.
pub fn is_staged_in(dir: &Path, path: &Path) -> bool {
    let in_dir = path.parent() == Some(dir);
    let incoming = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(INCOMING_PREFIX));
    let is_file = std::fs::symlink_metadata(path).map(|m| m.is_file()).unwrap_or(false);
    in_dir && incoming && is_file
}

/// In a directory of imported images (templates, rescue images, ISOs): remove the files named
/// `prefix*` that are not in `known` (a crash between copying and recording, or between
/// forgetting and deleting), and incoming files older than an hour. Returns the removed paths.
pub fn sweep_dir(dir: &Path, prefix: &str, known: &[String]) -> Result<Vec<PathBuf>, ImageError> {
    let mut removed = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(removed),
        Err(source) => return Err(ImageError::Io { path: dir.to_path_buf(), source }),
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stale_incoming = name.starts_with(INCOMING_PREFIX)
            && entry
                .metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .and_then(|m| m.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600);
        let orphan = name.starts_with(prefix) && !known.contains(&name);
        if (orphan || stale_incoming) && std::fs::remove_file(entry.path()).is_ok() {
            tracing::warn!(file = %entry.path().display(), "removed an orphaned image file");
            removed.push(entry.path());
        }
    }
    Ok(removed)
}

/// The templates service.
#[derive(Clone)]
pub struct Templates {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    dir: PathBuf,
}

impl Templates {
    /// The service over `store`, keeping images in `data_dir/templates`.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>, data_dir: &Path) -> Templates {
        Templates { store, clock, dir: data_dir.join("templates") }
    }

    /// The templates directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Absolute path of a template's image.
    pub fn path_of(&self, t: &TemplateRecord) -> PathBuf {
        self.dir.join(&t.file)
    }

    /// Copy `source` into the incoming area (blocking; big images take a while).
    pub fn stage(&self, source: &Path) -> Result<Staged, TemplateError> {
        stage(&self.dir, source)
    }

    /// Turn a staged image into a template (blocking). The staged file is consumed either way.
    /// A path that is not an incoming file of this directory is refused and left alone.
    pub fn register(&self, staged: &Staged, req: &ImportRequest) -> Result<TemplateRecord, TemplateError> {
        if !is_staged_in(&self.dir, &staged.path) {
            return Err(TemplateError::StagedPathInvalid);
        }
        let result = self.register_inner(staged, req);
        if result.is_err() {
            let _ = std::fs::remove_file(&staged.path);
        }
        result
    }

    fn register_inner(&self, staged: &Staged, req: &ImportRequest) -> Result<TemplateRecord, TemplateError> {
        let name = parse_catalog_name(&req.name).ok_or(TemplateError::NameInvalid)?;
        let os = OsFamily::parse(&req.os).ok_or_else(|| TemplateError::OsInvalid(req.os.clone()))?;
        let login_user = parse_login_user(req.login_user.as_deref().unwrap_or(""))?;
        if self.by_name(&name).is_ok() {
            return Err(TemplateError::NameTaken(name));
        }
        let info = images::inspect_template(&staged.path)?;
        let needed = gib_ceil(info.virtual_size);
        let min = req.min_disk_gb.map(u64::from).unwrap_or(needed);
        if min < needed {
            return Err(TemplateError::MinDiskTooSmall { min, needed });
        }
        let file = format!("tpl-{}.{}", uuid::Uuid::new_v4(), info.format.as_str());
        let final_path = self.dir.join(&file);
        std::fs::rename(&staged.path, &final_path)
            .map_err(|source| ImageError::Io { path: final_path.clone(), source })?;
        let tx = self.store.write()?;
        let rec = {
            let mut by_name = tx.open_table(TEMPLATE_BY_NAME)?;
            if by_name.get(name.as_str())?.is_some() {
                drop(by_name);
                let _ = std::fs::remove_file(&final_path);
                return Err(TemplateError::NameTaken(name));
            }
            let mut meta = tx.open_table(META)?;
            let id = meta.get(META_LAST_TEMPLATE_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
            meta.insert(META_LAST_TEMPLATE_ID, id)?;
            by_name.insert(name.as_str(), id)?;
            TemplateRecord {
                id: TemplateId(id),
                name,
                os,
                format: info.format,
                virtual_size: info.virtual_size,
                file_size: info.file_size,
                sha256: staged.sha256.clone(),
                min_disk_gb: u32::try_from(min).unwrap_or(u32::MAX),
                enabled: true,
                file,
                created_at: self.clock.now(),
                login_user,
            }
        };
        tx.open_table(TEMPLATES)?.insert(rec.id.0, encode(&rec)?.as_slice())?;
        tx.commit()?;
        tracing::info!(template = rec.name, id = %rec.id, format = rec.format.as_str(), sha256 = rec.sha256, "template imported");
        Ok(rec)
    }

    /// Stage and register in one go.
    pub async fn import(&self, source: PathBuf, req: ImportRequest) -> Result<TemplateRecord, TemplateError> {
        let this = self.clone();
        blocking(move || {
            let staged = this.stage(&source)?;
            this.register(&staged, &req)
        })
        .await
    }

    /// Every template, by id.
    pub fn list(&self) -> Result<Vec<TemplateRecord>, TemplateError> {
        list_in(&self.store.read()?)
    }

    /// One template by id.
    pub fn get(&self, id: TemplateId) -> Result<TemplateRecord, TemplateError> {
        let tx = self.store.read()?;
        let t = tx.open_table(TEMPLATES)?;
        let v = t.get(id.0)?.ok_or_else(|| TemplateError::NotFound(id.to_string()))?;
        Ok(decode(v.value())?)
    }

    /// One template by name.
    pub fn by_name(&self, name: &str) -> Result<TemplateRecord, TemplateError> {
        let key = parse_catalog_name(name).ok_or_else(|| TemplateError::NotFound(name.to_string()))?;
        let id = {
            let tx = self.store.read()?;
            let t = tx.open_table(TEMPLATE_BY_NAME)?;
            let v = t.get(key.as_str())?.ok_or_else(|| TemplateError::NotFound(name.to_string()))?;
            v.value()
        };
        self.get(TemplateId(id))
    }

    /// Offer or withdraw a template.
    pub async fn set_enabled(&self, id: TemplateId, enabled: bool) -> Result<TemplateRecord, TemplateError> {
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            let rec = {
                let mut t = tx.open_table(TEMPLATES)?;
                let mut rec: TemplateRecord = match t.get(id.0)? {
                    Some(v) => decode(v.value())?,
                    None => return Err(TemplateError::NotFound(id.to_string())),
                };
                rec.enabled = enabled;
                t.insert(id.0, encode(&rec)?.as_slice())?;
                rec
            };
            tx.commit()?;
            tracing::info!(template = rec.name, enabled, "template status changed");
            Ok(rec)
        })
        .await
    }

    /// Delete a template and its image; refused while any VM's disk is an overlay on it
    /// (counted in the same transaction).
    pub async fn delete(&self, id: TemplateId) -> Result<(), TemplateError> {
        let (store, dir) = (self.store.clone(), self.dir.clone());
        blocking(move || {
            let tx = store.write()?;
            let rec: TemplateRecord = {
                let mut t = tx.open_table(TEMPLATES)?;
                let rec: TemplateRecord = match t.get(id.0)? {
                    Some(v) => decode(v.value())?,
                    None => return Err(TemplateError::NotFound(id.to_string())),
                };
                let vms_using = crate::store::count_vms(&tx, |vm| vm.template == id)?;
                if vms_using > 0 {
                    return Err(TemplateError::InUse { name: rec.name, vms: vms_using });
                }
                t.remove(id.0)?;
                rec
            };
            tx.open_table(TEMPLATE_BY_NAME)?.remove(rec.name.as_str())?;
            tx.commit()?;
            // The record is gone; a crash before this line leaves a file the sweep removes.
            let _ = std::fs::remove_file(dir.join(&rec.file));
            tracing::info!(template = rec.name, "template deleted");
            Ok(())
        })
        .await
    }

    /// Remove image files no template record names (left by a crash mid-import or mid-delete),
    /// and incoming files older than an hour. Returns the removed paths.
    pub fn sweep_orphans(&self) -> Result<Vec<PathBuf>, TemplateError> {
        let known: Vec<String> = self.list()?.into_iter().map(|t| t.file).collect();
        Ok(sweep_dir(&self.dir, "tpl-", &known)?)
    }
}

/// Every template, by id, inside `tx` (a page's read model).
pub fn list_in(tx: &redb::ReadTransaction) -> Result<Vec<TemplateRecord>, TemplateError> {
    let t = tx.open_table(TEMPLATES)?;
    let mut out = Vec::new();
    for row in t.iter()? {
        let (_, v) = row?;
        out.push(decode(v.value())?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::domain::time::Timestamp;

    fn setup() -> (Templates, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(Timestamp::from_secs(1_800_000_000)));
        let t = Templates::new(Arc::new(Store::in_memory().unwrap()), clock, dir.path());
        (t, dir)
    }

    fn image(dir: &Path, name: &str, size: &str) -> PathBuf {
        let p = dir.join(name);
        let ok = std::process::Command::new("qemu-img")
            .args(["create", "-q", "-f", "qcow2"])
            .arg(&p)
            .arg(size)
            .status()
            .unwrap()
            .success();
        assert!(ok);
        p
    }

    fn req(name: &str) -> ImportRequest {
        ImportRequest { name: name.into(), os: "linux".into(), min_disk_gb: None, login_user: None }
    }

    #[tokio::test]
    async fn import_records_and_copies() {
        let (t, dir) = setup();
        let src = image(dir.path(), "src.qcow2", "1536M");
        let rec = t.import(src.clone(), req("Debian-12")).await.unwrap();
        assert_eq!(rec.name, "debian-12");
        assert_eq!(rec.min_disk_gb, 2);
        assert_eq!(rec.sha256.len(), 64);
        assert!(t.path_of(&rec).exists());
        assert!(src.exists(), "the source is left alone");
        assert_eq!(t.by_name("debian-12").unwrap().id, rec.id);
        assert!(matches!(t.import(src.clone(), req("debian-12")).await, Err(TemplateError::NameTaken(_))));
        let e =
            t.import(src.clone(), ImportRequest { min_disk_gb: Some(1), ..req("small") }).await.unwrap_err();
        assert_eq!(e.code(), "TPL0007");
        assert!(matches!(
            t.import(src, ImportRequest { os: "dos".into(), ..req("x") }).await,
            Err(TemplateError::OsInvalid(_))
        ));
        // Failed imports leave nothing behind.
        let files: Vec<_> = std::fs::read_dir(t.dir()).unwrap().collect();
        assert_eq!(files.len(), 1);
    }

    #[tokio::test]
    async fn enable_disable_delete_and_in_use() {
        let (t, dir) = setup();
        let rec = t.import(image(dir.path(), "s.qcow2", "64M"), req("alpine")).await.unwrap();
        assert!(!t.set_enabled(rec.id, false).await.unwrap().enabled);
        t.delete(rec.id).await.unwrap();
        assert!(!t.path_of(&rec).exists());
        assert!(t.list().unwrap().is_empty());
        assert!(matches!(t.get(rec.id), Err(TemplateError::NotFound(_))));
    }

    #[tokio::test]
    async fn sweep_removes_unrecorded_files_only() {
        let (t, dir) = setup();
        let rec = t.import(image(dir.path(), "s.qcow2", "64M"), req("keep")).await.unwrap();
        let orphan = t.dir().join("tpl-0000.qcow2");
        std::fs::write(&orphan, b"x").unwrap();
        let fresh_incoming = t.dir().join(".incoming-new");
        std::fs::write(&fresh_incoming, b"x").unwrap();
        assert_eq!(t.sweep_orphans().unwrap(), vec![orphan.clone()]);
        assert!(t.path_of(&rec).exists() && fresh_incoming.exists() && !orphan.exists());
    }

    #[tokio::test]
    async fn staged_paths_outside_incoming_are_refused() {
        let (t, dir) = setup();
        let src = image(dir.path(), "s.qcow2", "64M");
        let e = t.register(&Staged { path: src.clone(), sha256: String::new() }, &req("x")).unwrap_err();
        assert_eq!(e.code(), "TPL0006");
        assert!(src.exists(), "a refused path is never deleted");
        let sneaky = t.dir().join(".incoming-x");
        std::fs::create_dir_all(t.dir()).unwrap();
        std::os::unix::fs::symlink(&src, &sneaky).unwrap();
        let e = t.register(&Staged { path: sneaky, sha256: String::new() }, &req("x")).unwrap_err();
        assert_eq!(e.code(), "TPL0006");
        assert!(src.exists());
    }
}
