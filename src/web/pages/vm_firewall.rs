//! The firewall panel of the VM page and its routes: inbound rules in order (add, remove), the
//! default for traffic no rule matches. Applied to the running VM at once.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::firewall::{self, Action, Firewall, Protocol};
use crate::domain::vm::VmId;
use crate::service::vms::{Scope, VmError, actor};
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, Customer, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::csrf_field;

/// The firewall panel. `public` when the VM has a public interface to guard; the forms show
/// only when the VM is `ready` for a change.
pub fn firewall_panel(ctx: &Ctx, base: &str, id: VmId, fw: &Firewall, public: bool, ready: bool) -> Markup {
    html! {
        div.panel {
            h2 { "Firewall (inbound)" }
            @if !public {
                p.hint { "This host gives servers no public interface, so there is nothing to guard yet; rules are kept for when there is." }
            }
            @if fw.rules.is_empty() {
                p.muted { "No rules." }
            } @else {
                table {
                    thead { tr { th { "#" } th { "Rule" } th { "" } } }
                    tbody { @for (i, r) in fw.rules.iter().enumerate() { tr {
                        td { (i + 1) }
                        td { code { (r) } }
                        td { @if ready {
                            form.inline method="post" action={ (base) "/" (id) "/firewall/remove" } {
                                (csrf_field(ctx))
                                input type="hidden" name="index" value=(i);
                                button.secondary type="submit" { "Remove" }
                            }
                        } }
                    } } }
                }
            }
            p { "Anything no rule matches: " strong { (if fw.default == Action::Allow { "allowed" } else { "dropped" }) } "." }
            @if ready {
                form method="post" action={ (base) "/" (id) "/firewall" } {
                    (csrf_field(ctx))
                    div.row {
                        select name="rule_action" aria-label="Allow or deny" {
                            option value="allow" { "allow" } option value="deny" { "deny" }
                        }
                        select name="protocol" aria-label="Protocol" {
                            @for p in Protocol::ALL { option value=(p.as_str()) { (p.as_str()) } }
                        }
                        input type="text" name="ports" placeholder="port or range, e.g. 22 or 8000-8100" aria-label="Ports";
                        input type="text" name="source" placeholder="from, e.g. 203.0.113.0/24 (empty: anywhere)" aria-label="Source";
                        button.secondary type="submit" { "Add rule" }
                    }
                }
                form.inline method="post" action={ (base) "/" (id) "/firewall/default" } {
                    (csrf_field(ctx))
                    @let other = if fw.default == Action::Allow { Action::Deny } else { Action::Allow };
                    input type="hidden" name="default" value=(other.as_str());
                    button.secondary type="submit" {
                        (if other == Action::Deny { "Drop everything no rule allows" } else { "Allow everything no rule denies" })
                    }
                }
                p.hint { "Rules are checked top to bottom; the first match decides. Replies to connections the server opens always come back in." }
            }
        }
    }
}

/// Body of the firewall forms.
#[derive(Deserialize, Default)]
pub struct FirewallForm {
    #[serde(default)]
    rule_action: String,
    #[serde(default)]
    protocol: String,
    #[serde(default)]
    ports: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    index: String,
    #[serde(default)]
    default: String,
}

#[derive(Clone, Copy)]
enum FwAct {
    Add,
    Remove,
    Default,
}

async fn fw_act(
    state: &AppState,
    ctx: &Ctx,
    user: crate::domain::account::UserId,
    admin: bool,
    id: u64,
    what: FwAct,
    f: FirewallForm,
) -> Result<Response, WebError> {
    let base = if admin { "/admin/vms" } else { "/vms" };
    let scope = if admin { Scope::Admin } else { Scope::Owner(user) };
    let id = VmId(id);
    let back = format!("{base}/{id}");
    let who = actor(user, admin, &ctx.client_ip.to_string());
    let vms = &state.svc.vms;
    let result = match what {
        FwAct::Add => match firewall::parse_rule(&f.rule_action, &f.protocol, &f.ports, &f.source) {
            Ok(rule) => {
                let text = rule.to_string();
                vms.add_firewall_rule(scope, id, rule, None, who)
                    .await
                    .map(|_| format!("Rule added: {text}."))
            }
            Err(e) => Err(VmError::Rule(e)),
        },
        FwAct::Remove => match f.index.trim().parse::<usize>() {
            Ok(i) => vms.remove_firewall_rule(scope, id, i, who).await.map(|_| "Rule removed.".to_string()),
            Err(_) => Err(VmError::NotFound),
        },
        FwAct::Default => {
            let default = if f.default == "deny" { Action::Deny } else { Action::Allow };
            vms.set_firewall_default(scope, id, default, who).await.map(|fw| match fw.default {
                Action::Allow => "Traffic no rule matches is allowed.".to_string(),
                Action::Deny => "Traffic no rule allows is dropped.".to_string(),
            })
        }
    };
    match result {
        Ok(msg) => Ok(redirect_with_flash(&back, FlashKind::Ok, &msg)),
        // A VM that is not the caller's: 404 before anything else is told.
        Err(VmError::NotFound) if vms.get(scope, id).is_err() => Err(WebError::NotFound),
        Err(e) => refused(&back, e),
    }
}

macro_rules! firewall_routes {
    ($($cust:ident, $adm:ident, $act:expr;)*) => {$(
        /// Customer firewall route.
        pub async fn $cust(
            State(state): State<AppState>,
            Customer(ctx, s): Customer,
            Path(id): Path<u64>,
            CsrfForm(f): CsrfForm<FirewallForm>,
        ) -> Result<Response, WebError> {
            fw_act(&state, &ctx, s.user.id, false, id, $act, f).await
        }

        /// Admin firewall route.
        pub async fn $adm(
            State(state): State<AppState>,
            Admin(ctx, s): Admin,
            Path(id): Path<u64>,
            CsrfForm(f): CsrfForm<FirewallForm>,
        ) -> Result<Response, WebError> {
            fw_act(&state, &ctx, s.user.id, true, id, $act, f).await
        }
    )*};
}

firewall_routes! {
    vm_fw_add_post, admin_vm_fw_add_post, FwAct::Add;
    vm_fw_remove_post, admin_vm_fw_remove_post, FwAct::Remove;
    vm_fw_default_post, admin_vm_fw_default_post, FwAct::Default;
}
