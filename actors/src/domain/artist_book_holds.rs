//! The hold queue of one artist: holds on overlapping time rank by age
//! (1st, 2nd, …; see `hold_rank`), and a later hold of another project may
//! *challenge* the 1st. The challenge brings the 1st hold's expiry forward to
//! a deadline; its holder confirms (pencil or confirmed) or releases before
//! then, or the hold lapses through the ordinary expiry timer and every hold
//! behind it moves up by one. Nothing here needs a timer of its own: the
//! deadline *is* the hold's `expiresAt`, which survives restarts and is
//! resolved at once when overdue on activation.

use super::{ArtistBook, DecideCtx, stamp};
use crate::error::DomainError;
use pt_protocol::{Booking, BookingId, BookingStatus, Event};

/// How long the holder of a challenged 1st hold has to answer.
pub const CHALLENGE_MICROS: i64 = 24 * 3_600 * 1_000_000;

impl ArtistBook {
    /// Challenge the 1st hold `id` (at `version`, when given) with the hold
    /// `by`: a later hold of another project on an overlapping slot of the
    /// same artist. The 1st hold keeps its rank until it lapses at
    /// `min(expiresAt, now + window)`; confirming or releasing it before then
    /// answers the challenge (any change of status clears it).
    pub fn decide_challenge(
        &self,
        id: BookingId,
        by: BookingId,
        version: Option<u64>,
        window_micros: i64,
        ctx: &DecideCtx,
    ) -> Result<Event, DomainError> {
        let held = self.bookings.get(&id).ok_or(DomainError::NotFound { entity: "booking", id: id.0 })?;
        if let Some(v) = version
            && v != held.version
        {
            return Err(DomainError::VersionMismatch { expected: v, current: held.version });
        }
        let challenger = self.bookings.get(&by).ok_or(DomainError::NotFound { entity: "booking", id: by.0 })?;
        let refuse = |why: String| Err(DomainError::Unprocessable(why));
        if held.status != BookingStatus::Hold {
            return refuse(format!("only a 1st hold can be challenged; this booking is {}", held.status));
        }
        let rank = self.hold_rank(held).unwrap_or(0);
        if rank != 1 {
            return refuse(format!("only the 1st hold on a slot can be challenged; this one is hold {rank}"));
        }
        if challenger.status != BookingStatus::Hold || !challenger.range().overlaps(&held.range()) {
            return refuse("the challenger must be a hold on the same slot, behind the 1st".into());
        }
        if challenger.project_id.is_some() && challenger.project_id == held.project_id {
            return refuse("a hold cannot challenge a hold of its own project".into());
        }
        if let Some(current) = held.challenged_by {
            return refuse(format!("this hold is already challenged (by booking {current})"));
        }
        let deadline = ctx.now.plus_micros(window_micros.max(0));
        let mut booking = Booking::clone(held);
        booking.challenged_by = Some(by);
        booking.expires_at = Some(booking.expires_at.map_or(deadline, |at| at.min(deadline)));
        stamp(&mut booking, ctx);
        Ok(Event::BookingUpdated { booking: booking.into() })
    }
}
