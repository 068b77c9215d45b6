//! Billing on real redb and a manual clock: a month of hourly metering with a mix of
//! resources, statements at month ends, top-ups and corrections, price changes.

use crate::service::Caller;
use std::sync::Arc;

use super::*;
use crate::clock::ManualClock;
use crate::domain::account::Role;
use crate::domain::catalog::{PlanId, PlanSpec, TemplateId};
use crate::domain::time::Timestamp;
use crate::domain::vm::{PowerState, VmId};
use crate::service::Services;
use crate::store::holdings::{self, Kind};
use crate::store::records::{VmPhase, VmRecord};

pub(crate) struct Env {
    pub svc: Services,
    pub store: Arc<Store>,
    pub clock: ManualClock,
    pub owner: UserId,
    pub plan: PlanId,
}

/// UTC time from a civil date and time.
pub(crate) fn at(y: i16, mo: i8, d: i8, h: i8, mi: i8) -> Timestamp {
    let t = jiff::civil::date(y, mo, d).at(h, mi, 0, 0).to_zoned(TimeZone::UTC).unwrap();
    Timestamp::from_secs(t.timestamp().as_second())
}

pub(crate) async fn env(start: Timestamp) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let cfg = crate::config::Config { data_dir: dir.path().to_path_buf(), ..Default::default() };
    let store = Arc::new(Store::in_memory().unwrap());
    let clock = ManualClock::new(start);
    let c: Arc<dyn Clock> = Arc::new(clock.clone());
    let hv = Arc::new(crate::hv::link::HvLink::connect("test:///default", false, c.clone()));
    let svc = Services::new(store.clone(), c, &cfg, hv);
    let owner =
        svc.accounts.create_user("payer@example.com", "payer password 1", Role::Customer).await.unwrap();
    let plan = svc
        .plans
        .create(crate::service::plans::NewPlan {
            name: "s-1".into(),
            spec: PlanSpec { vcpus: 1, memory_mib: 1024, disk_gb: 10, ipv4: 1 },
            monthly_price: Money(10_000),
            hourly_price: Money(20),
        })
        .await
        .unwrap()
        .id;
    Env { svc, store, clock, owner, plan }
}

impl Env {
    /// Move the clock to `t` and meter what is complete.
    pub async fn at(&self, t: Timestamp) -> TickReport {
        self.clock.set(t);
        self.svc.billing.tick().await.unwrap()
    }

    /// Write `f`'s change in a transaction of its own.
    pub fn write(&self, f: impl FnOnce(&redb::WriteTransaction)) {
        let tx = self.store.write().unwrap();
        f(&tx);
        tx.commit().unwrap();
    }

    pub fn vm(&self, id: u64, ipv4: u32) -> VmRecord {
        let now = self.svc.vms.now();
        VmRecord {
            id: VmId(id),
            uuid: uuid::Uuid::new_v4(),
            owner: self.owner,
            hostname: format!("vm{id}"),
            plan: self.plan,
            plan_name: "s-1".into(),
            spec: PlanSpec { vcpus: 1, memory_mib: 1024, disk_gb: 10, ipv4 },
            template: TemplateId(1),
            template_name: "debian".into(),
            ssh_keys: vec![],
            root_password_hash: None,
            phase: VmPhase::Ready,
            power: PowerState::Running,
            suspended: false,
            shutdown_requested_at: None,
            created_at: now,
            updated_at: now,
        }
    }

    fn line(&self, s: &crate::store::billing::StatementRecord, resource: &str) -> (u32, Money) {
        let l = s.lines.iter().find(|(r, _)| r == resource).map(|(_, l)| l.clone());
        let l = l.unwrap_or_else(|| panic!("no line {resource} in {:?}", s.lines));
        (l.hours, l.amount)
    }
}

/// VM `id` as stored.
pub(crate) fn vm_record(e: &Env, id: u64) -> VmRecord {
    let tx = e.store.read().unwrap();
    let v = tx.open_table(crate::store::tables::VMS).unwrap().get(id).unwrap().unwrap();
    crate::store::codec::decode(v.value()).unwrap()
}

fn price(monthly: i64, hourly: i64) -> Price {
    Price { monthly: Money(monthly), hourly: Money(hourly) }
}

#[tokio::test]
async fn a_month_of_hourly_metering_gives_the_exact_totals() {
    let e = env(at(2027, 1, 31, 21, 50)).await;
    let b = &e.svc.billing;
    b.set_price(Item::ExtraIpv4, price(1_000, 2), &Caller::system()).await.unwrap();
    b.set_price(Item::DiskGb, price(50, 1), &Caller::system()).await.unwrap();
    b.set_price(Item::BackupGb, price(30, 1), &Caller::system()).await.unwrap();
    assert_eq!(e.at(at(2027, 1, 31, 22, 0)).await.hours, 0, "metering starts with the first tick's hour");

    // A VM with one address beyond its plan's, from 22:30 on the 31st of January.
    e.at(at(2027, 1, 31, 22, 30)).await;
    e.write(|tx| crate::store::vms::put(tx, &e.vm(1, 2)).unwrap());
    // A 10 GiB disk from February 1st, 00:00.
    e.at(at(2027, 2, 1, 0, 0)).await;
    e.write(|tx| holdings::put(tx, at(2027, 2, 1, 0, 0), e.owner, Kind::Disk, 7, 10).unwrap());
    let jan = b.statements(e.owner).unwrap();
    assert_eq!(jan.len(), 1, "January closed with the tick at midnight");
    assert_eq!((e.line(&jan[0], "vm:1"), e.line(&jan[0], "vm:1/ipv4")), ((2, Money(40)), (2, Money(4))));
    assert_eq!((jan[0].opening, jan[0].charges, jan[0].closing), (Money(0), Money(44), Money(-44)));

    // A top-up, a day of 1.5 GiB of backups, a price change mid-month, and a disk that lives
    // for half an hour.
    e.at(at(2027, 2, 3, 9, 0)).await;
    b.top_up(e.owner, Money(20_000), "bank 0042", &Caller::system()).await.unwrap();
    e.at(at(2027, 2, 5, 0, 0)).await;
    e.write(|tx| holdings::put(tx, at(2027, 2, 5, 0, 0), e.owner, Kind::Backup, 3, 3 << 29).unwrap());
    e.at(at(2027, 2, 6, 0, 0)).await;
    e.write(|tx| holdings::remove(tx, at(2027, 2, 6, 0, 0), e.owner, Kind::Backup, 3).unwrap());
    e.at(at(2027, 2, 10, 12, 20)).await;
    let from = b.set_price(Item::Plan(e.plan), price(10_000, 30), &Caller::system()).await.unwrap();
    assert_eq!(billing::start_of(from), at(2027, 2, 10, 13, 0), "from the next full hour");
    e.at(at(2027, 2, 20, 10, 10)).await;
    e.write(|tx| holdings::put(tx, at(2027, 2, 20, 10, 10), e.owner, Kind::Disk, 8, 2).unwrap());
    e.at(at(2027, 2, 20, 10, 40)).await;
    e.write(|tx| holdings::remove(tx, at(2027, 2, 20, 10, 40), e.owner, Kind::Disk, 8).unwrap());

    let report = e.at(at(2027, 3, 1, 0, 30)).await;
    assert_eq!(report.statements, 1);
    let feb = &b.statements(e.owner).unwrap()[0];
    assert_eq!(billing::month_label(feb.month), "2027-02");
    // The plan: 229 hours at 20 (to Feb 10 12:00), then 30 an hour until the cap of 10000.
    assert_eq!(e.line(feb, "vm:1"), (672, Money(10_000)));
    assert_eq!(e.line(feb, "vm:1/ipv4"), (672, Money(1_000)), "2 an hour, capped at 1000");
    assert_eq!(e.line(feb, "disk:7"), (672, Money(500)), "10 GiB at 1, capped at 50 a GiB");
    assert_eq!(e.line(feb, BACKUP_STORAGE), (24, Money(48)), "1.5 GiB counts as 2, for 24 hours");
    assert_eq!(e.line(feb, "disk:8"), (1, Money(2)), "created and deleted within one hour: one hour");
    assert_eq!((feb.charges, feb.top_ups, feb.opening), (Money(11_550), Money(20_000), Money(-44)));
    assert_eq!(feb.closing, Money(-44 + 20_000 - 11_550));
    assert_eq!(b.overview(e.owner).unwrap().balance, feb.closing);
    // The plan's hours before the change kept their price.
    let charged = b.transactions(e.owner, None, 2000).unwrap();
    let plan_hours: Vec<i64> = charged
        .iter()
        .filter_map(|t| match &t.kind {
            EntryKind::Charge { lines, .. } => {
                lines.iter().find(|l| l.resource == "vm:1").map(|l| l.amount.0)
            }
            _ => None,
        })
        .collect();
    // (The last 20 is the hour that reached the cap: 10000 − 229·20 − 180·30.)
    assert_eq!(plan_hours.iter().filter(|a| **a == 20).count(), 2 + 229 + 1);
    assert_eq!(plan_hours.iter().filter(|a| **a == 30).count(), 180);
    assert!(plan_hours.contains(&20) && plan_hours.iter().sum::<i64>() == 10_040);
    // Statements are numbered 1, 2 and frozen: metering March changes nothing in them.
    e.at(at(2027, 3, 5, 0, 0)).await;
    assert_eq!(b.statement(Some(e.owner), feb.number).unwrap(), *feb);
    assert_eq!(b.statement_numbers().unwrap().keys().copied().collect::<Vec<_>>(), [1, 2]);
    let csv = statement_csv(feb);
    assert!(csv.lines().any(|l| l == "2,2027-02,vm:1,plan:1,1,672,100.00,KZT"), "{csv}");
    assert!(csv.lines().any(|l| l == "2,2027-02,closing balance,,,,84.06,KZT"), "{csv}");
}

#[tokio::test]
async fn a_daemon_that_was_down_catches_up_every_hour_once() {
    let e = env(at(2027, 5, 1, 0, 0)).await;
    e.at(at(2027, 5, 1, 0, 0)).await;
    e.write(|tx| crate::store::vms::put(tx, &e.vm(1, 1)).unwrap());
    // Down for three days and a bit: one tick meters all 73 hours, a second one nothing.
    let r = e.at(at(2027, 5, 4, 1, 5)).await;
    assert_eq!((r.hours, r.lines), (73, 73));
    assert_eq!(e.svc.billing.tick().await.unwrap().hours, 0);
    let o = e.svc.billing.overview(e.owner).unwrap();
    assert_eq!((o.balance, o.month_total, o.per_hour), (Money(-73 * 20), Money(73 * 20), Money(20)));
    assert_eq!(o.days_left, Some(0));
    // Concurrent ticks never meter an hour twice.
    e.clock.set(at(2027, 5, 6, 1, 5));
    let (a, b) = tokio::join!(e.svc.billing.tick(), e.svc.billing.tick());
    assert_eq!(a.unwrap().hours + b.unwrap().hours, 48);
    assert_eq!(e.svc.billing.overview(e.owner).unwrap().balance, Money(-121 * 20));
}

#[tokio::test]
async fn money_in_and_out_is_checked_and_booked_in_order() {
    let e = env(at(2027, 5, 1, 0, 0)).await;
    let b = &e.svc.billing;
    assert_eq!(b.top_up(e.owner, Money(0), "x", &Caller::system()).await.unwrap_err().code(), "BIL0001");
    assert_eq!(b.top_up(e.owner, Money(5), " ", &Caller::system()).await.unwrap_err().code(), "BIL0002");
    let err = b.top_up(UserId(999), Money(5), "x", &Caller::system()).await.unwrap_err();
    assert_eq!(err.code(), "BIL0004");
    let err = b.set_price(Item::DiskGb, price(10, 11), &Caller::system()).await.unwrap_err();
    assert_eq!(err.code(), "BIL0003");
    b.top_up(e.owner, Money(1_000), "card 1", &Caller::system()).await.unwrap();
    b.adjust(e.owner, Money(-250), "double payment returned", &Caller::system()).await.unwrap();
    b.credit(e.owner, Money(100), "availability below 99.9% in April").await.unwrap();
    let t = b.transactions(e.owner, None, 10).unwrap();
    assert_eq!(
        t.iter().map(|x| (x.seq, x.amount.0, x.balance.0)).collect::<Vec<_>>(),
        [(3, 100, 850), (2, -250, 750), (1, 1000, 1000)]
    );
    assert_eq!(b.transactions(e.owner, Some(3), 1).unwrap()[0].seq, 2, "paged by sequence");
    let rows = b.price_list().unwrap();
    let plan = rows.iter().find(|r| r.item == Item::Plan(e.plan)).unwrap();
    assert_eq!((plan.current, plan.next), (price(10_000, 20), None));
    b.set_price(Item::Plan(e.plan), price(12_000, 25), &Caller::system()).await.unwrap();
    let rows = b.price_list().unwrap();
    let plan = rows.iter().find(|r| r.item == Item::Plan(e.plan)).unwrap();
    assert_eq!(plan.current, price(10_000, 20), "this hour keeps its price");
    assert_eq!(plan.next.map(|(_, p)| p), Some(price(12_000, 25)));
}

#[tokio::test]
async fn low_balance_notices_then_suspension_after_the_grace_period_and_a_top_up_lifts_it() {
    let e = env(at(2027, 6, 1, 0, 0)).await;
    let b = &e.svc.billing;
    e.at(at(2027, 6, 1, 0, 0)).await;
    e.write(|tx| crate::store::vms::put(tx, &e.vm(1, 1)).unwrap());
    b.top_up(e.owner, Money(2_000), "first payment", &Caller::system()).await.unwrap();
    let subjects = || -> Vec<String> {
        e.svc
            .notices
            .inbox(&Caller::customer(e.owner, "t"))
            .unwrap()
            .notices
            .into_iter()
            .map(|(n, _)| n.kind)
            .collect()
    };
    // 20 an hour: below three days' worth (1440) after 29 hours, below one day (480) after 77.
    e.at(at(2027, 6, 2, 4, 30)).await;
    assert!(subjects().is_empty(), "{:?}", subjects());
    e.at(at(2027, 6, 2, 5, 30)).await;
    assert_eq!(subjects(), ["billing.low_balance"]);
    e.at(at(2027, 6, 2, 20, 30)).await;
    assert_eq!(subjects(), ["billing.low_balance"], "each threshold once");
    e.at(at(2027, 6, 4, 5, 30)).await;
    assert_eq!(subjects(), ["billing.low_balance", "billing.low_balance"]);
    // Below zero after 100 hours: a notice, and the grace period starts.
    e.at(at(2027, 6, 5, 4, 30)).await;
    assert_eq!(b.overview(e.owner).unwrap().balance, Money(0));
    e.at(at(2027, 6, 5, 5, 30)).await;
    let s = b.standing(e.owner).unwrap();
    assert_eq!(s.negative_since, Some(at(2027, 6, 5, 5, 30)));
    assert_eq!(b.suspends_at(&s), Some(at(2027, 6, 8, 5, 30)));
    assert_eq!(subjects()[0], "billing.negative");
    e.at(at(2027, 6, 8, 5, 29)).await;
    assert!(b.standing(e.owner).unwrap().suspended_at.is_none());
    // Past the grace period: suspended, its VM stopped and held, no new orders.
    e.at(at(2027, 6, 8, 5, 31)).await;
    let s = b.standing(e.owner).unwrap();
    assert_eq!((s.suspended_at, s.suspended_vms.clone()), (Some(at(2027, 6, 8, 5, 31)), vec![VmId(1)]));
    assert!(e.svc.vms.get(&Caller::system(), VmId(1)).unwrap().suspended);
    assert_eq!(subjects()[0], "billing.suspended");
    let admins = e.svc.notices.inbox(&Caller::admin(UserId(u64::MAX), "t")).unwrap();
    assert!(admins.notices[0].0.subject.contains("suspended for non-payment"));
    let order = crate::service::vms::CreateVm {
        plan: e.plan,
        template: TemplateId(1),
        hostname: "more".into(),
        key_ids: vec![],
        root_password: Some("a long root password".into()),
        once_key: "k".into(),
        networks: vec![],
        restore: None,
    };
    let err = e.svc.vms.create(e.owner, order, &Caller::system()).await.unwrap_err();
    assert_eq!(err.code(), "VM0016", "{err}");
    // Nothing is deleted, and charging goes on; a payment that leaves the balance below zero
    // changes nothing, one that brings it above zero lifts the suspension.
    let debt = b.overview(e.owner).unwrap().balance;
    b.top_up(e.owner, Money(-debt.0), "half", &Caller::system()).await.unwrap();
    assert!(
        b.standing(e.owner).unwrap().suspended_at.is_some(),
        "a balance of exactly zero is not above zero"
    );
    b.top_up(e.owner, Money(5_000), "the rest", &Caller::system()).await.unwrap();
    let s = b.standing(e.owner).unwrap();
    assert_eq!((s.suspended_at, s.negative_since), (None, None));
    assert!(!e.svc.vms.get(&Caller::system(), VmId(1)).unwrap().suspended);
    assert_eq!(subjects()[0], "billing.resumed");
}

#[tokio::test]
async fn statements_are_numbered_without_gaps_under_concurrent_ticks() {
    let e = env(at(2027, 7, 31, 20, 0)).await;
    e.at(at(2027, 7, 31, 20, 0)).await;
    let mut owners = vec![e.owner];
    // (Metering needs no account records; creating 39 would mostly hash passwords.)
    owners.extend((0..39).map(|i| UserId(1000 + i)));
    e.write(|tx| {
        for (i, o) in owners.iter().enumerate() {
            let vm = VmRecord { owner: *o, ..e.vm(i as u64 + 1, 1) };
            crate::store::vms::put(tx, &vm).unwrap();
        }
    });
    // The month closes while eight ticks race.
    e.clock.set(at(2027, 8, 1, 0, 10));
    let ticks: Vec<_> = (0..8)
        .map(|_| {
            let b = e.svc.billing.clone();
            tokio::spawn(async move { b.tick().await.unwrap() })
        })
        .collect();
    let mut issued = 0;
    for t in ticks {
        issued += t.await.unwrap().statements;
    }
    assert_eq!(issued, 40);
    let numbers = e.svc.billing.statement_numbers().unwrap();
    assert_eq!(numbers.keys().copied().collect::<Vec<_>>(), (1..=40).collect::<Vec<u64>>());
    let mut seen: Vec<_> = numbers.values().copied().collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 40, "each account's month once");
    for n in 1..=40 {
        let s = e.svc.billing.statement(None, n).unwrap();
        assert_eq!(
            (billing::month_label(s.month), s.charges, s.closing),
            ("2027-07".to_string(), Money(80), Money(-80))
        );
    }
    // Another tick later in August issues nothing more.
    e.clock.set(at(2027, 8, 1, 3, 10));
    assert_eq!(e.svc.billing.tick().await.unwrap().statements, 0);
}

#[tokio::test]
async fn the_trial_timeline_from_request_to_paid_service() {
    let e = env(at(2027, 9, 1, 9, 0)).await;
    let b = &e.svc.billing;
    e.at(at(2027, 9, 1, 9, 0)).await;
    let kinds = |o: UserId| -> Vec<String> {
        e.svc
            .notices
            .inbox(&Caller::customer(o, "t"))
            .unwrap()
            .notices
            .into_iter()
            .map(|(n, _)| n.kind)
            .collect()
    };
    // Request, then approval with the trial's limits (the admins are told of the request).
    let t = b.request_trial(e.owner, "testing a web shop", &Caller::system()).await.unwrap();
    assert_eq!(t.state, crate::store::trials::TrialState::Requested);
    assert_eq!(
        e.svc.notices.inbox(&Caller::admin(UserId(u64::MAX), "t")).unwrap().notices[0].0.kind,
        "trial.requested"
    );
    let err = b.request_trial(e.owner, "again", &Caller::system()).await.unwrap_err();
    assert_eq!(err.code(), "BIL0005", "once");
    let quota = crate::domain::quota::Amounts {
        vms: 1,
        vcpus: 1,
        memory_mib: 1024,
        disk_gb: 10,
        ipv4: 1,
        ..Default::default()
    };
    b.decide_trial(e.owner, true, quota, &Caller::system()).await.unwrap();
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().0, quota, "the trial's limits apply");
    assert_eq!(kinds(e.owner), ["trial.approved"]);
    // The first server starts at 10:20: the trial runs 3 days from then.
    e.at(at(2027, 9, 1, 10, 20)).await;
    e.write(|tx| crate::store::vms::put(tx, &e.vm(1, 1)).unwrap());
    e.at(at(2027, 9, 1, 11, 0)).await;
    let started = at(2027, 9, 1, 10, 20);
    let ends = at(2027, 9, 4, 10, 20);
    let t = b.trial(e.owner).unwrap().unwrap();
    assert_eq!(t.state, crate::store::trials::TrialState::Active { started_at: started, ends_at: ends });
    assert_eq!(b.overview(e.owner).unwrap().balance, Money(0), "the first hour is free");
    // Told a day and an hour before the end.
    e.at(at(2027, 9, 3, 10, 19)).await;
    assert!(!kinds(e.owner).contains(&"trial.ending".to_string()));
    e.at(at(2027, 9, 3, 10, 20)).await;
    assert_eq!(kinds(e.owner)[0], "trial.ending");
    e.at(at(2027, 9, 4, 9, 20)).await;
    assert_eq!(kinds(e.owner).iter().filter(|k| *k == "trial.ending").count(), 2);
    assert_eq!(b.overview(e.owner).unwrap().balance, Money(0));
    // It ends at 10:20 on the 4th with the server still there: paid from 11:00, at the price
    // list, and the account's limits are back.
    e.at(at(2027, 9, 4, 12, 5)).await;
    let t = b.trial(e.owner).unwrap().unwrap();
    assert!(
        matches!(t.state, crate::store::trials::TrialState::Ended { converted: true, early: false, .. }),
        "{t:?}"
    );
    assert_eq!(kinds(e.owner)[..2], ["billing.negative", "trial.ended"]);
    let charged: Vec<u64> = b
        .transactions(e.owner, None, 100)
        .unwrap()
        .iter()
        .filter_map(|x| match &x.kind {
            EntryKind::Charge { hour, .. } => Some(*hour),
            _ => None,
        })
        .collect();
    assert_eq!(charged, [billing::hour_of(at(2027, 9, 4, 11, 0))], "only 11:00 so far, 12:00 is not over");
    assert_eq!(b.overview(e.owner).unwrap().balance, Money(-20));
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().0, crate::config::QuotaConfig::default().amounts());
    // With no balance, the suspension rule applies as for anyone.
    assert!(b.standing(e.owner).unwrap().negative_since.is_some());
    assert_eq!(b.request_trial(e.owner, "x", &Caller::system()).await.unwrap_err().code(), "BIL0005");
}

#[tokio::test]
async fn a_trial_ended_early_is_paid_from_the_next_hour_and_only_new_customers_get_one() {
    let e = env(at(2027, 9, 1, 9, 0)).await;
    let b = &e.svc.billing;
    e.at(at(2027, 9, 1, 9, 0)).await;
    b.request_trial(e.owner, "", &Caller::system()).await.unwrap();
    b.decide_trial(e.owner, true, b.trial_quota(), &Caller::system()).await.unwrap();
    e.at(at(2027, 9, 1, 9, 30)).await;
    e.write(|tx| crate::store::vms::put(tx, &e.vm(1, 1)).unwrap());
    e.at(at(2027, 9, 1, 14, 40)).await;
    assert_eq!(b.overview(e.owner).unwrap().balance, Money(0));
    let t = b.end_trial(e.owner, &Caller::system()).await.unwrap();
    assert!(matches!(t.state, crate::store::trials::TrialState::Ended { early: true, converted: true, .. }));
    assert_eq!(b.end_trial(e.owner, &Caller::system()).await.unwrap_err().code(), "BIL0007");
    e.at(at(2027, 9, 1, 17, 1)).await;
    // 14:00 began inside the trial; 15:00 and 16:00 are paid.
    assert_eq!(b.overview(e.owner).unwrap().balance, Money(-40));

    // A customer who has used the service (here: a server of their own) gets none.
    let other =
        e.svc.accounts.create_user("old@example.com", "payer password 1", Role::Customer).await.unwrap();
    e.write(|tx| crate::store::vms::put(tx, &VmRecord { owner: other, ..e.vm(2, 1) }).unwrap());
    let err = b.request_trial(other, "", &Caller::system()).await.unwrap_err();
    assert_eq!(err.code(), "BIL0006");
    // Nor one whose servers are gone but who was charged before.
    e.at(at(2027, 9, 1, 18, 1)).await;
    e.write(|tx| crate::store::vms::remove(tx, &VmRecord { owner: other, ..e.vm(2, 1) }).unwrap());
    assert!(b.overview(other).unwrap().balance.0 < 0);
    assert_eq!(b.request_trial(other, "", &Caller::system()).await.unwrap_err().code(), "BIL0006");
    // A declined request is final too.
    let third =
        e.svc.accounts.create_user("new@example.com", "payer password 1", Role::Customer).await.unwrap();
    b.request_trial(third, "", &Caller::system()).await.unwrap();
    b.decide_trial(third, false, b.trial_quota(), &Caller::system()).await.unwrap();
    assert_eq!(b.trial(third).unwrap().unwrap().state, crate::store::trials::TrialState::Declined);
    assert_eq!(b.request_trial(third, "", &Caller::system()).await.unwrap_err().code(), "BIL0005");
    assert_eq!(
        b.decide_trial(third, true, b.trial_quota(), &Caller::system()).await.unwrap_err().code(),
        "BIL0007"
    );
}
