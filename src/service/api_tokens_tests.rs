use super::*;
use crate::clock::ManualClock;
use crate::domain::account::Email;
use crate::store::codec::encode;

const START: i64 = 1_800_000_000;

fn put_user(store: &Store, id: u64, role: Role, disabled: bool) {
    let tx = store.write().unwrap();
    let u = UserRecord {
        id: UserId(id),
        email: Email::parse(&format!("u{id}@example.com")).unwrap(),
        password_hash: String::new(),
        role,
        disabled,
        created_at: Timestamp::from_secs(START),
        password_changed_at: Timestamp::from_secs(START),
        language: None,
    };
    tx.open_table(USERS).unwrap().insert(id, encode(&u).unwrap().as_slice()).unwrap();
    tx.commit().unwrap();
}

fn tokens() -> (ApiTokens, Arc<Store>, ManualClock) {
    let store = Arc::new(Store::in_memory().unwrap());
    let clock = ManualClock::new(Timestamp::from_secs(START));
    put_user(&store, 1, Role::Admin, false);
    put_user(&store, 2, Role::Customer, false);
    put_user(&store, 3, Role::Customer, false);
    (ApiTokens::new(store.clone(), Arc::new(clock.clone())), store, clock)
}

fn new(kind: &str, scopes: &str) -> NewToken {
    NewToken { name: "whmcs".into(), kind: kind.into(), scopes: scopes.into(), ..Default::default() }
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[tokio::test]
async fn a_token_works_once_made_and_becomes_its_accounts_caller() {
    let (t, _, _) = tokens();
    let admin = Caller::admin(UserId(1), "192.0.2.1");
    let made = t.create(&admin, UserId(1), new("billing", "")).await.unwrap();
    assert!(made.text.starts_with(&format!("vpsbox_{}_", made.token.id)), "{}", made.text);
    assert_ne!(made.token.secret_hash, [0u8; 32]);
    assert!(
        !made.text.contains(&crate::service::tokens::encode(&made.token.secret_hash)),
        "only the hash is kept"
    );
    let a = t.authenticate(&made.text, ip("127.0.0.1")).unwrap();
    assert_eq!(a.caller, Caller::admin(UserId(1), "127.0.0.1"));
    assert!(a.require(Scope::Servers).is_ok());
    assert_eq!(a.require(Scope::Metrics).unwrap_err().code(), "TOK0015");
    assert_eq!(t.list(&admin, UserId(1)).unwrap()[0].last_used.as_ref().unwrap().1, "127.0.0.1");

    // A wrong secret, a wrong id, garbage: all the same refusal.
    let (id, secret) = api_token::split(&made.text).unwrap();
    let flipped =
        format!("vpsbox_{id}_{}", secret.replace(&secret[..1], if &secret[..1] == "A" { "B" } else { "A" }));
    for bad in [flipped, format!("vpsbox_{}_{secret}", id + 1), "Bearer".into(), String::new()] {
        assert_eq!(t.authenticate(&bad, ip("127.0.0.1")).unwrap_err().code(), "TOK0010", "{bad}");
    }
}

#[tokio::test]
async fn kinds_follow_the_accounts_role_and_customers_see_only_their_own() {
    let (t, _, _) = tokens();
    let me = Caller::customer(UserId(2), "192.0.2.2");
    assert_eq!(t.create(&me, UserId(2), new("billing", "")).await.unwrap_err().code(), "TOK0002");
    assert_eq!(t.create(&me, UserId(2), new("customer", "balances")).await.unwrap_err().code(), "TOK0005");
    assert_eq!(t.create(&me, UserId(2), new("customer", "root")).await.unwrap_err().code(), "TOK0004");
    assert_eq!(t.create(&me, UserId(2), new("robot", "")).await.unwrap_err().code(), "TOK0003");
    assert_eq!(
        t.create(&me, UserId(3), new("customer", "")).await.unwrap_err().code(),
        "TOK0009",
        "another's"
    );
    let mine = t.create(&me, UserId(2), new("customer", "servers,power")).await.unwrap();
    assert_eq!(mine.token.scopes, vec![Scope::Servers, Scope::Power]);
    let a = t.authenticate(&mine.text, ip("198.51.100.7")).unwrap();
    assert_eq!(a.caller.role, Role::Customer);
    assert!(!a.caller.sees(UserId(3)));
    // An admin's customer token acts as a customer too.
    let admin = Caller::admin(UserId(1), "x");
    let own = t.create(&admin, UserId(1), new("customer", "")).await.unwrap();
    assert_eq!(t.authenticate(&own.text, ip("127.0.0.1")).unwrap().caller.role, Role::Customer);
    // Others cannot list or revoke it.
    assert_eq!(t.list(&me, UserId(1)).unwrap_err().code(), "TOK0009");
    assert_eq!(t.revoke(&me, own.token.id).await.unwrap_err().code(), "TOK0008");
}

#[tokio::test]
async fn expired_revoked_disabled_and_foreign_networks_are_refused() {
    let (t, store, clock) = tokens();
    let admin = Caller::admin(UserId(1), "x");
    let mut n = new("admin", "");
    n.expires_in_days = Some(1);
    n.networks = "127.0.0.0/8, 2001:db8::1".into();
    let made = t.create(&admin, UserId(1), n).await.unwrap();
    assert!(t.authenticate(&made.text, ip("127.0.0.2")).is_ok());
    assert!(
        t.authenticate(&made.text, ip("::ffff:127.0.0.3")).is_ok(),
        "a v4-mapped client is its v4 address"
    );
    assert!(t.authenticate(&made.text, ip("2001:db8::1")).is_ok());
    assert_eq!(t.authenticate(&made.text, ip("192.0.2.9")).unwrap_err().code(), "TOK0014");
    clock.advance_secs(86_400);
    assert_eq!(t.authenticate(&made.text, ip("127.0.0.2")).unwrap_err().code(), "TOK0011");

    let other = t.create(&admin, UserId(1), new("metrics", "")).await.unwrap();
    t.revoke(&admin, other.token.id).await.unwrap();
    assert_eq!(t.authenticate(&other.text, ip("127.0.0.1")).unwrap_err().code(), "TOK0012");
    assert!(t.revoke(&admin, other.token.id).await.unwrap().revoked_at.is_some(), "again: no change");

    let c = Caller::customer(UserId(2), "x");
    let theirs = t.create(&c, UserId(2), new("customer", "")).await.unwrap();
    put_user(&store, 2, Role::Customer, true);
    assert_eq!(t.authenticate(&theirs.text, ip("127.0.0.1")).unwrap_err().code(), "TOK0013");

    let mut bad = new("admin", "");
    bad.networks = "192.0.2.1/24".into();
    assert_eq!(t.create(&admin, UserId(1), bad).await.unwrap_err().code(), "TOK0006", "host bits set");
}

#[tokio::test]
async fn last_used_is_written_at_most_once_a_minute_per_address() {
    let (t, _, clock) = tokens();
    let admin = Caller::admin(UserId(1), "x");
    let made = t.create(&admin, UserId(1), new("admin", "")).await.unwrap();
    let last = || t.list(&admin, UserId(1)).unwrap()[0].last_used.clone().unwrap();
    t.authenticate(&made.text, ip("127.0.0.1")).unwrap();
    let first = last();
    clock.advance_secs(30);
    t.authenticate(&made.text, ip("127.0.0.1")).unwrap();
    assert_eq!(last(), first, "within the minute");
    t.authenticate(&made.text, ip("127.0.0.2")).unwrap();
    assert_eq!(last().1, "127.0.0.2", "another address at once");
    clock.advance_secs(60);
    t.authenticate(&made.text, ip("127.0.0.2")).unwrap();
    assert_eq!(last().0, Timestamp::from_secs(START + 90));
}
