//! API tokens: made by an account for itself (or by an admin for any account), shown once,
//! stored as the SHA-256 of their secret; checked on every API request, where they become the
//! [`Caller`] of the services. A token never has more rights than its account has now: a
//! disabled account's tokens stop working, and a customer's token sees only its own things.

use std::net::IpAddr;
use std::sync::Arc;

use super::caller::Caller;
use super::tokens::{ct_eq, digest, random_bytes};
use super::{Coded, ErrorKind, audit, blocking};
use crate::clock::Clock;
use crate::domain::account::{Role, UserId};
use crate::domain::api_token::{self, Scope, ScopeError, TokenKind};
use crate::domain::ipam::Cidr;
use crate::domain::time::Timestamp;
use crate::store::api_tokens::{self as rows, ApiTokenRecord};
use crate::store::records::UserRecord;
use crate::store::tables::{API_TOKENS, OWNER_TOKENS, USERS};
use crate::store::{Store, StoreError, codec::decode};

/// Most tokens (revoked ones included) one account keeps.
pub const MAX_TOKENS: usize = 50;

/// Most client networks a token names.
pub const MAX_NETWORKS: usize = 32;

/// How often a token's "last used" is written at most.
const LAST_USED_EVERY_SECS: i64 = 60;

/// Why a token could not be made, found or used.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// Name empty or too long.
    #[error("Give the token a name of 1 to 64 characters")]
    Name,
    /// A kind the account's role may not hold.
    #[error("Only admins hold admin, billing and metrics tokens")]
    KindNotOpen,
    /// An unknown kind.
    #[error("The kind must be admin, billing, customer or metrics, not {0:?}")]
    Kind(String),
    /// An unknown scope name.
    #[error("There is no scope {0:?}")]
    UnknownScope(String),
    /// A scope the kind may not carry.
    #[error("A {kind} token cannot carry the scope {scope}")]
    ScopeNotForKind {
        /// The token's kind.
        kind: &'static str,
        /// The scope.
        scope: &'static str,
    },
    /// A client network that does not parse.
    #[error("{0}")]
    Network(String),
    /// Too many tokens on the account.
    #[error("An account keeps at most {MAX_TOKENS} tokens; revoke one first")]
    TooMany,
    /// No such token (or not yours).
    #[error("No such token")]
    NotFound,
    /// No account of that id.
    #[error("No such account")]
    NoAccount,
    /// The request carries no token, or one that is not a working token of this host.
    #[error("A valid API token is needed: send it as `Authorization: Bearer vpsbox_<id>_<secret>`")]
    Unauthenticated,
    /// The token's end has passed.
    #[error("This API token expired at {}", .0.display_utc())]
    Expired(Timestamp),
    /// The token was revoked.
    #[error("This API token was revoked")]
    Revoked,
    /// The token's account is disabled.
    #[error("The account of this API token is disabled")]
    OwnerDisabled,
    /// The request comes from a network the token does not allow.
    #[error("This API token is not accepted from {0}")]
    WrongNetwork(IpAddr),
    /// The token lacks the scope an endpoint needs.
    #[error("This API token lacks the scope {0}")]
    Scope(&'static str),
    /// Store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Coded for TokenError {
    fn code(&self) -> &'static str {
        match self {
            TokenError::Name => "TOK0001",
            TokenError::KindNotOpen => "TOK0002",
            TokenError::Kind(_) => "TOK0003",
            TokenError::UnknownScope(_) => "TOK0004",
            TokenError::ScopeNotForKind { .. } => "TOK0005",
            TokenError::Network(_) => "TOK0006",
            TokenError::TooMany => "TOK0007",
            TokenError::NotFound => "TOK0008",
            TokenError::NoAccount => "TOK0009",
            TokenError::Unauthenticated => "TOK0010",
            TokenError::Expired(_) => "TOK0011",
            TokenError::Revoked => "TOK0012",
            TokenError::OwnerDisabled => "TOK0013",
            TokenError::WrongNetwork(_) => "TOK0014",
            TokenError::Scope(_) => "TOK0015",
            TokenError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            TokenError::Store(e) => e.kind(),
            TokenError::NotFound | TokenError::NoAccount => ErrorKind::NotFound,
            TokenError::TooMany => ErrorKind::Conflict,
            TokenError::Unauthenticated
            | TokenError::Expired(_)
            | TokenError::Revoked
            | TokenError::OwnerDisabled => ErrorKind::Unauthenticated,
            TokenError::WrongNetwork(_) | TokenError::Scope(_) | TokenError::KindNotOpen => {
                ErrorKind::Forbidden
            }
            _ => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            TokenError::Kind(k) => vec![("kind", k.as_str().into())],
            TokenError::UnknownScope(s) => vec![("scope", s.as_str().into())],
            TokenError::ScopeNotForKind { kind, scope } => {
                vec![("kind", (*kind).into()), ("scope", (*scope).into())]
            }
            TokenError::Network(d) => vec![("detail", d.as_str().into())],
            TokenError::Expired(at) => vec![("at", (*at).into())],
            TokenError::WrongNetwork(ip) => vec![("address", ip.to_string().into())],
            TokenError::Scope(s) => vec![("scope", (*s).into())],
            _ => Vec::new(),
        }
    }
}

store_error_conversions!(TokenError);

/// A token to make, as a form or the CLI gives it.
#[derive(Debug, Clone, Default)]
pub struct NewToken {
    /// Its name.
    pub name: String,
    /// `admin`, `billing`, `customer` or `metrics`.
    pub kind: String,
    /// Comma-separated scope names; empty: all the kind allows.
    pub scopes: String,
    /// Days until it stops working; `None`: never.
    pub expires_in_days: Option<u32>,
    /// Client networks it is accepted from (comma or space separated CIDR); empty: any.
    pub networks: String,
}

/// A made token: its record and its text, which is shown this once.
#[derive(Debug, Clone)]
pub struct Made {
    /// The record (as stored).
    pub token: ApiTokenRecord,
    /// `vpsbox_<id>_<secret>`.
    pub text: String,
}

/// What a working token stands for on one request.
#[derive(Debug, Clone)]
pub struct Authorized {
    /// The services' caller: the token's account with that account's role now.
    pub caller: Caller,
    /// The token.
    pub token: ApiTokenRecord,
}

/// A checked token, and whether its "last used" is due to be written.
#[derive(Debug, Clone)]
pub struct Verified {
    /// What the token stands for.
    pub auth: Authorized,
    /// "Last used" is a minute old or from another address: write it ([`ApiTokens::touch`]).
    pub touch: bool,
}

impl Authorized {
    /// Refused unless the token carries `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), TokenError> {
        if self.token.scopes.contains(&scope) { Ok(()) } else { Err(TokenError::Scope(scope.as_str())) }
    }
}

/// API tokens.
#[derive(Clone)]
pub struct ApiTokens {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
}

fn parse_networks(text: &str) -> Result<Vec<Cidr>, TokenError> {
    let mut out = Vec::new();
    for part in text.split([',', ' ', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
        // A bare address is a network of one.
        let cidr = match part.parse::<IpAddr>() {
            Ok(ip) => Cidr { addr: ip, len: if ip.is_ipv4() { 32 } else { 128 } },
            Err(_) => Cidr::parse(part).map_err(|e| TokenError::Network(e.to_string()))?,
        };
        if !out.contains(&cidr) {
            out.push(cidr);
        }
    }
    if out.len() > MAX_NETWORKS {
        return Err(TokenError::Network(format!("A token names at most {MAX_NETWORKS} networks")));
    }
    Ok(out)
}

fn user_of(
    t: &impl redb::ReadableTable<u64, &'static [u8]>,
    id: UserId,
) -> Result<Option<UserRecord>, StoreError> {
    t.get(id.0)?.map(|v| decode(v.value())).transpose()
}

/// Whether `caller` may manage `owner`'s tokens: its own, or anyone's for an admin.
fn manages(caller: &Caller, owner: UserId) -> bool {
    caller.sees(owner)
}

impl ApiTokens {
    /// Over `store`.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>) -> ApiTokens {
        ApiTokens { store, clock }
    }

    /// Make a token for `owner`. The kind must be open to the owner's role and the scopes
    /// within the kind.
    pub async fn create(&self, caller: &Caller, owner: UserId, new: NewToken) -> Result<Made, TokenError> {
        let name = new.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 64 {
            return Err(TokenError::Name);
        }
        let kind = TokenKind::parse(&new.kind).ok_or_else(|| TokenError::Kind(new.kind.clone()))?;
        let scopes = api_token::scopes_for(kind, &new.scopes).map_err(|e| match e {
            ScopeError::Unknown(s) => TokenError::UnknownScope(s),
            ScopeError::NotForKind(s) => {
                TokenError::ScopeNotForKind { kind: kind.as_str(), scope: s.as_str() }
            }
        })?;
        let networks = parse_networks(&new.networks)?;
        if !manages(caller, owner) {
            return Err(TokenError::NoAccount);
        }
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let user = user_of(&tx.open_table(USERS)?, owner)?.ok_or(TokenError::NoAccount)?;
            if !kind.open_to(user.role) {
                return Err(TokenError::KindNotOpen);
            }
            let held =
                rows::of_owner(&tx.open_multimap_table(OWNER_TOKENS)?, &tx.open_table(API_TOKENS)?, owner)?;
            if held.len() >= MAX_TOKENS {
                return Err(TokenError::TooMany);
            }
            let secret = random_bytes();
            let mut token = ApiTokenRecord {
                id: 0,
                owner,
                name,
                kind,
                scopes,
                secret_hash: digest(&secret),
                created_at: now,
                expires_at: new.expires_in_days.map(|d| now.plus_secs(i64::from(d) * 86_400)),
                networks,
                last_used: None,
                revoked_at: None,
            };
            rows::insert(&tx, &mut token)?;
            let scopes: Vec<&str> = token.scopes.iter().map(|s| s.as_str()).collect();
            let detail = format!("{} ({}): {}", token.name, kind.as_str(), scopes.join(","));
            audit::record(&tx, now, &caller, owner, &format!("token:{}", token.id), "token.create", detail)?;
            tx.commit()?;
            let text = api_token::format(token.id, &super::tokens::encode(&secret));
            Ok(Made { token, text })
        })
        .await
    }

    /// `owner`'s tokens (revoked ones too), oldest first.
    pub fn list(&self, caller: &Caller, owner: UserId) -> Result<Vec<ApiTokenRecord>, TokenError> {
        if !manages(caller, owner) {
            return Err(TokenError::NoAccount);
        }
        let tx = self.store.read()?;
        Ok(rows::of_owner(&tx.open_multimap_table(OWNER_TOKENS)?, &tx.open_table(API_TOKENS)?, owner)?)
    }

    /// Every account's tokens (admins), oldest first.
    pub fn all(&self, caller: &Caller) -> Result<Vec<ApiTokenRecord>, TokenError> {
        if !caller.is_admin() {
            return Err(TokenError::NotFound);
        }
        let tx = self.store.read()?;
        Ok(rows::all(&tx.open_table(API_TOKENS)?)?)
    }

    /// Revoke token `id`; it never works again. Revoking a revoked token changes nothing.
    pub async fn revoke(&self, caller: &Caller, id: u64) -> Result<ApiTokenRecord, TokenError> {
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let mut t = rows::get(&tx.open_table(API_TOKENS)?, id)?
                .filter(|t| manages(&caller, t.owner))
                .ok_or(TokenError::NotFound)?;
            if t.revoked_at.is_none() {
                t.revoked_at = Some(now);
                rows::put(&tx, &t)?;
                audit::record(
                    &tx,
                    now,
                    &caller,
                    t.owner,
                    &format!("token:{id}"),
                    "token.revoke",
                    t.name.clone(),
                )?;
                tx.commit()?;
            }
            Ok(t)
        })
        .await
    }

    /// The caller a token's text stands for, from client address `ip`, with "last used"
    /// written when it is due. Blocking (a read, and a write at most once a minute).
    pub fn authenticate(&self, text: &str, ip: IpAddr) -> Result<Authorized, TokenError> {
        let checked = self.verify(text, ip)?;
        if checked.touch {
            self.touch(&checked.auth.token)?;
        }
        Ok(checked.auth)
    }

    /// The caller a token's text stands for, from client address `ip`, read in one read
    /// transaction and writing nothing: cheap enough to run on the request's own task. The
    /// secret is checked before anything about the token is told, so only its holder learns
    /// that it expired or was revoked. `touch` says "last used" is due to be written
    /// ([`ApiTokens::touch`]).
    pub fn verify(&self, text: &str, ip: IpAddr) -> Result<Verified, TokenError> {
        let (id, secret) = api_token::split(text).ok_or(TokenError::Unauthenticated)?;
        let secret = super::tokens::decode(secret).ok_or(TokenError::Unauthenticated)?;
        let now = self.clock.now();
        let tx = self.store.read()?;
        let token = rows::get(&tx.open_table(API_TOKENS)?, id)?.ok_or(TokenError::Unauthenticated)?;
        if !ct_eq(&digest(&secret), &token.secret_hash) {
            return Err(TokenError::Unauthenticated);
        }
        if token.revoked_at.is_some() {
            return Err(TokenError::Revoked);
        }
        if let Some(end) = token.expires_at
            && now >= end
        {
            return Err(TokenError::Expired(end));
        }
        let user = user_of(&tx.open_table(USERS)?, token.owner)?.ok_or(TokenError::Unauthenticated)?;
        if user.disabled {
            return Err(TokenError::OwnerDisabled);
        }
        // A token of a staff kind whose account lost the admin role works no more.
        if !token.kind.open_to(user.role) {
            return Err(TokenError::OwnerDisabled);
        }
        let ip = canonical(ip);
        if !token.networks.is_empty() && !token.networks.iter().any(|n| n.contains(&ip)) {
            return Err(TokenError::WrongNetwork(ip));
        }
        drop(tx);
        let from = ip.to_string();
        let stale = match &token.last_used {
            Some((at, seen)) => now.as_secs() - at.as_secs() >= LAST_USED_EVERY_SECS || *seen != from,
            None => true,
        };
        let mut token = token;
        if stale {
            token.last_used = Some((now, from.clone()));
        }
        let role = if user.role == Role::Admin && token.kind != TokenKind::Customer {
            Role::Admin
        } else {
            Role::Customer
        };
        Ok(Verified { auth: Authorized { caller: Caller::of(token.owner, role, from), token }, touch: stale })
    }

    /// Writes the token's "last used" (as [`ApiTokens::verify`] set it). Blocking: a write.
    pub fn touch(&self, token: &ApiTokenRecord) -> Result<(), TokenError> {
        let tx = self.store.write()?;
        // Written over the current record, so a revocation in between is kept.
        let current = rows::get(&tx.open_table(API_TOKENS)?, token.id)?;
        if let Some(mut cur) = current {
            cur.last_used = token.last_used.clone();
            rows::put(&tx, &cur)?;
            tx.commit()?;
        }
        Ok(())
    }
}

/// An IPv4 client seen as `::ffff:a.b.c.d` by a dual-stack listener is that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

#[cfg(test)]
#[path = "api_tokens_tests.rs"]
mod tests;
