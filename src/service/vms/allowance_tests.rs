//! The traffic allowance rule on libvirt's test driver with synthetic interface counters and a
//! test clock: 80% and 100% told once each, throttled once (the definition's `<bandwidth>`),
//! lifted when the allowance is raised and when the month ends; an admin's limits for one
//! server win over its plan's, and a customer cannot set them.

use super::tests::{Env, actor, env_with, notice_kinds, ready};
use super::*;
use crate::domain::allowance::{Allowance, AllowanceOverride, GIB, VmLimits};
use crate::domain::vm::PortSpeed;
use crate::hv::NicCounters;
use crate::service::Coded;

fn xml(e: &Env, vm: &VmRecord) -> String {
    e.hv.get().unwrap().domain_xml(&vm.uuid, true).unwrap().unwrap()
}

/// A public interface to shape (the test driver does not look for the bridge).
async fn bridged() -> Env {
    env_with(|cfg| cfg.network.public_bridge = "vpsbx-none".into()).await
}

#[tokio::test]
async fn crossing_the_allowance_tells_throttles_once_and_a_new_month_lifts() {
    let e = bridged().await;
    e.svc.plans.set_allowance(e.plan, Allowance::new(10)).await.unwrap();
    let id = e.vms().create(e.owner, e.order("busy"), &actor(&e)).await.unwrap();
    let vm = ready(&e, id).await;
    let count = |rx: u64, tx: u64| vec![(id, NicCounters { run: 1, rx, tx })];

    // 8 GiB of 10: told 80% once.
    e.svc.traffic.record(count(4 * GIB, 4 * GIB)).await.unwrap();
    let r = e.vms().enforce_allowances().await.unwrap();
    assert_eq!((r.told, r.throttled), (1, 0));
    assert_eq!(notice_kinds(&e.svc, e.owner, false)[0], "vm.traffic_80");
    assert_eq!(e.vms().enforce_allowances().await.unwrap(), AllowanceReport::default(), "told once");
    assert!(!xml(&e, &vm).contains("<bandwidth>"));

    // 10.5 GiB: told 100%, throttled to the configured 10 Mbit/s, once.
    e.svc.traffic.record(count(5 * GIB + GIB / 2, 5 * GIB)).await.unwrap();
    let r = e.vms().enforce_allowances().await.unwrap();
    assert_eq!((r.told, r.throttled, r.lifted), (1, 1, 0));
    assert_eq!(notice_kinds(&e.svc, e.owner, false)[0], "vm.traffic_100");
    let x = xml(&e, &vm);
    assert!(x.contains("<inbound average='1250'") && x.contains("<outbound average='1250'"), "{x}");
    assert_eq!(e.vms().enforce_allowances().await.unwrap(), AllowanceReport::default(), "throttled once");
    let view = e.vms().traffic_view_in(&e.store.read().unwrap(), &vm).unwrap();
    assert!(view.throttled && view.used == 10 * GIB + GIB / 2, "{view:?}");
    let history: Vec<String> = e.vms().history(&vm, 20).unwrap().into_iter().map(|a| a.action).collect();
    assert!(history.contains(&"vm.throttle".to_string()), "{history:?}");

    // The allowance raised above the use: lifted at once, nothing told twice.
    e.svc.plans.set_allowance(e.plan, Allowance::new(100)).await.unwrap();
    let r = e.vms().enforce_allowances().await.unwrap();
    assert_eq!((r.told, r.lifted), (0, 1));
    assert!(!xml(&e, &vm).contains("<bandwidth>"));
    assert_eq!(notice_kinds(&e.svc, e.owner, false)[0], "vm.traffic_lifted");

    // Lowered again: throttled again (the owner was told this month already).
    e.svc.plans.set_allowance(e.plan, Allowance::new(10)).await.unwrap();
    let r = e.vms().enforce_allowances().await.unwrap();
    assert_eq!((r.told, r.throttled), (0, 1));
    assert!(xml(&e, &vm).contains("average='1250'"));

    // The month ends (2027-02-01 UTC): lifted, and the new month starts untold.
    e.clock.advance_secs(1_801_440_000 - 1_800_000_000 + 60);
    let r = e.vms().enforce_allowances().await.unwrap();
    assert_eq!((r.lifted, r.told), (1, 0));
    assert!(!xml(&e, &vm).contains("<bandwidth>"));
    let s = e.vms().traffic_month(id).unwrap().unwrap();
    assert_eq!((s.told, s.throttled), (0, false));
    // A restart of the daemon keeps it all (the state is in the store).
    assert_eq!(e.restart().enforce_allowances().await.unwrap(), AllowanceReport::default());
}

#[tokio::test]
async fn an_admins_limits_for_one_server_win_over_its_plans() {
    let e = bridged().await;
    e.svc.plans.set_allowance(e.plan, Allowance::new(1)).await.unwrap();
    let id = e.vms().create(e.owner, e.order("special"), &actor(&e)).await.unwrap();
    let vm = ready(&e, id).await;
    e.svc.traffic.record(vec![(id, NicCounters { run: 1, rx: 2 * GIB, tx: 0 })]).await.unwrap();
    assert_eq!(e.vms().enforce_allowances().await.unwrap().throttled, 1);

    let own = VmLimits { port: PortSpeed::new(50), allowance: Some(AllowanceOverride::Unlimited) };
    let err = e.vms().set_vm_limits(&actor(&e), id, own).await.unwrap_err();
    assert_eq!(err.code(), "VM0009", "customers cannot set them");
    let admin = Caller::admin(UserId(1), "192.0.2.1");
    e.vms().set_vm_limits(&admin, id, own).await.unwrap();
    assert_eq!(e.vms().vm_limits(id).unwrap(), own);
    let x = xml(&e, &vm);
    assert!(x.contains("<inbound average='6250'"), "its own port speed, no throttle: {x}");
    assert!(!e.vms().traffic_month(id).unwrap().unwrap().throttled);
    let history: Vec<String> = e.vms().history(&vm, 20).unwrap().into_iter().map(|a| a.action).collect();
    assert!(history.contains(&"vm.limits".to_string()) && history.contains(&"vm.unthrottle".to_string()));

    // Back to the plan's: throttled again at the plan's 1 GiB.
    e.vms().set_vm_limits(&admin, id, VmLimits::default()).await.unwrap();
    assert!(xml(&e, &vm).contains("average='1250'"));
}

#[tokio::test]
async fn a_plan_that_charges_extra_traffic_books_each_gib_begun_once_and_never_throttles() {
    use crate::domain::money::Money;
    use crate::store::billing::EntryKind;
    let e = bridged().await;
    e.svc.plans.set_allowance(e.plan, Allowance::new(10)).await.unwrap();
    assert_eq!(e.svc.plans.set_overage(e.plan, Some(Money(0))).await.unwrap_err().code(), "PLN0007");
    e.svc.plans.set_overage(e.plan, Some(Money(5_000))).await.unwrap();
    assert_eq!(e.svc.plans.overages().unwrap().get(&e.plan), Some(&Money(5_000)));
    let id = e.vms().create(e.owner, e.order("charged"), &actor(&e)).await.unwrap();
    let vm = ready(&e, id).await;
    let count = |rx: u64, tx: u64| vec![(id, NicCounters { run: 1, rx, tx })];
    let traffic = |e: &Env| -> Vec<(u64, Money)> {
        e.svc
            .billing
            .transactions_after(e.owner, 0, 100)
            .unwrap()
            .into_iter()
            .filter_map(|t| match t.kind {
                EntryKind::Traffic { gib, .. } => Some((gib, t.amount)),
                _ => None,
            })
            .collect()
    };
    e.svc.billing.tick().await.unwrap();

    // 11.5 GiB of 10: told 100%, with the price instead of a slowdown; not throttled.
    e.svc.traffic.record(count(6 * GIB, 5 * GIB + GIB / 2)).await.unwrap();
    let r = e.vms().enforce_allowances().await.unwrap();
    assert_eq!((r.told, r.throttled), (1, 0));
    assert!(!xml(&e, &vm).contains("<bandwidth>"));
    assert_eq!(notice_kinds(&e.svc, e.owner, false)[0], "vm.traffic_100");

    // Billing books the 2 GiB begun past it, once.
    assert_eq!(e.svc.billing.tick().await.unwrap().traffic_gib, 2);
    assert_eq!(traffic(&e), vec![(2, Money(-10_000))]);
    assert_eq!(e.svc.billing.tick().await.unwrap().traffic_gib, 0, "charged once");
    assert_eq!(e.restart().enforce_allowances().await.unwrap().throttled, 0);
    // 12.2 GiB: one more.
    e.svc.traffic.record(count(6 * GIB + GIB / 2, 5 * GIB + GIB / 2 + GIB / 5)).await.unwrap();
    assert_eq!(e.svc.billing.tick().await.unwrap().traffic_gib, 1);
    assert_eq!(traffic(&e), vec![(2, Money(-10_000)), (1, Money(-5_000))]);
    let view = e.vms().traffic_view_in(&e.store.read().unwrap(), &vm).unwrap();
    assert_eq!((view.overage, view.charged_gib, view.throttled), (Some(Money(5_000)), 3, false));
    let history: Vec<String> = e.vms().history(&vm, 20).unwrap().into_iter().map(|a| a.action).collect();
    assert!(history.contains(&"vm.traffic_charged".to_string()), "{history:?}");
    // The month's statement line of the server's extra traffic.
    let overview = e.svc.billing.overview(e.owner).unwrap();
    assert!(overview.month_total.0 >= 15_000, "{overview:?}");

    // Back to throttling: the plan no longer charges, the server past its allowance slows.
    e.svc.plans.set_overage(e.plan, None).await.unwrap();
    assert_eq!(e.vms().enforce_allowances().await.unwrap().throttled, 1);
    assert!(xml(&e, &vm).contains("average='1250'"));
}
