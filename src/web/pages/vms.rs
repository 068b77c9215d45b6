//! Virtual machines in the cabinet: the VM page with its power buttons, progress of running
//! operations, reinstall, resize, rename and delete, and its network and disk actions. Admins
//! get the same page for any VM under `/admin/vms`, with suspend. (Ordering: `vm_order`.)

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::plans::plan_summary;
use crate::domain::catalog::{PlanId, TemplateId};
use crate::domain::disk::DiskId;
use crate::domain::privnet::NetId;
use crate::domain::vm::{PowerState, VmId};
use crate::service::Coded;
use crate::service::vms::{PowerAction, Scope, VmError, actor};
use crate::store::records::{IntentRecord, VmPhase, VmRecord};
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, Customer, FlashKind, redirect_with_flash};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::form::form_id;
use crate::web::layout::{Text, csrf_field, form_error, page};

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

fn render_vm(
    state: &AppState,
    ctx: &Ctx,
    vm: &VmRecord,
    intent: Option<&IntentRecord>,
    base: &str,
    admin: bool,
) -> Result<Markup, WebError> {
    let history = state.svc.vms.history(vm, 30)?;
    let templates: Vec<_> = state.svc.templates.list()?.into_iter().filter(|t| t.enabled).collect();
    let plans = state.svc.plans.offered()?;
    let now = state.svc.vms.now();
    let leases = state.svc.ipam.vm_leases(vm.id)?;
    let traffic = state.svc.traffic.this_month(vm.id)?;
    let ports = state.svc.vms.ports(vm)?;
    let owned_nets = state.svc.privnets.list(vm.owner)?;
    let attached = state.svc.vms.attached_disks(vm)?;
    let firewall = state.svc.vms.firewall(vm.id)?;
    let public = state.svc.vms.public_nic(vm).is_some();
    let detached: Vec<_> =
        state.svc.disks.list(vm.owner)?.into_iter().filter(|d| d.attached.is_none()).collect();
    let included = state.svc.plans.get(vm.plan).map(|p| p.spec.ipv4).unwrap_or(0);
    let extra_ipv4 = vm.spec.ipv4.saturating_sub(included);
    let ready = vm.phase == VmPhase::Ready && intent.is_none();
    let running = vm.power.is_active();
    let availability = if matches!(vm.phase, VmPhase::Failed { .. }) {
        None
    } else {
        Some(state.svc.sla.availability(vm, state.svc.sla.month_at(now))?)
    };
    let force_hint =
        vm.shutdown_requested_at.is_some_and(|t| running && now.secs_since(t) >= FORCE_OFF_HINT_SECS);
    let crumbs: Vec<(&str, &str)> = if admin {
        vec![super::admin::CRUMB_ADMIN, ("Virtual machines", "/admin/vms")]
    } else {
        vec![("Virtual machines", "/vms")]
    };
    let title = vm.hostname.clone();
    Ok(page(
        ctx,
        &title,
        &crumbs,
        html! {
            @if intent.is_some() || matches!(vm.phase, VmPhase::Creating | VmPhase::Deleting | VmPhase::Reinstalling) {
                // Refresh while an operation runs; works without JavaScript.
                (PreEscaped("<meta http-equiv=\"refresh\" content=\"2\">"))
            }
            div.heading { h1 { (vm.hostname) " " (state_badge(vm, intent.is_some())) } }
            @if let VmPhase::Failed { code, message } = &vm.phase {
                (form_error(&format!("Creating this virtual machine failed: {message}"), code))
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
                    p.muted { "Started " (i.started_at.display_utc()) ". This page refreshes by itself." }
                }
            }
            div.grid {
                div.panel {
                    h2 { "Details" }
                    table { tbody {
                        tr { th { "Plan" } td { (vm.plan_name) } }
                        tr { th { "Hardware" } td { (plan_summary(&vm.spec)) } }
                        tr { th { "OS" } td { (vm.template_name) } }
                        tr { th { "Created" } td { (vm.created_at.display_utc()) } }
                        tr { th { "Last change" } td { (vm.updated_at.display_utc()) } }
                        tr { th { "UUID" } td { code { (vm.uuid) } } }
                        tr { th { "SSH keys" } td { (vm.ssh_keys.len()) } }
                        tr { th { "Login" } td { (login_summary(vm)) } }
                    } }
                }
                (super::vm_network::addresses_panel(ctx, base, vm.id, &leases, extra_ipv4 > 0, ready))
                (super::vm_network::traffic_panel(&traffic))
                (super::vm_devices::networks_panel(ctx, base, vm.id, &ports, &owned_nets, ready))
                (super::vm_devices::disks_panel(ctx, base, vm.id, &attached, &detached, ready))
                (super::vm_firewall::firewall_panel(ctx, base, vm.id, &firewall, public, ready))
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
            @if ready && base == "/vms" {
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
                                @for t in &templates { option value=(t.id) selected[t.id == vm.template] { (t.name) } }
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
                                @for p in &plans { option value=(p.id) selected[p.id == vm.plan] { (p.name) " — " (plan_summary(&p.spec)) } }
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
                    form.inline method="post" action={ "/admin/vms/" (vm.id) "/suspend" } {
                        (csrf_field(ctx))
                        input type="hidden" name="suspended" value=(if vm.suspended { "false" } else { "true" });
                        button.secondary type="submit" { (if vm.suspended { "Unsuspend" } else { "Suspend" }) }
                    }
                    p.hint { "Owner: account " (vm.owner) ". A suspended server is powered off and its owner cannot start it." }
                }
            }
            @if let Some(a) = &availability { (super::vm_sla::render_availability(a)) }
            div.panel {
                h2 { "Activity" }
                @if history.is_empty() { p.muted { "Nothing yet." } } @else {
                    table { tbody {
                        @for a in &history {
                            tr { td { (a.at.display_utc()) } td { code { (a.action) } } td { (a.detail) } td.muted { (a.ip) } }
                        }
                    } }
                }
            }
        },
    ))
}

fn scope_of(admin: bool, user: crate::domain::account::UserId) -> Scope {
    if admin { Scope::Admin } else { Scope::Owner(user) }
}

fn not_found(e: VmError) -> WebError {
    match e {
        VmError::NotFound => WebError::NotFound,
        other => other.into(),
    }
}

/// `GET /vms/{id}`.
pub async fn vm_get(
    State(state): State<AppState>,
    Customer(ctx, s): Customer,
    Path(id): Path<u64>,
) -> Result<Response, WebError> {
    let vm = state.svc.vms.get(Scope::Owner(s.user.id), VmId(id)).map_err(not_found)?;
    let intent = state.svc.vms.intent(vm.id)?;
    Ok(render_vm(&state, &ctx, &vm, intent.as_ref(), "/vms", false)?.into_response())
}

/// `GET /admin/vms/{id}`.
pub async fn admin_vm_get(
    State(state): State<AppState>,
    Admin(ctx, _): Admin,
    Path(id): Path<u64>,
) -> Result<Response, WebError> {
    let vm = state.svc.vms.get(Scope::Admin, VmId(id)).map_err(not_found)?;
    let intent = state.svc.vms.intent(vm.id)?;
    Ok(render_vm(&state, &ctx, &vm, intent.as_ref(), "/admin/vms", true)?.into_response())
}

/// Body of the VM action forms.
#[derive(Deserialize, Default)]
pub struct ActionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    template: String,
    #[serde(default)]
    plan: String,
    #[serde(default)]
    hostname: String,
    #[serde(default)]
    suspended: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    ptr: String,
    #[serde(default)]
    net: String,
    #[serde(default)]
    disk: String,
}

/// What an action route does.
#[derive(Clone, Copy)]
enum Act {
    Power,
    Delete,
    Reinstall,
    Resize,
    Rename,
    AddIpv4,
    RemoveIpv4,
    SetPtr,
    AttachNet,
    DetachNet,
    AttachDisk,
    DetachDisk,
}

async fn act(
    state: &AppState,
    ctx: &Ctx,
    user: crate::domain::account::UserId,
    admin: bool,
    id: u64,
    what: Act,
    f: ActionForm,
) -> Result<Response, WebError> {
    let base = if admin { "/admin/vms" } else { "/vms" };
    let scope = scope_of(admin, user);
    let id = VmId(id);
    let vm = state.svc.vms.get(scope, id).map_err(not_found)?;
    let who = actor(user, admin, &ctx.client_ip.to_string());
    let back = format!("{base}/{id}");
    let result: Result<String, VmError> = match what {
        Act::Power => match PowerAction::parse(&f.action) {
            Some(a) => state.svc.vms.power(scope, id, a, who).await.map(|vm| match a {
                PowerAction::Start => "Started.".to_string(),
                PowerAction::Shutdown => "Shutdown requested: the guest is powering off.".to_string(),
                PowerAction::ForceOff => "Powered off.".to_string(),
                PowerAction::Reboot => "Reboot requested.".to_string(),
                PowerAction::Reset => format!("Hard reset done; the server is {}.", vm.power.as_str()),
            }),
            None => return Err(WebError::BadRequest(format!("unknown power action {:?}", f.action))),
        },
        Act::Delete => {
            state.svc.vms.delete(scope, id, &f.confirm, who).await.map(|()| "Deleting…".to_string())
        }
        Act::Reinstall => {
            if f.confirm.trim().to_ascii_lowercase() != vm.hostname {
                Err(VmError::ConfirmMismatch)
            } else {
                let t = TemplateId(form_id("template", &f.template)?);
                state.svc.vms.reinstall(scope, id, t, who).await.map(|()| "Reinstalling…".to_string())
            }
        }
        Act::Resize => {
            let p = PlanId(form_id("plan", &f.plan)?);
            state.svc.vms.resize(scope, id, p, who).await.map(|()| "Changing the plan…".to_string())
        }
        Act::Rename => state
            .svc
            .vms
            .rename(scope, id, &f.hostname, who)
            .await
            .map(|vm| format!("Renamed to {}.", vm.hostname)),
        Act::AddIpv4 => state.svc.vms.add_ipv4(scope, id, who).await.map(|l| {
            format!("{} added. It takes effect in the server at its next boot: reboot it when convenient.", l.address.0)
        }),
        Act::RemoveIpv4 => match f.address.trim().parse() {
            Ok(addr) => state.svc.vms.remove_ipv4(scope, id, addr, who).await.map(|()| {
                format!("{addr} removed. Traffic from it is blocked now; the server stops using it at its next boot.")
            }),
            Err(_) => Err(VmError::NotFound),
        },
        Act::SetPtr => {
            let addr = f.address.trim().parse().ok();
            let leases = state.svc.ipam.vm_leases(id)?;
            match addr.filter(|a| leases.iter().any(|l| l.address.0 == *a)) {
                Some(addr) => {
                    let owner = (!admin).then_some(vm.owner);
                    state.svc.ipam.set_ptr(owner, addr, &f.ptr).await.map_err(VmError::Ip).map(|p| match p {
                        Some(name) => format!("Reverse DNS of {addr} set to {name}."),
                        None => format!("Reverse DNS of {addr} cleared."),
                    })
                }
                None => Err(VmError::NotFound),
            }
        }
        Act::AttachNet => {
            let net = NetId(form_id("net", &f.net)?);
            state
                .svc
                .vms
                .attach_network(scope, id, net, who)
                .await
                .map(|p| format!("On {} as eth{} with {}/{}.", p.name, p.slot, p.address, p.subnet.len))
        }
        Act::DetachNet => {
            let net = NetId(form_id("net", &f.net)?);
            state
                .svc
                .vms
                .detach_network(scope, id, net, who)
                .await
                .map(|()| "Detached from the network.".into())
        }
        Act::AttachDisk => {
            let disk = DiskId(form_id("disk", &f.disk)?);
            state.svc.vms.attach_disk(scope, id, disk, who).await.map(|d| {
                let dev = d.attached.map(|(_, s)| crate::domain::disk::target_of(s)).unwrap_or_default();
                format!("Disk {} attached as /dev/{dev}.", d.name)
            })
        }
        Act::DetachDisk => {
            let disk = DiskId(form_id("disk", &f.disk)?);
            state.svc.vms.detach_disk(scope, id, disk, who).await.map(|()| "Disk detached.".into())
        }
    };
    match result {
        Ok(msg) => {
            if matches!(what, Act::Delete) {
                state.svc.consoles.end_vm(id, "The virtual machine was deleted");
            }
            let to = if matches!(what, Act::Delete) { base.to_string() } else { back };
            Ok(redirect_with_flash(&to, FlashKind::Ok, &msg))
        }
        Err(e) if e.is_user_error() => {
            Ok(redirect_with_flash(&back, FlashKind::Error, &format!("{e} ({})", e.code())))
        }
        Err(e) => Err(not_found(e)),
    }
}

macro_rules! action_routes {
    ($($cust:ident, $adm:ident, $act:expr;)*) => {$(
        /// Customer action route.
        pub async fn $cust(
            State(state): State<AppState>,
            Customer(ctx, s): Customer,
            Path(id): Path<u64>,
            CsrfForm(f): CsrfForm<ActionForm>,
        ) -> Result<Response, WebError> {
            act(&state, &ctx, s.user.id, false, id, $act, f).await
        }

        /// Admin action route.
        pub async fn $adm(
            State(state): State<AppState>,
            Admin(ctx, s): Admin,
            Path(id): Path<u64>,
            CsrfForm(f): CsrfForm<ActionForm>,
        ) -> Result<Response, WebError> {
            act(&state, &ctx, s.user.id, true, id, $act, f).await
        }
    )*};
}

action_routes! {
    vm_power_post, admin_vm_power_post, Act::Power;
    vm_delete_post, admin_vm_delete_post, Act::Delete;
    vm_reinstall_post, admin_vm_reinstall_post, Act::Reinstall;
    vm_resize_post, admin_vm_resize_post, Act::Resize;
    vm_rename_post, admin_vm_rename_post, Act::Rename;
    vm_ip_add_post, admin_vm_ip_add_post, Act::AddIpv4;
    vm_ip_remove_post, admin_vm_ip_remove_post, Act::RemoveIpv4;
    vm_rdns_post, admin_vm_rdns_post, Act::SetPtr;
    vm_net_attach_post, admin_vm_net_attach_post, Act::AttachNet;
    vm_net_detach_post, admin_vm_net_detach_post, Act::DetachNet;
    vm_disk_attach_post, admin_vm_disk_attach_post, Act::AttachDisk;
    vm_disk_detach_post, admin_vm_disk_detach_post, Act::DetachDisk;
}

/// `POST /admin/vms/{id}/suspend`.
pub async fn admin_vm_suspend_post(
    State(state): State<AppState>,
    Admin(ctx, s): Admin,
    Path(id): Path<u64>,
    CsrfForm(f): CsrfForm<ActionForm>,
) -> Result<Response, WebError> {
    let suspend = f.suspended == "true";
    let who = actor(s.user.id, true, &ctx.client_ip.to_string());
    let back = format!("/admin/vms/{id}");
    match state.svc.vms.set_suspended(VmId(id), suspend, who).await {
        Ok(_) => {
            if suspend {
                state.svc.consoles.end_vm(VmId(id), "The virtual machine was suspended");
            }
            Ok(redirect_with_flash(&back, FlashKind::Ok, if suspend { "Suspended." } else { "Unsuspended." }))
        }
        Err(VmError::NotFound) => Err(WebError::NotFound),
        Err(e) if e.is_user_error() => {
            Ok(redirect_with_flash(&back, FlashKind::Error, &format!("{e} ({})", e.code())))
        }
        Err(e) => Err(e.into()),
    }
}
