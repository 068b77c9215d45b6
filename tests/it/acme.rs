//! Automatic certificates against Pebble, Let's Encrypt's test CA (Debian package `pebble`), on
//! loopback: the first certificate proved by TLS-ALPN-01 on the cabinet's port, its renewal at
//! two thirds of its life on the test clock with an open connection kept, and a CA that is gone:
//! reported to the admins, the served certificate kept.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tokio::io::BufReader;
use vpsbox::clock::Clock;
use vpsbox::domain::account::{Role, UserId};
use vpsbox::service::Caller;

use crate::common::*;

/// A Pebble process on loopback, killed on drop.
struct Pebble {
    child: Child,
    directory: String,
    root: PathBuf,
    _dir: tempfile::TempDir,
}

impl Pebble {
    /// Stop the CA (its files stay).
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Pebble {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Pebble serving its directory over HTTPS with a certificate of a root made here, validating
/// TLS-ALPN-01 on `tls_port` and HTTP-01 on `http_port`.
async fn pebble(tls_port: u16, http_port: u16) -> Pebble {
    let dir = tempfile::tempdir().unwrap();
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name.push(rcgen::DnType::CommonName, "vpsbox test root");
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let root = rcgen::CertifiedIssuer::self_signed(ca, ca_key).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&key, &root)
        .unwrap();
    let p = |name: &str| dir.path().join(name);
    std::fs::write(p("root.pem"), root.pem()).unwrap();
    std::fs::write(p("cert.pem"), leaf.pem()).unwrap();
    std::fs::write(p("key.pem"), key.serialize_pem()).unwrap();
    let port = free_port();
    let config = serde_json::json!({"pebble": {
        "listenAddress": format!("127.0.0.1:{port}"),
        "managementListenAddress": format!("127.0.0.1:{}", free_port()),
        "certificate": p("cert.pem"),
        "privateKey": p("key.pem"),
        "httpPort": http_port,
        "tlsPort": tls_port,
        "ocspResponderURL": "",
        "externalAccountBindingRequired": false,
    }});
    std::fs::write(p("pebble.json"), config.to_string()).unwrap();
    let mut child = Command::new("pebble")
        .arg("-config")
        .arg(p("pebble.json"))
        // No random sleeps before validation and no nonces refused on purpose: the test is
        // about vpsbox, not about retrying Pebble's chaos.
        .env("PEBBLE_VA_NOSLEEP", "1")
        .env("PEBBLE_WFE_NONCEREJECT", "0")
        .env("PEBBLE_AUTHZREUSE", "0")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(p("pebble.log")).unwrap())
        .spawn()
        .expect("pebble (Debian package pebble; scripts/deps.sh test installs it)");
    let directory = format!("https://127.0.0.1:{port}/dir");
    let root_cert = reqwest::Certificate::from_pem(root.pem().as_bytes()).unwrap();
    let http = reqwest::Client::builder().add_root_certificate(root_cert).build().unwrap();
    for _ in 0..200 {
        if http.get(&directory).send().await.is_ok_and(|r| r.status().is_success()) {
            return Pebble { child, directory, root: p("root.pem"), _dir: dir };
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("pebble did not answer: {}", std::fs::read_to_string(p("pebble.log")).unwrap_or_default());
}

/// The issuer's common name of a DER certificate.
fn issuer(der: &[u8]) -> String {
    let (_, c) = x509_parser::parse_x509_certificate(der).unwrap();
    c.issuer().to_string()
}

#[tokio::test]
async fn a_certificate_from_pebble_is_served_renewed_and_kept_when_the_ca_fails() {
    let port = free_port();
    let mut ca = pebble(port, free_port()).await;
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    cfg.listen = format!("127.0.0.1:{port}").parse().unwrap();
    cfg.public_url = format!("https://localhost:{port}");
    cfg.tls.acme.directory = ca.directory.clone();
    cfg.tls.acme.contact = "hostmaster@example.com".into();
    cfg.tls.acme.ca_file = Some(ca.root.clone());
    let data = dir.path().to_path_buf();
    let d = start_daemon_with(cfg, dir).await;
    let addr = d.addr;

    // At first the self-signed certificate, then (the daemon asks at once) Pebble's.
    let mut first = Vec::new();
    for _ in 0..600 {
        first = crate::tls::connect(addr).await.1;
        if issuer(&first).contains("Pebble") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(issuer(&first).contains("Pebble"), "still {}", issuer(&first));
    let info = vpsbox::web::tls::cert_info(&data.join("tls/acme-cert.pem")).unwrap();
    assert_eq!(info.names, ["localhost"]);
    use std::os::unix::fs::PermissionsExt;
    for f in ["acme-key.pem", "acme-account.json"] {
        let mode = std::fs::metadata(data.join("tls").join(f)).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{f} is private");
    }

    // `vpsbox doctor` names it and where it comes from.
    let toml = data.join("doctor.toml");
    std::fs::write(
        &toml,
        format!(
            "data_dir = \"{}\"\npublic_url = \"https://localhost:{port}\"\n[libvirt]\nuri = \"test:///default\"\n[tls.acme]\ndirectory = \"{}\"\n",
            data.display(),
            ca.directory
        ),
    )
    .unwrap();
    let out = run_bin(&["doctor", "--config", toml.to_str().unwrap()], None);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(
            "acme-cert.pem (from the ACME CA, renewed by the daemon at two thirds of its life): localhost"
        ),
        "{said}"
    );

    // Renewal at two thirds of its life: a connection opened before it goes on working.
    let (old, _) = crate::tls::connect(addr).await;
    let mut old = BufReader::new(old);
    assert_eq!(crate::tls::request(&mut old, addr).await, "HTTP/1.1 200 OK");
    let acme = d.running.as_ref().unwrap().acme.clone().unwrap();
    assert_eq!(acme.ensure().await.unwrap(), None, "not due yet");
    let due = vpsbox::web::acme::renew_at(&info);
    d.clock.advance_secs(due.secs_since(d.clock.now()) + 1);
    let renewed = acme.ensure().await.unwrap().expect("renewed");
    let second = crate::tls::connect(addr).await.1;
    assert!(issuer(&second).contains("Pebble") && second != first, "a new certificate");
    assert!(renewed.not_before >= info.not_before);
    assert_eq!(crate::tls::request(&mut old, addr).await, "HTTP/1.1 200 OK");

    // The CA is gone when the next renewal is due: the admins are told, the certificate stays.
    ca.kill();
    d.clock.advance_secs(vpsbox::web::acme::renew_at(&renewed).secs_since(d.clock.now()) + 1);
    let err = acme.ensure().await.unwrap_err();
    assert_eq!(vpsbox::service::Coded::code(&err), "TLS0005", "{err}");
    assert!(err.to_string().contains("Connect"), "the CA cannot be reached: {err}");
    assert_eq!(crate::tls::connect(addr).await.1, second, "the served certificate stays");
    let admin = Caller::of(UserId(1), Role::Admin, "t");
    let inbox = d.svc().notices.inbox(&admin).unwrap();
    let failed: Vec<_> = inbox.notices.iter().filter(|(n, _)| n.kind == "tls.acme_failed").collect();
    assert_eq!(failed.len(), 1, "{:?}", inbox.notices.iter().map(|(n, _)| &n.kind).collect::<Vec<_>>());
    assert!(failed[0].0.subject.contains("localhost"), "{}", failed[0].0.subject);
    // Failing again the same day tells no one twice.
    assert!(acme.ensure().await.is_err());
    let again = d.svc().notices.inbox(&admin).unwrap();
    assert_eq!(again.notices.iter().filter(|(n, _)| n.kind == "tls.acme_failed").count(), 1);
    drop((old, acme));
    d.stop().await;
}

#[tokio::test]
async fn a_ca_that_never_answers_leaves_the_self_signed_certificate_and_tells_the_admins() {
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    cfg.public_url = "https://panel.example.com".into();
    // Nothing listens there.
    cfg.tls.acme.directory = format!("https://127.0.0.1:{}/dir", free_port());
    let data = dir.path().to_path_buf();
    let d = start_daemon_with(cfg, dir).await;
    let admin = Caller::of(UserId(1), Role::Admin, "t");
    let mut told = Vec::new();
    for _ in 0..300 {
        told = d
            .svc()
            .notices
            .inbox(&admin)
            .unwrap()
            .notices
            .into_iter()
            .filter(|(n, _)| n.kind == "tls.acme_failed")
            .collect();
        if !told.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(told.len(), 1, "the admins are told");
    assert!(
        told[0].0.subject.contains("panel.example.com") && told[0].0.body.contains("TLS0005"),
        "{:?}",
        told[0].0
    );
    let served = crate::tls::connect(d.addr).await.1;
    let pem = std::fs::read(data.join("tls/cert.pem")).unwrap();
    let self_signed = rustls_pemfile::certs(&mut pem.as_slice()).next().unwrap().unwrap();
    assert_eq!(served, self_signed.to_vec(), "the self-signed certificate is served");
    assert!(!data.join("tls/acme-cert.pem").exists());
    d.stop().await;
}

#[tokio::test]
async fn http_01_on_the_redirect_listener_gets_a_certificate_too() {
    let (port, http) = (free_port(), free_port());
    let ca = pebble(free_port(), http).await;
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    cfg.listen = format!("127.0.0.1:{port}").parse().unwrap();
    cfg.public_url = format!("https://localhost:{port}");
    cfg.tls.redirect_http = Some(format!("127.0.0.1:{http}").parse().unwrap());
    cfg.tls.acme.directory = ca.directory.clone();
    cfg.tls.acme.ca_file = Some(ca.root.clone());
    cfg.tls.acme.challenge = vpsbox::config::AcmeChallenge::Http01;
    let d = start_daemon_with(cfg, dir).await;
    let mut served = Vec::new();
    for _ in 0..600 {
        served = crate::tls::connect(d.addr).await.1;
        if issuer(&served).contains("Pebble") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(issuer(&served).contains("Pebble"), "still {}", issuer(&served));
    // Once proved, the token answers no more; other paths still redirect.
    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = plain
        .get(format!("http://127.0.0.1:{http}/.well-known/acme-challenge/anything"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let r =
        plain.get(format!("http://127.0.0.1:{http}/login")).header("host", "localhost").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 308);
    d.stop().await;
}
