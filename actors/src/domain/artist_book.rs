//! One artist's bookings and the rules that guard them.
//!
//! An [`ArtistBook`] holds every booking of one artist (whatever its status), a
//! [`Calendar`] of the active ones, and reservations for bookings on their way in
//! from another artist. It is a pure state machine:
//!
//! * `decide_*` (`&self`) turn a command into the [`Event`] to apply, or a
//!   [`DomainError`]; they never change anything, so a refused command leaves no
//!   trace.
//! * [`ArtistBook::apply`] applies an event. Events carry whole entity states, so
//!   applying is "replace": idempotent, and a replay of the log rebuilds an equal
//!   book.
//!
//! A move to another artist spans two books and is driven from outside: the
//! source prepares the candidate ([`ArtistBook::prepare_move`]), the target checks
//! and reserves its slot ([`ArtistBook::check_incoming`], [`ArtistBook::reserve`]),
//! then the source emits the move ([`ArtistBook::decide_move_out`]) and both apply
//! it. If the source refuses at the last step, the target releases the slot.

use crate::domain::availability::Week;
use crate::domain::calendar::Calendar;
use crate::domain::settings::StudioSettings;
use crate::domain::validate;
use crate::error::{ConflictInfo, DomainError};
use pt_protocol::booking::BookingView;
use pt_protocol::time::{MAX_TIMESTAMP, MICROS_PER_DAY, MIN_TIMESTAMP};
use pt_protocol::{Artist, Booking, BookingId, BookingPatch, BookingStatus, Event, NewBooking, TimeRange, Timestamp};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// How far from the requested start a conflict answer looks for free windows.
pub const FREE_WINDOW_HORIZON_MICROS: i64 = 90 * MICROS_PER_DAY;
/// How many free windows a conflict answer offers.
pub const FREE_WINDOW_COUNT: usize = 3;

/// What a decision needs besides the state: the clock, who acts, studio defaults.
#[derive(Clone, Debug)]
pub struct DecideCtx {
    pub now: Timestamp,
    /// Shared by the bookings this decision stamps (`createdBy`, `updatedBy`).
    pub by: Arc<str>,
    /// How long a new hold lives when the request gives no `expiresAt`.
    pub default_hold_micros: i64,
}

/// Answer to "is this artist free for this range?".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckResult {
    /// No exclusive booking in the way and the artist works all of it.
    pub available: bool,
    /// Where the range meets time off, a holiday or non-working hours.
    pub unavailable: Vec<pt_protocol::Unavailability>,
    /// Exclusive bookings in the way.
    pub conflicts: Vec<Booking>,
    /// Active holds overlapping the range (they do not block).
    pub holds: Vec<BookingView>,
    /// Nearest free windows of the same length (empty when available).
    pub free_windows: Vec<TimeRange>,
}

/// An artist's calendar over a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Availability {
    pub range: TimeRange,
    /// Free working time (no holiday, approved time off or exclusive
    /// booking), from now on.
    pub free: Vec<TimeRange>,
    /// Active bookings overlapping the period, by start.
    pub bookings: Vec<BookingView>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArtistBook {
    artist: Artist,
    /// The studio's settings (working week, holidays); `None` in unit tests
    /// of the booking rules, where every hour is working time.
    studio: Option<Arc<StudioSettings>>,
    /// When the artist works, from `artist` and `studio`.
    week: Arc<Week>,
    /// Active bookings plus reservations (as exclusive entries).
    calendar: Calendar,
    /// Every booking of this artist, whatever its status. Ordered, so iteration
    /// (and anything built from it) is deterministic. Each is the `Arc` its
    /// event carried, shared with the view and the log's tail (one copy).
    bookings: BTreeMap<BookingId, Arc<Booking>>,
    /// Candidates of incoming moves holding their slot until the move lands.
    reservations: BTreeMap<BookingId, Booking>,
    /// `(expires_at, id)` of active holds, for timers and sweeps.
    expiries: BTreeSet<(Timestamp, BookingId)>,
    /// How many holds wait on the list (`queuedFor`): 0 spares the actor a
    /// look after each change.
    waiting: usize,
}

impl ArtistBook {
    /// A book in which every hour is working time (the booking rules alone).
    pub fn new(artist: Artist) -> Self {
        Self {
            artist,
            studio: None,
            week: Arc::new(Week::always()),
            calendar: Calendar::new(),
            bookings: BTreeMap::new(),
            reservations: BTreeMap::new(),
            expiries: BTreeSet::new(),
            waiting: 0,
        }
    }

    pub fn artist(&self) -> &Artist {
        &self.artist
    }

    /// A book that keeps the artist's working hours and the studio's holidays.
    pub fn with_studio(artist: Artist, studio: Arc<StudioSettings>) -> Self {
        let mut book = Self::new(artist);
        book.set_studio(studio);
        book
    }

    pub fn set_artist(&mut self, artist: Artist) {
        self.artist = artist;
        if let Some(studio) = &self.studio {
            self.week = Arc::new(Week::of(&self.artist, studio));
        }
    }

    /// The studio's settings changed (working week, holidays).
    pub fn set_studio(&mut self, studio: Arc<StudioSettings>) {
        self.week = Arc::new(Week::of(&self.artist, &studio));
        self.studio = Some(studio);
    }

    pub fn week(&self) -> &Week {
        &self.week
    }

    /// The interval index (read-only), for callers and tests that query it directly.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    pub fn get(&self, id: BookingId) -> Option<&Booking> {
        self.bookings.get(&id).map(|b| &**b)
    }

    pub fn view(&self, id: BookingId) -> Option<BookingView> {
        self.bookings.get(&id).map(|b| self.view_of(b))
    }

    /// Every booking, whatever its status, by id.
    pub fn bookings(&self) -> impl Iterator<Item = &Booking> {
        self.bookings.values().map(|b| &**b)
    }

    /// Every booking (any status) overlapping `range` (all when `None`), by start.
    pub fn views_in(&self, range: Option<TimeRange>) -> Vec<BookingView> {
        // Cancelled and expired bookings are not indexed, so this is a scan; it is
        // a read, answered once per request, not once per decision.
        let mut views: Vec<_> = self
            .bookings
            .values()
            .filter(|b| range.is_none_or(|r| r.overlaps(&b.range())))
            .map(|b| self.view_of(b))
            .collect();
        views.sort_by_key(|v| (v.booking.start_time, v.booking.id));
        views
    }

    pub fn decide_create(&self, id: BookingId, new: &NewBooking, ctx: &DecideCtx) -> Result<Event, DomainError> {
        let mut errs = validate::new_booking(new, ctx.now);
        if new.artist_id != self.artist.id {
            errs.push(pt_protocol::FieldError::new("artistId", "artistId must be the artist this booking is made for"));
        }
        if !errs.is_empty() {
            return Err(DomainError::Invalid(errs));
        }
        self.ensure_bookable()?;
        if self.bookings.contains_key(&id) {
            return Err(DomainError::Unprocessable(format!("booking {id} already exists")));
        }
        let status = new.status.unwrap_or(BookingStatus::Pencil);
        let expires_at = (status == BookingStatus::Hold)
            .then(|| new.expires_at.unwrap_or(ctx.now.plus_micros(ctx.default_hold_micros)));
        let booking = Booking {
            id,
            artist_id: self.artist.id,
            project_id: new.project_id,
            phase_id: new.phase_id,
            title: new.title.trim().to_owned(),
            notes: new.notes.clone(),
            start_time: new.start_time,
            end_time: new.end_time,
            status,
            expires_at,
            version: 1,
            created_at: ctx.now,
            created_by: ctx.by.clone(),
            updated_at: ctx.now,
            updated_by: ctx.by.clone(),
            allow_overtime: new.allow_overtime.unwrap_or(false),
            challenged_by: None,
            queued_for: None,
        };
        if status.is_exclusive() {
            if let Err(busy) = self.ensure_free(booking.range(), None, ctx) {
                // The waiting list: the request waits as a hold (`artist_book_holds.rs`).
                if new.queue_if_busy != Some(true) || !matches!(busy, DomainError::Conflict(_)) {
                    return Err(busy);
                }
                self.ensure_workable(&booking, None, ctx)?;
                return Ok(Event::BookingCreated { booking: holds::queued(booking, ctx).into() });
            }
            self.ensure_workable(&booking, None, ctx)?;
        }
        Ok(Event::BookingCreated { booking: booking.into() })
    }

    pub fn decide_update(&self, id: BookingId, patch: &BookingPatch, ctx: &DecideCtx) -> Result<Event, DomainError> {
        let current = self.current(id, patch.version)?;
        if patch.artist_id.is_some_and(|a| a != self.artist.id) {
            return Err(DomainError::Unprocessable("moving to another artist goes through prepare_move".into()));
        }
        let booking = self.patched(current, patch, ctx)?;
        if booking.status.is_exclusive() && booking.range() != current.range() {
            self.ensure_free(booking.range(), Some(id), ctx)?;
        }
        if booking.status.is_exclusive()
            && (booking.range() != current.range() || booking.allow_overtime != current.allow_overtime)
        {
            self.ensure_workable(&booking, Some(id), ctx)?;
        }
        Ok(Event::BookingUpdated { booking: booking.into() })
    }

    /// `allow_overtime`: promote over time off, a holiday or non-working
    /// hours anyway (recorded on the booking).
    pub fn decide_transition(
        &self,
        id: BookingId,
        expected_version: u64,
        to: BookingStatus,
        allow_overtime: Option<bool>,
        ctx: &DecideCtx,
    ) -> Result<Event, DomainError> {
        let current = self.current(id, expected_version)?;
        let from = current.status;
        if !from.can_become(to) {
            return Err(DomainError::InvalidTransition { from, to });
        }
        let mut booking = Booking::clone(current);
        if let Some(allow) = allow_overtime {
            booking.allow_overtime = allow;
        }
        // A hold does not block its slot, so promoting it must check the slot now.
        if to.is_exclusive() && !from.is_exclusive() {
            self.ensure_free(current.range(), Some(id), ctx)?;
            self.ensure_workable(&booking, Some(id), ctx)?;
        }
        booking.status = to;
        if to != BookingStatus::Hold {
            booking.expires_at = None;
        }
        // Confirming or releasing answers a challenge, and ends a wait.
        booking.challenged_by = None;
        booking.queued_for = None;
        stamp(&mut booking, ctx);
        Ok(Event::BookingStatusChanged { booking: booking.into(), from })
    }

    /// The expiry of hold `id`, if it is due; `None` for anything else.
    pub fn decide_expire(&self, id: BookingId, ctx: &DecideCtx) -> Option<Event> {
        let current = self.bookings.get(&id)?;
        let due = current.status == BookingStatus::Hold && current.expires_at.is_some_and(|at| at <= ctx.now);
        if !due {
            return None;
        }
        let mut booking = Booking::clone(current);
        booking.status = BookingStatus::Expired;
        booking.expires_at = None;
        booking.challenged_by = None;
        booking.queued_for = None;
        stamp(&mut booking, ctx);
        Some(Event::BookingStatusChanged { booking: booking.into(), from: BookingStatus::Hold })
    }

    /// Active holds whose `expires_at` is at or before `now`, soonest first.
    pub fn overdue_holds(&self, now: Timestamp) -> Vec<BookingId> {
        self.expiries.range(..=(now, BookingId::from_u128(u128::MAX))).map(|&(_, id)| id).collect()
    }

    /// When the next active hold lapses.
    pub fn next_expiry(&self) -> Option<Timestamp> {
        self.expiries.first().map(|&(at, _)| at)
    }

    /// On the source: the booking as it will be on the target. Conflicts are the
    /// target's to check ([`ArtistBook::check_incoming`]).
    pub fn prepare_move(&self, id: BookingId, patch: &BookingPatch, ctx: &DecideCtx) -> Result<Booking, DomainError> {
        let Some(target) = patch.artist_id.filter(|a| *a != self.artist.id) else {
            return Err(DomainError::invalid("artistId", "artistId must name the artist to move the booking to"));
        };
        let current = self.current(id, patch.version)?;
        let mut booking = self.patched(current, patch, ctx)?;
        booking.artist_id = target;
        // A challenge is between holds on one artist's slot: it does not travel
        // (the deadline it set stays the hold's expiry).
        booking.challenged_by = None;
        Ok(booking)
    }

    /// On the target: may `candidate` come here?
    pub fn check_incoming(&self, candidate: &Booking, ctx: &DecideCtx) -> Result<(), DomainError> {
        if candidate.artist_id != self.artist.id {
            return Err(DomainError::invalid("artistId", "artistId must be the artist the booking moves to"));
        }
        self.ensure_bookable()?;
        if candidate.status.is_exclusive() {
            self.ensure_free(candidate.range(), Some(candidate.id), ctx)?;
            self.ensure_workable(candidate, Some(candidate.id), ctx)?;
        }
        Ok(())
    }

    /// On the target: holds the candidate's slot until the move is applied or released.
    /// Holds block nothing, so only exclusive candidates take a slot.
    pub fn reserve(&mut self, candidate: &Booking) {
        self.release_reservation(candidate.id);
        if candidate.status.is_exclusive() {
            self.calendar.insert(candidate.id, candidate.range(), true);
            self.reservations.insert(candidate.id, candidate.clone());
        }
    }

    pub fn release_reservation(&mut self, id: BookingId) {
        if let Some(r) = self.reservations.remove(&id) {
            self.calendar.remove(id, r.range(), true);
        }
    }

    /// On the source, once the target has reserved: the move itself.
    pub fn decide_move_out(&self, candidate: &Booking, expected_version: u64) -> Result<Event, DomainError> {
        self.current(candidate.id, expected_version)?;
        Ok(Event::BookingMoved { booking: candidate.clone().into(), from_artist_id: self.artist.id })
    }

    /// Applies an event. Events about other artists are ignored; applying one
    /// twice changes nothing the second time.
    pub fn apply(&mut self, event: &Event) {
        let me = self.artist.id;
        match event {
            e if e.artist().is_some() => {
                if let Some(artist) = e.artist().filter(|a| a.id == me) {
                    self.set_artist(artist.clone());
                }
            }
            Event::BookingCreated { booking }
            | Event::BookingUpdated { booking }
            | Event::BookingStatusChanged { booking, .. }
                if booking.artist_id == me =>
            {
                self.put(Arc::clone(booking));
            }
            Event::BookingMoved { booking, from_artist_id } => {
                if booking.artist_id == me {
                    self.release_reservation(booking.id);
                    self.put(Arc::clone(booking));
                } else if *from_artist_id == me {
                    self.take(booking.id);
                }
            }
            Event::BookingRestored { booking_id, booking } => self.restore(*booking_id, booking.clone()),
            // Other artists' changes; projects are the project actor's.
            _ => {}
        }
    }

    /// Makes this book agree with the store after a refused write: `durable` is
    /// the booking as the store has it (`None`: the store does not have it).
    pub fn restore(&mut self, id: BookingId, durable: Option<Arc<Booking>>) {
        self.release_reservation(id);
        match durable {
            Some(b) if b.id == id && b.artist_id == self.artist.id => self.put(b),
            _ => self.take(id),
        }
    }

    /// Whether any active booking ends after `now` (an artist with such cannot go).
    pub fn has_active_future(&self, now: Timestamp) -> bool {
        self.bookings.values().any(|b| b.status.is_active() && b.end_time > now)
    }

    // ---- helpers ----

    fn view_of(&self, b: &Booking) -> BookingView {
        BookingView { booking: b.clone(), hold_rank: self.hold_rank(b), warnings: self.warnings(b) }
    }

    /// 1 + the active holds overlapping `b` that were created before it
    /// (by `(created_at, id)`, so equal clocks still give a strict order).
    fn hold_rank(&self, b: &Booking) -> Option<u32> {
        if b.status != BookingStatus::Hold {
            return None;
        }
        let earlier = self
            .calendar
            .overlapping_holds(b.range())
            .into_iter()
            .filter_map(|(id, _)| self.bookings.get(&id))
            .filter(|o| o.id != b.id && (o.created_at, o.id) < (b.created_at, b.id))
            .count();
        Some(u32::try_from(earlier).unwrap_or(u32::MAX - 1) + 1)
    }

    fn ensure_bookable(&self) -> Result<(), DomainError> {
        if !self.artist.active || self.artist.archived_at.is_some() {
            return Err(DomainError::Unprocessable(format!(
                "artist {} is inactive and cannot be booked",
                self.artist.name
            )));
        }
        Ok(())
    }

    /// The booking `id` at `version`, still open to changes by the caller.
    fn current(&self, id: BookingId, version: u64) -> Result<&Booking, DomainError> {
        let current = self.bookings.get(&id).ok_or(DomainError::NotFound { entity: "booking", id: id.0 })?;
        if version != current.version {
            return Err(DomainError::VersionMismatch { expected: version, current: current.version });
        }
        Ok(current)
    }

    /// `current` with `patch` applied (artist unchanged), checked and stamped.
    fn patched(&self, current: &Booking, patch: &BookingPatch, ctx: &DecideCtx) -> Result<Booking, DomainError> {
        if !current.status.is_active() {
            return Err(DomainError::Unprocessable(format!(
                "booking is {} and can no longer be changed",
                current.status
            )));
        }
        let mut errs = validate::booking_patch(patch, ctx.now);
        let start = patch.start_time.unwrap_or(current.start_time);
        let end = patch.end_time.unwrap_or(current.end_time);
        // Only one end given: the range still has to hold with the other, current one.
        if patch.start_time.is_none() || patch.end_time.is_none() {
            validate::range(start, end, &mut errs);
        }
        if patch.expires_at.is_some() && current.status != BookingStatus::Hold {
            errs.push(pt_protocol::FieldError::new("expiresAt", "expiresAt is only allowed for holds"));
        }
        if !errs.is_empty() {
            return Err(DomainError::Invalid(errs));
        }
        let mut b = current.clone();
        if let Some(p) = patch.project_id {
            if p != b.project_id {
                b.phase_id = None;
            }
            b.project_id = p;
        }
        if let Some(ph) = patch.phase_id {
            b.phase_id = ph;
        }
        if let Some(t) = &patch.title {
            b.title = t.trim().to_owned();
        }
        if let Some(n) = &patch.notes {
            b.notes.clone_from(n);
        }
        b.start_time = start;
        b.end_time = end;
        if patch.expires_at.is_some() {
            b.expires_at = patch.expires_at;
        }
        if let Some(allow) = patch.allow_overtime {
            b.allow_overtime = allow;
        }
        stamp(&mut b, ctx);
        Ok(b)
    }

    /// Exclusive bookings (and reserved candidates) overlapping `range`, by start.
    fn conflicts(&self, range: TimeRange, ignore: Option<BookingId>) -> Vec<Booking> {
        self.calendar
            .overlapping_exclusive(range)
            .into_iter()
            .filter(|(id, _)| Some(*id) != ignore)
            .filter_map(|(id, _)| self.reservations.get(&id).or_else(|| self.get(id)).cloned())
            .collect()
    }

    fn ensure_free(&self, range: TimeRange, ignore: Option<BookingId>, ctx: &DecideCtx) -> Result<(), DomainError> {
        let conflicts = self.conflicts(range, ignore);
        if conflicts.is_empty() {
            return Ok(());
        }
        let free_windows = self.free_windows(range, ignore, ctx.now);
        Err(DomainError::Conflict(Box::new(ConflictInfo { conflicts, free_windows, alternatives: Vec::new() })))
    }

    /// Inserts or replaces a booking of this artist, keeping the indexes in step.
    fn put(&mut self, b: Arc<Booking>) {
        self.take(b.id);
        if b.status.is_active() {
            self.calendar.insert(b.id, b.range(), b.status.is_exclusive());
        }
        if b.status == BookingStatus::Hold
            && let Some(at) = b.expires_at
        {
            self.expiries.insert((at, b.id));
        }
        self.waiting += usize::from(holds::waits(&b));
        self.bookings.insert(b.id, b);
    }

    /// Removes a booking and its index entries (no-op when absent).
    fn take(&mut self, id: BookingId) {
        let Some(old) = self.bookings.remove(&id) else { return };
        self.waiting -= usize::from(holds::waits(&old));
        if old.status.is_active() {
            self.calendar.remove(id, old.range(), old.status.is_exclusive());
        }
        if let Some(at) = old.expires_at {
            self.expiries.remove(&(at, id));
        }
    }
}

/// Where free windows are searched: starts within ±90 days of the requested
/// start, clamped to the instants a timestamp may hold.
pub fn search_horizon(range: TimeRange) -> TimeRange {
    let start = range.start.plus_micros(-FREE_WINDOW_HORIZON_MICROS).max(MIN_TIMESTAMP);
    let end = range.end.plus_micros(FREE_WINDOW_HORIZON_MICROS).min(MAX_TIMESTAMP);
    TimeRange { start, end }
}

fn stamp(b: &mut Booking, ctx: &DecideCtx) {
    b.version = b.version.saturating_add(1);
    b.updated_at = ctx.now;
    b.updated_by = Arc::clone(&ctx.by);
}

#[path = "artist_book_free.rs"]
mod free;
#[path = "artist_book_holds.rs"]
mod holds;
#[path = "artist_book_notify.rs"]
mod notify;
#[path = "artist_book_reminders.rs"]
mod reminders;
pub use free::Fit;
pub use notify::{Draft, NotifyCtx, time_off_decided, user_of};
pub use reminders::reminder_id;

#[cfg(test)]
#[path = "artist_book_tests.rs"]
mod tests;
