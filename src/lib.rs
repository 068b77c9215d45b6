//! vpsbox: one binary that turns a Linux KVM host into a VPS hosting business.
//!
//! Dependencies point one way: `web`, `cli`, `jobs` → `service` → `store`, `hv`, `host` →
//! `domain`. `domain` depends on nothing of ours; the error vocabulary (`error`) and `clock`
//! sit at the ground beside it (the layering test in `tests/it/layering.rs` keeps it so).
//! `unsafe` is denied crate-wide (Cargo.toml lints) and allowed only in `hv::ffi`.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod control;
pub mod domain;
pub mod error;
pub mod host;
pub mod hv;
pub mod i18n;
pub mod jobs;
pub mod service;
pub mod store;
pub mod web;

/// The version string shown by `vpsbox --version` and in the cabinet footer.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
