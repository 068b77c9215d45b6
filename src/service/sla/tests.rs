//! Availability on real redb and a manual clock: heartbeat gaps, platform faults seen from
//! libvirt, incidents and maintenance, and the terms' worked cases down to the credit in the
//! next period's statement.

use crate::domain::account::UserId;
use crate::domain::incident::{Blame, Scope, Severity};
use crate::domain::money::Money;
use crate::domain::sla::{Cause, Span, percent_label};
use crate::domain::vm::{PowerState, StopReason, VmId};
use crate::service::billing::tests::{at, env as billing_env};
use crate::service::caller::Caller;
use crate::service::sla::{NewIncident, NewWindow};
use crate::service::vms::PowerAction;
use crate::service::vms::tests::{actor, env, ready};

fn notices_of(svc: &crate::service::Services, user: UserId, admin: bool) -> Vec<String> {
    crate::service::vms::tests::notice_kinds(svc, user, admin)
}

#[tokio::test]
async fn time_the_daemon_was_down_counts_for_the_vms_meant_to_run() {
    let e = env().await;
    let sla = &e.svc.sla;
    let running = ready(&e, e.vms().create(e.owner, e.order("up"), &actor(&e)).await.unwrap()).await;
    let stopped = ready(&e, e.vms().create(e.owner, e.order("off"), &actor(&e)).await.unwrap()).await;
    e.vms().power(&Caller::customer(e.owner, "192.0.2.10"), stopped.id, PowerAction::ForceOff).await.unwrap();
    assert_eq!(sla.recover_gap().await.unwrap(), None, "the first start has nothing to compare");
    sla.beat().await.unwrap();
    // A restart a minute later is no gap; one after 30 minutes down is.
    e.clock.advance_secs(60);
    assert_eq!(sla.recover_gap().await.unwrap(), None);
    let down_from = e.svc.vms.now();
    e.clock.advance_secs(30 * 60);
    let (span, vms) = sla.recover_gap().await.unwrap().unwrap();
    assert_eq!((span.from, span.secs(), vms), (down_from, 1800, 1));
    let month = sla.month_at(e.svc.vms.now());
    let vm = e.vms().get_any(running.id).unwrap();
    let a = sla.availability(&vm, month).unwrap();
    assert_eq!(a.downtime.len(), 1);
    assert_eq!((a.downtime[0].cause, a.counted_secs), (Cause::HostDown, 1800));
    // Up for 31 minutes in all, down 30 of them: far below 95%.
    assert_eq!(a.credit_percent, 15);
    let off = sla.availability(&e.vms().get_any(stopped.id).unwrap(), month).unwrap();
    assert!(off.downtime.is_empty(), "a VM its owner stopped was not meant to run");
    assert_eq!(off.ppm, 1_000_000);
    // A week later the month's figure is up to the 5% tier (30 min of 7 days ≈ 99.70%).
    e.clock.advance_secs(7 * 86_400);
    sla.beat().await.unwrap();
    let a = sla.availability(&vm, month).unwrap();
    assert_eq!((percent_label(a.ppm), a.credit_percent), ("99.70%".to_string(), 5));
}

#[tokio::test]
async fn a_platform_fault_counts_until_the_vm_runs_again_and_a_guest_shutdown_does_not() {
    let e = env().await;
    let sla = &e.svc.sla;
    let vm = ready(&e, e.vms().create(e.owner, e.order("crashy"), &actor(&e)).await.unwrap()).await;
    let hv = e.hv.get().unwrap();
    // QEMU dies: libvirt reports the domain shut off, reason "crashed".
    e.clock.advance_secs(600);
    hv.destroy(&vm.uuid).unwrap();
    assert!(e.vms().observe_power(&vm.uuid, PowerState::Shutoff, Some(StopReason::Platform)).unwrap());
    assert!(
        notices_of(&e.svc, e.owner, true).contains(&"vm.platform_fault".to_string()),
        "admins are alerted"
    );
    e.clock.advance_secs(120);
    let month = sla.month_at(e.svc.vms.now());
    let a = sla.availability(&e.vms().get_any(vm.id).unwrap(), month).unwrap();
    assert_eq!(
        (a.downtime.len(), a.downtime[0].ongoing, a.counted_secs),
        (1, true, 120),
        "counted while it lasts"
    );
    // vpsbox starts it again and records it running: that closes the span.
    assert!(e.vms().restart_after_fault(&vm.uuid).unwrap());
    assert_eq!(e.domain_state(&vm), Some(PowerState::Running));
    e.clock.advance_secs(60);
    assert!(!e.vms().observe_power(&vm.uuid, PowerState::Running, None).unwrap(), "recorded by the restart");
    assert!(!e.vms().restart_after_fault(&vm.uuid).unwrap(), "nothing open any more");
    e.clock.advance_secs(3600);
    let a = sla.availability(&e.vms().get_any(vm.id).unwrap(), month).unwrap();
    assert_eq!(a.downtime.len(), 1);
    assert_eq!((a.downtime[0].cause, a.downtime[0].ongoing, a.counted_secs), (Cause::Platform, false, 120));
    // Three more faults within an hour are restarted; after the fourth it stays off.
    for round in 0..4 {
        e.clock.advance_secs(60);
        hv.destroy(&vm.uuid).unwrap();
        e.vms().observe_power(&vm.uuid, PowerState::Shutoff, Some(StopReason::Platform)).unwrap();
        e.clock.advance_secs(30);
        let restarted = e.vms().restart_after_fault(&vm.uuid).unwrap();
        assert_eq!(restarted, round < 3, "round {round}");
    }
    assert!(notices_of(&e.svc, e.owner, true).contains(&"vm.fault_loop".to_string()));
    assert_eq!(e.domain_state(&vm), Some(PowerState::Shutoff));
    e.clock.advance_secs(30);
    e.vms().power(&Caller::customer(e.owner, "192.0.2.10"), vm.id, PowerAction::Start).await.unwrap();
    e.vms().observe_power(&vm.uuid, PowerState::Running, None).unwrap();
    e.clock.advance_secs(3600);
    let a = sla.availability(&e.vms().get_any(vm.id).unwrap(), month).unwrap();
    assert_eq!(
        (a.downtime.len(), a.counted_secs),
        (5, 120 + 3 * 30 + 60),
        "the owner's start ends the last one"
    );
    // The guest powers itself off: the customer's side, no downtime.
    hv.destroy(&vm.uuid).unwrap();
    assert!(e.vms().observe_power(&vm.uuid, PowerState::Shutoff, Some(StopReason::Guest)).unwrap());
    assert!(!e.vms().restart_after_fault(&vm.uuid).unwrap(), "a guest's own shutdown is not undone");
    e.clock.advance_secs(3600);
    let a = sla.availability(&e.vms().get_any(vm.id).unwrap(), month).unwrap();
    assert_eq!((a.downtime.len(), a.counted_secs), (5, 270));
}

#[tokio::test]
async fn incidents_and_maintenance_notify_the_customers_they_cover() {
    let e = env().await;
    let sla = &e.svc.sla;
    let vm = ready(&e, e.vms().create(e.owner, e.order("web"), &actor(&e)).await.unwrap()).await;
    let admin = Caller::system();
    let now = e.svc.vms.now();
    // An outage declared 10 minutes after it began, resolved 20 minutes later.
    let inc = sla
        .declare(
            NewIncident {
                severity: Severity::Outage,
                scope: Scope::Host,
                title: "Storage array down".into(),
                started: now.plus_secs(-600),
            },
            &admin.clone(),
        )
        .await
        .unwrap();
    assert!(notices_of(&e.svc, e.owner, false).contains(&"incident.declared".to_string()));
    assert_eq!(sla.status().unwrap().current.len(), 1);
    e.clock.advance_secs(20 * 60);
    let end = e.svc.vms.now();
    sla.update_incident(inc.id, "Controller replaced.", Some(end), None, &admin.clone()).await.unwrap();
    let status = sla.status().unwrap();
    assert_eq!((status.current.len(), status.recent.len()), (0, 1));
    let month = sla.month_at(end);
    let a = sla.availability(&e.vms().get_any(vm.id).unwrap(), month).unwrap();
    // The VM was created 10 s before the incident's declared start... its period starts then.
    assert_eq!(a.counted_secs, Span::new(a.period.from.max(now.plus_secs(-600)), end).secs());
    // Declared force majeure afterwards: excluded.
    sla.update_incident(inc.id, "", None, Some(Blame::ForceMajeure), &admin.clone()).await.unwrap();
    assert_eq!(sla.availability(&e.vms().get_any(vm.id).unwrap(), month).unwrap().counted_secs, 0);
    assert_eq!(
        sla.update_incident(inc.id, "", None, None, &admin.clone()).await.unwrap_err().to_string(),
        "Nothing to update: write a note, end it or set responsibility"
    );

    // A window five days ahead is announced 72 hours before it starts.
    let starts = e.svc.vms.now().plus_secs(5 * 86_400);
    let window = NewWindow {
        scope: Scope::Vms(vec![vm.id]),
        starts,
        ends: starts.plus_secs(7200),
        description: "Kernel update of the host".into(),
    };
    let w = sla.schedule(window.clone(), &admin.clone()).await.unwrap();
    assert!(!notices_of(&e.svc, e.owner, false).contains(&"maintenance.planned".to_string()));
    e.clock.set(starts.plus_secs(-72 * 3600 - 60));
    assert_eq!(sla.notify_windows().await.unwrap(), 0);
    e.clock.set(starts.plus_secs(-72 * 3600));
    assert_eq!(sla.notify_windows().await.unwrap(), 1);
    assert!(notices_of(&e.svc, e.owner, false).contains(&"maintenance.planned".to_string()));
    assert_eq!(sla.notify_windows().await.unwrap(), 0, "once");
    assert_eq!(sla.status().unwrap().upcoming.iter().map(|w| w.id).collect::<Vec<_>>(), vec![w.id]);
    // One scheduled at short notice is announced at once, but does not excuse downtime.
    let soon = e.svc.vms.now().plus_secs(3600);
    let short = NewWindow { starts: soon, ends: soon.plus_secs(600), ..window.clone() };
    let s = sla.schedule(short, &admin.clone()).await.unwrap();
    assert!(s.announced_at > soon.plus_secs(-72 * 3600));
    let events = crate::service::sla::Events {
        windows: sla.windows().unwrap(),
        notice_secs: 72 * 3600,
        ..Default::default()
    };
    let excludes: Vec<(u64, bool)> = events.windows.iter().map(|w| (w.id, events.excludes(w))).collect();
    assert_eq!(excludes, vec![(s.id, false), (w.id, true)]);
    // Bad input is refused with a reason.
    let past = NewWindow { starts: now, ..window.clone() };
    assert_eq!(
        sla.schedule(past, &admin.clone()).await.unwrap_err().to_string(),
        "A maintenance window must start in the future"
    );
    let stranger = NewWindow { scope: Scope::Vms(vec![VmId(999)]), ..window };
    assert_eq!(
        sla.schedule(stranger, &admin.clone()).await.unwrap_err().to_string(),
        "There is no server #999"
    );
}

/// The terms' worked cases for a 30-day month (April), each on its own VM of one account, then
/// the credit booked once April is metered, and found in May's statement; and a second account
/// whose credit is capped at what it paid.
#[tokio::test]
async fn the_terms_worked_cases_down_to_the_next_statement() {
    let e = billing_env(at(2027, 3, 31, 23, 0)).await;
    let (sla, billing) = (&e.svc.sla, &e.svc.billing);
    let other = e
        .svc
        .accounts
        .create_user("small@example.com", "small password 1", crate::domain::account::Role::Customer)
        .await
        .unwrap();
    e.at(at(2027, 4, 1, 0, 0)).await;
    e.write(|tx| {
        for id in 1..=7 {
            crate::store::vms::put(tx, &e.vm(id, 1)).unwrap();
        }
        crate::store::vms::put(tx, &crate::store::records::VmRecord { owner: other, ..e.vm(8, 1) }).unwrap();
    });
    let vm = |id: u64| crate::service::billing::tests::vm_record(&e, id);
    let admin = Caller::system();
    // A window for VM 5 announced more than 72 h ahead; one for VM 7 only 12 h ahead.
    let (w_from, w_to) = (at(2027, 4, 10, 0, 0), at(2027, 4, 13, 0, 0));
    let window = |id: u64| NewWindow {
        scope: Scope::Vms(vec![VmId(id)]),
        starts: w_from,
        ends: w_to,
        description: "Host firmware".into(),
    };
    sla.schedule(window(5), &admin.clone()).await.unwrap();
    e.at(at(2027, 4, 5, 10, 0)).await;
    let down = |mins: i64| Span::new(at(2027, 4, 5, 10, 0), at(2027, 4, 5, 10, 0).plus_secs(mins * 60));
    let two_days = Span::new(at(2027, 4, 10, 6, 0), at(2027, 4, 12, 6, 0));
    sla.record(&vm(1), down(43), Cause::Platform, "crash").await.unwrap();
    sla.record(&vm(2), down(44), Cause::Platform, "crash").await.unwrap();
    sla.record(&vm(3), down(8 * 60), Cause::HostDown, "host down").await.unwrap();
    e.at(at(2027, 4, 9, 12, 0)).await;
    sla.schedule(window(7), &admin.clone()).await.unwrap();
    e.at(at(2027, 4, 12, 6, 0)).await;
    sla.record(&vm(4), two_days, Cause::Platform, "crash").await.unwrap();
    sla.record(&vm(5), two_days, Cause::Platform, "crash").await.unwrap();
    sla.record(&vm(7), two_days, Cause::Platform, "crash").await.unwrap();
    sla.record(&vm(8), two_days, Cause::Platform, "crash").await.unwrap();
    let inc = NewIncident {
        severity: Severity::Outage,
        scope: Scope::Vms(vec![VmId(6)]),
        title: "Customer's firewall locked out the host".into(),
        started: two_days.from,
    };
    let inc = sla.declare(inc, &admin.clone()).await.unwrap();
    sla.update_incident(inc.id, "", Some(two_days.to), Some(Blame::Customer), &admin.clone()).await.unwrap();
    // The small account got most of its month back as a goodwill correction.
    e.at(at(2027, 4, 20, 0, 0)).await;
    billing.adjust(other, Money(9_500), "goodwill", &admin.clone()).await.unwrap();

    // April is metered at midnight; credits are booked once, in May.
    e.at(at(2027, 5, 1, 0, 30)).await;
    assert!(sla.credits(e.owner).unwrap().is_empty());
    let booked = sla.book_credits().await.unwrap();
    assert_eq!(booked, vec![(e.owner, Money(4_500)), (other, Money(500))]);
    assert!(sla.book_credits().await.unwrap().is_empty(), "booked once");
    let april = &sla.credits(e.owner).unwrap()[0];
    let table: Vec<(u64, String, u8, Money)> =
        april.lines.iter().map(|l| (l.vm.0, percent_label(l.ppm), l.percent, l.credit)).collect();
    assert_eq!(
        table,
        vec![
            (1, "99.90%".into(), 0, Money(0)),      // 43 min
            (2, "99.89%".into(), 5, Money(500)),    // 44 min
            (3, "98.88%".into(), 10, Money(1_000)), // 8 h
            (4, "93.33%".into(), 15, Money(1_500)), // 2 days
            (5, "100.00%".into(), 0, Money(0)),     // 2 days inside announced maintenance
            (6, "100.00%".into(), 0, Money(0)),     // 2 days caused by the customer
            (7, "93.33%".into(), 15, Money(1_500)), // maintenance announced too late
        ]
    );
    assert_eq!((april.paid, april.total), (Money(70_000), Money(4_500)));
    let small = &sla.credits(other).unwrap()[0];
    assert_eq!(
        (small.lines[0].credit, small.paid, small.total),
        (Money(1_500), Money(500), Money(500)),
        "capped at what it paid"
    );

    // The credit is a ledger entry of May: April's statement does not have it, May's does.
    e.at(at(2027, 6, 1, 0, 30)).await;
    let statements = billing.statements(e.owner).unwrap();
    let by_month = |m: &str| {
        statements.iter().find(|s| s.month == crate::domain::billing::parse_month(m).unwrap()).unwrap()
    };
    assert_eq!(by_month("2027-04").credits, Money(0));
    assert_eq!(by_month("2027-05").credits, Money(4_500));
    assert!(notices_of(&e.svc, e.owner, false).contains(&"sla.credit".to_string()));
}
