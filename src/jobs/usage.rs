//! Sampling every server's usage: one libvirt call for all domains' statistics per round,
//! booked into the usage history (and the abuse rule's streaks) in one transaction.

use std::sync::Arc;
use std::time::Duration;

use crate::hv::link::HvLink;
use crate::service::Coded;
use crate::service::usage::{Recorded, UsageHistory};

/// One sampling round; `None` when libvirt or the store could not be read (logged).
pub async fn sample_once(usage: &UsageHistory, hv: &HvLink) -> Option<Recorded> {
    let hv = hv.get().ok()?;
    let stats = match tokio::task::spawn_blocking(move || hv.domain_stats()).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            tracing::debug!(code = e.code(), "usage sampling skipped: {e}");
            return None;
        }
        Err(e) => {
            tracing::warn!("usage sampling task failed: {e}");
            return None;
        }
    };
    match usage.record(stats).await {
        Ok(r) => Some(r),
        Err(e) => {
            tracing::warn!(code = e.code(), "recording usage failed: {e}");
            None
        }
    }
}

/// Sample every `every`.
pub async fn run(
    usage: UsageHistory,
    hv: Arc<HvLink>,
    every: Duration,
    beats: crate::service::beats::JobBeats,
) {
    loop {
        tokio::time::sleep(every).await;
        if sample_once(&usage, &hv).await.is_some() {
            beats.ok("usage");
        }
    }
}
