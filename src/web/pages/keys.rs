//! SSH keys saved in the account.

use crate::web::layout::Utc;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use crate::service::Coded;
use crate::web::AppState;
use crate::web::ctx::{Customer, FlashKind, redirect_with_flash};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

/// `GET /account/keys`.
pub async fn keys_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    let keys = state.svc.keys.list(s.user.id)?;
    let body = html! {
        h1 { "SSH keys" }
        p.hint { "Keys you save here can be put into new servers when you order them." }
        @if keys.is_empty() { p.muted { "No keys yet." } } @else {
            div.table-wrap { table {
                thead { tr { th { "Name" } th { "Type" } th { "Fingerprint" } th { "Added" } th { "" } } }
                tbody { @for k in &keys { tr {
                    td { strong { (k.name) } }
                    td { (k.key.kind) }
                    td { code { (k.key.fingerprint()) } }
                    td { (Utc(k.created_at)) }
                    td { form.inline method="post" action={ "/account/keys/" (k.id) "/delete" } {
                        (csrf_field(&ctx)) button.secondary type="submit" { "Delete" }
                    } }
                } } }
            } }
        }
        div.panel {
            h2 { "Add a key" }
            form method="post" action="/account/keys" {
                (csrf_field(&ctx))
                label for="name" { "Name (optional: the key's comment is used)" }
                input #name type="text" name="name";
                label for="key" { "Public key" }
                textarea #key name="key" rows="4" placeholder="ssh-ed25519 AAAA… you@laptop" required {}
                div.actions { button type="submit" { "Add key" } }
            }
        }
    };
    Ok(page(&ctx, "SSH keys", &[("Account", "/account"), ("SSH keys", "/account/keys")], body)
        .into_response())
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
        Ok(k) => Ok(redirect_with_flash("/account/keys", FlashKind::Ok, &format!("Key {} added.", k.name))),
        Err(e) if e.is_user_error() => Ok(redirect_with_flash(
            "/account/keys",
            FlashKind::Error,
            &format!("{} ({})", ctx.error_text(&e), e.code()),
        )),
        Err(e) => Err(e.into()),
    }
}

/// `POST /account/keys/{id}/delete`.
pub async fn key_delete_post(
    State(state): State<AppState>,
    Customer(_, s, caller): Customer,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    match state.svc.keys.delete(s.user.id, id, &caller).await {
        Ok(()) => Ok(redirect_with_flash("/account/keys", FlashKind::Ok, "Key deleted.")),
        Err(crate::service::KeyError::NotFound) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}
