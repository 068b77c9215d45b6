//! The customer's billing page (balance, this month so far, forecast, transactions,
//! statements) and a statement as a print-friendly page or CSV.

use crate::web::layout::Utc;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::account::UserId;
use crate::domain::billing::{self, month_label};
use crate::domain::money::{Money, currency};
use crate::service::billing::{Overview, statement_csv};
use crate::store::billing::{EntryKind, LedgerEntry, LedgerRow, RowKind, StatementRecord};
use crate::web::AppState;
use crate::web::ctx::Customer;
use crate::web::error::WebError;
use crate::web::layout::page;

/// Rows of transactions a page shows (a month of daily usage rows and the payments between).
pub const PAGE: usize = 40;

/// An amount with the currency.
pub fn money(m: Money) -> String {
    format!("{m} {}", currency())
}

/// What a ledger entry is, for people.
fn describe(e: &LedgerEntry) -> Markup {
    html! {
        @match &e.kind {
            EntryKind::Charge { hour, lines } => {
                "Usage " (billing::start_of(*hour).display_utc()) " (" (lines.len()) " item" @if lines.len() != 1 { "s" } ")"
            }
            EntryKind::TopUp { reference, .. } => { "Payment — " (reference) }
            EntryKind::Credit { reason } => { "Credit — " (reason) }
            EntryKind::Adjustment { reason, .. } => { "Correction — " (reason) }
        }
    }
}

/// The ledger as rows, newest first (a day of hourly charges is one row, linking to
/// `{day_link}YYYY-MM-DD`; other entries as they are).
pub fn render_transactions(rows: &[LedgerRow], day_link: &str) -> Markup {
    html! {
        @if rows.is_empty() { p.muted { "No transactions yet." } } @else {
            div.table-wrap { table {
                thead { tr { th { "Date" } th { "What" } th.num { "Amount" } th.num { "Balance after" } } }
                tbody { @for r in rows { @match &r.kind {
                    RowKind::Day { day, hours, amount, balance } => {
                        @let day = day.display_utc().get(..10).unwrap_or_default().to_string();
                        tr {
                            td { a href={ (day_link) (day) } { (day) } } td { "Usage, " (hours) " hour" @if *hours != 1 { "s" } }
                            td.num { (money(*amount)) } td.num { (money(*balance)) }
                        }
                    },
                    RowKind::One(e) => tr {
                        td { (Utc(e.at)) } td { (describe(e)) }
                        td.num { (money(e.amount)) } td.num { (money(e.balance)) }
                    },
                } } }
            } }
        }
    }
}

/// Balance, month so far and forecast.
pub fn render_overview(
    o: &Overview,
    standing: &crate::store::billing::Standing,
    suspends_at: Option<crate::domain::time::Timestamp>,
) -> Markup {
    html! {
        div.panel {
            p.balance { "Balance: " strong class=(if o.balance.0 < 0 { "neg" } else { "" }) { (money(o.balance)) } }
            @if standing.suspended_at.is_some() {
                p.flash.err { "The account is suspended for non-payment: servers are stopped and cannot be started. A payment that brings the balance above zero lifts it at once." }
            } @else if let Some(t) = suspends_at {
                p.flash.err { "The balance is below zero. Pay by " (Utc(t)) ", or the servers will be stopped (not deleted) until you do." }
            }
            p { "Running costs now: " (money(o.per_hour)) " an hour"
                @if let Some(d) = o.days_left { ", so the balance lasts about " strong { (d) " day" @if d != 1 { "s" } } "." } @else { "." } }
        }
        h2 { "This month (" (month_label(o.month)) ") so far" }
        @if o.lines.is_empty() { p.muted { "Nothing charged this month." } } @else {
            div.table-wrap { table {
                thead { tr { th { "Resource" } th { "Priced as" } th.num { "Units" } th.num { "Hours" } th.num { "Amount" } } }
                tbody {
                    @for (r, l) in &o.lines { tr {
                        td { (resource_cell(r, &o.names)) } td { (l.item.unit()) } td.num { (l.qty) } td.num { (l.hours) } td.num { (money(l.amount)) }
                    } }
                    tr.total { td colspan="4" { "Total" } td.num { (money(o.month_total)) } }
                }
            } }
        }
        p.hint { "Each resource is charged by the hour it exists, never more in a calendar month than its monthly price." }
    }
}

/// The statements table.
pub fn render_statements(list: &[StatementRecord], base: &str) -> Markup {
    html! {
        @if list.is_empty() { p.muted { "No statements yet: one is issued after each month." } } @else {
            div.table-wrap { table {
                thead { tr { th { "No." } th { "Month" } th.num { "Charges" } th.num { "Closing balance" } th { "" } } }
                tbody { @for s in list { tr {
                    td { (s.number) } td { (month_label(s.month)) } td.num { (money(s.charges)) } td.num { (money(s.closing)) }
                    td { a href={ (base) (s.number) } { "View" } " · " a href={ (base) (s.number) ".csv" } download { "CSV" } }
                } } }
            } }
        }
    }
}

/// `?before=` for paging transactions, `?day=` for one day's entries.
#[derive(Deserialize)]
pub struct Paging {
    before: Option<u64>,
    day: Option<String>,
}

/// Every entry of one day, each hour's charge with its lines.
pub fn render_day(entries: &[LedgerEntry]) -> Markup {
    html! {
        @if entries.is_empty() { p.muted { "No transactions on this day." } } @else {
            div.table-wrap { table {
                thead { tr { th { "When" } th { "What" } th.num { "Amount" } th.num { "Balance after" } } }
                tbody { @for e in entries {
                    tr {
                        td { @match &e.kind { EntryKind::Charge { hour, .. } => (billing::start_of(*hour).display_utc()), _ => (Utc(e.at)) } }
                        td { (describe(e))
                            @if let EntryKind::Charge { lines, .. } = &e.kind {
                                ul.lines { @for l in lines { li { (l.resource) " — " (l.qty) " × " (l.item.unit()) " at " (money(l.price.hourly)) ": " (money(l.amount)) } } }
                            }
                        }
                        td.num { (money(e.amount)) } td.num { (money(e.balance)) }
                    }
                } }
            } }
        }
    }
}

/// The UTC midnight a `YYYY-MM-DD` names.
pub fn parse_day(s: &str) -> Option<crate::domain::time::Timestamp> {
    let d: jiff::civil::Date = s.trim().parse().ok()?;
    let z = d.to_zoned(jiff::tz::TimeZone::UTC).ok()?;
    Some(crate::domain::time::Timestamp::from_secs(z.timestamp().as_second()))
}

/// `GET /billing`.
pub async fn billing_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
    Query(q): Query<Paging>,
) -> Result<Response, WebError> {
    let b = &state.svc.billing;
    if let Some(day) = q.day.as_deref() {
        let start = parse_day(day).ok_or(WebError::NotFound)?;
        let entries = b.transactions_on(s.user.id, start)?;
        let body = html! {
            h1 { "Transactions on " (day) " (UTC)" }
            (render_day(&entries))
            p { a href="/billing" { "Back to billing" } }
        };
        return Ok(page(&ctx, "Transactions", &[("Billing", "/billing")], body).into_response());
    }
    let m = b.page(s.user.id, q.before, PAGE)?;
    let older = m.rows.last().filter(|r| r.first > 1 && m.rows.len() == PAGE).map(|r| r.first);
    // The trial panel is for new customers and for those who have one.
    let show_trial = m.trial.is_some() || (m.statements.is_empty() && m.rows.is_empty());
    let body = html! {
        h1 { "Billing" }
        (render_overview(&m.overview, &m.standing, m.suspends_at))
        @if show_trial { (super::trial::render_trial_panel(&ctx, m.trial.as_ref(), b.trial_days(), m.now)) }
        p.hint { "To pay, transfer to the provider quoting your account number " strong { (s.user.id) } "; the payment shows here once it is booked." }
        h2 { "Statements" }
        (render_statements(&m.statements, "/billing/statements/"))
        h2 { "Transactions" }
        (render_transactions(&m.rows, "/billing?day="))
        @if let Some(seq) = older { p { a href={ "/billing?before=" (seq) } { "Older transactions" } } }
    };
    Ok(page(&ctx, "Billing", &[("Billing", "/billing")], body).into_response())
}

/// A billed resource by the name its owner knows (`web-1`), with its key (`vm:1`).
fn resource_cell(key: &str, names: &std::collections::BTreeMap<String, String>) -> Markup {
    html! {
        @match names.get(key) {
            Some(name) => { (name) " " span.muted { "(" (key) ")" } }
            None => { (key) }
        }
    }
}

/// A statement page (print-friendly).
pub fn render_statement(
    s: &StatementRecord,
    email: &str,
    names: &std::collections::BTreeMap<String, String>,
) -> Markup {
    html! {
        article.statement {
            h1 { "Statement " (s.number) }
            p { "Account " (s.owner) " — " (email) br; "Period: " (month_label(s.month)) " (calendar month)" br; "Issued " (Utc(s.issued_at)) }
            div.table-wrap { table {
                thead { tr { th { "Resource" } th { "Priced as" } th.num { "Units" } th.num { "Hours" } th.num { "Amount" } } }
                tbody {
                    @for (r, l) in &s.lines { tr {
                        td { (resource_cell(r, names)) } td { (l.item.unit()) } td.num { (l.qty) } td.num { (l.hours) } td.num { (money(l.amount)) }
                    } }
                }
            } }
            table.totals { tbody {
                tr { th { "Opening balance" } td.num { (money(s.opening)) } }
                tr { th { "Charges" } td.num { "−" (money(s.charges)) } }
                tr { th { "Credits" } td.num { (money(s.credits)) } }
                tr { th { "Payments" } td.num { (money(s.top_ups)) } }
                tr { th { "Corrections" } td.num { (money(s.adjustments)) } }
                tr.total { th { "Closing balance" } td.num { (money(s.closing)) } }
            } }
        }
    }
}

/// A statement's file name part: `12` or `12.csv`.
fn parse_file(file: &str) -> Option<(u64, bool)> {
    match file.strip_suffix(".csv") {
        Some(n) => n.parse().ok().map(|n| (n, true)),
        None => file.parse().ok().map(|n| (n, false)),
    }
}

/// The statement as a page or CSV response.
pub fn statement_response(
    ctx: &crate::web::ctx::Ctx,
    s: &StatementRecord,
    email: &str,
    names: &std::collections::BTreeMap<String, String>,
    csv: bool,
    crumbs: &[(&str, &str)],
) -> Response {
    if csv {
        let mut resp = statement_csv(s).into_response();
        let h = resp.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
        if let Ok(v) = HeaderValue::from_str(&format!(
            "attachment; filename=\"statement-{}-{}.csv\"",
            s.number,
            month_label(s.month)
        )) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        return resp;
    }
    page(ctx, &format!("Statement {}", s.number), crumbs, render_statement(s, email, names)).into_response()
}

/// `GET /billing/statements/{file}`: `12` (page) or `12.csv`.
pub async fn statement_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let (n, csv) = parse_file(&file).ok_or(WebError::NotFound)?;
    let st = state.svc.billing.statement(Some(s.user.id), n).map_err(|_| WebError::NotFound)?;
    let names = state.svc.billing.resource_names(s.user.id)?;
    Ok(statement_response(&ctx, &st, s.user.email.as_str(), &names, csv, &[("Billing", "/billing")]))
}

/// `GET /admin/users/{id}/statements/{file}`.
pub async fn admin_statement_get(
    State(state): State<AppState>,
    crate::web::ctx::Admin(ctx, ..): crate::web::ctx::Admin,
    Path((id, file)): Path<(u64, String)>,
) -> Result<Response, WebError> {
    let (n, csv) = parse_file(&file).ok_or(WebError::NotFound)?;
    let st = state.svc.billing.statement(Some(UserId(id)), n).map_err(|_| WebError::NotFound)?;
    let user = state.svc.accounts.user(UserId(id))?;
    let names = state.svc.billing.resource_names(UserId(id))?;
    Ok(statement_response(
        &ctx,
        &st,
        user.email.as_str(),
        &names,
        csv,
        &[super::admin::CRUMB_ADMIN, ("Billing", "/admin/billing")],
    ))
}
