//! `vpsbox user add|list|reset-link|disable|enable`: through the running daemon's control
//! socket when it runs, directly on the state file otherwise.

use std::io::Read;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Subcommand;

use super::{dispatch, print_reply};
use crate::config::Config;
use crate::control::Command;
use crate::service::tokens::random_password;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account. Without --password-stdin a random password is generated and printed.
    Add {
        /// E-mail address (the login name).
        #[arg(long)]
        email: String,
        /// `customer` or `admin`.
        #[arg(long, default_value = "customer", value_parser = ["customer", "admin"])]
        role: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts.
    List,
    /// Print a one-time password-reset link, valid for 1 hour.
    ResetLink {
        /// E-mail address of the account.
        email: String,
    },
    /// Disable an account: it cannot log in and its sessions end.
    Disable {
        /// E-mail address of the account.
        email: String,
    },
    /// Enable a disabled account.
    Enable {
        /// E-mail address of the account.
        email: String,
    },
}

fn base_url(cfg: &Config) -> String {
    if !cfg.public_url.is_empty() {
        return cfg.public_url.clone();
    }
    let host =
        crate::web::tls::self_signed_names(&[]).into_iter().next().unwrap_or_else(|| "localhost".into());
    if cfg.listen.port() == 443 {
        format!("https://{host}")
    } else {
        format!("https://{host}:{}", cfg.listen.port())
    }
}

pub async fn run(cfg: &Config, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let mut generated = None;
    let command = match cmd {
        UserCommand::Add { email, role, password_stdin } => {
            let password = if password_stdin {
                let mut s = String::new();
                std::io::stdin()
                    .take(4096)
                    .read_to_string(&mut s)
                    .context("cannot read the password from stdin")?;
                let line = s.lines().next().unwrap_or("").to_string();
                if line.is_empty() {
                    bail!("no password on standard input");
                }
                line
            } else {
                let p = random_password();
                generated = Some(p.clone());
                p
            };
            Command::UserAdd { email, role, password }
        }
        UserCommand::List => Command::UserList,
        UserCommand::ResetLink { email } => Command::UserResetLink { email, base_url: base_url(cfg) },
        UserCommand::Disable { email } => Command::UserSetDisabled { email, disabled: true },
        UserCommand::Enable { email } => Command::UserSetDisabled { email, disabled: false },
    };
    let reply = dispatch(cfg, command).await?;
    let code = print_reply(&reply);
    if let (true, Some(p)) = (reply.is_ok(), generated) {
        println!("password: {p}");
    }
    Ok(code)
}
