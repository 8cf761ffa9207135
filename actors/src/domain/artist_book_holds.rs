//! The hold queue of one artist: holds on overlapping time rank by age
//! (1st, 2nd, …; see `hold_rank`), and a later hold of another project may
//! *challenge* the 1st. The challenge brings the 1st hold's expiry forward to
//! a deadline; its holder confirms (pencil or confirmed) or releases before
//! then, or the hold lapses through the ordinary expiry timer and every hold
//! behind it moves up by one. Nothing here needs a timer of its own: the
//! deadline *is* the hold's `expiresAt`, which survives restarts and is
//! resolved at once when overdue on activation.
//!
//! The waiting list: a pencil or confirmed request whose slot is taken may
//! wait as a hold instead (`queueIfBusy`), marked with the status it asked
//! for (`queuedFor`). Once it is the 1st hold and the slot is free (the
//! booking in the way was cancelled, moved or shortened) and the artist still
//! works that time, it takes that status by itself (`decide_place_queued`).

use super::{ArtistBook, DecideCtx, stamp};
use crate::error::DomainError;
use pt_protocol::{Booking, BookingId, BookingStatus, Event};

/// A hold on the waiting list.
pub(super) fn waits(b: &Booking) -> bool {
    b.status == BookingStatus::Hold && b.queued_for.is_some()
}

/// The hold a refused pencil or confirmed request `b` waits as: it asked
/// for `b.status`, and lasts as long as a new hold does.
pub(super) fn queued(mut b: Booking, ctx: &DecideCtx) -> Booking {
    b.queued_for = Some(b.status);
    b.status = BookingStatus::Hold;
    b.expires_at = Some(ctx.now.plus_micros(ctx.default_hold_micros));
    b
}

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

    /// Whether any hold waits on the list (a counter: asked after every change).
    pub fn has_queued(&self) -> bool {
        self.waiting > 0
    }

    /// The first waiting hold whose turn has come — the 1st hold on its slot,
    /// the slot free and workable — as the status it asked for; `None` when
    /// none has. Call again after applying it: placing one may unblock none
    /// other (the slot is taken again), but a later slot may be free too.
    pub fn decide_place_queued(&self, ctx: &DecideCtx) -> Option<Event> {
        let mut waiting: Vec<&Booking> = self.bookings.values().map(|b| &**b).filter(|b| waits(b)).collect();
        waiting.sort_by_key(|b| (b.created_at, b.id));
        waiting.into_iter().find_map(|b| {
            let to = b.queued_for?;
            // The cheap checks first: this runs after every change of the artist's.
            if self.hold_rank(b) != Some(1) || !self.conflicts(b.range(), Some(b.id)).is_empty() {
                return None;
            }
            // Then the ordinary promotion, with its checks and what it clears.
            self.decide_transition(b.id, b.version, to, None, ctx).ok()
        })
    }
}
