//! Reminders before a hold lapses: 24 hours before an unchallenged hold's
//! expiry ("holdExpiring") and 2 hours before a challenged 1st hold's
//! deadline ("challengeDeadline"), to the holder and the linked freelancer.
//! A reminder is only given when its time came after the hold's last change
//! (a hold placed for two hours gets no 24-hour reminder). Each has a
//! deterministic id — the booking, the kind, the expiry it is about and the
//! recipient — so the actor can tell one already given (`reminded`), across
//! restarts too, and a repeat is dropped by the store.

use super::ArtistBook;
use super::notify::{Draft, NotifyCtx, describe, user_of};
use pt_protocol::notification::{Notification, NotificationId, NotificationKind};
use pt_protocol::{Booking, BookingId, Timestamp, UserId};

const HOUR: i64 = 3_600_000_000;
/// How long before an unchallenged hold lapses its holder is reminded.
pub const EXPIRY_LEAD: i64 = 24 * HOUR;
/// How long before a challenge's deadline its holder is reminded.
pub const CHALLENGE_LEAD: i64 = 2 * HOUR;

/// The id of the reminder of `kind` to `user` about `b` lapsing at `expires_at`.
pub fn reminder_id(b: BookingId, kind: NotificationKind, expires_at: Timestamp, user: UserId) -> NotificationId {
    let name = format!("{}/{}/{}", kind.as_str(), expires_at.micros(), user.0);
    NotificationId(uuid::Uuid::new_v5(&b.0, name.as_bytes()))
}

/// The reminder `b` is due at `now` (kind, lead), if any.
fn due(b: &Booking, expires_at: Timestamp, now: Timestamp) -> Option<(NotificationKind, i64)> {
    let (kind, lead) = match b.challenged_by {
        Some(_) => (NotificationKind::ChallengeDeadline, CHALLENGE_LEAD),
        None => (NotificationKind::HoldExpiring, EXPIRY_LEAD),
    };
    let at = expires_at.plus_micros(-lead);
    (at <= now && now < expires_at && at > b.updated_at).then_some((kind, lead))
}

impl ArtistBook {
    /// When the timer should next look for reminders: the first time after
    /// `now` one of them comes due.
    pub fn next_reminder(&self, now: Timestamp) -> Option<Timestamp> {
        [EXPIRY_LEAD, CHALLENGE_LEAD]
            .into_iter()
            .filter_map(|lead| {
                let from = (now.plus_micros(lead + 1), BookingId::from_u128(0));
                self.expiries.range(from..).next().map(|&(at, _)| at.plus_micros(-lead))
            })
            .min()
    }

    /// Reminders due at `ctx.now` that `reminded` does not know yet.
    pub fn due_reminders(&self, ctx: &NotifyCtx<'_>, reminded: &dyn Fn(NotificationId) -> bool) -> Vec<Notification> {
        let until = (ctx.now.plus_micros(EXPIRY_LEAD), BookingId::from_u128(u128::MAX));
        let mut out = Vec::new();
        for &(expires_at, id) in self.expiries.range(..=until) {
            let Some(b) = self.bookings.get(&id) else { continue };
            let Some((kind, lead)) = due(b, expires_at, ctx.now) else { continue };
            let hours = lead / HOUR;
            let draft = Draft {
                kind,
                title: match kind {
                    NotificationKind::ChallengeDeadline => format!("{hours} hours left to answer the challenge"),
                    _ => format!("Your hold lapses in {hours} hours"),
                },
                body: format!("{} — confirm or release it before it lapses", describe(b, &self.artist.name)),
                booking_id: Some(b.id),
                artist_id: Some(b.artist_id),
            };
            for user in [user_of(&b.created_by), (ctx.linked)(b.artist_id)].into_iter().flatten() {
                let nid = reminder_id(b.id, kind, expires_at, user);
                if reminded(nid) || out.iter().any(|n: &Notification| n.id == nid) {
                    continue;
                }
                out.extend(draft.to(user, nid, (ctx.prefs)(user, kind), ctx.by, ctx.now));
            }
        }
        out
    }
}
