//! Tests of the runner and of each step on files in the older shapes.

/// A value encoded as a record of schema `version` was (its version byte, then postcard).
pub(super) fn versioned<T: serde::Serialize>(version: u8, value: &T) -> Vec<u8> {
    let mut out = vec![version];
    out.extend(postcard::to_stdvec(value).unwrap());
    out
}

#[cfg(test)]
mod runner {
    use super::super::*;
    use crate::store::tables::SETTINGS;

    fn mem_db() -> Database {
        Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap()
    }

    fn version(db: &Database) -> u64 {
        use redb::ReadableDatabase;
        read_version(&db.begin_read().unwrap()).unwrap()
    }

    fn step_marker(tx: &WriteTransaction) -> Result<(), StoreError> {
        tx.open_table(SETTINGS)?.insert("migrated", b"yes".as_slice())?;
        Ok(())
    }

    fn failing_step(_tx: &WriteTransaction) -> Result<(), StoreError> {
        Err(StoreError::Corrupt { kind: "test", reason: "boom".into() })
    }

    #[test]
    fn fresh_file_gets_current_version() {
        let db = mem_db();
        assert_eq!(migrate(&db, STEPS).unwrap(), 0);
        assert_eq!(version(&db), SCHEMA_VERSION);
        assert_eq!(migrate(&db, STEPS).unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn steps_run_in_order_once() {
        let db = mem_db();
        migrate(&db, &[]).unwrap();
        let steps = [Step { from: SCHEMA_VERSION, describe: "add marker", apply: step_marker }];
        assert_eq!(migrate(&db, &steps).unwrap(), SCHEMA_VERSION);
        assert_eq!(version(&db), SCHEMA_VERSION + 1);
        use redb::ReadableDatabase;
        let tx = db.begin_read().unwrap();
        let t = tx.open_table(SETTINGS).unwrap();
        assert_eq!(t.get("migrated").unwrap().unwrap().value(), b"yes");
        // Opening with an older binary (no steps) is refused.
        let err = migrate(&db, &[]).unwrap_err();
        assert!(
            matches!(err, StoreError::NewerSchema { found, supported } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION)
        );
    }

    #[test]
    fn failed_step_leaves_old_version() {
        let db = mem_db();
        migrate(&db, &[]).unwrap();
        let steps = [Step { from: SCHEMA_VERSION, describe: "fails", apply: failing_step }];
        assert!(migrate(&db, &steps).is_err());
        assert_eq!(version(&db), SCHEMA_VERSION);
    }
}

#[cfg(test)]
pub(super) use v1_tests::vm;

#[cfg(test)]
mod v1_tests {
    use redb::{MultimapTableHandle, ReadableDatabase};

    use super::super::*;
    use crate::domain::account::UserId;
    use crate::domain::catalog::{PlanId, PlanSpec, TemplateId};
    use crate::domain::time::Timestamp;
    use crate::domain::vm::{PowerState, VmId};
    use crate::store::codec::encode;
    use crate::store::records::{VmListRecord, VmPhase, VmRecord};
    use crate::store::tables::{OWNER_VMS, VMS};

    pub(in crate::store::migrate) fn vm(id: u64, owner: u64, phase: VmPhase) -> VmRecord {
        VmRecord {
            id: VmId(id),
            uuid: uuid::Uuid::new_v4(),
            owner: UserId(owner),
            hostname: format!("vm{id}"),
            plan: PlanId(1),
            plan_name: "small".into(),
            spec: PlanSpec { vcpus: 2, memory_mib: 1024, disk_gb: 20, ipv4: 1 },
            template: TemplateId(1),
            template_name: "debian".into(),
            ssh_keys: vec![],
            root_password_hash: None,
            phase,
            power: PowerState::Running,
            suspended: false,
            shutdown_requested_at: Some(Timestamp::from_secs(5)),
            created_at: Timestamp::from_secs(1),
            updated_at: Timestamp::from_secs(2),
        }
    }

    #[test]
    fn v1_vms_get_owner_list_entries_and_the_old_index_goes() {
        let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
        // A v1 file: VM records and the id index `user_vms`, no `owner_vms`.
        const USER_VMS_V1: redb::MultimapTableDefinition<u64, u64> =
            redb::MultimapTableDefinition::new("user_vms");
        let records = [
            vm(1, 7, VmPhase::Ready),
            vm(2, 8, VmPhase::Creating),
            vm(3, 7, VmPhase::Failed { code: "VM0001".into(), message: "no".into() }),
        ];
        let tx = db.begin_write().unwrap();
        tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 1).unwrap();
        for r in &records {
            tx.open_table(VMS).unwrap().insert(r.id.0, encode(r).unwrap().as_slice()).unwrap();
            tx.open_multimap_table(USER_VMS_V1).unwrap().insert(r.owner.0, r.id.0).unwrap();
        }
        tx.commit().unwrap();

        assert_eq!(migrate(&db, STEPS).unwrap(), 1);
        let tx = db.begin_read().unwrap();
        assert_eq!(read_version(&tx).unwrap(), SCHEMA_VERSION);
        let list = tx.open_table(OWNER_VMS).unwrap();
        let seven = crate::store::vms::owned(&list, UserId(7)).unwrap();
        assert_eq!(
            seven,
            vec![VmListRecord::of(&records[0], &[], None), VmListRecord::of(&records[2], &[], None)]
        );
        assert!(seven[0].shutting_down);
        let mut views = Vec::new();
        crate::store::vms::visit_owned(&list, UserId(7), None, |v| {
            views.push(format!("{v:?}"));
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
        let expected: Vec<_> =
            seven.iter().map(|r| format!("{:?}", crate::store::records::VmListView::from(r))).collect();
        assert_eq!(views, expected, "a view reads the same fields as the record");
        let all = crate::store::vms::all(&list).unwrap();
        assert_eq!(all.iter().map(|(o, v)| (o.0, v.id.0)).collect::<Vec<_>>(), [(7, 1), (8, 2), (7, 3)]);
        assert!(tx.list_multimap_tables().unwrap().all(|t| t.name() != "user_vms"));
    }
}

#[cfg(test)]
mod v2_tests {
    use redb::ReadableDatabase;

    use super::super::*;
    use crate::domain::account::UserId;
    use crate::domain::quota::Amounts;
    use crate::domain::time::Timestamp;
    use crate::store::codec::decode;
    use crate::store::records::{QuotaRecord, QuotaRequestRecord, RequestStatus};
    use crate::store::tables::{QUOTA_REQUESTS, QUOTAS};

    #[test]
    fn v2_quotas_gain_a_private_network_limit() {
        let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
        // Version 1 records: six amounts (vms, vcpus, memory, disk, ipv4, backups).
        let six = (5u64, 8u64, 16384u64, 200u64, 4u64, 20u64);
        let mut limits = vec![1u8];
        limits.extend(postcard::to_stdvec(&six).unwrap());
        let request_v1 = (
            3u64,
            UserId(7),
            (6u64, 8u64, 16384u64, 300u64, 4u64, 20u64),
            "more disk".to_string(),
            RequestStatus::Pending,
            Timestamp::from_secs(10),
            None::<(Timestamp, UserId)>,
        );
        let mut request = vec![1u8];
        request.extend(postcard::to_stdvec(&request_v1).unwrap());
        let tx = db.begin_write().unwrap();
        tables::create_all(&tx).unwrap();
        tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 2).unwrap();
        tx.open_table(QUOTAS).unwrap().insert(7, limits.as_slice()).unwrap();
        tx.open_table(QUOTA_REQUESTS).unwrap().insert(3, request.as_slice()).unwrap();
        tx.commit().unwrap();

        assert_eq!(migrate(&db, STEPS).unwrap(), 2);
        let tx = db.begin_read().unwrap();
        let q: QuotaRecord = decode(tx.open_table(QUOTAS).unwrap().get(7).unwrap().unwrap().value()).unwrap();
        let expected = Amounts {
            vms: 5,
            vcpus: 8,
            memory_mib: 16384,
            disk_gb: 200,
            ipv4: 4,
            backups: 20,
            private_networks: 2,
            backup_gb: 100,
            snapshots: 3,
            iso_gb: 10,
        };
        assert_eq!(q.limits, expected);
        let r: QuotaRequestRecord =
            decode(tx.open_table(QUOTA_REQUESTS).unwrap().get(3).unwrap().unwrap().value()).unwrap();
        assert_eq!((r.id, r.owner, r.wanted.disk_gb, r.wanted.private_networks), (3, UserId(7), 300, 0));
        assert_eq!((r.reason.as_str(), r.status), ("more disk", RequestStatus::Pending));
    }
}

#[cfg(test)]
mod v3_tests {
    use redb::ReadableDatabase;

    use super::super::*;
    use crate::domain::account::UserId;
    use crate::domain::backup::Kind;
    use crate::domain::catalog::TemplateId;
    use crate::domain::time::Timestamp;
    use crate::domain::vm::VmId;
    use crate::store::backups::{BackupFile, BackupRecord, BackupState};
    use crate::store::codec::{decode, encode};
    use crate::store::records::{QuotaRecord, QuotaRequestRecord, RequestStatus, VmPhase};
    use crate::store::tables::{BACKUPS, QUOTA_REQUESTS, QUOTAS, VMS};

    use super::versioned;

    #[test]
    fn v3_quotas_gain_backup_storage_and_backups_their_template() {
        let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
        let seven = (5u64, 8u64, 16384u64, 200u64, 4u64, 20u64, 3u64);
        let request = (
            4u64,
            UserId(7),
            (5u64, 8u64, 16384u64, 200u64, 4u64, 30u64, 3u64),
            "more backups".to_string(),
            RequestStatus::Approved,
            Timestamp::from_secs(10),
            Some((Timestamp::from_secs(11), UserId(1))),
        );
        let file = BackupFile {
            target: "vda".into(),
            disk: None,
            name: "b1-vda.qcow2".into(),
            bytes: 123,
            sha256: "ab".into(),
        };
        let backup_v1 = |id: u64, vm: u64| {
            (
                id,
                VmId(vm),
                UserId(7),
                format!("vm{vm}"),
                Some(2u64),
                None::<u64>,
                Kind::Full,
                true,
                Some(format!("vpsbox-b{id}")),
                BackupState::Done,
                Timestamp::from_secs(20),
                Some(Timestamp::from_secs(30)),
                vec![file.clone()],
            )
        };
        let tx = db.begin_write().unwrap();
        tables::create_all(&tx).unwrap();
        tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 3).unwrap();
        tx.open_table(QUOTAS).unwrap().insert(7, versioned(2, &seven).as_slice()).unwrap();
        tx.open_table(QUOTA_REQUESTS).unwrap().insert(4, versioned(2, &request).as_slice()).unwrap();
        let live = super::v1_tests::vm(9, 7, VmPhase::Ready);
        tx.open_table(VMS).unwrap().insert(9, encode(&live).unwrap().as_slice()).unwrap();
        tx.open_table(BACKUPS).unwrap().insert(1, versioned(1, &backup_v1(1, 9)).as_slice()).unwrap();
        tx.open_table(BACKUPS).unwrap().insert(2, versioned(1, &backup_v1(2, 5)).as_slice()).unwrap();
        tx.commit().unwrap();

        assert_eq!(migrate(&db, STEPS).unwrap(), 3);
        let tx = db.begin_read().unwrap();
        let q: QuotaRecord = decode(tx.open_table(QUOTAS).unwrap().get(7).unwrap().unwrap().value()).unwrap();
        assert_eq!((q.limits.backups, q.limits.private_networks), (20, 3));
        assert_eq!(q.limits.backup_gb, 100, "the value frozen in the step");
        let r: QuotaRequestRecord =
            decode(tx.open_table(QUOTA_REQUESTS).unwrap().get(4).unwrap().unwrap().value()).unwrap();
        assert_eq!((r.wanted.backups, r.wanted.backup_gb, r.status), (30, 0, RequestStatus::Approved));
        let t = tx.open_table(BACKUPS).unwrap();
        let b1: BackupRecord = decode(t.get(1).unwrap().unwrap().value()).unwrap();
        assert_eq!((b1.template, b1.template_name.as_str()), (TemplateId(1), "debian"));
        assert_eq!(
            (b1.hostname.as_str(), b1.files.clone(), b1.schedule),
            ("vm9", vec![file.clone()], Some(2))
        );
        let b2: BackupRecord = decode(t.get(2).unwrap().unwrap().value()).unwrap();
        assert_eq!((b2.template, b2.template_name.as_str()), (TemplateId(0), ""), "its server is gone");
        assert_eq!(b2.checkpoint.as_deref(), Some("vpsbox-b2"));
    }

    #[test]
    fn v5_templates_keep_root_only() {
        use crate::domain::catalog::OsFamily;
        use crate::domain::vm::ImageFormat;
        use crate::store::records::TemplateRecord;
        use crate::store::tables::TEMPLATES;

        let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
        let v1 = (
            TemplateId(3),
            "debian-12".to_string(),
            OsFamily::Linux,
            ImageFormat::Qcow2,
            2u64 << 30,
            300u64 << 20,
            "ab".repeat(32),
            2u32,
            true,
            "tpl-x.qcow2".to_string(),
            Timestamp::from_secs(40),
        );
        let tx = db.begin_write().unwrap();
        tables::create_all(&tx).unwrap();
        tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 5).unwrap();
        tx.open_table(TEMPLATES).unwrap().insert(3, versioned(1, &v1).as_slice()).unwrap();
        tx.commit().unwrap();
        migrate(&db, STEPS).unwrap();
        assert_eq!(read_version(&db.begin_read().unwrap()).unwrap(), SCHEMA_VERSION);
        let tx = db.begin_read().unwrap();
        let t: TemplateRecord =
            decode(tx.open_table(TEMPLATES).unwrap().get(3).unwrap().unwrap().value()).unwrap();
        assert_eq!(
            (t.name.as_str(), t.min_disk_gb, t.file.as_str(), t.login_user),
            ("debian-12", 2, "tpl-x.qcow2", None)
        );
    }

    #[test]
    fn a_v1_file_is_brought_through_every_step() {
        let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
        let six = (5u64, 8u64, 16384u64, 200u64, 4u64, 20u64);
        let tx = db.begin_write().unwrap();
        tables::create_all(&tx).unwrap();
        tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 2).unwrap();
        tx.open_table(QUOTAS).unwrap().insert(7, versioned(1, &six).as_slice()).unwrap();
        tx.commit().unwrap();
        assert_eq!(migrate(&db, STEPS).unwrap(), 2);
        let tx = db.begin_read().unwrap();
        let q: QuotaRecord = decode(tx.open_table(QUOTAS).unwrap().get(7).unwrap().unwrap().value()).unwrap();
        assert_eq!((q.limits.disk_gb, q.limits.backups), (200, 20));
        assert_eq!(q.limits.backup_gb, 100, "the value frozen in the step");
    }

    #[test]
    fn v6_audit_entries_are_indexed_by_resource() {
        use crate::domain::account::UserId;
        use crate::store::tables::{AUDIT, RESOURCE_AUDIT};
        #[derive(serde::Serialize)]
        struct AuditV1 {
            seq: u64,
            at: Timestamp,
            actor: Option<UserId>,
            ip: String,
            owner: UserId,
            resource: String,
            action: String,
            detail: String,
        }
        let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
        let entry = |seq: u64, resource: &str| AuditV1 {
            seq,
            at: Timestamp::from_secs(seq as i64),
            actor: Some(UserId(1)),
            ip: "192.0.2.1".into(),
            owner: UserId(1),
            resource: resource.into(),
            action: "vm.start".into(),
            detail: String::new(),
        };
        let tx = db.begin_write().unwrap();
        tables::create_all(&tx).unwrap();
        tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 6).unwrap();
        for (seq, res) in [(1, "vm:1"), (2, "vm:2"), (3, "vm:1"), (4, "support:1")] {
            tx.open_table(AUDIT).unwrap().insert(seq, versioned(1, &entry(seq, res)).as_slice()).unwrap();
        }
        tx.commit().unwrap();
        assert_eq!(migrate(&db, STEPS).unwrap(), 6);
        let tx = db.begin_read().unwrap();
        let idx = tx.open_multimap_table(RESOURCE_AUDIT).unwrap();
        let of = |r: &str| idx.get(r).unwrap().map(|s| s.unwrap().value()).collect::<Vec<_>>();
        assert_eq!((of("vm:1"), of("vm:2"), of("support:1")), (vec![1, 3], vec![2], vec![4]));
    }

    #[test]
    fn v7_the_ledger_gets_its_rows() {
        use crate::domain::account::UserId;
        use crate::domain::money::Money;
        use crate::store::billing::{EntryKind, LedgerEntry, RowKind, rows_of};
        use crate::store::tables::{LEDGER, LEDGER_ROWS};
        let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
        let h0 = 24 * 20_000;
        let entry = |seq: u64, kind: EntryKind, amount: i64, balance: i64| LedgerEntry {
            seq,
            at: Timestamp::from_secs(0),
            kind,
            amount: Money(amount),
            balance: Money(balance),
        };
        let tx = db.begin_write().unwrap();
        tables::create_all(&tx).unwrap();
        tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 7).unwrap();
        {
            let mut t = tx.open_table(LEDGER).unwrap();
            let charge = |h| EntryKind::Charge { hour: h, lines: vec![] };
            let rows = [
                entry(1, EntryKind::TopUp { reference: "r".into(), by: None }, 100, 100),
                entry(2, charge(h0), -5, 95),
                entry(3, charge(h0 + 1), -5, 90),
            ];
            for e in rows {
                t.insert((9, e.seq), versioned(1, &e).as_slice()).unwrap();
            }
        }
        tx.commit().unwrap();
        assert_eq!(migrate(&db, STEPS).unwrap(), 7);
        let tx = db.begin_read().unwrap();
        let rows = rows_of(&tx.open_table(LEDGER_ROWS).unwrap(), UserId(9), None, 10).unwrap();
        assert_eq!(rows.len(), 2);
        assert!(matches!(
            rows[0].kind,
            RowKind::Day { hours: 2, amount: Money(-10), balance: Money(90), .. }
        ));
        assert_eq!((rows[0].first, rows[0].last, rows[1].first), (2, 3, 1));
    }

    #[test]
    fn v8_each_vms_addresses_are_kept_ready() {
        use crate::domain::ipam::{Cidr, PoolId, PoolSpec, Unit};
        use crate::domain::vm::VmId;
        use crate::store::addresses::read_into;
        use crate::store::records::PoolRecord;
        use crate::store::tables::{IP_POOLS, VM_ADDRESSES, VM_IPS};
        let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
        let pool = |id: u64, net: &str, gw: &str, unit: Unit| PoolRecord {
            id: PoolId(id),
            name: format!("p{id}"),
            spec: PoolSpec {
                network: Cidr::parse(net).unwrap(),
                gateway: gw.parse().unwrap(),
                range: None,
                excluded: vec![],
                dns: vec![],
                unit,
            },
            created_at: Timestamp::from_secs(0),
        };
        let tx = db.begin_write().unwrap();
        tables::create_all(&tx).unwrap();
        tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 8).unwrap();
        {
            let mut pools = tx.open_table(IP_POOLS).unwrap();
            // The IPv6 pool has the lower id: the list still shows IPv4 first.
            pools
                .insert(1, versioned(1, &pool(1, "2001:db8::/48", "2001:db8::1", Unit::Prefix64)).as_slice())
                .unwrap();
            pools
                .insert(
                    2,
                    versioned(1, &pool(2, "198.51.100.0/24", "198.51.100.1", Unit::Address)).as_slice(),
                )
                .unwrap();
            let mut index = tx.open_multimap_table(VM_IPS).unwrap();
            // Units are the addresses (or /64 prefixes) as numbers.
            let v4 = |a: &str| u128::from(u32::from(a.parse::<std::net::Ipv4Addr>().unwrap()));
            let v6 = u128::from("2001:db8:0:3::".parse::<std::net::Ipv6Addr>().unwrap()) >> 64;
            let units = [
                (5, 2, v4("198.51.100.9")),
                (5, 1, v6),
                (5, 2, v4("198.51.100.7")),
                (6, 2, v4("198.51.100.10")),
            ];
            for (vm, p, unit) in units {
                index.insert(vm, (p, unit)).unwrap();
            }
        }
        tx.commit().unwrap();
        assert_eq!(migrate(&db, STEPS).unwrap(), 8);
        let tx = db.begin_read().unwrap();
        let kept = tx.open_table(VM_ADDRESSES).unwrap();
        let mut out = Vec::new();
        read_into(&kept, VmId(5), &mut out).unwrap();
        let want: Vec<std::net::IpAddr> =
            ["198.51.100.7", "198.51.100.9", "2001:db8:0:3::1"].iter().map(|a| a.parse().unwrap()).collect();
        assert_eq!(out, want);
        read_into(&kept, VmId(6), &mut out).unwrap();
        assert_eq!(out, vec!["198.51.100.10".parse::<std::net::IpAddr>().unwrap()]);
        read_into(&kept, VmId(7), &mut out).unwrap();
        assert!(out.is_empty());
    }

    #[test]
    fn v10_support_requests_were_filed_in_the_cabinet() {
        use crate::domain::account::UserId;
        use crate::domain::support::{Category, Status};
        use crate::domain::support_hours::Channel;
        use crate::store::codec::decode;
        use crate::store::support::SupportRecord;
        use crate::store::tables::SUPPORT;
        #[derive(serde::Serialize)]
        struct SupportV1 {
            id: u64,
            owner: UserId,
            category: Category,
            subject: String,
            status: Status,
            vms: Vec<VmId>,
            created_at: Timestamp,
            due: Option<Timestamp>,
            first_response: Option<Timestamp>,
            breached: bool,
            risk_alerted: bool,
            messages: u32,
            incident: Option<u64>,
            updated_at: Timestamp,
        }
        let db = Database::builder().create_with_backend(redb::backends::InMemoryBackend::new()).unwrap();
        let tx = db.begin_write().unwrap();
        tables::create_all(&tx).unwrap();
        tx.open_table(META).unwrap().insert(META_SCHEMA_VERSION, 10).unwrap();
        let old = SupportV1 {
            id: 4,
            owner: UserId(2),
            category: Category::HardReboot,
            subject: "stuck".into(),
            status: Status::Open,
            vms: vec![VmId(7)],
            created_at: Timestamp::from_secs(100),
            due: Some(Timestamp::from_secs(700)),
            first_response: None,
            breached: false,
            risk_alerted: true,
            messages: 1,
            incident: None,
            updated_at: Timestamp::from_secs(100),
        };
        tx.open_table(SUPPORT).unwrap().insert(4, versioned(1, &old).as_slice()).unwrap();
        tx.commit().unwrap();
        assert_eq!(migrate(&db, STEPS).unwrap(), 10);
        let tx = db.begin_read().unwrap();
        let r: SupportRecord =
            decode(tx.open_table(SUPPORT).unwrap().get(4).unwrap().unwrap().value()).unwrap();
        assert_eq!(
            (r.id, r.owner, r.subject.as_str(), r.vms.clone()),
            (4, UserId(2), "stuck", vec![VmId(7)])
        );
        assert_eq!((r.due, r.risk_alerted, r.messages), (Some(Timestamp::from_secs(700)), true, 1));
        assert_eq!((r.channel, r.target_mins, r.due_mins), (Channel::Cabinet, 10, 10));
    }
}
