//! One error type for every handler. Each variant renders as a page in the layout with a stable
//! error code that also appears in the log line.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use maud::Markup;

use super::layout;
use crate::i18n::{Catalog, Lang, Msg};
use crate::service::{Coded, ErrorKind};

/// A request that could not be served.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Nothing here (or not yours).
    #[error("This page does not exist")]
    NotFound,
    /// The page exists but this account may not see it.
    #[error("Your account may not open this page")]
    Forbidden,
    /// The form's CSRF token is missing or wrong.
    #[error(
        "This form has expired or did not come from this site. Go back, reload the page and send it again"
    )]
    Csrf,
    /// A state-changing request came from another origin.
    #[error("Requests from other sites are not accepted. Open the cabinet directly and try again")]
    CrossOrigin,
    /// The request is malformed.
    #[error("The request could not be understood: {0}")]
    BadRequest(String),
    /// A form field we read ourselves has a value it cannot take (the form on our pages
    /// never sends one: a hand-made or stale request).
    #[error("The form field {field} cannot be {value:?}")]
    BadValue {
        /// The field's name in the form.
        field: String,
        /// What was sent.
        value: String,
    },
    /// The body is over the configured limit.
    #[error("The request is too large")]
    TooLarge,
    /// Wrong HTTP method for this address.
    #[error("This address does not accept that kind of request")]
    MethodNotAllowed,
    /// A service refused or failed.
    #[error("{0}")]
    Service(Box<dyn Coded>),
    /// Something broke inside.
    #[error("Something went wrong on our side; the error has been logged")]
    Internal(&'static str, String),
}

/// The one place a service's "not found" becomes the 404 page: another account's resource
/// answers exactly as a missing one (`WEB0404`), never with the service's own code.
impl<E: Coded> From<E> for WebError {
    fn from(e: E) -> Self {
        match e.kind() {
            ErrorKind::NotFound => WebError::NotFound,
            _ => WebError::Service(Box::new(e)),
        }
    }
}

impl WebError {
    /// Stable code shown on the page.
    pub fn code(&self) -> &'static str {
        match self {
            WebError::NotFound => "WEB0404",
            WebError::Forbidden => "WEB0403",
            WebError::Csrf => "WEB0001",
            WebError::CrossOrigin => "WEB0002",
            WebError::BadRequest(_) | WebError::BadValue { .. } => "WEB0400",
            WebError::TooLarge => "WEB0413",
            WebError::MethodNotAllowed => "WEB0405",
            WebError::Service(e) => e.code(),
            WebError::Internal(code, _) => code,
        }
    }

    /// HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Forbidden | WebError::Csrf | WebError::CrossOrigin => StatusCode::FORBIDDEN,
            WebError::BadRequest(_) | WebError::BadValue { .. } => StatusCode::BAD_REQUEST,
            WebError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            WebError::Service(e) => status_of(e.kind()),
            WebError::Internal(..) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn title(&self) -> Msg {
        match self.status() {
            StatusCode::NOT_FOUND => Msg::ErrorTitleNotFound,
            StatusCode::FORBIDDEN => Msg::ErrorTitleForbidden,
            StatusCode::PAYLOAD_TOO_LARGE => Msg::ErrorTitleTooLarge,
            StatusCode::INTERNAL_SERVER_ERROR => Msg::ErrorTitleInternal,
            StatusCode::SERVICE_UNAVAILABLE => Msg::ErrorTitleUnavailable,
            StatusCode::TOO_MANY_REQUESTS => Msg::ErrorTitleThrottled,
            StatusCode::GONE => Msg::ErrorTitleGone,
            StatusCode::CONFLICT => Msg::ErrorTitleConflict,
            _ => Msg::ErrorTitleRefused,
        }
    }

    /// The page's message in `lang`: the error's own (`err-<CODE>`), or what it says in English
    /// when no bundle has it; internal details never.
    pub fn message(&self, catalog: &Catalog, lang: Lang) -> String {
        match self {
            WebError::Internal(..) => catalog.t(lang, Msg::ErrorInternal).to_string(),
            WebError::Service(e) => error_text(catalog, lang, e.as_ref()),
            WebError::BadRequest(detail) => catalog
                .error(lang, self.code(), &[("detail", detail.as_str().into())])
                .unwrap_or_else(|| self.to_string()),
            WebError::BadValue { field, value } => catalog
                .error(
                    lang,
                    self.code(),
                    &[
                        ("reason", "value".into()),
                        ("field", field.as_str().into()),
                        ("value", shortened(value).into()),
                    ],
                )
                .unwrap_or_else(|| self.to_string()),
            _ => catalog.error(lang, self.code(), &[]).unwrap_or_else(|| self.to_string()),
        }
    }

    /// The whole error page in `lang`.
    pub fn page(&self, catalog: &Catalog, lang: Lang) -> Markup {
        let message = self.message(catalog, lang);
        layout::error_page(catalog, lang, self.status(), self.code(), catalog.t(lang, self.title()), &message)
    }
}

/// A sent value as a page repeats it: at most 60 characters.
fn shortened(value: &str) -> String {
    match value.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", value.get(..at).unwrap_or(value)),
        None => value.to_string(),
    }
}

/// What a service error says to a person in `lang`: its message from the bundles with its
/// arguments, else its English text; for internal failures only that something went wrong.
pub fn error_text(catalog: &Catalog, lang: Lang, e: &dyn Coded) -> String {
    if !e.is_user_error() {
        return catalog.t(lang, Msg::ErrorInternal).to_string();
    }
    catalog.error(lang, e.code(), &e.args()).unwrap_or_else(|| e.to_string())
}

/// Put on an error response so the request's middleware, which knows the reader's language,
/// renders the page again in it (the page in the response is the English one).
#[derive(Clone)]
pub struct ErrorShown(pub std::sync::Arc<WebError>);

/// HTTP status for a service error kind.
pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Throttled => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Gone => StatusCode::GONE,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let code = self.code();
        // Internal details go to the log only, never to the page.
        match &self {
            WebError::Internal(_, detail) => tracing::error!(code, "{detail}"),
            WebError::Service(e) if !e.is_user_error() => tracing::error!(code, "{e}"),
            _ => tracing::info!(code, status = status.as_u16(), "{self}"),
        }
        // Rendered where no request's language is known: the middleware renders it again in
        // the reader's.
        let catalog = Catalog::english();
        let mut resp = (status, self.page(catalog, Lang::En)).into_response();
        resp.extensions_mut().insert(ErrorShown(std::sync::Arc::new(self)));
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::AccountError;
    use crate::store::StoreError;

    #[tokio::test]
    async fn internal_errors_hide_details_and_keep_the_code() {
        let resp = WebError::from(StoreError::Task("disk on fire at /var/lib/secret".into())).into_response();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap();
        let html = String::from_utf8(body.to_vec()).unwrap();
        assert!(html.contains("STO0007") && html.contains("Internal error"));
        assert!(!html.contains("disk on fire"));
    }

    #[test]
    fn statuses() {
        use crate::domain::time::Timestamp;
        assert_eq!(WebError::TooLarge.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let locked = AccountError::Locked { until: Timestamp::from_secs(0) };
        assert_eq!(WebError::from(locked).status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(WebError::from(AccountError::ResetLinkInvalid).status(), StatusCode::GONE);
        assert_eq!(WebError::from(AccountError::BadCredentials).status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}
