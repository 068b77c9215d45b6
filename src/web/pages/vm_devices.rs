//! The device panels of the VM page: the private networks the VM is on (attach / detach) and
//! its extra disks (attach / detach), with how each appears inside the guest.

use maud::{Markup, html};

use crate::domain::disk::{serial_of, target_of};
use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::service::privnets::{NetSummary, Port};
use crate::store::records::DiskRecord;
use crate::web::ctx::Ctx;
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
