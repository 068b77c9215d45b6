//! Extra disks in the cabinet: the list with create, grow and delete. Disks are attached and
//! detached from a server's page.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use crate::domain::disk::{DiskId, MAX_DISK_GB, serial_of, target_of};
use crate::i18n::Msg;
use crate::service::disks::DiskError;
use crate::service::vms::VmError;
use crate::web::AppState;
use crate::web::ctx::{Customer, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

/// `GET /disks`.
pub async fn disks_get(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
) -> Result<Response, WebError> {
    let disks = state.svc.disks.list(s.user.id)?;
    let mut rows = Vec::with_capacity(disks.len());
    for d in &disks {
        let on = match d.attached {
            Some((vm, slot)) => state.svc.vms.get(&caller, vm).ok().map(|v| (v, slot)),
            None => None,
        };
        rows.push((d, on));
    }
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::DisksTitle)) }
        p.hint { (t(Msg::DisksHint)) }
        @if rows.is_empty() { p.muted { (t(Msg::DisksNone)) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { (t(Msg::DisksColName)) } th { (t(Msg::DisksColSize)) } th { (t(Msg::DisksColAttached)) }
                    th { (t(Msg::DisksColGrow)) } th { "" }
                } }
                tbody { @for (d, on) in &rows { tr {
                    td { strong { (d.name) } br; span.muted { code { "virtio-" (serial_of(d.id)) } } }
                    td { (ctx.fmt(Msg::UnitGib, &[("n", d.size_gb.into())])) }
                    td {
                        @if let Some((vm, slot)) = on {
                            a href={ "/vms/" (vm.id) } { (vm.hostname) } " " (t(Msg::DisksAttachedAs)) " " code { "/dev/" (target_of(*slot)) }
                        } @else { span.muted { (t(Msg::DisksNotAttached)) } }
                    }
                    td { form.inline method="post" action={ "/disks/" (d.id) "/grow" } {
                        (csrf_field(&ctx))
                        input type="number" name="size_gb" min=(d.size_gb + 1) max=(MAX_DISK_GB) value=(d.size_gb + 1) aria-label=(ctx.fmt(Msg::DisksNewSize, &[("disk", d.name.as_str().into())]));
                        button.secondary type="submit" { (t(Msg::DisksGrow)) }
                    } }
                    td { @if on.is_none() && d.attached.is_none() {
                        form.inline method="post" action={ "/disks/" (d.id) "/delete" } {
                            (csrf_field(&ctx)) button.danger type="submit" { (t(Msg::DisksDelete)) }
                        }
                    } }
                } } }
            } }
            p.hint { (t(Msg::DisksGrowHint)) }
        }
        div.panel {
            h2 { (t(Msg::DisksCreateTitle)) }
            form method="post" action="/disks" {
                (csrf_field(&ctx))
                label for="name" { (t(Msg::DisksName)) }
                input #name type="text" name="name" placeholder="data" required;
                label for="size_gb" { (t(Msg::DisksSize)) }
                input #size_gb type="number" name="size_gb" min="1" max=(MAX_DISK_GB) value="10" required;
                div.actions { button type="submit" { (t(Msg::DisksCreate)) } }
            }
        }
    };
    Ok(page(&ctx, t(Msg::DisksTitle), &[(t(Msg::DisksTitle), "/disks")], body).into_response())
}

/// Body of the disk forms.
#[derive(Deserialize)]
pub struct DiskForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    size_gb: String,
}

/// `POST /disks`.
pub async fn disk_create_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    CsrfForm(f): CsrfForm<DiskForm>,
) -> Result<Response, WebError> {
    match state.svc.disks.create(s.user.id, &f.name, &f.size_gb, &caller).await {
        Ok(_) => Ok(redirect_with_flash("/disks", FlashKind::Ok, ctx.t(Msg::DisksCreated))),
        Err(e) => refused(&ctx, "/disks", e),
    }
}

/// `POST /disks/{id}/grow`.
pub async fn disk_grow_post(
    State(state): State<AppState>,
    Customer(ctx, _, caller): Customer,
    Path(id): Path<u64>,
    CsrfForm(f): CsrfForm<DiskForm>,
) -> Result<Response, WebError> {
    match state.svc.vms.grow_disk(&caller, DiskId(id), &f.size_gb).await {
        Ok(d) => Ok(redirect_with_flash(
            "/disks",
            FlashKind::Ok,
            &ctx.fmt_string(Msg::DisksGrown, &[("disk", d.name.as_str().into()), ("size", d.size_gb.into())]),
        )),
        Err(VmError::Disk(DiskError::NotFound)) => Err(WebError::NotFound),
        Err(e) => refused(&ctx, "/disks", e),
    }
}

/// `POST /disks/{id}/delete`.
pub async fn disk_delete_post(
    State(state): State<AppState>,
    Customer(ctx, _, caller): Customer,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    match state.svc.disks.delete(&caller, DiskId(id)).await {
        Ok(()) => Ok(redirect_with_flash("/disks", FlashKind::Ok, ctx.t(Msg::DisksDeleted))),
        Err(DiskError::NotFound) => Err(WebError::NotFound),
        Err(e) => refused(&ctx, "/disks", e),
    }
}
