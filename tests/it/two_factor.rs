//! Two-factor sign-in through the real TLS server, on the daemon's test clock: codes made by
//! `oathtool` (an authenticator nobody here wrote) from the key the page shows, the QR code drawn
//! by `rsvg-convert` and read back by `zbarimg`, enrolment, replay, recovery codes, throttling,
//! the admins' requirement and reset.

use std::process::Command;

use crate::common::{Cabinet, Daemon, PW, Target, admin_client, client, location, start_daemon, submit};

/// The TOTP code of base32 `key` at Unix time `at`, as an authenticator app computes it.
fn oath(key: &str, at: i64) -> String {
    let out = Command::new("oathtool")
        .args(["--totp", "--base32", key, "--now", &format!("@{at}")])
        .output()
        .expect("oathtool (scripts/deps.sh test installs it)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The key a set-up page shows, without its blanks.
fn key_of(page: &str) -> String {
    let start = page.find("<code class=\"secret\">").unwrap_or_else(|| panic!("no key on: {page}")) + 21;
    page[start..].split('<').next().unwrap().replace(' ', "")
}

/// The recovery codes a page shows.
fn recovery_of(page: &str) -> Vec<String> {
    let list = page.split("<ul class=\"recovery\">").nth(1).unwrap_or_else(|| panic!("no codes on: {page}"));
    let list = list.split("</ul>").next().unwrap();
    list.split("<code>").skip(1).map(|c| c.split('<').next().unwrap().to_string()).collect()
}

/// What a QR scanner reads from the page's QR code (SVG drawn to PNG).
fn scan_qr(page: &str) -> String {
    let svg = &page[page.find("<svg").expect("a QR code")..];
    let svg = &svg[..svg.find("</svg>").unwrap() + 6];
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("qr.svg"), svg).unwrap();
    let png = dir.path().join("qr.png");
    let st =
        Command::new("rsvg-convert").arg(dir.path().join("qr.svg")).arg("-o").arg(&png).status().unwrap();
    assert!(st.success());
    let out = Command::new("zbarimg").args(["--quiet", "--raw"]).arg(&png).output().unwrap();
    assert!(out.status.success(), "zbarimg read nothing: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The page a redirect leads to (with its flash message), fetched by `c`.
async fn shown(c: &reqwest::Client, d: &Daemon, r: reqwest::Response) -> String {
    assert_eq!(r.status().as_u16(), 303, "a redirect");
    crate::common::get_text(c, &d.url(&location(&r))).await.1
}

fn now(d: &Daemon) -> i64 {
    use vpsbox::clock::Clock;
    d.clock.now().as_secs()
}

/// Log in with the password: the response (a redirect to the second step when one is due).
async fn password(c: &reqwest::Client, d: &Daemon, email: &str) -> reqwest::Response {
    submit(c, d, "/login", "/login", &[("email", email), ("password", PW), ("next", "/billing")]).await
}

async fn second(c: &reqwest::Client, d: &Daemon, code: &str) -> reqwest::Response {
    submit(c, d, "/login/2fa", "/login/2fa", &[("code", code), ("next", "/billing")]).await
}

/// Turn two-factor sign-in on for the logged-in `c` from the account page: its key and
/// recovery codes.
async fn enrol(c: &Cabinet<'_, Daemon>, d: &Daemon) -> (String, Vec<String>) {
    let r = c.submit("/account/2fa", "/account/2fa/setup", &[]).await;
    assert_eq!((r.status().as_u16(), location(&r).as_str()), (303, "/account/2fa"));
    let (_, page) = c.get("/account/2fa").await;
    let key = key_of(&page);
    let scanned = scan_qr(&page);
    assert!(scanned.starts_with("otpauth://totp/127.0.0.1:"), "{scanned}");
    assert!(scanned.contains(&format!("secret={key}")) && scanned.contains("issuer=127.0.0.1"), "{scanned}");
    let r = c.submit("/account/2fa", "/account/2fa/confirm", &[("code", &oath(&key, now(d)))]).await;
    assert_eq!(r.status().as_u16(), 200);
    let codes = recovery_of(&r.text().await.unwrap());
    assert_eq!(codes.len(), 10);
    let (_, page) = c.get("/account/2fa").await;
    assert!(page.contains("On since") && page.contains("10 recovery codes left"), "{page}");
    (key, codes)
}

#[tokio::test]
async fn totp_enrolment_login_replay_recovery_and_throttle() {
    let d = start_daemon().await;
    let email = "two@example.com";
    let c = Cabinet::customer(&d, email).await;
    let (key, codes) = enrol(&c, &d).await;

    // A right password alone opens nothing.
    let v = client();
    let r = password(&v, &d, email).await;
    assert_eq!((r.status().as_u16(), location(&r).as_str()), (303, "/login/2fa?next=%2Fbilling"));
    let r = v.get(d.url("/billing")).send().await.unwrap();
    assert_eq!(location(&r), "/login?next=/billing", "no session before the second factor");
    let r = second(&v, &d, "000000").await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("ACC0021"));
    let r = second(&v, &d, &oath(&key, now(&d))).await;
    assert_eq!(r.status().as_u16(), 422, "the step's code was used to turn it on");
    d.clock.advance_secs(30);
    let code = oath(&key, now(&d));
    let r = second(&v, &d, &code).await;
    assert_eq!((r.status().as_u16(), location(&r).as_str()), (303, "/billing"));
    assert_eq!(v.get(d.url("/billing")).send().await.unwrap().status().as_u16(), 200);

    // The same code again, from another browser, is refused; the next step's code works.
    let w = client();
    password(&w, &d, email).await;
    let r = second(&w, &d, &code).await;
    assert!(r.status().as_u16() == 422 && r.text().await.unwrap().contains("ACC0021"), "a replayed code");
    d.clock.advance_secs(30);
    let r = second(&w, &d, &oath(&key, now(&d))).await;
    assert_eq!(r.status().as_u16(), 303);

    // A recovery code works once, typed any way.
    let x = client();
    password(&x, &d, email).await;
    let r = second(&x, &d, &codes[0].to_uppercase().replace('-', " ")).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = crate::common::get_text(&x, &d.url("/billing")).await;
    assert!(page.contains("9 are left"), "{page}");
    let y = client();
    password(&y, &d, email).await;
    let r = second(&y, &d, &codes[0]).await;
    assert_eq!(r.status().as_u16(), 422, "a used recovery code");

    // Wrong codes count toward the login lock: a right password does not forgive them. (The
    // failures above, from this address, leave the window first.)
    d.clock.advance_secs(16 * 60);
    let z = client();
    for _ in 0..4 {
        password(&z, &d, email).await;
        let r = second(&z, &d, "123456").await;
        assert_eq!(r.status().as_u16(), 422);
    }
    password(&z, &d, email).await;
    let r = second(&z, &d, "123457").await;
    assert_eq!(r.status().as_u16(), 429, "the fifth failure in the window locks");
    assert!(r.text().await.unwrap().contains("ACC0005"));
    d.clock.advance_secs(30);
    let r = second(&z, &d, &oath(&key, now(&d))).await;
    assert_eq!(r.status().as_u16(), 429, "locked even with a right code");
    let r = password(&z, &d, email).await;
    assert_eq!(r.status().as_u16(), 429, "and the password step too");

    // The second step ends after ten minutes.
    d.clock.advance_secs(16 * 60);
    let e = client();
    password(&e, &d, email).await;
    d.clock.advance_secs(601);
    let r = e.get(d.url("/login/2fa")).send().await.unwrap();
    assert_eq!(location(&r), "/login");
    let code = oath(&key, now(&d));
    let r = submit(&e, &d, "/login", "/login/2fa", &[("code", &code)]).await;
    assert_eq!(location(&r), "/login");
    assert!(
        r.headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("__Host-vpsbox_2fa=;"))
    );

    // Turning it off takes the password and a code.
    let r = c
        .submit(
            "/account/2fa",
            "/account/2fa/disable",
            &[("password", "wrong password x"), ("code", &oath(&key, now(&d)))],
        )
        .await;
    assert!(shown(&c.http, &d, r).await.contains("ACC0009"));
    let r = c
        .submit("/account/2fa", "/account/2fa/disable", &[("password", PW), ("code", &oath(&key, now(&d)))])
        .await;
    assert_eq!(location(&r), "/account/2fa");
    let f = client();
    assert_eq!(location(&password(&f, &d, email).await), "/billing", "the password alone again");
    // The support form's password category offers these pages before a request.
    let (_, form) = c.get("/support/new?category=password").await;
    assert!(form.contains("href=\"/account/2fa\"") && form.contains("href=\"/account\""), "{form}");
    let (_, activity) = c.get("/activity").await;
    assert!(
        activity.contains("Two-factor sign-in turned on")
            && activity.contains("Two-factor sign-in turned off")
    );
}

#[tokio::test]
async fn admins_require_a_second_factor_and_reset_it() {
    let d = start_daemon().await;
    let admin = admin_client(&d).await;
    let email = "must@example.com";
    let c = Cabinet::customer(&d, email).await;

    let r = submit(&admin, &d, "/admin", "/admin/settings/2fa", &[("required", "sometimes")]).await;
    assert!(shown(&admin, &d, r).await.contains("ACC0027"));
    let r = submit(&admin, &d, "/admin", "/admin/settings/2fa", &[("required", "everyone")]).await;
    assert_eq!(location(&r), "/admin");

    // At the next login the customer enrols before any session.
    let v = client();
    let r = password(&v, &d, email).await;
    assert_eq!(location(&r), "/login/2fa?next=%2Fbilling");
    let (_, page) = crate::common::get_text(&v, &d.url("/login/2fa")).await;
    assert!(page.contains("requires two-factor sign-in"), "{page}");
    let key = key_of(&page);
    assert!(scan_qr(&page).contains(&format!("secret={key}")));
    assert_eq!(v.get(d.url("/billing")).send().await.unwrap().status().as_u16(), 303);
    let r = second(&v, &d, &oath(&key, now(&d))).await;
    assert_eq!(r.status().as_u16(), 200, "the recovery codes are shown once");
    let page = r.text().await.unwrap();
    assert_eq!(recovery_of(&page).len(), 10);
    assert!(page.contains("href=\"/billing\""));
    assert_eq!(v.get(d.url("/billing")).send().await.unwrap().status().as_u16(), 200);

    // Required: it cannot be turned off.
    let (_, page) = crate::common::get_text(&v, &d.url("/account/2fa")).await;
    assert!(!page.contains("/account/2fa/disable"));
    d.clock.advance_secs(30);
    let code = oath(&key, now(&d));
    let r =
        submit(&v, &d, "/account/2fa", "/account/2fa/disable", &[("password", PW), ("code", &code)]).await;
    assert!(shown(&v, &d, r).await.contains("ACC0026"));

    // The admin resets it (the customer lost the phone): audited and told; the next login
    // enrols again.
    let id = d.accounts().user_by_email(email).unwrap().id;
    let (_, users) = crate::common::get_text(&admin, &d.url("/admin/users")).await;
    assert!(users.contains(&format!("/admin/users/{id}/2fa/reset")));
    let r = submit(&admin, &d, "/admin/users", &format!("/admin/users/{id}/2fa/reset"), &[]).await;
    assert!(shown(&admin, &d, r).await.contains("the account was told"));
    let r = submit(&admin, &d, "/admin/users", &format!("/admin/users/{id}/2fa/reset"), &[]).await;
    assert!(shown(&admin, &d, r).await.contains("ACC0025"), "nothing left to reset");
    let (_, notices) = crate::common::get_text(&v, &d.url("/notifications")).await;
    assert!(notices.contains("Two-factor sign-in was turned off for your account"), "{notices}");
    let audit = d.svc().activity(Some(id), 50).unwrap();
    assert!(audit.iter().any(|a| a.action == "account.2fa_reset" && a.actor != Some(id)));
    let w = client();
    password(&w, &d, email).await;
    let (_, page) = crate::common::get_text(&w, &d.url("/login/2fa")).await;
    assert!(page.contains("requires two-factor sign-in") && key_of(&page) != key, "a new key to enrol");
    drop(c);
}
