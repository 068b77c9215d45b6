//! Support requests on real redb and a manual clock: due times per category, replies and
//! statuses, breach warnings, the monthly report, incident reports, and owner isolation.

use crate::domain::account::Role;
use crate::domain::quota::Amounts;
use crate::domain::support::{Category, Status, permille_label};
use crate::domain::vm::VmId;
use crate::service::caller::Caller;
use crate::service::support::{NewRequest, SupportError, attachment};
use crate::service::vms::tests::{actor, env, ready};

fn ask(category: Category, subject: &str, vms: Vec<VmId>) -> NewRequest {
    NewRequest::in_cabinet(category, subject, "Please help.", vms)
}

fn kinds(svc: &crate::service::Services, user: crate::domain::account::UserId, admin: bool) -> Vec<String> {
    crate::service::vms::tests::notice_kinds(svc, user, admin)
}

#[tokio::test]
async fn requests_are_due_by_category_and_answers_move_their_status() {
    let e = env().await;
    let s = &e.svc.support;
    let admin = e.svc.accounts.create_user("ops@example.com", "ops password 12", Role::Admin).await.unwrap();
    let t0 = s.now();
    let mut due = Vec::new();
    for c in Category::ALL {
        let r = s.file(e.owner, ask(c, c.label(), vec![]), &actor(&e)).await.unwrap();
        due.push((c, r.due.unwrap().secs_since(t0) / 60));
    }
    assert_eq!(
        due,
        vec![
            (Category::FullOutage, 60),
            (Category::Degradation, 240),
            (Category::HardReboot, 10),
            (Category::QuotaIncrease, 20),
            (Category::Password, 20),
            (Category::ZoneLink, 30),
            (Category::Other, 1440),
        ]
    );
    assert!(kinds(&e.svc, admin, true).contains(&"support.new".to_string()), "admins are alerted");
    // The queue puts the hard reboot (10 min) first.
    let queue = s.queue().unwrap();
    assert_eq!(queue[0].category, Category::HardReboot);
    assert!(queue.windows(2).all(|w| w[0].due <= w[1].due));
    // An outage report opened an incident for the SLA.
    let outage =
        s.of_owner(e.owner).unwrap().into_iter().find(|r| r.category == Category::FullOutage).unwrap();
    let inc = e.svc.sla.incidents().unwrap().into_iter().find(|i| Some(i.id) == outage.incident).unwrap();
    assert_eq!((inc.started, inc.request, inc.ended), (t0, Some(outage.id), None));
    assert!(e.svc.sla.status().unwrap().current.is_empty(), "a customer's report is not published");
    // Restoration confirmed by an admin: the customer reads it in the request.
    e.svc.sla.update_incident(inc.id, "Power restored.", Some(t0), None, &Caller::system()).await.unwrap();
    let (_, thread) = s.get(&Caller::customer(e.owner, "192.0.2.10"), outage.id).unwrap();
    let last = thread.last().unwrap();
    assert_eq!(last.author, crate::store::support::Author::System);
    assert!(last.body.contains("Resolved") && last.body.contains("Power restored."), "{}", last.body);

    // An answer after 8 minutes: in time; the customer's reply makes a response due again.
    let reboot = queue[0].label.trim_start_matches('#').parse::<u64>().unwrap();
    e.clock.advance_secs(8 * 60);
    let staff = &Caller::admin(admin, "192.0.2.1");
    let r = s.reply(staff, reboot, "Reset done.", vec![], false).await.unwrap();
    assert_eq!((r.status, r.due, r.breached), (Status::Answered, None, false));
    assert!(kinds(&e.svc, e.owner, false).contains(&"support.answered".to_string()));
    let r = s
        .reply(&Caller::customer(e.owner, "192.0.2.10"), reboot, "Still hung.", vec![], false)
        .await
        .unwrap();
    assert_eq!((r.status, r.due), (Status::Open, Some(s.now().plus_secs(600))));
    let r = s.reply(staff, reboot, "Fixed now.", vec![], true).await.unwrap();
    assert_eq!((r.status, r.first_response, r.messages), (Status::Resolved, Some(t0.plus_secs(480)), 4));
    s.close(&Caller::customer(e.owner, "192.0.2.10"), reboot).await.unwrap();
    let closed =
        s.reply(&Caller::customer(e.owner, "192.0.2.10"), reboot, "Again?", vec![], false).await.unwrap_err();
    assert!(matches!(closed, SupportError::Closed));
}

#[tokio::test]
async fn breach_risk_is_warned_once_and_the_report_counts_the_share_in_target() {
    let e = env().await;
    let s = &e.svc.support;
    let admin = e.svc.accounts.create_user("ops@example.com", "ops password 12", Role::Admin).await.unwrap();
    let staff = &Caller::admin(admin, "192.0.2.1");
    let a = s.file(e.owner, ask(Category::Password, "Locked out", vec![]), &actor(&e)).await.unwrap();
    let b = s.file(e.owner, ask(Category::Password, "Reset mail lost", vec![]), &actor(&e)).await.unwrap();
    let c = s.file(e.owner, ask(Category::ZoneLink, "Link zones", vec![]), &actor(&e)).await.unwrap();
    // A quota increase request joins the queue and the report.
    let wanted = Amounts { vms: 30, ..e.svc.quotas.overview(e.owner).unwrap().0 };
    let q = e.svc.quotas.request(e.owner, wanted, "more servers", &actor(&e)).await.unwrap();
    assert!(s.queue().unwrap().iter().any(|i| i.label == format!("quota #{}", q.id) && i.due.is_some()));
    // 15 minutes in: the three 20-minute requests (quota included) are at risk (5 minutes
    // left), warned once.
    e.clock.advance_secs(15 * 60);
    assert_eq!(s.check_due().await.unwrap(), (3, 0));
    assert_eq!(s.check_due().await.unwrap(), (0, 0));
    s.reply(staff, a.id, "New link sent.", vec![], false).await.unwrap();
    e.clock.advance_secs(10 * 60);
    // 25 minutes in: the other password request and the quota request are late; the zone link
    // (30 min) at risk.
    assert_eq!(s.check_due().await.unwrap(), (1, 2));
    assert_eq!(s.check_due().await.unwrap(), (0, 0));
    assert!(kinds(&e.svc, admin, true).contains(&"support.breached".to_string()));
    s.reply(staff, b.id, "Sorry for the wait.", vec![], false).await.unwrap();
    s.reply(staff, c.id, "Done.", vec![], false).await.unwrap();
    e.svc.quotas.decide(q.id, true, &Caller::system()).await.unwrap();
    let report = s.report(s.month_at(s.now())).unwrap();
    let line = |c: Category| report.by_category[&c];
    assert_eq!(
        (line(Category::Password).filed, line(Category::Password).in_target, line(Category::Password).late),
        (2, 1, 1)
    );
    assert_eq!(line(Category::Password).share_permille().map(permille_label).as_deref(), Some("50.0%"));
    assert_eq!(line(Category::ZoneLink).share_permille().map(permille_label).as_deref(), Some("100.0%"));
    assert_eq!(line(Category::QuotaIncrease).late, 1, "decided after 25 minutes");
    assert_eq!(line(Category::Other).filed, 0);
}

#[tokio::test]
async fn customers_see_only_their_own_requests_and_servers() {
    let e = env().await;
    let s = &e.svc.support;
    let vm = ready(&e, e.vms().create(e.owner, e.order("mine"), &actor(&e)).await.unwrap()).await;
    let other =
        e.svc.accounts.create_user("other@example.com", "other password 1", Role::Customer).await.unwrap();
    let mine = s.file(e.owner, ask(Category::HardReboot, "Hung", vec![vm.id]), &actor(&e)).await.unwrap();
    assert_eq!(mine.vms, vec![vm.id]);
    assert!(matches!(s.get(&Caller::customer(other, "192.0.2.10"), mine.id), Err(SupportError::NotFound)));
    let r = s.reply(&Caller::customer(other, "192.0.2.10"), mine.id, "hi", vec![], false).await;
    assert!(matches!(r, Err(SupportError::NotFound)));
    assert!(s.of_owner(other).unwrap().is_empty());
    let err = s
        .file(other, ask(Category::HardReboot, "Not mine", vec![vm.id]), &Caller::system())
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), format!("You have no server #{}", vm.id));
    // Attachments: text logs only, named plainly.
    let log = attachment("../../var/log/syslog", b"kernel: oops\n").unwrap();
    assert_eq!((log.name.as_str(), log.text.as_str()), ("syslog", "kernel: oops\n"));
    assert!(matches!(attachment("core", &[0x7f, 0x45, 0, 1]), Err(SupportError::AttachmentNotText(_))));
    assert!(matches!(
        attachment("big.log", &vec![b'a'; 300 * 1024]),
        Err(SupportError::AttachmentTooBig(..))
    ));
    let with_log = NewRequest { attachments: vec![log], ..ask(Category::Other, "See log", vec![]) };
    let r = s.file(e.owner, with_log, &actor(&e)).await.unwrap();
    let (_, messages) = s.get(&Caller::customer(e.owner, "192.0.2.10"), r.id).unwrap();
    assert_eq!(messages[0].attachments[0].name, "syslog");
}

/// 1_800_000_000 is Friday 2027-01-15 13:00 in Almaty: working hours (Mon–Fri 09–18 there).
#[tokio::test]
async fn the_messenger_answers_within_ten_minutes_in_working_hours_and_the_report_splits_by_channel() {
    use crate::domain::support_hours::{Channel, WorkingHours};
    let e = env().await;
    let hours = WorkingHours::parse("mon-fri", "09:00-18:00", "Asia/Almaty").unwrap();
    let s = crate::service::support::Support::new(
        e.store.clone(),
        std::sync::Arc::new(e.clock.clone()),
        jiff::tz::TimeZone::UTC,
        hours,
    );
    let admin = e.svc.accounts.create_user("ops@example.com", "ops password 12", Role::Admin).await.unwrap();
    let staff = &Caller::admin(admin, "192.0.2.1");
    let by = |channel| NewRequest { channel, ..ask(Category::Other, "Question", vec![]) };
    // Friday, working hours: the bot's request is due in 10 minutes, the cabinet's in 24 h.
    let fri_bot = s.file(e.owner, by(Channel::Telegram), &actor(&e)).await.unwrap();
    let fri_cab = s.file(e.owner, by(Channel::Cabinet), &actor(&e)).await.unwrap();
    assert_eq!((fri_bot.target_mins, fri_bot.due_mins, fri_cab.target_mins), (10, 10, 1440));
    assert_eq!(fri_bot.due, Some(fri_bot.created_at.plus_secs(600)));
    assert!(s.queue().unwrap().iter().any(|i| i.channel == Channel::Telegram && i.due_mins == 10));
    e.clock.advance_secs(8 * 60);
    s.reply(staff, fri_bot.id, "Answer.", vec![], false).await.unwrap();
    // Saturday: outside working hours the bot's request has its category's target.
    e.clock.advance_secs(86_400);
    let sat_bot = s.file(e.owner, by(Channel::Telegram), &actor(&e)).await.unwrap();
    let sat_reboot = s
        .file(
            e.owner,
            NewRequest { channel: Channel::Telegram, ..ask(Category::HardReboot, "Hung", vec![]) },
            &actor(&e),
        )
        .await
        .unwrap();
    assert_eq!((sat_bot.target_mins, sat_reboot.target_mins), (1440, 10));
    e.clock.advance_secs(30 * 60);
    s.reply(staff, sat_bot.id, "Answer.", vec![], false).await.unwrap(); // in its 24 h
    s.reply(staff, sat_reboot.id, "Answer.", vec![], false).await.unwrap(); // 30 minutes for a 10-minute target: late
    // Monday 10:00 in Almaty: working hours again; answered after 12 minutes, late.
    e.clock.set(crate::domain::time::Timestamp::from_secs(1_800_000_000 + 3 * 86_400 - 3 * 3600));
    let mon_bot = s.file(e.owner, by(Channel::Telegram), &actor(&e)).await.unwrap();
    assert_eq!(mon_bot.target_mins, 10);
    // A customer's reply to an answered bot request reopens it with the messenger's target.
    let reopened = s.reply(&actor(&e), fri_bot.id, "One more thing.", vec![], false).await.unwrap();
    assert_eq!((reopened.due_mins, reopened.target_mins), (10, 10));
    e.clock.advance_secs(12 * 60);
    s.reply(staff, mon_bot.id, "Answer.", vec![], false).await.unwrap();
    s.reply(staff, fri_cab.id, "Answer.", vec![], false).await.unwrap(); // three days later: late for 24 h
    // An admin files for a customer who phoned; it reports under its channel.
    let phoned = s
        .file(
            e.owner,
            NewRequest { channel: Channel::Phone, ..ask(Category::QuotaIncrease, "More", vec![]) },
            staff,
        )
        .await
        .unwrap();
    assert_eq!((phoned.channel, phoned.target_mins), (Channel::Phone, 20));

    let report = s.report(s.month_at(s.now())).unwrap();
    let ch = |c: Channel| {
        let l = report.by_channel[&c];
        (l.filed, l.in_target, l.late, l.waiting)
    };
    assert_eq!(ch(Channel::Telegram), (4, 2, 2, 0));
    assert_eq!(ch(Channel::Cabinet), (1, 0, 1, 0));
    assert_eq!(ch(Channel::Phone), (1, 0, 0, 1));
    assert_eq!(ch(Channel::Email), (0, 0, 0, 0));
    assert_eq!(
        report.by_channel[&Channel::Telegram].share_permille().map(permille_label).as_deref(),
        Some("50.0%")
    );
    let other = report.by_category[&Category::Other];
    assert_eq!((other.filed, other.in_target, other.late), (4, 2, 2));
}
