//! A customer's own ISO images (`/isos`): the list with delete, and the upload form. The
//! upload is `multipart/form-data` read as a stream, field by field: the CSRF token must come
//! first (it is checked before a byte of the file is written), then the name, then the file,
//! written to disk chunk by chunk and cut off at the size limit or the quota's room.

use axum::extract::{FromRequest, Path, Request, State};
use axum::response::{IntoResponse, Response};
use maud::html;

use crate::i18n::Msg;
use crate::service::isos::IsoError;
use crate::web::AppState;
use crate::web::ctx::{Customer, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::{CsrfForm, check_csrf, checked_ctx};
use crate::web::layout::{csrf_field, page};

/// `GET /isos`.
pub async fn isos_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    let own = state.svc.isos.own(s.user.id)?;
    let uploads = state.svc.isos.uploads();
    let (limits, used) = state.svc.quotas.overview(s.user.id)?;
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::IsosTitle)) }
        p.hint { (t(Msg::IsosHint)) }
        @if own.is_empty() { p.muted { (t(Msg::IsosNone)) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { (t(Msg::IsosColName)) } th { (t(Msg::IsosColSize)) } th { (t(Msg::IsosColUploaded)) }
                    th { (t(Msg::IsosColInUse)) } th { "" }
                } }
                tbody { @for (iso, users) in &own { tr {
                    td { strong { (iso.name) } br; span.muted { code { "sha256:" (iso.sha256.get(..16).unwrap_or("")) "…" } } }
                    td { (ctx.lang.bytes(iso.size)) }
                    td { (ctx.time(iso.imported_at)) }
                    td { (users) }
                    td { @if *users == 0 {
                        form.inline method="post" action={ "/isos/" (iso.id) "/delete" } {
                            (csrf_field(&ctx)) button.danger type="submit" { (t(Msg::IsosDelete)) }
                        }
                    } }
                } } }
            } }
        }
        p { (ctx.fmt(Msg::IsosQuota, &[("used", used.iso_gb.into()), ("limit", limits.iso_gb.into())])) }
        @if uploads.enabled {
            div.panel {
                h2 { (t(Msg::IsosUploadTitle)) }
                p.hint { (ctx.fmt(Msg::IsosUploadHint, &[("max", (uploads.max_bytes >> 20).into())])) }
                form method="post" action="/isos" enctype="multipart/form-data" {
                    // First: the token is read before the file.
                    (csrf_field(&ctx))
                    label for="iso-name" { (t(Msg::IsosName)) }
                    input #iso-name type="text" name="name" placeholder="my-installer" required;
                    label for="iso-file" { (t(Msg::IsosFile)) }
                    input #iso-file type="file" name="file" accept=".iso,application/x-iso9660-image" required;
                    div.actions { button type="submit" { (t(Msg::IsosUpload)) } }
                }
            }
        }
    };
    Ok(page(&ctx, t(Msg::IsosTitle), &[(t(Msg::IsosTitle), "/isos")], body).into_response())
}

/// The next text field of `mp`, which must be `name`.
async fn text_field(mp: &mut axum::extract::Multipart, name: &str) -> Result<String, WebError> {
    let field = mp.next_field().await.map_err(multipart_error)?.ok_or_else(|| missing(name))?;
    if field.name() != Some(name) || field.file_name().is_some() {
        return Err(missing(name));
    }
    field.text().await.map_err(multipart_error)
}

fn missing(name: &str) -> WebError {
    WebError::BadRequest(format!("the form's fields come in this order: csrf, name, file; {name} is missing"))
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> WebError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        WebError::TooLarge
    } else {
        WebError::BadRequest(e.body_text())
    }
}

/// `POST /isos`: the upload.
pub async fn upload_post(
    State(state): State<AppState>,
    Customer(_, s, _): Customer,
    req: Request,
) -> Result<Response, WebError> {
    let ctx = checked_ctx(&req, &state)?;
    let mut mp = axum::extract::Multipart::from_request(req, &state)
        .await
        .map_err(|e| WebError::BadRequest(e.body_text()))?;
    check_csrf(&text_field(&mut mp, "csrf").await?, &ctx)?;
    let name = text_field(&mut mp, "name").await?;
    let mut field = match mp.next_field().await.map_err(multipart_error)? {
        Some(f) if f.name() == Some("file") => f,
        _ => return refused(&ctx, "/isos", IsoError::NoFile),
    };
    let owner = s.user.id;
    let mut upload = match state.svc.isos.begin_upload(owner).await {
        Ok(u) => u,
        Err(e) => return refused(&ctx, "/isos", e),
    };
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if let Err(e) = upload.write(&chunk).await {
                    upload.abort().await;
                    return refused(&ctx, "/isos", e);
                }
            }
            Ok(None) => break,
            Err(e) => {
                upload.abort().await;
                return Err(multipart_error(e));
            }
        }
    }
    match state.svc.isos.finish_upload(upload, owner, &name).await {
        Ok(rec) => Ok(redirect_with_flash(
            "/isos",
            FlashKind::Ok,
            &ctx.fmt_string(Msg::IsosUploaded, &[("iso", rec.name.as_str().into())]),
        )),
        Err(e) => refused(&ctx, "/isos", e),
    }
}

/// `POST /isos/{id}/delete`.
pub async fn delete_post(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    match state.svc.isos.delete_own(s.user.id, id).await {
        Ok(rec) => Ok(redirect_with_flash(
            "/isos",
            FlashKind::Ok,
            &ctx.fmt_string(Msg::IsosDeleted, &[("iso", rec.name.as_str().into())]),
        )),
        Err(IsoError::NotFound(_)) => Err(WebError::NotFound),
        Err(e) => refused(&ctx, "/isos", e),
    }
}
