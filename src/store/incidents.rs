//! Incidents (declared by admins or reported by customers) and planned maintenance windows.
//! Both are few; they are read whole and filtered by scope when availability is computed.

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::codec::{Record, decode, encode};
use super::tables::{INCIDENTS, MAINTENANCE, META_LAST_INCIDENT_ID, META_LAST_MAINTENANCE_ID};
use super::{StoreError, next_id};
use crate::domain::account::UserId;
use crate::domain::incident::{Blame, Scope, Severity};
use crate::domain::time::Timestamp;

/// A line of an incident's history (shown on the status page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentUpdate {
    /// When.
    pub at: Timestamp,
    /// What was said, in English (for the CLI and lines written before `told`).
    pub text: String,
    /// What was said as a message of the bundles, for each reader's language.
    pub told: Option<super::notices::NoticeText>,
}

/// An incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentRecord {
    /// Id.
    pub id: u64,
    /// Outage or degradation.
    pub severity: Severity,
    /// What it covers.
    pub scope: Scope,
    /// One line.
    pub title: String,
    /// When the downtime began (detection or report, the earlier).
    pub started: Timestamp,
    /// When restoration was confirmed; `None` while it lasts.
    pub ended: Option<Timestamp>,
    /// Who bears it.
    pub blame: Blame,
    /// The support request that reported it, if a customer did.
    pub request: Option<u64>,
    /// The customer who reported it (their VMs are the scope), if one did.
    pub reported_by: Option<UserId>,
    /// History, oldest first.
    pub updates: Vec<IncidentUpdate>,
}

impl Record for IncidentRecord {
    const KIND: &'static str = "incident";
    const VERSION: u8 = 2;
}

impl IncidentRecord {
    /// Whether it is still going on.
    pub fn is_open(&self) -> bool {
        self.ended.is_none()
    }
}

/// A planned maintenance window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceRecord {
    /// Id.
    pub id: u64,
    /// What it covers.
    pub scope: Scope,
    /// Starts.
    pub starts: Timestamp,
    /// Ends.
    pub ends: Timestamp,
    /// What will be done.
    pub description: String,
    /// When it was announced (scheduled).
    pub announced_at: Timestamp,
    /// The admin who scheduled it.
    pub by: Option<UserId>,
    /// Whether the affected customers were notified.
    pub notified: bool,
    /// Called off (kept for the record; excludes nothing).
    pub cancelled: bool,
}

impl Record for MaintenanceRecord {
    const KIND: &'static str = "maintenance window";
    const VERSION: u8 = 1;
}

/// Store a new incident (its `id` is assigned) inside `tx`.
pub fn add_incident(tx: &WriteTransaction, mut rec: IncidentRecord) -> Result<IncidentRecord, StoreError> {
    rec.id = next_id(tx, META_LAST_INCIDENT_ID)?;
    put_incident(tx, &rec)?;
    Ok(rec)
}

/// Write `rec` inside `tx`.
pub fn put_incident(tx: &WriteTransaction, rec: &IncidentRecord) -> Result<(), StoreError> {
    tx.open_table(INCIDENTS)?.insert(rec.id, encode(rec)?.as_slice())?;
    Ok(())
}

/// Incident `id`.
pub fn incident(
    t: &impl ReadableTable<u64, &'static [u8]>,
    id: u64,
) -> Result<Option<IncidentRecord>, StoreError> {
    t.get(id)?.map(|v| decode(v.value())).transpose()
}

/// Every incident, newest first.
pub fn incidents(t: &impl ReadableTable<u64, &'static [u8]>) -> Result<Vec<IncidentRecord>, StoreError> {
    let mut out = Vec::new();
    for row in t.iter()?.rev() {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// Store a new window (its `id` is assigned) inside `tx`.
pub fn add_window(
    tx: &WriteTransaction,
    mut rec: MaintenanceRecord,
) -> Result<MaintenanceRecord, StoreError> {
    rec.id = next_id(tx, META_LAST_MAINTENANCE_ID)?;
    put_window(tx, &rec)?;
    Ok(rec)
}

/// Write `rec` inside `tx`.
pub fn put_window(tx: &WriteTransaction, rec: &MaintenanceRecord) -> Result<(), StoreError> {
    tx.open_table(MAINTENANCE)?.insert(rec.id, encode(rec)?.as_slice())?;
    Ok(())
}

/// Every maintenance window, newest first.
pub fn windows(t: &impl ReadableTable<u64, &'static [u8]>) -> Result<Vec<MaintenanceRecord>, StoreError> {
    let mut out = Vec::new();
    for row in t.iter()?.rev() {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}
