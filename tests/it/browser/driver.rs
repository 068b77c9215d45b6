//! The browser the tests drive: a real headless Chromium over WebDriver (chromedriver), and the
//! demo (`serve --demo`) as a process for it to visit.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::*;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub(super) struct Driver {
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
    pub(super) async fn start() -> Driver {
        Driver::start_with(json!({})).await
    }

    /// A browser that shows pages as a phone `width` × `height` CSS pixels large (Chromium's
    /// device emulation: a window is never narrower than 500 px).
    pub(super) async fn start_phone(width: u32, height: u32) -> Driver {
        let metrics = json!({"width": width, "height": height, "pixelRatio": 3.0});
        Driver::start_with(json!({"mobileEmulation": {"deviceMetrics": metrics}})).await
    }

    /// A browser with more `goog:chromeOptions`.
    async fn start_with(more: Value) -> Driver {
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
        let mut options = json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-quic", "--no-first-run", "--window-size=1280,900",
                     format!("--user-data-dir={}", profile.path().display())]
        });
        for (k, v) in more.as_object().into_iter().flatten() {
            options[k] = v.clone();
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "acceptInsecureCerts": true,
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": options
        }}});
        let v: Value =
            http.post(format!("{base}/session")).json(&caps).send().await.unwrap().json().await.unwrap();
        let session =
            v["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {v}")).to_string();
        Driver { child, base, session, http, _profile: profile }
    }

    pub(super) async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
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

    pub(super) async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({"url": url}))).await;
    }

    pub(super) async fn find(&self, css: &str) -> String {
        let v = self
            .cmd(reqwest::Method::POST, "/element", Some(json!({"using": "css selector", "value": css})))
            .await;
        v[ELEMENT].as_str().unwrap_or_else(|| panic!("find {css}: {v}")).to_string()
    }

    pub(super) async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{e}/value"), Some(json!({"text": text}))).await;
    }

    pub(super) async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{e}/click"), Some(json!({}))).await;
    }

    pub(super) async fn url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", None).await.as_str().unwrap().to_string()
    }

    pub(super) async fn source(&self) -> String {
        self.cmd(reqwest::Method::GET, "/source", None).await.as_str().unwrap().to_string()
    }

    pub(super) async fn wait_for_path(&self, base: &str, path: &str) {
        for _ in 0..100 {
            if self.url().await == format!("{base}{path}") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("browser did not reach {path}; at {} with {}", self.url().await, self.source().await);
    }

    pub(super) async fn console(&self) -> Vec<Value> {
        let v = self.cmd(reqwest::Method::POST, "/se/log", Some(json!({"type": "browser"}))).await;
        v.as_array().cloned().unwrap_or_default()
    }

    pub(super) async fn quit(&self) {
        let _ = self.http.delete(format!("{}/session/{}", self.base, self.session)).send().await;
    }
}

impl Driver {
    pub(super) async fn wait_for_text(&self, needle: &str) -> String {
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

/// `serve --demo` as a process (libvirt's test driver), with what it printed.
pub(super) struct DemoProcess {
    child: std::process::Child,
    pub(super) base: String,
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
    pub(super) async fn start() -> DemoProcess {
        DemoProcess::start_with(&[]).await
    }

    /// The demo with more arguments (e.g. `--config FILE`).
    pub(super) async fn start_with(args: &[&str]) -> DemoProcess {
        let dir = tempdir();
        let port = free_port();
        let log = dir.path().join("demo.log");
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new(bin())
            .args(["serve", "--demo", "--data-dir"])
            .arg(dir.path())
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(args)
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

    pub(super) fn text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The printed password of a demo account.
    pub(super) fn password(&self, who: &str) -> String {
        let text = self.text();
        let line = text.lines().find(|l| l.trim_start().starts_with(&format!("{who}:"))).unwrap();
        line.split("password: ").nth(1).unwrap().trim().to_string()
    }
}

impl Driver {
    pub(super) async fn log_in(&self, base: &str, email: &str, password: &str) {
        self.goto(&format!("{base}/login")).await;
        self.type_into("#email", email).await;
        self.type_into("#password", password).await;
        self.click("main button[type=submit]").await;
        self.wait_for_path(base, "/dashboard").await;
    }

    /// The links of a navigation block, in order.
    pub(super) async fn links(&self, css: &str) -> Vec<String> {
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
    pub(super) async fn walk(&self, base: &str, pages: &[(&str, &[&str])]) {
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

/// The text of some HTML, tags dropped.
pub(super) fn visible(html: &str) -> String {
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
