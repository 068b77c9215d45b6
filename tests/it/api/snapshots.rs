//! Snapshots and rescue through the API (test driver): a snapshot taken, followed, listed,
//! reverted to and deleted; rescue entered with its one-time password and left; what is
//! refused with which code; other accounts and the wrong tokens are kept out.

use serde_json::json;

use super::servers::{operation_of, settled};
use super::{Served, call_json, get_json, problem, served};
use crate::common::*;

#[tokio::test]
async fn snapshots_and_rescue_are_driven_and_followed_through_the_api() {
    let d = start_daemon().await;
    let Served { c, vm, id, mine, metrics, theirs } = served(&d, "snappy@example.com", "snappy").await;
    let snaps = format!("/servers/{id}/snapshots");

    let (status, _, list) = get_json(&d, &snaps, Some(&mine)).await;
    assert_eq!((status, list["items"].as_array().map(Vec::len)), (200, Some(0)), "{list}");
    // Refused before anything starts: a label of two lines, a field the API does not know.
    for (body, code) in [(json!({ "label": "a\nb" }), "VM0031"), (json!({ "name": "x" }), "API0422")] {
        let (status, headers, p) = call_json(&d, "post", &snaps, Some(&mine), Some(body)).await;
        assert_eq!((status, problem(status, &headers, &p).as_str()), (422, code), "{p}");
    }

    let (status, headers, op) =
        call_json(&d, "post", &snaps, Some(&mine), Some(json!({ "label": "before upgrade" }))).await;
    let op = operation_of(status, &headers, &op, "snapshot");
    assert_eq!(settled(&d, &mine, op).await["status"], "succeeded");
    let (_, _, list) = get_json(&d, &snaps, Some(&mine)).await;
    let s = &list["items"][0];
    assert_eq!(
        (s["label"].as_str(), s["state"].as_str(), s["memory"].as_bool(), s["server"].as_u64()),
        (Some("before upgrade"), Some("ready"), Some(true), Some(id)),
        "{list}"
    );
    assert!(s["bytes"].as_u64().unwrap() > 0, "billed at its size: {s}");
    let snap = s["id"].as_u64().unwrap();
    // No label: named after the time.
    let (status, headers, op) = call_json(&d, "post", &snaps, Some(&mine), Some(json!({}))).await;
    assert_eq!(
        settled(&d, &mine, operation_of(status, &headers, &op, "snapshot")).await["status"],
        "succeeded"
    );
    let (_, _, list) = get_json(&d, &snaps, Some(&mine)).await;
    assert!(list["items"][1]["label"].as_str().unwrap().starts_with("snapshot 20"), "{list}");
    let second = list["items"][1]["id"].as_u64().unwrap();

    let revert = format!("{snaps}/{snap}/revert");
    let (status, headers, op) = call_json(&d, "post", &revert, Some(&mine), None).await;
    let op = operation_of(status, &headers, &op, "revert_snapshot");
    assert_eq!(settled(&d, &mine, op).await["status"], "succeeded");
    wait_page(&c, &d, &vm, "badge running").await;
    // No such snapshot; a path that names none.
    for (path, code) in
        [(format!("{snaps}/999999/revert"), "VM0033"), (format!("{snaps}/first/revert"), "API0404")]
    {
        let (status, headers, p) = call_json(&d, "post", &path, Some(&mine), None).await;
        assert_eq!((status, problem(status, &headers, &p).as_str()), (404, code), "{path}: {p}");
    }

    // Another account's token finds nothing; a metrics token may not.
    for (method, path) in [
        ("get", snaps.clone()),
        ("post", snaps.clone()),
        ("post", revert.clone()),
        ("delete", format!("{snaps}/{snap}")),
        ("post", format!("/servers/{id}/rescue")),
        ("delete", format!("/servers/{id}/rescue")),
    ] {
        let body = (method == "post" && path == snaps).then(|| json!({}));
        let (status, headers, p) = call_json(&d, method, &path, Some(&theirs), body.clone()).await;
        assert_eq!((status, problem(status, &headers, &p).as_str()), (404, "VM0009"), "{method} {path}");
        let (status, headers, p) = call_json(&d, method, &path, Some(&metrics), body).await;
        assert_eq!((status, problem(status, &headers, &p).as_str()), (403, "TOK0015"), "{method} {path}");
    }
    assert_eq!(
        d.svc()
            .vms
            .snapshots(&vpsbox::service::Caller::system(), vpsbox::domain::vm::VmId(id))
            .unwrap()
            .len(),
        2
    );

    for s in [snap, second] {
        let (status, headers, op) = call_json(&d, "delete", &format!("{snaps}/{s}"), Some(&mine), None).await;
        assert_eq!(
            settled(&d, &mine, operation_of(status, &headers, &op, "delete_snapshot")).await["status"],
            "succeeded"
        );
    }
    let (_, _, list) = get_json(&d, &snaps, Some(&mine)).await;
    assert_eq!(list["items"], json!([]), "{list}");

    // Rescue: refused while the host has no rescue system, then entered and left.
    let rescue = format!("/servers/{id}/rescue");
    let (status, headers, p) = call_json(&d, "post", &rescue, Some(&mine), None).await;
    assert_eq!((status, problem(status, &headers, &p).as_str()), (409, "VM0024"), "{p}");
    let src = tempdir();
    let image = src.path().join("rescue.qcow2");
    assert!(
        std::process::Command::new("qemu-img")
            .args(["create", "-q", "-f", "qcow2"])
            .arg(&image)
            .arg("256M")
            .status()
            .unwrap()
            .success()
    );
    d.svc().rescue_images.import(image).await.unwrap();
    let (status, headers, started) = call_json(&d, "post", &rescue, Some(&mine), None).await;
    let op = operation_of(status, &headers, &started["operation"], "rescue");
    assert_eq!(headers["cache-control"], "no-store", "a password is in the body");
    assert_eq!(started["password"].as_str().map(|p| p.chars().count()), Some(20), "{started}");
    assert_eq!(settled(&d, &mine, op).await["status"], "succeeded");
    assert!(d.svc().vms.rescue_of(vpsbox::domain::vm::VmId(id)).unwrap().is_some(), "in rescue");
    let (status, headers, p) = call_json(&d, "post", &rescue, Some(&mine), None).await;
    assert_eq!((status, problem(status, &headers, &p).as_str()), (409, "VM0025"), "{p}");
    // Snapshots wait until the server is out of rescue.
    let (status, headers, p) = call_json(&d, "post", &snaps, Some(&mine), Some(json!({}))).await;
    assert_eq!(status, 409, "{p}");
    problem(status, &headers, &p);

    let (status, headers, op) = call_json(&d, "delete", &rescue, Some(&mine), None).await;
    let op = operation_of(status, &headers, &op, "leave_rescue");
    assert_eq!(settled(&d, &mine, op).await["status"], "succeeded");
    assert!(d.svc().vms.rescue_of(vpsbox::domain::vm::VmId(id)).unwrap().is_none(), "out of rescue");
    let (status, headers, p) = call_json(&d, "delete", &rescue, Some(&mine), None).await;
    assert_eq!((status, problem(status, &headers, &p).as_str()), (409, "VM0026"), "{p}");
    d.stop().await;
}
