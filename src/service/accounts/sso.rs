//! Single sign-on links: a billing system (a provider's API token) asks for a link that logs
//! its customer into the cabinet, optionally onto one server's page. A link works once, for
//! [`SSO_LINK_SECS`] seconds; only its SHA-256 is kept, and only customer accounts get one (a
//! billing token never opens an admin's session).

use std::net::IpAddr;

use redb::ReadableTableMetadata;

use super::{AccountError, Accounts, NewSession, get_user_w, open_session};
use crate::domain::account::{Role, UserId};
use crate::domain::time::Timestamp;
use crate::service::caller::Caller;
use crate::service::{audit, blocking, tokens};
use crate::store::StoreError;
use crate::store::codec::{decode, encode};
use crate::store::sso::SsoLinkRecord;
use crate::store::tables::SSO_LINKS;

/// How long a link works.
pub const SSO_LINK_SECS: i64 = 60;

/// A link made: its secret (for the URL, never stored) and its end.
#[derive(Debug, Clone)]
pub struct SsoLink {
    /// The token for `/sso/<token>`.
    pub token: String,
    /// When it stops working.
    pub expires_at: Timestamp,
}

impl Accounts {
    /// A single sign-on link for `user` (a customer, not disabled), to `vm`'s page if given (the
    /// caller checks that the server is the user's).
    pub async fn issue_sso(
        &self,
        caller: &Caller,
        user: UserId,
        vm: Option<u64>,
    ) -> Result<SsoLink, AccountError> {
        let (store, now, caller) = (self.store.clone(), self.clock.now(), caller.clone());
        blocking(move || {
            let tx = store.write()?;
            let rec = get_user_w(&tx, user)?.ok_or(AccountError::NotFound)?;
            if !caller.sees(user) {
                return Err(AccountError::NotFound);
            }
            if rec.role != Role::Customer {
                return Err(AccountError::SsoNotCustomer);
            }
            if rec.disabled {
                return Err(AccountError::Disabled);
            }
            let token = tokens::random_bytes();
            let expires_at = now.plus_secs(SSO_LINK_SECS);
            let link = SsoLinkRecord { user, vm, expires_at };
            tx.open_table(SSO_LINKS)?.insert(&tokens::digest(&token), encode(&link)?.as_slice())?;
            audit::record(&tx, now, &caller, user, &format!("user:{}", user.0), "account.sso_link", "")?;
            tx.commit().map_err(StoreError::from)?;
            Ok(SsoLink { token: tokens::encode(&token), expires_at })
        })
        .await
    }

    /// Use a link from `ip`: a session for its account and the server whose page it opens. The
    /// link is gone whatever the outcome.
    pub async fn redeem_sso(
        &self,
        token: &str,
        ip: IpAddr,
    ) -> Result<(NewSession, Option<u64>), AccountError> {
        let key = tokens::decode(token).map(|t| tokens::digest(&t)).ok_or(AccountError::SsoLinkInvalid)?;
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            let link = tx
                .open_table(SSO_LINKS)?
                .remove(&key)?
                .map(|v| decode::<SsoLinkRecord>(v.value()))
                .transpose()?;
            let outcome = match link {
                Some(l) if l.expires_at > now => match get_user_w(&tx, l.user)? {
                    Some(u) if u.disabled => Err(AccountError::Disabled),
                    Some(u) if u.role == Role::Customer => {
                        let session = open_session(&tx, u.id, now, ip.to_string())?;
                        audit::record(
                            &tx,
                            now,
                            &Caller::system(),
                            u.id,
                            &format!("user:{}", u.id.0),
                            "account.sso_login",
                            ip.to_string(),
                        )?;
                        tracing::info!(user = %u.id, "login by single sign-on link");
                        Ok((session, l.vm))
                    }
                    _ => Err(AccountError::SsoLinkInvalid),
                },
                _ => Err(AccountError::SsoLinkInvalid),
            };
            tx.commit().map_err(StoreError::from)?;
            outcome
        })
        .await
    }

    /// Drop links that expired; how many went.
    pub(super) fn purge_sso_in(tx: &redb::WriteTransaction, now: Timestamp) -> Result<usize, AccountError> {
        let mut t = tx.open_table(SSO_LINKS)?;
        let before = t.len()?;
        t.retain(|_, v| decode::<SsoLinkRecord>(v).map(|r| r.expires_at > now).unwrap_or(false))?;
        Ok(usize::try_from(before - t.len()?).unwrap_or(0))
    }
}
