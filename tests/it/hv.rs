//! The hypervisor link against the real libvirtd that `make test` started.

use std::process::Command;
use std::time::Duration;

use crate::common::*;

/// Tests that use (or stop) the system libvirtd take this lock, so a restart never hits another
/// test's connection.
pub static LIBVIRTD: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn admin_page(c: &reqwest::Client, d: &Daemon) -> String {
    get_text(c, &d.url("/admin")).await.1
}

async fn wait_for(c: &reqwest::Client, d: &Daemon, what: &str, needle: &str) -> String {
    for _ in 0..300 {
        let html = admin_page(c, d).await;
        if html.contains(needle) {
            return html;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("admin page never showed {what} ({needle:?}):\n{}", admin_page(c, d).await);
}

/// Starts libvirtd again when dropped, so a failing test leaves the machine as it found it.
struct RestartOnDrop;

impl Drop for RestartOnDrop {
    fn drop(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/start-libvirtd.sh");
        let _ = Command::new(script).status();
    }
}

fn libvirtd_running() -> bool {
    Command::new("pgrep")
        .args(["-x", "libvirtd"])
        .stdout(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

#[tokio::test]
async fn link_survives_a_libvirtd_restart() {
    let _guard = LIBVIRTD.lock().await;
    let d = start_qemu_daemon().await;
    let c = admin_client(&d).await;
    wait_for(&c, &d, "the link up", "connected").await;

    let restart = RestartOnDrop;
    assert!(Command::new("pkill").args(["-TERM", "-x", "libvirtd"]).status().unwrap().success());
    for _ in 0..200 {
        if !libvirtd_running() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let html = wait_for(&c, &d, "the link down", "retrying automatically").await;
    assert!(html.contains("unavailable"), "{html}");

    drop(restart);
    let html = wait_for(&c, &d, "the link back up", "reconnected 1×").await;
    assert!(html.contains("qemu:///system"));
    d.stop().await;
}
