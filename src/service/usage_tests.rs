//! Usage history and the abuse rule on the test clock, with synthetic statistics for a server
//! made on libvirt's test driver (real redb, real domain definitions).

use super::*;
use crate::domain::account::Role;
use crate::domain::usage::{FIVE_MINUTES, HOURS};
use crate::hv::stats::Io;
use crate::service::Caller;
use crate::service::vms::VmError;
use crate::service::vms::tests::{actor, env, notice_kinds, ready};

/// Statistics of a running domain whose counters are `cpu_s` seconds of CPU and `disk` bytes
/// read and written.
fn stats(uuid: uuid::Uuid, vcpus: u32, cpu_s: f64, disk: u64) -> DomainStats {
    DomainStats {
        uuid,
        running: true,
        cpu_seconds: cpu_s,
        vcpus,
        memory_bytes: 1 << 29,
        disk: Io { in_bytes: disk, out_bytes: disk / 2, ..Io::default() },
        net: Io { in_bytes: disk / 4, out_bytes: disk / 8, ..Io::default() },
    }
}

#[tokio::test]
async fn rounds_become_buckets_that_roll_up_survive_a_restart_and_stay_bounded() {
    let e = env().await;
    let id = e.vms().create(e.owner, e.order("graph"), &actor(&e)).await.unwrap();
    let vm = ready(&e, id).await;
    let u = &e.svc.usage;
    // An unknown domain (not ours) and a stopped one are ignored.
    let stranger = stats(uuid::Uuid::new_v4(), 1, 1.0, 0);
    let first = u.record(vec![stats(vm.uuid, 2, 100.0, 0), stranger.clone()]).await.unwrap();
    assert_eq!(first.servers, 0, "the first reading has nothing to compare with");
    // One minute at half of two vCPUs, 6000 bytes read.
    e.clock.advance_secs(60);
    let r = u.record(vec![stats(vm.uuid, 2, 160.0, 6_000), stranger]).await.unwrap();
    assert_eq!(r, Recorded { servers: 1, flagged: vec![] });
    let day = u.series(id, Range::Day).unwrap();
    assert_eq!(day.points.len(), 1);
    let p = day.points[0].1;
    assert_eq!(
        (p.secs, p.cpu_permille(), p.disk_read, p.disk_written, p.per_sec(p.disk_read)),
        (60, 500, 6_000, 3_000, 100)
    );
    assert_eq!((p.net_rx, p.net_tx), (1_500, 750));

    // A daemon restart: a fresh service over the same store continues from the stored counters.
    let again =
        crate::service::Services::new(e.store.clone(), Arc::new(e.clock.clone()), &e.cfg, e.hv.clone()).usage;
    e.clock.advance_secs(60);
    assert_eq!(again.record(vec![stats(vm.uuid, 2, 220.0, 12_000)]).await.unwrap().servers, 1);
    // Two days of quiet minutes: the five-minute ring keeps a day, the hourly ring all of it.
    let mut cpu = 220.0;
    for _ in 0..(2 * 24 * 60) {
        e.clock.advance_secs(60);
        cpu += 6.0; // 5% of two vCPUs
        again.record(vec![stats(vm.uuid, 2, cpu, 12_000)]).await.unwrap();
    }
    let day = again.series(id, Range::Day).unwrap();
    let month = again.series(id, Range::Month).unwrap();
    assert!((287..=289).contains(&day.points.len()), "{}", day.points.len());
    assert!(day.points.windows(2).all(|w| w[0].0 + FIVE_MINUTES.step == w[1].0), "in order, no holes");
    assert!(day.points.iter().all(|(_, u)| u.cpu_permille() == 50), "5% every minute");
    assert_eq!(month.points.len(), 49, "the first hour and 48 more");
    assert_eq!(month.total().secs, 120 + 2 * 24 * 60 * 60, "every second is in an hourly bucket");
    assert_eq!(month.total().disk_read, 12_000);
    let rows = {
        let tx = e.store.read().unwrap();
        let t = tx.open_table(VM_USAGE).unwrap();
        t.range((id.0, FIVE_MINUTES.id, 0)..=(id.0, FIVE_MINUTES.id, u16::MAX)).unwrap().count()
    };
    assert_eq!(rows, usize::from(FIVE_MINUTES.slots), "the ring never grows past its slots");
    assert!(HOURS.slots as i64 * HOURS.step >= 30 * 86_400);

    // Deleting the server forgets its history.
    e.vms().delete(&actor(&e), id, "graph").await.unwrap();
    crate::service::vms::tests::wait_for("deletion", || e.vms().get_any(id).is_err()).await;
    assert!(again.series(id, Range::Month).unwrap().points.is_empty());
}

#[tokio::test]
async fn a_busy_server_is_flagged_once_then_capped_lifted_suspended_and_closed() {
    let e = env().await;
    let id = e.vms().create(e.owner, e.order("miner"), &actor(&e)).await.unwrap();
    let vm = ready(&e, id).await;
    let admin_id =
        e.svc.accounts.create_user("admin@example.com", "admin password 1", Role::Admin).await.unwrap();
    let admin = Caller::admin(admin_id, "192.0.2.1");
    let u = &e.svc.usage;
    let mut cpu = 0.0;
    let mut round = |busy: f64| {
        e.clock.advance_secs(60);
        cpu += 60.0 * 2.0 * busy;
        vec![stats(vm.uuid, 2, cpu, 0)]
    };
    u.record(round(1.0)).await.unwrap();
    // 5 h 59 min at 95%, one idle minute (the streak breaks), then 6 h at 95%.
    for _ in 0..359 {
        assert!(u.record(round(0.95)).await.unwrap().flagged.is_empty());
    }
    u.record(round(0.10)).await.unwrap();
    let mut flagged = Vec::new();
    for _ in 0..361 {
        flagged.extend(u.record(round(0.95)).await.unwrap().flagged);
    }
    assert_eq!(flagged, vec![id], "flagged once, after six unbroken hours");
    for _ in 0..30 {
        assert!(u.record(round(1.0)).await.unwrap().flagged.is_empty(), "never twice while open");
    }
    let admins = notice_kinds(&e.svc, admin_id, true);
    assert_eq!(admins.iter().filter(|k| *k == "vm.abuse_flagged").count(), 1, "{admins:?}");
    let case = e.vms().abuse_case(&admin, id).unwrap().unwrap();
    assert_eq!((case.percent, case.hours, case.cap, case.is_open()), (90, 6, None, true));
    assert_eq!(case.flagged_at.secs_since(case.busy_since), 6 * 3600);

    // A customer can do none of it.
    let owner = Caller::customer(e.owner, "192.0.2.9");
    assert!(matches!(e.vms().abuse_cap(&owner, id, 50).await, Err(VmError::NotFound)));
    assert!(matches!(e.vms().abuse_cap(&admin, id, 0).await, Err(VmError::CpuCapRange)));

    let hv = e.hv.get().unwrap();
    let case = e.vms().abuse_cap(&admin, id, 50).await.unwrap();
    assert_eq!(case.cap, Some(50));
    let xml = hv.domain_xml(&vm.uuid, true).unwrap().unwrap();
    assert!(xml.contains("<period>100000</period>") && xml.contains("<quota>50000</quota>"), "{xml}");
    assert!(notice_kinds(&e.svc, e.owner, false).contains(&"vm.abuse_capped".to_string()));
    // Capped servers keep their cap when defined again (a reinstall, a start).
    assert_eq!(e.vms().plan_limits(&vm).unwrap().0.cap_percent, Some(50));

    let case = e.vms().abuse_lift(&admin, id).await.unwrap();
    assert_eq!(case.cap, None);
    assert!(!hv.domain_xml(&vm.uuid, true).unwrap().unwrap().contains("<quota>"));
    assert!(notice_kinds(&e.svc, e.owner, false).contains(&"vm.abuse_lifted".to_string()));

    let case = e.vms().abuse_suspend(&admin, id, "  Mining is not allowed.  ").await.unwrap();
    assert_eq!(case.suspended.as_deref(), Some("Mining is not allowed."));
    assert!(e.vms().get_any(id).unwrap().suspended);
    assert!(notice_kinds(&e.svc, e.owner, false).contains(&"vm.abuse_suspended".to_string()));

    let case = e.vms().abuse_close(&admin, id).await.unwrap();
    assert!(!case.is_open());
    assert!(matches!(e.vms().abuse_lift(&admin, id).await, Err(VmError::NoAbuseCase)));
    let actions: Vec<String> = e
        .svc
        .accounts
        .audit(Some(e.owner), 50)
        .unwrap()
        .into_iter()
        .filter(|a| a.action.starts_with("abuse."))
        .map(|a| a.action)
        .collect();
    assert_eq!(actions, ["abuse.close", "abuse.suspend", "abuse.lift", "abuse.cap", "abuse.flag"]);
}
