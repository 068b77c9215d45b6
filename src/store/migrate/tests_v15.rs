//! The schema-15 step: plans gain fair-use CPU limits.

use redb::ReadableDatabase;

use super::steps::PlanV1;
use super::tests::versioned;
use super::*;
use crate::domain::catalog::{PlanId, PlanSpec};
use crate::domain::money::Money;
use crate::domain::time::Timestamp;
use crate::domain::vm::CpuLimits;
use crate::store::codec::decode;
use crate::store::records::PlanRecord;
use crate::store::tables::PLANS;

#[test]
fn v15_plans_keep_everything_and_have_no_cpu_limits() {
    let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
    let old = PlanV1 {
        id: PlanId(3),
        name: "s-2".into(),
        spec: PlanSpec { vcpus: 2, memory_mib: 2048, disk_gb: 40, ipv4: 1 },
        monthly_price: Money(9_000),
        hourly_price: Money(13),
        enabled: false,
        created_at: Timestamp::from_secs(1_700_000_000),
    };
    let tx = db.begin_write().unwrap();
    tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 15).unwrap();
    tx.open_table(PLANS).unwrap().insert(3, versioned(1, &old).as_slice()).unwrap();
    tx.commit().unwrap();

    assert_eq!(migrate(&db, STEPS).unwrap(), 15);
    let tx = db.begin_read().unwrap();
    assert_eq!(read_version(&tx).unwrap(), SCHEMA_VERSION);
    let p: PlanRecord = decode(tx.open_table(PLANS).unwrap().get(3).unwrap().unwrap().value()).unwrap();
    assert_eq!(
        (
            p.id,
            p.name.as_str(),
            p.spec,
            p.monthly_price,
            p.hourly_price,
            p.enabled,
            p.created_at,
            p.cpu,
            p.port
        ),
        (
            old.id,
            "s-2",
            old.spec,
            old.monthly_price,
            old.hourly_price,
            false,
            old.created_at,
            CpuLimits::default(),
            None
        )
    );
}
