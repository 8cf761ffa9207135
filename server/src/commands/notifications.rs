//! Notification commands: marking one's own notifications read. Any signed-in
//! member may, and only their own: the recipient is always the sender's user,
//! never a parameter, so nobody can touch another's inbox (an id that is not
//! the sender's answers `not_found`, like one that does not exist).

use super::{Ctx, Decision};
use crate::error::ApiError;
use pt_actors::CmdInput;
use pt_actors::inbox_actor::Marked;
use pt_protocol::notification::ReadReceipt;
use pt_protocol::ws::Command;

/// Most ids one command may name.
pub const MAX_IDS: usize = 500;

pub async fn execute(cx: Ctx<'_>, command: Command, input: CmdInput) -> Result<Decision<ReadReceipt>, ApiError> {
    let Command::ReadNotifications { ids } = command else {
        return Err(ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            pt_protocol::ErrorCode::Internal,
            "not a notification command",
        ));
    };
    if let Some(ids) = &ids
        && (ids.is_empty() || ids.len() > MAX_IDS)
    {
        return Err(ApiError::invalid(
            "ids",
            format!("name 1 to {MAX_IDS} notifications, or leave `ids` out to mark every unread one"),
        ));
    }
    let user = cx.who.principal.user_id;
    Ok(match cx.tenant.mark_read(user, ids, input).await? {
        Marked::Accepted(acc) => Decision::Accepted(acc),
        Marked::Unchanged(receipt) => Decision::Unchanged(receipt),
    })
}
