//! Backups through the API (test driver: a stopped server is copied offline): run one, follow
//! it, list, restore; other accounts and the wrong tokens are refused.

use serde_json::json;

use super::{Served, call_json, get_json, problem, served};
use crate::common::*;

#[tokio::test]
async fn a_backup_runs_is_followed_listed_and_restored_through_the_api() {
    let d = start_daemon().await;
    let Served { id, mine, metrics, theirs, .. } = served(&d, "saver@example.com", "saved").await;
    let off = json!({ "action": "force-off" });
    assert_eq!(call_json(&d, "post", &format!("/servers/{id}/power"), Some(&mine), Some(off)).await.0, 200);

    let (status, _, list) = get_json(&d, &format!("/servers/{id}/backups"), Some(&mine)).await;
    assert_eq!((status, list["items"].as_array().map(Vec::len)), (200, Some(0)), "{list}");
    let (status, headers, b) =
        call_json(&d, "post", &format!("/servers/{id}/backups"), Some(&mine), None).await;
    assert_eq!((status, b["kind"].as_str(), b["live"].as_bool()), (202, Some("full"), Some(false)), "{b}");
    let backup = b["id"].as_u64().unwrap();
    assert_eq!(headers["location"], format!("/api/v1/backups/{backup}").as_str());
    let mut done = serde_json::Value::Null;
    for _ in 0..300 {
        let (_, _, now) = get_json(&d, &format!("/backups/{backup}"), Some(&mine)).await;
        if now["state"] != "running" {
            done = now;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(done["state"], "done", "{done}");
    assert!(done["bytes"].as_u64().unwrap() > 0, "{done}");
    let (_, _, list) = get_json(&d, &format!("/servers/{id}/backups"), Some(&mine)).await;
    assert_eq!(list["items"][0]["id"].as_u64(), Some(backup), "{list}");

    let (status, _, restored) =
        call_json(&d, "post", &format!("/backups/{backup}/restore"), Some(&mine), None).await;
    assert_eq!(
        (status, restored["disks"].as_u64(), restored["server"].as_u64()),
        (200, Some(1), Some(id)),
        "{restored}"
    );

    for (path, method) in [
        (format!("/backups/{backup}"), "get"),
        (format!("/backups/{backup}/restore"), "post"),
        (format!("/servers/{id}/backups"), "post"),
    ] {
        let (status, headers, body) = call_json(&d, method, &path, Some(&theirs), None).await;
        assert_eq!(status, 404, "{method} {path}: {body}");
        assert!(
            problem(status, &headers, &body).ends_with("0009")
                || problem(status, &headers, &body).starts_with("BKP"),
            "{body}"
        );
        let (status, headers, body) = call_json(&d, method, &path, Some(&metrics), None).await;
        assert_eq!((status, problem(status, &headers, &body).as_str()), (403, "TOK0015"), "{method} {path}");
    }
    d.stop().await;
}
