//! Automatic certificates (ACME, RFC 8555) for the cabinet's names, proved by TLS-ALPN-01
//! (RFC 8737) on the cabinet's own port — the CA connects asking for `acme-tls/1` and gets a
//! short-lived certificate carrying the challenge's digest, while every other connection gets
//! the served certificate — or by HTTP-01 on the redirect listener (port 80). The account key and the certificate live in `DATA_DIR/tls/`
//! (`acme-account.json`, `acme-cert.pem`, `acme-key.pem`); a certificate is renewed at two
//! thirds of its lifetime and served to new connections at once (open ones keep theirs). A
//! failure leaves the served certificate (the last one, else the self-signed one) in place and
//! tells the admins, at most once a day.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use instant_acme::{
    Account, AccountCredentials, AuthorizationStatus, ChallengeType, Identifier, NewAccount, NewOrder,
    OrderStatus, RetryPolicy,
};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

use super::tls::{CertInfo, TlsError, cert_info};
use crate::clock::Clock;
use crate::config::{AcmeChallenge, AcmeConfig};
use crate::domain::time::Timestamp;
use crate::i18n::Msg;
use crate::service::notices::{Notices, told};
use crate::store::notices::Audience;

/// The ALPN protocol of TLS-ALPN-01.
pub const ACME_TLS_ALPN: &[u8] = b"acme-tls/1";

/// Why a certificate could not be obtained.
#[derive(Debug, thiserror::Error)]
pub enum AcmeError {
    /// The CA or the protocol failed.
    #[error("ACME: {0}")]
    Protocol(String),
    /// The CA offered no TLS-ALPN-01 challenge for a name.
    #[error("ACME: the CA offers no tls-alpn-01 challenge for {0}")]
    NoChallenge(String),
    /// The order did not become ready or valid.
    #[error("ACME: the order for {names} ended {status}")]
    Order {
        /// The names asked for.
        names: String,
        /// Where the order ended.
        status: String,
    },
    /// A file or certificate problem.
    #[error(transparent)]
    Tls(#[from] TlsError),
}

impl crate::service::Coded for AcmeError {
    fn kind(&self) -> crate::service::ErrorKind {
        crate::service::ErrorKind::Unavailable
    }

    fn code(&self) -> &'static str {
        match self {
            AcmeError::Protocol(_) => "TLS0005",
            AcmeError::NoChallenge(_) => "TLS0006",
            AcmeError::Order { .. } => "TLS0007",
            AcmeError::Tls(e) => e.code(),
        }
    }
}

impl From<instant_acme::Error> for AcmeError {
    fn from(e: instant_acme::Error) -> Self {
        AcmeError::Protocol(e.to_string())
    }
}

/// Chooses the certificate of each connection: the challenge's for `acme-tls/1`, else the
/// served one (swapped at renewal).
#[derive(Debug)]
pub struct CertResolver {
    current: RwLock<Arc<CertifiedKey>>,
    challenges: RwLock<HashMap<String, Arc<CertifiedKey>>>,
}

impl CertResolver {
    /// Serve `current`.
    pub fn new(current: Arc<CertifiedKey>) -> CertResolver {
        CertResolver { current: RwLock::new(current), challenges: RwLock::default() }
    }

    /// Serve `key` to new connections from now on.
    pub fn set_current(&self, key: Arc<CertifiedKey>) {
        if let Ok(mut c) = self.current.write() {
            *c = key;
        }
    }

    fn set_challenge(&self, name: &str, key: Option<Arc<CertifiedKey>>) {
        if let Ok(mut m) = self.challenges.write() {
            match key {
                Some(k) => m.insert(name.to_ascii_lowercase(), k),
                None => m.remove(&name.to_ascii_lowercase()),
            };
        }
    }
}

impl ResolvesServerCert for CertResolver {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let acme = hello.alpn().is_some_and(|mut protocols| protocols.any(|p| p == ACME_TLS_ALPN));
        if acme {
            let name = hello.server_name()?.to_ascii_lowercase();
            return self.challenges.read().ok()?.get(&name).cloned();
        }
        self.current.read().ok().map(|c| c.clone())
    }
}

/// A certificate and key from PEM, ready to serve.
pub fn certified_key(cert_pem: &[u8], key_pem: &[u8], path: &Path) -> Result<Arc<CertifiedKey>, TlsError> {
    let bad = |message: String| TlsError::Pem { path: path.to_path_buf(), message };
    let chain: Vec<_> = rustls_pemfile::certs(&mut &cert_pem[..])
        .collect::<Result<_, _>>()
        .map_err(|e| bad(e.to_string()))?;
    if chain.is_empty() {
        return Err(bad("no CERTIFICATE block".into()));
    }
    let key = rustls_pemfile::private_key(&mut &key_pem[..])
        .map_err(|e| bad(e.to_string()))?
        .ok_or_else(|| bad("no PRIVATE KEY block".into()))?;
    let signing =
        rustls::crypto::ring::sign::any_supported_type(&key).map_err(|e| TlsError::Rustls(e.to_string()))?;
    Ok(Arc::new(CertifiedKey::new(chain, signing)))
}

/// The TLS-ALPN-01 certificate of `name`: self-signed, carrying the key authorization's digest.
fn challenge_key(name: &str, digest: &[u8]) -> Result<Arc<CertifiedKey>, AcmeError> {
    let failed = |e: rcgen::Error| AcmeError::Protocol(format!("challenge certificate: {e}"));
    let mut params = rcgen::CertificateParams::new(vec![name.to_string()]).map_err(failed)?;
    params.custom_extensions = vec![rcgen::CustomExtension::new_acme_identifier(digest)];
    let key = rcgen::KeyPair::generate().map_err(failed)?;
    let cert = params.self_signed(&key).map_err(failed)?;
    Ok(certified_key(cert.pem().as_bytes(), key.serialize_pem().as_bytes(), Path::new("challenge"))?)
}

/// What is served while a name is proved.
enum Proof {
    /// The challenge certificate of this name.
    Alpn(String),
    /// The answer of this HTTP-01 token.
    Http(String),
}

/// When a certificate valid over `info` is renewed: at two thirds of its lifetime.
pub fn renew_at(info: &CertInfo) -> Timestamp {
    let life = info.not_after.secs_since(info.not_before).max(0);
    info.not_before.plus_secs(life * 2 / 3)
}

/// The ACME client of the cabinet's certificate.
pub struct Acme {
    cfg: AcmeConfig,
    names: Vec<String>,
    dir: PathBuf,
    clock: Arc<dyn Clock>,
    resolver: Arc<CertResolver>,
    notices: Notices,
    /// HTTP-01 answers being proved: token → key authorization.
    http_tokens: Arc<RwLock<HashMap<String, String>>>,
    /// One issuance at a time.
    running: tokio::sync::Mutex<()>,
    /// When the admins were last told of a failure.
    last_alert: Mutex<Option<Timestamp>>,
}

impl Acme {
    /// The client for `names`, keeping its files in `data_dir/tls/` and serving through
    /// `resolver`.
    pub fn new(
        cfg: AcmeConfig,
        names: Vec<String>,
        data_dir: &Path,
        clock: Arc<dyn Clock>,
        resolver: Arc<CertResolver>,
        notices: Notices,
    ) -> Acme {
        Acme {
            cfg,
            names,
            dir: data_dir.join("tls"),
            clock,
            resolver,
            notices,
            http_tokens: Arc::default(),
            running: tokio::sync::Mutex::new(()),
            last_alert: Mutex::new(None),
        }
    }

    /// The HTTP-01 answer for `token` while it is being proved (the redirect listener serves it
    /// at `/.well-known/acme-challenge/{token}`).
    pub fn http_answer(&self, token: &str) -> Option<String> {
        self.http_tokens.read().ok()?.get(token).cloned()
    }

    fn set_http_answer(&self, token: &str, answer: Option<String>) {
        if let Ok(mut m) = self.http_tokens.write() {
            match answer {
                Some(a) => m.insert(token.to_string(), a),
                None => m.remove(token),
            };
        }
    }

    /// The certificate file.
    pub fn cert_path(&self) -> PathBuf {
        self.dir.join("acme-cert.pem")
    }

    fn key_path(&self) -> PathBuf {
        self.dir.join("acme-key.pem")
    }

    fn account_path(&self) -> PathBuf {
        self.dir.join("acme-account.json")
    }

    /// Serve the certificate on disk if it is still valid now; returns what it says.
    pub fn load_existing(&self) -> Option<CertInfo> {
        let info = cert_info(&self.cert_path()).ok()?;
        if info.not_after <= self.clock.now() {
            return None;
        }
        let (cert, key) = (std::fs::read(self.cert_path()).ok()?, std::fs::read(self.key_path()).ok()?);
        self.resolver.set_current(certified_key(&cert, &key, &self.cert_path()).ok()?);
        Some(info)
    }

    /// Obtain a certificate when there is none on disk or the one there is due for renewal;
    /// returns the new one's details, or `None` when nothing was due. A failure is reported to
    /// the admins (at most once a day) and the served certificate stays.
    pub async fn ensure(&self) -> Result<Option<CertInfo>, AcmeError> {
        let _one = self.running.lock().await;
        let now = self.clock.now();
        if let Ok(info) = cert_info(&self.cert_path())
            && now < renew_at(&info)
        {
            return Ok(None);
        }
        match self.issue().await {
            Ok(info) => {
                tracing::info!(names = ?info.names, until = %info.not_after.display_utc(), "ACME certificate obtained and served");
                Ok(Some(info))
            }
            Err(e) => {
                tracing::error!(code = crate::service::Coded::code(&e), "ACME certificate not obtained: {e}");
                self.alert(&e, now).await;
                Err(e)
            }
        }
    }

    async fn alert(&self, e: &AcmeError, now: Timestamp) {
        let due = match self.last_alert.lock() {
            Ok(mut last) => {
                let due = last.is_none_or(|t| now.secs_since(t) >= 86_400);
                if due {
                    *last = Some(now);
                }
                due
            }
            Err(_) => true,
        };
        if !due {
            return;
        }
        let args = vec![
            ("names", self.names.join(", ").into()),
            ("error", format!("{e} ({})", crate::service::Coded::code(e)).into()),
        ];
        let n = told("tls.acme_failed", Msg::NoticeAcmeFailed, Some(Msg::NoticeAcmeFailedBody), args, None);
        if let Err(err) = self.notices.notify(Audience::Admins, n).await {
            tracing::warn!("the admins could not be told of the ACME failure: {err}");
        }
    }

    async fn account(&self) -> Result<Account, AcmeError> {
        let builder = match &self.cfg.ca_file {
            Some(pem) => Account::builder_with_root(pem)?,
            None => Account::builder()?,
        };
        if let Ok(text) = std::fs::read(self.account_path()) {
            let creds: AccountCredentials = serde_json::from_slice(&text)
                .map_err(|e| AcmeError::Protocol(format!("{}: {e}", self.account_path().display())))?;
            return Ok(builder.from_credentials(creds).await?);
        }
        let contact = format!("mailto:{}", self.cfg.contact);
        let contacts = [contact.as_str()];
        let new = NewAccount {
            contact: if self.cfg.contact.is_empty() { &[] } else { &contacts },
            terms_of_service_agreed: true,
            only_return_existing: false,
        };
        let (account, creds) = builder.create(&new, self.cfg.directory.clone(), None).await?;
        let json = serde_json::to_vec(&creds).map_err(|e| AcmeError::Protocol(e.to_string()))?;
        super::tls::write_private(&self.account_path(), &json)?;
        tracing::info!(id = account.id(), "ACME account registered");
        Ok(account)
    }

    async fn issue(&self) -> Result<CertInfo, AcmeError> {
        let account = self.account().await?;
        let ids: Vec<Identifier> = self.names.iter().map(|n| Identifier::Dns(n.clone())).collect();
        let mut order = account.new_order(&NewOrder::new(&ids)).await?;
        let mut proving = Vec::new();
        let result = async {
            let mut auths = order.authorizations();
            while let Some(a) = auths.next().await {
                let mut a = a?;
                match a.status {
                    AuthorizationStatus::Pending => {}
                    AuthorizationStatus::Valid => continue,
                    other => {
                        return Err(AcmeError::Order {
                            names: self.names.join(", "),
                            status: format!("{other:?}"),
                        });
                    }
                }
                let kind = match self.cfg.challenge {
                    AcmeChallenge::TlsAlpn01 => ChallengeType::TlsAlpn01,
                    AcmeChallenge::Http01 => ChallengeType::Http01,
                };
                let mut ch =
                    a.challenge(kind).ok_or_else(|| AcmeError::NoChallenge(self.names.join(", ")))?;
                let name = ch.identifier().to_string();
                match self.cfg.challenge {
                    AcmeChallenge::TlsAlpn01 => {
                        let digest = ch.key_authorization().digest();
                        self.resolver.set_challenge(&name, Some(challenge_key(&name, digest.as_ref())?));
                        proving.push(Proof::Alpn(name));
                    }
                    AcmeChallenge::Http01 => {
                        let token = ch.token.clone();
                        self.set_http_answer(&token, Some(ch.key_authorization().as_str().to_string()));
                        proving.push(Proof::Http(token));
                    }
                }
                ch.set_ready().await?;
            }
            let retry = RetryPolicy::new().timeout(std::time::Duration::from_secs(90));
            let status = order.poll_ready(&retry).await?;
            if status != OrderStatus::Ready {
                return Err(AcmeError::Order { names: self.names.join(", "), status: format!("{status:?}") });
            }
            let key_pem = order.finalize().await?;
            let chain_pem = order.poll_certificate(&retry).await?;
            Ok((chain_pem, key_pem))
        }
        .await;
        for p in &proving {
            match p {
                Proof::Alpn(name) => self.resolver.set_challenge(name, None),
                Proof::Http(token) => self.set_http_answer(token, None),
            }
        }
        let (chain_pem, key_pem) = result?;
        let served = certified_key(chain_pem.as_bytes(), key_pem.as_bytes(), &self.cert_path())?;
        super::tls::write_private(&self.key_path(), key_pem.as_bytes())?;
        super::tls::write_private(&self.cert_path(), chain_pem.as_bytes())?;
        self.resolver.set_current(served);
        Ok(cert_info(&self.cert_path())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_at_two_thirds() {
        let info = CertInfo {
            names: vec![],
            not_before: Timestamp::from_secs(0),
            not_after: Timestamp::from_secs(90 * 86_400),
        };
        assert_eq!(renew_at(&info), Timestamp::from_secs(60 * 86_400));
    }

    #[test]
    fn a_challenge_certificate_carries_the_digest_for_its_name() {
        let digest = [7u8; 32];
        let key = challenge_key("panel.example.com", &digest).unwrap();
        let (_, cert) = x509_parser::parse_x509_certificate(key.cert[0].as_ref()).unwrap();
        // id-pe-acmeIdentifier (1.3.6.1.5.5.7.1.31), critical, an OCTET STRING of the digest.
        let ext = cert
            .extensions()
            .iter()
            .find(|e| e.oid.to_id_string() == "1.3.6.1.5.5.7.1.31")
            .expect("the acmeIdentifier extension");
        assert!(ext.critical);
        assert_eq!(&ext.value[2..], &digest);
        assert_eq!(&ext.value[..2], &[0x04, 32]);
    }
}
