//! Usage history of a server: CPU, disk and network over time, from the counters libvirt keeps
//! (which restart when the domain starts again). Two readings a minute apart give the usage
//! between them; usage is kept as sums (nanoseconds of CPU used and available, bytes), so
//! intervals roll up into coarser ones by adding, and rates come out at reading time.
//!
//! History lives in fixed rings ([`Tier`]): five-minute buckets for a day and hourly buckets
//! for 31 days, so a server's history has a bounded size and old points are rolled up rather
//! than kept.

/// Cumulative counters of a running domain.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// CPU time used by the guest, nanoseconds.
    pub cpu_ns: u64,
    /// Bytes read from its disks.
    pub disk_read: u64,
    /// Bytes written to its disks.
    pub disk_written: u64,
    /// Bytes received on its interfaces.
    pub net_rx: u64,
    /// Bytes sent on its interfaces.
    pub net_tx: u64,
}

/// Counters read at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reading {
    /// When, seconds since the epoch.
    pub at: i64,
    /// Virtual CPUs the guest had then.
    pub vcpus: u32,
    /// The counters.
    pub counters: Counters,
}

/// Usage over an interval, as sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Seconds of the interval that readings cover.
    pub secs: u32,
    /// CPU time used, nanoseconds.
    pub cpu_ns: u64,
    /// CPU time its vCPUs could have used (seconds × vCPUs), nanoseconds.
    pub vcpu_ns: u64,
    /// Bytes read from disks.
    pub disk_read: u64,
    /// Bytes written to disks.
    pub disk_written: u64,
    /// Bytes received.
    pub net_rx: u64,
    /// Bytes sent.
    pub net_tx: u64,
}

/// [`Usage`] as stored: (seconds, CPU ns, vCPU ns, disk read, disk written, rx, tx).
pub type Sums = (u32, u64, u64, u64, u64, u64, u64);

/// A [`Reading`] as stored: (seconds, vCPUs, CPU ns, disk read, disk written, rx, tx).
pub type StoredReading = (i64, u32, u64, u64, u64, u64, u64);

/// A gap longer than this between two readings (the daemon was down, the domain was off) is
/// not filled in: nothing is known about it.
pub const MAX_GAP_SECS: i64 = 15 * 60;

impl Usage {
    /// Add another interval's usage.
    pub fn add(&mut self, o: &Usage) {
        self.secs = self.secs.saturating_add(o.secs);
        self.cpu_ns = self.cpu_ns.saturating_add(o.cpu_ns);
        self.vcpu_ns = self.vcpu_ns.saturating_add(o.vcpu_ns);
        self.disk_read = self.disk_read.saturating_add(o.disk_read);
        self.disk_written = self.disk_written.saturating_add(o.disk_written);
        self.net_rx = self.net_rx.saturating_add(o.net_rx);
        self.net_tx = self.net_tx.saturating_add(o.net_tx);
    }

    /// Share of its vCPUs used, in tenths of a percent (0–1000).
    pub fn cpu_permille(&self) -> u32 {
        if self.vcpu_ns == 0 {
            return 0;
        }
        let p = u128::from(self.cpu_ns) * 1000 / u128::from(self.vcpu_ns);
        u32::try_from(p.min(1000)).unwrap_or(1000)
    }

    /// Whether the vCPUs were used at least `percent` per cent.
    pub fn busy(&self, percent: u8) -> bool {
        self.vcpu_ns > 0 && u128::from(self.cpu_ns) * 100 >= u128::from(self.vcpu_ns) * u128::from(percent)
    }

    /// `bytes` per second of the interval covered.
    pub fn per_sec(&self, bytes: u64) -> u64 {
        if self.secs == 0 { 0 } else { bytes / u64::from(self.secs) }
    }

    /// The stored form ([`Sums`]).
    pub fn to_tuple(&self) -> Sums {
        (self.secs, self.cpu_ns, self.vcpu_ns, self.disk_read, self.disk_written, self.net_rx, self.net_tx)
    }

    /// From [`Usage::to_tuple`].
    pub fn from_tuple(t: Sums) -> Usage {
        Usage {
            secs: t.0,
            cpu_ns: t.1,
            vcpu_ns: t.2,
            disk_read: t.3,
            disk_written: t.4,
            net_rx: t.5,
            net_tx: t.6,
        }
    }
}

/// How much a counter grew from `before` to `now`; a counter that went back started again
/// (the domain was restarted), so all of its value is new.
fn grown(before: u64, now: u64) -> u64 {
    if now >= before { now - before } else { now }
}

/// Usage between two readings of one domain, or `None` when they are not in order or too far
/// apart to say anything.
pub fn between(before: &Reading, now: &Reading) -> Option<Usage> {
    let secs = now.at - before.at;
    if secs <= 0 || secs > MAX_GAP_SECS {
        return None;
    }
    let vcpu_ns = (secs as u64).saturating_mul(1_000_000_000).saturating_mul(u64::from(now.vcpus.max(1)));
    let (b, n) = (&before.counters, &now.counters);
    Some(Usage {
        secs: secs as u32,
        // A restart inside the interval may count more than the interval held: never over 100%.
        cpu_ns: grown(b.cpu_ns, n.cpu_ns).min(vcpu_ns),
        vcpu_ns,
        disk_read: grown(b.disk_read, n.disk_read),
        disk_written: grown(b.disk_written, n.disk_written),
        net_rx: grown(b.net_rx, n.net_rx),
        net_tx: grown(b.net_tx, n.net_tx),
    })
}

/// A ring of buckets of one width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tier {
    /// Its number in the store.
    pub id: u8,
    /// Bucket width, seconds.
    pub step: i64,
    /// Buckets kept.
    pub slots: u16,
}

/// Five-minute buckets for a day.
pub const FIVE_MINUTES: Tier = Tier { id: 0, step: 300, slots: 288 };
/// Hourly buckets for 31 days.
pub const HOURS: Tier = Tier { id: 1, step: 3600, slots: 744 };
/// Every tier a reading is added to.
pub const TIERS: [Tier; 2] = [FIVE_MINUTES, HOURS];

impl Tier {
    /// Start of the bucket holding second `at`.
    pub fn bucket(&self, at: i64) -> i64 {
        at - at.rem_euclid(self.step)
    }

    /// The ring slot of the bucket starting at `start`.
    pub fn slot(&self, start: i64) -> u16 {
        u16::try_from(start.div_euclid(self.step).rem_euclid(i64::from(self.slots))).unwrap_or(0)
    }
}

/// What a graph shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Range {
    /// The last 24 hours, in five-minute points.
    #[default]
    Day,
    /// The last 30 days, in hourly points.
    Month,
}

impl Range {
    /// The tier its points come from.
    pub fn tier(self) -> Tier {
        match self {
            Range::Day => FIVE_MINUTES,
            Range::Month => HOURS,
        }
    }

    /// Seconds it spans.
    pub fn span(self) -> i64 {
        match self {
            Range::Day => 86_400,
            Range::Month => 30 * 86_400,
        }
    }

    /// Its name in URLs (`24h`, `30d`).
    pub fn as_str(self) -> &'static str {
        match self {
            Range::Day => "24h",
            Range::Month => "30d",
        }
    }

    /// From its name in URLs; anything else is the day.
    pub fn parse(s: &str) -> Range {
        if s == "30d" { Range::Month } else { Range::Day }
    }
}

/// A server's usage over a range: its buckets in time order (buckets with no readings left out).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Series {
    /// The range shown.
    pub range: Range,
    /// Start of the first bucket of the range, seconds.
    pub from: i64,
    /// End of the range (now), seconds.
    pub to: i64,
    /// `(bucket start, usage)`, oldest first.
    pub points: Vec<(i64, Usage)>,
}

impl Series {
    /// The usage of the whole range.
    pub fn total(&self) -> Usage {
        let mut t = Usage::default();
        for (_, u) in &self.points {
            t.add(u);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(at: i64, vcpus: u32, cpu_s: u64, rd: u64) -> Reading {
        Reading {
            at,
            vcpus,
            counters: Counters { cpu_ns: cpu_s * 1_000_000_000, disk_read: rd, ..Counters::default() },
        }
    }

    #[test]
    fn usage_between_readings_with_restarts_and_gaps() {
        let u = between(&r(1000, 2, 10, 500), &r(1060, 2, 70, 2_000)).unwrap();
        assert_eq!((u.secs, u.cpu_permille(), u.disk_read, u.per_sec(u.disk_read)), (60, 500, 1_500, 25));
        assert!(u.busy(50) && !u.busy(51));
        // The domain restarted: the counters began again, and CPU never exceeds what was there.
        let u = between(&r(1000, 1, 500, 9_000), &r(1060, 1, 90, 100)).unwrap();
        assert_eq!((u.cpu_permille(), u.disk_read), (1000, 100));
        assert_eq!(between(&r(1000, 1, 0, 0), &r(1000, 1, 1, 0)), None, "no time passed");
        assert_eq!(between(&r(1000, 1, 0, 0), &r(1000 + MAX_GAP_SECS + 1, 1, 1, 0)), None, "a gap");
    }

    #[test]
    fn sums_roll_up_and_rings_wrap() {
        let mut a = between(&r(0, 4, 0, 0), &r(60, 4, 240, 0)).unwrap();
        let b = between(&r(60, 4, 240, 0), &r(120, 4, 240, 0)).unwrap();
        a.add(&b);
        assert_eq!((a.secs, a.cpu_permille()), (120, 500));
        assert_eq!(Usage::from_tuple(a.to_tuple()), a);
        assert_eq!((FIVE_MINUTES.bucket(86_399), FIVE_MINUTES.slot(86_100)), (86_100, 287));
        assert_eq!(FIVE_MINUTES.slot(86_400), 0, "a day later the ring begins again");
        assert_eq!((HOURS.bucket(7_199), HOURS.slot(744 * 3600 + 3600)), (3600, 1));
        assert_eq!(
            (Range::parse("30d"), Range::parse("x"), Range::Month.as_str()),
            (Range::Month, Range::Day, "30d")
        );
    }
}
