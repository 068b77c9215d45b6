//! `GET /metrics`: the OpenMetrics text, as Prometheus's own `promtool check metrics` reads it,
//! for a metrics token only.

use std::io::Write;
use std::process::{Command, Stdio};

use super::token;
use crate::common::*;

/// What `promtool check metrics` says about `text` (empty when it has nothing to object to).
fn promtool(text: &str) -> (bool, String) {
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool (Debian package prometheus; scripts/deps.sh test installs it)");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), said)
}

#[tokio::test]
async fn metrics_pass_promtool_and_need_a_metrics_token() {
    let d = start_daemon().await;
    let admin = admin_client(&d).await;
    let (plan, template) = catalogue(&d).await;
    let customer = Cabinet::customer(&d, "watched@example.com").await;
    let path = customer.order("watched-1", plan, template).await;
    customer.wait_page(&path, "badge running").await;
    drop(admin);
    let admin_id = d.accounts().user_by_email("root@example.com").unwrap().id.0;
    let owner = d.accounts().user_by_email("watched@example.com").unwrap().id.0;
    let (_, metrics) = token(&d, admin_id, "metrics", "", "").await;
    let (_, billing) = token(&d, admin_id, "billing", "", "").await;

    let http = client();
    let r = http
        .get(d.url("/metrics"))
        .bearer_auth(&metrics)
        .header("accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("application/openmetrics-text; version=1.0.0"), "{ct}");
    let text = r.text().await.unwrap();
    assert!(text.ends_with("# EOF\n"), "{text}");
    assert!(text.contains("vpsbox_servers 1\n"), "{text}");
    let labels = format!("{{vm=\"1\",hostname=\"watched-1\",owner=\"{owner}\"}}");
    assert!(text.contains(&format!("vpsbox_vm_vcpus{labels} 1")), "{text}");
    assert!(text.contains(&format!("vpsbox_vm_running{labels} 1")), "{text}");
    assert!(text.contains(&format!("vpsbox_vm_cpu_seconds_total{labels} ")), "{text}");
    assert!(text.contains("vpsbox_servers_running 1\n"), "{text}");
    assert!(text.contains("vpsbox_storage_free_bytes{dir=\"data\"}"), "{text}");
    // This month's availability, the queue, backups, jobs, and the requests answered so far
    // (the customer's pages, by their route patterns, never the paths asked for).
    assert!(text.contains(&format!("vpsbox_vm_availability_ratio{labels} 1.0")), "{text}");
    for line in
        ["vpsbox_support_requests_open 0", "vpsbox_support_requests_overdue 0", "vpsbox_backups_failed 0"]
    {
        assert!(text.contains(line), "{line}: {text}");
    }
    assert!(text.contains("vpsbox_job_last_success_timestamp_seconds{job=\"billing\"} "), "{text}");
    assert!(
        text.contains("vpsbox_http_requests_total{route=\"/vms/{id}\",method=\"GET\",status=\"200\"} "),
        "{text}"
    );
    assert!(!text.contains("route=\"/vms/1\""), "paths asked for are no labels");
    assert!(
        text.contains(
            "vpsbox_http_request_duration_seconds_bucket{le=\"10.0\",route=\"/vms/{id}\",method=\"GET\"}"
        ) || text.contains(
            "vpsbox_http_request_duration_seconds_bucket{route=\"/vms/{id}\",method=\"GET\",le=\"10.0\"}"
        ),
        "{text}"
    );
    // Without asking for OpenMetrics: Prometheus's text format, which promtool lints.
    let r = http.get(d.url("/metrics")).bearer_auth(&metrics).send().await.unwrap();
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = r.text().await.unwrap();
    assert!(
        text.contains(&format!("vpsbox_vm_cpu_seconds_total{labels} ")) && !text.contains("# EOF"),
        "{text}"
    );
    let (ok, said) = promtool(&text);
    assert!(ok && said.trim().is_empty(), "promtool: {said}\n{text}");

    // Only a token with the metrics scope reads it; a metrics token reads nothing else.
    let r = http.get(d.url("/metrics")).bearer_auth(&billing).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(http.get(d.url("/metrics")).send().await.unwrap().status().as_u16(), 401);
    let r = http.get(d.url("/api/v1/servers")).bearer_auth(&metrics).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
}

#[tokio::test]
async fn a_separate_listen_address_serves_metrics_without_a_token_and_nothing_else() {
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    cfg.metrics.listen = Some("127.0.0.1:0".parse().unwrap());
    let d = start_daemon_with(cfg, dir).await;
    let addr = d.running.as_ref().unwrap().metrics_addr.expect("the metrics address");
    let http = reqwest::Client::new();
    let r = http.get(format!("http://{addr}/metrics")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let text = r.text().await.unwrap();
    assert!(text.contains("vpsbox_servers 0\n"), "{text}");
    let (ok, said) = promtool(&text);
    assert!(ok && said.trim().is_empty(), "promtool: {said}");
    for path in ["/", "/login", "/api/v1/servers", "/admin"] {
        let r = http.get(format!("http://{addr}{path}")).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 404, "{path}");
    }
    d.stop().await;
}
