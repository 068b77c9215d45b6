//! The customers' Telegram bot against a Bot API stand-in on loopback (the real API is not
//! reachable here): it serves `getUpdates` from a list the test appends to (an update stays
//! there, as Telegram keeps unconfirmed ones, so one handled twice would show as two replies),
//! records `sendMessage`, and serves a text log for `getFile`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use vpsbox::clock::Clock;
use vpsbox::domain::support::Category;
use vpsbox::domain::support_hours::Channel;
use vpsbox::service::Caller;

use crate::common::*;

const TOKEN: &str = "555:tok";
const LOG: &str = "Dec  5 10:00:01 web nginx[42]: connect() failed (111: Connection refused)\n";

#[derive(Default)]
struct Api {
    updates: Vec<Value>,
    sent: Vec<Value>,
    webhook: Option<Value>,
}

#[derive(Clone)]
struct StandIn {
    port: u16,
    api: Arc<Mutex<Api>>,
}

impl StandIn {
    async fn start() -> StandIn {
        use axum::extract::{Path, State};
        let api: Arc<Mutex<Api>> = Arc::default();
        let app = axum::Router::new()
            .route(
                "/{bot}/{method}",
                axum::routing::post(
                    |State(a): State<Arc<Mutex<Api>>>,
                     Path((bot, method)): Path<(String, String)>,
                     body: axum::body::Bytes| async move {
                        assert_eq!(bot, format!("bot{TOKEN}"));
                        let req: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                        let result = match method.as_str() {
                            "getUpdates" => {
                                let offset = req["offset"].as_u64().unwrap_or(0);
                                // A short wait, as long polling does, so the poller does not spin.
                                for _ in 0..10 {
                                    let fresh: Vec<Value> = a
                                        .lock()
                                        .unwrap()
                                        .updates
                                        .iter()
                                        .filter(|u| u["update_id"].as_u64().unwrap() >= offset)
                                        .cloned()
                                        .collect();
                                    if !fresh.is_empty() {
                                        return json!({ "ok": true, "result": fresh }).to_string();
                                    }
                                    tokio::time::sleep(Duration::from_millis(50)).await;
                                }
                                json!([])
                            }
                            "sendMessage" => {
                                a.lock().unwrap().sent.push(req);
                                json!({ "message_id": 1 })
                            }
                            "getMe" => json!({ "id": 555, "is_bot": true, "username": "acme_vps_bot" }),
                            "setWebhook" => {
                                a.lock().unwrap().webhook = Some(req);
                                json!(true)
                            }
                            "getFile" => json!({ "file_id": "f1", "file_path": "documents/file_1.log" }),
                            _ => json!(true),
                        };
                        json!({ "ok": true, "result": result }).to_string()
                    },
                ),
            )
            .route("/file/{bot}/documents/{name}", axum::routing::get(|| async { LOG }))
            .with_state(api.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        StandIn { port, api }
    }

    fn push(&self, update: Value) {
        let mut a = self.api.lock().unwrap();
        let id = a.updates.len() as u64 + 1;
        let mut u = update;
        u["update_id"] = json!(id);
        a.updates.push(u);
    }

    fn text(&self, from: i64, text: &str) {
        self.push(json!({ "message": {
            "chat": { "id": from, "type": "private" },
            "from": { "id": from, "first_name": "Aigerim", "username": "aigerim", "language_code": "ru" },
            "text": text,
        } }));
    }

    fn press(&self, from: i64, data: &str) {
        self.push(json!({ "callback_query": {
            "id": format!("q{data}"),
            "from": { "id": from, "first_name": "Aigerim", "language_code": "ru" },
            "message": { "chat": { "id": from, "type": "private" } },
            "data": data,
        } }));
    }

    fn sent(&self) -> Vec<Value> {
        self.api.lock().unwrap().sent.clone()
    }

    /// Wait until `n` messages have been sent; returns the last one's text and buttons.
    async fn wait_sent(&self, n: usize) -> (String, Vec<String>) {
        for _ in 0..400 {
            let sent = self.sent();
            if sent.len() >= n {
                assert_eq!(sent.len(), n, "one reply per update: {sent:#?}");
                let m = &sent[n - 1];
                let buttons = m["reply_markup"]["inline_keyboard"]
                    .as_array()
                    .map(|rows| {
                        rows.iter()
                            .flat_map(|r| {
                                r.as_array()
                                    .unwrap()
                                    .iter()
                                    .map(|b| b["callback_data"].as_str().unwrap().to_string())
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                return (m["text"].as_str().unwrap().to_string(), buttons);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("message {n} never sent: {:#?}", self.sent());
    }
}

fn bot_config(dir: &std::path::Path, api: &StandIn) -> vpsbox::config::Config {
    let mut cfg = test_config(dir);
    cfg.support.telegram_bot_token = TOKEN.into();
    cfg.support.telegram_api = format!("http://127.0.0.1:{}", api.port);
    cfg
}

/// The link code on the page `POST /account/telegram` answers with.
async fn link_code(c: &reqwest::Client, d: &Daemon) -> String {
    let r = submit(c, d, "/account", "/account/telegram", &[]).await;
    let html = r.text().await.unwrap();
    html.split("https://t.me/acme_vps_bot?start=").nth(1).expect(&html).split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn customers_link_file_report_outages_and_get_answers_through_the_bot() {
    let api = StandIn::start().await;
    let dir = tempdir();
    let d = start_daemon_with(bot_config(dir.path(), &api), dir).await;
    let (plan, template) = catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "aigerim@example.com").await;
    let vm = order(&c, &d, "web-1", plan, template).await;
    let vm_id: u64 = vm.trim_start_matches("/vms/").parse().unwrap();

    // An unlinked Telegram account is told how to link, in its app's language; nothing filed.
    api.text(77, "Сервер не отвечает");
    let (text, _) = api.wait_sent(1).await;
    assert!(text.contains("не привязан") && text.contains("Telegram"), "{text}");
    assert!(d.svc().support.queue().unwrap().is_empty());

    // The Account page makes a one-time deep link; a wrong code is refused.
    let (_, html) = get_text(&c, &d.url("/account")).await;
    assert!(html.contains("Link Telegram"), "{html}");
    let code = link_code(&c, &d).await;
    api.text(77, "/start not-the-code");
    assert!(api.wait_sent(2).await.0.contains("устарела"));
    // An expired one too (15 minutes), and a newer code replaces the older.
    d.clock.advance_secs(16 * 60);
    api.text(77, &format!("/start {code}"));
    assert!(api.wait_sent(3).await.0.contains("устарела"));
    let old = link_code(&c, &d).await;
    let code = link_code(&c, &d).await;
    api.text(77, &format!("/start {old}"));
    assert!(api.wait_sent(4).await.0.contains("устарела"));
    api.text(77, &format!("/start {code}"));
    let (text, buttons) = api.wait_sent(5).await;
    assert!(text.contains("aigerim@example.com"), "{text}");
    assert_eq!(buttons, ["new", "outage", "list"]);
    // Used once only.
    api.text(78, &format!("/start {code}"));
    assert!(api.wait_sent(6).await.0.contains("устарела"));
    let (_, html) = get_text(&c, &d.url("/account")).await;
    assert!(html.contains("@aigerim"), "{html}");

    // An outage report: servers by button, then the description; the incident counts from
    // the moment "report an outage" was pressed, not from when the description came.
    api.press(77, "outage");
    let (_, buttons) = api.wait_sent(7).await;
    assert_eq!(buttons, [format!("vm:{vm_id}"), "done".into(), "none".into(), "cancel".into()]);
    let pressed = d.clock.now();
    d.clock.advance_secs(120);
    api.press(77, &format!("vm:{vm_id}"));
    api.wait_sent(8).await;
    api.press(77, "done");
    let (text, _) = api.wait_sent(9).await;
    assert!(text.contains("Простой учитывается"), "{text}");
    api.text(77, "Сайт лежит\nВсе запросы отдают 502.");
    let (text, _) = api.wait_sent(10).await;
    assert!(text.contains("#1") && text.contains("10 мин"), "filed within working hours: {text}");
    let (r, messages) = d.svc().support.get(&Caller::system(), 1).unwrap();
    assert_eq!(
        (r.channel, r.category, r.subject.as_str()),
        (Channel::Telegram, Category::FullOutage, "Сайт лежит")
    );
    assert_eq!((r.vms.len(), r.target_mins, messages.len()), (1, 10, 1));
    let incident = d.svc().sla.incidents().unwrap().into_iter().find(|i| Some(i.id) == r.incident).unwrap();
    assert_eq!(incident.started, pressed, "the incident starts at the report");

    // Support answers in the cabinet; the answer reaches the chat.
    let admin = admin_client(&d).await;
    let r = submit(
        &admin,
        &d,
        "/admin/support/1",
        "/admin/support/1/reply",
        &[("body", "Перезапустили хранилище.")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let (text, _) = api.wait_sent(11).await;
    assert!(text.contains("Перезапустили хранилище.") && text.contains("#1"), "{text}");

    // The customer writes back in the thread, with a text log as a file.
    api.push(json!({ "message": {
        "chat": { "id": 77, "type": "private" },
        "from": { "id": 77, "first_name": "Aigerim" },
        "caption": "Спасибо, вот журнал",
        "document": { "file_id": "f1", "file_name": "nginx.log", "file_size": LOG.len() },
    } }));
    assert!(api.wait_sent(12).await.0.contains("#1"));
    let (_, messages) = d.svc().support.get(&Caller::system(), 1).unwrap();
    let last = messages.last().unwrap();
    assert_eq!((last.body.as_str(), last.attachments.len()), ("Спасибо, вот журнал", 1));
    assert_eq!(last.attachments[0].text, LOG);

    // A restart in the middle: updates sent while the daemon is down are handled once after
    // it, and nothing handled before is handled again.
    let cfg = bot_config(d.dir_path(), &api);
    let d = d.restart_after(cfg, || api.press(77, "new")).await;
    let (_, buttons) = api.wait_sent(13).await;
    assert!(buttons.contains(&"cat:hard-reboot".to_string()), "{buttons:?}");
    api.press(77, "cat:other");
    api.wait_sent(14).await;
    api.press(77, "none");
    api.wait_sent(15).await;
    api.text(77, "Вопрос по DNS");
    let (text, _) = api.wait_sent(16).await;
    assert!(text.contains("#2"), "{text}");
    assert_eq!(d.svc().support.queue().unwrap().len(), 2);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(api.sent().len(), 16, "nothing sent twice");

    // Unlinking: the bot no longer takes requests from that account.
    let r = submit(&c, &d, "/account", "/account/telegram/unlink", &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    api.text(77, "ещё вопрос");
    assert!(api.wait_sent(17).await.0.contains("не привязан"));
    d.stop().await;
}

/// By webhook: Telegram's posts are taken only with the secret it was given, and a post
/// repeated (Telegram retries when unsure) is handled once.
#[tokio::test]
async fn updates_by_webhook_need_the_secret_and_count_once() {
    let api = StandIn::start().await;
    let dir = tempdir();
    let mut cfg = bot_config(dir.path(), &api);
    cfg.support.telegram_webhook = true;
    cfg.support.telegram_bot_username = "acme_vps_bot".into();
    cfg.public_url = "https://vps.example.com".into();
    let d = start_daemon_with(cfg, dir).await;
    let mut hook = None;
    for _ in 0..100 {
        hook = api.api.lock().unwrap().webhook.clone();
        if hook.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let hook = hook.expect("setWebhook was called");
    assert_eq!(hook["url"], "https://vps.example.com/telegram/webhook");
    let secret = hook["secret_token"].as_str().unwrap().to_string();
    let update = json!({ "update_id": 500, "message": {
        "chat": { "id": 90, "type": "private" },
        "from": { "id": 90, "first_name": "Dana", "language_code": "kk" },
        "text": "Сәлем",
    } });
    let c = client();
    let post = |secret: String| {
        let (c, url, body) = (c.clone(), d.url("/telegram/webhook"), update.to_string());
        async move {
            c.post(url)
                .header("X-Telegram-Bot-Api-Secret-Token", secret)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(post("wrong".into()).await, 404);
    assert!(api.sent().is_empty());
    assert_eq!(post(secret.clone()).await, 200);
    assert!(api.wait_sent(1).await.0.contains("байланыстырылмаған"), "in the app's Kazakh");
    assert_eq!(post(secret).await, 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(api.sent().len(), 1, "a repeated post is handled once");
    d.stop().await;
}
