//! Webhooks to a receiver on loopback: subscribed through the API, signed, retried after the
//! receiver was down, each event once, and the delivery log.

use std::sync::{Arc, Mutex};

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use super::{call_json, get_json, problem, token};
use crate::common::*;

/// What the receiver got: (headers, body) of each POST.
type Got = Arc<Mutex<Vec<(axum::http::HeaderMap, String)>>>;

/// A receiver on `port` of loopback that answers 200 and keeps what it gets.
async fn receiver(port: u16, got: Got) {
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let got = got.clone();
            async move {
                got.lock().unwrap().push((headers, body));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
}

/// The events of `kind` received so far, waiting up to 10 s for at least `n`.
async fn events(got: &Got, kind: &str, n: usize) -> Vec<(axum::http::HeaderMap, Value)> {
    for _ in 0..100 {
        let have: Vec<_> = got
            .lock()
            .unwrap()
            .iter()
            .filter(|(h, _)| h["vpsbox-event"] == kind)
            .map(|(h, b)| (h.clone(), serde_json::from_str::<Value>(b).unwrap()))
            .collect();
        if have.len() >= n {
            return have;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no {kind} event: {:?}", got.lock().unwrap());
}

/// The signature header checked as a receiver would: HMAC-SHA256 of "<t>.<body>".
fn verify(secret: &str, headers: &axum::http::HeaderMap, body: &str) {
    let sig = headers["vpsbox-signature"].to_str().unwrap();
    let (t, v1) = sig.split_once(',').unwrap();
    let (t, v1) = (t.strip_prefix("t=").unwrap(), v1.strip_prefix("v1=").unwrap());
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    let want: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(v1, want, "signature of {body}");
}

#[tokio::test]
async fn events_reach_a_receiver_signed_once_each_and_after_it_was_down() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let (_, billing) = token(&d, 1, "billing", "", "").await;
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/hook");
    let events_wanted = json!(["server.created", "server.suspended", "server.deleted"]);
    let sub = json!({ "url": url, "events": events_wanted });
    let (status, _, hook) = call_json(&d, "post", "/webhooks", Some(&billing), Some(sub)).await;
    assert_eq!(status, 201, "{hook}");
    let (id, secret) = (hook["id"].as_u64().unwrap(), hook["secret"].as_str().unwrap().to_string());
    let bad = json!({ "url": url, "events": ["server.exploded"] });
    let (status, headers, body) = call_json(&d, "post", "/webhooks", Some(&billing), Some(bad)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "HOOK0002"));
    let bad = json!({ "url": "ftp://example.com/", "events": ["server.created"] });
    let (status, headers, body) = call_json(&d, "post", "/webhooks", Some(&billing), Some(bad)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "HOOK0001"));
    let (_, _, listed) = get_json(&d, "/webhooks", Some(&billing)).await;
    assert!(listed["items"][0]["secret"].is_null(), "the secret only once: {listed}");

    // A server is made while the receiver is down: the delivery waits and is retried.
    let (_, _, user) =
        call_json(&d, "post", "/users", Some(&billing), Some(json!({ "email": "hooked@example.com" }))).await;
    let owner = user["id"].as_u64().unwrap();
    let (_, theirs) = token(&d, owner, "customer", "", "").await;
    let (status, headers, body) = get_json(&d, "/webhooks", Some(&theirs)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (403, "TOK0015"));
    let order = json!({ "owner": owner, "plan": plan, "template": template, "hostname": "hooked",
                        "root_password": "Correct-horse-9", "external_service_id": "svc-hook" });
    let r = client()
        .post(d.url("/api/v1/servers"))
        .bearer_auth(&billing)
        .header("Idempotency-Key", "h-1")
        .json(&order)
        .send()
        .await
        .unwrap();
    let server = r.json::<Value>().await.unwrap()["id"].as_u64().unwrap();
    let mut tried = Value::Null;
    for _ in 0..100 {
        d.svc().webhooks.deliver_due().await.unwrap();
        let (_, _, log) = get_json(&d, &format!("/webhooks/{id}/deliveries"), Some(&billing)).await;
        if log["items"][0]["attempts"].as_u64().unwrap_or(0) >= 1 {
            tried = log;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let first = &tried["items"][0];
    assert_eq!(
        (first["event"].as_str(), first["state"].as_str()),
        (Some("server.created"), Some("pending")),
        "{tried}"
    );
    assert!(first["last_error"].as_str().unwrap().contains("no answer"), "{first}");

    // The receiver is up; the retry is due ten seconds later.
    let got: Got = Arc::default();
    receiver(port, got.clone()).await;
    d.clock.advance_secs(11);
    let created = events(&got, "server.created", 1).await;
    let (headers, body) = &created[0];
    let raw = got.lock().unwrap()[0].1.clone();
    verify(&secret, headers, &raw);
    assert_eq!(headers["vpsbox-event-id"], body["id"].as_str().unwrap());
    assert_eq!(
        (body["data"]["server"].as_u64(), body["data"]["external_service_id"].as_str()),
        (Some(server), Some("svc-hook")),
        "{body}"
    );
    assert_eq!(body["data"]["owner"].as_u64(), Some(owner));

    // More events, a test ping, and the log says what happened.
    let reason = json!({ "reason": "unpaid" });
    assert_eq!(
        call_json(&d, "post", &format!("/servers/{server}/suspend"), Some(&billing), Some(reason)).await.0,
        200
    );
    events(&got, "server.suspended", 1).await;
    let (status, _, ping) =
        call_json(&d, "post", &format!("/webhooks/{id}/test"), Some(&billing), None).await;
    assert_eq!((status, ping["event"].as_str()), (202, Some("ping")), "{ping}");
    events(&got, "ping", 1).await;
    let (status, _, op) =
        call_json(&d, "delete", &format!("/servers/{server}?grace_hours=0"), Some(&billing), None).await;
    assert_eq!(status, 202, "{op}");
    let deleted = events(&got, "server.deleted", 1).await;
    assert_eq!(deleted[0].1["data"]["external_service_id"], "svc-hook");
    for (h, b) in got.lock().unwrap().iter() {
        verify(&secret, h, b);
    }
    let ids: Vec<String> =
        got.lock().unwrap().iter().map(|(h, _)| h["vpsbox-event-id"].to_str().unwrap().to_string()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "no event twice: {ids:?}");
    let (_, _, log) = get_json(&d, &format!("/webhooks/{id}/deliveries"), Some(&billing)).await;
    assert!(log["items"].as_array().unwrap().iter().all(|x| x["state"] == "delivered"), "{log}");

    // The admin page shows the subscription and its log, and sends a test.
    let admin = admin_client(&d).await;
    let (status, page) = get_text(&admin, &d.url("/admin/webhooks")).await;
    assert!(
        status == 200 && page.contains(&url) && page.contains("server.deleted") && page.contains("delivered"),
        "{status}"
    );
    let r = submit(&admin, &d, "/admin/webhooks", &format!("/admin/webhooks/{id}/test"), &[]).await;
    assert_eq!((r.status().as_u16(), location(&r)), (303, "/admin/webhooks".to_string()));
    events(&got, "ping", 2).await;

    let (status, _, _) = call_json(&d, "delete", &format!("/webhooks/{id}"), Some(&billing), None).await;
    assert_eq!(status, 204);
    let (status, headers, body) = get_json(&d, &format!("/webhooks/{id}/deliveries"), Some(&billing)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (404, "HOOK0005"));
    d.stop().await;
}
