//! Extractors that turn every kind of bad input into a typed 400 (or 413/415)
//! in our error envelope, and pick the tenant and the command id of a request.

use crate::AppState;
use crate::auth::service::{Authenticated, unauthenticated};
use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use pt_actors::{CmdInput, Tenant};
use pt_protocol::{CmdId, ErrorCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;

pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";
const MAX_IDEMPOTENCY_KEY: usize = 255;

/// A JSON body; rejections become `invalid` with serde's explanation (which
/// names the field: unknown field, missing field, wrong type …).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !json_content_type(req.headers()) {
            return Err(unsupported_media_type());
        }
        let bytes = match Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(payload_too_large()),
            Err(e) => return Err(ApiError::invalid("body", e.body_text())),
        };
        object(&bytes).map(Self)
    }
}

/// A JSON object body as `T`. serde reads a struct from a JSON array too (its
/// fields in order): `[null, null]` would be a valid patch. Every body is
/// documented as an object, so anything else is refused before serde sees it.
fn object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::invalid("body", "the body must be a JSON object"));
    }
    match axum::Json::<T>::from_bytes(bytes) {
        Ok(axum::Json(v)) => Ok(v),
        Err(r) => Err(json_rejection(r)),
    }
}

/// An optional body (`Option<ApiJson<T>>`): no body at all (nothing but
/// whitespace), or JSON `null`, is `None`; anything else is read as
/// [`ApiJson`] reads it (a body needs a JSON `Content-Type`).
impl<T: DeserializeOwned, S: Send + Sync> axum::extract::OptionalFromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, ApiError> {
        let typed = req.headers().get(axum::http::header::CONTENT_TYPE).is_some();
        if typed && !json_content_type(req.headers()) {
            return Err(unsupported_media_type());
        }
        let bytes = match Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(payload_too_large()),
            Err(e) => return Err(ApiError::invalid("body", e.body_text())),
        };
        let text = bytes.trim_ascii();
        if text.is_empty() || (typed && text == b"null") {
            return Ok(None);
        }
        if !typed {
            return Err(unsupported_media_type());
        }
        object(&bytes).map(|v| Some(Self(v)))
    }
}

/// `application/json` or `application/…+json`, parameters ignored (as axum's `Json`).
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(ct) = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn unsupported_media_type() -> ApiError {
    ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::Invalid, "expected Content-Type: application/json")
}

fn payload_too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
        format!("the body is larger than {} bytes", crate::MAX_BODY_BYTES),
    )
}

fn json_rejection(r: JsonRejection) -> ApiError {
    match r {
        JsonRejection::JsonDataError(e) => {
            let text = e.body_text();
            let reason =
                text.strip_prefix("Failed to deserialize the JSON body into the target type: ").unwrap_or(&text);
            let field = reason.split_once(": ").map(|(f, _)| f).filter(|f| !f.contains(' ')).unwrap_or("body");
            ApiError::invalid(field, reason.to_string())
        }
        JsonRejection::JsonSyntaxError(e) => ApiError::invalid("body", format!("malformed JSON: {}", e.body_text())),
        // The content type and the body's size were checked before the bytes
        // were parsed (`ApiJson`); what is left is the JSON itself.
        other => ApiError::invalid("body", other.body_text()),
    }
}

/// Query parameters; rejections become `invalid`.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(q) => Ok(Self(q.0)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                let text = e.body_text();
                let reason = text.strip_prefix("Failed to deserialize query string: ").unwrap_or(&text).to_string();
                let hint =
                    if reason.contains("RFC 3339") { " (in a URL, write a `+` offset as %2B, or use Z)" } else { "" };
                Err(ApiError::invalid("query", format!("{reason}{hint}")))
            }
            Err(other) => Err(ApiError::invalid("query", other.body_text())),
        }
    }
}

/// Path parameters (ids); a malformed UUID is `invalid`, not 404.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(p) => Ok(Self(p.0)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                Err(ApiError::invalid("id", format!("not a valid UUID ({})", e.body_text())))
            }
            Err(other) => Err(ApiError::invalid("path", other.body_text())),
        }
    }
}

/// The caller of a request: `Authorization: Bearer <token>` authenticated by
/// [`crate::auth::service::AuthService`] (a `401` otherwise), and the studio
/// the token acts in. The studio always comes from the token, never from the
/// request, so another studio's ids simply do not exist for the caller (`404`).
pub struct Auth {
    pub who: Authenticated,
    pub tenant: Arc<Tenant>,
}

/// The caller without activating their studio (auth and administration routes).
pub struct Caller(pub Authenticated);

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let Some(v) = parts.headers.get(axum::http::header::AUTHORIZATION) else {
        return Err(unauthenticated("missing_token", "sign in: send Authorization: Bearer <token>"));
    };
    let v = v.to_str().map_err(|_| unauthenticated("invalid_token", "the Authorization header is not ASCII"))?;
    let (scheme, token) = v.trim().split_once(' ').unwrap_or((v, ""));
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(unauthenticated("invalid_token", "expected Authorization: Bearer <token>"));
    }
    Ok(token.trim())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts)?;
        Ok(Self(state.auth.authenticate(token, chrono::Utc::now()).await?))
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Caller(who) = Caller::from_request_parts(parts, state).await?;
        let tenant = state.registry.tenant(who.principal.tenant_id).await?;
        Ok(Self { who, tenant })
    }
}

/// The command id of a write: from `Idempotency-Key` when given (a UUID is
/// used as is; any other key maps to a UUID v5 of it), else a fresh UUID v7.
pub struct CmdKey {
    pub cmd_id: CmdId,
    pub client_chosen: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for CmdKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let Some(v) = parts.headers.get(IDEMPOTENCY_HEADER) else {
            return Ok(Self { cmd_id: CmdId::new(), client_chosen: false });
        };
        // As documented: 1 to 255 printable ASCII characters (spaces inside),
        // around which HTTP allows spaces and tabs that are not part of the value.
        let key = v
            .to_str()
            .ok()
            .map(|k| k.trim_matches([' ', '\t']))
            .filter(|k| (1..=MAX_IDEMPOTENCY_KEY).contains(&k.len()) && k.bytes().all(|b| (b' '..=b'~').contains(&b)))
            .ok_or_else(|| ApiError::invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters"))?;
        let uuid = uuid::Uuid::parse_str(key).unwrap_or_else(|_| {
            uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, format!("pt:idempotency:{key}").as_bytes())
        });
        Ok(Self { cmd_id: CmdId(uuid), client_chosen: true })
    }
}

impl CmdKey {
    /// The command input for a request: what it is (route + body) is hashed so
    /// a key reused for a different request is recognised.
    pub fn input(&self, what: &str, body: &impl Serialize, who: &Authenticated) -> CmdInput {
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        // 0 means "not checked" (system commands); a request never hashes to it.
        let hash = pt_protocol::fnv1a64(&[what.as_bytes(), &[0], &bytes]).max(1);
        CmdInput { cmd_id: self.cmd_id, request_hash: hash, by: who.actor(), client_chosen: self.client_chosen }
    }
}
