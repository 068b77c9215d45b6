//! Shared helpers: start a daemon in-process on a loopback port or as a process, HTTP clients,
//! form helpers; the typed cabinet client and the shared steps are in [`cabinet`].

mod cabinet;
pub use cabinet::{Cabinet, catalogue, catalogue_with, order, wait_page};

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use vpsbox::app::{Running, StartOptions, start};
use vpsbox::clock::ManualClock;
use vpsbox::config::Config;
use vpsbox::domain::time::Timestamp;

pub const PW: &str = "correct horse battery";

/// A daemon running inside the test process.
pub struct Daemon {
    pub running: Option<Running>,
    pub addr: SocketAddr,
    pub clock: ManualClock,
    /// On the system libvirtd: what this installation left there goes when the daemon is
    /// dropped (a test that failed half-way), before its directory. Dropped before `_dir`.
    leftovers: Option<InstallationGuard>,
    _dir: tempfile::TempDir,
}

/// Something serving the cabinet: an in-process daemon or a daemon process.
pub trait Target {
    fn addr(&self) -> SocketAddr;
    fn url(&self, path: &str) -> String {
        format!("https://{}{}", self.addr(), path)
    }
}

impl Target for Daemon {
    fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Target for DaemonProcess {
    fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Daemon {
    pub fn accounts(&self) -> &vpsbox::service::Accounts {
        &self.running.as_ref().unwrap().svc.accounts
    }

    pub fn svc(&self) -> &vpsbox::service::Services {
        &self.running.as_ref().unwrap().svc
    }

    /// The daemon's data directory.
    pub fn dir_path(&self) -> &Path {
        self._dir.path()
    }

    /// Stop (gracefully) and start again with `cfg` on the same data directory and clock.
    /// Stop, do `meanwhile` while no daemon runs, and start again on the same state.
    pub async fn restart_after(mut self, cfg: Config, meanwhile: impl FnOnce()) -> Daemon {
        if let Some(r) = self.running.take() {
            r.shutdown().await.unwrap();
        }
        // The same installation starts again on this state: nothing of it is left over.
        if let Some(g) = self.leftovers.take() {
            g.disarm();
        }
        meanwhile();
        let clock = self.clock.clone();
        start_daemon_at(cfg, self._dir, clock).await
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.shutdown().await.unwrap();
        }
    }
}

/// A temp dir whose path libvirt-qemu and others could traverse later (0755).
pub fn tempdir() -> tempfile::TempDir {
    let d = tempfile::Builder::new().prefix("vpsbox-it-").tempdir().unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    d
}

pub fn test_config(dir: &Path) -> Config {
    let mut cfg = Config { data_dir: dir.to_path_buf(), ..Config::default() };
    cfg.listen = "127.0.0.1:0".parse().unwrap();
    cfg.accounts.hash_concurrency = 2;
    // A private instance of libvirt's test driver: daemons of parallel tests never see (or
    // reconcile away) each other's domains.
    let node = dir.join("node.xml");
    std::fs::write(&node, "<node/>\n").unwrap();
    cfg.libvirt.uri = format!("test://{}", node.display());
    cfg
}

pub async fn start_daemon_with(cfg: Config, dir: tempfile::TempDir) -> Daemon {
    start_daemon_at(cfg, dir, ManualClock::new(Timestamp::from_secs(1_800_000_000))).await
}

/// [`start_daemon_with`] on `clock` (a restart later in time on the same state).
pub async fn start_daemon_at(cfg: Config, dir: tempfile::TempDir, clock: ManualClock) -> Daemon {
    // Daemon logs appear in the output of failing tests.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
        .with_test_writer()
        .try_init();
    let on_system = cfg.libvirt.uri.starts_with("qemu:///system");
    let running =
        start(StartOptions { config: cfg, demo: false, clock: Arc::new(clock.clone()) }).await.unwrap();
    let addr = running.addr;
    let leftovers =
        on_system.then(|| InstallationGuard::new(running.svc.accounts.store().installation_id().to_string()));
    Daemon { running: Some(running), addr, clock, leftovers, _dir: dir }
}

/// A daemon talking to the system libvirtd (`make test` starts it), with QEMU (TCG) domains.
pub async fn start_qemu_daemon() -> Daemon {
    start_qemu_daemon_tuned(|_| {}).await
}

/// [`start_qemu_daemon`] with `tune` applied to its configuration first.
pub async fn start_qemu_daemon_tuned(tune: impl FnOnce(&mut Config)) -> Daemon {
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    cfg.libvirt.uri = "qemu:///system".into();
    cfg.libvirt.domain_type = vpsbox::config::DomainType::Qemu;
    tune(&mut cfg);
    start_daemon_with(cfg, dir).await
}

/// The daemon as a process on the system libvirtd, configured by `config` (TOML, written to
/// `dir/vpsbox.toml`), with the test template imported as template 1 and, made by its admin,
/// plan 1 (1 vCPU, 256 MiB, 1 GiB). Returns the process and the config file.
pub async fn qemu_process_with_plan(dir: &Path, config: &str) -> (DaemonProcess, PathBuf) {
    let template = crate::e2e::test_template();
    let cfg = dir.join("vpsbox.toml");
    std::fs::write(&cfg, config).unwrap();
    let (c_arg, d_arg) = (cfg.to_str().unwrap().to_string(), dir.to_str().unwrap().to_string());
    let out = run_bin(
        &["template", "import", "tiny", template.to_str().unwrap(), "--config", &c_arg, "--data-dir", &d_arg],
        None,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let p = DaemonProcess::spawn(dir, &cfg);
    let log = p.log_text();
    let admin_pw = log.split("with password ").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    let admin = client();
    assert_eq!(log_in(&admin, &p, "admin@localhost", &admin_pw).await.status().as_u16(), 303);
    let plan = [
        ("name", "t-1"),
        ("vcpus", "1"),
        ("memory_mib", "256"),
        ("disk_gb", "1"),
        ("ipv4", "0"),
        ("monthly", "1"),
        ("hourly", "0.01"),
    ];
    assert_eq!(submit(&admin, &p, "/admin/plans", "/admin/plans", &plan).await.status().as_u16(), 303);
    (p, cfg)
}

/// Create the admin `root@example.com` and return a client logged in as it.
pub async fn admin_client(d: &Daemon) -> reqwest::Client {
    d.accounts().create_user("root@example.com", PW, vpsbox::domain::account::Role::Admin).await.unwrap();
    let c = client();
    let r = log_in(&c, d, "root@example.com", PW).await;
    assert_eq!(r.status().as_u16(), 303);
    c
}

pub async fn start_daemon() -> Daemon {
    let dir = tempdir();
    let cfg = test_config(dir.path());
    start_daemon_with(cfg, dir).await
}

/// A browser-like client: cookies kept, redirects not followed, any certificate accepted.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// The CSRF token in a page's form.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).unwrap_or_else(|| panic!("no csrf field in page: {html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

pub async fn get_text(c: &reqwest::Client, url: &str) -> (u16, String) {
    let r = c.get(url).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.text().await.unwrap())
}

/// GET `form_page`, then POST `fields` + its CSRF token to `action`.
pub async fn submit(
    c: &reqwest::Client,
    d: &impl Target,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let (_, html) = get_text(c, &d.url(form_page)).await;
    let csrf = csrf_of(&html);
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("csrf", &csrf));
    c.post(d.url(action)).form(&all).send().await.unwrap()
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

/// Sign up through the form; the client ends up logged in.
pub async fn sign_up(c: &reqwest::Client, d: &impl Target, email: &str) {
    let r = submit(c, d, "/signup", "/signup", &[("email", email), ("password", PW), ("confirm", PW)]).await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    assert_eq!(location(&r), "/dashboard");
}

/// Log in through the form.
pub async fn log_in(c: &reqwest::Client, d: &impl Target, email: &str, password: &str) -> reqwest::Response {
    submit(c, d, "/login", "/login", &[("email", email), ("password", password)]).await
}

/// The arguments of `vpsbox <command> <rest…> --config <cfg> --data-dir <data>`.
pub fn cli_args<'a>(command: &'a str, cfg: &'a str, data: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![command];
    v.extend_from_slice(rest);
    v.extend_from_slice(&["--config", cfg, "--data-dir", data]);
    v
}

/// Path of the built binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_vpsbox"))
}

/// Run the binary to completion.
pub fn run_bin(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    let mut cmd = Command::new(bin());
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.env_remove("RUST_LOG");
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// A daemon as a separate process (for signals and cross-process locking).
pub struct DaemonProcess {
    pub child: Child,
    pub addr: SocketAddr,
    pub log: PathBuf,
}

impl DaemonProcess {
    pub fn spawn(dir: &Path, config: &Path) -> DaemonProcess {
        let port = free_port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let log = dir.join("daemon.log");
        let child = Command::new(bin())
            .args(["serve", "--config"])
            .arg(config)
            .args(["--data-dir"])
            .arg(dir)
            .args(["--listen", &addr.to_string()])
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let p = DaemonProcess { child, addr, log };
        p.wait_listening();
        p
    }

    fn wait_listening(&self) {
        for _ in 0..300 {
            if std::net::TcpStream::connect(self.addr).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("daemon did not listen: {}", std::fs::read_to_string(&self.log).unwrap_or_default());
    }

    pub fn signal(&self, sig: &str) {
        let st =
            Command::new("kill").args([&format!("-{sig}"), &self.child.id().to_string()]).status().unwrap();
        assert!(st.success());
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for DaemonProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// An empty config file in `dir` (so the tests never read /etc/vpsbox).
pub fn empty_config(dir: &Path) -> PathBuf {
    let p = dir.join("vpsbox.toml");
    std::fs::write(&p, "[libvirt]\nuri = \"test:///default\"\n").unwrap();
    p
}

/// A small qcow2 image made with qemu-img.
pub fn qcow2_image(dir: &Path, name: &str, size: &str) -> PathBuf {
    let p = dir.join(name);
    let ok = Command::new("qemu-img")
        .args(["create", "-q", "-f", "qcow2"])
        .arg(&p)
        .arg(size)
        .status()
        .unwrap()
        .success();
    assert!(ok, "qemu-img create");
    p
}

/// Messages a sink took: recipients and the raw message.
pub type Mails = Arc<std::sync::Mutex<Vec<(Vec<String>, String)>>>;

/// A minimal SMTP server on loopback that accepts every message and keeps it (the test's mail
/// sink: no mail leaves the machine).
pub struct SmtpSink {
    pub port: u16,
    pub messages: Mails,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages: Mails = Arc::default();
        let store = messages.clone();
        tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else { return };
                let store = store.clone();
                tokio::spawn(async move {
                    let (r, mut w) = sock.into_split();
                    let mut lines = BufReader::new(r).lines();
                    w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                    let (mut rcpt, mut data, mut in_data) = (Vec::new(), String::new(), false);
                    while let Ok(Some(line)) = lines.next_line().await {
                        if in_data {
                            if line == "." {
                                in_data = false;
                                store
                                    .lock()
                                    .unwrap()
                                    .push((std::mem::take(&mut rcpt), std::mem::take(&mut data)));
                                w.write_all(b"250 queued\r\n").await.unwrap();
                            } else {
                                data.push_str(&line);
                                data.push('\n');
                            }
                            continue;
                        }
                        let upper = line.to_ascii_uppercase();
                        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                            b"250-sink\r\n250 8BITMIME\r\n"
                        } else if upper.starts_with("RCPT TO:") {
                            rcpt.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                            b"250 ok\r\n"
                        } else if upper.starts_with("DATA") {
                            in_data = true;
                            b"354 go on\r\n"
                        } else if upper.starts_with("QUIT") {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            return;
                        } else {
                            b"250 ok\r\n"
                        };
                        if w.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        SmtpSink { port, messages }
    }

    /// The messages so far: recipients and the raw message.
    pub fn taken(&self) -> Vec<(Vec<String>, String)> {
        self.messages.lock().unwrap().clone()
    }
}

/// Destroys and undefines this test's domain if the test ends early (a failed assertion), so
/// no guest is left running on the shared libvirtd; only the domain of the UUID it was given.
pub struct DomainGuard(pub String);

/// When dropped (armed), destroys and undefines every domain and network on the system libvirtd
/// that carries the installation `.0` in its metadata, with the domains' filters: what a test
/// that failed half-way left of its daemon's. Never anything without that mark.
pub struct InstallationGuard(Option<String>);

impl InstallationGuard {
    pub fn new(installation: String) -> InstallationGuard {
        InstallationGuard(Some(installation))
    }

    /// Leave everything in place (the installation goes on).
    pub fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for InstallationGuard {
    fn drop(&mut self) {
        let Some(id) = self.0.take() else { return };
        let virsh = |args: &[&str]| -> String {
            Command::new("virsh")
                .args(["-c", "qemu:///system"])
                .args(args)
                .stderr(Stdio::null())
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                .unwrap_or_default()
        };
        let marked = |xml: &str| {
            xml.contains(&format!("installation=\"{id}\"")) || xml.contains(&format!("installation='{id}'"))
        };
        for uuid in virsh(&["list", "--all", "--uuid"]).lines().map(str::trim).filter(|l| !l.is_empty()) {
            if marked(&virsh(&["dumpxml", uuid])) {
                drop(DomainGuard(uuid.to_string()));
            }
        }
        for net in virsh(&["net-list", "--all", "--name"]).lines().map(str::trim).filter(|l| !l.is_empty()) {
            drop(NetworkGuard(net.to_string(), id.clone()));
        }
    }
}

/// Removes the libvirt network `.0` when dropped (a failed test's), if it carries the
/// installation `.1` in its metadata: never another's.
pub struct NetworkGuard(pub String, pub String);

impl Drop for NetworkGuard {
    fn drop(&mut self) {
        let virsh = |args: &[&str]| {
            Command::new("virsh")
                .args(["-c", "qemu:///system"])
                .args(args)
                .stderr(std::process::Stdio::null())
                .output()
        };
        let Ok(xml) = virsh(&["net-dumpxml", &self.0]) else { return };
        if String::from_utf8_lossy(&xml.stdout).contains(&format!("installation=\"{}\"", self.1)) {
            let _ = virsh(&["net-destroy", &self.0]);
            let _ = virsh(&["net-undefine", &self.0]);
        }
    }
}

impl Drop for DomainGuard {
    fn drop(&mut self) {
        let filter = format!("vpsbox-vm-{}", self.0);
        for args in [vec!["destroy", &self.0], vec!["undefine", &self.0], vec!["nwfilter-undefine", &filter]]
        {
            let _ = Command::new("virsh")
                .args(["-c", "qemu:///system"])
                .args(&args)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status();
        }
    }
}
