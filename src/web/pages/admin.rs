//! The admin area: overview (hypervisor, store, sign-up switch) and accounts.

use crate::service::Coded;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::domain::account::{Role, UserId};
use crate::hv::link::LinkStatus;
use crate::i18n::Msg;
use crate::service::tokens::random_password;
use crate::store::records::UserRecord;
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, FlashKind, redirect_with_flash};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, form_error, page};

/// First breadcrumb of every admin page.
pub fn crumb_admin(ctx: &Ctx) -> (&str, &str) {
    (ctx.t(Msg::AdminTitle), "/admin")
}

/// The admin area's section links; `current` is marked.
pub fn admin_tabs(ctx: &Ctx, current: &str) -> Markup {
    let tabs = [
        ("/admin", Msg::AdminTabOverview),
        ("/admin/users", Msg::AdminTabAccounts),
        ("/admin/vms", Msg::AdminTabVms),
        ("/admin/plans", Msg::AdminTabPlans),
        ("/admin/templates", Msg::AdminTabTemplates),
        ("/admin/ip-pools", Msg::AdminTabPools),
        ("/admin/backups", Msg::AdminTabBackups),
        ("/admin/billing", Msg::AdminTabBilling),
        ("/admin/trials", Msg::AdminTabTrials),
        ("/admin/support", Msg::AdminTabSupport),
        ("/admin/sla", Msg::AdminTabSla),
        ("/admin/abuse", Msg::AdminTabAbuse),
        ("/admin/quota-requests", Msg::AdminTabQuota),
        ("/admin/tokens", Msg::AdminTabTokens),
        ("/admin/webhooks", Msg::AdminTabWebhooks),
        ("/admin/audit", Msg::AdminTabAudit),
        ("/admin/unmanaged", Msg::AdminTabUnmanaged),
    ];
    html! {
        // The label is the same in every language: scripts and tests find the tabs by it.
        nav.tabs aria-label="Admin sections" {
            @for (href, msg) in tabs {
                @let label = ctx.t(msg);
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

/// `GET /admin`.
pub async fn overview_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
) -> Result<Response, WebError> {
    let users = state.svc.accounts.list_users()?;
    let admins = users.iter().filter(|u| u.role == Role::Admin).count();
    let signup = state.svc.accounts.signup_enabled()?;
    let required = state.svc.accounts.two_factor_policy()?;
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
    let t = |m| ctx.t(m);
    let enabled = |n: usize| ctx.fmt_string(Msg::AdminEnabled, &[("n", n.into())]);
    let body = html! {
        h1 { (t(Msg::AdminTitle)) }
        (admin_tabs(&ctx, "/admin"))
        div.grid {
            div.panel {
                h2 { (t(Msg::AdminTabPlans)) }
                p.stat { (plans.len()) }
                p.muted { (enabled(plans.iter().filter(|p| p.enabled).count())) " · " a href="/admin/plans" { (t(Msg::AdminManage)) } }
            }
            div.panel {
                h2 { (t(Msg::AdminTabTemplates)) }
                p.stat { (templates.len()) }
                p.muted { (enabled(templates.iter().filter(|t| t.enabled).count())) " · " a href="/admin/templates" { (t(Msg::AdminManage)) } }
            }
            div.panel {
                h2 { (t(Msg::AdminTabAccounts)) }
                p.stat { (users.len()) }
                p.muted {
                    (ctx.fmt(Msg::AdminCustomersAdmins, &[("customers", (users.len() - admins).into()), ("admins", admins.into())]))
                    " · " a href="/admin/users" { (t(Msg::AdminManage)) }
                }
            }
            div.panel {
                h2 { (t(Msg::AdminHypervisor)) }
                @match &hv {
                    Ok(info) => {
                        p { span.badge.ok { (t(Msg::AdminConnected)) } " " code { (info.uri) } }
                        p.muted { (ctx.fmt(Msg::AdminHvDetail, &[
                            ("driver", info.driver.as_str().into()), ("host", info.hostname.as_str().into()),
                            ("libvirt", info.libvirt_version.as_str().into()), ("hypervisor", info.hypervisor_version.as_str().into()),
                        ])) }
                        @if let LinkStatus::Up { since, reconnects, .. } = &link {
                            p.muted {
                                (ctx.fmt(Msg::AdminSince, &[("since", ctx.lang.time(*since).into())]))
                                @if *reconnects > 0 { " · " (ctx.fmt(Msg::AdminReconnected, &[("n", (*reconnects).into())])) }
                            }
                        }
                    }
                    Err((code, msg)) => {
                        p { span.badge.error { (t(Msg::AdminUnavailable)) } }
                        p.muted { (msg) " · " span.code { (code) } }
                        @if let LinkStatus::Down { since, .. } = &link {
                            p.muted { (ctx.fmt(Msg::AdminDownSince, &[("since", ctx.lang.time(*since).into())])) }
                        }
                    }
                }
            }
            div.panel {
                h2 { (t(Msg::AdminStore)) }
                p { code { (store.path().map(|p| p.display().to_string()).unwrap_or_else(|| t(Msg::AdminInMemory).into())) } }
                @if let Some((since, error)) = store.fault() {
                    p { span.badge.error { (t(Msg::AdminRefusing)) } " "
                        (ctx.fmt(Msg::AdminRefusingSince, &[("since", ctx.lang.time(crate::domain::time::Timestamp::from_millis(since)).into())])) }
                    p.muted { (error) " · " span.code { "STO0008" } " · " (t(Msg::AdminStoreReopens)) }
                }
                p.muted { (ctx.fmt(Msg::AdminSchema, &[("version", schema.into())])) }
                p.muted { (t(Msg::AdminInstallation)) " " code { (store.installation_id()) } }
                @if unmanaged > 0 {
                    p { span.badge.warn { (ctx.fmt(Msg::AdminUnmanagedCount, &[("n", unmanaged.into())])) } " " (t(Msg::AdminOnThisHost))
                        " · " a href="/admin/unmanaged" { (t(Msg::AdminSeeThem)) } }
                }
            }
        }
        div.panel {
            h2 { (t(Msg::AdminSettings)) }
            form method="post" action="/admin/settings" {
                (csrf_field(&ctx))
                p {
                    (ctx.fmt(Msg::AdminSignupState, &[("open", (if signup { "yes" } else { "no" }).into())])) " "
                    input type="hidden" name="signup" value=(if signup { "off" } else { "on" });
                    button.secondary type="submit" { (t(if signup { Msg::AdminSignupClose } else { Msg::AdminSignupOpen })) }
                }
            }
            (super::two_factor::render_policy_form(&ctx, required))
        }
    };
    Ok(page(&ctx, t(Msg::AdminTitle), &[crumb_admin(&ctx)], body).into_response())
}

/// Body of `POST /admin/settings`.
#[derive(Deserialize)]
pub struct SettingsForm {
    signup: String,
}

/// `POST /admin/settings`.
pub async fn settings_post(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
    CsrfForm(f): CsrfForm<SettingsForm>,
) -> Result<Response, WebError> {
    let on = match f.signup.as_str() {
        "on" => true,
        "off" => false,
        other => {
            return Err(WebError::BadValue { field: "signup".into(), value: other.to_string() });
        }
    };
    state.svc.accounts.set_signup_enabled(on).await?;
    let msg = ctx.fmt_string(Msg::AdminSignupState, &[("open", (if on { "yes" } else { "no" }).into())]);
    Ok(redirect_with_flash("/admin", FlashKind::Ok, &msg))
}

fn render_users(
    ctx: &Ctx,
    users: &[UserRecord],
    with_2fa: &std::collections::HashSet<UserId>,
    me: UserId,
    notice: Option<Markup>,
) -> Markup {
    let t = |m| ctx.t(m);
    page(
        ctx,
        t(Msg::AdminTabAccounts),
        &[crumb_admin(ctx), (t(Msg::AdminTabAccounts), "/admin/users")],
        html! {
            h1 { (t(Msg::AdminTabAccounts)) }
            (admin_tabs(ctx, "/admin/users"))
            @if let Some(n) = notice { (n) }
            div.table-wrap { table {
                thead { tr {
                    th { (t(Msg::AdminColId)) } th { (t(Msg::AdminColEmail)) } th { (t(Msg::AdminColRole)) }
                    th { (t(Msg::AdminColStatus)) } th { (t(Msg::AdminColTwoFactor)) } th { (t(Msg::AdminColCreated)) }
                    th { (t(Msg::AdminColActions)) }
                } }
                tbody {
                    @for u in users {
                        tr {
                            td { (u.id) }
                            td { (u.email.as_str()) }
                            td { (ctx.fmt(Msg::AdminRole, &[("role", u.role.as_str().into())])) }
                            td { @if u.disabled { span.badge.muted { (t(Msg::AdminDisabled)) } } @else { span.badge.ok { (t(Msg::AdminActive)) } } }
                            td { @if with_2fa.contains(&u.id) { span.badge.ok { "2FA" } } @else { span.muted { "—" } } }
                            td { (ctx.time(u.created_at)) }
                            td {
                                @if with_2fa.contains(&u.id) {
                                    form.inline method="post" action={ "/admin/users/" (u.id) "/2fa/reset" } {
                                        (csrf_field(ctx))
                                        button.secondary type="submit" { (t(Msg::AdminTwoFactorReset)) }
                                    }
                                    " "
                                }
                                form.inline method="post" action={ "/admin/users/" (u.id) "/reset-link" } {
                                    (csrf_field(ctx))
                                    button.secondary type="submit" { (t(Msg::AdminResetLink)) }
                                }
                                " "
                                @if u.id != me {
                                    form.inline method="post" action={ "/admin/users/" (u.id) "/status" } {
                                        (csrf_field(ctx))
                                        input type="hidden" name="disabled" value=(if u.disabled { "false" } else { "true" });
                                        button.secondary type="submit" { (t(if u.disabled { Msg::AdminEnable } else { Msg::AdminDisable })) }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
            div.panel {
                h2 { (t(Msg::AdminCreateAccount)) }
                p.hint { (t(Msg::AdminCreateHint)) }
                form method="post" action="/admin/users" {
                    (csrf_field(ctx))
                    label for="email" { (t(Msg::AdminEmail)) }
                    input #email type="email" name="email" required;
                    label for="role" { (t(Msg::AdminColRole)) }
                    select #role name="role" {
                        @for r in ["customer", "admin"] { option value=(r) { (ctx.fmt(Msg::AdminRole, &[("role", r.into())])) } }
                    }
                    label for="password" { (t(Msg::AdminPasswordOptional)) }
                    input #password type="password" name="password" autocomplete="new-password";
                    div.actions { button type="submit" { (t(Msg::AdminCreateSubmit)) } }
                }
            }
        },
    )
}

/// `GET /admin/users`.
pub async fn users_get(State(state): State<AppState>, Admin(ctx, s, _): Admin) -> Result<Response, WebError> {
    let users = state.svc.accounts.list_users()?;
    Ok(render_users(&ctx, &users, &state.svc.accounts.two_factor_users()?, s.user.id, None).into_response())
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
    let role = Role::parse(&f.role)
        .ok_or_else(|| WebError::BadValue { field: "role".into(), value: f.role.clone() })?;
    let (password, generated) =
        if f.password.is_empty() { (random_password(), true) } else { (f.password.clone(), false) };
    let result = state.svc.accounts.create_user(&f.email, &password, role).await;
    let users = state.svc.accounts.list_users()?;
    let (status, notice) = match result {
        Ok(id) => (
            StatusCode::OK,
            html! { div.flash.ok role="status" {
                (ctx.fmt(Msg::AdminAccountCreated, &[
                    ("id", id.0.into()), ("email", f.email.trim().to_lowercase().into()), ("role", role.as_str().into()),
                ]))
                @if generated { br; (ctx.t(Msg::AdminPasswordOnce)) " " code { (password) } }
            } },
        ),
        Err(e) if e.is_user_error() => (StatusCode::UNPROCESSABLE_ENTITY, form_error(&ctx, &e)),
        Err(e) => return Err(e.into()),
    };
    Ok((status, render_users(&ctx, &users, &state.svc.accounts.two_factor_users()?, s.user.id, Some(notice)))
        .into_response())
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
        (ctx.fmt(Msg::AdminResetLinkFor, &[("email", user.email.as_str().into())])) br;
        code.reset-link { (link) }
    } };
    Ok(render_users(&ctx, &users, &state.svc.accounts.two_factor_users()?, s.user.id, Some(notice))
        .into_response())
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
        return Ok(redirect_with_flash("/admin/users", FlashKind::Error, ctx.t(Msg::AdminNotYourself)));
    }
    match state.svc.accounts.set_disabled(user.id, f.disabled).await {
        Ok(()) => {
            let msg = if f.disabled { Msg::AdminAccountDisabled } else { Msg::AdminAccountEnabled };
            let text = ctx.fmt_string(msg, &[("email", user.email.as_str().into())]);
            Ok(redirect_with_flash("/admin/users", FlashKind::Ok, &text))
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
/// A word as a key of the bundles' selections (`shut off` → `shut-off`).
fn word_key(word: &str) -> String {
    word.replace(' ', "-")
}

/// The other installation a reason names, if any.
fn installation_of(why: crate::service::unmanaged::Why) -> String {
    match why {
        crate::service::unmanaged::Why::Another(m) => m.to_string(),
        _ => String::new(),
    }
}

pub async fn unmanaged_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
) -> Result<Response, WebError> {
    let list = state.svc.vms.unmanaged_with_reasons()?;
    let ours = state.svc.vms.installation_id();
    let t = |m| ctx.t(m);
    let title = t(Msg::AdminUnmanagedTitle);
    let body = html! {
        h1 { (title) }
        (admin_tabs(&ctx, "/admin/unmanaged"))
        p { (ctx.fmt(Msg::AdminUnmanagedIntro, &[("mark", ours.to_string().into())])) }
        @if list.is_empty() { p.muted { (t(Msg::AdminUnmanagedNone)) } } @else {
            div.table-wrap { table {
                thead { tr {
                    th { (t(Msg::AdminColKind)) } th { (t(Msg::AdminColName)) } th { (t(Msg::AdminColState)) } th { (t(Msg::AdminColDisks)) }
                    th { (t(Msg::AdminColInstallation)) } th { (t(Msg::AdminColWhy)) } th { (t(Msg::AdminColFirstSeen)) } th { (t(Msg::AdminColLastSeen)) }
                } }
                tbody { @for (u, why) in &list { tr {
                    td title=(u.kind.as_str()) { (ctx.fmt(Msg::AdminUnmanagedKind, &[("kind", word_key(u.kind.as_str()).into())])) }
                    td { code { (u.name) } }
                    td title=(u.state) { (ctx.fmt(Msg::AdminUnmanagedState, &[("state", word_key(&u.state).into())])) }
                    td { @for d in &u.disks { code { (d) } br; } }
                    td { @match u.installation {
                        Some(i) if i == ours => { (t(Msg::AdminThisOne)) },
                        Some(i) => { code { (i) } },
                        None => { span.muted { (t(Msg::AdminNone)) } },
                    } }
                    td { (ctx.fmt(Msg::AdminUnmanagedWhy, &[("reason", why.key().into()), ("installation", installation_of(*why).into())])) }
                    td { (ctx.time(u.first_seen)) }
                    td { (ctx.time(u.last_seen)) }
                } } }
            } }
        }
    };
    Ok(page(&ctx, title, &[crumb_admin(&ctx), (title, "/admin/unmanaged")], body).into_response())
}
