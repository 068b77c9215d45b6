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

    /// `YYYY-MM-DD HH:MM UTC`, for pages and messages.
    pub fn display_utc(self) -> String {
        let fmt = ::time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
        ::time::OffsetDateTime::from_unix_timestamp(self.as_secs())
            .ok()
            .and_then(|t| t.format(&fmt).ok())
            .unwrap_or_else(|| format!("@{}", self.as_secs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_and_display() {
        let t = Timestamp::from_secs(1_764_000_000);
        assert_eq!(t.plus_secs(90).secs_since(t), 90);
        assert_eq!(t.display_utc(), "2025-11-24 16:00 UTC");
        assert_eq!(Timestamp::from_millis(-1).as_secs(), -1);
    }
}
