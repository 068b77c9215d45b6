//! Ways in and limits: single sign-on links from a billing system into the cabinet, and the
//! per-token rate limit.

use super::{call_json, get_json, problem, token};
use crate::common::*;

#[tokio::test]
async fn a_sign_on_link_logs_the_customer_in_once_within_a_minute() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let (_, billing) = token(&d, 1, "billing", "", "").await;
    let c = client();
    sign_up(&c, &d, "sso@example.com").await;
    let vm = order(&c, &d, "sso1", plan, template).await;
    let server = vm.trim_start_matches("/vms/").parse::<u64>().unwrap();
    let user = d.svc().accounts.user_by_email("sso@example.com").unwrap().id.0;
    let other = d
        .accounts()
        .create_user("other@example.com", PW, vpsbox::domain::account::Role::Customer)
        .await
        .unwrap();
    let (_, mine) = token(&d, user, "customer", "", "").await;
    let link = |who: u64, body: serde_json::Value| {
        let (d, billing) = (&d, billing.clone());
        async move { call_json(d, "post", &format!("/users/{who}/sso"), Some(&billing), Some(body)).await }
    };

    // Onto the server's page, in a browser that had no session.
    let (status, _, body) = link(user, serde_json::json!({ "server": server })).await;
    assert_eq!(status, 201, "{body}");
    let expires = vpsbox::domain::time::Timestamp::from_secs(1_800_000_000 + 60).rfc3339();
    assert_eq!(body["expires_at"].as_str(), Some(expires.as_str()));
    let url = body["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&d.url("/sso/")), "{url}");
    let browser = client();
    let r = browser.get(&url).send().await.unwrap();
    assert_eq!((r.status().as_u16(), location(&r)), (303, vm.clone()));
    let (status, page) = get_text(&browser, &d.url(&vm)).await;
    assert!(status == 200 && page.contains("sso1"), "{status}");
    // Once only.
    let r = client().get(&url).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 410);
    assert!(r.text().await.unwrap().contains("ACC0018"));

    // A minute is all it has; then the dashboard link of another minute works.
    let (_, _, body) = link(user, serde_json::json!({})).await;
    d.clock.advance_secs(61);
    let r = client().get(body["url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 410);
    let (_, _, body) = link(user, serde_json::json!({})).await;
    let r = client().get(body["url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!((r.status().as_u16(), location(&r)), (303, "/".to_string()));
    let r = client().get(d.url("/sso/not-a-token")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 410);

    // Never into an admin's account, nor onto another account's server; customers' tokens
    // make none.
    let (status, headers, body) = link(1, serde_json::json!({})).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (403, "ACC0019"));
    let (status, headers, body) = link(other.0, serde_json::json!({ "server": server })).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (404, "VM0009"));
    let (status, headers, body) =
        call_json(&d, "post", &format!("/users/{user}/sso"), Some(&mine), Some(serde_json::json!({}))).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (403, "TOK0015"));
    d.stop().await;
}

#[tokio::test]
async fn each_token_has_its_rate_and_the_refusal_says_when_to_retry() {
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    cfg.api.rate_limit_per_minute = 60;
    cfg.api.rate_limit_burst = 5;
    let d = start_daemon_with(cfg, dir).await;
    let (_, a) = token(&d, 1, "admin", "", "").await;
    let (_, b) = token(&d, 1, "metrics", "", "").await;
    for _ in 0..5 {
        assert_eq!(get_json(&d, "/ping", Some(&a)).await.0, 200);
    }
    let (status, headers, body) = get_json(&d, "/ping", Some(&a)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (429, "API0429"));
    assert_eq!(headers["retry-after"], "1");
    assert_eq!(get_json(&d, "/ping", Some(&b)).await.0, 200, "another token has its own");
    // One a second at the steady rate.
    d.clock.advance_secs(1);
    assert_eq!(get_json(&d, "/ping", Some(&a)).await.0, 200);
    assert_eq!(get_json(&d, "/ping", Some(&a)).await.0, 429);
    d.stop().await;
}
