//! The account page: details, language, time zone, password change, log out everywhere.

use crate::service::Coded;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::account::PASSWORD_MIN_CHARS;
use crate::i18n::Msg;
use crate::service::accounts::SessionView;
use crate::web::AppState;
use crate::web::ctx::{Ctx, Customer, FlashKind, SESSION_COOKIE, clear_cookie, redirect_with_flash};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, form_error_text, page};

/// What the Account page shows besides the session.
struct AccountView {
    sessions: usize,
    tz: String,
    telegram: (bool, Option<crate::store::telegram::TgLink>),
    two_factor: crate::service::accounts::TwoFactorState,
}

fn account_view(state: &AppState, s: &SessionView) -> Result<AccountView, WebError> {
    Ok(AccountView {
        sessions: state.svc.accounts.session_count(s.user.id)?,
        tz: state.svc.accounts.time_zone(s.user.id)?,
        telegram: (state.bot.enabled(), state.bot.link_of(s.user.id)?),
        two_factor: state.svc.accounts.two_factor(&s.user)?,
    })
}

fn render_account(ctx: &Ctx, s: &SessionView, v: &AccountView, error: Option<(&str, &str)>) -> Markup {
    let (sessions, tz) = (v.sessions, v.tz.as_str());
    let u = &s.user;
    let t = |m| ctx.t(m);
    let role = match u.role {
        crate::domain::account::Role::Admin => t(Msg::AccountRoleAdmin),
        crate::domain::account::Role::Customer => t(Msg::AccountRoleCustomer),
    };
    page(
        ctx,
        t(Msg::AccountTitle),
        &[(t(Msg::NavDashboard), "/dashboard"), (t(Msg::AccountTitle), "/account")],
        html! {
            h1 { (t(Msg::AccountTitle)) }
            div.grid {
                div.panel {
                    h2 { (t(Msg::AccountDetails)) }
                    table { tbody {
                        tr { th { (t(Msg::AccountEmail)) } td { (u.email.as_str()) } }
                        tr { th { (t(Msg::AccountRole)) } td { (role) } }
                        tr { th { (t(Msg::AccountMemberSince)) } td { (ctx.time(u.created_at)) } }
                        tr { th { (t(Msg::AccountPasswordSet)) } td { (ctx.time(u.password_changed_at)) } }
                        tr { th { (t(Msg::AccountSessions)) } td { (sessions) } }
                        tr { th { (t(Msg::TwoFactorTitle)) } td {
                            @if let Some(since) = v.two_factor.enabled_at { (ctx.fmt(Msg::TwoFactorOnSince, &[("since", ctx.lang.time(since).into())])) }
                            @else { (t(Msg::TwoFactorOff)) }
                            " · " a href="/account/2fa" { (t(Msg::AdminManage)) }
                        } }
                    } }
                    p { a href="/account/keys" { (t(Msg::AccountKeysLink)) } " · " a href="/account/tokens" { (t(Msg::AccountTokensLink)) } " · " a href="/activity" { (t(Msg::AccountActivityLink)) } }
                    form method="post" action="/account/logout-all" {
                        (csrf_field(ctx))
                        div.actions { button.secondary type="submit" { (t(Msg::AccountLogoutAll)) } }
                        p.hint { (t(Msg::AccountLogoutAllHint)) }
                    }
                }
                div.panel {
                    h2 { (ctx.t(Msg::LanguageSwitch)) }
                    form method="post" action="/account/language" {
                        (csrf_field(ctx))
                        label for="language" { (ctx.t(Msg::AccountLanguageLabel)) }
                        select #language name="language" {
                            option value="" selected[s.user.language.is_none()] { (ctx.t(Msg::AccountLanguageBrowser)) }
                            @for l in crate::i18n::Lang::ALL {
                                option value=(l.code()) lang=(l.code()) selected[s.user.language.as_deref() == Some(l.code())] { (l.native_name()) }
                            }
                        }
                        div.actions { button.secondary type="submit" { (ctx.t(Msg::AccountLanguageSave)) } }
                    }
                }
                div.panel {
                    h2 { (t(Msg::AccountTzTitle)) }
                    p.hint { (t(Msg::AccountTzHint)) }
                    form method="post" action="/account/timezone" {
                        (csrf_field(ctx))
                        label for="time_zone" { (t(Msg::AccountTzLabel)) }
                        input #time_zone type="text" name="time_zone" value=(tz) list="zones" autocomplete="off" required;
                        datalist #zones { @for z in crate::domain::schedule::zone_names() { option value=(z) {} } }
                        div.actions { button.secondary type="submit" { (t(Msg::AccountTzSave)) } }
                    }
                }
                (super::telegram::render_panel(ctx, v.telegram.0, v.telegram.1.as_ref()))
                div.panel {
                    h2 { (t(Msg::AccountPasswordTitle)) }
                    @if let Some((msg, code)) = error { (form_error_text(ctx, msg, code)) }
                    form method="post" action="/account/password" {
                        (csrf_field(ctx))
                        label for="current" { (t(Msg::AccountPasswordCurrent)) }
                        input #current type="password" name="current" autocomplete="current-password" required;
                        label for="new" { (t(Msg::AccountPasswordNew)) }
                        input #new type="password" name="new" autocomplete="new-password" minlength=(PASSWORD_MIN_CHARS) required;
                        p.hint { (ctx.fmt(Msg::AccountPasswordHint, &[("n", PASSWORD_MIN_CHARS.into())])) }
                        label for="confirm" { (t(Msg::AccountPasswordRepeat)) }
                        input #confirm type="password" name="confirm" autocomplete="new-password" required;
                        div.actions { button type="submit" { (t(Msg::AccountPasswordSubmit)) } }
                    }
                }
            }
        },
    )
}

/// `GET /account`.
pub async fn account_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    let v = account_view(&state, &s)?;
    Ok(render_account(&ctx, &s, &v, None).into_response())
}

/// Body of `POST /account/timezone`.
#[derive(Deserialize)]
pub struct TimeZoneForm {
    #[serde(default)]
    time_zone: String,
}

/// `POST /account/timezone`.
pub async fn time_zone_post(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
    CsrfForm(f): CsrfForm<TimeZoneForm>,
) -> Result<Response, WebError> {
    match state.svc.accounts.set_time_zone(s.user.id, &f.time_zone).await {
        Ok(tz) => Ok(redirect_with_flash(
            "/account",
            FlashKind::Ok,
            &ctx.fmt_string(Msg::AccountTzSet, &[("zone", tz.as_str().into())]),
        )),
        Err(e) => crate::web::ctx::refused(&ctx, "/account", e),
    }
}

/// Body of `POST /account/password`.
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /account/password`.
pub async fn password_post(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Result<Response, WebError> {
    let error = if f.new != f.confirm {
        (ctx.t(Msg::AccountPasswordDiffer).to_string(), "ACC0012")
    } else {
        match state.svc.accounts.change_password(s.user.id, &f.current, &f.new, Some(s.key)).await {
            Ok(()) => {
                return Ok(redirect_with_flash(
                    "/account",
                    FlashKind::Ok,
                    ctx.t(Msg::AccountPasswordChanged),
                ));
            }
            Err(e) if e.is_user_error() => (ctx.error_text(&e), e.code()),
            Err(e) => return Err(e.into()),
        }
    };
    let v = account_view(&state, &s)?;
    let page = render_account(&ctx, &s, &v, Some((&error.0, error.1)));
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Body with only the CSRF field.
#[derive(Deserialize)]
pub struct EmptyForm {}

/// `POST /account/logout-all`.
pub async fn logout_all_post(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, WebError> {
    let n = state.svc.accounts.logout_everywhere(s.user.id).await?;
    let msg = ctx.fmt_string(Msg::AccountLoggedOutAll, &[("n", n.into())]);
    let mut resp = redirect_with_flash("/login", FlashKind::Info, &msg);
    resp.headers_mut().append(header::SET_COOKIE, clear_cookie(SESSION_COOKIE));
    Ok(resp)
}
