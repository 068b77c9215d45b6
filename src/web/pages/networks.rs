//! Private networks in the cabinet: the list with a create form, one network with its VMs, and
//! delete. VMs join and leave from their own page.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use crate::domain::privnet::{NetId, bridge_name};
use crate::i18n::Msg;
use crate::service::privnets::NetError;
use crate::web::AppState;
use crate::web::ctx::{Customer, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

/// `GET /networks`.
pub async fn networks_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    let nets = state.svc.privnets.list(s.user.id)?;
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::NetworksTitle)) }
        p.hint { (t(Msg::NetworksHint)) }
        @if nets.is_empty() { p.muted { (t(Msg::NetworksNone)) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { (t(Msg::NetworksColName)) } th { (t(Msg::NetworksColSubnet)) }
                    th { (t(Msg::NetworksColServers)) } th { (t(Msg::NetworksColCreated)) }
                } }
                tbody { @for n in &nets { tr {
                    td { a href={ "/networks/" (n.net.id) } { strong { (n.net.name) } } }
                    td { code { (n.net.subnet) } }
                    td { (n.members) }
                    td { (ctx.time(n.net.created_at)) }
                } } }
            } }
        }
        div.panel {
            h2 { (t(Msg::NetworksCreateTitle)) }
            form method="post" action="/networks" {
                (csrf_field(&ctx))
                label for="name" { (t(Msg::NetworksName)) }
                input #name type="text" name="name" placeholder="backend" required;
                label for="subnet" { (t(Msg::NetworksSubnet)) }
                input #subnet type="text" name="subnet" placeholder="10.0.0.0/24" required;
                div.actions { button type="submit" { (t(Msg::NetworksCreate)) } }
            }
        }
    };
    Ok(page(&ctx, t(Msg::NetworksTitle), &[(t(Msg::NetworksTitle), "/networks")], body).into_response())
}

/// Body of `POST /networks`.
#[derive(Deserialize)]
pub struct NetForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    subnet: String,
}

/// `POST /networks`.
pub async fn network_create_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    CsrfForm(f): CsrfForm<NetForm>,
) -> Result<Response, WebError> {
    match state.svc.privnets.create(s.user.id, &f.name, &f.subnet, &caller).await {
        Ok(id) => {
            Ok(redirect_with_flash(&format!("/networks/{id}"), FlashKind::Ok, ctx.t(Msg::NetworksCreated)))
        }
        Err(e) => refused(&ctx, "/networks", e),
    }
}

/// `GET /networks/{id}`.
pub async fn network_get(
    State(state): State<AppState>,
    Customer(ctx, _, caller): Customer,
    Path(id): Path<u64>,
) -> Result<Response, WebError> {
    let net = state.svc.privnets.get(&caller, NetId(id))?;
    let members = state.svc.privnets.members(net.id)?;
    let mut rows = Vec::with_capacity(members.len());
    for m in &members {
        let host = state.svc.vms.get(&caller, m.vm).map(|v| v.hostname).unwrap_or_default();
        rows.push((m, host));
    }
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (net.name) }
        div.panel {
            table { tbody {
                tr { th { (t(Msg::NetworksColSubnet)) } td { code { (net.subnet) } } }
                tr { th { (t(Msg::NetworksIsolation)) } td { (ctx.fmt(Msg::NetworksIsolationText, &[("bridge", bridge_name(net.id).into())])) } }
                tr { th { (t(Msg::NetworksColCreated)) } td { (ctx.time(net.created_at)) } }
            } }
        }
        div.panel {
            h2 { (t(Msg::NetworksMembers)) }
            @if rows.is_empty() { p.muted { (t(Msg::NetworksMembersNone)) } } @else {
                table {
                    thead { tr { th { (t(Msg::NetworksColServer)) } th { (t(Msg::NetworksColInterface)) } th { (t(Msg::NetworksColAddress)) } } }
                    tbody { @for (m, host) in &rows { tr {
                        td { a href={ "/vms/" (m.vm) } { (host) } }
                        td { code { "eth" (m.slot) } }
                        td { code { (m.address) "/" (net.subnet.len) } }
                    } } }
                }
            }
        }
        div.panel {
            h2 { (t(Msg::NetworksDeleteTitle)) }
            p.hint { (t(Msg::NetworksDeleteHint)) }
            form method="post" action={ "/networks/" (net.id) "/delete" } {
                (csrf_field(&ctx))
                button.danger type="submit" { (t(Msg::NetworksDelete)) }
            }
        }
    };
    Ok(page(&ctx, &net.name, &[(t(Msg::NetworksTitle), "/networks")], body).into_response())
}

/// `POST /networks/{id}/delete`.
pub async fn network_delete_post(
    State(state): State<AppState>,
    Customer(ctx, _, caller): Customer,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    match state.svc.privnets.delete(&caller, NetId(id)).await {
        Ok(()) => Ok(redirect_with_flash("/networks", FlashKind::Ok, ctx.t(Msg::NetworksDeleted))),
        Err(NetError::NotFound) => Err(WebError::NotFound),
        Err(e) => refused(&ctx, &format!("/networks/{id}"), e),
    }
}
