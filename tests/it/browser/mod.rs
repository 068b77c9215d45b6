//! A real headless Chromium, driven over WebDriver (chromedriver): sign up, log in and out, order
//! a VM, open its consoles, see billing and support, walk every menu page of the demo, with zero
//! console errors; and every page in a pseudo-language at phone width (`pseudo`).

mod driver;
mod passkeys;
mod pseudo;

use serde_json::json;

use crate::common::*;
use driver::{DemoProcess, Driver};

#[tokio::test]
async fn chromium_signs_up_logs_in_and_out_without_console_errors() {
    let d = start_daemon().await;
    let base = d.url("");
    let b = Driver::start().await;
    let mut logs = Vec::new();

    b.goto(&d.url("/signup")).await;
    b.type_into("#email", "browser@example.com").await;
    b.type_into("#password", PW).await;
    b.type_into("#confirm", PW).await;
    b.click("button[type=submit]").await;
    b.wait_for_path(&base, "/dashboard").await;
    assert!(b.source().await.contains("browser@example.com"));
    logs.extend(b.console().await);

    b.click(".topbar button[type=submit]").await;
    b.wait_for_path(&base, "/login").await;
    assert!(b.source().await.contains("You have logged out"));

    b.type_into("#email", "browser@example.com").await;
    b.type_into("#password", PW).await;
    b.click("main button[type=submit]").await;
    b.wait_for_path(&base, "/dashboard").await;
    let html = b.source().await;
    assert!(html.contains("Dashboard") && html.contains("Member since"), "{html}");
    logs.extend(b.console().await);

    b.click(".topbar button[type=submit]").await;
    b.wait_for_path(&base, "/login").await;
    logs.extend(b.console().await);
    b.quit().await;

    let errors: Vec<_> = logs.iter().filter(|e| e["level"] == "SEVERE" || e["level"] == "WARNING").collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    d.stop().await;
}

#[tokio::test]
async fn chromium_orders_a_vm_and_sees_it_running() {
    let d = start_daemon().await;
    crate::common::catalogue(&d).await;
    let base = d.url("");
    let b = Driver::start().await;
    b.goto(&d.url("/signup")).await;
    b.type_into("#email", "buyer@example.com").await;
    b.type_into("#password", PW).await;
    b.type_into("#confirm", PW).await;
    b.click("main button[type=submit]").await;
    b.wait_for_path(&base, "/dashboard").await;
    b.goto(&d.url("/vms/new")).await;
    b.type_into("#hostname", "browser-vm").await;
    b.type_into("#root_password", "a long root password").await;
    b.click("main button[type=submit]").await;
    // The VM page refreshes itself (no JavaScript) until the server runs.
    let html = b.wait_for_text("badge running").await;
    assert!(html.contains("browser-vm") && html.contains("Hard reset"), "{html}");
    assert!(b.url().await.starts_with(&d.url("/vms/")));
    // The list's one-click button (a `form`-attribute submit, no script) comes back to the list.
    b.goto(&d.url("/vms")).await;
    b.click("button[value=shutdown]").await;
    b.wait_for_path(&base, "/vms").await;
    let list = b.wait_for_text("browser-vm: Shutdown requested").await;
    assert!(list.contains("<code>198.51.100."), "{list}");
    let logs = b.console().await;
    b.quit().await;
    let errors: Vec<_> = logs.iter().filter(|e| e["level"] == "SEVERE" || e["level"] == "WARNING").collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    d.stop().await;
}

/// The graphical console page in a real browser: noVNC connects through the proxy to a real
/// QEMU VM and draws on its canvas, the serial page shows the terminal, with no console errors.
#[tokio::test]
async fn chromium_opens_the_consoles_of_a_running_vm() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    cfg.libvirt.uri = "qemu:///system".into();
    cfg.libvirt.domain_type = vpsbox::config::DomainType::Qemu;
    let d = start_daemon_with(cfg, dir).await;
    let (vm, id) = crate::console::running_vm(&d, "viewer@example.com", "browser-console").await;
    let base = d.url("");
    let b = Driver::start().await;
    b.goto(&d.url("/login")).await;
    b.type_into("#email", "viewer@example.com").await;
    b.type_into("#password", PW).await;
    b.click("main button[type=submit]").await;
    b.wait_for_path(&base, "/dashboard").await;

    b.goto(&d.url(&format!("{vm}/console"))).await;
    let html = b.wait_for_text("data-connected=\"true\"").await;
    assert!(html.contains("<canvas"), "noVNC draws on a canvas: {html}");
    assert!(b.source().await.contains("Connected"));
    let mut logs = b.console().await;

    b.goto(&d.url(&format!("{vm}/serial"))).await;
    let html = b.wait_for_text("data-connected=\"true\"").await;
    assert!(html.contains("xterm"), "{html}");
    logs.extend(b.console().await);

    // The VM page shows the screen as a thumbnail that links to the console.
    b.goto(&d.url(&vm)).await;
    let html = b.wait_for_text("screenshot.png").await;
    assert!(html.contains(&format!("href=\"{vm}/console\"")), "{html}");
    logs.extend(b.console().await);

    // When vpsbox ends a graphical session, the page says why by the close code: here the VM is
    // suspended (or its display closed first as QEMU paused).
    b.goto(&d.url(&format!("{vm}/console"))).await;
    b.wait_for_text("data-connected=\"true\"").await;
    d.svc()
        .vms
        .set_suspended(&vpsbox::service::Caller::system(), vpsbox::domain::vm::VmId(id), true)
        .await
        .unwrap();
    let html = b.wait_for_text("data-connected=\"false\"").await;
    let status =
        html.split("id=\"console-status\"").nth(1).and_then(|s| s.split("</span>").next()).unwrap_or("");
    assert!(
        status.contains(">The virtual machine was suspended")
            || status.contains(">The console closed (is the server off?)"),
        "the close code's words: {status}"
    );
    logs.extend(b.console().await);
    b.quit().await;
    let errors: Vec<_> = logs.iter().filter(|e| e["level"] == "SEVERE" || e["level"] == "WARNING").collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    crate::console::delete_vm(&d, id).await;
    d.stop().await;
}

/// Billing in a real browser: the customer follows the menu to the balance and transactions,
/// then opens the month's statement.
#[tokio::test]
async fn chromium_shows_balance_transactions_and_a_statement() {
    let d = start_daemon().await;
    crate::billing::customer_with_a_statement(&d, "reader@example.com").await;
    let base = d.url("");
    let b = Driver::start().await;
    b.goto(&d.url("/login")).await;
    b.type_into("#email", "reader@example.com").await;
    b.type_into("#password", PW).await;
    b.click("main button[type=submit]").await;
    b.wait_for_path(&base, "/dashboard").await;
    b.click("nav a[href='/billing']").await;
    b.wait_for_path(&base, "/billing").await;
    let html = b.wait_for_text("Balance:").await;
    assert!(html.contains("96.00 KZT") && html.contains("Payment — bank 77"), "{html}");
    assert!(html.contains("Usage, 24 hours"), "{html}");
    let mut logs = b.console().await;
    b.click("a[href='/billing/statements/1']").await;
    b.wait_for_path(&base, "/billing/statements/1").await;
    let html = b.wait_for_text("Closing balance").await;
    assert!(html.contains("Statement 1") && html.contains("2027-01"), "{html}");
    logs.extend(b.console().await);
    b.quit().await;
    let errors: Vec<_> = logs.iter().filter(|e| e["level"] == "SEVERE" || e["level"] == "WARNING").collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    d.stop().await;
}

/// Support in a real browser: a customer files a request through the menu and reads the
/// admin's answer; the admin then sees it in the queue.
#[tokio::test]
async fn chromium_files_a_support_request_and_sees_the_answer() {
    let d = start_daemon().await;
    let admin = admin_client(&d).await;
    d.accounts()
        .create_user("helpme@example.com", PW, vpsbox::domain::account::Role::Customer)
        .await
        .unwrap();
    let base = d.url("");
    let b = Driver::start().await;
    b.goto(&d.url("/login")).await;
    b.type_into("#email", "helpme@example.com").await;
    b.type_into("#password", PW).await;
    b.click("main button[type=submit]").await;
    b.wait_for_path(&base, "/dashboard").await;
    b.click("nav a[href='/support']").await;
    b.wait_for_path(&base, "/support").await;
    b.click("a[href='/support/new']").await;
    b.wait_for_path(&base, "/support/new").await;
    b.click("a[href='/support/new?category=zone-link']").await;
    b.wait_for_text("within 30 min").await;
    b.type_into("#subject", "Link zone A and B").await;
    b.type_into("#body", "Please connect my private networks across zones.").await;
    b.click("main form button[type=submit]").await;
    b.wait_for_path(&base, "/support/1").await;
    let html = b.wait_for_text("Request #1 sent").await;
    assert!(html.contains("Link zone A and B") && html.contains("left"), "{html}");
    let mut logs = b.console().await;

    let r =
        submit(&admin, &d, "/admin/support/1", "/admin/support/1/reply", &[("body", "Linked; try it now.")])
            .await;
    assert_eq!(r.status().as_u16(), 303);
    b.goto(&d.url("/support/1")).await;
    let html = b.wait_for_text("Linked; try it now.").await;
    assert!(html.contains("answered"), "{html}");
    logs.extend(b.console().await);

    b.click(".topbar button[type=submit]").await;
    b.wait_for_path(&base, "/login").await;
    b.type_into("#email", "root@example.com").await;
    b.type_into("#password", PW).await;
    b.click("main button[type=submit]").await;
    b.wait_for_path(&base, "/dashboard").await;
    b.goto(&d.url("/admin/support")).await;
    let html = b.wait_for_text("Link zone A and B").await;
    assert!(html.contains("helpme@example.com") && html.contains("answered"), "{html}");
    logs.extend(b.console().await);
    b.quit().await;
    let errors: Vec<_> = logs.iter().filter(|e| e["level"] == "SEVERE" || e["level"] == "WARNING").collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    d.stop().await;
}

/// The demo on the test driver, as a newcomer sees it: every menu page of the demo customer and
/// of the demo admin shows something of the stocked shop.
#[tokio::test]
async fn chromium_walks_every_menu_page_of_the_stocked_demo() {
    let demo = DemoProcess::start().await;
    assert!(demo.text().contains("demo stocked"), "{}", demo.text());
    assert!(demo.text().contains("test:///default"), "the demo uses the test driver: {}", demo.text());
    let base = demo.base.clone();
    let b = Driver::start().await;
    b.log_in(&base, "customer@example.com", &demo.password("customer")).await;
    let customer: &[(&str, &[&str])] = &[
        ("/dashboard", &["1 running"]),
        ("/vms", &["web-1", "badge running"]),
        ("/networks", &["backend", "10.10.0.0/24"]),
        ("/disks", &["data", "web-1"]),
        ("/backups", &["web-1", "full", "done"]),
        ("/plans", &["s-1", "m-2", "l-4"]),
        (
            "/billing",
            &["Statements", "Closing balance", "GiB of extra disk", "web-1 <span class=\"muted\">(vm:1)"],
        ),
        ("/support", &["How do I log in to web-1 over SSH?"]),
        ("/account", &["customer@example.com"]),
        ("/notifications", &["Support answered your request"]),
    ];
    let menu = b.links("nav[aria-label=Main]").await;
    let listed: Vec<&str> = customer.iter().map(|(p, _)| *p).collect();
    assert_eq!(menu, listed, "a menu page the walk does not know");
    b.walk(&base, customer).await;
    b.walk(
        &base,
        &[
            ("/vms/new", &["s-1", "debian-12", "ubuntu-24.04", "almalinux-9"]),
            ("/vms/1", &["web-1", "backend", "192.0.2.", "2001:db8:100:", "CPU over 24 hours: average"]),
            ("/vms/1?usage=30d", &["CPU over 30 days: average"]),
            ("/vms/1/backups", &["daily at 03:30", "done"]),
            ("/sla", &["web-1"]),
            ("/quota", &["virtual machines"]),
            ("/account/2fa", &["Set up an authenticator app"]),
        ],
    )
    .await;
    let logs = b.console().await;
    b.quit().await;

    let b = Driver::start().await;
    b.log_in(&base, "admin@example.com", &demo.password("admin")).await;
    b.goto(&format!("{base}/admin")).await;
    let admin: &[(&str, &[&str])] = &[
        ("/admin", &["Installation", "test:///default"]),
        ("/admin/users", &["customer@example.com"]),
        ("/admin/vms", &["web-1"]),
        ("/admin/plans", &["s-1", "l-4"]),
        ("/admin/templates", &["almalinux-9"]),
        ("/admin/ip-pools", &["public-v4", "public-v6"]),
        ("/admin/backups", &["web-1"]),
        ("/admin/billing", &["s-1"]),
        ("/admin/trials", &["customer@example.com"]),
        ("/admin/support", &["How do I log in to web-1 over SSH?", "Quota increase"]),
        ("/admin/sla", &["Storage of the host not responding", "Kernel and firmware updates"]),
        ("/admin/abuse", &["No server has been flagged."]),
        ("/admin/quota-requests", &["staging copy of the shop"]),
        ("/admin/tokens", &["API tokens of every account"]),
        ("/admin/webhooks", &["No subscriptions yet"]),
        ("/admin/audit", &["vm.create"]),
        ("/admin/unmanaged", &["Unmanaged resources"]),
    ];
    let tabs = b.links("nav[aria-label='Admin sections']").await;
    let listed: Vec<&str> = admin.iter().map(|(p, _)| *p).collect();
    assert_eq!(tabs, listed, "an admin page the walk does not know");
    b.walk(&base, admin).await;
    let mut all = logs;
    all.extend(b.console().await);
    b.quit().await;
    let errors: Vec<_> = all.iter().filter(|e| e["level"] == "SEVERE").collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

/// A form over the body limit, sent by a real browser, gets the WEB0413 page (not a broken
/// connection).
#[tokio::test]
async fn chromium_gets_the_413_page_for_an_oversized_form() {
    let d = start_daemon().await;
    let base = d.url("");
    let b = Driver::start().await;
    b.goto(&d.url("/signup")).await;
    b.type_into("#email", "big@example.com").await;
    b.type_into("#password", PW).await;
    b.type_into("#confirm", PW).await;
    b.click("button[type=submit]").await;
    b.wait_for_path(&base, "/dashboard").await;
    for size in [100 * 1024, 4 * 1024 * 1024] {
        b.goto(&d.url("/quota")).await;
        let script = "document.getElementById('reason').value = 'x'.repeat(arguments[0]); \
                      document.getElementById('reason').form.submit();";
        b.cmd(reqwest::Method::POST, "/execute/sync", Some(json!({"script": script, "args": [size]}))).await;
        let html = b.wait_for_text("WEB0413").await;
        assert!(
            html.contains("too large") || html.contains("Too large") || html.contains("WEB0413"),
            "{size}: {html}"
        );
    }
    b.quit().await;
    d.stop().await;
}
