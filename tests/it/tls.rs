//! TLS: old protocol versions refused on the wire; SIGHUP serves a new certificate without
//! dropping open connections.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use crate::common::*;

fn extension(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut e = kind.to_be_bytes().to_vec();
    e.extend_from_slice(&(data.len() as u16).to_be_bytes());
    e.extend_from_slice(data);
    e
}

/// A hand-built ClientHello offering only `version` (no supported_versions extension), with
/// cipher suites, groups and signature schemes the server supports, so that the protocol
/// version is the only thing that can make it fail.
fn client_hello(version: [u8; 2]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&version); // client_version
    body.extend_from_slice(&[7u8; 32]); // random
    body.push(0); // session id
    let suites: [u8; 6] = [0xc0, 0x2f, 0xc0, 0x2b, 0x00, 0x2f];
    body.extend_from_slice(&(suites.len() as u16).to_be_bytes());
    body.extend_from_slice(&suites);
    body.extend_from_slice(&[1, 0]); // compression: null
    let mut exts = Vec::new();
    // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256
    exts.extend(extension(0x000d, &[0, 6, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01]));
    // supported_groups: x25519, secp256r1
    exts.extend(extension(0x000a, &[0, 4, 0x00, 0x1d, 0x00, 0x17]));
    // ec_point_formats: uncompressed
    exts.extend(extension(0x000b, &[1, 0]));
    body.extend_from_slice(&(exts.len() as u16).to_be_bytes());
    body.extend_from_slice(&exts);
    let mut hs = vec![1u8]; // ClientHello
    hs.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    hs.extend_from_slice(&body);
    let mut rec = vec![0x16, 0x03, 0x01];
    rec.extend_from_slice(&(hs.len() as u16).to_be_bytes());
    rec.extend_from_slice(&hs);
    rec
}

fn first_record(addr: std::net::SocketAddr, hello: &[u8]) -> Vec<u8> {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(hello).unwrap();
    let mut buf = [0u8; 7];
    s.read_exact(&mut buf).unwrap();
    buf.to_vec()
}

#[tokio::test]
async fn tls_1_0_and_1_1_client_hellos_get_a_protocol_version_alert() {
    let d = start_daemon().await;
    let addr = d.addr;
    // Control: the same hello offering TLS 1.2 gets a ServerHello (handshake record).
    let rec = tokio::task::spawn_blocking(move || first_record(addr, &client_hello([3, 3]))).await.unwrap();
    assert_eq!((rec[0], rec[5]), (0x16, 2), "TLS 1.2 hello answered with a ServerHello: {rec:?}");
    for version in [[3u8, 1u8], [3, 2]] {
        let rec =
            tokio::task::spawn_blocking(move || first_record(addr, &client_hello(version))).await.unwrap();
        // Alert record, fatal (2), protocol_version (70).
        assert_eq!(rec[0], 0x15, "expected an alert record, got {rec:?}");
        assert_eq!((rec[5], rec[6]), (2, 70), "{rec:?}");
    }
    d.stop().await;
}

#[derive(Debug)]
struct Capture {
    seen: Mutex<Vec<Vec<u8>>>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ServerCertVerifier for Capture {
    fn verify_server_cert(
        &self,
        ee: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.seen.lock().unwrap().push(ee.to_vec());
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(m, c, d, &self.provider.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(m, c, d, &self.provider.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

pub type Tls = tokio_rustls::client::TlsStream<tokio::net::TcpStream>;

pub async fn connect(addr: std::net::SocketAddr) -> (Tls, Vec<u8>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cap = Arc::new(Capture { seen: Mutex::new(Vec::new()), provider: provider.clone() });
    let cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(cap.clone())
        .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let tls = tokio_rustls::TlsConnector::from(Arc::new(cfg))
        .connect(ServerName::IpAddress(addr.ip().into()), tcp)
        .await
        .unwrap();
    let cert = cap.seen.lock().unwrap().pop().unwrap();
    (tls, cert)
}

/// One keep-alive request on an open connection; returns the status line.
pub async fn request(tls: &mut BufReader<Tls>, addr: std::net::SocketAddr) -> String {
    let req = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    tls.get_mut().write_all(req.as_bytes()).await.unwrap();
    let mut status = String::new();
    tls.read_line(&mut status).await.unwrap();
    let mut len = 0usize;
    loop {
        let mut line = String::new();
        tls.read_line(&mut line).await.unwrap();
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap();
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0u8; len];
    tls.read_exact(&mut body).await.unwrap();
    status.trim().to_string()
}

fn write_cert(dir: &std::path::Path, name: &str) {
    let ck = rcgen::generate_simple_self_signed(vec![name.to_string(), "127.0.0.1".into()]).unwrap();
    std::fs::write(dir.join("cert.pem.new"), ck.cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem.new"), ck.signing_key.serialize_pem()).unwrap();
    std::fs::rename(dir.join("key.pem.new"), dir.join("key.pem")).unwrap();
    std::fs::rename(dir.join("cert.pem.new"), dir.join("cert.pem")).unwrap();
}

#[tokio::test]
async fn sighup_serves_new_certificate_and_keeps_connections() {
    let dir = tempdir();
    let tls_dir = dir.path().join("pem");
    std::fs::create_dir_all(&tls_dir).unwrap();
    write_cert(&tls_dir, "first.example");
    let cfg = dir.path().join("vpsbox.toml");
    std::fs::write(
        &cfg,
        format!(
            "[tls]\ncert = \"{0}/cert.pem\"\nkey = \"{0}/key.pem\"\n[libvirt]\nuri = \"test:///default\"\n",
            tls_dir.display()
        ),
    )
    .unwrap();
    let p = DaemonProcess::spawn(dir.path(), &cfg);
    let (old, cert1) = connect(p.addr).await;
    let mut old = BufReader::new(old);
    assert_eq!(request(&mut old, p.addr).await, "HTTP/1.1 200 OK");

    write_cert(&tls_dir, "second.example");
    p.signal("HUP");
    let mut cert2 = cert1.clone();
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        cert2 = connect(p.addr).await.1;
        if cert2 != cert1 {
            break;
        }
    }
    assert_ne!(cert1, cert2, "new connections get the new certificate; log:\n{}", p.log_text());
    let expected = std::fs::read(tls_dir.join("cert.pem")).unwrap();
    let expected = rustls_pemfile::certs(&mut expected.as_slice()).next().unwrap().unwrap();
    assert_eq!(cert2, expected.to_vec());
    // The connection opened before the reload still works.
    assert_eq!(request(&mut old, p.addr).await, "HTTP/1.1 200 OK");
    assert!(p.log_text().contains("TLS certificate reloaded"));
}

#[tokio::test]
async fn sigterm_finishes_in_flight_requests_and_closes_store() {
    let dir = tempdir();
    let cfg = empty_config(dir.path());
    let mut p = DaemonProcess::spawn(dir.path(), &cfg);
    let (tls, _) = connect(p.addr).await;
    let mut conn = BufReader::new(tls);
    assert_eq!(request(&mut conn, p.addr).await, "HTTP/1.1 200 OK");
    // Start a request and leave it half-sent while the daemon is told to stop.
    let body = "email=a%40example.com&password=0123456789&csrf=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        p.addr,
        body.len()
    );
    conn.get_mut().write_all(head.as_bytes()).await.unwrap();
    conn.get_mut().write_all(&body.as_bytes()[..20]).await.unwrap();
    conn.get_mut().flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    p.signal("TERM");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(p.child.try_wait().unwrap().is_none(), "daemon waits for the in-flight request");
    conn.get_mut().write_all(&body.as_bytes()[20..]).await.unwrap();
    let mut status = String::new();
    conn.read_line(&mut status).await.unwrap();
    assert!(status.starts_with("HTTP/1.1 403"), "the request was answered: {status:?}");
    drop(conn);
    let (st, p) = tokio::task::spawn_blocking(move || (p.child.wait().unwrap(), p)).await.unwrap();
    assert!(st.success(), "exit status {st:?}; log:\n{}", p.log_text());
    assert!(p.log_text().contains("stopped cleanly"), "{}", p.log_text());
    // The lock is released and the file opens at once.
    vpsbox::store::Store::open(&dir.path().join("vpsbox.redb")).unwrap();
}

/// `vpsbox doctor` names the served certificate and its end: a configured one ending within 30
/// days is a warning, an ended one a failure; the generated one is said to be renewed.
#[test]
fn doctor_shows_the_certificate_and_warns_before_it_ends() {
    let dir = tempdir();
    let now = time::OffsetDateTime::now_utc();
    let write_cert = |name: &str, not_after: time::OffsetDateTime| {
        let mut params = rcgen::CertificateParams::new(vec!["panel.example.com".to_string()]).unwrap();
        params.not_before = now - time::Duration::days(300);
        params.not_after = not_after;
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let (c, k) = (dir.path().join(format!("{name}.pem")), dir.path().join(format!("{name}.key")));
        std::fs::write(&c, cert.pem()).unwrap();
        std::fs::write(&k, key.serialize_pem()).unwrap();
        let cfg = dir.path().join(format!("{name}.toml"));
        std::fs::write(
            &cfg,
            format!(
                "data_dir = \"{}\"\n[libvirt]\nuri = \"test:///default\"\n[network]\npublic_network = \"\"\n[tls]\ncert = \"{}\"\nkey = \"{}\"\n",
                dir.path().display(),
                c.display(),
                k.display()
            ),
        )
        .unwrap();
        cfg
    };
    let doctor = |cfg: &std::path::Path| {
        let out = run_bin(&["doctor", "--config", cfg.to_str().unwrap()], None);
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let soon = doctor(&write_cert("soon", now + time::Duration::days(10)));
    let line = soon.lines().find(|l| l.contains("TLS certificate")).unwrap_or_else(|| panic!("{soon}"));
    assert!(
        line.starts_with("[warn]") && line.contains("panel.example.com") && line.contains("days left"),
        "{soon}"
    );
    let ended = doctor(&write_cert("ended", now - time::Duration::days(1)));
    assert!(ended.lines().any(|l| l.starts_with("[FAIL] TLS certificate")), "{ended}");
    let fine = doctor(&write_cert("fine", now + time::Duration::days(200)));
    assert!(fine.lines().any(|l| l.starts_with("[  ok] TLS certificate")), "{fine}");
    // Which installation the state is: none yet, then the id the state was made with.
    assert!(fine.contains("no state at") && fine.contains("new installation id"), "{fine}");
    let state = dir.path().join("vpsbox.redb");
    let id = vpsbox::store::Store::open(&state).unwrap().installation_id();
    vpsbox::store::write_installation_file(&state, id).unwrap(); // as the daemon does at start
    let made = doctor(&dir.path().join("fine.toml"));
    assert!(made.lines().any(|l| l.starts_with(&format!("[  ok] installation {id}"))), "{made}");
}
