//! The inbox actor: one per tenant, the owner of what is read. Notifications
//! themselves are decided with the changes that cause them (by the artist
//! actors, see `domain/artist_book_notify.rs`); marking them read is decided
//! here, one command at a time, as a `notificationsRead` event in the
//! studio's sequence — so every tab of the reader hears of it, and the
//! store writes it behind like any other change.
//!
//! It decides from the store: before each decision it waits until every
//! event sequenced so far is durable, so a notification a client has just
//! been sent live is already there to be marked.

use crate::command::{Accepted, CmdMeta, CommandError};
use crate::log::{LogMsg, Sequenced, sequence};
use crate::store::Store;
use crate::store::notifications::UnreadAmong;
use pt_protocol::notification::{NotificationId, ReadReceipt};
use pt_protocol::{Event, TenantId, Timestamp, UserId};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use std::sync::Arc;
use tokio::sync::watch;

/// What marking read did.
#[derive(Debug)]
pub enum Marked {
    Accepted(Accepted<ReadReceipt>),
    /// Nothing named was unread: no event (the receipt lists no ids).
    Unchanged(ReadReceipt),
}

pub enum InboxMsg {
    /// Mark `ids` (every unread one when `None`) of `user` read.
    MarkRead {
        user: UserId,
        ids: Option<Vec<NotificationId>>,
        meta: CmdMeta,
        reply: RpcReplyPort<Result<Marked, CommandError>>,
    },
    /// Tell someone about a change made outside the actors (an invitation
    /// accepted): one `notificationCreated`, by `by`. Fire and forget.
    Notify { notification: Box<pt_protocol::Notification> },
}

pub struct InboxArgs {
    pub tenant: TenantId,
    pub store: Arc<dyn Store>,
    pub log: ActorRef<LogMsg>,
    pub durable: watch::Receiver<u64>,
}

pub struct InboxActor;

impl InboxArgs {
    async fn mark_read(
        &mut self,
        user: UserId,
        ids: Option<Vec<NotificationId>>,
        meta: CmdMeta,
    ) -> Result<Marked, CommandError> {
        crate::log::settled(&self.log, &self.durable).await?;
        let unavailable = |e: crate::store::StoreError| CommandError::Unavailable(e.to_string());
        let UnreadAmong { unread, unknown } =
            self.store.unread_among(self.tenant, user, ids.as_deref()).await.map_err(unavailable)?;
        if let Some(first) = unknown.first() {
            return Err(CommandError::not_found("notification", first.0));
        }
        let before = self.store.unread_count(self.tenant, user).await.map_err(unavailable)?;
        let read_at = Timestamp::now();
        if unread.is_empty() {
            return Ok(Marked::Unchanged(ReadReceipt { ids: Vec::new(), read_at, unread_count: before }));
        }
        let receipt =
            ReadReceipt { unread_count: before.saturating_sub(unread.len() as u64), ids: unread.clone(), read_at };
        let event = Event::NotificationsRead { user_id: user, ids: unread, read_at };
        match sequence(&self.log, &self.durable, meta, event, &receipt).await? {
            Sequenced::New { first_seq, last_seq, durable } => Ok(Marked::Accepted(Accepted {
                first_seq,
                last_seq,
                value: receipt,
                duplicate: false,
                durable: crate::command::DurableWait::Channel(durable),
            })),
            Sequenced::Replay(acc) => Ok(Marked::Accepted(acc)),
        }
    }
}

impl Actor for InboxActor {
    type Msg = InboxMsg;
    type State = InboxArgs;
    type Arguments = InboxArgs;

    async fn pre_start(&self, _myself: ActorRef<InboxMsg>, args: InboxArgs) -> Result<InboxArgs, ActorProcessingErr> {
        Ok(args)
    }

    async fn handle(
        &self,
        _myself: ActorRef<InboxMsg>,
        msg: InboxMsg,
        s: &mut InboxArgs,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            InboxMsg::MarkRead { user, ids, meta, reply } => {
                let _ = reply.send(s.mark_read(user, ids, meta).await);
            }
            InboxMsg::Notify { notification } => {
                let meta = CmdMeta { cmd_id: pt_protocol::CmdId::new(), request_hash: 0, by: notification.by.clone() };
                let event = Event::NotificationCreated { notification: (*notification).clone() };
                if let Err(e) = sequence(&s.log, &s.durable, meta, event, &*notification).await {
                    tracing::warn!(error = %e, "could not record a notification");
                }
            }
        }
        Ok(())
    }
}
