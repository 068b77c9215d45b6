//! Private networks in the cabinet: the list with a create form, one network with its VMs, and
//! delete. VMs join and leave from their own page.

use crate::web::layout::Utc;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use crate::domain::privnet::{NetId, bridge_name};
use crate::service::privnets::NetError;
use crate::web::AppState;
use crate::web::ctx::{Customer, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

const CRUMB: (&str, &str) = ("Private networks", "/networks");

/// `GET /networks`.
pub async fn networks_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    let nets = state.svc.privnets.list(s.user.id)?;
    let body = html! {
        h1 { "Private networks" }
        p.hint { "An isolated network between your own servers: no internet, no other customers, not even the host. Each server on it gets an address from the subnet you choose." }
        @if nets.is_empty() { p.muted { "No private networks yet." } } @else {
            div.table-wrap { table {
                thead { tr { th { "Name" } th { "Subnet" } th { "Servers" } th { "Created" } } }
                tbody { @for n in &nets { tr {
                    td { a href={ "/networks/" (n.net.id) } { strong { (n.net.name) } } }
                    td { code { (n.net.subnet) } }
                    td { (n.members) }
                    td { (Utc(n.net.created_at)) }
                } } }
            } }
        }
        div.panel {
            h2 { "Create a network" }
            form method="post" action="/networks" {
                (csrf_field(&ctx))
                label for="name" { "Name" }
                input #name type="text" name="name" placeholder="backend" required;
                label for="subnet" { "IPv4 subnet (/16 to /29)" }
                input #subnet type="text" name="subnet" placeholder="10.0.0.0/24" required;
                div.actions { button type="submit" { "Create network" } }
            }
        }
    };
    Ok(page(&ctx, "Private networks", &[CRUMB], body).into_response())
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
        Ok(id) => Ok(redirect_with_flash(&format!("/networks/{id}"), FlashKind::Ok, "Network created.")),
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
    let body = html! {
        h1 { (net.name) }
        div.panel {
            table { tbody {
                tr { th { "Subnet" } td { code { (net.subnet) } } }
                tr { th { "Isolation" } td { "Its own bridge (" code { (bridge_name(net.id)) } ") with no uplink and no host address" } }
                tr { th { "Created" } td { (Utc(net.created_at)) } }
            } }
        }
        div.panel {
            h2 { "Servers on it" }
            @if rows.is_empty() { p.muted { "None. Attach servers from their page, or choose the network when you order one." } } @else {
                table {
                    thead { tr { th { "Server" } th { "Interface" } th { "Address" } } }
                    tbody { @for (m, host) in &rows { tr {
                        td { a href={ "/vms/" (m.vm) } { (host) } }
                        td { code { "eth" (m.slot) } }
                        td { code { (m.address) "/" (net.subnet.len) } }
                    } } }
                }
            }
        }
        div.panel {
            h2 { "Delete" }
            p.hint { "Possible once no server is on it." }
            form method="post" action={ "/networks/" (net.id) "/delete" } {
                (csrf_field(&ctx))
                button.danger type="submit" { "Delete network" }
            }
        }
    };
    Ok(page(&ctx, &net.name, &[CRUMB], body).into_response())
}

/// `POST /networks/{id}/delete`.
pub async fn network_delete_post(
    State(state): State<AppState>,
    Customer(ctx, _, caller): Customer,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    match state.svc.privnets.delete(&caller, NetId(id)).await {
        Ok(()) => Ok(redirect_with_flash("/networks", FlashKind::Ok, "Network deleted.")),
        Err(NetError::NotFound) => Err(WebError::NotFound),
        Err(e) => refused(&ctx, &format!("/networks/{id}"), e),
    }
}
