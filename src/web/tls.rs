//! TLS: the certificate (configured PEM files, or a self-signed one generated into
//! `DATA_DIR/tls/`, valid for a year from its making and made again before it ends) and the
//! rustls server configuration (TLS 1.2 and 1.3 only, ring crypto, ALPN h2 + http/1.1).

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::domain::time::Timestamp;

/// How long a generated certificate is valid.
pub const SELF_SIGNED_DAYS: i64 = 365;

/// A generated certificate is made again this many days before it ends; `vpsbox doctor` warns
/// about a configured one as close to its end.
pub const RENEW_BEFORE_DAYS: i64 = 30;

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

/// What a certificate says of itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    /// Its DNS names and IP addresses (subject alternative names).
    pub names: Vec<String>,
    /// Valid from.
    pub not_before: Timestamp,
    /// Valid until.
    pub not_after: Timestamp,
}

/// The leaf (first) certificate of the PEM chain at `path`.
fn leaf_der(path: &Path) -> Result<CertificateDer<'static>, TlsError> {
    let pem = read_pem(path)?;
    let bad = |message: String| TlsError::Pem { path: path.to_path_buf(), message };
    rustls_pemfile::certs(&mut pem.as_slice())
        .next()
        .ok_or_else(|| bad("no CERTIFICATE block".into()))?
        .map_err(|e| bad(e.to_string()))
}

/// Read the leaf certificate of the PEM chain at `path`.
pub fn cert_info(path: &Path) -> Result<CertInfo, TlsError> {
    let der = leaf_der(path)?;
    let bad = |message: String| TlsError::Pem { path: path.to_path_buf(), message };
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).map_err(|e| bad(e.to_string()))?;
    let validity = cert.validity();
    let mut names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for n in &san.value.general_names {
            match n {
                x509_parser::extensions::GeneralName::DNSName(d) => names.push((*d).to_string()),
                x509_parser::extensions::GeneralName::IPAddress(b) => match b.len() {
                    4 => names.push(std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string()),
                    16 => {
                        let mut a = [0u8; 16];
                        a.copy_from_slice(b);
                        names.push(std::net::Ipv6Addr::from(a).to_string());
                    }
                    _ => {}
                },
                _ => {}
            }
        }
    }
    Ok(CertInfo {
        names,
        not_before: Timestamp::from_secs(validity.not_before.timestamp()),
        not_after: Timestamp::from_secs(validity.not_after.timestamp()),
    })
}

/// Why a generated certificate must be made again at `now`, if it must: it ends within
/// [`RENEW_BEFORE_DAYS`], or it was made to last longer than [`SELF_SIGNED_DAYS`] (older
/// versions made them until the year 4096).
fn renewal_reason(info: &CertInfo, now: Timestamp) -> Option<&'static str> {
    let day = 86_400;
    if info.not_after.secs_since(now) < RENEW_BEFORE_DAYS * day {
        Some("it ends within 30 days")
    } else if info.not_after.secs_since(info.not_before) > (SELF_SIGNED_DAYS + 1) * day {
        Some("it was made to last longer than a year")
    } else {
        None
    }
}

/// The configured files, or the generated pair in `DATA_DIR/tls/`: made at `now` when missing,
/// unreadable, close to its end or longer-lived than a year, else kept.
pub fn ensure_cert(cfg: &Config, now: Timestamp) -> Result<CertFiles, TlsError> {
    if let (Some(cert), Some(key)) = (&cfg.tls.cert, &cfg.tls.key) {
        return Ok(CertFiles { cert: cert.clone(), key: key.clone(), self_signed: false });
    }
    let dir = cfg.data_dir.join("tls");
    let files = CertFiles { cert: dir.join("cert.pem"), key: dir.join("key.pem"), self_signed: true };
    if files.cert.exists() && files.key.exists() {
        match cert_info(&files.cert).map(|i| renewal_reason(&i, now)) {
            Ok(None) => return Ok(files),
            Ok(Some(why)) => {
                tracing::info!(path = %files.cert.display(), "making the self-signed certificate again: {why}")
            }
            Err(e) => {
                tracing::warn!(path = %files.cert.display(), "making the self-signed certificate again: {e}")
            }
        }
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TlsError::Io { path, source }
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).map_err(io(&dir))?;
    let names = self_signed_names(&cfg.tls.extra_names);
    let generate = |e: rcgen::Error| TlsError::Generate(e.to_string());
    let mut params = rcgen::CertificateParams::new(names.clone()).map_err(generate)?;
    // An hour back, for clients whose clocks are a little behind.
    let start = time::OffsetDateTime::from_unix_timestamp(now.as_secs() - 3600)
        .map_err(|e| TlsError::Generate(e.to_string()))?;
    params.not_before = start;
    params.not_after = start + time::Duration::days(SELF_SIGNED_DAYS);
    let key = rcgen::KeyPair::generate().map_err(generate)?;
    let cert = params.self_signed(&key).map_err(generate)?;
    write_atomic(&files.key, key.serialize_pem().as_bytes(), 0o600).map_err(io(&files.key))?;
    write_atomic(&files.cert, cert.pem().as_bytes(), 0o644).map_err(io(&files.cert))?;
    tracing::info!(names = ?names, path = %files.cert.display(), "generated a self-signed TLS certificate valid for {SELF_SIGNED_DAYS} days");
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

/// Write a private file (mode 0600, its directory 0700 and made when missing) atomically.
pub fn write_private(path: &Path, data: &[u8]) -> Result<(), TlsError> {
    let io = |source| TlsError::Io { path: path.to_path_buf(), source };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
    }
    write_atomic(path, data, 0o600).map_err(io)
}

/// The server configuration choosing each connection's certificate through `resolver` (the
/// ACME mode: ALPN also offers `acme-tls/1` for the CA's TLS-ALPN-01 validation).
pub fn server_config_resolving(
    resolver: Arc<dyn rustls::server::ResolvesServerCert>,
) -> Result<Arc<ServerConfig>, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut cfg = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| TlsError::Rustls(e.to_string()))?
        .with_no_client_auth()
        .with_cert_resolver(resolver);
    cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec(), super::acme::ACME_TLS_ALPN.to_vec()];
    Ok(Arc::new(cfg))
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

/// The fingerprint of the leaf certificate of the PEM chain at `path`.
pub fn fingerprint_of_file(path: &Path) -> Result<String, TlsError> {
    Ok(fingerprint(&leaf_der(path)?))
}

/// SHA-256 fingerprint as colon-separated upper-case hex (as browsers show it).
pub fn fingerprint(cert: &CertificateDer<'_>) -> String {
    Sha256::digest(cert.as_ref()).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::Coded;

    const NOW: Timestamp = Timestamp::from_secs(1_796_409_080); // 2026-12-04

    #[test]
    fn generates_once_with_private_key_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
        let files = ensure_cert(&cfg, NOW).unwrap();
        assert!(files.self_signed);
        let mode = std::fs::metadata(&files.key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let (_, fp1) = server_config(&files).unwrap();
        assert_eq!(fp1.len(), 32 * 3 - 1);
        // A second start keeps the same certificate.
        let (_, fp2) = server_config(&ensure_cert(&cfg, NOW.plus_secs(86_400)).unwrap()).unwrap();
        assert_eq!(fp1, fp2);
    }

    #[test]
    fn the_generated_certificate_lasts_a_year_and_is_made_again_before_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
        let files = ensure_cert(&cfg, NOW).unwrap();
        let info = cert_info(&files.cert).unwrap();
        assert_eq!(info.not_before, NOW.plus_secs(-3600));
        assert_eq!(info.not_after, NOW.plus_secs(-3600 + SELF_SIGNED_DAYS * 86_400));
        assert!(
            info.names.contains(&"localhost".to_string()) && info.names.contains(&"::1".to_string()),
            "{info:?}"
        );
        let (_, fp1) = server_config(&files).unwrap();
        // 334 days on: still kept; 336 days on (29 days left): made again, from then.
        let (_, kept) = server_config(&ensure_cert(&cfg, NOW.plus_secs(334 * 86_400)).unwrap()).unwrap();
        assert_eq!(kept, fp1);
        let later = NOW.plus_secs(336 * 86_400);
        let (_, renewed) = server_config(&ensure_cert(&cfg, later).unwrap()).unwrap();
        assert_ne!(renewed, fp1);
        assert_eq!(cert_info(&files.cert).unwrap().not_before, later.plus_secs(-3600));
    }

    #[test]
    fn a_certificate_made_until_4096_by_an_older_version_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
        let tls = dir.path().join("tls");
        std::fs::create_dir_all(&tls).unwrap();
        let old = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
        std::fs::write(tls.join("cert.pem"), old.cert.pem()).unwrap();
        std::fs::write(tls.join("key.pem"), old.signing_key.serialize_pem()).unwrap();
        let before = cert_info(&tls.join("cert.pem")).unwrap();
        assert!(before.not_after.secs_since(before.not_before) > 1000 * 365 * 86_400, "{before:?}");
        let files = ensure_cert(&cfg, NOW).unwrap();
        let after = cert_info(&files.cert).unwrap();
        assert_eq!(after.not_after.secs_since(after.not_before), SELF_SIGNED_DAYS * 86_400);
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
