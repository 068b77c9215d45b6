//! Money of an account, for billing and payment systems: the balance, the ledger (oldest
//! first, by sequence, for incremental sync), monthly statements, and booking payments and
//! corrections once per reference.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Api;
use super::catalogue::Amount;
use super::extract::{ApiJson, ApiQuery, Id};
use super::page::{Page, PageQuery};
use super::problem::{ApiError, Problem};
use crate::domain::account::UserId;
use crate::domain::api_token::Scope;
use crate::domain::billing::month_label;
use crate::domain::money::{Money, currency};
use crate::store::billing::{EntryKind, LedgerEntry, StatementRecord};
use crate::web::AppState;

/// An account's balance now.
#[derive(Debug, Serialize, ToSchema)]
pub struct Balance {
    /// The account.
    pub user: u64,
    /// The balance (negative: owed).
    pub balance: Amount,
    /// This billing month (`2026-12`).
    pub month: String,
    /// Charged this month so far.
    pub month_to_date: Amount,
    /// What its resources cost per hour now.
    pub per_hour: Amount,
    /// Whole days the balance lasts at that rate (absent when nothing is charged).
    pub days_left: Option<i64>,
    /// Suspended for non-payment.
    pub suspended: bool,
}

/// An entry of the ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct Transaction {
    /// Its sequence in the account, from 1 without gaps (the list's cursor).
    pub seq: u64,
    /// When it was booked (RFC 3339).
    pub at: String,
    /// `charge` (an hour's charges), `payment`, `credit`, `correction` or `traffic` (a server's
    /// traffic past its allowance, on a plan that charges it).
    pub kind: String,
    /// Its effect on the balance (charges are negative).
    pub amount: Amount,
    /// The balance after it.
    pub balance: Amount,
    /// The payment's reference, why it was credited or corrected, or (`traffic`) the server's
    /// hostname and the GiB charged.
    pub text: Option<String>,
    /// The hour charged (RFC 3339), for charges.
    pub hour: Option<String>,
}

fn transaction_of(e: LedgerEntry) -> Transaction {
    let (kind, text, hour) = match e.kind {
        EntryKind::Charge { hour, .. } => {
            ("charge", None, Some(crate::domain::billing::start_of(hour).rfc3339()))
        }
        EntryKind::TopUp { reference, .. } => ("payment", Some(reference), None),
        EntryKind::Credit { reason } => ("credit", Some(reason), None),
        EntryKind::Adjustment { reason, .. } => ("correction", Some(reason), None),
        EntryKind::Traffic { hostname, gib, .. } => ("traffic", Some(format!("{hostname}: {gib} GiB")), None),
    };
    Transaction {
        seq: e.seq,
        at: e.at.rfc3339(),
        kind: kind.to_string(),
        amount: e.amount.into(),
        balance: e.balance.into(),
        text,
        hour,
    }
}

/// A monthly statement.
#[derive(Debug, Serialize, ToSchema)]
pub struct Statement {
    /// Its number (over all accounts, without gaps).
    pub number: u64,
    /// The month (`2026-11`).
    pub month: String,
    /// Balance at the start of the month.
    pub opening: Amount,
    /// Charged in the month.
    pub charges: Amount,
    /// Credits given.
    pub credits: Amount,
    /// Paid in.
    pub payments: Amount,
    /// Corrections (either sign).
    pub corrections: Amount,
    /// Balance at its end.
    pub closing: Amount,
    /// When it was issued (RFC 3339).
    pub issued_at: String,
}

fn statement_of(s: StatementRecord) -> Statement {
    Statement {
        number: s.number,
        month: month_label(s.month),
        opening: s.opening.into(),
        charges: s.charges.into(),
        credits: s.credits.into(),
        payments: s.top_ups.into(),
        corrections: s.adjustments.into(),
        closing: s.closing.into(),
        issued_at: s.issued_at.rfc3339(),
    }
}

/// An amount sent to the API.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmountIn {
    /// Minor units (an integer; 12345 is 123.45).
    pub minor: i64,
    /// ISO 4217 code: the host's currency.
    pub currency: String,
}

impl AmountIn {
    fn money(&self) -> Result<Money, ApiError> {
        if !self.currency.eq_ignore_ascii_case(currency()) {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "API0422",
                "The field amount.currency is wrong",
            )
            .field("amount.currency", format!("This host bills in {}", currency())));
        }
        Ok(Money(self.minor))
    }
}

/// A payment into a balance.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// How much (more than zero).
    pub amount: AmountIn,
    /// The payment system's reference: booked once (a retry gets the first entry back).
    pub reference: String,
}

/// A correction of a balance.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// How much, either sign (not zero).
    pub amount: AmountIn,
    /// Why (the customer reads it on the Billing page).
    pub reason: String,
    /// The outside system's reference: booked once.
    pub reference: String,
}

/// The caller may handle `user`'s money, or 404.
fn account(state: &AppState, api: &Api, id: u64) -> Result<UserId, ApiError> {
    let user = state.svc.accounts.user(UserId(id))?;
    if !api.caller().sees(user.id) {
        return Err(crate::service::AccountError::NotFound.into());
    }
    Ok(user.id)
}

/// An account's balance.
#[utoipa::path(
    get,
    path = "/users/{id}/balance",
    operation_id = "get_balance",
    tag = "money",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The account's id")),
    responses(
        (status = 200, description = "The balance now", body = Balance),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the balances scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn balance(api: Api, State(state): State<AppState>, Id(id): Id) -> Result<Json<Balance>, ApiError> {
    api.require(Scope::Balances)?;
    let user = account(&state, &api, id)?;
    let o = state.svc.billing.overview(user)?;
    Ok(Json(Balance {
        user: user.0,
        balance: o.balance.into(),
        month: month_label(o.month),
        month_to_date: o.month_total.into(),
        per_hour: o.per_hour.into(),
        days_left: o.days_left,
        suspended: state.svc.billing.is_suspended(user)?,
    }))
}

/// An account's ledger, oldest first.
#[utoipa::path(
    get,
    path = "/users/{id}/transactions",
    operation_id = "list_transactions",
    tag = "money",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The account's id"), PageQuery),
    responses(
        (status = 200, description = "Entries by sequence; `next_cursor` is the last one's", body = Page<Transaction>),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the balances scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn transactions(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<Transaction>>, ApiError> {
    api.require(Scope::Balances)?;
    let user = account(&state, &api, id)?;
    // The page is cut from the entries after the cursor (a page and one more).
    let after =
        q.cursor.as_deref().filter(|c| !c.is_empty()).and_then(|c| c.parse::<u64>().ok()).unwrap_or(0);
    let limit = q.limit.unwrap_or(100).clamp(1, super::page::MAX_LIMIT);
    let entries = state.svc.billing.transactions_after(user, after, limit + 1)?;
    Ok(Json(q.page(entries.into_iter().map(transaction_of).collect(), |t| t.seq)?))
}

/// An account's monthly statements.
#[utoipa::path(
    get,
    path = "/users/{id}/statements",
    operation_id = "list_statements",
    tag = "money",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The account's id")),
    responses(
        (status = 200, description = "Statements by number", body = Page<Statement>),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the balances scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn statements(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
) -> Result<Json<Page<Statement>>, ApiError> {
    api.require(Scope::Balances)?;
    let user = account(&state, &api, id)?;
    let mut items: Vec<Statement> =
        state.svc.billing.statements(user)?.into_iter().map(statement_of).collect();
    items.sort_by_key(|s| s.number);
    Ok(Json(Page { items, next_cursor: None }))
}

/// A booking's answer: 201 when booked now, 200 (`Idempotent-Replayed: true`) when the
/// reference was booked before.
fn booked(entry: LedgerEntry, again: bool) -> Response {
    let status = if again { StatusCode::OK } else { StatusCode::CREATED };
    let mut resp = (status, Json(transaction_of(entry))).into_response();
    if again {
        resp.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    resp
}

/// Book a payment into an account's balance, once per reference.
#[utoipa::path(
    post,
    path = "/users/{id}/payments",
    operation_id = "book_payment",
    tag = "money",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The account's id")),
    request_body = Payment,
    responses(
        (status = 201, description = "Booked", body = Transaction),
        (status = 200, description = "Booked before under this reference: that entry", body = Transaction),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the balances scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The reference was booked for another account or amount", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong amount, currency or reference", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn pay(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiJson(p): ApiJson<Payment>,
) -> Result<Response, ApiError> {
    api.require(Scope::Balances)?;
    let user = account(&state, &api, id)?;
    let (entry, again) =
        state.svc.billing.book_payment(user, p.amount.money()?, &p.reference, api.caller()).await?;
    Ok(booked(entry, again))
}

/// Correct an account's balance, once per reference.
#[utoipa::path(
    post,
    path = "/users/{id}/corrections",
    operation_id = "book_correction",
    tag = "money",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The account's id")),
    request_body = Correction,
    responses(
        (status = 201, description = "Booked", body = Transaction),
        (status = 200, description = "Booked before under this reference: that entry", body = Transaction),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the balances scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The reference was booked for another account or amount", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong amount, currency, reason or reference", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn correct(
    api: Api,
    State(state): State<AppState>,
    Id(id): Id,
    ApiJson(c): ApiJson<Correction>,
) -> Result<Response, ApiError> {
    api.require(Scope::Balances)?;
    let user = account(&state, &api, id)?;
    let (entry, again) = state
        .svc
        .billing
        .book_correction(user, c.amount.money()?, &c.reason, &c.reference, api.caller())
        .await?;
    Ok(booked(entry, again))
}
