//! Integration tests: the real daemon over real TLS on loopback, real redb files, the real
//! binary for CLI and signal tests, real headless Chromium for the browser test.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod abuse;
mod acme;
mod api;
mod backup;
mod billing;
mod browser;
mod cli;
mod cloudinit;
mod common;
mod console;
mod crash;
mod devices;
mod e2e;
mod guest;
mod helpdesk;
mod http;
mod hv;
mod iso;
mod iso_uploads;
mod languages;
mod layering;
mod network;
mod packaging;
mod plans;
mod rescue;
mod shaping;
mod sla;
mod snapshots;
mod storage;
mod store;
mod telegram;
mod templates;
mod tenancy;
mod tls;
mod two_factor;
mod vms;
mod whmcs;
