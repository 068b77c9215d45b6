//! Tests of the accounts service on a real (in-memory) redb store and a manual clock.

use std::net::IpAddr;
use std::sync::Arc;

use super::*;
use crate::clock::ManualClock;
use crate::domain::quota::Amounts;
use crate::domain::time::Timestamp;
use crate::service::Coded;

const IP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 7));
const PW: &str = "correct horse battery";

fn setup() -> (Accounts, ManualClock) {
    let clock = ManualClock::new(Timestamp::from_secs(1_800_000_000));
    let cfg = AccountsConfig { hash_concurrency: 2, ..AccountsConfig::default() };
    let store = Arc::new(Store::in_memory().unwrap());
    (Accounts::new(store, Arc::new(clock.clone()), &cfg, Amounts::default()), clock)
}

#[tokio::test]
async fn sign_up_login_session_logout() {
    let (a, _) = setup();
    let id = a.sign_up("Alice@Example.com", PW).await.unwrap();
    assert!(matches!(a.sign_up("alice@example.com", PW).await, Err(AccountError::EmailTaken)));
    let s = a.login("alice@example.com", PW, IP).await.unwrap().into_session().unwrap();
    assert_eq!(s.user, id);
    let view = a.session(&s.token).unwrap().unwrap();
    assert_eq!(view.user.email.as_str(), "alice@example.com");
    assert_eq!(view.csrf.len(), 43);
    assert_eq!(a.session_count(id).unwrap(), 1);
    a.logout(view.key).await.unwrap();
    assert!(a.session(&s.token).unwrap().is_none());
    assert_eq!(a.session_count(id).unwrap(), 0);
    assert!(a.session("garbage").unwrap().is_none());
}

#[tokio::test]
async fn sessions_expire_when_idle_and_absolutely() {
    let (a, clock) = setup();
    a.sign_up("bob@example.com", PW).await.unwrap();
    let s = a.login("bob@example.com", PW, IP).await.unwrap().into_session().unwrap();
    // Activity every 100 minutes keeps it alive (idle limit 120 min)...
    for _ in 0..5 {
        clock.advance_secs(100 * 60);
        let v = a.session(&s.token).unwrap().expect("alive");
        assert!(v.needs_touch);
        a.touch(v.key).await.unwrap();
    }
    // ...but 2 hours of silence ends it.
    clock.advance_secs(120 * 60);
    assert!(a.session(&s.token).unwrap().is_none());

    let s = a.login("bob@example.com", PW, IP).await.unwrap().into_session().unwrap();
    for _ in 0..(7 * 24) {
        clock.advance_secs(3600);
        if let Some(v) = a.session(&s.token).unwrap() {
            a.touch(v.key).await.unwrap();
        }
    }
    // 7 days after login the session is over whatever the activity.
    assert!(a.session(&s.token).unwrap().is_none());
    assert_eq!(a.purge_expired().await.unwrap(), 2);
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes() {
    let (a, clock) = setup();
    a.sign_up("carol@example.com", PW).await.unwrap();
    for i in 0..4 {
        let ip = IpAddr::from([198, 51, 100, i]);
        assert!(matches!(a.login("carol@example.com", "wrong", ip).await, Err(AccountError::BadCredentials)));
    }
    let e = a.login("carol@example.com", "wrong", IP).await.unwrap_err();
    assert!(matches!(e, AccountError::Locked { .. }), "{e}");
    // Even the right password is refused while locked.
    assert!(matches!(a.login("carol@example.com", PW, IP).await, Err(AccountError::Locked { .. })));
    clock.advance_secs(15 * 60);
    a.login("carol@example.com", PW, IP).await.unwrap();
}

#[tokio::test]
async fn five_failures_from_one_address_lock_that_address() {
    let (a, _) = setup();
    a.sign_up("dave@example.com", PW).await.unwrap();
    for i in 0..5 {
        let _ = a.login(&format!("nobody{i}@example.com"), "wrong", IP).await;
    }
    assert!(matches!(a.login("dave@example.com", PW, IP).await, Err(AccountError::Locked { .. })));
    // Another address is not affected.
    a.login("dave@example.com", PW, IpAddr::from([203, 0, 113, 1])).await.unwrap();
}

#[tokio::test]
async fn password_change_needs_current_and_ends_other_sessions() {
    let (a, _) = setup();
    let id = a.sign_up("erin@example.com", PW).await.unwrap();
    let s1 = a.login("erin@example.com", PW, IP).await.unwrap().into_session().unwrap();
    let s2 = a.login("erin@example.com", PW, IP).await.unwrap().into_session().unwrap();
    let keep = a.session(&s1.token).unwrap().unwrap().key;
    let e = a.change_password(id, "wrong", "new password 123", Some(keep)).await.unwrap_err();
    assert!(matches!(e, AccountError::WrongCurrentPassword));
    let e = a.change_password(id, PW, "short", Some(keep)).await.unwrap_err();
    assert_eq!(e.code(), "ACC0002");
    a.change_password(id, PW, "new password 123", Some(keep)).await.unwrap();
    assert!(a.session(&s1.token).unwrap().is_some());
    assert!(a.session(&s2.token).unwrap().is_none());
    assert!(a.login("erin@example.com", PW, IP).await.is_err());
    a.login("erin@example.com", "new password 123", IP).await.unwrap();
}

#[tokio::test]
async fn reset_token_works_once_and_expires_after_an_hour() {
    let (a, clock) = setup();
    let id = a.sign_up("frank@example.com", PW).await.unwrap();
    let s = a.login("frank@example.com", PW, IP).await.unwrap().into_session().unwrap();
    let t = a.issue_reset_token(id).await.unwrap();
    assert_eq!(a.check_reset_token(&t).unwrap().id, id);
    a.reset_password(&t, "brand new password").await.unwrap();
    assert!(a.session(&s.token).unwrap().is_none(), "reset ends sessions");
    assert!(matches!(a.reset_password(&t, "another password!").await, Err(AccountError::ResetLinkInvalid)));
    a.login("frank@example.com", "brand new password", IP).await.unwrap();

    let t2 = a.issue_reset_token(id).await.unwrap();
    clock.advance_secs(3599);
    assert!(a.check_reset_token(&t2).is_ok());
    clock.advance_secs(1);
    assert!(matches!(a.check_reset_token(&t2), Err(AccountError::ResetLinkInvalid)));
    assert!(matches!(
        a.reset_password(&t2, "brand new password 2").await,
        Err(AccountError::ResetLinkInvalid)
    ));
}

#[tokio::test]
async fn disabled_accounts_cannot_log_in_and_last_admin_is_kept() {
    let (a, _) = setup();
    let admin = a.create_user("root@example.com", PW, Role::Admin).await.unwrap();
    let cust = a.sign_up("gina@example.com", PW).await.unwrap();
    let s = a.login("gina@example.com", PW, IP).await.unwrap().into_session().unwrap();
    a.set_disabled(cust, true).await.unwrap();
    assert!(a.session(&s.token).unwrap().is_none());
    assert!(matches!(a.login("gina@example.com", PW, IP).await, Err(AccountError::Disabled)));
    assert!(matches!(a.set_disabled(admin, true).await, Err(AccountError::LastAdmin)));
    a.set_disabled(cust, false).await.unwrap();
    a.login("gina@example.com", PW, IP).await.unwrap();
}

#[tokio::test]
async fn signup_switch_and_bootstrap_admin() {
    let (a, _) = setup();
    assert!(a.signup_enabled().unwrap());
    let (email, pw) = a.ensure_admin("admin@localhost").await.unwrap().unwrap();
    assert_eq!(email.as_str(), "admin@localhost");
    assert!(a.ensure_admin("admin@localhost").await.unwrap().is_none(), "only when no admin exists");
    a.login("admin@localhost", &pw, IP).await.unwrap();
    a.set_signup_enabled(false).await.unwrap();
    assert!(matches!(a.sign_up("hank@example.com", PW).await, Err(AccountError::SignupClosed)));
    // Admins still create accounts.
    a.create_user("hank@example.com", PW, Role::Customer).await.unwrap();
}

#[test]
fn ipv6_clients_are_throttled_per_64() {
    let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
    let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
    assert_eq!(ip_throttle_key(a), ip_throttle_key(b));
    assert_eq!(ip_throttle_key("::ffff:192.0.2.1".parse().unwrap()), "ip:192.0.2.1");
}

#[tokio::test]
async fn a_second_step_is_no_session_and_is_purged_when_it_expires() {
    use crate::domain::two_factor::{code_at, step_of};
    let (a, clock) = setup();
    let id = a.sign_up("hana@example.com", PW).await.unwrap();
    let caller = crate::service::Caller::customer(id, "192.0.2.7");
    a.totp_begin(id).await.unwrap();
    let user = a.user(id).unwrap();
    let secret = a.two_factor(&user).unwrap().setting_up.unwrap();
    let now = clock.now().as_secs();
    assert_eq!(a.totp_confirm(&caller, id, &code_at(&secret, step_of(now))).await.unwrap().len(), 10);
    let SignIn::SecondStep(token) = a.login("hana@example.com", PW, IP).await.unwrap() else {
        panic!("a second factor is due");
    };
    assert!(a.session(&token).unwrap().is_none(), "the step's token is no session");
    assert_eq!(a.second_step(&token).unwrap().user.id, id);
    clock.advance_secs(SECOND_STEP_SECS);
    assert!(matches!(a.second_step(&token), Err(AccountError::SecondStepExpired)));
    let next = code_at(&secret, step_of(clock.now().as_secs()));
    assert!(matches!(a.pass_second_step(&token, &next, IP).await, Err(AccountError::SecondStepExpired)));
    assert!(a.purge_expired().await.unwrap() >= 1);
    use redb::ReadableTableMetadata;
    let tx = a.store.read().unwrap();
    assert_eq!(tx.open_table(crate::store::tables::SECOND_STEPS).unwrap().len().unwrap(), 0);
}
