//! The migration steps, one function per schema version they upgrade from.

use redb::WriteTransaction;

use super::steps_v16::{V16_ISO_GB, V16_SNAPSHOTS};
use crate::store::StoreError;

/// The private-network limit a quota written before schema 3 gets: the built-in default when
/// the step was written, frozen here (a later change of the default must not change what this
/// migration writes).
const V2_PRIVATE_NETWORKS: u64 = 2;

/// The backup-storage limit (GiB) a quota written before schema 4 gets, frozen likewise.
const V3_BACKUP_GB: u64 = 100;

/// Version 4 had no billing. Every VM, extra disk and backup gets its usage interval (metering
/// starts at the first tick after the upgrade, so no hour before it is charged), and each
/// plan's prices apply from the start.
pub(super) fn v4_billing(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;

    use crate::domain::account::UserId;
    use crate::domain::billing::{Item, Price};
    use crate::domain::time::Timestamp;
    use crate::store::codec::decode;
    use crate::store::holdings::Kind;
    use crate::store::records::VmRecord;
    use crate::store::tables::{OWNER_HOLDINGS, PLANS, VMS};

    let plans: Vec<PlanV1> = {
        let t = tx.open_table(PLANS)?;
        t.iter()?
            .map(|r| r.map_err(StoreError::from).and_then(|(_, v)| old_record("plan", 1, v.value())))
            .collect::<Result<_, _>>()?
    };
    for p in &plans {
        let price = Price { monthly: p.monthly_price, hourly: p.hourly_price };
        crate::store::billing::set_price(tx, Item::Plan(p.id), 0, price, p.created_at)?;
    }
    let vms: Vec<VmRecord> = {
        let t = tx.open_table(VMS)?;
        t.iter()?
            .map(|r| r.map_err(StoreError::from).and_then(|(_, v)| decode(v.value())))
            .collect::<Result<_, _>>()?
    };
    for vm in &vms {
        crate::store::vms::put(tx, vm)?;
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
        crate::store::holdings::put(tx, Timestamp::from_secs(0), UserId(owner), kind, id, amount)?;
    }
    tracing::info!(plans = plans.len(), vms = vms.len(), "billing set up for existing resources");
    Ok(())
}

/// A plan as versions 1 to 15 stored it (record version 1: no CPU limits).
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct PlanV1 {
    pub id: crate::domain::catalog::PlanId,
    pub name: String,
    pub spec: crate::domain::catalog::PlanSpec,
    pub monthly_price: crate::domain::money::Money,
    pub hourly_price: crate::domain::money::Money,
    pub enabled: bool,
    pub created_at: crate::domain::time::Timestamp,
}

/// Schema 15 → 16: plans gain fair-use CPU limits and a port speed; existing plans have none.
pub(super) fn v15_plan_cpu_limits(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;

    use crate::store::codec::encode;
    use crate::store::records::PlanRecord;
    use crate::store::tables::PLANS;

    let mut table = tx.open_table(PLANS)?;
    let mut rows = Vec::new();
    for row in table.iter()? {
        let (k, v) = row?;
        let p: PlanV1 = old_record("plan", 1, v.value())?;
        let rec = PlanRecord {
            id: p.id,
            name: p.name,
            spec: p.spec,
            monthly_price: p.monthly_price,
            hourly_price: p.hourly_price,
            enabled: p.enabled,
            created_at: p.created_at,
            // Frozen: what this step writes, whatever the defaults of later versions.
            cpu: crate::domain::vm::CpuLimits { shares: None, cap_percent: None },
            port: None,
        };
        rows.push((k.value(), encode(&rec)?));
    }
    for (k, v) in &rows {
        table.insert(*k, v.as_slice())?;
    }
    tracing::info!(plans = rows.len(), "plans upgraded (no CPU limits)");
    Ok(())
}

/// A record stored at `version` (an older shape than the current one), decoded as `T`.
pub(super) fn old_record<'a, T: serde::Deserialize<'a>>(
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
pub(super) fn v1_owner_vm_list(tx: &WriteTransaction) -> Result<(), StoreError> {
    const USER_VMS_V1: redb::MultimapTableDefinition<u64, u64> =
        redb::MultimapTableDefinition::new("user_vms");
    let n = crate::store::vms::rebuild_list(tx)?;
    tx.delete_multimap_table(USER_VMS_V1)?;
    tracing::info!(vms = n, "VM list entries written");
    Ok(())
}

/// Version 2 quota limits and requests had no `private_networks`. Stored limits get the
/// built-in default, so accounts an admin had set limits for are not locked out of the feature;
/// requests get 0 (nothing asked: approval raises each limit to at most what was asked).
pub(super) fn v2_private_network_quota(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;
    use serde::Deserialize;

    use crate::domain::quota::Amounts;
    use crate::store::codec::encode;
    use crate::store::records::{QuotaRecord, QuotaRequestRecord};
    use crate::store::tables::{QUOTA_REQUESTS, QUOTAS};

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
        fn with(self, private_networks: u64, backup_gb: u64, (snapshots, iso_gb): (u64, u64)) -> Amounts {
            let AmountsV1 { vms, vcpus, memory_mib, disk_gb, ipv4, backups } = self;
            Amounts {
                vms,
                vcpus,
                memory_mib,
                disk_gb,
                ipv4,
                backups,
                private_networks,
                backup_gb,
                snapshots,
                iso_gb,
            }
        }
    }
    #[derive(Deserialize)]
    struct RequestV1 {
        id: u64,
        owner: crate::domain::account::UserId,
        wanted: AmountsV1,
        reason: String,
        status: crate::store::records::RequestStatus,
        created_at: crate::domain::time::Timestamp,
        decided: Option<(crate::domain::time::Timestamp, crate::domain::account::UserId)>,
    }
    let mut quotas = tx.open_table(QUOTAS)?;
    let mut rows = Vec::new();
    for row in quotas.iter()? {
        let (k, v) = row?;
        let limits: AmountsV1 = old_record("quota", 1, v.value())?;
        let limits = limits.with(V2_PRIVATE_NETWORKS, V3_BACKUP_GB, (V16_SNAPSHOTS, V16_ISO_GB));
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
            wanted: r.wanted.with(0, 0, (0, 0)),
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
pub(super) fn v3_backup_storage(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;
    use serde::Deserialize;

    use crate::domain::account::UserId;
    use crate::domain::catalog::TemplateId;
    use crate::domain::quota::Amounts;
    use crate::domain::time::Timestamp;
    use crate::domain::vm::VmId;
    use crate::store::backups::{BackupFile, BackupRecord, BackupState};
    use crate::store::codec::{Record, decode, encode};
    use crate::store::records::{QuotaRecord, QuotaRequestRecord, VmRecord};
    use crate::store::tables::{BACKUPS, QUOTA_REQUESTS, QUOTAS, VMS};

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
        fn with(self, backup_gb: u64, (snapshots, iso_gb): (u64, u64)) -> Amounts {
            let AmountsV2 { vms, vcpus, memory_mib, disk_gb, ipv4, backups, private_networks } = self;
            Amounts {
                vms,
                vcpus,
                memory_mib,
                disk_gb,
                ipv4,
                backups,
                private_networks,
                backup_gb,
                snapshots,
                iso_gb,
            }
        }
    }
    #[derive(Deserialize)]
    struct RequestV2 {
        id: u64,
        owner: UserId,
        wanted: AmountsV2,
        reason: String,
        status: crate::store::records::RequestStatus,
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

    let default_gb = V3_BACKUP_GB;
    let mut quotas = tx.open_table(QUOTAS)?;
    let mut rows = Vec::new();
    for row in quotas.iter()? {
        let (k, v) = row?;
        if !is_current::<QuotaRecord>(v.value()) {
            let limits: AmountsV2 = old_record("quota", 2, v.value())?;
            rows.push((
                k.value(),
                encode(&QuotaRecord { limits: limits.with(default_gb, (V16_SNAPSHOTS, V16_ISO_GB)) })?,
            ));
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
                wanted: r.wanted.with(0, (0, 0)),
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

/// Version 5 templates had no login user: each keeps root only (`None`), as before.
pub(super) fn v5_template_login_user(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;
    use serde::Deserialize;

    use crate::domain::catalog::{OsFamily, TemplateId};
    use crate::domain::time::Timestamp;
    use crate::domain::vm::ImageFormat;
    use crate::store::codec::encode;
    use crate::store::records::TemplateRecord;
    use crate::store::tables::TEMPLATES;

    #[derive(Deserialize)]
    struct TemplateV1 {
        id: TemplateId,
        name: String,
        os: OsFamily,
        format: ImageFormat,
        virtual_size: u64,
        file_size: u64,
        sha256: String,
        min_disk_gb: u32,
        enabled: bool,
        file: String,
        created_at: Timestamp,
    }
    let mut table = tx.open_table(TEMPLATES)?;
    let mut rows = Vec::new();
    for row in table.iter()? {
        let (k, v) = row?;
        let t: TemplateV1 = old_record("template", 1, v.value())?;
        let rec = TemplateRecord {
            id: t.id,
            name: t.name,
            os: t.os,
            format: t.format,
            virtual_size: t.virtual_size,
            file_size: t.file_size,
            sha256: t.sha256,
            min_disk_gb: t.min_disk_gb,
            enabled: t.enabled,
            file: t.file,
            created_at: t.created_at,
            login_user: None,
        };
        rows.push((k.value(), encode(&rec)?));
    }
    for (k, v) in &rows {
        table.insert(*k, v.as_slice())?;
    }
    tracing::info!(templates = rows.len(), "templates upgraded (login user: root only)");
    Ok(())
}

/// Schema 6 → 7: index the audit log by resource (`RESOURCE_AUDIT`), so a VM page reads its own
/// history instead of its owner's whole log. Reads the entries as version-1 audit records.
pub(super) fn v6_audit_by_resource(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;
    use serde::Deserialize;

    use crate::domain::account::UserId;
    use crate::domain::time::Timestamp;
    use crate::store::tables::{AUDIT, RESOURCE_AUDIT};

    #[derive(Deserialize)]
    #[allow(dead_code)] // the fields before `resource` are read to reach it
    struct AuditV1<'a> {
        seq: u64,
        at: Timestamp,
        actor: Option<UserId>,
        ip: &'a str,
        owner: UserId,
        resource: &'a str,
    }
    let audit = tx.open_table(AUDIT)?;
    let mut index = tx.open_multimap_table(RESOURCE_AUDIT)?;
    for row in audit.iter()? {
        let (k, v) = row?;
        let e: AuditV1<'_> = old_record("audit", 1, v.value())?;
        index.insert(e.resource, k.value())?;
    }
    Ok(())
}

/// Schema 7 → 8: the ledger's rows as the Billing page lists them (`LEDGER_ROWS`: a UTC day's
/// run of hourly charges, or one other entry), built from each account's version-1 ledger
/// entries in order, as `append_in` keeps them from now on.
pub(super) fn v7_ledger_rows(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;

    use crate::domain::account::UserId;
    use crate::store::billing::{LedgerEntry, add_row};
    use crate::store::tables::{LEDGER, LEDGER_ROWS};

    let ledger = tx.open_table(LEDGER)?;
    let mut rows = tx.open_table(LEDGER_ROWS)?;
    for row in ledger.iter()? {
        let (k, v) = row?;
        let entry: LedgerEntry = old_record("ledger entry", 1, v.value())?;
        add_row(&mut rows, UserId(k.value().0), &entry)?;
    }
    Ok(())
}

/// Schema 8 → 9: each VM's guest addresses kept ready for the lists (`VM_ADDRESSES`), built
/// from the lease index and the version-1 pool records, as `addresses::refresh` keeps them
/// from now on.
pub(super) fn v8_vm_addresses(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::{ReadableMultimapTable, ReadableTable};

    use crate::domain::vm::VmId;
    use crate::store::addresses::{build, write};
    use crate::store::records::PoolRecord;
    use crate::store::tables::{IP_POOLS, VM_IPS};

    let mut specs = std::collections::HashMap::new();
    for row in tx.open_table(IP_POOLS)?.iter()? {
        let (k, v) = row?;
        let pool: PoolRecord = old_record("ip pool", 1, v.value())?;
        specs.insert(k.value(), pool.spec);
    }
    let index = tx.open_multimap_table(VM_IPS)?;
    let mut n = 0;
    for row in index.iter()? {
        let vm = VmId(row?.0.value());
        let packed = build(&index, vm, |id| {
            specs.get(&id).cloned().ok_or_else(|| StoreError::Corrupt {
                kind: "ip pool",
                reason: format!("pool {id} of {vm} is missing"),
            })
        })?;
        write(tx, vm, &packed)?;
        n += 1;
    }
    tracing::info!(vms = n, "addresses kept ready for the server lists");
    Ok(())
}

/// Version 1 support requests had no channel: all were filed in the cabinet, with their
/// category's target.
pub(super) fn v10_support_channel(tx: &WriteTransaction) -> Result<(), StoreError> {
    use redb::ReadableTable;
    use serde::Deserialize;

    use crate::domain::account::UserId;
    use crate::domain::support::{Category, Status};
    use crate::domain::support_hours::Channel;
    use crate::domain::time::Timestamp;
    use crate::domain::vm::VmId;
    use crate::store::codec::encode;
    use crate::store::support::SupportRecord;
    use crate::store::tables::SUPPORT;

    #[derive(Deserialize)]
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
    let mut table = tx.open_table(SUPPORT)?;
    let mut rows = Vec::new();
    for row in table.iter()? {
        let (k, v) = row?;
        let r: SupportV1 = old_record("support request", 1, v.value())?;
        let target = u32::try_from(r.category.target_mins()).unwrap_or(u32::MAX);
        let rec = SupportRecord {
            id: r.id,
            owner: r.owner,
            category: r.category,
            subject: r.subject,
            status: r.status,
            vms: r.vms,
            created_at: r.created_at,
            due: r.due,
            first_response: r.first_response,
            breached: r.breached,
            risk_alerted: r.risk_alerted,
            messages: r.messages,
            incident: r.incident,
            updated_at: r.updated_at,
            channel: Channel::Cabinet,
            target_mins: target,
            due_mins: target,
        };
        rows.push((k.value(), encode(&rec)?));
    }
    for (k, v) in &rows {
        table.insert(*k, v.as_slice())?;
    }
    tracing::info!(requests = rows.len(), "support requests upgraded (channel: the cabinet)");
    Ok(())
}

/// Schema 14 → 15: a server's list entry (version 2) holds its addresses and the billing
/// system's id of its service too, so a list reads one range and nothing else.
pub(super) fn v14_list_entries(tx: &WriteTransaction) -> Result<(), StoreError> {
    let n = crate::store::vms::rebuild_list(tx)?;
    tracing::info!(vms = n, "server list entries rewritten with their addresses");
    Ok(())
}
