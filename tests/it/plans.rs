//! Plans on the admin page and the public price list.

use crate::common::*;

fn plan<'a>(name: &'a str, vcpus: &'a str, monthly: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("vcpus", vcpus),
        ("memory_mib", "2048"),
        ("disk_gb", "40"),
        ("ipv4", "1"),
        ("monthly", monthly),
        ("hourly", "0.02"),
    ]
}

#[tokio::test]
async fn admin_creates_plans_and_the_price_list_shows_enabled_ones() {
    let d = start_daemon().await;
    let admin = admin_client(&d).await;
    for (name, vcpus, price) in [("s-2", "2", "12.50"), ("s-4", "4", "24")] {
        let r = submit(&admin, &d, "/admin/plans", "/admin/plans", &plan(name, vcpus, price)).await;
        assert_eq!(r.status().as_u16(), 303, "{name}");
    }
    // Bad input: clear message and code, nothing created.
    for (fields, needle) in [
        (plan("s-2", "2", "1"), "PLN0002"),
        (plan("big", "65", "1"), "vCPUs must be between 1 and 64"),
        (plan("cheap", "1", "abc"), "Price per month must be an amount"),
        (plan("bad name", "1", "1"), "PLN0001"),
    ] {
        let r = submit(&admin, &d, "/admin/plans", "/admin/plans", &fields).await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains(needle), "{needle}: {html}");
    }
    assert_eq!(d.svc().plans.list().unwrap().len(), 2);

    let anon = client();
    let (s, html) = get_text(&anon, &d.url("/plans")).await;
    assert_eq!(s, 200);
    assert!(html.contains("s-2") && html.contains("12.50") && html.contains("2 GiB RAM"), "{html}");
    let id = d.svc().plans.by_name("s-4").unwrap().id;
    let r = submit(&admin, &d, "/admin/plans", &format!("/admin/plans/{id}/status"), &[("enabled", "false")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&anon, &d.url("/plans")).await;
    assert!(html.contains("s-2") && !html.contains("s-4"), "disabled plans are not offered");
    let r = submit(&admin, &d, "/admin/plans", &format!("/admin/plans/{id}/delete"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(d.svc().plans.by_name("s-4").is_err());

    let cust = client();
    sign_up(&cust, &d, "p@example.com").await;
    assert_eq!(get_text(&cust, &d.url("/admin/plans")).await.0, 403);
    let r = submit(&cust, &d, "/plans", "/admin/plans", &plan("hack", "1", "1")).await;
    assert_eq!(r.status().as_u16(), 403);
    d.stop().await;
}

#[tokio::test]
async fn a_plans_fair_use_limits_reach_its_servers_and_bad_ones_are_refused() {
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    // A public interface to shape (the test driver does not look for the bridge).
    cfg.network.public_bridge = "vpsbx-none".into();
    // Both ways in the definitions read here (the test driver applies nothing), whatever this
    // machine's kernel can do.
    cfg.network.shaping = vpsbox::config::Shaping::On;
    let d = start_daemon_with(cfg, dir).await;
    let admin = admin_client(&d).await;
    let (plan, tpl) = catalogue(&d).await;
    let cust = client();
    sign_up(&cust, &d, "fair@example.com").await;
    let vm_path = order(&cust, &d, "fair-1", plan, tpl).await;
    wait_page(&cust, &d, &vm_path, "badge running").await;
    let id = vpsbox::domain::vm::VmId(vm_path.rsplit('/').next().unwrap().parse().unwrap());
    let system = vpsbox::service::Caller::system();

    let plan_s = plan.to_string();
    let fields = [("plan", plan_s.as_str()), ("cap", "40"), ("shares", "512"), ("port_mbit", "100")];
    let r = submit(&admin, &d, "/admin/plans", "/admin/plans/limits", &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&admin, &d.url("/admin/plans")).await;
    assert!(html.contains("Fair-use limits of s-1 set; 1 server(s) took them."), "{html}");
    assert!(html.contains("CPU up to 40% of each vCPU, weight 512, port 100 Mbit/s"), "{html}");
    let xml = d.svc().vms.domain_definition(&system, id).unwrap().unwrap();
    assert!(xml.contains("<shares>512</shares>") && xml.contains("<quota>40000</quota>"), "{xml}");
    assert!(
        xml.contains("average='12500'") && xml.contains("<outbound"),
        "the public interface is shaped: {xml}"
    );
    // Customers see the cap before they order.
    let (_, html) = get_text(&cust, &d.url("/plans")).await;
    assert!(html.contains("CPU up to 40% of each vCPU (fair use)"), "{html}");
    let (_, html) = get_text(&cust, &d.url("/vms/new")).await;
    assert!(html.contains("CPU up to 40% of each vCPU (fair use)"), "{html}");

    // Out of range or not a number: the plan keeps its limits.
    for (cap, shares, port) in
        [("0", "", ""), ("101", "", ""), ("", "1", ""), ("x", "", ""), ("", "", "0"), ("", "", "fast")]
    {
        let fields = [("plan", plan_s.as_str()), ("cap", cap), ("shares", shares), ("port_mbit", port)];
        submit(&admin, &d, "/admin/plans", "/admin/plans/limits", &fields).await;
        let (_, html) = get_text(&admin, &d.url("/admin/plans")).await;
        assert!(html.contains("PLN0006"), "{cap} {shares} {port}: {html}");
    }
    assert_eq!(d.svc().plans.by_name("s-1").unwrap().cpu.cap_percent, Some(40));

    // A traffic allowance: shown to admins, and to the owner against the month's use.
    let fields = [
        ("plan", plan_s.as_str()),
        ("cap", "40"),
        ("shares", "512"),
        ("port_mbit", "100"),
        ("traffic_gib", "50"),
    ];
    assert_eq!(
        submit(&admin, &d, "/admin/plans", "/admin/plans/limits", &fields).await.status().as_u16(),
        303
    );
    let (_, html) = get_text(&admin, &d.url("/admin/plans")).await;
    assert!(html.contains("port 100 Mbit/s, 50 GiB of traffic a month"), "{html}");
    let (_, html) = get_text(&cust, &d.url(&vm_path)).await;
    assert!(html.contains("Used 0 B of 50 GiB this month (0%)"), "{html}");
    let (_, html) = get_text(&cust, &d.url("/plans")).await;
    assert!(
        html.contains("Port 100 Mbit/s") && html.contains("50 GiB of traffic a month, then 10 Mbit/s"),
        "{html}"
    );
    for bad in ["0", "many", "1048577"] {
        let fields = [("plan", plan_s.as_str()), ("traffic_gib", bad)];
        submit(&admin, &d, "/admin/plans", "/admin/plans/limits", &fields).await;
        let (_, html) = get_text(&admin, &d.url("/admin/plans")).await;
        assert!(html.contains("PLN0006"), "{bad}: {html}");
    }

    // Charging extra traffic instead of slowing down: a price per GiB, on the price list, on the
    // admin's list and on the server's traffic panel; a price that is no amount is refused.
    let fields =
        [("plan", plan_s.as_str()), ("port_mbit", "100"), ("traffic_gib", "50"), ("overage", "12.50")];
    let r = submit(&admin, &d, "/admin/plans", "/admin/plans/limits", &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&admin, &d.url("/admin/plans")).await;
    assert!(html.contains("then 12.50"), "{html}");
    let (_, html) = get_text(&cust, &d.url("/plans")).await;
    assert!(html.contains("50 GiB of traffic a month, then 12.50"), "{html}");
    let (_, html) = get_text(&cust, &d.url(&vm_path)).await;
    assert!(html.contains("id=\"traffic-overage\""), "{html}");
    for bad in ["0", "free", "-3"] {
        let fields = [("plan", plan_s.as_str()), ("traffic_gib", "50"), ("overage", bad)];
        submit(&admin, &d, "/admin/plans", "/admin/plans/limits", &fields).await;
        let (_, html) = get_text(&admin, &d.url("/admin/plans")).await;
        assert!(html.contains("PLN0007"), "{bad}: {html}");
    }
    let fields = [("plan", plan_s.as_str()), ("port_mbit", "100"), ("traffic_gib", "50"), ("overage", "")];
    submit(&admin, &d, "/admin/plans", "/admin/plans/limits", &fields).await;
    let (_, html) = get_text(&cust, &d.url("/plans")).await;
    assert!(html.contains("50 GiB of traffic a month, then 10 Mbit/s"), "back to slowing down: {html}");

    // An admin's limits for this one server: its own port speed; the owner's door is a 404, a
    // bad value a coded refusal.
    let admin_vm = format!("/admin/vms/{}", id.0);
    let own = [("port_mbit", "20"), ("traffic_gib", "unlimited")];
    let r = submit(&admin, &d, &admin_vm, &format!("{admin_vm}/limits"), &own).await;
    assert_eq!(r.status().as_u16(), 303);
    let xml = d.svc().vms.domain_definition(&system, id).unwrap().unwrap();
    assert!(xml.contains("average='2500'"), "its own 20 Mbit/s: {xml}");
    let (_, html) = get_text(&admin, &d.url(&admin_vm)).await;
    assert!(html.contains("value=\"unlimited\"") && html.contains("limits are set and applied"), "{html}");
    let r = submit(&cust, &d, &vm_path, &format!("{vm_path}/limits"), &own).await;
    assert_eq!(r.status().as_u16(), 404);
    submit(&admin, &d, &admin_vm, &format!("{admin_vm}/limits"), &[("port_mbit", "fast")]).await;
    let (_, html) = get_text(&admin, &d.url(&admin_vm)).await;
    assert!(html.contains("VM0027"), "{html}");
    let r = submit(
        &admin,
        &d,
        &admin_vm,
        &format!("{admin_vm}/limits"),
        &[("port_mbit", ""), ("traffic_gib", "")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);

    // Lifted: empty fields are no limits.
    let fields = [("plan", plan_s.as_str()), ("cap", ""), ("shares", ""), ("port_mbit", "")];
    submit(&admin, &d, "/admin/plans", "/admin/plans/limits", &fields).await;
    let xml = d.svc().vms.domain_definition(&system, id).unwrap().unwrap();
    assert!(!xml.contains("<cputune>") && !xml.contains("<bandwidth>"), "{xml}");
    let (_, html) = get_text(&admin, &d.url("/admin/plans")).await;
    assert!(html.contains("no CPU cap"), "{html}");
    // A customer cannot.
    let r = submit(&cust, &d, "/plans", "/admin/plans/limits", &fields).await;
    assert_eq!(r.status().as_u16(), 403);
    d.stop().await;
}
