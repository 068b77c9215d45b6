//! [`CsrfForm`]: the extractor every state-changing form goes through. It refuses requests
//! from another origin, checks the CSRF token against the session (or the visitor cookie), and
//! only then parses the form.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::AppState;
use super::ctx::Ctx;
use super::error::WebError;
use crate::service::tokens::ct_eq;

/// A form that passed the Origin and CSRF checks.
pub struct CsrfForm<T>(pub T);

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// Refuse a request whose `Origin` (or, failing that, `Sec-Fetch-Site`) says another site sent
/// it. `host` is the request's own host; `public_url` the configured public origin.
pub fn check_origin(headers: &HeaderMap, host: &str, public_url: &str) -> Result<(), WebError> {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().map_err(|_| WebError::CrossOrigin)?;
        let own = format!("https://{host}");
        let public = public_url.trim_end_matches('/');
        if origin == own || (!public.is_empty() && origin == public) {
            return Ok(());
        }
        tracing::info!(origin, host, "cross-origin form refused");
        return Err(WebError::CrossOrigin);
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some("cross-site") | Some("same-site") => Err(WebError::CrossOrigin),
        _ => Ok(()),
    }
}

/// The request's context, after the Origin check every state-changing request passes.
pub(crate) fn checked_ctx(req: &Request, state: &AppState) -> Result<Ctx, WebError> {
    let ctx = req
        .extensions()
        .get::<Ctx>()
        .cloned()
        .ok_or_else(|| WebError::Internal("WEB0500", "request context missing".into()))?;
    check_origin(req.headers(), &ctx.host, &state.public_url)?;
    Ok(ctx)
}

/// Whether the request's body is of the content type `prefix`.
fn content_type_is(req: &Request, prefix: &str) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(prefix))
}

/// The form's `csrf` value against the session's (in constant time).
pub(crate) fn check_csrf(sent: &str, ctx: &Ctx) -> Result<(), WebError> {
    if sent.is_empty() || ctx.csrf.is_empty() || !ct_eq(sent.as_bytes(), ctx.csrf.as_bytes()) {
        return Err(WebError::Csrf);
    }
    Ok(())
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let ctx = checked_ctx(&req, state)?;
        if !content_type_is(&req, "application/x-www-form-urlencoded") {
            return Err(WebError::BadRequest("expected a form submission".into()));
        }
        let body = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                WebError::TooLarge
            } else {
                WebError::BadRequest(e.body_text())
            }
        })?;
        let field: CsrfField =
            serde_urlencoded::from_bytes(&body).map_err(|e| WebError::BadRequest(e.to_string()))?;
        check_csrf(&field.csrf, &ctx)?;
        Ok(CsrfForm(typed_form(&body)?))
    }
}

/// A form body as `T`. A field with a value its type cannot take is named on the error page
/// with what was sent; a malformed body or a missing field gets the parser's words.
fn typed_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebError> {
    let fields = serde_urlencoded::Deserializer::new(form_urlencoded::parse(body));
    serde_path_to_error::deserialize(fields).map_err(|e| {
        let field = e.path().to_string();
        match form_urlencoded::parse(body).find(|(k, _)| *k == field) {
            Some((_, value)) => WebError::BadValue { field, value: value.into_owned() },
            None => WebError::BadRequest(e.inner().to_string()),
        }
    })
}

/// The id a form field names (a select's value): a malformed one is a `WEB0400` bad request,
/// never id 0.
pub fn form_id(field: &str, value: &str) -> Result<u64, WebError> {
    value
        .trim()
        .parse()
        .map_err(|_| WebError::BadValue { field: field.to_string(), value: value.to_string() })
}

/// Requests that may carry file uploads (support attachments) get this body limit instead
/// of `[http] body_limit_bytes`.
pub const UPLOAD_LIMIT: usize = 1024 * 1024;

/// A form with files (`multipart/form-data`, or a plain form without files) that passed the
/// Origin and CSRF checks.
pub struct CsrfUpload {
    /// Text fields, in order.
    pub fields: Vec<(String, String)>,
    /// Files chosen: (file name, bytes); empty file inputs are left out.
    pub files: Vec<(String, Vec<u8>)>,
}

impl CsrfUpload {
    /// The first value of field `name`, or "".
    pub fn field(&self, name: &str) -> &str {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// Every value of field `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }
}

impl FromRequest<AppState> for CsrfUpload {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if !content_type_is(&req, "multipart/form-data") {
            let CsrfForm(fields) = CsrfForm::<Vec<(String, String)>>::from_request(req, state).await?;
            return Ok(CsrfUpload { fields, files: vec![] });
        }
        let ctx = checked_ctx(&req, state)?;
        let bad = |e: axum::extract::multipart::MultipartError| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                WebError::TooLarge
            } else {
                WebError::BadRequest(e.body_text())
            }
        };
        let mut mp = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|e| WebError::BadRequest(e.body_text()))?;
        let (mut fields, mut files) = (Vec::new(), Vec::new());
        while let Some(field) = mp.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or("").to_string();
            match field.file_name().map(str::to_string) {
                Some(file) => {
                    let bytes = field.bytes().await.map_err(bad)?;
                    if !file.is_empty() || !bytes.is_empty() {
                        files.push((file, bytes.to_vec()));
                    }
                }
                None => fields.push((name, field.text().await.map_err(bad)?)),
            }
        }
        let upload = CsrfUpload { fields, files };
        check_csrf(upload.field("csrf"), &ctx)?;
        Ok(upload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn origin_rules() {
        let mut h = HeaderMap::new();
        assert!(check_origin(&h, "panel:8443", "").is_ok());
        h.insert(header::ORIGIN, HeaderValue::from_static("https://panel:8443"));
        assert!(check_origin(&h, "panel:8443", "").is_ok());
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(matches!(check_origin(&h, "panel:8443", ""), Err(WebError::CrossOrigin)));
        assert!(check_origin(&h, "panel:8443", "https://evil.example/").is_ok());
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(check_origin(&h, "panel:8443", "").is_err());
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(check_origin(&h, "panel:8443", "").is_err());
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(check_origin(&h, "panel:8443", "").is_ok());
    }
}
