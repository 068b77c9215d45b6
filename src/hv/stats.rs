//! One domain's statistics in vpsbox's terms, read from libvirt's named parameters
//! (`cpu.time`, `balloon.current`, `block.<n>.rd.bytes`, `net.<n>.rx.pkts`, ...): totals over
//! all of a domain's disks and interfaces.

use uuid::Uuid;

use super::ffi::stats::RawStats;

/// Bytes and operations of a domain's disks, or bytes and packets of its interfaces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Io {
    /// Bytes read (disks) or received (interfaces).
    pub in_bytes: u64,
    /// Bytes written (disks) or sent (interfaces).
    pub out_bytes: u64,
    /// Read requests (disks) or packets received (interfaces).
    pub in_ops: u64,
    /// Write requests (disks) or packets sent (interfaces).
    pub out_ops: u64,
}

/// A domain's statistics at one moment. Counters restart when the domain starts again.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DomainStats {
    /// The domain.
    pub uuid: Uuid,
    /// Whether it runs (`state.state` is running).
    pub running: bool,
    /// CPU time used by the guest since it started, seconds.
    pub cpu_seconds: f64,
    /// Virtual CPUs online.
    pub vcpus: u32,
    /// Memory the guest has now (the balloon), bytes.
    pub memory_bytes: u64,
    /// Disks, summed.
    pub disk: Io,
    /// Interfaces, summed.
    pub net: Io,
}

/// libvirt's `VIR_DOMAIN_RUNNING`.
const RUNNING: f64 = 1.0;

fn count(v: f64) -> u64 {
    if v.is_finite() && v > 0.0 { v as u64 } else { 0 }
}

/// The statistics libvirt gave for one domain; `None` when its UUID cannot be read.
pub fn parse(raw: &RawStats) -> Option<DomainStats> {
    let mut s = DomainStats { uuid: Uuid::parse_str(&raw.uuid).ok()?, ..DomainStats::default() };
    for (name, v) in &raw.values {
        let v = *v;
        match name.as_str() {
            "state.state" => s.running = v == RUNNING,
            "cpu.time" => s.cpu_seconds = count(v) as f64 / 1e9,
            "vcpu.current" => s.vcpus = u32::try_from(count(v)).unwrap_or(u32::MAX),
            "balloon.current" => s.memory_bytes = count(v).saturating_mul(1024),
            _ => {
                let (io, rest) = if let Some(r) = name.strip_prefix("block.") {
                    (&mut s.disk, r)
                } else if let Some(r) = name.strip_prefix("net.") {
                    (&mut s.net, r)
                } else {
                    continue;
                };
                // `<index>.<what>`: only numbered devices, not `block.count`.
                let Some((index, what)) = rest.split_once('.') else { continue };
                if index.parse::<u32>().is_err() {
                    continue;
                }
                let slot = match what {
                    "rd.bytes" | "rx.bytes" => &mut io.in_bytes,
                    "wr.bytes" | "tx.bytes" => &mut io.out_bytes,
                    "rd.reqs" | "rx.pkts" => &mut io.in_ops,
                    "wr.reqs" | "tx.pkts" => &mut io.out_ops,
                    _ => continue,
                };
                *slot = slot.saturating_add(count(v));
            }
        }
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `virsh domstats` printed for a running QEMU guest with two disks and one interface.
    fn qemu_sample() -> RawStats {
        let v = |pairs: &[(&str, f64)]| pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        RawStats {
            uuid: "5f0c2d1e-8a5b-4c1e-9b0a-1d2e3f405162".into(),
            values: v(&[
                ("state.state", 1.0),
                ("state.reason", 1.0),
                ("cpu.time", 12_345_678_901.0),
                ("cpu.user", 1_000_000_000.0),
                ("balloon.current", 262_144.0),
                ("balloon.maximum", 262_144.0),
                ("vcpu.current", 2.0),
                ("vcpu.maximum", 2.0),
                ("vcpu.0.time", 6_000_000_000.0),
                ("net.count", 1.0),
                ("net.0.name", 0.0),
                ("net.0.rx.bytes", 1500.0),
                ("net.0.rx.pkts", 10.0),
                ("net.0.tx.bytes", 900.0),
                ("net.0.tx.pkts", 7.0),
                ("block.count", 2.0),
                ("block.0.rd.reqs", 100.0),
                ("block.0.rd.bytes", 409_600.0),
                ("block.0.wr.reqs", 5.0),
                ("block.0.wr.bytes", 20_480.0),
                ("block.0.capacity", 1_073_741_824.0),
                ("block.1.rd.reqs", 3.0),
                ("block.1.rd.bytes", 12_288.0),
                ("block.1.wr.reqs", 1.0),
                ("block.1.wr.bytes", 4096.0),
            ]),
        }
    }

    #[test]
    fn totals_over_disks_and_interfaces() {
        let s = parse(&qemu_sample()).unwrap();
        assert!(s.running);
        assert!((s.cpu_seconds - 12.345_678_901).abs() < 1e-9);
        assert_eq!((s.vcpus, s.memory_bytes), (2, 256 * 1024 * 1024));
        assert_eq!(s.disk, Io { in_bytes: 421_888, out_bytes: 24_576, in_ops: 103, out_ops: 6 });
        assert_eq!(s.net, Io { in_bytes: 1500, out_bytes: 900, in_ops: 10, out_ops: 7 });
    }

    #[test]
    fn a_stopped_domain_and_a_bad_uuid() {
        let raw = RawStats {
            uuid: "5f0c2d1e-8a5b-4c1e-9b0a-1d2e3f405162".into(),
            values: vec![("state.state".into(), 5.0)],
        };
        let s = parse(&raw).unwrap();
        assert!(!s.running && s.cpu_seconds == 0.0 && s.disk == Io::default());
        assert!(parse(&RawStats { uuid: "nope".into(), values: Vec::new() }).is_none());
    }
}
