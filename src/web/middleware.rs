//! Cross-cutting middleware: request id + access log, security headers, and the early body-size
//! check.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

use super::AppState;
use super::error::WebError;
use crate::clock::Stopwatch;

static NEXT_REQUEST: AtomicU64 = AtomicU64::new(1);

/// The request's id (as in the `x-request-id` header and the log), for pages and API errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestId(pub u64);

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:06x}", self.0)
    }
}

/// Paths whose tail is a secret; logged with the secret cut off.
fn loggable_path(path: &str) -> &str {
    if path.starts_with("/reset/") {
        "/reset/…"
    } else if path.starts_with("/sso/") {
        "/sso/…"
    } else {
        path
    }
}

tokio::task_local! {
    /// The id of the request being answered, for what renders an error without the request
    /// at hand (the API's problem documents).
    static CURRENT: RequestId;
}

/// The id of the request this task is answering, if any.
pub fn current_request() -> Option<RequestId> {
    CURRENT.try_with(|id| *id).ok()
}

/// The one layer every request passes (each layer costs a boxed future and a service clone
/// per request, a good part of a small answer's time): give it an id (response header
/// `x-request-id`, [`current_request`]), run it inside a span carrying that id so every log
/// line of the request shows it, refuse a declared body over the limit ([`refuse_oversized`]),
/// log one access line at the end, and set the security headers.
pub async fn request_span(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let id = RequestId(NEXT_REQUEST.fetch_add(1, Ordering::Relaxed));
    req.extensions_mut().insert(id);
    let span = tracing::info_span!("req", id = %id);
    // Shared, not copied: a `Uri` keeps its text in reference-counted bytes.
    let (method, uri) = (req.method().clone(), req.uri().clone());
    let route = req.extensions().get::<axum::extract::MatchedPath>().cloned();
    let watch = Stopwatch::start();
    let mut resp = match oversized(&state, &req) {
        Some(declared) => refuse_oversized(req, declared).instrument(span.clone()).await,
        None => CURRENT.scope(id, next.run(req)).instrument(span.clone()).await,
    };
    let status = resp.status().as_u16();
    let elapsed = watch.elapsed();
    let micros = elapsed.as_micros();
    let route = route.as_ref().map_or("unmatched", |r| r.as_str());
    state.svc.http.observe(route, method.as_str(), status, elapsed.as_secs_f64());
    let path = loggable_path(uri.path());
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(%method, %path, status, micros, "request");
        } else {
            tracing::debug!(%method, %path, status, micros, "request");
        }
    });
    if let Ok(v) = HeaderValue::from_str(&id.to_string()) {
        resp.headers_mut().insert("x-request-id", v);
    }
    set_security_headers(&mut resp);
    resp
}

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy with `<style>` elements allowed when they carry `nonce` (xterm.js creates its
/// own; the serial console page stamps the nonce on them, see assets/console/src/serial.js).
pub fn csp_with_style_nonce(nonce: &str) -> String {
    CSP.replace("style-src 'self';", &format!("style-src 'self' 'nonce-{nonce}';"))
}

/// Strict security headers on every response; pages are never cached.
fn set_security_headers(resp: &mut Response) {
    let h = resp.headers_mut();
    // Room for the headers below at once (growing the map as they come was 4% of a small page).
    h.reserve(8);
    // A page that needs more (the serial console's style nonce) sets its own, stricter-than-
    // nothing variant of the same policy.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    h.insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=63072000; includeSubDomains"),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // `same-origin`, not `no-referrer`: with no-referrer browsers send `Origin: null` on form
    // posts, which the Origin check must refuse.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// Whether `path` takes file uploads (support requests and replies).
pub fn is_upload(path: &str) -> bool {
    path == "/support"
        || (path.starts_with("/support/") || path.starts_with("/admin/support/")) && path.ends_with("/reply")
}

/// A declared body over the limit of up to this many bytes is read away before the error page
/// is sent; a bigger one gets the page at once.
const DRAIN_MAX_BYTES: u64 = 8 << 20;

/// How long reading such a body away may take.
const DRAIN_MAX_SECS: u64 = 10;

/// The declared length of a body over the limit, if `req` has one: such a body is refused
/// without handing it to a handler (streamed bodies are cut by axum's `DefaultBodyLimit`, which
/// the form extractor maps to the same page). Upload paths ([`is_upload`]) have
/// [`super::form::UPLOAD_LIMIT`].
fn oversized(state: &AppState, req: &Request) -> Option<u64> {
    let declared = req.headers().get(header::CONTENT_LENGTH)?.to_str().ok()?.parse::<u64>().ok()?;
    let path = req.uri().path();
    let limit = if path == ISO_UPLOAD_PATH {
        iso_upload_limit(state)
    } else if is_upload(path) {
        super::form::UPLOAD_LIMIT as u64
    } else {
        state.body_limit as u64
    };
    (declared > limit).then_some(declared)
}

/// Where customers upload their own ISO images.
pub const ISO_UPLOAD_PATH: &str = "/isos";

/// The largest body an ISO upload may have: the largest image and room for the form around it
/// (the handler itself refuses an image past the limit with its own code).
pub fn iso_upload_limit(state: &AppState) -> u64 {
    state.svc.isos.uploads().max_bytes.saturating_add(1 << 20)
}

/// The answer to a body over the limit. The body is read away first (up to
/// [`DRAIN_MAX_BYTES`] within [`DRAIN_MAX_SECS`]): an HTTP/1 client still sending when the
/// server answers and closes gets its connection reset and never sees the page (seen with a
/// slow uploader). HTTP/1 answers then close the connection.
async fn refuse_oversized(req: Request, declared: u64) -> Response {
    let http1 = req.version() < axum::http::Version::HTTP_2;
    if declared <= DRAIN_MAX_BYTES {
        let mut body = req.into_body();
        let drain = async {
            use axum::body::HttpBody;
            while let Some(Ok(_)) =
                std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
            {}
        };
        if tokio::time::timeout(std::time::Duration::from_secs(DRAIN_MAX_SECS), drain).await.is_err() {
            tracing::debug!(declared, "an oversized body was not read away in time");
        }
    }
    let mut resp = WebError::TooLarge.into_response();
    if http1 {
        resp.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    resp
}

#[cfg(test)]
mod tests {
    #[test]
    fn reset_tokens_are_not_logged() {
        assert_eq!(super::loggable_path("/reset/abcdef"), "/reset/…");
        assert_eq!(super::loggable_path("/sso/abcdef"), "/sso/…");
        assert_eq!(super::loggable_path("/login"), "/login");
    }
}
