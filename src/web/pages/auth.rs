//! Log in, sign up, log out, and the password-reset link.

use crate::service::Coded;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::account::PASSWORD_MIN_CHARS;
use crate::i18n::Msg;
use crate::service::AccountError;
use crate::service::accounts::SignIn;
use crate::web::AppState;
use crate::web::ctx::{Ctx, FlashKind, SESSION_COOKIE, clear_cookie, redirect_with_flash, set_cookie};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, form_error, form_error_text, page};

/// Where to go after login: a local path only, never another site.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && n.len() < 512 => {
            n.to_string()
        }
        _ => "/dashboard".to_string(),
    }
}

/// Query of `GET /login`.
#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Body of `POST /login`.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

fn render_login(ctx: &Ctx, email: &str, next: &str, error: Option<&AccountError>) -> Markup {
    page(
        ctx,
        ctx.t(Msg::LoginTitle),
        &[],
        html! {
            div.narrow { div.panel {
                h1 { (ctx.t(Msg::LoginTitle)) }
                @if let Some(e) = error { (form_error(ctx, e)) }
                form method="post" action="/login" {
                    (csrf_field(ctx))
                    input type="hidden" name="next" value=(next);
                    label for="email" { (ctx.t(Msg::LoginEmail)) }
                    input #email type="email" name="email" value=(email) autocomplete="username" required autofocus;
                    label for="password" { (ctx.t(Msg::LoginPassword)) }
                    input #password type="password" name="password" autocomplete="current-password" required;
                    div.actions {
                        button type="submit" { (ctx.t(Msg::LoginSubmit)) }
                        a href="/signup" { (ctx.t(Msg::LoginCreateAccount)) }
                    }
                }
                form {
                    (super::passkeys::button(ctx, "login", "/login/passkey/options", "/login/passkey", next, Msg::PasskeyLogin))
                }
                p.hint { (ctx.t(Msg::LoginForgot)) }
            } }
        },
    )
}

/// `GET /login`.
pub async fn login_get(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    if ctx.session.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    render_login(&ctx, "", &safe_next(q.next.as_deref()), None).into_response()
}

fn session_response(state: &AppState, token: &str, to: &str) -> Response {
    let mut resp = Redirect::to(to).into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, token, Some(state.session_max_age)));
    resp
}

fn status_of(e: &AccountError) -> StatusCode {
    match e {
        AccountError::Locked { .. } => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// `GET /sso/{token}`: a single sign-on link from the billing system: a session, then the
/// server's page it names (or the dashboard). A used or expired link gets the error page.
pub async fn sso_get(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Result<Response, WebError> {
    let (session, vm) = state.svc.accounts.redeem_sso(&token, ctx.client_ip).await?;
    let to = vm.map_or_else(|| "/".to_string(), |id| format!("/vms/{id}"));
    Ok(session_response(&state, &session.token, &to))
}

/// `POST /login`.
pub async fn login_post(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> Result<Response, WebError> {
    let next = safe_next(f.next.as_deref());
    match state.svc.accounts.login(&f.email, &f.password, ctx.client_ip).await {
        Ok(SignIn::Session(s)) => Ok(session_response(&state, &s.token, &next)),
        Ok(SignIn::SecondStep(token)) => Ok(super::two_factor::to_second_step(&token, &next)),
        Err(e) if e.is_user_error() => {
            tracing::info!(code = e.code(), "login refused: {e}");
            Ok((status_of(&e), render_login(&ctx, f.email.trim(), &next, Some(&e))).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Body of `POST /signup`.
#[derive(Deserialize)]
pub struct SignupForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

fn render_signup(ctx: &Ctx, open: bool, email: &str, error: Option<(&str, &str)>) -> Markup {
    page(
        ctx,
        ctx.t(Msg::SignupTitle),
        &[],
        html! {
            div.narrow { div.panel {
                h1 { (ctx.t(Msg::SignupHeading)) }
                @if let Some((msg, code)) = error.filter(|_| !open) { (form_error_text(ctx, msg, code)) }
                @if !open {
                    p { (ctx.t(Msg::SignupClosed)) }
                    p { a href="/login" { (ctx.t(Msg::SignupBackToLogin)) } }
                } @else {
                    @if let Some((msg, code)) = error { (form_error_text(ctx, msg, code)) }
                    form method="post" action="/signup" {
                        (csrf_field(ctx))
                        label for="email" { (ctx.t(Msg::LoginEmail)) }
                        input #email type="email" name="email" value=(email) autocomplete="email" required autofocus;
                        label for="password" { (ctx.t(Msg::LoginPassword)) }
                        input #password type="password" name="password" autocomplete="new-password" minlength=(PASSWORD_MIN_CHARS) required;
                        p.hint { (ctx.fmt(Msg::SignupPasswordHint, &[("min", PASSWORD_MIN_CHARS.into())])) }
                        label for="confirm" { (ctx.t(Msg::SignupRepeat)) }
                        input #confirm type="password" name="confirm" autocomplete="new-password" required;
                        div.actions {
                            button type="submit" { (ctx.t(Msg::SignupSubmit)) }
                            a href="/login" { (ctx.t(Msg::SignupHaveAccount)) }
                        }
                    }
                }
            } }
        },
    )
}

/// `GET /signup`.
pub async fn signup_get(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    if ctx.session.is_some() {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    let open = state.svc.accounts.signup_enabled()?;
    Ok(render_signup(&ctx, open, "", None).into_response())
}

/// `POST /signup`: create the account and log straight in.
pub async fn signup_post(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<SignupForm>,
) -> Result<Response, WebError> {
    let open = state.svc.accounts.signup_enabled()?;
    if f.password != f.confirm {
        let page =
            render_signup(&ctx, open, f.email.trim(), Some((ctx.t(Msg::SignupPasswordsDiffer), "ACC0012")));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let id = match state.svc.accounts.sign_up(&f.email, &f.password).await {
        Ok(id) => id,
        Err(e) if e.is_user_error() => {
            let page = render_signup(&ctx, open, f.email.trim(), Some((&ctx.error_text(&e), e.code())));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    // Admins see it when they decide on a free trial.
    if let Err(e) = state.svc.accounts.note_signup_ip(id, ctx.client_ip).await {
        tracing::warn!(code = e.code(), "cannot note the sign-up address: {e}");
    }
    match state.svc.accounts.login(&f.email, &f.password, ctx.client_ip).await {
        Ok(SignIn::SecondStep(token)) => Ok(super::two_factor::to_second_step(&token, "/dashboard")),
        Ok(SignIn::Session(s)) => {
            let mut resp = redirect_with_flash("/dashboard", FlashKind::Ok, ctx.t(Msg::SignupWelcome));
            resp.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &s.token, Some(state.session_max_age)),
            );
            Ok(resp)
        }
        Err(_) => Ok(redirect_with_flash("/login", FlashKind::Ok, ctx.t(Msg::SignupReadyLogIn))),
    }
}

/// A form with only the CSRF field.
#[derive(Deserialize)]
pub struct EmptyForm {}

/// `POST /logout`.
pub async fn logout_post(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, WebError> {
    if let Some(s) = &ctx.session {
        state.svc.accounts.logout(s.key).await?;
        state.svc.consoles.end_session(s.key);
    }
    let mut resp = redirect_with_flash("/login", FlashKind::Info, ctx.t(Msg::AccountLoggedOut));
    resp.headers_mut().append(header::SET_COOKIE, clear_cookie(SESSION_COOKIE));
    Ok(resp)
}

/// Body of `POST /reset/{token}`.
#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

fn render_reset(ctx: &Ctx, token: &str, email: &str, error: Option<(&str, &str)>) -> Markup {
    let t = |m| ctx.t(m);
    page(
        ctx,
        t(Msg::ResetTitle),
        &[],
        html! {
            div.narrow { div.panel {
                h1 { (t(Msg::ResetTitle)) }
                p { (ctx.fmt(Msg::ResetFor, &[("email", email.into())])) }
                @if let Some((msg, code)) = error { (form_error_text(ctx, msg, code)) }
                form method="post" action={ "/reset/" (token) } {
                    (csrf_field(ctx))
                    label for="password" { (t(Msg::AccountPasswordNew)) }
                    input #password type="password" name="password" autocomplete="new-password" minlength=(PASSWORD_MIN_CHARS) required autofocus;
                    p.hint { (ctx.fmt(Msg::ResetHint, &[("n", PASSWORD_MIN_CHARS.into())])) }
                    label for="confirm" { (t(Msg::AccountPasswordRepeat)) }
                    input #confirm type="password" name="confirm" autocomplete="new-password" required;
                    div.actions { button type="submit" { (t(Msg::ResetSubmit)) } }
                }
            } }
        },
    )
}

/// `GET /reset/{token}`.
pub async fn reset_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let user = state.svc.accounts.check_reset_token(&token)?;
    Ok(render_reset(&ctx, &token, user.email.as_str(), None).into_response())
}

/// `POST /reset/{token}`.
pub async fn reset_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    CsrfForm(f): CsrfForm<ResetForm>,
) -> Result<Response, WebError> {
    let user = state.svc.accounts.check_reset_token(&token)?;
    let error = if f.password != f.confirm {
        Some((ctx.t(Msg::SignupPasswordsDiffer).to_string(), "ACC0012"))
    } else {
        match state.svc.accounts.reset_password(&token, &f.password).await {
            Ok(_) => {
                let mut resp = redirect_with_flash("/login", FlashKind::Ok, ctx.t(Msg::ResetDone));
                resp.headers_mut().append(header::SET_COOKIE, clear_cookie(SESSION_COOKIE));
                return Ok(resp);
            }
            Err(e) if e.is_user_error() && !matches!(e, AccountError::ResetLinkInvalid) => {
                Some((ctx.error_text(&e), e.code()))
            }
            Err(e) => return Err(e.into()),
        }
    };
    let page = render_reset(&ctx, &token, user.email.as_str(), error.as_ref().map(|(m, c)| (m.as_str(), *c)));
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next(Some("/account")), "/account");
        assert_eq!(safe_next(Some("//evil.example")), "/dashboard");
        assert_eq!(safe_next(Some("https://evil.example")), "/dashboard");
        assert_eq!(safe_next(Some("/\\evil.example")), "/dashboard");
        assert_eq!(safe_next(None), "/dashboard");
    }
}
