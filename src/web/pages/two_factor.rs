//! Two-factor sign-in pages: the second step of a login (a code, a recovery code, or enrolment
//! when the provider requires a second factor), the account's authenticator page (set up with a
//! QR code drawn here as SVG, confirm, new recovery codes, turn off), and the admins' reset and
//! requirement setting.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use crate::domain::account::UserId;
use crate::domain::two_factor::{Required, SECRET_BYTES, otpauth_url, secret_text};
use crate::i18n::Msg;
use crate::service::accounts::{Passed, SECOND_STEP_SECS, TwoFactorState};
use crate::service::{AccountError, Coded};
use crate::web::AppState;
use crate::web::ctx::{
    Admin, Ctx, Customer, FlashKind, SESSION_COOKIE, clear_cookie, cookie, redirect_with_flash, refused,
    set_cookie,
};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, form_error, page};
use crate::web::pages::auth::{EmptyForm, safe_next};

/// Cookie of a sign-in's second step (its token; ten minutes; never a session).
pub const SECOND_STEP_COOKIE: &str = "__Host-vpsbox_2fa";

/// The response to a right password when a second factor is due: the step's cookie, then its page.
pub fn to_second_step(token: &str, next: &str) -> Response {
    let to =
        format!("/login/2fa?next={}", form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>());
    let mut resp = Redirect::to(&to).into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, set_cookie(SECOND_STEP_COOKIE, token, Some(SECOND_STEP_SECS)));
    resp
}

/// The authenticator's name in the app: the cabinet's host, without its port.
fn issuer(state: &AppState, ctx: &Ctx) -> String {
    let base = super::admin::base_url(state, ctx);
    let host = base.trim_start_matches("https://").split('/').next().unwrap_or_default();
    match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !h.ends_with(':') => h.to_string(),
        _ => host.to_string(),
    }
}

/// The QR code of `url` as inline SVG (black on white, with its quiet zone), or nothing.
fn qr_svg(url: &str) -> Markup {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => {
            let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).build();
            let svg = svg.find("<svg").map_or("", |i| &svg[i..]).to_string();
            html! { div.qr { (PreEscaped(svg)) } }
        }
        Err(e) => {
            tracing::warn!("cannot draw the QR code: {e}");
            html! {}
        }
    }
}

/// The QR code and the typed key of `secret`, for `account`.
fn enrol_panel(ctx: &Ctx, issuer: &str, account: &str, secret: &[u8; SECRET_BYTES]) -> Markup {
    html! {
        p { (ctx.t(Msg::TwoFactorScan)) }
        (qr_svg(&otpauth_url(secret, issuer, account)))
        p { (ctx.t(Msg::TwoFactorKey)) ": " code.secret { (secret_text(secret)) } }
    }
}

fn code_input(ctx: &Ctx, hint: Msg, numeric: bool) -> Markup {
    html! {
        label for="code" { (ctx.t(Msg::TwoFactorCode)) }
        @if numeric {
            input #code type="text" name="code" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9 ]{6,7}" required autofocus;
        } @else {
            input #code type="text" name="code" autocomplete="one-time-code" spellcheck="false" required autofocus;
        }
        p.hint { (ctx.t(hint)) }
    }
}

fn render_recovery(ctx: &Ctx, codes: &[String], next: &str) -> Markup {
    let t = |m| ctx.t(m);
    page(
        ctx,
        t(Msg::TwoFactorRecoveryTitle),
        &[],
        html! {
            div.narrow { div.panel {
                h1 { (t(Msg::TwoFactorRecoveryTitle)) }
                p { (t(Msg::TwoFactorNowOn)) }
                p { (t(Msg::TwoFactorRecoveryIntro)) }
                ul.recovery { @for c in codes { li { code { (c) } } } }
                p { a.button href=(next) { (t(Msg::TwoFactorContinue)) } }
            } }
        },
    )
}

/// Query of `GET /login/2fa`.
#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn render_second_step(
    ctx: &Ctx,
    step: &crate::service::accounts::SecondStep,
    issuer: &str,
    next: &str,
    error: Option<&AccountError>,
) -> Markup {
    let t = |m| ctx.t(m);
    page(
        ctx,
        t(Msg::TwoFactorTitle),
        &[],
        html! {
            div.narrow { div.panel {
                h1 { (t(Msg::TwoFactorTitle)) }
                @if let Some(e) = error { (form_error(ctx, e)) }
                @if let Some(secret) = &step.enrol {
                    p { (t(Msg::TwoFactorEnrolIntro)) }
                    (enrol_panel(ctx, issuer, step.user.email.as_str(), secret))
                } @else if step.totp {
                    p { (t(Msg::TwoFactorStepIntro)) }
                } @else {
                    p { (t(Msg::PasskeyStepIntro)) }
                }
                @if step.passkeys && step.enrol.is_none() {
                    form {
                        (csrf_field(ctx))
                        (super::passkeys::button(ctx, "second", "/login/2fa/passkey/options", "/login/2fa/passkey", next, Msg::PasskeyUse))
                    }
                }
                @if step.totp || step.enrol.is_some() { form method="post" action="/login/2fa" {
                    (csrf_field(ctx))
                    input type="hidden" name="next" value=(next);
                    @if step.enrol.is_some() { (code_input(ctx, Msg::TwoFactorFirstCode, true)) }
                    @else { (code_input(ctx, Msg::TwoFactorCodeHint, false)) }
                    div.actions {
                        button type="submit" { (t(Msg::TwoFactorContinue)) }
                        a href="/login" { (t(Msg::TwoFactorCancel)) }
                    }
                } }
                @if step.enrol.is_none() { p.hint { (t(Msg::TwoFactorLost)) } }
            } }
        },
    )
}

/// The second step's token from its cookie ("" without one).
pub(crate) fn step_token(headers: &HeaderMap) -> String {
    cookie(headers, SECOND_STEP_COOKIE).unwrap_or_default().to_string()
}

fn expired(ctx: &Ctx, e: &AccountError) -> Response {
    let mut resp =
        redirect_with_flash("/login", FlashKind::Error, &format!("{} ({})", ctx.error_text(e), e.code()));
    resp.headers_mut().append(header::SET_COOKIE, clear_cookie(SECOND_STEP_COOKIE));
    resp
}

/// `GET /login/2fa`: the second step of a login.
pub async fn second_step_get(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    let next = safe_next(q.next.as_deref());
    match state.svc.accounts.second_step(&step_token(&headers)) {
        Ok(step) => Ok(render_second_step(&ctx, &step, &issuer(&state, &ctx), &next, None).into_response()),
        Err(e @ AccountError::SecondStepExpired) => Ok(expired(&ctx, &e)),
        Err(e) => Err(e.into()),
    }
}

/// Body of `POST /login/2fa`.
#[derive(Deserialize)]
pub struct SecondStepForm {
    #[serde(default)]
    code: String,
    next: Option<String>,
}

/// `POST /login/2fa`: a right code opens the session (showing the recovery codes once when it
/// enrolled the account); a wrong one counts toward the login throttle.
pub async fn second_step_post(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<SecondStepForm>,
) -> Result<Response, WebError> {
    let next = safe_next(f.next.as_deref());
    let token = step_token(&headers);
    let step = match state.svc.accounts.second_step(&token) {
        Ok(s) => s,
        Err(e @ AccountError::SecondStepExpired) => return Ok(expired(&ctx, &e)),
        Err(e) => return Err(e.into()),
    };
    let passed = match state.svc.accounts.pass_second_step(&token, &f.code, ctx.client_ip).await {
        Ok(p) => p,
        Err(e @ AccountError::SecondStepExpired) => return Ok(expired(&ctx, &e)),
        Err(e) if e.is_user_error() => {
            tracing::info!(code = e.code(), "second step refused: {e}");
            let status = if matches!(e, AccountError::Locked { .. }) {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let page = render_second_step(&ctx, &step, &issuer(&state, &ctx), &next, Some(&e));
            return Ok((status, page).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let Passed { session, recovery, recovery_left } = passed;
    let mut resp = if !recovery.is_empty() {
        render_recovery(&ctx, &recovery, &next).into_response()
    } else if let Some(n) = recovery_left {
        redirect_with_flash(
            &next,
            FlashKind::Info,
            &ctx.fmt_string(Msg::TwoFactorRecoveryUsed, &[("n", n.into())]),
        )
    } else {
        Redirect::to(&next).into_response()
    };
    let h = resp.headers_mut();
    h.append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &session.token, Some(state.session_max_age)));
    h.append(header::SET_COOKIE, clear_cookie(SECOND_STEP_COOKIE));
    Ok(resp)
}

fn render_account_2fa(
    ctx: &Ctx,
    st: &TwoFactorState,
    keys: &[crate::service::accounts::PasskeyRow],
    issuer: &str,
    account: &str,
) -> Markup {
    let t = |m| ctx.t(m);
    let pw_and_code = |action: &str, submit: Msg, hint: Msg| {
        html! {
            form method="post" action=(action) {
                (csrf_field(ctx))
                label { (t(Msg::TwoFactorPassword)) input type="password" name="password" autocomplete="current-password" required; }
                label { (t(Msg::TwoFactorCode)) input type="text" name="code" autocomplete="one-time-code" spellcheck="false" required; }
                p.hint { (t(hint)) }
                div.actions { button.secondary type="submit" { (t(submit)) } }
            }
        }
    };
    page(
        ctx,
        t(Msg::TwoFactorTitle),
        &[
            (t(Msg::NavDashboard), "/dashboard"),
            (t(Msg::AccountTitle), "/account"),
            (t(Msg::TwoFactorTitle), "/account/2fa"),
        ],
        html! {
            h1 { (t(Msg::TwoFactorTitle)) }
            div.panel {
                p { strong {
                    @if let Some(since) = st.enabled_at { (ctx.fmt(Msg::TwoFactorOnSince, &[("since", ctx.lang.time(since).into())])) }
                    @else { (t(Msg::TwoFactorOff)) }
                } }
                @if st.required { p { (t(Msg::TwoFactorRequired)) } }
                p.hint { (t(Msg::TwoFactorIntro)) }
                @if st.enabled_at.is_some() {
                    p { (ctx.fmt(Msg::TwoFactorRecoveryLeft, &[("n", st.recovery_left.into())])) }
                } @else if let Some(secret) = &st.setting_up {
                    (enrol_panel(ctx, issuer, account, secret))
                    form method="post" action="/account/2fa/confirm" {
                        (csrf_field(ctx))
                        (code_input(ctx, Msg::TwoFactorFirstCode, true))
                        div.actions { button type="submit" { (t(Msg::TwoFactorConfirm)) } }
                    }
                    form method="post" action="/account/2fa/setup" {
                        (csrf_field(ctx))
                        div.actions { button.secondary type="submit" { (t(Msg::TwoFactorRestart)) } }
                    }
                } @else {
                    form method="post" action="/account/2fa/setup" {
                        (csrf_field(ctx))
                        div.actions { button type="submit" { (t(Msg::TwoFactorSetup)) } }
                    }
                }
            }
            @if st.enabled_at.is_some() {
                div.grid {
                    div.panel {
                        h2 { (t(Msg::TwoFactorRenew)) }
                        (pw_and_code("/account/2fa/recovery", Msg::TwoFactorRenew, Msg::TwoFactorRenewHint))
                    }
                    @if !st.required || st.passkeys {
                        div.panel {
                            h2 { (t(Msg::TwoFactorDisable)) }
                            (pw_and_code("/account/2fa/disable", Msg::TwoFactorDisable, Msg::TwoFactorCodeHint))
                        }
                    }
                }
            }
            (super::passkeys::render_panel(ctx, keys))
        },
    )
}

/// `GET /account/2fa`.
pub async fn account_2fa_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    let st = state.svc.accounts.two_factor(&s.user)?;
    let keys = state.svc.accounts.passkeys(s.user.id)?;
    Ok(render_account_2fa(&ctx, &st, &keys, &issuer(&state, &ctx), s.user.email.as_str()).into_response())
}

/// `POST /account/2fa/setup`: a new key to set up.
pub async fn setup_post(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, WebError> {
    match state.svc.accounts.totp_begin(s.user.id).await {
        Ok(()) => Ok(Redirect::to("/account/2fa").into_response()),
        Err(e) => refused(&ctx, "/account/2fa", e),
    }
}

/// Body of `POST /account/2fa/confirm`.
#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `POST /account/2fa/confirm`: the first code turns two-factor sign-in on; the recovery codes
/// are shown this once.
pub async fn confirm_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    CsrfForm(f): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    match state.svc.accounts.totp_confirm(&caller, s.user.id, &f.code).await {
        Ok(codes) => Ok(render_recovery(&ctx, &codes, "/account/2fa").into_response()),
        Err(e) => refused(&ctx, "/account/2fa", e),
    }
}

/// Body of the forms that need the password and a code.
#[derive(Deserialize)]
pub struct PasswordCodeForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
}

/// `POST /account/2fa/recovery`: new recovery codes.
pub async fn recovery_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    CsrfForm(f): CsrfForm<PasswordCodeForm>,
) -> Result<Response, WebError> {
    match state.svc.accounts.recovery_renew(&caller, s.user.id, &f.password, &f.code).await {
        Ok(codes) => Ok(render_recovery(&ctx, &codes, "/account/2fa").into_response()),
        Err(e) => refused(&ctx, "/account/2fa", e),
    }
}

/// `POST /account/2fa/disable`.
pub async fn disable_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    CsrfForm(f): CsrfForm<PasswordCodeForm>,
) -> Result<Response, WebError> {
    match state.svc.accounts.totp_disable(&caller, s.user.id, &f.password, &f.code).await {
        Ok(()) => Ok(redirect_with_flash("/account/2fa", FlashKind::Ok, ctx.t(Msg::TwoFactorNowOff))),
        Err(e) => refused(&ctx, "/account/2fa", e),
    }
}

/// `POST /admin/users/{id}/2fa/reset`: turn an account's two-factor sign-in off (audited; the
/// account is told).
pub async fn admin_reset_post(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, WebError> {
    let user = state.svc.accounts.user(UserId(id))?;
    match state.svc.accounts.two_factor_reset(&caller, user.id).await {
        Ok(()) => {
            let msg = ctx.fmt_string(Msg::AdminTwoFactorResetDone, &[("email", user.email.as_str().into())]);
            Ok(redirect_with_flash("/admin/users", FlashKind::Ok, &msg))
        }
        Err(e) => refused(&ctx, "/admin/users", e),
    }
}

/// Body of `POST /admin/settings/2fa`.
#[derive(Deserialize)]
pub struct PolicyForm {
    #[serde(default)]
    required: String,
}

/// `POST /admin/settings/2fa`: who must use a second factor.
pub async fn admin_policy_post(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
    CsrfForm(f): CsrfForm<PolicyForm>,
) -> Result<Response, WebError> {
    match state.svc.accounts.set_two_factor_policy(&caller, &f.required).await {
        Ok(r) => {
            let msg = ctx.fmt_string(Msg::AdminTwoFactorSet, &[("required", r.as_str().into())]);
            Ok(redirect_with_flash("/admin", FlashKind::Ok, &msg))
        }
        Err(e) => refused(&ctx, "/admin", e),
    }
}

/// The admin overview's form for who must use a second factor.
pub fn render_policy_form(ctx: &Ctx, current: Required) -> Markup {
    html! {
        form method="post" action="/admin/settings/2fa" {
            (csrf_field(ctx))
            label for="required" { (ctx.t(Msg::AdminTwoFactorLabel)) }
            select #required name="required" {
                @for r in Required::ALL {
                    option value=(r.as_str()) selected[r == current] { (ctx.fmt(Msg::AdminTwoFactorChoice, &[("required", r.as_str().into())])) }
                }
            }
            p.hint { (ctx.t(Msg::AdminTwoFactorHint)) }
            div.actions { button.secondary type="submit" { (ctx.t(Msg::AdminTwoFactorSave)) } }
        }
    }
}
