//! The web cabinet: axum router by guard level, extractors, middleware, layout and pages.
//! Handlers never open a transaction or call libvirt; they call services and render.

pub mod acme;
pub mod api;
pub mod assets;
pub mod console_ws;
pub mod ctx;
pub mod error;
pub mod form;
pub mod layout;
pub mod middleware;
pub mod pages;
pub mod tls;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};

use crate::hv::link::HvLink;
use crate::service::Services;
use ctx::Mount;
use error::WebError;
use form::UPLOAD_LIMIT;
use pages::{
    account, admin, admin_billing, admin_pools, admin_templates, auth, backups, billing, dashboard, disks,
    isos, keys, language, networks, notices, passkeys, plans, quota, sla, support, support_behalf, telegram,
    tokens, trial, two_factor, vm_backups, vm_list, vm_order, vm_usage, vms, webhooks,
};

/// The separate metrics listener's routes (`[metrics] listen`): `/metrics` without a token,
/// nothing else.
pub fn metrics_router(state: AppState) -> Router {
    Router::new().route("/metrics", get(api::metrics::metrics_open_get)).with_state(state)
}

/// What every handler can reach. Cloned for every request and middleware layer, so it is one
/// `Arc` underneath.
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl AppState {
    /// Wrap the parts.
    pub fn new(inner: AppStateInner) -> AppState {
        AppState(Arc::new(inner))
    }
}

impl std::ops::Deref for AppState {
    type Target = AppStateInner;
    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

/// The parts of [`AppState`].
pub struct AppStateInner {
    /// The services.
    pub svc: Services,
    /// The messages of every language.
    pub catalog: Arc<crate::i18n::Catalog>,
    /// The customers' Telegram bot.
    pub bot: crate::service::bot::Bot,
    /// The hypervisor link.
    pub hv: Arc<HvLink>,
    /// Configured public base URL (may be empty).
    pub public_url: Arc<str>,
    /// Largest request body, bytes.
    pub body_limit: usize,
    /// Session cookie lifetime, seconds.
    pub session_max_age: i64,
    /// The automation API's settings.
    pub api: crate::config::ApiConfig,
    /// Requests per API token.
    pub api_limits: api::limit::RateLimits,
}

/// `GET /healthz`: 200 when the state store takes writes (probed now: see `Store::probe`),
/// 503 with the reason while it does not.
async fn healthz(State(state): State<AppState>) -> Response {
    let (store, now) = (state.svc.accounts.store().clone(), state.svc.vms.now());
    let health = tokio::task::spawn_blocking(move || crate::service::storage::check_store(&store, now)).await;
    let text = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
    match health {
        Ok(crate::store::Health::Failing { since_ms, error, .. }) => {
            let since = crate::domain::time::Timestamp::from_millis(since_ms).display_utc();
            let body = format!("store unavailable since {since} (STO0008): {error}\n");
            (StatusCode::SERVICE_UNAVAILABLE, text, body).into_response()
        }
        Ok(_) => (StatusCode::OK, text, "ok\n").into_response(),
        Err(e) => {
            tracing::error!("health check failed: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, text, "health check failed\n").into_response()
        }
    }
}

async fn not_found() -> WebError {
    WebError::NotFound
}

async fn method_not_allowed() -> WebError {
    WebError::MethodNotAllowed
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(dashboard::root_get))
        .route("/dashboard", get(dashboard::dashboard_get))
        .route("/login", get(auth::login_get).post(auth::login_post))
        .route("/login/2fa", get(two_factor::second_step_get).post(two_factor::second_step_post))
        .route("/login/passkey/options", post(passkeys::login_options_post))
        .route("/login/passkey", post(passkeys::login_post))
        .route("/login/2fa/passkey/options", post(passkeys::second_options_post))
        .route("/login/2fa/passkey", post(passkeys::second_post))
        .route("/signup", get(auth::signup_get).post(auth::signup_post))
        .route("/logout", post(auth::logout_post))
        .route("/lang/{code}", get(language::lang_get))
        .route("/reset/{token}", get(auth::reset_get).post(auth::reset_post))
        .route("/sso/{token}", get(auth::sso_get))
        .route("/account", get(account::account_get))
        .route("/account/password", post(account::password_post))
        .route("/account/timezone", post(account::time_zone_post))
        .route("/account/language", post(language::language_post))
        .route("/account/logout-all", post(account::logout_all_post))
        .route("/account/2fa", get(two_factor::account_2fa_get))
        .route("/account/2fa/setup", post(two_factor::setup_post))
        .route("/account/2fa/confirm", post(two_factor::confirm_post))
        .route("/account/2fa/recovery", post(two_factor::recovery_post))
        .route("/account/2fa/disable", post(two_factor::disable_post))
        .route("/account/passkeys/options", post(passkeys::register_options_post))
        .route("/account/passkeys", post(passkeys::register_post))
        .route("/account/passkeys/{id}/delete", post(passkeys::delete_post))
        .route("/account/telegram", post(telegram::link_post))
        .route("/account/telegram/unlink", post(telegram::unlink_post))
        .route("/admin", get(admin::overview_get))
        .route("/admin/settings", post(admin::settings_post))
        .route("/admin/settings/2fa", post(two_factor::admin_policy_post))
        .route("/admin/unmanaged", get(admin::unmanaged_get))
        .route("/admin/users", get(admin::users_get).post(admin::user_create_post))
        .route("/admin/users/{id}/reset-link", post(admin::reset_link_post))
        .route("/admin/users/{id}/status", post(admin::status_post))
        .route("/admin/users/{id}/2fa/reset", post(two_factor::admin_reset_post))
        .route(
            "/admin/templates",
            get(admin_templates::templates_get).post(admin_templates::template_import_post),
        )
        .route("/plans", get(plans::plans_get))
        .route("/vms", get(vm_list::vms_get).post(vm_order::vm_create_post))
        .route("/vms/new", get(vm_order::vm_new_get))
        .nest("/vms", vms::routes().merge(vm_backups::routes()))
        .route("/billing", get(billing::billing_get))
        .route("/billing/statements/{file}", get(billing::statement_get))
        .route("/trial", post(trial::trial_post))
        .route("/trial/end", post(trial::trial_end_post))
        .route("/notifications", get(notices::notices_get))
        .route("/notifications/read", post(notices::notices_read_post))
        .route("/backups", get(backups::backups_get))
        .route("/backups/{bid}/new", get(backups::backup_new_get).post(backups::backup_new_post))
        .route("/backups/{bid}/delete", post(backups::backup_delete_post))
        .route("/backups/{bid}/{file}", get(backups::backup_download_get))
        .route("/networks", get(networks::networks_get).post(networks::network_create_post))
        .route("/networks/{id}", get(networks::network_get))
        .route("/networks/{id}/delete", post(networks::network_delete_post))
        .route("/disks", get(disks::disks_get).post(disks::disk_create_post))
        .route("/disks/{id}/grow", post(disks::disk_grow_post))
        .route("/disks/{id}/delete", post(disks::disk_delete_post))
        .route("/account/keys", get(keys::keys_get).post(keys::key_add_post))
        .route("/account/keys/{id}/delete", post(keys::key_delete_post))
        .route("/account/tokens", get(tokens::tokens_get).post(tokens::token_create_post))
        .route("/account/tokens/{id}/revoke", post(tokens::token_revoke_post))
        .route("/quota", get(quota::quota_get))
        .route("/quota/requests", post(quota::quota_request_post))
        .route("/activity", get(quota::activity_get))
        .route("/admin/vms", get(vm_list::admin_vms_get))
        .nest("/admin/vms", vms::routes().merge(vm_backups::routes()).layer(Extension(Mount::Admin)))
        .route("/admin/backups", get(backups::admin_backups_get))
        .route("/admin/billing", get(admin_billing::admin_billing_get))
        .route("/admin/trials", get(trial::admin_trials_get))
        .route("/admin/trials/{id}", post(trial::admin_trial_post))
        .route("/admin/billing/prices", post(admin_billing::admin_price_post))
        .route("/admin/billing/topups", post(admin_billing::admin_topup_post))
        .route("/admin/users/{id}/billing", get(admin_billing::admin_user_billing_get))
        .route("/admin/users/{id}/billing/topup", post(admin_billing::admin_user_topup_post))
        .route("/admin/users/{id}/billing/adjust", post(admin_billing::admin_user_adjust_post))
        .route("/admin/users/{id}/statements/{file}", get(billing::admin_statement_get))
        .route("/sla", get(sla::sla_get))
        .route("/status", get(sla::status_get))
        .route("/admin/sla", get(sla::admin_sla_get))
        .route("/admin/abuse", get(vm_usage::admin_abuse_get))
        .route("/admin/sla/incidents", post(sla::admin_incident_post))
        .route("/admin/sla/incidents/{id}", post(sla::admin_incident_update_post))
        .route("/admin/sla/maintenance", post(sla::admin_window_post))
        .route("/admin/sla/maintenance/{id}/cancel", post(sla::admin_window_cancel_post))
        .route(
            "/support",
            get(support::support_get).post(support::support_post).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            middleware::ISO_UPLOAD_PATH,
            get(isos::isos_get).post(isos::upload_post).layer(DefaultBodyLimit::max(
                usize::try_from(middleware::iso_upload_limit(&state)).unwrap_or(usize::MAX),
            )),
        )
        .route("/isos/{id}/delete", post(isos::delete_post))
        .route("/support/new", get(support::support_new_get))
        .nest("/support", support::thread_routes())
        .route("/admin/support", get(support::admin_support_get))
        .route("/admin/support/report", get(support::admin_support_report_get))
        .route("/admin/support/new", get(support_behalf::behalf_get).post(support_behalf::behalf_post))
        .nest("/admin/support", support::thread_routes().layer(Extension(Mount::Admin)))
        .route("/admin/quota-requests", get(quota::admin_requests_get))
        .route("/admin/quota-requests/{id}", post(quota::admin_request_post))
        .route("/admin/users/{id}/quota", get(quota::admin_user_quota_get).post(quota::admin_user_quota_post))
        .route("/admin/audit", get(quota::admin_audit_get))
        .route("/admin/tokens", get(tokens::admin_tokens_get))
        .route("/admin/webhooks", get(webhooks::admin_webhooks_get))
        .route("/admin/webhooks/{id}/test", post(webhooks::admin_webhook_test_post))
        .route("/admin/tokens/{id}/revoke", post(tokens::admin_token_revoke_post))
        .route("/admin/plans", get(plans::admin_plans_get).post(plans::admin_plan_create_post))
        .route("/admin/plans/limits", post(plans::admin_plan_limits_post))
        .route("/admin/plans/{id}/status", post(plans::admin_plan_status_post))
        .route("/admin/plans/{id}/delete", post(plans::admin_plan_delete_post))
        .route("/admin/templates/rescue", post(admin_templates::rescue_import_post))
        .route("/admin/templates/isos", post(admin_templates::iso_import_post))
        .route("/admin/templates/isos/{id}/delete", post(admin_templates::iso_delete_post))
        .route("/admin/templates/{id}/status", post(admin_templates::template_status_post))
        .route("/admin/templates/{id}/delete", post(admin_templates::template_delete_post))
        .route("/admin/ip-pools", get(admin_pools::pools_get).post(admin_pools::pool_add_post))
        .route("/admin/ip-pools/{id}", get(admin_pools::pool_get))
        .route("/admin/ip-pools/{id}/remove", post(admin_pools::pool_remove_post))
        .route("/admin/ip-pools/{id}/move", post(admin_pools::pool_move_post))
        .method_not_allowed_fallback(method_not_allowed)
        // Inside the request context, so the 404 page speaks the reader's language.
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), ctx::ctx_layer));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(api::metrics::metrics_get))
        .route("/telegram/webhook", post(telegram::webhook_post))
        .route("/assets/{file}", get(assets::asset_get))
        .nest("/api/v1", api::router())
        .merge(pages)
        .layer(DefaultBodyLimit::max(state.body_limit))
        .layer(from_fn_with_state(state.clone(), middleware::request_span))
        .with_state(state)
}
