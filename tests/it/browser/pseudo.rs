//! Every page of the demo in a pseudo-language, at phone width: the English bundles with each
//! message wrapped in `⟦ ⟧`, its vowels accented and each word a third longer, dropped in as the
//! admins' override bundle (`[ui] locales_dir`). What a page shows outside the brackets is then
//! either the shop's own data (names, addresses, amounts, what people typed) or text that never
//! went through the bundles; and a page whose layout cannot take longer words scrolls sideways.

use fluent_syntax::ast::{Entry, Expression, Pattern, PatternElement};

use super::driver::{DemoProcess, Driver};
use crate::common::*;

const OPEN: char = '⟦';
const CLOSE: char = '⟧';

/// Phone width in CSS pixels (a common 6" phone).
const PHONE: (u32, u32) = (390, 844);

fn accent(c: char) -> char {
    match c {
        'a' => 'á',
        'e' => 'é',
        'i' => 'í',
        'o' => 'ó',
        'u' => 'ú',
        'y' => 'ý',
        'A' => 'Á',
        'E' => 'É',
        'I' => 'Í',
        'O' => 'Ó',
        'U' => 'Ú',
        c => c,
    }
}

fn pseudo_pattern(p: &mut Pattern<String>) {
    for e in &mut p.elements {
        match e {
            PatternElement::TextElement { value } => {
                // Each word a third longer, as words in Kazakh and Russian often are.
                let mut v = String::new();
                let mut letters = 0;
                for c in value.chars().chain(std::iter::once(' ')) {
                    if c.is_alphabetic() {
                        letters += 1;
                    } else {
                        v.push_str(&"·".repeat(letters / 3));
                        letters = 0;
                    }
                    v.push(accent(c));
                }
                v.pop();
                *value = v;
            }
            PatternElement::Placeable { expression: Expression::Select { variants, .. } } => {
                for v in variants {
                    pseudo_pattern(&mut v.value);
                }
            }
            PatternElement::Placeable { .. } => {}
        }
    }
}

/// The pseudo-language: every message of the English bundles, wrapped, accented and lengthened.
fn pseudo_bundle() -> String {
    let mut out = String::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/en");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let mut res = fluent_syntax::parser::parse(source).unwrap_or_else(|(_, e)| panic!("{file:?}: {e:?}"));
        res.body.retain(|e| matches!(e, Entry::Message(_)));
        for entry in &mut res.body {
            if let Entry::Message(m) = entry {
                m.comment = None;
                if let Some(value) = &mut m.value {
                    pseudo_pattern(value);
                    value.elements.insert(0, PatternElement::TextElement { value: OPEN.to_string() });
                    value.elements.push(PatternElement::TextElement { value: CLOSE.to_string() });
                }
            }
        }
        out.push_str(&fluent_syntax::serializer::serialize(&res));
    }
    out
}

/// `text` without what stands between the brackets (which may nest: a message inside another).
fn outside_brackets(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            OPEN => {
                depth += 1;
                out.push(' ');
            }
            CLOSE => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The words of `text` that look like language rather than data: two letters or more, no digit,
/// no `@`, not one of `data` (whole phrases the shop's people typed are taken out first).
fn stray_words(text: &str, data: &[&str]) -> Vec<String> {
    // Pages write some headings in capitals (CSS), which the browser's text shows.
    let mut rest = outside_brackets(text).to_lowercase();
    let data: Vec<String> = data.iter().map(|d| d.to_lowercase()).collect();
    // Phrases are taken out whole; single words are matched as words below.
    for phrase in data.iter().filter(|d| d.contains(' ')) {
        rest = rest.replace(phrase.as_str(), " ");
    }
    rest.split(|c: char| c.is_whitespace() || ",;()[]|·•–—→←\"'«»".contains(c))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        // Numbers, addresses, times, paths and keys (`vm:1`, `/dev/vdb`) are data.
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit() || "@/:".contains(c)))
        .filter(|w| !data.iter().any(|d| d == w))
        .map(str::to_string)
        .collect()
}

/// What the demo's people typed or named (plans, templates, networks, requests, incidents...),
/// the currency and time zone: data, not the cabinet's language.
const DATA: &[&str] = &[
    "How do I log in to web-1 over SSH?",
    "I ordered web-1 yesterday. Which user and address do I use for SSH?",
    "Log in as root with the password you chose when ordering, at the IPv4 address shown on the \
     server's page (ssh root@ADDRESS). You can add an SSH key under Keys and reinstall to use it \
     instead.",
    "Storage of the host not responding",
    "A failed disk controller was replaced; every server runs again.",
    "A staging copy of the shop and a database server",
    "Kernel and firmware updates of the host; each server is restarted once",
    "Trying vpsbox for our web shop",
    "Қазақша",
    "Русский",
    "English",
    "KZT",
    "HTTP",
    "tcp",
    "udp",
    "icmp",
    "virtio",
    "UTC",
    "vpsbox",
    "backend",
    "data",
];

#[tokio::test]
async fn every_demo_page_in_a_pseudo_language_fits_a_phone_and_says_nothing_outside_the_bundles() {
    let dir = tempdir();
    let locales = dir.path().join("locales");
    std::fs::create_dir_all(&locales).unwrap();
    std::fs::write(locales.join("en.ftl"), pseudo_bundle()).unwrap();
    let config = dir.path().join("vpsbox.toml");
    std::fs::write(&config, format!("[ui]\nlocales_dir = {:?}\n", locales.display().to_string())).unwrap();
    let demo = DemoProcess::start_with(&["--config", config.to_str().unwrap()]).await;
    assert!(!demo.text().contains("not used by vpsbox"), "{}", demo.text());
    let base = demo.base.clone();

    let b = Driver::start_phone(PHONE.0, PHONE.1).await;
    let mut wrong = Vec::new();
    b.look(
        &base,
        &["/login", "/signup", "/status", "/plans", "/reset/no-such-link", "/no-such-page"],
        &mut wrong,
    )
    .await;
    b.log_in(&base, "customer@example.com", &demo.password("customer")).await;
    let customer = [
        "/dashboard",
        "/vms",
        "/vms/new",
        "/vms/1",
        "/vms/1/backups",
        "/vms/1/console",
        "/networks",
        "/disks",
        "/backups",
        "/plans",
        "/billing",
        "/support",
        "/support/new",
        "/support/1",
        "/account",
        "/account/tokens",
        "/account/2fa",
        "/notifications",
        "/sla",
        "/quota",
        "/activity",
        "/billing/statements/1",
    ];
    b.look(&base, &customer, &mut wrong).await;
    b.quit().await;

    let b = Driver::start_phone(PHONE.0, PHONE.1).await;
    b.log_in(&base, "admin@example.com", &demo.password("admin")).await;
    let admin = [
        "/admin",
        "/admin/users",
        "/admin/vms",
        "/admin/vms/1",
        "/admin/plans",
        "/admin/templates",
        "/admin/ip-pools",
        "/admin/backups",
        "/admin/billing",
        "/admin/trials",
        "/admin/support",
        "/admin/support/1",
        "/admin/support/new",
        "/admin/support/report",
        "/admin/ip-pools/1",
        "/admin/users/2/billing",
        "/admin/users/2/quota",
        "/admin/sla",
        "/admin/abuse",
        "/admin/quota-requests",
        "/admin/tokens",
        "/admin/webhooks",
        "/admin/audit",
        "/admin/unmanaged",
    ];
    b.look(&base, &admin, &mut wrong).await;
    b.quit().await;
    assert!(wrong.is_empty(), "{} pages:\n{}", wrong.len(), wrong.join("\n"));
}

/// The page's text, its width and the layout viewport's, and the innermost elements that reach
/// past the viewport's right edge (outside a scrolling box).
const WHAT_A_PAGE_SHOWS: &str = r#"
const width = document.documentElement.clientWidth;
const shown = document.title + '\n' + document.body.innerText;
const scrolls = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
const texts = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const r = document.createRange(); r.selectNodeContents(n);
    if (r.getBoundingClientRect().right > width + 1 && n.parentElement) texts.push(n.parentElement);
}
const wide = [...document.body.querySelectorAll('*')]
    .filter(e => e.getBoundingClientRect().right > width + 1 || texts.includes(e))
    .filter(e => !scrolls(e));
const past = wide.filter(e => !wide.some(d => d !== e && e.contains(d)))
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' "' + e.textContent.trim().slice(0, 40) + '"');
return [shown, document.documentElement.scrollWidth, width, past];
"#;

impl Driver {
    /// Visit each page and note what is wrong with it: words outside the bundles, a page wider
    /// than the phone.
    async fn look(&self, base: &str, paths: &[&str], wrong: &mut Vec<String>) {
        for path in paths {
            self.goto(&format!("{base}{path}")).await;
            let v = self
                .cmd(
                    reqwest::Method::POST,
                    "/execute/sync",
                    Some(serde_json::json!({"script": WHAT_A_PAGE_SHOWS, "args": []})),
                )
                .await;
            let text = v[0].as_str().unwrap_or_default();
            let (scroll, width) = (v[1].as_u64().unwrap_or(0), v[2].as_u64().unwrap_or(0));
            if width != u64::from(PHONE.0) {
                wrong.push(format!("{path}: laid out {width} px wide, not for the phone's {}", PHONE.0));
            }
            if text.contains("WEB0404") && *path != "/no-such-page" {
                wrong.push(format!("{path}: not found"));
            }
            let stray = stray_words(text, DATA);
            if !stray.is_empty() {
                wrong.push(format!("{path}: outside the bundles: {stray:?}"));
            }
            if scroll > width {
                wrong.push(format!(
                    "{path}: {scroll} px wide on a {width} px screen, past its edge: {}",
                    v[3]
                ));
            }
        }
    }
}

#[test]
fn the_pseudo_bundle_parses_and_wraps_every_message() {
    let source = pseudo_bundle();
    let res = fluent_syntax::parser::parse(source.as_str()).unwrap_or_else(|(_, e)| panic!("{e:?}"));
    let messages = res.body.iter().filter(|e| matches!(e, Entry::Message(_))).count();
    assert!(messages > 500, "{messages}");
    assert_eq!(stray_words("⟦Sérvérs··⟧ web-1 Delete ⟦á ⟦b⟧⟧ KZT", &["KZT"]), vec!["delete"]);
}
