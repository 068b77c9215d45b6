//! Monthly traffic allowances: how many GiB a server may move through its public interface in
//! a calendar month (UTC, as the traffic table counts days), in and out together; the notice
//! levels (80% and 100%); and the state of one server's month (what it was told, whether it is
//! throttled).

use serde::{Deserialize, Serialize};

use super::time::{Timestamp, date_of_day, day_of};

/// Bytes in a GiB.
pub const GIB: u64 = 1 << 30;

/// The most a plan or override may allow: 1 PiB a month.
pub const MAX_GIB: u64 = 1 << 20;

/// A monthly allowance of transfer (in and out together).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowance {
    /// GiB per month (1 to [`MAX_GIB`]).
    pub gib: u64,
}

impl Allowance {
    /// The allowance, if `gib` is in range.
    pub fn new(gib: u64) -> Option<Allowance> {
        (1..=MAX_GIB).contains(&gib).then_some(Allowance { gib })
    }

    /// The allowance in bytes.
    pub fn bytes(self) -> u64 {
        self.gib.saturating_mul(GIB)
    }

    /// The notice level `used` bytes have reached: 0, 80 or 100 (per cent).
    pub fn level(self, used: u64) -> u8 {
        let limit = u128::from(self.bytes());
        let used = u128::from(used) * 100;
        if used >= limit * 100 {
            100
        } else if used >= limit * 80 {
            80
        } else {
            0
        }
    }

    /// GiB begun past the allowance after `used` bytes (0 within it).
    pub fn over_gib(self, used: u64) -> u64 {
        used.saturating_sub(self.bytes()).div_ceil(GIB)
    }

    /// `used` as a share of the allowance, whole per cent (capped at 999).
    pub fn percent(self, used: u64) -> u32 {
        let p = u128::from(used) * 100 / u128::from(self.bytes().max(1));
        u32::try_from(p.min(999)).unwrap_or(999)
    }
}

/// What an admin set for one server instead of its plan's limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmLimits {
    /// Its port speed (`None`: the plan's).
    pub port: Option<super::vm::PortSpeed>,
    /// Its allowance (`None`: the plan's).
    pub allowance: Option<AllowanceOverride>,
}

/// An admin's allowance for one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AllowanceOverride {
    /// No limit, whatever the plan says.
    Unlimited,
    /// This allowance.
    Limited(Allowance),
}

/// The calendar month (UTC) of `t`, as one number: `year * 12 + month - 1`.
pub fn month_index(t: Timestamp) -> u32 {
    let (year, month, _) = date_of_day(day_of(t));
    u32::try_from(year * 12 + i64::from(month) - 1).unwrap_or(0)
}

/// One server's month as the allowance rule left it: which month, the highest notice level
/// it was told, and whether it is throttled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonthState {
    /// [`month_index`] of the month.
    pub month: u32,
    /// 0, 80 or 100: the notices sent this month.
    pub told: u8,
    /// Throttled to the configured speed until the month ends or the allowance is raised.
    pub throttled: bool,
}

/// What the rule does for one server now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The state to keep.
    pub next: MonthState,
    /// Tell the owner this level (80 or 100), if newly reached.
    pub notify: Option<u8>,
    /// Throttle it now.
    pub throttle: bool,
    /// Lift its throttle now.
    pub lift: bool,
}

/// The rule: in `month`, a server that used `used` bytes against `allowance` (none: unlimited),
/// after `last`. Levels are told once a month each; at 100% the server is throttled once,
/// unless its plan charges extra traffic (`charged`); a new month, an allowance it is under
/// again or a plan that now charges lifts the throttle.
pub fn step(
    last: Option<MonthState>,
    month: u32,
    used: u64,
    allowance: Option<Allowance>,
    charged: bool,
) -> Step {
    let was_throttled = last.is_some_and(|s| s.throttled);
    let mut next = match last {
        Some(s) if s.month == month => s,
        _ => MonthState { month, told: 0, throttled: false },
    };
    let level = allowance.map(|a| a.level(used)).unwrap_or(0);
    let notify = (level > next.told).then_some(level);
    next.told = next.told.max(level);
    next.throttled = level >= 100 && !charged;
    Step { next, notify, throttle: next.throttled && !was_throttled, lift: was_throttled && !next.throttled }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_percentages() {
        let a = Allowance::new(10).unwrap();
        assert_eq!((a.level(0), a.level(8 * GIB - 1), a.level(8 * GIB)), (0, 0, 80));
        assert_eq!((a.level(10 * GIB - 1), a.level(10 * GIB), a.level(u64::MAX)), (80, 100, 100));
        assert_eq!((a.percent(5 * GIB), a.percent(u64::MAX)), (50, 999));
        assert_eq!((Allowance::new(0), Allowance::new(MAX_GIB + 1)), (None, None));
    }

    #[test]
    fn each_level_is_told_once_and_the_throttle_comes_and_goes() {
        let a = Some(Allowance::new(10).unwrap());
        let m = 24_300;
        let s = step(None, m, GIB, a, false);
        assert_eq!((s.notify, s.throttle, s.lift), (None, false, false));
        let s = step(Some(s.next), m, 8 * GIB, a, false);
        assert_eq!((s.notify, s.throttle), (Some(80), false));
        let s = step(Some(s.next), m, 9 * GIB, a, false);
        assert_eq!(s.notify, None, "80% told once");
        let s = step(Some(s.next), m, 11 * GIB, a, false);
        assert_eq!((s.notify, s.throttle, s.next.throttled), (Some(100), true, true));
        let s = step(Some(s.next), m, 12 * GIB, a, false);
        assert_eq!((s.notify, s.throttle, s.lift), (None, false, false), "throttled once");
        // Straight to 100% tells only 100%.
        assert_eq!(step(None, m, 20 * GIB, a, false).notify, Some(100));
        // The allowance raised: under it again, the throttle lifts; nothing is told again.
        let raised = step(Some(s.next), m, 12 * GIB, Allowance::new(100), false);
        assert_eq!((raised.lift, raised.notify, raised.next.told), (true, None, 100));
        // Unlimited now: lifted too.
        assert!(step(Some(s.next), m, 12 * GIB, None, false).lift);
        // A new month starts over and lifts.
        let next = step(Some(s.next), m + 1, 0, a, false);
        assert_eq!((next.lift, next.next), (true, MonthState { month: m + 1, told: 0, throttled: false }));
    }

    #[test]
    fn a_plan_that_charges_extra_traffic_never_throttles_and_counts_gib_begun() {
        let a = Allowance::new(10).unwrap();
        let m = 24_300;
        let s = step(None, m, 11 * GIB, Some(a), true);
        assert_eq!((s.notify, s.throttle, s.next.throttled), (Some(100), false, false));
        // Throttled before the plan began to charge: lifted.
        let was = MonthState { month: m, told: 100, throttled: true };
        assert!(step(Some(was), m, 11 * GIB, Some(a), true).lift);
        assert_eq!((a.over_gib(10 * GIB), a.over_gib(10 * GIB + 1), a.over_gib(12 * GIB)), (0, 1, 2));
        assert_eq!(a.over_gib(0), 0);
    }

    #[test]
    fn months_are_numbered_in_utc() {
        let jan = Timestamp::from_secs(1_798_761_600); // 2027-01-01T00:00:00Z
        assert_eq!(month_index(jan), 2027 * 12);
        assert_eq!(month_index(jan.plus_secs(-1)), 2027 * 12 - 1);
    }
}
