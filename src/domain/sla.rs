//! SLA arithmetic, pure: which downtime counts (the provider's, outside maintenance windows,
//! within the period), availability in parts per million, and the credit tier of the hoster's
//! terms (99.9% or more: 0%; below, at least 99.0%: 5%; below, at least 95.0%: 10%; below: 15%).

use serde::{Deserialize, Serialize};

use super::money::Money;
use super::time::Timestamp;

/// A stretch of time `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// Start.
    pub from: Timestamp,
    /// End (excluded).
    pub to: Timestamp,
}

impl Span {
    /// A span; an end before the start gives an empty span.
    pub fn new(from: Timestamp, to: Timestamp) -> Span {
        Span { from, to: to.max(from) }
    }

    /// Its length, seconds.
    pub fn secs(self) -> i64 {
        self.to.secs_since(self.from)
    }

    /// The part inside `other`.
    pub fn clip(self, other: Span) -> Span {
        Span::new(self.from.max(other.from), self.to.min(other.to))
    }
}

/// Why a VM that was meant to run did not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Cause {
    /// The host or the daemon was down (a heartbeat gap).
    HostDown,
    /// The hypervisor stopped or lost the VM (QEMU crashed, libvirt failed).
    Platform,
    /// A provider incident declared by an admin or reported by the customer.
    Incident,
    /// Inside planned maintenance: not counted.
    Maintenance,
    /// Caused by the customer (their guest, their action): not counted.
    Customer,
    /// Force majeure, outside the provider's control: not counted.
    ForceMajeure,
}

impl Cause {
    /// Whether the terms count it as downtime.
    pub fn counts(self) -> bool {
        matches!(self, Cause::HostDown | Cause::Platform | Cause::Incident)
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Cause::HostDown => "host or platform down",
            Cause::Platform => "virtualization platform fault",
            Cause::Incident => "provider incident",
            Cause::Maintenance => "planned maintenance (not counted)",
            Cause::Customer => "caused by the customer (not counted)",
            Cause::ForceMajeure => "force majeure (not counted)",
        }
    }
}

/// Merge overlapping spans; returns them sorted and disjoint.
pub fn union(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| s.secs() > 0);
    spans.sort();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.from <= last.to => last.to = last.to.max(s.to),
            _ => out.push(s),
        }
    }
    out
}

/// `a` minus every span of `b` (both sorted and disjoint).
pub fn subtract(a: &[Span], b: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    for s in a {
        let mut cur = *s;
        for m in b {
            if m.to <= cur.from || m.from >= cur.to {
                continue;
            }
            if m.from > cur.from {
                out.push(Span::new(cur.from, m.from));
            }
            cur.from = cur.from.max(m.to);
            if cur.from >= cur.to {
                break;
            }
        }
        if cur.secs() > 0 {
            out.push(cur);
        }
    }
    out
}

/// Seconds of downtime that count in `period`: the union of the counted causes' spans, minus
/// maintenance windows, within the period.
pub fn counted_secs(down: &[(Span, Cause)], maintenance: &[Span], period: Span) -> i64 {
    let counted = union(down.iter().filter(|(_, c)| c.counts()).map(|(s, _)| s.clip(period)).collect());
    let windows = union(maintenance.iter().map(|m| m.clip(period)).collect());
    subtract(&counted, &windows).iter().map(|s| s.secs()).sum()
}

/// Parts per million of `period_secs` that were not down (1,000,000 = 100%).
pub fn availability_ppm(period_secs: i64, down_secs: i64) -> i64 {
    if period_secs <= 0 {
        return 1_000_000;
    }
    let down = u64::try_from(down_secs.clamp(0, period_secs)).unwrap_or(0);
    let period = u64::try_from(period_secs).unwrap_or(1);
    // Rounded down: 99.8999…% is below 99.9%.
    let lost = (u128::from(down) * 1_000_000).div_ceil(u128::from(period));
    1_000_000 - i64::try_from(lost).unwrap_or(1_000_000)
}

/// The credit, percent of the VM's charges for the period, for an availability.
pub fn credit_percent(ppm: i64) -> u8 {
    match ppm {
        p if p >= 999_000 => 0,
        p if p >= 990_000 => 5,
        p if p >= 950_000 => 10,
        _ => 15,
    }
}

/// `percent` of `charges`, in whole minor units (rounded down).
pub fn credit_of(charges: Money, percent: u8) -> Money {
    Money(charges.0.max(0) * i64::from(percent) / 100)
}

/// An availability as `99.90%` (rounded down to two decimals).
pub fn percent_label(ppm: i64) -> String {
    format!("{}.{:02}%", ppm / 10_000, ppm % 10_000 / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MONTH: i64 = 30 * 86_400;

    fn span(from: i64, to: i64) -> Span {
        Span::new(Timestamp::from_secs(from), Timestamp::from_secs(to))
    }

    /// The worked cases of the hoster's terms, for a 30-day month.
    #[test]
    fn the_terms_worked_cases() {
        let period = span(0, MONTH);
        let case = |down: i64, cause: Cause, maint: &[Span]| {
            let d = counted_secs(&[(span(1000, 1000 + down), cause)], maint, period);
            let ppm = availability_ppm(MONTH, d);
            (percent_label(ppm), credit_percent(ppm))
        };
        assert_eq!(case(43 * 60, Cause::Platform, &[]), ("99.90%".to_string(), 0));
        assert_eq!(case(44 * 60, Cause::Platform, &[]), ("99.89%".to_string(), 5));
        assert_eq!(case(8 * 3600, Cause::HostDown, &[]), ("98.88%".to_string(), 10));
        assert_eq!(case(2 * 86_400, Cause::Incident, &[]), ("93.33%".to_string(), 15));
        // The same two days inside a maintenance window, or caused by the customer: 0%.
        assert_eq!(case(2 * 86_400, Cause::Incident, &[span(0, 3 * 86_400)]).1, 0);
        assert_eq!(case(2 * 86_400, Cause::Customer, &[]).1, 0);
        assert_eq!(case(2 * 86_400, Cause::ForceMajeure, &[]).1, 0);
        // A window covering half the outage: the other half counts.
        let d = counted_secs(&[(span(0, 7200), Cause::Platform)], &[span(3600, 10_000)], period);
        assert_eq!(d, 3600);
    }

    #[test]
    fn overlapping_causes_count_once_and_only_inside_the_period() {
        let period = span(0, MONTH);
        let down = [
            (span(100, 400), Cause::Platform),
            (span(300, 700), Cause::Incident),
            (span(-500, 50), Cause::HostDown),
            (span(MONTH - 10, MONTH + 900), Cause::HostDown),
            (span(1000, 2000), Cause::Customer),
        ];
        assert_eq!(counted_secs(&down, &[], period), 600 + 50 + 10);
        assert_eq!(union(vec![span(5, 9), span(1, 3), span(2, 6)]), vec![span(1, 9)]);
        assert_eq!(subtract(&[span(0, 10)], &[span(2, 3), span(5, 20)]), vec![span(0, 2), span(3, 5)]);
    }

    #[test]
    fn credits_are_whole_minor_units() {
        assert_eq!(credit_of(Money(12_345), 5), Money(617));
        assert_eq!(credit_of(Money(-5), 15), Money(0));
        assert_eq!(availability_ppm(MONTH, 0), 1_000_000);
        assert_eq!(availability_ppm(0, 10), 1_000_000);
        assert_eq!(percent_label(1_000_000), "100.00%");
    }
}
