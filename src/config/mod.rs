//! Configuration: one TOML file (default `/etc/vpsbox/vpsbox.toml`). Every key has a default,
//! so an empty or missing file is valid; unknown keys are rejected with their line number.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod storage;
mod support;
pub use storage::StorageConfig;
pub use support::{AlertsConfig, SlaConfig};

/// Where the daemon looks for its configuration unless `--config` says otherwise.
pub const DEFAULT_CONFIG_PATH: &str = "/etc/vpsbox/vpsbox.toml";

/// Why a configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("Cannot read config file {path}: {source}")]
    Read {
        /// File that was asked for.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has unknown keys or wrong types.
    #[error("Invalid config file {path}: {message}")]
    Parse {
        /// File that was read.
        path: PathBuf,
        /// The parser's message, naming the key, line and column.
        message: String,
    },
    /// A value is well-formed but not usable.
    #[error("Invalid config file {path}: {message}")]
    Value {
        /// File that was read.
        path: PathBuf,
        /// Which key and why.
        message: String,
    },
}

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// State directory: `vpsbox.redb`, generated TLS files, later disks and templates.
    pub data_dir: PathBuf,
    /// HTTPS listen address of the cabinet.
    pub listen: SocketAddr,
    /// Public base URL of the cabinet (`https://panel.example.com`), used in reset links. Empty:
    /// derived from the request's Host header.
    pub public_url: String,
    /// TLS settings.
    pub tls: TlsConfig,
    /// Account and session settings.
    pub accounts: AccountsConfig,
    /// HTTP limits.
    pub http: HttpConfig,
    /// Hypervisor connection.
    pub libvirt: LibvirtConfig,
    /// Limits every new account gets.
    pub quotas: QuotaConfig,
    /// Public addresses and networks.
    pub network: NetworkConfig,
    /// Browser consoles.
    pub console: ConsoleConfig,
    /// Backups of VMs and of the appliance's own state.
    pub backup: BackupConfig,
    /// Money: currency, months, low balance and suspension.
    pub billing: BillingConfig,
    /// The one-time free trial.
    pub trial: TrialConfig,
    /// E-mail copies of notices through an SMTP relay.
    pub mail: MailConfig,
    /// Service level: maintenance notices.
    pub sla: SlaConfig,
    /// Admin alerts through a Telegram bot.
    pub alerts: AlertsConfig,
    /// Logging.
    pub log: LogConfig,
    /// Free space kept on the data and backup directories.
    pub storage: StorageConfig,
}

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

/// Accounts and sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccountsConfig {
    /// Whether customers may sign up themselves at first start; admins can change it later on
    /// the admin page (the stored setting wins from then on).
    pub signup: bool,
    /// E-mail of the admin created at first start when no admin exists.
    pub bootstrap_admin_email: String,
    /// A session ends after this many minutes without a request.
    pub session_idle_minutes: u32,
    /// A session ends this many hours after login, whatever the activity.
    pub session_absolute_hours: u32,
    /// Concurrent password hashes (argon2id, ~19 MiB each). 0: number of CPU cores.
    pub hash_concurrency: usize,
}

/// HTTP limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Largest request body accepted, bytes; larger bodies get a 413 page.
    pub body_limit_bytes: usize,
    /// Seconds in-flight requests get to finish on SIGTERM before connections are closed.
    pub shutdown_grace_secs: u64,
}

/// Domain type requested for guests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DomainType {
    /// `kvm` when libvirt offers it, else `qemu`.
    Auto,
    /// Hardware virtualisation.
    Kvm,
    /// Software emulation (TCG).
    Qemu,
}

/// Hypervisor connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LibvirtConfig {
    /// libvirt connection URI.
    pub uri: String,
    /// Domain type for guests.
    pub domain_type: DomainType,
    /// Seconds between reconcile passes (redb compared with libvirt).
    pub reconcile_interval_secs: u64,
}

/// Browser consoles (VNC and serial through the cabinet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleConfig {
    /// Open console sessions one VM may have (graphical and serial together).
    pub max_per_vm: usize,
    /// Open console sessions one account may have.
    pub max_per_account: usize,
    /// Seconds without input after which a console session is closed.
    pub idle_timeout_secs: u64,
    /// Seconds a console page's one-time ticket stays valid.
    pub ticket_secs: u64,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self { max_per_vm: 4, max_per_account: 8, idle_timeout_secs: 1800, ticket_secs: 60 }
    }
}

/// Backups of VMs and of the appliance's own state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BackupConfig {
    /// Where VM backups are written (may be a mounted remote file system); empty:
    /// `DATA_DIR/backups`.
    pub dir: PathBuf,
    /// Backups that may run at once on the host.
    pub max_concurrent: usize,
    /// Schedule frequencies customers may choose (`hourly`, `daily`, `weekly`, `monthly`).
    pub frequencies: Vec<crate::domain::schedule::Frequency>,
    /// Seconds before a failed scheduled backup is tried again (three attempts in all).
    pub retry_after_secs: u64,
    /// Hours between automatic copies of the state file under `DATA_DIR/db-backups/`; 0 turns
    /// them off.
    pub db_copy_interval_hours: u64,
    /// Automatic state copies kept (the newest).
    pub db_copies_keep: usize,
}

impl Default for BackupConfig {
    fn default() -> Self {
        Self {
            dir: PathBuf::new(),
            max_concurrent: 2,
            frequencies: crate::domain::schedule::Frequency::ALL.to_vec(),
            retry_after_secs: 300,
            db_copy_interval_hours: 24,
            db_copies_keep: 7,
        }
    }
}

/// Money: one currency per appliance, calendar months in one time zone, low-balance notices
/// and suspension after a grace period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BillingConfig {
    /// ISO 4217 code shown with amounts.
    pub currency: String,
    /// Digits of the minor unit (2: tiyn, cents; 0 for a currency without one).
    pub minor_unit: u8,
    /// IANA time zone of calendar months (the monthly cap, statements).
    pub time_zone: String,
    /// Days the balance may stay below zero before the account is suspended.
    pub grace_days: u64,
    /// A notice when the balance lasts fewer than each of these days at the current rate.
    pub low_balance_days: Vec<u32>,
}

impl Default for BillingConfig {
    fn default() -> Self {
        Self {
            currency: "KZT".into(),
            minor_unit: 2,
            time_zone: "UTC".into(),
            grace_days: 3,
            low_balance_days: vec![3, 1],
        }
    }
}

/// The free trial: its length, whether requests are approved without an admin, and the
/// limits a trial account gets (keys left out of `[trial.quota]` take the `[quotas]` built-in
/// defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TrialConfig {
    /// Days, counted from the first VM start.
    pub days: u32,
    /// Approve requests from eligible customers at once.
    pub auto_approve: bool,
    /// Limits during the trial (an admin may change them when approving).
    pub quota: QuotaConfig,
}

impl Default for TrialConfig {
    fn default() -> Self {
        Self {
            days: 3,
            auto_approve: false,
            quota: QuotaConfig {
                vms: 1,
                vcpus: 2,
                memory_mib: 2048,
                disk_gb: 20,
                ipv4: 1,
                backups: 2,
                private_networks: 1,
                backup_gb: 10,
            },
        }
    }
}

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587).
    Starttls,
    /// TLS from the start (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or a test sink.
    None,
}

/// E-mail copies of notices through an SMTP relay. Off while `smtp_host` is empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// The relay's host name; empty: no e-mail.
    pub smtp_host: String,
    /// Its port.
    pub smtp_port: u16,
    /// How the connection is secured.
    pub security: SmtpSecurity,
    /// Login, if the relay wants one.
    pub username: String,
    /// Password for `username` (never printed by `config check`).
    #[serde(skip_serializing)]
    pub password: String,
    /// The sender, e.g. `Example Hosting <noreply@example.com>`.
    pub from: String,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp_host: String::new(),
            smtp_port: 587,
            security: SmtpSecurity::Starttls,
            username: String::new(),
            password: String::new(),
            from: "vpsbox <noreply@localhost>".into(),
        }
    }
}

/// Public addresses and networks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkConfig {
    /// The existing Linux bridge (holding the uplink) that VMs' public interfaces join; empty:
    /// no public interface (or `public_network`).
    pub public_bridge: String,
    /// Instead of `public_bridge`: a libvirt network vpsbox creates and keeps running for the
    /// public interfaces, routed: the host takes each IP pool's gateway address on it and routes
    /// the pools' subnets (which the upstream routes to this host).
    pub public_network: String,
    /// Seconds a released public address rests before it is handed out again.
    pub ip_cooldown_secs: u64,
    /// Seconds between samples of the public interfaces' traffic counters.
    pub traffic_interval_secs: u64,
}

/// Default limits for new accounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuotaConfig {
    /// Virtual machines.
    pub vms: u64,
    /// vCPUs over all VMs.
    pub vcpus: u64,
    /// Memory over all VMs, MiB.
    pub memory_mib: u64,
    /// Disk over all VMs, GiB.
    pub disk_gb: u64,
    /// Public IPv4 addresses.
    pub ipv4: u64,
    /// Stored backups.
    pub backups: u64,
    /// Private networks.
    pub private_networks: u64,
    /// Backup storage, GiB.
    pub backup_gb: u64,
}

impl Default for QuotaConfig {
    fn default() -> Self {
        Self {
            vms: 3,
            vcpus: 4,
            memory_mib: 8192,
            disk_gb: 100,
            ipv4: 3,
            backups: 10,
            private_networks: 2,
            backup_gb: 100,
        }
    }
}

impl QuotaConfig {
    /// As quota amounts.
    pub fn amounts(&self) -> crate::domain::quota::Amounts {
        crate::domain::quota::Amounts {
            vms: self.vms,
            vcpus: self.vcpus,
            memory_mib: self.memory_mib,
            disk_gb: self.disk_gb,
            ipv4: self.ipv4,
            backups: self.backups,
            private_networks: self.private_networks,
            backup_gb: self.backup_gb,
        }
    }
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable with colours on a terminal, plain lines for journald otherwise.
    Auto,
    /// Always human-readable with timestamps and colours.
    Pretty,
    /// Plain lines without timestamps (journald adds its own).
    Journald,
}

/// Logging.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `RUST_LOG`-style filter, e.g. `info` or `info,vpsbox::web=debug`. The `RUST_LOG`
    /// environment variable overrides it.
    pub filter: String,
    /// Output format.
    pub format: LogFormat,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("/var/lib/vpsbox"),
            listen: SocketAddr::from(([0, 0, 0, 0], 8443)),
            public_url: String::new(),
            tls: TlsConfig::default(),
            accounts: AccountsConfig::default(),
            http: HttpConfig::default(),
            libvirt: LibvirtConfig::default(),
            quotas: QuotaConfig::default(),
            network: NetworkConfig::default(),
            console: ConsoleConfig::default(),
            backup: BackupConfig::default(),
            billing: BillingConfig::default(),
            trial: TrialConfig::default(),
            mail: MailConfig::default(),
            sla: SlaConfig::default(),
            alerts: AlertsConfig::default(),
            log: LogConfig::default(),
            storage: StorageConfig::default(),
        }
    }
}

impl Default for AccountsConfig {
    fn default() -> Self {
        Self {
            signup: true,
            bootstrap_admin_email: "admin@localhost".into(),
            session_idle_minutes: 120,
            session_absolute_hours: 24 * 7,
            hash_concurrency: 0,
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self { body_limit_bytes: 64 * 1024, shutdown_grace_secs: 20 }
    }
}

impl Default for LibvirtConfig {
    fn default() -> Self {
        Self { uri: "qemu:///system".into(), domain_type: DomainType::Auto, reconcile_interval_secs: 30 }
    }
}

impl Default for NetworkConfig {
    fn default() -> Self {
        Self {
            public_bridge: String::new(),
            public_network: String::new(),
            ip_cooldown_secs: 86_400,
            traffic_interval_secs: 60,
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self { filter: "info".into(), format: LogFormat::Auto }
    }
}

impl Config {
    /// Parse configuration text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let cfg: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: describe_toml_error(text, &e),
        })?;
        cfg.validate(path)?;
        Ok(cfg)
    }

    /// Read and parse a file. A missing file at the default path means "all defaults"; a
    /// missing file that was asked for explicitly is an error.
    pub fn load(path: &Path, explicit: bool) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Ok(Config::default()),
            Err(source) => Err(ConfigError::Read { path: path.to_path_buf(), source }),
        }
    }

    fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let bad = |message: String| Err(ConfigError::Value { path: path.to_path_buf(), message });
        if self.tls.cert.is_some() != self.tls.key.is_some() {
            return bad("tls.cert and tls.key must be set together".into());
        }
        if self.accounts.session_idle_minutes == 0 || self.accounts.session_absolute_hours == 0 {
            return bad("accounts.session_idle_minutes and session_absolute_hours must be above 0".into());
        }
        if let Err(message) = self.storage.validate() {
            return bad(message);
        }
        if self.http.body_limit_bytes < 1024 {
            return bad("http.body_limit_bytes must be at least 1024".into());
        }
        if crate::domain::account::Email::parse(&self.accounts.bootstrap_admin_email).is_err() {
            return bad(format!(
                "accounts.bootstrap_admin_email {:?} is not an e-mail address",
                self.accounts.bootstrap_admin_email
            ));
        }
        if !self.public_url.is_empty() && !self.public_url.starts_with("https://") {
            return bad("public_url must start with https://".into());
        }
        if !self.network.public_bridge.is_empty() && !self.network.public_network.is_empty() {
            return bad("set network.public_bridge or network.public_network, not both".into());
        }
        let n = &self.network.public_network;
        if !n.is_empty()
            && (n.len() > 64
                || !n.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                || n.starts_with(&crate::domain::privnet::network_prefix()))
        {
            return bad(format!(
                "network.public_network {n:?}: use up to 64 letters, digits, '-', '_' or '.', not starting with {:?}",
                crate::domain::privnet::network_prefix()
            ));
        }
        if self.console.max_per_vm == 0 || self.console.max_per_account == 0 || self.console.ticket_secs == 0
        {
            return bad("console.max_per_vm, max_per_account and ticket_secs must be above 0".into());
        }
        let b = &self.billing;
        if b.currency.len() != 3 || !b.currency.chars().all(|c| c.is_ascii_uppercase()) {
            return bad(format!("billing.currency {:?} must be a three-letter ISO 4217 code", b.currency));
        }
        if !self.mail.smtp_host.is_empty() && self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            return bad(format!(
                "mail.from {:?} is not an address such as \"Hosting <noreply@example.com>\"",
                self.mail.from
            ));
        }
        if !(1..=90).contains(&self.trial.days) {
            return bad("trial.days must be 1 to 90".into());
        }
        if b.minor_unit > 3 {
            return bad("billing.minor_unit must be 0 to 3".into());
        }
        if crate::domain::schedule::zone(&b.time_zone).is_err() {
            return bad(format!("billing.time_zone {:?} is not an IANA time zone", b.time_zone));
        }
        if let Some(p) = self.alerts.problem() {
            return bad(p);
        }
        if self.sla.maintenance_notice_hours > 24 * 60 {
            return bad("sla.maintenance_notice_hours must be at most 1440".into());
        }
        if tracing_subscriber::EnvFilter::try_new(&self.log.filter).is_err() {
            return bad(format!("log.filter {:?} is not a valid filter", self.log.filter));
        }
        Ok(())
    }

    /// Path of the redb state file.
    pub fn store_path(&self) -> PathBuf {
        self.data_dir.join("vpsbox.redb")
    }
}

/// The toml crate's message names the key and shows the line; prefix the line number in words
/// so the first line of the message alone says where to look.
fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let detail = e.message().trim().to_string();
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            let key = text.get(span.clone()).unwrap_or("").trim();
            if key.is_empty() {
                format!("line {line}: {detail}")
            } else {
                format!("line {line}, `{key}`: {detail}")
            }
        }
        None => detail,
    }
}

#[cfg(test)]
mod tests;
