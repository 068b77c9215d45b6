//! Where a support request was made and what that promises: the terms give the messenger
//! (the provider's Telegram bot) a first answer within 10 minutes in working hours, on top of
//! each category's target (24/7). Working hours are days of the week and a time span in the
//! provider's time zone.

use serde::{Deserialize, Serialize};

use super::support::Category;
use super::time::Timestamp;

/// The messenger's first-answer promise inside working hours, minutes.
pub const MESSENGER_TARGET_MINS: i64 = 10;

/// How a request reached the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Channel {
    /// Filed by the customer in the web cabinet.
    Cabinet,
    /// Filed by the customer through the provider's Telegram bot.
    Telegram,
    /// Written by e-mail and filed by an admin on the customer's behalf.
    Email,
    /// Phoned in and filed by an admin on the customer's behalf.
    Phone,
}

impl Channel {
    /// Every channel, in the order reports list them.
    pub const ALL: [Channel; 4] = [Channel::Cabinet, Channel::Telegram, Channel::Email, Channel::Phone];

    /// Stable key for forms, reports and messages.
    pub fn key(self) -> &'static str {
        match self {
            Channel::Cabinet => "cabinet",
            Channel::Telegram => "telegram",
            Channel::Email => "email",
            Channel::Phone => "phone",
        }
    }

    /// From a key.
    pub fn from_key(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.key() == s.trim())
    }
}

/// The provider's working hours: on `days` (Monday first), from `from` to `to` minutes after
/// midnight in `zone` (`to` below `from` runs past midnight into the next day).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkingHours {
    days: [bool; 7],
    from: u16,
    to: u16,
    zone: jiff::tz::TimeZone,
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn day_index(s: &str) -> Result<usize, String> {
    let s = s.trim().to_ascii_lowercase();
    DAY_NAMES
        .iter()
        .position(|d| s.starts_with(d) && d.len() <= s.len())
        .ok_or_else(|| format!("{s:?} is not a day of the week (mon … sun)"))
}

fn minute_of(s: &str) -> Result<u16, String> {
    let (h, m) = s.trim().split_once(':').ok_or_else(|| format!("{s:?} is not a time like 09:00"))?;
    let (h, m): (u16, u16) = match (h.parse(), m.parse()) {
        (Ok(h), Ok(m)) if (h < 24 && m < 60) || (h == 24 && m == 0) => (h, m),
        _ => return Err(format!("{s:?} is not a time like 09:00")),
    };
    Ok(h * 60 + m)
}

impl WorkingHours {
    /// Every hour of every day, in UTC.
    pub fn always() -> WorkingHours {
        WorkingHours { days: [true; 7], from: 0, to: 24 * 60, zone: jiff::tz::TimeZone::UTC }
    }

    /// From the configuration's words: `days` as `mon-fri` or `mon,wed,sat-sun`, `hours` as
    /// `09:00-18:00` (`00:00-24:00` for whole days), `zone` an IANA name such as `Asia/Almaty`.
    pub fn parse(days: &str, hours: &str, zone: &str) -> Result<WorkingHours, String> {
        let mut set = [false; 7];
        for part in days.split(',').filter(|p| !p.trim().is_empty()) {
            match part.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (day_index(a)?, day_index(b)?);
                    let mut d = a;
                    loop {
                        set[d] = true;
                        if d == b {
                            break;
                        }
                        d = (d + 1) % 7;
                    }
                }
                None => set[day_index(part)?] = true,
            }
        }
        if !set.contains(&true) {
            return Err("name at least one working day (e.g. mon-fri)".into());
        }
        let (from, to) =
            hours.split_once('-').ok_or_else(|| format!("{hours:?} is not a span like 09:00-18:00"))?;
        let (from, to) = (minute_of(from)?, minute_of(to)?);
        if from == to {
            return Err(format!("{hours:?} is an empty span"));
        }
        let zone =
            jiff::tz::TimeZone::get(zone.trim()).map_err(|_| format!("{zone:?} is not a known time zone"))?;
        Ok(WorkingHours { days: set, from, to, zone })
    }

    /// Whether `t` falls within working hours.
    pub fn contains(&self, t: Timestamp) -> bool {
        let Ok(ts) = jiff::Timestamp::from_second(t.as_secs()) else { return false };
        let local = ts.to_zoned(self.zone.clone());
        let day = usize::from(local.weekday().to_monday_zero_offset().unsigned_abs());
        let minute = u16::try_from(i32::from(local.hour()) * 60 + i32::from(local.minute())).unwrap_or(0);
        if self.from < self.to {
            self.days[day] && (self.from..self.to).contains(&minute)
        } else {
            // Past midnight: the evening part belongs to today, the morning part to yesterday.
            (self.days[day] && minute >= self.from) || (self.days[(day + 6) % 7] && minute < self.to)
        }
    }
}

/// The first-response target of a request in `category` that reached the provider through
/// `channel` at `at`: the category's, or the messenger's 10 minutes when that is sooner and
/// `at` is within working hours.
pub fn target_mins(category: Category, channel: Channel, at: Timestamp, hours: &WorkingHours) -> i64 {
    let c = category.target_mins();
    match channel {
        Channel::Telegram if hours.contains(at) => c.min(MESSENGER_TARGET_MINS),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2027-01-08 is a Friday.
    fn almaty(day: i64, hour: i64, min: i64) -> Timestamp {
        let z: jiff::Zoned = format!("2027-01-{day:02}T{hour:02}:{min:02}[Asia/Almaty]").parse().unwrap();
        Timestamp::from_secs(z.timestamp().as_second())
    }

    #[test]
    fn working_hours_by_day_and_time_in_the_zone() {
        let h = WorkingHours::parse("mon-fri", "09:00-18:00", "Asia/Almaty").unwrap();
        assert!(h.contains(almaty(8, 9, 0)));
        assert!(h.contains(almaty(8, 17, 59)));
        assert!(!h.contains(almaty(8, 18, 0)));
        assert!(!h.contains(almaty(8, 8, 59)));
        assert!(!h.contains(almaty(9, 12, 0)), "Saturday");
        assert!(!h.contains(almaty(10, 12, 0)), "Sunday");
        assert!(h.contains(almaty(11, 12, 0)), "Monday");
        let night = WorkingHours::parse("fri", "22:00-06:00", "Asia/Almaty").unwrap();
        assert!(night.contains(almaty(8, 23, 0)) && night.contains(almaty(9, 5, 59)));
        assert!(!night.contains(almaty(9, 23, 0)) && !night.contains(almaty(8, 5, 0)));
        let wrap = WorkingHours::parse("sat-mon", "00:00-24:00", "UTC").unwrap();
        assert!(wrap.contains(almaty(10, 12, 0)) && !wrap.contains(almaty(12, 12, 0)));
        assert!(WorkingHours::always().contains(almaty(9, 3, 0)));
        for (d, hrs, z) in [
            ("", "09:00-18:00", "UTC"),
            ("mon", "9-18", "UTC"),
            ("xyz", "09:00-18:00", "UTC"),
            ("mon", "09:00-09:00", "UTC"),
            ("mon", "09:00-25:00", "UTC"),
            ("mon", "09:00-18:00", "Mars/Base"),
        ] {
            assert!(WorkingHours::parse(d, hrs, z).is_err(), "{d} {hrs} {z}");
        }
    }

    #[test]
    fn the_messenger_promise_holds_in_working_hours_only() {
        let h = WorkingHours::parse("mon-fri", "09:00-18:00", "Asia/Almaty").unwrap();
        let (friday, saturday) = (almaty(8, 10, 0), almaty(9, 10, 0));
        assert_eq!(target_mins(Category::Other, Channel::Telegram, friday, &h), 10);
        assert_eq!(target_mins(Category::Other, Channel::Telegram, saturday, &h), 1440);
        assert_eq!(target_mins(Category::HardReboot, Channel::Telegram, friday, &h), 10);
        assert_eq!(target_mins(Category::FullOutage, Channel::Cabinet, friday, &h), 60);
        assert_eq!(target_mins(Category::QuotaIncrease, Channel::Phone, friday, &h), 20);
        for c in Channel::ALL {
            assert_eq!(Channel::from_key(c.key()), Some(c));
        }
    }
}
