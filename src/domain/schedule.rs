//! Backup schedules: a frequency with its time of day, weekday or day of month in the
//! account's time zone; the next run after a given time, and the one run that is due after a
//! pause (downtime is caught up once, not once per missed run). Pure: time zones come from
//! jiff's database, the current time from the caller.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::time::Timestamp;

/// How often a schedule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    /// Every hour at a minute.
    Hourly,
    /// Every day at a time.
    Daily,
    /// Every week on a weekday at a time.
    Weekly,
    /// Every month on a day at a time (the month's last day when it is shorter).
    Monthly,
}

impl Frequency {
    /// Every frequency, shortest first.
    pub const ALL: [Frequency; 4] =
        [Frequency::Hourly, Frequency::Daily, Frequency::Weekly, Frequency::Monthly];

    /// Name in forms, config and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Hourly => "hourly",
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
        }
    }

    /// The frequency named `s`.
    pub fn parse(s: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }
}

/// When a schedule runs. Fields its frequency does not use are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct When {
    /// How often.
    pub frequency: Frequency,
    /// Minute of the hour, 0–59.
    pub minute: u8,
    /// Hour of the day, 0–23 (daily, weekly, monthly).
    pub hour: u8,
    /// Day of the week, 1 = Monday … 7 = Sunday (weekly).
    pub weekday: u8,
    /// Day of the month, 1–31 (monthly; the month's last day when it has fewer).
    pub day: u8,
}

/// A schedule or time zone that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// Not a time zone of the database.
    #[error("Unknown time zone {0:?}: use a name such as Europe/Berlin or Asia/Almaty")]
    UnknownZone(String),
    /// A field is out of range.
    #[error("The schedule's {0} is out of range")]
    OutOfRange(&'static str),
}

impl ScheduleError {
    /// Its message's arguments (see [`crate::error::Coded::args`]).
    pub fn args(&self) -> crate::error::Args {
        match self {
            ScheduleError::UnknownZone(z) => vec![("reason", "zone".into()), ("zone", z.as_str().into())],
            ScheduleError::OutOfRange(what) => {
                vec![("reason", "range".into()), ("what", what.split(' ').next().unwrap_or(what).into())]
            }
        }
    }
}

const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

impl When {
    /// Check every field the frequency uses.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        if self.minute > 59 {
            return Err(ScheduleError::OutOfRange("minute"));
        }
        if self.frequency != Frequency::Hourly && self.hour > 23 {
            return Err(ScheduleError::OutOfRange("hour"));
        }
        if self.frequency == Frequency::Weekly && !(1..=7).contains(&self.weekday) {
            return Err(ScheduleError::OutOfRange("weekday"));
        }
        if self.frequency == Frequency::Monthly && !(1..=31).contains(&self.day) {
            return Err(ScheduleError::OutOfRange("day of the month"));
        }
        Ok(())
    }

    /// In words, for pages: "daily at 03:30".
    pub fn describe(&self) -> String {
        let at = format!("{:02}:{:02}", self.hour, self.minute);
        match self.frequency {
            Frequency::Hourly => format!("hourly at minute {:02}", self.minute),
            Frequency::Daily => format!("daily at {at}"),
            Frequency::Weekly => {
                let day = WEEKDAYS.get(usize::from(self.weekday.saturating_sub(1))).unwrap_or(&"?");
                format!("weekly on {day} at {at}")
            }
            Frequency::Monthly if self.day > 28 => {
                format!("monthly on day {} (the last day in shorter months) at {at}", self.day)
            }
            Frequency::Monthly => format!("monthly on day {} at {at}", self.day),
        }
    }
}

/// The time zone named `name` (IANA name, e.g. `Europe/Berlin`; `UTC`).
pub fn zone(name: &str) -> Result<TimeZone, ScheduleError> {
    TimeZone::get(name.trim()).map_err(|_| ScheduleError::UnknownZone(name.trim().to_string()))
}

/// Every time zone name the database knows, sorted (for the account page's choices).
pub fn zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db().available().map(|n| n.as_str().to_string()).collect();
    names.sort();
    names
}

fn to_jiff(t: Timestamp) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(t.as_millis()).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

fn from_jiff(t: jiff::Timestamp) -> Timestamp {
    Timestamp::from_millis(t.as_millisecond())
}

fn offset_secs(tz: &TimeZone, secs: i64) -> i64 {
    let t = jiff::Timestamp::from_second(secs).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    i64::from(tz.to_offset(t).seconds())
}

/// Whether `date` is a day the schedule runs on.
fn runs_on(w: &When, date: Date) -> bool {
    match w.frequency {
        Frequency::Hourly | Frequency::Daily => true,
        Frequency::Weekly => date.weekday().to_monday_one_offset() == i8::try_from(w.weekday).unwrap_or(0),
        Frequency::Monthly => {
            let want = i8::try_from(w.day).unwrap_or(31).min(date.days_in_month());
            date.day() == want
        }
    }
}

/// The first run strictly after `after`.
///
/// Daily, weekly and monthly runs are at a wall-clock time of the zone: a time that a
/// daylight-saving change skips runs that much later (02:30 → 03:30), and a time that occurs
/// twice runs at its first occurrence only. Hourly runs are every hour of absolute time at the
/// minute, so a daylight-saving change neither skips nor repeats one.
pub fn next_after(w: &When, tz: &TimeZone, after: Timestamp) -> Timestamp {
    if w.frequency == Frequency::Hourly {
        let hour0 = after.as_secs().div_euclid(3600) * 3600;
        for k in 0..4 {
            let base = hour0 + k * 3600;
            let off = offset_secs(tz, base);
            let c = base + (i64::from(w.minute) * 60 - off).rem_euclid(3600);
            let local_minute = (c + offset_secs(tz, c)).rem_euclid(3600) / 60;
            if Timestamp::from_secs(c) > after && local_minute == i64::from(w.minute) {
                return Timestamp::from_secs(c);
            }
        }
        return after.plus_secs(3600);
    }
    let time = Time::new(i8::try_from(w.hour).unwrap_or(0), i8::try_from(w.minute).unwrap_or(0), 0, 0)
        .unwrap_or(Time::midnight());
    let mut date = to_jiff(after).to_zoned(tz.clone()).date();
    // The next run is at most a month and a day away.
    for _ in 0..64 {
        if runs_on(w, date)
            && let Ok(z) = date.to_datetime(time).to_zoned(tz.clone())
        {
            let c = from_jiff(z.timestamp());
            if c > after {
                return c;
            }
        }
        match date.tomorrow() {
            Ok(d) => date = d,
            Err(_) => break,
        }
    }
    after.plus_secs(86_400)
}

/// The run that is due at `now` when every run up to `handled` has been dealt with: the
/// latest run in (`handled`, `now`], or none. Several missed runs give one (the latest).
pub fn due(w: &When, tz: &TimeZone, handled: Timestamp, now: Timestamp) -> Option<Timestamp> {
    // Only the latest missed run counts; no schedule runs less often than monthly.
    let floor = now.plus_secs(-40 * 86_400);
    let mut slot = next_after(w, tz, handled.max(floor));
    if slot > now {
        return None;
    }
    loop {
        let next = next_after(w, tz, slot);
        if next > now {
            return Some(slot);
        }
        slot = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        from_jiff(s.parse::<jiff::Timestamp>().unwrap())
    }

    fn show(t: Timestamp, tz: &TimeZone) -> String {
        to_jiff(t).to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M %Z").to_string()
    }

    fn when(frequency: Frequency, hour: u8, minute: u8) -> When {
        When { frequency, minute, hour, weekday: 1, day: 1 }
    }

    /// The next `n` runs after `from`, shown in the zone.
    fn runs(w: &When, tz: &TimeZone, from: &str, n: usize) -> Vec<String> {
        let mut t = at(from);
        (0..n)
            .map(|_| {
                t = next_after(w, tz, t);
                show(t, tz)
            })
            .collect()
    }

    #[test]
    fn daily_runs_at_the_local_time_across_daylight_saving_changes() {
        let berlin = zone("Europe/Berlin").unwrap();
        // Spring forward (2026-03-29 02:00 → 03:00): 02:30 does not exist that day.
        assert_eq!(
            runs(&when(Frequency::Daily, 2, 30), &berlin, "2026-03-27T12:00:00Z", 3),
            ["2026-03-28 02:30 CET", "2026-03-29 03:30 CEST", "2026-03-30 02:30 CEST"]
        );
        // Fall back (2026-10-25 03:00 → 02:00): 02:30 happens twice; one run, at the first.
        let r = runs(&when(Frequency::Daily, 2, 30), &berlin, "2026-10-24T12:00:00Z", 3);
        assert_eq!(r, ["2026-10-25 02:30 CEST", "2026-10-26 02:30 CET", "2026-10-27 02:30 CET"]);
        // 03:30 in UTC terms moves by an hour across the change; the local time stays.
        let t = next_after(&when(Frequency::Daily, 3, 30), &berlin, at("2026-10-25T00:00:00Z"));
        assert_eq!(t, at("2026-10-25T02:30:00Z"));
    }

    #[test]
    fn hourly_runs_every_absolute_hour_through_daylight_saving_changes() {
        let berlin = zone("Europe/Berlin").unwrap();
        let w = when(Frequency::Hourly, 0, 15);
        // Fall back: the hour 02:xx happens twice, and both get their run.
        let mut t = at("2026-10-24T23:00:00Z"); // 01:00 CEST
        let mut seen = Vec::new();
        for _ in 0..4 {
            let n = next_after(&w, &berlin, t);
            assert!(n.secs_since(t) <= 3600, "runs are at most an hour apart");
            seen.push(show(n, &berlin));
            t = n;
        }
        assert_eq!(
            seen,
            [
                "2026-10-25 01:15 CEST",
                "2026-10-25 02:15 CEST",
                "2026-10-25 02:15 CET",
                "2026-10-25 03:15 CET"
            ]
        );
        // A half-hour zone: minute 15 local is minute 45 UTC.
        let kolkata = zone("Asia/Kolkata").unwrap();
        assert_eq!(next_after(&w, &kolkata, at("2026-01-01T00:00:00Z")), at("2026-01-01T00:45:00Z"));
        // Exactly at a run: the next one, an hour later.
        assert_eq!(next_after(&w, &kolkata, at("2026-01-01T00:45:00Z")), at("2026-01-01T01:45:00Z"));
    }

    #[test]
    fn monthly_runs_fall_back_to_the_last_day_of_short_months_and_leap_days() {
        let utc = zone("UTC").unwrap();
        let w = When { frequency: Frequency::Monthly, minute: 0, hour: 4, weekday: 1, day: 31 };
        assert_eq!(
            runs(&w, &utc, "2027-12-31T05:00:00Z", 4),
            ["2028-01-31 04:00 UTC", "2028-02-29 04:00 UTC", "2028-03-31 04:00 UTC", "2028-04-30 04:00 UTC"]
        );
        let w29 = When { day: 29, ..w };
        assert_eq!(
            runs(&w29, &utc, "2026-01-30T00:00:00Z", 2),
            ["2026-02-28 04:00 UTC", "2026-03-29 04:00 UTC"]
        );
        assert_eq!(runs(&w29, &utc, "2028-02-01T00:00:00Z", 1), ["2028-02-29 04:00 UTC"]);
    }

    #[test]
    fn weekly_runs_on_the_weekday_in_the_accounts_zone() {
        let almaty = zone("Asia/Almaty").unwrap();
        // Sunday 01:00 in Almaty (UTC+5) is still Saturday in UTC.
        let w = When { frequency: Frequency::Weekly, minute: 0, hour: 1, weekday: 7, day: 1 };
        let t = next_after(&w, &almaty, at("2026-11-26T00:00:00Z")); // a Thursday
        assert_eq!(show(t, &almaty), "2026-11-29 01:00 +05");
        assert_eq!(t, at("2026-11-28T20:00:00Z"));
        assert_eq!(next_after(&w, &almaty, t).secs_since(t), 7 * 86_400);
    }

    #[test]
    fn downtime_is_caught_up_with_one_run() {
        let utc = zone("UTC").unwrap();
        let w = when(Frequency::Daily, 3, 0);
        let handled = at("2026-11-20T03:00:00Z");
        // Down for six days: the latest missed run, once.
        assert_eq!(due(&w, &utc, handled, at("2026-11-26T10:00:00Z")), Some(at("2026-11-26T03:00:00Z")));
        // Once handled, nothing is due until the next run.
        let after = at("2026-11-26T03:00:00Z");
        assert_eq!(due(&w, &utc, after, at("2026-11-26T10:00:00Z")), None);
        assert_eq!(due(&w, &utc, after, at("2026-11-27T03:00:00Z")), Some(at("2026-11-27T03:00:00Z")));
        // Months of downtime cost a bounded walk and still give one run.
        let h = when(Frequency::Hourly, 0, 5);
        assert_eq!(
            due(&h, &utc, at("2025-01-01T00:00:00Z"), at("2026-11-26T10:00:00Z")),
            Some(at("2026-11-26T09:05:00Z"))
        );
    }

    #[test]
    fn schedules_and_zones_are_checked() {
        assert!(zone("Mars/Olympus").is_err());
        assert!(zone("Europe/Berlin").is_ok());
        let bad = [
            When { minute: 60, ..when(Frequency::Hourly, 0, 0) },
            when(Frequency::Daily, 24, 0),
            When { weekday: 0, ..when(Frequency::Weekly, 1, 0) },
            When { day: 32, ..when(Frequency::Monthly, 1, 0) },
        ];
        for w in bad {
            assert!(w.validate().is_err(), "{w:?}");
        }
        assert!(when(Frequency::Hourly, 99, 0).validate().is_ok(), "hourly ignores the hour");
        assert_eq!(
            When { weekday: 3, ..when(Frequency::Weekly, 3, 5) }.describe(),
            "weekly on Wednesday at 03:05"
        );
        assert_eq!(Frequency::parse("monthly"), Some(Frequency::Monthly));
        assert_eq!(Frequency::parse("yearly"), None);
    }
}
