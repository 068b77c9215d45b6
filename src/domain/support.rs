//! Support requests as the terms define them: categories with first-response targets (24/7),
//! the statuses a request moves through, and the arithmetic of due times and the monthly report.

use serde::{Deserialize, Serialize};

use super::time::Timestamp;

/// What a request is about; each has its first-response target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Category {
    /// More resources than the quota allows.
    QuotaIncrease,
    /// Changing or recovering the cabinet password.
    Password,
    /// A hung VM needs a hard reboot.
    HardReboot,
    /// A network link between two availability zones.
    ZoneLink,
    /// An incident stopping all of the customer's services.
    FullOutage,
    /// An incident affecting the customer's main services.
    Degradation,
    /// Anything else.
    Other,
}

impl Category {
    /// Every category, in the order forms and reports list them.
    pub const ALL: [Category; 7] = [
        Category::FullOutage,
        Category::Degradation,
        Category::HardReboot,
        Category::QuotaIncrease,
        Category::Password,
        Category::ZoneLink,
        Category::Other,
    ];

    /// First-response target, minutes (the terms' table; 24/7/365).
    pub fn target_mins(self) -> i64 {
        match self {
            Category::QuotaIncrease | Category::Password => 20,
            Category::HardReboot => 10,
            Category::ZoneLink => 30,
            Category::FullOutage => 60,
            Category::Degradation => 4 * 60,
            Category::Other => 24 * 60,
        }
    }

    /// Stable key for forms and URLs.
    pub fn key(self) -> &'static str {
        match self {
            Category::QuotaIncrease => "quota",
            Category::Password => "password",
            Category::HardReboot => "hard-reboot",
            Category::ZoneLink => "zone-link",
            Category::FullOutage => "outage",
            Category::Degradation => "degradation",
            Category::Other => "other",
        }
    }

    /// From a form key.
    pub fn from_key(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.key() == s)
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Category::QuotaIncrease => "Quota increase",
            Category::Password => "Cabinet password change or recovery",
            Category::HardReboot => "Hard reboot of a hung server",
            Category::ZoneLink => "Network link between availability zones",
            Category::FullOutage => "Incident: all my services are down",
            Category::Degradation => "Incident: my main services are degraded",
            Category::Other => "Other question",
        }
    }

    /// Whether filing it reports an incident (the downtime it reports starts then).
    pub fn is_incident(self) -> bool {
        matches!(self, Category::FullOutage | Category::Degradation)
    }
}

/// The target as people read it: `10 min`, `4 h`, `24 h`.
pub fn target_label(mins: i64) -> String {
    if mins % 60 == 0 { format!("{} h", mins / 60) } else { format!("{mins} min") }
}

/// When a response to a message sent at `at` is due.
pub fn due_at(category: Category, at: Timestamp) -> Timestamp {
    at.plus_secs(category.target_mins() * 60)
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Waiting for the provider.
    Open,
    /// The provider answered; waiting for the customer.
    Answered,
    /// The provider considers it solved (the customer can still reply, which reopens it).
    Resolved,
    /// Closed by the customer or after resolution; no more replies.
    Closed,
}

impl Status {
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Answered => "answered",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
        }
    }
}

/// How a request waiting for a response stands against its target, at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// More than a quarter of the target left.
    InTime,
    /// A quarter of the target or less left: the admins are warned.
    AtRisk,
    /// Past due.
    Breached,
}

/// The urgency of a response due at `due` for a target of `target_mins`, at `now`.
pub fn urgency(due: Timestamp, target_mins: i64, now: Timestamp) -> Urgency {
    let left = due.secs_since(now);
    if left < 0 {
        Urgency::Breached
    } else if left * 4 <= target_mins * 60 {
        Urgency::AtRisk
    } else {
        Urgency::InTime
    }
}

/// `12 min left`, `1 h 5 min left`, `3 min late`.
pub fn time_left_label(due: Timestamp, now: Timestamp) -> String {
    let left = due.secs_since(now);
    let mins = left.abs().div_euclid(60);
    let d = if mins >= 60 { format!("{} h {} min", mins / 60, mins % 60) } else { format!("{mins} min") };
    if left < 0 { format!("{d} late") } else { format!("{d} left") }
}

/// One category's line of the monthly report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReportLine {
    /// Requests filed in the month.
    pub filed: u32,
    /// First response within the target.
    pub in_target: u32,
    /// First response after the target, or none yet and already late.
    pub late: u32,
    /// Not answered yet and still within the target.
    pub waiting: u32,
}

impl ReportLine {
    /// Count one request with a first-response target of `target_mins`: filed at `filed`,
    /// first response at `first` (if any), at `now`.
    pub fn add(&mut self, target_mins: i64, filed: Timestamp, first: Option<Timestamp>, now: Timestamp) {
        self.filed += 1;
        let due = filed.plus_secs(target_mins * 60);
        match first {
            Some(t) if t <= due => self.in_target += 1,
            Some(_) => self.late += 1,
            None if now > due => self.late += 1,
            None => self.waiting += 1,
        }
    }

    /// Share answered within target of those decided (in target or late), in tenths of a
    /// percent; `None` when none is decided yet.
    pub fn share_permille(&self) -> Option<u32> {
        let decided = self.in_target + self.late;
        (decided > 0).then(|| (self.in_target * 1000 + decided / 2) / decided)
    }
}

/// `95.0%` from tenths of a percent.
pub fn permille_label(p: u32) -> String {
    format!("{}.{}%", p / 10, p % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_the_terms() {
        let mins: Vec<(Category, i64)> = Category::ALL.iter().map(|c| (*c, c.target_mins())).collect();
        assert_eq!(
            mins,
            vec![
                (Category::FullOutage, 60),
                (Category::Degradation, 240),
                (Category::HardReboot, 10),
                (Category::QuotaIncrease, 20),
                (Category::Password, 20),
                (Category::ZoneLink, 30),
                (Category::Other, 1440),
            ]
        );
        let t = Timestamp::from_secs(1_000_000);
        assert_eq!(due_at(Category::HardReboot, t), t.plus_secs(600));
        assert_eq!(target_label(240), "4 h");
        assert_eq!(target_label(20), "20 min");
        for c in Category::ALL {
            assert_eq!(Category::from_key(c.key()), Some(c));
        }
    }

    #[test]
    fn urgency_warns_in_the_last_quarter_and_breaches_after_due() {
        let due = Timestamp::from_secs(10_000);
        // A 20-minute target: at risk from 5 minutes before due.
        assert_eq!(urgency(due, 20, due.plus_secs(-301)), Urgency::InTime);
        assert_eq!(urgency(due, 20, due.plus_secs(-300)), Urgency::AtRisk);
        assert_eq!(urgency(due, 20, due), Urgency::AtRisk);
        assert_eq!(urgency(due, 20, due.plus_secs(1)), Urgency::Breached);
        assert_eq!(time_left_label(due, due.plus_secs(-65 * 60)), "1 h 5 min left");
        assert_eq!(time_left_label(due, due.plus_secs(180)), "3 min late");
    }

    #[test]
    fn report_counts_first_responses_against_the_target() {
        let t = Timestamp::from_secs(0);
        let now = t.plus_secs(86_400);
        let mut line = ReportLine::default();
        line.add(20, t, Some(t.plus_secs(20 * 60)), now); // on the minute: in target
        line.add(20, t, Some(t.plus_secs(20 * 60 + 1)), now); // late
        line.add(20, t, None, now); // never answered and past due: late
        line.add(20, t, Some(t.plus_secs(60)), now);
        assert_eq!((line.filed, line.in_target, line.late, line.waiting), (4, 2, 2, 0));
        assert_eq!(line.share_permille().map(permille_label).as_deref(), Some("50.0%"));
        let mut fresh = ReportLine::default();
        fresh.add(1440, now, None, now);
        assert_eq!((fresh.waiting, fresh.share_permille()), (1, None));
    }
}
