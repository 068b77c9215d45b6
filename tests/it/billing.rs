//! Billing through the cabinet and the CLI: the admin's price list and payments, the customer's
//! balance, transactions and statements (page and CSV), refusals with their codes, strangers
//! refused; `vpsbox billing` against a running daemon.

use vpsbox::domain::account::UserId;
use vpsbox::service::Caller;

use crate::common::*;

/// UTC seconds of a civil time.
fn at(y: i16, mo: i8, d: i8, h: i8) -> vpsbox::domain::time::Timestamp {
    let z = jiff::civil::date(y, mo, d).at(h, 0, 0, 0).to_zoned(jiff::tz::TimeZone::UTC).unwrap();
    vpsbox::domain::time::Timestamp::from_secs(z.timestamp().as_second())
}

/// A customer with a running VM, a payment, and January metered into a statement.
pub async fn customer_with_a_statement(d: &Daemon, email: &str) -> (reqwest::Client, UserId) {
    let (plan, tpl) = crate::common::catalogue(d).await;
    d.svc().billing.tick().await.unwrap();
    let c = client();
    sign_up(&c, d, email).await;
    let vm = crate::common::order(&c, d, "billed", plan, tpl).await;
    crate::common::wait_page(&c, d, &vm, "badge running").await;
    let owner = d.accounts().user_by_email(email).unwrap().id;
    let admin = &Caller::system();
    d.svc().billing.top_up(owner, vpsbox::domain::money::Money(10_000), "bank 77", admin).await.unwrap();
    // The clock stands at 2027-01-15 08:00; January closes at midnight of the 1st.
    d.clock.set(at(2027, 2, 1, 0).plus_secs(1800));
    let r = d.svc().billing.tick().await.unwrap();
    assert!(r.hours >= 400, "{r:?}");
    // Sessions end after a week: log in again.
    let c = client();
    assert_eq!(log_in(&c, d, email, PW).await.status().as_u16(), 303);
    (c, owner)
}

#[tokio::test]
async fn customers_see_balance_transactions_and_statements_and_admins_book_payments() {
    let d = start_daemon().await;
    let (c, owner) = customer_with_a_statement(&d, "payer@example.com").await;
    let admin = admin_client(&d).await;

    // The customer's page: balance, month, transactions, the January statement.
    let (s, html) = get_text(&c, &d.url("/billing")).await;
    assert_eq!(s, 200);
    assert!(html.contains("Balance:") && html.contains("96.00 KZT"), "{html}");
    assert!(html.contains("Payment — bank 77") && html.contains("Usage, 24 hours"), "{html}");
    assert!(html.contains("href=\"/billing/statements/1\""), "{html}");
    assert!(get_text(&c, &d.url("/dashboard")).await.1.contains("href=\"/billing\""), "linked in the menu");
    // Every hour's charge of a day, with its lines.
    assert!(html.contains("href=\"/billing?day=2027-01-31\""), "{html}");
    let (s, day) = get_text(&c, &d.url("/billing?day=2027-01-31")).await;
    assert_eq!(s, 200);
    assert!(day.contains("Transactions on 2027-01-31") && day.contains("2027-01-31 23:00"), "{day}");
    assert!(day.contains("1 × server at 0.01 KZT: 0.01 KZT"), "{day}");
    assert_eq!(get_text(&c, &d.url("/billing?day=someday")).await.0, 404);
    let (s, st) = get_text(&c, &d.url("/billing/statements/1")).await;
    assert_eq!(s, 200);
    assert!(st.contains("Statement 1") && st.contains("2027-01") && st.contains("Closing balance"), "{st}");
    assert!(st.contains("96.00 KZT") && st.contains("vm:"), "{st}");
    assert!(st.contains("billed <span class=\"muted\">(vm:"), "the server by its hostname: {st}");
    let r = c.get(d.url("/billing/statements/1.csv")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("statement,month,resource,item,units,hours,amount,currency\n"), "{csv}");
    assert!(csv.contains("1,2027-01,closing balance,,,,96.00,KZT"), "{csv}");

    // A stranger gets 404 for the statement.
    let other = client();
    sign_up(&other, &d, "curious@example.com").await;
    assert_eq!(get_text(&other, &d.url("/billing/statements/1")).await.0, 404);
    assert_eq!(get_text(&other, &d.url("/billing/statements/1.csv")).await.0, 404);
    assert!(!get_text(&other, &d.url("/billing")).await.1.contains("bank 77"));
    assert_eq!(get_text(&c, &d.url("/admin/billing")).await.0, 403);

    // The admin: prices (from the next hour), payments by e-mail, with their refusals.
    let (s, html) = get_text(&admin, &d.url("/admin/billing")).await;
    assert_eq!(s, 200);
    assert!(html.contains("Plan s-1") && html.contains("Per extra IPv4 address"), "{html}");
    let form = [("item", "ipv4"), ("monthly", "900"), ("hourly", "1.25")];
    let r = submit(&admin, &d, "/admin/billing", "/admin/billing/prices", &form).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(get_text(&admin, &d.url("/admin/billing")).await.1.contains("Price set; it applies from"));
    let bad = [("item", "ipv4"), ("monthly", "1"), ("hourly", "2")];
    submit(&admin, &d, "/admin/billing", "/admin/billing/prices", &bad).await;
    assert!(get_text(&admin, &d.url("/admin/billing")).await.1.contains("BIL0003"));
    let pay = [("email", "payer@example.com"), ("amount", "25.50"), ("reference", "cash desk 3")];
    submit(&admin, &d, "/admin/billing", "/admin/billing/topups", &pay).await;
    assert!(
        get_text(&admin, &d.url("/admin/billing")).await.1.contains("Booked 25.50 KZT; the balance is now")
    );
    let pay = [("email", "nobody@example.com"), ("amount", "1"), ("reference", "x")];
    submit(&admin, &d, "/admin/billing", "/admin/billing/topups", &pay).await;
    assert!(get_text(&admin, &d.url("/admin/billing")).await.1.contains("BIL0004"));
    let pay = [("email", "payer@example.com"), ("amount", "-3"), ("reference", "x")];
    submit(&admin, &d, "/admin/billing", "/admin/billing/topups", &pay).await;
    assert!(get_text(&admin, &d.url("/admin/billing")).await.1.contains("BIL0001"));

    // One account's page: a correction, the statement through the admin path.
    let page = format!("/admin/users/{owner}/billing");
    let fix = [("amount", "-1.50"), ("reason", "rounding")];
    let r = submit(&admin, &d, &page, &format!("{page}/adjust"), &fix).await;
    assert_eq!(r.status().as_u16(), 303);
    let html = get_text(&admin, &d.url(&page)).await.1;
    assert!(html.contains("Correction — rounding") && html.contains("Payment — cash desk 3"), "{html}");
    assert_eq!(get_text(&admin, &d.url(&format!("/admin/users/{owner}/statements/1"))).await.0, 200);
    let balance = d.svc().billing.overview(owner).unwrap().balance;
    assert_eq!(balance.0, 9_600 + 2_550 - 150);
    assert!(get_text(&c, &d.url("/billing")).await.1.contains("120.00 KZT"));
    d.stop().await;
}

#[tokio::test]
async fn billing_commands_reach_the_running_daemon() {
    let dir = tempdir();
    let cfg = empty_config(dir.path());
    let p = DaemonProcess::spawn(dir.path(), &cfg);
    let (c_arg, d_arg) = (cfg.to_str().unwrap().to_string(), dir.path().to_str().unwrap().to_string());
    let common = ["--config", c_arg.as_str(), "--data-dir", d_arg.as_str()];
    let run = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(common);
        run_bin(&all, None)
    };
    let out = run_bin(
        &[
            "user",
            "add",
            "--email",
            "cli@example.com",
            "--password-stdin",
            "--config",
            &c_arg,
            "--data-dir",
            &d_arg,
        ],
        Some(PW),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["billing", "topup", "cli@example.com", "1500.50", "--reference", "wire 9"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "booked 1500.50 KZT for cli@example.com; balance 1500.50 KZT\n"
    );
    let out = run(&["billing", "adjust", "cli@example.com", "-0.50", "--reason", "fee"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["billing", "balance", "cli@example.com"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("cli@example.com: balance 1500.00 KZT"));
    let out = run(&["billing", "set-price", "disk_gb", "40", "0.06"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("disk_gb: 40.00 KZT a month, 0.06 KZT an hour from")
    );
    let out = run(&["billing", "prices"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.lines().any(|l| l.starts_with("disk_gb") && l.contains("40.00")), "{text}");
    for (args, code) in [
        (vec!["billing", "topup", "cli@example.com", "ten", "--reference", "x"], "BIL0001"),
        (vec!["billing", "topup", "ghost@example.com", "1", "--reference", "x"], "ACC"),
        (vec!["billing", "set-price", "gold", "1", "1"], "BIL0004"),
    ] {
        let out = run(&args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The payment shows in the cabinet.
    let c = client();
    assert_eq!(log_in(&c, &p, "cli@example.com", PW).await.status().as_u16(), 303);
    let html = get_text(&c, &p.url("/billing")).await.1;
    assert!(html.contains("Payment — wire 9") && html.contains("1,500.00 KZT"), "{html}");
}

/// SIGKILL of the daemon process while it catches up on metering (200 hours of 300
/// resources): after restarts, every hour of every account is charged exactly once, each
/// account's ledger runs without gaps and adds up to its balance, and any statements are
/// numbered without gaps.
#[tokio::test]
async fn sigkill_during_metering_never_charges_an_hour_twice_or_skips_one() {
    use redb::ReadableTable;
    use vpsbox::clock::Clock;
    use vpsbox::domain::billing::{Item, Price, hour_of, start_of};
    use vpsbox::domain::money::Money;
    use vpsbox::store::billing::{EntryKind, LedgerEntry};
    use vpsbox::store::holdings::{self, Kind};

    let dir = tempdir();
    let cfg_path = empty_config(dir.path());
    let h0 = hour_of(vpsbox::clock::SystemClock.now()) - 200;
    let emails = ["k1@example.com", "k2@example.com", "k3@example.com"];
    let mut owners = Vec::new();
    {
        let cfg = vpsbox::config::Config { data_dir: dir.path().to_path_buf(), ..Default::default() };
        let clock = vpsbox::clock::ManualClock::new(start_of(h0));
        let c: std::sync::Arc<dyn Clock> = std::sync::Arc::new(clock.clone());
        let hv = std::sync::Arc::new(vpsbox::hv::link::HvLink::connect("test:///default", false, c.clone()));
        let store = std::sync::Arc::new(vpsbox::store::Store::open(&cfg.store_path()).unwrap());
        let svc = vpsbox::service::Services::new(store.clone(), c, &cfg, hv);
        for e in emails {
            owners.push(
                svc.accounts.create_user(e, PW, vpsbox::domain::account::Role::Customer).await.unwrap(),
            );
        }
        let price = Price { monthly: Money(100_000_000), hourly: Money(3) };
        svc.billing.set_price(Item::DiskGb, price, &Caller::system()).await.unwrap();
        svc.billing.tick().await.unwrap();
        let tx = store.write().unwrap();
        for (i, o) in owners.iter().enumerate() {
            for d in 0..100u64 {
                let id = i as u64 * 1000 + d + 1;
                holdings::put(&tx, start_of(h0), *o, Kind::Disk, id, 1 + d % 5).unwrap();
            }
        }
        tx.commit().unwrap();
    }
    // 100 disks of 1–5 GiB (300 GiB) at 3 an hour: 900 an hour per account.
    let per_hour = 900i64;
    let mut p = DaemonProcess::spawn(dir.path(), &cfg_path);
    let mut killed_mid_tick = 0;
    for ms in [300u64, 900, 1700, 2600, 3400] {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        // (The job logs "metered" when a tick has caught up.)
        killed_mid_tick += usize::from(!p.log_text().contains("metered"));
        drop(p); // SIGKILL
        p = DaemonProcess::spawn(dir.path(), &cfg_path);
    }
    assert!(killed_mid_tick >= 2, "the kills came after the catch-up; make it longer");
    // Let the last one finish the catch-up.
    let (c_arg, d_arg) = (cfg_path.to_str().unwrap().to_string(), dir.path().to_str().unwrap().to_string());
    let mut done = false;
    for _ in 0..600 {
        let hours = i64::try_from(hour_of(vpsbox::clock::SystemClock.now()) - h0).unwrap();
        let out = run_bin(&["billing", "balance", emails[2], "--config", &c_arg, "--data-dir", &d_arg], None);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        if text.contains(&format!("balance {} KZT", Money(-per_hour * hours))) {
            done = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(done, "metering did not catch up: {}", p.log_text());
    p.signal("TERM");
    let _ = p.child.wait();
    let store = vpsbox::store::Store::open(&dir.path().join("vpsbox.redb")).unwrap();
    let tx = store.read().unwrap();
    let until = tx
        .open_table(vpsbox::store::tables::META)
        .unwrap()
        .get(vpsbox::store::tables::META_METERED_UNTIL)
        .unwrap()
        .unwrap()
        .value();
    assert!(until >= h0 + 200, "{until} {h0}");
    let ledger = tx.open_table(vpsbox::store::tables::LEDGER).unwrap();
    let balances = tx.open_table(vpsbox::store::tables::BALANCES).unwrap();
    for o in &owners {
        let entries: Vec<LedgerEntry> = ledger
            .range((o.0, 0)..=(o.0, u64::MAX))
            .unwrap()
            .map(|r| vpsbox::store::codec::decode(r.unwrap().1.value()).unwrap())
            .collect();
        let seqs: Vec<u64> = entries.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, (1..=entries.len() as u64).collect::<Vec<_>>(), "no gaps");
        let hours: Vec<u64> = entries
            .iter()
            .map(|e| match &e.kind {
                EntryKind::Charge { hour, .. } => *hour,
                other => panic!("unexpected entry {other:?}"),
            })
            .collect();
        assert_eq!(hours, (h0..until).collect::<Vec<_>>(), "every hour once, in order");
        assert!(entries.iter().all(|e| e.amount == Money(-per_hour)));
        let sum: i64 = entries.iter().map(|e| e.amount.0).sum();
        assert_eq!(balances.get(o.0).unwrap().unwrap().value(), sum);
        assert_eq!(entries.last().unwrap().balance, Money(sum));
    }
    let numbers: Vec<u64> = tx
        .open_table(vpsbox::store::tables::STATEMENTS)
        .unwrap()
        .iter()
        .unwrap()
        .map(|r| r.unwrap().0.value())
        .collect();
    assert_eq!(numbers, (1..=numbers.len() as u64).collect::<Vec<_>>());
    assert_eq!(numbers.len() % owners.len(), 0, "each account's closed months");
}

/// The trial through the cabinet: the customer asks, the admin sees the look-alike account
/// (same sign-up address) and approves with limits, the countdown shows once the first server
/// runs, and the customer ends it early.
#[tokio::test]
async fn a_trial_is_asked_for_approved_counted_down_and_ended_in_the_cabinet() {
    let d = start_daemon().await;
    let (plan, tpl) = crate::common::catalogue(&d).await;
    d.svc().billing.tick().await.unwrap();
    let c = client();
    sign_up(&c, &d, "trier@example.com").await;
    let twin = client();
    sign_up(&twin, &d, "twin@example.org").await;
    let html = get_text(&c, &d.url("/billing")).await.1;
    assert!(html.contains("Ask for a free trial"), "{html}");
    let r = submit(&c, &d, "/billing", "/trial", &[("note", "a shop")]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(get_text(&c, &d.url("/billing")).await.1.contains("waiting for the provider"));
    submit(&c, &d, "/billing", "/trial", &[("note", "again")]).await;
    assert!(get_text(&c, &d.url("/billing")).await.1.contains("BIL0005"));

    let admin = admin_client(&d).await;
    let html = get_text(&admin, &d.url("/admin/trials")).await.1;
    assert!(html.contains("trier@example.com") && html.contains("“a shop”"), "{html}");
    assert!(html.contains("twin@example.org") && html.contains("same sign-up address"), "{html}");
    let owner = d.accounts().user_by_email("trier@example.com").unwrap().id;
    let form =
        [("decision", "approve"), ("vms", "1"), ("vcpus", "1"), ("memory_mib", "512"), ("disk_gb", "2")];
    let r = submit(&admin, &d, "/admin/trials", &format!("/admin/trials/{owner}"), &form).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(get_text(&admin, &d.url("/admin/trials")).await.1.contains("Trial approved."));
    assert_eq!(d.svc().quotas.overview(owner).unwrap().0.vms, 1);
    assert!(get_text(&c, &d.url("/billing")).await.1.contains("It starts when your first server starts"));

    let vm = crate::common::order(&c, &d, "trial-vm", plan, tpl).await;
    crate::common::wait_page(&c, &d, &vm, "badge running").await;
    d.clock.advance_secs(3600);
    d.svc().billing.tick().await.unwrap();
    let html = get_text(&c, &d.url("/dashboard")).await.1;
    assert!(html.contains("Free trial until") && html.contains("(in 2 d 23 h"), "{html}");
    assert!(get_text(&c, &d.url("/billing")).await.1.contains("Trial ends"));
    assert_eq!(d.svc().billing.overview(owner).unwrap().balance.0, 0);
    let r = submit(&c, &d, "/billing", "/trial/end", &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    let html = get_text(&c, &d.url("/billing")).await.1;
    assert!(
        html.contains("The trial has ended.") && html.contains("the servers you kept are paid"),
        "{html}"
    );
    let notices = get_text(&c, &d.url("/notifications")).await.1;
    assert!(notices.contains("Your free trial has ended") && notices.contains("is approved"), "{notices}");
    d.stop().await;
}

/// Notices go out as e-mail through the configured relay (a sink on loopback): the admins'
/// to every admin, a customer's to the customer, each once, with a link to the cabinet.
#[tokio::test]
async fn notices_are_mailed_through_the_relay_once() {
    let sink = SmtpSink::start().await;
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    cfg.mail.smtp_host = "127.0.0.1".into();
    cfg.mail.smtp_port = sink.port;
    cfg.mail.security = vpsbox::config::SmtpSecurity::None;
    cfg.mail.from = "Example Hosting <noreply@example.com>".into();
    cfg.public_url = "https://panel.example.com".into();
    let d = start_daemon_with(cfg, dir).await;
    let _admin = admin_client(&d).await;
    let c = client();
    sign_up(&c, &d, "mailme@example.com").await;
    submit(&c, &d, "/billing", "/trial", &[("note", "mail test")]).await;
    let owner = d.accounts().user_by_email("mailme@example.com").unwrap().id;
    let quota = d.svc().billing.trial_quota();
    d.svc().billing.decide_trial(owner, true, quota, &Caller::system()).await.unwrap();
    // The daemon's job drains every ten seconds; a drain now sends what is queued.
    d.svc().mail.drain().await.unwrap();
    let mut got = sink.taken();
    for _ in 0..50 {
        if got.len() >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        got = sink.taken();
    }
    // Every admin (the first-start admin and ours), then the customer.
    let rcpt: Vec<String> = got.iter().map(|(r, _)| r.join(",")).collect();
    assert_eq!(rcpt, ["admin@localhost", "root@example.com", "mailme@example.com"], "{got:#?}");
    let first = &got[1].1;
    assert!(first.contains("Subject: Account") && first.contains("asks for a free trial"), "{first}");
    assert!(first.contains("https://panel.example.com/admin/trials"), "{first}");
    assert!(first.contains("From: \"Example Hosting\" <noreply@example.com>"), "{first}");
    assert!(got[2].1.contains("free trial is approved"), "{}", got[2].1);
    // Sent once: another drain sends nothing.
    assert_eq!(d.svc().mail.drain().await.unwrap(), 0);
    assert_eq!(sink.taken().len(), 3);
    d.stop().await;
}
