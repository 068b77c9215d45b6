//! Path and query extractors whose refusals are problem documents (axum's own answer in plain
//! text).

use axum::extract::{FromRequestParts, Path};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::problem::ApiError;

/// The numeric id of a path (`/servers/{id}`); anything else names nothing: 404.
pub struct Id(pub u64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Id, ApiError> {
        let Path(raw) =
            Path::<String>::from_request_parts(parts, state).await.map_err(|_| ApiError::not_found())?;
        raw.parse().map(Id).map_err(|_| ApiError::not_found())
    }
}

/// A query string as `T`; one that does not fit is a 422 naming the parameter.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<ApiQuery<T>, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let fields = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(fields).map(ApiQuery).map_err(|e| {
            let field = e.path().to_string();
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "API0422",
                format!("The query parameter {field} is wrong"),
            )
            .field(&field, e.inner().to_string())
        })
    }
}

/// A JSON body as `T`; a body that is not JSON, or a field that does not fit, is a 422 naming
/// the field.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<ApiJson<T>, ApiError> {
        Ok(ApiJson(parse_json(&json_body(req, state).await?)?))
    }
}

/// A JSON request's body bytes (for handlers that also need them raw, as idempotent ones do).
pub struct RawJson(pub axum::body::Bytes);

impl<S: Send + Sync> axum::extract::FromRequest<S> for RawJson {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<RawJson, ApiError> {
        Ok(RawJson(json_body(req, state).await?))
    }
}

/// The body of a JSON request (415 when it says another type).
async fn json_body<S: Send + Sync>(
    req: axum::extract::Request,
    state: &S,
) -> Result<axum::body::Bytes, ApiError> {
    use axum::extract::FromRequest;
    let json =
        req.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
            v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if !json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "API0415",
            "Send the body as JSON (Content-Type: application/json)",
        ));
    }
    axum::body::Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "API0413", "The body is too large")
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "API0400", e.body_text())
        }
    })
}

/// A JSON body as `T`, or a 422 naming the field that does not fit.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        if field == "." || field.is_empty() {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "API0422", format!("The body is wrong: {inner}"))
        } else {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "API0422", format!("The field {field} is wrong"))
                .field(&field, inner.to_string())
        }
    })
}

/// The two numeric ids of a nested path (`/servers/{id}/snapshots/{snapshot}`); anything else
/// names nothing: 404.
pub struct Ids(pub u64, pub u64);

impl<S: Send + Sync> FromRequestParts<S> for Ids {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Ids, ApiError> {
        let Path((a, b)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::not_found())?;
        match (a.parse(), b.parse()) {
            (Ok(a), Ok(b)) => Ok(Ids(a, b)),
            _ => Err(ApiError::not_found()),
        }
    }
}
