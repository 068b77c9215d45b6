//! Replaying API answers by `Idempotency-Key` (see `store::idempotency`).

use std::sync::Arc;

use crate::clock::Clock;
use crate::store::idempotency::{self as rows, IdempotentRecord};
use crate::store::tables::API_IDEMPOTENCY;
use crate::store::{Store, StoreError};

/// Kept API answers.
#[derive(Clone)]
pub struct Idempotency {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
}

impl Idempotency {
    /// Over `store`.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>) -> Idempotency {
        Idempotency { store, clock }
    }

    /// The live answer kept under `key`.
    pub fn lookup(&self, key: &str) -> Result<Option<IdempotentRecord>, StoreError> {
        let tx = self.store.read()?;
        rows::get(&tx.open_table(API_IDEMPOTENCY)?, key, self.clock.now())
    }

    /// Keep an answer under `key` unless one is there; the kept answer (the first one given,
    /// when requests raced). Old answers are dropped on the way.
    pub async fn keep(
        &self,
        key: String,
        body_hash: [u8; 32],
        status: u16,
        body: String,
        location: Option<String>,
    ) -> Result<IdempotentRecord, StoreError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        super::blocking(move || {
            let tx = store.write()?;
            rows::prune(&tx, now)?;
            let rec = IdempotentRecord { body_hash, status, body, location, created_at: now };
            let kept = rows::keep(&tx, &key, rec)?;
            tx.commit()?;
            Ok(kept)
        })
        .await
    }
}
