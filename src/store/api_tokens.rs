//! API tokens: each one's record by id, and each account's tokens. The secret itself is never
//! kept, only its SHA-256.

use redb::{ReadableMultimapTable, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::codec::{Record, decode, encode};
use super::tables::{API_TOKENS, META_LAST_TOKEN_ID, OWNER_TOKENS};
use super::{StoreError, next_id};
use crate::domain::account::UserId;
use crate::domain::api_token::{Scope, TokenKind};
use crate::domain::ipam::Cidr;
use crate::domain::time::Timestamp;

/// An API token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenRecord {
    /// Identifier (the `<id>` of `vpsbox_<id>_<secret>`).
    pub id: u64,
    /// The account it acts for; it never has more rights than that account has now.
    pub owner: UserId,
    /// A name to tell tokens apart (`whmcs`, `backup script`).
    pub name: String,
    /// What it is for.
    pub kind: TokenKind,
    /// What it may do (within what its kind allows).
    pub scopes: Vec<Scope>,
    /// SHA-256 of the secret.
    pub secret_hash: [u8; 32],
    /// When it was made.
    pub created_at: Timestamp,
    /// When it stops working, if ever.
    pub expires_at: Option<Timestamp>,
    /// Client networks it is accepted from; empty: any.
    pub networks: Vec<Cidr>,
    /// When and from where it was last used (kept to the minute).
    pub last_used: Option<(Timestamp, String)>,
    /// When it was revoked; a revoked token is kept for the record and never works again.
    pub revoked_at: Option<Timestamp>,
}

impl Record for ApiTokenRecord {
    const KIND: &'static str = "API token";
    const VERSION: u8 = 1;
}

/// Store a new token, giving it the next id.
pub fn insert(tx: &WriteTransaction, rec: &mut ApiTokenRecord) -> Result<(), StoreError> {
    rec.id = next_id(tx, META_LAST_TOKEN_ID)?;
    tx.open_multimap_table(OWNER_TOKENS)?.insert(rec.owner.0, rec.id)?;
    put(tx, rec)
}

/// Write a token's record as it is now.
pub fn put(tx: &WriteTransaction, rec: &ApiTokenRecord) -> Result<(), StoreError> {
    tx.open_table(API_TOKENS)?.insert(rec.id, encode(rec)?.as_slice())?;
    Ok(())
}

/// A token by id.
pub fn get(
    t: &impl ReadableTable<u64, &'static [u8]>,
    id: u64,
) -> Result<Option<ApiTokenRecord>, StoreError> {
    t.get(id)?.map(|v| decode(v.value())).transpose()
}

/// An account's tokens, oldest first.
pub fn of_owner(
    owners: &impl ReadableMultimapTable<u64, u64>,
    tokens: &impl ReadableTable<u64, &'static [u8]>,
    owner: UserId,
) -> Result<Vec<ApiTokenRecord>, StoreError> {
    let mut out = Vec::new();
    for id in owners.get(owner.0)? {
        if let Some(t) = get(tokens, id?.value())? {
            out.push(t);
        }
    }
    Ok(out)
}

/// Every token, oldest first.
pub fn all(tokens: &impl ReadableTable<u64, &'static [u8]>) -> Result<Vec<ApiTokenRecord>, StoreError> {
    let mut out = Vec::new();
    for row in tokens.iter()? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}
