//! Errors of the domain and of the command path.

use pt_protocol::Artist;
use pt_protocol::booking::{Booking, BookingStatus};
use pt_protocol::{ErrorCode, FieldError, TimeRange, Unavailability, UnavailableReason};

/// Why the domain refused a command. Pure: no I/O errors here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("invalid input: {}", fmt_fields(.0))]
    Invalid(Vec<FieldError>),
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: uuid::Uuid },
    #[error("the slot is taken by {} exclusive booking(s)", .0.conflicts.len())]
    Conflict(Box<ConflictInfo>),
    #[error("version mismatch: you sent version {expected}, the current version is {current}")]
    VersionMismatch { expected: u64, current: u64 },
    #[error("cannot change status from {from} to {to}")]
    InvalidTransition { from: BookingStatus, to: BookingStatus },
    #[error("{0}")]
    Unprocessable(String),
    /// The phase ids on the cycle the dependency would close, in order
    /// (the new dependency's successor first, its predecessor last).
    #[error("this dependency would close a cycle through {} phase(s)", .0.len())]
    DependencyCycle(Vec<pt_protocol::PhaseId>),
    #[error("the change would break {} dependenc(y/ies); use mode `push` to move the successors", .0.len())]
    DependencyViolation(Vec<pt_protocol::project::Violation>),
    #[error("{}", unavailable_message(&.0.unavailable))]
    Unavailable(Box<UnavailableInfo>),
}

fn unavailable_message(u: &[Unavailability]) -> String {
    let mut reasons: Vec<&str> = u
        .iter()
        .map(|u| match u.reason {
            UnavailableReason::TimeOff => "approved time off",
            UnavailableReason::Holiday => "a studio holiday",
            UnavailableReason::OutsideWorkingHours => "time outside working hours",
        })
        .collect();
    reasons.dedup();
    format!(
        "the artist does not work all of this range: it covers {}; send allowOvertime: true to book anyway",
        reasons.join(", ")
    )
}

/// Why the artist cannot work the range, and where the same work would fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnavailableInfo {
    pub unavailable: Vec<Unavailability>,
    /// The nearest free windows holding the same working time, nearest first.
    pub free_windows: Vec<TimeRange>,
}

fn fmt_fields(f: &[FieldError]) -> String {
    f.iter().map(|e| format!("{}: {}", e.field, e.reason)).collect::<Vec<_>>().join("; ")
}

/// What a client needs to resolve a conflict: who is in the way and where there is room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictInfo {
    /// The exclusive (pencil/confirmed) bookings overlapping the requested range.
    pub conflicts: Vec<Booking>,
    /// The nearest free windows of the requested length, nearest first.
    pub free_windows: Vec<TimeRange>,
    /// Other active artists sharing a skill with this one who are free for the
    /// requested range (filled in by the tenant, which sees every artist).
    pub alternatives: Vec<Artist>,
}

impl DomainError {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, reason)])
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Invalid(_) => ErrorCode::Invalid,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::VersionMismatch { .. } => ErrorCode::VersionMismatch,
            Self::InvalidTransition { .. } | Self::Unprocessable(_) => ErrorCode::Unprocessable,
            Self::DependencyCycle(_) => ErrorCode::DependencyCycle,
            Self::DependencyViolation(_) => ErrorCode::DependencyViolation,
            Self::Unavailable(_) => ErrorCode::Unavailable,
        }
    }
}
