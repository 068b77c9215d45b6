//! Admin: OS templates (list, import from a path on the host, enable/disable, delete).

use crate::service::Coded;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::admin::{CRUMB_ADMIN, admin_tabs};
use crate::domain::catalog::TemplateId;
use crate::service::templates::ImportRequest;
use crate::store::records::TemplateRecord;
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, FlashKind, redirect_with_flash};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, form_error, form_error_text, page};

/// Bytes as GiB with one decimal.
pub fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / f64::from(1u32 << 30))
}

fn render_templates(ctx: &Ctx, list: &[TemplateRecord], notice: Option<Markup>) -> Markup {
    page(
        ctx,
        "Templates",
        &[CRUMB_ADMIN, ("Templates", "/admin/templates")],
        html! {
            h1 { "OS templates" }
            (admin_tabs("/admin/templates"))
            @if let Some(n) = notice { (n) }
            @if list.is_empty() {
                p.muted { "No templates yet. Import one below or with " code { "vpsbox template import NAME FILE" } "." }
            } @else {
                div.table-wrap { table {
                    thead { tr { th { "Name" } th { "OS" } th { "Format" } th { "Virtual size" } th { "Min disk" } th { "Login" } th { "SHA-256" } th { "Status" } th { "Actions" } } }
                    tbody {
                        @for t in list {
                            tr {
                                td { strong { (t.name) } }
                                td { (t.os.as_str()) }
                                td { (t.format.as_str()) }
                                td { (gib(t.virtual_size)) }
                                td { (t.min_disk_gb) " GiB" }
                                td { "root" @if let Some(u) = &t.login_user { ", " code { (u) } } }
                                td { code title=(t.sha256) { (t.sha256.get(..12).unwrap_or("")) "…" } }
                                td { @if t.enabled { span.badge.ok { "enabled" } } @else { span.badge.muted { "disabled" } } }
                                td {
                                    form.inline method="post" action={ "/admin/templates/" (t.id) "/status" } {
                                        (csrf_field(ctx))
                                        input type="hidden" name="enabled" value=(if t.enabled { "false" } else { "true" });
                                        button.secondary type="submit" { (if t.enabled { "Disable" } else { "Enable" }) }
                                    }
                                    " "
                                    form.inline method="post" action={ "/admin/templates/" (t.id) "/delete" } {
                                        (csrf_field(ctx))
                                        button.secondary type="submit" { "Delete" }
                                    }
                                }
                            }
                        }
                    }
                } }
            }
            div.panel {
                h2 { "Import a template" }
                p.hint { "A qcow2 or raw image already on this host, readable by the vpsbox service. It is copied into the templates directory; the original stays." }
                form method="post" action="/admin/templates" {
                    (csrf_field(ctx))
                    label for="name" { "Name" }
                    input #name type="text" name="name" placeholder="debian-12" required;
                    label for="path" { "Image path on the host" }
                    input #path type="text" name="path" placeholder="/srv/images/debian-12.qcow2" required;
                    label for="os" { "OS family" }
                    select #os name="os" { option value="linux" { "linux" } option value="bsd" { "bsd" } option value="windows" { "windows" } }
                    label for="min_disk_gb" { "Minimum disk, GiB (optional)" }
                    input #min_disk_gb type="text" name="min_disk_gb" inputmode="numeric";
                    label for="login_user" { "Image's login user (optional)" }
                    input #login_user type="text" name="login_user" placeholder="debian, ubuntu, almalinux";
                    p.hint { "The user the image's makers log in as. Customers' SSH keys go to it (with sudo) as well as to root." }
                    div.actions { button type="submit" { "Import" } }
                }
            }
        },
    )
}

/// `GET /admin/templates`.
pub async fn templates_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
) -> Result<Response, WebError> {
    let list = state.svc.templates.list()?;
    Ok(render_templates(&ctx, &list, None).into_response())
}

/// Body of `POST /admin/templates`.
#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    os: String,
    #[serde(default)]
    min_disk_gb: String,
    #[serde(default)]
    login_user: String,
}

/// `POST /admin/templates`: import from a host path.
pub async fn template_import_post(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    CsrfForm(f): CsrfForm<ImportForm>,
) -> Result<Response, WebError> {
    let min_disk_gb = match f.min_disk_gb.trim() {
        "" => None,
        n => match n.parse::<u32>() {
            Ok(v) => Some(v),
            Err(_) => {
                let list = state.svc.templates.list()?;
                let notice =
                    form_error_text(&ctx, "The minimum disk must be a whole number of GiB", "WEB0400");
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, render_templates(&ctx, &list, Some(notice)))
                    .into_response());
            }
        },
    };
    let login_user = Some(f.login_user).filter(|u| !u.trim().is_empty());
    let req = ImportRequest { name: f.name, os: f.os, min_disk_gb, login_user };
    match state.svc.templates.import(f.path.trim().into(), req).await {
        Ok(t) => Ok(redirect_with_flash(
            "/admin/templates",
            FlashKind::Ok,
            &format!("Template {} imported ({}, {}).", t.name, t.format.as_str(), gib(t.virtual_size)),
        )),
        Err(e) if e.is_user_error() || matches!(e, crate::service::TemplateError::Image(_)) => {
            let list = state.svc.templates.list()?;
            let notice = form_error(&ctx, &e);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render_templates(&ctx, &list, Some(notice)))
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Body of `POST /admin/templates/{id}/status`.
#[derive(Deserialize)]
pub struct StatusForm {
    enabled: bool,
}

/// `POST /admin/templates/{id}/status`.
pub async fn template_status_post(
    State(state): State<AppState>,
    Admin(..): Admin,
    Path(id): Path<u64>,
    CsrfForm(f): CsrfForm<StatusForm>,
) -> Result<Response, WebError> {
    let t = state.svc.templates.set_enabled(TemplateId(id), f.enabled).await?;
    let what = if t.enabled { "enabled: customers can order it" } else { "disabled: no new VMs from it" };
    Ok(redirect_with_flash("/admin/templates", FlashKind::Ok, &format!("Template {} {what}.", t.name)))
}

/// `POST /admin/templates/{id}/delete`.
pub async fn template_delete_post(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    let t = state.svc.templates.get(TemplateId(id))?;
    match state.svc.templates.delete(t.id).await {
        Ok(()) => Ok(redirect_with_flash(
            "/admin/templates",
            FlashKind::Ok,
            &format!("Template {} deleted.", t.name),
        )),
        Err(e) if e.is_user_error() => Ok(redirect_with_flash(
            "/admin/templates",
            FlashKind::Error,
            &format!("{} ({})", ctx.error_text(&e), e.code()),
        )),
        Err(e) => Err(e.into()),
    }
}
