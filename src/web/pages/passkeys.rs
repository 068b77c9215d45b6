//! Passkeys in the cabinet: the account's list (add, remove), the password-less login button,
//! and the passkey answer to a login's second step. The browser side is `assets/passkey.js`;
//! these handlers answer it in JSON (`{"token", "options"}` to start, `{"next"}` when done,
//! `{"error", "code"}` when refused), behind the same Origin and CSRF checks as every form.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::json;

use crate::i18n::Msg;
use crate::service::accounts::{Challenge, NAME_MAX_CHARS, PasskeyRow};
use crate::service::{AccountError, Coded, ErrorKind};
use crate::web::AppState;
use crate::web::assets::url_of;
use crate::web::ctx::{
    Ctx, Customer, FlashKind, SESSION_COOKIE, clear_cookie, redirect_with_flash, refused, set_cookie,
};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::csrf_field;
use crate::web::pages::auth::{EmptyForm, safe_next};
use crate::web::pages::two_factor::{SECOND_STEP_COOKIE, step_token};

/// The cabinet's origin, as passkeys are bound to it.
fn origin(state: &AppState, ctx: &Ctx) -> String {
    super::admin::base_url(state, ctx)
}

/// A refusal as the script reads it.
fn refusal(ctx: &Ctx, e: &AccountError) -> Response {
    let status = match e.kind() {
        ErrorKind::Throttled => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Gone => StatusCode::GONE,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    tracing::info!(code = e.code(), "passkey refused: {e}");
    (status, Json(json!({"error": ctx.error_text(e), "code": e.code()}))).into_response()
}

fn answer(ctx: &Ctx, r: Result<Challenge, AccountError>) -> Result<Response, WebError> {
    match r {
        Ok(c) => Ok(Json(json!({"token": c.token, "options": c.options})).into_response()),
        Err(e) if e.is_user_error() => Ok(refusal(ctx, &e)),
        Err(e) => Err(e.into()),
    }
}

/// A button that runs a passkey ceremony (hidden until the script shows it).
pub fn button(ctx: &Ctx, kind: &str, options: &str, finish: &str, next: &str, label: Msg) -> Markup {
    html! {
        button.secondary type="button" hidden data-passkey=(kind) data-options=(options) data-finish=(finish)
            data-next=(next) data-name-input="#passkey-name"
            data-msg-unsupported=(ctx.t(Msg::PasskeyUnsupported)) data-msg-cancelled=(ctx.t(Msg::PasskeyCancelled)) { (ctx.t(label)) }
        p #passkey-status role="alert" {}
        script type="module" src=(url_of("passkey", "js")) {}
    }
}

/// The account page's passkey panel.
pub fn render_panel(ctx: &Ctx, keys: &[PasskeyRow]) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        div.panel {
            h2 { (t(Msg::PasskeyTitle)) }
            p.hint { (t(Msg::PasskeyIntro)) }
            @if keys.is_empty() { p.muted { (t(Msg::PasskeyNone)) } }
            @else {
                table.passkeys { tbody { @for k in keys { tr {
                    td { (k.name) }
                    td.muted { (ctx.fmt(Msg::PasskeyAdded, &[("at", ctx.lang.time(k.created_at).into())])) }
                    td.muted { @match k.last_used {
                        Some(at) => (ctx.fmt(Msg::PasskeyLastUsed, &[("at", ctx.lang.time(at).into())])),
                        None => (t(Msg::PasskeyNeverUsed)),
                    } }
                    td { form.inline method="post" action={ "/account/passkeys/" (k.id) "/delete" } {
                        (csrf_field(ctx))
                        button.secondary type="submit" { (t(Msg::PasskeyRemove)) }
                    } }
                } } } }
            }
            form {
                (csrf_field(ctx))
                label for="passkey-name" { (t(Msg::PasskeyName)) }
                input #passkey-name type="text" name="name" maxlength=(NAME_MAX_CHARS) required placeholder=(t(Msg::PasskeyNameExample));
                (button(ctx, "register", "/account/passkeys/options", "/account/passkeys", "/account/2fa", Msg::PasskeyAdd))
                noscript { p.hint { (t(Msg::PasskeyNeedsScript)) } }
            }
        }
    }
}

/// `POST /account/passkeys/options`: start registering a passkey.
pub async fn register_options_post(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, WebError> {
    let r =
        state.svc.accounts.passkey_register_begin(s.user.id, s.user.email.as_str(), &origin(&state, &ctx));
    answer(&ctx, r)
}

/// Body of the requests that finish a ceremony.
#[derive(Deserialize)]
pub struct FinishForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    credential: String,
    #[serde(default)]
    name: String,
    next: Option<String>,
}

/// `POST /account/passkeys`: keep the passkey the browser made.
pub async fn register_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    CsrfForm(f): CsrfForm<FinishForm>,
) -> Result<Response, WebError> {
    let o = origin(&state, &ctx);
    match state
        .svc
        .accounts
        .passkey_register_finish(&caller, s.user.id, &f.token, &o, &f.name, &f.credential)
        .await
    {
        Ok(_) => Ok(Json(json!({"next": "/account/2fa"})).into_response()),
        Err(e) if e.is_user_error() => Ok(refusal(&ctx, &e)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /account/passkeys/{id}/delete`.
pub async fn delete_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, WebError> {
    match state.svc.accounts.passkey_delete(&caller, s.user.id, id).await {
        Ok(()) => Ok(redirect_with_flash("/account/2fa", FlashKind::Ok, ctx.t(Msg::PasskeyRemoved))),
        Err(AccountError::NotFound) => Err(WebError::NotFound),
        Err(e) => refused(&ctx, "/account/2fa", e),
    }
}

/// `POST /login/passkey/options`: start a password-less login.
pub async fn login_options_post(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, WebError> {
    answer(&ctx, state.svc.accounts.passkey_login_begin(&origin(&state, &ctx)))
}

fn signed_in(state: &AppState, token: &str, next: &str) -> Response {
    let mut resp = Json(json!({"next": next})).into_response();
    let h = resp.headers_mut();
    h.append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, token, Some(state.session_max_age)));
    h.append(header::SET_COOKIE, clear_cookie(SECOND_STEP_COOKIE));
    resp
}

/// `POST /login/passkey`: a passkey's answer opens its account's session.
pub async fn login_post(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<FinishForm>,
) -> Result<Response, WebError> {
    let next = safe_next(f.next.as_deref());
    let o = origin(&state, &ctx);
    match state.svc.accounts.passkey_login_finish(&f.token, &o, &f.credential, ctx.client_ip).await {
        Ok(s) => Ok(signed_in(&state, &s.token, &next)),
        Err(e) if e.is_user_error() => Ok(refusal(&ctx, &e)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /login/2fa/passkey/options`: start the passkey answer to a login's second step.
pub async fn second_options_post(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, WebError> {
    answer(&ctx, state.svc.accounts.passkey_second_begin(&step_token(&headers), &origin(&state, &ctx)))
}

/// `POST /login/2fa/passkey`: the passkey's answer completes the login.
pub async fn second_post(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<FinishForm>,
) -> Result<Response, WebError> {
    let next = safe_next(f.next.as_deref());
    let o = origin(&state, &ctx);
    let step = step_token(&headers);
    match state.svc.accounts.passkey_second_finish(&step, &f.token, &o, &f.credential, ctx.client_ip).await {
        Ok(p) => Ok(signed_in(&state, &p.session.token, &next)),
        Err(e) if e.is_user_error() => Ok(refusal(&ctx, &e)),
        Err(e) => Err(e.into()),
    }
}
