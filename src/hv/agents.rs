//! What libvirt last said about each domain's guest agent, so a page can tell whether the
//! agent answers without asking libvirt for the domain's live XML on every view.
//!
//! The state is learned once per running domain (from its live XML) and then kept current by
//! libvirt's events: an agent lifecycle event sets it, any lifecycle event of the domain
//! (start, stop, redefinition...) forgets it, so the next look asks again. A connection that
//! cannot deliver agent events keeps nothing and every look asks.

use std::collections::HashMap;
use std::sync::Mutex;

use uuid::Uuid;

#[derive(Default)]
struct Known {
    /// Per domain: whether its agent is connected (`None`: it has no agent port).
    states: HashMap<Uuid, Option<bool>>,
    /// Bumped by every event: a state read from libvirt is kept only when no event came in
    /// between, so a late answer cannot overwrite what an event said.
    epoch: u64,
    /// Whether agent events and lifecycle events arrive on this connection.
    agent_events: bool,
    lifecycle_events: bool,
}

impl Known {
    /// What is learned is kept only while both kinds of events keep it true.
    fn listening(&self) -> bool {
        self.agent_events && self.lifecycle_events
    }
}

/// The guest agents' states of one libvirt connection.
#[derive(Default)]
pub struct AgentStates {
    known: Mutex<Known>,
}

impl AgentStates {
    fn with<T>(&self, f: impl FnOnce(&mut Known) -> T) -> T {
        let mut k = self.known.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut k)
    }

    /// Agent events are registered on the connection.
    pub fn agent_events_follow(&self) {
        self.with(|k| k.agent_events = true);
    }

    /// Lifecycle events are registered on the connection (and call [`AgentStates::domain_event`]).
    pub fn lifecycle_events_follow(&self) {
        self.with(|k| k.lifecycle_events = true);
    }

    /// What is known about `uuid`'s agent without asking libvirt: `None` when it must be asked.
    pub fn known(&self, uuid: &Uuid) -> Option<Option<bool>> {
        self.with(|k| if k.listening() { k.states.get(uuid).copied() } else { None })
    }

    /// What is known about `uuid`'s agent, else what `ask` answers (kept when no event came
    /// while it was asked).
    pub fn known_or_ask<E>(
        &self,
        uuid: Uuid,
        ask: impl FnOnce() -> Result<Option<bool>, E>,
    ) -> Result<Option<bool>, E> {
        if let Some(known) = self.known(&uuid) {
            return Ok(known);
        }
        let epoch = self.epoch();
        let state = ask()?;
        self.learned(uuid, state, epoch);
        Ok(state)
    }

    fn epoch(&self) -> u64 {
        self.with(|k| k.epoch)
    }

    /// libvirt answered `state` for `uuid`, asked at `epoch`.
    fn learned(&self, uuid: Uuid, state: Option<bool>, epoch: u64) {
        self.with(|k| {
            if k.listening() && k.epoch == epoch {
                k.states.insert(uuid, state);
            }
        });
    }

    /// An agent lifecycle event: `uuid`'s agent connected or disconnected.
    pub fn agent_event(&self, uuid: Uuid, connected: bool) {
        self.with(|k| {
            k.epoch += 1;
            k.states.insert(uuid, Some(connected));
        });
    }

    /// A domain lifecycle event: what was known about `uuid` no longer holds.
    pub fn domain_event(&self, uuid: &Uuid) {
        self.with(|k| {
            k.epoch += 1;
            k.states.remove(uuid);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_events_say_and_forgets_on_lifecycle_changes() {
        let a = AgentStates::default();
        let u = Uuid::from_u128(7);
        // Not listening: nothing is kept, every look asks.
        a.learned(u, Some(false), a.epoch());
        assert_eq!(a.known(&u), None);
        a.agent_events_follow();
        a.learned(u, Some(false), a.epoch());
        assert_eq!(a.known(&u), None, "agent events alone cannot tell when a domain stops");
        a.lifecycle_events_follow();
        a.learned(u, Some(false), a.epoch());
        assert_eq!(a.known(&u), Some(Some(false)));
        a.agent_event(u, true);
        assert_eq!(a.known(&u), Some(Some(true)));
        a.domain_event(&u);
        assert_eq!(a.known(&u), None);
        a.learned(u, None, a.epoch());
        assert_eq!(a.known(&u), Some(None), "no agent port is kept too");
    }

    #[test]
    fn an_answer_older_than_an_event_is_dropped() {
        let a = AgentStates::default();
        a.agent_events_follow();
        a.lifecycle_events_follow();
        let u = Uuid::from_u128(9);
        let asked_at = a.epoch();
        a.agent_event(u, true); // the agent connects while libvirt's answer is on its way
        a.learned(u, Some(false), asked_at);
        assert_eq!(a.known(&u), Some(Some(true)));
        let other = Uuid::from_u128(10);
        a.learned(other, Some(false), asked_at);
        assert_eq!(a.known(&other), None, "any event in between makes the answer stale");
    }
}
