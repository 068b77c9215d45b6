//! The host in the OpenMetrics text format (`GET /metrics`), written by prometheus-client from
//! one snapshot per scrape: servers sold and running, free storage in the data and backup
//! directories, free addresses per pool, and per server (labels: id, hostname, owner) its CPU
//! seconds, memory, and disk and network totals from libvirt's bulk statistics. Scrapers that
//! do not ask for OpenMetrics get Prometheus's older text format ([`to_prometheus_text`]).

use std::collections::HashMap;

use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Registry;

use crate::hv::stats::{DomainStats, Io};
use crate::store::StoreError;
use crate::store::backups::BackupState;
use crate::store::records::VmPhase;
use crate::store::tables::VM_BY_UUID;

/// Why a scrape failed.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    /// Reading the servers failed.
    #[error(transparent)]
    Vm(#[from] super::VmError),
    /// Reading the pools failed.
    #[error(transparent)]
    Ipam(#[from] super::ipam::IpamError),
    /// Reading the state failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Reading availability failed.
    #[error(transparent)]
    Sla(#[from] super::sla::SlaError),
    /// Reading the support queue failed.
    #[error(transparent)]
    Support(#[from] super::support::SupportError),
    /// Reading the backups failed.
    #[error(transparent)]
    Backup(#[from] super::backups::BackupError),
    /// The text could not be written.
    #[error("Cannot write the metrics: {0}")]
    Encode(String),
}

impl crate::error::Coded for MetricsError {
    fn code(&self) -> &'static str {
        match self {
            MetricsError::Vm(e) => e.code(),
            MetricsError::Ipam(e) => e.code(),
            MetricsError::Store(e) => e.code(),
            MetricsError::Sla(e) => e.code(),
            MetricsError::Support(e) => e.code(),
            MetricsError::Backup(e) => e.code(),
            MetricsError::Encode(_) => "MET0001",
        }
    }

    fn kind(&self) -> crate::error::ErrorKind {
        match self {
            MetricsError::Vm(e) => e.kind(),
            MetricsError::Ipam(e) => e.kind(),
            MetricsError::Store(e) => e.kind(),
            MetricsError::Sla(e) => e.kind(),
            MetricsError::Support(e) => e.kind(),
            MetricsError::Backup(e) => e.kind(),
            MetricsError::Encode(_) => crate::error::ErrorKind::Internal,
        }
    }
}

store_error_conversions!(MetricsError);

/// One server as a scrape sees it.
#[derive(Debug, Clone)]
struct Server {
    labels: [(&'static str, String); 3],
    vcpus: u32,
    memory_bytes: u64,
    running: bool,
    stats: Option<DomainStats>,
    /// This month's availability, parts per million (none for a server whose create failed).
    availability_ppm: Option<i64>,
}

/// What one scrape reports.
#[derive(Debug, Default)]
struct Snapshot {
    servers: Vec<Server>,
    free_bytes: Vec<(String, u64)>,
    free_addresses: Vec<(String, u64)>,
    /// Plain gauges: (name, help, value).
    counts: Vec<(&'static str, &'static str, i64)>,
    /// Each job's last success, seconds since the epoch.
    jobs: Vec<(&'static str, i64)>,
}

type Family<'a> = (&'a str, &'a str, fn(&Server) -> Option<f64>);

fn io(s: &Server, f: fn(&Io) -> u64, net: bool) -> Option<f64> {
    s.stats.as_ref().map(|d| f(if net { &d.net } else { &d.disk }) as f64)
}

const COUNTERS: &[Family<'static>] = &[
    ("vpsbox_vm_cpu_seconds", "CPU time the server's guest used since it started", |s| {
        s.stats.as_ref().map(|d| d.cpu_seconds)
    }),
    ("vpsbox_vm_disk_read_bytes", "Bytes read from the server's disks", |s| io(s, |i| i.in_bytes, false)),
    ("vpsbox_vm_disk_write_bytes", "Bytes written to the server's disks", |s| io(s, |i| i.out_bytes, false)),
    ("vpsbox_vm_disk_read_operations", "Read requests to the server's disks", |s| io(s, |i| i.in_ops, false)),
    ("vpsbox_vm_disk_write_operations", "Write requests to the server's disks", |s| {
        io(s, |i| i.out_ops, false)
    }),
    ("vpsbox_vm_network_receive_bytes", "Bytes the server received", |s| io(s, |i| i.in_bytes, true)),
    ("vpsbox_vm_network_transmit_bytes", "Bytes the server sent", |s| io(s, |i| i.out_bytes, true)),
    ("vpsbox_vm_network_receive_packets", "Packets the server received", |s| io(s, |i| i.in_ops, true)),
    ("vpsbox_vm_network_transmit_packets", "Packets the server sent", |s| io(s, |i| i.out_ops, true)),
];

const GAUGES: &[Family<'static>] = &[
    ("vpsbox_vm_running", "1 while the server runs", |s| Some(if s.running { 1.0 } else { 0.0 })),
    ("vpsbox_vm_vcpus", "Virtual CPUs of the server's plan", |s| Some(f64::from(s.vcpus))),
    ("vpsbox_vm_memory_bytes", "Memory the server's guest has now (else its plan's)", |s| {
        let now = s.stats.as_ref().map_or(0, |d| d.memory_bytes);
        Some(if now > 0 { now } else { s.memory_bytes } as f64)
    }),
    ("vpsbox_vm_availability_ratio", "The server's availability this month, as the SLA counts it", |s| {
        s.availability_ppm.map(|p| p as f64 / 1e6)
    }),
];

impl prometheus_client::collector::Collector for Snapshot {
    fn encode(&self, mut e: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let running = self.servers.iter().filter(|s| s.running).count();
        for (name, help, v) in [
            ("vpsbox_servers", "Servers this installation keeps", self.servers.len()),
            ("vpsbox_servers_running", "Servers running now", running),
        ] {
            let g = ConstGauge::new(i64::try_from(v).unwrap_or(i64::MAX));
            g.encode(e.encode_descriptor(name, help, None, g.metric_type())?)?;
        }
        for (name, help, v) in &self.counts {
            let g = ConstGauge::new(*v);
            g.encode(e.encode_descriptor(name, help, None, g.metric_type())?)?;
        }
        let mut fam = e.encode_descriptor(
            "vpsbox_job_last_success_timestamp_seconds",
            "When each background job last finished a round without an error",
            None,
            MetricType::Gauge,
        )?;
        for (job, at) in &self.jobs {
            ConstGauge::new(*at).encode(fam.encode_family(&[("job", *job)])?)?;
        }
        let sold = |f: fn(&Server) -> u64| self.servers.iter().map(f).sum::<u64>();
        for (name, help, v) in [
            ("vpsbox_sold_vcpus", "Virtual CPUs of every server's plan", sold(|s| u64::from(s.vcpus))),
            ("vpsbox_sold_memory_bytes", "Memory of every server's plan", sold(|s| s.memory_bytes)),
        ] {
            let g = ConstGauge::new(i64::try_from(v).unwrap_or(i64::MAX));
            g.encode(e.encode_descriptor(name, help, None, g.metric_type())?)?;
        }
        let mut fam = e.encode_descriptor(
            "vpsbox_storage_free_bytes",
            "Free space of the data and backup directories",
            None,
            MetricType::Gauge,
        )?;
        for (dir, free) in &self.free_bytes {
            let g = ConstGauge::new(i64::try_from(*free).unwrap_or(i64::MAX));
            g.encode(fam.encode_family(&[("dir", dir.as_str())])?)?;
        }
        let mut fam = e.encode_descriptor(
            "vpsbox_pool_free_addresses",
            "Free addresses per IP pool",
            None,
            MetricType::Gauge,
        )?;
        for (pool, free) in &self.free_addresses {
            let g = ConstGauge::new(i64::try_from(*free).unwrap_or(i64::MAX));
            g.encode(fam.encode_family(&[("pool", pool.as_str())])?)?;
        }
        for (name, help, value) in GAUGES {
            let mut fam = e.encode_descriptor(name, help, None, MetricType::Gauge)?;
            for s in &self.servers {
                if let Some(v) = value(s) {
                    ConstGauge::new(v).encode(fam.encode_family(&s.labels)?)?;
                }
            }
        }
        for (name, help, value) in COUNTERS {
            let mut fam = e.encode_descriptor(name, help, None, MetricType::Counter)?;
            for s in &self.servers {
                if let Some(v) = value(s) {
                    ConstCounter::new(v).encode(fam.encode_family(&s.labels)?)?;
                }
            }
        }
        Ok(())
    }
}

/// Prometheus's text format (0.0.4, for scrapers and tools that do not ask for OpenMetrics,
/// such as `promtool check metrics`) from the OpenMetrics text prometheus-client writes: a
/// counter's family takes its `_total` name, and `# UNIT` and `# EOF` lines go.
pub fn to_prometheus_text(openmetrics: &str) -> String {
    let counters: std::collections::HashSet<&str> =
        openmetrics.lines().filter_map(|l| l.strip_prefix("# TYPE ")?.strip_suffix(" counter")).collect();
    let mut out = String::with_capacity(openmetrics.len() + 64 * counters.len());
    for line in openmetrics.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        let meta = line
            .strip_prefix("# HELP ")
            .map(|r| ("# HELP ", r))
            .or_else(|| line.strip_prefix("# TYPE ").map(|r| ("# TYPE ", r)));
        match meta {
            Some((kind, rest)) => {
                let (name, tail) = rest.split_once(' ').unwrap_or((rest, ""));
                let suffix = if counters.contains(name) { "_total" } else { "" };
                out.push_str(&format!("{kind}{name}{suffix} {tail}"));
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// The OpenMetrics text of the host now, given libvirt's statistics of every domain (`stats`
/// from [`crate::hv::Hypervisor::domain_stats`]; empty while libvirt is unreachable).
pub fn scrape(svc: &super::Services, stats: Vec<DomainStats>) -> Result<String, MetricsError> {
    let store = svc.accounts.store();
    let by_vm: HashMap<u64, DomainStats> = {
        let tx = store.read()?;
        let ids = tx.open_table(VM_BY_UUID)?;
        let mut m = HashMap::with_capacity(stats.len());
        for s in stats {
            if let Some(id) = ids.get(s.uuid.to_string().as_str())? {
                m.insert(id.value(), s);
            }
        }
        m
    };
    let mut snap = Snapshot::default();
    let records = svc.vms.records()?;
    let availability = {
        let tx = store.read()?;
        let counted: Vec<_> =
            records.iter().filter(|v| !matches!(v.phase, VmPhase::Failed { .. })).cloned().collect();
        let month = svc.sla.month_at(svc.vms.now());
        let list = svc.sla.availability_in(&tx, &counted, month)?;
        counted.iter().map(|v| v.id.0).zip(list.into_iter().map(|a| a.ppm)).collect::<HashMap<u64, i64>>()
    };
    for vm in records {
        let stats = by_vm.get(&vm.id.0).cloned();
        snap.servers.push(Server {
            labels: [
                ("vm", vm.id.0.to_string()),
                ("hostname", vm.hostname),
                ("owner", vm.owner.0.to_string()),
            ],
            vcpus: vm.spec.vcpus,
            memory_bytes: vm.spec.memory_mib.saturating_mul(1024 * 1024),
            running: stats.as_ref().is_some_and(|s| s.running),
            stats,
            availability_ppm: availability.get(&vm.id.0).copied(),
        });
    }
    let now = svc.vms.now();
    let queue = svc.support.queue()?;
    let open = queue.iter().filter(|q| matches!(q.status, "open" | "answered")).count();
    let awaiting = queue.iter().filter(|q| q.due.is_some()).count();
    let overdue = queue.iter().filter(|q| q.due.is_some_and(|d| d < now)).count();
    let backups = svc.backups.list_all()?;
    let running = backups.iter().filter(|b| matches!(b.state, BackupState::Running { .. })).count();
    let failed = backups.iter().filter(|b| matches!(b.state, BackupState::Failed { .. })).count();
    let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    snap.counts = vec![
        ("vpsbox_support_requests_open", "Support and quota requests not yet resolved or closed", n(open)),
        ("vpsbox_support_requests_awaiting", "Requests awaiting the provider's answer", n(awaiting)),
        ("vpsbox_support_requests_overdue", "Requests whose answer is past its response target", n(overdue)),
        ("vpsbox_backups_running", "Backups being made now", n(running)),
        ("vpsbox_backups_failed", "Failed backups on record", n(failed)),
    ];
    snap.jobs = svc.beats.last().into_iter().map(|(j, at)| (j, at.as_secs())).collect();
    for (i, dir) in svc.vms.space.dirs.iter().enumerate() {
        let name = if i == 0 { "data" } else { "backup" };
        snap.free_bytes.push((name.to_string(), super::storage::free_bytes(dir).unwrap_or(0)));
    }
    for p in svc.ipam.list()? {
        let free = p.size.saturating_sub(u128::from(p.leased + p.cooling));
        snap.free_addresses.push((p.pool.name, u64::try_from(free).unwrap_or(u64::MAX)));
    }
    let mut registry = Registry::default();
    registry.register_collector(Box::new(snap));
    svc.http.register(&mut registry);
    let mut out = String::new();
    prometheus_client::encoding::text::encode(&mut out, &registry)
        .map_err(|e| MetricsError::Encode(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_take_their_total_name_in_the_older_format() {
        let om = "# HELP a_seconds CPU.\n# TYPE a_seconds counter\n# UNIT a_seconds seconds\na_seconds_total{vm=\"1\"} 2.5\n# HELP b Up.\n# TYPE b gauge\nb 1\n# EOF\n";
        assert_eq!(
            to_prometheus_text(om),
            "# HELP a_seconds_total CPU.\n# TYPE a_seconds_total counter\na_seconds_total{vm=\"1\"} 2.5\n# HELP b Up.\n# TYPE b gauge\nb 1\n"
        );
    }
}
