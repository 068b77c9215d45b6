//! A server's CD-ROM drive through the API (test driver): what may go in (the published ISO
//! and the owner's own upload, not another account's), putting one in to boot once, always or
//! not at all, taking it out; refusals with their codes; other accounts and wrong tokens kept
//! out.

use serde_json::json;
use vpsbox::domain::account::UserId;

use super::{Served, call_json, get_json, problem, served};
use crate::common::*;

/// A minimal ISO 9660 image: a volume descriptor at sector 16.
fn iso_bytes() -> Vec<u8> {
    let mut bytes = vec![0u8; 18 * 2048];
    bytes[16 * 2048] = 1;
    bytes[16 * 2048 + 1..16 * 2048 + 6].copy_from_slice(b"CD001");
    bytes
}

/// `owner` uploads an ISO named `name` as the cabinet's upload would.
async fn upload(d: &Daemon, owner: u64, name: &str) -> u64 {
    let isos = &d.svc().isos;
    let mut up = isos.begin_upload(UserId(owner)).await.unwrap();
    up.write(&iso_bytes()).await.unwrap();
    isos.finish_upload(up, UserId(owner), name).await.unwrap().id
}

#[tokio::test]
async fn the_drive_takes_published_and_own_isos_through_the_api() {
    let d = start_daemon().await;
    let Served { id, mine, metrics, theirs, .. } = served(&d, "disc@example.com", "disc").await;
    let owner = d.svc().accounts.user_by_email("disc@example.com").unwrap().id.0;
    let other = d.svc().accounts.user_by_email("other-disc@example.com").unwrap().id.0;
    let src = tempdir();
    let file = src.path().join("netinst.iso");
    std::fs::write(&file, iso_bytes()).unwrap();
    let published = d.svc().isos.import(file, "netinst".into()).await.unwrap().id;
    let own = upload(&d, owner, "my-installer").await;
    let foreign = upload(&d, other, "their-installer").await;

    let (status, _, list) = get_json(&d, &format!("/servers/{id}/isos"), Some(&mine)).await;
    let offered: Vec<(u64, bool)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_u64().unwrap(), i["own"].as_bool().unwrap()))
        .collect();
    assert_eq!((status, offered), (200, vec![(published, false), (own, true)]), "{list}");
    let drive = format!("/servers/{id}/iso");
    let (status, _, empty) = get_json(&d, &drive, Some(&mine)).await;
    assert_eq!((status, empty), (200, json!({ "iso": null, "boot": null })));

    // Refused: another account's upload, an ISO that is not there, a boot word of no meaning,
    // an empty drive taken out.
    for (body, code) in [
        (json!({ "iso": foreign }), "VM0028"),
        (json!({ "iso": 999_999 }), "VM0028"),
        (json!({ "iso": published, "boot": "sometimes" }), "API0422"),
    ] {
        let (status, headers, p) = call_json(&d, "put", &drive, Some(&mine), Some(body)).await;
        assert_eq!((status, problem(status, &headers, &p).as_str()), (422, code), "{p}");
    }
    let (status, headers, p) = call_json(&d, "delete", &drive, Some(&mine), None).await;
    assert_eq!((status, problem(status, &headers, &p).as_str()), (409, "VM0029"), "{p}");

    // In to boot once (the default), now; then the own upload, only attached.
    let (status, _, now) =
        call_json(&d, "put", &drive, Some(&mine), Some(json!({ "iso": published, "restart": true }))).await;
    assert_eq!(
        (status, now["iso"]["id"].as_u64(), now["boot"].as_str()),
        (200, Some(published), Some("once")),
        "{now}"
    );
    let kept = d.svc().vms.iso_of(vpsbox::domain::vm::VmId(id)).unwrap().unwrap();
    assert_eq!((kept.0.iso, kept.0.boot.as_str()), (published, "once"));
    let (status, _, now) =
        call_json(&d, "put", &drive, Some(&mine), Some(json!({ "iso": own, "boot": "no" }))).await;
    assert_eq!(
        (status, now["iso"]["id"].as_u64(), now["iso"]["own"].as_bool(), now["boot"].as_str()),
        (200, Some(own), Some(true), Some("no")),
        "{now}"
    );
    let (_, _, read) = get_json(&d, &drive, Some(&mine)).await;
    assert_eq!(read, now);

    for (method, path) in
        [("get", format!("/servers/{id}/isos")), ("get", drive.clone()), ("delete", drive.clone())]
    {
        let (status, headers, p) = call_json(&d, method, &path, Some(&theirs), None).await;
        assert_eq!((status, problem(status, &headers, &p).as_str()), (404, "VM0009"), "{method} {path}");
        let (status, headers, p) = call_json(&d, method, &path, Some(&metrics), None).await;
        assert_eq!((status, problem(status, &headers, &p).as_str()), (403, "TOK0015"), "{method} {path}");
    }
    let (status, _, now) = call_json(&d, "delete", &format!("{drive}?restart=true"), Some(&mine), None).await;
    assert_eq!((status, now), (200, json!({ "iso": null, "boot": null })));
    d.stop().await;
}
