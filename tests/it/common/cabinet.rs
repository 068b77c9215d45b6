//! The cabinet as a test sees it: a typed client ([`Cabinet`]) for one account on one daemon,
//! and the steps most tests share (a catalogue to order from, ordering through the form,
//! waiting for a page to show something).

use std::time::Duration;

use vpsbox::domain::catalog::PlanSpec;
use vpsbox::domain::money::Money;
use vpsbox::service::plans::NewPlan;
use vpsbox::service::templates::ImportRequest;

use super::{Daemon, Target, client, csrf_of, get_text, location, qcow2_image, sign_up, submit};

/// One browser-like client (cookies kept) of one cabinet: what a customer or an admin does.
pub struct Cabinet<'d, T: Target> {
    /// The HTTP client, its cookie jar holding the session.
    pub http: reqwest::Client,
    /// The cabinet it talks to.
    pub target: &'d T,
}

impl<'d, T: Target> Cabinet<'d, T> {
    /// A visitor with an empty cookie jar.
    pub fn visitor(target: &'d T) -> Self {
        Cabinet { http: client(), target }
    }

    /// A new customer account, signed up and logged in.
    pub async fn customer(target: &'d T, email: &str) -> Self {
        let c = Cabinet::visitor(target);
        sign_up(&c.http, target, email).await;
        c
    }

    /// `GET path`: status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        get_text(&self.http, &self.target.url(path)).await
    }

    /// Post `fields` to `action` as the form on `page` would (its CSRF token added).
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        submit(&self.http, self.target, page, action, fields).await
    }

    /// Order a server through the form; its page's path.
    pub async fn order(&self, hostname: &str, plan: u64, template: u64) -> String {
        order(&self.http, self.target, hostname, plan, template).await
    }

    /// `path` once it shows `needle`.
    pub async fn wait_page(&self, path: &str, needle: &str) -> String {
        wait_page(&self.http, self.target, path, needle).await
    }
}

/// A plan and a template on offer: a 1 GiB blank qcow2 as "debian-12" and plan "s-1".
pub async fn catalogue(d: &Daemon) -> (u64, u64) {
    let img = qcow2_image(d.svc().vms.paths().disks().parent().unwrap(), "src.qcow2", "1G");
    catalogue_with(d, img, "debian-12", PlanSpec { vcpus: 1, memory_mib: 512, disk_gb: 2, ipv4: 1 }).await
}

/// Import `image` as template `name` and create a plan "s-1" with `spec`.
pub async fn catalogue_with(d: &Daemon, image: std::path::PathBuf, name: &str, spec: PlanSpec) -> (u64, u64) {
    let t = d
        .svc()
        .templates
        .import(
            image,
            ImportRequest { name: name.into(), os: "linux".into(), min_disk_gb: None, login_user: None },
        )
        .await
        .unwrap();
    let plan = NewPlan { name: "s-1".into(), spec, monthly_price: Money(500), hourly_price: Money(1) };
    let p = d.svc().plans.create(plan).await.unwrap();
    // Public addresses from a documentation range (data only).
    let pool = vpsbox::service::ipam::PoolText {
        network: "198.51.100.0/24".into(),
        gateway: "198.51.100.1".into(),
        dns: "198.51.100.53".into(),
        ..Default::default()
    };
    d.svc().ipam.add_pool("public-v4", pool.spec().unwrap()).await.unwrap();
    (p.id.0, t.id.0)
}

/// Order through the form, as a browser sends it (the saved keys' boxes come checked); returns
/// the VM path.
pub async fn order(c: &reqwest::Client, d: &impl Target, hostname: &str, plan: u64, template: u64) -> String {
    let (s, html) = get_text(c, &d.url("/vms/new")).await;
    assert_eq!(s, 200);
    let csrf = csrf_of(&html);
    let once = html.split("name=\"once\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let (plan, template) = (plan.to_string(), template.to_string());
    let keys: Vec<String> = html
        .split("name=\"key\" value=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect();
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("once", &once),
        ("plan", &plan),
        ("template", &template),
        ("hostname", hostname),
        ("root_password", "a long root password"),
    ];
    fields.extend(keys.iter().map(|k| ("key", k.as_str())));
    let r = c.post(d.url("/vms")).form(&fields).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    location(&r)
}

pub async fn wait_page(c: &reqwest::Client, d: &impl Target, path: &str, needle: &str) -> String {
    for _ in 0..200 {
        let (_, html) = get_text(c, &d.url(path)).await;
        if html.contains(needle) {
            return html;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{path} never showed {needle:?}: {}", get_text(c, &d.url(path)).await.1);
}
