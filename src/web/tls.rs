//! TLS: the certificate (configured PEM files, or a self-signed one generated into
//! `DATA_DIR/tls/` on first start) and the rustls server configuration (TLS 1.2 and 1.3 only,
//! ring crypto, ALPN h2 + http/1.1).

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};

use crate::config::Config;

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file could not be read or written.
    #[error("TLS file {path}: {source}")]
    Io {
        /// File in question.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The PEM content is unusable.
    #[error("TLS file {path}: {message}")]
    Pem {
        /// File in question.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Generating the self-signed certificate failed.
    #[error("Cannot generate a self-signed certificate: {0}")]
    Generate(String),
    /// rustls refused the certificate and key.
    #[error("The TLS certificate and key do not fit together: {0}")]
    Rustls(String),
}

impl crate::service::Coded for TlsError {
    fn kind(&self) -> crate::service::ErrorKind {
        crate::service::ErrorKind::Internal
    }

    fn code(&self) -> &'static str {
        match self {
            TlsError::Io { .. } => "TLS0001",
            TlsError::Pem { .. } => "TLS0002",
            TlsError::Generate(_) => "TLS0003",
            TlsError::Rustls(_) => "TLS0004",
        }
    }
}

/// Where the certificate and key live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertFiles {
    /// PEM certificate chain.
    pub cert: PathBuf,
    /// PEM private key.
    pub key: PathBuf,
    /// Whether vpsbox generated them (self-signed).
    pub self_signed: bool,
}

/// The configured files, or the generated pair in `DATA_DIR/tls/` (made now when missing).
pub fn ensure_cert(cfg: &Config) -> Result<CertFiles, TlsError> {
    if let (Some(cert), Some(key)) = (&cfg.tls.cert, &cfg.tls.key) {
        return Ok(CertFiles { cert: cert.clone(), key: key.clone(), self_signed: false });
    }
    let dir = cfg.data_dir.join("tls");
    let files = CertFiles { cert: dir.join("cert.pem"), key: dir.join("key.pem"), self_signed: true };
    if files.cert.exists() && files.key.exists() {
        return Ok(files);
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TlsError::Io { path, source }
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).map_err(io(&dir))?;
    let names = self_signed_names(&cfg.tls.extra_names);
    let ck =
        rcgen::generate_simple_self_signed(names.clone()).map_err(|e| TlsError::Generate(e.to_string()))?;
    write_atomic(&files.key, ck.signing_key.serialize_pem().as_bytes(), 0o600).map_err(io(&files.key))?;
    write_atomic(&files.cert, ck.cert.pem().as_bytes(), 0o644).map_err(io(&files.cert))?;
    tracing::info!(names = ?names, path = %files.cert.display(), "generated a self-signed TLS certificate");
    Ok(files)
}

/// Names in the generated certificate: the host name, localhost, loopback addresses, extras.
pub fn self_signed_names(extra: &[String]) -> Vec<String> {
    let mut names = Vec::new();
    if let Ok(h) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
        let h = h.trim();
        if !h.is_empty() {
            names.push(h.to_string());
        }
    }
    for n in ["localhost", "127.0.0.1", "::1"].iter().map(|s| s.to_string()).chain(extra.iter().cloned()) {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names
}

/// Write a file via a temporary sibling and rename, with `mode` from the start.
fn write_atomic(path: &Path, data: &[u8], mode: u32) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(mode).open(&tmp)?;
    f.write_all(data)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

fn read_pem(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Io { path: path.to_path_buf(), source })
}

/// Load the chain and key and build the server configuration. Returns it with the SHA-256
/// fingerprint of the leaf certificate.
pub fn server_config(files: &CertFiles) -> Result<(Arc<ServerConfig>, String), TlsError> {
    let cert_pem = read_pem(&files.cert)?;
    let chain: Vec<CertificateDer<'static>> = rustls_pemfile::certs(&mut cert_pem.as_slice())
        .collect::<Result<_, _>>()
        .map_err(|e| TlsError::Pem { path: files.cert.clone(), message: e.to_string() })?;
    let leaf = chain
        .first()
        .ok_or_else(|| TlsError::Pem { path: files.cert.clone(), message: "no CERTIFICATE block".into() })?;
    let fp = fingerprint(leaf);
    let key_pem = read_pem(&files.key)?;
    let key: PrivateKeyDer<'static> = rustls_pemfile::private_key(&mut key_pem.as_slice())
        .map_err(|e| TlsError::Pem { path: files.key.clone(), message: e.to_string() })?
        .ok_or_else(|| TlsError::Pem { path: files.key.clone(), message: "no PRIVATE KEY block".into() })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut cfg = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| TlsError::Rustls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| TlsError::Rustls(e.to_string()))?;
    cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok((Arc::new(cfg), fp))
}

/// SHA-256 fingerprint as colon-separated upper-case hex (as browsers show it).
pub fn fingerprint(cert: &CertificateDer<'_>) -> String {
    Sha256::digest(cert.as_ref()).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::Coded;

    #[test]
    fn generates_once_with_private_key_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
        let files = ensure_cert(&cfg).unwrap();
        assert!(files.self_signed);
        let mode = std::fs::metadata(&files.key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let (_, fp1) = server_config(&files).unwrap();
        assert_eq!(fp1.len(), 32 * 3 - 1);
        // A second start keeps the same certificate.
        let (_, fp2) = server_config(&ensure_cert(&cfg).unwrap()).unwrap();
        assert_eq!(fp1, fp2);
    }

    #[test]
    fn garbage_pem_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("c.pem");
        let key = dir.path().join("k.pem");
        std::fs::write(&cert, "hello").unwrap();
        std::fs::write(&key, "hello").unwrap();
        let err = server_config(&CertFiles { cert, key, self_signed: false }).unwrap_err();
        assert_eq!(err.code(), "TLS0002");
        assert!(err.to_string().contains("no CERTIFICATE"), "{err}");
    }

    #[test]
    fn names_include_loopback() {
        let n = self_signed_names(&["panel.example.com".into()]);
        assert!(n.contains(&"localhost".to_string()) && n.contains(&"::1".to_string()));
        assert!(n.contains(&"panel.example.com".to_string()));
    }
}
