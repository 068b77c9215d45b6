//! A new root password for a server: kept (hashed) for its next reinstall, and set in the
//! running guest at once through the QEMU guest agent where the guest runs one.

use super::{VmError, Vms};
use crate::domain::vm::VmId;
use crate::hv::HvError;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::store::records::VmRecord;

/// Where a new root password took effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordApplied {
    /// In the running guest, now (and at the next reinstall).
    Now,
    /// At the next reinstall only: the server is off, or its guest runs no agent (why).
    AtReinstall(String),
}

impl Vms {
    /// Set `id`'s root password to `password` (10–128 characters).
    pub async fn set_root_password(
        &self,
        caller: &Caller,
        id: VmId,
        password: &str,
    ) -> Result<PasswordApplied, VmError> {
        if !(10..=128).contains(&password.chars().count()) {
            return Err(VmError::PasswordWeak);
        }
        let vm = self.get(caller, id)?;
        if self.deletion_of(id)?.is_some() {
            return Err(VmError::DeletionPending);
        }
        // The agent would answer from the rescue system, not the server's own.
        if self.rescue_of(id)?.is_some() {
            return Err(VmError::InRescue);
        }
        let pw = password.to_string();
        let hash = blocking(move || super::create::hash_root_password(&pw)).await?;
        let lock = self.lock_of(id);
        let _guard = lock.lock().await;
        let applied = match self.hv() {
            Ok(hv) => {
                let (uuid, pw) = (vm.uuid, password.to_string());
                blocking(move || {
                    Ok::<_, VmError>(match hv.state(&uuid)? {
                        Some(s) if s.is_active() => match hv.set_user_password(&uuid, "root", &pw) {
                            Ok(()) => PasswordApplied::Now,
                            Err(HvError::NoAgent(why)) => PasswordApplied::AtReinstall(why),
                            Err(e) => return Err(e.into()),
                        },
                        _ => PasswordApplied::AtReinstall("the server is not running".into()),
                    })
                })
                .await?
            }
            Err(e) => PasswordApplied::AtReinstall(e.to_string()),
        };
        let detail = match &applied {
            PasswordApplied::Now => "applied in the guest".to_string(),
            PasswordApplied::AtReinstall(why) => format!("at the next reinstall ({why})"),
        };
        self.update(id, caller, "vm.root_password", detail, move |vm, _| {
            vm.root_password_hash = Some(hash);
            Ok(())
        })
        .await?;
        Ok(applied)
    }
}

impl Vms {
    /// Whether the guest of `vm` (a server the caller was already shown, as the page's model
    /// read it) runs the QEMU guest agent now (a new root password then works at once): `None`
    /// when the server is not running or libvirt cannot say. Answered from libvirt's events
    /// when they told it already, else asked.
    pub async fn agent_answers(&self, vm: &VmRecord) -> Result<Option<bool>, VmError> {
        let Ok(hv) = self.hv() else { return Ok(None) };
        if let Some(known) = hv.agent_known(&vm.uuid) {
            return Ok(known);
        }
        let uuid = vm.uuid;
        blocking(move || Ok(hv.agent_connected(&uuid)?)).await
    }
}
