//! Booking commands: book, change, move, change status, cancel, answer.
//!
//! | command | needs |
//! |---|---|
//! | `createBooking` | `bookings:create` |
//! | `updateBooking` | `bookings:update` |
//! | `transitionBooking` | `bookings:update` |
//! | `cancelBooking` | `bookings:update` |
//! | `respondToBooking` | `bookings:respond`, on a hold or pencil (else `422`) |
//! | `challengeHold` | `bookings:update`; the 1st hold, by a later hold of another project on its slot (else `422`) |
//!
//! Every command on an existing booking first checks the caller may see it
//! (a freelancer's view of another artist's booking is `404`), then the
//! permission (`403` naming it). Conflicts, versions and shapes are decided
//! by the artist's actor.

use super::{Command, Ctx, Decision, access};
use crate::auth::Permission;
use crate::error::ApiError;
use pt_actors::CmdInput;
use pt_protocol::booking::BookingView;
use pt_protocol::{BookingAnswer, BookingStatus};

pub async fn execute(cx: Ctx<'_>, command: Command, input: CmdInput) -> Result<Decision<BookingView>, ApiError> {
    let (who, t) = (cx.who, cx.tenant);
    let accepted = match command {
        Command::CreateBooking { booking } => {
            who.require(Permission::BookingsCreate)?;
            t.create_booking(booking, input).await?
        }
        Command::UpdateBooking { id, patch } => {
            access::readable_booking(who, t, id).await?;
            who.require(Permission::BookingsUpdate)?;
            t.update_booking(id, patch, input).await?
        }
        Command::TransitionBooking { id, version, to, allow_overtime } => {
            access::readable_booking(who, t, id).await?;
            who.require(Permission::BookingsUpdate)?;
            t.transition_booking(id, version, to, allow_overtime, input).await?
        }
        Command::CancelBooking { id, version } => {
            let current = access::readable_booking(who, t, id).await?;
            who.require(Permission::BookingsUpdate)?;
            if !current.booking.status.is_active() {
                return Ok(Decision::Unchanged(current));
            }
            let version = version.unwrap_or(current.booking.version);
            t.transition_booking(id, version, BookingStatus::Cancelled, None, input).await?
        }
        Command::ChallengeHold { id, by, version } => {
            access::readable_booking(who, t, id).await?;
            who.require(Permission::BookingsUpdate)?;
            access::readable_booking(who, t, by).await?;
            t.challenge_hold(id, by, version, input).await?
        }
        Command::RespondToBooking { id, response, version } => {
            let current = access::readable_booking(who, t, id).await?;
            who.require(Permission::BookingsRespond)?;
            if !matches!(current.booking.status, BookingStatus::Hold | BookingStatus::Pencil) {
                return Err(ApiError::unprocessable(format!(
                    "only a hold or a pencil awaits an answer; this booking is {}",
                    current.booking.status
                )));
            }
            let to = match response {
                BookingAnswer::Accept => BookingStatus::Confirmed,
                BookingAnswer::Decline => BookingStatus::Cancelled,
            };
            let version = version.unwrap_or(current.booking.version);
            // A freelancer accepting work over their own time off means it.
            let allow_overtime = (to == BookingStatus::Confirmed).then_some(true);
            t.transition_booking(id, version, to, allow_overtime, input).await?
        }
        other => unreachable!("not a booking command: {}", super::kind(&other)),
    };
    Ok(Decision::Accepted(accepted))
}
