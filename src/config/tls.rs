//! The `[tls]` section: the certificate, the names of a generated one, the redirect listener.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// TLS certificate source and the optional HTTP→HTTPS redirect listener.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TlsConfig {
    /// PEM certificate chain. Empty: a self-signed certificate is generated in
    /// `DATA_DIR/tls/` on first start.
    pub cert: Option<PathBuf>,
    /// PEM private key for `cert`.
    pub key: Option<PathBuf>,
    /// Extra DNS names or IP addresses for the generated certificate (the host name,
    /// `localhost`, 127.0.0.1 and ::1 are always included).
    pub extra_names: Vec<String>,
    /// Plain-HTTP listener that only redirects to HTTPS (e.g. `0.0.0.0:80`). Unset: none.
    pub redirect_http: Option<SocketAddr>,
}

impl TlsConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.cert.is_some() != self.key.is_some() {
            return Err("tls.cert and tls.key must be set together".into());
        }
        Ok(())
    }
}
