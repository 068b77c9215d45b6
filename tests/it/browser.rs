//! A real headless Chromium, driven over WebDriver (chromedriver): sign up, log out, log in,
//! see the dashboard, log out, with zero console errors.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::*;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    child: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start() -> Driver {
        let port = free_port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver) must be installed");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if http.get(format!("{base}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "acceptInsecureCerts": true,
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-quic", "--no-first-run", "--window-size=1280,900",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let v: Value =
            http.post(format!("{base}/session")).json(&caps).send().await.unwrap().json().await.unwrap();
        let session =
            v["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {v}")).to_string();
        Driver { child, base, session, http, _profile: profile }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{}", self.base, self.session, path);
        let mut req = self.http.request(method, url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        if let Some(err) = v["value"].get("error") {
            panic!("webdriver {path}: {err} {}", v["value"]["message"]);
        }
        v["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({"url": url}))).await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .cmd(reqwest::Method::POST, "/element", Some(json!({"using": "css selector", "value": css})))
            .await;
        v[ELEMENT].as_str().unwrap_or_else(|| panic!("find {css}: {v}")).to_string()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{e}/value"), Some(json!({"text": text}))).await;
    }

    async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{e}/click"), Some(json!({}))).await;
    }

    async fn url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", None).await.as_str().unwrap().to_string()
    }

    async fn source(&self) -> String {
        self.cmd(reqwest::Method::GET, "/source", None).await.as_str().unwrap().to_string()
    }

    async fn wait_for_path(&self, base: &str, path: &str) {
        for _ in 0..100 {
            if self.url().await == format!("{base}{path}") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("browser did not reach {path}; at {} with {}", self.url().await, self.source().await);
    }

    async fn console(&self) -> Vec<Value> {
        let v = self.cmd(reqwest::Method::POST, "/se/log", Some(json!({"type": "browser"}))).await;
        v.as_array().cloned().unwrap_or_default()
    }

    async fn quit(&self) {
        let _ = self.http.delete(format!("{}/session/{}", self.base, self.session)).send().await;
    }
}

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

impl Driver {
    async fn wait_for_text(&self, needle: &str) -> String {
        for _ in 0..150 {
            let html = self.source().await;
            if html.contains(needle) {
                return html;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("page never showed {needle:?}: {}", self.source().await);
    }
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

/// `serve --demo` as a process (libvirt's test driver), with what it printed.
struct DemoProcess {
    child: std::process::Child,
    base: String,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for DemoProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl DemoProcess {
    async fn start() -> DemoProcess {
        let dir = tempdir();
        let port = free_port();
        let log = dir.path().join("demo.log");
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new(bin())
            .args(["serve", "--demo", "--data-dir"])
            .arg(dir.path())
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "info")
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        let p = DemoProcess { child, base: format!("https://127.0.0.1:{port}"), log, _dir: dir };
        for _ in 0..600 {
            if p.text().contains("Press Ctrl+C to stop") {
                return p;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the demo did not start: {}", p.text());
    }

    fn text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The printed password of a demo account.
    fn password(&self, who: &str) -> String {
        let text = self.text();
        let line = text.lines().find(|l| l.trim_start().starts_with(&format!("{who}:"))).unwrap();
        line.split("password: ").nth(1).unwrap().trim().to_string()
    }
}

impl Driver {
    async fn log_in(&self, base: &str, email: &str, password: &str) {
        self.goto(&format!("{base}/login")).await;
        self.type_into("#email", email).await;
        self.type_into("#password", password).await;
        self.click("main button[type=submit]").await;
        self.wait_for_path(base, "/dashboard").await;
    }

    /// The links of a navigation block, in order.
    async fn links(&self, css: &str) -> Vec<String> {
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/execute/sync",
                Some(json!({
                    "script": "return [...document.querySelectorAll(arguments[0] + ' a')].map(a => a.getAttribute('href'))",
                    "args": [css]
                })),
            )
            .await;
        v.as_array().unwrap().iter().map(|h| h.as_str().unwrap().to_string()).collect()
    }

    /// Visit each of `pages` (path, what it must show) and check it shows it.
    async fn walk(&self, base: &str, pages: &[(&str, &[&str])]) {
        let mut wrong = Vec::new();
        for (path, needles) in pages {
            self.goto(&format!("{base}{path}")).await;
            let html = self.source().await;
            let text = html.split("<main").nth(1).unwrap_or(&html).to_string();
            for n in *needles {
                if !html.contains(n) {
                    wrong.push(format!("{path} does not show {n:?}: {}", visible(&text)));
                }
            }
            for empty in
                ["Nothing is on offer yet", "No virtual machines yet", "No backups", "No private networks"]
            {
                if html.contains(empty) {
                    wrong.push(format!("{path} is empty ({empty:?})"));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    }
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
            ("/vms/1", &["web-1", "backend", "192.0.2.", "2001:db8:100:"]),
            ("/vms/1/backups", &["daily at 03:30", "done"]),
            ("/sla", &["web-1"]),
            ("/quota", &["virtual machines"]),
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
        ("/admin/quota-requests", &["staging copy of the shop"]),
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

/// The text of some HTML, tags dropped.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for c in html.chars() {
        match c {
            '<' => tag = true,
            '>' => {
                tag = false;
                out.push(' ');
            }
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
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
