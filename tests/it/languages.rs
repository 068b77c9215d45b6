//! The cabinet's language through real TLS: chosen from `Accept-Language`, from the switch, and
//! the admins' own wording winning over the built-in bundle.

use crate::common::*;

/// The login page as a browser asking for `accept` sees it, with the client's cookies.
async fn login_page(c: &reqwest::Client, d: &impl Target, accept: &str) -> String {
    let r = c.get(d.url("/login")).header("Accept-Language", accept).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.text().await.unwrap()
}

#[tokio::test]
async fn the_language_comes_from_the_browser_then_the_switch() {
    let d = start_daemon().await;
    let c = client();
    let html = login_page(&c, &d, "ru-RU,ru;q=0.9,en;q=0.8").await;
    assert!(html.contains("<html lang=\"ru\">"), "{html}");
    assert!(
        html.contains("<h1>Вход</h1>") && html.contains("Пароль") && html.contains(">Регистрация<"),
        "{html}"
    );
    let html = login_page(&c, &d, "kk-KZ,kk;q=0.9").await;
    assert!(html.contains("<html lang=\"kk\">") && html.contains("<h1>Кіру</h1>"), "{html}");
    // None of ours asked for: the host's default (English unless configured).
    let html = login_page(&c, &d, "de-DE,fr;q=0.5").await;
    assert!(html.contains("<html lang=\"en\">") && html.contains("<h1>Log in</h1>"), "{html}");

    // The switch offers every language in its own name and remembers the choice, going back to
    // the page it was clicked on.
    assert!(
        html.contains("href=\"/lang/kk\"") && html.contains("Қазақша") && html.contains("Русский"),
        "{html}"
    );
    let r = c.get(d.url("/lang/kk")).header("Referer", d.url("/signup")).send().await.unwrap();
    assert_eq!((r.status().as_u16(), location(&r).as_str()), (303, "/signup"));
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.starts_with("__Host-vpsbox_lang=kk;") && cookie.contains("Secure"), "{cookie}");
    // The choice wins over what the browser asks for.
    let html = login_page(&c, &d, "ru").await;
    assert!(html.contains("<html lang=\"kk\">") && html.contains("<h1>Кіру</h1>"), "{html}");
    let (_, html) = get_text(&c, &d.url("/signup")).await;
    assert!(html.contains("Кемінде") && html.contains("Тіркелгі ашу"), "{html}");
    // An unknown language is the 404 page, and changes nothing.
    let r = c.get(d.url("/lang/de")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let html = r.text().await.unwrap();
    // In the reader's language, code unchanged.
    assert!(html.contains("<html lang=\"kk\">") && html.contains("WEB0404"), "{html}");
    assert!(html.contains("<h1>Бет табылмады</h1>") && html.contains("Мұндай бет жоқ"), "{html}");
    assert!(login_page(&c, &d, "en").await.contains("<h1>Кіру</h1>"));
    d.stop().await;
}

#[tokio::test]
async fn a_refused_sign_up_answers_in_the_page_language() {
    let d = start_daemon().await;
    let c = client();
    assert_eq!(c.get(d.url("/lang/ru")).send().await.unwrap().status().as_u16(), 303);
    let fields = [("email", "x@example.com"), ("password", PW), ("confirm", "other password 1")];
    let r = submit(&c, &d, "/signup", "/signup", &fields).await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Пароли не совпадают") && html.contains("ACC0012"), "{html}");
    // The service's own refusals too, by their code, with their arguments.
    let fields = [("email", "x@example.com"), ("password", "short"), ("confirm", "short")];
    let html = submit(&c, &d, "/signup", "/signup", &fields).await.text().await.unwrap();
    assert!(html.contains("Пароль должен быть не короче 10 символов") && html.contains("ACC0002"), "{html}");
    let fields = [("email", "nobody@example.com"), ("password", PW)];
    let html = submit(&c, &d, "/login", "/login", &fields).await.text().await.unwrap();
    assert!(
        html.contains("Неверный адрес электронной почты или пароль") && html.contains("ACC0004"),
        "{html}"
    );
    d.stop().await;
}

#[tokio::test]
async fn an_admins_bundle_wins_for_its_messages() {
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    let locales = dir.path().join("locales");
    std::fs::create_dir_all(&locales).unwrap();
    std::fs::write(locales.join("kk.ftl"), "login-title = Кабинетке кіру\n").unwrap();
    cfg.ui.locales_dir = locales;
    cfg.ui.default_language = "kk".into();
    let d = start_daemon_with(cfg, dir).await;
    let c = client();
    // No language asked for: the configured default, with the admin's wording.
    let r = c.get(d.url("/login")).send().await.unwrap();
    let html = r.text().await.unwrap();
    assert!(html.contains("<h1>Кабинетке кіру</h1>"), "{html}");
    assert!(html.contains("Құпиясөз"), "the other messages stay built-in: {html}");
    // Other languages keep theirs.
    assert!(login_page(&c, &d, "en").await.contains("<h1>Log in</h1>"));
    d.stop().await;
}

#[tokio::test]
async fn an_accounts_language_wins_everywhere_it_logs_in() {
    let d = start_daemon().await;
    let c = client();
    sign_up(&c, &d, "lang@example.com").await;
    let dash = |c: &reqwest::Client, accept: &'static str| {
        let req = c.get(d.url("/dashboard")).header("Accept-Language", accept);
        async move { req.send().await.unwrap().text().await.unwrap() }
    };
    let html = dash(&c, "en").await;
    assert!(html.contains(">Servers<") && html.contains("name=\"language\" value=\"ru\""), "{html}");

    // The switch on any page keeps the choice in the account and goes back to that page.
    let r = c
        .post(d.url("/account/language"))
        .header("Origin", d.url(""))
        .header("Referer", d.url("/dashboard"))
        .form(&[("language", "ru"), ("csrf", csrf_of(&html).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!((r.status().as_u16(), location(&r).as_str()), (303, "/dashboard"));
    let html = dash(&c, "en").await;
    assert!(html.contains("<html lang=\"ru\">") && html.contains(">Серверы<"), "{html}");
    assert!(html.contains("Виртуальные серверы") && html.contains("1 активный сеанс"), "{html}");
    // Another device, another browser language: the account's choice.
    let c2 = client();
    log_in(&c2, &d, "lang@example.com", PW).await;
    let html = dash(&c2, "kk,en;q=0.5").await;
    assert!(html.contains(">Серверы<") && html.contains("2 активных сеанса"), "Russian plural: {html}");
    let (_, html) = get_text(&c2, &d.url("/vms")).await;
    assert!(
        html.contains("<h1>Виртуальные серверы</h1>") && html.contains("Виртуальных серверов пока нет."),
        "{html}"
    );
    let (_, html) = get_text(&c2, &d.url("/disks")).await;
    assert!(html.contains("<h1>Диски</h1>") && html.contains("Дисков пока нет."), "{html}");
    let (_, html) = get_text(&c2, &d.url("/networks")).await;
    assert!(html.contains("<h1>Частные сети</h1>") && html.contains("Подсеть IPv4"), "{html}");
    // Another account's or a missing server: the 404 page, in the account's language.
    let r = c2.get(d.url("/vms/999999")).header("Accept-Language", "en").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let html = r.text().await.unwrap();
    assert!(html.contains("<h1>Страница не найдена</h1>") && html.contains("WEB0404"), "{html}");

    // The Account page shows it, and "as my browser asks" gives the browser back its say.
    let (_, page) = get_text(&c, &d.url("/account")).await;
    assert!(page.contains("<option value=\"ru\" lang=\"ru\" selected>"), "{page}");
    let r = submit(&c, &d, "/account", "/account/language", &[("language", "")]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(dash(&c2, "kk,en;q=0.5").await.contains(">Серверлер<"));
    // Not a language of ours: refused with its code, nothing changed.
    let r = submit(&c, &d, "/account", "/account/language", &[("language", "de")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&c, &d.url("/account")).await;
    assert!(html.contains("ACC0015"), "{html}");
    assert!(dash(&c, "en").await.contains(">Servers<"));
    d.stop().await;
}
