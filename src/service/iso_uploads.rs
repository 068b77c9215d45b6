//! Customers' own ISO images: uploaded through the cabinet as a stream written straight to a
//! staged file in the ISO directory (never held in memory), cut off at the configured size or
//! at what is left of the account's `iso_gb` quota, whichever comes first; then checked to be
//! an ISO 9660 image, renamed to `own-<uuid>.iso` and recorded with its owner, in one
//! transaction that checks the quota again. Only their owner sees, attaches and deletes them;
//! they count against the quota (an account holding), not against billing.

use std::path::PathBuf;

use redb::ReadableTable;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::isos::{IsoError, Isos, is_iso9660};
use super::templates::INCOMING_PREFIX;
use crate::domain::account::UserId;
use crate::domain::catalog::parse_catalog_name;
use crate::domain::quota::{self, Amounts, QuotaExceeded, Resource, gib_ceil};
use crate::host::images::ImageError;
use crate::service::blocking;
use crate::service::quotas::{limits_in, usage_in};
use crate::store::holdings::{self, Kind};
use crate::store::isos::{self, IsoRecord};
use crate::store::tables::{
    ISO_OWNERS, ISOS, META, META_LAST_ISO_ID, OWNER_HOLDINGS, OWNER_VMS, QUOTAS, VM_ISO,
};

/// An upload being written: the staged file, its hash and size so far, and how far it may go.
pub struct IsoUpload {
    path: PathBuf,
    file: tokio::fs::File,
    hasher: Sha256,
    bytes: u64,
    /// The most it may hold: the smaller of the configured maximum and the quota's room.
    max: u64,
    /// Whether `max` is the quota's room (else the configured maximum).
    quota_bound: Option<QuotaExceeded>,
    max_mib: u64,
}

impl Isos {
    /// Begin an upload by `owner`: refused when uploads are off or the account has no room
    /// left in its `iso_gb` quota.
    pub async fn begin_upload(&self, owner: UserId) -> Result<IsoUpload, IsoError> {
        if !self.uploads.enabled {
            return Err(IsoError::UploadsOff);
        }
        let (store, default) = (self.store.clone(), self.uploads.quota_default);
        let (limit_gb, used_bytes) = blocking(move || {
            let tx = store.read()?;
            let limits = limits_in(&tx.open_table(QUOTAS)?, owner, &default)?;
            let used = holdings::total(&tx.open_table(OWNER_HOLDINGS)?, owner, Kind::Iso)?;
            Ok::<_, IsoError>((limits.iso_gb, used))
        })
        .await?;
        let room = limit_gb.saturating_mul(1 << 30).saturating_sub(used_bytes);
        let over = QuotaExceeded {
            resource: Resource::IsoGb,
            limit: limit_gb,
            used: gib_ceil(used_bytes),
            requested: 1,
        };
        if room == 0 {
            return Err(IsoError::Quota(over));
        }
        let max_bytes = self.uploads.max_bytes;
        let (max, quota_bound) = if room < max_bytes { (room, Some(over)) } else { (max_bytes, None) };
        crate::host::images::ensure_dir(&self.dir)?;
        let path = self.dir.join(format!("{INCOMING_PREFIX}{}", uuid::Uuid::new_v4()));
        let io = |source| IsoError::Image(ImageError::Io { path: path.clone(), source });
        let file = tokio::fs::File::create_new(&path).await.map_err(io)?;
        Ok(IsoUpload {
            path,
            file,
            hasher: Sha256::new(),
            bytes: 0,
            max,
            quota_bound,
            max_mib: max_bytes >> 20,
        })
    }

    /// Finish `upload` as `owner`'s ISO named `name` (consumed either way: the staged file is
    /// removed when refused).
    pub async fn finish_upload(
        &self,
        mut upload: IsoUpload,
        owner: UserId,
        name: &str,
    ) -> Result<IsoRecord, IsoError> {
        let io = |path: &PathBuf, source| IsoError::Image(ImageError::Io { path: path.clone(), source });
        if let Err(e) = upload.file.flush().await {
            let err = io(&upload.path, e);
            upload.abort().await;
            return Err(err);
        }
        let (this, name) = (self.clone(), name.to_string());
        let (path, bytes, sha256) = (
            upload.path.clone(),
            upload.bytes,
            upload.hasher.finalize().iter().map(|b| format!("{b:02x}")).collect::<String>(),
        );
        drop(upload.file);
        blocking(move || {
            let result = this.register_upload(&path, owner, &name, bytes, sha256);
            if result.is_err() {
                let _ = std::fs::remove_file(&path);
            }
            result
        })
        .await
    }

    fn register_upload(
        &self,
        staged: &std::path::Path,
        owner: UserId,
        name: &str,
        size: u64,
        sha256: String,
    ) -> Result<IsoRecord, IsoError> {
        let name = parse_catalog_name(name).ok_or(IsoError::NameInvalid)?;
        if size == 0 {
            return Err(IsoError::NoFile);
        }
        if !is_iso9660(staged)? {
            return Err(IsoError::NotIso);
        }
        // Readable by libvirt's QEMU user, on disk before it is recorded.
        crate::host::images::prepare_disk_file(staged)?;
        let file = format!("own-{}.iso", uuid::Uuid::new_v4());
        let final_path = self.dir.join(&file);
        std::fs::rename(staged, &final_path)
            .map_err(|source| ImageError::Io { path: final_path.clone(), source })?;
        let result = (|| {
            let tx = self.store.write()?;
            let limits = limits_in(&tx.open_table(QUOTAS)?, owner, &self.uploads.quota_default)?;
            let used = usage_in(&tx.open_table(OWNER_VMS)?, &tx.open_table(OWNER_HOLDINGS)?, owner)?;
            let held = holdings::total(&tx.open_table(OWNER_HOLDINGS)?, owner, Kind::Iso)?;
            let add = gib_ceil(held.saturating_add(size)).saturating_sub(used.iso_gb);
            quota::check(&limits, &used, &Amounts { iso_gb: add, ..Amounts::default() })?;
            let own =
                own_of(&tx.open_table(ISO_OWNERS)?, &tx.open_table(ISOS)?, &tx.open_table(VM_ISO)?, owner)?;
            if own.iter().any(|(i, _)| i.name == name) {
                return Err(IsoError::NameTaken(name.clone()));
            }
            let id = {
                let mut meta = tx.open_table(META)?;
                let id = meta.get(META_LAST_ISO_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
                meta.insert(META_LAST_ISO_ID, id)?;
                id
            };
            let now = self.clock.now();
            let rec =
                IsoRecord { id, name: name.clone(), file: file.clone(), size, sha256, imported_at: now };
            isos::put(&tx, &rec)?;
            tx.open_table(ISO_OWNERS)?.insert(id, owner.0)?;
            holdings::put(&tx, now, owner, Kind::Iso, id, size)?;
            tx.commit()?;
            Ok(rec)
        })();
        match &result {
            Ok(rec) => {
                tracing::info!(iso = rec.name, id = rec.id, owner = %owner, size, "ISO image uploaded")
            }
            Err(_) => {
                let _ = std::fs::remove_file(&final_path);
            }
        }
        result
    }

    /// `owner`'s own ISOs, by id, with how many of their servers have each in the drive.
    pub fn own(&self, owner: UserId) -> Result<Vec<(IsoRecord, usize)>, IsoError> {
        let tx = self.store.read()?;
        own_of(&tx.open_table(ISO_OWNERS)?, &tx.open_table(ISOS)?, &tx.open_table(VM_ISO)?, owner)
    }

    /// Delete `owner`'s ISO `id` and its file; another's (or a published one) is not found,
    /// one in a server's drive is refused.
    pub async fn delete_own(&self, owner: UserId, id: u64) -> Result<IsoRecord, IsoError> {
        let (store, dir, now) = (self.store.clone(), self.dir.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            let mine = tx.open_table(ISO_OWNERS)?.get(id)?.map(|v| v.value()) == Some(owner.0);
            let rec = isos::get(&tx.open_table(ISOS)?, id)?
                .filter(|_| mine)
                .ok_or_else(|| IsoError::NotFound(id.to_string()))?;
            let vms = isos::users(&tx.open_table(VM_ISO)?, id)?;
            if vms > 0 {
                return Err(IsoError::InUse { name: rec.name, vms });
            }
            tx.open_table(ISOS)?.remove(id)?;
            tx.open_table(ISO_OWNERS)?.remove(id)?;
            holdings::remove(&tx, now, owner, Kind::Iso, id)?;
            tx.commit()?;
            let _ = std::fs::remove_file(dir.join(&rec.file));
            tracing::info!(iso = rec.name, owner = %owner, "own ISO image deleted");
            Ok(rec)
        })
        .await
    }
}

/// `owner`'s ISOs among `all` (by the `owners` index), with how many servers have each in the
/// drive (`drives`).
fn own_of(
    owners: &impl ReadableTable<u64, u64>,
    all: &impl ReadableTable<u64, &'static [u8]>,
    drives: &impl ReadableTable<u64, &'static [u8]>,
    owner: UserId,
) -> Result<Vec<(IsoRecord, usize)>, IsoError> {
    let mut out = Vec::new();
    for row in owners.iter()? {
        let (id, o) = row?;
        if o.value() != owner.0 {
            continue;
        }
        if let Some(rec) = isos::get(all, id.value())? {
            let n = isos::users(drives, rec.id)?;
            out.push((rec, n));
        }
    }
    Ok(out)
}

impl IsoUpload {
    /// Append `chunk`; past the most it may hold, the upload is refused (and removed).
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), IsoError> {
        self.bytes = self.bytes.saturating_add(chunk.len() as u64);
        if self.bytes > self.max {
            return Err(match self.quota_bound.clone() {
                Some(mut q) => {
                    q.requested = gib_ceil(self.bytes);
                    IsoError::Quota(q)
                }
                None => IsoError::TooLarge { max_mib: self.max_mib },
            });
        }
        self.hasher.update(chunk);
        self.file
            .write_all(chunk)
            .await
            .map_err(|source| IsoError::Image(ImageError::Io { path: self.path.clone(), source }))
    }

    /// Give up: the staged file goes.
    pub async fn abort(self) {
        drop(self.file);
        let _ = tokio::fs::remove_file(&self.path).await;
    }
}
