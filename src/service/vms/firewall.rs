//! A VM's inbound firewall (see `domain::firewall`): recorded in redb, enforced by the VM's
//! libvirt network filter, which libvirt applies to the running interface at once (no reboot).
//! A change the hypervisor refuses is taken back, so the record and the filter never disagree
//! for long; reconcile corrects a filter that drifted anyway (its rules carry the digest).

use redb::ReadableTable;

use super::network::ready_vm;
use super::{VmError, Vms};
use crate::domain::firewall::{Action, Firewall, MAX_RULES, Rule, RuleError};
use crate::domain::vm::{DomainKind, VmId};
use crate::i18n::Msg;
use crate::service::audit;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::store::codec::{decode, encode};
use crate::store::records::FirewallRecord;
use crate::store::tables::VM_FIREWALLS;

/// A VM's firewall inside `tx` (everything allowed when none was set).
pub fn firewall_in(tx: &redb::ReadTransaction, id: VmId) -> Result<Firewall, VmError> {
    let t = tx.open_table(VM_FIREWALLS)?;
    Ok(match t.get(id.0)? {
        Some(v) => decode::<FirewallRecord>(v.value())?.firewall,
        None => Firewall::default(),
    })
}

impl Vms {
    /// A VM's firewall (everything allowed when none was set).
    pub fn firewall(&self, id: VmId) -> Result<Firewall, VmError> {
        firewall_in(&self.store.read()?, id)
    }

    /// Add a rule at the end (or at `position`, 0-based).
    pub async fn add_firewall_rule(
        &self,
        caller: &Caller,
        id: VmId,
        rule: Rule,
        position: Option<usize>,
    ) -> Result<Firewall, VmError> {
        self.change_firewall(caller, id, move |fw| {
            if fw.rules.len() >= MAX_RULES {
                return Err(RuleError::TooMany.into());
            }
            let detail = audit::told(Msg::AuditFirewallAdd, rule_args(&rule));
            let at = position.unwrap_or(fw.rules.len()).min(fw.rules.len());
            fw.rules.insert(at, rule);
            Ok(detail)
        })
        .await
    }

    /// Remove rule number `index` (0-based).
    pub async fn remove_firewall_rule(
        &self,
        caller: &Caller,
        id: VmId,
        index: usize,
    ) -> Result<Firewall, VmError> {
        self.change_firewall(caller, id, move |fw| {
            if index >= fw.rules.len() {
                return Err(VmError::NotFound);
            }
            let r = fw.rules.remove(index);
            Ok(audit::told(Msg::AuditFirewallRemove, rule_args(&r)))
        })
        .await
    }

    /// Set what happens to traffic no rule matches.
    pub async fn set_firewall_default(
        &self,
        caller: &Caller,
        id: VmId,
        default: Action,
    ) -> Result<Firewall, VmError> {
        self.change_firewall(caller, id, move |fw| {
            fw.default = default;
            Ok(audit::told(Msg::AuditFirewallDefault, vec![("action", default.as_str().into())]))
        })
        .await
    }

    /// Change the recorded firewall, then the filter; if the hypervisor refuses, the old
    /// firewall is put back.
    async fn change_firewall(
        &self,
        caller: &Caller,
        id: VmId,
        change: impl FnOnce(&mut Firewall) -> Result<audit::Detail, VmError> + Send + 'static,
    ) -> Result<Firewall, VmError> {
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        let (vm, old, new) = blocking(move || {
            let tx = store.write()?;
            let vm = ready_vm(&tx, &caller, id)?;
            let old = match tx.open_table(VM_FIREWALLS)?.get(id.0)? {
                Some(v) => decode::<FirewallRecord>(v.value())?.firewall,
                None => Firewall::default(),
            };
            let mut new = old.clone();
            let detail = change(&mut new)?;
            let rec = FirewallRecord { firewall: new.clone(), updated_at: now };
            tx.open_table(VM_FIREWALLS)?.insert(id.0, encode(&rec)?.as_slice())?;
            audit::record(&tx, now, &caller, vm.owner, &format!("vm:{id}"), "vm.firewall", detail)?;
            tx.commit()?;
            Ok::<_, VmError>((vm, old, new))
        })
        .await?;
        let this = self.clone();
        let vm2 = vm.clone();
        let applied = blocking(move || {
            let hv = this.hv()?;
            if this.domain_kind(hv.as_ref())? != DomainKind::Test && this.public_nic(&vm2).is_some() {
                hv.define_filter(&this.filter_of(&vm2)?)?;
            }
            Ok::<_, VmError>(())
        })
        .await;
        if let Err(e) = applied {
            let (store, now) = (self.store.clone(), self.clock.now());
            blocking(move || {
                let tx = store.write()?;
                let rec = FirewallRecord { firewall: old, updated_at: now };
                tx.open_table(VM_FIREWALLS)?.insert(id.0, encode(&rec)?.as_slice())?;
                tx.commit()?;
                Ok::<_, VmError>(())
            })
            .await?;
            tracing::error!(vm = %vm.id, "firewall change not applied, taken back: {e}");
            return Err(e);
        }
        Ok(new)
    }
}

/// A rule as the arguments of `firewall-rule-text` (the cabinet's words for it).
pub fn rule_args(r: &crate::domain::firewall::Rule) -> crate::error::Args {
    let ports = match r.ports {
        None => "all".to_string(),
        Some((a, b)) if a == b => a.to_string(),
        Some((a, b)) => format!("{a}-{b}"),
    };
    let source = r.source.as_ref().map_or_else(|| "anywhere".to_string(), |c| c.to_string());
    vec![
        ("action", r.action.as_str().into()),
        ("protocol", r.protocol.as_str().into()),
        ("ports", ports.into()),
        ("source", source.into()),
    ]
}
