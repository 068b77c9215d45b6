//! What admins do about a server the abuse rule flagged (`service::abuse`): cap its CPU (libvirt
//! `<cputune>`, applied to the running guest at once and kept in its definition), lift the cap,
//! suspend it with a note its owner reads, or close the case. Each step is applied first, then
//! recorded with its audit entry and its notice in one transaction.

use super::Vms;
use crate::domain::vm::{CpuLimits, VmId};
use crate::i18n::Msg;
use crate::service::caller::Caller;
use crate::service::notices::{notify_in, told};
use crate::service::{audit, blocking};
use crate::store::abuse::{self, AbuseCase};
use crate::store::notices::Audience;
use crate::store::tables::CPU_BUSY_SINCE;

use super::VmError;

impl Vms {
    /// A server's persistent domain definition as libvirt keeps it (diagnostics).
    pub fn domain_definition(&self, caller: &Caller, id: VmId) -> Result<Option<String>, VmError> {
        if !caller.is_admin() {
            return Err(VmError::NotFound);
        }
        let vm = self.get(caller, id)?;
        Ok(self.hv()?.domain_xml(&vm.uuid, true)?)
    }

    /// The abuse case about a server, for an admin.
    pub fn abuse_case(&self, caller: &Caller, id: VmId) -> Result<Option<AbuseCase>, VmError> {
        if !caller.is_admin() {
            return Err(VmError::NotFound);
        }
        Ok(crate::service::abuse::case_in(&self.store.read()?, id)?)
    }

    /// Cap a flagged server's CPU at `percent` of each vCPU.
    pub async fn abuse_cap(&self, caller: &Caller, id: VmId, percent: u8) -> Result<AbuseCase, VmError> {
        if !(1..=100).contains(&percent) {
            return Err(VmError::CpuCapRange);
        }
        self.abuse_step(caller, id, Step::Cap(percent)).await
    }

    /// Lift the cap of a flagged server.
    pub async fn abuse_lift(&self, caller: &Caller, id: VmId) -> Result<AbuseCase, VmError> {
        self.abuse_step(caller, id, Step::Lift).await
    }

    /// Close a server's case (lifting its cap): the rule may flag it again after a new streak.
    pub async fn abuse_close(&self, caller: &Caller, id: VmId) -> Result<AbuseCase, VmError> {
        self.abuse_step(caller, id, Step::Close).await
    }

    /// Suspend a flagged server (powered off, its owner cannot start it) with `note` for its
    /// owner.
    pub async fn abuse_suspend(&self, caller: &Caller, id: VmId, note: &str) -> Result<AbuseCase, VmError> {
        let note: String = note.trim().chars().take(500).collect();
        let case = self.open_case(caller, id)?;
        self.set_suspended_for(caller, id, true, &note).await?;
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let case = AbuseCase { suspended: Some(note.clone()), ..case };
            abuse::put(&tx, &case)?;
            let args = vec![("hostname", case.hostname.clone().into()), ("note", note.clone().into())];
            audit::record(
                &tx,
                now,
                &caller,
                case.owner,
                &format!("vm:{id}"),
                "abuse.suspend",
                note.as_str(),
            )?;
            let n = told(
                "vm.abuse_suspended",
                Msg::NoticeAbuseSuspended,
                Some(Msg::NoticeAbuseBody),
                args,
                Some(format!("/vms/{id}")),
            );
            notify_in(&tx, now, Audience::User(case.owner), n)?;
            tx.commit()?;
            Ok(case)
        })
        .await
    }

    fn open_case(&self, caller: &Caller, id: VmId) -> Result<AbuseCase, VmError> {
        match self.abuse_case(caller, id)? {
            Some(c) if c.is_open() => Ok(c),
            _ => Err(VmError::NoAbuseCase),
        }
    }

    async fn abuse_step(&self, caller: &Caller, id: VmId, step: Step) -> Result<AbuseCase, VmError> {
        let case = self.open_case(caller, id)?;
        let vm = self.get(caller, id)?;
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        let cap = match step {
            Step::Cap(p) => Some(p),
            Step::Lift | Step::Close => None,
        };
        if cap != case.cap {
            let this = self.clone();
            let v = vm.clone();
            blocking(move || {
                let (plan, _) = super::limits::plan_limits_in(&this.store.read()?, &v)?;
                this.apply_limits(&v, Some(plan.tighter(CpuLimits { shares: None, cap_percent: cap })))
            })
            .await?;
        }
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let before = case.cap;
            let case = AbuseCase { cap, closed_at: matches!(step, Step::Close).then_some(now), ..case };
            abuse::put(&tx, &case)?;
            if matches!(step, Step::Close) {
                // A new case needs a new streak.
                tx.open_table(CPU_BUSY_SINCE)?.remove(id.0)?;
            }
            let resource = format!("vm:{id}");
            let (action, detail) = match step {
                Step::Cap(p) => ("abuse.cap", format!("{p}%")),
                Step::Lift => ("abuse.lift", String::new()),
                Step::Close => ("abuse.close", String::new()),
            };
            audit::record(&tx, now, &caller, case.owner, &resource, action, detail)?;
            if let Some(n) = owner_notice(&case, before, id) {
                notify_in(&tx, now, Audience::User(case.owner), n)?;
            }
            tx.commit()?;
            Ok::<_, VmError>(case)
        })
        .await
    }
}

/// An admin's step on a case.
#[derive(Debug, Clone, Copy)]
enum Step {
    Cap(u8),
    Lift,
    Close,
}

/// What the owner is told when the cap changed.
fn owner_notice(
    case: &AbuseCase,
    before: Option<u8>,
    id: VmId,
) -> Option<crate::store::notices::NewNotice<'static>> {
    let link = Some(format!("/vms/{id}"));
    let host = ("hostname", case.hostname.clone().into());
    match (before, case.cap) {
        (_, Some(p)) if before != Some(p) => Some(told(
            "vm.abuse_capped",
            Msg::NoticeAbuseCapped,
            Some(Msg::NoticeAbuseBody),
            vec![host, ("percent", p.into())],
            link,
        )),
        (Some(_), None) => Some(told("vm.abuse_lifted", Msg::NoticeAbuseLifted, None, vec![host], link)),
        _ => None,
    }
}
