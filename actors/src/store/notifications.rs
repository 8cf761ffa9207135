//! Notifications as stored: a projection of the `notificationCreated` and
//! `notificationsRead` events, written by [`super::Store::append`] in the
//! same transaction as the events (so a stored change never lacks its
//! notifications), and read here, one user's inbox at a time. Schema:
//! `migrations/0013_notifications.sql`, `migrations/sqlite/0007_notifications.sql`.

use async_trait::async_trait;
use pt_protocol::notification::{Notification, NotificationId};
use pt_protocol::{Event, TenantId, Timestamp, UserId};

use super::{CommandRecord, StoreError};

/// Which page of an inbox.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InboxQuery {
    /// Only notifications not read yet.
    pub unread_only: bool,
    /// Only notifications older than this one (ids are time-ordered: the
    /// previous page's last id).
    pub before: Option<NotificationId>,
    /// At most this many (the caller bounds it).
    pub limit: u32,
}

#[async_trait]
pub trait NotificationStore: Send + Sync + 'static {
    /// One user's notifications, newest first.
    async fn notifications(
        &self,
        tenant: TenantId,
        user: UserId,
        query: InboxQuery,
    ) -> Result<Vec<Notification>, StoreError>;

    /// One notification, whoever it is for.
    async fn notification(&self, tenant: TenantId, id: NotificationId) -> Result<Option<Notification>, StoreError>;

    /// The ids of reminders given since `since` (so none is given twice).
    async fn reminder_ids(&self, tenant: TenantId, since: Timestamp) -> Result<Vec<NotificationId>, StoreError>;

    /// How many of the user's notifications are unread.
    async fn unread_count(&self, tenant: TenantId, user: UserId) -> Result<u64, StoreError>;

    /// Of the user's notifications, the unread ones among `ids` (all unread
    /// ones when `ids` is `None`), and which of `ids` are not the user's at all.
    async fn unread_among(
        &self,
        tenant: TenantId,
        user: UserId,
        ids: Option<&[NotificationId]>,
    ) -> Result<UnreadAmong, StoreError>;
}

/// What [`NotificationStore::unread_among`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnreadAmong {
    pub unread: Vec<NotificationId>,
    /// Named ids that are not this user's notifications (or do not exist).
    pub unknown: Vec<NotificationId>,
}

/// The notification rows a batch writes, in `seq` order (copies: few, and
/// the embedded store writes them on another thread).
#[derive(Debug, Default)]
pub struct NotificationWrites {
    /// `(seq, notification)`.
    pub created: Vec<(u64, Notification)>,
    pub read: Vec<(UserId, Vec<NotificationId>, Timestamp)>,
}

impl NotificationWrites {
    pub fn of(batch: &[CommandRecord]) -> Self {
        let mut w = Self::default();
        for env in batch.iter().flat_map(|r| &r.events) {
            match &env.event {
                Event::NotificationCreated { notification } => w.created.push((env.seq, notification.clone())),
                Event::NotificationsRead { user_id, ids, read_at } => w.read.push((*user_id, ids.clone(), *read_at)),
                _ => {}
            }
        }
        w
    }

    pub fn is_empty(&self) -> bool {
        self.created.is_empty() && self.read.is_empty()
    }
}
