//! The customer's billing page (balance, this month so far, forecast, transactions,
//! statements) and a statement as a print-friendly page or CSV.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::account::UserId;
use crate::domain::billing::{self, Item, month_label};
use crate::domain::money::{Money, currency};
use crate::i18n::Msg;
use crate::service::billing::{Overview, statement_csv};
use crate::store::billing::{EntryKind, LedgerEntry, LedgerRow, RowKind, StatementRecord};
use crate::web::AppState;
use crate::web::ctx::{Ctx, Customer};
use crate::web::error::WebError;
use crate::web::layout::page;

/// Rows of transactions a page shows (a month of daily usage rows and the payments between).
pub const PAGE: usize = 40;

/// An amount with the currency, the English way (CSV, logs, messages without a reader).
pub fn money(m: Money) -> String {
    format!("{m} {}", currency())
}

/// What one unit of a billed item is, in the reader's language.
pub fn unit(ctx: &Ctx, item: Item) -> &str {
    ctx.t(match item {
        Item::Plan(_) => Msg::BillingUnitServer,
        Item::ExtraIpv4 => Msg::BillingUnitIpv4,
        Item::DiskGb => Msg::BillingUnitDisk,
        Item::BackupGb => Msg::BillingUnitBackup,
        Item::TrafficGb => Msg::BillingUnitTraffic,
    })
}

/// What a ledger entry is, for people.
fn describe(ctx: &Ctx, e: &LedgerEntry) -> Markup {
    let text = match &e.kind {
        EntryKind::Charge { hour, lines } => ctx.fmt_string(
            Msg::BillingUsage,
            &[("hour", ctx.lang.time(billing::start_of(*hour)).into()), ("n", lines.len().into())],
        ),
        EntryKind::TopUp { reference, .. } => {
            ctx.fmt_string(Msg::BillingPayment, &[("reference", reference.as_str().into())])
        }
        EntryKind::Credit { reason } => {
            ctx.fmt_string(Msg::BillingCredit, &[("reason", reason.as_str().into())])
        }
        EntryKind::Adjustment { reason, .. } => {
            ctx.fmt_string(Msg::BillingCorrection, &[("reason", reason.as_str().into())])
        }
        EntryKind::Traffic { hostname, gib, .. } => ctx.fmt_string(
            Msg::BillingTraffic,
            &[("hostname", hostname.as_str().into()), ("gib", (*gib).into())],
        ),
    };
    html! { (text) }
}

/// The ledger as rows, newest first (a day of hourly charges is one row, linking to
/// `{day_link}YYYY-MM-DD`; other entries as they are).
pub fn render_transactions(ctx: &Ctx, rows: &[LedgerRow], day_link: &str) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        @if rows.is_empty() { p.muted { (t(Msg::BillingNoTransactions)) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { (t(Msg::BillingColDate)) } th { (t(Msg::BillingColWhat)) }
                    th.num { (t(Msg::BillingColAmount)) } th.num { (t(Msg::BillingColBalanceAfter)) }
                } }
                tbody { @for r in rows { @match &r.kind {
                    RowKind::Day { day, hours, amount, balance } => {
                        @let iso = day.display_utc().get(..10).unwrap_or_default().to_string();
                        tr {
                            td { a href={ (day_link) (iso) } { (ctx.lang.date(*day)) } }
                            td { (ctx.fmt(Msg::BillingUsageHours, &[("n", (*hours).into())])) }
                            td.num { (ctx.money(*amount)) } td.num { (ctx.money(*balance)) }
                        }
                    },
                    RowKind::One(e) => tr {
                        td { (ctx.time(e.at)) } td { (describe(ctx, e)) }
                        td.num { (ctx.money(e.amount)) } td.num { (ctx.money(e.balance)) }
                    },
                } } }
            } }
        }
    }
}

/// The table head of a month's lines (the overview and a statement).
fn lines_head(ctx: &Ctx) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        thead { tr {
            th { (t(Msg::BillingColResource)) } th { (t(Msg::BillingColPricedAs)) } th.num { (t(Msg::BillingColUnits)) }
            th.num { (t(Msg::BillingColHours)) } th.num { (t(Msg::BillingColAmount)) }
        } }
    }
}

/// Balance, month so far and forecast.
pub fn render_overview(
    ctx: &Ctx,
    o: &Overview,
    standing: &crate::store::billing::Standing,
    suspends_at: Option<crate::domain::time::Timestamp>,
) -> Markup {
    let t = |m| ctx.t(m);
    let per_hour = ctx.money(o.per_hour);
    html! {
        div.panel {
            p.balance { (t(Msg::BillingBalance)) " " strong class=(if o.balance.0 < 0 { "neg" } else { "" }) { (ctx.money(o.balance)) } }
            @if standing.suspended_at.is_some() {
                p.flash.err { (t(Msg::BillingSuspended)) }
            } @else if let Some(at) = suspends_at {
                p.flash.err { (ctx.fmt(Msg::BillingBelowZero, &[("until", ctx.lang.time(at).into())])) }
            }
            p { @match o.days_left {
                Some(d) => (ctx.fmt(Msg::BillingLasts, &[("amount", per_hour.as_str().into()), ("days", d.into())])),
                None => (ctx.fmt(Msg::BillingRunningCosts, &[("amount", per_hour.as_str().into())])),
            } }
        }
        h2 { (ctx.fmt(Msg::BillingMonthSoFar, &[("month", month_label(o.month).into())])) }
        @if o.lines.is_empty() { p.muted { (t(Msg::BillingNothingThisMonth)) } } @else {
            div.table-wrap { table {
                (lines_head(ctx))
                tbody {
                    @for (r, l) in &o.lines { tr {
                        td { (resource_cell(ctx, r, &o.names)) } td { (unit(ctx, l.item)) } td.num { (l.qty) } td.num { (l.hours) } td.num { (ctx.money(l.amount)) }
                    } }
                    tr.total { td colspan="4" { (t(Msg::BillingTotal)) } td.num { (ctx.money(o.month_total)) } }
                }
            } }
        }
        p.hint { (t(Msg::BillingHourlyHint)) }
    }
}

/// The statements table.
pub fn render_statements(ctx: &Ctx, list: &[StatementRecord], base: &str) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        @if list.is_empty() { p.muted { (t(Msg::BillingNoStatements)) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { (t(Msg::BillingColNumber)) } th { (t(Msg::BillingColMonth)) }
                    th.num { (t(Msg::BillingColCharges)) } th.num { (t(Msg::BillingColClosing)) } th { "" }
                } }
                tbody { @for s in list { tr {
                    td { (s.number) } td { (month_label(s.month)) } td.num { (ctx.money(s.charges)) } td.num { (ctx.money(s.closing)) }
                    td { a href={ (base) (s.number) } { (t(Msg::BillingView)) } " · " a href={ (base) (s.number) ".csv" } download { "CSV" } }
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
pub fn render_day(ctx: &Ctx, entries: &[LedgerEntry]) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        @if entries.is_empty() { p.muted { (t(Msg::BillingNoTransactionsDay)) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { (t(Msg::BillingColWhen)) } th { (t(Msg::BillingColWhat)) }
                    th.num { (t(Msg::BillingColAmount)) } th.num { (t(Msg::BillingColBalanceAfter)) }
                } }
                tbody { @for e in entries {
                    tr {
                        td { @match &e.kind { EntryKind::Charge { hour, .. } => (ctx.time(billing::start_of(*hour))), _ => (ctx.time(e.at)) } }
                        td { (describe(ctx, e))
                            @if let EntryKind::Charge { lines, .. } = &e.kind {
                                ul.lines { @for l in lines { li {
                                    (l.resource) " — " (l.qty) " × " (unit(ctx, l.item)) " "
                                    (ctx.fmt(Msg::BillingLinePrice, &[("price", ctx.money(l.price.hourly).into())])) ": " (ctx.money(l.amount))
                                } } }
                            }
                        }
                        td.num { (ctx.money(e.amount)) } td.num { (ctx.money(e.balance)) }
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
            h1 { (ctx.fmt(Msg::BillingDayTitle, &[("day", ctx.lang.date(start).into())])) }
            (render_day(&ctx, &entries))
            p { a href="/billing" { (ctx.t(Msg::BillingBack)) } }
        };
        let crumbs = [(ctx.t(Msg::BillingTitle), "/billing")];
        return Ok(page(&ctx, ctx.t(Msg::BillingTransactionsTitle), &crumbs, body).into_response());
    }
    let m = b.page(s.user.id, q.before, PAGE)?;
    let older = m.rows.last().filter(|r| r.first > 1 && m.rows.len() == PAGE).map(|r| r.first);
    // The trial panel is for new customers and for those who have one.
    let show_trial = m.trial.is_some() || (m.statements.is_empty() && m.rows.is_empty());
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::BillingTitle)) }
        (render_overview(&ctx, &m.overview, &m.standing, m.suspends_at))
        @if show_trial { (super::trial::render_trial_panel(&ctx, m.trial.as_ref(), b.trial_days(), m.now)) }
        p.hint { (ctx.fmt(Msg::BillingHowToPay, &[("account", s.user.id.0.into())])) }
        h2 { (t(Msg::BillingStatements)) }
        (render_statements(&ctx, &m.statements, "/billing/statements/"))
        h2 { (t(Msg::BillingTransactionsTitle)) }
        (render_transactions(&ctx, &m.rows, "/billing?day="))
        @if let Some(seq) = older { p { a href={ "/billing?before=" (seq) } { (t(Msg::BillingOlder)) } } }
    };
    Ok(page(&ctx, t(Msg::BillingTitle), &[(t(Msg::BillingTitle), "/billing")], body).into_response())
}

/// A billed resource by the name its owner knows (`web-1`), with its key (`vm:1`).
fn resource_cell(ctx: &Ctx, key: &str, names: &std::collections::BTreeMap<String, String>) -> Markup {
    html! {
        @if key == crate::service::billing::BACKUP_STORAGE_KEY { (ctx.t(Msg::BillingBackupStorage)) }
        @else { @match names.get(key) {
            Some(name) => { (name) " " span.muted { "(" (key) ")" } }
            None => { (key) }
        } }
    }
}

/// A statement page (print-friendly).
pub fn render_statement(
    ctx: &Ctx,
    s: &StatementRecord,
    email: &str,
    names: &std::collections::BTreeMap<String, String>,
) -> Markup {
    let t = |m| ctx.t(m);
    html! {
        article.statement {
            h1 { (ctx.fmt(Msg::BillingStatementTitle, &[("number", s.number.into())])) }
            p {
                (ctx.fmt(Msg::BillingStatementAccount, &[("account", s.owner.0.into()), ("email", email.into())])) br;
                (ctx.fmt(Msg::BillingStatementPeriod, &[("month", month_label(s.month).into())])) br;
                (ctx.fmt(Msg::BillingStatementIssued, &[("at", ctx.lang.time(s.issued_at).into())]))
            }
            div.table-wrap { table {
                (lines_head(ctx))
                tbody {
                    @for (r, l) in &s.lines { tr {
                        td { (resource_cell(ctx, r, names)) } td { (unit(ctx, l.item)) } td.num { (l.qty) } td.num { (l.hours) } td.num { (ctx.money(l.amount)) }
                    } }
                }
            } }
            table.totals { tbody {
                tr { th { (t(Msg::BillingOpening)) } td.num { (ctx.money(s.opening)) } }
                tr { th { (t(Msg::BillingColCharges)) } td.num { "−" (ctx.money(s.charges)) } }
                tr { th { (t(Msg::BillingCredits)) } td.num { (ctx.money(s.credits)) } }
                tr { th { (t(Msg::BillingPayments)) } td.num { (ctx.money(s.top_ups)) } }
                tr { th { (t(Msg::BillingCorrections)) } td.num { (ctx.money(s.adjustments)) } }
                tr.total { th { (t(Msg::BillingColClosing)) } td.num { (ctx.money(s.closing)) } }
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
    ctx: &Ctx,
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
    let title = ctx.fmt_string(Msg::BillingStatementTitle, &[("number", s.number.into())]);
    page(ctx, &title, crumbs, render_statement(ctx, s, email, names)).into_response()
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
    let crumbs = [(ctx.t(Msg::BillingTitle), "/billing")];
    Ok(statement_response(&ctx, &st, s.user.email.as_str(), &names, csv, &crumbs))
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
        &[super::admin::crumb_admin(&ctx), ("Billing", "/admin/billing")],
    ))
}
