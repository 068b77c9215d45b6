//! Pure types and rules of the business, with no I/O: identifiers, e-mail and password policy,
//! login throttling, time values. Nothing here depends on another module of this crate.

pub mod account;
pub mod allowance;
pub mod api_token;
pub mod backup;
pub mod billing;
pub mod catalog;
pub mod cloudinit;
pub mod disk;
pub mod firewall;
pub mod incident;
pub mod ipam;
pub mod money;
pub mod privnet;
pub mod quota;
pub mod schedule;
pub mod sla;
pub mod ssh;
pub mod support;
pub mod support_hours;
pub mod throttle;
pub mod time;
pub mod two_factor;
pub mod usage;
pub mod vm;
