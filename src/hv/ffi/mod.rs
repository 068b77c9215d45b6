//! libvirt calls that the safe `virt` API lacks, through `virt-sys`. The only module of the
//! crate allowed to use `unsafe`; each block says why it is sound, and each call has a safe
//! wrapper in front of it.
//!
//! - the libvirt event loop (registered once, run on a dedicated thread), which keepalives and
//!   callbacks need;
//! - the connection close callback, which tells the reconnect loop that libvirtd went away;
//! - domain lifecycle events, so power changes show up without waiting for a poll;
//! - network filters (define and look up by name), for each VM's anti-spoofing and firewall;
//! - the descriptor of a domain's graphical console, owned safely;
//! - the serial console as a non-blocking stream woken by libvirt's event loop ([`stream`]);
//! - backup jobs and checkpoints (live full and incremental backups);
//! - every domain's statistics in one call ([`stats`]).

#![allow(unsafe_code)]

use std::ffi::c_void;
use std::sync::OnceLock;

use virt::connect::Connect;
use virt_sys as sys;

use super::HvError;

pub mod stats;
pub mod stream;

/// Why libvirt closed a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// A socket or protocol error.
    Error,
    /// libvirtd closed the socket (stopped or restarted).
    Eof,
    /// libvirtd stopped answering keepalives.
    Keepalive,
    /// The client closed it.
    Client,
    /// A reason this build does not know.
    Other(i32),
}

impl CloseReason {
    fn from_raw(r: i32) -> CloseReason {
        match u32::try_from(r) {
            Ok(sys::VIR_CONNECT_CLOSE_REASON_ERROR) => CloseReason::Error,
            Ok(sys::VIR_CONNECT_CLOSE_REASON_EOF) => CloseReason::Eof,
            Ok(sys::VIR_CONNECT_CLOSE_REASON_KEEPALIVE) => CloseReason::Keepalive,
            Ok(sys::VIR_CONNECT_CLOSE_REASON_CLIENT) => CloseReason::Client,
            _ => CloseReason::Other(r),
        }
    }
}

static EVENT_LOOP: OnceLock<Result<(), String>> = OnceLock::new();

/// Register libvirt's default event loop and run it on a background thread, once per
/// process. Must happen before connections are opened for their callbacks and keepalives to
/// work.
pub fn ensure_event_loop() -> Result<(), HvError> {
    EVENT_LOOP
        .get_or_init(|| {
            virt::event::event_register_default_impl().map_err(|e| e.to_string())?;
            std::thread::Builder::new()
                .name("libvirt-events".into())
                .spawn(|| {
                    loop {
                        if let Err(e) = virt::event::event_run_default_impl() {
                            tracing::error!("libvirt event loop iteration failed: {e}");
                            std::thread::sleep(std::time::Duration::from_secs(1));
                        }
                    }
                })
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|e| HvError::Call(format!("cannot start the libvirt event loop: {e}")))
}

type CloseFn = Box<dyn Fn(CloseReason) + Send + Sync + 'static>;

unsafe extern "C" fn close_trampoline(_conn: sys::virConnectPtr, reason: i32, opaque: *mut c_void) {
    // SAFETY: `opaque` is the `Box<CloseFn>` leaked in `on_close`; libvirt keeps it alive until
    // it calls `free_trampoline`, which happens only after the last callback returned.
    let f = unsafe { &*(opaque as *const CloseFn) };
    f(CloseReason::from_raw(reason));
}

unsafe extern "C" fn free_trampoline(opaque: *mut c_void) {
    // SAFETY: libvirt calls this exactly once, when the callback is unregistered or the
    // connection is freed; `opaque` came from `Box::into_raw` in `on_close`.
    drop(unsafe { Box::from_raw(opaque as *mut CloseFn) });
}

/// Call `f` (on the event-loop thread) when libvirt closes `conn` unexpectedly. The callback
/// stays registered for the life of the connection.
pub fn on_close(conn: &Connect, f: impl Fn(CloseReason) + Send + Sync + 'static) -> Result<(), HvError> {
    let boxed: Box<CloseFn> = Box::new(Box::new(f));
    let opaque = Box::into_raw(boxed) as *mut c_void;
    // SAFETY: `conn.as_ptr()` is a live connection for the duration of the call; the function
    // pointers have the signatures libvirt expects; on success libvirt owns `opaque` and frees
    // it through `free_trampoline`.
    let rc = unsafe {
        sys::virConnectRegisterCloseCallback(
            conn.as_ptr(),
            Some(close_trampoline),
            opaque,
            Some(free_trampoline),
        )
    };
    if rc < 0 {
        // SAFETY: registration failed, so libvirt did not take ownership of `opaque`.
        drop(unsafe { Box::from_raw(opaque as *mut CloseFn) });
        return Err(HvError::Call(format!(
            "cannot watch the connection: {}",
            virt::error::Error::last_error()
        )));
    }
    Ok(())
}

/// A domain event's handler: the domain's UUID and the event's own value (a lifecycle event's
/// kind, an agent's new state; 0 for events without one).
type DomainEventFn = Box<dyn Fn(uuid::Uuid, i32) + Send + Sync + 'static>;

/// The UUID of the domain an event callback got, and call the `DomainEventFn` in `opaque` with
/// it and `value`.
///
/// # Safety
/// `dom` must be the domain of a running callback and `opaque` the `Box<DomainEventFn>` leaked
/// at its registration, not yet freed.
unsafe fn deliver(dom: sys::virDomainPtr, value: i32, opaque: *mut c_void) {
    let mut buf = [0 as std::ffi::c_char; sys::VIR_UUID_STRING_BUFLEN as usize];
    // SAFETY: `dom` is valid for the duration of the callback; `buf` has the
    // VIR_UUID_STRING_BUFLEN bytes libvirt writes (36 characters and a NUL).
    let rc = unsafe { sys::virDomainGetUUIDString(dom, buf.as_mut_ptr()) };
    if rc < 0 {
        return;
    }
    // SAFETY: on success libvirt wrote a NUL-terminated string into `buf`.
    let text = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) };
    let Ok(uuid) = text.to_str().map(uuid::Uuid::parse_str) else { return };
    let Ok(uuid) = uuid else { return };
    // SAFETY: the caller passes the `Box<DomainEventFn>` leaked at registration, alive until
    // libvirt calls `free_event_trampoline`.
    let f = unsafe { &*(opaque as *const DomainEventFn) };
    f(uuid, value);
}

unsafe extern "C" fn lifecycle_trampoline(
    _conn: sys::virConnectPtr,
    dom: sys::virDomainPtr,
    event: i32,
    _detail: i32,
    opaque: *mut c_void,
) {
    // SAFETY: libvirt passes the event's domain and the opaque pointer registered with this
    // callback in `on_domain_lifecycle`.
    unsafe { deliver(dom, event, opaque) }
}

unsafe extern "C" fn agent_trampoline(
    _conn: sys::virConnectPtr,
    dom: sys::virDomainPtr,
    state: i32,
    _reason: i32,
    opaque: *mut c_void,
) {
    // SAFETY: libvirt passes the event's domain and the opaque pointer registered with this
    // callback in `on_agent_lifecycle`.
    unsafe { deliver(dom, state, opaque) }
}

unsafe extern "C" fn reboot_trampoline(
    _conn: sys::virConnectPtr,
    dom: sys::virDomainPtr,
    opaque: *mut c_void,
) {
    // SAFETY: libvirt passes the event's domain and the opaque pointer registered with this
    // callback in `on_domain_reboot`.
    unsafe { deliver(dom, 0, opaque) }
}

/// The generic shape of a domain event callback, as registration takes it.
type GenericCallback = unsafe extern "C" fn(sys::virConnectPtr, sys::virDomainPtr, *mut c_void);

/// Register `callback` for event `id` of every domain of `conn`, with `f` as its opaque data
/// (freed by libvirt through `free_event_trampoline` when the registration ends). `what` names
/// the events in the error.
///
/// # Safety
/// `callback` must be a trampoline that libvirt calls with the signature of event `id` and that
/// reads its opaque pointer as a `DomainEventFn` (as `lifecycle_trampoline` and
/// `reboot_trampoline` do).
unsafe fn register(
    conn: &Connect,
    id: u32,
    callback: GenericCallback,
    f: impl Fn(uuid::Uuid, i32) + Send + Sync + 'static,
    what: &str,
) -> Result<(), HvError> {
    let boxed: Box<DomainEventFn> = Box::new(Box::new(f));
    let opaque = Box::into_raw(boxed) as *mut c_void;
    // SAFETY: `conn` is live; a null domain means "all domains"; the caller vouches for the
    // callback; on success libvirt owns `opaque` and frees it with `free_event_trampoline`.
    let rc = unsafe {
        sys::virConnectDomainEventRegisterAny(
            conn.as_ptr(),
            std::ptr::null_mut(),
            id as i32,
            Some(callback),
            opaque,
            Some(free_event_trampoline),
        )
    };
    if rc < 0 {
        // SAFETY: registration failed, so libvirt did not take `opaque`.
        drop(unsafe { Box::from_raw(opaque as *mut DomainEventFn) });
        return Err(HvError::Call(format!("cannot listen to {what}: {}", virt::error::Error::last_error())));
    }
    Ok(())
}

/// Call `f` with the domain's UUID (on the event-loop thread) whenever a domain of `conn`
/// reboots (the guest reset itself, or was asked to reboot). Lasts as long as the connection.
pub fn on_domain_reboot(
    conn: &Connect,
    f: impl Fn(uuid::Uuid) + Send + Sync + 'static,
) -> Result<(), HvError> {
    // SAFETY: the reboot event's callback has the generic (conn, dom, opaque) signature, and
    // `reboot_trampoline` reads its opaque data as a `DomainEventFn`.
    unsafe {
        register(conn, sys::VIR_DOMAIN_EVENT_ID_REBOOT, reboot_trampoline, move |u, _| f(u), "reboot events")
    }
}

unsafe extern "C" fn free_event_trampoline(opaque: *mut c_void) {
    // SAFETY: called once by libvirt when the registration ends; `opaque` came from
    // `Box::into_raw` in `register`.
    drop(unsafe { Box::from_raw(opaque as *mut DomainEventFn) });
}

/// Call `f` with the domain's UUID (on the event-loop thread) whenever any domain of `conn`
/// starts, stops, pauses, resumes, or is defined or undefined. Lasts as long as the connection.
pub fn on_domain_lifecycle(
    conn: &Connect,
    f: impl Fn(uuid::Uuid) + Send + Sync + 'static,
) -> Result<(), HvError> {
    type Lifecycle = unsafe extern "C" fn(sys::virConnectPtr, sys::virDomainPtr, i32, i32, *mut c_void);
    let specific: Lifecycle = lifecycle_trampoline;
    // SAFETY: libvirt calls a lifecycle callback with the (conn, dom, event, detail, opaque)
    // signature even though registration takes the generic type; this transmute between
    // function pointer types is what libvirt's own VIR_DOMAIN_EVENT_CALLBACK macro does.
    let generic = unsafe { std::mem::transmute::<Lifecycle, GenericCallback>(specific) };
    // SAFETY: `generic` is the lifecycle trampoline, called with the lifecycle signature, and it
    // reads its opaque data as a `DomainEventFn`.
    unsafe { register(conn, sys::VIR_DOMAIN_EVENT_ID_LIFECYCLE, generic, move |u, _| f(u), "domain events") }
}

/// Call `f` with the domain's UUID and whether its guest agent is now connected (on the
/// event-loop thread) whenever the agent in a domain of `conn` connects or disconnects (libvirt
/// sees the guest open or close the agent's port). Lasts as long as the connection.
pub fn on_agent_lifecycle(
    conn: &Connect,
    f: impl Fn(uuid::Uuid, bool) + Send + Sync + 'static,
) -> Result<(), HvError> {
    type Agent = unsafe extern "C" fn(sys::virConnectPtr, sys::virDomainPtr, i32, i32, *mut c_void);
    let specific: Agent = agent_trampoline;
    // SAFETY: as in `on_domain_lifecycle`: libvirt calls an agent lifecycle callback with the
    // (conn, dom, state, reason, opaque) signature; the transmute is what its own
    // VIR_DOMAIN_EVENT_CALLBACK macro does.
    let generic = unsafe { std::mem::transmute::<Agent, GenericCallback>(specific) };
    let connected = sys::VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED as i32;
    // SAFETY: `generic` is the agent trampoline, called with the agent lifecycle signature, and
    // it reads its opaque data as a `DomainEventFn`.
    unsafe {
        register(
            conn,
            sys::VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE,
            generic,
            move |u, state| f(u, state == connected),
            "guest agent events",
        )
    }
}

/// Define (or redefine) a network filter from its XML. Redefining a filter that running
/// domains use makes libvirt apply the new rules to them at once.
pub fn nwfilter_define(conn: &Connect, xml: &str) -> Result<(), HvError> {
    let c =
        std::ffi::CString::new(xml).map_err(|_| HvError::Call("filter XML contains a NUL byte".into()))?;
    // SAFETY: `conn.as_ptr()` is a live connection for the call and `c` a NUL-terminated string
    // that outlives it. A non-null result is a new reference we own; `NWFilter` frees it on drop.
    let ptr = unsafe { sys::virNWFilterDefineXML(conn.as_ptr(), c.as_ptr()) };
    if ptr.is_null() {
        return Err(HvError::Call(format!(
            "cannot define network filter: {}",
            virt::error::Error::last_error()
        )));
    }
    // SAFETY: `ptr` is the non-null reference returned above, handed over exactly once.
    drop(unsafe { virt::nwfilter::NWFilter::from_ptr(ptr) });
    Ok(())
}

/// Look a network filter up by name: `None` when there is none.
fn nwfilter_lookup(conn: &Connect, name: &str) -> Result<Option<virt::nwfilter::NWFilter>, HvError> {
    let c =
        std::ffi::CString::new(name).map_err(|_| HvError::Call("filter name contains a NUL byte".into()))?;
    // SAFETY: as in `nwfilter_define`: live connection, NUL-terminated name, owned result.
    let ptr = unsafe { sys::virNWFilterLookupByName(conn.as_ptr(), c.as_ptr()) };
    if ptr.is_null() {
        let e = virt::error::Error::last_error();
        return match e.code() {
            virt::enumutil::Enum::Known(virt::error::ErrorNumber::NoNwfilter) => Ok(None),
            _ => Err(HvError::Call(format!("cannot look up network filter {name}: {e}"))),
        };
    }
    // SAFETY: `ptr` is the non-null reference returned above, handed over exactly once.
    Ok(Some(unsafe { virt::nwfilter::NWFilter::from_ptr(ptr) }))
}

/// The XML of network filter `name`, if defined.
pub fn nwfilter_xml(conn: &Connect, name: &str) -> Result<Option<String>, HvError> {
    match nwfilter_lookup(conn, name)? {
        Some(f) => Ok(Some(f.xml_desc(0).map_err(|e| HvError::Call(e.to_string()))?)),
        None => Ok(None),
    }
}

/// Remove network filter `name`; `false` when it did not exist.
pub fn nwfilter_undefine(conn: &Connect, name: &str) -> Result<bool, HvError> {
    match nwfilter_lookup(conn, name)? {
        Some(f) => {
            f.undefine().map_err(|e| HvError::Call(format!("cannot remove network filter {name}: {e}")))?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// A socket connected to a domain's graphical console (VNC), through libvirt
/// (`virDomainOpenGraphicsFD`): the display needs no listening address at all.
pub fn open_graphics(dom: &virt::domain::Domain) -> Result<std::os::unix::net::UnixStream, HvError> {
    use std::os::fd::{FromRawFd, OwnedFd};
    let fd = dom.open_graphics_fd(0, 0).map_err(|e| HvError::Call(e.to_string()))?;
    let raw = i32::try_from(fd).map_err(|_| HvError::Call(format!("bad descriptor {fd}")))?;
    // SAFETY: on success libvirt returns a new descriptor (one end of a socket pair whose other
    // end it handed to QEMU) that belongs to the caller alone; it is wrapped exactly once here,
    // so it is closed exactly once.
    let owned = unsafe { OwnedFd::from_raw_fd(raw) };
    Ok(std::os::unix::net::UnixStream::from(owned))
}

/// Start a backup job (`virDomainBackupBegin`) with the backup XML and, optionally, a
/// checkpoint to create at the same instant. `reuse_external`: the target files exist already
/// (made by the caller, e.g. with the parent backup as backing file).
pub fn backup_begin(
    dom: &virt::domain::Domain,
    backup_xml: &str,
    checkpoint_xml: Option<&str>,
    reuse_external: bool,
) -> Result<(), HvError> {
    let b = std::ffi::CString::new(backup_xml)
        .map_err(|_| HvError::Call("backup XML contains a NUL byte".into()))?;
    let c = checkpoint_xml
        .map(std::ffi::CString::new)
        .transpose()
        .map_err(|_| HvError::Call("checkpoint XML contains a NUL byte".into()))?;
    let flags = if reuse_external { sys::VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL } else { 0 };
    // SAFETY: `dom.as_ptr()` is a live domain reference for the call; both strings are
    // NUL-terminated and outlive it (a null checkpoint pointer means "no checkpoint", which the
    // API allows). libvirt keeps no pointer to them after returning.
    let rc = unsafe {
        sys::virDomainBackupBegin(
            dom.as_ptr(),
            b.as_ptr(),
            c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr()),
            flags,
        )
    };
    if rc < 0 {
        return Err(HvError::Call(format!("cannot start the backup: {}", virt::error::Error::last_error())));
    }
    Ok(())
}

/// What `virDomainGetJobStats` says about a domain's job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobStats {
    /// `VIR_DOMAIN_JOB_*` type (none, bounded, unbounded, completed, failed, cancelled).
    pub kind: u32,
    /// Bytes processed.
    pub processed: u64,
    /// Bytes in all.
    pub total: u64,
    /// The error message of a failed job.
    pub error: Option<String>,
}

/// Statistics of the domain's current job, or (`completed`) of the last finished one, which
/// libvirt then forgets. (`virt`'s own `job_stats` mishandles an empty parameter list.)
pub fn job_stats(dom: &virt::domain::Domain, completed: bool) -> Result<JobStats, HvError> {
    let mut kind: std::os::raw::c_int = 0;
    let mut params: sys::virTypedParameterPtr = std::ptr::null_mut();
    let mut n: std::os::raw::c_int = 0;
    let flags = if completed { sys::VIR_DOMAIN_JOB_STATS_COMPLETED } else { 0 };
    // SAFETY: `dom` is live; libvirt allocates `params` (`n` entries, possibly none and null),
    // which is freed below with `virTypedParamsFree` exactly once.
    let rc = unsafe { sys::virDomainGetJobStats(dom.as_ptr(), &mut kind, &mut params, &mut n, flags) };
    if rc < 0 {
        return Err(HvError::Call(format!(
            "cannot read the job's state: {}",
            virt::error::Error::last_error()
        )));
    }
    let ull = |name: &std::ffi::CStr| -> u64 {
        let mut v: std::os::raw::c_ulonglong = 0;
        // SAFETY: `params`/`n` are what libvirt returned (a null list with n = 0 is accepted);
        // `name` is NUL-terminated; `v` is a valid out pointer.
        let found = unsafe { sys::virTypedParamsGetULLong(params, n, name.as_ptr(), &mut v) };
        if found == 1 { v } else { 0 }
    };
    let processed = ull(sys::VIR_DOMAIN_JOB_DATA_PROCESSED);
    let total = ull(sys::VIR_DOMAIN_JOB_DATA_TOTAL);
    let mut msg: *const std::os::raw::c_char = std::ptr::null();
    // SAFETY: as above; the string returned belongs to `params` and is copied before the
    // list is freed.
    let found =
        unsafe { sys::virTypedParamsGetString(params, n, sys::VIR_DOMAIN_JOB_ERRMSG.as_ptr(), &mut msg) };
    let error = (found == 1 && !msg.is_null())
        // SAFETY: non-null and NUL-terminated, valid until `params` is freed below.
        .then(|| unsafe { std::ffi::CStr::from_ptr(msg) }.to_string_lossy().into_owned());
    if !params.is_null() {
        // SAFETY: the list libvirt allocated, freed once, after its last use.
        unsafe { sys::virTypedParamsFree(params, n) };
    }
    Ok(JobStats { kind: u32::try_from(kind).unwrap_or(0), processed, total, error })
}

/// Stop the domain's running job (`virDomainAbortJob`).
pub fn abort_job(dom: &virt::domain::Domain) -> Result<(), HvError> {
    // SAFETY: `dom.as_ptr()` is a live domain reference for the duration of the call.
    let rc = unsafe { sys::virDomainAbortJob(dom.as_ptr()) };
    if rc < 0 {
        return Err(HvError::Call(format!("cannot stop the job: {}", virt::error::Error::last_error())));
    }
    Ok(())
}

/// Names of the domain's checkpoints.
pub fn checkpoint_names(dom: &virt::domain::Domain) -> Result<Vec<String>, HvError> {
    let mut list: *mut sys::virDomainCheckpointPtr = std::ptr::null_mut();
    // SAFETY: `dom` is live; libvirt allocates `list` (an array of owned references, length
    // `n`) which we free below, element by element and then the array.
    let n = unsafe { sys::virDomainListAllCheckpoints(dom.as_ptr(), &mut list, 0) };
    if n < 0 {
        return Err(HvError::Call(format!("cannot list checkpoints: {}", virt::error::Error::last_error())));
    }
    let mut names = Vec::new();
    for i in 0..usize::try_from(n).unwrap_or(0) {
        // SAFETY: `i < n`, so the element is one of the `n` references libvirt returned.
        let cp = unsafe { *list.add(i) };
        // SAFETY: `cp` is a live checkpoint reference; the returned name belongs to it and is
        // copied before the reference is freed.
        let name = unsafe { sys::virDomainCheckpointGetName(cp) };
        if !name.is_null() {
            // SAFETY: non-null, NUL-terminated, valid while `cp` lives.
            names.push(unsafe { std::ffi::CStr::from_ptr(name) }.to_string_lossy().into_owned());
        }
        // SAFETY: each reference is freed exactly once.
        unsafe { sys::virDomainCheckpointFree(cp) };
    }
    if !list.is_null() {
        // SAFETY: the array itself was allocated by libvirt with malloc.
        unsafe { libc::free(list.cast()) };
    }
    Ok(names)
}

/// Delete checkpoint `name` of the domain (metadata and the disks' bitmaps, or the metadata
/// only); absent is fine.
pub fn checkpoint_delete(dom: &virt::domain::Domain, name: &str, metadata_only: bool) -> Result<(), HvError> {
    let c = std::ffi::CString::new(name)
        .map_err(|_| HvError::Call("checkpoint name contains a NUL byte".into()))?;
    // SAFETY: live domain, NUL-terminated name; a non-null result is an owned reference that
    // is freed below exactly once.
    let cp = unsafe { sys::virDomainCheckpointLookupByName(dom.as_ptr(), c.as_ptr(), 0) };
    if cp.is_null() {
        return Ok(());
    }
    let flags = if metadata_only { sys::VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY } else { 0 };
    // SAFETY: `cp` is the live reference from the lookup.
    let rc = unsafe { sys::virDomainCheckpointDelete(cp, flags) };
    // SAFETY: freed exactly once, after its last use.
    unsafe { sys::virDomainCheckpointFree(cp) };
    if rc < 0 {
        return Err(HvError::Call(format!(
            "cannot delete checkpoint {name}: {}",
            virt::error::Error::last_error()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_reasons_map() {
        assert_eq!(CloseReason::from_raw(1), CloseReason::Eof);
        assert_eq!(CloseReason::from_raw(2), CloseReason::Keepalive);
        assert_eq!(CloseReason::from_raw(-5), CloseReason::Other(-5));
    }

    #[test]
    fn event_loop_starts_once_and_close_callback_registers() {
        ensure_event_loop().unwrap();
        ensure_event_loop().unwrap();
        let conn = Connect::open(Some("test:///default")).unwrap();
        on_close(&conn, |_| {}).unwrap();
    }

    #[test]
    fn lifecycle_events_arrive_with_the_domain_uuid() {
        ensure_event_loop().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let node = dir.path().join("node.xml");
        std::fs::write(&node, "<node/>").unwrap();
        let conn = Connect::open(Some(&format!("test://{}", node.display()))).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        on_domain_lifecycle(&conn, move |u| {
            let _ = tx.send(u);
        })
        .unwrap();
        let uuid = uuid::Uuid::new_v4();
        let xml = format!(
            "<domain type='test'><name>ev</name><uuid>{uuid}</uuid><memory>1024</memory><os><type>hvm</type></os></domain>"
        );
        let dom = conn.define_domain_xml(&xml).unwrap();
        dom.create().unwrap();
        let got = rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
        assert_eq!(got, uuid);
    }
}
