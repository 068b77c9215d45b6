//! The automation API through the real TLS server: tokens of each kind, problem documents,
//! the OpenAPI document, and `vpsbox token` on the command line.

use serde_json::Value;
use vpsbox::domain::account::UserId;
use vpsbox::service::Caller;
use vpsbox::service::api_tokens::NewToken;

use crate::common::*;

mod access;
mod backups;
mod iso;
mod matrix;
mod metrics;
mod money;
mod pages;
mod servers;
mod snapshots;
mod webhooks;

/// A token for `owner` made through the service, as the Account page or the CLI would.
pub async fn token(d: &Daemon, owner: u64, kind: &str, scopes: &str, networks: &str) -> (u64, String) {
    let new = NewToken {
        name: format!("{kind} test"),
        kind: kind.into(),
        scopes: scopes.into(),
        networks: networks.into(),
        expires_in_days: Some(30),
    };
    let made = d.svc().api_tokens.create(&Caller::system(), UserId(owner), new).await.unwrap();
    (made.token.id, made.text)
}

/// A customer with a running server, and the tokens to try on it.
pub struct Served {
    /// The customer's cabinet session.
    pub c: reqwest::Client,
    /// The server's page (`/vms/ID`).
    pub vm: String,
    /// The server's id.
    pub id: u64,
    /// The customer's own token.
    pub mine: String,
    /// A metrics token (the admin's).
    pub metrics: String,
    /// Another customer's token.
    pub theirs: String,
}

/// `email` signs up and orders `hostname`, which runs; tokens for it, the admin's metrics and
/// another account (`other-<email>`).
pub async fn served(d: &Daemon, email: &str, hostname: &str) -> Served {
    let (plan, template) = catalogue(d).await;
    let c = client();
    sign_up(&c, d, email).await;
    let vm = order(&c, d, hostname, plan, template).await;
    wait_page(&c, d, &vm, "badge running").await;
    let id = vm.trim_start_matches("/vms/").parse::<u64>().unwrap();
    let owner = d.svc().accounts.user_by_email(email).unwrap().id.0;
    let (_, mine) = token(d, owner, "customer", "", "").await;
    let (_, metrics) = token(d, 1, "metrics", "", "").await;
    let other = d
        .accounts()
        .create_user(&format!("other-{email}"), PW, vpsbox::domain::account::Role::Customer)
        .await
        .unwrap();
    let (_, theirs) = token(d, other.0, "customer", "", "").await;
    Served { c, vm, id, mine, metrics, theirs }
}

/// The OpenAPI document the daemon serves.
pub fn openapi() -> &'static Value {
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| serde_json::from_str(vpsbox::web::api::document()).unwrap())
}

/// Whether `body` is what the OpenAPI document says `method template` answers with `status`
/// and `content_type` (its schema, checked as JSON Schema 2020-12); else why not.
pub fn conformance(
    method: &str,
    template: &str,
    status: u16,
    content_type: &str,
    body: &Value,
) -> Result<(), String> {
    let doc = openapi();
    let esc = |s: &str| s.replace('~', "~0").replace('/', "~1");
    let pointer =
        format!("/paths/{}/{method}/responses/{status}/content/{}/schema", esc(template), esc(content_type));
    assert!(
        doc.pointer(&pointer).is_some(),
        "the document has no {status} {content_type} answer for {method} {template}"
    );
    let mut schema = doc.clone();
    // In a URI fragment the braces of `{id}` are percent-encoded.
    schema["$ref"] = Value::String(format!("#{}", pointer.replace('{', "%7B").replace('}', "%7D")));
    let validator = jsonschema::draft202012::options().build(&schema).unwrap();
    validator
        .validate(body)
        .map_err(|e| format!("{method} {template} {status} does not conform: {e}\n{body}"))
}

/// `GET path` with a bearer token: (status, headers, JSON body). Answers of routes the
/// document names are checked against it.
pub async fn get_json(
    d: &impl Target,
    path: &str,
    token: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    call_json(d, "get", path, token, None).await
}

/// `method path` with a bearer token and a JSON body: (status, headers, JSON body). Answers of
/// routes the document names are checked against it.
pub async fn call_json(
    d: &impl Target,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let mut req = client().request(m, d.url(&format!("/api/v1{path}")));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    let (status, headers) = (r.status().as_u16(), r.headers().clone());
    let text = r.text().await.unwrap();
    if status == 204 {
        assert!(text.is_empty(), "{path}: a 204 with a body: {text}");
        return (status, headers, Value::Null);
    }
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}"));
    let bare = path.split('?').next().unwrap_or(path);
    // The document's path this one is (`/servers/12/snapshots/3/revert` is
    // `/servers/{id}/snapshots/{snapshot}/revert`): numeric segments stand for its parameters.
    let segs: Vec<&str> = bare.split('/').collect();
    let template = openapi()["paths"]
        .as_object()
        .unwrap()
        .keys()
        .find(|k| {
            let t: Vec<&str> = k.split('/').collect();
            t.len() == segs.len()
                && t.iter()
                    .zip(&segs)
                    .all(|(t, s)| t == s || (t.starts_with('{') && s.parse::<u64>().is_ok()))
        })
        .cloned()
        .unwrap_or_default();
    if openapi()["paths"].get(template.as_str()).is_some() {
        let ct = headers["content-type"].to_str().unwrap().to_string();
        if let Err(e) = conformance(method, &template, status, &ct, &body) {
            panic!("{e}");
        }
    }
    (status, headers, body)
}

/// Wait until the server `id` is built and running, as the API tells (the build goes on after
/// the order's answer; a test that moves the clock first would meter a server not yet made).
pub async fn wait_ready(d: &Daemon, id: u64, token: &str) -> Value {
    let mut last = Value::Null;
    for _ in 0..600 {
        last = get_json(d, &format!("/servers/{id}"), Some(token)).await.2;
        if (last["state"].as_str(), last["power"].as_str()) == (Some("ready"), Some("running")) {
            return last;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("server {id} was not built and running after 30 s: {last}");
}

/// A problem document's status, code and request id, checked for shape.
pub fn problem(status: u16, headers: &reqwest::header::HeaderMap, body: &Value) -> String {
    assert_eq!(headers["content-type"], "application/problem+json", "{body}");
    assert_eq!(body["status"], status, "{body}");
    let code = body["code"].as_str().unwrap().to_string();
    assert_eq!(body["type"], format!("urn:vpsbox:problem:{code}"));
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()) && body["detail"].is_string(), "{body}");
    assert_eq!(body["request_id"], headers["x-request-id"].to_str().unwrap(), "the log's id");
    code
}

#[tokio::test]
async fn ping_answers_working_tokens_and_refuses_the_rest_with_problems() {
    let d = start_daemon().await;
    let (_, billing) = token(&d, 1, "billing", "", "").await;
    let (status, _, body) = get_json(&d, "/ping", Some(&billing)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["account"], 1);
    assert_eq!(body["token"]["kind"], "billing");
    let scopes: Vec<&str> =
        body["token"]["scopes"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(scopes.contains(&"servers") && !scopes.contains(&"metrics"), "{scopes:?}");
    assert!(body["token"]["expires_at"].as_str().unwrap().ends_with('Z'));

    // No token, a malformed one, a wrong secret: 401 TOK0010 with a Bearer challenge.
    let wrong = format!("{}x", &billing[..billing.len() - 1]);
    for t in [None, Some("vpsbox_nope"), Some(wrong.as_str())] {
        let (status, headers, body) = get_json(&d, "/ping", t).await;
        assert_eq!(status, 401, "{t:?}: {body}");
        assert_eq!(problem(401, &headers, &body), "TOK0010");
        assert!(headers["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
    }

    // Revoked: 401 TOK0012. Expired: 401 TOK0011. Outside its networks: 403 TOK0014.
    let (id, revoked) = token(&d, 1, "admin", "", "").await;
    d.svc().api_tokens.revoke(&Caller::system(), id).await.unwrap();
    let (status, headers, body) = get_json(&d, "/ping", Some(&revoked)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (401, "TOK0012"));
    let (_, elsewhere) = token(&d, 1, "metrics", "", "192.0.2.0/24").await;
    let (status, headers, body) = get_json(&d, "/ping", Some(&elsewhere)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (403, "TOK0014"));
    let (_, here) = token(&d, 1, "metrics", "", "127.0.0.0/8, ::1").await;
    assert_eq!(get_json(&d, "/ping", Some(&here)).await.0, 200);
    d.clock.advance_secs(31 * 86_400);
    let (status, headers, body) = get_json(&d, "/ping", Some(&billing)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (401, "TOK0011"));

    // Unknown routes and methods are problems too, never the cabinet's HTML.
    let (status, headers, body) = get_json(&d, "/nothing-here", None).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (404, "API0404"));
    let r = client().delete(d.url("/api/v1/ping")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 405);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    d.stop().await;
}

#[tokio::test]
async fn the_served_openapi_document_is_the_committed_one() {
    let d = start_daemon().await;
    let r = client().get(d.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let served = r.text().await.unwrap();
    let doc: Value = serde_json::from_str(&served).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{doc}");
    assert!(doc["paths"]["/ping"]["get"].is_object());
    let committed_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/openapi.json");
    if std::env::var_os("VPSBOX_WRITE_OPENAPI").is_some() {
        std::fs::write(&committed_path, &served).unwrap();
    }
    // A standard validator (openapi-spec-validator, installed by `make test`) takes it, and
    // refuses it with a dangling reference (so it is not a validator that takes anything).
    let validator = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/openapi-validator/bin/openapi-spec-validator");
    assert!(validator.exists(), "run scripts/openapi-validator.sh target/openapi-validator (make test does)");
    let dir = tempdir();
    let (good, bad) = (dir.path().join("openapi.json"), dir.path().join("broken.json"));
    std::fs::write(&good, &served).unwrap();
    let mut broken = doc.clone();
    broken["paths"]["/ping"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] =
        serde_json::json!({ "$ref": "#/components/schemas/Nothing" });
    std::fs::write(&bad, broken.to_string()).unwrap();
    let check = |f: &std::path::Path| std::process::Command::new(&validator).arg(f).output().unwrap();
    let out = check(&good);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!check(&bad).status.success(), "the validator refuses a broken document");
    // The conformance check of the answers is no rubber stamp either.
    let wrong = serde_json::json!({ "version": 1, "account": "one", "token": {} });
    assert!(conformance("get", "/ping", 200, "application/json", &wrong).is_err());
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == served,
        "docs/openapi.json differs from what the daemon serves: run `VPSBOX_WRITE_OPENAPI=1 cargo test --test it openapi` and commit it"
    );
    d.stop().await;
}

#[tokio::test]
async fn the_cli_makes_lists_and_revokes_tokens_with_and_without_the_daemon() {
    let dir = tempdir();
    let cfg = empty_config(dir.path());
    let (c, data) = (cfg.to_str().unwrap().to_string(), dir.path().to_str().unwrap().to_string());
    let run = |rest: &[&str]| {
        let mut v = vec!["--config", c.as_str(), "--data-dir", data.as_str()];
        v.extend_from_slice(rest);
        let out = run_bin(&v, None);
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (ok, _, err) = run(&["user", "add", "--email", "billing@example.com", "--role", "admin"]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&["user", "add", "--email", "cust@example.com"]);
    assert!(ok, "{err}");
    // No daemon: straight on the state file.
    let (ok, out, err) = run(&["token", "create", "--email", "billing@example.com", "--name", "whmcs"]);
    assert!(ok, "{err}");
    let text = out.split_whitespace().find(|w| w.starts_with("vpsbox_")).unwrap().to_string();
    let (ok, _, err) =
        run(&["token", "create", "--email", "cust@example.com", "--name", "x", "--kind", "billing"]);
    assert!(!ok && err.contains("TOK0002"), "a customer holds no billing token: {err}");

    // With the daemon: through its control socket; the token made before works.
    let p = DaemonProcess::spawn(dir.path(), &cfg);
    let base = format!("https://{}", p.addr);
    let ping = |t: &str| {
        let (t, base) = (t.to_string(), base.clone());
        async move {
            let r = client().get(format!("{base}/api/v1/ping")).bearer_auth(t).send().await.unwrap();
            r.status().as_u16()
        }
    };
    assert_eq!(ping(&text).await, 200);
    let (ok, out, err) = run(&[
        "token",
        "create",
        "--email",
        "cust@example.com",
        "--name",
        "script",
        "--kind",
        "customer",
        "--scopes",
        "servers,power",
        "--expires-days",
        "7",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("vpsbox_2_"), "{out}");
    let (ok, list, _) = run(&["token", "list"]);
    assert!(
        ok && list.contains("whmcs")
            && list.contains("billing@example.com")
            && list.contains("servers,power"),
        "{list}"
    );
    // The secret is URL-safe base64 and may itself hold `_`: take all of it after the id.
    let secret = text.splitn(3, '_').nth(2).unwrap();
    assert!(secret.len() >= 40 && !list.contains(secret), "never the secret: {list}");
    let (ok, _, err) = run(&["token", "revoke", "1"]);
    assert!(ok, "{err}");
    assert_eq!(ping(&text).await, 401);
    let (_, list, _) = run(&["token", "list", "--email", "billing@example.com"]);
    assert!(list.contains("revoked") && !list.contains("script"), "{list}");
    drop(p);
}

#[tokio::test]
async fn the_catalogue_pages_by_cursor_and_customers_see_what_is_offered() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let spec = vpsbox::domain::catalog::PlanSpec { vcpus: 2, memory_mib: 2048, disk_gb: 20, ipv4: 1 };
    for name in ["s-2", "s-3"] {
        let p = vpsbox::service::plans::NewPlan {
            name: name.into(),
            spec,
            monthly_price: vpsbox::domain::money::Money(700_000),
            hourly_price: vpsbox::domain::money::Money(1_000),
        };
        d.svc().plans.create(p).await.unwrap();
    }
    d.svc().plans.set_enabled(vpsbox::domain::catalog::PlanId(plan), false).await.unwrap();
    let customer = d
        .svc()
        .accounts
        .create_user("api-cust@example.com", PW, vpsbox::domain::account::Role::Customer)
        .await
        .unwrap();
    let (_, billing) = token(&d, 1, "billing", "", "").await;
    let (_, mine) = token(&d, customer.0, "customer", "", "").await;
    let (_, metrics) = token(&d, 1, "metrics", "", "").await;

    // The provider sees every plan, a page at a time.
    let (status, _, first) = get_json(&d, "/plans?limit=2", Some(&billing)).await;
    assert_eq!(status, 200, "{first}");
    let names = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&first), ["s-1", "s-2"]);
    assert_eq!(first["items"][0]["enabled"], false);
    assert_eq!(
        first["items"][1]["monthly_price"],
        serde_json::json!({ "minor": 700_000, "currency": "KZT" })
    );
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let (_, _, second) = get_json(&d, &format!("/plans?limit=2&cursor={cursor}"), Some(&billing)).await;
    assert_eq!(names(&second), ["s-3"]);
    assert!(second.get("next_cursor").is_none(), "the last page: {second}");

    // A customer sees what is offered.
    let (_, _, offered) = get_json(&d, "/plans", Some(&mine)).await;
    assert_eq!(names(&offered), ["s-2", "s-3"]);
    let (_, _, templates) = get_json(&d, "/templates", Some(&mine)).await;
    assert_eq!(templates["items"][0]["id"], template);
    assert_eq!(templates["items"][0]["os"], "linux");

    // What is left to sell: the provider's, not a customer's.
    let (status, _, room) = get_json(&d, "/capacity", Some(&billing)).await;
    assert_eq!(
        (status, room["servers"].as_u64(), room["ipv4_free"].as_u64()),
        (200, Some(0), Some(253)),
        "{room}"
    );
    assert_eq!(room["plans"].as_array().unwrap().len(), 2, "the offered plans: {room}");
    assert!(room["plans"][0]["fits"].as_u64().unwrap() > 0, "{room}");
    let (status, headers, body) = get_json(&d, "/capacity", Some(&mine)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (403, "API0403"));

    // A metrics token has no catalogue scope; a wrong limit or cursor is a 422 naming it.
    let (status, headers, body) = get_json(&d, "/plans", Some(&metrics)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (403, "TOK0015"));
    for (query, field) in [("limit=0", "limit"), ("limit=501", "limit"), ("cursor=abc", "cursor")] {
        let (status, headers, body) = get_json(&d, &format!("/templates?{query}"), Some(&billing)).await;
        assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "API0422"), "{query}");
        assert_eq!(body["errors"][0]["field"], field, "{body}");
    }
    d.stop().await;
}

#[tokio::test]
async fn billing_systems_create_find_update_and_disable_accounts() {
    let d = start_daemon().await;
    let (_, billing) = token(&d, 1, "billing", "", "").await;
    let (_, catalogue_only) = token(&d, 1, "billing", "catalogue", "").await;
    let new = serde_json::json!({ "email": "Client42@Example.com", "external_id": "whmcs-42" });
    let (status, headers, user) = call_json(&d, "post", "/users", Some(&billing), Some(new.clone())).await;
    assert_eq!(status, 201, "{user}");
    let id = user["id"].as_u64().unwrap();
    assert_eq!(headers["location"], format!("/api/v1/users/{id}"));
    assert_eq!(
        (user["email"].as_str(), user["role"].as_str()),
        (Some("client42@example.com"), Some("customer"))
    );
    assert_eq!(user["external_id"], "whmcs-42");

    // Found by its outside id; the same e-mail or outside id again is a 409.
    let (_, _, found) = get_json(&d, "/users?external_id=whmcs-42", Some(&billing)).await;
    assert_eq!(found["items"][0]["id"], id);
    assert!(
        get_json(&d, "/users?external_id=nobody", Some(&billing)).await.2["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let (status, headers, body) = call_json(&d, "post", "/users", Some(&billing), Some(new)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "ACC0003"));
    let other = serde_json::json!({ "email": "other@example.com", "external_id": "whmcs-42" });
    let (status, headers, body) = call_json(&d, "post", "/users", Some(&billing), Some(other)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "ACC0016"));
    assert!(d.svc().accounts.user_by_email("other@example.com").is_err(), "nothing half-made");

    // Wrong bodies name their field.
    let (status, headers, body) =
        call_json(&d, "post", "/users", Some(&billing), Some(serde_json::json!({ "email": 5 }))).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "API0422"));
    assert_eq!(body["errors"][0]["field"], "email", "{body}");
    let (status, headers, body) = call_json(
        &d,
        "post",
        "/users",
        Some(&billing),
        Some(serde_json::json!({ "email": "x@example.com", "password": "short" })),
    )
    .await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (422, "ACC0002"));
    let r = client().post(d.url("/api/v1/users")).bearer_auth(&billing).body("email=x").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 415);

    // Disabled: the account cannot log in; enabled again; the outside id changed and dropped.
    let change = serde_json::json!({ "disabled": true, "external_id": "whmcs-43" });
    let (status, _, user) =
        call_json(&d, "patch", &format!("/users/{id}"), Some(&billing), Some(change)).await;
    assert_eq!(status, 200, "{user}");
    assert_eq!((user["disabled"].as_bool(), user["external_id"].as_str()), (Some(true), Some("whmcs-43")));
    assert!(d.svc().accounts.user(vpsbox::domain::account::UserId(id)).unwrap().disabled);
    let change = serde_json::json!({ "disabled": false, "external_id": "" });
    let (_, _, user) = call_json(&d, "patch", &format!("/users/{id}"), Some(&billing), Some(change)).await;
    assert_eq!((user["disabled"].as_bool(), user["external_id"].is_null()), (Some(false), true), "{user}");
    let (status, headers, body) = get_json(&d, "/users/999", Some(&billing)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (404, "ACC0010"));

    // Without the users scope: 403.
    let (status, headers, body) = get_json(&d, &format!("/users/{id}"), Some(&catalogue_only)).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (403, "TOK0015"));

    // Closing: not while it has a server, never an admin; then its e-mail and id are free.
    let (plan, template) = catalogue(&d).await;
    let order = serde_json::json!({ "owner": id, "plan": plan, "template": template, "hostname": "kept",
                                    "root_password": "Correct-horse-9" });
    let r = client().post(d.url("/api/v1/servers")).bearer_auth(&billing).header("Idempotency-Key", "k-1");
    let made: Value = r.json(&order).send().await.unwrap().json().await.unwrap();
    let vm = vpsbox::domain::vm::VmId(made["id"].as_u64().unwrap());
    let (status, headers, body) =
        call_json(&d, "delete", &format!("/users/{id}"), Some(&billing), None).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (409, "ACC0020"));
    let (status, headers, body) = call_json(&d, "delete", "/users/1", Some(&billing), None).await;
    assert_eq!((status, problem(status, &headers, &body).as_str()), (403, "ACC0019"));
    for _ in 0..200 {
        if d.svc().vms.get(&Caller::system(), vm).unwrap().phase == vpsbox::store::records::VmPhase::Ready {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let op = d.svc().vms.delete_after(&Caller::system(), vm, 0).await.unwrap();
    for _ in 0..200 {
        if d.svc().vms.operation(&Caller::system(), op).unwrap().state
            != vpsbox::store::operations::OpState::Running
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (status, _, _) = call_json(&d, "delete", &format!("/users/{id}"), Some(&billing), None).await;
    assert_eq!(status, 204);
    let (_, _, user) = get_json(&d, &format!("/users/{id}"), Some(&billing)).await;
    assert_eq!((user["disabled"].as_bool(), user["external_id"].is_null()), (Some(true), true), "{user}");
    let again = serde_json::json!({ "email": "client42@example.com" });
    let (status, _, _) = call_json(&d, "post", "/users", Some(&billing), Some(again)).await;
    assert_eq!(status, 201, "the e-mail is free again");
    d.stop().await;
}
