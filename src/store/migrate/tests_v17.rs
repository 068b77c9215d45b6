//! The schema-17 step: each account's open usage summed by item.

use redb::ReadableDatabase;

use super::tests::versioned;
use super::*;
use crate::domain::account::UserId;
use crate::domain::billing::Item;
use crate::domain::catalog::PlanId;
use crate::domain::time::Timestamp;
use crate::store::billing::{UsageRecord, open_totals};
use crate::store::tables::{OWNER_OPEN_ITEMS, OWNER_USAGE, USAGE};

#[test]
fn v17_sums_each_accounts_open_usage_by_item() {
    let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
    let at = Timestamp::from_secs(1_790_000_000);
    let usage = |id: u64, owner: u64, resource: &str, item: Item, qty: u64, open: bool| UsageRecord {
        id,
        owner: UserId(owner),
        resource: resource.into(),
        item,
        qty,
        from: at,
        to: (!open).then_some(Timestamp::from_secs(1_790_003_600)),
    };
    let rows = [
        usage(1, 7, "vm:1", Item::Plan(PlanId(2)), 1, true),
        usage(2, 7, "vm:2", Item::Plan(PlanId(2)), 1, true),
        usage(3, 7, "vm:2/ipv4", Item::ExtraIpv4, 2, true),
        usage(4, 7, "disk:1", Item::DiskGb, 20, false), // closed: grown since
        usage(5, 7, "disk:1", Item::DiskGb, 50, true),
        usage(6, 7, "backup:1", Item::BackupGb, 700 << 20, true),
        usage(7, 7, "backup:2", Item::BackupGb, 600 << 20, true),
        usage(8, 9, "vm:3", Item::Plan(PlanId(7)), 1, true),
    ];
    let tx = db.begin_write().unwrap();
    tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 17).unwrap();
    for u in &rows {
        tx.open_table(USAGE).unwrap().insert(u.id, versioned(1, u).as_slice()).unwrap();
        if u.to.is_none() {
            tx.open_table(OWNER_USAGE).unwrap().insert((u.owner.0, u.id), ()).unwrap();
        }
    }
    tx.commit().unwrap();

    assert_eq!(migrate(&db, STEPS).unwrap(), 17);
    let tx = db.begin_read().unwrap();
    assert_eq!(read_version(&tx).unwrap(), SCHEMA_VERSION);
    let totals = tx.open_table(OWNER_OPEN_ITEMS).unwrap();
    assert_eq!(
        open_totals(&totals, UserId(7)).unwrap(),
        [(Item::BackupGb, 1300 << 20), (Item::DiskGb, 50), (Item::ExtraIpv4, 2), (Item::Plan(PlanId(2)), 2),]
    );
    assert_eq!(open_totals(&totals, UserId(9)).unwrap(), [(Item::Plan(PlanId(7)), 1)]);
    assert_eq!(open_totals(&totals, UserId(8)).unwrap(), []);
}
