//! The `[metrics]` section: `/metrics` on a separate listen address, without a token.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

/// Where else `/metrics` is served.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// A plain-HTTP address serving `/metrics` to anyone who reaches it (no token): bind it
    /// to loopback or a private network only. Unset: `/metrics` only on the cabinet's port,
    /// for a metrics token.
    pub listen: Option<SocketAddr>,
}
