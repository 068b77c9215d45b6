//! Webhooks: events sent to the provider's systems (a billing system's URL), signed with
//! HMAC-SHA256 over the timestamp and the body, each with an event id for de-duplication.
//!
//! An event is queued in the transaction of the change it tells of (through the audit log, the
//! notices, or the incident it is about), one delivery per subscription that wants it, so a
//! crash never loses one nor sends one for a change that did not happen. The sender (a job)
//! POSTs due deliveries and retries failures with backoff for about two days; receivers may see
//! an event twice (after a crash between sending and recording) and de-duplicate by its id.

use std::sync::Arc;

use hmac::{Hmac, Mac};
use redb::ReadableTable;
use sha2::Sha256;

use super::caller::Caller;
use super::{Coded, ErrorKind, blocking, tokens};
use crate::clock::Clock;
use crate::domain::account::UserId;
use crate::domain::time::Timestamp;
use crate::store::codec::encode;
use crate::store::records::AuditRecord;
use crate::store::tables::{
    META_LAST_DELIVERY_ID, META_LAST_EVENT_ID, META_LAST_WEBHOOK_ID, VM_EXTERNAL, WEBHOOK_DELIVERIES,
    WEBHOOKS,
};
use crate::store::webhooks::{self as rows, DeliveryRecord, DeliveryState, WebhookRecord};
use crate::store::{Store, StoreError, next_id};

/// Every event type a subscription may ask for (and `ping`, sent by "send test").
pub const EVENTS: [&str; 12] = [
    "server.created",
    "server.create_failed",
    "server.suspended",
    "server.unsuspended",
    "server.deleted",
    "server.plan_changed",
    "backup.completed",
    "backup.failed",
    "incident.opened",
    "incident.resolved",
    "balance.low",
    "trial.ending",
];

/// Seconds before each retry; after the last, a delivery is given up.
const BACKOFF_SECS: [i64; 8] = [10, 60, 300, 1800, 7200, 21_600, 43_200, 86_400];

/// Most subscriptions an account keeps.
const MAX_WEBHOOKS: usize = 20;

/// Why a subscription could not be made or found.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// Not an http(s) URL.
    #[error("Give the webhook an http:// or https:// URL")]
    Url,
    /// An event type vpsbox does not send.
    #[error("There is no event {0:?}")]
    Event(String),
    /// No events named.
    #[error("Name at least one event")]
    NoEvents,
    /// Too many subscriptions.
    #[error("An account keeps at most {MAX_WEBHOOKS} webhooks; delete one first")]
    TooMany,
    /// No such subscription, or not the caller's.
    #[error("No such webhook")]
    NotFound,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

store_error_conversions!(WebhookError);

impl Coded for WebhookError {
    fn code(&self) -> &'static str {
        match self {
            WebhookError::Url => "HOOK0001",
            WebhookError::Event(_) => "HOOK0002",
            WebhookError::NoEvents => "HOOK0003",
            WebhookError::TooMany => "HOOK0004",
            WebhookError::NotFound => "HOOK0005",
            WebhookError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            WebhookError::NotFound => ErrorKind::NotFound,
            WebhookError::TooMany => ErrorKind::Conflict,
            WebhookError::Store(e) => e.kind(),
            _ => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            WebhookError::Event(e) => vec![("event", e.as_str().into())],
            WebhookError::TooMany => vec![("max", MAX_WEBHOOKS.into())],
            WebhookError::Store(e) => e.args(),
            _ => Vec::new(),
        }
    }
}

/// Queue `event` about `owner`'s things with `data` for every subscription that wants it,
/// inside `tx`.
pub fn emit_in(
    tx: &redb::WriteTransaction,
    now: Timestamp,
    event: &str,
    owner: UserId,
    mut data: serde_json::Map<String, serde_json::Value>,
) -> Result<(), StoreError> {
    let subs: Vec<WebhookRecord> = rows::all(&tx.open_table(WEBHOOKS)?)?
        .into_iter()
        .filter(|w| w.events.iter().any(|e| e == event))
        .collect();
    if subs.is_empty() {
        return Ok(());
    }
    data.insert("owner".into(), owner.0.into());
    let id = format!("evt_{}", next_id(tx, META_LAST_EVENT_ID)?);
    let body =
        serde_json::json!({ "id": id, "type": event, "created_at": now.rfc3339(), "data": data }).to_string();
    for w in subs {
        queue_in(tx, now, &w, &id, event, &body)?;
    }
    Ok(())
}

fn queue_in(
    tx: &redb::WriteTransaction,
    now: Timestamp,
    w: &WebhookRecord,
    event_id: &str,
    event: &str,
    body: &str,
) -> Result<u64, StoreError> {
    let d = DeliveryRecord {
        id: next_id(tx, META_LAST_DELIVERY_ID)?,
        webhook: w.id,
        event_id: event_id.to_string(),
        event: event.to_string(),
        body: body.to_string(),
        attempts: 0,
        next_at: now,
        state: DeliveryState::Pending,
        last_status: None,
        last_error: None,
        created_at: now,
        done_at: None,
    };
    rows::put_delivery(tx, &d, None)?;
    Ok(d.id)
}

/// The event an audit entry tells of, if any (servers and backups).
fn event_of_action(action: &str) -> Option<&'static str> {
    Some(match action {
        "vm.created" => "server.created",
        "vm.create_failed" => "server.create_failed",
        "vm.suspend" => "server.suspended",
        "vm.unsuspend" => "server.unsuspended",
        "vm.deleted" => "server.deleted",
        "vm.resized" => "server.plan_changed",
        "backup.done" => "backup.completed",
        "backup.failed" => "backup.failed",
        _ => return None,
    })
}

/// Queue the event an audit entry tells of (called by the audit log, inside its transaction).
pub(crate) fn from_audit_in(tx: &redb::WriteTransaction, rec: &AuditRecord) -> Result<(), StoreError> {
    let Some(event) = event_of_action(&rec.action) else { return Ok(()) };
    let mut data = serde_json::Map::new();
    if let Some(id) = rec.resource.strip_prefix("vm:").and_then(|v| v.parse::<u64>().ok()) {
        data.insert("server".into(), id.into());
        let external = tx.open_table(VM_EXTERNAL)?.get(id)?.map(|v| v.value().to_string());
        data.insert("external_service_id".into(), external.into());
    }
    data.insert("detail".into(), rec.detail.clone().into());
    emit_in(tx, rec.at, event, rec.owner, data)
}

/// Queue the event a notice to one account tells of (low balance, trial ending).
pub(crate) fn from_notice_in(
    tx: &redb::WriteTransaction,
    now: Timestamp,
    owner: UserId,
    kind: &str,
    subject: &str,
) -> Result<(), StoreError> {
    let event = match kind {
        "billing.low_balance" => "balance.low",
        "trial.ending" => "trial.ending",
        _ => return Ok(()),
    };
    let mut data = serde_json::Map::new();
    data.insert("detail".into(), subject.into());
    emit_in(tx, now, event, owner, data)
}

/// `Vpsbox-Signature` of `body` sent at `t`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
/// "<t>.<body>" keyed by the secret>`.
pub fn signature(secret: &str, t: i64, body: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { return String::new() };
    mac.update(format!("{t}.{body}").as_bytes());
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("t={t},v1={hex}")
}

/// A subscription to make.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    /// Where to POST.
    pub url: String,
    /// Event types.
    pub events: Vec<String>,
}

/// Subscriptions, and the sender.
#[derive(Clone)]
pub struct Webhooks {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    http: reqwest::Client,
    /// Held while sending: one sender at a time, so no delivery goes out twice at once.
    sending: Arc<tokio::sync::Mutex<()>>,
}

impl Webhooks {
    /// The service, sending with a 10-second timeout per attempt.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>) -> Webhooks {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("vpsbox/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Webhooks { store, clock, http, sending: Arc::new(tokio::sync::Mutex::new(())) }
    }

    /// Subscribe `url` to `events` for API token `token` of account `owner`.
    pub async fn create(
        &self,
        caller: &Caller,
        token: u64,
        new: NewWebhook,
    ) -> Result<WebhookRecord, WebhookError> {
        let url = new.url.trim().to_string();
        let parsed = reqwest::Url::parse(&url).map_err(|_| WebhookError::Url)?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() || url.len() > 2000 {
            return Err(WebhookError::Url);
        }
        let mut events: Vec<String> = Vec::new();
        for e in new.events.iter().map(|e| e.trim()) {
            if !EVENTS.contains(&e) {
                return Err(WebhookError::Event(e.to_string()));
            }
            if !events.iter().any(|x| x == e) {
                events.push(e.to_string());
            }
        }
        if events.is_empty() {
            return Err(WebhookError::NoEvents);
        }
        let owner = caller.user.ok_or(WebhookError::NotFound)?;
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            if rows::all(&tx.open_table(WEBHOOKS)?)?.iter().filter(|w| w.owner == owner).count()
                >= MAX_WEBHOOKS
            {
                return Err(WebhookError::TooMany);
            }
            let rec = WebhookRecord {
                id: next_id(&tx, META_LAST_WEBHOOK_ID)?,
                token,
                owner,
                url,
                events,
                secret: format!("whsec_{}", tokens::encode(&tokens::random_bytes())),
                created_at: now,
            };
            tx.open_table(WEBHOOKS)?.insert(rec.id, encode(&rec)?.as_slice())?;
            let detail = format!("{} → {}", rec.events.join(","), rec.url);
            super::audit::record(
                &tx,
                now,
                &caller,
                owner,
                &format!("webhook:{}", rec.id),
                "webhook.create",
                detail,
            )?;
            tx.commit()?;
            Ok(rec)
        })
        .await
    }

    /// The subscriptions `caller` sees: its account's (admins: every account's).
    pub fn list(&self, caller: &Caller) -> Result<Vec<WebhookRecord>, WebhookError> {
        let all = rows::all(&self.store.read()?.open_table(WEBHOOKS)?)?;
        Ok(all.into_iter().filter(|w| caller.is_admin() || caller.user == Some(w.owner)).collect())
    }

    /// Subscription `id`, if `caller` sees it.
    pub fn get(&self, caller: &Caller, id: u64) -> Result<WebhookRecord, WebhookError> {
        rows::get(&self.store.read()?.open_table(WEBHOOKS)?, id)?
            .filter(|w| caller.is_admin() || caller.user == Some(w.owner))
            .ok_or(WebhookError::NotFound)
    }

    /// Delete subscription `id` with its queue and log.
    pub async fn delete(&self, caller: &Caller, id: u64) -> Result<(), WebhookError> {
        let w = self.get(caller, id)?;
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            rows::remove(&tx, id)?;
            super::audit::record(
                &tx,
                now,
                &caller,
                w.owner,
                &format!("webhook:{id}"),
                "webhook.delete",
                w.url,
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// Queue a `ping` event to subscription `id` ("send test"); the delivery's id.
    pub async fn send_test(&self, caller: &Caller, id: u64) -> Result<u64, WebhookError> {
        let w = self.get(caller, id)?;
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            let event_id = format!("evt_{}", next_id(&tx, META_LAST_EVENT_ID)?);
            let body = serde_json::json!({
                "id": event_id, "type": "ping", "created_at": now.rfc3339(),
                "data": { "webhook": w.id, "owner": w.owner.0 },
            })
            .to_string();
            let d = queue_in(&tx, now, &w, &event_id, "ping", &body)?;
            tx.commit()?;
            Ok(d)
        })
        .await
    }

    /// The newest `limit` deliveries of subscription `id`.
    pub fn deliveries(
        &self,
        caller: &Caller,
        id: u64,
        limit: usize,
    ) -> Result<Vec<DeliveryRecord>, WebhookError> {
        self.get(caller, id)?;
        Ok(rows::log_of(&self.store.read()?, id, limit)?)
    }

    /// Attempt every delivery due now; how many were delivered.
    pub async fn deliver_due(&self) -> Result<usize, WebhookError> {
        let _one = self.sending.lock().await;
        let now = self.clock.now();
        let due = rows::due(&self.store.read()?, now, 100)?;
        let mut delivered = 0;
        for d in due {
            let Some(w) = rows::get(&self.store.read()?.open_table(WEBHOOKS)?, d.webhook)? else { continue };
            let t = now.as_secs();
            let sent = self
                .http
                .post(&w.url)
                .header("content-type", "application/json")
                .header("vpsbox-event", &d.event)
                .header("vpsbox-event-id", &d.event_id)
                .header("vpsbox-delivery", d.id.to_string())
                .header("vpsbox-signature", signature(&w.secret, t, &d.body))
                .body(d.body.clone())
                .send()
                .await;
            let outcome = match sent {
                Ok(r) if r.status().is_success() => Ok(r.status().as_u16()),
                Ok(r) => Err((Some(r.status().as_u16()), format!("the receiver answered {}", r.status()))),
                Err(e) => Err((None, format!("no answer: {e}"))),
            };
            delivered += usize::from(outcome.is_ok());
            self.record_attempt(d, outcome).await?;
        }
        Ok(delivered)
    }

    async fn record_attempt(
        &self,
        mut d: DeliveryRecord,
        outcome: Result<u16, (Option<u16>, String)>,
    ) -> Result<(), WebhookError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            // Deleted meanwhile (with its subscription): nothing to record.
            if rows::delivery(&tx.open_table(WEBHOOK_DELIVERIES)?, d.id)?.is_none() {
                return Ok(());
            }
            let was_due = d.next_at;
            d.attempts += 1;
            match outcome {
                Ok(status) => {
                    d.state = DeliveryState::Delivered;
                    d.last_status = Some(status);
                    d.last_error = None;
                    d.done_at = Some(now);
                }
                Err((status, why)) => {
                    d.last_status = status;
                    d.last_error = Some(why);
                    match BACKOFF_SECS.get(usize::try_from(d.attempts - 1).unwrap_or(usize::MAX)) {
                        Some(secs) => d.next_at = now.plus_secs(*secs),
                        None => {
                            d.state = DeliveryState::Failed;
                            d.done_at = Some(now);
                        }
                    }
                }
            }
            rows::put_delivery(&tx, &d, Some(was_due))?;
            tx.commit()?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_time_dot_body() {
        // RFC 4231 test case 2 shape: key "Jefe", data "what do ya want for nothing?".
        let s = signature("Jefe", 0, "what do ya want for nothing?");
        assert!(s.starts_with("t=0,v1="), "{s}");
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"0.what do ya want for nothing?");
        let want: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(s, format!("t=0,v1={want}"));
        assert_eq!(event_of_action("vm.created"), Some("server.created"));
        assert_eq!(event_of_action("vm.start"), None);
    }
}
