//! Rescue mode's records: the rescue images the hoster imported, and the servers booted into
//! one.

use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use super::tables::{RESCUE_IMAGES, VM_RESCUE};
use crate::domain::time::Timestamp;
use crate::domain::vm::{ImageFormat, VmId};

/// A rescue system's image, as imported (`DATA_DIR/rescue/<file>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RescueImage {
    /// Identifier (the newest image has the highest).
    pub id: u64,
    /// File name in the rescue directory.
    pub file: String,
    /// Its format.
    pub format: ImageFormat,
    /// Virtual size, bytes.
    pub virtual_size: u64,
    /// Size on disk, bytes.
    pub file_size: u64,
    /// SHA-256 of the imported file.
    pub sha256: String,
    /// When it was imported.
    pub imported_at: Timestamp,
}

impl Record for RescueImage {
    const KIND: &'static str = "rescue image";
    const VERSION: u8 = 1;
}

/// A server in rescue: it boots the rescue system, with its own disks attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RescueRecord {
    /// The server.
    pub vm: VmId,
    /// The rescue image it boots.
    pub image: u64,
    /// Since when.
    pub since: Timestamp,
    /// The rescue system's root password (SHA-512 crypt of the one-time password shown once).
    pub password_hash: String,
    /// The rescue seed's cloud-init instance id (new for every stay in rescue).
    pub instance_id: String,
}

impl Record for RescueRecord {
    const KIND: &'static str = "rescue";
    const VERSION: u8 = 1;
}

/// The rescue record of `vm`, if it is in rescue.
pub fn of(t: &impl ReadableTable<u64, &'static [u8]>, vm: VmId) -> Result<Option<RescueRecord>, StoreError> {
    match t.get(vm.0)? {
        Some(v) => Ok(Some(decode(v.value())?)),
        None => Ok(None),
    }
}

/// Write `r` inside `tx`.
pub fn put(tx: &redb::WriteTransaction, r: &RescueRecord) -> Result<(), StoreError> {
    tx.open_table(VM_RESCUE)?.insert(r.vm.0, encode(r)?.as_slice())?;
    Ok(())
}

/// Every rescue image, oldest first.
pub fn images(t: &impl ReadableTable<u64, &'static [u8]>) -> Result<Vec<RescueImage>, StoreError> {
    let mut out = Vec::new();
    for row in t.iter()? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// The image servers boot into rescue now: the newest.
pub fn current(t: &impl ReadableTable<u64, &'static [u8]>) -> Result<Option<RescueImage>, StoreError> {
    match t.last()? {
        Some((_, v)) => Ok(Some(decode(v.value())?)),
        None => Ok(None),
    }
}

/// The image `id`, if it is still kept.
pub fn image(t: &impl ReadableTable<u64, &'static [u8]>, id: u64) -> Result<Option<RescueImage>, StoreError> {
    match t.get(id)? {
        Some(v) => Ok(Some(decode(v.value())?)),
        None => Ok(None),
    }
}

/// Put a new image record inside `tx`.
pub fn put_image(tx: &redb::WriteTransaction, img: &RescueImage) -> Result<(), StoreError> {
    tx.open_table(RESCUE_IMAGES)?.insert(img.id, encode(img)?.as_slice())?;
    Ok(())
}
