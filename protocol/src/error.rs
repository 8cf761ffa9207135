//! Stable error codes. Clients match on the code; the message is for humans.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// The request is malformed or a field is out of range (HTTP 400).
    Invalid,
    /// No such entity in this tenant (HTTP 404).
    NotFound,
    /// The slot is taken by an exclusive booking (HTTP 409).
    Conflict,
    /// The entity changed since the client read it (HTTP 409).
    VersionMismatch,
    /// The request is well-formed but breaks a rule: a forbidden status change,
    /// booking an inactive artist, deleting an artist with active bookings (HTTP 422).
    Unprocessable,
    /// An `Idempotency-Key` was reused for a different request (HTTP 422).
    IdempotencyKeyReused,
    /// The body is larger than the server accepts (HTTP 413).
    PayloadTooLarge,
    /// The server cannot persist more work right now; retry later (HTTP 503).
    Overloaded,
    /// The change was accepted, then refused by the store and undone (HTTP 409).
    Reverted,
    /// The artist does not work (all of) the range: approved time off, a
    /// holiday or outside working hours; `details.unavailable` lists each
    /// overlap with its `reason`, `details.freeWindows` where it would fit
    /// (HTTP 409). Send `allowOvertime: true` to book anyway.
    Unavailable,
    /// The store is unreachable (HTTP 503).
    ServiceUnavailable,
    /// This client sent too many requests; wait `Retry-After` seconds (HTTP 429).
    RateLimited,
    /// No valid credentials: a missing, malformed, expired or revoked token, or
    /// a wrong password (HTTP 401). `details.reason` says which.
    Unauthenticated,
    /// The credentials are valid but the role lacks a permission; `details.missing`
    /// names it (HTTP 403).
    Forbidden,
    /// A bug or an unexpected failure; details are in the server log (HTTP 500).
    Internal,
    /// WebSocket: the `Hello` named a protocol version this server does not speak.
    UnsupportedVersion,
    /// WebSocket: a frame the server cannot use (text, undecodable, before `Hello`,
    /// unknown subscription, too many subscriptions).
    Protocol,
    /// WebSocket: the client did not read its frames fast enough.
    SlowConsumer,
    /// WebSocket: nothing heard from the client within the heartbeat timeout.
    HeartbeatTimeout,
    /// WebSocket: the server is shutting down (or the studio restarting); reconnect and resume.
    ShuttingDown,
    /// A dependency would close a cycle; `details.cycle` lists the phase ids on it in order (HTTP 422).
    DependencyCycle,
    /// A `strict` re-plan would break dependencies; `details.violations` lists them (HTTP 422).
    DependencyViolation,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invalid => "invalid",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::VersionMismatch => "version_mismatch",
            Self::Unprocessable => "unprocessable",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Overloaded => "overloaded",
            Self::Reverted => "reverted",
            Self::Unavailable => "unavailable",
            Self::ServiceUnavailable => "service_unavailable",
            Self::RateLimited => "rate_limited",
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::Internal => "internal",
            Self::UnsupportedVersion => "unsupported_version",
            Self::Protocol => "protocol",
            Self::SlowConsumer => "slow_consumer",
            Self::HeartbeatTimeout => "heartbeat_timeout",
            Self::ShuttingDown => "shutting_down",
            Self::DependencyCycle => "dependency_cycle",
            Self::DependencyViolation => "dependency_violation",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which input field is wrong, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { field: field.into(), reason: reason.into() }
    }
}
