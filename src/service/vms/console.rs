//! Reaching a running VM's consoles and display for the cabinet: the VNC socket, the serial
//! stream and a screenshot thumbnail, each only for a VM the caller sees, not suspended and
//! running on a hypervisor that has consoles (libvirt's test driver has none).

use crate::service::Caller;
use std::sync::Arc;

use super::{StateProblem, VmError, Vms};
use crate::domain::vm::{DomainKind, VmId};
use crate::hv::{ByteStream, Hypervisor};
use crate::service::blocking;
use crate::store::records::VmRecord;

impl Vms {
    /// The VM and the hypervisor, when its consoles can be opened now.
    fn console_target(&self, caller: &Caller, id: VmId) -> Result<(VmRecord, Arc<dyn Hypervisor>), VmError> {
        let vm = self.get(caller, id)?;
        if vm.suspended {
            return Err(VmError::Suspended);
        }
        let hv = self.hv()?;
        if self.domain_kind(hv.as_ref())? == DomainKind::Test {
            return Err(VmError::WrongState(StateProblem::NoConsoles));
        }
        if !hv.state(&vm.uuid)?.is_some_and(|s| s.is_active()) {
            return Err(VmError::WrongState(StateProblem::NotRunningConsole));
        }
        Ok((vm, hv))
    }

    /// Whether the VM's consoles can be opened now (for the console pages).
    pub async fn console_ready(&self, caller: &Caller, id: VmId) -> Result<(), VmError> {
        let this = self.clone();
        let caller = caller.clone();
        blocking(move || this.console_target(&caller, id).map(|_| ())).await
    }

    /// A socket to the VM's VNC server.
    pub async fn open_vnc(
        &self,
        caller: &Caller,
        id: VmId,
    ) -> Result<std::os::unix::net::UnixStream, VmError> {
        let this = self.clone();
        let caller = caller.clone();
        blocking(move || {
            let (vm, hv) = this.console_target(&caller, id)?;
            Ok(hv.open_vnc(&vm.uuid)?)
        })
        .await
    }

    /// A stream to the VM's first serial port, taken over from any other client.
    pub async fn open_serial(&self, caller: &Caller, id: VmId) -> Result<Arc<dyn ByteStream>, VmError> {
        let this = self.clone();
        let caller = caller.clone();
        blocking(move || {
            let (vm, hv) = this.console_target(&caller, id)?;
            Ok(hv.open_serial(&vm.uuid, true)?)
        })
        .await
    }

    /// A PNG thumbnail (at most `max_width` wide) of the VM's display.
    pub async fn screenshot(&self, caller: &Caller, id: VmId, max_width: usize) -> Result<Vec<u8>, VmError> {
        let this = self.clone();
        let caller = caller.clone();
        blocking(move || {
            let vm = this.get(&caller, id)?;
            let hv = this.hv()?;
            if !hv.state(&vm.uuid)?.is_some_and(|s| s.is_active()) {
                return Err(VmError::WrongState(StateProblem::NotRunning));
            }
            let (mime, data) = hv.screenshot(&vm.uuid)?;
            crate::host::thumbnail::thumbnail(&mime, &data, max_width)
                .map_err(|e| VmError::WrongState(StateProblem::Screen(e.to_string())))
        })
        .await
    }
}
