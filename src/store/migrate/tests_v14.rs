//! The schema-14 step: list entries gain their server's addresses and service id.

use redb::ReadableDatabase;
use serde::Serialize;

use super::tests::versioned;
use super::*;
use crate::domain::account::UserId;
use crate::domain::catalog::PlanSpec;
use crate::domain::time::Timestamp;
use crate::domain::vm::{PowerState, VmId};
use crate::store::codec::encode;
use crate::store::records::{VmListRecord, VmPhase};
use crate::store::tables::{OWNER_VMS, VM_ADDRESSES, VM_EXTERNAL, VMS};

/// A list entry as schema 14 stored it (version 1: no addresses, no service id).
#[derive(Serialize)]
struct EntryV1<'a> {
    id: VmId,
    hostname: &'a str,
    plan_name: &'a str,
    template_name: &'a str,
    spec: PlanSpec,
    phase: VmPhase,
    power: PowerState,
    suspended: bool,
    shutting_down: bool,
    updated_at: Timestamp,
}

#[test]
fn v14_list_entries_gain_addresses_and_service_ids() {
    let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
    let records = [super::tests::vm(1, 7, VmPhase::Ready), super::tests::vm(2, 8, VmPhase::Creating)];
    let tx = db.begin_write().unwrap();
    tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 14).unwrap();
    for r in &records {
        tx.open_table(VMS).unwrap().insert(r.id.0, encode(r).unwrap().as_slice()).unwrap();
        let old = EntryV1 {
            id: r.id,
            hostname: &r.hostname,
            plan_name: &r.plan_name,
            template_name: &r.template_name,
            spec: r.spec,
            phase: r.phase.clone(),
            power: r.power,
            suspended: r.suspended,
            shutting_down: true,
            updated_at: r.updated_at,
        };
        tx.open_table(OWNER_VMS).unwrap().insert((r.owner.0, r.id.0), versioned(1, &old).as_slice()).unwrap();
    }
    // VM 1: 198.51.100.7 and 2001:db8::7, packed as `VM_ADDRESSES` keeps them; service "whmcs-41".
    let mut packed = vec![4, 198, 51, 100, 7, 16];
    packed.extend_from_slice(&"2001:db8::7".parse::<std::net::Ipv6Addr>().unwrap().octets());
    tx.open_table(VM_ADDRESSES).unwrap().insert(1, packed.as_slice()).unwrap();
    tx.open_table(VM_EXTERNAL).unwrap().insert(1, "whmcs-41").unwrap();
    tx.commit().unwrap();

    assert_eq!(migrate(&db, STEPS).unwrap(), 14);
    let tx = db.begin_read().unwrap();
    assert_eq!(read_version(&tx).unwrap(), SCHEMA_VERSION);
    let list = tx.open_table(OWNER_VMS).unwrap();
    let seven = crate::store::vms::owned(&list, UserId(7)).unwrap();
    assert_eq!(seven.len(), 1);
    assert_eq!(seven[0].addresses, "198.51.100.7 2001:db8::7");
    assert_eq!(seven[0].external.as_deref(), Some("whmcs-41"));
    assert_eq!(seven[0].hostname, "vm1");
    let eight = crate::store::vms::owned(&list, UserId(8)).unwrap();
    assert_eq!(eight, vec![VmListRecord::of(&records[1], &[], None)], "no addresses, no service id");
}
