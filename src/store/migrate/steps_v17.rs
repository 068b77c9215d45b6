//! Schema 17 → 18: each account's open usage summed by item (`OWNER_OPEN_ITEMS`), so the hourly
//! rate the dashboard and the Billing page show reads a row per item instead of every open
//! usage record.

use redb::{ReadableTable, WriteTransaction};
use serde::Deserialize;

use super::steps::old_record;
use crate::domain::account::UserId;
use crate::domain::billing::Item;
use crate::domain::time::Timestamp;
use crate::store::StoreError;
use crate::store::tables::{OWNER_OPEN_ITEMS, OWNER_USAGE, USAGE};

/// A usage interval as schema 17 stores it (version 1), frozen here.
#[derive(Debug, Deserialize)]
pub(super) struct UsageV1 {
    pub _id: u64,
    pub owner: UserId,
    pub _resource: String,
    pub item: Item,
    pub qty: u64,
    pub _from: Timestamp,
    pub _to: Option<Timestamp>,
}

/// Sum the open usage (the rows of `OWNER_USAGE`) per account and item key.
pub(super) fn v17_open_totals(tx: &WriteTransaction) -> Result<(), StoreError> {
    let mut sums: std::collections::BTreeMap<(u64, String), u64> = std::collections::BTreeMap::new();
    {
        let usage = tx.open_table(USAGE)?;
        for row in tx.open_table(OWNER_USAGE)?.iter()? {
            let id = row?.0.value().1;
            let Some(v) = usage.get(id)? else { continue };
            let u: UsageV1 = old_record("usage", 1, v.value())?;
            let sum = sums.entry((u.owner.0, u.item.key())).or_default();
            *sum = sum.saturating_add(u.qty);
        }
    }
    let mut totals = tx.open_table(OWNER_OPEN_ITEMS)?;
    for ((owner, key), qty) in &sums {
        if *qty > 0 {
            totals.insert((*owner, key.as_str()), *qty)?;
        }
    }
    tracing::info!(rows = sums.len(), "open usage summed by account and item");
    Ok(())
}
