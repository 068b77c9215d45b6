//! Servers through the API: listing and reading them as each token may, ordering them once
//! however often a billing system retries (also across a SIGKILL), power and suspension.

use serde_json::Value;

use super::{call_json, conformance, get_json, problem, token, wait_ready};
use crate::common::*;
use vpsbox::service::Caller;

#[tokio::test]
async fn servers_are_listed_and_read_as_each_token_may_see_them() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let (a, b) = (client(), client());
    sign_up(&a, &d, "api-a@example.com").await;
    sign_up(&b, &d, "api-b@example.com").await;
    let vm_a = order(&a, &d, "alpha", plan, template).await;
    let vm_b = order(&b, &d, "beta", plan, template).await;
    wait_page(&a, &d, &vm_a, "badge running").await;
    wait_page(&b, &d, &vm_b, "badge running").await;
    let id_of = |p: &str| p.trim_start_matches("/vms/").parse::<u64>().unwrap();
    let (id_a, id_b) = (id_of(&vm_a), id_of(&vm_b));
    let owner_a = d.svc().accounts.user_by_email("api-a@example.com").unwrap().id.0;
    let (_, billing) = token(&d, 1, "billing", "", "").await;
    let (_, token_a) = token(&d, owner_a, "customer", "", "").await;
    let (_, power_only) = token(&d, owner_a, "customer", "power", "").await;

    // The provider sees both, and filters by owner and state.
    let (status, _, all) = get_json(&d, "/servers", Some(&billing)).await;
    assert_eq!(status, 200, "{all}");
    let ids = |v: &Value| {
        v["items"].as_array().unwrap().iter().map(|s| s["id"].as_u64().unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&all), [id_a, id_b]);
    assert_eq!(all["items"][0]["state"], "ready");
    assert_eq!(all["items"][0]["power"], "running");
    assert!(all["items"][0]["addresses"][0].as_str().unwrap().starts_with("198.51.100."), "{all}");
    assert_eq!(ids(&get_json(&d, &format!("/servers?owner={owner_a}"), Some(&billing)).await.2), [id_a]);
    // A page at a time: the cursor is the last id of the page before.
    let (_, _, first) = get_json(&d, "/servers?limit=1", Some(&billing)).await;
    assert_eq!((ids(&first), first["next_cursor"].as_str()), (vec![id_a], Some(&*id_a.to_string())));
    let (_, _, second) = get_json(&d, &format!("/servers?limit=1&cursor={id_a}"), Some(&billing)).await;
    assert_eq!((ids(&second), second.get("next_cursor")), (vec![id_b], None), "{second}");
    assert!(ids(&get_json(&d, "/servers?state=failed", Some(&billing)).await.2).is_empty());
    let (status, headers, body) = get_json(&d, "/servers?state=exploded", Some(&billing)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "API0422"));
    let (status, headers, body) = get_json(&d, "/servers?owner=me", Some(&billing)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "API0422"));
    assert_eq!(body["errors"][0]["field"], "owner", "{body}");

    // One server in full.
    let (status, _, one) = get_json(&d, &format!("/servers/{id_a}"), Some(&billing)).await;
    assert_eq!(status, 200, "{one}");
    assert_eq!(
        (one["hostname"].as_str(), one["plan_id"].as_u64(), one["vcpus"].as_u64()),
        (Some("alpha"), Some(plan), Some(1))
    );
    assert!(one["failure"].is_null() && one["created_at"].as_str().unwrap().ends_with('Z'), "{one}");

    // A customer's token: its own only; another's server is 404, never 403.
    assert_eq!(ids(&get_json(&d, "/servers", Some(&token_a)).await.2), [id_a]);
    assert_eq!(
        ids(&get_json(&d, &format!("/servers?owner={}", owner_a + 1), Some(&token_a)).await.2),
        Vec::<u64>::new()
    );
    let (status, headers, body) = get_json(&d, &format!("/servers/{id_b}"), Some(&token_a)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (404, "VM0009"));
    let (status, headers, body) = get_json(&d, "/servers/beta", Some(&token_a)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (404, "API0404"));
    // Without the servers scope: 403.
    let (status, headers, body) = get_json(&d, &format!("/servers/{id_a}"), Some(&power_only)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (403, "TOK0015"));
    d.stop().await;
}

/// `POST /api/v1/servers` with an `Idempotency-Key`: (status, headers, JSON body), checked
/// against the document.
async fn order_server(
    d: &impl Target,
    token: &str,
    key: Option<&str>,
    query: &str,
    body: &Value,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut req = client().post(d.url(&format!("/api/v1/servers{query}"))).bearer_auth(token).json(body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    let r = req.send().await.unwrap();
    let (status, headers) = (r.status().as_u16(), r.headers().clone());
    let body: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    let ct = headers["content-type"].to_str().unwrap().to_string();
    if let Err(e) = conformance("post", "/servers", status, &ct, &body) {
        panic!("{e}");
    }
    (status, headers, body)
}

#[tokio::test]
async fn a_retried_create_never_makes_a_second_server() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let (_, billing) = token(&d, 1, "billing", "", "").await;
    let user = serde_json::json!({ "email": "buyer@example.com", "external_id": "client-7" });
    let (_, _, user) = call_json(&d, "post", "/users", Some(&billing), Some(user)).await;
    let owner = user["id"].as_u64().unwrap();
    let order = serde_json::json!({
        "owner_external_id": "client-7", "plan": plan, "template": template, "hostname": "web1",
        "root_password": "Correct-horse-9", "external_service_id": "svc-100",
        "ssh_keys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop"],
    });
    let count = |d: &Daemon| d.svc().vms.list(vpsbox::domain::account::UserId(owner)).unwrap().len();

    // A dry run checks and makes nothing; without a key an order is refused.
    let (status, _, body) = order_server(&d, &billing, None, "?dry_run=true", &order).await;
    assert_eq!((status, body["would_create"].as_bool()), (200, Some(true)), "{body}");
    assert_eq!(count(&d), 0);
    let (status, headers, body) = order_server(&d, &billing, None, "", &order).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "API0422"));
    assert_eq!(body["errors"][0]["field"], "Idempotency-Key");

    // The same order sent 20 times at once: one server, one answer.
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (url, token, order) = (d.url("/api/v1/servers"), billing.clone(), order.clone());
        tasks.push(tokio::spawn(async move {
            let r = client()
                .post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", "order-1")
                .json(&order)
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.headers().get("location").map(|l| l.to_str().unwrap().to_string()),
                r.text().await.unwrap(),
            )
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    assert!(answers.iter().all(|a| a.0 == 202), "{answers:?}");
    assert!(
        answers.iter().all(|a| a.2 == answers[0].2 && a.1 == answers[0].1),
        "one answer for all: {answers:?}"
    );
    assert_eq!(count(&d), 1, "exactly one server");
    let first: Value = serde_json::from_str(&answers[0].2).unwrap();
    let id = first["id"].as_u64().unwrap();
    assert_eq!(answers[0].1.as_deref(), Some(format!("/api/v1/servers/{id}").as_str()));
    assert_eq!(
        (first["owner"].as_u64(), first["external_service_id"].as_str()),
        (Some(owner), Some("svc-100"))
    );

    // Later: the stored answer again, marked as a replay; a changed body under the key: 422.
    let (status, headers, again) = order_server(&d, &billing, Some("order-1"), "", &order).await;
    assert_eq!((status, &again), (202, &first));
    assert_eq!(headers["idempotent-replayed"], "true");
    let mut changed = order.clone();
    changed["hostname"] = "web2".into();
    let (status, headers, body) = order_server(&d, &billing, Some("order-1"), "", &changed).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "API0412"));
    // A new key for the same service: 409 naming the server it has.
    let (status, headers, body) = order_server(&d, &billing, Some("order-2"), "", &changed).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "VM0017"));
    assert!(body["detail"].as_str().unwrap().contains(&format!("server {id}")), "{body}");
    assert_eq!(count(&d), 1);

    // The server is found by the billing system's id, and gets built.
    let (_, _, listed) = get_json(&d, &format!("/servers?owner={owner}"), Some(&billing)).await;
    assert_eq!(listed["items"][0]["id"], id);
    wait_ready(&d, id, &billing).await;

    // A customer's token orders for its own account only.
    let (_, mine) = token(&d, owner, "customer", "", "").await;
    let mut theirs = changed.clone();
    theirs["owner"] = 1.into();
    theirs["owner_external_id"] = Value::Null;
    theirs["external_service_id"] = "svc-101".into();
    let (status, headers, body) = order_server(&d, &mine, Some("k"), "", &theirs).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (404, "ACC0010"));
    d.stop().await;
}

#[tokio::test]
async fn power_buttons_and_suspension_through_the_api() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "power@example.com").await;
    let vm = order(&c, &d, "pwr", plan, template).await;
    wait_page(&c, &d, &vm, "badge running").await;
    let id = vm.trim_start_matches("/vms/").parse::<u64>().unwrap();
    let owner = d.svc().accounts.user_by_email("power@example.com").unwrap().id.0;
    let (_, billing) = token(&d, 1, "billing", "", "").await;
    let (_, mine) = token(&d, owner, "customer", "power,servers", "").await;
    let (_, read_only) = token(&d, owner, "customer", "servers", "").await;
    let press = |t: String, action: &str| {
        let (d, path, body) = (&d, format!("/servers/{id}/power"), serde_json::json!({ "action": action }));
        async move { call_json(d, "post", &path, Some(&t), Some(body)).await }
    };

    let (status, _, s) = press(mine.clone(), "force-off").await;
    assert_eq!((status, s["power"].as_str()), (200, Some("stopped")), "{s}");
    let (status, headers, body) = press(mine.clone(), "reboot").await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "VM0011"), "not running");
    let (status, _, s) = press(mine.clone(), "start").await;
    assert_eq!((status, s["power"].as_str()), (200, Some("running")), "{s}");
    let (status, _, s) = press(mine.clone(), "reset").await;
    assert_eq!((status, s["power"].as_str()), (200, Some("running")), "{s}");
    let (status, headers, body) = press(mine.clone(), "explode").await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "API0422"));
    let (status, headers, body) = press(read_only.clone(), "start").await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (403, "TOK0015"));

    // The provider suspends with a reason: off, and its owner cannot start it; then lifts it.
    let reason = serde_json::json!({ "reason": "unpaid invoice 1042" });
    let (status, headers, body) =
        call_json(&d, "post", &format!("/servers/{id}/suspend"), Some(&mine), Some(reason.clone())).await;
    assert_eq!(
        (status, problem(status, &headers, &body).as_str()),
        (404, "VM0009"),
        "a customer never suspends"
    );
    let (status, _, s) =
        call_json(&d, "post", &format!("/servers/{id}/suspend"), Some(&billing), Some(reason)).await;
    assert_eq!(
        (status, s["suspended"].as_bool(), s["power"].as_str()),
        (200, Some(true), Some("stopped")),
        "{s}"
    );
    let audit = d.svc().activity(None, 20).unwrap();
    assert!(
        audit.iter().any(|a| a.action == "vm.suspend" && a.detail.contains("unpaid invoice 1042")),
        "{audit:?}"
    );
    let (status, headers, body) = press(mine.clone(), "start").await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "VM0012"));
    let (status, _, s) = call_json(
        &d,
        "post",
        &format!("/servers/{id}/unsuspend"),
        Some(&billing),
        Some(serde_json::json!({})),
    )
    .await;
    assert_eq!((status, s["suspended"].as_bool()), (200, Some(false)), "{s}");
    // A new root password: kept for reinstalls, and set in the guest at once when it runs
    // (libvirt's test driver takes it as a guest agent would).
    let pw = |p: &str| Some(serde_json::json!({ "password": p }));
    let path = format!("/servers/{id}/password");
    let (status, headers, body) = call_json(&d, "post", &path, Some(&mine), pw("short")).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "VM0007"));
    let (status, _, set) = call_json(&d, "post", &path, Some(&mine), pw("A-new-root-pass-1")).await;
    assert_eq!((status, set["applied"].as_str()), (200, Some("at_reinstall")), "stopped: {set}");
    assert_eq!(press(mine.clone(), "start").await.0, 200);
    let (status, _, set) = call_json(&d, "post", &path, Some(&mine), pw("A-new-root-pass-2")).await;
    assert_eq!((status, set["applied"].as_str()), (200, Some("now")), "{set}");
    assert!(
        d.svc()
            .vms
            .get(&Caller::system(), vpsbox::domain::vm::VmId(id))
            .unwrap()
            .root_password_hash
            .unwrap()
            .starts_with("$6$")
    );
    d.stop().await;
}

/// Send `order` under `key` `n` times at once; the answers (status, body) as they come, or the
/// error of each request the daemon did not answer.
fn order_many(
    d: &impl Target,
    token: &str,
    key: &str,
    order: &Value,
    n: usize,
) -> tokio::task::JoinSet<Result<(u16, String), reqwest::Error>> {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (url, token, key, order) =
            (d.url("/api/v1/servers"), token.to_string(), key.to_string(), order.clone());
        set.spawn(async move {
            let r = client()
                .post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", key)
                .json(&order)
                .send()
                .await?;
            Ok((r.status().as_u16(), r.text().await?))
        });
    }
    set
}

#[tokio::test]
async fn twenty_retries_around_a_sigkill_still_make_one_server() {
    // The catalogue, a customer and a billing token, made by a daemon in this process on the
    // state the daemon process then runs on.
    let dir = tempdir();
    let cfg = test_config(dir.path());
    let uri = cfg.libvirt.uri.clone();
    let d = start_daemon_with(cfg, tempdir()).await;
    let (plan, template) = catalogue(&d).await;
    let (_, billing) = token(&d, 1, "billing", "", "").await;
    let buyer = d
        .accounts()
        .create_user("buyer@example.com", PW, vpsbox::domain::account::Role::Customer)
        .await
        .unwrap();
    d.stop().await;
    let cfg_path = dir.path().join("vpsbox.toml");
    std::fs::write(&cfg_path, format!("[libvirt]\nuri = \"{uri}\"\n")).unwrap();
    let order = serde_json::json!({
        "owner": buyer.0, "plan": plan, "template": template, "hostname": "web1",
        "root_password": "Correct-horse-9", "external_service_id": "svc-500",
    });

    // Twenty at once; the daemon is killed as soon as the first is answered, the others in flight.
    let p = DaemonProcess::spawn(dir.path(), &cfg_path);
    let mut first_round = order_many(&p, &billing, "order-500", &order, 20);
    let first = match first_round.join_next().await.unwrap().unwrap() {
        Ok(answer) => answer,
        Err(e) => panic!("nothing had stopped the daemon yet: {e}"),
    };
    drop(p); // SIGKILL
    let mut answered = vec![first.clone()];
    while let Some(a) = first_round.join_next().await {
        if let Ok(a) = a.unwrap() {
            answered.push(a);
        }
    }
    assert_eq!(first.0, 202, "{}", first.1);
    assert!(answered.iter().all(|a| a == &first), "one answer for all that were answered: {answered:?}");

    // The billing system retries after the restart: the same answer, twenty times.
    let p = DaemonProcess::spawn(dir.path(), &cfg_path);
    let mut second_round = order_many(&p, &billing, "order-500", &order, 20);
    while let Some(a) = second_round.join_next().await {
        let a = a.unwrap().unwrap();
        assert_eq!(a, first, "the stored answer after the restart");
    }
    let (status, _, listed) = get_json(&p, &format!("/servers?owner={}", buyer.0), Some(&billing)).await;
    assert_eq!(status, 200);
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "exactly one server: {listed}");
    let first: Value = serde_json::from_str(&first.1).unwrap();
    assert_eq!(
        (items[0]["id"].clone(), items[0]["external_service_id"].as_str()),
        (first["id"].clone(), Some("svc-500"))
    );
    drop(p);
}

/// Poll `GET /operations/{id}` until it is no longer running; the operation.
pub async fn settled(d: &Daemon, token: &str, op: u64) -> Value {
    for _ in 0..200 {
        let (status, _, body) = get_json(d, &format!("/operations/{op}"), Some(token)).await;
        assert_eq!(status, 200, "{body}");
        if body["status"] != "running" {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("operation {op} still running");
}

/// An answer `202` with its operation: the operation's id, checked against `Location`.
pub fn operation_of(status: u16, headers: &reqwest::header::HeaderMap, body: &Value, kind: &str) -> u64 {
    assert_eq!((status, body["kind"].as_str()), (202, Some(kind)), "{body}");
    let id = body["id"].as_u64().unwrap();
    assert_eq!(headers["location"], format!("/api/v1/operations/{id}").as_str());
    id
}

#[tokio::test]
async fn reinstall_plan_change_and_deletion_with_grace_are_followed_as_operations() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let spec = vpsbox::domain::catalog::PlanSpec { vcpus: 2, memory_mib: 1024, disk_gb: 3, ipv4: 1 };
    let bigger = vpsbox::service::plans::NewPlan {
        name: "s-2".into(),
        spec,
        monthly_price: vpsbox::domain::money::Money(900),
        hourly_price: vpsbox::domain::money::Money(2),
    };
    let bigger = d.svc().plans.create(bigger).await.unwrap().id.0;
    let (_, billing) = token(&d, 1, "billing", "", "").await;
    let user = serde_json::json!({ "email": "ops@example.com", "external_id": "client-9" });
    let (_, _, user) = call_json(&d, "post", "/users", Some(&billing), Some(user)).await;
    let owner = user["id"].as_u64().unwrap();
    let (_, mine) = token(&d, owner, "customer", "", "").await;
    let other = d
        .accounts()
        .create_user("other@example.com", PW, vpsbox::domain::account::Role::Customer)
        .await
        .unwrap();
    let (_, theirs) = token(&d, other.0, "customer", "", "").await;
    let order = serde_json::json!({
        "owner": owner, "plan": plan, "template": template, "hostname": "ops1",
        "root_password": "Correct-horse-9", "external_service_id": "svc-ops",
    });
    let (status, _, server) = order_server(&d, &billing, Some("ops-1"), "", &order).await;
    assert_eq!(status, 202, "{server}");
    let id = server["id"].as_u64().unwrap();
    let path = format!("/servers/{id}");
    let server_now = || async { get_json(&d, &path, Some(&billing)).await.2 };
    for _ in 0..200 {
        if server_now().await["state"] == "ready" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (_, _, found) = get_json(&d, "/servers?external_service_id=svc-ops", Some(&billing)).await;
    assert_eq!(found["items"][0]["id"].as_u64(), Some(id), "{found}");
    let (_, _, none) = get_json(&d, "/servers?external_service_id=nope", Some(&billing)).await;
    assert_eq!(none["items"].as_array().map(Vec::len), Some(0), "{none}");

    // Reinstall: 202 and an operation to follow; the owner sees it, another customer does not.
    let body = serde_json::json!({ "template": template });
    let (status, headers, op) =
        call_json(&d, "post", &format!("{path}/reinstall"), Some(&billing), Some(body)).await;
    let op = operation_of(status, &headers, &op, "reinstall");
    assert_eq!(settled(&d, &mine, op).await["status"], "succeeded");
    let (status, headers, body) = get_json(&d, &format!("/operations/{op}"), Some(&theirs)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (404, "VM0021"));

    // A plan change wants the server stopped.
    let change = serde_json::json!({ "plan": bigger });
    let (status, headers, body) =
        call_json(&d, "post", &format!("{path}/plan"), Some(&billing), Some(change.clone())).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "VM0011"));
    let off = serde_json::json!({ "action": "force-off" });
    assert_eq!(call_json(&d, "post", &format!("{path}/power"), Some(&billing), Some(off)).await.0, 200);
    let (status, headers, op) =
        call_json(&d, "post", &format!("{path}/plan"), Some(&billing), Some(change)).await;
    let op = operation_of(status, &headers, &op, "change_plan");
    assert_eq!(settled(&d, &billing, op).await["status"], "succeeded");
    let s = server_now().await;
    assert_eq!(
        (s["plan_id"].as_u64(), s["vcpus"].as_u64(), s["disk_gb"].as_u64()),
        (Some(bigger), Some(2), Some(3)),
        "{s}"
    );

    // Deleted by the provider: off, suspended and restorable for the grace period (24 h by
    // default); nothing else runs on it meanwhile, and its owner cannot bring it back.
    let (status, headers, op) = call_json(&d, "delete", &path, Some(&billing), None).await;
    let op = operation_of(status, &headers, &op, "delete");
    let s = server_now().await;
    let due = vpsbox::domain::time::Timestamp::from_secs(1_800_000_000 + 24 * 3600).rfc3339();
    assert_eq!(
        (s["suspended"].as_bool(), s["deletion_due_at"].as_str()),
        (Some(true), Some(due.as_str())),
        "{s}"
    );
    assert_eq!(settled_or_running(&d, &billing, op).await, "running");
    let start = serde_json::json!({ "action": "start" });
    let (status, headers, body) =
        call_json(&d, "post", &format!("{path}/power"), Some(&mine), Some(start)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "VM0012"));
    let body = serde_json::json!({ "template": template });
    let (status, headers, body) =
        call_json(&d, "post", &format!("{path}/reinstall"), Some(&billing), Some(body)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "VM0019"));
    let (status, headers, body) =
        call_json(&d, "post", &format!("{path}/unsuspend"), Some(&billing), Some(serde_json::json!({})))
            .await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "VM0019"));
    let (status, headers, body) = call_json(&d, "delete", &path, Some(&billing), None).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "VM0019"));
    let (status, headers, body) = call_json(&d, "post", &format!("{path}/restore"), Some(&mine), None).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "VM0012"));
    let (status, _, s) = call_json(&d, "post", &format!("{path}/restore"), Some(&billing), None).await;
    assert_eq!(
        (status, s["suspended"].as_bool(), s["deletion_due_at"].is_null()),
        (200, Some(false), true),
        "{s}"
    );
    assert_eq!(settled(&d, &billing, op).await["status"], "cancelled");
    let (status, headers, body) =
        call_json(&d, "post", &format!("{path}/restore"), Some(&billing), None).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "VM0020"));

    // Deleted again with an hour's grace: when the hour has passed, it goes, and its service id
    // with it.
    let (status, headers, op) =
        call_json(&d, "delete", &format!("{path}?grace_hours=1"), Some(&billing), None).await;
    let op = operation_of(status, &headers, &op, "delete");
    assert_eq!(d.svc().vms.delete_due().await.unwrap(), 0, "not yet");
    d.clock.advance_secs(3601);
    assert_eq!(d.svc().vms.delete_due().await.unwrap(), 1);
    assert_eq!(settled(&d, &mine, op).await["status"], "succeeded");
    let (status, headers, body) = get_json(&d, &path, Some(&billing)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (404, "VM0009"));
    let (_, _, none) = get_json(&d, "/servers?external_service_id=svc-ops", Some(&billing)).await;
    assert_eq!(none["items"].as_array().map(Vec::len), Some(0), "{none}");
    let (status, headers, body) =
        call_json(&d, "delete", &format!("{path}?grace_hours=99999"), Some(&billing), None).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "API0422"));
    d.stop().await;
}

/// The status of operation `op` now.
async fn settled_or_running(d: &Daemon, token: &str, op: u64) -> String {
    let (_, _, body) = get_json(d, &format!("/operations/{op}"), Some(token)).await;
    body["status"].as_str().unwrap().to_string()
}
