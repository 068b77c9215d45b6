//! Support requests and the service level through the cabinet: a customer files a request
//! with a log attached and reads the admin's answer, the admin works the queue and the report,
//! admins are alerted in a Telegram chat (a Bot API stand-in on loopback), strangers get 404,
//! and the public status page shows incidents and maintenance.

use std::sync::{Arc, Mutex};

use crate::common::*;

/// What the Bot API stand-in received: each request's path and JSON body.
pub type Taken = Arc<Mutex<Vec<(String, serde_json::Value)>>>;

/// A stand-in for the Telegram Bot API on loopback: keeps every request's path and JSON body.
pub struct BotApi {
    pub port: u16,
    pub taken: Taken,
}

impl BotApi {
    pub async fn start() -> BotApi {
        use axum::extract::{Path, State};
        let taken: Taken = Arc::default();
        let app = axum::Router::new()
            .route(
                "/{*path}",
                axum::routing::post(
                    |State(t): State<Taken>, Path(p): Path<String>, body: axum::body::Bytes| async move {
                        t.lock().unwrap().push((p, serde_json::from_slice(&body).unwrap()));
                        r#"{"ok":true}"#
                    },
                ),
            )
            .with_state(taken.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        BotApi { port, taken }
    }
}

/// POST a multipart form (with the page's CSRF token) to `action`.
async fn post_multipart(
    c: &reqwest::Client,
    d: &Daemon,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &str)>,
) -> reqwest::Response {
    let csrf = csrf_of(&get_text(c, &d.url(form_page)).await.1);
    let mut form = reqwest::multipart::Form::new().text("csrf", csrf);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some((name, text)) = file {
        let part = reqwest::multipart::Part::bytes(text.as_bytes().to_vec()).file_name(name.to_string());
        form = form.part("attachment", part);
    }
    c.post(d.url(action)).multipart(form).send().await.unwrap()
}

#[tokio::test]
async fn a_customer_files_a_request_reads_the_answer_and_admins_are_alerted() {
    let bot = BotApi::start().await;
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    cfg.alerts.telegram_bot_token = "123:secret".into();
    cfg.alerts.telegram_chat_id = "-42".into();
    cfg.alerts.telegram_api = format!("http://127.0.0.1:{}", bot.port);
    let d = start_daemon_with(cfg, dir).await;
    let admin = admin_client(&d).await;
    let c = client();
    sign_up(&c, &d, "asker@example.com").await;

    // The hard-reboot form offers the instant reset first; the password form the account page.
    let (_, html) = get_text(&c, &d.url("/support/new?category=hard-reboot")).await;
    assert!(html.contains("Reset it yourself now") && html.contains("within 10 min"), "{html}");
    let (_, html) = get_text(&c, &d.url("/support/new?category=quota")).await;
    assert!(html.contains("href=\"/quota\""), "{html}");

    let log = "Nov 26 10:00:01 web nginx[42]: upstream timed out\n";
    let fields = [("category", "other"), ("subject", "Slow site"), ("body", "Pages take 30 s.\nSee log.")];
    let r =
        post_multipart(&c, &d, "/support/new?category=other", "/support", &fields, Some(("nginx.log", log)))
            .await;
    assert_eq!((r.status().as_u16(), location(&r)), (303, "/support/1".to_string()));
    let (_, html) = get_text(&c, &d.url("/support/1")).await;
    assert!(html.contains("Slow site") && html.contains("nginx.log") && html.contains("open"), "{html}");
    let (status, text) = get_text(&c, &d.url("/support/1/files/1/0")).await;
    assert_eq!((status, text.as_str()), (200, log));
    // A binary attachment is refused with its code; nothing is filed.
    let r =
        post_multipart(&c, &d, "/support/new?category=other", "/support", &fields, Some(("core", "a\0b")))
            .await;
    let (_, html) = get_text(&c, &d.url(&location(&r))).await;
    assert!(html.contains("SUP0004"), "{html}");
    assert_eq!(d.svc().support.queue().unwrap().len(), 1);

    // Another customer sees none of it.
    let stranger = client();
    sign_up(&stranger, &d, "stranger@example.com").await;
    assert_eq!(get_text(&stranger, &d.url("/support/1")).await.0, 404);
    assert_eq!(get_text(&stranger, &d.url("/support/1/files/1/0")).await.0, 404);

    // The admin's queue, the answer, and the customer reading it.
    let (_, html) = get_text(&admin, &d.url("/admin/support")).await;
    assert!(
        html.contains("Slow site") && html.contains("asker@example.com") && html.contains("left"),
        "{html}"
    );
    let r = submit(
        &admin,
        &d,
        "/admin/support/1",
        "/admin/support/1/reply",
        &[("body", "Tuned the upstream timeout.")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&c, &d.url("/support/1")).await;
    assert!(html.contains("Tuned the upstream timeout.") && html.contains("answered"), "{html}");
    let (_, html) = get_text(&c, &d.url("/notifications")).await;
    assert!(html.contains("Support answered your request #1"), "{html}");
    let (_, html) = get_text(&admin, &d.url("/admin/support/report")).await;
    assert!(html.contains("100.00%"), "{html}");

    // The customer phones: an admin files it for them, with that channel; the customer sees it.
    let form = [
        ("email", "asker@example.com"),
        ("channel", "phone"),
        ("category", "hard-reboot"),
        ("vms", ""),
        ("subject", "Server hangs"),
        ("body", "Called at 10:02, the site is down."),
    ];
    let r = submit(&admin, &d, "/admin/support/new", "/admin/support/new", &form).await;
    assert_eq!((r.status().as_u16(), location(&r)), (303, "/admin/support/2".to_string()));
    let (_, html) = get_text(&c, &d.url("/support/2")).await;
    assert!(html.contains("Server hangs") && html.contains("via phone"), "{html}");
    let mut unknown = form;
    unknown[0].1 = "nobody@example.com";
    let r = submit(&admin, &d, "/admin/support/new", "/admin/support/new", &unknown).await;
    let (_, html) = get_text(&admin, &d.url(&location(&r))).await;
    assert!(html.contains("ACC"), "an unknown customer is refused with a code: {html}");
    let (_, html) = get_text(&admin, &d.url("/admin/support/report")).await;
    let channels = html.split("id=\"report-channels\"").nth(1).unwrap_or_default();
    assert!(
        channels.contains("<td>phone</td><td>1</td>") && channels.contains("<td>cabinet</td><td>1</td>"),
        "{html}"
    );

    // The alert went to the Telegram chat, with the token only in the address.
    d.svc().telegram.drain().await.unwrap();
    let taken = bot.taken.lock().unwrap().clone();
    assert!(!taken.is_empty());
    assert!(
        taken.iter().all(|(p, v)| p == "bot123:secret/sendMessage" && v["chat_id"] == "-42"),
        "{taken:?}"
    );
    assert!(
        taken.iter().any(|(_, v)| v["text"].as_str().unwrap().contains("New support request #1")),
        "{taken:?}"
    );
    d.stop().await;
}

#[tokio::test]
async fn the_status_page_shows_incidents_and_maintenance_to_everyone() {
    let d = start_daemon().await;
    let admin = admin_client(&d).await;
    let fields =
        [("title", "Upstream network down"), ("severity", "outage"), ("scope", "host"), ("started", "")];
    let r = submit(&admin, &d, "/admin/sla", "/admin/sla/incidents", &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    let now = d.svc().sla.now();
    let (starts, ends) =
        (now.plus_secs(5 * 86_400).input_minute(), now.plus_secs(5 * 86_400 + 7200).input_minute());
    let fields =
        [("description", "Switch firmware upgrade"), ("scope", "host"), ("starts", &starts), ("ends", &ends)];
    let r = submit(&admin, &d, "/admin/sla", "/admin/sla/maintenance", &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    // A window that ends before it starts is refused with the reason.
    let bad = [("description", "Oops"), ("scope", "host"), ("starts", &ends), ("ends", &starts)];
    let r = submit(&admin, &d, "/admin/sla", "/admin/sla/maintenance", &bad).await;
    let (_, html) = get_text(&admin, &d.url(&location(&r))).await;
    assert!(html.contains("SLA0001"), "{html}");

    let visitor = client();
    let (status, html) = get_text(&visitor, &d.url("/status")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Upstream network down") && html.contains("ongoing"), "{html}");
    assert!(html.contains("Switch firmware upgrade") && !html.contains("Oops"), "{html}");
    // Resolved: listed as such for a week.
    let ended = d.svc().sla.now().input_minute();
    let r = submit(
        &admin,
        &d,
        "/admin/sla",
        "/admin/sla/incidents/1",
        &[("note", "Carrier fixed it."), ("ended", &ended), ("blame", "provider")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&visitor, &d.url("/status")).await;
    assert!(html.contains("All systems operational.") && html.contains("Carrier fixed it."), "{html}");
    d.stop().await;
}

#[tokio::test]
async fn maintenance_incident_and_support_commands_reach_the_running_daemon() {
    use vpsbox::clock::Clock;
    let dir = tempdir();
    let cfg = empty_config(dir.path());
    let p = DaemonProcess::spawn(dir.path(), &cfg);
    let (c_arg, d_arg) = (cfg.to_str().unwrap().to_string(), dir.path().to_str().unwrap().to_string());
    let run = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--config", c_arg.as_str(), "--data-dir", d_arg.as_str()]);
        let out = run_bin(&all, None);
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let now = vpsbox::clock::SystemClock.now();
    let starts = now.plus_secs(5 * 86_400).display_utc().replace(" UTC", "");
    let ends = now.plus_secs(5 * 86_400 + 3600).display_utc().replace(" UTC", "");
    let (ok, out, err) =
        run(&["maintenance", "add", "Core switch swap", "--starts", &starts, "--ends", &ends]);
    assert!(ok, "{err}");
    assert_eq!(out, format!("maintenance 1 scheduled {starts} UTC – {ends} UTC\n"));
    let (_, out, _) = run(&["maintenance", "list"]);
    assert!(out.contains("Core switch swap") && out.contains("planned"), "{out}");
    let (ok, out, err) = run(&["incident", "declare", "Packet loss upstream", "--degradation"]);
    assert!(ok && out.starts_with("incident 1 declared"), "{err}");
    let (ok, out, err) = run(&["incident", "update", "1", "--note", "Carrier rerouted", "--resolved", "now"]);
    assert!(ok && out == "incident 1 updated (resolved)\n", "{out}{err}");
    let (_, out, _) = run(&["incident", "list"]);
    assert!(
        out.contains("#1 resolved [degradation] all servers") && out.contains("Packet loss upstream"),
        "{out}"
    );
    let (_, out, _) = run(&["support", "report"]);
    assert!(out.starts_with("support report ") && out.contains("Hard reboot of a hung server"), "{out}");
    assert!(out.contains("by channel\nvia cabinet") && out.contains("via telegram"), "{out}");
    assert!(run(&["support", "queue"]).0);
    let (_, out, _) = run(&["maintenance", "cancel", "1"]);
    assert_eq!(out, "maintenance 1 called off\n");
    // The page shows what the commands did.
    let visitor = client();
    let (_, html) = get_text(&visitor, &p.url("/status")).await;
    assert!(html.contains("Packet loss upstream") && !html.contains("Core switch swap"), "{html}");
    for (args, code) in [
        (vec!["maintenance", "add", "x", "--starts", "tomorrow", "--ends", "later"], "SLA0001"),
        (vec!["maintenance", "add", "x", "--starts", &ends, "--ends", &starts], "SLA0001"),
        (vec!["incident", "update", "9", "--note", "x"], "SLA0002"),
        (vec!["incident", "update", "1", "--blame", "nobody"], "SLA0001"),
        (vec!["support", "report", "--month", "2027-13"], "SUP0001"),
    ] {
        let (ok, _, err) = run(&args);
        assert!(!ok && err.contains(code), "{args:?}: {err}");
    }
}
