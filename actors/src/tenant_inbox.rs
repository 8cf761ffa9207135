//! [`Tenant`]'s notification side: reading an inbox (from the store, once
//! everything sequenced so far is durable) and marking notifications read
//! (decided by the tenant's inbox actor, idempotency first like every command).

use crate::command::{CommandError, ask};
use crate::domain::Draft;
use crate::inbox_actor::{InboxMsg, Marked};
use crate::store::notifications::InboxQuery;
use crate::tenant::{CmdInput, Tenant};
use pt_protocol::UserId;
use pt_protocol::notification::{NotificationId, NotificationPage, ReadReceipt};
use ractor::ActorRef;

/// The most notifications one page may hold.
pub const MAX_PAGE: u32 = 200;

impl Tenant {
    fn inbox(&self) -> Result<ActorRef<InboxMsg>, CommandError> {
        self.owners.inbox.get().cloned().ok_or_else(|| CommandError::Unavailable("the studio is starting".into()))
    }

    /// A page of `user`'s notifications, newest first, including every one
    /// sequenced before this call (it waits for them to be durable).
    pub async fn notifications(&self, user: UserId, query: InboxQuery) -> Result<NotificationPage, CommandError> {
        crate::log::settled(&self.log, &self.durable).await?;
        let unavailable = |e: crate::store::StoreError| CommandError::Unavailable(e.to_string());
        let limit = query.limit.clamp(1, MAX_PAGE);
        // One more than asked tells whether an older page exists.
        let mut items = self
            .store
            .notifications(self.id, user, InboxQuery { limit: limit + 1, ..query })
            .await
            .map_err(unavailable)?;
        let more = items.len() > limit as usize;
        items.truncate(limit as usize);
        let next_before = if more { items.last().map(|n| n.id) } else { None };
        let unread_count = self.store.unread_count(self.id, user).await.map_err(unavailable)?;
        Ok(NotificationPage { items, unread_count, next_before })
    }

    /// Marks `ids` of `user` read (every unread one when `None`).
    pub async fn mark_read(
        &self,
        user: UserId,
        ids: Option<Vec<NotificationId>>,
        input: CmdInput,
    ) -> Result<Marked, CommandError> {
        if let Some(prev) = self.stored::<ReadReceipt>(&input).await? {
            return Ok(Marked::Accepted(prev));
        }
        let inbox = self.inbox()?;
        ask(&inbox, |reply| InboxMsg::MarkRead { user, ids, meta: input.meta(), reply }).await?
    }

    /// Re-reads which user is linked to which artist (after a membership changed).
    pub async fn reload_links(&self) -> Result<(), CommandError> {
        self.owners.load_links(self.store.as_ref(), self.id).await.map_err(|e| CommandError::Unavailable(e.to_string()))
    }

    /// `user`'s preferences from now on (after they were stored): the next
    /// notification decided for them follows them.
    pub fn set_preferences(&self, user: UserId, prefs: pt_protocol::notification::NotificationPreferences) {
        self.owners.prefs.insert(user, std::sync::Arc::new(prefs));
    }

    /// Tells `user` about a change made outside the actors (`kind`, by
    /// `by`), if their preferences want it anywhere.
    pub fn notify(&self, user: UserId, kind: pt_protocol::NotificationKind, title: String, body: String, by: &str) {
        if crate::domain::user_of(by) == Some(user) {
            return;
        }
        let draft = Draft { kind, title, body, booking_id: None, artist_id: None };
        let now = pt_protocol::Timestamp::now();
        let choice = self.owners.choice(user, kind);
        let Some(notification) = draft.to(user, pt_protocol::NotificationId::new(), choice, by, now) else { return };
        if let Ok(inbox) = self.inbox() {
            let _ = inbox.send_message(InboxMsg::Notify { notification: Box::new(notification) });
        }
    }
}
