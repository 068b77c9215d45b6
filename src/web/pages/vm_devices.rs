//! The device panels of the VM page: the private networks the VM is on (attach / detach) and
//! its extra disks (attach / detach), with how each appears inside the guest; and the handlers
//! of those forms.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::disk::{DiskId, serial_of, target_of};
use crate::domain::privnet::NetId;
use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::service::privnets::{NetSummary, Port};
use crate::store::records::DiskRecord;
use crate::web::AppState;
use crate::web::ctx::{Ctx, Door, PathId};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::csrf_field;

/// The private networks panel: the VM's ports, a detach button each, and an attach form with
/// the owner's other networks when the VM is `ready` for a change.
pub fn networks_panel(
    ctx: &Ctx,
    base: &str,
    id: VmId,
    ports: &[Port],
    owned: &[NetSummary],
    ready: bool,
) -> Markup {
    let others: Vec<_> = owned.iter().filter(|n| !ports.iter().any(|p| p.net == n.net.id)).collect();
    let t = |m| ctx.t(m);
    html! {
        div.panel {
            h2 { (t(Msg::VmNetworksTitle)) }
            @if ports.is_empty() {
                p.muted { (t(Msg::VmNetworksNone)) }
            } @else {
                table { tbody {
                    @for p in ports {
                        tr {
                            th { a href={ "/networks/" (p.net) } { (p.name) } }
                            td {
                                code { "eth" (p.slot) } " · " code { (p.address) "/" (p.subnet.len) }
                                @if ready {
                                    form.inline method="post" action={ (base) "/" (id) "/networks/detach" } {
                                        (csrf_field(ctx))
                                        input type="hidden" name="net" value=(p.net);
                                        button.secondary type="submit" { (t(Msg::VmDetach)) }
                                    }
                                }
                            }
                        }
                    }
                } }
                p.hint { (t(Msg::VmNetworksHint)) }
            }
            @if ready && !others.is_empty() {
                form.inline method="post" action={ (base) "/" (id) "/networks" } {
                    (csrf_field(ctx))
                    select name="net" aria-label=(t(Msg::VmNetworkLabel)) {
                        @for n in &others { option value=(n.net.id) { (n.net.name) " (" (n.net.subnet) ")" } }
                    }
                    button.secondary type="submit" { (t(Msg::VmAttach)) }
                }
            }
            @if ready && owned.is_empty() {
                p.hint { (t(Msg::VmNetworksCreateHint)) " " a href="/networks" { (t(Msg::VmNetworksCreate)) } }
            }
        }
    }
}

/// The extra disks panel: attached disks with their device and by-id names, a detach button
/// each, and an attach form with the owner's detached disks when the VM is `ready`.
pub fn disks_panel(
    ctx: &Ctx,
    base: &str,
    id: VmId,
    attached: &[DiskRecord],
    detached: &[DiskRecord],
    ready: bool,
) -> Markup {
    let t = |m| ctx.t(m);
    let gib = |n: u64| ctx.fmt_string(Msg::UnitGib, &[("n", n.into())]);
    html! {
        div.panel {
            h2 { (t(Msg::VmDisksTitle)) }
            @if attached.is_empty() {
                p.muted { (t(Msg::VmDisksNone)) }
            } @else {
                table { tbody {
                    @for d in attached {
                        tr {
                            th { a href="/disks" { (d.name) } }
                            td {
                                (gib(d.size_gb)) " · "
                                @if let Some((_, slot)) = d.attached { code { "/dev/" (target_of(slot)) } }
                                " · " code { "/dev/disk/by-id/virtio-" (serial_of(d.id)) }
                                @if ready {
                                    form.inline method="post" action={ (base) "/" (id) "/disks/detach" } {
                                        (csrf_field(ctx))
                                        input type="hidden" name="disk" value=(d.id);
                                        button.secondary type="submit" { (t(Msg::VmDetach)) }
                                    }
                                }
                            }
                        }
                    }
                } }
                p.hint { (t(Msg::VmDisksHint)) }
            }
            @if ready && !detached.is_empty() {
                form.inline method="post" action={ (base) "/" (id) "/disks" } {
                    (csrf_field(ctx))
                    select name="disk" aria-label=(t(Msg::VmDiskLabel)) {
                        @for d in detached { option value=(d.id) { (d.name) " (" (gib(d.size_gb)) ")" } }
                    }
                    button.secondary type="submit" { (t(Msg::VmAttach)) }
                }
            }
            @if ready && detached.is_empty() {
                p.hint { (t(Msg::VmDisksCreateHint)) " " a href="/disks" { (t(Msg::VmDisksCreate)) } }
            }
        }
    }
}

/// `networks` and `networks/detach`: one of the owner's private networks.
#[derive(Deserialize)]
pub(super) struct NetForm {
    net: NetId,
}

/// `disks` and `disks/detach`: one of the owner's extra disks.
#[derive(Deserialize)]
pub(super) struct DiskForm {
    disk: DiskId,
}

/// A device change from the VM page (owners at `/vms`, admins at `/admin/vms`).
pub(super) async fn net_attach_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<NetForm>,
) -> Result<Response, WebError> {
    let r = state.svc.vms.attach_network(&door.caller, id, f.net).await.map(|p| {
        door.ctx.fmt_string(
            Msg::VmDoneNetworkAttached,
            &[
                ("network", p.name.as_str().into()),
                ("slot", p.slot.to_string().into()),
                ("address", format!("{}/{}", p.address, p.subnet.len).into()),
            ],
        )
    });
    super::vms::finish(&state, &door, id, r)
}

/// A device change from the VM page (owners at `/vms`, admins at `/admin/vms`).
pub(super) async fn net_detach_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<NetForm>,
) -> Result<Response, WebError> {
    let r = state
        .svc
        .vms
        .detach_network(&door.caller, id, f.net)
        .await
        .map(|()| door.ctx.t(Msg::VmDoneNetworkDetached).to_string());
    super::vms::finish(&state, &door, id, r)
}

/// A device change from the VM page (owners at `/vms`, admins at `/admin/vms`).
pub(super) async fn disk_attach_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<DiskForm>,
) -> Result<Response, WebError> {
    let r = state.svc.vms.attach_disk(&door.caller, id, f.disk).await.map(|d| {
        let dev = d.attached.map(|(_, s)| crate::domain::disk::target_of(s)).unwrap_or_default();
        door.ctx.fmt_string(
            Msg::VmDoneDiskAttached,
            &[("disk", d.name.as_str().into()), ("device", dev.to_string().into())],
        )
    });
    super::vms::finish(&state, &door, id, r)
}

/// A device change from the VM page (owners at `/vms`, admins at `/admin/vms`).
pub(super) async fn disk_detach_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<DiskForm>,
) -> Result<Response, WebError> {
    let r = state
        .svc
        .vms
        .detach_disk(&door.caller, id, f.disk)
        .await
        .map(|()| door.ctx.t(Msg::VmDoneDiskDetached).to_string());
    super::vms::finish(&state, &door, id, r)
}
