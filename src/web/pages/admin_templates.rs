//! Admin: OS templates (list, import from a path on the host, enable/disable, delete).

use crate::service::Coded;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::admin::{admin_tabs, crumb_admin};
use crate::domain::catalog::TemplateId;
use crate::i18n::Msg;
use crate::service::templates::ImportRequest;
use crate::store::isos::IsoRecord;
use crate::store::records::TemplateRecord;
use crate::store::rescue::RescueImage;
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, form_error, form_error_text, page};

/// Bytes as GiB with one decimal.
pub fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / f64::from(1u32 << 30))
}

/// What the page shows: the templates, and the rescue images with how many servers in rescue
/// run on each (the newest is current).
struct TemplatesPage {
    list: Vec<TemplateRecord>,
    rescue: Vec<(RescueImage, usize)>,
    isos: Vec<(IsoRecord, usize)>,
}

fn load(state: &AppState) -> Result<TemplatesPage, WebError> {
    Ok(TemplatesPage {
        list: state.svc.templates.list()?,
        rescue: state.svc.rescue_images.list()?,
        isos: state.svc.isos.list()?,
    })
}

fn render_templates(ctx: &Ctx, m: &TemplatesPage, notice: Option<Markup>) -> Markup {
    let list = &m.list;
    let t = |m| ctx.t(m);
    page(
        ctx,
        t(Msg::AdminTabTemplates),
        &[crumb_admin(ctx), (t(Msg::AdminTabTemplates), "/admin/templates")],
        html! {
            h1 { (t(Msg::AdminTemplatesTitle)) }
            (admin_tabs(ctx, "/admin/templates"))
            @if let Some(n) = notice { (n) }
            @if list.is_empty() {
                p.muted { (ctx.fmt(Msg::AdminTemplatesNone, &[("command", "vpsbox template import NAME FILE".into())])) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th { (t(Msg::AdminName)) } th { (t(Msg::AdminColOs)) } th { (t(Msg::AdminColFormat)) } th { (t(Msg::AdminColVirtualSize)) }
                        th { (t(Msg::AdminColMinDisk)) } th { (t(Msg::AdminColLogin)) } th { "SHA-256" } th { (t(Msg::AdminColStatus)) } th { (t(Msg::AdminColActions)) }
                    } }
                    tbody {
                        @for tp in list {
                            tr {
                                td { strong { (tp.name) } }
                                td { (ctx.fmt(Msg::OsFamily, &[("os", tp.os.as_str().into())])) }
                                td { (tp.format.as_str()) }
                                td { (ctx.fmt(Msg::AdminGib, &[("n", ctx.lang.gib(tp.virtual_size).into())])) }
                                td { (ctx.fmt(Msg::AdminGib, &[("n", tp.min_disk_gb.into())])) }
                                td { "root" @if let Some(u) = &tp.login_user { ", " code { (u) } } }
                                td { code title=(tp.sha256) { (tp.sha256.get(..12).unwrap_or("")) "…" } }
                                td { @if tp.enabled { span.badge.ok { (t(Msg::AdminEnabledBadge)) } } @else { span.badge.muted { (t(Msg::AdminDisabled)) } } }
                                td {
                                    form.inline method="post" action={ "/admin/templates/" (tp.id) "/status" } {
                                        (csrf_field(ctx))
                                        input type="hidden" name="enabled" value=(if tp.enabled { "false" } else { "true" });
                                        button.secondary type="submit" { (t(if tp.enabled { Msg::AdminDisable } else { Msg::AdminEnable })) }
                                    }
                                    " "
                                    form.inline method="post" action={ "/admin/templates/" (tp.id) "/delete" } {
                                        (csrf_field(ctx))
                                        button.secondary type="submit" { (t(Msg::AdminDelete)) }
                                    }
                                }
                            }
                        }
                    }
                } }
            }
            (render_rescue(ctx, &m.rescue))
            (render_isos(ctx, &m.isos))
            div.panel {
                h2 { (t(Msg::AdminImportTitle)) }
                p.hint { (t(Msg::AdminImportHint)) }
                form method="post" action="/admin/templates" {
                    (csrf_field(ctx))
                    label for="name" { (t(Msg::AdminName)) }
                    input #name type="text" name="name" placeholder="debian-12" required;
                    label for="path" { (t(Msg::AdminImagePath)) }
                    input #path type="text" name="path" placeholder="/srv/images/debian-12.qcow2" required;
                    label for="os" { (t(Msg::AdminOsFamily)) }
                    select #os name="os" {
                        @for os in ["linux", "bsd", "windows"] { option value=(os) { (ctx.fmt(Msg::OsFamily, &[("os", os.into())])) } }
                    }
                    label for="min_disk_gb" { (t(Msg::AdminMinDiskOptional)) }
                    input #min_disk_gb type="text" name="min_disk_gb" inputmode="numeric";
                    label for="login_user" { (t(Msg::AdminLoginUserOptional)) }
                    input #login_user type="text" name="login_user" placeholder="debian, ubuntu, almalinux";
                    p.hint { (t(Msg::AdminLoginUserHint)) }
                    div.actions { button type="submit" { (t(Msg::AdminImport)) } }
                }
            }
        },
    )
}

/// The rescue system: the image servers boot into rescue now, older ones still in use, and the
/// form that imports a new one from a host path.
fn render_rescue(ctx: &Ctx, images: &[(RescueImage, usize)]) -> Markup {
    let t = |m| ctx.t(m);
    let current = images.last().map(|(i, _)| i.id);
    html! {
        div.panel #rescue-system {
            h2 { (t(Msg::AdminRescueTitle)) }
            p.hint { (ctx.fmt(Msg::AdminRescueHint, &[("command", "vpsbox rescue import FILE".into()), ("script", "scripts/build-rescue-image.sh".into())])) }
            @if images.is_empty() {
                p.muted { (t(Msg::AdminRescueNone)) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th { "#" } th { (t(Msg::AdminColFormat)) } th { (t(Msg::AdminColVirtualSize)) }
                        th { (t(Msg::AdminRescueImported)) } th { "SHA-256" } th { (t(Msg::AdminRescueInUse)) } th { (t(Msg::AdminColStatus)) }
                    } }
                    tbody {
                        @for (img, n) in images {
                            tr {
                                td { (img.id) }
                                td { (img.format.as_str()) }
                                td { (ctx.fmt(Msg::AdminGib, &[("n", ctx.lang.gib(img.virtual_size).into())])) }
                                td { (ctx.time(img.imported_at)) }
                                td { code title=(img.sha256) { (img.sha256.get(..12).unwrap_or("")) "…" } }
                                td { (n) }
                                td { @if Some(img.id) == current { span.badge.ok { (t(Msg::AdminRescueCurrent)) } } }
                            }
                        }
                    }
                } }
            }
            form method="post" action="/admin/templates/rescue" {
                (csrf_field(ctx))
                label for="rescue-path" { (t(Msg::AdminImagePath)) }
                input #rescue-path type="text" name="path" placeholder="/srv/images/vpsbox-rescue.qcow2" required;
                div.actions { button.secondary type="submit" { (t(Msg::AdminRescueImport)) } }
            }
        }
    }
}

/// The ISO images customers may put in their servers' CD-ROM drives, and the form that
/// publishes one from a host path.
fn render_isos(ctx: &Ctx, isos: &[(IsoRecord, usize)]) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        div.panel #isos {
            h2 { (t(Msg::AdminIsosTitle)) }
            p.hint { (ctx.fmt(Msg::AdminIsosHint, &[("command", "vpsbox iso import NAME FILE".into())])) }
            @if isos.is_empty() {
                p.muted { (t(Msg::AdminIsosNone)) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th { (t(Msg::AdminName)) } th { (t(Msg::AdminIsosSize)) } th { (t(Msg::AdminRescueImported)) }
                        th { "SHA-256" } th { (t(Msg::AdminIsosInUse)) } th { (t(Msg::AdminColActions)) }
                    } }
                    tbody {
                        @for (iso, n) in isos {
                            tr {
                                td { strong { (iso.name) } }
                                td { (ctx.fmt(Msg::AdminGib, &[("n", ctx.lang.gib(iso.size).into())])) }
                                td { (ctx.time(iso.imported_at)) }
                                td { code title=(iso.sha256) { (iso.sha256.get(..12).unwrap_or("")) "…" } }
                                td { (n) }
                                td {
                                    form.inline method="post" action={ "/admin/templates/isos/" (iso.id) "/delete" } {
                                        (csrf_field(ctx))
                                        button.secondary type="submit" { (t(Msg::AdminDelete)) }
                                    }
                                }
                            }
                        }
                    }
                } }
            }
            form method="post" action="/admin/templates/isos" {
                (csrf_field(ctx))
                label for="iso-name" { (t(Msg::AdminName)) }
                input #iso-name type="text" name="name" placeholder="debian-12-netinst" required;
                label for="iso-path" { (t(Msg::AdminImagePath)) }
                input #iso-path type="text" name="path" placeholder="/srv/images/debian-12.8.0-amd64-netinst.iso" required;
                div.actions { button.secondary type="submit" { (t(Msg::AdminIsosImport)) } }
            }
        }
    }
}

/// Body of `POST /admin/templates/isos`.
#[derive(Deserialize)]
pub struct IsoForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    path: String,
}

/// `POST /admin/templates/isos`: publish an ISO image from a host path.
pub async fn iso_import_post(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    CsrfForm(f): CsrfForm<IsoForm>,
) -> Result<Response, WebError> {
    match state.svc.isos.import(f.path.trim().into(), f.name).await {
        Ok(iso) => Ok(redirect_with_flash(
            "/admin/templates",
            FlashKind::Ok,
            &ctx.fmt_string(Msg::AdminIsosImported, &[("iso", iso.name.as_str().into())]),
        )),
        Err(e) if e.is_user_error() || matches!(e, crate::service::isos::IsoError::Image(_)) => {
            let notice = form_error(&ctx, &e);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render_templates(&ctx, &load(&state)?, Some(notice)))
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/templates/isos/{id}/delete` (refused while a server has it in its drive).
pub async fn iso_delete_post(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    match state.svc.isos.delete(id).await {
        Ok(iso) => Ok(redirect_with_flash(
            "/admin/templates",
            FlashKind::Ok,
            &ctx.fmt_string(Msg::AdminIsosDeleted, &[("iso", iso.name.as_str().into())]),
        )),
        Err(e) if e.is_user_error() => refused(&ctx, "/admin/templates", e),
        Err(e) => Err(e.into()),
    }
}

/// Body of `POST /admin/templates/rescue`.
#[derive(Deserialize)]
pub struct RescueForm {
    #[serde(default)]
    path: String,
}

/// `POST /admin/templates/rescue`: import a rescue image from a host path; servers entering
/// rescue boot it from now on.
pub async fn rescue_import_post(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    CsrfForm(f): CsrfForm<RescueForm>,
) -> Result<Response, WebError> {
    match state.svc.rescue_images.import(f.path.trim().into()).await {
        Ok(img) => Ok(redirect_with_flash(
            "/admin/templates",
            FlashKind::Ok,
            &ctx.fmt_string(Msg::AdminRescueImportedDone, &[("id", img.id.into())]),
        )),
        Err(e) if e.is_user_error() || matches!(e, crate::service::rescue::RescueImageError::Image(_)) => {
            let notice = form_error(&ctx, &e);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render_templates(&ctx, &load(&state)?, Some(notice)))
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/templates`.
pub async fn templates_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
) -> Result<Response, WebError> {
    Ok(render_templates(&ctx, &load(&state)?, None).into_response())
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
                let notice = form_error_text(&ctx, ctx.t(Msg::AdminMinDiskWhole), "WEB0400");
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    render_templates(&ctx, &load(&state)?, Some(notice)),
                )
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
            &ctx.fmt_string(
                Msg::AdminTemplateImported,
                &[
                    ("name", t.name.as_str().into()),
                    ("format", t.format.as_str().into()),
                    (
                        "size",
                        ctx.fmt_string(Msg::AdminGib, &[("n", ctx.lang.gib(t.virtual_size).into())]).into(),
                    ),
                ],
            ),
        )),
        Err(e) if e.is_user_error() || matches!(e, crate::service::TemplateError::Image(_)) => {
            let notice = form_error(&ctx, &e);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render_templates(&ctx, &load(&state)?, Some(notice)))
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
    Admin(ctx, ..): Admin,
    Path(id): Path<u64>,
    CsrfForm(f): CsrfForm<StatusForm>,
) -> Result<Response, WebError> {
    let t = state.svc.templates.set_enabled(TemplateId(id), f.enabled).await?;
    let msg = if t.enabled { Msg::AdminTemplateEnabled } else { Msg::AdminTemplateDisabled };
    let text = ctx.fmt_string(msg, &[("name", t.name.as_str().into())]);
    Ok(redirect_with_flash("/admin/templates", FlashKind::Ok, &text))
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
            &ctx.fmt_string(Msg::AdminTemplateDeleted, &[("name", t.name.as_str().into())]),
        )),
        Err(e) if e.is_user_error() => Ok(redirect_with_flash(
            "/admin/templates",
            FlashKind::Error,
            &format!("{} ({})", ctx.error_text(&e), e.code()),
        )),
        Err(e) => Err(e.into()),
    }
}
