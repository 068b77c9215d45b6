//! Money: integer minor units (cents, tiyn), never floats.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An amount in minor units of the configured currency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Money(pub i64);

impl Money {
    /// Parse a decimal amount typed by a person (`12`, `12.5`, `12.50`); at most two decimals,
    /// not negative.
    pub fn parse(s: &str) -> Option<Money> {
        let s = s.trim().replace([' ', '_'], "");
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
            || frac.len() > 2
        {
            return None;
        }
        let w: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
        let f: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        w.checked_mul(100)?.checked_add(f).map(Money)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
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
    }
}
