//! Long-running background loops.

pub mod backups;
pub mod billing;
pub mod bot;
pub mod db_copies;
pub mod housekeeping;
pub mod mail;
pub mod sla;
pub mod storage;
pub mod telegram;
pub mod traffic;
pub mod usage;
pub mod vm_sync;
pub mod webhooks;
