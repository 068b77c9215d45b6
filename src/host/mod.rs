//! The host: disk and template images (through `qemu-img`), cloud-init seeds, the public
//! bridge as sysfs shows it.

pub mod backup_files;
pub mod bridge;
pub mod images;
pub mod seed;
pub mod shaping;
pub mod thumbnail;
