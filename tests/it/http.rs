//! The cabinet over real TLS on a loopback port.

use crate::common::*;

#[tokio::test]
async fn sign_up_log_out_log_in() {
    let d = start_daemon().await;
    let c = client();
    sign_up(&c, &d, "Alice@Example.com").await;
    let (s, html) = get_text(&c, &d.url("/dashboard")).await;
    assert_eq!(s, 200);
    assert!(html.contains("alice@example.com") && html.contains("Welcome!"), "{html}");

    let r = submit(&c, &d, "/dashboard", "/logout", &[]).await;
    assert_eq!((r.status().as_u16(), location(&r).as_str()), (303, "/login"));
    let r = c.get(d.url("/dashboard")).send().await.unwrap();
    assert_eq!((r.status().as_u16(), location(&r).as_str()), (303, "/login?next=/dashboard"));

    let r = log_in(&c, &d, "alice@example.com", PW).await;
    assert_eq!((r.status().as_u16(), location(&r).as_str()), (303, "/dashboard"));
    let (s, html) = get_text(&c, &d.url("/dashboard")).await;
    assert_eq!(s, 200);
    assert!(html.contains("Dashboard"));
    d.stop().await;
}

#[tokio::test]
async fn wrong_password_then_lockout_after_five() {
    let d = start_daemon().await;
    let c = client();
    sign_up(&c, &d, "bob@example.com").await;
    let c = client();
    for _ in 0..4 {
        let r = log_in(&c, &d, "bob@example.com", "wrong password").await;
        assert_eq!(r.status().as_u16(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("Wrong e-mail address or password") && html.contains("ACC0004"), "{html}");
    }
    let r = log_in(&c, &d, "bob@example.com", "wrong password").await;
    assert_eq!(r.status().as_u16(), 429);
    let html = r.text().await.unwrap();
    assert!(html.contains("locked until") && html.contains("ACC0005"), "{html}");
    // The right password is refused too while the lock lasts...
    let r = log_in(&c, &d, "bob@example.com", PW).await;
    assert_eq!(r.status().as_u16(), 429);
    // ...and works once 15 minutes have passed.
    d.clock.advance_secs(15 * 60);
    let r = log_in(&c, &d, "bob@example.com", PW).await;
    assert_eq!(r.status().as_u16(), 303);
    d.stop().await;
}

#[tokio::test]
async fn csrf_missing_or_wrong_and_cross_origin_are_refused() {
    let d = start_daemon().await;
    let c = client();
    sign_up(&c, &d, "carol@example.com").await;

    let r = c.post(d.url("/account/logout-all")).form(&[("x", "1")]).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let html = r.text().await.unwrap();
    assert!(html.contains("WEB0001") && html.contains("<main>"), "{html}");

    let r = c.post(d.url("/account/logout-all")).form(&[("csrf", "A".repeat(43))]).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);

    let (_, html) = get_text(&c, &d.url("/account")).await;
    let csrf = csrf_of(&html);
    let r = c
        .post(d.url("/account/logout-all"))
        .header("Origin", "https://evil.example")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(r.text().await.unwrap().contains("WEB0002"));

    // Still logged in: none of those took effect.
    let (s, _) = get_text(&c, &d.url("/dashboard")).await;
    assert_eq!(s, 200);
    // The same form from our own origin works.
    let r = c
        .post(d.url("/account/logout-all"))
        .header("Origin", d.url(""))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    d.stop().await;
}

#[tokio::test]
async fn login_form_needs_the_visitor_csrf_cookie() {
    let d = start_daemon().await;
    let c = client();
    // A login POST without first loading the form (no CSRF cookie) is refused.
    let r = c
        .post(d.url("/login"))
        .form(&[("email", "x@example.com"), ("password", "whatever123"), ("csrf", &"B".repeat(43))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    d.stop().await;
}

#[tokio::test]
async fn password_change_needs_the_current_password() {
    let d = start_daemon().await;
    let c = client();
    sign_up(&c, &d, "dave@example.com").await;
    let new = "a different passphrase";
    let r = submit(
        &c,
        &d,
        "/account",
        "/account/password",
        &[("current", "nope"), ("new", new), ("confirm", new)],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("ACC0009"));
    let r =
        submit(&c, &d, "/account", "/account/password", &[("current", PW), ("new", new), ("confirm", new)])
            .await;
    assert_eq!((r.status().as_u16(), location(&r).as_str()), (303, "/account"));
    let (_, html) = get_text(&c, &d.url("/account")).await;
    assert!(html.contains("Your password has been changed"), "{html}");

    let c2 = client();
    assert_eq!(log_in(&c2, &d, "dave@example.com", PW).await.status().as_u16(), 422);
    assert_eq!(log_in(&c2, &d, "dave@example.com", new).await.status().as_u16(), 303);
    d.stop().await;
}

#[tokio::test]
async fn reset_link_works_once_and_expires() {
    let d = start_daemon().await;
    let admin = admin_client(&d).await;
    let cust = client();
    sign_up(&cust, &d, "erin@example.com").await;
    let id = d.accounts().user_by_email("erin@example.com").unwrap().id;

    let r = submit(&admin, &d, "/admin/users", &format!("/admin/users/{id}/reset-link"), &[]).await;
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().await.unwrap();
    let link = html.split("/reset/").nth(1).unwrap().split('<').next().unwrap().to_string();
    let path = format!("/reset/{link}");

    let anon = client();
    let (s, html) = get_text(&anon, &d.url(&path)).await;
    assert_eq!(s, 200);
    assert!(html.contains("erin@example.com"));
    let np = "fresh password here";
    let r = submit(&anon, &d, &path, &path, &[("password", np), ("confirm", np)]).await;
    assert_eq!((r.status().as_u16(), location(&r).as_str()), (303, "/login"));
    // The customer's old session ended with the reset.
    let r = cust.get(d.url("/dashboard")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    // Used once: gone.
    let (s, html) = get_text(&anon, &d.url(&path)).await;
    assert_eq!(s, 410);
    assert!(html.contains("ACC0008"));
    assert_eq!(log_in(&anon, &d, "erin@example.com", np).await.status().as_u16(), 303);

    // A second link expires after one hour.
    let r = submit(&admin, &d, "/admin/users", &format!("/admin/users/{id}/reset-link"), &[]).await;
    let html = r.text().await.unwrap();
    let link = html.split("/reset/").nth(1).unwrap().split('<').next().unwrap().to_string();
    d.clock.advance_secs(3601);
    let (s, _) = get_text(&client(), &d.url(&format!("/reset/{link}"))).await;
    assert_eq!(s, 410);
    d.stop().await;
}

#[tokio::test]
async fn admin_pages_refuse_customers_and_visitors() {
    let d = start_daemon().await;
    let c = client();
    sign_up(&c, &d, "frank@example.com").await;
    for path in ["/admin", "/admin/users"] {
        let (s, html) = get_text(&c, &d.url(path)).await;
        assert_eq!(s, 403, "{path}");
        assert!(html.contains("WEB0403"));
    }
    let r = submit(&c, &d, "/dashboard", "/admin/settings", &[("signup", "off")]).await;
    assert_eq!(r.status().as_u16(), 403);
    assert!(d.accounts().signup_enabled().unwrap(), "customer could not change settings");
    let r = client().get(d.url("/admin")).send().await.unwrap();
    assert_eq!((r.status().as_u16(), location(&r).as_str()), (303, "/login?next=/admin"));
    d.stop().await;
}

#[tokio::test]
async fn admin_closes_sign_up() {
    let d = start_daemon().await;
    let admin = admin_client(&d).await;
    let r = submit(&admin, &d, "/admin", "/admin/settings", &[("signup", "off")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&admin, &d.url("/admin")).await;
    assert!(
        html.contains("Customer sign-up is closed") || html.contains("sign-up is <strong>closed"),
        "{html}"
    );
    let id = d.accounts().store().installation_id();
    assert!(
        html.contains(&format!("Installation <code>{id}</code>")),
        "the overview names the installation: {html}"
    );
    let c = client();
    let (_, html) = get_text(&c, &d.url("/signup")).await;
    assert!(html.contains("Sign-up is closed"));
    // A crafted POST is refused as well.
    let (_, login) = get_text(&c, &d.url("/login")).await;
    let csrf = csrf_of(&login);
    let r = c
        .post(d.url("/signup"))
        .form(&[("email", "x@example.com"), ("password", PW), ("confirm", PW), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("ACC0007"));
    d.stop().await;
}

#[tokio::test]
async fn log_out_everywhere_ends_other_sessions() {
    let d = start_daemon().await;
    let a = client();
    sign_up(&a, &d, "gina@example.com").await;
    let b = client();
    assert_eq!(log_in(&b, &d, "gina@example.com", PW).await.status().as_u16(), 303);
    assert_eq!(get_text(&b, &d.url("/dashboard")).await.0, 200);
    let r = submit(&a, &d, "/account", "/account/logout-all", &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(b.get(d.url("/dashboard")).send().await.unwrap().status().as_u16(), 303);
    assert_eq!(a.get(d.url("/dashboard")).send().await.unwrap().status().as_u16(), 303);
    d.stop().await;
}

#[tokio::test]
async fn security_headers_and_cookie_flags() {
    let d = start_daemon().await;
    let c = client();
    for path in ["/login", "/no/such/page"] {
        let r = c.get(d.url(path)).send().await.unwrap();
        let h = r.headers();
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'")
                && csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline")
        );
        assert!(h.get("strict-transport-security").unwrap().to_str().unwrap().starts_with("max-age="));
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(h.get("referrer-policy").unwrap(), "same-origin");
        assert!(h.get("x-request-id").is_some());
    }
    let (_, html) = get_text(&c, &d.url("/login")).await;
    let csrf = csrf_of(&html);
    d.accounts().create_user("hank@example.com", PW, vpsbox::domain::account::Role::Customer).await.unwrap();
    let r = c
        .post(d.url("/login"))
        .form(&[("email", "hank@example.com"), ("password", PW), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("__Host-vpsbox_session="))
        .expect("session cookie");
    for flag in ["; Secure", "; HttpOnly", "; SameSite=Lax", "; Path=/"] {
        assert!(cookie.contains(flag), "{cookie}");
    }
    assert!(!cookie.contains("Domain="));
    d.stop().await;
}

#[tokio::test]
async fn oversized_body_gets_413_page() {
    let d = start_daemon().await;
    let c = client();
    let (_, html) = get_text(&c, &d.url("/login")).await;
    let csrf = csrf_of(&html);
    let big = "x".repeat(200 * 1024);
    let r = c
        .post(d.url("/login"))
        .form(&[("email", big.as_str()), ("password", "p"), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 413);
    assert!(r.text().await.unwrap().contains("WEB0413"));
    // A streamed body without Content-Length is cut off the same way.
    let stream = futures_body(big.into_bytes());
    let r = c
        .post(d.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(stream)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 413);
    d.stop().await;
}

fn futures_body(data: Vec<u8>) -> reqwest::Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = data.chunks(8192).map(|c| Ok(c.to_vec())).collect();
    reqwest::Body::wrap_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn unknown_route_renders_404_page() {
    let d = start_daemon().await;
    let (s, html) = get_text(&client(), &d.url("/definitely/not/here")).await;
    assert_eq!(s, 404);
    assert!(html.contains("Page not found") && html.contains("WEB0404") && html.contains("<main>"));
    let r = client().delete(d.url("/login")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 405);
    let r = client()
        .post(d.url("/login"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.text().await.unwrap().contains("WEB0400"));
    d.stop().await;
}

#[tokio::test]
async fn healthz_and_hashed_assets() {
    let d = start_daemon().await;
    let c = client();
    let (s, body) = get_text(&c, &d.url("/healthz")).await;
    assert_eq!((s, body.as_str()), (200, "ok\n"));
    let (_, html) = get_text(&c, &d.url("/login")).await;
    let css = html.split("href=\"/assets/").nth(1).unwrap().split('"').next().unwrap();
    let r = c.get(d.url(&format!("/assets/{css}"))).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers().get("cache-control").unwrap().to_str().unwrap().contains("immutable"));
    assert!(r.headers().get("set-cookie").is_none());
    assert_eq!(c.get(d.url("/assets/app.000000000000.css")).send().await.unwrap().status().as_u16(), 404);
    d.stop().await;
}

#[tokio::test]
async fn http_listener_only_redirects() {
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    cfg.tls.redirect_http = Some("127.0.0.1:0".parse().unwrap());
    let d = start_daemon_with(cfg, dir).await;
    let raddr = d.running.as_ref().unwrap().redirect_addr.unwrap();
    let r = client().get(format!("http://{raddr}/account?x=1")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 308);
    assert_eq!(location(&r), format!("https://127.0.0.1:{}/account?x=1", d.addr.port()));
    d.stop().await;
}

#[tokio::test]
async fn admin_creates_account_and_disables_it() {
    let d = start_daemon().await;
    let admin = admin_client(&d).await;
    let r = submit(
        &admin,
        &d,
        "/admin/users",
        "/admin/users",
        &[("email", "ivan@example.com"), ("role", "customer"), ("password", "")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().await.unwrap();
    let pw = html.split("shown only now: <code>").nth(1).unwrap().split('<').next().unwrap().to_string();
    let c = client();
    assert_eq!(log_in(&c, &d, "ivan@example.com", &pw).await.status().as_u16(), 303);
    let id = d.accounts().user_by_email("ivan@example.com").unwrap().id;
    let r = submit(&admin, &d, "/admin/users", &format!("/admin/users/{id}/status"), &[("disabled", "true")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(c.get(d.url("/dashboard")).send().await.unwrap().status().as_u16(), 303, "session ended");
    let r = log_in(&client(), &d, "ivan@example.com", &pw).await;
    assert!(r.text().await.unwrap().contains("ACC0006"));
    d.stop().await;
}

#[tokio::test]
async fn admin_overview_shows_the_libvirtd_connection() {
    // `make test` starts libvirtd; the daemon talks to it on qemu:///system.
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let d = start_qemu_daemon().await;
    let c = admin_client(&d).await;
    let (s, html) = get_text(&c, &d.url("/admin")).await;
    assert_eq!(s, 200);
    assert!(html.contains("connected") && html.contains("qemu:///system") && html.contains("QEMU"), "{html}");
    d.stop().await;
}

/// A client that sends its whole oversized form before it reads, slowly (as over a real uplink),
/// gets the WEB0413 page, not a reset connection: the daemon reads the body away (up to a
/// bound) before it answers and closes.
#[tokio::test]
async fn a_body_over_the_limit_sent_in_full_gets_the_413_page() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let d = start_daemon().await;
    for size in [100 * 1024, 1024 * 1024] {
        let (mut tls, _) = crate::tls::connect(d.addr()).await;
        let body = "field=".to_string() + &"x".repeat(size);
        let head = format!(
            "POST /quota/requests HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            d.addr(),
            body.len()
        );
        tls.write_all(head.as_bytes()).await.unwrap();
        let mut sent = Ok(());
        for chunk in body.as_bytes().chunks(16 * 1024) {
            sent = tls.write_all(chunk).await.and(tls.flush().await);
            if sent.is_err() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(sent.is_ok(), "{size} bytes: the daemon stopped reading: {sent:?}");
        let mut answer = Vec::new();
        let read = tokio::time::timeout(std::time::Duration::from_secs(10), tls.read_to_end(&mut answer))
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&answer);
        assert!(read.is_ok() || text.contains("WEB0413"), "{size} bytes: the connection broke: {read:?}");
        assert!(text.starts_with("HTTP/1.1 413"), "{size} bytes: {text}");
        assert!(
            text.contains("WEB0413") && text.to_ascii_lowercase().contains("connection: close"),
            "{text}"
        );
    }
    d.stop().await;
}
