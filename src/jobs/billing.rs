//! Meters every complete hour and reviews accounts' standing, every minute (and right at
//! start, so hours missed while the daemon was down are metered once).

use std::time::Duration;

use crate::service::Coded;
use crate::service::billing::Billing;

/// How often the meter looks for complete hours.
pub const INTERVAL: Duration = Duration::from_secs(60);

/// Run until the task is aborted.
pub async fn run(billing: Billing, beats: crate::service::beats::JobBeats) {
    let mut tick = tokio::time::interval(INTERVAL);
    loop {
        tick.tick().await;
        let r = billing.tick().await;
        beats.outcome("billing", &r);
        match r {
            Ok(r) if r.hours > 0 => {
                tracing::info!(hours = r.hours, lines = r.lines, statements = r.statements, "metered")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(code = e.code(), "metering failed: {e}"),
        }
    }
}
