//! Calendar feeds: secret URLs a calendar app subscribes to (iCalendar, RFC
//! 5545), one per studio or per artist, revocable. The secret is never
//! stored: a feed is found by its SHA-256 ([`TokenHashBytes`]), which is
//! indexed in `auth_token_index` with kind `feed` like every other secret, so
//! a request that names no studio still finds the feed's tenant; the row is
//! then read under that tenant's row-level security.

use async_trait::async_trait;
use pt_protocol::ids::UserId;
use pt_protocol::{ArtistId, TenantId, Timestamp};

use super::StoreError;
use super::auth::TokenHashBytes;

/// A calendar feed of the whole studio (`artist_id: None`) or of one artist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarFeedRow {
    pub id: uuid::Uuid,
    pub tenant_id: TenantId,
    pub artist_id: Option<ArtistId>,
    /// What it is for ("Ben's phone").
    pub name: String,
    pub hash: TokenHashBytes,
    /// The secret's first characters, to recognise it in a list.
    pub hint: String,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

#[async_trait]
pub trait FeedStore: Send + Sync + 'static {
    /// A new feed, its hash indexed.
    async fn insert_calendar_feed(&self, feed: &CalendarFeedRow) -> Result<(), StoreError>;

    /// The feed whose secret hashes to `hash`, revoked or not.
    async fn calendar_feed_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<CalendarFeedRow>, StoreError>;

    /// The studio's feeds (revoked ones included), newest first.
    async fn calendar_feeds(&self, tenant: TenantId) -> Result<Vec<CalendarFeedRow>, StoreError>;

    /// Sets `revoked_at` (kept if already set). Returns the feed, or `None`
    /// when the studio has no such feed.
    async fn revoke_calendar_feed(
        &self,
        tenant: TenantId,
        id: uuid::Uuid,
        at: Timestamp,
    ) -> Result<Option<CalendarFeedRow>, StoreError>;
}
