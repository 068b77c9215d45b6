//! Telegram in the cabinet: the Account page's panel (link with a one-time deep link, see the
//! linked account, unlink) and the webhook Telegram posts updates to when so configured.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use crate::i18n::Msg;
use crate::service::bot::{LINK_CODE_MINUTES, Update};
use crate::store::telegram::TgLink;
use crate::web::AppState;
use crate::web::ctx::{Ctx, Customer, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

/// The Account page's Telegram panel.
pub fn render_panel(ctx: &Ctx, enabled: bool, link: Option<&TgLink>) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        div.panel #telegram {
            h2 { (t(Msg::TelegramTitle)) }
            @if !enabled { p.muted { (t(Msg::TelegramOff)) } } @else {
                p.hint { (t(Msg::TelegramHint)) }
                @match link {
                    Some(l) => {
                        p { (ctx.fmt(Msg::TelegramLinked, &[("name", l.name.as_str().into()), ("at", ctx.lang.time(l.linked_at).into())])) }
                        form method="post" action="/account/telegram/unlink" {
                            (csrf_field(ctx)) div.actions { button.secondary type="submit" { (t(Msg::TelegramUnlink)) } }
                        }
                    }
                    None => form method="post" action="/account/telegram" {
                        (csrf_field(ctx)) div.actions { button type="submit" { (t(Msg::TelegramLink)) } }
                    },
                }
            }
        }
    }
}

/// `POST /account/telegram`: a one-time link to open in Telegram.
pub async fn link_post(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    let url = match state.bot.link_url(s.user.id).await {
        Ok(u) => u,
        Err(e) => return refused(&ctx, "/account", e),
    };
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::TelegramTitle)) }
        div.panel {
            p { (ctx.fmt(Msg::TelegramOpen, &[("minutes", LINK_CODE_MINUTES.into())])) }
            p { a #telegram-link href=(url) rel="noopener" { (url) } }
        }
        p { a href="/account" { (t(Msg::AccountTitle)) } }
    };
    Ok(page(&ctx, t(Msg::TelegramTitle), &[(t(Msg::AccountTitle), "/account")], body).into_response())
}

/// `POST /account/telegram/unlink`.
pub async fn unlink_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    match state.bot.unlink(s.user.id, &caller).await {
        Ok(()) => Ok(redirect_with_flash("/account", FlashKind::Ok, ctx.t(Msg::TelegramUnlinked))),
        Err(e) => refused(&ctx, "/account", e),
    }
}

/// `POST /telegram/webhook`: an update from Telegram, taken only with the bot's secret header
/// and only when updates come by webhook. A failure answers 500, so Telegram sends it again.
pub async fn webhook_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let secret = headers.get("x-telegram-bot-api-secret-token").and_then(|v| v.to_str().ok());
    if !state.bot.enabled() || !state.bot.webhook() || secret != Some(state.bot.webhook_secret()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(upd) = serde_json::from_slice::<Update>(&body) else {
        // Not an update we can read: taking it (200) stops Telegram from sending it forever.
        tracing::warn!("Telegram webhook: an update that cannot be read was skipped");
        return StatusCode::OK.into_response();
    };
    match state.bot.handle(upd).await {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => {
            tracing::warn!("Telegram update not handled (Telegram sends it again): {e}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
