//! The state file: migration from the v1 fixture, refusal of a second process, crash safety.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;

use vpsbox::clock::SystemClock;
use vpsbox::config::AccountsConfig;
use vpsbox::domain::account::Role;
use vpsbox::service::{Accounts, Coded};
use vpsbox::store::migrate::SCHEMA_VERSION;
use vpsbox::store::{Store, StoreError};

use crate::support::*;

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
