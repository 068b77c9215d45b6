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
    /// Automatic certificates from an ACME CA.
    pub acme: AcmeConfig,
}

/// The `[tls.acme]` section: certificates from an ACME CA (Let's Encrypt and the like) for the
/// cabinet's names, proved by TLS-ALPN-01 on the cabinet's port (which must be the CA's port
/// 443 of the names, directly or forwarded).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AcmeConfig {
    /// The CA's directory URL, e.g. `https://acme-v02.api.letsencrypt.org/directory`. Empty:
    /// no ACME.
    pub directory: String,
    /// The e-mail address the CA may write to about the account.
    pub contact: String,
    /// DNS names of the certificate. Empty: the host of `public_url`.
    pub names: Vec<String>,
    /// A PEM file of the CA roots to trust for the directory's HTTPS (a private or test CA).
    /// Unset: the usual public roots.
    pub ca_file: Option<PathBuf>,
    /// How the names are proved: `tls-alpn-01` on the cabinet's port (443), or `http-01` on
    /// the redirect listener (`[tls] redirect_http`, port 80).
    pub challenge: AcmeChallenge,
}

/// How an ACME CA checks that the names are the cabinet's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AcmeChallenge {
    /// RFC 8737: a certificate for the `acme-tls/1` protocol on the cabinet's port.
    #[default]
    #[serde(rename = "tls-alpn-01")]
    TlsAlpn01,
    /// RFC 8555: a file under `/.well-known/acme-challenge/` on the redirect listener.
    #[serde(rename = "http-01")]
    Http01,
}

impl AcmeConfig {
    /// Whether certificates come from a CA.
    pub fn enabled(&self) -> bool {
        !self.directory.is_empty()
    }

    /// The names to certify: the configured ones, else the host of `public_url`.
    pub fn names(&self, public_url: &str) -> Vec<String> {
        if !self.names.is_empty() {
            return self.names.clone();
        }
        let host =
            public_url.strip_prefix("https://").unwrap_or("").split(['/', '?', '#']).next().unwrap_or("");
        let host = host
            .rsplit_once(':')
            .map_or(host, |(h, port)| if port.chars().all(|c| c.is_ascii_digit()) { h } else { host });
        if host.is_empty() { Vec::new() } else { vec![host.to_ascii_lowercase()] }
    }
}

impl TlsConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.cert.is_some() != self.key.is_some() {
            return Err("tls.cert and tls.key must be set together".into());
        }
        if self.acme.enabled() {
            if self.cert.is_some() {
                return Err(
                    "tls.acme and tls.cert exclude each other: choose one source of certificates".into()
                );
            }
            if self.acme.challenge == AcmeChallenge::Http01 && self.redirect_http.is_none() {
                return Err("tls.acme.challenge = \"http-01\" needs tls.redirect_http (port 80)".into());
            }
            if !self.acme.directory.starts_with("https://") {
                return Err("tls.acme.directory must be an https:// URL".into());
            }
            if self
                .acme
                .names
                .iter()
                .any(|n| n.parse::<std::net::IpAddr>().is_ok() || !n.contains('.') && n != "localhost")
            {
                return Err(
                    "tls.acme.names are DNS names (an IP address cannot get a certificate here)".into()
                );
            }
        }
        Ok(())
    }
}
