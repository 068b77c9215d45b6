//! Keeping VM records in step with the hypervisor: domain events update power states at once;
//! the reconcile loop resumes unfinished operations and repairs drift periodically.

use std::sync::Arc;
use std::time::Duration;

use crate::domain::vm::StopReason;
use crate::hv::link::{DomainEvents, HvLink};
use crate::service::Coded;
use crate::service::Vms;
use crate::service::disks::Disks;
use crate::service::privnets::PrivateNets;

/// Act on domain reboots until the channel closes: a server that booted an ISO meant to boot
/// once goes back to its disk.
pub async fn reboots(vms: Vms, mut rx: DomainEvents) {
    while let Some(uuid) = rx.recv().await {
        if let Err(e) = vms.after_reboot(&uuid).await {
            tracing::warn!(%uuid, code = e.code(), "after a reboot: {e}");
        }
    }
}

/// Apply domain events until the channel closes.
pub async fn events(vms: Vms, hv: Arc<HvLink>, mut rx: DomainEvents) {
    while let Some(uuid) = rx.recv().await {
        let Ok(link) = hv.get() else { continue };
        let vms2 = vms.clone();
        let r = tokio::task::spawn_blocking(move || -> Result<bool, String> {
            let Some(state) = link.state(&uuid).map_err(|e| e.to_string())? else { return Ok(false) };
            let reason = if state.is_active() {
                None
            } else {
                match link.stop_reason(&uuid).map_err(|e| e.to_string())? {
                    Some(r) => Some(r),
                    // Undefined between the two looks: reconcile finds it missing, with the
                    // power it was meant to have (recording "off" now would lose that).
                    None => return Ok(false),
                }
            };
            let changed = vms2.observe_power(&uuid, state, reason).map_err(|e| e.to_string())?;
            if reason.is_some_and(StopReason::may_be_platform) {
                vms2.restart_after_fault(&uuid).map_err(|e| e.to_string())?;
            }
            Ok(changed)
        })
        .await;
        if let Ok(Err(e)) = r {
            tracing::warn!(%uuid, "applying a domain event failed: {e}");
        }
    }
}

/// Once the hypervisor answers: bring the public network (if vpsbox makes one) and private
/// networks (every pass) and disk images (once) in
/// line with the records, recover unfinished operations and interrupted backups once, then
/// reconcile every `every`.
pub async fn reconcile(
    vms: Vms,
    nets: PrivateNets,
    disks: Disks,
    backups: crate::service::backups::Backups,
    hv: Arc<HvLink>,
    every: Duration,
    beats: crate::service::beats::JobBeats,
) {
    let mut recovered = false;
    let mut files_checked = false;
    loop {
        if hv.get().is_ok() {
            // Networks and disk images first: recovery may start VMs that use them.
            let (n, d, v) = (nets.clone(), disks.clone(), vms.clone());
            let check_files = !files_checked;
            let done = tokio::task::spawn_blocking(move || {
                if let Err(e) = v.ensure_public_network() {
                    tracing::warn!(code = e.code(), "public network check failed: {e}");
                }
                if let Err(e) = n.reconcile() {
                    tracing::warn!(code = e.code(), "private network reconcile failed: {e}");
                }
                check_files.then(|| d.reconcile_files())
            })
            .await;
            match done {
                Ok(Some(Err(e))) => tracing::warn!(code = e.code(), "disk image check failed: {e}"),
                Ok(Some(Ok((made, removed)))) => {
                    files_checked = true;
                    if made + removed > 0 {
                        tracing::warn!(made, removed, "disk images brought in line with the records");
                    }
                }
                Ok(None) => {}
                Err(e) => tracing::error!("reconcile task failed: {e}"),
            }
            if !recovered {
                match vms.recover().await {
                    Ok(n) => {
                        recovered = true;
                        if n > 0 {
                            tracing::warn!(operations = n, "resumed unfinished operations");
                        }
                        match backups.recover().await {
                            Ok(0) => {}
                            Ok(n) => tracing::warn!(
                                backups = n,
                                "backups interrupted by a daemon stop were failed and cleared"
                            ),
                            Err(e) => tracing::warn!(code = e.code(), "backup recovery failed: {e}"),
                        }
                    }
                    Err(e) => tracing::warn!(code = e.code(), "recovery failed: {e}"),
                }
            } else if let Err(e) = vms.resume_stalled() {
                tracing::warn!(code = e.code(), "resuming stalled operations failed: {e}");
            }
            let r = vms.reconcile().await;
            beats.outcome("reconcile", &r);
            if let Err(e) = r {
                tracing::warn!(code = e.code(), "reconcile failed: {e}");
            }
            match vms.delete_due().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(servers = n, "deleting servers whose grace period ended"),
                Err(e) => tracing::warn!(code = e.code(), "scheduled deletions failed: {e}"),
            }
        }
        tokio::time::sleep(every).await;
    }
}
