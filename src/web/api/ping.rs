//! `GET /ping`: the version and what the token may do; a billing system's "test connection".

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::Api;
use super::problem::Problem;

/// The token that asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenInfo {
    /// Its id.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// `admin`, `billing`, `customer` or `metrics`.
    pub kind: String,
    /// What it may do.
    pub scopes: Vec<String>,
    /// When it stops working (RFC 3339), if ever.
    pub expires_at: Option<String>,
}

/// The answer to a ping.
#[derive(Debug, Serialize, ToSchema)]
pub struct Pong {
    /// vpsbox's version.
    pub version: String,
    /// The account the token acts for.
    pub account: u64,
    /// The token.
    pub token: TokenInfo,
}

/// Check the connection and the token.
#[utoipa::path(
    get,
    path = "/ping",
    tag = "meta",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The token works", body = Pong),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not from an allowed network", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn ping(api: Api) -> Json<Pong> {
    let t = &api.auth.token;
    Json(Pong {
        version: env!("CARGO_PKG_VERSION").to_string(),
        account: t.owner.0,
        token: TokenInfo {
            id: t.id,
            name: t.name.clone(),
            kind: t.kind.as_str().to_string(),
            scopes: t.scopes.iter().map(|s| s.as_str().to_string()).collect(),
            expires_at: t.expires_at.map(|e| e.rfc3339()),
        },
    })
}
