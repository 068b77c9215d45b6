//! Console sessions (graphical and serial) of the cabinet: who may open one, and when it ends.
//!
//! The console page issues a one-time ticket bound to the session, the VM and the kind of
//! console, valid for `console.ticket_secs`; the WebSocket is admitted only with the owner's
//! session and a matching, unused, unexpired ticket (the Origin is the web layer's check).
//! Admission counts open sessions per VM and per account against their limits; the returned
//! [`Admission`] gives the session back when dropped and is told when the session must end
//! (another session took the serial console over, the VM was deleted or suspended). Tickets and
//! open sessions live in memory: a restart ends every console anyway.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use super::{Coded, ErrorKind};
use crate::clock::Clock;
use crate::config::ConsoleConfig;
use crate::domain::account::UserId;
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;
use crate::service::tokens;

/// Which console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsoleKind {
    /// The graphical console (VNC, shown by noVNC).
    Vnc,
    /// The first serial port (shown by xterm.js).
    Serial,
}

impl ConsoleKind {
    /// Path segment and log name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsoleKind::Vnc => "vnc",
            ConsoleKind::Serial => "serial",
        }
    }
}

/// Why a console could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsoleError {
    /// No ticket, or one used already.
    #[error("This console link was used already or is unknown; reload the console page")]
    NoTicket,
    /// The ticket's time is up.
    #[error("This console link expired; reload the console page")]
    Expired,
    /// The ticket was issued to another session, VM or console.
    #[error("This console link belongs to another session")]
    Mismatch,
    /// Too many sessions on the VM.
    #[error("This virtual machine has {0} console sessions open already; close one first")]
    VmLimit(usize),
    /// Too many sessions of the account.
    #[error("Your account has {0} console sessions open already; close one first")]
    AccountLimit(usize),
}

impl Coded for ConsoleError {
    fn code(&self) -> &'static str {
        match self {
            ConsoleError::NoTicket => "CON0001",
            ConsoleError::Expired => "CON0002",
            ConsoleError::Mismatch => "CON0003",
            ConsoleError::VmLimit(_) => "CON0004",
            ConsoleError::AccountLimit(_) => "CON0005",
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            ConsoleError::NoTicket | ConsoleError::Expired | ConsoleError::Mismatch => ErrorKind::Gone,
            ConsoleError::VmLimit(_) | ConsoleError::AccountLimit(_) => ErrorKind::Throttled,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            ConsoleError::VmLimit(n) | ConsoleError::AccountLimit(n) => vec![("count", (*n).into())],
            _ => Vec::new(),
        }
    }
}

/// Why vpsbox ends a console session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Another session opened the VM's serial console.
    TakenOver,
    /// The login session ended (logout, expiry, disabled account).
    LoggedOut,
    /// The VM was deleted.
    Deleted,
    /// The VM was suspended.
    Suspended,
}

impl Ended {
    /// In English (the WebSocket close frame's reason; the page says it in the reader's
    /// language by the close code).
    pub fn text(self) -> &'static str {
        match self {
            Ended::TakenOver => "Another session opened this serial console; reconnect to take it back",
            Ended::LoggedOut => "Your session ended; log in again",
            Ended::Deleted => "The virtual machine was deleted",
            Ended::Suspended => "The virtual machine was suspended",
        }
    }
}

struct Ticket {
    user: UserId,
    session: [u8; 32],
    vm: VmId,
    kind: ConsoleKind,
    expires: Timestamp,
}

struct Live {
    user: UserId,
    session: [u8; 32],
    vm: VmId,
    kind: ConsoleKind,
    end: watch::Sender<Option<Ended>>,
}

#[derive(Default)]
struct State {
    tickets: HashMap<[u8; 32], Ticket>,
    live: HashMap<u64, Live>,
    next: u64,
}

/// The console sessions service.
#[derive(Clone)]
pub struct Consoles {
    state: Arc<Mutex<State>>,
    clock: Arc<dyn Clock>,
    cfg: ConsoleConfig,
}

/// An admitted console session; dropping it frees its place.
pub struct Admission {
    id: u64,
    state: Arc<Mutex<State>>,
    /// Becomes `Some(why)` when the session must end.
    pub end: watch::Receiver<Option<Ended>>,
}

impl Drop for Admission {
    fn drop(&mut self) {
        if let Ok(mut s) = self.state.lock() {
            s.live.remove(&self.id);
        }
    }
}

impl Consoles {
    /// The service.
    pub fn new(clock: Arc<dyn Clock>, cfg: ConsoleConfig) -> Consoles {
        Consoles { state: Arc::default(), clock, cfg }
    }

    /// Seconds without input after which a session ends.
    pub fn idle_timeout_secs(&self) -> u64 {
        self.cfg.idle_timeout_secs
    }

    /// A one-time ticket for `user`'s session `session` to open console `kind` of `vm`.
    pub fn issue(&self, user: UserId, session: [u8; 32], vm: VmId, kind: ConsoleKind) -> String {
        let raw = tokens::random_bytes();
        let now = self.clock.now();
        let secs = i64::try_from(self.cfg.ticket_secs).unwrap_or(i64::MAX);
        if let Ok(mut s) = self.state.lock() {
            s.tickets.retain(|_, t| t.expires > now);
            let ticket = Ticket { user, session, vm, kind, expires: now.plus_secs(secs) };
            s.tickets.insert(tokens::digest(&raw), ticket);
        }
        tokens::encode(&raw)
    }

    /// Admit a console session: the ticket is used up whatever the outcome; then it must
    /// belong to this session, VM and kind, be unexpired, and the limits must allow one more.
    pub fn admit(
        &self,
        ticket: &str,
        user: UserId,
        session: [u8; 32],
        vm: VmId,
        kind: ConsoleKind,
    ) -> Result<Admission, ConsoleError> {
        let raw = tokens::decode(ticket).ok_or(ConsoleError::NoTicket)?;
        let now = self.clock.now();
        let mut s = self.state.lock().map_err(|_| ConsoleError::NoTicket)?;
        let t = s.tickets.remove(&tokens::digest(&raw)).ok_or(ConsoleError::NoTicket)?;
        if t.expires <= now {
            return Err(ConsoleError::Expired);
        }
        if t.user != user || !tokens::ct_eq(&t.session, &session) || t.vm != vm || t.kind != kind {
            return Err(ConsoleError::Mismatch);
        }
        let on_vm = s.live.values().filter(|l| l.vm == vm).count();
        if on_vm >= self.cfg.max_per_vm {
            return Err(ConsoleError::VmLimit(on_vm));
        }
        let mine = s.live.values().filter(|l| l.user == user).count();
        if mine >= self.cfg.max_per_account {
            return Err(ConsoleError::AccountLimit(mine));
        }
        s.next += 1;
        let id = s.next;
        let (end, rx) = watch::channel(None);
        s.live.insert(id, Live { user, session, vm, kind, end });
        Ok(Admission { id, state: self.state.clone(), end: rx })
    }

    /// End the other serial sessions of `vm` (this one takes the serial port over).
    pub fn take_over_serial(&self, vm: VmId, keep: &Admission) {
        self.end_where(
            |id, l| id != keep.id && l.vm == vm && l.kind == ConsoleKind::Serial,
            Ended::TakenOver,
        );
    }

    /// End every session of `vm` (deleted, suspended, powered off by vpsbox).
    pub fn end_vm(&self, vm: VmId, why: Ended) {
        self.end_where(|_, l| l.vm == vm, why);
    }

    /// End every session opened by the login session `session` (logged out).
    pub fn end_session(&self, session: [u8; 32]) {
        self.end_where(|_, l| l.session == session, Ended::LoggedOut);
    }

    /// Open sessions of `vm`.
    pub fn open_on(&self, vm: VmId) -> usize {
        self.state.lock().map(|s| s.live.values().filter(|l| l.vm == vm).count()).unwrap_or(0)
    }

    fn end_where(&self, mut pick: impl FnMut(u64, &Live) -> bool, why: Ended) {
        if let Ok(s) = self.state.lock() {
            for (id, l) in &s.live {
                if pick(*id, l) {
                    let _ = l.end.send(Some(why));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    fn consoles(max_vm: usize, max_account: usize) -> (Consoles, ManualClock) {
        let clock = ManualClock::new(Timestamp::from_secs(1_800_000_000));
        let cfg = ConsoleConfig {
            max_per_vm: max_vm,
            max_per_account: max_account,
            idle_timeout_secs: 60,
            ticket_secs: 60,
        };
        (Consoles::new(Arc::new(clock.clone()), cfg), clock)
    }

    const S: [u8; 32] = [7; 32];

    #[test]
    fn tickets_are_single_use_bound_and_expire() {
        let (c, clock) = consoles(4, 8);
        let (u, vm) = (UserId(1), VmId(5));
        let t = c.issue(u, S, vm, ConsoleKind::Vnc);
        let a = c.admit(&t, u, S, vm, ConsoleKind::Vnc).unwrap();
        assert_eq!(c.admit(&t, u, S, vm, ConsoleKind::Vnc).err(), Some(ConsoleError::NoTicket), "used up");
        drop(a);
        for (user, session, vm2, kind) in [
            (UserId(2), S, vm, ConsoleKind::Vnc),
            (u, [8; 32], vm, ConsoleKind::Vnc),
            (u, S, VmId(6), ConsoleKind::Vnc),
            (u, S, vm, ConsoleKind::Serial),
        ] {
            let t = c.issue(u, S, vm, ConsoleKind::Vnc);
            assert_eq!(c.admit(&t, user, session, vm2, kind).err(), Some(ConsoleError::Mismatch));
        }
        let t = c.issue(u, S, vm, ConsoleKind::Vnc);
        clock.advance_secs(60);
        assert_eq!(c.admit(&t, u, S, vm, ConsoleKind::Vnc).err(), Some(ConsoleError::Expired));
        assert_eq!(c.admit("garbage", u, S, vm, ConsoleKind::Vnc).err(), Some(ConsoleError::NoTicket));
    }

    #[test]
    fn limits_per_vm_and_account_and_ending() {
        let (c, _) = consoles(2, 3);
        let u = UserId(1);
        let open = |vm: u64, kind| c.admit(&c.issue(u, S, VmId(vm), kind), u, S, VmId(vm), kind);
        let a = open(1, ConsoleKind::Vnc).unwrap();
        let b = open(1, ConsoleKind::Serial).unwrap();
        assert_eq!(open(1, ConsoleKind::Vnc).err(), Some(ConsoleError::VmLimit(2)));
        let d = open(2, ConsoleKind::Serial).unwrap();
        assert_eq!(open(3, ConsoleKind::Vnc).err(), Some(ConsoleError::AccountLimit(3)));
        drop(a);
        assert_eq!(c.open_on(VmId(1)), 1);
        let e = open(2, ConsoleKind::Serial).unwrap();
        c.take_over_serial(VmId(2), &e);
        assert_eq!(*d.end.borrow(), Some(Ended::TakenOver));
        assert!(e.end.borrow().is_none());
        c.end_vm(VmId(1), Ended::Deleted);
        assert_eq!(*b.end.borrow(), Some(Ended::Deleted));
        c.end_session(S);
        assert_eq!(*e.end.borrow(), Some(Ended::LoggedOut));
    }
}
