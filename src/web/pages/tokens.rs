//! API tokens in the cabinet: each account makes, lists and revokes its own on the Account
//! page (`/account/tokens`; a new token's text is shown once, on the answer to the form, never
//! stored or put in a cookie); admins see and revoke every account's (`/admin/tokens`).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::account::Role;
use crate::domain::time::Timestamp;
use crate::i18n::Msg;
use crate::service::Coded;
use crate::service::api_tokens::NewToken;
use crate::store::api_tokens::ApiTokenRecord;
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, Customer, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, form_error_text, page};

/// The status of a token at `now`.
fn status<'a>(ctx: &'a Ctx, t: &ApiTokenRecord, now: Timestamp) -> &'a str {
    if t.revoked_at.is_some() {
        ctx.t(Msg::TokensRevoked)
    } else if t.expires_at.is_some_and(|e| e <= now) {
        ctx.t(Msg::TokensExpired)
    } else {
        ctx.t(Msg::TokensActive)
    }
}

/// The table of `tokens`; `owners` names their accounts (the admin page), `revoke_base` is
/// where the revoke buttons post.
fn render_table(
    ctx: &Ctx,
    tokens: &[ApiTokenRecord],
    owners: Option<&std::collections::BTreeMap<crate::domain::account::UserId, String>>,
    revoke_base: &str,
    now: Timestamp,
) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        @if tokens.is_empty() { p.muted { (t(Msg::TokensNone)) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { "#" } th { (t(Msg::TokensColName)) }
                    @if owners.is_some() { th { (t(Msg::TokensColOwner)) } }
                    th { (t(Msg::TokensColKind)) } th { (t(Msg::TokensColScopes)) } th { (t(Msg::TokensColNetworks)) }
                    th { (t(Msg::TokensColExpires)) } th { (t(Msg::TokensColLastUsed)) } th { (t(Msg::TokensColStatus)) } th { "" }
                } }
                tbody { @for k in tokens { tr {
                    td { (k.id) }
                    td { strong { (k.name) } }
                    @if let Some(o) = owners { td { (o.get(&k.owner).map_or("?", String::as_str)) } }
                    td { (k.kind.as_str()) }
                    td { code { (k.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")) } }
                    td { @if k.networks.is_empty() { (t(Msg::TokensAny)) } @else { code { (k.networks.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")) } } }
                    td { @match k.expires_at { Some(e) => (ctx.time(e)), None => (t(Msg::TokensNever)) } }
                    td { @match &k.last_used { Some((at, ip)) => { (ctx.time(*at)) " · " (ip) }, None => (t(Msg::TokensUnused)) } }
                    td { (status(ctx, k, now)) }
                    td { @if k.revoked_at.is_none() {
                        form.inline method="post" action={ (revoke_base) "/" (k.id) "/revoke" } {
                            (csrf_field(ctx)) button.secondary type="submit" { (t(Msg::TokensRevoke)) }
                        }
                    } }
                } } }
            } }
        }
    }
}

/// The Account page's token section: the table, the form, and a token just made.
fn render_account_tokens(
    ctx: &Ctx,
    role: Role,
    tokens: &[ApiTokenRecord],
    now: Timestamp,
    made: Option<(&str, &str)>,
    error: Option<(&str, &str)>,
) -> Markup {
    let t = |m| ctx.t(m);
    let kinds: &[(&str, Msg)] = match role {
        Role::Customer => &[("customer", Msg::TokensKindCustomer)],
        Role::Admin => &[
            ("billing", Msg::TokensKindBilling),
            ("admin", Msg::TokensKindAdmin),
            ("metrics", Msg::TokensKindMetrics),
            ("customer", Msg::TokensKindCustomer),
        ],
    };
    let body = html! {
        h1 { (t(Msg::TokensTitle)) }
        p.hint { (t(Msg::TokensHint)) }
        @if let Some((name, text)) = made {
            div.panel.made-token {
                p { (ctx.fmt(Msg::TokensMade, &[("name", name.into())])) }
                p { code.secret { (text) } }
            }
        }
        (render_table(ctx, tokens, None, "/account/tokens", now))
        div.panel {
            h2 { (t(Msg::TokensCreateTitle)) }
            @if let Some((msg, code)) = error { (form_error_text(ctx, msg, code)) }
            form method="post" action="/account/tokens" {
                (csrf_field(ctx))
                label for="name" { (t(Msg::TokensName)) }
                input #name type="text" name="name" required maxlength="64";
                label for="kind" { (t(Msg::TokensKind)) }
                select #kind name="kind" { @for (k, m) in kinds { option value=(k) { (t(*m)) } } }
                label for="scopes" { (t(Msg::TokensScopes)) }
                input #scopes type="text" name="scopes" placeholder="servers,power";
                label for="networks" { (t(Msg::TokensNetworks)) }
                input #networks type="text" name="networks" placeholder="203.0.113.10/32";
                label for="expires" { (t(Msg::TokensExpires)) }
                input #expires type="number" name="expires_days" min="1" max="3650";
                div.actions { button type="submit" { (t(Msg::TokensCreate)) } }
            }
        }
    };
    let crumbs = [(t(Msg::AccountTitle), "/account"), (t(Msg::TokensTitle), "/account/tokens")];
    page(ctx, t(Msg::TokensTitle), &crumbs, body)
}

/// `GET /account/tokens`.
pub async fn tokens_get(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
) -> Result<Response, WebError> {
    let tokens = state.svc.api_tokens.list(&caller, s.user.id)?;
    Ok(render_account_tokens(&ctx, s.user.role, &tokens, state.svc.vms.now(), None, None).into_response())
}

/// Body of `POST /account/tokens`.
#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    scopes: String,
    #[serde(default)]
    networks: String,
    #[serde(default)]
    expires_days: String,
}

/// `POST /account/tokens`: the token's text is on this answer only.
pub async fn token_create_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    CsrfForm(f): CsrfForm<TokenForm>,
) -> Result<Response, WebError> {
    let now = state.svc.vms.now();
    let expires_in_days = match f.expires_days.trim() {
        "" => None,
        d => Some(u32::try_from(crate::web::form::form_id("expires_days", d)?).unwrap_or(u32::MAX)),
    };
    let new =
        NewToken { name: f.name, kind: f.kind, scopes: f.scopes, networks: f.networks, expires_in_days };
    // The page is drawn once, after the outcome: the list then shows a new token too.
    let (made, refusal) = match state.svc.api_tokens.create(&caller, s.user.id, new).await {
        Ok(made) => (Some(made), None),
        Err(e) if e.is_user_error() => (None, Some((ctx.error_text(&e), e.code()))),
        Err(e) => return Err(e.into()),
    };
    let tokens = state.svc.api_tokens.list(&caller, s.user.id)?;
    let shown = made.as_ref().map(|m| (m.token.name.as_str(), m.text.as_str()));
    let error = refusal.as_ref().map(|(text, code)| (text.as_str(), *code));
    let page = render_account_tokens(&ctx, s.user.role, &tokens, now, shown, error);
    Ok(match refusal {
        // The secret must not be kept by caches or the back button.
        None => ([(axum::http::header::CACHE_CONTROL, "no-store")], page).into_response(),
        Some(_) => (axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response(),
    })
}

/// `POST /account/tokens/{id}/revoke`.
pub async fn token_revoke_post(
    State(state): State<AppState>,
    Customer(ctx, _, caller): Customer,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    revoke(&state, &ctx, &caller, id, "/account/tokens").await
}

async fn revoke(
    state: &AppState,
    ctx: &Ctx,
    caller: &crate::service::caller::Caller,
    id: u64,
    back: &str,
) -> Result<Response, WebError> {
    match state.svc.api_tokens.revoke(caller, id).await {
        Ok(t) => Ok(redirect_with_flash(
            back,
            FlashKind::Ok,
            &ctx.fmt_string(Msg::TokensRevokedDone, &[("name", t.name.as_str().into())]),
        )),
        Err(e) => refused(ctx, back, e),
    }
}

/// `GET /admin/tokens`: every account's tokens.
pub async fn admin_tokens_get(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
) -> Result<Response, WebError> {
    let tokens = state.svc.api_tokens.all(&caller)?;
    let owners = super::admin::account_emails(&state)?;
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::TokensAdminTitle)) }
        (super::admin::admin_tabs(&ctx, "/admin/tokens"))
        p.hint { (t(Msg::TokensAdminHint)) }
        (render_table(&ctx, &tokens, Some(&owners), "/admin/tokens", state.svc.vms.now()))
    };
    let crumbs = [super::admin::crumb_admin(&ctx), (t(Msg::AdminTabTokens), "/admin/tokens")];
    Ok(page(&ctx, t(Msg::TokensAdminTitle), &crumbs, body).into_response())
}

/// `POST /admin/tokens/{id}/revoke`.
pub async fn admin_token_revoke_post(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    revoke(&state, &ctx, &caller, id, "/admin/tokens").await
}
