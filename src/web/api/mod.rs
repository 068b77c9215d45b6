//! The automation API, `/api/v1`: JSON over the cabinet's TLS port for billing systems,
//! scripts and monitoring. Another door onto the same services as the cabinet: bearer API
//! tokens become the services' [`crate::service::caller::Caller`], errors keep the services'
//! codes (as RFC 9457 problem documents), and the OpenAPI 3.1 document is generated from the
//! handlers themselves (`GET /api/v1/openapi.json`, committed as `docs/openapi.json`).

pub mod auth;
pub mod backups;
pub mod capacity;
pub mod catalogue;
pub mod extract;
pub mod iso;
pub mod limit;
pub mod metrics;
pub mod money;
pub mod operations;
pub mod page;
pub mod ping;
pub mod problem;
pub mod rescue;
pub mod server_actions;
pub mod server_create;
pub mod server_ops;
pub mod servers;
pub mod snapshots;
pub mod sso;
pub mod usage;
pub mod users;
pub mod webhooks;

use std::sync::OnceLock;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use problem::{ApiError, FieldError, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "vpsbox API",
        description = "Automation API of a vpsbox host: accounts, servers, power, catalogue, usage, \
                       balances, single sign-on and webhooks for billing systems, scripts and monitoring. \
                       Authenticate with `Authorization: Bearer vpsbox_<id>_<secret>` (see docs/api.md)."
    ),
    servers((url = "/api/v1")),
    modifiers(&BearerScheme),
    components(schemas(Problem, FieldError)),
    tags(
        (name = "meta", description = "The connection and the token"),
        (name = "catalogue", description = "Plans and OS templates"),
        (name = "servers", description = "Virtual servers"),
        (name = "users", description = "Customer accounts and single sign-on links"),
        (name = "money", description = "Balances, ledgers, statements, payments and corrections"),
        (name = "usage", description = "What servers used in a month"),
        (name = "backups", description = "Backups and snapshots of servers: list, run, restore; take, revert, delete"),
        (name = "webhooks", description = "Signed event deliveries to the provider's systems")
    )
)]
struct ApiDoc;

/// Adds the bearer token scheme the operations name.
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("vpsbox_<id>_<secret>")
            .description(Some(
                "An API token made on the Account page, the admin pages or with `vpsbox token create`",
            ))
            .build();
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// Every operation, with its part of the document.
fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(ping::ping))
        .routes(routes!(catalogue::plans))
        .routes(routes!(catalogue::templates))
        .routes(routes!(capacity::capacity))
        .routes(routes!(servers::list, server_create::create))
        .routes(routes!(servers::get, server_ops::delete))
        .routes(routes!(server_ops::reinstall))
        .routes(routes!(server_ops::change_plan))
        .routes(routes!(server_ops::restore))
        .routes(routes!(operations::get))
        .routes(routes!(server_actions::power))
        .routes(routes!(server_actions::suspend))
        .routes(routes!(server_actions::unsuspend))
        .routes(routes!(server_actions::password))
        .routes(routes!(users::create, users::list))
        .routes(routes!(users::get, users::update, users::delete))
        .routes(routes!(sso::create))
        .routes(routes!(money::balance))
        .routes(routes!(money::transactions))
        .routes(routes!(money::statements))
        .routes(routes!(money::pay))
        .routes(routes!(money::correct))
        .routes(routes!(usage::server))
        .routes(routes!(usage::bulk))
        .routes(routes!(backups::list, backups::run))
        .routes(routes!(backups::get))
        .routes(routes!(backups::restore))
        .routes(routes!(snapshots::list, snapshots::take))
        .routes(routes!(snapshots::revert))
        .routes(routes!(snapshots::delete))
        .routes(routes!(rescue::enter, rescue::leave))
        .routes(routes!(iso::offered))
        .routes(routes!(iso::get, iso::put, iso::delete))
        .routes(routes!(webhooks::create, webhooks::list))
        .routes(routes!(webhooks::delete))
        .routes(routes!(webhooks::test))
        .routes(routes!(webhooks::deliveries))
}

/// Every operation may answer 429 (the token's rate limit), with `Retry-After`.
fn add_rate_limit_answers(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, HeaderBuilder, Ref, ResponseBuilder, schema::Type};
    let answer = ResponseBuilder::new()
        .description(
            "Over the token's rate limit (`[api] rate_limit_per_minute`); retry after `Retry-After` seconds",
        )
        .content(
            "application/problem+json",
            ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
        )
        .header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(utoipa::openapi::Object::with_type(Type::Integer))
                .description(Some("Seconds to wait"))
                .build(),
        )
        .build();
    for item in doc.paths.paths.values_mut() {
        for op in [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete]
            .into_iter()
            .flatten()
        {
            op.responses.responses.insert("429".into(), answer.clone().into());
        }
    }
}

/// The OpenAPI document, as served and committed.
pub fn document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let (_, mut doc) = routes().split_for_parts();
        add_rate_limit_answers(&mut doc);
        let mut text = doc.to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    })
}

/// `GET /api/v1/openapi.json`.
async fn openapi_json() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], document()).into_response()
}

async fn no_route() -> ApiError {
    ApiError::not_found()
}

async fn no_method() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "API0405", "This address does not accept that method")
}

/// The API's routes, to nest at `/api/v1`.
pub fn router() -> Router<AppState> {
    let (api, _) = routes().split_for_parts();
    api.route("/openapi.json", get(openapi_json)).method_not_allowed_fallback(no_method).fallback(no_route)
}
