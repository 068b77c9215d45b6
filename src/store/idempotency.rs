//! API answers kept for replay: a retried request with the same `Idempotency-Key` (from the
//! same token, with the same body) gets the first answer again instead of a second server.

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use super::tables::API_IDEMPOTENCY;
use crate::domain::time::Timestamp;

/// How long an answer is kept for replay.
pub const KEEP_SECS: i64 = 24 * 3600;

/// An answer kept for replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotentRecord {
    /// SHA-256 of the request body it answered.
    pub body_hash: [u8; 32],
    /// HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: String,
    /// The `Location` header, if any.
    pub location: Option<String>,
    /// When it was first given.
    pub created_at: Timestamp,
}

impl Record for IdempotentRecord {
    const KIND: &'static str = "idempotent answer";
    const VERSION: u8 = 1;
}

/// The answer kept under `key`, unless older than [`KEEP_SECS`] at `now`.
pub fn get(
    t: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
    now: Timestamp,
) -> Result<Option<IdempotentRecord>, StoreError> {
    let rec: Option<IdempotentRecord> = t.get(key)?.map(|v| decode(v.value())).transpose()?;
    Ok(rec.filter(|r| now.secs_since(r.created_at) < KEEP_SECS))
}

/// Keep `rec` under `key` unless a live answer is there already; the answer kept either way.
pub fn keep(tx: &WriteTransaction, key: &str, rec: IdempotentRecord) -> Result<IdempotentRecord, StoreError> {
    let mut t = tx.open_table(API_IDEMPOTENCY)?;
    if let Some(old) = get(&t, key, rec.created_at)? {
        return Ok(old);
    }
    t.insert(key, encode(&rec)?.as_slice())?;
    Ok(rec)
}

/// Drop answers older than [`KEEP_SECS`]; how many went.
pub fn prune(tx: &WriteTransaction, now: Timestamp) -> Result<usize, StoreError> {
    let mut t = tx.open_table(API_IDEMPOTENCY)?;
    let mut old = Vec::new();
    for row in t.iter()? {
        let (k, v) = row?;
        let r: IdempotentRecord = decode(v.value())?;
        if now.secs_since(r.created_at) >= KEEP_SECS {
            old.push(k.value().to_string());
        }
    }
    for k in &old {
        t.remove(k.as_str())?;
    }
    Ok(old.len())
}
