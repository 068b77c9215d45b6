//! A domain's serial console as a non-blocking libvirt stream, read when libvirt's event loop
//! says data (or the end) is there.
//!
//! Why not a blocking `virStreamRecv` on a reader thread, as this once was: libvirt's remote
//! client first looks in the stream's queue and then, in a separate step, registers its wait
//! for the next packet. When the event-loop thread queues a packet between the two steps, the
//! blocking read waits for the packet after it, and the bytes already queued stay unread until
//! the guest prints something else. A console then withholds the end of what the guest said
//! (seen: `@@END@@\n# ` arrived as `@@END@` while the command's next prompt never came). The
//! stream callback is libvirt's own way (it is how `virsh console` reads): libvirt calls it
//! whenever the queue holds data, an end or an error, from the event loop this crate runs.

use std::ffi::{c_int, c_void};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::Notify;
use virt::stream::Stream;
use virt_sys as sys;

use crate::hv::{ByteStream, HvError, Received};

/// The events the callback is armed for.
const WATCHED: c_int =
    (sys::VIR_STREAM_EVENT_READABLE | sys::VIR_STREAM_EVENT_ERROR | sys::VIR_STREAM_EVENT_HANGUP) as c_int;

/// How long a write waits between tries while the stream answers "would block", and how many
/// tries it makes (30 s in all).
const SEND_RETRY: Duration = Duration::from_millis(5);
const SEND_TRIES: u32 = 6000;

/// A console stream (`VIR_STREAM_NONBLOCK`) with its readiness callback registered.
pub struct ConsoleStream {
    stream: Stream,
    /// Notified by the callback; the reader waits on it after a read found nothing.
    ready: Arc<Notify>,
    closed: AtomicBool,
}

unsafe extern "C" fn ready_trampoline(st: sys::virStreamPtr, _events: c_int, opaque: *mut c_void) {
    // Disarm first, then wake the reader: libvirt calls this on every turn of its loop while
    // data waits, and the reader re-arms once it has read everything (see `try_recv`). In
    // this order a disarm is always followed by a wake-up, so the last word is a re-arm.
    // SAFETY: `st` is the stream the callback was registered on, alive during the call;
    // libvirt allows updating a stream's callback from inside it (virsh console does).
    unsafe { sys::virStreamEventUpdateCallback(st, 0) };
    // SAFETY: `opaque` is the `Arc<Notify>` leaked in `ConsoleStream::watch`; libvirt keeps it
    // until it calls `free_ready`, after the last callback returned.
    let ready = unsafe { &*(opaque as *const Notify) };
    ready.notify_one();
}

unsafe extern "C" fn free_ready(opaque: *mut c_void) {
    // SAFETY: called once by libvirt when the callback is removed; `opaque` came from
    // `Arc::into_raw` in `ConsoleStream::watch`.
    drop(unsafe { Arc::from_raw(opaque as *const Notify) });
}

impl ConsoleStream {
    /// Watch `stream` (non-blocking, already opened on a console) for data.
    pub fn watch(stream: Stream) -> Result<ConsoleStream, HvError> {
        let ready = Arc::new(Notify::new());
        let opaque = Arc::into_raw(ready.clone()) as *mut c_void;
        // SAFETY: the stream is live for the call; the function pointers have libvirt's
        // signatures; on success libvirt owns `opaque` and frees it through `free_ready`.
        let rc = unsafe {
            sys::virStreamEventAddCallback(
                stream.as_ptr(),
                WATCHED,
                Some(ready_trampoline),
                opaque,
                Some(free_ready),
            )
        };
        if rc < 0 {
            // SAFETY: registration failed, so libvirt did not take `opaque`.
            drop(unsafe { Arc::from_raw(opaque as *const Notify) });
            let e = virt::error::Error::last_error();
            let _ = stream.abort();
            return Err(HvError::Call(format!("cannot watch the console stream: {e}")));
        }
        Ok(ConsoleStream { stream, ready, closed: AtomicBool::new(false) })
    }

    fn rearm(&self) {
        // SAFETY: the stream is live and its callback registered until `close`; after it the
        // call fails harmlessly.
        unsafe { sys::virStreamEventUpdateCallback(self.stream.as_ptr(), WATCHED) };
    }

    fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }
}

impl ByteStream for ConsoleStream {
    fn try_recv(&self, buf: &mut [u8]) -> Result<Received, HvError> {
        if self.is_closed() {
            return Ok(Received::End);
        }
        // SAFETY: the stream is live; libvirt writes at most `buf.len()` bytes into `buf`.
        let n = unsafe { sys::virStreamRecv(self.stream.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
        match n {
            0 => Ok(Received::End),
            -2 => {
                // Nothing queued: have the callback wake the reader when something is.
                self.rearm();
                Ok(Received::Nothing)
            }
            n if n > 0 => Ok(Received::Bytes(usize::try_from(n).unwrap_or(0))),
            _ if self.is_closed() => Ok(Received::End),
            _ => Err(HvError::Call(virt::error::Error::last_error().to_string())),
        }
    }

    fn send(&self, mut data: &[u8]) -> Result<(), HvError> {
        let mut tries = 0;
        while !data.is_empty() {
            // SAFETY: the stream is live; libvirt reads at most `data.len()` bytes of `data`.
            let n = unsafe { sys::virStreamSend(self.stream.as_ptr(), data.as_ptr().cast(), data.len()) };
            match n {
                -2 if tries < SEND_TRIES => {
                    tries += 1;
                    std::thread::sleep(SEND_RETRY);
                }
                -2 => return Err(HvError::Call("the console stream takes no input".into())),
                n if n > 0 => data = data.get(usize::try_from(n).unwrap_or(0)..).unwrap_or_default(),
                _ => return Err(HvError::Call(virt::error::Error::last_error().to_string())),
            }
        }
        Ok(())
    }

    fn ready(&self) -> Arc<Notify> {
        self.ready.clone()
    }

    fn close(&self) {
        if !self.closed.swap(true, Ordering::AcqRel) {
            // As virsh does: no more callbacks, then end the stream on libvirtd's side.
            // SAFETY: the stream is live; removing a registered callback makes libvirt free
            // its `opaque` through `free_ready` (at once, or after a running callback).
            unsafe { sys::virStreamEventRemoveCallback(self.stream.as_ptr()) };
            let _ = self.stream.clone().abort();
        }
        // Wake a reader waiting for data, so it sees the end.
        self.ready.notify_one();
    }
}

impl Drop for ConsoleStream {
    fn drop(&mut self) {
        self.close();
    }
}
