//! Long-running background loops.

pub mod housekeeping;
pub mod traffic;
pub mod vm_sync;
