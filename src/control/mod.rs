//! The local control socket (`DATA_DIR/control.sock`, mode 0600): admin CLI commands such as
//! `vpsbox user add` reach the running daemon through it, because the daemon holds the state
//! file's lock. When no daemon runs, the CLI opens the state file itself and runs the same
//! [`execute`] function, so both paths behave identically.

mod billing;
mod reply;
mod sla;
mod tokens;

pub use billing::BillingCommand;
pub use reply::{
    BalanceRow, DbCopyRow, IncidentRow, PoolRow, PriceRow, PtrRow, QueueRow, Reply, ReportRow, TemplateRow,
    TokenRow, UserRow, WindowRow,
};
pub use sla::{IncidentCommand, MaintenanceCommand, SupportCommand};
pub use tokens::TokenCommand;

use crate::service::Coded;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};

use crate::domain::account::Role;
use crate::service::ipam::PoolText;
use crate::service::templates::{ImportRequest, Staged};
use crate::service::{AccountError, Services};

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
    /// Make an image the CLI copied into the rescue directory's incoming area the rescue
    /// system.
    RescueRegister {
        /// The staged file (must be `DATA_DIR/rescue/.incoming-*`).
        staged: PathBuf,
        /// Its SHA-256.
        sha256: String,
    },
    /// List the rescue images kept.
    RescueList,
    /// Publish an image the CLI copied into the ISO directory's incoming area.
    IsoRegister {
        /// The staged file (must be `DATA_DIR/isos/.incoming-*`).
        staged: PathBuf,
        /// Its SHA-256.
        sha256: String,
        /// Name.
        name: String,
    },
    /// List the published ISO images.
    IsoList,
    /// Delete a published ISO image.
    IsoDelete {
        /// Name.
        name: String,
    },
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
    /// Maintenance windows.
    Maintenance(MaintenanceCommand),
    /// Incidents.
    Incident(IncidentCommand),
    /// The support queue and report.
    Support(SupportCommand),
    /// API tokens.
    Token(TokenCommand),
}

/// A failed command: its code and message.
pub(crate) struct Failure(&'static str, String);

/// Every coded error of the services is a failure with its code: one conversion for all.
impl<E: Coded> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.code(), e.to_string())
    }
}

/// Run a command against the services.
pub async fn execute(svc: &Services, cmd: Command) -> Reply {
    match run(svc, cmd).await {
        Ok(reply) => reply,
        Err(Failure(code, message)) => Reply::Err { code: code.to_string(), message },
    }
}

fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / f64::from(1u32 << 30))
}

async fn run(svc: &Services, cmd: Command) -> Result<Reply, Failure> {
    let accounts = &svc.accounts;
    match cmd {
        Command::UserAdd { email, role, password } => {
            let role = Role::parse(&role).ok_or(AccountError::InvalidRole(role))?;
            let id = accounts.create_user(&email, &password, role).await?;
            Ok(Reply::Done(format!("created {role} account {id} for {}", email.trim().to_lowercase())))
        }
        Command::UserList => Ok(Reply::Users(
            accounts
                .list_users()?
                .into_iter()
                .map(|u| UserRow {
                    id: u.id.0,
                    email: u.email.as_str().to_string(),
                    role: u.role.as_str().to_string(),
                    disabled: u.disabled,
                    created_at: u.created_at,
                })
                .collect(),
        )),
        Command::UserResetLink { email, base_url } => {
            let user = accounts.user_by_email(&email)?;
            let token = accounts.issue_reset_token(user.id).await?;
            Ok(Reply::Done(format!("{}/reset/{token}", base_url.trim_end_matches('/'))))
        }
        Command::UserSetDisabled { email, disabled } => {
            let user = accounts.user_by_email(&email)?;
            accounts.set_disabled(user.id, disabled).await?;
            Ok(Reply::Done(format!("{} {}", user.email, if disabled { "disabled" } else { "enabled" })))
        }
        Command::TemplateRegister { staged, sha256, name, os, min_disk_gb, login_user } => {
            let templates = svc.templates.clone();
            let staged = Staged { path: staged, sha256 };
            let req = ImportRequest { name, os, min_disk_gb, login_user };
            let rec = tokio::task::spawn_blocking(move || templates.register(&staged, &req))
                .await
                .map_err(|e| Failure("CTL0002", e.to_string()))??;
            Ok(Reply::Done(format!(
                "imported template {} ({}, {}, {} virtual, min disk {} GiB, login {}, sha256 {})",
                rec.name,
                rec.os.as_str(),
                rec.format.as_str(),
                gib(rec.virtual_size),
                rec.min_disk_gb,
                rec.login_user.as_deref().map(|u| format!("root and {u}")).unwrap_or_else(|| "root".into()),
                rec.sha256
            )))
        }
        Command::RescueRegister { staged, sha256 } => {
            let images = svc.rescue_images.clone();
            let staged = Staged { path: staged, sha256 };
            let img = tokio::task::spawn_blocking(move || images.register(&staged))
                .await
                .map_err(|e| Failure("CTL0002", e.to_string()))??;
            Ok(Reply::Done(format!(
                "imported rescue image {} ({}, {} virtual, sha256 {}); servers boot it into rescue from now on",
                img.id,
                img.format.as_str(),
                gib(img.virtual_size),
                img.sha256
            )))
        }
        Command::RescueList => {
            let list = svc.rescue_images.list()?;
            if list.is_empty() {
                return Ok(Reply::Done(
                    "no rescue image: import one with `vpsbox rescue import FILE` (scripts/build-rescue-image.sh builds one)"
                        .into(),
                ));
            }
            let newest = list.last().map(|(i, _)| i.id);
            let lines: Vec<String> = list
                .iter()
                .map(|(i, n)| {
                    format!(
                        "{}\t{}\t{}\t{}\t{} server(s) in rescue\t{}{}",
                        i.id,
                        i.format.as_str(),
                        gib(i.virtual_size),
                        i.imported_at.rfc3339(),
                        n,
                        i.sha256,
                        if Some(i.id) == newest { "\tcurrent" } else { "" }
                    )
                })
                .collect();
            Ok(Reply::Done(lines.join("\n")))
        }
        Command::IsoRegister { staged, sha256, name } => {
            let isos = svc.isos.clone();
            let staged = Staged { path: staged, sha256 };
            let iso = tokio::task::spawn_blocking(move || isos.register(&staged, &name))
                .await
                .map_err(|e| Failure("CTL0002", e.to_string()))??;
            Ok(Reply::Done(format!("published ISO {} ({} bytes, sha256 {})", iso.name, iso.size, iso.sha256)))
        }
        Command::IsoList => {
            let list = svc.isos.list()?;
            if list.is_empty() {
                return Ok(Reply::Done(
                    "no ISO images: publish one with `vpsbox iso import NAME FILE`".into(),
                ));
            }
            let lines: Vec<String> = list
                .iter()
                .map(|(i, n)| {
                    format!(
                        "{}\t{}\t{} bytes\t{}\t{} server(s)\t{}",
                        i.id,
                        i.name,
                        i.size,
                        i.imported_at.rfc3339(),
                        n,
                        i.sha256
                    )
                })
                .collect();
            Ok(Reply::Done(lines.join("\n")))
        }
        Command::IsoDelete { name } => {
            let iso = svc.isos.by_name(&name)?;
            svc.isos.delete(iso.id).await?;
            Ok(Reply::Done(format!("ISO {} deleted", iso.name)))
        }
        Command::TemplateList => Ok(Reply::Templates(
            svc.templates
                .list()?
                .into_iter()
                .map(|t| TemplateRow {
                    id: t.id.0,
                    name: t.name,
                    os: t.os.as_str().to_string(),
                    format: t.format.as_str().to_string(),
                    virtual_size: t.virtual_size,
                    min_disk_gb: t.min_disk_gb,
                    enabled: t.enabled,
                    sha256: t.sha256,
                })
                .collect(),
        )),
        Command::TemplateSetEnabled { name, enabled } => {
            let t = svc.templates.by_name(&name)?;
            svc.templates.set_enabled(t.id, enabled).await?;
            Ok(Reply::Done(format!("template {} {}", t.name, if enabled { "enabled" } else { "disabled" })))
        }
        Command::TemplateDelete { name } => {
            let t = svc.templates.by_name(&name)?;
            svc.templates.delete(t.id).await?;
            Ok(Reply::Done(format!("template {} deleted", t.name)))
        }
        Command::PoolAdd { name, network, gateway, range, exclude, dns, per_vm } => {
            let text = PoolText { network, gateway, range: range.unwrap_or_default(), exclude, dns, per_vm };
            let spec = text.spec()?;
            let p = svc.ipam.add_pool(&name, spec).await?;
            Ok(Reply::Done(format!("added IP pool {} ({}, {})", p.name, p.spec.network, p.spec.size_text())))
        }
        Command::PoolList => Ok(Reply::Pools(
            svc.ipam
                .list()?
                .into_iter()
                .map(|v| PoolRow {
                    id: v.pool.id.0,
                    network: v.pool.spec.network.to_string(),
                    gateway: v.pool.spec.gateway.to_string(),
                    size: v.pool.spec.size_text(),
                    leased: v.leased,
                    cooling: v.cooling,
                    dns: v.pool.spec.dns.clone(),
                    name: v.pool.name,
                })
                .collect(),
        )),
        Command::PoolRemove { name } => {
            svc.ipam.remove_pool(&name).await?;
            Ok(Reply::Done(format!("removed IP pool {}", name.trim().to_lowercase())))
        }
        Command::DbBackup { path } => {
            let stats = svc.db.copy_to(path.clone()).await?;
            Ok(Reply::Done(format!(
                "wrote a consistent copy of the state to {} ({} tables, {} rows, {:.1} MiB)",
                path.display(),
                stats.tables,
                stats.rows,
                stats.bytes as f64 / f64::from(1u32 << 20)
            )))
        }
        Command::DbList => Ok(Reply::DbCopies {
            dir: svc.db.dir().to_path_buf(),
            copies: svc
                .db
                .list()?
                .into_iter()
                .map(|c| DbCopyRow {
                    taken_at: c.taken_at,
                    bytes: std::fs::metadata(&c.path).map(|m| m.len()).unwrap_or(0),
                    path: c.path,
                })
                .collect(),
        }),
        Command::Billing(cmd) => billing::run(svc, cmd).await,
        Command::Maintenance(cmd) => sla::maintenance(svc, cmd).await,
        Command::Incident(cmd) => sla::incident(svc, cmd).await,
        Command::Support(cmd) => sla::support(svc, cmd).await,
        Command::Token(cmd) => tokens::run(svc, cmd).await,
        Command::RdnsExport => Ok(Reply::Rdns(
            svc.ipam
                .ptr_records()?
                .into_iter()
                .map(|(addr, name)| PtrRow { reverse: crate::domain::ipam::reverse_name(&addr), name })
                .collect(),
        )),
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
            tracing::info!(command = %command_name(&cmd), "control command");
            execute(svc, cmd).await
        }
        Err(e) => Reply::Err { code: "CTL0001".into(), message: format!("Malformed command: {e}") },
    };
    let mut out = serde_json::to_string(&reply).map_err(std::io::Error::other)?;
    out.push('\n');
    w.write_all(out.as_bytes()).await?;
    w.shutdown().await
}

/// The command's name for the log (`UserAdd`, `Billing TopUp`): its variant names, never its
/// fields (a password travels in `UserAdd`).
fn command_name(c: &Command) -> String {
    fn tag(v: &serde_json::Value) -> Vec<String> {
        match v {
            serde_json::Value::String(s) => vec![s.clone()],
            serde_json::Value::Object(m) => match m.iter().next() {
                Some((k, inner)) if m.len() == 1 && k.chars().next().is_some_and(char::is_uppercase) => {
                    let mut out = vec![k.clone()];
                    out.extend(tag(inner));
                    out
                }
                _ => vec![],
            },
            _ => vec![],
        }
    }
    serde_json::to_value(c).map(|v| tag(&v).join(" ")).unwrap_or_default()
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
