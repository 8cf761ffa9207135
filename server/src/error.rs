//! One error type for every handler: `{ "error": { code, message, details } }`
//! with the right HTTP status. Internals go to the log, never to the client.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pt_actors::CommandError;
use pt_actors::error::DomainError;
use pt_protocol::{Artist, Booking, ErrorCode, FieldError, TimeRange};
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub details: Option<Value>,
}

/// The body of every REST error, as the OpenAPI document describes it. Its
/// TypeScript type is generated from this one (ts-rs), next to the wire
/// frames' types.
#[derive(Serialize, utoipa::ToSchema, ts_rs::TS)]
#[ts(export)]
pub struct ErrorBody {
    pub error: ErrorObject,
}

#[derive(Serialize, utoipa::ToSchema, ts_rs::TS)]
#[ts(export)]
pub struct ErrorObject {
    pub code: ErrorCode,
    /// For humans; may change between versions.
    pub message: String,
    /// Machine-readable specifics, or `null`: `fields` for `invalid`;
    /// `conflicts`, `freeWindows` and `alternatives` for `conflict`
    /// ([`ConflictDetails`]); `unavailable` and `freeWindows` for
    /// `unavailable` ([`UnavailableDetails`]); `expectedVersion` and `currentVersion` for
    /// `version_mismatch`; `reason` for `unauthenticated`; `missing` for
    /// `forbidden`; `retryAfterSeconds` for `rate_limited`. Always present.
    #[schema(value_type = Option<Object>, required = true)]
    #[ts(type = "Record<string, unknown> | null")]
    pub details: Option<Value>,
}

/// Details of an `unavailable` refusal.
#[derive(Serialize, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnavailableDetails {
    /// Each overlap with time the artist does not work, with its reason.
    pub unavailable: Vec<pt_protocol::Unavailability>,
    /// The nearest free windows holding the same working time, nearest first
    /// (within ±90 days, never in the past).
    pub free_windows: Vec<TimeRange>,
}

/// Details of a `conflict`.
#[derive(Serialize, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConflictDetails {
    /// The pencil/confirmed bookings in the way.
    pub conflicts: Vec<Booking>,
    /// The nearest free windows of the same length, nearest first (within ±90 days).
    pub free_windows: Vec<TimeRange>,
    /// Other artists with a shared skill who are free for the requested range (new bookings only).
    pub alternatives: Vec<Artist>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), details: None }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::Invalid, format!("{field}: {reason}"))
            .with_details(json!({ "fields": [FieldError::new(field, reason)] }))
    }

    /// `422 unprocessable`: a rule on the current state refuses the request.
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Unprocessable, message)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, format!("{what} not found"))
    }
}

impl From<CommandError> for ApiError {
    fn from(e: CommandError) -> Self {
        let msg = e.to_string();
        match e {
            CommandError::Domain(d) => match d {
                DomainError::Invalid(fields) => Self::new(StatusCode::BAD_REQUEST, ErrorCode::Invalid, msg)
                    .with_details(json!({ "fields": fields })),
                DomainError::NotFound { .. } => Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, msg),
                DomainError::Conflict(info) => {
                    let details = ConflictDetails {
                        conflicts: info.conflicts,
                        free_windows: info.free_windows,
                        alternatives: info.alternatives,
                    };
                    Self::new(StatusCode::CONFLICT, ErrorCode::Conflict, msg)
                        .with_details(serde_json::to_value(details).unwrap_or(Value::Null))
                }
                DomainError::Unavailable(info) => {
                    let details = UnavailableDetails { unavailable: info.unavailable, free_windows: info.free_windows };
                    Self::new(StatusCode::CONFLICT, ErrorCode::Unavailable, msg)
                        .with_details(serde_json::to_value(details).unwrap_or(Value::Null))
                }
                DomainError::VersionMismatch { expected, current } => {
                    Self::new(StatusCode::CONFLICT, ErrorCode::VersionMismatch, msg)
                        .with_details(json!({ "expectedVersion": expected, "currentVersion": current }))
                }
                DomainError::InvalidTransition { from, to } => {
                    Self::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Unprocessable, msg)
                        .with_details(json!({ "from": from, "to": to }))
                }
                DomainError::Unprocessable(_) => {
                    Self::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Unprocessable, msg)
                }
                DomainError::DependencyCycle(cycle) => {
                    Self::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::DependencyCycle, msg)
                        .with_details(json!({ "cycle": cycle }))
                }
                DomainError::DependencyViolation(violations) => {
                    Self::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::DependencyViolation, msg)
                        .with_details(json!({ "violations": violations }))
                }
            },
            CommandError::Overloaded => Self::new(StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Overloaded, msg),
            CommandError::Reverted(_) => Self::new(StatusCode::CONFLICT, ErrorCode::Reverted, msg),
            CommandError::IdempotencyKeyReused => {
                Self::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::IdempotencyKeyReused, msg)
            }
            CommandError::Unavailable(detail) => {
                tracing::warn!(%detail, "request failed: store or tenant unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    ErrorCode::ServiceUnavailable,
                    "the store is unavailable; retry shortly",
                )
            }
            CommandError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal, "internal error; see the server log")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorObject { code: self.code, message: self.message, details: self.details } };
        let retry_after = body.error.details.as_ref().and_then(|d| d["retryAfterSeconds"].as_u64());
        let mut res = (self.status, Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if self.status == StatusCode::TOO_MANY_REQUESTS
            && let Some(secs) = retry_after
        {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}
