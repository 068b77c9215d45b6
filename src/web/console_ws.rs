//! The console WebSocket proxy: `/vms/{id}/console/vnc` carries RFB between noVNC and the VM's
//! VNC server (a socket from libvirt), `/vms/{id}/console/serial` carries the bytes of the
//! VM's serial port (a libvirt stream) to xterm.js. Both as binary frames on the cabinet's own
//! TLS port.
//!
//! Admission, before the upgrade: the owner's session (or an admin's, under `/admin`), an
//! `Origin` that is this cabinet, and a one-time ticket from the console page
//! (`service::console`). A session then ends when the browser closes it, the VM's side ends
//! (powered off), another session takes the serial port over, the login session ends (logout,
//! expiry, disabled account), the VM is deleted or suspended, or no input came for
//! `console.idle_timeout_secs`. Those checks run every [`CHECK_EVERY`].

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::AppState;
use super::ctx::{Door, PathId};
use super::error::WebError;
use crate::domain::vm::VmId;
use crate::hv::{ByteStream, Received};
use crate::service::Caller;
use crate::service::console::Ended;
use crate::service::console::{Admission, ConsoleKind};

/// How often an open console checks its session, its VM and its idle time.
pub const CHECK_EVERY: Duration = Duration::from_secs(2);

/// Close codes sent to the browser (4000–4999 are the application's): the console page says
/// each in the reader's language (`data-say-close<code>`); the frame's reason is English.
pub mod close {
    use crate::service::console::Ended;

    /// Another session took the serial console over.
    pub const TAKEN_OVER: u16 = 4001;
    /// The login session ended.
    pub const LOGGED_OUT: u16 = 4002;
    /// No input for the idle time.
    pub const IDLE: u16 = 4003;
    /// The VM was deleted.
    pub const VM_GONE: u16 = 4004;
    /// The VM's side closed (it is off).
    pub const ENDED: u16 = 4005;
    /// The VM was suspended.
    pub const SUSPENDED: u16 = 4006;

    /// The close code of a session vpsbox ended.
    pub fn of(why: Ended) -> u16 {
        match why {
            Ended::TakenOver => TAKEN_OVER,
            Ended::LoggedOut => LOGGED_OUT,
            Ended::Deleted => VM_GONE,
            Ended::Suspended => SUSPENDED,
        }
    }
}

/// `?ticket=` of the WebSocket URL.
#[derive(Deserialize)]
pub struct TicketQuery {
    #[serde(default)]
    ticket: String,
}

/// Who opens a console, as the door found them.
struct Opener {
    caller: Caller,
    user: crate::domain::account::UserId,
    session: [u8; 32],
    host: String,
}

/// A WebSocket handshake must come from a page of this cabinet: `Origin` present and ours.
fn check_ws_origin(headers: &HeaderMap, host: &str, public_url: &str) -> Result<(), WebError> {
    if headers.get(header::ORIGIN).is_none() {
        return Err(WebError::CrossOrigin);
    }
    super::form::check_origin(headers, host, public_url)
}

async fn open(
    state: AppState,
    who: Opener,
    vm: VmId,
    kind: ConsoleKind,
    ticket: &str,
    headers: &HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, WebError> {
    check_ws_origin(headers, &who.host, &state.public_url)?;
    // Another customer's VM is not found, whatever the ticket.
    state.svc.vms.get(&who.caller, vm).map_err(|_| WebError::NotFound)?;
    let admission = state.svc.consoles.admit(ticket, who.user, who.session, vm, kind)?;
    let idle = Duration::from_secs(state.svc.consoles.idle_timeout_secs().max(1));
    let watch = Watch { state: state.clone(), caller: who.caller.clone(), vm, session: who.session };
    match kind {
        ConsoleKind::Vnc => {
            let sock = state.svc.vms.open_vnc(&who.caller, vm).await?;
            sock.set_nonblocking(true).map_err(|e| WebError::Internal("CON0500", e.to_string()))?;
            let sock = tokio::net::UnixStream::from_std(sock)
                .map_err(|e| WebError::Internal("CON0500", e.to_string()))?;
            tracing::info!(vm = %vm, user = %who.user, "VNC console opened");
            Ok(upgrade.on_upgrade(move |ws| async move {
                let why = pump_vnc(ws, sock, admission, watch, idle).await;
                tracing::info!(vm = %vm, why, "VNC console closed");
            }))
        }
        ConsoleKind::Serial => {
            // Tell the session being taken over first: opening takes libvirt's console from it.
            state.svc.consoles.take_over_serial(vm, &admission);
            let stream = state.svc.vms.open_serial(&who.caller, vm).await?;
            tracing::info!(vm = %vm, user = %who.user, "serial console opened");
            Ok(upgrade.on_upgrade(move |ws| async move {
                let why = pump_serial(ws, stream, admission, watch, idle).await;
                tracing::info!(vm = %vm, why, "serial console closed");
            }))
        }
    }
}

/// What an open console keeps checking.
struct Watch {
    state: AppState,
    caller: Caller,
    vm: VmId,
    session: [u8; 32],
}

impl Watch {
    /// `Some((code, reason))` when the console must close now.
    async fn verdict(&self, last_input: tokio::time::Instant, idle: Duration) -> Option<(u16, String)> {
        if last_input.elapsed() >= idle {
            return Some((
                close::IDLE,
                format!("Closed after {} minutes without input", idle.as_secs().div_ceil(60)),
            ));
        }
        match self.state.svc.accounts.session_by_key(self.session) {
            Ok(Some(_)) => {}
            _ => return Some((close::LOGGED_OUT, Ended::LoggedOut.text().into())),
        }
        match self.state.svc.vms.get(&self.caller, self.vm) {
            Ok(vm) if vm.suspended => Some((close::SUSPENDED, Ended::Suspended.text().into())),
            Ok(_) => None,
            Err(_) => Some((close::VM_GONE, Ended::Deleted.text().into())),
        }
    }

    /// Keep the login session from idling out while the console is in use.
    async fn touch(&self) {
        let _ = self.state.svc.accounts.touch(self.session).await;
    }
}

async fn close_with(ws: &mut WebSocket, code: u16, reason: &str) {
    let frame = CloseFrame { code, reason: reason.into() };
    let _ = ws.send(Message::Close(Some(frame))).await;
}

/// Bytes read from the VNC socket at most per WebSocket frame.
const READ_CHUNK: usize = 256 * 1024;

/// Touch the login session at most this often while input arrives.
const TOUCH_EVERY: Duration = Duration::from_secs(60);

/// RFB between the browser and the VNC socket until one side ends.
async fn pump_vnc(
    mut ws: WebSocket,
    sock: tokio::net::UnixStream,
    mut admission: Admission,
    watch: Watch,
    idle: Duration,
) -> &'static str {
    let (mut rd, mut wr) = sock.into_split();
    // Frames go out as the bytes read, without a copy: a full-screen update is megabytes.
    let mut buf = bytes::BytesMut::with_capacity(READ_CHUNK);
    let mut tick = tokio::time::interval(CHECK_EVERY);
    let (mut last_input, mut touched) = (tokio::time::Instant::now(), tokio::time::Instant::now());
    loop {
        tokio::select! {
            msg = ws.recv() => match msg {
                Some(Ok(Message::Binary(b))) => {
                    last_input = tokio::time::Instant::now();
                    if wr.write_all(&b).await.is_err() {
                        close_with(&mut ws, close::ENDED, "The display closed").await;
                        return "vm side closed";
                    }
                }
                Some(Ok(Message::Text(_) | Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return "browser closed",
            },
            n = rd.read_buf(&mut buf) => match n {
                Ok(n) if n > 0 => {
                    let chunk = buf.split().freeze();
                    if buf.capacity() < READ_CHUNK / 4 {
                        buf.reserve(READ_CHUNK);
                    }
                    if ws.send(Message::Binary(chunk)).await.is_err() {
                        return "browser gone";
                    }
                }
                _ => {
                    close_with(&mut ws, close::ENDED, "The virtual machine's display closed (is it off?)").await;
                    return "vm side closed";
                }
            },
            _ = admission.end.changed() => {
                let why = admission.end.borrow().unwrap_or(Ended::TakenOver);
                close_with(&mut ws, close::of(why), why.text()).await;
                return "ended by vpsbox";
            }
            _ = tick.tick() => {
                if let Some((code, why)) = watch.verdict(last_input, idle).await {
                    close_with(&mut ws, code, &why).await;
                    return "checks";
                }
                if last_input > touched && touched.elapsed() >= TOUCH_EVERY {
                    touched = tokio::time::Instant::now();
                    watch.touch().await;
                }
            }
        }
    }
}

/// Serial output that follows the previous frame within this gap is part of a burst.
const BURST_GAP: Duration = Duration::from_millis(2);

/// How long a frame of a serial burst waits for more output before it goes.
const LINGER: Duration = Duration::from_millis(1);

/// Bytes asked of the serial stream per read (a frame gathers several reads).
const SERIAL_READ: usize = 16 * 1024;

/// Append what the serial stream holds now to `out`, up to [`READ_CHUNK`] bytes; `true` when
/// the stream ended.
fn drain_serial(stream: &dyn ByteStream, buf: &mut [u8], out: &mut Vec<u8>) -> bool {
    while out.len() < READ_CHUNK {
        match stream.try_recv(buf) {
            Ok(Received::Bytes(n)) => out.extend_from_slice(buf.get(..n).unwrap_or_default()),
            Ok(Received::Nothing) => return false,
            Ok(Received::End) => return true,
            Err(e) => {
                tracing::info!("serial console stream ended: {e}");
                return true;
            }
        }
    }
    false
}

/// Serial bytes between the browser and the libvirt stream until one side ends. Output is
/// read here when the stream says it is ready; input goes through a writer thread, since a
/// write may wait for the libvirt connection.
async fn pump_serial(
    mut ws: WebSocket,
    stream: Arc<dyn ByteStream>,
    mut admission: Admission,
    watch: Watch,
    idle: Duration,
) -> &'static str {
    let (in_tx, in_rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let writer = stream.clone();
    std::thread::spawn(move || {
        while let Ok(data) = in_rx.recv() {
            if writer.send(&data).is_err() {
                break;
            }
        }
    });
    let ready = stream.ready();
    // Whatever arrived before this task started is read at once.
    ready.notify_one();
    let mut buf = vec![0u8; SERIAL_READ];
    let mut tick = tokio::time::interval(CHECK_EVERY);
    let (mut last_input, mut touched) = (tokio::time::Instant::now(), tokio::time::Instant::now());
    let mut last_sent = tokio::time::Instant::now() - BURST_GAP;
    let why = loop {
        tokio::select! {
            msg = ws.recv() => match msg {
                Some(Ok(Message::Binary(b))) => {
                    last_input = tokio::time::Instant::now();
                    if in_tx.send(b.to_vec()).is_err() {
                        break "vm side closed";
                    }
                }
                Some(Ok(Message::Text(t))) => {
                    last_input = tokio::time::Instant::now();
                    if in_tx.send(t.as_bytes().to_vec()).is_err() {
                        break "vm side closed";
                    }
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break "browser closed",
            },
            () = ready.notified() => {
                let mut out = Vec::new();
                let mut ended = drain_serial(&*stream, &mut buf, &mut out);
                // The UART delivers a burst in reads of a few bytes each; a frame per read
                // costs the host more than the guest's output is worth. While a burst is
                // flowing (the previous frame went out moments ago) a frame waits briefly for
                // more. The first output after a pause, such as a keystroke's echo, goes at once.
                if !ended && !out.is_empty() && out.len() < READ_CHUNK && last_sent.elapsed() < BURST_GAP {
                    tokio::time::sleep(LINGER).await;
                    ended = drain_serial(&*stream, &mut buf, &mut out);
                }
                if out.len() >= READ_CHUNK {
                    // A full frame: more may be queued, and the stream was not re-armed.
                    ready.notify_one();
                }
                if !out.is_empty() {
                    if ws.send(Message::Binary(out.into())).await.is_err() {
                        break "browser gone";
                    }
                    last_sent = tokio::time::Instant::now();
                }
                if ended {
                    // Taken over (libvirt ended our stream) or the VM's side ended.
                    let ended = *admission.end.borrow();
                    match ended {
                        Some(why) => close_with(&mut ws, close::of(why), why.text()).await,
                        None => close_with(&mut ws, close::ENDED, "The serial console closed (is the VM off?)").await,
                    }
                    break "vm side closed";
                }
            },
            _ = admission.end.changed() => {
                let why = admission.end.borrow().unwrap_or(Ended::TakenOver);
                close_with(&mut ws, close::of(why), why.text()).await;
                break "ended by vpsbox";
            }
            _ = tick.tick() => {
                if let Some((code, why)) = watch.verdict(last_input, idle).await {
                    close_with(&mut ws, code, &why).await;
                    break "checks";
                }
                if last_input > touched && touched.elapsed() >= TOUCH_EVERY {
                    touched = tokio::time::Instant::now();
                    watch.touch().await;
                }
            }
        }
    };
    // Ending the stream is a round trip to libvirtd: off the async threads.
    let _ = tokio::task::spawn_blocking(move || stream.close()).await;
    why
}

/// `GET {base}/{id}/console/vnc?ticket=`: the graphical console's WebSocket.
pub async fn vnc_ws_get(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    Query(q): Query<TicketQuery>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, WebError> {
    open(state, opener(door), id, ConsoleKind::Vnc, &q.ticket, &headers, upgrade).await
}

/// `GET {base}/{id}/console/serial?ticket=`: the serial console's WebSocket.
pub async fn serial_ws_get(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    Query(q): Query<TicketQuery>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, WebError> {
    open(state, opener(door), id, ConsoleKind::Serial, &q.ticket, &headers, upgrade).await
}

fn opener(door: Door) -> Opener {
    Opener { user: door.session.user.id, session: door.session.key, host: door.ctx.host, caller: door.caller }
}
