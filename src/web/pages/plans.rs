//! Plans: the admin page (create, enable/disable, delete) and the public price list.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use std::collections::BTreeMap;

use super::admin::{admin_tabs, crumb_admin};
use crate::domain::allowance::Allowance;
use crate::domain::catalog::{PlanId, PlanSpec};
use crate::domain::money::Money;
use crate::domain::vm::{CpuLimits, PortSpeed};
use crate::i18n::Msg;
use crate::service::Coded;
use crate::service::plans::NewPlan;
use crate::store::records::PlanRecord;
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, FlashKind, redirect_with_flash};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, form_error_text, page};

/// Memory as MiB or GiB, whichever reads better.
pub fn memory(ctx: &Ctx, mib: u64) -> String {
    if mib >= 1024 && mib.is_multiple_of(1024) {
        ctx.fmt_string(Msg::UnitGib, &[("n", (mib / 1024).into())])
    } else {
        ctx.fmt_string(Msg::UnitMib, &[("n", mib.into())])
    }
}

/// One line describing a plan's hardware.
pub fn plan_summary(ctx: &Ctx, s: &PlanSpec) -> String {
    ctx.fmt_string(
        Msg::PlanSummary,
        &[
            ("vcpus", s.vcpus.into()),
            ("memory", memory(ctx, s.memory_mib).into()),
            ("disk", s.disk_gb.into()),
            ("ipv4", s.ipv4.into()),
        ],
    )
}

/// The plans as radio choices named `plan`: `selected` (an id) is ticked, else the first.
pub fn plan_choices(ctx: &Ctx, plans: &[crate::store::records::PlanRecord], selected: &str) -> maud::Markup {
    maud::html! {
        div.grid.choices {
            @for (i, p) in plans.iter().enumerate() {
                label.choice {
                    input type="radio" name="plan" value=(p.id)
                        checked[selected == p.id.to_string() || (selected.is_empty() && i == 0)];
                    strong { (p.name) } " — " (ctx.fmt(Msg::OrderPerMonth, &[("price", ctx.money(p.monthly_price).into())]))
                    br; span.muted { (plan_summary(ctx, &p.spec)) }
                    @if let Some(cap) = p.cpu.cap_percent { br; span.muted { (ctx.fmt(Msg::PlansCpuCap, &[("cap", cap.into())])) } }
                }
            }
        }
    }
}

/// `GET /plans`: the price list (public).
pub async fn plans_get(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let plans = state.svc.plans.offered()?;
    let allowances = state.svc.plans.allowances()?;
    let overages = state.svc.plans.overages()?;
    let throttle = state.svc.vms.throttle_speed().mbit;
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::PlansTitle)) }
        @if plans.is_empty() {
            p.muted { (t(Msg::PlansNone)) }
        } @else {
            div.grid {
                @for p in &plans {
                    div.panel.plan {
                        h2 { (p.name) }
                        p.stat { (ctx.money(p.monthly_price)) span.muted { " " (t(Msg::PlansPerMonth)) } }
                        ul.specs {
                            li { (ctx.fmt(Msg::PlansVcpu, &[("n", p.spec.vcpus.into())])) }
                            li { (ctx.fmt(Msg::PlansRam, &[("memory", memory(&ctx, p.spec.memory_mib).into())])) }
                            li { (ctx.fmt(Msg::PlansDisk, &[("n", p.spec.disk_gb.into())])) }
                            li { (ctx.fmt(Msg::PlansIpv4, &[("n", p.spec.ipv4.into())])) }
                            @if let Some(cap) = p.cpu.cap_percent { li { (ctx.fmt(Msg::PlansCpuCap, &[("cap", cap.into())])) } }
                            @if let Some(port) = p.port { li { (ctx.fmt(Msg::PlansPort, &[("mbit", port.mbit.into())])) } }
                            @if let Some(a) = allowances.get(&p.id) {
                                @if let Some(price) = overages.get(&p.id) {
                                    li { (ctx.fmt(Msg::PlansTrafficCharged, &[("gib", a.gib.into()), ("price", ctx.money(*price).into())])) }
                                } @else {
                                    li { (ctx.fmt(Msg::PlansTraffic, &[("gib", a.gib.into()), ("mbit", throttle.into())])) }
                                }
                            }
                        }
                        p.muted { (ctx.fmt(Msg::PlansPerHour, &[("price", ctx.money(p.hourly_price).into())])) }
                    }
                }
            }
        }
    };
    Ok(page(&ctx, t(Msg::PlansTitle), &[], body).into_response())
}

/// The plans' traffic terms: allowances (the others are unlimited) and prices of extra traffic
/// (the others throttle).
pub struct TrafficTerms {
    allowances: BTreeMap<PlanId, Allowance>,
    overages: BTreeMap<PlanId, Money>,
}

impl TrafficTerms {
    fn read(state: &AppState) -> Result<TrafficTerms, WebError> {
        Ok(TrafficTerms { allowances: state.svc.plans.allowances()?, overages: state.svc.plans.overages()? })
    }
}

fn render_admin(ctx: &Ctx, plans: &[PlanRecord], terms: &TrafficTerms, notice: Option<Markup>) -> Markup {
    let t = |m| ctx.t(m);
    page(
        ctx,
        t(Msg::AdminPlansTitle),
        &[crumb_admin(ctx), (t(Msg::AdminPlansTitle), "/admin/plans")],
        html! {
            h1 { (t(Msg::AdminPlansTitle)) }
            (admin_tabs(ctx, "/admin/plans"))
            @if let Some(n) = notice { (n) }
            @if plans.is_empty() {
                p.muted { (t(Msg::AdminPlansNone)) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th { (t(Msg::AdminName)) } th { (t(Msg::AdminColHardware)) } th { (t(Msg::AdminColPerMonth)) }
                        th { (t(Msg::AdminColPerHour)) } th { (t(Msg::AdminColFairUse)) } th { (t(Msg::AdminColStatus)) } th { (t(Msg::AdminColActions)) }
                    } }
                    tbody {
                        @for p in plans {
                            tr {
                                td { strong { (p.name) } }
                                td { (plan_summary(ctx, &p.spec)) }
                                td { (ctx.money(p.monthly_price)) }
                                td { (ctx.money(p.hourly_price)) }
                                td {
                                    (fair_use(ctx, p, terms.allowances.get(&p.id).copied()))
                                    @if let Some(price) = terms.overages.get(&p.id) {
                                        br; (ctx.fmt(Msg::AdminOverage, &[("price", ctx.money(*price).into())]))
                                    }
                                }
                                td { @if p.enabled { span.badge.ok { (t(Msg::AdminEnabledBadge)) } } @else { span.badge.muted { (t(Msg::AdminDisabled)) } } }
                                td {
                                    form.inline method="post" action={ "/admin/plans/" (p.id) "/status" } {
                                        (csrf_field(ctx))
                                        input type="hidden" name="enabled" value=(if p.enabled { "false" } else { "true" });
                                        button.secondary type="submit" { (t(if p.enabled { Msg::AdminDisable } else { Msg::AdminEnable })) }
                                    }
                                    " "
                                    form.inline method="post" action={ "/admin/plans/" (p.id) "/delete" } {
                                        (csrf_field(ctx))
                                        button.secondary type="submit" { (t(Msg::AdminDelete)) }
                                    }
                                }
                            }
                        }
                    }
                } }
            }
            @if !plans.is_empty() {
                div.panel {
                    h2 { (t(Msg::AdminFairUseTitle)) }
                    p.hint { (t(Msg::AdminFairUseHint)) }
                    form.cols method="post" action="/admin/plans/limits" {
                        (csrf_field(ctx))
                        div { label for="cpu-plan" { (t(Msg::VmPlan)) } select #cpu-plan name="plan" { @for p in plans { option value=(p.id) { (p.name) } } } }
                        div { label for="cpu-cap" { (t(Msg::AdminFairUseCap)) } input #cpu-cap type="text" name="cap" inputmode="numeric" placeholder="100"; }
                        div { label for="cpu-shares" { (t(Msg::AdminFairUseShares)) } input #cpu-shares type="text" name="shares" inputmode="numeric" placeholder="1024"; }
                        div { label for="port-mbit" { (t(Msg::AdminFairUsePort)) } input #port-mbit type="text" name="port_mbit" inputmode="numeric" placeholder="1000"; }
                        div { label for="traffic-gib" { (t(Msg::AdminFairUseTraffic)) } input #traffic-gib type="text" name="traffic_gib" inputmode="numeric" placeholder="1000"; }
                        div { label for="overage" { (t(Msg::AdminFairUseOverage)) } input #overage type="text" name="overage" inputmode="decimal" placeholder="50"; }
                        div.actions { button.secondary type="submit" { (t(Msg::AdminFairUseSet)) } }
                    }
                }
            }
            div.panel {
                h2 { (t(Msg::AdminCreatePlanTitle)) }
                form.cols method="post" action="/admin/plans" {
                    (csrf_field(ctx))
                    div { label for="name" { (t(Msg::AdminName)) } input #name type="text" name="name" placeholder="s-2" required; }
                    div { label for="vcpus" { (t(Msg::AdminVcpus)) } input #vcpus type="text" name="vcpus" inputmode="numeric" required; }
                    div { label for="memory_mib" { (t(Msg::AdminMemoryMib)) } input #memory_mib type="text" name="memory_mib" inputmode="numeric" required; }
                    div { label for="disk_gb" { (t(Msg::AdminDiskGib)) } input #disk_gb type="text" name="disk_gb" inputmode="numeric" required; }
                    div { label for="ipv4" { (t(Msg::AdminPublicIpv4)) } input #ipv4 type="text" name="ipv4" inputmode="numeric" value="1" required; }
                    div { label for="monthly" { (t(Msg::AdminPriceMonth)) } input #monthly type="text" name="monthly" inputmode="decimal" required; }
                    div { label for="hourly" { (t(Msg::AdminPriceHour)) } input #hourly type="text" name="hourly" inputmode="decimal" required; }
                    div.actions { button type="submit" { (t(Msg::AdminCreatePlan)) } }
                }
            }
        },
    )
}

/// `GET /admin/plans`.
pub async fn admin_plans_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
) -> Result<Response, WebError> {
    let plans = state.svc.plans.list()?;
    Ok(render_admin(&ctx, &plans, &TrafficTerms::read(&state)?, None).into_response())
}

/// Body of `POST /admin/plans`.
#[derive(Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    vcpus: String,
    #[serde(default)]
    memory_mib: String,
    #[serde(default)]
    disk_gb: String,
    #[serde(default)]
    ipv4: String,
    #[serde(default)]
    monthly: String,
    #[serde(default)]
    hourly: String,
}

fn parse_form(ctx: &Ctx, f: &PlanForm) -> Result<NewPlan, String> {
    let says = |msg: Msg, what: Msg| ctx.fmt_string(msg, &[("what", ctx.t(what).into())]);
    let num = |what: Msg, v: &str| v.trim().parse::<u64>().map_err(|_| says(Msg::AdminWholeNumber, what));
    let small = |what: Msg, v: &str| u32::try_from(num(what, v)?).map_err(|_| says(Msg::AdminTooLarge, what));
    let money = |what: Msg, v: &str| Money::parse(v).ok_or_else(|| says(Msg::AdminAmountLike, what));
    Ok(NewPlan {
        name: f.name.clone(),
        spec: PlanSpec {
            vcpus: small(Msg::AdminVcpus, &f.vcpus)?,
            memory_mib: num(Msg::AdminMemoryMib, &f.memory_mib)?,
            disk_gb: num(Msg::AdminDiskGib, &f.disk_gb)?,
            ipv4: small(Msg::AdminPublicIpv4, &f.ipv4)?,
        },
        monthly_price: money(Msg::AdminPriceMonth, &f.monthly)?,
        hourly_price: money(Msg::AdminPriceHour, &f.hourly)?,
    })
}

/// `POST /admin/plans`.
pub async fn admin_plan_create_post(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    CsrfForm(f): CsrfForm<PlanForm>,
) -> Result<Response, WebError> {
    let result = match parse_form(&ctx, &f) {
        Ok(p) => state
            .svc
            .plans
            .create(p)
            .await
            .map_err(|e| (ctx.error_text(&e), e.code(), e.is_user_error(), Some(e))),
        Err(msg) => Err((msg, "PLN0003", true, None)),
    };
    match result {
        Ok(p) => {
            let text = ctx.fmt_string(Msg::AdminPlanCreated, &[("name", p.name.as_str().into())]);
            Ok(redirect_with_flash("/admin/plans", FlashKind::Ok, &text))
        }
        Err((msg, code, true, _)) => {
            let (plans, terms) = (state.svc.plans.list()?, TrafficTerms::read(&state)?);
            let notice = form_error_text(&ctx, &msg, code);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render_admin(&ctx, &plans, &terms, Some(notice)))
                .into_response())
        }
        Err((_, _, false, Some(e))) => Err(e.into()),
        Err((msg, code, false, None)) => Err(WebError::Internal(code, msg)),
    }
}

/// Body of `POST /admin/plans/{id}/status`.
#[derive(Deserialize)]
pub struct StatusForm {
    enabled: bool,
}

/// `POST /admin/plans/{id}/status`.
pub async fn admin_plan_status_post(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    Path(id): Path<u64>,
    CsrfForm(f): CsrfForm<StatusForm>,
) -> Result<Response, WebError> {
    let p = state.svc.plans.set_enabled(PlanId(id), f.enabled).await?;
    let msg = if p.enabled { Msg::AdminPlanEnabled } else { Msg::AdminPlanDisabled };
    let text = ctx.fmt_string(msg, &[("name", p.name.as_str().into())]);
    Ok(redirect_with_flash("/admin/plans", FlashKind::Ok, &text))
}

/// A plan's fair-use limits in words (`allowance`: its traffic allowance, if any).
fn fair_use(ctx: &Ctx, p: &PlanRecord, allowance: Option<Allowance>) -> String {
    let cap = p.cpu.cap_percent.map_or(-1, i64::from);
    let shares = p.cpu.shares.map_or(-1, i64::from);
    let port = p.port.map_or(-1, |s| i64::from(s.mbit));
    let gib = allowance.map_or(-1, |a| i64::try_from(a.gib).unwrap_or(i64::MAX));
    ctx.fmt_string(
        Msg::AdminFairUse,
        &[("cap", cap.into()), ("shares", shares.into()), ("port", port.into()), ("gib", gib.into())],
    )
}

/// Body of `POST /admin/plans/limits`: empty fields are no limit.
#[derive(Deserialize)]
pub struct LimitsForm {
    plan: u64,
    #[serde(default)]
    cap: String,
    #[serde(default)]
    shares: String,
    #[serde(default)]
    port_mbit: String,
    #[serde(default)]
    traffic_gib: String,
    /// The price of each GiB past the allowance (empty: throttle instead).
    #[serde(default)]
    overage: String,
}

/// `POST /admin/plans/limits`: set a plan's fair-use limits; its servers take them at once.
pub async fn admin_plan_limits_post(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    CsrfForm(f): CsrfForm<LimitsForm>,
) -> Result<Response, WebError> {
    fn opt<T: std::str::FromStr>(v: &str) -> Result<Option<T>, ()> {
        let v = v.trim();
        if v.is_empty() { Ok(None) } else { v.parse().map(Some).map_err(|_| ()) }
    }
    let port = match opt::<u32>(&f.port_mbit) {
        Ok(None) => Ok(None),
        Ok(Some(mbit)) => PortSpeed::new(mbit).map(Some).ok_or(()),
        Err(()) => Err(()),
    };
    let allowance = match opt::<u64>(&f.traffic_gib) {
        Ok(None) => Ok(None),
        Ok(Some(gib)) => Allowance::new(gib).map(Some).ok_or(()),
        Err(()) => Err(()),
    };
    let limits = match (opt::<u8>(&f.cap), opt::<u32>(&f.shares), port, allowance) {
        (Ok(cap_percent), Ok(shares), Ok(port), Ok(allowance)) => {
            Ok((CpuLimits { shares, cap_percent }, port, allowance))
        }
        _ => Err(crate::service::plans::PlanError::CpuLimits),
    };
    let overage = match f.overage.trim() {
        "" => Ok(None),
        v => Money::parse(v)
            .filter(|m| m.0 > 0)
            .map(Some)
            .ok_or(crate::service::plans::PlanError::OveragePrice),
    };
    let set = match (limits, overage) {
        (Ok((cpu, port, allowance)), Ok(overage)) => {
            match state.svc.plans.set_limits(PlanId(f.plan), cpu, port).await {
                Ok(p) => match state.svc.plans.set_allowance(p.id, allowance).await {
                    Ok(()) => state.svc.plans.set_overage(p.id, overage).await.map(|()| p),
                    Err(e) => Err(e),
                },
                Err(e) => Err(e),
            }
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match set {
        Ok(p) => {
            let servers = state.svc.vms.refresh_limits(p.id).await?;
            // A raised allowance lifts throttles now, not at the next sampling round.
            state.svc.vms.enforce_allowances().await?;
            let args = [("name", p.name.as_str().into()), ("count", servers.into())];
            Ok(redirect_with_flash(
                "/admin/plans",
                FlashKind::Ok,
                &ctx.fmt_string(Msg::AdminFairUseDone, &args),
            ))
        }
        Err(e) if e.is_user_error() => Ok(redirect_with_flash(
            "/admin/plans",
            FlashKind::Error,
            &format!("{} ({})", ctx.error_text(&e), e.code()),
        )),
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/plans/{id}/delete`.
pub async fn admin_plan_delete_post(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    let p = state.svc.plans.get(PlanId(id))?;
    match state.svc.plans.delete(p.id).await {
        Ok(()) => {
            let text = ctx.fmt_string(Msg::AdminPlanDeleted, &[("name", p.name.as_str().into())]);
            Ok(redirect_with_flash("/admin/plans", FlashKind::Ok, &text))
        }
        Err(e) if e.is_user_error() => Ok(redirect_with_flash(
            "/admin/plans",
            FlashKind::Error,
            &format!("{} ({})", ctx.error_text(&e), e.code()),
        )),
        Err(e) => Err(e.into()),
    }
}
