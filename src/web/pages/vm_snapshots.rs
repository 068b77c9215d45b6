//! Snapshots on the server's page: the list (name, when, what it holds, its billed size,
//! where it is), the form that takes one, and per snapshot the revert (confirmed by typing the
//! hostname) and the delete.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::store::snapshots::{SnapshotRecord, SnapshotState};
use crate::web::AppState;
use crate::web::ctx::{Ctx, Door, PathId};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::csrf_field;

/// The panel; the forms only when the server takes operations (`ready`).
pub fn snapshots_panel(ctx: &Ctx, base: &str, id: VmId, snaps: &[SnapshotRecord], ready: bool) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        div.panel #snapshots {
            h2 { (t(Msg::VmSnapshotsTitle)) }
            p.hint { (t(Msg::VmSnapshotsHint)) }
            @if snaps.is_empty() {
                p.muted { (t(Msg::VmSnapshotsNone)) }
            } @else {
                table { thead { tr {
                    th { (t(Msg::VmSnapshotColName)) } th { (t(Msg::VmSnapshotColTaken)) }
                    th { (t(Msg::VmSnapshotColSize)) } th {}
                } } tbody {
                    @for s in snaps {
                        tr {
                            td { (s.label) br; small.muted {
                                (t(if s.running { Msg::VmSnapshotWithMemory } else { Msg::VmSnapshotDisksOnly }))
                                @if s.state != SnapshotState::Ready {
                                    " · " (ctx.fmt(Msg::VmSnapshotState, &[("state", s.state.as_str().into())]))
                                }
                            } }
                            td { (ctx.time(s.taken_at)) }
                            td { (ctx.lang.bytes(s.bytes)) }
                            td {
                                @if ready && s.state == SnapshotState::Ready {
                                    form method="post" action={ (base) "/" (id) "/snapshots/revert" } {
                                        (csrf_field(ctx))
                                        input type="hidden" name="snapshot" value=(s.id);
                                        label for={ "revert-" (s.id) } { (t(Msg::VmSnapshotRevertConfirm)) }
                                        input id={ "revert-" (s.id) } type="text" name="confirm" autocomplete="off" required;
                                        div.actions { button.danger type="submit" { (t(Msg::VmSnapshotRevert)) } }
                                    }
                                    form.inline method="post" action={ (base) "/" (id) "/snapshots/delete" } {
                                        (csrf_field(ctx))
                                        input type="hidden" name="snapshot" value=(s.id);
                                        button.secondary type="submit" { (t(Msg::VmSnapshotDelete)) }
                                    }
                                }
                            }
                        }
                    }
                } }
            }
            @if ready {
                form method="post" action={ (base) "/" (id) "/snapshots" } {
                    (csrf_field(ctx))
                    label for="snapshot-label" { (t(Msg::VmSnapshotLabel)) }
                    input #snapshot-label type="text" name="label" maxlength="64" autocomplete="off";
                    div.actions { button.secondary type="submit" { (t(Msg::VmSnapshotTake)) } }
                }
            }
        }
    }
}

/// `label` (optional).
#[derive(Deserialize)]
pub struct TakeForm {
    #[serde(default)]
    label: String,
}

/// `snapshot` and `confirm` (the hostname).
#[derive(Deserialize)]
pub struct RevertForm {
    snapshot: u64,
    #[serde(default)]
    confirm: String,
}

/// `snapshot`.
#[derive(Deserialize)]
pub struct DeleteForm {
    snapshot: u64,
}

/// `POST {base}/{id}/snapshots`.
pub async fn take_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<TakeForm>,
) -> Result<Response, WebError> {
    let r = state.svc.vms.take_snapshot(&door.caller, id, &f.label).await;
    super::vms::finish(&state, &door, id, r.map(|_| door.ctx.t(Msg::VmSnapshotTaking).to_string()))
}

/// `POST {base}/{id}/snapshots/revert`.
pub async fn revert_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<RevertForm>,
) -> Result<Response, WebError> {
    let r = state.svc.vms.revert_snapshot(&door.caller, id, f.snapshot, &f.confirm).await;
    super::vms::finish(&state, &door, id, r.map(|_| door.ctx.t(Msg::VmSnapshotReverting).to_string()))
}

/// `POST {base}/{id}/snapshots/delete`.
pub async fn delete_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<DeleteForm>,
) -> Result<Response, WebError> {
    let r = state.svc.vms.delete_snapshot(&door.caller, id, f.snapshot).await;
    super::vms::finish(&state, &door, id, r.map(|_| door.ctx.t(Msg::VmSnapshotDeleting).to_string()))
}
