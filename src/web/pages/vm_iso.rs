//! The server's CD-ROM drive on its page: put a published ISO in it (booting from it first,
//! or only attached), take it out; either with a restart now, as the form says.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::store::isos::{IsoBoot, IsoRecord, VmIso};
use crate::web::AppState;
use crate::web::ctx::{Ctx, Door, PathId};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::csrf_field;

/// The panel: what is in the drive (with the form that takes it out), or the form that puts
/// one in, and (`uploads_link`) a link to the owner's own ISOs; nothing when there is none of
/// these.
pub fn iso_panel(
    ctx: &Ctx,
    base: &str,
    id: VmId,
    now: Option<&(VmIso, IsoRecord)>,
    offered: &[IsoRecord],
    uploads_link: bool,
) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        @if now.is_some() || !offered.is_empty() || uploads_link {
            div.panel #iso {
                h2 { (t(Msg::VmIsoTitle)) }
                @if let Some((v, iso)) = now {
                    @let msg = match v.boot {
                        IsoBoot::Always => Msg::VmIsoBooting,
                        IsoBoot::Once => Msg::VmIsoBootingOnce,
                        IsoBoot::No => Msg::VmIsoAttached,
                    };
                    p { (ctx.fmt(msg, &[("iso", iso.name.as_str().into())])) }
                    form method="post" action={ (base) "/" (id) "/iso/detach" } {
                        (csrf_field(ctx))
                        label.check { input type="checkbox" name="restart" value="on" checked; " " (t(Msg::VmIsoRestart)) }
                        div.actions { button.secondary type="submit" { (t(Msg::VmIsoDetach)) } }
                    }
                } @else if !offered.is_empty() {
                    p.hint { (t(Msg::VmIsoHint)) }
                    form method="post" action={ (base) "/" (id) "/iso" } {
                        (csrf_field(ctx))
                        select name="iso" aria-label=(t(Msg::VmIsoTitle)) {
                            @for i in offered { option value=(i.id) { (i.name) } }
                        }
                        label for="iso-boot" { (t(Msg::VmIsoBoot)) }
                        select #iso-boot name="boot" {
                            option value="once" selected { (t(Msg::VmIsoBootOnce)) }
                            option value="always" { (t(Msg::VmIsoBootAlways)) }
                            option value="no" { (t(Msg::VmIsoBootNo)) }
                        }
                        label.check { input type="checkbox" name="restart" value="on" checked; " " (t(Msg::VmIsoRestart)) }
                        div.actions { button.secondary type="submit" { (t(Msg::VmIsoAttach)) } }
                    }
                }
                @if uploads_link { p.hint { a href="/isos" { (t(Msg::IsosUploadLink)) } } }
            }
        }
    }
}

/// `iso`, `boot` (`no`, `once` or `always`) and `restart` (a checkbox: present when ticked).
#[derive(Deserialize)]
pub struct AttachForm {
    iso: u64,
    #[serde(default)]
    boot: String,
    #[serde(default)]
    restart: Option<String>,
}

/// `restart` (a checkbox).
#[derive(Deserialize)]
pub struct DetachForm {
    #[serde(default)]
    restart: Option<String>,
}

/// `POST {base}/{id}/iso`.
pub async fn attach_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<AttachForm>,
) -> Result<Response, WebError> {
    let Some(boot) = IsoBoot::parse(f.boot.trim()) else {
        return Err(WebError::BadValue { field: "boot".into(), value: f.boot });
    };
    let restart = f.restart.is_some();
    let r = state
        .svc
        .vms
        .attach_iso(&door.caller, id, f.iso, boot, restart)
        .await
        .map(|()| door.ctx.t(if restart { Msg::VmIsoDoneNow } else { Msg::VmIsoDoneLater }).to_string());
    super::vms::finish(&state, &door, id, r)
}

/// `POST {base}/{id}/iso/detach`.
pub async fn detach_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<DetachForm>,
) -> Result<Response, WebError> {
    let restart = f.restart.is_some();
    let r = state
        .svc
        .vms
        .detach_iso(&door.caller, id, restart)
        .await
        .map(|()| door.ctx.t(if restart { Msg::VmIsoDoneNow } else { Msg::VmIsoDoneLater }).to_string());
    super::vms::finish(&state, &door, id, r)
}
