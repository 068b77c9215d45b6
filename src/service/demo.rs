//! The demo's stock: on the first start of `serve --demo` (a state without plans) the shop is
//! filled so that every page has something to show: plans with prices, OS templates (small
//! empty images made here), IPv4 and IPv6 pools from documentation ranges, and the demo
//! customer's history since about a month ago: a top-up, a running server with a private
//! network, an extra disk, a backup schedule and a backup, an answered support request, and
//! last month's statement.
//!
//! The history is made through the ordinary services on a clock set back 35 days and moved
//! forward step by step, then the meter catches up to now hour by hour: what the pages show is
//! what the product itself recorded, not rows written by hand.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::clock::{Clock, ManualClock};
use crate::config::Config;
use crate::domain::billing::{Item, Price};
use crate::domain::catalog::PlanSpec;
use crate::domain::incident::{Blame, Scope as IncidentScope, Severity};
use crate::domain::money::Money;
use crate::domain::schedule::Frequency;
use crate::domain::schedule::When;
use crate::domain::support::Category;
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;
use crate::hv::link::HvLink;
use crate::service::Services;
use crate::service::caller::Caller;
use crate::service::ipam::PoolText;
use crate::service::plans::NewPlan;
use crate::service::sla::{NewIncident, NewWindow};
use crate::service::support::NewRequest;
use crate::service::templates::ImportRequest;
use crate::service::vms::CreateVm;
use crate::service::vms::PowerAction;
use crate::store::Store;
use crate::store::backups::BackupState;
use crate::store::records::VmPhase;

/// Why the demo could not be stocked (the demo runs on, with what was made).
#[derive(Debug)]
pub struct DemoError(pub String);

impl<E: std::fmt::Display> From<E> for DemoError {
    fn from(e: E) -> Self {
        DemoError(e.to_string())
    }
}

/// How far back the demo customer's history starts: always before the current month, so at
/// least one month has closed with a statement.
const HISTORY_DAYS: i64 = 35;

/// Fill a fresh demo state (see the module notes). Returns `false` when the state has plans
/// already (stocked on an earlier start, or set up by hand): then nothing is changed.
pub async fn stock(
    store: Arc<Store>,
    cfg: &Config,
    hv: Arc<HvLink>,
    now: Timestamp,
    admin_email: &str,
    customer_email: &str,
) -> Result<bool, DemoError> {
    let clock = Arc::new(ManualClock::new(now.plus_secs(-HISTORY_DAYS * 86_400)));
    let svc = Services::new(store, clock.clone(), cfg, hv);
    if !svc.plans.list()?.is_empty() {
        return Ok(false);
    }
    let admin = svc.accounts.user_by_email(admin_email)?.id;
    let customer = svc.accounts.user_by_email(customer_email)?.id;
    let staff = Caller::admin(admin, "demo");
    let me = Caller::customer(customer, "demo");
    // The meter starts with the history's first hour.
    svc.billing.tick().await?;

    let template = catalogue(&svc, &cfg.data_dir).await?;
    let plan = svc
        .plans
        .list()?
        .into_iter()
        .find(|p| p.name == "s-1")
        .ok_or_else(|| DemoError("the demo plan s-1 is missing".into()))?
        .id;
    // A new customer: the free trial first (asked for, approved), then a top-up.
    svc.billing.request_trial(customer, "Trying vpsbox for our web shop", &me).await?;
    clock.advance_secs(600);
    svc.billing.decide_trial(customer, true, svc.billing.trial_quota(), &staff).await?;
    svc.billing.top_up(customer, Money(2_000_000), "demo: bank transfer 0001", &staff).await?;
    clock.advance_secs(3_600);

    let net = svc.privnets.create(customer, "backend", "10.10.0.0/24", &me).await?;
    let order = CreateVm {
        plan,
        template,
        hostname: "web-1".into(),
        key_ids: vec![],
        root_password: Some(crate::service::tokens::random_password()),
        once_key: "demo-web-1".into(),
        networks: vec![net],
        restore: None,
    };
    let vm = svc.vms.create(customer, order, &me).await?;
    ready(&svc, vm).await?;
    clock.advance_secs(2 * 86_400);

    // A backup now (the test driver makes no live backups: the server is stopped for it).
    svc.vms.power(&me, vm, PowerAction::ForceOff).await?;
    let backup = svc.backups.start(&me, vm, None).await?;
    for _ in 0..600 {
        match svc.backups.get(&staff, backup)?.state {
            BackupState::Running { .. } => tokio::time::sleep(Duration::from_millis(50)).await,
            BackupState::Done => break,
            other => return Err(DemoError(format!("the demo backup ended {other:?}"))),
        }
    }
    svc.vms.power(&me, vm, PowerAction::Start).await?;
    // The trial ends (it was not stopped: the server is paid from then on) and the account's
    // own limits are back: room for an extra disk.
    svc.billing.tick().await?; // the trial starts with the first server
    clock.advance_secs(2 * 86_400);
    svc.billing.tick().await?; // and ends
    let disk = svc.disks.create(customer, "data", "10", &me).await?;
    svc.vms.attach_disk(&me, vm, disk).await?;
    clock.advance_secs(86_400);

    let ask = NewRequest::in_cabinet(
        Category::Other,
        "How do I log in to web-1 over SSH?",
        "I ordered web-1 yesterday. Which user and address do I use for SSH?",
        vec![vm],
    );
    let request = svc.support.file(customer, ask, &me).await?;
    clock.advance_secs(900);
    let answer = "Log in as root with the password you chose when ordering, at the IPv4 address shown \
                  on the server's page (ssh root@ADDRESS). You can add an SSH key under Keys and \
                  reinstall to use it instead.";
    svc.support.reply(&staff, request.id, answer, vec![], true).await?;
    // A short outage of the host's storage, declared and resolved: counted against the SLA.
    clock.advance_secs(5 * 86_400);
    let outage = NewIncident {
        severity: Severity::Outage,
        scope: IncidentScope::Host,
        title: "Storage of the host not responding".into(),
        started: clock.now().plus_secs(-600),
    };
    let incident = svc.sla.declare(outage, &staff).await?;
    clock.advance_secs(1_200);
    let fixed = "A failed disk controller was replaced; every server runs again.";
    svc.sla.update_incident(incident.id, fixed, Some(clock.now()), Some(Blame::Provider), &staff).await?;

    // The meter catches up to now, closing last month with its statement. The nightly backup
    // schedule starts from now (the history had none to catch up on).
    clock.set(now);
    svc.billing.tick().await?;
    let nightly = When { frequency: Frequency::Daily, minute: 30, hour: 3, weekday: 1, day: 1 };
    svc.backups.add_schedule(&me, vm, nightly, 7).await?;
    // And a quota request, just filed, waiting for the admins.
    let (mut wanted, _) = svc.quotas.overview(customer)?;
    wanted.vms += 2;
    svc.quotas.request(customer, wanted, "A staging copy of the shop and a database server", &me).await?;
    // Planned maintenance next week, announced ahead (not counted as downtime).
    let starts = now.plus_secs(7 * 86_400);
    let window = NewWindow {
        scope: IncidentScope::Host,
        starts,
        ends: starts.plus_secs(3_600),
        description: "Kernel and firmware updates of the host; each server is restarted once".into(),
    };
    svc.sla.schedule(window, &staff).await?;
    usage_history(&svc, &staff, vm, now).await?;
    tracing::info!(%customer, vm = %vm, "demo stocked: plans, templates, pools, and the demo customer's server with its history");
    Ok(true)
}

/// A month of the demo server's usage for its graphs, read every five minutes: busy days,
/// quiet nights.
async fn usage_history(svc: &Services, staff: &Caller, vm: VmId, now: Timestamp) -> Result<(), DemoError> {
    use crate::hv::stats::{DomainStats, Io};
    let rec = svc.vms.get(staff, vm)?;
    let start = now.plus_secs(-30 * 86_400);
    let (mut cpu, mut disk, mut net) = (0.0f64, 0u64, 0u64);
    let mut rounds = Vec::with_capacity(30 * 288 + 1);
    for i in 0..=(30 * 288) {
        let at = start.plus_secs(i * 300);
        let day = (at.as_secs() % 86_400) as f64 / 86_400.0;
        // Lowest at 03:00 UTC, highest at 15:00, with a little noise.
        let load =
            0.22 - 0.17 * ((day - 0.125) * std::f64::consts::TAU).cos() + 0.03 * ((i % 7) as f64 / 7.0);
        cpu += load * 300.0 * f64::from(rec.spec.vcpus);
        disk += (load * 400_000.0) as u64 * 300;
        net += (load * 120_000.0) as u64 * 300;
        let stats = DomainStats {
            uuid: rec.uuid,
            running: true,
            cpu_seconds: cpu,
            vcpus: rec.spec.vcpus,
            memory_bytes: rec.spec.memory_mib << 20,
            disk: Io { in_bytes: disk / 3, out_bytes: disk, ..Io::default() },
            net: Io { in_bytes: net / 4, out_bytes: net, ..Io::default() },
        };
        rounds.push((at, vec![stats]));
    }
    let usage = svc.usage.clone();
    super::blocking(move || usage.backfill(rounds.into_iter())).await?;
    Ok(())
}

/// Templates (small empty images, made here), plans with prices, and the address pools.
/// Returns the template the demo server uses.
async fn catalogue(svc: &Services, data_dir: &Path) -> Result<crate::domain::catalog::TemplateId, DemoError> {
    let staging = data_dir.join("demo-images");
    crate::host::images::ensure_dir(&staging)?;
    let mut first = None;
    for (name, login) in [("debian-12", "debian"), ("ubuntu-24.04", "ubuntu"), ("almalinux-9", "")] {
        if let Ok(t) = svc.templates.by_name(name) {
            // From an earlier start whose stocking stopped half-way.
            first.get_or_insert(t.id);
            continue;
        }
        let image = staging.join(format!("{name}.qcow2"));
        crate::host::images::create_blank(&image, 2)?;
        let req = ImportRequest {
            name: name.into(),
            os: "linux".into(),
            min_disk_gb: Some(2),
            login_user: Some(login.into()),
        };
        let t = svc.templates.import(image.clone(), req).await?;
        crate::host::images::remove_if_exists(&image)?;
        first.get_or_insert(t.id);
    }
    if svc.rescue_images.current()?.is_none() {
        // A small empty image stands for the rescue system, so rescue mode can be tried.
        let image = staging.join("rescue.qcow2");
        crate::host::images::create_blank(&image, 1)?;
        svc.rescue_images.import(image.clone()).await?;
        crate::host::images::remove_if_exists(&image)?;
    }
    if svc.isos.list()?.is_empty() {
        // An installer CD to put in a server's drive (only its ISO 9660 header: nothing boots in
        // the demo).
        let image = staging.join("netinst.iso");
        let mut bytes = vec![0u8; 18 * 2048];
        bytes[16 * 2048] = 1;
        bytes[16 * 2048 + 1..16 * 2048 + 6].copy_from_slice(b"CD001");
        std::fs::write(&image, bytes)?;
        svc.isos.import(image.clone(), "debian-12-netinst".into()).await?;
        crate::host::images::remove_if_exists(&image)?;
    }
    let _ = std::fs::remove_dir(&staging);
    // Prices in minor units of the configured currency (tenge by default).
    let plans = [
        ("s-1", 1, 1024, 20, 1, 250_000, 350),
        ("m-2", 2, 4096, 40, 1, 600_000, 850),
        ("l-4", 4, 8192, 80, 2, 1_200_000, 1_700),
    ];
    for (name, vcpus, memory_mib, disk_gb, ipv4, monthly, hourly) in plans {
        let spec = PlanSpec { vcpus, memory_mib, disk_gb, ipv4 };
        let p =
            NewPlan { name: name.into(), spec, monthly_price: Money(monthly), hourly_price: Money(hourly) };
        let p = svc.plans.create(p).await?;
        // A terabyte of traffic a month per vCPU.
        svc.plans
            .set_allowance(p.id, crate::domain::allowance::Allowance::new(1000 * u64::from(vcpus)))
            .await?;
    }
    // Extras (per GiB or address and month, with the hourly rate that reaches it).
    for (item, monthly, hourly) in
        [(Item::ExtraIpv4, 100_000, 140), (Item::DiskGb, 5_000, 7), (Item::BackupGb, 2_000, 3)]
    {
        svc.billing
            .set_price(item, Price { monthly: Money(monthly), hourly: Money(hourly) }, &Caller::system())
            .await?;
    }
    let v4 = PoolText {
        network: "192.0.2.0/24".into(),
        gateway: "192.0.2.1".into(),
        range: "192.0.2.10-192.0.2.250".into(),
        dns: "192.0.2.53".into(),
        ..PoolText::default()
    };
    svc.ipam.add_pool("public-v4", v4.spec()?).await?;
    let v6 = PoolText {
        network: "2001:db8:100::/48".into(),
        gateway: "2001:db8:100::1".into(),
        dns: "2001:db8:100::53".into(),
        ..PoolText::default()
    };
    svc.ipam.add_pool("public-v6", v6.spec()?).await?;
    first.ok_or_else(|| DemoError("no demo template was made".into()))
}

/// Wait for a VM's create to finish.
async fn ready(svc: &Services, vm: VmId) -> Result<(), DemoError> {
    for _ in 0..600 {
        match svc.vms.get_any(vm)?.phase {
            VmPhase::Ready => return Ok(()),
            VmPhase::Failed { message, .. } => {
                return Err(DemoError(format!("the demo server failed: {message}")));
            }
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    Err(DemoError("the demo server was not ready within 30 s".into()))
}
