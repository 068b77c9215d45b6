//! The admin's billing pages: the price list (changes apply from the next hour), payments
//! booked by e-mail, accounts in arrears, and one account's balance, ledger, statements and
//! corrections.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use super::admin::{admin_tabs, crumb_admin};
use super::billing::{render_overview, render_statements, render_transactions};
use crate::domain::account::UserId;
use crate::domain::billing::{Item, Price, start_of};
use crate::domain::money::Money;
use crate::i18n::Msg;
use crate::service::billing::BillingError;
use crate::web::AppState;
use crate::web::ctx::{Admin, FlashKind, redirect_with_flash, refused};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

/// `GET /admin/billing`.
pub async fn admin_billing_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
) -> Result<Response, WebError> {
    let rows = state.svc.billing.price_list()?;
    let mut arrears = Vec::new();
    for u in state.svc.accounts.list_users()? {
        let o = state.svc.billing.overview(u.id)?;
        let st = state.svc.billing.standing(u.id)?;
        if o.balance.0 < 0 || st.suspended_at.is_some() {
            arrears.push((u, o.balance, st));
        }
    }
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::AdminBillingTitle)) }
        (admin_tabs(&ctx, "/admin/billing"))
        h2 { (t(Msg::AdminPrices)) }
        p.hint { (ctx.fmt(Msg::AdminPricesHint, &[("currency", crate::domain::money::currency().into())])) }
        div.table-wrap { table {
            thead { tr {
                th { (t(Msg::AdminColItem)) } th.num { (t(Msg::AdminColMonthly)) } th.num { (t(Msg::AdminColHourly)) } th { (t(Msg::AdminColChange)) }
            } }
            tbody { @for r in &rows { tr {
                td {
                    @match r.item {
                        Item::Plan(_) => { (ctx.fmt(Msg::AdminPricePlan, &[("name", r.label.as_str().into())])) }
                        item => { (ctx.fmt(Msg::AdminPriceExtra, &[("unit", super::billing::unit(&ctx, item).into())])) }
                    }
                    @if let Some((h, p)) = r.next { br; span.muted { (ctx.fmt(Msg::AdminPriceFrom, &[
                        ("at", ctx.lang.time(start_of(h)).into()), ("monthly", ctx.money(p.monthly).into()), ("hourly", ctx.money(p.hourly).into()),
                    ])) } }
                }
                td.num { (ctx.money(r.current.monthly)) } td.num { (ctx.money(r.current.hourly)) }
                td { form.inline method="post" action="/admin/billing/prices" {
                    (csrf_field(&ctx))
                    input type="hidden" name="item" value=(r.item.key());
                    input type="text" inputmode="decimal" name="monthly" size="8" value=(r.current.monthly) aria-label=(t(Msg::AdminMonthlyPrice));
                    input type="text" inputmode="decimal" name="hourly" size="6" value=(r.current.hourly) aria-label=(t(Msg::AdminHourlyPrice));
                    button.secondary type="submit" { (t(Msg::AdminSet)) }
                } }
            } } }
        } }
        div.panel {
            h2 { (t(Msg::AdminBookPaymentTitle)) }
            form.cols method="post" action="/admin/billing/topups" {
                (csrf_field(&ctx))
                div { label for="email" { (t(Msg::AdminAccountEmail)) } input #email type="email" name="email" required; }
                div { label for="amount" { (t(Msg::AdminAmount)) } input #amount type="text" inputmode="decimal" name="amount" required; }
                div.wide { label for="reference" { (t(Msg::AdminPaymentReference)) } input #reference type="text" name="reference" required; }
                div.actions { button type="submit" { (t(Msg::AdminBookPayment)) } }
            }
        }
        h2 { (t(Msg::AdminArrears)) }
        @if arrears.is_empty() { p.muted { (t(Msg::AdminNoneDot)) } } @else {
            div.table-wrap { table {
                thead { tr { th { (t(Msg::AdminColAccount)) } th.num { (t(Msg::AdminColBalance)) } th { (t(Msg::AdminColState)) } } }
                tbody { @for (u, bal, st) in &arrears { tr {
                    td { a href={ "/admin/users/" (u.id) "/billing" } { (u.email.as_str()) } }
                    td.num { (ctx.money(*bal)) }
                    td { @if st.suspended_at.is_some() { span.badge.error { (t(Msg::AdminSuspended)) } }
                         @else if let Some(at) = state.svc.billing.suspends_at(st) { (ctx.fmt(Msg::AdminSuspends, &[("at", ctx.lang.time(at).into())])) } }
                } } }
            } }
        }
    };
    Ok(page(
        &ctx,
        t(Msg::AdminBillingTitle),
        &[crumb_admin(&ctx), (t(Msg::AdminBillingTitle), "/admin/billing")],
        body,
    )
    .into_response())
}

/// Body of the price form.
#[derive(Deserialize)]
pub struct PriceForm {
    item: String,
    monthly: String,
    hourly: String,
}

/// `POST /admin/billing/prices`.
pub async fn admin_price_post(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
    CsrfForm(f): CsrfForm<PriceForm>,
) -> Result<Response, WebError> {
    let back = "/admin/billing";
    let item = Item::parse(&f.item).ok_or(WebError::NotFound)?;
    let (Some(monthly), Some(hourly)) = (Money::parse(&f.monthly), Money::parse(&f.hourly)) else {
        return refused(&ctx, back, BillingError::Amount);
    };
    match state.svc.billing.set_price(item, Price { monthly, hourly }, &caller).await {
        Ok(h) => {
            let msg = ctx.fmt_string(Msg::AdminPriceSet, &[("at", ctx.lang.time(start_of(h)).into())]);
            Ok(redirect_with_flash(back, FlashKind::Ok, &msg))
        }
        Err(e) => refused(&ctx, back, e),
    }
}

/// Body of the payment form.
#[derive(Deserialize)]
pub struct TopUpForm {
    #[serde(default)]
    email: String,
    amount: String,
    #[serde(default)]
    reference: String,
}

/// `POST /admin/billing/topups`.
pub async fn admin_topup_post(
    State(state): State<AppState>,
    admin: Admin,
    CsrfForm(f): CsrfForm<TopUpForm>,
) -> Result<Response, WebError> {
    let back = "/admin/billing";
    let Ok(user) = state.svc.accounts.user_by_email(&f.email) else {
        return refused(&admin.0, back, BillingError::NotFound("account"));
    };
    book(&state, &admin, user.id, &f.amount, &f.reference, false, back).await
}

/// `POST /admin/users/{id}/billing/topup`.
pub async fn admin_user_topup_post(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<u64>,
    CsrfForm(f): CsrfForm<TopUpForm>,
) -> Result<Response, WebError> {
    let back = format!("/admin/users/{id}/billing");
    book(&state, &admin, UserId(id), &f.amount, &f.reference, false, &back).await
}

/// Body of the correction form.
#[derive(Deserialize)]
pub struct AdjustForm {
    amount: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/users/{id}/billing/adjust`.
pub async fn admin_user_adjust_post(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<u64>,
    CsrfForm(f): CsrfForm<AdjustForm>,
) -> Result<Response, WebError> {
    let back = format!("/admin/users/{id}/billing");
    book(&state, &admin, UserId(id), &f.amount, &f.reason, true, &back).await
}

/// Book a payment or (`correction`) an adjustment and go back to `back`.
async fn book(
    state: &AppState,
    Admin(ctx, _, caller): &Admin,
    owner: UserId,
    amount: &str,
    text: &str,
    correction: bool,
    back: &str,
) -> Result<Response, WebError> {
    let parsed = if correction { Money::parse_signed(amount) } else { Money::parse(amount) };
    let Some(amount) = parsed else {
        return refused(ctx, back, BillingError::Amount);
    };
    let b = &state.svc.billing;
    let done = if correction {
        b.adjust(owner, amount, text, caller).await
    } else {
        b.top_up(owner, amount, text, caller).await
    };
    match done {
        Ok(e) => {
            let msg = ctx.fmt_string(
                Msg::AdminBooked,
                &[("amount", ctx.money(e.amount).into()), ("balance", ctx.money(e.balance).into())],
            );
            Ok(redirect_with_flash(back, FlashKind::Ok, &msg))
        }
        Err(e) => refused(ctx, back, e),
    }
}

/// `?day=YYYY-MM-DD`: one day's entries.
#[derive(Deserialize)]
pub struct DayQuery {
    day: Option<String>,
}

/// `GET /admin/users/{id}/billing`.
pub async fn admin_user_billing_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    Path(id): Path<u64>,
    axum::extract::Query(q): axum::extract::Query<DayQuery>,
) -> Result<Response, WebError> {
    let user = state.svc.accounts.user(UserId(id))?;
    let b = &state.svc.billing;
    if let Some(day) = q.day.as_deref() {
        let start = super::billing::parse_day(day).ok_or(WebError::NotFound)?;
        let entries = b.transactions_on(user.id, start)?;
        let body = html! {
            h1 { (ctx.fmt(Msg::AdminTransactionsOn, &[("email", user.email.as_str().into()), ("day", day.into())])) }
            (super::billing::render_day(&ctx, &entries))
        };
        let crumbs = [crumb_admin(&ctx), (ctx.t(Msg::AdminBillingTitle), "/admin/billing")];
        return Ok(page(&ctx, ctx.t(Msg::AdminTransactions), &crumbs, body).into_response());
    }
    let (o, standing) = (b.overview(user.id)?, b.standing(user.id)?);
    let rows = b.rows(user.id, None, super::billing::PAGE)?;
    let statements = b.statements(user.id)?;
    let base = format!("/admin/users/{id}/billing");
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (ctx.fmt(Msg::AdminBillingOf, &[("email", user.email.as_str().into())])) }
        (render_overview(&ctx, &o, &standing, b.suspends_at(&standing).filter(|_| standing.suspended_at.is_none())))
        div.grid {
            div.panel {
                h2 { (t(Msg::AdminBookPaymentTitle)) }
                form method="post" action={ (base) "/topup" } {
                    (csrf_field(&ctx))
                    label for="amount" { (t(Msg::AdminAmount)) } input #amount type="text" inputmode="decimal" name="amount" required;
                    label for="reference" { (t(Msg::AdminPaymentReference)) } input #reference type="text" name="reference" required;
                    div.actions { button type="submit" { (t(Msg::AdminBookPayment)) } }
                }
            }
            div.panel {
                h2 { (t(Msg::AdminCorrectTitle)) }
                form method="post" action={ (base) "/adjust" } {
                    (csrf_field(&ctx))
                    label for="adj" { (t(Msg::AdminCorrectAmount)) } input #adj type="text" name="amount" required;
                    label for="reason" { (t(Msg::AdminReason)) } input #reason type="text" name="reason" required;
                    div.actions { button.secondary type="submit" { (t(Msg::AdminBookCorrection)) } }
                }
            }
        }
        h2 { (t(Msg::AdminStatements)) }
        (render_statements(&ctx, &statements, &format!("/admin/users/{id}/statements/")))
        h2 { (t(Msg::AdminTransactions)) }
        (render_transactions(&ctx, &rows, &format!("/admin/users/{id}/billing?day=")))
    };
    let crumbs = [crumb_admin(&ctx), (t(Msg::AdminBillingTitle), "/admin/billing")];
    Ok(page(&ctx, t(Msg::AdminBillingTitle), &crumbs, body).into_response())
}
