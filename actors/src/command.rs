//! The command path's shared types: what travels with a command (its id, who
//! sends it, the durability channel), what comes back when it is accepted, and
//! how it can fail.

use crate::error::DomainError;
use pt_protocol::{CmdId, ErrorCode};
use ractor::{ActorRef, Message, RpcReplyPort};
use serde::de::DeserializeOwned;
use std::time::Duration;
use tokio::sync::{oneshot, watch};

/// What the writer reports for one command once its batch is resolved.
pub type DurableResult = Result<u64, Reverted>;

/// The store refused an accepted change; it was undone in memory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the change was accepted, then refused by the store and undone: {reason}")]
pub struct Reverted {
    pub reason: String,
}

/// Everything about a command except its payload.
#[derive(Debug)]
pub struct CmdMeta {
    pub cmd_id: CmdId,
    pub request_hash: u64,
    /// Who acts: a user id, an API token, `system:<what>`.
    pub by: String,
}

/// Why a command did not go through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("the server cannot persist more changes right now; retry shortly")]
    Overloaded,
    #[error(transparent)]
    Reverted(#[from] Reverted),
    #[error("this idempotency key was already used for a different request")]
    IdempotencyKeyReused,
    #[error("store unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl CommandError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Domain(d) => d.code(),
            Self::Overloaded => ErrorCode::Overloaded,
            Self::Reverted(_) => ErrorCode::Reverted,
            Self::IdempotencyKeyReused => ErrorCode::IdempotencyKeyReused,
            Self::Unavailable(_) => ErrorCode::ServiceUnavailable,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn not_found(entity: &'static str, id: uuid::Uuid) -> Self {
        Self::Domain(DomainError::NotFound { entity, id })
    }
}

/// How a caller learns that an accepted command became durable.
#[derive(Debug)]
pub enum DurableWait {
    /// The writer resolves this command's channel.
    Channel(oneshot::Receiver<DurableResult>),
    /// A duplicate of an earlier command: wait for the watermark to pass `seq`.
    Watermark { seq: u64, durable: watch::Receiver<u64> },
    /// Already durable (found in the store).
    Done(u64),
}

/// A command the actors accepted (or a duplicate of one they accepted before).
#[derive(Debug)]
pub struct Accepted<T> {
    pub first_seq: u64,
    pub last_seq: u64,
    pub value: T,
    /// True when this is the stored answer to an earlier command with the same `cmd_id`.
    pub duplicate: bool,
    pub durable: DurableWait,
}

impl<T> Accepted<T> {
    /// The outcome, if the writer has already resolved it (it always has once
    /// the watermark passed this command). None for duplicates and pending ones.
    pub fn try_outcome(&mut self) -> Option<DurableResult> {
        match &mut self.durable {
            DurableWait::Channel(rx) => rx.try_recv().ok(),
            DurableWait::Done(seq) => Some(Ok(*seq)),
            DurableWait::Watermark { .. } => None,
        }
    }

    /// The same acceptance with another value (e.g. `()` once the value was sent).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Accepted<U> {
        Accepted {
            first_seq: self.first_seq,
            last_seq: self.last_seq,
            value: f(self.value),
            duplicate: self.duplicate,
            durable: self.durable,
        }
    }

    /// Waits until the change is durable. For a duplicate, the caller must still
    /// confirm it was not reverted (see `Tenant::wait_durable`).
    pub async fn wait_watermark(&mut self) -> Result<u64, CommandError> {
        match &mut self.durable {
            DurableWait::Done(seq) => Ok(*seq),
            DurableWait::Channel(rx) => match rx.await {
                Ok(Ok(seq)) => Ok(seq),
                Ok(Err(r)) => Err(CommandError::Reverted(r)),
                Err(_) => Err(CommandError::Unavailable("the writer stopped before the change was durable".into())),
            },
            DurableWait::Watermark { seq, durable } => {
                let seq = *seq;
                durable
                    .wait_for(|d| *d >= seq)
                    .await
                    .map_err(|_| CommandError::Unavailable("the writer stopped".into()))?;
                Ok(seq)
            }
        }
    }
}

/// Decodes a stored outcome back into the value a command returned.
pub fn decode_outcome<T: DeserializeOwned>(v: &serde_json::Value) -> Result<T, CommandError> {
    serde_json::from_value(v.clone()).map_err(|e| CommandError::Internal(format!("stored outcome unreadable: {e}")))
}

/// [`decode_outcome`] from JSON text.
pub fn decode_outcome_json<T: DeserializeOwned>(json: &[u8]) -> Result<T, CommandError> {
    serde_json::from_slice(json).map_err(|e| CommandError::Internal(format!("remembered outcome unreadable: {e}")))
}

/// How long a request waits for an actor before giving up. Actors answer in
/// microseconds; this only fires when something is badly wrong.
pub const ASK_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends a request to an actor and waits for the reply.
pub async fn ask<M: Message, T: Send + 'static>(
    actor: &ActorRef<M>,
    msg: impl FnOnce(RpcReplyPort<T>) -> M,
) -> Result<T, CommandError> {
    match actor.call(msg, Some(ASK_TIMEOUT)).await {
        Ok(ractor::rpc::CallResult::Success(v)) => Ok(v),
        Ok(ractor::rpc::CallResult::Timeout) => Err(CommandError::Internal("an actor did not answer in time".into())),
        Ok(ractor::rpc::CallResult::SenderError) | Err(_) => {
            Err(CommandError::Unavailable("the tenant is restarting; retry".into()))
        }
    }
}
