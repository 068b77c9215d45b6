//! Numbers, money and times written the language's way. English keeps the unambiguous forms
//! the cabinet always used (`1,234.50 KZT`, `2026-12-05 16:20 UTC`); Russian and Kazakh write
//! `1 234,50 KZT` (a no-break space between thousands, a decimal comma) and
//! `05.12.2026 16:20 UTC`, as documents in Kazakhstan do. Amounts keep the currency's code, as
//! invoices do, in every language.

use super::Lang;
use crate::domain::money::{Money, currency};
use crate::domain::time::{Timestamp, date_of_day};

/// The thousands separator of the languages that group with a space: a no-break space, so an
/// amount never breaks across lines.
const NBSP: char = '\u{a0}';

impl Lang {
    fn separators(self) -> (char, char) {
        match self {
            Lang::En => (',', '.'),
            Lang::Ru | Lang::Kk => (NBSP, ','),
        }
    }

    /// Append a whole number with the language's thousands separator.
    pub fn write_number(self, out: &mut String, n: i64) {
        if n < 0 {
            out.push('-');
        }
        self.write_grouped(out, n.unsigned_abs());
    }

    fn write_grouped(self, out: &mut String, n: u64) {
        let digits = n.to_string();
        let (group, _) = self.separators();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(group);
            }
            out.push(c);
        }
    }

    /// A whole number with the language's thousands separator.
    pub fn number(self, n: i64) -> String {
        let mut s = String::new();
        self.write_number(&mut s, n);
        s
    }

    /// Append an amount with its currency code: `1,234.50 KZT` / `1 234,50 KZT`.
    pub fn write_money(self, out: &mut String, m: Money) {
        let (negative, whole, frac, digits) = m.parts();
        if negative {
            out.push('-');
        }
        self.write_grouped(out, whole);
        if digits > 0 {
            out.push(self.separators().1);
            let f = frac.to_string();
            for _ in f.len()..digits as usize {
                out.push('0');
            }
            out.push_str(&f);
        }
        out.push(' ');
        out.push_str(currency());
    }

    /// An amount with its currency code.
    pub fn money(self, m: Money) -> String {
        let mut s = String::with_capacity(16);
        self.write_money(&mut s, m);
        s
    }

    /// Append a moment to the minute, in UTC: `2026-12-05 16:20 UTC` / `05.12.2026 16:20 UTC`.
    pub fn write_time(self, out: &mut String, t: Timestamp) {
        match self {
            Lang::En => t.write_utc(out),
            Lang::Ru | Lang::Kk => {
                self.write_date(out, t);
                let s = t.as_secs().rem_euclid(86_400);
                out.push(' ');
                two(out, s / 3600);
                out.push(':');
                two(out, s / 60 % 60);
                out.push_str(" UTC");
            }
        }
    }

    /// A share in parts per million as a percentage with two decimals: `99.95%` /
    /// `99,95 %`.
    pub fn percent(self, ppm: i64) -> String {
        let (whole, hundredths) = (ppm / 10_000, (ppm % 10_000 / 100).abs());
        match self {
            Lang::En => format!("{whole}.{hundredths:02}%"),
            Lang::Ru | Lang::Kk => format!("{whole},{hundredths:02}{NBSP}%"),
        }
    }

    /// Bytes in decimal units with one decimal, as hosters bill them: `532 B`, `1.4 MB` /
    /// `1,4 МБ`.
    pub fn bytes(self, n: u64) -> String {
        let mut s = String::with_capacity(12);
        self.write_bytes(&mut s, n);
        s
    }

    /// Append [`Lang::bytes`] of `n`.
    pub fn write_bytes(self, out: &mut String, n: u64) {
        use std::fmt::Write as _;
        let units: [&str; 6] = match self {
            Lang::En => ["B", "kB", "MB", "GB", "TB", "PB"],
            Lang::Ru | Lang::Kk => ["Б", "кБ", "МБ", "ГБ", "ТБ", "ПБ"],
        };
        if n < 1000 {
            let _ = write!(out, "{n} {}", units[0]);
            return;
        }
        // Integer arithmetic (no float formatting: a VM page writes this some sixty times).
        let (mut scale, mut unit) = (1000u128, 1);
        while u128::from(n) >= scale * 1000 && unit < units.len() - 1 {
            scale *= 1000;
            unit += 1;
        }
        let tenths = (u128::from(n) * 10 + scale / 2) / scale;
        let _ = write!(out, "{}{}{} {}", tenths / 10, self.separators().1, tenths % 10, units[unit]);
    }

    /// Bytes in binary gibibytes with one decimal, the number only (quotas are in GiB):
    /// `1.5` / `1,5`.
    pub fn gib(self, n: u64) -> String {
        let tenths = (u128::from(n) * 10 + (1 << 29)) >> 30;
        format!("{}{}{}", tenths / 10, self.separators().1, tenths % 10)
    }

    /// A moment to the minute, in UTC.
    pub fn time(self, t: Timestamp) -> String {
        let mut s = String::with_capacity(20);
        self.write_time(&mut s, t);
        s
    }

    /// Append the UTC day of a moment: `2026-12-05` / `05.12.2026`.
    pub fn write_date(self, out: &mut String, t: Timestamp) {
        let (y, m, d) = date_of_day(t.as_secs().div_euclid(86_400));
        match self {
            Lang::En => {
                out.push_str(&format!("{y:04}-"));
                two(out, i64::from(m));
                out.push('-');
                two(out, i64::from(d));
            }
            Lang::Ru | Lang::Kk => {
                two(out, i64::from(d));
                out.push('.');
                two(out, i64::from(m));
                out.push_str(&format!(".{y:04}"));
            }
        }
    }

    /// The UTC day of a moment.
    pub fn date(self, t: Timestamp) -> String {
        let mut s = String::with_capacity(10);
        self.write_date(&mut s, t);
        s
    }
}

fn two(out: &mut String, v: i64) {
    out.push(char::from(b'0' + (v / 10 % 10) as u8));
    out.push(char::from(b'0' + (v % 10) as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_money_and_times_per_language() {
        assert_eq!(Lang::En.number(1_234_567), "1,234,567");
        assert_eq!(Lang::Ru.number(-1_234), "-1\u{a0}234");
        assert_eq!(Lang::Kk.number(999), "999");
        assert_eq!(Lang::En.money(Money(123_456)), "1,234.56 KZT");
        assert_eq!(Lang::Ru.money(Money(-5)), "-0,05 KZT");
        assert_eq!(Lang::Kk.money(Money(100_000_000)), "1\u{a0}000\u{a0}000,00 KZT");
        // 2026-12-05 16:20 UTC, and a moment before 1970.
        let t = Timestamp::from_secs(1_796_487_600);
        assert_eq!(Lang::En.time(t), "2026-12-05 16:20 UTC");
        assert_eq!(Lang::Ru.time(t), "05.12.2026 16:20 UTC");
        assert_eq!(Lang::Kk.date(t), "05.12.2026");
        assert_eq!(Lang::Ru.time(Timestamp::from_secs(-60)), "31.12.1969 23:59 UTC");
        assert_eq!(Lang::En.percent(999_500), "99.95%");
        assert_eq!((Lang::En.bytes(532), Lang::En.bytes(1_400_000)), ("532 B".into(), "1.4 MB".into()));
        assert_eq!((Lang::Ru.bytes(12_000_000_000), Lang::Kk.bytes(999)), ("12,0 ГБ".into(), "999 Б".into()));
        assert_eq!(Lang::Kk.percent(1_000_000), "100,00\u{a0}%");
        assert_eq!(
            (Lang::En.gib(3 << 29), Lang::Ru.gib(0), Lang::Kk.gib(10 << 30)),
            ("1.5".into(), "0,0".into(), "10,0".into())
        );
        // What Russian and Kazakh write can be typed back as an amount.
        assert_eq!(
            Money::parse(Lang::Ru.money(Money(123_456)).trim_end_matches(" KZT")),
            Some(Money(123_456))
        );
    }
}
