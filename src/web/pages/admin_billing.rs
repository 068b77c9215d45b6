//! The admin's billing pages: the price list (changes apply from the next hour), payments
//! booked by e-mail, accounts in arrears, and one account's balance, ledger, statements and
//! corrections.

use crate::web::layout::Utc;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use super::admin::{CRUMB_ADMIN, admin_tabs};
use super::billing::{money, render_overview, render_statements, render_transactions};
use crate::domain::account::UserId;
use crate::domain::billing::{Item, Price, start_of};
use crate::domain::money::Money;
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
    let body = html! {
        h1 { "Billing" }
        (admin_tabs("/admin/billing"))
        h2 { "Prices" }
        p.hint { "Amounts in " (crate::domain::money::currency()) ". A change applies from the next full hour; hours already charged keep their price. Each hour costs the hourly price, never more in a calendar month than the monthly one." }
        div.table-wrap { table {
            thead { tr { th { "Item" } th.num { "Monthly" } th.num { "Hourly" } th { "Change" } } }
            tbody { @for r in &rows { tr {
                td { (r.label) @if let Some((h, p)) = r.next { br; span.muted { "from " (start_of(h).display_utc()) ": " (p.monthly) " / " (p.hourly) } } }
                td.num { (r.current.monthly) } td.num { (r.current.hourly) }
                td { form.inline method="post" action="/admin/billing/prices" {
                    (csrf_field(&ctx))
                    input type="hidden" name="item" value=(r.item.key());
                    input type="text" inputmode="decimal" name="monthly" size="8" value=(r.current.monthly) aria-label="Monthly price";
                    input type="text" inputmode="decimal" name="hourly" size="6" value=(r.current.hourly) aria-label="Hourly price";
                    button.secondary type="submit" { "Set" }
                } }
            } } }
        } }
        div.panel {
            h2 { "Book a payment" }
            form.cols method="post" action="/admin/billing/topups" {
                (csrf_field(&ctx))
                div { label for="email" { "Account e-mail" } input #email type="email" name="email" required; }
                div { label for="amount" { "Amount" } input #amount type="text" inputmode="decimal" name="amount" required; }
                div.wide { label for="reference" { "Payment reference" } input #reference type="text" name="reference" required; }
                div.actions { button type="submit" { "Book payment" } }
            }
        }
        h2 { "Accounts in arrears" }
        @if arrears.is_empty() { p.muted { "None." } } @else {
            div.table-wrap { table {
                thead { tr { th { "Account" } th.num { "Balance" } th { "State" } } }
                tbody { @for (u, bal, st) in &arrears { tr {
                    td { a href={ "/admin/users/" (u.id) "/billing" } { (u.email.as_str()) } }
                    td.num { (money(*bal)) }
                    td { @if st.suspended_at.is_some() { span.badge.error { "suspended" } }
                         @else if let Some(t) = state.svc.billing.suspends_at(st) { "suspends " (Utc(t)) } }
                } } }
            } }
        }
    };
    Ok(page(&ctx, "Billing", &[CRUMB_ADMIN, ("Billing", "/admin/billing")], body).into_response())
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
            let msg = format!("Price set; it applies from {}.", start_of(h).display_utc());
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
            let msg = format!("Booked {}; the balance is now {}.", money(e.amount), money(e.balance));
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
            h1 { (user.email.as_str()) ": transactions on " (day) " (UTC)" }
            (super::billing::render_day(&ctx, &entries))
        };
        return Ok(
            page(&ctx, "Transactions", &[CRUMB_ADMIN, ("Billing", "/admin/billing")], body).into_response()
        );
    }
    let (o, standing) = (b.overview(user.id)?, b.standing(user.id)?);
    let rows = b.rows(user.id, None, super::billing::PAGE)?;
    let statements = b.statements(user.id)?;
    let base = format!("/admin/users/{id}/billing");
    let body = html! {
        h1 { "Billing of " (user.email.as_str()) }
        (render_overview(&ctx, &o, &standing, b.suspends_at(&standing).filter(|_| standing.suspended_at.is_none())))
        div.grid {
            div.panel {
                h2 { "Book a payment" }
                form method="post" action={ (base) "/topup" } {
                    (csrf_field(&ctx))
                    label for="amount" { "Amount" } input #amount type="text" inputmode="decimal" name="amount" required;
                    label for="reference" { "Payment reference" } input #reference type="text" name="reference" required;
                    div.actions { button type="submit" { "Book payment" } }
                }
            }
            div.panel {
                h2 { "Correct the balance" }
                form method="post" action={ (base) "/adjust" } {
                    (csrf_field(&ctx))
                    label for="adj" { "Amount (negative to take off)" } input #adj type="text" name="amount" required;
                    label for="reason" { "Reason" } input #reason type="text" name="reason" required;
                    div.actions { button.secondary type="submit" { "Book correction" } }
                }
            }
        }
        h2 { "Statements" }
        (render_statements(&ctx, &statements, &format!("/admin/users/{id}/statements/")))
        h2 { "Transactions" }
        (render_transactions(&ctx, &rows, &format!("/admin/users/{id}/billing?day=")))
    };
    Ok(page(&ctx, "Billing", &[CRUMB_ADMIN, ("Billing", "/admin/billing")], body).into_response())
}
