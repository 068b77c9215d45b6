//! Points in time as integer milliseconds since the Unix epoch (UTC).

use serde::{Deserialize, Serialize};

/// A point in time, milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(i64);

impl Timestamp {
    /// From milliseconds since the epoch.
    pub const fn from_millis(ms: i64) -> Self {
        Self(ms)
    }

    /// From whole seconds since the epoch.
    pub const fn from_secs(s: i64) -> Self {
        Self(s.saturating_mul(1000))
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// Whole seconds since the epoch.
    pub const fn as_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// This time plus `secs` seconds.
    pub const fn plus_secs(self, secs: i64) -> Self {
        Self(self.0.saturating_add(secs.saturating_mul(1000)))
    }

    /// Seconds from `earlier` to `self` (negative when `earlier` is later).
    pub const fn secs_since(self, earlier: Timestamp) -> i64 {
        (self.0 - earlier.0).div_euclid(1000)
    }

    /// `YYYY-MM-DD HH:MM UTC`, for pages and messages. (Plain arithmetic: list pages format
    /// hundreds of these per request.)
    pub fn display_utc(self) -> String {
        let mut s = String::with_capacity(20);
        self.write_utc(&mut s);
        s
    }

    /// Append `YYYY-MM-DD HH:MM UTC` to `out` without allocating or going through `fmt`.
    pub fn write_utc(self, out: &mut String) {
        let secs = self.as_secs();
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        if !(0..=9999).contains(&y) {
            out.push_str(&format!("@{secs}"));
            return;
        }
        let mut b = *b"0000-00-00 00:00 UTC";
        let mut two = |at: usize, v: i64| {
            b[at] = b'0' + (v / 10 % 10) as u8;
            b[at + 1] = b'0' + (v % 10) as u8;
        };
        two(0, y / 100);
        two(2, y % 100);
        two(5, i64::from(m));
        two(8, i64::from(d));
        two(11, rem / 3600);
        two(14, rem % 3600 / 60);
        // Only ASCII digits were written into an ASCII template.
        out.push_str(std::str::from_utf8(&b).unwrap_or("????-??-?? ??:?? UTC"));
    }
}

impl Timestamp {
    /// RFC 3339 in UTC to the second, `2026-12-06T03:25:31Z`, for the API.
    pub fn rfc3339(self) -> String {
        let secs = self.as_secs();
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
    }

    /// `YYYYMMDD-HHMMSS` in UTC, for file names that sort by time.
    pub fn file_stamp(self) -> String {
        let secs = self.as_secs();
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        format!("{y:04}{m:02}{d:02}-{:02}{:02}{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
    }

    /// The time a [`Timestamp::file_stamp`] names.
    pub fn parse_file_stamp(s: &str) -> Option<Timestamp> {
        let b = s.as_bytes();
        if b.len() != 15 || b[8] != b'-' || !b.iter().enumerate().all(|(i, c)| i == 8 || c.is_ascii_digit()) {
            return None;
        }
        let num = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<i64>().ok());
        let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
        let (h, mi, se) = (num(9..11)?, num(11..13)?, num(13..15)?);
        let (mo, d) = (u32::try_from(mo).ok()?, u32::try_from(d).ok()?);
        if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 59 {
            return None;
        }
        Some(Timestamp::from_secs(day_of_date(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se))
    }
}

impl Timestamp {
    /// A minute in UTC as forms send it: `YYYY-MM-DDTHH:MM` (a `datetime-local` input) or
    /// `YYYY-MM-DD HH:MM`, with an optional trailing ` UTC` or `Z`.
    pub fn parse_utc_minute(s: &str) -> Option<Timestamp> {
        let s = s.trim();
        let s = s.strip_suffix("UTC").or_else(|| s.strip_suffix('Z')).unwrap_or(s).trim_end();
        let b = s.as_bytes();
        if b.len() != 16 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ') || b[13] != b':'
        {
            return None;
        }
        let num = |r: std::ops::Range<usize>| {
            s.get(r).filter(|t| t.bytes().all(|c| c.is_ascii_digit())).and_then(|t| t.parse::<i64>().ok())
        };
        let (y, mo, d, h, mi) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?);
        let (mo, d) = (u32::try_from(mo).ok()?, u32::try_from(d).ok()?);
        if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 {
            return None;
        }
        Some(Timestamp::from_secs(day_of_date(y, mo, d) * 86_400 + h * 3600 + mi * 60))
    }

    /// `YYYY-MM-DDTHH:MM` in UTC, the value of a `datetime-local` input.
    pub fn input_minute(self) -> String {
        let mut s = self.display_utc();
        s.truncate(16);
        s.replace(' ', "T")
    }
}

/// A UTC calendar day, numbered from 1970-01-01 (day 0).
pub fn day_of(t: Timestamp) -> i64 {
    t.as_secs().div_euclid(86_400)
}

/// The (year, month, day) of a day number.
pub fn date_of_day(day: i64) -> (i64, u32, u32) {
    civil_from_days(day)
}

/// The day number of a date (Howard Hinnant's `days_from_civil`).
pub fn day_of_date(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days in a month.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    (day_of_date(ny, nm, 1) - day_of_date(y, m, 1)) as u32
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc3339_is_utc_to_the_second() {
        assert_eq!(Timestamp::from_secs(1_796_487_631).rfc3339(), "2026-12-05T16:20:31Z");
        assert_eq!(Timestamp::from_millis(999).rfc3339(), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn file_stamps_round_trip_and_refuse_nonsense() {
        use super::Timestamp;
        let t = Timestamp::from_secs(1_795_700_000); // 2026-11-26 ...
        let s = t.file_stamp();
        assert_eq!(s.len(), 15);
        assert_eq!(Timestamp::parse_file_stamp(&s), Some(t));
        assert_eq!(Timestamp::from_secs(0).file_stamp(), "19700101-000000");
        assert_eq!(
            Timestamp::parse_file_stamp("20240229-235959").map(|t| t.file_stamp()).as_deref(),
            Some("20240229-235959")
        );
        for bad in
            ["20230229-000000", "20261126-240000", "2026112-1200000", "20261126T120000", "abcdefgh-ijklmn"]
        {
            assert_eq!(Timestamp::parse_file_stamp(bad), None, "{bad}");
        }
    }

    use super::*;

    #[test]
    fn form_minutes_parse_in_utc() {
        let t = Timestamp::parse_utc_minute("2027-01-15T08:30").unwrap();
        assert_eq!(t.display_utc(), "2027-01-15 08:30 UTC");
        assert_eq!(Timestamp::parse_utc_minute("2027-01-15 08:30 UTC"), Some(t));
        assert_eq!(t.input_minute(), "2027-01-15T08:30");
        for bad in ["2027-02-29T08:00", "2027-01-15T24:00", "2027-01-15", "2027-1-15T08:00", "x"] {
            assert_eq!(Timestamp::parse_utc_minute(bad), None, "{bad}");
        }
    }

    #[test]
    fn day_numbers_and_months() {
        assert_eq!(day_of_date(1970, 1, 1), 0);
        assert_eq!(day_of_date(2024, 2, 29), 19_782);
        for day in [-1000, 0, 19_782, 20_000, 100_000] {
            let (y, m, d) = date_of_day(day);
            assert_eq!(day_of_date(y, m, d), day);
        }
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2025, 2), 28);
        assert_eq!(days_in_month(2026, 12), 31);
        assert_eq!(day_of(Timestamp::from_secs(86_399)), 0);
        assert_eq!(day_of(Timestamp::from_secs(-1)), -1);
    }

    #[test]
    fn arithmetic_and_display() {
        let t = Timestamp::from_secs(1_764_000_000);
        assert_eq!(t.plus_secs(90).secs_since(t), 90);
        assert_eq!(t.display_utc(), "2025-11-24 16:00 UTC");
        // Agrees with the time crate across eras, leap days and negative times.
        for s in [0i64, 951_782_400, 4_107_542_399, -86_400, 1_709_164_800, 253_402_300_799, 59, 3599, 86_399]
        {
            let expected = ::time::OffsetDateTime::from_unix_timestamp(s).unwrap();
            let want = format!(
                "{:04}-{:02}-{:02} {:02}:{:02} UTC",
                expected.year(),
                u8::from(expected.month()),
                expected.day(),
                expected.hour(),
                expected.minute()
            );
            assert_eq!(Timestamp::from_secs(s).display_utc(), want, "{s}");
        }
        assert_eq!(Timestamp::from_millis(-1).as_secs(), -1);
    }
}
