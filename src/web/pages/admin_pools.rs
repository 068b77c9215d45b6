//! Admin: public IP pools (list with use, add, remove) and each pool's assigned addresses.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::admin::{CRUMB_ADMIN, admin_tabs};
use crate::domain::ipam::PoolId;
use crate::service::Coded;
use crate::service::ipam::{PoolText, PoolView};
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, FlashKind, redirect_with_flash};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{Utc, csrf_field, form_error, page};

/// Body of `POST /admin/ip-pools`, kept to refill the form after an error.
#[derive(Deserialize, Default)]
pub struct PoolForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    network: String,
    #[serde(default)]
    gateway: String,
    #[serde(default)]
    range: String,
    #[serde(default)]
    exclude: String,
    #[serde(default)]
    dns: String,
    #[serde(default)]
    per_vm: String,
}

fn render_pools(ctx: &Ctx, list: &[PoolView], form: &PoolForm, notice: Option<Markup>) -> Markup {
    page(
        ctx,
        "IP pools",
        &[CRUMB_ADMIN, ("IP pools", "/admin/ip-pools")],
        html! {
            h1 { "Public IP pools" }
            (admin_tabs("/admin/ip-pools"))
            @if list.is_empty() {
                p.muted { "No pools yet. Add one below or with " code { "vpsbox ip-pool add" } "." }
            } @else {
                div.table-wrap { table {
                    thead { tr { th { "Name" } th { "Network" } th { "Gateway" } th { "Hands out" } th { "Assigned" } th { "Resting" } th { "DNS" } th { "Actions" } } }
                    tbody {
                        @for v in list {
                            @let p = &v.pool;
                            tr {
                                td { a href={ "/admin/ip-pools/" (p.id) } { strong { (p.name) } } }
                                td { code { (p.spec.network) } }
                                td { code { (p.spec.gateway) } }
                                td { (p.spec.size_text()) }
                                td { (v.leased) }
                                td { (v.cooling) }
                                td { @for (i, d) in p.spec.dns.iter().enumerate() { @if i > 0 { ", " } code { (d) } } }
                                td {
                                    form.inline method="post" action={ "/admin/ip-pools/" (p.id) "/remove" } {
                                        (csrf_field(ctx))
                                        button.secondary type="submit" { "Remove" }
                                    }
                                }
                            }
                        }
                    }
                } }
            }
            div.panel {
                h2 { "Add a pool" }
                p.hint { "Documentation ranges such as 192.0.2.0/24 or 2001:db8::/32 are for tests only. Addresses released from a VM rest before they are handed out again." }
                @if let Some(n) = notice { (n) }
                form method="post" action="/admin/ip-pools" {
                    (csrf_field(ctx))
                    label for="name" { "Name" }
                    input #name type="text" name="name" value=(form.name) placeholder="public-v4" required;
                    label for="network" { "Network (CIDR)" }
                    input #network type="text" name="network" value=(form.network) placeholder="203.0.113.0/24 or 2001:db8:100::/48" required;
                    label for="gateway" { "Gateway" }
                    input #gateway type="text" name="gateway" value=(form.gateway) placeholder="203.0.113.1 or fe80::1" required;
                    label for="range" { "Hand out only (optional)" }
                    input #range type="text" name="range" value=(form.range) placeholder="203.0.113.10-203.0.113.250";
                    label for="exclude" { "Never hand out (optional, one address or range per line)" }
                    textarea #exclude name="exclude" rows="2" { (form.exclude) }
                    label for="dns" { "DNS servers (comma-separated)" }
                    input #dns type="text" name="dns" value=(form.dns) placeholder="203.0.113.53";
                    label for="per_vm" { "IPv6: each VM gets" }
                    select #per_vm name="per_vm" {
                        option value="" selected[form.per_vm.is_empty()] { "a /64 (IPv4 pools: one address)" }
                        option value="128" selected[form.per_vm == "128"] { "a single address" }
                    }
                    div.actions { button type="submit" { "Add pool" } }
                }
            }
        },
    )
}

/// `GET /admin/ip-pools`.
pub async fn pools_get(State(state): State<AppState>, Admin(ctx, ..): Admin) -> Result<Response, WebError> {
    let list = state.svc.ipam.list()?;
    Ok(render_pools(&ctx, &list, &PoolForm::default(), None).into_response())
}

/// `POST /admin/ip-pools`.
pub async fn pool_add_post(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    CsrfForm(f): CsrfForm<PoolForm>,
) -> Result<Response, WebError> {
    let per_vm = match f.per_vm.trim() {
        "" => None,
        n => n.parse::<u8>().ok(),
    };
    let text = PoolText {
        network: f.network.clone(),
        gateway: f.gateway.clone(),
        range: f.range.clone(),
        exclude: f.exclude.lines().map(str::to_string).collect(),
        dns: f.dns.clone(),
        per_vm,
    };
    let added = match text.spec() {
        Ok(spec) => state.svc.ipam.add_pool(&f.name, spec).await,
        Err(e) => Err(e),
    };
    match added {
        Ok(p) => Ok(redirect_with_flash(
            "/admin/ip-pools",
            FlashKind::Ok,
            &format!("Pool {} added: {} to hand out.", p.name, p.spec.size_text()),
        )),
        Err(e) if e.is_user_error() => {
            let list = state.svc.ipam.list()?;
            let notice = form_error(&ctx, &e);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render_pools(&ctx, &list, &f, Some(notice)))
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/ip-pools/{id}/remove`.
pub async fn pool_remove_post(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    let p = state.svc.ipam.get(PoolId(id))?;
    match state.svc.ipam.remove_pool(&p.name).await {
        Ok(()) => {
            Ok(redirect_with_flash("/admin/ip-pools", FlashKind::Ok, &format!("Pool {} removed.", p.name)))
        }
        Err(e) if e.is_user_error() => Ok(redirect_with_flash(
            "/admin/ip-pools",
            FlashKind::Error,
            &format!("{} ({})", ctx.error_text(&e), e.code()),
        )),
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/ip-pools/{id}`: the pool's assigned addresses.
pub async fn pool_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    Path(id): Path<u64>,
) -> Result<Response, WebError> {
    let p = state.svc.ipam.get(PoolId(id))?;
    let leases = state.svc.ipam.leases(&p.name)?;
    let href = format!("/admin/ip-pools/{}", p.id);
    let body = html! {
        h1 { "Pool " (p.name) }
        (admin_tabs("/admin/ip-pools"))
        p { code { (p.spec.network) } " · gateway " code { (p.spec.gateway) } " · " (p.spec.size_text()) " · " (leases.len()) " assigned" }
        @if leases.is_empty() {
            p.muted { "No address of this pool is assigned." }
        } @else {
            div.table-wrap { table {
                thead { tr { th { "Address" } th { "Account" } th { "VM" } th { "Since" } th { "Reverse DNS" } th { "Move to VM" } } }
                tbody {
                    @for (lease, rec) in &leases {
                        tr {
                            td { code { (lease.address.0) "/" (lease.address.1) } }
                            td { a href={ "/admin/users/" (rec.owner) "/quota" } { (rec.owner) } }
                            td { @if let Some(vm) = rec.vm { a href={ "/admin/vms/" (vm) } { (vm) } } @else { span.muted { "unattached" } } }
                            td { (Utc(rec.since)) }
                            td { @if let Some(ptr) = &rec.ptr { code { (ptr) } } @else { span.muted { "—" } } }
                            td {
                                @if lease.address.0.is_ipv4() {
                                    form.inline method="post" action={ (href) "/move" } {
                                        (csrf_field(&ctx))
                                        input type="hidden" name="address" value=(lease.address.0);
                                        input type="text" name="vm" inputmode="numeric" size="6" aria-label={ "Move " (lease.address.0) " to VM number" };
                                        button.secondary type="submit" { "Move" }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
        }
    };
    Ok(page(&ctx, &p.name, &[CRUMB_ADMIN, ("IP pools", "/admin/ip-pools"), (&p.name, &href)], body)
        .into_response())
}

/// Body of `POST /admin/ip-pools/{id}/move`.
#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    address: String,
    #[serde(default)]
    vm: String,
}

/// `POST /admin/ip-pools/{id}/move`: give an address to another VM.
pub async fn pool_move_post(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
    Path(id): Path<u64>,
    CsrfForm(f): CsrfForm<MoveForm>,
) -> Result<Response, WebError> {
    let back = format!("/admin/ip-pools/{id}");
    let (Ok(addr), Ok(vm)) = (f.address.trim().parse::<std::net::IpAddr>(), f.vm.trim().parse::<u64>())
    else {
        return Ok(redirect_with_flash(
            &back,
            FlashKind::Error,
            "Give the number of the VM to move the address to (WEB0400)",
        ));
    };
    match state.svc.vms.move_ipv4(addr, crate::domain::vm::VmId(vm), &caller).await {
        Ok(()) => Ok(redirect_with_flash(&back, FlashKind::Ok, &format!("{addr} moved to VM {vm}."))),
        Err(e) if e.is_user_error() => Ok(redirect_with_flash(
            &back,
            FlashKind::Error,
            &format!("{} ({})", ctx.error_text(&e), e.code()),
        )),
        Err(e) => Err(e.into()),
    }
}
