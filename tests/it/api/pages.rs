//! Tokens in the cabinet: an account makes, uses and revokes its own on the Account page (the
//! secret shown once); admins see and revoke every account's.

use super::get_json;
use crate::common::*;

/// The token text on a page that just made one.
fn secret_on(html: &str) -> String {
    let at = html.find("vpsbox_").expect("the new token is shown");
    html[at..]
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn accounts_make_use_and_revoke_tokens_in_the_cabinet_and_admins_see_them_all() {
    let d = start_daemon().await;
    let c = client();
    sign_up(&c, &d, "scripts@example.com").await;
    let (status, page) = get_text(&c, &d.url("/account/tokens")).await;
    assert!(status == 200 && page.contains("name=\"kind\""), "{status}");

    // Made on the form: shown once, on the answer, never again.
    let form = [
        ("name", "deploy"),
        ("kind", "customer"),
        ("scopes", "servers,power"),
        ("networks", ""),
        ("expires_days", "30"),
    ];
    let r = submit(&c, &d, "/account/tokens", "/account/tokens", &form).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.unwrap();
    let token = secret_on(&html);
    let (status, _, ping) = get_json(&d, "/ping", Some(&token)).await;
    assert_eq!((status, ping["token"]["name"].as_str()), (200, Some("deploy")), "{ping}");
    let (_, again) = get_text(&c, &d.url("/account/tokens")).await;
    assert!(again.contains("deploy") && again.contains("servers,power") && !again.contains(&token));

    // A customer holds no billing token; a bad number is a bad request.
    let form = [("name", "x"), ("kind", "billing"), ("scopes", ""), ("networks", ""), ("expires_days", "")];
    let r = submit(&c, &d, "/account/tokens", "/account/tokens", &form).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("TOK0002"));
    let form =
        [("name", "x"), ("kind", "customer"), ("scopes", ""), ("networks", ""), ("expires_days", "soon")];
    let r = submit(&c, &d, "/account/tokens", "/account/tokens", &form).await;
    assert_eq!(r.status().as_u16(), 400);

    // The admin page lists every account's tokens, and revokes them.
    let admin = admin_client(&d).await;
    let (status, list) = get_text(&admin, &d.url("/admin/tokens")).await;
    assert!(status == 200 && list.contains("deploy") && list.contains("scripts@example.com"), "{status}");
    let id = d.svc().api_tokens.all(&vpsbox::service::Caller::system()).unwrap()[0].id;
    let r = submit(&admin, &d, "/admin/tokens", &format!("/admin/tokens/{id}/revoke"), &[]).await;
    assert_eq!((r.status().as_u16(), location(&r)), (303, "/admin/tokens".to_string()));
    assert_eq!(get_json(&d, "/ping", Some(&token)).await.0, 401);
    let (_, mine) = get_text(&c, &d.url("/account/tokens")).await;
    assert!(mine.contains("revoked") || mine.contains("Revoked"), "the owner sees it revoked");

    // A customer revokes its own, not another's.
    let form =
        [("name", "second"), ("kind", "customer"), ("scopes", ""), ("networks", ""), ("expires_days", "")];
    let html = submit(&c, &d, "/account/tokens", "/account/tokens", &form).await.text().await.unwrap();
    let second = secret_on(&html);
    let other = client();
    sign_up(&other, &d, "nosy@example.com").await;
    let second_id = second.split('_').nth(1).unwrap().to_string();
    let r = submit(&other, &d, "/account/tokens", &format!("/account/tokens/{second_id}/revoke"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(get_json(&d, "/ping", Some(&second)).await.0, 200, "another account cannot revoke it");
    let r = submit(&c, &d, "/account/tokens", &format!("/account/tokens/{second_id}/revoke"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(get_json(&d, "/ping", Some(&second)).await.0, 401);
    d.stop().await;
}
