//! Presence, per view (like Phoenix Presence): which connections are in a
//! view and what each is doing. One actor per tenant, so presence never
//! crosses studios. Members get diffs (joins — also used for state updates —
//! and leaves), never full lists after the first.

use pt_protocol::ws::{PresenceEntry, PresenceState, SessionId, View};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use std::collections::HashMap;
use tokio::sync::mpsc;

/// A diff for one view, delivered to each member's session.
#[derive(Clone, Debug)]
pub struct PresenceNotice {
    pub view: View,
    pub joins: Vec<PresenceEntry>,
    pub leaves: Vec<SessionId>,
}

pub enum PresenceMsg {
    /// Enter a view; answers the members already there.
    Join {
        view: View,
        session: SessionId,
        state: PresenceState,
        notify: mpsc::Sender<PresenceNotice>,
        reply: RpcReplyPort<Vec<PresenceEntry>>,
    },
    Update {
        view: View,
        session: SessionId,
        state: PresenceState,
    },
    Leave {
        view: View,
        session: SessionId,
    },
    /// The connection is gone: leave every view.
    LeaveAll {
        session: SessionId,
    },
}

struct Member {
    state: PresenceState,
    notify: mpsc::Sender<PresenceNotice>,
}

pub struct PresenceActor;

#[derive(Default)]
pub struct Presences {
    views: HashMap<View, HashMap<SessionId, Member>>,
}

impl Presences {
    fn broadcast(&self, view: &View, except: &str, joins: Vec<PresenceEntry>, leaves: Vec<SessionId>) {
        let Some(members) = self.views.get(view) else { return };
        for (id, m) in members {
            if id != except {
                // Best effort: a member whose queue is full is a slow consumer and
                // is being disconnected by its own session.
                let _ = m.notify.try_send(PresenceNotice {
                    view: view.clone(),
                    joins: joins.clone(),
                    leaves: leaves.clone(),
                });
            }
        }
    }

    fn leave(&mut self, view: &View, session: &str) {
        let removed = self.views.get_mut(view).and_then(|m| m.remove(session)).is_some();
        if removed {
            self.broadcast(view, session, vec![], vec![session.to_string()]);
        }
        if self.views.get(view).is_some_and(|m| m.is_empty()) {
            self.views.remove(view);
        }
    }
}

impl Actor for PresenceActor {
    type Msg = PresenceMsg;
    type State = Presences;
    type Arguments = ();

    async fn pre_start(&self, _myself: ActorRef<PresenceMsg>, _: ()) -> Result<Presences, ActorProcessingErr> {
        Ok(Presences::default())
    }

    async fn handle(
        &self,
        _myself: ActorRef<PresenceMsg>,
        msg: PresenceMsg,
        s: &mut Presences,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            PresenceMsg::Join { view, session, state, notify, reply } => {
                let members = s.views.entry(view.clone()).or_default();
                let others: Vec<PresenceEntry> = members
                    .iter()
                    .filter(|(id, _)| **id != session)
                    .map(|(id, m)| PresenceEntry { session_id: id.clone(), state: m.state.clone() })
                    .collect();
                members.insert(session.clone(), Member { state: state.clone(), notify });
                s.broadcast(&view, &session, vec![PresenceEntry { session_id: session.clone(), state }], vec![]);
                let _ = reply.send(others);
            }
            PresenceMsg::Update { view, session, state } => {
                let Some(m) = s.views.get_mut(&view).and_then(|m| m.get_mut(&session)) else { return Ok(()) };
                if m.state == state {
                    return Ok(());
                }
                m.state = state.clone();
                s.broadcast(&view, &session, vec![PresenceEntry { session_id: session.clone(), state }], vec![]);
            }
            PresenceMsg::Leave { view, session } => s.leave(&view, &session),
            PresenceMsg::LeaveAll { session } => {
                let views: Vec<View> =
                    s.views.iter().filter(|(_, m)| m.contains_key(&session)).map(|(v, _)| v.clone()).collect();
                for v in views {
                    s.leave(&v, &session);
                }
            }
        }
        Ok(())
    }
}
