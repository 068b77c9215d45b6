//! SSH keys saved in the account.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use crate::i18n::Msg;
use crate::web::AppState;
use crate::web::ctx::{Customer, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

/// `GET /account/keys`.
pub async fn keys_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    let keys = state.svc.keys.list(s.user.id)?;
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::KeysTitle)) }
        p.hint { (t(Msg::KeysHint)) }
        @if keys.is_empty() { p.muted { (t(Msg::KeysNone)) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { (t(Msg::KeysColName)) } th { (t(Msg::KeysColType)) } th { (t(Msg::KeysColFingerprint)) }
                    th { (t(Msg::KeysColAdded)) } th { "" }
                } }
                tbody { @for k in &keys { tr {
                    td { strong { (k.name) } }
                    td { (k.key.kind) }
                    td { code { (k.key.fingerprint()) } }
                    td { (ctx.time(k.created_at)) }
                    td { form.inline method="post" action={ "/account/keys/" (k.id) "/delete" } {
                        (csrf_field(&ctx)) button.secondary type="submit" { (t(Msg::KeysDelete)) }
                    } }
                } } }
            } }
        }
        div.panel {
            h2 { (t(Msg::KeysAddTitle)) }
            form method="post" action="/account/keys" {
                (csrf_field(&ctx))
                label for="name" { (t(Msg::KeysName)) }
                input #name type="text" name="name";
                label for="key" { (t(Msg::KeysKey)) }
                textarea #key name="key" rows="4" placeholder="ssh-ed25519 AAAA… you@laptop" required {}
                div.actions { button type="submit" { (t(Msg::KeysAdd)) } }
            }
        }
    };
    let crumbs = [(t(Msg::AccountTitle), "/account"), (t(Msg::KeysTitle), "/account/keys")];
    Ok(page(&ctx, t(Msg::KeysTitle), &crumbs, body).into_response())
}

/// Body of `POST /account/keys`.
#[derive(Deserialize)]
pub struct KeyForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    key: String,
}

/// `POST /account/keys`.
pub async fn key_add_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    CsrfForm(f): CsrfForm<KeyForm>,
) -> Result<Response, WebError> {
    match state.svc.keys.add(s.user.id, &f.name, &f.key, &caller).await {
        Ok(k) => Ok(redirect_with_flash(
            "/account/keys",
            FlashKind::Ok,
            &ctx.fmt_string(Msg::KeysAdded, &[("name", k.name.as_str().into())]),
        )),
        Err(e) => refused(&ctx, "/account/keys", e),
    }
}

/// `POST /account/keys/{id}/delete`.
pub async fn key_delete_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    match state.svc.keys.delete(s.user.id, id, &caller).await {
        Ok(()) => Ok(redirect_with_flash("/account/keys", FlashKind::Ok, ctx.t(Msg::KeysDeleted))),
        Err(crate::service::KeyError::NotFound) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}
