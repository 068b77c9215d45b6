//! API tokens for billing systems, scripts and monitoring: what kind a token is, which scopes
//! it may carry, and its text form `vpsbox_<id>_<secret>`.

use serde::{Deserialize, Serialize};

use crate::domain::account::Role;

/// Who a token is for; the kind bounds the scopes it may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenKind {
    /// The provider's own automation: any of the scopes (an admin's token).
    Admin,
    /// A billing system (WHMCS and the like) or reseller: accounts, servers, power, catalogue,
    /// usage, balances, single sign-on and webhooks (an admin's token).
    Billing,
    /// A customer's scripts: that customer's own servers and backups, never billing.
    Customer,
    /// Monitoring: metrics only.
    Metrics,
}

/// What a token may do; each endpoint names the one it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Accounts: create, read, update, disable, delete.
    Users,
    /// Servers: create, read, reinstall, change plan, reset password, suspend, rescue, the
    /// CD-ROM drive, delete.
    Servers,
    /// Power actions on servers.
    Power,
    /// Plans, templates and capacity.
    Catalogue,
    /// Usage of servers (traffic, hours, charges).
    Usage,
    /// Balances, transactions, statements, payments and corrections.
    Balances,
    /// Single sign-on links into the cabinet.
    Sso,
    /// Webhook subscriptions.
    Webhooks,
    /// Backups and snapshots: list, run, restore; take, revert, delete.
    Backups,
    /// The host's metrics.
    Metrics,
}

impl Scope {
    /// Every scope, in a stable order.
    pub const ALL: [Scope; 10] = [
        Scope::Users,
        Scope::Servers,
        Scope::Power,
        Scope::Catalogue,
        Scope::Usage,
        Scope::Balances,
        Scope::Sso,
        Scope::Webhooks,
        Scope::Backups,
        Scope::Metrics,
    ];

    /// Its name in the API and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Users => "users",
            Scope::Servers => "servers",
            Scope::Power => "power",
            Scope::Catalogue => "catalogue",
            Scope::Usage => "usage",
            Scope::Balances => "balances",
            Scope::Sso => "sso",
            Scope::Webhooks => "webhooks",
            Scope::Backups => "backups",
            Scope::Metrics => "metrics",
        }
    }

    /// The scope of that name.
    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

impl TokenKind {
    /// Its name in the API and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Admin => "admin",
            TokenKind::Billing => "billing",
            TokenKind::Customer => "customer",
            TokenKind::Metrics => "metrics",
        }
    }

    /// The kind of that name.
    pub fn parse(s: &str) -> Option<TokenKind> {
        [TokenKind::Admin, TokenKind::Billing, TokenKind::Customer, TokenKind::Metrics]
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }

    /// The scopes a token of this kind may carry (and gets when none are named).
    pub fn allowed(self) -> &'static [Scope] {
        match self {
            TokenKind::Admin => &Scope::ALL,
            TokenKind::Billing => &[
                Scope::Users,
                Scope::Servers,
                Scope::Power,
                Scope::Catalogue,
                Scope::Usage,
                Scope::Balances,
                Scope::Sso,
                Scope::Webhooks,
                Scope::Backups,
            ],
            TokenKind::Customer => {
                &[Scope::Servers, Scope::Power, Scope::Catalogue, Scope::Usage, Scope::Backups]
            }
            TokenKind::Metrics => &[Scope::Metrics],
        }
    }

    /// Whether an account of `role` may hold a token of this kind: only the provider's staff
    /// hold admin, billing and metrics tokens.
    pub fn open_to(self, role: Role) -> bool {
        match self {
            TokenKind::Customer => true,
            TokenKind::Admin | TokenKind::Billing | TokenKind::Metrics => role == Role::Admin,
        }
    }
}

/// Why a token's scopes were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeError {
    /// A name that is no scope.
    Unknown(String),
    /// A scope the kind may not carry.
    NotForKind(Scope),
}

/// The scopes named in `text` (comma-separated; empty: all the kind allows), sorted and
/// without repeats.
pub fn scopes_for(kind: TokenKind, text: &str) -> Result<Vec<Scope>, ScopeError> {
    if text.trim().is_empty() {
        return Ok(kind.allowed().to_vec());
    }
    let mut out = Vec::new();
    for name in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let s = Scope::parse(name).ok_or_else(|| ScopeError::Unknown(name.to_string()))?;
        if !kind.allowed().contains(&s) {
            return Err(ScopeError::NotForKind(s));
        }
        out.push(s);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The prefix of every token's text; secret scanners can look for it.
pub const PREFIX: &str = "vpsbox_";

/// A token's text: `vpsbox_<id>_<secret>` (the secret is 43 characters of base64url).
pub fn format(id: u64, secret: &str) -> String {
    format!("{PREFIX}{id}_{secret}")
}

/// The id and secret of a token's text, if it has the shape.
pub fn split(text: &str) -> Option<(u64, &str)> {
    let rest = text.trim().strip_prefix(PREFIX)?;
    let (id, secret) = rest.split_once('_')?;
    if id.is_empty() || id.len() > 20 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((id.parse().ok()?, secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_bound_their_scopes() {
        assert_eq!(scopes_for(TokenKind::Admin, "").unwrap(), Scope::ALL.to_vec());
        assert_eq!(scopes_for(TokenKind::Metrics, "").unwrap(), vec![Scope::Metrics]);
        assert_eq!(
            scopes_for(TokenKind::Billing, "servers, users,servers").unwrap(),
            vec![Scope::Users, Scope::Servers]
        );
        assert_eq!(scopes_for(TokenKind::Customer, "balances"), Err(ScopeError::NotForKind(Scope::Balances)));
        assert_eq!(scopes_for(TokenKind::Metrics, "servers"), Err(ScopeError::NotForKind(Scope::Servers)));
        assert_eq!(scopes_for(TokenKind::Admin, "root"), Err(ScopeError::Unknown("root".into())));
        assert!(!TokenKind::Customer.allowed().iter().any(|s| matches!(s, Scope::Balances | Scope::Users)));
        assert!(TokenKind::Customer.open_to(Role::Customer));
        for k in [TokenKind::Admin, TokenKind::Billing, TokenKind::Metrics] {
            assert!(!k.open_to(Role::Customer) && k.open_to(Role::Admin));
            assert_eq!(TokenKind::parse(k.as_str()), Some(k));
        }
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn the_text_form_round_trips_and_odd_shapes_do_not_parse() {
        // base64url secrets may contain `_` and `-`: only the first `_` after the id splits.
        let secret = "Ab_-cd".repeat(7) + "x";
        let text = format(42, &secret);
        assert_eq!(split(&text), Some((42, secret.as_str())));
        assert_eq!(split(&format!(" {text}\n")), Some((42, secret.as_str())));
        for bad in ["", "vpsbox_", "vpsbox__abc", "vpsbox_x1_abc", "token_1_abc", "vpsbox_1", "vpsbox_-1_a"] {
            assert_eq!(split(bad), None, "{bad:?}");
        }
        assert_eq!(split("vpsbox_99999999999999999999_a"), None, "beyond u64");
    }
}
