//! Passkeys in a real Chromium with WebDriver's virtual authenticator (a CTAP2 platform
//! authenticator with user verification, made through chromedriver): registered on the
//! account's two-factor page, then a password-less login, then the second step after a password,
//! with no console errors. Passkeys need a domain name, so the browser visits `localhost`.

use serde_json::json;

use super::driver::Driver;
use crate::common::*;

#[tokio::test]
async fn chromium_registers_a_passkey_and_logs_in_with_it() {
    let d = start_daemon().await;
    let base = format!("https://localhost:{}", d.addr.port());
    let b = Driver::start().await;
    let auth = b
        .cmd(
            reqwest::Method::POST,
            "/webauthn/authenticator",
            Some(json!({"protocol": "ctap2", "transport": "internal", "hasResidentKey": true,
                        "hasUserVerification": true, "isUserConsenting": true, "isUserVerified": true})),
        )
        .await;
    let auth = auth.as_str().expect("an authenticator id").to_string();
    let mut logs = Vec::new();

    b.goto(&format!("{base}/signup")).await;
    b.type_into("#email", "keys@example.com").await;
    b.type_into("#password", PW).await;
    b.type_into("#confirm", PW).await;
    b.click("button[type=submit]").await;
    b.wait_for_path(&base, "/dashboard").await;

    b.goto(&format!("{base}/account/2fa")).await;
    b.type_into("#passkey-name", "Test laptop").await;
    b.click("button[data-passkey=register]").await;
    let html = b.wait_for_text("Test laptop</td>").await;
    assert!(html.contains("Not used yet"), "{html}");
    let creds =
        b.cmd(reqwest::Method::GET, &format!("/webauthn/authenticator/{auth}/credentials"), None).await;
    assert_eq!(creds.as_array().map(Vec::len), Some(1), "one credential: {creds}");
    assert_eq!(
        creds[0]["isResidentCredential"], true,
        "discoverable, for logins without a password: {creds}"
    );
    logs.extend(b.console().await);

    // Password-less.
    b.click(".topbar button[type=submit]").await;
    b.wait_for_path(&base, "/login").await;
    b.click("button[data-passkey=login]").await;
    b.wait_for_path(&base, "/dashboard").await;
    assert!(b.source().await.contains("keys@example.com"));
    logs.extend(b.console().await);

    // A password now leads to the second step, which the passkey answers.
    b.click(".topbar button[type=submit]").await;
    b.wait_for_path(&base, "/login").await;
    b.type_into("#email", "keys@example.com").await;
    b.type_into("#password", PW).await;
    b.click("main button[type=submit]").await;
    b.wait_for_text("Confirm with one of your passkeys").await;
    b.click("button[data-passkey=second]").await;
    b.wait_for_path(&base, "/dashboard").await;
    b.goto(&format!("{base}/account/2fa")).await;
    assert!(b.source().await.contains("Last used"));
    logs.extend(b.console().await);
    b.quit().await;

    let id = d.accounts().user_by_email("keys@example.com").unwrap().id;
    let audit = d.svc().activity(Some(id), 50).unwrap();
    assert!(audit.iter().any(|a| a.action == "account.passkey_add" && a.detail == "Test laptop"));
    let errors: Vec<_> = logs.iter().filter(|e| e["level"] == "SEVERE" || e["level"] == "WARNING").collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    d.stop().await;
}
