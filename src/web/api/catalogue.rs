//! The catalogue: plans and OS templates. Customers' tokens see what is offered; the
//! provider's see everything, with the offered flag.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::Api;
use super::extract::ApiQuery;
use super::page::{Page, PageQuery};
use super::problem::{ApiError, Problem};
use crate::domain::api_token::Scope;
use crate::domain::money::{Money, currency};
use crate::store::records::{PlanRecord, TemplateRecord};
use crate::web::AppState;

/// An amount of money in the currency's minor unit (tiyn for KZT).
#[derive(Debug, Serialize, ToSchema)]
pub struct Amount {
    /// Minor units (an integer; 12345 is 123.45).
    pub minor: i64,
    /// ISO 4217 code.
    pub currency: String,
}

impl From<Money> for Amount {
    fn from(m: Money) -> Amount {
        Amount { minor: m.0, currency: currency().to_string() }
    }
}

/// A plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct Plan {
    /// Its id.
    pub id: u64,
    /// Its name (`s-2`).
    pub name: String,
    /// Virtual CPUs.
    pub vcpus: u32,
    /// Memory, MiB.
    pub memory_mib: u64,
    /// System disk, GiB.
    pub disk_gb: u64,
    /// Public IPv4 addresses included.
    pub ipv4: u32,
    /// Price per month.
    pub monthly_price: Amount,
    /// Price per hour (metered hourly, capped at the monthly price).
    pub hourly_price: Amount,
    /// Offered to customers.
    pub enabled: bool,
}

impl From<PlanRecord> for Plan {
    fn from(p: PlanRecord) -> Plan {
        Plan {
            id: p.id.0,
            name: p.name,
            vcpus: p.spec.vcpus,
            memory_mib: p.spec.memory_mib,
            disk_gb: p.spec.disk_gb,
            ipv4: p.spec.ipv4,
            monthly_price: p.monthly_price.into(),
            hourly_price: p.hourly_price.into(),
            enabled: p.enabled,
        }
    }
}

/// An OS template.
#[derive(Debug, Serialize, ToSchema)]
pub struct Template {
    /// Its id.
    pub id: u64,
    /// Its name (`debian-12`).
    pub name: String,
    /// `linux`, `bsd` or `windows`.
    pub os: String,
    /// Smallest system disk, GiB.
    pub min_disk_gb: u32,
    /// The image's login user beside root, if any.
    pub login_user: Option<String>,
    /// Offered to customers.
    pub enabled: bool,
}

impl From<TemplateRecord> for Template {
    fn from(t: TemplateRecord) -> Template {
        Template {
            id: t.id.0,
            name: t.name,
            os: t.os.as_str().to_string(),
            min_disk_gb: t.min_disk_gb,
            login_user: t.login_user,
            enabled: t.enabled,
        }
    }
}

/// List the plans.
#[utoipa::path(
    get,
    path = "/plans",
    operation_id = "list_plans",
    tag = "catalogue",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "Plans by id", body = Page<Plan>),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the catalogue scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn plans(
    api: Api,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<Plan>>, ApiError> {
    api.require(Scope::Catalogue)?;
    let all = if api.caller().is_admin() { state.svc.plans.list()? } else { state.svc.plans.offered()? };
    Ok(Json(q.page(all.into_iter().map(Plan::from).collect(), |p| p.id)?))
}

/// List the OS templates.
#[utoipa::path(
    get,
    path = "/templates",
    operation_id = "list_templates",
    tag = "catalogue",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "Templates by id", body = Page<Template>),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the catalogue scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn templates(
    api: Api,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<Template>>, ApiError> {
    api.require(Scope::Catalogue)?;
    let mut all = state.svc.templates.list()?;
    if !api.caller().is_admin() {
        all.retain(|t| t.enabled);
    }
    Ok(Json(q.page(all.into_iter().map(Template::from).collect(), |t| t.id)?))
}
