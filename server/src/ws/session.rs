//! One connection's state — who it is, its studio, subscriptions, pending
//! presence, commands awaiting durability — and the frames it handles.

use super::commands::DurableTask;
use super::{Out, PRESENCE_FLUSH, Slow, encode, from_command_error, wire_error};
use crate::AppState;
use crate::auth::service::{Authenticated, Revoked};
use crate::edge::{RateLimiters, UserKey};
use pt_actors::presence::{PresenceMsg, PresenceNotice};
use pt_actors::view::Published;
use pt_actors::{CommandError, Tenant};
use pt_protocol::ws::{ClientFrame, PresenceState, ServerFrame, SessionId, SubId, View, codec};
use pt_protocol::{CmdId, ErrorCode};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::time::Instant;

pub(super) struct Sub {
    pub(super) view: View,
    /// Events up to here are in the snapshot (or were replayed).
    pub(super) start_seq: u64,
}

pub(super) struct Session {
    pub(super) id: SessionId,
    /// Who authenticated this connection (fixed for its lifetime).
    pub(super) who: Authenticated,
    /// The credential it presented, to check again when revocations were missed.
    pub(super) token: String,
    /// Commands spend the same per-user rate limit as REST requests.
    pub(super) limits: Arc<RateLimiters>,
    pub(super) rate_key: UserKey,
    /// The server's services: commands run through [`crate::commands`] with them.
    pub(super) state: AppState,
    pub(super) tenant: Arc<Tenant>,
    pub(super) out: mpsc::Sender<Out>,
    pub(super) subs: HashMap<SubId, Sub>,
    pub(super) default_resume: Option<u64>,
    pub(super) presence_tx: mpsc::Sender<PresenceNotice>,
    pub(super) pending_presence: HashMap<SubId, PresenceState>,
    /// When the pending presence updates go out (none pending: `None`).
    pub(super) presence_due: Option<Instant>,
    /// The last time presence updates went out (they go at most every `PRESENCE_FLUSH`).
    pub(super) presence_sent: Instant,
    /// Accepted commands not yet covered by a `Durable` frame, by last seq.
    pub(super) inflight: std::collections::BTreeMap<u64, (CmdId, DurableTask)>,
}

impl Session {
    /// A session that has said `Welcome`, and the channel its presence
    /// notices arrive on.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        id: SessionId,
        who: Authenticated,
        token: String,
        default_resume: Option<u64>,
        tenant: Arc<Tenant>,
        state: AppState,
        limits: Arc<RateLimiters>,
        out: mpsc::Sender<Out>,
    ) -> (Self, mpsc::Receiver<PresenceNotice>) {
        let (presence_tx, presence_rx) = mpsc::channel(256);
        let rate_key = limits.user_key(format!("Bearer {token}").as_bytes());
        let session = Session {
            id,
            who,
            limits,
            rate_key,
            token,
            state,
            tenant,
            out,
            subs: HashMap::new(),
            default_resume,
            presence_tx,
            pending_presence: HashMap::new(),
            presence_due: None,
            presence_sent: Instant::now() - PRESENCE_FLUSH,
            inflight: Default::default(),
        };
        (session, presence_rx)
    }

    pub(super) fn send(&self, frame: &ServerFrame) -> Result<(), Slow> {
        self.out.try_send(Out::Frame(encode(frame))).map_err(|_| Slow)
    }

    pub(super) fn error(&self, code: ErrorCode, message: impl Into<String>) -> Result<(), Slow> {
        self.send(&ServerFrame::Error { error: wire_error(code, message), sub_id: None })
    }

    pub(super) fn sub_error(&self, sub_id: SubId, code: ErrorCode, message: impl Into<String>) -> Result<(), Slow> {
        self.send(&ServerFrame::Error { error: wire_error(code, message), sub_id: Some(sub_id) })
    }
    pub(super) async fn on_frame(&mut self, frame: ClientFrame) -> Result<(), Slow> {
        match frame {
            ClientFrame::Hello { .. } => self.error(ErrorCode::Protocol, "hello was already received"),
            ClientFrame::Ping { nonce } => self.send(&ServerFrame::Pong { nonce }),
            // Started by the session loop (`serve`), which keeps reading events meanwhile.
            ClientFrame::Command { cmd_id, .. } => {
                self.error(ErrorCode::Internal, format!("command {cmd_id} was not started"))
            }
            ClientFrame::Subscribe { sub_id, view, resume_from_seq } => {
                self.subscribe(sub_id, view, resume_from_seq.or(self.default_resume)).await
            }
            ClientFrame::Unsubscribe { sub_id } => {
                let Some(sub) = self.subs.remove(&sub_id) else {
                    return self.sub_error(sub_id, ErrorCode::Protocol, format!("no subscription {sub_id}"));
                };
                self.pending_presence.remove(&sub_id);
                if !self.subs.values().any(|s| s.view == sub.view) {
                    let leave = PresenceMsg::Leave { view: sub.view, session: self.id.clone() };
                    self.tenant.presence().send_message(leave).ok();
                }
                self.send(&ServerFrame::Unsubscribed { sub_id })
            }
            ClientFrame::Presence { sub_id, state } => {
                if !self.subs.contains_key(&sub_id) {
                    return self.sub_error(sub_id, ErrorCode::Protocol, format!("no subscription {sub_id}"));
                }
                self.pending_presence.insert(sub_id, state);
                if self.presence_due.is_none() {
                    // At once after a quiet spell, else one period after the last flush.
                    self.presence_due = Some(Instant::now().max(self.presence_sent + PRESENCE_FLUSH));
                }
                Ok(())
            }
        }
    }

    /// Whether a revocation ends this connection.
    pub(super) fn revoked_by(&self, r: &Revoked) -> bool {
        let p = &self.who.principal;
        match (r, &p.via) {
            (Revoked::Session(sid), crate::auth::AuthVia::Password { session }) => sid == session,
            (Revoked::ApiToken(id), crate::auth::AuthVia::ApiToken { token }) => id == token,
            (Revoked::Member(tenant, user), _) => *tenant == p.tenant_id && *user == p.user_id,
            _ => false,
        }
    }

    /// The watermark moved to `durable_seq`: first the reverts below it, then the watermark.
    pub(super) fn on_durable(&mut self, durable_seq: u64) -> Result<(), Slow> {
        let later = self.inflight.split_off(&(durable_seq + 1));
        let covered = std::mem::replace(&mut self.inflight, later);
        for (_, (cmd_id, mut acc)) in covered {
            if let Some(Err(r)) = acc.try_outcome() {
                let frame = ServerFrame::Rejected { cmd_id, error: from_command_error(CommandError::Reverted(r)) };
                self.send(&frame)?;
            }
        }
        self.send(&ServerFrame::Durable { durable_seq })
    }

    /// Whether a subscription has yet to see this event (it is after the
    /// subscription's start and touches its view).
    pub(super) fn due(p: &Published, s: &Sub) -> bool {
        p.env.seq > s.start_seq && p.touches(&s.view)
    }

    /// Whether an event touches one of this session's views (or is a
    /// notification event for this session's user).
    pub(super) fn watches(&self, p: &Published) -> bool {
        match p.env.event.addressee() {
            Some(_) => self.addressed_sub(p).is_some(),
            None => self.subs.values().any(|s| Self::due(p, s)),
        }
    }

    /// The subscription a notification event for this session's user goes
    /// out on: the oldest one that started before it (once per connection,
    /// whatever it watches). `None` when it is someone else's.
    pub(super) fn addressed_sub(&self, p: &Published) -> Option<SubId> {
        if p.env.event.addressee() != Some(self.who.principal.user_id) {
            return None;
        }
        self.subs.iter().filter(|(_, s)| p.env.seq > s.start_seq).map(|(id, _)| *id).min()
    }

    pub(super) fn on_event(&self, p: &Published) -> Result<(), Slow> {
        if p.env.event.addressee().is_some() {
            return self.addressed_sub(p).map_or(Ok(()), |sub| self.send_event(&[sub], p));
        }
        let mut sub_ids: Vec<SubId> = self.subs.iter().filter(|(_, s)| Self::due(p, s)).map(|(id, _)| *id).collect();
        if sub_ids.is_empty() {
            return Ok(());
        }
        sub_ids.sort_unstable();
        self.send_event(&sub_ids, p)
    }

    /// An `event` frame around the event's shared encoding.
    pub(super) fn send_event(&self, sub_ids: &[SubId], p: &Published) -> Result<(), Slow> {
        // Listings (drafts included) and applications are for those who manage
        // the studio's jobs; applicants hear through their notifications.
        if p.env.event.is_job() && self.who.require(crate::auth::Permission::JobsManage).is_err() {
            return Ok(());
        }
        // Day rates are for owners and managers: others get the event without them.
        if self.who.require(crate::auth::Permission::ArtistsRead).is_err()
            && let Some(event) = p.env.event.redacted()
        {
            let env = pt_protocol::EventEnvelope { event, ..p.env.clone() };
            let frame = codec::encode_event_frame(sub_ids, &codec::encode(&env));
            return self.out.try_send(Out::Frame(frame.into())).map_err(|_| Slow);
        }
        let frame = codec::encode_event_frame(sub_ids, p.encoded());
        self.out.try_send(Out::Frame(frame.into())).map_err(|_| Slow)
    }

    pub(super) fn on_presence(&self, n: PresenceNotice) -> Result<(), Slow> {
        for (sub_id, s) in &self.subs {
            if s.view == n.view {
                self.send(&ServerFrame::PresenceDiff {
                    sub_id: *sub_id,
                    joins: n.joins.clone(),
                    leaves: n.leaves.clone(),
                })?;
            }
        }
        Ok(())
    }

    pub(super) fn flush_presence(&mut self) {
        self.presence_due = None;
        self.presence_sent = Instant::now();
        for (sub_id, state) in self.pending_presence.drain() {
            if let Some(s) = self.subs.get(&sub_id) {
                let update = PresenceMsg::Update { view: s.view.clone(), session: self.id.clone(), state };
                self.tenant.presence().send_message(update).ok();
            }
        }
    }
}
