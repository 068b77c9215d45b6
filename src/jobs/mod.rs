//! Long-running background loops.

pub mod housekeeping;
