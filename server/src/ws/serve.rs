//! The session loop: one task per connection reads the socket, decides one
//! command at a time, forwards the studio's events and durable watermark,
//! coalesces presence, and watches silence, token expiry, revocations and
//! shutdown.

use super::commands::{PendingCommand, settle};
use super::hello::{Decoded, decode};
use super::session::Session;
use super::{HEARTBEAT_TIMEOUT, SEND_QUEUE, Slow, from_api_error};
use crate::auth::service::Revoked;
use axum::extract::ws::{Message, WebSocket};
use futures::StreamExt;
use pt_actors::presence::PresenceNotice;
use pt_actors::view::Published;
use pt_protocol::ws::{ClientFrame, ServerFrame};
use pt_protocol::{CmdId, ErrorCode};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::time::Instant;

/// Why a session ends, when the client should be told.
type End = Option<(ErrorCode, String)>;

/// What one turn of the loop came to.
enum Step {
    Go(Result<(), Slow>),
    End(End),
}

fn restarting() -> End {
    Some((ErrorCode::ShuttingDown, "the studio is restarting; reconnect and resume".into()))
}

/// On shutdown, how long a command being decided may take to be answered
/// before the goodbye (actors answer in microseconds; this bounds a stuck one).
const ANSWER_BEFORE_GOODBYE: Duration = Duration::from_secs(2);

pub(super) fn shutting_down() -> (ErrorCode, String) {
    (ErrorCode::ShuttingDown, "the server is shutting down; reconnect and resume".into())
}

/// Resolves when the server starts shutting down (the guard is dropped here,
/// not held across the loop's awaits).
pub(super) async fn closed(closing: &mut watch::Receiver<bool>) {
    let _ = closing.wait_for(|c| *c).await.map(|_| ());
}

/// Most events one turn of the loop takes: after a wake-up, those already
/// queued behind the first are taken too, so a burst costs one turn of the
/// `select!` (and one registration of each of its wakers), not one per event.
const EVENTS_PER_TURN: usize = 64;

/// Takes `first` and up to [`EVENTS_PER_TURN`] − 1 events already queued:
/// forwarded at once, or held (those this session watches) while a command
/// is being decided. A lag is a slow consumer, as in the loop.
fn take_events(
    session: &mut Session,
    deciding: bool,
    held: &mut Vec<Arc<Published>>,
    first: Arc<Published>,
    events: &mut broadcast::Receiver<Arc<Published>>,
) -> Result<(), Slow> {
    let mut next = Some(first);
    let mut taken = 0;
    while let Some(p) = next.take() {
        if !deciding {
            session.on_event(&p)?;
        } else if session.watches(&p) {
            held.push(p);
            if held.len() > SEND_QUEUE {
                return Err(Slow);
            }
        }
        taken += 1;
        if taken < EVENTS_PER_TURN {
            next = match events.try_recv() {
                Ok(p) => Some(p),
                Err(broadcast::error::TryRecvError::Lagged(_)) => return Err(Slow),
                // Empty; or closed, which the next `recv` reports.
                Err(_) => None,
            };
        }
    }
    Ok(())
}

/// The session loop. Returns why it ended, when the client should be told.
pub(super) async fn serve(
    session: &mut Session,
    mut presence_rx: mpsc::Receiver<PresenceNotice>,
    stream: &mut futures::stream::SplitStream<WebSocket>,
    closing: &mut watch::Receiver<bool>,
    mut revocations: broadcast::Receiver<Revoked>,
) -> End {
    // The token's expiry ends the session (the client signs in again,
    // reconnects and resumes); far enough away counts as never.
    let expires = session.who.expires_at.map_or(Duration::from_secs(100 * 365 * 86_400), |at| {
        (at - chrono::Utc::now()).to_std().unwrap_or(Duration::ZERO)
    });
    let expiry = tokio::time::sleep(expires);
    tokio::pin!(expiry);
    let (mut events, mut durable): (broadcast::Receiver<Arc<Published>>, watch::Receiver<u64>) =
        match Box::pin(session.tenant.follow()).await {
            Ok((_, rx)) => (rx, session.tenant.durable_watch()),
            Err(_) => return restarting(),
        };
    // One timer for silence: it fires at `last_heard + HEARTBEAT_TIMEOUT` and
    // moves on if something was heard meanwhile (no per-second tick: 10,000
    // idle sessions cost no wake-ups between pings).
    let mut last_heard = Instant::now();
    let silence = tokio::time::sleep(HEARTBEAT_TIMEOUT);
    tokio::pin!(silence);
    // A command being decided. Meanwhile the socket is not read (a session's
    // commands are decided in order) and the watermark waits (its `Accepted`
    // comes first), but the studio's events are: a session waiting on
    // commands must not lag behind the broadcast and be cut off as a slow
    // consumer. Events for its views are held and sent after the `Accepted`,
    // so a client sees its own answer before its own event.
    let mut pending: Option<(CmdId, PendingCommand)> = None;
    let mut held: Vec<Arc<Published>> = Vec::new();
    loop {
        let presence_due = session.presence_due.unwrap_or_else(|| Instant::now() + HEARTBEAT_TIMEOUT);
        let step = tokio::select! {
            msg = stream.next(), if pending.is_none() => {
                last_heard = Instant::now();
                // Boxed, like every rare await in this loop: handling a frame
                // (a subscription's snapshot, say) is a large future, and an
                // idle session should not carry room for it between frames.
                Box::pin(session.on_message(msg, &mut pending)).await
            }
            (cmd_id, outcome) = settle(&mut pending) => {
                pending = None;
                let answered = session.finish_command(cmd_id, outcome);
                Step::Go(answered.and_then(|()| held.drain(..).try_for_each(|p| session.on_event(&p))))
            }
            ev = events.recv() => match ev {
                Ok(p) => Step::Go(take_events(session, pending.is_some(), &mut held, p, &mut events)),
                Err(broadcast::error::RecvError::Lagged(_)) => Step::Go(Err(Slow)),
                Err(broadcast::error::RecvError::Closed) => Step::End(restarting()),
            },
            changed = durable.changed(), if pending.is_none() => match changed {
                Ok(()) => {
                    let durable_seq = *durable.borrow_and_update();
                    Step::Go(session.on_durable(durable_seq))
                }
                Err(_) => Step::End(restarting()),
            },
            Some(n) = presence_rx.recv() => Step::Go(session.on_presence(n)),
            _ = tokio::time::sleep_until(presence_due), if session.presence_due.is_some() => {
                session.flush_presence();
                Step::Go(Ok(()))
            }
            _ = &mut silence => {
                if last_heard.elapsed() >= HEARTBEAT_TIMEOUT {
                    let why = format!("nothing heard for {} s", HEARTBEAT_TIMEOUT.as_secs());
                    return Some((ErrorCode::HeartbeatTimeout, why));
                }
                silence.as_mut().reset(last_heard + HEARTBEAT_TIMEOUT);
                Step::Go(Ok(()))
            }
            _ = &mut expiry => {
                return Some((ErrorCode::Unauthenticated, "the access token expired; sign in again and resume".into()));
            }
            revoked = revocations.recv() => Box::pin(session.on_revocation(revoked)).await,
            _ = closed(closing) => {
                // A command being decided gets its answer first (briefly), so
                // the client need not re-send it after reconnecting.
                if let Some((cmd_id, work)) = pending.take()
                    && let Ok(outcome) = Box::pin(tokio::time::timeout(ANSWER_BEFORE_GOODBYE, work)).await
                {
                    let _ = session.finish_command(cmd_id, outcome);
                }
                return Some(shutting_down());
            }
        };
        match step {
            Step::Go(Ok(())) => {}
            Step::Go(Err(Slow)) => {
                return Some((ErrorCode::SlowConsumer, "the client did not read its frames fast enough".to_string()));
            }
            Step::End(end) => return end,
        }
    }
}

impl Session {
    /// A message from the socket: a command starts (if the user's rate limit
    /// allows), other frames are handled at once.
    async fn on_message(
        &mut self,
        msg: Option<Result<Message, axum::Error>>,
        pending: &mut Option<(CmdId, PendingCommand)>,
    ) -> Step {
        let msg = match msg {
            Some(Ok(m)) => m,
            // A broken socket or an oversized frame: nothing more to say.
            Some(Err(_)) | None => return Step::End(None),
        };
        Step::Go(match decode(msg) {
            Decoded::Frame(ClientFrame::Command { cmd_id, command }) => match self.limits.check_user(&self.rate_key) {
                Ok(()) => {
                    *pending = Some((cmd_id, self.start_command(cmd_id, command)));
                    Ok(())
                }
                Err(wait) => {
                    let error = from_api_error(crate::edge::rate_limited("user", wait));
                    self.send(&ServerFrame::Rejected { cmd_id, error })
                }
            },
            Decoded::Frame(f) => self.on_frame(f).await,
            Decoded::Error(e) => self.send(&ServerFrame::Error { error: e, sub_id: None }),
            Decoded::Control => Ok(()),
            Decoded::Close => return Step::End(None),
        })
    }

    /// A revocation (sign-out, revoked token, removed member) ends this
    /// session if it is this session's credential; missed revocations are
    /// made up for by checking the credential against the store again.
    async fn on_revocation(&self, revoked: Result<Revoked, broadcast::error::RecvError>) -> Step {
        match revoked {
            Ok(r) if self.revoked_by(&r) => {
                tracing::info!(session = %self.id, actor = %self.who.actor(), "closing a websocket: its credentials were revoked");
                Step::End(Some((ErrorCode::Unauthenticated, "your session was ended (signed out or revoked)".into())))
            }
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                match self.state.auth.authenticate(&self.token, chrono::Utc::now()).await {
                    Ok(_) => Step::Go(Ok(())),
                    Err(e) => {
                        tracing::info!(session = %self.id, missed, "closing a websocket: its credentials are no longer valid");
                        Step::End(Some((ErrorCode::Unauthenticated, e.message)))
                    }
                }
            }
            _ => Step::Go(Ok(())),
        }
    }
}
