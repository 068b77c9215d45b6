//! `vpsbox token create|list|revoke`: API tokens from the host's shell. The enum is both the
//! CLI's subcommand and what travels over the control socket.

use serde::{Deserialize, Serialize};

use super::{Failure, Reply, TokenRow};
use crate::service::Services;
use crate::service::api_tokens::NewToken;
use crate::service::caller::Caller;
use crate::store::api_tokens::ApiTokenRecord;

/// `vpsbox token …`.
#[derive(Debug, Clone, Serialize, Deserialize, clap::Subcommand)]
pub enum TokenCommand {
    /// Make a token for an account; its text is printed this once (only its hash is kept).
    Create {
        /// The account it acts for (e-mail).
        #[arg(long)]
        email: String,
        /// A name to tell it apart, e.g. "whmcs".
        #[arg(long)]
        name: String,
        /// What it is for: admin, billing, customer or metrics.
        #[arg(long, default_value = "billing", value_parser = ["admin", "billing", "customer", "metrics"])]
        kind: String,
        /// Comma-separated scopes (users, servers, power, catalogue, usage, balances, sso,
        /// webhooks, backups, metrics); default: all the kind allows.
        #[arg(long, default_value = "")]
        scopes: String,
        /// Days until it stops working; default: never.
        #[arg(long)]
        expires_days: Option<u32>,
        /// Client networks it is accepted from, comma-separated CIDR; default: any.
        #[arg(long, default_value = "")]
        networks: String,
    },
    /// List tokens (of one account with --email), never their secrets.
    List {
        /// Only this account's (e-mail).
        #[arg(long)]
        email: Option<String>,
    },
    /// Revoke a token by id; it never works again.
    Revoke {
        /// The token's id (the number in `vpsbox_<id>_…`).
        id: u64,
    },
}

fn row(svc: &Services, t: ApiTokenRecord) -> TokenRow {
    let now = svc.vms.now();
    let state = if t.revoked_at.is_some() {
        "revoked"
    } else if t.expires_at.is_some_and(|e| now >= e) {
        "expired"
    } else {
        "active"
    };
    let owner = svc
        .accounts
        .user(t.owner)
        .map(|u| u.email.as_str().to_string())
        .unwrap_or_else(|_| t.owner.to_string());
    TokenRow {
        id: t.id,
        owner,
        name: t.name,
        kind: t.kind.as_str().to_string(),
        scopes: t.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(","),
        state: state.to_string(),
        expires_at: t.expires_at,
        last_used: t.last_used,
    }
}

/// Run a token command.
pub(super) async fn run(svc: &Services, cmd: TokenCommand) -> Result<Reply, Failure> {
    let me = Caller::system();
    match cmd {
        TokenCommand::Create { email, name, kind, scopes, expires_days, networks } => {
            let user = svc.accounts.user_by_email(&email)?;
            let new = NewToken { name, kind, scopes, expires_in_days: expires_days, networks };
            let made = svc.api_tokens.create(&me, user.id, new).await?;
            Ok(Reply::Done(format!(
                "created token {} ({}) for {}; it is shown only now:\n{}",
                made.token.id,
                made.token.kind.as_str(),
                user.email,
                made.text
            )))
        }
        TokenCommand::List { email } => {
            let list = match email {
                Some(e) => svc.api_tokens.list(&me, svc.accounts.user_by_email(&e)?.id)?,
                None => svc.api_tokens.all(&me)?,
            };
            Ok(Reply::Tokens(list.into_iter().map(|t| row(svc, t)).collect()))
        }
        TokenCommand::Revoke { id } => {
            let t = svc.api_tokens.revoke(&me, id).await?;
            Ok(Reply::Done(format!("revoked token {} ({})", t.id, t.name)))
        }
    }
}
