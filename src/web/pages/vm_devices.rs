//! The device panels of the VM page: the private networks the VM is on (attach / detach) and
//! its extra disks (attach / detach), with how each appears inside the guest.

use maud::{Markup, html};

use crate::domain::disk::{serial_of, target_of};
use crate::domain::vm::VmId;
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
    html! {
        div.panel {
            h2 { "Private networks" }
            @if ports.is_empty() {
                p.muted { "Not on any private network." }
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
                                        button.secondary type="submit" { "Detach" }
                                    }
                                }
                            }
                        }
                    }
                } }
                p.hint { "An interface is attached or detached at once; its address is set in the server at its next boot (reboot it, or set it now by hand, e.g. ip addr add ADDRESS dev eth1)." }
            }
            @if ready && !others.is_empty() {
                form.inline method="post" action={ (base) "/" (id) "/networks" } {
                    (csrf_field(ctx))
                    select name="net" aria-label="Private network" {
                        @for n in &others { option value=(n.net.id) { (n.net.name) " (" (n.net.subnet) ")" } }
                    }
                    button.secondary type="submit" { "Attach" }
                }
            }
            @if ready && owned.is_empty() {
                p.hint { a href="/networks" { "Create a private network" } " to connect your servers with each other." }
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
    html! {
        div.panel {
            h2 { "Extra disks" }
            @if attached.is_empty() {
                p.muted { "None attached." }
            } @else {
                table { tbody {
                    @for d in attached {
                        tr {
                            th { a href="/disks" { (d.name) } }
                            td {
                                (d.size_gb) " GiB · "
                                @if let Some((_, slot)) = d.attached { code { "/dev/" (target_of(slot)) } }
                                " · " code { "/dev/disk/by-id/virtio-" (serial_of(d.id)) }
                                @if ready {
                                    form.inline method="post" action={ (base) "/" (id) "/disks/detach" } {
                                        (csrf_field(ctx))
                                        input type="hidden" name="disk" value=(d.id);
                                        button.secondary type="submit" { "Detach" }
                                    }
                                }
                            }
                        }
                    }
                } }
                p.hint { "The guest names disks in the order it finds them; the by-id name always points at the right one. Unmount a disk in the guest before you detach it." }
            }
            @if ready && !detached.is_empty() {
                form.inline method="post" action={ (base) "/" (id) "/disks" } {
                    (csrf_field(ctx))
                    select name="disk" aria-label="Disk" {
                        @for d in detached { option value=(d.id) { (d.name) " (" (d.size_gb) " GiB)" } }
                    }
                    button.secondary type="submit" { "Attach" }
                }
            }
            @if ready && detached.is_empty() {
                p.hint { a href="/disks" { "Create a disk" } " to add storage; it can be attached while the server runs." }
            }
        }
    }
}
