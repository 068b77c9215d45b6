//! API errors as RFC 9457 problem documents (`application/problem+json`): `type`, `title`,
//! `status`, `detail`, the stable `code`, field errors and the request id. Never a 200 that
//! carries an error.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{Coded, ErrorKind};
use crate::web::error::status_of;
use crate::web::middleware::current_request;

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

/// An API error; its response is its problem document.
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
    /// The problem document, with the id of the request being answered.
    fn into_response(self) -> Response {
        let request_id = current_request().map(|id| id.to_string()).unwrap_or_default();
        let (status, retry_after) = (self.status, self.retry_after);
        let problem = Problem {
            kind: format!("urn:vpsbox:problem:{}", self.code),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: self.detail,
            code: self.code,
            errors: self.errors,
            request_id,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut resp = (status, body).into_response();
        let h = resp.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(secs) = retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            h.insert(header::RETRY_AFTER, v);
        }
        if status == StatusCode::UNAUTHORIZED {
            h.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"vpsbox\""));
        }
        resp
    }
}
