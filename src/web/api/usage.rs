//! Usage of servers in a month: billable hours, charges and traffic, of one server or of every
//! server the token sees in one call (a billing system's nightly usage update).

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::Api;
use super::catalogue::Amount;
use super::extract::{ApiQuery, Id};
use super::page::{Page, PageQuery};
use super::problem::{ApiError, Problem};
use crate::domain::api_token::Scope;
use crate::domain::billing::{Month, month_label, parse_month};
use crate::domain::vm::VmId;
use crate::service::billing::ServerUsage;
use crate::web::AppState;

/// One server's use of a month.
#[derive(Debug, Serialize, ToSchema)]
pub struct Usage {
    /// The server.
    pub server: u64,
    /// Its owner.
    pub owner: u64,
    /// Its hostname.
    pub hostname: String,
    /// The billing system's id of the service, if given.
    pub external_service_id: Option<String>,
    /// The month (`2026-12`; charges by the billing time zone's month, traffic by UTC days).
    pub month: String,
    /// Hours it was billable.
    pub hours: u32,
    /// Charged for it and its extra addresses (so far, in the current month).
    pub charges: Amount,
    /// Bytes its public interface received.
    pub rx_bytes: u64,
    /// Bytes it sent.
    pub tx_bytes: u64,
}

/// Which month.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `YYYY-MM` (default: this month).
    pub month: Option<String>,
}

/// Which month, and which page of servers.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BulkQuery {
    /// `YYYY-MM` (default: this month).
    pub month: Option<String>,
    /// Only this account's servers (the provider's tokens).
    pub owner: Option<u64>,
    /// Items per page, 1–500 (default 100).
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn month_of(state: &AppState, text: Option<&str>) -> Result<Month, ApiError> {
    match text {
        None => Ok(state.svc.billing.this_month()),
        Some(t) => parse_month(t).ok_or_else(|| {
            ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "API0422",
                "The query parameter month is wrong",
            )
            .field("month", "Give a month as YYYY-MM")
        }),
    }
}

fn usage_of(state: &AppState, m: Month, u: ServerUsage) -> Result<Usage, ApiError> {
    Ok(Usage {
        server: u.vm.0,
        owner: u.owner.0,
        hostname: u.hostname,
        external_service_id: state.svc.vms.external_of(u.vm)?,
        month: month_label(m),
        hours: u.hours,
        charges: u.charges.into(),
        rx_bytes: u.rx_bytes,
        tx_bytes: u.tx_bytes,
    })
}

/// One server's use of a month.
#[utoipa::path(
    get,
    path = "/servers/{id}/usage",
    operation_id = "get_server_usage",
    tag = "usage",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id"), MonthQuery),
    responses(
        (status = 200, description = "Its usage", body = Usage),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the usage scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong month", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn server(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiQuery(q): ApiQuery<MonthQuery>,
) -> Result<Json<Usage>, ApiError> {
    api.require(Scope::Usage)?;
    let m = month_of(&state, q.month.as_deref())?;
    // 404 for a server the token does not see.
    state.svc.vms.get(api.caller(), VmId(id))?;
    let u = state.svc.billing.usage(api.caller(), m, Some(VmId(id)))?.into_iter().next();
    let u = u.ok_or(crate::service::vms::VmError::NotFound)?;
    Ok(Json(usage_of(&state, m, u)?))
}

/// Every server's use of a month, in one call.
#[utoipa::path(
    get,
    path = "/usage",
    operation_id = "list_usage",
    tag = "usage",
    security(("bearer" = [])),
    params(BulkQuery),
    responses(
        (status = 200, description = "Usage by server id", body = Page<Usage>),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the usage scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong month, limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn bulk(
    api: Api,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<BulkQuery>,
) -> Result<Json<Page<Usage>>, ApiError> {
    api.require(Scope::Usage)?;
    let m = month_of(&state, q.month.as_deref())?;
    let mut all = Vec::new();
    for u in state.svc.billing.usage(api.caller(), m, None)? {
        if q.owner.is_none_or(|o| o == u.owner.0) {
            all.push(usage_of(&state, m, u)?);
        }
    }
    let page = PageQuery { limit: q.limit, cursor: q.cursor };
    Ok(Json(page.page(all, |u| u.server)?))
}
