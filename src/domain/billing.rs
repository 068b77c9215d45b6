//! Billing rules, pure: what is priced (price items), clock hours and calendar months in the
//! billing time zone, the charge of one resource for one hour under the monthly cap, and the
//! forecast of how long a balance lasts.

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::catalog::PlanId;
use super::money::Money;
use super::time::Timestamp;

/// What a price is for. A usage of an item has a quantity (1 for a VM's plan, addresses,
/// GiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Item {
    /// A VM on a plan (quantity 1).
    Plan(PlanId),
    /// A public IPv4 address beyond those a plan includes.
    ExtraIpv4,
    /// Extra disk, per GiB.
    DiskGb,
    /// Backup storage, per GiB (the account's backups together, rounded up).
    BackupGb,
    /// Traffic past a server's allowance, per GiB begun, at its plan's price (not in the price
    /// table: see `store::limits::plan_overage`).
    TrafficGb,
}

impl Item {
    /// The items that are not plans, in display order.
    pub const EXTRAS: [Item; 3] = [Item::ExtraIpv4, Item::DiskGb, Item::BackupGb];

    /// Key in the price table.
    pub fn key(self) -> String {
        match self {
            Item::Plan(p) => format!("plan:{}", p.0),
            Item::ExtraIpv4 => "ipv4".into(),
            Item::DiskGb => "disk_gb".into(),
            Item::BackupGb => "backup_gb".into(),
            Item::TrafficGb => "traffic_gb".into(),
        }
    }

    /// The item a price-table key names.
    pub fn parse(key: &str) -> Option<Item> {
        match key {
            "ipv4" => Some(Item::ExtraIpv4),
            "disk_gb" => Some(Item::DiskGb),
            "backup_gb" => Some(Item::BackupGb),
            k => k.strip_prefix("plan:")?.parse().ok().map(|n| Item::Plan(PlanId(n))),
        }
    }

    /// For people: what one unit is.
    pub fn unit(self) -> &'static str {
        match self {
            Item::Plan(_) => "server",
            Item::ExtraIpv4 => "extra IPv4 address",
            Item::DiskGb => "GiB of extra disk",
            Item::BackupGb => "GiB of backup storage",
            Item::TrafficGb => "GiB of extra traffic",
        }
    }
}

/// A price: per month (the cap of a calendar month) and per hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Price {
    /// Per unit and calendar month: no month charges more.
    pub monthly: Money,
    /// Per unit and hour.
    pub hourly: Money,
}

/// An hour since the Unix epoch (UTC clock hours: `[h·3600, (h+1)·3600)`).
pub type Hour = u64;

/// The hour `t` falls in.
pub fn hour_of(t: Timestamp) -> Hour {
    u64::try_from(t.as_secs().div_euclid(3600)).unwrap_or(0)
}

/// When hour `h` starts.
pub fn start_of(h: Hour) -> Timestamp {
    Timestamp::from_secs(i64::try_from(h).unwrap_or(i64::MAX / 4000).saturating_mul(3600))
}

/// A calendar month as `year·12 + (month − 1)`.
pub type Month = u32;

/// The calendar month (in `tz`) hour `h` starts in.
pub fn month_of(h: Hour, tz: &TimeZone) -> Month {
    let secs = start_of(h).as_secs();
    let Ok(ts) = jiff::Timestamp::from_second(secs) else { return 0 };
    let d = ts.to_zoned(tz.clone()).date();
    u32::try_from(i32::from(d.year()) * 12 + i32::from(d.month()) - 1).unwrap_or(0)
}

/// `(year, month 1–12)` of a month.
pub fn year_month(m: Month) -> (u32, u32) {
    (m / 12, m % 12 + 1)
}

/// A month as `2026-11`.
pub fn month_label(m: Month) -> String {
    let (y, mo) = year_month(m);
    format!("{y:04}-{mo:02}")
}

/// The month `2026-11` names.
pub fn parse_month(s: &str) -> Option<Month> {
    let (y, m) = s.trim().split_once('-')?;
    let (y, m): (u32, u32) = (y.parse().ok()?, m.parse().ok()?);
    (y >= 1970 && (1..=12).contains(&m)).then(|| y * 12 + m - 1)
}

/// The first hour that starts in month `m` (in `tz`) and the first that starts after it.
pub fn hours_of_month(m: Month, tz: &TimeZone) -> (Hour, Hour) {
    let first = |m: Month| -> Hour {
        let (y, mo) = year_month(m);
        let start = jiff::civil::date(i16::try_from(y).unwrap_or(1970), i8::try_from(mo).unwrap_or(1), 1)
            .to_zoned(tz.clone())
            .map(|z| z.timestamp().as_second())
            .unwrap_or(0);
        // The first clock hour starting at or after midnight (a zone with a half-hour offset
        // starts its month in the middle of a UTC hour, which belongs to the earlier month).
        u64::try_from(start.div_euclid(3600) + i64::from(start.rem_euclid(3600) != 0)).unwrap_or(0)
    };
    (first(m), first(m + 1))
}

/// What `qty` units cost for one hour when `charged` has been charged for them this month
/// already: the hourly price, but never more than the month's cap. Never negative.
pub fn hour_charge(price: Price, qty: u64, charged: Money) -> Money {
    let q = i64::try_from(qty).unwrap_or(i64::MAX);
    let hourly = price.hourly.0.saturating_mul(q);
    let cap = price.monthly.0.saturating_mul(q);
    Money(hourly.min(cap.saturating_sub(charged.0)).max(0))
}

/// Whole days a `balance` lasts at `per_hour`; `None` when nothing is being charged.
pub fn days_left(balance: Money, per_hour: Money) -> Option<i64> {
    if per_hour.0 <= 0 {
        return None;
    }
    Some(balance.0.max(0) / per_hour.0.saturating_mul(24).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    #[test]
    fn items_round_trip_their_keys() {
        for i in [Item::Plan(PlanId(7)), Item::ExtraIpv4, Item::DiskGb, Item::BackupGb] {
            assert_eq!(Item::parse(&i.key()), Some(i));
        }
        assert_eq!(Item::parse("plan:x"), None);
        assert_eq!(Item::parse("gold"), None);
    }

    #[test]
    fn months_in_utc_and_in_a_zone() {
        // 2026-11-30 23:00 UTC is still November in UTC, December 1st 04:00 in Almaty.
        let h = hour_of(Timestamp::from_secs(1_796_079_600));
        assert_eq!(month_label(month_of(h, &TimeZone::UTC)), "2026-11");
        assert_eq!(month_label(month_of(h, &tz("Asia/Almaty"))), "2026-12");
        let nov = parse_month("2026-11").unwrap();
        let (a, b) = hours_of_month(nov, &TimeZone::UTC);
        assert_eq!(b - a, 30 * 24);
        assert_eq!(month_of(a, &TimeZone::UTC), nov);
        assert_eq!(month_of(b - 1, &TimeZone::UTC), nov);
        assert_eq!(month_of(b, &TimeZone::UTC), nov + 1);
        // February of a leap year; a month with a DST change has 743 or 745 hours.
        let (a, b) = hours_of_month(parse_month("2028-02").unwrap(), &TimeZone::UTC);
        assert_eq!(b - a, 29 * 24);
        let (a, b) = hours_of_month(parse_month("2026-03").unwrap(), &tz("Europe/Berlin"));
        assert_eq!(b - a, 31 * 24 - 1);
        // A half-hour zone: the UTC hour that straddles midnight belongs to the earlier month.
        let (a, _) = hours_of_month(parse_month("2026-12").unwrap(), &tz("Asia/Kolkata"));
        assert_eq!(month_label(month_of(a, &tz("Asia/Kolkata"))), "2026-12");
        assert_eq!(month_label(month_of(a - 1, &tz("Asia/Kolkata"))), "2026-11");
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("nope"), None);
    }

    #[test]
    fn an_hour_costs_the_hourly_price_up_to_the_monthly_cap() {
        let p = Price { monthly: Money(1000), hourly: Money(3) };
        assert_eq!(hour_charge(p, 1, Money(0)), Money(3));
        assert_eq!(hour_charge(p, 4, Money(0)), Money(12));
        assert_eq!(hour_charge(p, 1, Money(998)), Money(2), "the last hour before the cap");
        assert_eq!(hour_charge(p, 1, Money(1000)), Money(0));
        assert_eq!(hour_charge(p, 2, Money(1999)), Money(1), "the cap grows with the quantity");
        assert_eq!(hour_charge(p, 1, Money(5000)), Money(0), "never negative");
        assert_eq!(hour_charge(p, 0, Money(0)), Money(0));
    }

    #[test]
    fn a_balance_lasts_whole_days() {
        assert_eq!(days_left(Money(4800), Money(100)), Some(2));
        assert_eq!(days_left(Money(4799), Money(100)), Some(1));
        assert_eq!(days_left(Money(-5), Money(100)), Some(0));
        assert_eq!(days_left(Money(100), Money(0)), None);
    }
}
