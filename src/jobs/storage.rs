//! Watching the host's storage: the state store is probed every few seconds (and reopened when
//! writes fail, see `Store::probe`), free space of the data and backup directories every ten
//! minutes.

use std::sync::Arc;
use std::time::Duration;

use crate::clock::Clock;
use crate::service::Coded;
use crate::service::storage::{self, SpaceFloor};
use crate::store::Store;

/// How often the store is probed.
pub const PROBE_INTERVAL: Duration = Duration::from_secs(3);

/// How often free space is looked at.
pub const SPACE_INTERVAL: Duration = Duration::from_secs(600);

/// Run until the task is aborted.
pub async fn run(store: Arc<Store>, clock: Arc<dyn Clock>, floor: SpaceFloor) {
    let mut tick = tokio::time::interval(PROBE_INTERVAL);
    let mut space_due = tokio::time::Instant::now();
    loop {
        tick.tick().await;
        let (s, c) = (store.clone(), clock.clone());
        let _ = tokio::task::spawn_blocking(move || storage::check_store(&s, c.now())).await;
        if tokio::time::Instant::now() >= space_due {
            space_due = tokio::time::Instant::now() + SPACE_INTERVAL;
            let (s, c, f) = (store.clone(), clock.clone(), floor.clone());
            match tokio::task::spawn_blocking(move || storage::warn_low_space(&s, &f, c.now())).await {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => tracing::warn!(directories = n, "free space is low"),
                Ok(Err(e)) => tracing::warn!(code = e.code(), "cannot warn about free space: {e}"),
                Err(e) => tracing::warn!("free space check failed: {e}"),
            }
        }
    }
}
