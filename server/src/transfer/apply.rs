//! A real import: every checked row through the one command layer
//! ([`commands::execute`], what REST and the WebSocket run), in file order,
//! answered once every change is durable.
//!
//! The file was checked just before, but the studio may change in between
//! (another user books the same slot). If a row is refused then, or a write
//! does not become durable, what the import created is undone by
//! compensating commands — artists archived, bookings cancelled (bookings are
//! never erased: they stay, cancelled, in the audit trail) — and the caller
//! learns which row failed and why.

use super::check::{PlannedArtist, PlannedBooking};
use crate::commands::{self, Command, Ctx, Decision, Done};
use crate::error::ApiError;
use crate::extract::CmdKey;
use pt_actors::Accepted;
use pt_protocol::{ArtistId, BookingId, CmdId};
use uuid::Uuid;

/// How a real import ended.
#[derive(Debug)]
pub enum Outcome {
    /// Every row written and durable: the ids created, in file order.
    Done(Vec<Uuid>),
    /// Row `line` failed (`error`); the ids created before it were undone.
    Failed { line: u64, error: ApiError, reverted: Vec<Uuid> },
}

/// What to undo: an artist to archive or a booking to cancel.
#[derive(Clone, Copy)]
enum Created {
    Artist(ArtistId),
    Booking(BookingId),
}

impl Created {
    fn id(self) -> Uuid {
        match self {
            Self::Artist(id) => id.0,
            Self::Booking(id) => id.0,
        }
    }
}

fn fresh(cx: Ctx<'_>, what: &str, body: &impl serde::Serialize) -> pt_actors::CmdInput {
    CmdKey { cmd_id: CmdId::new(), client_chosen: false }.input(what, body, cx.who)
}

/// Creates every artist row.
pub async fn artists(cx: Ctx<'_>, rows: Vec<PlannedArtist>) -> Outcome {
    let mut created = Vec::new();
    let mut pending = Vec::new();
    for row in rows {
        let input = fresh(cx, "POST /import/artists", &row.artist);
        match commands::execute(cx, Command::CreateArtist { artist: row.artist }, input).await {
            Ok(Done::Artist(Decision::Accepted(acc))) => {
                created.push(Created::Artist(acc.value.id));
                pending.push((row.line, acc.map(|_| ())));
            }
            Ok(_) => return undo(cx, created, row.line, unexpected()).await,
            Err(error) => return undo(cx, created, row.line, error).await,
        }
    }
    settle(cx, created, pending).await
}

/// Creates every booking row (and ends the cancelled and expired ones).
pub async fn bookings(cx: Ctx<'_>, rows: Vec<PlannedBooking>) -> Outcome {
    let mut created = Vec::new();
    let mut pending = Vec::new();
    for row in rows {
        let input = fresh(cx, "POST /import/bookings", &row.booking);
        let acc = match commands::execute(cx, Command::CreateBooking { booking: row.booking }, input).await {
            Ok(Done::Booking(Decision::Accepted(acc))) => acc,
            Ok(_) => return undo(cx, created, row.line, unexpected()).await,
            Err(error) => return undo(cx, created, row.line, error).await,
        };
        let (id, version) = (acc.value.booking.id, acc.value.booking.version);
        created.push(Created::Booking(id));
        pending.push((row.line, acc.map(|_| ())));
        if let Some(to) = row.then {
            let cmd = Command::TransitionBooking { id, version, to, allow_overtime: None };
            let input = fresh(cx, "POST /import/bookings", &(id, to));
            match commands::execute(cx, cmd, input).await {
                Ok(Done::Booking(Decision::Accepted(acc))) => pending.push((row.line, acc.map(|_| ()))),
                Ok(_) => return undo(cx, created, row.line, unexpected()).await,
                Err(error) => return undo(cx, created, row.line, error).await,
            }
        }
    }
    settle(cx, created, pending).await
}

fn unexpected() -> ApiError {
    ApiError::from(pt_actors::CommandError::Internal("a create command answered without creating".into()))
}

/// Waits until every accepted change is durable; a change that is not
/// undoes the import.
async fn settle(cx: Ctx<'_>, created: Vec<Created>, pending: Vec<(u64, Accepted<()>)>) -> Outcome {
    for (line, mut acc) in pending {
        if let Err(e) = cx.tenant.wait_durable(&mut acc).await {
            return undo(cx, created, line, e.into()).await;
        }
    }
    Outcome::Done(created.into_iter().map(Created::id).collect())
}

/// Undoes `created`, newest first, through the same command layer.
async fn undo(cx: Ctx<'_>, created: Vec<Created>, line: u64, error: ApiError) -> Outcome {
    let mut reverted = Vec::new();
    for c in created.into_iter().rev() {
        let cmd = match c {
            Created::Artist(id) => Command::ArchiveArtist { id },
            Created::Booking(id) => Command::CancelBooking { id, version: None },
        };
        let input = fresh(cx, "import: undo", &c.id());
        let undone = match commands::execute(cx, cmd, input).await {
            Ok(Done::Artist(Decision::Accepted(mut acc))) => cx.tenant.wait_durable(&mut acc).await.map_err(Into::into),
            Ok(Done::Booking(Decision::Accepted(mut acc))) => {
                cx.tenant.wait_durable(&mut acc).await.map_err(Into::into)
            }
            Ok(_) => Ok(0),
            Err(e) => Err(e),
        };
        match undone {
            Ok(_) => reverted.push(c.id()),
            Err(e) => tracing::error!(id = %c.id(), code = %e.code, "import: could not undo a created row"),
        }
    }
    reverted.reverse();
    Outcome::Failed { line, error, reverted }
}
