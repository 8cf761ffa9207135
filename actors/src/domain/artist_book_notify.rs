//! Who is told about a booking change, decided by the artist that decides the
//! change, from its state *before* the change and the event *after* it. The
//! notifications travel as `notificationCreated` events of the same command,
//! so a stored change never lacks them (docs/semantics.md, "Notifications").
//!
//! Recipients are users: the freelancer linked to the artist (told about
//! their own bookings) and the hold's holder, the user who created it (told
//! about its place in the queue). Nobody is told about their own change.

use super::ArtistBook;
use pt_protocol::notification::{ChannelChoice, Notification, NotificationId, NotificationKind};
use pt_protocol::{ArtistId, Booking, BookingId, BookingStatus, Event, Timestamp, UserId};

/// What the rules need besides the book: who acts, when, which user is
/// linked to an artist (a freelancer's own artist), and where each user
/// wants each kind (their preferences).
pub struct NotifyCtx<'a> {
    pub by: &'a str,
    pub now: Timestamp,
    pub linked: &'a dyn Fn(ArtistId) -> Option<UserId>,
    pub prefs: &'a dyn Fn(UserId, NotificationKind) -> ChannelChoice,
}

/// The user a `by` / `createdBy` label names (`user:<id>`, maybe followed by
/// `/token:…` or `/oidc`); `None` for `system:*` and anything else.
pub fn user_of(label: &str) -> Option<UserId> {
    let rest = label.strip_prefix("user:")?;
    let id = rest.split('/').next()?;
    uuid::Uuid::parse_str(id).ok().map(UserId)
}

/// What a notification says, before it has a recipient.
pub struct Draft {
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub booking_id: Option<BookingId>,
    pub artist_id: Option<ArtistId>,
}

impl Draft {
    /// The notification to `user` as their preferences want it (`choice`):
    /// none when wanted nowhere; kept in the inbox as read when wanted by
    /// email only.
    pub fn to(
        &self,
        user: UserId,
        id: NotificationId,
        choice: ChannelChoice,
        by: &str,
        now: Timestamp,
    ) -> Option<Notification> {
        (choice.in_app || choice.email).then(|| Notification {
            id,
            user_id: user,
            kind: self.kind,
            title: self.title.clone(),
            body: self.body.clone(),
            booking_id: self.booking_id,
            artist_id: self.artist_id,
            by: by.to_owned(),
            created_at: now,
            read_at: (!choice.in_app).then_some(now),
            email: choice.email,
        })
    }
}

/// Notifications under construction: one per (user, kind), never to the actor.
struct Notes<'a> {
    ctx: &'a NotifyCtx<'a>,
    actor: Option<UserId>,
    out: Vec<Notification>,
}

impl Notes<'_> {
    fn add(&mut self, to: Option<UserId>, kind: NotificationKind, b: &Booking, artist: &str, title: String) {
        let Some(user) = to else { return };
        if Some(user) == self.actor || self.out.iter().any(|n| n.user_id == user && n.kind == kind) {
            return;
        }
        let draft =
            Draft { kind, title, body: describe(b, artist), booking_id: Some(b.id), artist_id: Some(b.artist_id) };
        let choice = (self.ctx.prefs)(user, kind);
        self.out.extend(draft.to(user, NotificationId::new(), choice, self.ctx.by, self.ctx.now));
    }
}

/// `[start, end)` as days: "2026-12-07 → 2026-12-11", or one day.
pub(super) fn days(start: Timestamp, end: Timestamp) -> String {
    let day = |t: Timestamp| t.to_rfc3339().chars().take(10).collect::<String>();
    let (first, last) = (day(start), day(end.plus_micros(-1).max(start)));
    if first == last { first } else { format!("{first} → {last}") }
}

/// "“Comp — Nova” for Ana Ruiz, 2026-12-07 → 2026-12-11 (hold)".
pub(super) fn describe(b: &Booking, artist: &str) -> String {
    format!("“{}” for {artist}, {} ({})", b.title, days(b.start_time, b.end_time), b.status.as_str())
}

impl ArtistBook {
    /// The notifications `event` (decided by this book, not yet applied)
    /// causes. Empty for most changes: only linked artists and other
    /// people's holds have someone to tell.
    pub fn notifications_for(&self, event: &Event, ctx: &NotifyCtx<'_>) -> Vec<Notification> {
        let Some(after) = event.booking() else { return Vec::new() };
        let before = self.bookings.get(&after.id).map(|b| &**b);
        let mut notes = Notes { ctx, actor: user_of(ctx.by), out: Vec::new() };
        let artist = self.artist.name.as_str();
        let freelancer = (ctx.linked)(after.artist_id);
        let holder = user_of(&after.created_by);
        match (event, before) {
            (Event::BookingCreated { .. }, _) => {
                notes.add(freelancer, NotificationKind::BookingOffered, after, artist, "New booking for you".into());
            }
            (Event::BookingMoved { from_artist_id, .. }, _) => {
                let title = "A booking was moved to you".to_owned();
                notes.add(freelancer, NotificationKind::BookingOffered, after, artist, title);
                let title = "A booking moved to another artist".to_owned();
                notes.add((ctx.linked)(*from_artist_id), NotificationKind::BookingCancelled, after, artist, title);
            }
            (Event::BookingStatusChanged { from, .. }, _) => {
                self.on_status(&mut notes, *from, after, freelancer, holder);
            }
            (Event::BookingUpdated { .. }, Some(before)) => {
                if before.challenged_by.is_none() && after.challenged_by.is_some() {
                    let title = "Your 1st hold was challenged: confirm or release it".to_owned();
                    notes.add(holder, NotificationKind::HoldChallenged, after, artist, title.clone());
                    notes.add(freelancer, NotificationKind::HoldChallenged, after, artist, title);
                } else if before.range() != after.range() || before.title != after.title || before.notes != after.notes
                {
                    notes.add(
                        freelancer,
                        NotificationKind::BookingChanged,
                        after,
                        artist,
                        "Your booking changed".into(),
                    );
                }
            }
            _ => {}
        }
        self.promotions(&mut notes, after);
        notes.out
    }

    fn on_status(
        &self,
        notes: &mut Notes<'_>,
        from: BookingStatus,
        after: &Booking,
        freelancer: Option<UserId>,
        holder: Option<UserId>,
    ) {
        use NotificationKind as K;
        let artist = self.artist.name.as_str();
        match after.status {
            BookingStatus::Confirmed => {
                notes.add(freelancer, K::BookingConfirmed, after, artist, "Booking confirmed".into())
            }
            BookingStatus::Cancelled => {
                notes.add(freelancer, K::BookingCancelled, after, artist, "Booking cancelled".into())
            }
            BookingStatus::Expired => notes.add(freelancer, K::BookingCancelled, after, artist, "A hold lapsed".into()),
            BookingStatus::Pencil | BookingStatus::Hold => {
                notes.add(freelancer, K::BookingChanged, after, artist, format!("Now {}", after.status.as_str()))
            }
        }
        if from == BookingStatus::Hold && notes.ctx.by == "system:queue" {
            let title = format!("Your waiting request got its slot: now {}", after.status.as_str());
            notes.add(holder, K::QueuePlaced, after, artist, title);
        } else if from == BookingStatus::Hold
            && matches!(after.status, BookingStatus::Expired | BookingStatus::Cancelled)
        {
            let title = if after.status == BookingStatus::Expired {
                "Your hold lapsed and was released"
            } else {
                "Your hold was released"
            };
            notes.add(holder, K::HoldReleased, after, artist, title.into());
        }
    }

    /// Holds behind `after`'s old self on its slot whose rank improves
    /// because it stops counting for them (released, confirmed, moved or
    /// shortened): their holders hear they moved up.
    fn promotions(&self, notes: &mut Notes<'_>, after: &Booking) {
        let Some(before) = self.bookings.get(&after.id) else { return };
        if before.status != BookingStatus::Hold {
            return;
        }
        let still_here = after.status == BookingStatus::Hold && after.artist_id == before.artist_id;
        let artist = self.artist.name.as_str();
        for (id, _) in self.calendar.overlapping_holds(before.range()) {
            let Some(other) = self.bookings.get(&id) else { continue };
            let behind = (other.created_at, other.id) > (before.created_at, before.id);
            if !behind || (still_here && after.range().overlaps(&other.range())) {
                continue;
            }
            let Some(rank) = self.hold_rank(other) else { continue };
            let title = match rank - 1 {
                1 => "Your hold moved up to 1st".to_owned(),
                n => format!("Your hold moved up to hold {n}"),
            };
            notes.add(user_of(&other.created_by), NotificationKind::HoldPromoted, other, artist, title);
        }
    }
}

/// Who is told that time off was decided: who asked for it and the
/// freelancer linked to the artist (once each, never the decider).
pub fn time_off_decided(
    artist: &pt_protocol::Artist,
    id: pt_protocol::TimeOffId,
    ctx: &NotifyCtx<'_>,
) -> Vec<Notification> {
    let Some(t) = artist.time_off.iter().find(|t| t.id == id) else { return Vec::new() };
    let verdict = format!("{:?}", t.status).to_lowercase();
    let draft = Draft {
        kind: NotificationKind::TimeOffDecided,
        title: format!("Time off {verdict}"),
        body: format!("{}'s time off {} was {verdict}", artist.name, days(t.start, t.end)),
        booking_id: None,
        artist_id: Some(artist.id),
    };
    let actor = user_of(ctx.by);
    let mut out: Vec<Notification> = Vec::new();
    for user in [user_of(&t.requested_by), (ctx.linked)(artist.id)].into_iter().flatten() {
        if Some(user) == actor || out.iter().any(|n| n.user_id == user) {
            continue;
        }
        let choice = (ctx.prefs)(user, draft.kind);
        out.extend(draft.to(user, NotificationId::new(), choice, ctx.by, ctx.now));
    }
    out
}
