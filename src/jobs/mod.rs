//! Long-running background loops.

pub mod housekeeping;
pub mod vm_sync;
