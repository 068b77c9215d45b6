//! Ordering a VM: the order form (plan, OS, hostname, access, private networks) and its post.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::plans::{memory, plan_choices};
use crate::domain::catalog::{PlanId, TemplateId};
use crate::i18n::Msg;
use crate::service::Coded;
use crate::service::tokens;
use crate::service::vms::CreateVm;
use crate::web::AppState;
use crate::web::ctx::{Ctx, Customer};
use crate::web::error::{WebError, status_of};
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, form_error_text, page};

/// Fields of the order form, kept to refill it after an error.
#[derive(Deserialize, Default, Clone)]
pub struct OrderForm {
    #[serde(default)]
    plan: String,
    #[serde(default)]
    template: String,
    #[serde(default)]
    hostname: String,
    #[serde(default)]
    root_password: String,
    #[serde(default)]
    once: String,
}

fn render_order(
    state: &AppState,
    ctx: &Ctx,
    user: crate::domain::account::UserId,
    f: &OrderForm,
    error: Option<(&str, &str)>,
) -> Result<Markup, WebError> {
    let plans = state.svc.plans.offered()?;
    let templates: Vec<_> = state.svc.templates.list()?.into_iter().filter(|t| t.enabled).collect();
    let keys = state.svc.keys.list(user)?;
    let nets = state.svc.privnets.list(user)?;
    let (limits, usage) = state.svc.quotas.overview(user)?;
    let once = if f.once.is_empty() { tokens::encode(&tokens::random_bytes()) } else { f.once.clone() };
    let t = |m| ctx.t(m);
    Ok(page(
        ctx,
        t(Msg::OrderTitle),
        &[(t(Msg::VmsTitle), "/vms"), (t(Msg::OrderCrumb), "/vms/new")],
        html! {
            h1 { (t(Msg::OrderTitle)) }
            @if let Some((msg, code)) = error { (form_error_text(ctx, msg, code)) }
            @if plans.is_empty() || templates.is_empty() {
                div.panel { p { (t(Msg::OrderNothing)) } }
            } @else {
                form method="post" action="/vms" {
                    (csrf_field(ctx))
                    input type="hidden" name="once" value=(once);
                    h2 { (t(Msg::OrderPlan)) }
                    (plan_choices(ctx, &plans, &f.plan))
                    p.hint { (ctx.fmt(Msg::OrderQuota, &[
                            ("vms", usage.vms.into()), ("vms_limit", limits.vms.into()),
                            ("vcpus", usage.vcpus.into()), ("vcpus_limit", limits.vcpus.into()),
                            ("memory", memory(ctx, usage.memory_mib).into()), ("memory_limit", memory(ctx, limits.memory_mib).into()),
                            ("disk", usage.disk_gb.into()), ("disk_limit", limits.disk_gb.into()),
                        ]))
                        " " a href="/quota" { (t(Msg::OrderAskMore)) } }
                    label for="template" { (t(Msg::OrderOs)) }
                    select #template name="template" {
                        @for t in &templates {
                            option value=(t.id) selected[f.template == t.id.to_string()] { (t.name) " (" (ctx.fmt(Msg::OsFamily, &[("os", t.os.as_str().into())])) ")" }
                        }
                    }
                    label for="hostname" { (t(Msg::OrderHostname)) }
                    input #hostname type="text" name="hostname" value=(f.hostname) placeholder="web1.example.com" required;
                    p.hint { (t(Msg::OrderHostnameHint)) }
                    h2 { (t(Msg::OrderAccess)) }
                    @if keys.is_empty() {
                        p.muted { (t(Msg::OrderNoKeys)) " " a href="/account/keys" { (t(Msg::OrderAddKey)) } }
                    } @else {
                        @for k in &keys {
                            label.check { input type="checkbox" name="key" value=(k.id) checked; " " (k.name) " " span.muted { (k.key.fingerprint()) } }
                        }
                    }
                    label for="root_password" { (t(Msg::OrderRootPassword)) }
                    input #root_password type="password" name="root_password" autocomplete="new-password";
                    p.hint { (t(Msg::OrderRootPasswordHint)) }
                    @if !nets.is_empty() {
                        h2 { (t(Msg::OrderNetworks)) }
                        @for n in &nets {
                            label.check { input type="checkbox" name="net" value=(n.net.id); " " (n.net.name) " " span.muted { (n.net.subnet) } }
                        }
                    }
                    div.actions { button type="submit" { (t(Msg::OrderCreate)) } }
                }
            }
        },
    ))
}

/// `GET /vms/new`.
pub async fn vm_new_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    Ok(render_order(&state, &ctx, s.user.id, &OrderForm::default(), None)?.into_response())
}

/// `POST /vms`: order a VM; goes to its page, which shows the progress.
pub async fn vm_create_post(
    State(state): State<AppState>,
    Customer(ctx, s, caller): Customer,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    // Read as pairs: the `key` checkboxes repeat.
    let field =
        |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let f = OrderForm {
        plan: field("plan"),
        template: field("template"),
        hostname: field("hostname"),
        root_password: field("root_password"),
        once: field("once"),
    };
    let key_ids: Vec<u64> =
        pairs.iter().filter(|(k, _)| k == "key").filter_map(|(_, v)| v.parse().ok()).collect();
    let order = CreateVm {
        plan: PlanId(crate::web::form::form_id("plan", &f.plan)?),
        template: TemplateId(crate::web::form::form_id("template", &f.template)?),
        hostname: f.hostname.clone(),
        key_ids,
        root_password: Some(f.root_password.clone()).filter(|p| !p.is_empty()),
        once_key: f.once.clone(),
        networks: pairs
            .iter()
            .filter(|(k, _)| k == "net")
            .filter_map(|(_, v)| v.parse().ok())
            .map(crate::domain::privnet::NetId)
            .collect(),
        restore: None,
    };
    match state.svc.vms.create(s.user.id, order, &caller).await {
        Ok(id) => Ok(Redirect::to(&format!("/vms/{id}")).into_response()),
        Err(e) if e.is_user_error() => {
            let status = status_of(e.kind());
            let refill = OrderForm { root_password: String::new(), once: String::new(), ..f };
            Ok((
                status,
                render_order(&state, &ctx, s.user.id, &refill, Some((&ctx.error_text(&e), e.code())))?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
