//! ISO images: the ones admins publish, and which server has one in its CD-ROM drive.

use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use super::tables::{ISOS, VM_ISO};
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;

/// An ISO image in `DATA_DIR/isos/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsoRecord {
    /// Identifier.
    pub id: u64,
    /// Its name in the list (unique).
    pub name: String,
    /// File name in the ISO directory.
    pub file: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256 of the file.
    pub sha256: String,
    /// When it was imported.
    pub imported_at: Timestamp,
}

impl Record for IsoRecord {
    const KIND: &'static str = "iso";
    const VERSION: u8 = 1;
}

/// The ISO in a server's CD-ROM drive, and whether the server boots from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmIso {
    /// The ISO.
    pub iso: u64,
    /// Whether the server boots from it before its disk.
    pub boot: IsoBoot,
}

/// When a server boots from the ISO in its drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IsoBoot {
    /// Never: the ISO is only attached.
    No,
    /// At its next start only: once it reboots after booting from the ISO, it boots its disk.
    Once,
    /// At every start, until the ISO is taken out.
    Always,
}

impl IsoBoot {
    /// The form's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            IsoBoot::No => "no",
            IsoBoot::Once => "once",
            IsoBoot::Always => "always",
        }
    }

    /// From the form's word.
    pub fn parse(s: &str) -> Option<IsoBoot> {
        [IsoBoot::No, IsoBoot::Once, IsoBoot::Always].into_iter().find(|b| b.as_str() == s)
    }
}

impl Record for VmIso {
    const KIND: &'static str = "server iso";
    const VERSION: u8 = 1;
}

/// Every ISO, by id.
pub fn all(t: &impl ReadableTable<u64, &'static [u8]>) -> Result<Vec<IsoRecord>, StoreError> {
    let mut out = Vec::new();
    for row in t.iter()? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// The ISO `id`, if it exists.
pub fn get(t: &impl ReadableTable<u64, &'static [u8]>, id: u64) -> Result<Option<IsoRecord>, StoreError> {
    match t.get(id)? {
        Some(v) => Ok(Some(decode(v.value())?)),
        None => Ok(None),
    }
}

/// Write `iso` inside `tx`.
pub fn put(tx: &redb::WriteTransaction, iso: &IsoRecord) -> Result<(), StoreError> {
    tx.open_table(ISOS)?.insert(iso.id, encode(iso)?.as_slice())?;
    Ok(())
}

/// The ISO in `vm`'s drive.
pub fn of_vm(t: &impl ReadableTable<u64, &'static [u8]>, vm: VmId) -> Result<Option<VmIso>, StoreError> {
    match t.get(vm.0)? {
        Some(v) => Ok(Some(decode(v.value())?)),
        None => Ok(None),
    }
}

/// Put an ISO in `vm`'s drive (`None`: empty it).
pub fn set_vm(tx: &redb::WriteTransaction, vm: VmId, iso: Option<VmIso>) -> Result<(), StoreError> {
    let mut t = tx.open_table(VM_ISO)?;
    match iso {
        Some(i) => t.insert(vm.0, encode(&i)?.as_slice())?,
        None => t.remove(vm.0)?,
    };
    Ok(())
}

/// How many servers have `iso` in their drive.
pub fn users(t: &impl ReadableTable<u64, &'static [u8]>, iso: u64) -> Result<usize, StoreError> {
    let mut n = 0;
    for row in t.iter()? {
        let v: VmIso = decode(row?.1.value())?;
        n += usize::from(v.iso == iso);
    }
    Ok(n)
}

/// The owner of ISO `id`, if a customer uploaded it (`None`: published by the hoster).
pub fn owner_of(
    t: &impl ReadableTable<u64, u64>,
    id: u64,
) -> Result<Option<crate::domain::account::UserId>, StoreError> {
    Ok(t.get(id)?.map(|v| crate::domain::account::UserId(v.value())))
}

/// The ISOs of `all` that `owner` may put in a server's drive: the published ones, then their
/// own (`None`: the published ones only).
pub fn offered_to(
    all: Vec<IsoRecord>,
    owners: &impl ReadableTable<u64, u64>,
    owner: Option<crate::domain::account::UserId>,
) -> Result<Vec<IsoRecord>, StoreError> {
    let (mut published, mut own) = (Vec::new(), Vec::new());
    for iso in all {
        match owner_of(owners, iso.id)? {
            None => published.push(iso),
            Some(o) if Some(o) == owner => own.push(iso),
            Some(_) => {}
        }
    }
    published.extend(own);
    Ok(published)
}
