//! The WHMCS module (integrations/whmcs) under php-cli against the daemon, called with the
//! `$params` arrays WHMCS passes: create (twice, one server), suspend, unsuspend, change
//! package, change password, usage, a sign-on link that logs in, terminate.

use serde_json::{Value, json};

use crate::api::token;
use crate::common::*;

/// Run module function `f` with `params`: what it returned, and its database writes. (Off the
/// test's runtime: the daemon answers PHP on it meanwhile.)
async fn whmcs(dir: &std::path::Path, f: &str, params: &Value) -> (Value, Value) {
    let file = dir.join(format!("params-{f}.json"));
    std::fs::write(&file, params.to_string()).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/whmcs/run.php");
    let (f_arg, file_arg) = (f.to_string(), file.clone());
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("php").arg(script).arg(f_arg).arg(file_arg).output()
    })
    .await
    .unwrap()
    .expect("php-cli (make test installs it)");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{f}: {text}\n{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{f}: {e}: {text}"));
    (v["result"].clone(), v["capsule"].clone())
}

/// The one server of service 100, as the API lists it.
async fn servers_of_service(d: &Daemon, token: &str) -> Vec<Value> {
    let (_, _, list) = crate::api::get_json(d, "/servers?external_service_id=whmcs-100", Some(token)).await;
    list["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_whmcs_module_provisions_and_manages_a_service_under_php_cli() {
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
    let dir = tempdir();
    let mut params = json!({
        "serverid": 3, "serverhostname": "127.0.0.1", "serverip": "127.0.0.1", "serverport": d.addr.port(),
        "serversecure": true, "serverusername": "", "serverpassword": "", "serveraccesshash": billing,
        "serviceid": 100, "userid": 42, "pid": 5, "domain": "shop1", "username": "", "password": "Whmcs-root-pass-1",
        "clientsdetails": { "email": "client42@example.com", "firstname": "Aigerim", "lastname": "S" },
        "configoption1": plan.to_string(), "configoption2": template.to_string(), "configoption3": "0",
        "configoption4": "on", "suspendreason": "Overdue on payment",
    });

    let (r, _) = whmcs(dir.path(), "TestConnection", &params).await;
    assert_eq!(r["success"], true, "{r}");

    // Create, and create again (WHMCS retried it): one server.
    let (r, _) = whmcs(dir.path(), "CreateAccount", &params).await;
    assert_eq!(r, "success");
    let (r, _) = whmcs(dir.path(), "CreateAccount", &params).await;
    assert_eq!(r, "success");
    let servers = servers_of_service(&d, &billing).await;
    assert_eq!(servers.len(), 1, "{servers:?}");
    let id = servers[0]["id"].as_u64().unwrap();
    let owner = d.svc().accounts.user_by_email("client42@example.com").unwrap();
    assert_eq!(d.svc().accounts.external_of(owner.id).unwrap().as_deref(), Some("whmcs-client-42"));
    let path = format!("/servers/{id}");
    let server = || async { crate::api::get_json(&d, &path, Some(&billing)).await.2 };
    for _ in 0..200 {
        if server().await["state"] == "ready" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    let (r, _) = whmcs(dir.path(), "SuspendAccount", &params).await;
    assert_eq!(r, "success");
    assert_eq!(server().await["suspended"], true);
    let audit = d.svc().activity(None, 50).unwrap();
    assert!(audit.iter().any(|a| a.action == "vm.suspend" && a.detail.contains("Overdue on payment")));
    let (r, _) = whmcs(dir.path(), "UnsuspendAccount", &params).await;
    assert_eq!(r, "success");
    assert_eq!(server().await["suspended"], false);

    // A bigger package: the running server is stopped, moved and started again.
    assert_eq!(
        whmcs(dir.path(), "start", &params).await.0,
        "success",
        "a client area power button (unsuspended servers stay off)"
    );
    params["configoption1"] = bigger.to_string().into();
    let (r, _) = whmcs(dir.path(), "ChangePackage", &params).await;
    assert_eq!(r, "success");
    let s = server().await;
    assert_eq!(
        (s["plan_id"].as_u64(), s["vcpus"].as_u64(), s["power"].as_str()),
        (Some(bigger), Some(2), Some("running")),
        "{s}"
    );

    params["password"] = "Whmcs-root-pass-2".into();
    let before = d
        .svc()
        .vms
        .get(&vpsbox::service::Caller::system(), vpsbox::domain::vm::VmId(id))
        .unwrap()
        .root_password_hash;
    let (r, _) = whmcs(dir.path(), "ChangePassword", &params).await;
    assert_eq!(r, "success");
    let after = d
        .svc()
        .vms
        .get(&vpsbox::service::Caller::system(), vpsbox::domain::vm::VmId(id))
        .unwrap()
        .root_password_hash;
    assert!(after.is_some() && after != before);

    // Usage: one call, one write per service, in WHMCS's table.
    let (r, writes) = whmcs(dir.path(), "UsageUpdate", &params).await;
    assert_eq!(r, "success");
    let writes = writes.as_array().unwrap();
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert_eq!(
        (writes[0]["table"].as_str(), writes[0]["where"]["id"].as_u64()),
        (Some("tblhosting"), Some(100))
    );
    assert!(writes[0]["values"]["bwusage"].is_u64(), "{writes:?}");

    // Single sign-on: the link logs the client in, onto the server's page.
    let (r, _) = whmcs(dir.path(), "ServiceSingleSignOn", &params).await;
    assert_eq!(r["success"], true, "{r}");
    let browser = client();
    let resp = browser.get(r["redirectTo"].as_str().unwrap()).send().await.unwrap();
    assert_eq!((resp.status().as_u16(), location(&resp)), (303, format!("/vms/{id}")));
    let (status, page) = get_text(&browser, &d.url(&format!("/vms/{id}"))).await;
    assert!(status == 200 && page.contains("shop1"), "{status}");

    let (fields, _) = whmcs(dir.path(), "AdminServicesTabFields", &params).await;
    assert!(fields["vpsbox server"].as_str().unwrap().contains("shop1"), "{fields}");
    let (area, _) = whmcs(dir.path(), "ClientArea", &params).await;
    assert_eq!(area["templateVariables"]["server"]["id"].as_u64(), Some(id), "{area}");

    // Terminate (no grace in this product): the server goes; terminating again is no error.
    let (r, _) = whmcs(dir.path(), "TerminateAccount", &params).await;
    assert_eq!(r, "success");
    for _ in 0..200 {
        if servers_of_service(&d, &billing).await.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(servers_of_service(&d, &billing).await.is_empty());
    assert_eq!(whmcs(dir.path(), "TerminateAccount", &params).await.0, "success");
    // A module error reads as WHMCS shows it: the words and the code.
    let (r, _) = whmcs(dir.path(), "SuspendAccount", &params).await;
    assert!(r.as_str().unwrap().contains("VM0009"), "{r}");
    d.stop().await;
}
