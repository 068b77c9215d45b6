//! An admin's limits for one server instead of its plan's: its port speed and monthly traffic
//! allowance (on the admin's server page; the owner's door answers 404).

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::allowance::{Allowance, AllowanceOverride, VmLimits};
use crate::domain::vm::{PortSpeed, VmId};
use crate::i18n::Msg;
use crate::service::vms::VmError;
use crate::web::AppState;
use crate::web::ctx::{Ctx, Door, PathId};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::csrf_field;

/// The form, filled with what is set (empty: the plan's).
pub fn limits_form(ctx: &Ctx, base: &str, id: VmId, l: &VmLimits) -> Markup {
    let port = l.port.map(|p| p.mbit.to_string()).unwrap_or_default();
    let traffic = match l.allowance {
        None => String::new(),
        Some(AllowanceOverride::Unlimited) => "unlimited".into(),
        Some(AllowanceOverride::Limited(a)) => a.gib.to_string(),
    };
    html! {
        h2 { (ctx.t(Msg::VmLimitsTitle)) }
        p.hint { (ctx.t(Msg::VmLimitsHint)) }
        form.cols method="post" action={ (base) "/" (id) "/limits" } {
            (csrf_field(ctx))
            div { label for="vm-port" { (ctx.t(Msg::AdminFairUsePort)) } input #vm-port type="text" name="port_mbit" inputmode="numeric" value=(port); }
            div { label for="vm-traffic" { (ctx.t(Msg::AdminFairUseTraffic)) } input #vm-traffic type="text" name="traffic_gib" value=(traffic) placeholder="unlimited"; }
            div.actions { button.secondary type="submit" { (ctx.t(Msg::AdminFairUseSet)) } }
        }
    }
}

/// `port_mbit` and `traffic_gib`: empty for the plan's; `traffic_gib` may say `unlimited`.
#[derive(Deserialize)]
pub struct LimitsForm {
    #[serde(default)]
    port_mbit: String,
    #[serde(default)]
    traffic_gib: String,
}

impl LimitsForm {
    fn parse(&self) -> Option<VmLimits> {
        let port = match self.port_mbit.trim() {
            "" => None,
            v => Some(PortSpeed::new(v.parse().ok()?)?),
        };
        let allowance = match self.traffic_gib.trim() {
            "" => None,
            v if v.eq_ignore_ascii_case("unlimited") => Some(AllowanceOverride::Unlimited),
            v => Some(AllowanceOverride::Limited(Allowance::new(v.parse().ok()?)?)),
        };
        Some(VmLimits { port, allowance })
    }
}

/// `POST {base}/{id}/limits` (admins).
pub async fn limits_post(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
    CsrfForm(f): CsrfForm<LimitsForm>,
) -> Result<Response, WebError> {
    if !door.admin() {
        return Err(WebError::NotFound);
    }
    let r = match f.parse() {
        Some(l) => state
            .svc
            .vms
            .set_vm_limits(&door.caller, id, l)
            .await
            .map(|()| door.ctx.t(Msg::VmLimitsDone).to_string()),
        None => Err(VmError::LimitsRange),
    };
    super::vms::finish(&state, &door, id, r)
}
