//! Webhook subscriptions and their deliveries. A delivery is written in the transaction of the
//! change it tells of (see `service::webhooks`), so none is lost and none is made up; the
//! sender takes them by due time and writes back each attempt.

use redb::{ReadableMultimapTable, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use super::tables::{WEBHOOK_DELIVERIES, WEBHOOK_DUE, WEBHOOK_LOG, WEBHOOKS};
use crate::domain::account::UserId;
use crate::domain::time::Timestamp;

/// A subscription: where to send which events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookRecord {
    /// Its id.
    pub id: u64,
    /// The API token that made it (its owner sees it).
    pub token: u64,
    /// The account of that token.
    pub owner: UserId,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The event types it wants (`server.created`, …).
    pub events: Vec<String>,
    /// The signing secret (HMAC-SHA256 key), as given to the subscriber.
    pub secret: String,
    /// When it was made.
    pub created_at: Timestamp,
}

impl Record for WebhookRecord {
    const KIND: &'static str = "webhook";
    const VERSION: u8 = 1;
}

/// Where a delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeliveryState {
    /// Waiting for its (next) attempt.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Given up after the last attempt.
    Failed,
}

/// One event for one subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRecord {
    /// Its id.
    pub id: u64,
    /// The subscription.
    pub webhook: u64,
    /// The event's id (`evt_…`): the same for every subscription and every attempt, for the
    /// receiver's de-duplication.
    pub event_id: String,
    /// The event's type.
    pub event: String,
    /// The JSON body sent.
    pub body: String,
    /// Attempts made.
    pub attempts: u32,
    /// When the next attempt is due (pending ones).
    pub next_at: Timestamp,
    /// Where it is.
    pub state: DeliveryState,
    /// The last attempt's HTTP status, if the receiver answered.
    pub last_status: Option<u16>,
    /// The last attempt's error (no answer, or not 2xx).
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: Timestamp,
    /// When it was delivered or given up.
    pub done_at: Option<Timestamp>,
}

impl Record for DeliveryRecord {
    const KIND: &'static str = "webhook delivery";
    const VERSION: u8 = 1;
}

/// Every subscription, by id.
pub fn all(t: &impl ReadableTable<u64, &'static [u8]>) -> Result<Vec<WebhookRecord>, StoreError> {
    let mut out = Vec::new();
    for row in t.iter()? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// Subscription `id`.
pub fn get(t: &impl ReadableTable<u64, &'static [u8]>, id: u64) -> Result<Option<WebhookRecord>, StoreError> {
    t.get(id)?.map(|v| decode(v.value())).transpose()
}

/// Write a delivery (new or after an attempt), keeping the due index in step.
pub fn put_delivery(
    tx: &WriteTransaction,
    d: &DeliveryRecord,
    was_due: Option<Timestamp>,
) -> Result<(), StoreError> {
    let mut due = tx.open_table(WEBHOOK_DUE)?;
    if let Some(at) = was_due {
        due.remove((ms(at), d.id))?;
    }
    if d.state == DeliveryState::Pending {
        due.insert((ms(d.next_at), d.id), ())?;
    }
    tx.open_table(WEBHOOK_DELIVERIES)?.insert(d.id, encode(d)?.as_slice())?;
    tx.open_multimap_table(WEBHOOK_LOG)?.insert(d.webhook, d.id)?;
    Ok(())
}

fn ms(t: Timestamp) -> u64 {
    u64::try_from(t.as_millis()).unwrap_or(0)
}

/// Up to `limit` deliveries due at `now`, soonest first.
pub fn due(
    tx: &redb::ReadTransaction,
    now: Timestamp,
    limit: usize,
) -> Result<Vec<DeliveryRecord>, StoreError> {
    let due = tx.open_table(WEBHOOK_DUE)?;
    let all = tx.open_table(WEBHOOK_DELIVERIES)?;
    let mut out = Vec::new();
    for row in due.range((0, 0)..=(ms(now), u64::MAX))?.take(limit) {
        let id = row?.0.value().1;
        if let Some(v) = all.get(id)? {
            out.push(decode(v.value())?);
        }
    }
    Ok(out)
}

/// Delivery `id`.
pub fn delivery(
    t: &impl ReadableTable<u64, &'static [u8]>,
    id: u64,
) -> Result<Option<DeliveryRecord>, StoreError> {
    t.get(id)?.map(|v| decode(v.value())).transpose()
}

/// The newest `limit` deliveries of subscription `webhook`, newest first.
pub fn log_of(
    tx: &redb::ReadTransaction,
    webhook: u64,
    limit: usize,
) -> Result<Vec<DeliveryRecord>, StoreError> {
    let log = tx.open_multimap_table(WEBHOOK_LOG)?;
    let all = tx.open_table(WEBHOOK_DELIVERIES)?;
    let mut out = Vec::new();
    for id in log.get(webhook)?.rev().take(limit) {
        if let Some(v) = all.get(id?.value())? {
            out.push(decode(v.value())?);
        }
    }
    Ok(out)
}

/// Remove subscription `id` with its pending deliveries (the log of done ones goes too).
pub fn remove(tx: &WriteTransaction, id: u64) -> Result<(), StoreError> {
    tx.open_table(WEBHOOKS)?.remove(id)?;
    let ids: Vec<u64> = {
        let log = tx.open_multimap_table(WEBHOOK_LOG)?;
        let mut v = Vec::new();
        for d in log.get(id)? {
            v.push(d?.value());
        }
        v
    };
    let mut all = tx.open_table(WEBHOOK_DELIVERIES)?;
    let mut due = tx.open_table(WEBHOOK_DUE)?;
    for d in ids {
        if let Some(rec) = all.remove(d)?.map(|v| decode::<DeliveryRecord>(v.value())).transpose()?
            && rec.state == DeliveryState::Pending
        {
            due.remove((ms(rec.next_at), d))?;
        }
    }
    tx.open_multimap_table(WEBHOOK_LOG)?.remove_all(id)?;
    Ok(())
}
