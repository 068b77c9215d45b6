//! Admin: public IP pools (list with use, add, remove) and each pool's assigned addresses.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::admin::{admin_tabs, crumb_admin};
use crate::domain::ipam::{PoolId, PoolSpec, Unit};
use crate::i18n::Msg;
use crate::service::Coded;
use crate::service::ipam::{PoolText, PoolView};
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, FlashKind, redirect_with_flash};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, form_error, page};

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

/// What a pool hands out, in words: `254 addresses`, `65536 /64s`.
fn size_words(ctx: &Ctx, spec: &PoolSpec) -> String {
    let unit = if spec.unit == Unit::Prefix64 { "prefix" } else { "address" };
    ctx.fmt_string(Msg::AdminPoolSize, &[("unit", unit.into()), ("n", spec.size().to_string().into())])
}

fn render_pools(ctx: &Ctx, list: &[PoolView], form: &PoolForm, notice: Option<Markup>) -> Markup {
    let t = |m| ctx.t(m);
    page(
        ctx,
        t(Msg::AdminTabPools),
        &[crumb_admin(ctx), (t(Msg::AdminTabPools), "/admin/ip-pools")],
        html! {
            h1 { (t(Msg::AdminPoolsTitle)) }
            (admin_tabs(ctx, "/admin/ip-pools"))
            @if list.is_empty() {
                p.muted { (ctx.fmt(Msg::AdminPoolsNone, &[("command", "vpsbox ip-pool add".into())])) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th { (t(Msg::AdminName)) } th { (t(Msg::AdminColNetwork)) } th { (t(Msg::AdminColGateway)) } th { (t(Msg::AdminColHandsOut)) }
                        th { (t(Msg::AdminColAssigned)) } th { (t(Msg::AdminColResting)) } th { (t(Msg::AdminColDns)) } th { (t(Msg::AdminColActions)) }
                    } }
                    tbody {
                        @for v in list {
                            @let p = &v.pool;
                            tr {
                                td { a href={ "/admin/ip-pools/" (p.id) } { strong { (p.name) } } }
                                td { code { (p.spec.network) } }
                                td { code { (p.spec.gateway) } }
                                td { (size_words(ctx, &p.spec)) }
                                td { (v.leased) }
                                td { (v.cooling) }
                                td { @for (i, d) in p.spec.dns.iter().enumerate() { @if i > 0 { ", " } code { (d) } } }
                                td {
                                    form.inline method="post" action={ "/admin/ip-pools/" (p.id) "/remove" } {
                                        (csrf_field(ctx))
                                        button.secondary type="submit" { (t(Msg::AdminRemove)) }
                                    }
                                }
                            }
                        }
                    }
                } }
            }
            div.panel {
                h2 { (t(Msg::AdminAddPoolTitle)) }
                p.hint { (t(Msg::AdminAddPoolHint)) }
                @if let Some(n) = notice { (n) }
                form method="post" action="/admin/ip-pools" {
                    (csrf_field(ctx))
                    label for="name" { (t(Msg::AdminName)) }
                    input #name type="text" name="name" value=(form.name) placeholder="public-v4" required;
                    label for="network" { (t(Msg::AdminNetworkCidr)) }
                    input #network type="text" name="network" value=(form.network) placeholder="203.0.113.0/24 or 2001:db8:100::/48" required;
                    label for="gateway" { (t(Msg::AdminGateway)) }
                    input #gateway type="text" name="gateway" value=(form.gateway) placeholder="203.0.113.1 or fe80::1" required;
                    label for="range" { (t(Msg::AdminHandOutOnly)) }
                    input #range type="text" name="range" value=(form.range) placeholder="203.0.113.10-203.0.113.250";
                    label for="exclude" { (t(Msg::AdminNeverHandOut)) }
                    textarea #exclude name="exclude" rows="2" { (form.exclude) }
                    label for="dns" { (t(Msg::AdminDnsServers)) }
                    input #dns type="text" name="dns" value=(form.dns) placeholder="203.0.113.53";
                    label for="per_vm" { (t(Msg::AdminIpv6Each)) }
                    select #per_vm name="per_vm" {
                        option value="" selected[form.per_vm.is_empty()] { (t(Msg::AdminIpv6Prefix)) }
                        option value="128" selected[form.per_vm == "128"] { (t(Msg::AdminIpv6Single)) }
                    }
                    div.actions { button type="submit" { (t(Msg::AdminAddPool)) } }
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
            &ctx.fmt_string(
                Msg::AdminPoolAdded,
                &[
                    ("name", p.name.as_str().into()),
                    ("unit", (if p.spec.unit == Unit::Prefix64 { "prefix" } else { "address" }).into()),
                    ("n", p.spec.size().to_string().into()),
                ],
            ),
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
            let text = ctx.fmt_string(Msg::AdminPoolRemoved, &[("name", p.name.as_str().into())]);
            Ok(redirect_with_flash("/admin/ip-pools", FlashKind::Ok, &text))
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
    let t = |m| ctx.t(m);
    let unit = if p.spec.unit == Unit::Prefix64 { "prefix" } else { "address" };
    let body = html! {
        h1 { (ctx.fmt(Msg::AdminPoolTitle, &[("name", p.name.as_str().into())])) }
        (admin_tabs(&ctx, "/admin/ip-pools"))
        p { code { (p.spec.network) } " · " (ctx.fmt(Msg::AdminPoolLine, &[
            ("gateway", p.spec.gateway.to_string().into()), ("unit", unit.into()),
            ("n", p.spec.size().to_string().into()), ("assigned", leases.len().into()),
        ])) }
        @if leases.is_empty() {
            p.muted { (t(Msg::AdminPoolNothing)) }
        } @else {
            div.table-wrap { table {
                thead { tr {
                    th { (t(Msg::AdminColAddress)) } th { (t(Msg::AdminColAccount)) } th { (t(Msg::AdminColVm)) }
                    th { (t(Msg::AdminColSince)) } th { (t(Msg::AdminColPtr)) } th { (t(Msg::AdminColMove)) }
                } }
                tbody {
                    @for (lease, rec) in &leases {
                        tr {
                            td { code { (lease.address.0) "/" (lease.address.1) } }
                            td { a href={ "/admin/users/" (rec.owner) "/quota" } { (rec.owner) } }
                            td { @if let Some(vm) = rec.vm { a href={ "/admin/vms/" (vm) } { (vm) } } @else { span.muted { (t(Msg::AdminUnattached)) } } }
                            td { (ctx.time(rec.since)) }
                            td { @if let Some(ptr) = &rec.ptr { code { (ptr) } } @else { span.muted { "—" } } }
                            td {
                                @if lease.address.0.is_ipv4() {
                                    form.inline method="post" action={ (href) "/move" } {
                                        (csrf_field(&ctx))
                                        input type="hidden" name="address" value=(lease.address.0);
                                        input type="text" name="vm" inputmode="numeric" size="6" aria-label=(ctx.fmt_string(Msg::AdminMoveLabel, &[("address", lease.address.0.to_string().into())]));
                                        button.secondary type="submit" { (t(Msg::AdminMove)) }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
        }
    };
    let crumbs = [crumb_admin(&ctx), (t(Msg::AdminTabPools), "/admin/ip-pools"), (&p.name, &href)];
    Ok(page(&ctx, &p.name, &crumbs, body).into_response())
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
        return Ok(redirect_with_flash(&back, FlashKind::Error, ctx.t(Msg::AdminMoveWhich)));
    };
    match state.svc.vms.move_ipv4(addr, crate::domain::vm::VmId(vm), &caller).await {
        Ok(()) => {
            let text =
                ctx.fmt_string(Msg::AdminMoved, &[("address", addr.to_string().into()), ("vm", vm.into())]);
            Ok(redirect_with_flash(&back, FlashKind::Ok, &text))
        }
        Err(e) if e.is_user_error() => Ok(redirect_with_flash(
            &back,
            FlashKind::Error,
            &format!("{} ({})", ctx.error_text(&e), e.code()),
        )),
        Err(e) => Err(e.into()),
    }
}
