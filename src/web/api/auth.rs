//! The API's caller: the bearer token of the request, checked by the token service.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use super::problem::ApiError;
use crate::domain::api_token::Scope;
use crate::service::api_tokens::{Authorized, TokenError};
use crate::service::caller::Caller;
use crate::web::AppState;

/// A request with a working API token.
pub struct Api {
    /// What the token stands for.
    pub auth: Authorized,
}

impl Api {
    /// The services' caller.
    pub fn caller(&self) -> &Caller {
        &self.auth.caller
    }

    /// Refused (403) unless the token carries `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        Ok(self.auth.require(scope)?)
    }
}

/// The token of an `Authorization: Bearer <token>` header.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl FromRequestParts<AppState> for Api {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Api, ApiError> {
        let token = bearer(parts).ok_or(TokenError::Unauthenticated)?;
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0.ip());
        // A read of two small rows, as the cabinet's session check does on the request's task;
        // only the once-a-minute "last used" write goes to the blocking pool.
        let checked = state.svc.api_tokens.verify(token, ip)?;
        let auth = checked.auth;
        if checked.touch {
            let (tokens, token) = (state.svc.api_tokens.clone(), auth.token.clone());
            tokio::task::spawn_blocking(move || tokens.touch(&token))
                .await
                .map_err(|e| crate::store::StoreError::Task(e.to_string()))??;
        }
        state.api_limits.take(auth.token.id, state.svc.vms.now())?;
        Ok(Api { auth })
    }
}
