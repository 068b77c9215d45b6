//! Files on the host: disk and template images (through `qemu-img`), later seeds and bridges.

pub mod images;
pub mod seed;
