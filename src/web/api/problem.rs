//! API errors as RFC 9457 problem documents (`application/problem+json`): `type`, `title`,
//! `status`, `detail`, the stable `code`, field errors and the request id. Never a 200 that
//! carries an error.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{Coded, ErrorKind};
use crate::web::error::status_of;
use crate::web::middleware::RequestId;

/// One field's problem.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// The field (JSON member) it is about.
    pub field: String,
    /// What is wrong with it.
    pub detail: String,
}

/// A problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// `urn:vpsbox:problem:<code>`: the kind of problem, one per code.
    #[serde(rename = "type")]
    pub kind: String,
    /// The HTTP status's words.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong, in English.
    pub detail: String,
    /// The stable code, as in the cabinet and the log (`TOK0010`).
    pub code: String,
    /// Problems with single fields of the request.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The request's id (`x-request-id`), for the log.
    pub request_id: String,
}

/// An API error; its response body is written by [`finish`], which knows the request id.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: String,
    detail: String,
    errors: Vec<FieldError>,
    retry_after: Option<u64>,
}

impl ApiError {
    /// An error of `status` with `code` and `detail`.
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.to_string(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// With a field's problem.
    pub fn field(mut self, field: &str, detail: impl Into<String>) -> ApiError {
        self.errors.push(FieldError { field: field.to_string(), detail: detail.into() });
        self
    }

    /// With `Retry-After` (seconds).
    pub fn retry_after(mut self, secs: u64) -> ApiError {
        self.retry_after = Some(secs);
        self
    }

    /// No such route or resource.
    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "API0404", "No such resource")
    }

    /// Something failed on our side (logged; the client learns only that).
    pub fn internal(what: impl std::fmt::Display) -> ApiError {
        tracing::error!(code = "API0500", "{what}");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "API0500", "Something went wrong on our side")
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The code.
    pub fn code(&self) -> &str {
        &self.code
    }
}

impl<E: Coded> From<E> for ApiError {
    fn from(e: E) -> ApiError {
        if e.kind() == ErrorKind::Internal {
            tracing::error!(code = e.code(), "{e}");
            return ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                e.code(),
                "Something went wrong on our side",
            );
        }
        ApiError::new(status_of(e.kind()), e.code(), e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = self.status.into_response();
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"vpsbox\""));
        }
        resp.extensions_mut().insert(self);
        resp
    }
}

/// Write the problem document of an error response, with the request's id.
pub async fn finish(req: Request, next: Next) -> Response {
    let id = req.extensions().get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default();
    let mut resp = next.run(req).await;
    let Some(e) = resp.extensions_mut().remove::<ApiError>() else { return resp };
    let problem = Problem {
        kind: format!("urn:vpsbox:problem:{}", e.code),
        title: e.status.canonical_reason().unwrap_or("Error").to_string(),
        status: e.status.as_u16(),
        detail: e.detail,
        code: e.code,
        errors: e.errors,
        request_id: id,
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let (mut parts, _) = resp.into_parts();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}
