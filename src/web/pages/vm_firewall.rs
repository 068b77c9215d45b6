//! The firewall panel of the VM page and its routes: inbound rules in order (add, remove), the
//! default for traffic no rule matches. Applied to the running VM at once.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::firewall::{self, Action, Firewall, Protocol};
use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::service::vms::VmError;
use crate::web::AppState;
use crate::web::ctx::{Ctx, Door, FlashKind, PathId, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::csrf_field;

/// The firewall panel. `public` when the VM has a public interface to guard; the forms show
/// only when the VM is `ready` for a change.
pub fn firewall_panel(ctx: &Ctx, base: &str, id: VmId, fw: &Firewall, public: bool, ready: bool) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        div.panel {
            h2 { (t(Msg::FirewallTitle)) }
            @if !public {
                p.hint { (t(Msg::FirewallNoPublic)) }
            }
            @if fw.rules.is_empty() {
                p.muted { (t(Msg::FirewallNone)) }
            } @else {
                table {
                    thead { tr { th { "#" } th { (t(Msg::FirewallRule)) } th { "" } } }
                    tbody { @for (i, r) in fw.rules.iter().enumerate() { tr {
                        td { (i + 1) }
                        td { (rule_words(ctx, r)) }
                        td { @if ready {
                            form.inline method="post" action={ (base) "/" (id) "/firewall/remove" } {
                                (csrf_field(ctx))
                                input type="hidden" name="index" value=(i);
                                button.secondary type="submit" { (t(Msg::FirewallRemove)) }
                            }
                        } }
                    } } }
                }
            }
            p { (ctx.fmt(Msg::FirewallDefault, &[("action", fw.default.as_str().into())])) }
            @if ready {
                form method="post" action={ (base) "/" (id) "/firewall" } {
                    (csrf_field(ctx))
                    div.row {
                        select name="rule_action" aria-label=(t(Msg::FirewallActionLabel)) {
                            option value="allow" { (t(Msg::FirewallAllow)) } option value="deny" { (t(Msg::FirewallDeny)) }
                        }
                        select name="protocol" aria-label=(t(Msg::FirewallProtocol)) {
                            @for p in Protocol::ALL {
                                option value=(p.as_str()) {
                                    @if p == Protocol::Any { (t(Msg::FirewallAnyProtocol)) } @else { (p.as_str()) }
                                }
                            }
                        }
                        input type="text" name="ports" placeholder=(t(Msg::FirewallPortsPlaceholder)) aria-label=(t(Msg::FirewallPorts));
                        input type="text" name="source" placeholder=(t(Msg::FirewallSourcePlaceholder)) aria-label=(t(Msg::FirewallSource));
                        button.secondary type="submit" { (t(Msg::FirewallAdd)) }
                    }
                }
                form.inline method="post" action={ (base) "/" (id) "/firewall/default" } {
                    (csrf_field(ctx))
                    @let other = if fw.default == Action::Allow { Action::Deny } else { Action::Allow };
                    input type="hidden" name="default" value=(other.as_str());
                    button.secondary type="submit" {
                        (t(if other == Action::Deny { Msg::FirewallDropRest } else { Msg::FirewallAllowRest }))
                    }
                }
                p.hint { (t(Msg::FirewallHint)) }
            }
        }
    }
}

/// `firewall`: a rule to add at the end.
#[derive(Deserialize)]
pub struct RuleForm {
    #[serde(default)]
    rule_action: String,
    #[serde(default)]
    protocol: String,
    #[serde(default)]
    ports: String,
    #[serde(default)]
    source: String,
}

/// `firewall/remove`: the rule's position (0-based).
#[derive(Deserialize)]
pub struct RemoveForm {
    index: usize,
}

/// `firewall/default`: what happens to traffic no rule matches.
#[derive(Deserialize)]
pub struct DefaultForm {
    default: DefaultAction,
}

/// The form value of a default action.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum DefaultAction {
    Allow,
    Deny,
}

/// The end of a firewall action: back to the VM page with what happened, or why not.
fn back_to_vm(door: &Door, id: VmId, r: Result<String, VmError>) -> Result<Response, WebError> {
    let back = format!("{}/{id}", door.base);
    match r {
        Ok(msg) => Ok(redirect_with_flash(&back, FlashKind::Ok, &msg)),
        Err(e) => refused(&door.ctx, &back, e),
    }
}

/// `POST {base}/{id}/firewall`: add a rule.
pub async fn add_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<RuleForm>,
) -> Result<Response, WebError> {
    state.svc.vms.get(&door.caller, id)?;
    let r = match firewall::parse_rule(&f.rule_action, &f.protocol, &f.ports, &f.source) {
        Ok(rule) => {
            let text = rule_words(&door.ctx, &rule);
            state
                .svc
                .vms
                .add_firewall_rule(&door.caller, id, rule, None)
                .await
                .map(|_| door.ctx.fmt_string(Msg::FirewallAdded, &[("rule", text.into())]))
        }
        Err(e) => Err(VmError::Rule(e)),
    };
    back_to_vm(&door, id, r)
}

/// `POST {base}/{id}/firewall/remove`: remove a rule.
pub async fn remove_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<RemoveForm>,
) -> Result<Response, WebError> {
    state.svc.vms.get(&door.caller, id)?;
    let r = state
        .svc
        .vms
        .remove_firewall_rule(&door.caller, id, f.index)
        .await
        .map(|_| door.ctx.t(Msg::FirewallRemoved).to_string());
    back_to_vm(&door, id, r)
}

/// `POST {base}/{id}/firewall/default`: allow or drop what no rule matches.
pub async fn default_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<DefaultForm>,
) -> Result<Response, WebError> {
    state.svc.vms.get(&door.caller, id)?;
    let default = match f.default {
        DefaultAction::Allow => Action::Allow,
        DefaultAction::Deny => Action::Deny,
    };
    let r = state.svc.vms.set_firewall_default(&door.caller, id, default).await.map(|fw| match fw.default {
        Action::Allow => door.ctx.t(Msg::FirewallNowAllowed).to_string(),
        Action::Deny => door.ctx.t(Msg::FirewallNowDropped).to_string(),
    });
    back_to_vm(&door, id, r)
}

/// A rule in the reader's language: `allow tcp, ports 22, from anywhere`.
fn rule_words(ctx: &Ctx, r: &crate::domain::firewall::Rule) -> String {
    ctx.say(Msg::FirewallRuleText, &crate::service::vms::rule_args(r))
}
