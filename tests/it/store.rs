//! The state file: migration from the v1 fixture, refusal of a second process, crash safety.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use vpsbox::clock::SystemClock;
use vpsbox::config::AccountsConfig;
use vpsbox::domain::account::Role;
use vpsbox::service::{Accounts, Coded};
use vpsbox::store::migrate::SCHEMA_VERSION;
use vpsbox::store::{Store, StoreError};

use crate::common::*;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store-v1.redb");
const FIXTURE_PASSWORD: &str = "fixture password 1";

fn accounts(store: Store) -> Accounts {
    Accounts::new(Arc::new(store), Arc::new(SystemClock), &AccountsConfig::default(), Default::default())
}

/// Writes tests/fixtures/store-v1.redb. Run by hand only when the v1 fixture must be rebuilt
/// (never after v1 shipped): `cargo test --test it make_v1_fixture -- --ignored`.
#[tokio::test]
#[ignore]
async fn make_v1_fixture() {
    assert_eq!(SCHEMA_VERSION, 1, "the v1 fixture must be written by a v1 binary");
    let _ = std::fs::remove_file(FIXTURE);
    let a = accounts(Store::open(std::path::Path::new(FIXTURE)).unwrap());
    a.create_user("admin@fixture.example", FIXTURE_PASSWORD, Role::Admin).await.unwrap();
    a.create_user("customer@fixture.example", FIXTURE_PASSWORD, Role::Customer).await.unwrap();
    a.set_signup_enabled(false).await.unwrap();
}

#[tokio::test]
async fn v1_fixture_opens_and_migrates_with_its_data() {
    let dir = tempdir();
    let path = dir.path().join("vpsbox.redb");
    std::fs::copy(FIXTURE, &path).unwrap();
    let store = Arc::new(Store::open(&path).unwrap());
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    // Tables added since v1 exist after opening.
    let t = vpsbox::service::Templates::new(store.clone(), Arc::new(SystemClock), dir.path());
    assert!(t.list().unwrap().is_empty());
    let a = Accounts::new(store, Arc::new(SystemClock), &AccountsConfig::default(), Default::default());
    let users = a.list_users().unwrap();
    let emails: Vec<_> = users.iter().map(|u| u.email.as_str().to_string()).collect();
    assert_eq!(emails, ["admin@fixture.example", "customer@fixture.example"]);
    assert_eq!(users[0].role, Role::Admin);
    assert!(!a.signup_enabled().unwrap());
    a.login("customer@fixture.example", FIXTURE_PASSWORD, "127.0.0.1".parse().unwrap()).await.unwrap();
}

#[tokio::test]
async fn second_process_gets_already_in_use() {
    let dir = tempdir();
    let cfg = empty_config(dir.path());
    let _daemon = DaemonProcess::spawn(dir.path(), &cfg);
    let err = Store::open(&dir.path().join("vpsbox.redb")).unwrap_err();
    assert!(matches!(err, StoreError::AlreadyInUse(_)), "{err}");
    assert!(err.to_string().contains("already in use"), "{err}");
    assert_eq!(err.code(), "STO0001");
}

/// The child side of the crash test: issues reset tokens forever, printing each one after its
/// commit returned. Runs only when the parent test starts it.
#[tokio::test]
#[ignore]
async fn crash_writer_child() {
    let Ok(path) = std::env::var("VPSBOX_CRASH_STORE") else {
        return;
    };
    let a = accounts(Store::open(std::path::Path::new(&path)).unwrap());
    let id = a.user_by_email("victim@example.com").unwrap().id;
    loop {
        let token = a.issue_reset_token(id).await.unwrap();
        println!("committed {token}");
    }
}

#[tokio::test]
async fn sigkill_during_writes_keeps_every_committed_record() {
    let dir = tempdir();
    let path = dir.path().join("vpsbox.redb");
    {
        let a = accounts(Store::open(&path).unwrap());
        a.create_user("victim@example.com", PW, Role::Customer).await.unwrap();
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["store::crash_writer_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env("VPSBOX_CRASH_STORE", &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut committed = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while committed.len() < 150 {
        let line = lines.next().expect("child output").unwrap();
        if let Some(t) = line.strip_prefix("committed ") {
            committed.push(t.to_string());
        }
    }
    // Kill mid-stream: the child is inside further write transactions right now.
    child.kill().unwrap();
    child.wait().unwrap();
    for line in lines.map_while(Result::ok) {
        if let Some(t) = line.strip_prefix("committed ") {
            committed.push(t.to_string());
        }
    }
    let a = accounts(Store::open(&path).unwrap());
    for t in &committed {
        let u = a.check_reset_token(t).unwrap_or_else(|e| panic!("committed token lost after SIGKILL: {e}"));
        assert_eq!(u.email.as_str(), "victim@example.com");
    }
    assert!(committed.len() >= 150);
}

/// `vpsbox db backup` against a daemon that keeps committing: the copy holds every write
/// acknowledged before the command started, as an unbroken prefix; `db restore` is refused
/// while the daemon runs and puts the copy in place once it is stopped.
#[tokio::test]
async fn db_backup_under_write_load_then_restore() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use vpsbox::control::{Command as Ctl, Reply};
    let dir = tempdir();
    let cfg = empty_config(dir.path());
    let p = DaemonProcess::spawn(dir.path(), &cfg);
    let sock = vpsbox::control::socket_path(dir.path());
    // The writer adds IPv6 pools one after another through the control socket.
    let (acked, stop) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicBool::new(false)));
    let writer = {
        let (acked, stop, sock) = (acked.clone(), stop.clone(), sock.clone());
        tokio::spawn(async move {
            let mut n = 0usize;
            while !stop.load(Ordering::SeqCst) {
                let cmd = Ctl::PoolAdd {
                    name: format!("load-{n}"),
                    network: format!("2001:db8:{n:x}::/48"),
                    gateway: "fe80::1".into(),
                    range: None,
                    exclude: vec![],
                    dns: String::new(),
                    per_vm: None,
                };
                let reply = vpsbox::control::send(&sock, &cmd).await.unwrap();
                assert!(matches!(reply, Reply::Done(_)), "{reply:?}");
                n += 1;
                acked.store(n, Ordering::SeqCst);
            }
            n
        })
    };
    while acked.load(Ordering::SeqCst) < 20 {
        // A writer that failed ends early: say so instead of waiting for it forever.
        assert!(!writer.is_finished(), "the writer stopped after {} pools", acked.load(Ordering::SeqCst));
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let copy = dir.path().join("copies/state.redb");
    let (c_arg, d_arg) = (cfg.to_str().unwrap().to_string(), dir.path().to_str().unwrap().to_string());
    let before = acked.load(Ordering::SeqCst);
    let out = {
        let args = ["db", "backup", copy.to_str().unwrap(), "--config", &c_arg, "--data-dir", &d_arg]
            .map(String::from);
        tokio::task::spawn_blocking(move || {
            run_bin(&args.iter().map(String::as_str).collect::<Vec<_>>(), None)
        })
        .await
        .unwrap()
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("wrote a consistent copy"));
    let after = acked.load(Ordering::SeqCst);
    stop.store(true, Ordering::SeqCst);
    let total = writer.await.unwrap();
    assert!(total > after, "the writer kept writing after the copy");

    // Restoring is refused while the daemon holds the state.
    let out =
        run_bin(&["db", "restore", copy.to_str().unwrap(), "--config", &c_arg, "--data-dir", &d_arg], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already in use"), "{out:?}");
    // So is a second daemon on the same state (it exits at once, saying why).
    let out = std::process::Command::new("timeout")
        .arg("30")
        .arg(bin())
        .args(["serve", "--config", &c_arg, "--data-dir", &d_arg, "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "refused, not left running: {err}");
    assert!(err.contains("already in use by another vpsbox process"), "{err}");
    drop(p);

    let out =
        run_bin(&["db", "restore", copy.to_str().unwrap(), "--config", &c_arg, "--data-dir", &d_arg], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("vpsbox.redb.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced state is kept");
    let out = run_bin(&["ip-pool", "list", "--config", &c_arg, "--data-dir", &d_arg], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut names: Vec<usize> = text
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1)?.strip_prefix("load-")?.parse().ok())
        .collect();
    names.sort();
    let n = names.len();
    assert!(n >= before && n <= after, "the copy has {n} pools; acknowledged {before} before, {after} after");
    assert_eq!(names, (0..n).collect::<Vec<_>>(), "an unbroken prefix of the writes");
}
