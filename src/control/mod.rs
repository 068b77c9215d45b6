//! The local control socket (`DATA_DIR/control.sock`, mode 0600): admin CLI commands such as
//! `vpsbox user add` reach the running daemon through it, because the daemon holds the state
//! file's lock. When no daemon runs, the CLI opens the state file itself and runs the same
//! [`execute`] function, so both paths behave identically.

mod billing;
mod sla;

pub use billing::BillingCommand;
pub use sla::SlaCommand;

use crate::service::Coded;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};

use crate::domain::account::Role;
use crate::service::ipam::{IpamError, PoolText};
use crate::service::templates::{ImportRequest, Staged};
use crate::service::{AccountError, Services, TemplateError};

/// File name of the socket inside the data directory.
pub const SOCKET_NAME: &str = "control.sock";

/// Path of the socket for a data directory.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SOCKET_NAME)
}

/// An admin command.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Command {
    /// Create an account.
    UserAdd {
        /// E-mail.
        email: String,
        /// `customer` or `admin`.
        role: String,
        /// Password.
        password: String,
    },
    /// List accounts.
    UserList,
    /// Issue a one-time reset link.
    UserResetLink {
        /// E-mail.
        email: String,
        /// Base URL for the link.
        base_url: String,
    },
    /// Disable or enable an account.
    UserSetDisabled {
        /// E-mail.
        email: String,
        /// New state.
        disabled: bool,
    },
    /// Register an image the CLI copied into the templates directory's incoming area.
    TemplateRegister {
        /// The staged file (must be `DATA_DIR/templates/.incoming-*`).
        staged: PathBuf,
        /// Its SHA-256.
        sha256: String,
        /// Name.
        name: String,
        /// OS family.
        os: String,
        /// Minimum disk GiB.
        min_disk_gb: Option<u32>,
        /// The image's login user besides root.
        #[serde(default)]
        login_user: Option<String>,
    },
    /// List templates.
    TemplateList,
    /// Enable or disable a template.
    TemplateSetEnabled {
        /// Name.
        name: String,
        /// New state.
        enabled: bool,
    },
    /// Delete a template.
    TemplateDelete {
        /// Name.
        name: String,
    },
    /// Add an IP pool.
    PoolAdd {
        /// Name.
        name: String,
        /// Network in CIDR notation.
        network: String,
        /// Gateway address.
        gateway: String,
        /// `A-B` part of the network to hand out, when not all of it.
        range: Option<String>,
        /// `A` or `A-B` entries never handed out.
        exclude: Vec<String>,
        /// DNS servers, comma-separated.
        dns: String,
        /// IPv6 only: hand out `/64` prefixes (`64`) or single addresses (`128`).
        per_vm: Option<u8>,
    },
    /// List IP pools.
    PoolList,
    /// Remove an IP pool.
    PoolRemove {
        /// Name.
        name: String,
    },
    /// Print every reverse DNS name as zone file lines.
    RdnsExport,
    /// Write a consistent copy of the state to a file.
    DbBackup {
        /// Absolute path of the copy.
        path: PathBuf,
    },
    /// List the automatic copies of the state.
    DbList,
    /// Prices, payments, balances.
    Billing(BillingCommand),
    /// Maintenance, incidents and the support queue.
    Sla(SlaCommand),
}

/// The result of a command: text for stdout, or a coded error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reply {
    /// Success with output.
    Ok(String),
    /// Failure.
    Err {
        /// Stable code.
        code: String,
        /// Message.
        message: String,
    },
}

/// A failed command: its code and message.
struct Failure(&'static str, String);

impl From<AccountError> for Failure {
    fn from(e: AccountError) -> Self {
        Failure(e.code(), e.to_string())
    }
}

impl From<TemplateError> for Failure {
    fn from(e: TemplateError) -> Self {
        Failure(e.code(), e.to_string())
    }
}

impl From<crate::service::dbcopies::DbCopyError> for Failure {
    fn from(e: crate::service::dbcopies::DbCopyError) -> Self {
        Failure(e.code(), e.to_string())
    }
}

impl From<IpamError> for Failure {
    fn from(e: IpamError) -> Self {
        Failure(e.code(), e.to_string())
    }
}

/// Run a command against the services.
pub async fn execute(svc: &Services, cmd: Command) -> Reply {
    match run(svc, cmd).await {
        Ok(text) => Reply::Ok(text),
        Err(Failure(code, message)) => Reply::Err { code: code.to_string(), message },
    }
}

fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / f64::from(1u32 << 30))
}

async fn run(svc: &Services, cmd: Command) -> Result<String, Failure> {
    let accounts = &svc.accounts;
    match cmd {
        Command::UserAdd { email, role, password } => {
            let role = Role::parse(&role).ok_or(AccountError::InvalidRole(role))?;
            let id = accounts.create_user(&email, &password, role).await?;
            Ok(format!("created {role} account {id} for {}\n", email.trim().to_lowercase()))
        }
        Command::UserList => {
            let mut out =
                format!("{:>5}  {:<40} {:<9} {:<9} {}\n", "ID", "EMAIL", "ROLE", "STATUS", "CREATED");
            for u in accounts.list_users()? {
                out.push_str(&format!(
                    "{:>5}  {:<40} {:<9} {:<9} {}\n",
                    u.id.0,
                    u.email.as_str(),
                    u.role.as_str(),
                    if u.disabled { "disabled" } else { "active" },
                    u.created_at.display_utc()
                ));
            }
            Ok(out)
        }
        Command::UserResetLink { email, base_url } => {
            let user = accounts.user_by_email(&email)?;
            let token = accounts.issue_reset_token(user.id).await?;
            Ok(format!("{}/reset/{token}\n", base_url.trim_end_matches('/')))
        }
        Command::UserSetDisabled { email, disabled } => {
            let user = accounts.user_by_email(&email)?;
            accounts.set_disabled(user.id, disabled).await?;
            Ok(format!("{} {}\n", user.email, if disabled { "disabled" } else { "enabled" }))
        }
        Command::TemplateRegister { staged, sha256, name, os, min_disk_gb, login_user } => {
            let templates = svc.templates.clone();
            let staged = Staged { path: staged, sha256 };
            let req = ImportRequest { name, os, min_disk_gb, login_user };
            let rec = tokio::task::spawn_blocking(move || templates.register(&staged, &req))
                .await
                .map_err(|e| Failure("CTL0002", e.to_string()))??;
            Ok(format!(
                "imported template {} ({}, {}, {} virtual, min disk {} GiB, login {}, sha256 {})\n",
                rec.name,
                rec.os.as_str(),
                rec.format.as_str(),
                gib(rec.virtual_size),
                rec.min_disk_gb,
                rec.login_user.as_deref().map(|u| format!("root and {u}")).unwrap_or_else(|| "root".into()),
                rec.sha256
            ))
        }
        Command::TemplateList => {
            let mut out = format!(
                "{:>4}  {:<24} {:<8} {:<6} {:>10} {:>8} {:<9} {}\n",
                "ID", "NAME", "OS", "FORMAT", "VIRTUAL", "MIN DISK", "STATUS", "SHA256"
            );
            for t in svc.templates.list()? {
                out.push_str(&format!(
                    "{:>4}  {:<24} {:<8} {:<6} {:>10} {:>6}GiB {:<9} {}\n",
                    t.id.0,
                    t.name,
                    t.os.as_str(),
                    t.format.as_str(),
                    gib(t.virtual_size),
                    t.min_disk_gb,
                    if t.enabled { "enabled" } else { "disabled" },
                    t.sha256
                ));
            }
            Ok(out)
        }
        Command::TemplateSetEnabled { name, enabled } => {
            let t = svc.templates.by_name(&name)?;
            svc.templates.set_enabled(t.id, enabled).await?;
            Ok(format!("template {} {}\n", t.name, if enabled { "enabled" } else { "disabled" }))
        }
        Command::TemplateDelete { name } => {
            let t = svc.templates.by_name(&name)?;
            svc.templates.delete(t.id).await?;
            Ok(format!("template {} deleted\n", t.name))
        }
        Command::PoolAdd { name, network, gateway, range, exclude, dns, per_vm } => {
            let text = PoolText { network, gateway, range: range.unwrap_or_default(), exclude, dns, per_vm };
            let spec = text.spec()?;
            let p = svc.ipam.add_pool(&name, spec).await?;
            Ok(format!("added IP pool {} ({}, {})\n", p.name, p.spec.network, p.spec.size_text()))
        }
        Command::PoolList => {
            let mut out = format!(
                "{:>4}  {:<20} {:<22} {:<26} {:>16} {:>8} {:>8}  {}\n",
                "ID", "NAME", "NETWORK", "GATEWAY", "SIZE", "USED", "RESTING", "DNS"
            );
            for v in svc.ipam.list()? {
                let dns: Vec<String> = v.pool.spec.dns.iter().map(|d| d.to_string()).collect();
                out.push_str(&format!(
                    "{:>4}  {:<20} {:<22} {:<26} {:>16} {:>8} {:>8}  {}\n",
                    v.pool.id.0,
                    v.pool.name,
                    v.pool.spec.network.to_string(),
                    v.pool.spec.gateway.to_string(),
                    v.pool.spec.size_text(),
                    v.leased,
                    v.cooling,
                    dns.join(",")
                ));
            }
            Ok(out)
        }
        Command::PoolRemove { name } => {
            svc.ipam.remove_pool(&name).await?;
            Ok(format!("removed IP pool {}\n", name.trim().to_lowercase()))
        }
        Command::DbBackup { path } => {
            let stats = svc.db.copy_to(path.clone()).await?;
            Ok(format!(
                "wrote a consistent copy of the state to {} ({} tables, {} rows, {:.1} MiB)\n",
                path.display(),
                stats.tables,
                stats.rows,
                stats.bytes as f64 / f64::from(1u32 << 20)
            ))
        }
        Command::DbList => {
            let mut out = format!("automatic copies in {} (newest first)\n", svc.db.dir().display());
            for c in svc.db.list()? {
                let size = std::fs::metadata(&c.path).map(|m| m.len()).unwrap_or(0);
                out.push_str(&format!(
                    "{}  {:>9.1} MiB  {}\n",
                    c.taken_at.display_utc(),
                    size as f64 / f64::from(1u32 << 20),
                    c.path.display()
                ));
            }
            Ok(out)
        }
        Command::Billing(cmd) => billing::run(svc, cmd).await,
        Command::Sla(cmd) => sla::run(svc, cmd).await,
        Command::RdnsExport => {
            let mut out = String::from("; reverse DNS of vpsbox addresses: paste into the reverse zones\n");
            for (addr, name) in svc.ipam.ptr_records()? {
                out.push_str(&format!("{} 3600 IN PTR {name}.\n", crate::domain::ipam::reverse_name(&addr)));
            }
            Ok(out)
        }
    }
}

/// Serve the socket until the task is aborted.
pub async fn serve(listener: UnixListener, svc: Services) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let svc = svc.clone();
        tokio::spawn(async move {
            if let Err(e) = handle(stream, &svc).await {
                tracing::warn!("control socket client failed: {e}");
            }
        });
    }
}

async fn handle(stream: UnixStream, svc: &Services) -> std::io::Result<()> {
    let (r, mut w) = stream.into_split();
    let mut line = String::new();
    BufReader::new(r.take(64 * 1024)).read_line(&mut line).await?;
    let reply = match serde_json::from_str::<Command>(&line) {
        Ok(cmd) => {
            tracing::info!(command = command_name(&cmd), "control command");
            execute(svc, cmd).await
        }
        Err(e) => Reply::Err { code: "CTL0001".into(), message: format!("Malformed command: {e}") },
    };
    let mut out = serde_json::to_string(&reply).map_err(std::io::Error::other)?;
    out.push('\n');
    w.write_all(out.as_bytes()).await?;
    w.shutdown().await
}

fn command_name(c: &Command) -> &'static str {
    match c {
        Command::UserAdd { .. } => "user add",
        Command::UserList => "user list",
        Command::UserResetLink { .. } => "user reset-link",
        Command::UserSetDisabled { .. } => "user disable/enable",
        Command::TemplateRegister { .. } => "template import",
        Command::TemplateList => "template list",
        Command::TemplateSetEnabled { .. } => "template enable/disable",
        Command::TemplateDelete { .. } => "template delete",
        Command::PoolAdd { .. } => "ip-pool add",
        Command::PoolList => "ip-pool list",
        Command::PoolRemove { .. } => "ip-pool remove",
        Command::RdnsExport => "rdns export",
        Command::DbBackup { .. } => "db backup",
        Command::DbList => "db list",
        Command::Billing(b) => match b {
            BillingCommand::TopUp { .. } => "billing topup",
            BillingCommand::Adjust { .. } => "billing adjust",
            BillingCommand::Balance { .. } => "billing balance",
            BillingCommand::Prices => "billing prices",
            BillingCommand::SetPrice { .. } => "billing set-price",
        },
        Command::Sla(c) => sla::name(c),
    }
}

/// Bind the socket (replacing a stale one) with mode 0600.
pub fn bind(path: &Path) -> std::io::Result<UnixListener> {
    use std::os::unix::fs::PermissionsExt;
    if path.exists() {
        std::fs::remove_file(path)?;
    }
    let l = UnixListener::bind(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    Ok(l)
}

/// Send a command to the daemon.
pub async fn send(path: &Path, cmd: &Command) -> std::io::Result<Reply> {
    let stream = UnixStream::connect(path).await?;
    let (r, mut w) = stream.into_split();
    let mut line = serde_json::to_string(cmd).map_err(std::io::Error::other)?;
    line.push('\n');
    w.write_all(line.as_bytes()).await?;
    w.shutdown().await?;
    let mut answer = String::new();
    BufReader::new(r).read_line(&mut answer).await?;
    serde_json::from_str(&answer).map_err(std::io::Error::other)
}
