//! The WebSocket end of the command path: a `Command` frame becomes a call to
//! [`crate::commands::execute`] (the same authorize → validate → dispatch the
//! REST routes use), and its [`Done`] becomes `Accepted` (durability follows
//! with the watermark) or `Rejected`.

use super::session::Session;
use super::{Slow, from_api_error};
use crate::commands::{self, Command, Ctx, Decision, Done, access, jobs};
use pt_actors::{Accepted, CmdInput};
use pt_protocol::CmdId;
use pt_protocol::ws::{CommandResult, ServerFrame, WireError, codec};

/// An accepted command whose value was sent; what is left is its durability.
pub(super) type DurableTask = Accepted<()>;

/// What a command comes to: the sequenced result (and its durability, unless
/// nothing changed), or why it was refused.
pub(super) type CommandOutcome = Result<(u64, CommandResult, Option<DurableTask>), WireError>;

/// A command being decided, while the session goes on reading its events.
pub(super) type PendingCommand = std::pin::Pin<Box<dyn std::future::Future<Output = CommandOutcome> + Send>>;

/// Resolves with the pending command's outcome; never, when there is none.
pub(super) async fn settle(pending: &mut Option<(CmdId, PendingCommand)>) -> (CmdId, CommandOutcome) {
    match pending {
        Some((cmd_id, work)) => (*cmd_id, work.await),
        None => std::future::pending().await,
    }
}

impl Session {
    /// The work of one command, owning what it needs, so that the session
    /// loop can keep reading the studio's events while it runs (see `serve`).
    pub(super) fn start_command(&self, cmd_id: CmdId, command: Command) -> PendingCommand {
        let (who, state, t) = (self.who.clone(), self.state.clone(), self.tenant.clone());
        let by = format!("{}/ws:{}", who.actor(), self.id);
        Box::pin(async move {
            let hash = pt_protocol::fnv1a64(&[&codec::encode(&command)]).max(1);
            let input = CmdInput { cmd_id, request_hash: hash, by, client_chosen: true };
            let cx = Ctx { state: &state, who: &who, tenant: &t };
            let done = commands::execute(cx, command, input).await.map_err(from_api_error)?;
            // A command that changed nothing is answered at the studio's
            // current seq: everything it reflects is sequenced by then.
            let now = || async { t.last_seq().await.map_err(|e| from_api_error(e.into())) };
            Ok(match done {
                Done::Booking(Decision::Accepted(acc)) => {
                    let result = CommandResult::Booking { booking: acc.value.booking.clone() };
                    (acc.last_seq, result, Some(acc.map(|_| ())))
                }
                Done::Booking(Decision::Unchanged(view)) => {
                    (now().await?, CommandResult::Booking { booking: view.booking }, None)
                }
                Done::Artist(Decision::Accepted(acc)) => {
                    let result = CommandResult::Artist { artist: access::redact_artist(&who, acc.value.clone()) };
                    (acc.last_seq, result, Some(acc.map(|_| ())))
                }
                Done::Artist(Decision::Unchanged(artist)) => {
                    (now().await?, CommandResult::Artist { artist: access::redact_artist(&who, artist) }, None)
                }
                Done::TimeOff(Decision::Accepted(acc)) => {
                    let result = CommandResult::TimeOff { time_off: acc.value.time_off.clone() };
                    (acc.last_seq, result, Some(acc.map(|_| ())))
                }
                Done::TimeOff(Decision::Unchanged(e)) => {
                    (now().await?, CommandResult::TimeOff { time_off: e.time_off }, None)
                }
                Done::Project(Decision::Accepted(acc)) => {
                    let result = acc.value.clone();
                    (acc.last_seq, result, Some(acc.map(|_| ())))
                }
                Done::Project(Decision::Unchanged(result)) => (now().await?, result, None),
                Done::Read(Decision::Accepted(acc)) => {
                    let result = CommandResult::Read { receipt: acc.value.clone() };
                    (acc.last_seq, result, Some(acc.map(|_| ())))
                }
                Done::Read(Decision::Unchanged(receipt)) => (now().await?, CommandResult::Read { receipt }, None),
                // In this studio: its durability follows with the watermark.
                Done::Job(jobs::JobDone { tenant, decision: Decision::Accepted(acc) }) if tenant.id == t.id => {
                    let result = acc.value.clone();
                    (acc.last_seq, result, Some(acc.map(|_| ())))
                }
                // In another studio (applying to its public listing): this
                // studio's watermark says nothing of it, so it is answered
                // once durable there, at this studio's current seq.
                Done::Job(jobs::JobDone { tenant, decision: Decision::Accepted(mut acc) }) => {
                    tenant.wait_durable(&mut acc).await.map_err(|e| from_api_error(e.into()))?;
                    (now().await?, acc.value, None)
                }
                Done::Job(jobs::JobDone { decision: Decision::Unchanged(result), .. }) => (now().await?, result, None),
            })
        })
    }

    /// A command's answer: `Accepted` (its durability follows with the
    /// watermark) or `Rejected`.
    pub(super) fn finish_command(&mut self, cmd_id: CmdId, outcome: CommandOutcome) -> Result<(), Slow> {
        match outcome {
            Ok((seq, result, durable)) => {
                self.send(&ServerFrame::Accepted { cmd_id, seq, result })?;
                // Durability is announced by the watermark; a revert is announced
                // just before the watermark that passes it (see `on_durable`).
                if let Some(durable) = durable.filter(|d| !d.duplicate) {
                    self.inflight.insert(seq, (cmd_id, durable));
                }
                Ok(())
            }
            Err(error) => self.send(&ServerFrame::Rejected { cmd_id, error }),
        }
    }
}
