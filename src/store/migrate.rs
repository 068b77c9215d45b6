//! Schema versions and the migration runner. A fresh file is created at [`SCHEMA_VERSION`]; an
//! older file is brought forward by running each step from its version, all in one write
//! transaction, so a crash mid-migration leaves the old version intact.
//!
//! Tables added by a newer binary are created on every open (see `tables::create_all`), so a
//! new table needs no version bump; the version changes when stored records change shape.

use redb::{Database, ReadTransaction, WriteTransaction};

use super::StoreError;
use super::tables::{self, META, META_SCHEMA_VERSION};

/// The schema version this binary writes.
pub const SCHEMA_VERSION: u64 = 5;

/// One migration: upgrades a file from `from` to `from + 1`.
pub struct Step {
    /// Version the step starts from.
    pub from: u64,
    /// What it does, for the log.
    pub describe: &'static str,
    /// The change itself, inside the migration's write transaction.
    pub apply: fn(&WriteTransaction) -> Result<(), StoreError>,
}

/// The steps of this binary, in order.
pub const STEPS: &[Step] = &[
    Step { from: 1, describe: "keep each owner's VM list beside the VM records", apply: v1_owner_vm_list },
    Step { from: 2, describe: "quotas gain a limit on private networks", apply: v2_private_network_quota },
    Step {
        from: 3,
        describe: "quotas gain a backup storage limit; backups keep their server's OS template",
        apply: v3_backup_storage,
    },
    Step {
        from: 4,
        describe: "billing: usage of existing resources and the plans' prices",
        apply: v4_billing,
    },
];

/// Version 4 had no billing. Every VM, extra disk and backup gets its usage interval (metering
/// starts at the first tick after the upgrade, so no hour before it is charged), and each
/// plan's prices apply from the start.
fn v4_billing(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;

    use super::codec::decode;
    use super::holdings::Kind;
    use super::records::{PlanRecord, VmRecord};
    use super::tables::{OWNER_HOLDINGS, PLANS, VMS};
    use crate::domain::account::UserId;
    use crate::domain::billing::{Item, Price};
    use crate::domain::time::Timestamp;

    let plans: Vec<PlanRecord> = {
        let t = tx.open_table(PLANS)?;
        t.iter()?
            .map(|r| r.map_err(StoreError::from).and_then(|(_, v)| decode(v.value())))
            .collect::<Result<_, _>>()?
    };
    for p in &plans {
        let price = Price { monthly: p.monthly_price, hourly: p.hourly_price };
        super::billing::set_price(tx, Item::Plan(p.id), 0, price, p.created_at)?;
    }
    let vms: Vec<VmRecord> = {
        let t = tx.open_table(VMS)?;
        t.iter()?
            .map(|r| r.map_err(StoreError::from).and_then(|(_, v)| decode(v.value())))
            .collect::<Result<_, _>>()?
    };
    for vm in &vms {
        super::vms::put(tx, vm)?;
    }
    let held: Vec<(u64, u8, u64, u64)> = {
        let t = tx.open_table(OWNER_HOLDINGS)?;
        t.iter()?
            .map(|r| r.map(|(k, v)| (k.value().0, k.value().1, k.value().2, v.value())))
            .collect::<Result<_, _>>()?
    };
    for (owner, kind, id, amount) in held {
        let kind = match kind {
            1 => Kind::Network,
            2 => Kind::Disk,
            _ => Kind::Backup,
        };
        super::holdings::put(tx, Timestamp::from_secs(0), UserId(owner), kind, id, amount)?;
    }
    tracing::info!(plans = plans.len(), vms = vms.len(), "billing set up for existing resources");
    Ok(())
}

/// A record stored at `version` (an older shape than the current one), decoded as `T`.
fn old_record<'a, T: serde::Deserialize<'a>>(
    kind: &'static str,
    version: u8,
    bytes: &'a [u8],
) -> Result<T, StoreError> {
    match bytes.split_first() {
        Some((v, body)) if *v == version => {
            postcard::from_bytes(body).map_err(|e| StoreError::Corrupt { kind, reason: e.to_string() })
        }
        _ => Err(StoreError::Corrupt { kind, reason: format!("expected a version {version} record") }),
    }
}

/// Version 1 indexed an owner's VMs by id only (`user_vms`); version 2 keeps a compact list
/// entry per VM under `(owner, id)` (`owner_vms`).
fn v1_owner_vm_list(tx: &WriteTransaction) -> Result<(), StoreError> {
    const USER_VMS_V1: redb::MultimapTableDefinition<u64, u64> =
        redb::MultimapTableDefinition::new("user_vms");
    let n = super::vms::rebuild_list(tx)?;
    tx.delete_multimap_table(USER_VMS_V1)?;
    tracing::info!(vms = n, "VM list entries written");
    Ok(())
}

/// Version 2 quota limits and requests had no `private_networks`. Stored limits get the
/// built-in default, so accounts an admin had set limits for are not locked out of the feature;
/// requests get 0 (nothing asked: approval raises each limit to at most what was asked).
fn v2_private_network_quota(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;
    use serde::Deserialize;

    use super::codec::encode;
    use super::records::{QuotaRecord, QuotaRequestRecord};
    use super::tables::{QUOTA_REQUESTS, QUOTAS};
    use crate::domain::quota::Amounts;

    #[derive(Deserialize)]
    struct AmountsV1 {
        vms: u64,
        vcpus: u64,
        memory_mib: u64,
        disk_gb: u64,
        ipv4: u64,
        backups: u64,
    }
    impl AmountsV1 {
        fn with(self, private_networks: u64, backup_gb: u64) -> Amounts {
            let AmountsV1 { vms, vcpus, memory_mib, disk_gb, ipv4, backups } = self;
            Amounts { vms, vcpus, memory_mib, disk_gb, ipv4, backups, private_networks, backup_gb }
        }
    }
    #[derive(Deserialize)]
    struct RequestV1 {
        id: u64,
        owner: crate::domain::account::UserId,
        wanted: AmountsV1,
        reason: String,
        status: super::records::RequestStatus,
        created_at: crate::domain::time::Timestamp,
        decided: Option<(crate::domain::time::Timestamp, crate::domain::account::UserId)>,
    }
    let defaults = crate::config::QuotaConfig::default();
    let mut quotas = tx.open_table(QUOTAS)?;
    let mut rows = Vec::new();
    for row in quotas.iter()? {
        let (k, v) = row?;
        let limits: AmountsV1 = old_record("quota", 1, v.value())?;
        let limits = limits.with(defaults.private_networks, defaults.backup_gb);
        rows.push((k.value(), encode(&QuotaRecord { limits })?));
    }
    for (k, v) in &rows {
        quotas.insert(*k, v.as_slice())?;
    }
    let mut requests = tx.open_table(QUOTA_REQUESTS)?;
    let mut rows = Vec::new();
    for row in requests.iter()? {
        let (k, v) = row?;
        let r: RequestV1 = old_record("quota_request", 1, v.value())?;
        let record = QuotaRequestRecord {
            id: r.id,
            owner: r.owner,
            wanted: r.wanted.with(0, 0),
            reason: r.reason,
            status: r.status,
            created_at: r.created_at,
            decided: r.decided,
        };
        rows.push((k.value(), encode(&record)?));
    }
    for (k, v) in &rows {
        requests.insert(*k, v.as_slice())?;
    }
    tracing::info!(requests = rows.len(), "quota records rewritten");
    Ok(())
}

/// Version 3 quota limits and requests had no `backup_gb` (stored limits get the built-in
/// default, requests 0), and backup records did not keep the OS template of their server
/// (taken from the server's record; a server deleted already leaves it unknown, id 0).
/// Records already in the current shape (written by the step before in the same run) stay.
fn v3_backup_storage(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;
    use serde::Deserialize;

    use super::backups::{BackupFile, BackupRecord, BackupState};
    use super::codec::{Record, decode, encode};
    use super::records::{QuotaRecord, QuotaRequestRecord, VmRecord};
    use super::tables::{BACKUPS, QUOTA_REQUESTS, QUOTAS, VMS};
    use crate::domain::account::UserId;
    use crate::domain::catalog::TemplateId;
    use crate::domain::quota::Amounts;
    use crate::domain::time::Timestamp;
    use crate::domain::vm::VmId;

    #[derive(Deserialize)]
    struct AmountsV2 {
        vms: u64,
        vcpus: u64,
        memory_mib: u64,
        disk_gb: u64,
        ipv4: u64,
        backups: u64,
        private_networks: u64,
    }
    impl AmountsV2 {
        fn with(self, backup_gb: u64) -> Amounts {
            let AmountsV2 { vms, vcpus, memory_mib, disk_gb, ipv4, backups, private_networks } = self;
            Amounts { vms, vcpus, memory_mib, disk_gb, ipv4, backups, private_networks, backup_gb }
        }
    }
    #[derive(Deserialize)]
    struct RequestV2 {
        id: u64,
        owner: UserId,
        wanted: AmountsV2,
        reason: String,
        status: super::records::RequestStatus,
        created_at: Timestamp,
        decided: Option<(Timestamp, UserId)>,
    }
    #[derive(Deserialize)]
    struct BackupV1 {
        id: u64,
        vm: VmId,
        owner: UserId,
        hostname: String,
        schedule: Option<u64>,
        parent: Option<u64>,
        kind: crate::domain::backup::Kind,
        live: bool,
        checkpoint: Option<String>,
        state: BackupState,
        started_at: Timestamp,
        finished_at: Option<Timestamp>,
        files: Vec<BackupFile>,
    }
    fn is_current<R: Record>(bytes: &[u8]) -> bool {
        bytes.first() == Some(&R::VERSION)
    }

    let default_gb = crate::config::QuotaConfig::default().backup_gb;
    let mut quotas = tx.open_table(QUOTAS)?;
    let mut rows = Vec::new();
    for row in quotas.iter()? {
        let (k, v) = row?;
        if !is_current::<QuotaRecord>(v.value()) {
            let limits: AmountsV2 = old_record("quota", 2, v.value())?;
            rows.push((k.value(), encode(&QuotaRecord { limits: limits.with(default_gb) })?));
        }
    }
    for (k, v) in &rows {
        quotas.insert(*k, v.as_slice())?;
    }
    let mut requests = tx.open_table(QUOTA_REQUESTS)?;
    let mut rows = Vec::new();
    for row in requests.iter()? {
        let (k, v) = row?;
        if !is_current::<QuotaRequestRecord>(v.value()) {
            let r: RequestV2 = old_record("quota_request", 2, v.value())?;
            let record = QuotaRequestRecord {
                id: r.id,
                owner: r.owner,
                wanted: r.wanted.with(0),
                reason: r.reason,
                status: r.status,
                created_at: r.created_at,
                decided: r.decided,
            };
            rows.push((k.value(), encode(&record)?));
        }
    }
    for (k, v) in &rows {
        requests.insert(*k, v.as_slice())?;
    }
    let vms = tx.open_table(VMS)?;
    let mut backups = tx.open_table(BACKUPS)?;
    let mut rows = Vec::new();
    for row in backups.iter()? {
        let (k, v) = row?;
        if is_current::<BackupRecord>(v.value()) {
            continue;
        }
        let b: BackupV1 = old_record("backup", 1, v.value())?;
        let (template, template_name) = match vms.get(b.vm.0)? {
            Some(vm) => {
                let vm: VmRecord = decode(vm.value())?;
                (vm.template, vm.template_name)
            }
            None => (TemplateId(0), String::new()),
        };
        let record = BackupRecord {
            id: b.id,
            vm: b.vm,
            owner: b.owner,
            hostname: b.hostname,
            template,
            template_name,
            schedule: b.schedule,
            parent: b.parent,
            kind: b.kind,
            live: b.live,
            checkpoint: b.checkpoint,
            state: b.state,
            started_at: b.started_at,
            finished_at: b.finished_at,
            files: b.files,
        };
        rows.push((k.value(), encode(&record)?));
    }
    for (k, v) in &rows {
        backups.insert(*k, v.as_slice())?;
    }
    tracing::info!(backups = rows.len(), "quota and backup records rewritten");
    Ok(())
}

/// Read the schema version (0 for a file with no version record).
pub fn read_version(tx: &ReadTransaction) -> Result<u64, StoreError> {
    match tx.open_table(META) {
        Ok(t) => Ok(t.get(META_SCHEMA_VERSION)?.map(|v| v.value()).unwrap_or(0)),
        Err(redb::TableError::TableDoesNotExist(_)) => Ok(0),
        Err(e) => Err(e.into()),
    }
}

/// Bring the file to `1 + steps.last().from` (or [`SCHEMA_VERSION`] for a fresh file). Returns
/// the version it started from.
pub fn migrate(db: &Database, steps: &[Step]) -> Result<u64, StoreError> {
    use redb::ReadableDatabase;
    let target = steps.last().map(|s| s.from + 1).unwrap_or(SCHEMA_VERSION).max(SCHEMA_VERSION);
    let found = read_version(&db.begin_read()?)?;
    if found == target {
        if !tables::all_exist(&db.begin_read()?)? {
            let tx = db.begin_write()?;
            tables::create_all(&tx)?;
            tx.commit()?;
        }
        return Ok(found);
    }
    if found > target {
        return Err(StoreError::NewerSchema { found, supported: target });
    }
    let tx = db.begin_write()?;
    if found == 0 {
        tables::create_all(&tx)?;
    } else {
        for step in steps.iter().filter(|s| s.from >= found) {
            tracing::info!(from = step.from, to = step.from + 1, "migrating state file: {}", step.describe);
            (step.apply)(&tx)?;
        }
        tables::create_all(&tx)?;
    }
    tx.open_table(META)?.insert(META_SCHEMA_VERSION, target)?;
    tx.commit()?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
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
mod v1_tests {
    use redb::{MultimapTableHandle, ReadableDatabase};

    use super::*;
    use crate::domain::account::UserId;
    use crate::domain::catalog::{PlanId, PlanSpec, TemplateId};
    use crate::domain::time::Timestamp;
    use crate::domain::vm::{PowerState, VmId};
    use crate::store::codec::encode;
    use crate::store::records::{VmListRecord, VmPhase, VmRecord};
    use crate::store::tables::{OWNER_VMS, VMS};

    pub(super) fn vm(id: u64, owner: u64, phase: VmPhase) -> VmRecord {
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
        assert_eq!(seven, vec![VmListRecord::from(&records[0]), VmListRecord::from(&records[2])]);
        assert!(seven[0].shutting_down);
        let mut views = Vec::new();
        crate::store::vms::visit_owned(&list, UserId(7), |v| views.push(format!("{v:?}"))).unwrap();
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

    use super::*;
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
            private_networks: crate::config::QuotaConfig::default().private_networks,
            backup_gb: crate::config::QuotaConfig::default().backup_gb,
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

    use super::*;
    use crate::domain::account::UserId;
    use crate::domain::backup::Kind;
    use crate::domain::catalog::TemplateId;
    use crate::domain::time::Timestamp;
    use crate::domain::vm::VmId;
    use crate::store::backups::{BackupFile, BackupRecord, BackupState};
    use crate::store::codec::{decode, encode};
    use crate::store::records::{QuotaRecord, QuotaRequestRecord, RequestStatus, VmPhase};
    use crate::store::tables::{BACKUPS, QUOTA_REQUESTS, QUOTAS, VMS};

    fn versioned<T: serde::Serialize>(version: u8, value: &T) -> Vec<u8> {
        let mut out = vec![version];
        out.extend(postcard::to_stdvec(value).unwrap());
        out
    }

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
        assert_eq!(q.limits.backup_gb, crate::config::QuotaConfig::default().backup_gb);
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
        assert_eq!(q.limits.backup_gb, crate::config::QuotaConfig::default().backup_gb);
    }
}
