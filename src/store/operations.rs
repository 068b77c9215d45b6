//! Slow operations on servers (create, reinstall, plan change, delete) as callers follow them:
//! each begins in the transaction that writes its intent and ends in the one that settles it,
//! so `GET /api/v1/operations/{id}` never disagrees with the server.

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use super::records::IntentOp;
use super::tables::{META_LAST_OPERATION_ID, OPERATIONS, VM_OPERATION};
use crate::domain::account::UserId;
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;

/// Where an operation is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpState {
    /// Steps are running (or waiting to be retried after `last_error`).
    Running,
    /// Done.
    Succeeded,
    /// Given up, with the error's code and words.
    Failed { code: String, message: String },
    /// Called off before it ran (a scheduled deletion whose server was restored).
    Cancelled,
}

/// One slow operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationRecord {
    /// Its id.
    pub id: u64,
    /// The server.
    pub vm: VmId,
    /// The server's owner (who may see it).
    pub owner: UserId,
    /// What it does.
    pub op: IntentOp,
    /// Where it is.
    pub state: OpState,
    /// The last failure of a step that is retried (delete and plan changes are retried until
    /// they succeed), as code and words.
    pub last_error: Option<(String, String)>,
    /// When it began.
    pub started_at: Timestamp,
    /// When it ended.
    pub finished_at: Option<Timestamp>,
}

impl Record for OperationRecord {
    const KIND: &'static str = "operation";
    const VERSION: u8 = 1;
}

/// Begin `op` on `vm` inside `tx` (with its intent); its id. A scheduled deletion's
/// operation, running since it was scheduled, goes on when the delete itself begins.
pub fn begin(
    tx: &WriteTransaction,
    vm: VmId,
    owner: UserId,
    op: IntentOp,
    now: Timestamp,
) -> Result<u64, StoreError> {
    if let Some(id) = tx.open_table(VM_OPERATION)?.get(vm.0)?.map(|v| v.value())
        && get(&tx.open_table(OPERATIONS)?, id)?.is_some_and(|r| r.op == op && r.state == OpState::Running)
    {
        return Ok(id);
    }
    let id = super::next_id(tx, META_LAST_OPERATION_ID)?;
    let rec = OperationRecord {
        id,
        vm,
        owner,
        op,
        state: OpState::Running,
        last_error: None,
        started_at: now,
        finished_at: None,
    };
    tx.open_table(OPERATIONS)?.insert(id, encode(&rec)?.as_slice())?;
    tx.open_table(VM_OPERATION)?.insert(vm.0, id)?;
    Ok(id)
}

/// End `vm`'s running operation (if any) in `state`.
pub fn end(tx: &WriteTransaction, vm: VmId, state: OpState, now: Timestamp) -> Result<(), StoreError> {
    let Some(id) = tx.open_table(VM_OPERATION)?.remove(vm.0)?.map(|v| v.value()) else { return Ok(()) };
    let mut t = tx.open_table(OPERATIONS)?;
    let Some(mut rec) = t.get(id)?.map(|v| decode::<OperationRecord>(v.value())).transpose()? else {
        return Ok(());
    };
    rec.state = state;
    rec.finished_at = Some(now);
    t.insert(id, encode(&rec)?.as_slice())?;
    Ok(())
}

/// Note a failed attempt of `vm`'s running operation that will be retried.
pub fn note_error(tx: &WriteTransaction, vm: VmId, code: &str, message: &str) -> Result<(), StoreError> {
    let Some(id) = tx.open_table(VM_OPERATION)?.get(vm.0)?.map(|v| v.value()) else { return Ok(()) };
    let mut t = tx.open_table(OPERATIONS)?;
    let Some(mut rec) = t.get(id)?.map(|v| decode::<OperationRecord>(v.value())).transpose()? else {
        return Ok(());
    };
    rec.last_error = Some((code.to_string(), message.to_string()));
    t.insert(id, encode(&rec)?.as_slice())?;
    Ok(())
}

/// The operation `id`.
pub fn get(
    t: &impl ReadableTable<u64, &'static [u8]>,
    id: u64,
) -> Result<Option<OperationRecord>, StoreError> {
    t.get(id)?.map(|v| decode(v.value())).transpose()
}

/// The id of `vm`'s running operation.
pub fn running_of(t: &impl ReadableTable<u64, u64>, vm: VmId) -> Result<Option<u64>, StoreError> {
    Ok(t.get(vm.0)?.map(|v| v.value()))
}
