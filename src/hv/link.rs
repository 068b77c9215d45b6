//! The live link to libvirt: the current connection, its status for the admin page, and the
//! reconnect loop that survives a libvirtd restart. libvirt tells us about a lost connection
//! through the close callback (see `ffi`); a periodic liveness check covers the rest.

use crate::error::Coded;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::Notify;

use super::libvirt::{Libvirt, TEST_URI};
use super::{HvError, Hypervisor};
use crate::clock::Clock;
use crate::domain::time::Timestamp;

/// What the admin page shows about the hypervisor link.
#[derive(Debug, Clone)]
pub enum LinkStatus {
    /// Connected to `uri` since `since`.
    Up {
        /// URI in use.
        uri: String,
        /// When the connection was made.
        since: Timestamp,
        /// How many times it was re-made after a loss.
        reconnects: u64,
    },
    /// No connection since `since`; `error` is the last failure.
    Down {
        /// URI being tried.
        uri: String,
        /// When the link went down.
        since: Timestamp,
        /// Why.
        error: HvError,
    },
}

struct Inner {
    current: Option<Arc<Libvirt>>,
    status: LinkStatus,
    reconnects: u64,
}

/// Receives the UUIDs of domains whose state changed.
pub type DomainEvents = tokio::sync::mpsc::UnboundedReceiver<uuid::Uuid>;
type EventSender = tokio::sync::mpsc::UnboundedSender<uuid::Uuid>;

/// Where a connection's domain events go: state changes, and reboots.
#[derive(Clone)]
struct Senders {
    changes: EventSender,
    reboots: EventSender,
}

/// The shared hypervisor link.
pub struct HvLink {
    uri: String,
    inner: RwLock<Inner>,
    lost: Arc<Notify>,
    clock: Arc<dyn Clock>,
    events: Senders,
    events_rx: std::sync::Mutex<Option<DomainEvents>>,
    reboots_rx: std::sync::Mutex<Option<DomainEvents>>,
}

impl HvLink {
    /// Connect to `uri` now (blocking). In demo mode an unreachable libvirtd falls back to
    /// libvirt's test driver; otherwise the link starts down and the reconnect loop keeps
    /// trying.
    pub fn connect(uri: &str, demo: bool, clock: Arc<dyn Clock>) -> HvLink {
        let lost = Arc::new(Notify::new());
        let (changes, events_rx) = tokio::sync::mpsc::unbounded_channel();
        let (reboots, reboots_rx) = tokio::sync::mpsc::unbounded_channel();
        let events = Senders { changes, reboots };
        let mut uri = uri.to_string();
        let first = match Libvirt::connect(&uri) {
            Err(e) if demo => {
                tracing::warn!(
                    code = e.code(),
                    "{e}; demo mode uses libvirt's test driver {TEST_URI} instead"
                );
                uri = TEST_URI.to_string();
                Libvirt::connect(&uri)
            }
            other => other,
        };
        let now = clock.now();
        let inner = match first.and_then(|hv| watch(hv, &lost, &events)) {
            Ok(hv) => {
                tracing::info!(uri, "connected to the hypervisor");
                Inner {
                    current: Some(Arc::new(hv)),
                    status: LinkStatus::Up { uri: uri.clone(), since: now, reconnects: 0 },
                    reconnects: 0,
                }
            }
            Err(error) => {
                tracing::error!(
                    code = error.code(),
                    "{error}; the cabinet runs, and vpsbox keeps trying to reach the hypervisor"
                );
                Inner {
                    current: None,
                    status: LinkStatus::Down { uri: uri.clone(), since: now, error },
                    reconnects: 0,
                }
            }
        };
        HvLink {
            uri,
            inner: RwLock::new(inner),
            lost,
            clock,
            events,
            events_rx: std::sync::Mutex::new(Some(events_rx)),
            reboots_rx: std::sync::Mutex::new(Some(reboots_rx)),
        }
    }

    /// The stream of domain reboots (once; later calls get `None`).
    pub fn take_reboots(&self) -> Option<DomainEvents> {
        self.reboots_rx.lock().ok().and_then(|mut r| r.take())
    }

    /// The stream of domain state-change events (once; later calls get `None`).
    pub fn take_events(&self) -> Option<DomainEvents> {
        self.events_rx.lock().ok().and_then(|mut r| r.take())
    }

    /// A link that never connects (CLI commands that do not need the hypervisor).
    pub fn offline(uri: &str, clock: Arc<dyn Clock>) -> HvLink {
        let now = clock.now();
        let error =
            HvError::Connect { uri: uri.to_string(), message: "not connected in this command".into() };
        HvLink {
            uri: uri.to_string(),
            inner: RwLock::new(Inner {
                current: None,
                status: LinkStatus::Down { uri: uri.to_string(), since: now, error },
                reconnects: 0,
            }),
            lost: Arc::new(Notify::new()),
            clock,
            events: Senders {
                changes: tokio::sync::mpsc::unbounded_channel().0,
                reboots: tokio::sync::mpsc::unbounded_channel().0,
            },
            events_rx: std::sync::Mutex::new(None),
            reboots_rx: std::sync::Mutex::new(None),
        }
    }

    /// The connection, or why there is none.
    pub fn get(&self) -> Result<Arc<dyn Hypervisor>, HvError> {
        let inner = self.inner.read().map_err(|_| HvError::Call("hypervisor link lock poisoned".into()))?;
        match (&inner.current, &inner.status) {
            (Some(hv), _) => Ok(hv.clone() as Arc<dyn Hypervisor>),
            (None, LinkStatus::Down { error, .. }) => Err(error.clone()),
            (None, LinkStatus::Up { .. }) => Err(HvError::Call("no hypervisor connection".into())),
        }
    }

    /// Current status.
    pub fn status(&self) -> LinkStatus {
        match self.inner.read() {
            Ok(i) => i.status.clone(),
            Err(_) => LinkStatus::Down {
                uri: self.uri.clone(),
                since: self.clock.now(),
                error: HvError::Call("hypervisor link lock poisoned".into()),
            },
        }
    }

    fn mark_down(&self, error: HvError) {
        if let Ok(mut i) = self.inner.write() {
            if i.current.take().is_some() {
                tracing::error!(
                    code = error.code(),
                    uri = self.uri,
                    "lost the hypervisor connection: {error}"
                );
                i.status = LinkStatus::Down { uri: self.uri.clone(), since: self.clock.now(), error };
            } else if let LinkStatus::Down { error: e, .. } = &mut i.status {
                *e = error;
            }
        }
    }

    fn mark_up(&self, hv: Libvirt) {
        if let Ok(mut i) = self.inner.write() {
            i.reconnects += 1;
            i.current = Some(Arc::new(hv));
            i.status =
                LinkStatus::Up { uri: self.uri.clone(), since: self.clock.now(), reconnects: i.reconnects };
            tracing::info!(uri = self.uri, reconnects = i.reconnects, "reconnected to the hypervisor");
        }
    }

    /// The reconnect loop: runs until aborted. Checks liveness every `check` (or at once when
    /// libvirt reports the connection closed) and reconnects with a growing pause, up to 30 s.
    pub async fn run(self: Arc<Self>, check: Duration) {
        let mut backoff = Duration::from_millis(500);
        loop {
            let up = self.inner.read().map(|i| i.current.clone()).ok().flatten();
            match up {
                Some(hv) => {
                    let reported = tokio::select! {
                        _ = self.lost.notified() => true,
                        _ = tokio::time::sleep(check) => false,
                    };
                    // A close reported by libvirt is final; otherwise probe the connection.
                    let alive =
                        !reported && tokio::task::spawn_blocking(move || hv.alive()).await.unwrap_or(false);
                    if !alive {
                        self.mark_down(HvError::Connect {
                            uri: self.uri.clone(),
                            message: "the connection to libvirtd was closed".into(),
                        });
                        backoff = Duration::from_millis(500);
                    }
                }
                None => {
                    let (uri, lost, events) = (self.uri.clone(), self.lost.clone(), self.events.clone());
                    let attempt = tokio::task::spawn_blocking(move || {
                        Libvirt::connect(&uri).and_then(|hv| watch(hv, &lost, &events))
                    })
                    .await
                    .unwrap_or_else(|e| Err(HvError::Call(e.to_string())));
                    match attempt {
                        Ok(hv) => self.mark_up(hv),
                        Err(e) => {
                            self.mark_down(e);
                            tokio::time::sleep(backoff).await;
                            backoff = (backoff * 2).min(Duration::from_secs(30));
                        }
                    }
                }
            }
        }
    }
}

/// Ask libvirt to tell `lost` when this connection closes, and `events` when a domain changes
/// state (where the driver offers events; polling covers the others).
fn watch(hv: Libvirt, lost: &Arc<Notify>, events: &Senders) -> Result<Libvirt, HvError> {
    let lost = lost.clone();
    hv.on_close(move |reason| {
        tracing::warn!(?reason, "libvirt closed the connection");
        lost.notify_one();
    })?;
    let changes = events.changes.clone();
    if let Err(e) = hv.on_domain_event(move |uuid| {
        let _ = changes.send(uuid);
    }) {
        tracing::warn!("no domain events from {}: {e}; relying on the reconcile loop", hv.uri());
    }
    if let Err(e) = hv.follow_agents() {
        tracing::warn!(
            "no guest agent events from {}: {e}; the agent's state is asked at every look",
            hv.uri()
        );
    }
    let reboots = events.reboots.clone();
    if let Err(e) = hv.on_domain_reboot(move |uuid| {
        let _ = reboots.send(uuid);
    }) {
        tracing::warn!("no reboot events from {}: {e}; an ISO booted once stays first", hv.uri());
    }
    Ok(hv)
}
