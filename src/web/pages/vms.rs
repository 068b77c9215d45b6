//! One virtual machine: the VM page with its power buttons, progress of running operations,
//! reinstall, resize, rename and delete, and its network and disk actions. The routes are
//! written once ([`routes`]) and mounted twice: at `/vms` for owners and at `/admin/vms` for
//! admins, who also get suspend; the [`Door`] says which. (Ordering: `vm_order`.)

use crate::web::layout::Utc;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::plans::plan_summary;
use crate::domain::catalog::{PlanId, TemplateId};
use crate::domain::disk::DiskId;
use crate::domain::privnet::NetId;
use crate::domain::vm::{PowerState, VmId};
use crate::service::pages::VmPage;
use crate::service::vms::{PowerAction, VmError};
use crate::store::records::{VmPhase, VmRecord};
use crate::web::AppState;
use crate::web::ctx::{Ctx, Door, FlashKind, PathId, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{Text, csrf_field, form_error_text, page};

/// Seconds after a graceful shutdown request when "force off" is pointed out.
const FORCE_OFF_HINT_SECS: i64 = 60;

/// How root logs in to this VM, as its seed configures sshd and the console.
fn login_summary(vm: &VmRecord) -> &'static str {
    if vm.root_password_hash.is_some() {
        "root logs in with the password or a key, over SSH and on the console"
    } else {
        "root logs in with your SSH keys only; password login is off"
    }
}

/// The state word and its colour class.
pub fn state_badge(vm: &VmRecord, busy: bool) -> Markup {
    let (class, word) = state_of(&vm.phase, vm.power, vm.suspended, vm.shutdown_requested_at.is_some(), busy);
    html! { span class={ "badge " (Text(class)) } { (Text(word)) } }
}

/// Colour class and word of a VM's state.
pub(super) fn state_of(
    phase: &VmPhase,
    power: PowerState,
    suspended: bool,
    shutting_down: bool,
    busy: bool,
) -> (&'static str, &'static str) {
    match phase {
        VmPhase::Creating => ("working", "creating"),
        VmPhase::Reinstalling => ("working", "reinstalling"),
        VmPhase::Deleting => ("working", "deleting"),
        VmPhase::Failed { .. } => ("error", "failed"),
        VmPhase::Ready if busy => ("working", "working"),
        VmPhase::Ready if suspended => ("error", "suspended"),
        VmPhase::Ready if shutting_down && power.is_active() => ("working", "shutting down"),
        VmPhase::Ready => match power {
            PowerState::Running => ("running", "running"),
            PowerState::Crashed => ("error", "crashed"),
            PowerState::Paused | PowerState::ShuttingDown => ("working", power.as_str()),
            _ => ("stopped", power.as_str()),
        },
    }
}

pub(crate) fn power_button(
    ctx: &Ctx,
    base: &str,
    id: VmId,
    action: PowerAction,
    label: &str,
    class: &str,
) -> Markup {
    html! {
        form.inline method="post" action={ (base) "/" (id) "/power" } {
            (csrf_field(ctx))
            input type="hidden" name="action" value=(action.as_str());
            button class=(class) type="submit" { (label) }
        }
    }
}

/// The VM page: a pure function of what the door is and of the page's read model.
fn render_vm(door: &Door, m: &VmPage) -> Markup {
    let (ctx, base, admin) = (&door.ctx, door.base.as_str(), door.admin());
    let (vm, intent) = (&m.vm, m.intent.as_ref());
    let ready = vm.phase == VmPhase::Ready && intent.is_none();
    let running = vm.power.is_active();
    let force_hint =
        vm.shutdown_requested_at.is_some_and(|t| running && m.now.secs_since(t) >= FORCE_OFF_HINT_SECS);
    let crumbs: Vec<(&str, &str)> = if admin {
        vec![super::admin::CRUMB_ADMIN, ("Virtual machines", "/admin/vms")]
    } else {
        vec![("Virtual machines", "/vms")]
    };
    page(
        ctx,
        &vm.hostname,
        &crumbs,
        html! {
            @if intent.is_some() || matches!(vm.phase, VmPhase::Creating | VmPhase::Deleting | VmPhase::Reinstalling) {
                // Refresh while an operation runs; works without JavaScript.
                (PreEscaped("<meta http-equiv=\"refresh\" content=\"2\">"))
            }
            div.heading { h1 { (vm.hostname) " " (state_badge(vm, intent.is_some())) } }
            @if let VmPhase::Failed { code, message } = &vm.phase {
                (form_error_text(ctx, &format!("Creating this virtual machine failed: {message}"), code))
                p { "Nothing of it is left on the host and it counts against no quota. Delete it and order again." }
            }
            @if vm.suspended { div.flash.err { "Suspended by the provider: it cannot be started. Contact support." } }
            @if let Some(i) = intent {
                div.panel {
                    h2 { "In progress" }
                    ol.steps {
                        @for step in i.op.steps() {
                            li class=(if i.done.contains(step) { "done" } else { "todo" }) {
                                (if i.done.contains(step) { "✓ " } else { "… " }) (step.label())
                            }
                        }
                    }
                    p.muted { "Started " (Utc(i.started_at)) ". This page refreshes by itself." }
                }
            }
            div.grid {
                div.panel {
                    h2 { "Details" }
                    table { tbody {
                        tr { th { "Plan" } td { (vm.plan_name) } }
                        tr { th { "Hardware" } td { (plan_summary(&vm.spec)) } }
                        tr { th { "OS" } td { (vm.template_name) } }
                        tr { th { "Created" } td { (Utc(vm.created_at)) } }
                        tr { th { "Last change" } td { (Utc(vm.updated_at)) } }
                        tr { th { "UUID" } td { code { (vm.uuid) } } }
                        tr { th { "SSH keys" } td { (vm.ssh_keys.len()) } }
                        tr { th { "Login" } td { (login_summary(vm)) } }
                    } }
                }
                (super::vm_network::addresses_panel(ctx, base, vm.id, &m.leases, m.extra_ipv4 > 0, ready))
                (super::vm_network::traffic_panel(&m.traffic))
                (super::vm_devices::networks_panel(ctx, base, vm.id, &m.ports, &m.owned_nets, ready))
                (super::vm_devices::disks_panel(ctx, base, vm.id, &m.attached, &m.detached, ready))
                (super::vm_firewall::firewall_panel(ctx, base, vm.id, &m.firewall, m.public, ready))
                @if ready {
                    div.panel {
                        h2 { "Power" }
                        div.actions {
                            @if !running {
                                (power_button(ctx, base, vm.id, PowerAction::Start, "Start", ""))
                            } @else {
                                (power_button(ctx, base, vm.id, PowerAction::Shutdown, "Shut down", "secondary"))
                                (power_button(ctx, base, vm.id, PowerAction::Reboot, "Reboot", "secondary"))
                                (power_button(ctx, base, vm.id, PowerAction::Reset, "Hard reset", "danger"))
                                (power_button(ctx, base, vm.id, PowerAction::ForceOff, "Force off", "danger"))
                            }
                        }
                        @if running {
                            div.actions {
                                a.button.secondary href={ (base) "/" (vm.id) "/console" } { "Console" }
                                a.button.secondary href={ (base) "/" (vm.id) "/serial" } { "Serial console" }
                            }
                            (super::console::thumbnail(base, vm.id))
                        }
                        @if force_hint {
                            p.flash.info { "The guest has not powered off after the shutdown request. It may not react to the power button; use Force off." }
                        }
                        p.hint { "Hard reset restarts a hung server at once, like the reset button of a physical machine." }
                    }
                }
            }
            @if ready {
                p { a.button.secondary href={ (base) "/" (vm.id) "/backups" } { "Backups" } }
            }
            @if ready {
                div.grid {
                    div.panel {
                        h2 { "Reinstall" }
                        p.hint { "A fresh disk from the chosen OS; hostname, keys and password stay. Everything on the disk is lost." }
                        form method="post" action={ (base) "/" (vm.id) "/reinstall" } {
                            (csrf_field(ctx))
                            select name="template" aria-label="Operating system" {
                                @for t in &m.templates { option value=(t.id) selected[t.id == vm.template] { (t.name) } }
                            }
                            label for="confirm-reinstall" { "Type the hostname to confirm" }
                            input #confirm-reinstall type="text" name="confirm" autocomplete="off" required;
                            div.actions { button.danger type="submit" { "Reinstall" } }
                        }
                    }
                    div.panel {
                        h2 { "Change plan" }
                        p.hint { "Shut the server down first. CPU and memory change; the disk only grows." }
                        form method="post" action={ (base) "/" (vm.id) "/resize" } {
                            (csrf_field(ctx))
                            select name="plan" aria-label="Plan" {
                                @for p in &m.plans { option value=(p.id) selected[p.id == vm.plan] { (p.name) " — " (plan_summary(&p.spec)) } }
                            }
                            div.actions { button.secondary type="submit" { "Change plan" } }
                        }
                        h2 { "Rename" }
                        form method="post" action={ (base) "/" (vm.id) "/rename" } {
                            (csrf_field(ctx))
                            input type="text" name="hostname" value=(vm.hostname) aria-label="Hostname" required;
                            div.actions { button.secondary type="submit" { "Rename" } }
                        }
                    }
                }
            }
            @if ready || matches!(vm.phase, VmPhase::Failed { .. }) {
                div.panel.danger-zone {
                    h2 { "Delete" }
                    p { "Deletes the server, its disk and its cloud-init seed for good." }
                    form method="post" action={ (base) "/" (vm.id) "/delete" } {
                        (csrf_field(ctx))
                        label for="confirm" { "Type " code { (vm.hostname) } " to confirm" }
                        input #confirm type="text" name="confirm" autocomplete="off" required;
                        div.actions { button.danger type="submit" { "Delete for good" } }
                    }
                }
            }
            @if admin {
                div.panel {
                    h2 { "Provider actions" }
                    form.inline method="post" action={ (base) "/" (vm.id) "/suspend" } {
                        (csrf_field(ctx))
                        input type="hidden" name="suspended" value=(if vm.suspended { "false" } else { "true" });
                        button.secondary type="submit" { (if vm.suspended { "Unsuspend" } else { "Suspend" }) }
                    }
                    p.hint { "Owner: account " (vm.owner) ". A suspended server is powered off and its owner cannot start it." }
                }
            }
            @if let Some(a) = &m.availability { (super::vm_sla::render_availability(a)) }
            div.panel {
                h2 { "Activity" }
                @if m.history.is_empty() { p.muted { "Nothing yet." } } @else {
                    table { tbody {
                        @for a in &m.history {
                            tr { td { (Utc(a.at)) } td { code { (a.action) } } td { (a.detail) } td.muted { (a.ip) } }
                        }
                    } }
                }
            }
        },
    )
}

/// The routes of one VM (`/{id}/...`), mounted at `/vms` for owners and at `/admin/vms` for
/// admins (with `Extension(Mount::Admin)`): every handler takes the [`Door`] it came through.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{id}", get(vm_get))
        .route("/{id}/power", post(power_post))
        .route("/{id}/delete", post(delete_post))
        .route("/{id}/reinstall", post(reinstall_post))
        .route("/{id}/resize", post(resize_post))
        .route("/{id}/rename", post(rename_post))
        .route("/{id}/suspend", post(suspend_post))
        .route("/{id}/ips", post(ip_add_post))
        .route("/{id}/ips/remove", post(ip_remove_post))
        .route("/{id}/rdns", post(rdns_post))
        .route("/{id}/networks", post(net_attach_post))
        .route("/{id}/networks/detach", post(net_detach_post))
        .route("/{id}/disks", post(disk_attach_post))
        .route("/{id}/disks/detach", post(disk_detach_post))
        .route("/{id}/firewall", post(super::vm_firewall::add_post))
        .route("/{id}/firewall/remove", post(super::vm_firewall::remove_post))
        .route("/{id}/firewall/default", post(super::vm_firewall::default_post))
        .route("/{id}/console", get(super::console::console_get))
        .route("/{id}/serial", get(super::console::serial_get))
        .route("/{id}/screenshot.png", get(super::console::screenshot_get))
        .route("/{id}/console/vnc", get(crate::web::console_ws::vnc_ws_get))
        .route("/{id}/console/serial", get(crate::web::console_ws::serial_ws_get))
}

/// `GET {base}/{id}`.
async fn vm_get(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
) -> Result<Response, WebError> {
    let model = state.svc.vm_page(&door.caller, id)?;
    Ok(render_vm(&door, &model).into_response())
}

/// The end of every action: back to the VM page with what happened, or with why not; a VM the
/// caller does not see is a 404 page before anything else is told.
fn finish(
    state: &AppState,
    door: &Door,
    id: VmId,
    result: Result<String, VmError>,
) -> Result<Response, WebError> {
    finish_at(state, door, id, &format!("{}/{id}", door.base), result)
}

/// [`finish`], going back to `back` instead of the VM page.
fn finish_at(
    state: &AppState,
    door: &Door,
    id: VmId,
    back: &str,
    result: Result<String, VmError>,
) -> Result<Response, WebError> {
    match result {
        Ok(msg) => Ok(redirect_with_flash(back, FlashKind::Ok, &msg)),
        Err(e) => {
            state.svc.vms.get(&door.caller, id)?;
            refused(&door.ctx, back, e)
        }
    }
}

/// `power`: a power button, on the VM page or on the list (`back=list` returns there).
#[derive(Deserialize)]
struct PowerForm {
    action: PowerAction,
    #[serde(default)]
    back: Back,
}

/// Where a form returns to.
#[derive(Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Back {
    /// The VM's page.
    #[default]
    Vm,
    /// The VM list.
    List,
}

/// `delete`: the hostname typed to confirm.
#[derive(Deserialize)]
struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

/// `reinstall`: the OS and the hostname typed to confirm.
#[derive(Deserialize)]
struct ReinstallForm {
    template: TemplateId,
    #[serde(default)]
    confirm: String,
}

/// `resize`: the new plan.
#[derive(Deserialize)]
struct ResizeForm {
    plan: PlanId,
}

/// `rename`: the new hostname.
#[derive(Deserialize)]
struct RenameForm {
    #[serde(default)]
    hostname: String,
}

/// `suspend`: suspend (`true`) or lift it (`false`).
#[derive(Deserialize)]
struct SuspendForm {
    suspended: bool,
}

/// `ips/remove` and `rdns`: one of the VM's addresses (and its reverse name).
#[derive(Deserialize)]
struct AddressForm {
    #[serde(default)]
    address: String,
    #[serde(default)]
    ptr: String,
}

/// `networks` and `networks/detach`: one of the owner's private networks.
#[derive(Deserialize)]
struct NetForm {
    net: NetId,
}

/// `disks` and `disks/detach`: one of the owner's extra disks.
#[derive(Deserialize)]
struct DiskForm {
    disk: DiskId,
}

async fn power_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<PowerForm>,
) -> Result<Response, WebError> {
    let r = state.svc.vms.power(&door.caller, id, f.action).await.map(|vm| {
        let msg = match f.action {
            PowerAction::Start => "Started.".to_string(),
            PowerAction::Shutdown => "Shutdown requested: the guest is powering off.".to_string(),
            PowerAction::ForceOff => "Powered off.".to_string(),
            PowerAction::Reboot => "Reboot requested.".to_string(),
            PowerAction::Reset => format!("Hard reset done; the server is {}.", vm.power.as_str()),
        };
        // On the list, the message names the server it is about.
        if f.back == Back::List { format!("{}: {msg}", vm.hostname) } else { msg }
    });
    let back = match f.back {
        Back::Vm => format!("{}/{id}", door.base),
        Back::List => door.base.clone(),
    };
    finish_at(&state, &door, id, &back, r)
}

async fn delete_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<DeleteForm>,
) -> Result<Response, WebError> {
    match state.svc.vms.delete(&door.caller, id, &f.confirm).await {
        Ok(()) => {
            state.svc.consoles.end_vm(id, "The virtual machine was deleted");
            Ok(redirect_with_flash(&door.base, FlashKind::Ok, "Deleting…"))
        }
        Err(e) => finish(&state, &door, id, Err(e)),
    }
}

async fn reinstall_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<ReinstallForm>,
) -> Result<Response, WebError> {
    let vm = state.svc.vms.get(&door.caller, id)?;
    let r = if f.confirm.trim().to_ascii_lowercase() != vm.hostname {
        Err(VmError::ConfirmMismatch)
    } else {
        state.svc.vms.reinstall(&door.caller, id, f.template).await.map(|()| "Reinstalling…".to_string())
    };
    finish(&state, &door, id, r)
}

async fn resize_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<ResizeForm>,
) -> Result<Response, WebError> {
    let r = state.svc.vms.resize(&door.caller, id, f.plan).await.map(|()| "Changing the plan…".to_string());
    finish(&state, &door, id, r)
}

async fn rename_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<RenameForm>,
) -> Result<Response, WebError> {
    let r = state
        .svc
        .vms
        .rename(&door.caller, id, &f.hostname)
        .await
        .map(|vm| format!("Renamed to {}.", vm.hostname));
    finish(&state, &door, id, r)
}

/// Suspend or unsuspend: the provider's action, so only behind the admins' door.
async fn suspend_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<SuspendForm>,
) -> Result<Response, WebError> {
    if !door.admin() {
        return Err(WebError::NotFound);
    }
    let r = state.svc.vms.set_suspended(&door.caller, id, f.suspended).await.map(|_| {
        if f.suspended {
            state.svc.consoles.end_vm(id, "The virtual machine was suspended");
            "Suspended.".to_string()
        } else {
            "Unsuspended.".to_string()
        }
    });
    finish(&state, &door, id, r)
}

async fn ip_add_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    let r = state.svc.vms.add_ipv4(&door.caller, id).await.map(|l| {
        format!(
            "{} added. It takes effect in the server at its next boot: reboot it when convenient.",
            l.address.0
        )
    });
    finish(&state, &door, id, r)
}

async fn ip_remove_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<AddressForm>,
) -> Result<Response, WebError> {
    let r = match f.address.trim().parse() {
        Ok(addr) => state.svc.vms.remove_ipv4(&door.caller, id, addr).await.map(|()| {
            format!(
                "{addr} removed. Traffic from it is blocked now; the server stops using it at its next boot."
            )
        }),
        Err(_) => Err(VmError::NotFound),
    };
    finish(&state, &door, id, r)
}

async fn rdns_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<AddressForm>,
) -> Result<Response, WebError> {
    let vm = state.svc.vms.get(&door.caller, id)?;
    let leases = state.svc.ipam.vm_leases(id)?;
    let addr = f.address.trim().parse().ok();
    let r = match addr.filter(|a| leases.iter().any(|l| l.address.0 == *a)) {
        Some(addr) => {
            let owner = (!door.admin()).then_some(vm.owner);
            state.svc.ipam.set_ptr(owner, addr, &f.ptr).await.map_err(VmError::Ip).map(|p| match p {
                Some(name) => format!("Reverse DNS of {addr} set to {name}."),
                None => format!("Reverse DNS of {addr} cleared."),
            })
        }
        None => Err(VmError::NotFound),
    };
    finish(&state, &door, id, r)
}

async fn net_attach_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<NetForm>,
) -> Result<Response, WebError> {
    let r = state
        .svc
        .vms
        .attach_network(&door.caller, id, f.net)
        .await
        .map(|p| format!("On {} as eth{} with {}/{}.", p.name, p.slot, p.address, p.subnet.len));
    finish(&state, &door, id, r)
}

async fn net_detach_post(
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
        .map(|()| "Detached from the network.".into());
    finish(&state, &door, id, r)
}

async fn disk_attach_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<DiskForm>,
) -> Result<Response, WebError> {
    let r = state.svc.vms.attach_disk(&door.caller, id, f.disk).await.map(|d| {
        let dev = d.attached.map(|(_, s)| crate::domain::disk::target_of(s)).unwrap_or_default();
        format!("Disk {} attached as /dev/{dev}.", d.name)
    });
    finish(&state, &door, id, r)
}

async fn disk_detach_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<DiskForm>,
) -> Result<Response, WebError> {
    let r = state.svc.vms.detach_disk(&door.caller, id, f.disk).await.map(|()| "Disk detached.".into());
    finish(&state, &door, id, r)
}
