//! One virtual machine: the VM page with its power buttons, progress of running operations,
//! reinstall, resize, rename and delete, and its network and disk actions. The routes are
//! written once ([`routes`]) and mounted twice: at `/vms` for owners and at `/admin/vms` for
//! admins, who also get suspend; the [`Door`] says which. (Ordering: `vm_order`.)

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::plans::plan_summary;
use super::vm_state::{power_word, state_badge, step_words};
use crate::domain::catalog::{PlanId, TemplateId};
use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::service::pages::VmPage;
use crate::service::vms::{PowerAction, VmError};
use crate::store::records::{VmPhase, VmRecord};
use crate::web::AppState;
use crate::web::ctx::{Ctx, Door, FlashKind, PathId, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, form_error_text, page};

/// Seconds after a graceful shutdown request when "force off" is pointed out.
const FORCE_OFF_HINT_SECS: i64 = 60;

/// How root logs in to this VM, as its seed configures sshd and the console.
fn login_summary(vm: &VmRecord) -> Msg {
    if vm.root_password_hash.is_some() { Msg::VmLoginPassword } else { Msg::VmLoginKeys }
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
/// `rescue_password`: the one-time password of a rescue system just started, shown once.
/// `agent`: whether the running guest's agent answers (read from libvirt for the page).
pub(super) fn render_vm(
    door: &Door,
    m: &VmPage,
    rescue_password: Option<&str>,
    agent: Option<bool>,
) -> Markup {
    let (ctx, base, admin) = (&door.ctx, door.base.as_str(), door.admin());
    let (vm, intent) = (&m.vm, m.intent.as_ref());
    let ready = vm.phase == VmPhase::Ready && intent.is_none();
    let running = vm.power.is_active();
    let force_hint =
        vm.shutdown_requested_at.is_some_and(|t| running && m.now.secs_since(t) >= FORCE_OFF_HINT_SECS);
    let t = |m| ctx.t(m);
    let crumbs: Vec<(&str, &str)> = if admin {
        vec![super::admin::crumb_admin(ctx), (t(Msg::VmsTitle), "/admin/vms")]
    } else {
        vec![(t(Msg::VmsTitle), "/vms")]
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
            div.heading { h1 { (vm.hostname) " " (state_badge(ctx, vm, intent.is_some())) } }
            @if let Some(pw) = rescue_password { (super::vm_rescue::rescue_password(ctx, pw)) }
            @if let Some(r) = &m.rescue { (super::vm_rescue::rescue_banner(ctx, base, vm.id, r, ready)) }
            @if let VmPhase::Failed { code, message } = &vm.phase {
                // In the reader's language when it needs no values (not kept), else as recorded.
                @let message = ctx.catalog.error(ctx.lang, code, &[]).unwrap_or_else(|| message.clone());
                (form_error_text(ctx, &ctx.fmt_string(Msg::VmFailed, &[("message", message.as_str().into())]), code))
                p { (t(Msg::VmFailedHint)) }
            }
            @if vm.suspended { div.flash.err { (t(Msg::VmSuspendedNote)) } }
            (super::vm_usage::abuse_panel(ctx, base, admin, vm, m.abuse.as_ref()))
            @if let Some(i) = intent {
                div.panel {
                    h2 { (t(Msg::VmInProgress)) }
                    ol.steps {
                        @for step in i.op.steps() {
                            li class=(if i.done.contains(step) { "done" } else { "todo" }) {
                                (if i.done.contains(step) { "✓ " } else { "… " }) (t(step_words(*step)))
                            }
                        }
                    }
                    p.muted { (ctx.fmt(Msg::VmStartedAt, &[("at", ctx.lang.time(i.started_at).into())])) }
                }
            }
            div.grid {
                div.panel {
                    h2 { (t(Msg::VmDetails)) }
                    table { tbody {
                        tr { th { (t(Msg::VmPlan)) } td { (vm.plan_name) } }
                        tr { th { (t(Msg::VmHardware)) } td { (plan_summary(ctx, &vm.spec)) } }
                        tr { th { (t(Msg::VmOs)) } td { (vm.template_name) } }
                        tr { th { (t(Msg::VmCreated)) } td { (ctx.time(vm.created_at)) } }
                        tr { th { (t(Msg::VmLastChange)) } td { (ctx.time(vm.updated_at)) } }
                        tr { th { (t(Msg::VmUuid)) } td { code { (vm.uuid) } } }
                        tr { th { (t(Msg::VmSshKeys)) } td { (vm.ssh_keys.len()) } }
                        tr { th { (t(Msg::VmLogin)) } td { (t(login_summary(vm))) } }
                    } }
                }
                (super::vm_network::addresses_panel(ctx, base, vm.id, &m.leases, m.extra_ipv4 > 0, ready))
                (super::vm_network::traffic_panel(ctx, &m.traffic, &m.allowance))
                (super::vm_devices::networks_panel(ctx, base, vm.id, &m.ports, &m.owned_nets, ready))
                (super::vm_devices::disks_panel(ctx, base, vm.id, &m.attached, &m.detached, ready))
                (super::vm_firewall::firewall_panel(ctx, base, vm.id, &m.firewall, m.public, ready))
                @if ready {
                    div.panel {
                        h2 { (t(Msg::VmPower)) }
                        div.actions {
                            @if !running {
                                (power_button(ctx, base, vm.id, PowerAction::Start, t(Msg::VmStart), ""))
                            } @else {
                                (power_button(ctx, base, vm.id, PowerAction::Shutdown, t(Msg::VmShutDown), "secondary"))
                                (power_button(ctx, base, vm.id, PowerAction::Reboot, t(Msg::VmReboot), "secondary"))
                                (power_button(ctx, base, vm.id, PowerAction::Reset, t(Msg::VmHardReset), "danger"))
                                (power_button(ctx, base, vm.id, PowerAction::ForceOff, t(Msg::VmForceOff), "danger"))
                            }
                        }
                        @if running {
                            div.actions {
                                a.button.secondary href={ (base) "/" (vm.id) "/console" } { (t(Msg::VmConsole)) }
                                a.button.secondary href={ (base) "/" (vm.id) "/serial" } { (t(Msg::VmSerialConsole)) }
                            }
                            (super::console::thumbnail(ctx, base, vm.id))
                        }
                        @if force_hint {
                            p.flash.info { (t(Msg::VmForceHint)) }
                        }
                        p.hint { (t(Msg::VmResetHint)) }
                    }
                }
                @if ready { (super::vm_iso::iso_panel(ctx, base, vm.id, m.iso.as_ref(), &m.isos, m.iso_uploads && !admin)) }
                @if ready && m.rescue.is_none() {
                    (super::vm_password::password_panel(ctx, base, vm.id, agent))
                    (super::vm_rescue::rescue_panel(ctx, base, vm.id, m.rescue_offered))
                }
            }
            @if m.rescue.is_none() && (ready || !m.snapshots.is_empty()) {
                (super::vm_snapshots::snapshots_panel(ctx, base, vm.id, &m.snapshots, ready))
            }
            (super::vm_usage::usage_panel(ctx, base, vm.id, &m.usage))
            @if ready {
                p { a.button.secondary href={ (base) "/" (vm.id) "/backups" } { (t(Msg::VmBackups)) } }
            }
            @if ready {
                div.grid {
                    @if m.rescue.is_none() { div.panel {
                        h2 { (t(Msg::VmReinstall)) }
                        p.hint { (t(Msg::VmReinstallHint)) }
                        form method="post" action={ (base) "/" (vm.id) "/reinstall" } {
                            (csrf_field(ctx))
                            select name="template" aria-label=(t(Msg::VmOperatingSystem)) {
                                @for t in &m.templates { option value=(t.id) selected[t.id == vm.template] { (t.name) } }
                            }
                            label for="confirm-reinstall" { (t(Msg::VmConfirmHostname)) }
                            input #confirm-reinstall type="text" name="confirm" autocomplete="off" required;
                            div.actions { button.danger type="submit" { (t(Msg::VmReinstall)) } }
                        }
                    } }
                    div.panel {
                        h2 { (t(Msg::VmChangePlan)) }
                        p.hint { (t(Msg::VmChangePlanHint)) }
                        form method="post" action={ (base) "/" (vm.id) "/resize" } {
                            (csrf_field(ctx))
                            select name="plan" aria-label=(t(Msg::VmPlan)) {
                                @for p in &m.plans { option value=(p.id) selected[p.id == vm.plan] { (p.name) " — " (plan_summary(ctx, &p.spec)) } }
                            }
                            div.actions { button.secondary type="submit" { (t(Msg::VmChangePlan)) } }
                        }
                        h2 { (t(Msg::VmRename)) }
                        form method="post" action={ (base) "/" (vm.id) "/rename" } {
                            (csrf_field(ctx))
                            input type="text" name="hostname" value=(vm.hostname) aria-label=(t(Msg::VmHostname)) required;
                            div.actions { button.secondary type="submit" { (t(Msg::VmRename)) } }
                        }
                    }
                }
            }
            @if ready || matches!(vm.phase, VmPhase::Failed { .. }) {
                div.panel.danger-zone {
                    h2 { (t(Msg::VmDelete)) }
                    p { (t(Msg::VmDeleteHint)) }
                    form method="post" action={ (base) "/" (vm.id) "/delete" } {
                        (csrf_field(ctx))
                        label for="confirm" { (ctx.fmt(Msg::VmDeleteConfirm, &[("hostname", vm.hostname.as_str().into())])) }
                        input #confirm type="text" name="confirm" autocomplete="off" required;
                        div.actions { button.danger type="submit" { (t(Msg::VmDeleteButton)) } }
                    }
                }
            }
            @if admin {
                div.panel {
                    h2 { (t(Msg::VmProviderActions)) }
                    form.inline method="post" action={ (base) "/" (vm.id) "/suspend" } {
                        (csrf_field(ctx))
                        input type="hidden" name="suspended" value=(if vm.suspended { "false" } else { "true" });
                        button.secondary type="submit" { (t(if vm.suspended { Msg::VmUnsuspend } else { Msg::VmSuspend })) }
                    }
                    p.hint { (ctx.fmt(Msg::VmOwnerHint, &[("owner", vm.owner.0.into())])) }
                    (super::vm_limits::limits_form(ctx, base, vm.id, &m.limits))
                }
            }
            @if let Some(a) = &m.availability { (super::vm_sla::render_availability(ctx, a)) }
            div.panel {
                h2 { (t(Msg::VmActivity)) }
                @if m.history.is_empty() { p.muted { (t(Msg::VmNothingYet)) } } @else {
                    table { tbody {
                        @for a in &m.history {
                            tr {
                                td { (ctx.time(a.at)) } td title=(a.action) { (super::quota::action_words(ctx, &a.action)) }
                                td { (super::quota::detail_words(ctx, a)) } td.muted { (a.ip) }
                            }
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
        .route("/{id}/password", post(super::vm_password::password_post))
        .route("/{id}/limits", post(super::vm_limits::limits_post))
        .route("/{id}/iso", post(super::vm_iso::attach_post))
        .route("/{id}/iso/detach", post(super::vm_iso::detach_post))
        .route("/{id}/rescue", post(super::vm_rescue::rescue_post))
        .route("/{id}/rescue/leave", post(super::vm_rescue::leave_post))
        .route("/{id}/snapshots", post(super::vm_snapshots::take_post))
        .route("/{id}/snapshots/revert", post(super::vm_snapshots::revert_post))
        .route("/{id}/snapshots/delete", post(super::vm_snapshots::delete_post))
        .route("/{id}/suspend", post(suspend_post))
        .route("/{id}/abuse/cap", post(super::vm_usage::cap_post))
        .route("/{id}/abuse/lift", post(super::vm_usage::lift_post))
        .route("/{id}/abuse/close", post(super::vm_usage::close_post))
        .route("/{id}/abuse/suspend", post(super::vm_usage::suspend_post))
        .route("/{id}/ips", post(ip_add_post))
        .route("/{id}/ips/remove", post(ip_remove_post))
        .route("/{id}/rdns", post(rdns_post))
        .route("/{id}/networks", post(super::vm_devices::net_attach_post))
        .route("/{id}/networks/detach", post(super::vm_devices::net_detach_post))
        .route("/{id}/disks", post(super::vm_devices::disk_attach_post))
        .route("/{id}/disks/detach", post(super::vm_devices::disk_detach_post))
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
    axum::extract::Query(q): axum::extract::Query<VmQuery>,
) -> Result<Response, WebError> {
    let model = state.svc.vm_page(&door.caller, id, crate::domain::usage::Range::parse(&q.usage))?;
    let agent = match model.vm.power.is_active() && model.rescue.is_none() {
        true => state.svc.vms.agent_answers(&model.vm).await.unwrap_or_else(|e| {
            tracing::debug!(vm = %id, "cannot tell whether the guest agent answers: {e}");
            None
        }),
        false => None,
    };
    Ok(render_vm(&door, &model, None, agent).into_response())
}

/// The end of every action: back to the VM page with what happened, or with why not; a VM the
/// caller does not see is a 404 page before anything else is told.
pub(super) fn finish(
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

/// The VM page's query: the usage graphs' range (`24h`, the default, or `30d`).
#[derive(Deserialize, Default)]
struct VmQuery {
    #[serde(default)]
    usage: String,
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

async fn power_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<PowerForm>,
) -> Result<Response, WebError> {
    let ctx = &door.ctx;
    let r = state.svc.vms.power(&door.caller, id, f.action).await.map(|vm| {
        let msg = match f.action {
            PowerAction::Start => ctx.t(Msg::VmDoneStarted).to_string(),
            PowerAction::Shutdown => ctx.t(Msg::VmDoneShutdown).to_string(),
            PowerAction::ForceOff => ctx.t(Msg::VmDoneForcedOff).to_string(),
            PowerAction::Reboot => ctx.t(Msg::VmDoneReboot).to_string(),
            PowerAction::Reset => {
                ctx.fmt_string(Msg::VmDoneReset, &[("state", ctx.t(power_word(vm.power)).into())])
            }
        };
        // On the list, the message names the server it is about.
        if f.back == Back::List {
            ctx.fmt_string(
                Msg::VmDoneOnList,
                &[("hostname", vm.hostname.as_str().into()), ("message", msg.as_str().into())],
            )
        } else {
            msg
        }
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
        Ok(_) => {
            state.svc.consoles.end_vm(id, crate::service::console::Ended::Deleted);
            Ok(redirect_with_flash(&door.base, FlashKind::Ok, door.ctx.t(Msg::VmDoneDeleting)))
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
        state
            .svc
            .vms
            .reinstall(&door.caller, id, f.template)
            .await
            .map(|_| door.ctx.t(Msg::VmDoneReinstalling).to_string())
    };
    finish(&state, &door, id, r)
}

async fn resize_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<ResizeForm>,
) -> Result<Response, WebError> {
    let r = state
        .svc
        .vms
        .resize(&door.caller, id, f.plan)
        .await
        .map(|_| door.ctx.t(Msg::VmDoneResizing).to_string());
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
        .map(|vm| door.ctx.fmt_string(Msg::VmDoneRenamed, &[("hostname", vm.hostname.as_str().into())]));
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
            state.svc.consoles.end_vm(id, crate::service::console::Ended::Suspended);
            door.ctx.t(Msg::VmDoneSuspended).to_string()
        } else {
            door.ctx.t(Msg::VmDoneUnsuspended).to_string()
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
    let r = state
        .svc
        .vms
        .add_ipv4(&door.caller, id)
        .await
        .map(|l| door.ctx.fmt_string(Msg::VmDoneIpAdded, &[("address", l.address.0.to_string().into())]));
    finish(&state, &door, id, r)
}

async fn ip_remove_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<AddressForm>,
) -> Result<Response, WebError> {
    let r = match f.address.trim().parse() {
        Ok(addr) => state
            .svc
            .vms
            .remove_ipv4(&door.caller, id, addr)
            .await
            .map(|()| door.ctx.fmt_string(Msg::VmDoneIpRemoved, &[("address", addr.to_string().into())])),
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
                Some(name) => door.ctx.fmt_string(
                    Msg::VmDoneRdnsSet,
                    &[("address", addr.to_string().into()), ("name", name.as_str().into())],
                ),
                None => door.ctx.fmt_string(Msg::VmDoneRdnsCleared, &[("address", addr.to_string().into())]),
            })
        }
        None => Err(VmError::NotFound),
    };
    finish(&state, &door, id, r)
}
