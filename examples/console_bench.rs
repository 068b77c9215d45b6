//! Console proxy figures for `make bench`: a tiny VM on qemu:///system (TCG) and the real daemon
//! on loopback TLS; each console is timed directly on the socket/stream vpsbox gets from libvirt
//! and through the cabinet's WebSocket proxy, in the same run:
//!   - VNC: round trip of a 1×1 framebuffer update request (latency per message), and a full
//!     raw framebuffer update of about 1 MB (throughput);
//!   - serial: round trip of one keystroke echoed by the guest's shell, and 1 MB the shell
//!     prints on request (throughput; the guest's emulated UART bounds both paths); direct and
//!     proxied take turns and the median turn counts, as the guest's speed drifts;
//!   - TLS + WebSocket alone: the same ~1.1 MB sent from memory by an in-process server with the
//!     daemon's TLS configuration (what the encryption and framing cost without QEMU).
//!
//!   console_bench TEMPLATE

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark, not product code

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use vpsbox::app::{StartOptions, start};
use vpsbox::clock::{Stopwatch, SystemClock};
use vpsbox::config::{Config, DomainType};
use vpsbox::domain::account::Role;
use vpsbox::domain::catalog::PlanSpec;
use vpsbox::domain::money::Money;
use vpsbox::service::Caller;
use vpsbox::service::console::ConsoleKind;
use vpsbox::service::plans::NewPlan;
use vpsbox::service::templates::ImportRequest;
use vpsbox::service::tokens;
use vpsbox::service::vms::CreateVm;

/// Round trips per console: VNC answers on QEMU's refresh timer (about 150 ms), serial echoes
/// in a few milliseconds.
const VNC_ROUNDS: usize = 100;
const SERIAL_ROUNDS: usize = 1000;
const BURST: usize = 1 << 20;
/// Serial turns per path (direct and proxied alternate); throughput is the median turn.
const SERIAL_TURNS: usize = 3;

#[derive(Debug)]
struct AnyCert(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for AnyCert {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(m, c, d, &self.0.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(m, c, d, &self.0.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

type Ws = tokio_tungstenite::WebSocketStream<tokio_rustls::client::TlsStream<tokio::net::TcpStream>>;

async fn ws(addr: std::net::SocketAddr, path: &str, cookie: &str) -> Ws {
    // Offer AES-128-GCM first, as browsers do (rustls' own default puts AES-256 first).
    let mut provider = rustls::crypto::ring::default_provider();
    provider.cipher_suites.sort_by_key(|s| s.suite() != rustls::CipherSuite::TLS13_AES_128_GCM_SHA256);
    let provider = Arc::new(provider);
    let cfg = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AnyCert(provider)))
        .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    tcp.set_nodelay(true).unwrap();
    let tls = tokio_rustls::TlsConnector::from(Arc::new(cfg))
        .connect(ServerName::IpAddress(addr.ip().into()), tcp)
        .await
        .unwrap();
    let mut req = format!("wss://{addr}{path}").into_client_request().unwrap();
    req.headers_mut().insert("cookie", format!("__Host-vpsbox_session={cookie}").parse().unwrap());
    req.headers_mut().insert("origin", format!("https://{addr}").parse().unwrap());
    tokio_tungstenite::client_async(req, tls).await.unwrap().0
}

thread_local! {
    /// One read buffer for the direct paths, so that neither path pays for zeroing a new one.
    static CHUNK: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0u8; 256 * 1024]);
}

/// Both ways of talking to a console: the direct socket/stream, or the proxy's WebSocket.
#[allow(clippy::large_enum_variant)]
enum Conn {
    Unix(std::os::unix::net::UnixStream, Vec<u8>),
    Serial(Arc<dyn vpsbox::hv::ByteStream>, Vec<u8>),
    Ws(Ws, Vec<u8>),
}

impl Conn {
    async fn send(&mut self, data: &[u8]) {
        match self {
            Conn::Unix(s, _) => s.write_all(data).unwrap(),
            Conn::Serial(s, _) => s.send(data).unwrap(),
            Conn::Ws(w, _) => w.send(Message::Binary(data.to_vec().into())).await.unwrap(),
        }
    }

    /// Exactly `n` bytes (buffering what arrives beyond).
    async fn recv(&mut self, n: usize) -> Vec<u8> {
        loop {
            let buf = match self {
                Conn::Unix(_, b) | Conn::Serial(_, b) | Conn::Ws(_, b) => b,
            };
            if buf.len() >= n {
                return buf.drain(..n).collect();
            }
            match self {
                Conn::Unix(s, b) => {
                    let k = CHUNK.with_borrow_mut(|chunk| {
                        let k = s.read(chunk).unwrap();
                        b.extend_from_slice(&chunk[..k]);
                        k
                    });
                    assert!(k > 0, "VNC socket closed");
                }
                Conn::Serial(s, b) => {
                    let ready = s.ready();
                    let got = CHUNK.with_borrow_mut(|chunk| match s.try_recv(chunk).unwrap() {
                        vpsbox::hv::Received::Bytes(k) => {
                            b.extend_from_slice(&chunk[..k]);
                            true
                        }
                        vpsbox::hv::Received::Nothing => false,
                        vpsbox::hv::Received::End => panic!("serial stream closed"),
                    });
                    if !got {
                        ready.notified().await;
                    }
                }
                Conn::Ws(w, b) => match w.next().await.unwrap().unwrap() {
                    Message::Binary(d) => b.extend_from_slice(&d),
                    Message::Close(f) => panic!("proxy closed: {f:?}"),
                    _ => {}
                },
            }
        }
    }

    /// What is buffered, or else what one read brings.
    async fn recv_some(&mut self) -> Vec<u8> {
        let buffered = match self {
            Conn::Unix(_, b) | Conn::Serial(_, b) | Conn::Ws(_, b) => std::mem::take(b),
        };
        if !buffered.is_empty() {
            return buffered;
        }
        self.recv(1).await
    }

    /// Drop what is buffered (without waiting).
    fn recv_some_now(&mut self) -> usize {
        match self {
            Conn::Unix(_, b) | Conn::Serial(_, b) | Conn::Ws(_, b) => std::mem::take(b).len(),
        }
    }

    /// Read until `needle` arrived.
    async fn recv_until(&mut self, needle: &[u8]) {
        let mut tail: Vec<u8> = Vec::new();
        loop {
            tail.extend_from_slice(&self.recv_some().await);
            if tail.windows(needle.len()).any(|w| w == needle) {
                return;
            }
            let keep = tail.len().saturating_sub(needle.len());
            tail.drain(..keep);
        }
    }

    /// Read until `want` bytes equal to `byte` arrived (other bytes are dropped).
    async fn recv_count(&mut self, byte: u8, want: usize) {
        let mut seen = 0;
        while seen < want {
            seen += self.recv_some().await.iter().filter(|b| **b == byte).count();
        }
    }
}

/// RFB handshake (3.8, no authentication, shared), raw encoding only; returns (width, height).
async fn rfb_init(c: &mut Conn) -> (u16, u16) {
    let version = c.recv(12).await;
    assert!(version.starts_with(b"RFB 003."), "{version:?}");
    c.send(b"RFB 003.008\n").await;
    let n = c.recv(1).await[0] as usize;
    let types = c.recv(n).await;
    assert!(types.contains(&1), "no 'None' security type: {types:?}");
    c.send(&[1]).await;
    assert_eq!(c.recv(4).await, [0, 0, 0, 0], "security result");
    c.send(&[1]).await; // ClientInit: shared
    let init = c.recv(24).await;
    let (w, h) = (u16::from_be_bytes([init[0], init[1]]), u16::from_be_bytes([init[2], init[3]]));
    let name_len = u32::from_be_bytes([init[20], init[21], init[22], init[23]]) as usize;
    c.recv(name_len).await;
    // SetEncodings: raw only.
    c.send(&[2, 0, 0, 1, 0, 0, 0, 0]).await;
    (w, h)
}

/// FramebufferUpdateRequest (non-incremental) for a rectangle; reads the whole answer (raw,
/// 32 bits per pixel, as the server's default format).
async fn rfb_update(c: &mut Conn, w: u16, h: u16) -> (usize, Duration) {
    let mut req = vec![3, 0, 0, 0, 0, 0];
    req.extend_from_slice(&w.to_be_bytes());
    req.extend_from_slice(&h.to_be_bytes());
    c.send(&req).await;
    loop {
        let head = c.recv(4).await;
        // The transfer is timed from the answer's first bytes: QEMU answers on its display
        // refresh timer, which is no part of either path.
        let started = Stopwatch::start();
        if head[0] != 0 {
            // Not a framebuffer update (bell, colour map, cut text): skip what we know.
            assert_eq!(head[0], 2, "unexpected server message {}", head[0]);
            continue;
        }
        let rects = u16::from_be_bytes([head[2], head[3]]);
        let mut bytes = 0;
        for _ in 0..rects {
            let r = c.recv(12).await;
            let (rw, rh) =
                (u16::from_be_bytes([r[4], r[5]]) as usize, u16::from_be_bytes([r[6], r[7]]) as usize);
            let enc = i32::from_be_bytes([r[8], r[9], r[10], r[11]]);
            if enc == 0 {
                let n = rw * rh * 4;
                c.recv(n).await;
                bytes += n;
            }
        }
        return (bytes, started.elapsed());
    }
}

/// TLS + WebSocket alone on this machine: an in-process server with the daemon's own TLS
/// configuration sends `n` bytes from memory in 256 KiB frames per request; the client times
/// it as `rfb_update` does (from the first bytes). No QEMU producing the bytes, no proxy.
async fn tls_ws_floor(cfg: &Config, n: usize, rounds: usize) -> f64 {
    use vpsbox::clock::Clock;
    let files = vpsbox::web::tls::ensure_cert(cfg, vpsbox::clock::SystemClock.now()).unwrap();
    let (server_cfg, _) = vpsbox::web::tls::server_config(&files).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        tcp.set_nodelay(true).unwrap();
        let tls = tokio_rustls::TlsAcceptor::from(server_cfg).accept(tcp).await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(tls).await.unwrap();
        let payload = bytes::Bytes::from(vec![7u8; n]);
        while let Some(Ok(_)) = ws.next().await {
            for at in (0..n).step_by(256 * 1024) {
                ws.send(Message::Binary(payload.slice(at..n.min(at + 256 * 1024)))).await.unwrap();
            }
        }
    });
    let mut c = Conn::Ws(ws(addr, "/", "-").await, Vec::new());
    let mut best = 0f64;
    for _ in 0..rounds {
        c.send(&[0]).await;
        c.recv(4).await;
        let started = Stopwatch::start();
        c.recv(n - 4).await;
        best = best.max(n as f64 / started.elapsed().as_secs_f64() / 1e6);
    }
    best
}

fn pct(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

struct Figures {
    p50: Duration,
    p99: Duration,
    mb_s: f64,
}

/// Full-screen updates timed per path (best counts): `VNC_FULL`, default 5.
fn full_updates() -> usize {
    std::env::var("VNC_FULL").ok().and_then(|v| v.parse().ok()).unwrap_or(5)
}

async fn vnc_figures(c: &mut Conn) -> Figures {
    let (w, h) = rfb_init(c).await;
    let mut rtts = Vec::new();
    for _ in 0..VNC_ROUNDS {
        let t = Stopwatch::start();
        rfb_update(c, 1, 1).await;
        rtts.push(t.elapsed());
    }
    let mut best = 0f64;
    for _ in 0..full_updates() {
        let (n, took) = rfb_update(c, w, h).await;
        best = best.max(n as f64 / took.as_secs_f64() / 1e6);
    }
    Figures { p50: pct(rtts.clone(), 0.5), p99: pct(rtts, 0.99), mb_s: best }
}

/// One turn: keystroke round trips and the burst's rate in MB/s.
async fn serial_figures(c: &mut Conn) -> (Vec<Duration>, f64) {
    let burst = std::env::var("BURST_KB")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map(|k| k << 10)
        .unwrap_or(BURST);
    // Let the guest's console settle; drop what it printed so far.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut rtts = Vec::new();
    for _ in 0..SERIAL_ROUNDS / SERIAL_TURNS {
        let t = Stopwatch::start();
        c.send(b"q").await;
        c.recv_count(b'q', 1).await;
        rtts.push(t.elapsed());
    }
    // Clear the typed line (Ctrl-U), then ask the guest's shell for the burst: 1 MB of 'x'
    // and an end marker that the echoed command line does not contain.
    c.send(b"\x15").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let _ = c.recv_some_now();
    let t = Stopwatch::start();
    c.send(format!("head -c {burst} /dev/zero | tr '\\000' y; echo; echo BURST-$((6*7))\n").as_bytes()).await;
    c.recv_until(b"BURST-42").await;
    let mb_s = burst as f64 / t.elapsed().as_secs_f64() / 1e6;
    (rtts, mb_s)
}

fn row(name: &str, direct: &Figures, proxied: &Figures) {
    println!(
        "{name:<8} direct p50 {} p99 {} {:.2} MB/s | proxied p50 {} p99 {} {:.2} MB/s | added p99 {} | throughput {:.0}%",
        us(direct.p50),
        us(direct.p99),
        direct.mb_s,
        us(proxied.p50),
        us(proxied.p99),
        proxied.mb_s,
        us(proxied.p99.saturating_sub(direct.p99)),
        100.0 * proxied.mb_s / direct.mb_s
    );
}

#[tokio::main]
async fn main() {
    let template = PathBuf::from(std::env::args().nth(1).expect("usage: console_bench TEMPLATE"));
    let dir = std::env::temp_dir().join(format!("vpsbox-consolebench-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut cfg = Config { data_dir: dir.clone(), ..Config::default() };
    cfg.listen = "127.0.0.1:0".parse().unwrap();
    cfg.libvirt.uri = "qemu:///system".into();
    cfg.libvirt.domain_type = DomainType::Qemu;
    cfg.log.filter = "warn".into();
    cfg.console.max_per_vm = 100;
    let cfg_copy = cfg.clone();
    let running =
        start(StartOptions { config: cfg, demo: false, clock: Arc::new(SystemClock) }).await.unwrap();
    let svc = running.svc.clone();
    let t = svc
        .templates
        .import(
            template,
            ImportRequest { name: "tiny".into(), os: "linux".into(), min_disk_gb: None, login_user: None },
        )
        .await
        .unwrap();
    let plan = svc
        .plans
        .create(NewPlan {
            name: "bench".into(),
            spec: PlanSpec { vcpus: 1, memory_mib: 256, disk_gb: 1, ipv4: 0 },
            monthly_price: Money(1),
            hourly_price: Money(1),
        })
        .await
        .unwrap();
    let pw = "console bench password";
    let owner = svc.accounts.create_user("console@example.com", pw, Role::Customer).await.unwrap();
    let order = CreateVm {
        plan: plan.id,
        template: t.id,
        hostname: "console-bench".into(),
        key_ids: vec![],
        root_password: Some("a long root password".into()),
        once_key: "console-bench".into(),
        networks: vec![],
        restore: None,
    };
    let id = svc.vms.create(owner, order, &Caller::system()).await.unwrap();
    let vm = loop {
        let vm = svc.vms.get(&Caller::system(), id).unwrap();
        if vm.power.is_active() && svc.vms.intent(id).unwrap().is_none() {
            break vm;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let log = svc.vms.paths().serial_log(&vm.uuid);
    while !std::fs::read_to_string(&log).unwrap_or_default().contains("VPSBOX-TEST: ready") {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let session = svc.accounts.login("console@example.com", pw, "127.0.0.1".parse().unwrap()).await.unwrap();
    let session = session.into_session().expect("the bench account has no second factor");
    let key = tokens::digest(&tokens::decode(&session.token).unwrap());
    let scope = &Caller::customer(owner, "127.0.0.1");
    let ticket = |kind| svc.consoles.issue(owner, key, id, kind);

    println!(
        "Consoles (tiny VM under TCG): VNC {VNC_ROUNDS} 1x1 update round trips + best of 5 full-screen raw updates (~1.1 MB); serial {SERIAL_ROUNDS} echoed keystrokes + median of {SERIAL_TURNS} turns of 1 MB printed by the guest's shell"
    );
    let mut direct = Conn::Unix(svc.vms.open_vnc(scope, id).await.unwrap(), Vec::new());
    let d = vnc_figures(&mut direct).await;
    drop(direct);
    let path = format!("/vms/{id}/console/vnc?ticket={}", ticket(ConsoleKind::Vnc));
    let mut proxied = Conn::Ws(ws(running.addr, &path, &session.token).await, Vec::new());
    let p = vnc_figures(&mut proxied).await;
    drop(proxied);
    row("VNC", &d, &p);
    let floor = tls_ws_floor(&cfg_copy, 1_152_000, full_updates()).await;
    println!("TLS+WS   {floor:.2} MB/s for the same bytes sent from memory (no QEMU, no proxy)");

    // Direct and proxied take turns, so that drift in the guest's speed falls on both.
    let (mut d_rtts, mut p_rtts, mut d_rates, mut p_rates) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..SERIAL_TURNS {
        let mut direct = Conn::Serial(svc.vms.open_serial(scope, id).await.unwrap(), Vec::new());
        let (rtts, rate) = serial_figures(&mut direct).await;
        if let Conn::Serial(s, _) = &direct {
            s.close();
        }
        drop(direct);
        d_rtts.extend(rtts);
        d_rates.push(rate);
        let path = format!("/vms/{id}/console/serial?ticket={}", ticket(ConsoleKind::Serial));
        let mut proxied = Conn::Ws(ws(running.addr, &path, &session.token).await, Vec::new());
        let (rtts, rate) = serial_figures(&mut proxied).await;
        drop(proxied);
        p_rtts.extend(rtts);
        p_rates.push(rate);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let d = Figures { p50: pct(d_rtts.clone(), 0.5), p99: pct(d_rtts, 0.99), mb_s: median(d_rates) };
    let p = Figures { p50: pct(p_rtts.clone(), 0.5), p99: pct(p_rtts, 0.99), mb_s: median(p_rates) };
    row("serial", &d, &p);

    svc.vms.delete(&Caller::system(), id, "console-bench").await.unwrap();
    while svc.vms.get_any(id).is_ok() {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    running.shutdown().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
