//! The browser consoles through the real TLS server and a real QEMU (TCG) VM: the VNC proxy
//! completes the RFB handshake, the serial proxy delivers the guest's boot marker, and every
//! refusal (no session, another customer, a used or expired ticket, a foreign Origin) holds.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use vpsbox::domain::catalog::PlanSpec;

use crate::common::*;
use crate::common::{catalogue_with, order, wait_page};

pub type Ws = tokio_tungstenite::WebSocketStream<crate::tls::Tls>;

/// Log in `email` with a fresh client; returns the client and its session cookie (`name=value`).
pub async fn session_of(d: &Daemon, email: &str) -> (reqwest::Client, String) {
    let c = client();
    let r = log_in(&c, d, email, PW).await;
    assert_eq!(r.status().as_u16(), 303);
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-vpsbox_session="))
        .and_then(|v| v.split(';').next())
        .unwrap()
        .to_string();
    (c, cookie)
}

/// The ticket and WebSocket path on a console page.
pub async fn ticket_of(c: &reqwest::Client, d: &Daemon, page: &str) -> (String, String) {
    let (status, html) = get_text(c, &d.url(page)).await;
    assert_eq!(status, 200, "{html}");
    let attr = |name: &str| {
        html.split(&format!("{name}=\""))
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_default()
            .to_string()
    };
    let (ws, ticket) = (attr("data-ws"), attr("data-ticket"));
    assert!(!ticket.is_empty(), "no ticket on {page}: {html}");
    (ws, ticket)
}

/// Open a WebSocket to `path` on the daemon with these headers; `Err` carries the HTTP status
/// of a refused handshake.
pub async fn ws_connect(
    d: &Daemon,
    path: &str,
    cookie: Option<&str>,
    origin: Option<&str>,
) -> Result<Ws, u16> {
    let (tls, _) = crate::tls::connect(d.addr()).await;
    let mut req = format!("wss://{}{}", d.addr(), path).into_client_request().unwrap();
    if let Some(c) = cookie {
        req.headers_mut().insert("cookie", c.parse().unwrap());
    }
    if let Some(o) = origin {
        req.headers_mut().insert("origin", o.parse().unwrap());
    }
    match tokio_tungstenite::client_async(req, tls).await {
        Ok((ws, _)) => Ok(ws),
        Err(WsError::Http(resp)) => Err(resp.status().as_u16()),
        Err(e) => panic!("websocket to {path}: {e}"),
    }
}

/// Binary frames until `needle` shows up in what arrived (or the time runs out).
pub async fn read_until(ws: &mut Ws, needle: &[u8], secs: u64) -> Vec<u8> {
    let mut got = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while !got.windows(needle.len()).any(|w| w == needle) {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, ws.next()).await {
            Ok(Some(Ok(Message::Binary(b)))) => got.extend_from_slice(&b),
            Ok(Some(Ok(_))) => {}
            other => panic!(
                "stream ended before {:?}: {other:?}; got {:?}",
                String::from_utf8_lossy(needle),
                String::from_utf8_lossy(&got)
            ),
        }
    }
    got
}

/// Type `command` into the tiny guest's serial shell through the cabinet's serial console (as
/// `email`, on the server at `vm_path`); what came back once `done` showed up. Make `done`
/// something the shell prints, not the echo of what was typed (`echo DONE-$((40+2))`).
pub async fn serial_shell(d: &Daemon, email: &str, vm_path: &str, command: &str, done: &str) -> String {
    let (console, cookie) = session_of(d, email).await;
    let (ws_path, ticket) = ticket_of(&console, d, &format!("{vm_path}/serial")).await;
    let origin = format!("https://{}", d.addr);
    let mut serial =
        ws_connect(d, &format!("{ws_path}?ticket={ticket}"), Some(&cookie), Some(&origin)).await.unwrap();
    serial.send(Message::Binary(format!("{command}\n").into_bytes().into())).await.unwrap();
    String::from_utf8_lossy(&read_until(&mut serial, done.as_bytes(), 60).await).into_owned()
}

/// Delete VM `id` and wait until it is gone (no domain left for the next test's reconcile).
pub async fn delete_vm(d: &Daemon, id: u64) {
    let vm = d.svc().vms.get(&vpsbox::service::Caller::system(), vpsbox::domain::vm::VmId(id)).unwrap();
    d.svc().vms.delete(&vpsbox::service::Caller::system(), vm.id, &vm.hostname).await.unwrap();
    for _ in 0..200 {
        if d.svc().vms.get_any(vm.id).is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("VM {id} was not deleted");
}

/// A running tiny VM of `email` on the real libvirtd; returns its page path and id.
pub async fn running_vm(d: &Daemon, email: &str, hostname: &str) -> (String, u64) {
    let template = crate::e2e::test_template();
    let (plan, tpl) =
        catalogue_with(d, template, "tiny", PlanSpec { vcpus: 1, memory_mib: 256, disk_gb: 1, ipv4: 0 })
            .await;
    let c = client();
    sign_up(&c, d, email).await;
    let vm = order(&c, d, hostname, plan, tpl).await;
    wait_page(&c, d, &vm, "badge running").await;
    let id = vm.trim_start_matches("/vms/").parse().unwrap();
    (vm, id)
}

#[tokio::test]
async fn consoles_proxy_rfb_and_serial_and_refuse_strangers() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    cfg.libvirt.uri = "qemu:///system".into();
    cfg.libvirt.domain_type = vpsbox::config::DomainType::Qemu;
    let d = start_daemon_with(cfg, dir).await;
    let (vm, id) = running_vm(&d, "owner@example.com", "console-guest").await;
    let (c, cookie) = session_of(&d, "owner@example.com").await;
    let origin = format!("https://{}", d.addr());

    // VNC: the proxy hands over the server's RFB greeting and carries the client's answer.
    let (ws_path, ticket) = ticket_of(&c, &d, &format!("{vm}/console")).await;
    assert_eq!(ws_path, format!("{vm}/console/vnc"));
    let url = format!("{ws_path}?ticket={ticket}");
    let mut ws = ws_connect(&d, &url, Some(&cookie), Some(&origin)).await.unwrap();
    let hello = read_until(&mut ws, b"\n", 20).await;
    assert!(hello.starts_with(b"RFB 003.00"), "{:?}", String::from_utf8_lossy(&hello));
    ws.send(Message::Binary(b"RFB 003.008\n".to_vec().into())).await.unwrap();
    let types = read_until(&mut ws, &[1], 10).await;
    assert!(!types.is_empty() && types[0] >= 1, "security types offered: {types:?}");
    // The ticket was used up.
    assert_eq!(ws_connect(&d, &url, Some(&cookie), Some(&origin)).await.err(), Some(410));
    ws.close(None).await.unwrap();

    // Refusals, each with a fresh valid ticket.
    let (_, t) = ticket_of(&c, &d, &format!("{vm}/console")).await;
    let url = format!("{ws_path}?ticket={t}");
    let no_session = ws_connect(&d, &url, None, Some(&origin)).await.err();
    assert_eq!(no_session, Some(303), "no session: to the login page");
    assert_eq!(ws_connect(&d, &url, Some(&cookie), Some("https://evil.example")).await.err(), Some(403));
    assert_eq!(ws_connect(&d, &url, Some(&cookie), None).await.err(), Some(403), "no Origin");
    let other = client();
    sign_up(&other, &d, "other@example.com").await;
    let (_, other_cookie) = session_of(&d, "other@example.com").await;
    assert_eq!(ws_connect(&d, &url, Some(&other_cookie), Some(&origin)).await.err(), Some(404));
    let (_, t) = ticket_of(&c, &d, &format!("{vm}/console")).await;
    d.clock.advance_secs(61);
    let expired = ws_connect(&d, &format!("{ws_path}?ticket={t}"), Some(&cookie), Some(&origin)).await.err();
    assert_eq!(expired, Some(410));
    let (_, t) = ticket_of(&c, &d, &format!("{vm}/console")).await;
    let wrong_kind =
        ws_connect(&d, &format!("{vm}/console/serial?ticket={t}"), Some(&cookie), Some(&origin)).await;
    assert_eq!(wrong_kind.err(), Some(410), "a VNC ticket does not open the serial console");

    // Serial: the guest's boot marker arrives through the proxy after a hard reset.
    let (ws_path, ticket) = ticket_of(&c, &d, &format!("{vm}/serial")).await;
    assert_eq!(ws_path, format!("{vm}/console/serial"));
    let mut serial =
        ws_connect(&d, &format!("{ws_path}?ticket={ticket}"), Some(&cookie), Some(&origin)).await.unwrap();
    let r = submit(&c, &d, &vm, &format!("{vm}/power"), &[("action", "reset")]).await;
    assert_eq!(r.status().as_u16(), 303);
    read_until(&mut serial, b"VPSBOX-TEST: init started", 60).await;

    // A second serial session takes the port over; the first is told why.
    let (_, ticket) = ticket_of(&c, &d, &format!("{vm}/serial")).await;
    let _second =
        ws_connect(&d, &format!("{ws_path}?ticket={ticket}"), Some(&cookie), Some(&origin)).await.unwrap();
    let (code, reason) = close_reason(&mut serial, 10).await;
    assert!(reason.contains("Another session opened this serial console"), "{reason}");
    assert_eq!(code, 4001, "the page says it in the reader's language by this code");

    // Logging out ends the console sessions of that login.
    let r = submit(&c, &d, "/dashboard", "/logout", &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    let mut second = _second;
    let (code, reason) = close_reason(&mut second, 10).await;
    assert_eq!((code, reason.contains("session ended")), (4002, true), "{reason}");
    delete_vm(&d, id).await;
    d.stop().await;
}

/// Read frames until the server closes; returns the close code and reason.
async fn close_reason(ws: &mut Ws, secs: u64) -> (u16, String) {
    loop {
        match tokio::time::timeout(Duration::from_secs(secs), ws.next()).await {
            Ok(Some(Ok(Message::Close(Some(f))))) => return (u16::from(f.code), f.reason.to_string()),
            Ok(Some(Ok(_))) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

/// A console without input closes after `console.idle_timeout_secs`; suspending the VM closes
/// its consoles; a suspended VM's console is refused.
#[tokio::test]
async fn idle_and_suspended_consoles_close() {
    let _guard = crate::hv::LIBVIRTD.lock().await;
    let dir = tempdir();
    let mut cfg = test_config(dir.path());
    cfg.libvirt.uri = "qemu:///system".into();
    cfg.libvirt.domain_type = vpsbox::config::DomainType::Qemu;
    cfg.console.idle_timeout_secs = 3;
    let d = start_daemon_with(cfg, dir).await;
    let (vm, id) = running_vm(&d, "idle@example.com", "idle-guest").await;
    let (c, cookie) = session_of(&d, "idle@example.com").await;
    let origin = format!("https://{}", d.addr());

    let (ws_path, ticket) = ticket_of(&c, &d, &format!("{vm}/console")).await;
    let mut ws =
        ws_connect(&d, &format!("{ws_path}?ticket={ticket}"), Some(&cookie), Some(&origin)).await.unwrap();
    let (code, reason) = close_reason(&mut ws, 15).await;
    assert_eq!((code, reason.contains("without input")), (4003, true), "{reason}");
    // The page has each of vpsbox's close codes in its language.
    let (_, page) = get_text(&c, &d.url(&format!("{vm}/serial"))).await;
    assert!(
        page.contains("data-say-close4003=\"Closed after 1 minute without input\"")
            && page.contains("data-say-close4006=\"The virtual machine was suspended\""),
        "{page}"
    );

    let (_, ticket) = ticket_of(&c, &d, &format!("{vm}/console")).await;
    let mut ws =
        ws_connect(&d, &format!("{ws_path}?ticket={ticket}"), Some(&cookie), Some(&origin)).await.unwrap();
    let (_, refused_later) = ticket_of(&c, &d, &format!("{vm}/console")).await;
    d.svc()
        .vms
        .set_suspended(&vpsbox::service::Caller::system(), vpsbox::domain::vm::VmId(id), true)
        .await
        .unwrap();
    let (code, reason) = close_reason(&mut ws, 15).await;
    assert!(
        (code == 4006 && reason.contains("suspended")) || (code == 4005 && reason.contains("closed")),
        "{code} {reason}"
    );
    let again =
        ws_connect(&d, &format!("{ws_path}?ticket={refused_later}"), Some(&cookie), Some(&origin)).await;
    assert_eq!(again.err(), Some(409), "a suspended VM's console is refused");
    let (_, page) = get_text(&c, &d.url(&format!("{vm}/console"))).await;
    assert!(page.contains("suspended by the provider"), "{page}");

    d.svc()
        .vms
        .set_suspended(&vpsbox::service::Caller::system(), vpsbox::domain::vm::VmId(id), false)
        .await
        .unwrap();
    delete_vm(&d, id).await;
    d.stop().await;
}
