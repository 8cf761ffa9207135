//! Views: who may watch what, and a subscription's start — a snapshot of the
//! view at a `seq`, or (resuming) the events missed since the client's `seq`.

use super::session::{Session, Sub};
use super::{MAX_SUBSCRIPTIONS, MAX_WINDOW_ARTISTS, Slow, from_api_error, from_command_error};
use crate::auth::Permission;
use crate::error::ApiError;
use pt_actors::Tenant;
use pt_actors::presence::{PresenceMsg, PresenceNotice};
use pt_protocol::ws::{PresenceState, ServerFrame, SessionId, SubId, View};
use pt_protocol::{ArtistId, ErrorCode};
use tokio::sync::mpsc;

impl Session {
    pub(super) async fn subscribe(&mut self, sub_id: SubId, view: View, resume: Option<u64>) -> Result<(), Slow> {
        if let Err(e) = self.may_view(&view).await {
            return self.send(&ServerFrame::Error { error: from_api_error(e), sub_id: Some(sub_id) });
        }
        if self.subs.contains_key(&sub_id) {
            return self.sub_error(sub_id, ErrorCode::Protocol, format!("subscription {sub_id} exists already"));
        }
        if self.subs.len() >= MAX_SUBSCRIPTIONS {
            return self
                .error(ErrorCode::Protocol, format!("at most {MAX_SUBSCRIPTIONS} subscriptions per connection"));
        }
        if let View::Window { artist_ids, range } = &view
            && (artist_ids.len() > MAX_WINDOW_ARTISTS || range.start >= range.end)
        {
            return self.sub_error(
                sub_id,
                ErrorCode::Invalid,
                format!("a window names 1 to {MAX_WINDOW_ARTISTS} artists and a range with start < end"),
            );
        }
        let join = |tenant: &Tenant, view: View, session: SessionId, notify: mpsc::Sender<PresenceNotice>| {
            let presence = tenant.presence().clone();
            async move {
                pt_actors::command::ask(&presence, |reply| PresenceMsg::Join {
                    view,
                    session,
                    state: PresenceState::default(),
                    notify,
                    reply,
                })
                .await
                .unwrap_or_default()
            }
        };
        match resume {
            None => {
                let snap = match self.tenant.view_snapshot(view.clone()).await {
                    Ok(s) => s,
                    Err(e) => {
                        return self.send(&ServerFrame::Error { error: from_command_error(e), sub_id: Some(sub_id) });
                    }
                };
                let presence = join(&self.tenant, view.clone(), self.id.clone(), self.presence_tx.clone()).await;
                self.subs.insert(sub_id, Sub { view, start_seq: snap.seq });
                self.send(&ServerFrame::Snapshot {
                    sub_id,
                    seq: snap.seq,
                    artists: snap
                        .artists
                        .into_iter()
                        .map(|a| crate::commands::access::redact_artist(&self.who, a))
                        .collect(),
                    bookings: snap.bookings,
                    presence,
                    projects: snap.projects,
                })
            }
            Some(after) => {
                let missed = match self.tenant.events_after(after).await {
                    Ok(m) => m,
                    Err(e) => {
                        return self.send(&ServerFrame::Error { error: from_command_error(e), sub_id: Some(sub_id) });
                    }
                };
                let seq = missed.last().map_or(after, |p| p.env.seq);
                let presence = join(&self.tenant, view.clone(), self.id.clone(), self.presence_tx.clone()).await;
                self.send(&ServerFrame::Resumed { sub_id, seq, presence })?;
                let me = Some(self.who.principal.user_id);
                for p in missed.iter().filter(|p| p.touches(&view) || p.env.event.addressee() == me) {
                    self.send_event(&[sub_id], p)?;
                }
                self.subs.insert(sub_id, Sub { view, start_seq: seq });
                Ok(())
            }
        }
    }

    /// May this connection watch `view`? The whole studio and projects need
    /// `bookings:read`; with only `bookings:read:own`, the own artist only.
    async fn may_view(&self, view: &View) -> Result<(), ApiError> {
        // An artist this studio does not have is `not_found`, whoever asks
        // (another studio's ids get the same answer as made-up ones).
        let named: &[ArtistId] = match view {
            View::Artist { artist_id } => std::slice::from_ref(artist_id),
            View::Window { artist_ids, .. } => artist_ids,
            _ => &[],
        };
        for id in named {
            if !self.tenant.has_artist(*id).await.map_err(ApiError::from)? {
                return Err(ApiError::not_found("artist"));
            }
        }
        if let View::Project { project_id } = view {
            self.tenant.project_plan(*project_id).await.map_err(ApiError::from)?;
        }
        let own = self.who.scope(Permission::BookingsRead, Permission::BookingsReadOwn)?;
        let Some(own) = own else { return Ok(()) };
        match view {
            View::Artist { artist_id } if *artist_id == own => Ok(()),
            View::Window { artist_ids, .. } if artist_ids.iter().all(|a| *a == own) => Ok(()),
            View::Artist { .. } | View::Window { .. } => Err(ApiError::not_found("artist")),
            _ => Err(crate::auth::service::forbidden(crate::auth::Forbidden { missing: Permission::BookingsRead })),
        }
    }
}
