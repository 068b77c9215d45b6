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
pub const SCHEMA_VERSION: u64 = 1;

/// One migration: upgrades a file from `from` to `from + 1`.
pub struct Step {
    /// Version the step starts from.
    pub from: u64,
    /// What it does, for the log.
    pub describe: &'static str,
    /// The change itself, inside the migration's write transaction.
    pub apply: fn(&WriteTransaction) -> Result<(), StoreError>,
}

/// The steps of this binary, in order. Version 1 is the first schema: no steps yet.
pub const STEPS: &[Step] = &[];

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

    fn step_v1_to_v2(tx: &WriteTransaction) -> Result<(), StoreError> {
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
        let steps = [Step { from: 1, describe: "add marker", apply: step_v1_to_v2 }];
        assert_eq!(migrate(&db, &steps).unwrap(), 1);
        assert_eq!(version(&db), 2);
        use redb::ReadableDatabase;
        let tx = db.begin_read().unwrap();
        let t = tx.open_table(SETTINGS).unwrap();
        assert_eq!(t.get("migrated").unwrap().unwrap().value(), b"yes");
        // Opening with an older binary (no steps) is refused.
        let err = migrate(&db, &[]).unwrap_err();
        assert!(matches!(err, StoreError::NewerSchema { found: 2, supported: 1 }));
    }

    #[test]
    fn failed_step_leaves_old_version() {
        let db = mem_db();
        migrate(&db, &[]).unwrap();
        let steps = [Step { from: 1, describe: "fails", apply: failing_step }];
        assert!(migrate(&db, &steps).is_err());
        assert_eq!(version(&db), 1);
    }
}
