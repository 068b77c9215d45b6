//! The console pages of a VM: graphical (noVNC) and serial (xterm.js), each with a fresh
//! one-time ticket for its WebSocket, and the screenshot thumbnail shown on the VM page. Part
//! of the VM routes mounted for owners and for admins (`vms::routes`).
//! "Reconnect" reloads the page, which issues a new ticket.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::service::console::ConsoleKind;
use crate::service::vms::VmError;
use crate::web::AppState;
use crate::web::assets::url_of;
use crate::web::ctx::{Ctx, Door, PathId};
use crate::web::error::WebError;
use crate::web::layout::page;

/// Width of the screenshot thumbnail on the VM page.
pub const THUMB_WIDTH: usize = 320;

async fn console_page(
    state: &AppState,
    door: &Door,
    id: VmId,
    kind: ConsoleKind,
) -> Result<Response, WebError> {
    let (ctx, s, base, admin) = (&door.ctx, &door.session, door.base.as_str(), door.admin());
    let vm = state.svc.vms.get(&door.caller, id)?;
    let rescue = state.svc.vms.rescue_of(vm.id)?;
    let problem = match state.svc.vms.console_ready(&door.caller, vm.id).await {
        Ok(()) => None,
        Err(e) if crate::service::Coded::is_user_error(&e) => Some(ctx.error_text(&e)),
        Err(e) => return Err(e.into()),
    };
    let ticket = match problem {
        None => state.svc.consoles.issue(s.user.id, s.key, vm.id, kind),
        Some(_) => String::new(),
    };
    let ws = format!("{base}/{id}/console/{}", kind.as_str());
    let t = |m| ctx.t(m);
    let host = [("hostname", vm.hostname.as_str().into())];
    let title = match kind {
        ConsoleKind::Vnc => ctx.fmt_string(Msg::ConsoleTitle, &host),
        ConsoleKind::Serial => ctx.fmt_string(Msg::ConsoleSerialTitle, &host),
    };
    let (connected, lost) = match kind {
        ConsoleKind::Vnc => (Msg::ConsoleConnected, Msg::ConsoleLost),
        ConsoleKind::Serial => (Msg::ConsoleConnectedSerial, Msg::ConsoleLostSerial),
    };
    let vm_href = format!("{base}/{id}");
    let idle_minutes = state.svc.consoles.idle_timeout_secs().div_ceil(60);
    // xterm.js makes <style> elements of its own: they may apply when they carry this nonce.
    let style_nonce = match kind {
        ConsoleKind::Serial => crate::service::tokens::encode(&crate::service::tokens::random_bytes()),
        ConsoleKind::Vnc => String::new(),
    };
    let body = html! {
        div.heading {
            h1 { (title) }
            div.actions {
                a href=(vm_href) { (ctx.fmt(Msg::ConsoleBack, &host)) }
                @match kind {
                    ConsoleKind::Vnc => a href={ (base) "/" (id) "/serial" } { (t(Msg::VmSerialConsole)) },
                    ConsoleKind::Serial => a href={ (base) "/" (id) "/console" } { (t(Msg::ConsoleGraphical)) },
                }
            }
        }
        @if let Some(r) = &rescue { (super::vm_rescue::rescue_banner(ctx, base, id, r, false)) }
        div #console data-ws=(ws) data-ticket=(ticket) data-connected="false" data-style-nonce=(style_nonce)
            data-say-connecting=(t(Msg::ConsoleConnecting)) data-say-connected=(t(connected))
            data-say-disconnected=(t(Msg::ConsoleDisconnected)) data-say-lost=(t(lost)) data-say-refused=(t(Msg::ConsoleRefused))
            data-say-close4001=(t(Msg::ConsoleCloseTakenOver)) data-say-close4002=(t(Msg::ConsoleCloseLoggedOut))
            data-say-close4003=(ctx.fmt(Msg::ConsoleCloseIdle, &[("minutes", idle_minutes.into())]))
            data-say-close4004=(t(Msg::ConsoleCloseDeleted)) data-say-close4005=(t(Msg::ConsoleCloseEnded))
            data-say-close4006=(t(Msg::ConsoleCloseSuspended)) {
            div.console-bar {
                span #console-status data-state=(if problem.is_some() { "unavailable" } else { "connecting" }) {
                    (problem.as_deref().unwrap_or(t(Msg::ConsoleConnecting)))
                }
                @if kind == ConsoleKind::Vnc && problem.is_none() {
                    button.secondary #console-cad type="button" { "Ctrl+Alt+Del" }
                    button.secondary #console-full type="button" { (t(Msg::ConsoleFullScreen)) }
                    label.check { input #console-scale type="checkbox" checked; " " (t(Msg::ConsoleScale)) }
                }
                a.button #console-reconnect href=(format!("{base}/{id}/{}", if kind == ConsoleKind::Vnc { "console" } else { "serial" })) hidden[problem.is_none()] { (t(Msg::ConsoleReconnect)) }
            }
            div #console-screen class=(if kind == ConsoleKind::Vnc { "vnc" } else { "serial" }) {}
            @if kind == ConsoleKind::Vnc && problem.is_none() {
                details.panel {
                    summary { (t(Msg::ConsolePaste)) }
                    textarea #console-text rows="4" aria-label=(t(Msg::ConsolePasteLabel)) {}
                    div.actions { button.secondary #console-paste type="button" { (t(Msg::ConsolePasteButton)) } }
                    p.hint { (t(Msg::ConsolePasteHint)) }
                }
            }
            @if kind == ConsoleKind::Serial && problem.is_none() {
                p.hint { (t(Msg::ConsoleSerialHint)) }
            }
        }
        @if problem.is_none() {
            @match kind {
                ConsoleKind::Vnc => script type="module" src=(url_of("vnc", "js")) {},
                ConsoleKind::Serial => {
                    link rel="stylesheet" href=(url_of("xterm", "css"));
                    script type="module" src=(url_of("serial", "js")) {}
                }
            }
        }
    };
    let crumbs: Vec<(&str, &str)> = if admin {
        vec![
            super::admin::crumb_admin(ctx),
            (t(Msg::VmsTitle), "/admin/vms"),
            (vm.hostname.as_str(), vm_href.as_str()),
        ]
    } else {
        vec![(t(Msg::VmsTitle), "/vms"), (vm.hostname.as_str(), vm_href.as_str())]
    };
    let mut resp = page(ctx, &title, &crumbs, body).into_response();
    if !style_nonce.is_empty() {
        let csp = crate::web::middleware::csp_with_style_nonce(&style_nonce);
        if let Ok(v) = HeaderValue::from_str(&csp) {
            resp.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    Ok(resp)
}

/// The screenshot thumbnail (PNG), or 404 when the VM has no display to show now.
/// `GET {base}/{id}/screenshot.png`.
pub async fn screenshot_get(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
) -> Result<Response, WebError> {
    match state.svc.vms.screenshot(&door.caller, id, THUMB_WIDTH).await {
        Ok(png) => Ok((
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("image/png")),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            png,
        )
            .into_response()),
        Err(VmError::NotFound | VmError::WrongState(_)) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// The thumbnail on the VM page: a link to the console around the picture.
pub fn thumbnail(ctx: &Ctx, base: &str, id: VmId) -> Markup {
    html! {
        a.thumb href={ (base) "/" (id) "/console" } title=(ctx.t(Msg::ConsoleOpen)) {
            img src={ (base) "/" (id) "/screenshot.png" } alt=(ctx.t(Msg::ConsoleScreen)) width=(THUMB_WIDTH);
        }
    }
}

/// `GET {base}/{id}/console`: the graphical console.
pub async fn console_get(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
) -> Result<Response, WebError> {
    console_page(&state, &door, id, ConsoleKind::Vnc).await
}

/// `GET {base}/{id}/serial`: the serial console.
pub async fn serial_get(
    State(state): State<AppState>,
    door: Door,
    PathId(id): PathId<VmId>,
) -> Result<Response, WebError> {
    console_page(&state, &door, id, ConsoleKind::Serial).await
}
