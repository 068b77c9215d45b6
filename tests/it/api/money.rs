//! Money and usage through the API: payments and corrections booked once per reference, the
//! balance, the ledger page by page, statements, and what servers used in a month.

use serde_json::{Value, json};

use super::{call_json, get_json, problem, token, wait_ready};
use crate::common::*;

#[tokio::test]
async fn payments_book_once_and_balances_ledgers_statements_and_usage_read_back() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let (_, billing) = token(&d, 1, "billing", "", "").await;
    let (_, _, user) =
        call_json(&d, "post", "/users", Some(&billing), Some(json!({ "email": "payer@example.com" }))).await;
    let owner = user["id"].as_u64().unwrap();
    let (_, _, other) =
        call_json(&d, "post", "/users", Some(&billing), Some(json!({ "email": "other@example.com" }))).await;
    let other = other["id"].as_u64().unwrap();
    let (_, mine) = token(&d, owner, "customer", "", "").await;
    let order = json!({ "owner": owner, "plan": plan, "template": template, "hostname": "meter1",
                        "root_password": "Correct-horse-9", "external_service_id": "svc-meter" });
    let r = client()
        .post(d.url("/api/v1/servers"))
        .bearer_auth(&billing)
        .header("Idempotency-Key", "meter-1")
        .json(&order)
        .send()
        .await
        .unwrap();
    let server: Value = r.json().await.unwrap();
    let id = server["id"].as_u64().unwrap();
    wait_ready(&d, id, &billing).await;
    let pay = |who: u64, minor: i64, reference: &str| {
        let body = json!({ "amount": { "minor": minor, "currency": "KZT" }, "reference": reference });
        let (d, billing) = (&d, billing.clone());
        async move { call_json(d, "post", &format!("/users/{who}/payments"), Some(&billing), Some(body)).await }
    };

    // A payment system retries: one entry.
    let (status, _, first) = pay(owner, 500_000, "kaspi-1001").await;
    assert_eq!(
        (status, first["kind"].as_str(), first["seq"].as_u64()),
        (201, Some("payment"), Some(1)),
        "{first}"
    );
    let (status, headers, again) = pay(owner, 500_000, "kaspi-1001").await;
    assert_eq!((status, &again), (200, &first));
    assert_eq!(headers["idempotent-replayed"], "true");
    let (status, headers, body) = pay(owner, 400_000, "kaspi-1001").await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "BIL0008"));
    let (status, headers, body) = pay(other, 500_000, "kaspi-1001").await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "BIL0008"));
    let (status, headers, body) = pay(owner, 0, "kaspi-1002").await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "BIL0001"));
    let body = json!({ "amount": { "minor": 100, "currency": "USD" }, "reference": "x-1" });
    let (status, headers, body) =
        call_json(&d, "post", &format!("/users/{owner}/payments"), Some(&billing), Some(body)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "API0422"));
    assert_eq!(body["errors"][0]["field"], "amount.currency");
    let fix = json!({ "amount": { "minor": -10_000, "currency": "KZT" }, "reason": "Bank fee", "reference": "fix-1" });
    let (status, _, corr) =
        call_json(&d, "post", &format!("/users/{owner}/corrections"), Some(&billing), Some(fix.clone()))
            .await;
    assert_eq!(
        (status, corr["kind"].as_str(), corr["balance"]["minor"].as_i64()),
        (201, Some("correction"), Some(490_000)),
        "{corr}"
    );
    assert_eq!(
        call_json(&d, "post", &format!("/users/{owner}/corrections"), Some(&billing), Some(fix)).await.0,
        200
    );

    // Hours pass and are charged; a month closes and its statement is issued. Metering starts
    // at the first tick (the daemon's job makes it soon after start; this one makes it sure).
    d.svc().billing.tick().await.unwrap();
    d.clock.advance_secs(17 * 86_400);
    d.svc().billing.tick().await.unwrap();
    let (status, _, bal) = get_json(&d, &format!("/users/{owner}/balance"), Some(&billing)).await;
    assert_eq!((status, bal["suspended"].as_bool()), (200, Some(false)), "{bal}");
    let balance = bal["balance"]["minor"].as_i64().unwrap();
    assert!(balance < 490_000, "charged: {bal}");
    let (_, _, page1) = get_json(&d, &format!("/users/{owner}/transactions?limit=2"), Some(&billing)).await;
    assert_eq!(page1["items"].as_array().unwrap().len(), 2, "{page1}");
    assert_eq!(
        (page1["items"][0]["seq"].as_u64(), page1["items"][1]["kind"].as_str()),
        (Some(1), Some("correction"))
    );
    let mut last = page1["items"][1].clone();
    let mut cursor = page1["next_cursor"].as_str().unwrap().to_string();
    loop {
        let (_, _, p) =
            get_json(&d, &format!("/users/{owner}/transactions?limit=100&cursor={cursor}"), Some(&billing))
                .await;
        if let Some(l) = p["items"].as_array().unwrap().last() {
            last = l.clone();
        }
        match p["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(
        (last["kind"].as_str(), last["balance"]["minor"].as_i64()),
        (Some("charge"), Some(balance)),
        "{last}"
    );
    let (_, _, statements) = get_json(&d, &format!("/users/{owner}/statements"), Some(&billing)).await;
    assert_eq!(statements["items"][0]["month"], "2027-01", "{statements}");
    assert_eq!(statements["items"][0]["payments"]["minor"], 500_000);

    // Usage: of one server, and of all in one call; a customer reads its own, not balances.
    let (status, _, one) = get_json(&d, &format!("/servers/{id}/usage?month=2027-01"), Some(&mine)).await;
    assert_eq!(status, 200, "{one}");
    assert!(one["hours"].as_u64().unwrap() > 0 && one["charges"]["minor"].as_i64().unwrap() > 0, "{one}");
    assert_eq!(one["external_service_id"], "svc-meter");
    let (_, _, all) = get_json(&d, "/usage?month=2027-01", Some(&billing)).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 1, "{all}");
    assert_eq!(all["items"][0], one);
    let (_, _, before) = get_json(&d, "/usage?month=2020-01", Some(&billing)).await;
    assert_eq!(before["items"][0]["hours"], 0, "{before}");
    let (status, headers, body) = get_json(&d, "/usage?month=January", Some(&billing)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "API0422"));
    let (status, headers, body) = get_json(&d, &format!("/users/{owner}/balance"), Some(&mine)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (403, "TOK0015"));
    let (status, headers, body) = get_json(&d, "/users/999/balance", Some(&billing)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (404, "ACC0010"));
    d.stop().await;
}
