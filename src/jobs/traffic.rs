//! Sampling the public interfaces' byte counters into the traffic tables, then the traffic
//! allowance rule on them.

use std::sync::Arc;
use std::time::Duration;

use crate::hv::link::HvLink;
use crate::service::Coded;
use crate::service::traffic::Traffic;
use crate::service::vms::Vms;

/// One sampling round: read every running VM's counters and book them. Returns whether it
/// did.
pub async fn sample_once(vms: &Vms, traffic: &Traffic) -> bool {
    let v = vms.clone();
    let samples = match tokio::task::spawn_blocking(move || v.traffic_samples()).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            tracing::debug!(code = e.code(), "traffic sampling skipped: {e}");
            return false;
        }
        Err(e) => {
            tracing::warn!("traffic sampling task failed: {e}");
            return false;
        }
    };
    match traffic.record(samples).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(code = e.code(), "recording traffic failed: {e}");
            false
        }
    }
}

/// Sample every `every` while the hypervisor answers.
pub async fn run(
    vms: Vms,
    traffic: Traffic,
    hv: Arc<HvLink>,
    every: Duration,
    beats: crate::service::beats::JobBeats,
) {
    loop {
        tokio::time::sleep(every).await;
        if hv.get().is_ok() && sample_once(&vms, &traffic).await {
            // The allowance rule on what was just booked (also when a month began).
            match vms.enforce_allowances().await {
                Ok(r) if r != Default::default() => tracing::info!(?r, "traffic allowances enforced"),
                Ok(_) => {}
                Err(e) => tracing::warn!(code = e.code(), "traffic allowances not enforced: {e}"),
            }
            beats.ok("traffic");
        }
    }
}
