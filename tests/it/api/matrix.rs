//! Every operation of the OpenAPI document with each kind of token: without one 401, a metrics
//! token 403 (but `/ping`), a customer's token on another account's server 404 or 403, and
//! every answer as the document says.

use serde_json::{Value, json};

use super::{call_json, openapi, token};
use crate::common::*;

/// A body the operation takes (good enough to pass the token checks; the services may refuse).
fn body_for(method: &str, path: &str) -> Option<Value> {
    if method == "get" || method == "delete" {
        return None;
    }
    Some(match path {
        "/servers/{id}/power" => json!({ "action": "reboot" }),
        "/servers/{id}/reinstall" => json!({ "template": 1 }),
        "/servers/{id}/plan" => json!({ "plan": 1 }),
        "/servers/{id}/password" => json!({ "password": "Matrix-root-pass-1" }),
        "/users" => json!({ "email": "matrix-new@example.com" }),
        "/users/{id}/payments" => {
            json!({ "amount": { "minor": 100, "currency": "KZT" }, "reference": "m-1" })
        }
        "/users/{id}/corrections" => {
            json!({ "amount": { "minor": 100, "currency": "KZT" }, "reason": "m", "reference": "m-2" })
        }
        "/webhooks" => json!({ "url": "http://127.0.0.1:9/", "events": ["server.created"] }),
        "/servers/{id}/snapshots" => json!({ "label": "matrix" }),
        "/servers/{id}/iso" => json!({ "iso": 1 }),
        "/servers" => {
            json!({ "plan": 1, "template": 1, "hostname": "matrix", "root_password": "Matrix-root-pass-1" })
        }
        _ => json!({}),
    })
}

#[tokio::test]
async fn every_operation_with_each_kind_of_token() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "matrix-a@example.com").await;
    let vm = order(&c, &d, "theirs", plan, template).await;
    wait_page(&c, &d, &vm, "badge running").await;
    let server = vm.trim_start_matches("/vms/").to_string();
    let a = d.svc().accounts.user_by_email("matrix-a@example.com").unwrap().id.0;
    let b = d
        .accounts()
        .create_user("matrix-b@example.com", PW, vpsbox::domain::account::Role::Customer)
        .await
        .unwrap();
    let (_, metrics) = token(&d, 1, "metrics", "", "").await;
    let (_, customer_b) = token(&d, b.0, "customer", "", "").await;
    let (_, billing) = token(&d, 1, "billing", "", "").await;
    let (_, _, hook) =
        call_json(&d, "post", "/webhooks", Some(&billing), body_for("post", "/webhooks")).await;
    let hook = hook["id"].as_u64().unwrap().to_string();

    let doc = openapi();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, _) in item.as_object().unwrap() {
            // A concrete address: account A's things (its server, itself, a webhook).
            let id = if path.starts_with("/users/") {
                a.to_string()
            } else if path.starts_with("/webhooks/") {
                hook.clone()
            } else {
                server.clone()
            };
            // A snapshot that need not exist: the token checks come first.
            let concrete = path.replace("{id}", &id).replace("{snapshot}", "1");
            let body = body_for(method, path);
            // No token: 401, whatever the operation.
            let (status, _, p) = call_json(&d, method, &concrete, None, body.clone()).await;
            assert_eq!((status, p["code"].as_str()), (401, Some("TOK0010")), "{method} {path}");
            // Metrics only: 403 but /ping.
            let (status, _, p) = call_json(&d, method, &concrete, Some(&metrics), body.clone()).await;
            if path == "/ping" {
                assert_eq!(status, 200, "{method} {path}: {p}");
            } else {
                assert_eq!((status, p["code"].as_str()), (403, Some("TOK0015")), "{method} {path}: {p}");
            }
            // Another customer's token on account A's things: never let through.
            if path.contains("{id}") && !path.starts_with("/operations/") && !path.starts_with("/backups/") {
                let (status, _, p) = call_json(&d, method, &concrete, Some(&customer_b), body.clone()).await;
                assert!(
                    matches!(status, 403 | 404),
                    "{method} {path} with another customer's token: {status} {p}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 48, "every operation: {checked}");
    d.stop().await;
}
