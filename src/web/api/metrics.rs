//! `GET /metrics` (beside the API, where monitoring expects it): the host in the OpenMetrics
//! text format, for a token with the `metrics` scope held by an admin account.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::auth::Api;
use super::problem::ApiError;
use crate::domain::api_token::Scope;
use crate::web::AppState;

/// The media type of the OpenMetrics text format.
pub const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Prometheus's older text format, for clients that do not ask for OpenMetrics.
pub const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// `GET /metrics`: OpenMetrics when the `Accept` header asks for it (Prometheus does), else
/// Prometheus's text format.
pub async fn metrics_get(
    api: Api,
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    api.require(Scope::Metrics)?;
    if !api.caller().is_admin() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "API0403",
            "The host's metrics are for the provider's tokens",
        ));
    }
    answer(&state, &headers).await
}

/// `GET /metrics` on the separate listen address (`[metrics] listen`): no token, for a
/// scraper on the host's own or a private network.
pub async fn metrics_open_get(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    answer(&state, &headers).await
}

/// The scrape, in the format `headers` ask for.
async fn answer(state: &AppState, headers: &axum::http::HeaderMap) -> Result<Response, ApiError> {
    // One libvirt call for every domain; while libvirt is away the servers still show, without
    // their statistics.
    let stats = match state.hv.get() {
        Ok(hv) => tokio::task::spawn_blocking(move || hv.domain_stats())
            .await
            .map_err(|e| crate::store::StoreError::Task(e.to_string()))?
            .unwrap_or_else(|e| {
                tracing::warn!("metrics without libvirt's statistics: {e}");
                Vec::new()
            }),
        Err(_) => Vec::new(),
    };
    let svc = state.svc.clone();
    let text = tokio::task::spawn_blocking(move || crate::service::metrics::scrape(&svc, stats))
        .await
        .map_err(|e| crate::store::StoreError::Task(e.to_string()))??;
    let openmetrics = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("application/openmetrics-text"));
    if openmetrics {
        Ok(([(header::CONTENT_TYPE, OPENMETRICS)], text).into_response())
    } else {
        Ok(([(header::CONTENT_TYPE, PROMETHEUS_TEXT)], crate::service::metrics::to_prometheus_text(&text))
            .into_response())
    }
}
