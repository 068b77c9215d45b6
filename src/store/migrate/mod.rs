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
pub const SCHEMA_VERSION: u64 = 18;

/// One migration: upgrades a file from `from` to `from + 1`.
pub struct Step {
    /// Version the step starts from.
    pub from: u64,
    /// What it does, for the log.
    pub describe: &'static str,
    /// The change itself, inside the migration's write transaction.
    pub apply: fn(&WriteTransaction) -> Result<(), StoreError>,
}

mod steps;
mod steps_i18n;
mod steps_v16;
mod steps_v17;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_i18n;
#[cfg(test)]
mod tests_v14;
#[cfg(test)]
mod tests_v15;
#[cfg(test)]
mod tests_v16;
#[cfg(test)]
mod tests_v17;

use steps::{
    v1_owner_vm_list, v2_private_network_quota, v3_backup_storage, v4_billing, v5_template_login_user,
    v6_audit_by_resource, v7_ledger_rows, v8_vm_addresses, v10_support_channel, v14_list_entries,
    v15_plan_cpu_limits,
};
use steps_i18n::{v9_user_language, v11_notice_text, v12_incident_messages, v13_audit_messages};

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
    Step { from: 5, describe: "templates may name their image's login user", apply: v5_template_login_user },
    Step { from: 6, describe: "the audit log is indexed by resource", apply: v6_audit_by_resource },
    Step { from: 7, describe: "the ledger's rows as the Billing page lists them", apply: v7_ledger_rows },
    Step { from: 8, describe: "each server's addresses kept ready for the lists", apply: v8_vm_addresses },
    Step { from: 9, describe: "accounts may choose the cabinet's language", apply: v9_user_language },
    Step {
        from: 10,
        describe: "support requests record their channel and target",
        apply: v10_support_channel,
    },
    Step {
        from: 11,
        describe: "notices keep their text as messages for each reader's language",
        apply: v11_notice_text,
    },
    Step {
        from: 12,
        describe: "incident histories keep their lines as messages for each reader's language",
        apply: v12_incident_messages,
    },
    Step {
        from: 13,
        describe: "audit details kept as messages for each reader's language",
        apply: v13_audit_messages,
    },
    Step {
        from: 14,
        describe: "server list entries show their addresses and service ids",
        apply: v14_list_entries,
    },
    Step {
        from: 15,
        describe: "plans may carry fair-use CPU limits and a port speed",
        apply: v15_plan_cpu_limits,
    },
    Step {
        from: 16,
        describe: "quotas gain limits on snapshots and own ISO images",
        apply: steps_v16::v16_snapshot_quota,
    },
    Step {
        from: 17,
        describe: "each account's open usage summed by item for its hourly rate",
        apply: steps_v17::v17_open_totals,
    },
];

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
