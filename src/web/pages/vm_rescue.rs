//! Rescue mode on the server's page: the panel that boots the rescue system, the banner while
//! the server is in it (also on the consoles), and leaving it. The rescue system's one-time
//! root password is shown once, on the answer to the form (never kept, never in a cookie).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::store::rescue::RescueRecord;
use crate::web::AppState;
use crate::web::ctx::{Ctx, Door, PathId};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::csrf_field;

/// The banner of a server in rescue: since when, how to log in, where its disks are; with the
/// button that leaves rescue when `actions`.
pub fn rescue_banner(ctx: &Ctx, base: &str, id: VmId, r: &RescueRecord, actions: bool) -> Markup {
    html! {
        div.panel.rescue #rescue {
            h2 { (ctx.t(Msg::VmRescueActive)) }
            p { (ctx.fmt(Msg::VmRescueActiveHint, &[("since", ctx.lang.time(r.since).into())])) }
            @if actions {
                form method="post" action={ (base) "/" (id) "/rescue/leave" } {
                    (csrf_field(ctx))
                    div.actions { button type="submit" { (ctx.t(Msg::VmRescueLeave)) } }
                }
                p.hint { (ctx.t(Msg::VmRescueLeaveHint)) }
            }
        }
    }
}

/// The panel that boots the rescue system (or says the host has none).
pub fn rescue_panel(ctx: &Ctx, base: &str, id: VmId, offered: bool) -> Markup {
    html! {
        div.panel {
            h2 { (ctx.t(Msg::VmRescue)) }
            @if offered {
                p.hint { (ctx.t(Msg::VmRescueHint)) }
                form method="post" action={ (base) "/" (id) "/rescue" } {
                    (csrf_field(ctx))
                    div.actions { button.secondary type="submit" { (ctx.t(Msg::VmRescueStart)) } }
                }
            } @else {
                p.muted { (ctx.t(Msg::VmRescueNone)) }
            }
        }
    }
}

/// The one-time password, on the page that answers the form.
pub fn rescue_password(ctx: &Ctx, password: &str) -> Markup {
    html! {
        div.flash.ok #rescue-password {
            p { (ctx.t(Msg::VmRescueStarted)) }
            p { (ctx.t(Msg::VmRescuePassword)) " " code { (password) } }
        }
    }
}

/// `POST {base}/{id}/rescue`: boot the rescue system; the answer is the server's page with the
/// one-time password (not a redirect: the password must not travel in a cookie or be kept by a
/// cache).
pub async fn rescue_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    match state.svc.vms.enter_rescue(&door.caller, id).await {
        Ok(entered) => {
            let model = state.svc.vm_page(&door.caller, id, crate::domain::usage::Range::Day)?;
            let page = super::vms::render_vm(&door, &model, Some(&entered.password), None);
            Ok(([(axum::http::header::CACHE_CONTROL, "no-store")], page).into_response())
        }
        Err(e) => super::vms::finish(&state, &door, id, Err(e)),
    }
}

/// `POST {base}/{id}/rescue/leave`: boot the server's own system again.
pub async fn leave_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    let r = state
        .svc
        .vms
        .leave_rescue(&door.caller, id)
        .await
        .map(|_| door.ctx.t(Msg::VmRescueLeaving).to_string());
    super::vms::finish(&state, &door, id, r)
}
