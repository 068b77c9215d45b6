//! The local control socket (`DATA_DIR/control.sock`, mode 0600): admin CLI commands such as
//! `vpsbox user add` reach the running daemon through it, because the daemon holds the state
//! file's lock. When no daemon runs, the CLI opens the state file itself and runs the same
//! [`execute`] function, so both paths behave identically.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};

use crate::domain::account::Role;
use crate::service::{AccountError, Accounts};

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

fn err(e: AccountError) -> Reply {
    Reply::Err { code: e.code().to_string(), message: e.to_string() }
}

/// Run a command against the services.
pub async fn execute(accounts: &Accounts, cmd: Command) -> Reply {
    match run(accounts, cmd).await {
        Ok(text) => Reply::Ok(text),
        Err(e) => err(e),
    }
}

async fn run(accounts: &Accounts, cmd: Command) -> Result<String, AccountError> {
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
    }
}

/// Serve the socket until the task is aborted.
pub async fn serve(listener: UnixListener, accounts: Accounts) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let accounts = accounts.clone();
        tokio::spawn(async move {
            if let Err(e) = handle(stream, &accounts).await {
                tracing::warn!("control socket client failed: {e}");
            }
        });
    }
}

async fn handle(stream: UnixStream, accounts: &Accounts) -> std::io::Result<()> {
    let (r, mut w) = stream.into_split();
    let mut line = String::new();
    BufReader::new(r.take(64 * 1024)).read_line(&mut line).await?;
    let reply = match serde_json::from_str::<Command>(&line) {
        Ok(cmd) => {
            tracing::info!(command = command_name(&cmd), "control command");
            execute(accounts, cmd).await
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
