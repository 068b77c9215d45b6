//! Availability through the cabinet: a VM's page shows this month's figure, its credit tier
//! and each downtime span with its cause.

use vpsbox::domain::sla::{Cause, Span};
use vpsbox::domain::vm::VmId;
use vpsbox::service::Caller;

use crate::common::*;

/// The daemon stopped for 30 minutes while a VM was meant to run: after the restart (on the
/// same state, 30 minutes later by its clock) the VM's page counts the gap as downtime, and the
/// customer's dashboard and availability page show it.
#[tokio::test]
async fn a_daemon_stopped_for_30_minutes_counts_the_gap_after_restart() {
    let data = tempdir();
    let cfg = test_config(data.path());
    let d = start_daemon_with(cfg.clone(), tempdir()).await;
    let (plan, tpl) = crate::common::catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "gap@example.com").await;
    let vm = crate::common::order(&c, &d, "kept", plan, tpl).await;
    crate::common::wait_page(&c, &d, &vm, "badge running").await;
    d.clock.advance_secs(20);
    d.svc().sla.beat().await.unwrap();
    let stopped_at = d.svc().sla.now();
    d.stop().await;

    let clock = vpsbox::clock::ManualClock::new(stopped_at.plus_secs(30 * 60));
    let d = start_daemon_at(cfg, tempdir(), clock).await;
    let c = client();
    assert_eq!(log_in(&c, &d, "gap@example.com", PW).await.status().as_u16(), 303);
    let html = crate::common::wait_page(&c, &d, &vm, "badge running").await;
    assert!(html.contains("host or platform down") && html.contains("30 min"), "{html}");
    let (_, html) = get_text(&c, &d.url("/sla")).await;
    assert!(html.contains("kept") && html.contains("30 min"), "{html}");
    // An incident covering the host shows on the customer's dashboard.
    let incident = vpsbox::service::sla::NewIncident {
        severity: vpsbox::domain::incident::Severity::Outage,
        scope: vpsbox::domain::incident::Scope::Host,
        title: "Power feed A lost".into(),
        started: d.svc().sla.now(),
    };
    d.svc().sla.declare(incident, &Caller::system()).await.unwrap();
    let (_, html) = get_text(&c, &d.url("/dashboard")).await;
    assert!(html.contains("Incident: ") && html.contains("Power feed A lost"), "{html}");
    d.stop().await;
}

#[tokio::test]
async fn the_vm_page_shows_availability_and_downtime_with_causes() {
    let d = start_daemon().await;
    let (plan, tpl) = crate::common::catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "uptime@example.com").await;
    let vm = crate::common::order(&c, &d, "watched", plan, tpl).await;
    let html = crate::common::wait_page(&c, &d, &vm, "badge running").await;
    assert!(html.contains("Availability this month") && html.contains("100.00%"), "{html}");
    assert!(html.contains("No downtime recorded."), "{html}");
    // Two hours later, 30 minutes of a platform fault: below 99% over the 2 hours.
    let id = VmId(vm.trim_start_matches("/vms/").parse().unwrap());
    let rec = d.svc().vms.get(&Caller::system(), id).unwrap();
    let t0 = rec.created_at;
    d.clock.advance_secs(2 * 3600);
    let span = Span::new(t0.plus_secs(600), t0.plus_secs(600 + 1800));
    d.svc().sla.record(&rec, span, Cause::Platform, "QEMU stopped").await.unwrap();
    d.svc()
        .sla
        .record(&rec, Span::new(t0.plus_secs(3000), t0.plus_secs(3600)), Cause::Customer, "guest")
        .await
        .unwrap();
    let c = client();
    assert_eq!(log_in(&c, &d, "uptime@example.com", PW).await.status().as_u16(), 303);
    let html = get_text(&c, &d.url(&vm)).await.1;
    assert!(html.contains("75.00%") && html.contains("a credit of 15%"), "{html}");
    assert!(html.contains("virtualization platform fault") && html.contains("30 min"), "{html}");
    assert!(html.contains("caused by the customer (not counted)"), "{html}");
    d.stop().await;
}

/// Two days of platform fault in January: once January is metered the credit is booked, and
/// both the customer's availability page and the admin's service level page show it.
#[tokio::test]
async fn the_months_credit_shows_to_the_customer_and_the_admin() {
    let d = start_daemon().await;
    admin_client(&d).await;
    let (plan, tpl) = crate::common::catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "credited@example.com").await;
    let vm = crate::common::order(&c, &d, "flaky", plan, tpl).await;
    crate::common::wait_page(&c, &d, &vm, "badge running").await;
    d.svc().billing.tick().await.unwrap();
    let id = VmId(vm.trim_start_matches("/vms/").parse().unwrap());
    let rec = d.svc().vms.get(&Caller::system(), id).unwrap();
    let t0 = rec.created_at;
    d.svc()
        .sla
        .record(
            &rec,
            Span::new(t0.plus_secs(3600), t0.plus_secs(3600 + 2 * 86_400)),
            Cause::Platform,
            "QEMU failed",
        )
        .await
        .unwrap();
    // 2027-02-01 00:30 UTC: January is metered, then credited.
    d.clock.set(vpsbox::domain::time::Timestamp::from_secs(1_801_441_800));
    d.svc().billing.tick().await.unwrap();
    let booked = d.svc().sla.book_credits().await.unwrap();
    assert_eq!(booked.len(), 1, "{booked:?}");
    let credit = booked[0].1;
    assert!(credit.0 > 0);
    let c = client();
    assert_eq!(log_in(&c, &d, "credited@example.com", PW).await.status().as_u16(), 303);
    let (_, html) = get_text(&c, &d.url("/sla")).await;
    assert!(html.contains("2027-01") && html.contains(&credit.to_string()) && html.contains("15%"), "{html}");
    let (_, html) = get_text(&c, &d.url("/billing")).await;
    assert!(html.contains("Availability credit for 2027-01"), "{html}");
    // A month later by the clock: log in again (sessions expired).
    let admin = client();
    assert_eq!(log_in(&admin, &d, "root@example.com", PW).await.status().as_u16(), 303);
    let (_, html) = get_text(&admin, &d.url("/admin/sla")).await;
    assert!(html.contains("Credits booked for 2027-01") && html.contains("credited@example.com"), "{html}");
    d.stop().await;
}
