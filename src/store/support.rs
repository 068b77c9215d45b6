//! Support requests: one record per request (its state and due time), its messages numbered
//! from 1, and each account's index of its requests.

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::codec::{Record, decode, encode};
use super::tables::{META_LAST_SUPPORT_ID, OWNER_SUPPORT, SUPPORT, SUPPORT_MESSAGES};
use super::{StoreError, next_id};
use crate::domain::account::UserId;
use crate::domain::support::{Category, Status};
use crate::domain::support_hours::Channel;
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;

/// A support request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportRecord {
    /// Id (the request number).
    pub id: u64,
    /// Who asks.
    pub owner: UserId,
    /// What about (gives the target).
    pub category: Category,
    /// One line.
    pub subject: String,
    /// Where it stands.
    pub status: Status,
    /// The VMs it is about.
    pub vms: Vec<VmId>,
    /// Filed.
    pub created_at: Timestamp,
    /// When the provider's answer is due, while it waits for one.
    pub due: Option<Timestamp>,
    /// The provider's first response.
    pub first_response: Option<Timestamp>,
    /// Whether a response came (or is still missing) after its due time.
    pub breached: bool,
    /// Whether the admins were warned that the due time is near.
    pub risk_alerted: bool,
    /// Messages so far.
    pub messages: u32,
    /// The incident it reported, if it is an incident report.
    pub incident: Option<u64>,
    /// Last change.
    pub updated_at: Timestamp,
    /// How it reached the provider.
    pub channel: Channel,
    /// Its first-response target, minutes: the category's, or the messenger's when filed
    /// through the bot in working hours. The report measures the first response against it.
    pub target_mins: u32,
    /// The target of the response awaited now (`due`), minutes: a customer's reply reopens
    /// the request with its own.
    pub due_mins: u32,
}

impl Record for SupportRecord {
    const KIND: &'static str = "support request";
    const VERSION: u8 = 2;
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Author {
    /// The customer.
    Customer(UserId),
    /// An admin (support).
    Staff(UserId),
    /// vpsbox itself (status changes).
    System,
}

/// An attached text log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// File name as uploaded (sanitised).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// One message of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRecord {
    /// Number within the request, from 1.
    pub n: u32,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub author: Author,
    /// What.
    pub body: String,
    /// Attached logs.
    pub attachments: Vec<Attachment>,
}

impl Record for MessageRecord {
    const KIND: &'static str = "support message";
    const VERSION: u8 = 1;
}

/// Store a new request (its id is assigned) inside `tx`.
pub fn add(tx: &WriteTransaction, mut rec: SupportRecord) -> Result<SupportRecord, StoreError> {
    rec.id = next_id(tx, META_LAST_SUPPORT_ID)?;
    put(tx, &rec)?;
    tx.open_table(OWNER_SUPPORT)?.insert((rec.owner.0, rec.id), ())?;
    Ok(rec)
}

/// Write `rec` inside `tx`.
pub fn put(tx: &WriteTransaction, rec: &SupportRecord) -> Result<(), StoreError> {
    tx.open_table(SUPPORT)?.insert(rec.id, encode(rec)?.as_slice())?;
    Ok(())
}

/// Request `id`.
pub fn get(t: &impl ReadableTable<u64, &'static [u8]>, id: u64) -> Result<Option<SupportRecord>, StoreError> {
    t.get(id)?.map(|v| decode(v.value())).transpose()
}

/// Append message `m` (numbered `rec.messages + 1`) to `rec` inside `tx`; the caller writes
/// `rec` back.
pub fn append(
    tx: &WriteTransaction,
    rec: &mut SupportRecord,
    mut m: MessageRecord,
) -> Result<(), StoreError> {
    rec.messages += 1;
    m.n = rec.messages;
    tx.open_table(SUPPORT_MESSAGES)?.insert((rec.id, m.n), encode(&m)?.as_slice())?;
    Ok(())
}

/// The messages of request `id`, oldest first.
pub fn messages(
    t: &impl ReadableTable<(u64, u32), &'static [u8]>,
    id: u64,
) -> Result<Vec<MessageRecord>, StoreError> {
    let mut out = Vec::new();
    for row in t.range((id, 0)..=(id, u32::MAX))? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// The ids of `owner`'s requests, newest first.
pub fn ids_of(t: &impl ReadableTable<(u64, u64), ()>, owner: UserId) -> Result<Vec<u64>, StoreError> {
    let mut out = Vec::new();
    for row in t.range((owner.0, 0)..=(owner.0, u64::MAX))?.rev() {
        out.push(row?.0.value().1);
    }
    Ok(out)
}

/// Every request, newest first.
pub fn all(t: &impl ReadableTable<u64, &'static [u8]>) -> Result<Vec<SupportRecord>, StoreError> {
    let mut out = Vec::new();
    for row in t.iter()?.rev() {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}
