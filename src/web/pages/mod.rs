//! Page handlers and their render functions, one file per area.

pub mod account;
pub mod admin;
pub mod admin_billing;
pub mod admin_pools;
pub mod admin_templates;
pub mod auth;
pub mod backups;
pub mod billing;
pub mod console;
pub mod dashboard;
pub mod disks;
pub mod keys;
pub mod networks;
pub mod notices;
pub mod plans;
pub mod quota;
pub mod trial;
pub mod vm_backups;
pub mod vm_devices;
pub mod vm_firewall;
pub mod vm_list;
pub mod vm_network;
pub mod vm_order;
pub mod vm_sla;
pub mod vms;
