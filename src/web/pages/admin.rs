//! The admin area: overview (hypervisor, store, sign-up switch) and accounts.

use crate::service::Coded;
use crate::web::layout::Utc;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::account::{Role, UserId};
use crate::hv::link::LinkStatus;
use crate::service::tokens::random_password;
use crate::store::records::UserRecord;
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, FlashKind, redirect_with_flash};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, form_error, page};

/// First breadcrumb of every admin page.
pub const CRUMB_ADMIN: (&str, &str) = ("Admin", "/admin");

/// The admin area's section links; `current` is marked.
pub fn admin_tabs(current: &str) -> Markup {
    let tabs = [
        ("/admin", "Overview"),
        ("/admin/users", "Accounts"),
        ("/admin/vms", "VMs"),
        ("/admin/plans", "Plans"),
        ("/admin/templates", "Templates"),
        ("/admin/ip-pools", "IP pools"),
        ("/admin/backups", "Backups"),
        ("/admin/billing", "Billing"),
        ("/admin/trials", "Trials"),
        ("/admin/support", "Support"),
        ("/admin/sla", "Service level"),
        ("/admin/quota-requests", "Quota requests"),
        ("/admin/audit", "Audit log"),
        ("/admin/unmanaged", "Unmanaged"),
    ];
    html! {
        nav.tabs aria-label="Admin sections" {
            @for (href, label) in tabs {
                @if href == current { a href=(href) aria-current="page" { (label) } } @else { a href=(href) { (label) } }
            }
        }
    }
}

/// Every account's e-mail by id, for admin lists that name accounts.
pub fn account_emails(
    state: &crate::web::AppState,
) -> Result<std::collections::BTreeMap<UserId, String>, WebError> {
    Ok(state.svc.accounts.list_users()?.into_iter().map(|u| (u.id, u.email.as_str().to_string())).collect())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// `GET /admin`.
pub async fn overview_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
) -> Result<Response, WebError> {
    let users = state.svc.accounts.list_users()?;
    let admins = users.iter().filter(|u| u.role == Role::Admin).count();
    let signup = state.svc.accounts.signup_enabled()?;
    let link = state.hv.status();
    let hv = match state.hv.get() {
        Ok(hv) => tokio::task::spawn_blocking(move || hv.describe())
            .await
            .map_err(|e| WebError::Internal("WEB0500", e.to_string()))?
            .map_err(|e| (e.code(), e.to_string())),
        Err(e) => Err((e.code(), e.to_string())),
    };
    let store = state.svc.accounts.store();
    let schema = store.schema_version()?;
    let templates = state.svc.templates.list()?;
    let plans = state.svc.plans.list()?;
    let unmanaged = state.svc.vms.unmanaged()?.len();
    let body = html! {
        h1 { "Admin" }
        (admin_tabs("/admin"))
        div.grid {
            div.panel {
                h2 { "Plans" }
                p.stat { (plans.len()) }
                p.muted { (plans.iter().filter(|p| p.enabled).count()) " enabled · " a href="/admin/plans" { "manage" } }
            }
            div.panel {
                h2 { "Templates" }
                p.stat { (templates.len()) }
                p.muted { (templates.iter().filter(|t| t.enabled).count()) " enabled · " a href="/admin/templates" { "manage" } }
            }
            div.panel {
                h2 { "Accounts" }
                p.stat { (users.len()) }
                p.muted { (plural(users.len() - admins, "customer")) ", " (plural(admins, "admin")) " · " a href="/admin/users" { "manage" } }
            }
            div.panel {
                h2 { "Hypervisor" }
                @match &hv {
                    Ok(info) => {
                        p { span.badge.ok { "connected" } " " code { (info.uri) } }
                        p.muted { (info.driver) " on " (info.hostname) " · libvirt " (info.libvirt_version) " · hypervisor " (info.hypervisor_version) }
                        @if let LinkStatus::Up { since, reconnects, .. } = &link {
                            p.muted { "Since " (Utc(*since)) @if *reconnects > 0 { " · reconnected " (reconnects) "×" } }
                        }
                    }
                    Err((code, msg)) => {
                        p { span.badge.error { "unavailable" } }
                        p.muted { (msg) " · " span.code { (code) } }
                        @if let LinkStatus::Down { since, .. } = &link {
                            p.muted { "Down since " (Utc(*since)) "; retrying automatically." }
                        }
                    }
                }
            }
            div.panel {
                h2 { "State store" }
                p { code { (store.path().map(|p| p.display().to_string()).unwrap_or_else(|| "(in memory)".into())) } }
                @if let Some((since, error)) = store.fault() {
                    p { span.badge.error { "refusing changes" } " since " (crate::domain::time::Timestamp::from_millis(since).display_utc()) }
                    p.muted { (error) " · " span.code { "STO0008" } " · vpsbox reopens it by itself once its disk takes writes again." }
                }
                p.muted { "Schema version " (schema) }
                p.muted { "Installation " code { (store.installation_id()) } }
                @if unmanaged > 0 {
                    p { span.badge.warn { (plural(unmanaged, "unmanaged resource")) } " on this host · " a href="/admin/unmanaged" { "see them" } }
                }
            }
        }
        div.panel {
            h2 { "Settings" }
            form method="post" action="/admin/settings" {
                (csrf_field(&ctx))
                p {
                    "Customer sign-up is " strong { (if signup { "open" } else { "closed" }) } ". "
                    input type="hidden" name="signup" value=(if signup { "off" } else { "on" });
                    button.secondary type="submit" { (if signup { "Close sign-up" } else { "Open sign-up" }) }
                }
            }
        }
    };
    Ok(page(&ctx, "Admin", &[CRUMB_ADMIN], body).into_response())
}

/// Body of `POST /admin/settings`.
#[derive(Deserialize)]
pub struct SettingsForm {
    signup: String,
}

/// `POST /admin/settings`.
pub async fn settings_post(
    State(state): State<AppState>,
    Admin(..): Admin,
    CsrfForm(f): CsrfForm<SettingsForm>,
) -> Result<Response, WebError> {
    let on = match f.signup.as_str() {
        "on" => true,
        "off" => false,
        other => {
            return Err(WebError::BadRequest(format!("signup must be on or off, not {other:?}")));
        }
    };
    state.svc.accounts.set_signup_enabled(on).await?;
    let msg = if on { "Customer sign-up is open." } else { "Customer sign-up is closed." };
    Ok(redirect_with_flash("/admin", FlashKind::Ok, msg))
}

fn render_users(ctx: &Ctx, users: &[UserRecord], me: UserId, notice: Option<Markup>) -> Markup {
    page(
        ctx,
        "Accounts",
        &[CRUMB_ADMIN, ("Accounts", "/admin/users")],
        html! {
            h1 { "Accounts" }
            (admin_tabs("/admin/users"))
            @if let Some(n) = notice { (n) }
            div.table-wrap { table {
                thead { tr { th { "ID" } th { "E-mail" } th { "Role" } th { "Status" } th { "Created" } th { "Actions" } } }
                tbody {
                    @for u in users {
                        tr {
                            td { (u.id) }
                            td { (u.email.as_str()) }
                            td { (u.role.as_str()) }
                            td { @if u.disabled { span.badge.muted { "disabled" } } @else { span.badge.ok { "active" } } }
                            td { (Utc(u.created_at)) }
                            td {
                                form.inline method="post" action={ "/admin/users/" (u.id) "/reset-link" } {
                                    (csrf_field(ctx))
                                    button.secondary type="submit" { "Reset link" }
                                }
                                " "
                                @if u.id != me {
                                    form.inline method="post" action={ "/admin/users/" (u.id) "/status" } {
                                        (csrf_field(ctx))
                                        input type="hidden" name="disabled" value=(if u.disabled { "false" } else { "true" });
                                        button.secondary type="submit" { (if u.disabled { "Enable" } else { "Disable" }) }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
            div.panel {
                h2 { "Create an account" }
                p.hint { "For customers who asked by phone or e-mail. Leave the password empty to generate one; it is shown once." }
                form method="post" action="/admin/users" {
                    (csrf_field(ctx))
                    label for="email" { "E-mail" }
                    input #email type="email" name="email" required;
                    label for="role" { "Role" }
                    select #role name="role" { option value="customer" { "customer" } option value="admin" { "admin" } }
                    label for="password" { "Password (optional)" }
                    input #password type="password" name="password" autocomplete="new-password";
                    div.actions { button type="submit" { "Create account" } }
                }
            }
        },
    )
}

/// `GET /admin/users`.
pub async fn users_get(State(state): State<AppState>, Admin(ctx, s, _): Admin) -> Result<Response, WebError> {
    let users = state.svc.accounts.list_users()?;
    Ok(render_users(&ctx, &users, s.user.id, None).into_response())
}

/// Body of `POST /admin/users`.
#[derive(Deserialize)]
pub struct CreateUserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

/// `POST /admin/users`: create an account.
pub async fn user_create_post(
    State(state): State<AppState>,
    Admin(ctx, s, _): Admin,
    CsrfForm(f): CsrfForm<CreateUserForm>,
) -> Result<Response, WebError> {
    let role =
        Role::parse(&f.role).ok_or_else(|| WebError::BadRequest("role must be customer or admin".into()))?;
    let (password, generated) =
        if f.password.is_empty() { (random_password(), true) } else { (f.password.clone(), false) };
    let result = state.svc.accounts.create_user(&f.email, &password, role).await;
    let users = state.svc.accounts.list_users()?;
    let (status, notice) = match result {
        Ok(id) => (
            StatusCode::OK,
            html! { div.flash.ok role="status" {
                "Account " (id) " created for " strong { (f.email.trim().to_lowercase()) } " (" (role) ")."
                @if generated { br; "Password, shown only now: " code { (password) } }
            } },
        ),
        Err(e) if e.is_user_error() => (StatusCode::UNPROCESSABLE_ENTITY, form_error(&ctx, &e)),
        Err(e) => return Err(e.into()),
    };
    Ok((status, render_users(&ctx, &users, s.user.id, Some(notice))).into_response())
}

/// The base URL for links: the configured public URL, else this request's host.
pub fn base_url(state: &AppState, ctx: &Ctx) -> String {
    if state.public_url.is_empty() {
        format!("https://{}", ctx.host)
    } else {
        state.public_url.trim_end_matches('/').to_string()
    }
}

/// `POST /admin/users/{id}/reset-link`: issue a one-time link and show it once.
pub async fn reset_link_post(
    State(state): State<AppState>,
    Admin(ctx, s, _): Admin,
    Path(id): Path<u64>,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    let user = state.svc.accounts.user(UserId(id))?;
    let token = state.svc.accounts.issue_reset_token(user.id).await?;
    let link = format!("{}/reset/{token}", base_url(&state, &ctx));
    let users = state.svc.accounts.list_users()?;
    let notice = html! { div.flash.info role="status" {
        "One-time password-reset link for " strong { (user.email.as_str()) } ", valid for 1 hour:" br;
        code.reset-link { (link) }
    } };
    Ok(render_users(&ctx, &users, s.user.id, Some(notice)).into_response())
}

/// Body of `POST /admin/users/{id}/status`.
#[derive(Deserialize)]
pub struct StatusForm {
    disabled: bool,
}

/// `POST /admin/users/{id}/status`: disable or enable an account.
pub async fn status_post(
    State(state): State<AppState>,
    Admin(ctx, s, _): Admin,
    Path(id): Path<u64>,
    CsrfForm(f): CsrfForm<StatusForm>,
) -> Result<Response, WebError> {
    let user = state.svc.accounts.user(UserId(id))?;
    if user.id == s.user.id {
        return Ok(redirect_with_flash(
            "/admin/users",
            FlashKind::Error,
            "You cannot disable your own account.",
        ));
    }
    match state.svc.accounts.set_disabled(user.id, f.disabled).await {
        Ok(()) => {
            let what = if f.disabled { "disabled; its sessions have ended" } else { "enabled" };
            Ok(redirect_with_flash("/admin/users", FlashKind::Ok, &format!("Account {} {what}.", user.email)))
        }
        Err(e) if e.is_user_error() => Ok(redirect_with_flash(
            "/admin/users",
            FlashKind::Error,
            &format!("{} ({})", ctx.error_text(&e), e.code()),
        )),
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/unmanaged`: what reconcile found on this host with vpsbox's names but cannot
/// prove is this installation's (another installation's, defined by hand, or unknown to this
/// state): never changed or removed, listed here.
pub async fn unmanaged_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
) -> Result<Response, WebError> {
    let list = state.svc.vms.unmanaged()?;
    let ours = state.svc.vms.installation_id();
    let body = html! {
        h1 { "Unmanaged resources" }
        (admin_tabs("/admin/unmanaged"))
        p {
            "vpsbox changes or removes only what carries this installation's mark ("
            code { (ours) } ") and its state says must go. Everything below has vpsbox's names "
            "but is not provably this installation's: it is left exactly as it is. Remove it by hand "
            "(" code { "virsh" } ") once you know whose it is."
        }
        @if list.is_empty() { p.muted { "Nothing: every resource with vpsbox's names on this host is this installation's." } } @else {
            div.table-wrap { table {
                thead { tr { th { "Kind" } th { "Name" } th { "State" } th { "Disks" } th { "Installation" } th { "Why" } th { "First seen" } th { "Last seen" } } }
                tbody { @for u in &list { tr {
                    td { (u.kind.as_str()) }
                    td { code { (u.name) } }
                    td { (u.state) }
                    td { @for d in &u.disks { code { (d) } br; } }
                    td { @match u.installation { Some(i) if i == ours => { "this one" }, Some(i) => { code { (i) } }, None => { span.muted { "none" } } } }
                    td { (u.why) }
                    td { (Utc(u.first_seen)) }
                    td { (Utc(u.last_seen)) }
                } } }
            } }
        }
    };
    Ok(page(&ctx, "Unmanaged resources", &[CRUMB_ADMIN, ("Unmanaged resources", "/admin/unmanaged")], body)
        .into_response())
}
