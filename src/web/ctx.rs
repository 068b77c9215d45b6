//! The request context: who is asking (session), the CSRF token for forms, a one-shot flash
//! message, the request id, client address and the page's language. Built by [`ctx_layer`] for every request and
//! taken by handlers as the [`Ctx`], [`Customer`] or [`Admin`] extractor.

use crate::service::{Caller, Coded};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::AppState;
use super::error::WebError;
use crate::domain::account::Role;
use crate::i18n::{Arg, Catalog, Lang, Msg};
use crate::service::accounts::SessionView;
use crate::service::tokens;

/// Session cookie. `__Host-` pins it to this host, path `/`, and HTTPS.
pub const SESSION_COOKIE: &str = "__Host-vpsbox_session";
/// CSRF cookie for visitors without a session (login and sign-up forms).
pub const CSRF_COOKIE: &str = "__Host-vpsbox_csrf";
/// One-shot message shown on the next page.
pub const FLASH_COOKIE: &str = "__Host-vpsbox_flash";
/// Cookie of the language a visitor chose with the switch (`kk`, `ru`, `en`).
pub const LANG_COOKIE: &str = "__Host-vpsbox_lang";

/// Kind of a flash message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashKind {
    /// Something worked.
    Ok,
    /// Neutral information.
    Info,
    /// Something failed.
    Error,
}

/// A one-shot message carried to the next page in a cookie.
#[derive(Debug, Clone)]
pub struct Flash {
    /// Colour of the box.
    pub kind: FlashKind,
    /// Text (escaped when rendered).
    pub message: String,
}

/// What a handler knows about the request.
#[derive(Clone)]
pub struct Ctx {
    /// The logged-in session, if any.
    pub session: Option<Arc<SessionView>>,
    /// CSRF token to put in forms (the session's, or the visitor cookie's).
    pub csrf: String,
    /// Message from the previous page.
    pub flash: Option<Flash>,
    /// Client address.
    pub client_ip: IpAddr,
    /// Host the request was addressed to (for links).
    pub host: String,
    /// Notices the logged-in reader has not read (0 for visitors).
    pub unread: u64,
    /// The language of the page.
    pub lang: Lang,
    /// Every language's messages.
    pub catalog: Arc<Catalog>,
}

impl Ctx {
    /// A visitor's context in `lang` with the built-in bundles, for rendering pages in tests.
    #[cfg(test)]
    pub fn for_tests(lang: Lang) -> Ctx {
        Ctx {
            session: None,
            csrf: "test-csrf".into(),
            flash: None,
            client_ip: IpAddr::from([127, 0, 0, 1]),
            host: "localhost".into(),
            unread: 0,
            lang,
            catalog: Arc::new(Catalog::builtin(Lang::En)),
        }
    }

    /// A message without arguments in the page's language.
    pub fn t(&self, msg: Msg) -> &str {
        self.catalog.t(self.lang, msg)
    }

    /// A message with arguments in the page's language, rendered straight into the page.
    pub fn fmt<'a>(&'a self, msg: Msg, args: &'a [Arg<'a>]) -> Formatted<'a> {
        Formatted { ctx: self, msg, args }
    }

    /// A message with arguments in the page's language, as a string (for flash messages and
    /// attributes built before rendering).
    pub fn fmt_string(&self, msg: Msg, args: &[Arg<'_>]) -> String {
        self.catalog.fmt(self.lang, msg, args)
    }

    /// A message with the typed values a service gives (`crate::error::Args`), as a string.
    pub fn say(&self, msg: Msg, args: &crate::error::Args) -> String {
        self.catalog
            .message(self.lang, msg.id(), args.iter().map(|(k, v)| (*k, v)))
            .unwrap_or_else(|| msg.id().to_string())
    }

    /// What an error says in the page's language (see [`super::error::error_text`]).
    pub fn error_text(&self, e: &dyn crate::service::Coded) -> String {
        super::error::error_text(&self.catalog, self.lang, e)
    }

    /// A moment to the minute, written the page language's way.
    pub fn time(&self, at: crate::domain::time::Timestamp) -> LocalTime {
        LocalTime(self.lang, at)
    }

    /// An amount with its currency, written the page language's way.
    pub fn money(&self, m: crate::domain::money::Money) -> String {
        self.lang.money(m)
    }
}

/// A moment written the way of a language, straight into the page.
pub struct LocalTime(pub Lang, pub crate::domain::time::Timestamp);

impl maud::Render for LocalTime {
    fn render_to(&self, buffer: &mut String) {
        self.0.write_time(buffer, self.1);
    }
}

/// See [`Ctx::fmt`].
pub struct Formatted<'a> {
    ctx: &'a Ctx,
    msg: Msg,
    args: &'a [Arg<'a>],
}

impl maud::Render for Formatted<'_> {
    fn render_to(&self, buffer: &mut String) {
        self.ctx.catalog.write_to(buffer, self.ctx.lang, self.msg, self.args);
    }
}

/// The language of a request: the account's choice, else the one chosen with the switch (its
/// cookie), else the first of ours the browser asks for, else the host's default.
pub fn request_lang(account: Option<&str>, headers: &HeaderMap, catalog: &Catalog) -> Lang {
    account
        .and_then(Lang::from_code)
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(Lang::from_code))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(catalog.default_lang())
}

/// Read one cookie from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with the flags every cookie of ours carries.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let age = max_age.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
    let v = format!("{name}={value}; Path=/; Secure; HttpOnly; SameSite=Lax{age}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("invalid=1; Max-Age=0"))
}

/// A `Set-Cookie` value that deletes the cookie.
pub fn clear_cookie(name: &str) -> HeaderValue {
    set_cookie(name, "", Some(0))
}

fn parse_flash(raw: &str) -> Option<Flash> {
    let (kind, msg) = raw.split_once('.')?;
    let kind = match kind {
        "ok" => FlashKind::Ok,
        "info" => FlashKind::Info,
        "err" => FlashKind::Error,
        _ => return None,
    };
    let bytes = URL_SAFE_NO_PAD.decode(msg).ok()?;
    let message = String::from_utf8(bytes).ok()?;
    (message.len() <= 500).then_some(Flash { kind, message })
}

/// A refused action: back to `to` with the error and its code as a flash message when the
/// person can fix it, an error page otherwise.
pub fn refused<E: crate::service::Coded>(ctx: &Ctx, to: &str, e: E) -> Result<Response, WebError> {
    if e.is_user_error() {
        Ok(redirect_with_flash(to, FlashKind::Error, &format!("{} ({})", ctx.error_text(&e), e.code())))
    } else {
        Err(WebError::from(e))
    }
}

/// A redirect (303) that shows `message` on the next page.
pub fn redirect_with_flash(to: &str, kind: FlashKind, message: &str) -> Response {
    let k = match kind {
        FlashKind::Ok => "ok",
        FlashKind::Info => "info",
        FlashKind::Error => "err",
    };
    let value = format!("{k}.{}", URL_SAFE_NO_PAD.encode(message.as_bytes()));
    let mut resp = Redirect::to(to).into_response();
    resp.headers_mut().append(header::SET_COOKIE, set_cookie(FLASH_COOKIE, &value, Some(60)));
    resp
}

/// Middleware: build the [`Ctx`] and put it in the request extensions; afterwards set the
/// visitor CSRF cookie when one was minted, clear a consumed flash, and refresh the session's
/// last-seen time at most once a minute.
pub async fn ctx_layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let client_ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let headers = req.headers();
    let (session, unread) = match cookie(headers, SESSION_COOKIE) {
        Some(token) => match state.svc.session_and_unread(token) {
            Ok(Some((s, unread))) => (Some(Arc::new(s)), unread),
            Ok(None) => (None, 0),
            Err(e) => return WebError::from(e).into_response(),
        },
        None => (None, 0),
    };
    let visitor_csrf =
        cookie(headers, CSRF_COOKIE).filter(|v| tokens::decode(v).is_some()).map(str::to_owned);
    let minted = if session.is_none() && visitor_csrf.is_none() {
        Some(tokens::encode(&tokens::random_bytes()))
    } else {
        None
    };
    let csrf = match (&session, &visitor_csrf, &minted) {
        (Some(s), _, _) => s.csrf.clone(),
        (None, Some(v), _) => v.clone(),
        (None, None, Some(m)) => m.clone(),
        (None, None, None) => String::new(),
    };
    let flash = cookie(headers, FLASH_COOKIE).and_then(parse_flash);
    let had_flash_cookie = cookie(headers, FLASH_COOKIE).is_some();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let touch = session.as_ref().filter(|s| s.needs_touch).map(|s| s.key);
    let account_lang = session.as_ref().and_then(|s| s.user.language.as_deref());
    let lang = request_lang(account_lang, headers, &state.catalog);
    let catalog = state.catalog.clone();
    req.extensions_mut().insert(Ctx { session, csrf, flash, client_ip, host, unread, lang, catalog });

    let mut resp = next.run(req).await;

    if let Some(super::error::ErrorShown(e)) = resp.extensions_mut().remove() {
        *resp.body_mut() = axum::body::Body::from(e.page(&state.catalog, lang).into_string());
        resp.headers_mut().remove(header::CONTENT_LENGTH);
    }

    let h = resp.headers_mut();
    if let Some(m) = minted {
        h.append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &m, None));
    }
    let sets_flash = h
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().map(|s| s.starts_with(FLASH_COOKIE)).unwrap_or(false));
    if had_flash_cookie && !sets_flash {
        h.append(header::SET_COOKIE, clear_cookie(FLASH_COOKIE));
    }
    if let Some(key) = touch {
        let accounts = state.svc.accounts.clone();
        tokio::spawn(async move {
            if let Err(e) = accounts.touch(key).await {
                tracing::warn!(code = e.code(), "session touch failed: {e}");
            }
        });
    }
    resp
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| WebError::Internal("WEB0500", "request context missing".into()))
    }
}

/// A logged-in account of any role, acting on its own things (the [`Caller`] sees only this
/// account's). Anonymous visitors are sent to the login page.
pub struct Customer(pub Ctx, pub Arc<SessionView>, pub Caller);

/// Why a guard refused: a redirect to login, or an error page.
pub enum GuardRejection {
    /// Not logged in.
    Login(String),
    /// Logged in but not allowed.
    Error(WebError),
}

impl IntoResponse for GuardRejection {
    fn into_response(self) -> Response {
        match self {
            GuardRejection::Login(next) => Redirect::to(&format!("/login?next={next}")).into_response(),
            GuardRejection::Error(e) => e.into_response(),
        }
    }
}

fn login_redirect(parts: &Parts) -> GuardRejection {
    let path = parts.uri.path();
    let safe = path.starts_with('/') && !path.starts_with("//") && path.chars().all(|c| c.is_ascii_graphic());
    GuardRejection::Login(if safe { path.replace('&', "%26").replace('?', "%3F") } else { "/".into() })
}

impl<S: Send + Sync> FromRequestParts<S> for Customer {
    type Rejection = GuardRejection;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, s).await.map_err(GuardRejection::Error)?;
        match ctx.session.clone() {
            Some(session) => {
                let caller = Caller::customer(session.user.id, ctx.client_ip.to_string());
                Ok(Customer(ctx, session, caller))
            }
            None => Err(login_redirect(parts)),
        }
    }
}

/// A logged-in admin, acting with the provider's rights (the [`Caller`] sees every account's
/// things). Customers get a 403 page.
pub struct Admin(pub Ctx, pub Arc<SessionView>, pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = GuardRejection;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let Customer(ctx, session, _) = Customer::from_request_parts(parts, s).await?;
        if session.user.role != Role::Admin {
            return Err(GuardRejection::Error(WebError::Forbidden));
        }
        let caller = Caller::admin(session.user.id, ctx.client_ip.to_string());
        Ok(Admin(ctx, session, caller))
    }
}

/// Which door a resource router sits behind: the same routes are mounted once for owners
/// (`/vms`) and once for admins (`/admin/vms`), the latter with `Extension(Mount::Admin)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mount {
    /// The owners' door: a customer guard, the caller sees only its own things.
    Owner,
    /// The admins' door: an admin guard, the caller sees every account's things.
    Admin,
}

/// A logged-in caller at a router written once and mounted twice: the guard its mount asks for
/// passed, the [`Caller`] acts as owner or as admin accordingly, and `base` is the path the
/// router is mounted at (axum's `NestedPath`), so links stay behind the same door.
pub struct Door {
    /// The request context.
    pub ctx: Ctx,
    /// The session.
    pub session: Arc<SessionView>,
    /// Who is asking, with the mount's rights.
    pub caller: Caller,
    /// `/vms` or `/admin/vms` (`/support` or `/admin/support`).
    pub base: String,
}

impl Door {
    /// Whether this is the admins' door.
    pub fn admin(&self) -> bool {
        self.caller.is_admin()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Door {
    type Rejection = GuardRejection;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let base = match axum::extract::NestedPath::from_request_parts(parts, s).await {
            Ok(n) => n.as_str().trim_end_matches('/').to_string(),
            Err(_) => String::new(),
        };
        match parts.extensions.get::<Mount>().copied().unwrap_or(Mount::Owner) {
            Mount::Admin => {
                let Admin(ctx, session, caller) = Admin::from_request_parts(parts, s).await?;
                Ok(Door { ctx, session, caller, base })
            }
            Mount::Owner => {
                let Customer(ctx, session, caller) = Customer::from_request_parts(parts, s).await?;
                Ok(Door { ctx, session, caller, base })
            }
        }
    }
}

/// A path parameter that parsed (`/vms/{id}`), or a `WEB0400` page: axum's own rejection is a
/// plain-text answer without a code.
pub struct PathId<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> FromRequestParts<S> for PathId<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, s).await {
            Ok(axum::extract::Path(v)) => Ok(PathId(v)),
            Err(e) => Err(WebError::BadRequest(e.body_text())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_parsing() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; __Host-vpsbox_session=tok; b=2"));
        h.append(header::COOKIE, HeaderValue::from_static("c=3"));
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("tok"));
        assert_eq!(cookie(&h, "c"), Some("3"));
        assert_eq!(cookie(&h, "zz"), None);
    }

    #[test]
    fn cookie_flags() {
        let v = set_cookie(SESSION_COOKIE, "x", None);
        assert_eq!(v.to_str().unwrap(), "__Host-vpsbox_session=x; Path=/; Secure; HttpOnly; SameSite=Lax");
    }

    #[test]
    fn flash_round_trip_and_rejects_junk() {
        let r = redirect_with_flash("/x", FlashKind::Ok, "Saved <b>");
        let sc = r.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap();
        let value = sc.split(';').next().unwrap().split_once('=').unwrap().1;
        let f = parse_flash(value).unwrap();
        assert_eq!((f.kind, f.message.as_str()), (FlashKind::Ok, "Saved <b>"));
        assert!(parse_flash("bad.%%%").is_none());
        assert!(parse_flash("nodot").is_none());
    }
}
