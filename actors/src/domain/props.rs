//! Property tests of the booking domain: random command sequences over two
//! artists on a small hour grid (so collisions are frequent), every accepted
//! event applied to both books, invariants checked after every step against
//! brute force, and at the end a replay of the log from scratch.

use super::artist_book::{ArtistBook, DecideCtx, search_horizon};
use crate::error::DomainError;
use proptest::prelude::*;
use pt_protocol::time::MICROS_PER_HOUR;
use pt_protocol::{
    Artist, ArtistId, Booking, BookingId, BookingPatch, BookingStatus, Event, NewBooking, TimeRange, Timestamp,
};
use std::collections::HashMap;

const H: i64 = MICROS_PER_HOUR;
/// 2026-01-01T00:00:00Z; the grid is the first 30 hours after it.
const T0: Timestamp = Timestamp(1_767_225_600_000_000);
const ARTISTS: [ArtistId; 2] = [ArtistId::from_u128(0xA), ArtistId::from_u128(0xB)];

fn at(hour: i64) -> Timestamp {
    T0.plus_micros(hour * H)
}

fn artist(k: usize) -> Artist {
    Artist {
        id: ARTISTS[k],
        name: format!("artist {k}"),
        email: None,
        skills: vec![],
        timezone: "UTC".into(),
        active: true,
        time_off: Vec::new(),
        working_hours: None,
        profile: Default::default(),
        rate: None,
        archived_at: None,
        version: 1,
        created_at: T0,
        updated_at: T0,
    }
}

#[derive(Clone, Debug)]
enum Op {
    Create {
        on: usize,
        status: Option<BookingStatus>,
        start: i64,
        len: i64,
        expires_in: Option<i64>,
        /// `queueIfBusy`: a refused pencil or confirmed request waits as a hold.
        queue: bool,
    },
    /// Place every waiting hold whose turn came (the actor does this after each change).
    PlaceQueued,
    Update {
        pick: usize,
        start: Option<i64>,
        len: Option<i64>,
        stale: bool,
    },
    Transition {
        pick: usize,
        to: BookingStatus,
        stale: bool,
    },
    /// Advance the clock by some hours and expire every overdue hold.
    Expire {
        hours: i64,
    },
    /// Move to the other artist; `abandon`: the source refuses at the last step.
    Move {
        pick: usize,
        start: Option<i64>,
        len: Option<i64>,
        abandon: bool,
    },
    /// Deactivate or reactivate an artist (an `artistUpdated` event).
    SetActive {
        on: usize,
        active: bool,
    },
}

fn status() -> impl Strategy<Value = BookingStatus> {
    prop::sample::select(BookingStatus::ALL.to_vec())
}

/// Mostly what a scheduler sends; now and then a status a create must refuse.
fn new_status() -> impl Strategy<Value = Option<BookingStatus>> {
    use BookingStatus::*;
    prop_oneof![
        3 => Just(None),
        3 => Just(Some(Hold)),
        3 => Just(Some(Pencil)),
        3 => Just(Some(Confirmed)),
        1 => prop::sample::select(vec![Some(Cancelled), Some(Expired)]),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    // A 16-hour grid for two artists: most new bookings collide with something.
    let start = 0..16i64;
    let len = 1..6i64;
    prop_oneof![
        10 => (0..2usize, new_status(), start.clone(), len.clone(), prop::option::weighted(0.1, -1..8i64), prop::bool::weighted(0.3))
            .prop_map(|(on, status, start, len, expires_in, queue)| Op::Create { on, status, start, len, expires_in, queue }),
        2 => Just(Op::PlaceQueued),
        4 => (any::<usize>(), prop::option::of(start.clone()), prop::option::of(len.clone()), prop::bool::weighted(0.1))
            .prop_map(|(pick, start, len, stale)| Op::Update { pick, start, len, stale }),
        5 => (any::<usize>(), status(), prop::bool::weighted(0.1))
            .prop_map(|(pick, to, stale)| Op::Transition { pick, to, stale }),
        2 => (0..4i64).prop_map(|hours| Op::Expire { hours }),
        4 => (any::<usize>(), prop::option::of(start), prop::option::of(len), prop::bool::weighted(0.2))
            .prop_map(|(pick, start, len, abandon)| Op::Move { pick, start, len, abandon }),
        1 => (0..2usize, prop::bool::weighted(0.7)).prop_map(|(on, active)| Op::SetActive { on, active }),
    ]
}

/// A query range on the grid, and which booking (if any) to ignore.
fn probe() -> impl Strategy<Value = (i64, i64, usize)> {
    (-2..28i64, 1..8i64, any::<usize>())
}

struct World {
    books: [ArtistBook; 2],
    log: Vec<Event>,
    versions: HashMap<BookingId, u64>,
    ids: Vec<BookingId>,
    now: Timestamp,
}

impl World {
    fn new() -> Self {
        let books = [ArtistBook::new(artist(0)), ArtistBook::new(artist(1))];
        Self { books, log: Vec::new(), versions: HashMap::new(), ids: Vec::new(), now: at(-10) }
    }

    fn ctx(&self) -> DecideCtx {
        DecideCtx { now: self.now, by: "prop".into(), default_hold_micros: 6 * H }
    }

    /// Applies an accepted event everywhere, checking invariant (2) on the way.
    fn emit(&mut self, ev: Event) {
        if let Some(b) = ev.booking() {
            let want = self.versions.get(&b.id).map_or(1, |v| v + 1);
            assert_eq!(b.version, want, "versions grow by one: {ev:?}");
            assert!(matches!(ev, Event::BookingCreated { .. }) == (want == 1));
            self.versions.insert(b.id, b.version);
        }
        for book in &mut self.books {
            book.apply(&ev);
        }
        self.log.push(ev);
    }

    /// The book holding `pick` (mod the ids so far), with the booking.
    fn pick(&self, pick: usize) -> Option<(usize, Booking)> {
        let id = *self.ids.get(pick % self.ids.len().max(1))?;
        (0..2).find_map(|k| self.books[k].get(id).map(|b| (k, b.clone())))
    }

    /// What the actors do after each change: place the waiting holds whose turn came.
    fn place_queued(&mut self, ctx: &DecideCtx) {
        for k in 0..self.books.len() {
            while let Some(ev) = self.books[k].decide_place_queued(ctx) {
                self.emit(ev);
            }
        }
    }

    fn step(&mut self, op: &Op) {
        let ctx = self.ctx();
        match *op {
            Op::PlaceQueued => self.place_queued(&ctx),
            Op::Create { on, status, start, len, expires_in, queue } => {
                let id = BookingId::from_u128(self.ids.len() as u128 + 1);
                let new = NewBooking {
                    artist_id: ARTISTS[on],
                    project_id: None,
                    phase_id: None,
                    title: format!("booking {id}"),
                    notes: None,
                    start_time: at(start),
                    end_time: at(start + len),
                    status,
                    expires_at: expires_in.map(|h| self.now.plus_micros(h * H)),
                    allow_overtime: None,
                    queue_if_busy: queue.then_some(true),
                };
                let st = status.unwrap_or(BookingStatus::Pencil);
                let invalid = !st.is_active() || expires_in.is_some_and(|h| st != BookingStatus::Hold || h < 1);
                match self.books[on].decide_create(id, &new, &ctx) {
                    Ok(ev) => {
                        assert!(!invalid, "{new:?} was accepted");
                        self.ids.push(id);
                        self.emit(ev);
                    }
                    Err(e) => {
                        let range = TimeRange { start: new.start_time, end: new.end_time };
                        self.check_refusal(on, &e, range, None);
                        assert_eq!(matches!(e, DomainError::Invalid(_)), invalid, "{e:?}");
                    }
                }
            }
            Op::Update { pick, start, len, stale } => {
                let Some((k, cur)) = self.pick(pick) else { return };
                let version = cur.version + u64::from(stale);
                let start = start.map(at);
                let end = len.map(|l| start.unwrap_or(cur.start_time).plus_micros(l * H));
                let title = (start.is_none() && end.is_none()).then(|| "renamed".to_owned());
                let patch = BookingPatch { version, start_time: start, end_time: end, title, ..Default::default() };
                match self.books[k].decide_update(cur.id, &patch, &ctx) {
                    Ok(ev) => self.emit(ev),
                    Err(e) => {
                        let range =
                            TimeRange { start: start.unwrap_or(cur.start_time), end: end.unwrap_or(cur.end_time) };
                        self.check_refusal(k, &e, range, Some(cur.id));
                        assert_eq!(stale, matches!(e, DomainError::VersionMismatch { .. }), "{e:?}");
                    }
                }
            }
            Op::Transition { pick, to, stale } => {
                let Some((k, cur)) = self.pick(pick) else { return };
                let version = cur.version + u64::from(stale);
                match self.books[k].decide_transition(cur.id, version, to, None, &ctx) {
                    Ok(ev) => {
                        assert!(!stale && cur.status.can_become(to));
                        self.emit(ev);
                    }
                    Err(e) => {
                        self.check_refusal(k, &e, cur.range(), Some(cur.id));
                        // Not stale: refused as a transition exactly when the table forbids it.
                        let refused_by_table = matches!(e, DomainError::InvalidTransition { .. });
                        assert!(stale || refused_by_table != cur.status.can_become(to), "{e:?}");
                    }
                }
            }
            Op::Expire { hours } => {
                self.now = self.now.plus_micros(hours * H);
                let ctx = self.ctx();
                for k in 0..2 {
                    for id in self.books[k].overdue_holds(self.now) {
                        let ev = self.books[k].decide_expire(id, &ctx).expect("an overdue hold expires");
                        self.emit(ev);
                    }
                    assert_eq!(self.books[k].overdue_holds(self.now), vec![]);
                    assert!(self.books[k].next_expiry().is_none_or(|t| t > self.now));
                }
            }
            Op::Move { pick, start, len, abandon } => {
                let Some((src, cur)) = self.pick(pick) else { return };
                let dst = 1 - src;
                let start = start.map(at);
                let end = len.map(|l| start.unwrap_or(cur.start_time).plus_micros(l * H));
                let patch = BookingPatch {
                    version: cur.version,
                    artist_id: Some(ARTISTS[dst]),
                    start_time: start,
                    end_time: end,
                    ..Default::default()
                };
                let Ok(cand) = self.books[src].prepare_move(cur.id, &patch, &ctx) else { return };
                if let Err(e) = self.books[dst].check_incoming(&cand, &ctx) {
                    self.check_refusal(dst, &e, cand.range(), Some(cand.id));
                    return;
                }
                let before = self.books[dst].clone();
                self.books[dst].reserve(&cand);
                if cand.status.is_exclusive() {
                    let taken = self.books[dst].check(cand.range(), None, pt_protocol::time::MIN_TIMESTAMP);
                    assert_eq!(taken.conflicts, vec![cand.clone()], "a reservation blocks its slot");
                }
                if abandon {
                    assert!(self.books[src].decide_move_out(&cand, cur.version + 1).is_err());
                    self.books[dst].release_reservation(cand.id);
                    assert_eq!(self.books[dst], before, "a released reservation leaves no trace");
                } else {
                    let ev = self.books[src].decide_move_out(&cand, cur.version).unwrap();
                    self.emit(ev);
                    assert!(self.books[src].get(cand.id).is_none());
                }
            }
            Op::SetActive { on, active } => {
                let mut a = self.books[on].artist().clone();
                a.active = active;
                a.version += 1;
                self.emit(Event::ArtistUpdated { artist: a });
            }
        }
    }

    /// A refusal for a conflict must be true, and its answer useful.
    fn check_refusal(&self, k: usize, e: &DomainError, range: TimeRange, ignore: Option<BookingId>) {
        let DomainError::Conflict(info) = e else { return };
        let mut want: Vec<Booking> =
            exclusive(&self.books[k]).filter(|b| Some(b.id) != ignore && b.range().overlaps(&range)).cloned().collect();
        want.sort_by_key(|b| (b.start_time, b.id));
        assert!(!want.is_empty(), "a conflict names someone in the way");
        assert_eq!(info.conflicts, want);
        // Within 90 days either side, and never before now.
        let horizon = search_horizon(range);
        let horizon = TimeRange { start: horizon.start.max(self.now), end: horizon.end };
        let expected = brute_windows(&self.books[k], range.start, range.duration_micros(), 3, horizon, ignore);
        assert_eq!(info.free_windows, expected);
    }

    /// Invariants (1) and (3), after every step.
    fn check(&self, (start, len, pick): (i64, i64, usize)) {
        for (k, book) in self.books.iter().enumerate() {
            let active: Vec<&Booking> = book.bookings().filter(|b| b.status.is_active()).collect();
            assert!(book.bookings().all(|b| b.artist_id == ARTISTS[k]));
            assert_eq!(book.calendar().len(), active.len(), "no reservation is left behind");
            let excl: Vec<&Booking> = exclusive(book).collect();
            for (i, a) in excl.iter().enumerate() {
                for b in &excl[i + 1..] {
                    assert!(!a.range().overlaps(&b.range()), "{a:?} overlaps {b:?}");
                }
            }

            let q = TimeRange { start: at(start), end: at(start + len) };
            let brute = |exclusive: bool| {
                let mut v: Vec<(BookingId, TimeRange)> = active
                    .iter()
                    .filter(|b| b.status.is_exclusive() == exclusive && b.range().overlaps(&q))
                    .map(|b| (b.id, b.range()))
                    .collect();
                v.sort_by_key(|(id, r)| (r.start, *id));
                v
            };
            assert_eq!(book.calendar().overlapping_exclusive(q), brute(true));
            assert_eq!(book.calendar().overlapping_holds(q), brute(false));
            assert_eq!(book.calendar().free_gaps(q), brute_gaps(book, q, None));

            let ignore = self.ids.get(pick % self.ids.len().max(1)).copied().filter(|_| pick % 3 == 0);
            let horizon = TimeRange { start: at(-4), end: at(30) };
            let count = pick % 5;
            let got = book.calendar().free_windows(q.start, q.duration_micros(), count, horizon, ignore);
            for w in &got {
                assert_eq!(w.duration_micros(), q.duration_micros());
                assert!(horizon.start <= w.start && w.end <= horizon.end);
                assert!(excl.iter().all(|b| Some(b.id) == ignore || !b.range().overlaps(w)));
            }
            assert_eq!(got, brute_windows(book, q.start, q.duration_micros(), count, horizon, ignore));

            let check = book.check(q, ignore, pt_protocol::time::MIN_TIMESTAMP);
            assert_eq!(check.available, brute(true).iter().all(|(id, _)| Some(*id) == ignore));
            if ignore.is_none() {
                assert_eq!(book.is_free(q), check.available, "is_free must agree with check");
            }
            for h in &check.holds {
                let earlier = active
                    .iter()
                    .filter(|o| o.status == BookingStatus::Hold && o.id != h.booking.id)
                    .filter(|o| o.range().overlaps(&h.booking.range()))
                    .filter(|o| (o.created_at, o.id) < (h.booking.created_at, h.booking.id))
                    .count();
                assert_eq!(h.hold_rank, Some(earlier as u32 + 1));
            }
        }
    }
}

fn exclusive(book: &ArtistBook) -> impl Iterator<Item = &Booking> {
    book.bookings().filter(|b| b.status.is_exclusive())
}

/// Free gaps by sorting and sweeping every exclusive booking.
fn brute_gaps(book: &ArtistBook, within: TimeRange, ignore: Option<BookingId>) -> Vec<TimeRange> {
    let mut busy: Vec<TimeRange> = exclusive(book).filter(|b| Some(b.id) != ignore).map(|b| b.range()).collect();
    busy.sort_by_key(|r| r.start);
    let mut gaps = Vec::new();
    let mut cursor = within.start;
    for r in busy {
        if r.start > cursor && cursor < within.end {
            gaps.push(TimeRange { start: cursor, end: r.start.min(within.end) });
        }
        cursor = cursor.max(r.end);
    }
    if cursor < within.end {
        gaps.push(TimeRange { start: cursor, end: within.end });
    }
    gaps
}

/// One window per gap, placed nearest `around`, nearest gaps first (ties: earlier).
fn brute_windows(
    book: &ArtistBook,
    around: Timestamp,
    len: i64,
    count: usize,
    horizon: TimeRange,
    ignore: Option<BookingId>,
) -> Vec<TimeRange> {
    let mut w: Vec<TimeRange> = brute_gaps(book, horizon, ignore)
        .into_iter()
        .filter(|g| g.duration_micros() >= len)
        .map(|g| {
            let start = Timestamp(around.0.clamp(g.start.0, g.end.0 - len));
            TimeRange { start, end: start.plus_micros(len) }
        })
        .collect();
    w.sort_by_key(|r| (r.start.0.abs_diff(around.0), r.start));
    w.truncate(count);
    w
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn random_commands_keep_every_invariant(steps in prop::collection::vec((op(), probe()), 1..60)) {
        let mut world = World::new();
        for (op, probe) in &steps {
            world.step(op);
            world.check(*probe);
        }
        // (4) The log alone rebuilds both books exactly.
        for k in 0..2 {
            let mut fresh = ArtistBook::new(artist(k));
            for ev in &world.log {
                fresh.apply(ev);
            }
            prop_assert_eq!(&fresh, &world.books[k]);
        }
    }
}
