//! Keeping VM records in step with the hypervisor: domain events update power states at once;
//! the reconcile loop resumes unfinished operations and repairs drift periodically.

use std::sync::Arc;
use std::time::Duration;

use crate::hv::link::{DomainEvents, HvLink};
use crate::service::Coded;
use crate::service::Vms;

/// Apply domain events until the channel closes.
pub async fn events(vms: Vms, hv: Arc<HvLink>, mut rx: DomainEvents) {
    while let Some(uuid) = rx.recv().await {
        let Ok(link) = hv.get() else { continue };
        let vms2 = vms.clone();
        let r = tokio::task::spawn_blocking(move || match link.state(&uuid) {
            Ok(Some(state)) => vms2.observe_power(&uuid, state).map_err(|e| e.to_string()),
            Ok(None) => Ok(false),
            Err(e) => Err(e.to_string()),
        })
        .await;
        if let Ok(Err(e)) = r {
            tracing::warn!(%uuid, "applying a domain event failed: {e}");
        }
    }
}

/// Recover unfinished operations once the hypervisor answers, then reconcile every `every`.
pub async fn reconcile(vms: Vms, hv: Arc<HvLink>, every: Duration) {
    let mut recovered = false;
    loop {
        if hv.get().is_ok() {
            if !recovered {
                match vms.recover().await {
                    Ok(n) => {
                        recovered = true;
                        if n > 0 {
                            tracing::warn!(operations = n, "resumed unfinished operations");
                        }
                    }
                    Err(e) => tracing::warn!(code = e.code(), "recovery failed: {e}"),
                }
            } else if let Err(e) = vms.resume_stalled() {
                tracing::warn!(code = e.code(), "resuming stalled operations failed: {e}");
            }
            if let Err(e) = vms.reconcile().await {
                tracing::warn!(code = e.code(), "reconcile failed: {e}");
            }
        }
        tokio::time::sleep(every).await;
    }
}
