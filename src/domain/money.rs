//! Money: integer minor units (cents, tiyn), never floats.

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use serde::{Deserialize, Serialize};

/// An amount in minor units of the configured currency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Money(pub i64);

/// Digits of the minor unit, set once at start-up from the configuration (default 2).
static DIGITS: AtomicU8 = AtomicU8::new(2);
/// The currency code shown with amounts.
static CODE: OnceLock<String> = OnceLock::new();

/// Set the appliance's currency (at start-up, before any amount is shown or read).
pub fn set_currency(code: &str, minor_digits: u8) {
    DIGITS.store(minor_digits.min(3), Ordering::Relaxed);
    let _ = CODE.set(code.to_string());
}

/// The currency code (`KZT` unless configured).
pub fn currency() -> &'static str {
    CODE.get().map(String::as_str).unwrap_or("KZT")
}

fn digits() -> u32 {
    u32::from(DIGITS.load(Ordering::Relaxed))
}

impl Money {
    /// Parse a decimal amount typed by a person (`12`, `12.5`, `12.50`); at most as many
    /// decimals as the currency's minor unit, not negative.
    pub fn parse(s: &str) -> Option<Money> {
        Money::parse_with(s, digits())
    }

    /// Parse an amount that may be negative (`-12.50`), for corrections.
    pub fn parse_signed(s: &str) -> Option<Money> {
        let t = s.trim();
        match t.strip_prefix('-') {
            Some(rest) => Money::parse(rest).map(|m| Money(-m.0)),
            None => Money::parse(t),
        }
    }

    fn parse_with(s: &str, digits: u32) -> Option<Money> {
        let s = s.trim().replace([' ', '_', '\u{a0}', '\u{202f}'], "");
        if s.is_empty() {
            return None;
        }
        let (whole, frac) = match s.split_once(['.', ',']) {
            Some((w, f)) => (w.to_string(), f.to_string()),
            None => (s.clone(), String::new()),
        };
        if whole.is_empty() && frac.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > digits as usize
            || (digits == 0 && s.contains(['.', ',']))
        {
            return None;
        }
        let w: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
        let mut f: i64 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
        for _ in frac.len()..digits as usize {
            f *= 10;
        }
        w.checked_mul(10i64.pow(digits))?.checked_add(f).map(Money)
    }

    /// Sign, whole units, minor units and the minor unit's digits, for writing the amount the
    /// way a language does.
    pub fn parts(self) -> (bool, u64, u64, u32) {
        let d = digits();
        let a = self.0.unsigned_abs();
        let unit = 10u64.pow(d);
        (self.0 < 0, a / unit, a % unit, d)
    }

    fn write(self, f: &mut impl fmt::Write, digits: u32) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        if digits == 0 {
            return write!(f, "{sign}{a}");
        }
        let unit = 10u64.pow(digits);
        write!(f, "{sign}{}.{:0width$}", a / unit, a % unit, width = digits as usize)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, digits())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_show() {
        assert_eq!(Money::parse("12"), Some(Money(1200)));
        assert_eq!(Money::parse("12.5"), Some(Money(1250)));
        assert_eq!(Money::parse("0,07"), Some(Money(7)));
        assert_eq!(Money::parse(" 1 000.00 "), Some(Money(100_000)));
        for bad in ["", "-1", "1.234", "abc", "1.2.3", "."] {
            assert_eq!(Money::parse(bad), None, "{bad}");
        }
        assert_eq!(Money(123_456).to_string(), "1234.56");
        assert_eq!(Money(-5).to_string(), "-0.05");
        assert_eq!(Money::parse_signed("-12.5"), Some(Money(-1250)));
        assert_eq!(Money::parse_signed("3"), Some(Money(300)));
        assert_eq!(Money::parse_signed("--3"), None);
    }

    #[test]
    fn other_minor_units() {
        assert_eq!(Money::parse_with("12", 0), Some(Money(12)));
        assert_eq!(Money::parse_with("12.5", 0), None);
        assert_eq!(Money::parse_with("1.234", 3), Some(Money(1234)));
        assert_eq!(Money::parse_with("1.2", 3), Some(Money(1200)));
        let show = |m: Money, d| {
            let mut s = String::new();
            m.write(&mut s, d).unwrap();
            s
        };
        assert_eq!(show(Money(1234), 0), "1234");
        assert_eq!(show(Money(-1234), 3), "-1.234");
        assert_eq!(show(Money(5), 3), "0.005");
    }
}
