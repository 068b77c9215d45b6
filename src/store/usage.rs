//! Usage intervals of billable resources: each resource's open interval, each account's open
//! intervals, and their sums by item (what an account's hourly rate is made of).
//!
//! Usage is kept by the store itself: [`super::vms::put`] and [`super::holdings::put`] (and
//! their removals) call [`set_usage`] in the caller's transaction, so no code path that
//! creates, resizes or deletes a resource can forget to start or stop its billing.

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use super::tables::{META, META_LAST_USAGE_ID, OWNER_OPEN_ITEMS, OWNER_USAGE, USAGE, USAGE_OPEN};
use crate::domain::account::UserId;
use crate::domain::billing::Item;
use crate::domain::time::Timestamp;

/// A resource billed from `from` until `to` (open while it exists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageRecord {
    /// Id.
    pub id: u64,
    /// Who pays.
    pub owner: UserId,
    /// The resource (`vm:12`, `vm:12/ipv4`, `disk:3`, `backup:40`).
    pub resource: String,
    /// What it is priced as.
    pub item: Item,
    /// How many units (GiB for disks; bytes for a backup, summed per account and hour).
    pub qty: u64,
    /// Billed from.
    pub from: Timestamp,
    /// Billed until (`None`: still).
    pub to: Option<Timestamp>,
}

impl Record for UsageRecord {
    const KIND: &'static str = "usage";
    const VERSION: u8 = 1;
}

impl UsageRecord {
    /// Whether it was billable at some moment of `[start, end)`.
    pub fn overlaps(&self, start: Timestamp, end: Timestamp) -> bool {
        self.from < end && self.to.is_none_or(|t| t > start && t > self.from)
    }
}

/// Start, change or stop billing `resource` of `owner` at `now`: `what` is its item and
/// quantity now (`None` or a zero quantity: not billable). The open interval is closed and a
/// new one opened only when the item or quantity changes.
pub fn set_usage(
    tx: &WriteTransaction,
    now: Timestamp,
    owner: UserId,
    resource: &str,
    what: Option<(Item, u64)>,
) -> Result<(), StoreError> {
    let what = what.filter(|(_, q)| *q > 0);
    let mut open = tx.open_table(USAGE_OPEN)?;
    let mut usage = tx.open_table(USAGE)?;
    let current = match open.get(resource)?.map(|v| v.value()) {
        Some(id) => usage.get(id)?.map(|v| decode::<UsageRecord>(v.value())).transpose()?,
        None => None,
    };
    if let Some(cur) = &current {
        if what == Some((cur.item, cur.qty)) {
            return Ok(());
        }
        let mut closed = cur.clone();
        closed.to = Some(now.max(cur.from));
        usage.insert(closed.id, encode(&closed)?.as_slice())?;
        open.remove(resource)?;
        tx.open_table(OWNER_USAGE)?.remove((cur.owner.0, cur.id))?;
        add_open(tx, cur.owner, cur.item, cur.qty, false)?;
    }
    if let Some((item, qty)) = what {
        let id = {
            let mut meta = tx.open_table(META)?;
            let id = meta.get(META_LAST_USAGE_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
            meta.insert(META_LAST_USAGE_ID, id)?;
            id
        };
        let rec = UsageRecord { id, owner, resource: resource.to_string(), item, qty, from: now, to: None };
        usage.insert(id, encode(&rec)?.as_slice())?;
        open.insert(resource, id)?;
        tx.open_table(OWNER_USAGE)?.insert((owner.0, id), ())?;
        add_open(tx, owner, item, qty, true)?;
    }
    Ok(())
}

/// Add `qty` to (or take it from) `owner`'s open total of `item` in [`OWNER_OPEN_ITEMS`]; a
/// total that reaches zero is removed.
fn add_open(tx: &WriteTransaction, owner: UserId, item: Item, qty: u64, add: bool) -> Result<(), StoreError> {
    let mut totals = tx.open_table(OWNER_OPEN_ITEMS)?;
    let key = item.key();
    let was = totals.get((owner.0, key.as_str()))?.map(|v| v.value()).unwrap_or(0);
    let now = if add { was.saturating_add(qty) } else { was.saturating_sub(qty) };
    if now == 0 {
        totals.remove((owner.0, key.as_str()))?;
    } else {
        totals.insert((owner.0, key.as_str()), now)?;
    }
    Ok(())
}

/// `owner`'s open usage summed by item (units; bytes for backup storage), as
/// [`OWNER_OPEN_ITEMS`] keeps it. An item key this binary does not know is skipped.
pub fn open_totals(
    totals: &impl ReadableTable<(u64, &'static str), u64>,
    owner: UserId,
) -> Result<Vec<(Item, u64)>, StoreError> {
    let mut out = Vec::new();
    for row in totals.range((owner.0, "")..(owner.0.saturating_add(1), ""))? {
        let (key, qty) = row?;
        if let Some(item) = Item::parse(key.value().1) {
            out.push((item, qty.value()));
        }
    }
    Ok(out)
}

/// Drop the open usage of `resource` without billing it (a resource whose creation failed).
pub fn discard_usage(tx: &WriteTransaction, resource: &str) -> Result<(), StoreError> {
    let mut open = tx.open_table(USAGE_OPEN)?;
    if let Some(id) = open.remove(resource)?.map(|v| v.value())
        && let Some(v) = tx.open_table(USAGE)?.remove(id)?
    {
        let u: UsageRecord = decode(v.value())?;
        tx.open_table(OWNER_USAGE)?.remove((u.owner.0, id))?;
        add_open(tx, u.owner, u.item, u.qty, false)?;
    }
    Ok(())
}

/// `owner`'s open usage intervals.
pub fn open_usage_of(
    index: &impl ReadableTable<(u64, u64), ()>,
    usage: &impl ReadableTable<u64, &'static [u8]>,
    owner: UserId,
) -> Result<Vec<UsageRecord>, StoreError> {
    let mut out = Vec::new();
    for row in index.range((owner.0, 0)..=(owner.0, u64::MAX))? {
        if let Some(v) = usage.get(row?.0.value().1)? {
            out.push(decode(v.value())?);
        }
    }
    Ok(out)
}

/// Every usage interval not yet pruned.
pub fn all_usage(t: &impl ReadableTable<u64, &'static [u8]>) -> Result<Vec<UsageRecord>, StoreError> {
    let mut out = Vec::new();
    for row in t.iter()? {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn open_totals_follow_every_usage_opened_changed_closed_and_discarded() {
        use crate::domain::catalog::PlanId;
        let store = Store::in_memory().unwrap();
        let (a, b) = (UserId(4), UserId(5));
        let at = |s: i64| Timestamp::from_secs(1_790_000_000 + s);
        // What the totals must say: the open usage records summed by item.
        let expected = |owner: UserId| -> Vec<(Item, u64)> {
            let r = store.read().unwrap();
            let mut sums = std::collections::BTreeMap::<String, (Item, u64)>::new();
            for u in open_usage_of(&r.open_table(OWNER_USAGE).unwrap(), &r.open_table(USAGE).unwrap(), owner)
                .unwrap()
            {
                sums.entry(u.item.key()).or_insert((u.item, 0)).1 += u.qty;
            }
            sums.into_values().collect()
        };
        let kept = |owner: UserId| -> Vec<(Item, u64)> {
            let r = store.read().unwrap();
            open_totals(&r.open_table(OWNER_OPEN_ITEMS).unwrap(), owner).unwrap()
        };
        let steps = [
            (a, "vm:1", Some((Item::Plan(PlanId(2)), 1))),
            (a, "vm:2", Some((Item::Plan(PlanId(2)), 1))),
            (a, "vm:2/ipv4", Some((Item::ExtraIpv4, 2))),
            (a, "disk:1", Some((Item::DiskGb, 20))),
            (a, "backup:1", Some((Item::BackupGb, 700 << 20))),
            (a, "backup:2", Some((Item::BackupGb, 600 << 20))),
            (b, "vm:3", Some((Item::Plan(PlanId(7)), 1))),
            (a, "disk:1", Some((Item::DiskGb, 50))),       // grown
            (a, "vm:2", Some((Item::Plan(PlanId(3)), 1))), // resized to another plan
            (a, "vm:2/ipv4", None),
            (a, "backup:1", None),
            (a, "vm:2", Some((Item::Plan(PlanId(3)), 1))), // unchanged: nothing to do
        ];
        for (i, (owner, resource, what)) in steps.into_iter().enumerate() {
            let tx = store.write().unwrap();
            set_usage(&tx, at(i as i64), owner, resource, what).unwrap();
            tx.commit().unwrap();
            assert_eq!(kept(a), expected(a), "after step {i}");
            assert_eq!(kept(b), expected(b), "after step {i}");
        }
        // By item key: backup storage in bytes (700 MiB gone, 600 MiB left), disk, plans.
        assert_eq!(
            kept(a),
            [
                (Item::BackupGb, 600 << 20),
                (Item::DiskGb, 50),
                (Item::Plan(PlanId(2)), 1),
                (Item::Plan(PlanId(3)), 1),
            ]
        );
        // A creation that failed: its usage goes without a trace in the totals.
        let tx = store.write().unwrap();
        discard_usage(&tx, "vm:3").unwrap();
        tx.commit().unwrap();
        assert_eq!(kept(b), []);
        assert_eq!(expected(b), []);
    }
}
