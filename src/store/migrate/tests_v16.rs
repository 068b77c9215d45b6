//! The schema-16 step: quotas, quota requests and trials gain snapshot and own-ISO limits.

use redb::ReadableDatabase;

use super::steps_v16::{AmountsV3, RequestV3, TrialV1, V16_ISO_GB, V16_SNAPSHOTS};
use super::tests::versioned;
use super::*;
use crate::domain::account::UserId;
use crate::domain::time::Timestamp;
use crate::store::codec::decode;
use crate::store::records::{QuotaRecord, QuotaRequestRecord, RequestStatus};
use crate::store::tables::{QUOTA_REQUESTS, QUOTAS, TRIALS};
use crate::store::trials::{TrialRecord, TrialState};

fn amounts(vms: u64) -> AmountsV3 {
    AmountsV3 {
        vms,
        vcpus: 4,
        memory_mib: 4096,
        disk_gb: 50,
        ipv4: 2,
        backups: 5,
        private_networks: 1,
        backup_gb: 40,
    }
}

#[test]
fn v16_limits_get_the_frozen_default_requests_none_trials_theirs() {
    let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
    let at = Timestamp::from_secs(1_790_000_000);
    let request = RequestV3 {
        id: 4,
        owner: UserId(7),
        wanted: amounts(9),
        reason: "more servers".into(),
        status: RequestStatus::Pending,
        created_at: at,
        decided: None,
    };
    let trial = TrialV1 {
        owner: UserId(7),
        requested_at: at,
        note: "trying".into(),
        state: TrialState::Active { started_at: at, ends_at: Timestamp::from_secs(1_790_259_200) },
        decided: Some((at, None)),
        days: 3,
        quota: amounts(1),
        previous_limits: Some(amounts(3)),
        notified: vec![24],
    };
    let tx = db.begin_write().unwrap();
    tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 16).unwrap();
    tx.open_table(QUOTAS).unwrap().insert(7, versioned(3, &amounts(3)).as_slice()).unwrap();
    tx.open_table(QUOTA_REQUESTS).unwrap().insert(4, versioned(3, &request).as_slice()).unwrap();
    tx.open_table(TRIALS).unwrap().insert(7, versioned(1, &trial).as_slice()).unwrap();
    tx.commit().unwrap();

    assert_eq!(migrate(&db, STEPS).unwrap(), 16);
    let tx = db.begin_read().unwrap();
    assert_eq!(read_version(&tx).unwrap(), SCHEMA_VERSION);
    let q: QuotaRecord = decode(tx.open_table(QUOTAS).unwrap().get(7).unwrap().unwrap().value()).unwrap();
    assert_eq!(q.limits, amounts(3).with((V16_SNAPSHOTS, V16_ISO_GB)));
    assert_eq!((q.limits.snapshots, q.limits.iso_gb), (3, 10));
    let r: QuotaRequestRecord =
        decode(tx.open_table(QUOTA_REQUESTS).unwrap().get(4).unwrap().unwrap().value()).unwrap();
    assert_eq!(
        (r.wanted, r.reason.as_str(), r.status),
        (amounts(9).with((0, 0)), "more servers", RequestStatus::Pending)
    );
    let t: TrialRecord = decode(tx.open_table(TRIALS).unwrap().get(7).unwrap().unwrap().value()).unwrap();
    assert_eq!((t.quota.snapshots, t.quota.iso_gb, t.quota.vms), (1, 2, 1));
    assert_eq!(t.previous_limits, Some(amounts(3).with((V16_SNAPSHOTS, V16_ISO_GB))));
    assert_eq!((t.state, t.notified, t.days, t.note.as_str()), (trial.state, vec![24], 3, "trying"));
}
