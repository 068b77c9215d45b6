//! The libvirt implementation of [`Hypervisor`], over the safe `virt` API.

use uuid::Uuid;
use virt::connect::Connect;
use virt::domain::{Domain, DomainState};
use virt::enumutil::Enum;
use virt::error::ErrorNumber;

use std::sync::Arc;

use virt::stream::Stream;

use super::{
    ByteStream, Device, DomainInfo, FilterInfo, HvError, HvInfo, Hypervisor, NetworkInfo, dotted_version, xml,
};
use crate::domain::privnet::NetworkSpec;
use crate::domain::vm::{DomainKind, FilterSpec, PowerState, StopReason, VmSpec};

/// libvirt's built-in test driver: a fake host with one running domain, for the demo and
/// fast tests.
pub const TEST_URI: &str = "test:///default";

/// A connection to libvirtd (or the test driver).
pub struct Libvirt {
    conn: Connect,
    uri: String,
    agents: std::sync::Arc<super::agents::AgentStates>,
}

impl Libvirt {
    /// Connect to `uri`.
    pub fn connect(uri: &str) -> Result<Libvirt, HvError> {
        // libvirt prints every error to stderr by default; ours go through tracing instead.
        static QUIET: std::sync::Once = std::sync::Once::new();
        QUIET.call_once(virt::error::clear_error_callback);
        super::ffi::ensure_event_loop()?;
        let conn = Connect::open(Some(uri))
            .map_err(|e| HvError::Connect { uri: uri.to_string(), message: e.to_string() })?;
        // Remote connections: a keepalive every 5 s, given up after 3 missed answers.
        if !uri.starts_with("test:")
            && let Err(e) = conn.set_keep_alive(5, 3)
        {
            tracing::debug!("keepalive not available on {uri}: {e}");
        }
        Ok(Libvirt { conn, uri: uri.to_string(), agents: Default::default() })
    }

    /// Call `f` when libvirt closes this connection unexpectedly.
    pub fn on_close(
        &self,
        f: impl Fn(super::ffi::CloseReason) + Send + Sync + 'static,
    ) -> Result<(), HvError> {
        super::ffi::on_close(&self.conn, f)
    }

    /// Call `f` with a domain's UUID whenever one changes state.
    /// (What is known about the domain's guest agent is forgotten first.)
    pub fn on_domain_event(&self, f: impl Fn(Uuid) + Send + Sync + 'static) -> Result<(), HvError> {
        let agents = self.agents.clone();
        super::ffi::on_domain_lifecycle(&self.conn, move |uuid| {
            agents.domain_event(&uuid);
            f(uuid)
        })?;
        self.agents.lifecycle_events_follow();
        Ok(())
    }

    /// Keep the guest agents' states from libvirt's events: agent lifecycle events set a
    /// domain's, its lifecycle events (those of [`Libvirt::on_domain_event`], which must be
    /// followed too) forget it. Without both, nothing is kept and
    /// [`Hypervisor::agent_connected`] always asks.
    pub fn follow_agents(&self) -> Result<(), HvError> {
        let agents = self.agents.clone();
        super::ffi::on_agent_lifecycle(&self.conn, move |uuid, connected| {
            agents.agent_event(uuid, connected)
        })?;
        self.agents.agent_events_follow();
        Ok(())
    }

    /// Call `f` with a domain's UUID whenever one reboots.
    pub fn on_domain_reboot(&self, f: impl Fn(Uuid) + Send + Sync + 'static) -> Result<(), HvError> {
        super::ffi::on_domain_reboot(&self.conn, f)
    }

    /// Whether the connection still works.
    pub fn alive(&self) -> bool {
        self.conn.is_alive().unwrap_or(false) && self.conn.lib_version().is_ok()
    }

    /// The URI this connection was opened with.
    pub fn uri(&self) -> &str {
        &self.uri
    }
}

fn call<T>(r: Result<T, virt::error::Error>) -> Result<T, HvError> {
    r.map_err(|e| HvError::Call(e.to_string()))
}

/// Map a libvirt error on a domain call to ours.
fn dom_err(uuid: &Uuid, e: virt::error::Error) -> HvError {
    match e.code() {
        Enum::Known(ErrorNumber::NoDomain) => HvError::NoDomain(uuid.to_string()),
        Enum::Known(ErrorNumber::OperationInvalid) => HvError::InvalidState(e.message().to_string()),
        _ => HvError::Call(e.to_string()),
    }
}

fn power_state(s: virt::domain::DomainStateEnum) -> PowerState {
    match s {
        Enum::Known(DomainState::Running | DomainState::Blocked) => PowerState::Running,
        Enum::Known(DomainState::Paused) => PowerState::Paused,
        Enum::Known(DomainState::Shutdown) => PowerState::ShuttingDown,
        Enum::Known(DomainState::Shutoff) => PowerState::Shutoff,
        Enum::Known(DomainState::Crashed) => PowerState::Crashed,
        Enum::Known(DomainState::PMSuspended) => PowerState::Suspended,
        _ => PowerState::Unknown,
    }
}

/// Why a domain stopped, from libvirt's state reason: a guest shutdown or a guest kernel panic
/// is the customer's; a crash or failure of QEMU, or a daemon losing it, is the platform's.
fn stop_reason_of(reason: virt::domain::DomainStateReasonEnum) -> StopReason {
    use virt::domain::{DomainCrashedReason, DomainShutoffReason, DomainStateReason};
    match reason {
        Enum::Known(DomainStateReason::Shutoff(Enum::Known(r))) => match r {
            DomainShutoffReason::Shutdown => StopReason::Guest,
            DomainShutoffReason::Destroyed => StopReason::Destroyed,
            DomainShutoffReason::Crashed | DomainShutoffReason::Failed | DomainShutoffReason::Daemon => {
                StopReason::Platform
            }
            _ => StopReason::Other,
        },
        Enum::Known(DomainStateReason::Crashed(Enum::Known(DomainCrashedReason::Panicked))) => {
            StopReason::Guest
        }
        Enum::Known(DomainStateReason::Crashed(_)) => StopReason::Platform,
        _ => StopReason::Other,
    }
}

fn device_xml(kind: DomainKind, device: &Device) -> String {
    match device {
        Device::Nic(n) => xml::interface_xml(kind, n, ""),
        Device::Disk(d) => xml::disk_xml(d, ""),
    }
}

impl Libvirt {
    fn domain(&self, uuid: &Uuid) -> Result<Domain, HvError> {
        self.conn.lookup_domain_by_uuid_string(&uuid.to_string()).map_err(|e| dom_err(uuid, e))
    }
}

impl Hypervisor for Libvirt {
    fn describe(&self) -> Result<HvInfo, HvError> {
        Ok(HvInfo {
            uri: call(self.conn.uri())?,
            driver: call(self.conn.driver_type())?,
            hostname: call(self.conn.hostname())?,
            libvirt_version: dotted_version(call(self.conn.lib_version())?),
            hypervisor_version: dotted_version(call(self.conn.hyp_version())?),
        })
    }

    fn domain_kinds(&self) -> Result<Vec<DomainKind>, HvError> {
        let caps = call(self.conn.capabilities())?;
        let mut kinds = Vec::new();
        for (needle, kind) in [
            ("type='kvm'", DomainKind::Kvm),
            ("type='qemu'", DomainKind::Qemu),
            ("type='test'", DomainKind::Test),
        ] {
            if caps.contains(needle) {
                kinds.push(kind);
            }
        }
        Ok(kinds)
    }

    fn define_filter(&self, filter: &FilterSpec) -> Result<(), HvError> {
        super::ffi::nwfilter_define(&self.conn, &xml::filter_xml(filter))
    }

    fn undefine_filter(&self, uuid: &Uuid) -> Result<(), HvError> {
        super::ffi::nwfilter_undefine(&self.conn, &FilterSpec::name_of(uuid)).map(|_| ())
    }

    fn filter_xml(&self, uuid: &Uuid) -> Result<Option<String>, HvError> {
        super::ffi::nwfilter_xml(&self.conn, &FilterSpec::name_of(uuid))
    }

    fn list_filters(&self) -> Result<Vec<FilterInfo>, HvError> {
        let prefix = FilterSpec::name_of(&Uuid::nil());
        let prefix = prefix.trim_end_matches(&Uuid::nil().to_string());
        let mut out = Vec::new();
        for f in call(self.conn.list_all_nw_filters(0))? {
            let info = || -> Result<Option<FilterInfo>, virt::error::Error> {
                let name = f.name()?;
                let Some(uuid) = name.strip_prefix(prefix).and_then(|u| Uuid::parse_str(u).ok()) else {
                    return Ok(None);
                };
                Ok(Some(FilterInfo { uuid, owner: xml::filter_owner(&f.xml_desc(0)?) }))
            };
            match info() {
                Ok(Some(i)) => out.push(i),
                Ok(None) => {}
                Err(e) if e.code() == Enum::Known(ErrorNumber::NoNwfilter) => {}
                Err(e) => return Err(HvError::Call(e.to_string())),
            }
        }
        Ok(out)
    }

    fn domain_xml(&self, uuid: &Uuid, inactive: bool) -> Result<Option<String>, HvError> {
        let d = match self.domain(uuid) {
            Ok(d) => d,
            Err(HvError::NoDomain(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let flags = if inactive { virt::sys::VIR_DOMAIN_XML_INACTIVE } else { 0 };
        d.xml_desc(flags).map(Some).map_err(|e| dom_err(uuid, e))
    }

    fn agent_connected(&self, uuid: &Uuid) -> Result<Option<bool>, HvError> {
        self.agents.known_or_ask(*uuid, || super::ask_agent(self, uuid))
    }

    fn agent_known(&self, uuid: &Uuid) -> Option<Option<bool>> {
        self.agents.known(uuid)
    }

    fn set_cpu_limits_live(&self, uuid: &Uuid, limits: &crate::domain::vm::CpuLimits) -> Result<(), HvError> {
        let info = virt::domain::SchedulerInfo {
            // libvirt's default weight when no share is set; a negative quota is no cap.
            cpu_shares: Some(u64::from(limits.shares.unwrap_or(1024))),
            vcpu_bw: virt::domain::SchedBandwidth {
                period: Some(crate::domain::vm::CpuLimits::PERIOD_US),
                quota: Some(limits.quota_us().map_or(-1, |q| q as i64)),
            },
            ..Default::default()
        };
        self.domain(uuid)?
            .set_scheduler_parameters_flags(&info, virt::sys::VIR_DOMAIN_AFFECT_LIVE)
            .map_err(|e| dom_err(uuid, e))
    }

    fn domain_stats(&self) -> Result<Vec<super::stats::DomainStats>, HvError> {
        Ok(super::ffi::stats::all_domain_stats(&self.conn)?.iter().filter_map(super::stats::parse).collect())
    }

    fn nic_counters(&self, uuid: &Uuid, mac: &str) -> Result<Option<super::NicCounters>, HvError> {
        let dom = self.domain(uuid)?;
        let Some(run) = dom.id() else { return Ok(None) };
        let s = dom.interface_stats(mac).map_err(|e| dom_err(uuid, e))?;
        Ok(Some(super::NicCounters {
            run,
            rx: u64::try_from(s.rx_bytes).unwrap_or(0),
            tx: u64::try_from(s.tx_bytes).unwrap_or(0),
        }))
    }

    fn ensure_network(&self, net: &NetworkSpec) -> Result<(), HvError> {
        let n = match self.conn.lookup_network_by_name(&net.name) {
            Ok(n) => n,
            Err(e) if e.code() == Enum::Known(ErrorNumber::NoNetwork) => {
                call(self.conn.define_network_xml(&xml::network_xml(net)))?
            }
            Err(e) => return Err(HvError::Call(e.to_string())),
        };
        if !call(n.autostart())? {
            call(n.set_autostart(true))?;
        }
        if !call(n.is_active())? {
            call(n.create())?;
        }
        Ok(())
    }

    fn define_network(&self, net: &NetworkSpec) -> Result<(), HvError> {
        call(self.conn.define_network_xml(&xml::network_xml(net))).map(|_| ())
    }

    fn network_xml(&self, name: &str) -> Result<Option<(String, bool)>, HvError> {
        match self.conn.lookup_network_by_name(name) {
            Ok(n) => Ok(Some((call(n.xml_desc(0))?, call(n.is_active())?))),
            Err(e) if e.code() == Enum::Known(ErrorNumber::NoNetwork) => Ok(None),
            Err(e) => Err(HvError::Call(e.to_string())),
        }
    }

    fn remove_network(&self, name: &str) -> Result<(), HvError> {
        let n = match self.conn.lookup_network_by_name(name) {
            Ok(n) => n,
            Err(e) if e.code() == Enum::Known(ErrorNumber::NoNetwork) => return Ok(()),
            Err(e) => return Err(HvError::Call(e.to_string())),
        };
        if call(n.is_active())? {
            call(n.destroy())?;
        }
        call(n.undefine())
    }

    fn list_networks(&self, prefix: &str) -> Result<Vec<NetworkInfo>, HvError> {
        let mut out = Vec::new();
        for n in call(self.conn.list_all_networks(0))? {
            let name = call(n.name())?;
            if name.starts_with(prefix) {
                let uuid =
                    Uuid::parse_str(&call(n.uuid_string())?).map_err(|e| HvError::Call(e.to_string()))?;
                // The persistent definition (the test driver only has the live one).
                let def = match n.xml_desc(virt::sys::VIR_NETWORK_XML_INACTIVE) {
                    Err(e) if e.code() == Enum::Known(ErrorNumber::InvalidArg) => call(n.xml_desc(0))?,
                    other => call(other)?,
                };
                let owner = xml::network_owner(&def);
                out.push(NetworkInfo { name, uuid, active: call(n.is_active())?, owner });
            }
        }
        Ok(out)
    }

    fn attach_live(&self, uuid: &Uuid, kind: DomainKind, device: &Device) -> Result<(), HvError> {
        let d = self.domain(uuid)?;
        d.attach_device_flags(&device_xml(kind, device), virt::sys::VIR_DOMAIN_AFFECT_LIVE)
            .map_err(|e| dom_err(uuid, e))
    }

    fn update_live(&self, uuid: &Uuid, kind: DomainKind, device: &Device) -> Result<(), HvError> {
        let d = self.domain(uuid)?;
        d.update_device_flags(&device_xml(kind, device), virt::sys::VIR_DOMAIN_AFFECT_LIVE)
            .map_err(|e| dom_err(uuid, e))
    }

    fn detach_live(&self, uuid: &Uuid, kind: DomainKind, device: &Device) -> Result<(), HvError> {
        let d = self.domain(uuid)?;
        d.detach_device_flags(&device_xml(kind, device), virt::sys::VIR_DOMAIN_AFFECT_LIVE)
            .map_err(|e| dom_err(uuid, e))
    }

    fn resize_disk_live(&self, uuid: &Uuid, target: &str, bytes: u64) -> Result<(), HvError> {
        let d = self.domain(uuid)?;
        d.block_resize(target, bytes, virt::sys::VIR_DOMAIN_BLOCK_RESIZE_BYTES).map_err(|e| dom_err(uuid, e))
    }

    fn open_vnc(&self, uuid: &Uuid) -> Result<std::os::unix::net::UnixStream, HvError> {
        super::ffi::open_graphics(&self.domain(uuid)?)
    }

    fn open_serial(&self, uuid: &Uuid, force: bool) -> Result<Arc<dyn ByteStream>, HvError> {
        let dom = self.domain(uuid)?;
        let stream = call(Stream::new(&self.conn, virt::sys::VIR_STREAM_NONBLOCK))?;
        let flags =
            if force { virt::sys::VIR_DOMAIN_CONSOLE_FORCE } else { 0 } | virt::sys::VIR_DOMAIN_CONSOLE_SAFE;
        dom.open_console(None, &stream, flags).map_err(|e| dom_err(uuid, e))?;
        Ok(Arc::new(super::ffi::stream::ConsoleStream::watch(stream)?))
    }

    fn screenshot(&self, uuid: &Uuid) -> Result<(String, Vec<u8>), HvError> {
        let dom = self.domain(uuid)?;
        let stream = call(Stream::new(&self.conn, 0))?;
        let mime = dom.screenshot(&stream, 0, 0).map_err(|e| dom_err(uuid, e))?;
        let mut out = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = call(stream.recv(&mut buf))?;
            if n <= 0 {
                break;
            }
            out.extend_from_slice(buf.get(..n.unsigned_abs()).unwrap_or_default());
            if out.len() > 64 << 20 {
                let _ = stream.abort();
                return Err(HvError::Call("screenshot larger than 64 MiB".into()));
            }
        }
        let _ = stream.finish();
        Ok((mime, out))
    }

    fn backup_begin(&self, uuid: &Uuid, job: &super::BackupJob) -> Result<(), HvError> {
        let dom = self.domain(uuid)?;
        // Drop the statistics of an earlier finished job, so that `backup_state` reports this one.
        let _ = super::ffi::job_stats(&dom, true);
        let checkpoint = job.checkpoint.as_deref().map(|name| xml::checkpoint_xml(job, name));
        super::ffi::backup_begin(&dom, &xml::backup_xml(job), checkpoint.as_deref(), job.reuse_files)
    }

    fn backup_state(&self, uuid: &Uuid) -> Result<super::JobState, HvError> {
        use super::JobState;
        use virt::sys::{
            VIR_DOMAIN_JOB_BOUNDED, VIR_DOMAIN_JOB_CANCELLED, VIR_DOMAIN_JOB_COMPLETED,
            VIR_DOMAIN_JOB_FAILED, VIR_DOMAIN_JOB_UNBOUNDED,
        };
        let dom = self.domain(uuid)?;
        let now = super::ffi::job_stats(&dom, false)?;
        if now.kind == VIR_DOMAIN_JOB_BOUNDED || now.kind == VIR_DOMAIN_JOB_UNBOUNDED {
            return Ok(JobState::Running { processed: now.processed, total: now.total });
        }
        let done = super::ffi::job_stats(&dom, true)?;
        Ok(match done.kind {
            VIR_DOMAIN_JOB_COMPLETED => JobState::Completed,
            VIR_DOMAIN_JOB_FAILED | VIR_DOMAIN_JOB_CANCELLED => {
                JobState::Failed(done.error.unwrap_or_else(|| "the backup job failed".into()))
            }
            _ => JobState::Idle,
        })
    }

    fn backup_abort(&self, uuid: &Uuid) -> Result<(), HvError> {
        super::ffi::abort_job(&self.domain(uuid)?)
    }

    fn checkpoints(&self, uuid: &Uuid) -> Result<Vec<String>, HvError> {
        super::ffi::checkpoint_names(&self.domain(uuid)?)
    }

    fn delete_checkpoint(&self, uuid: &Uuid, name: &str, metadata_only: bool) -> Result<(), HvError> {
        super::ffi::checkpoint_delete(&self.domain(uuid)?, name, metadata_only)
    }

    fn snapshot_create(&self, uuid: &Uuid, name: &str, description: &str) -> Result<(), HvError> {
        super::snapshots::create(&self.domain(uuid)?, name, description)
    }

    fn snapshots(&self, uuid: &Uuid) -> Result<Vec<String>, HvError> {
        super::snapshots::names(&self.domain(uuid)?)
    }

    fn snapshot_revert(&self, uuid: &Uuid, name: &str) -> Result<(), HvError> {
        super::snapshots::revert(&self.domain(uuid)?, name)
    }

    fn snapshot_delete(&self, uuid: &Uuid, name: &str) -> Result<(), HvError> {
        super::snapshots::delete(&self.domain(uuid)?, name)
    }

    fn define(&self, spec: &VmSpec) -> Result<(), HvError> {
        call(self.conn.define_domain_xml(&xml::domain_xml(spec))).map(|_| ())
    }

    fn start(&self, uuid: &Uuid) -> Result<(), HvError> {
        self.domain(uuid)?.create().map_err(|e| dom_err(uuid, e))
    }

    fn shutdown(&self, uuid: &Uuid) -> Result<(), HvError> {
        self.domain(uuid)?.shutdown().map_err(|e| dom_err(uuid, e))
    }

    fn destroy(&self, uuid: &Uuid) -> Result<(), HvError> {
        self.domain(uuid)?.destroy().map_err(|e| dom_err(uuid, e))
    }

    fn reset(&self, uuid: &Uuid) -> Result<(), HvError> {
        self.domain(uuid)?.reset().map_err(|e| dom_err(uuid, e))
    }

    fn set_user_password(&self, uuid: &Uuid, user: &str, password: &str) -> Result<(), HvError> {
        self.domain(uuid)?.set_user_password(user, password, 0).map_err(|e| match e.code() {
            Enum::Known(
                ErrorNumber::AgentUnresponsive
                | ErrorNumber::ArgumentUnsupported
                | ErrorNumber::NoSupport
                | ErrorNumber::OperationUnsupported,
            ) => HvError::NoAgent(e.message().to_string()),
            _ => dom_err(uuid, e),
        })
    }

    fn reboot(&self, uuid: &Uuid) -> Result<(), HvError> {
        self.domain(uuid)?.reboot(0).map_err(|e| dom_err(uuid, e))
    }

    fn undefine(&self, uuid: &Uuid) -> Result<(), HvError> {
        let flags = virt::sys::VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
            | virt::sys::VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
            | virt::sys::VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA
            | virt::sys::VIR_DOMAIN_UNDEFINE_NVRAM;
        let d = self.domain(uuid)?;
        match d.undefine_flags(flags) {
            // Drivers without NVRAM or checkpoints (the test driver) refuse those flags.
            Err(e) if e.code() == Enum::Known(ErrorNumber::InvalidArg) => d
                .undefine_flags(virt::sys::VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)
                .map_err(|e| dom_err(uuid, e)),
            other => other.map_err(|e| dom_err(uuid, e)),
        }
    }

    fn state(&self, uuid: &Uuid) -> Result<Option<PowerState>, HvError> {
        match self.domain(uuid) {
            Ok(d) => Ok(Some(power_state(d.state().map_err(|e| dom_err(uuid, e))?.0))),
            Err(HvError::NoDomain(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn stop_reason(&self, uuid: &Uuid) -> Result<Option<StopReason>, HvError> {
        match self.domain(uuid) {
            Ok(d) => Ok(Some(stop_reason_of(d.state().map_err(|e| dom_err(uuid, e))?.1))),
            Err(HvError::NoDomain(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn list(&self, prefix: &str) -> Result<Vec<DomainInfo>, HvError> {
        let mut out = Vec::new();
        for d in call(self.conn.list_all_domains(0))? {
            let info = || -> Result<Option<DomainInfo>, virt::error::Error> {
                let name = d.name()?;
                if !name.starts_with(prefix) {
                    return Ok(None);
                }
                let uuid = Uuid::parse_str(&d.uuid_string()?).unwrap_or_default();
                let state = power_state(d.state()?.0);
                // The persistent definition: metadata defined while the domain runs is not in
                // the live one until its next start.
                let def = d.xml_desc(virt::sys::VIR_DOMAIN_XML_INACTIVE)?;
                let (owner, disks) = (xml::domain_owner(&def), xml::disk_files(&def));
                Ok(Some(DomainInfo { name, uuid, state, owner, disks }))
            };
            match info() {
                Ok(Some(i)) => out.push(i),
                Ok(None) => {}
                // Gone between the listing and the look (another program's, being removed).
                Err(e) if e.code() == Enum::Known(ErrorNumber::NoDomain) => {}
                Err(e) => return Err(HvError::Call(e.to_string())),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
#[path = "libvirt_tests.rs"]
mod tests;
