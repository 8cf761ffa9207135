//! Unit tests of [`ArtistBook`](super::ArtistBook), one rule at a time. Kept in
//! their own file so the rules themselves stay short enough to read in one go.

use super::*;
use BookingStatus::{Cancelled, Confirmed, Expired, Hold, Pencil};
use pt_protocol::time::{MICROS_PER_HOUR, MIN_TIMESTAMP};
use pt_protocol::{ArtistId, FieldError};

const H: i64 = MICROS_PER_HOUR;
/// 2026-01-01T00:00:00Z: bookings are placed in hours after this.
const T0: Timestamp = Timestamp(1_767_225_600_000_000);
const ME: ArtistId = ArtistId::from_u128(0xA);
const OTHER: ArtistId = ArtistId::from_u128(0xB);

fn at(hour: i64) -> Timestamp {
    T0.plus_micros(hour * H)
}

fn hours(a: i64, b: i64) -> TimeRange {
    TimeRange { start: at(a), end: at(b) }
}

fn bid(n: u128) -> BookingId {
    BookingId::from_u128(n)
}

fn artist(id: ArtistId) -> Artist {
    Artist {
        id,
        name: format!("artist-{id}"),
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

fn ctx(now_hour: i64) -> DecideCtx {
    DecideCtx { now: at(now_hour), by: "user:1".into(), default_hold_micros: 24 * H }
}

fn new(status: Option<BookingStatus>, a: i64, b: i64) -> NewBooking {
    NewBooking {
        artist_id: ME,
        project_id: None,
        phase_id: None,
        title: " Shot 10 ".into(),
        notes: None,
        start_time: at(a),
        end_time: at(b),
        status,
        expires_at: None,
        allow_overtime: None,
        queue_if_busy: None,
    }
}

/// Creates (and applies) booking `n` at clock hour `n` so creation order follows `n`.
fn create(book: &mut ArtistBook, n: u128, status: BookingStatus, a: i64, b: i64) -> Booking {
    let ev = book.decide_create(bid(n), &new(Some(status), a, b), &ctx(n as i64 - 1000)).unwrap();
    book.apply(&ev);
    ev.booking().unwrap().clone()
}

fn book() -> ArtistBook {
    ArtistBook::new(artist(ME))
}

fn conflict(e: DomainError) -> ConflictInfo {
    match e {
        DomainError::Conflict(info) => *info,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn patch(version: u64) -> BookingPatch {
    BookingPatch { version, ..Default::default() }
}

#[test]
fn create_fills_in_defaults() {
    let b = book();
    let ev = b.decide_create(bid(1), &new(None, 0, 2), &ctx(-5)).unwrap();
    let Event::BookingCreated { booking } = ev else { panic!() };
    assert_eq!(booking.status, Pencil);
    assert_eq!(booking.title, "Shot 10");
    assert_eq!((booking.version, booking.expires_at), (1, None));
    assert_eq!((booking.created_at, booking.updated_at), (at(-5), at(-5)));
    assert_eq!((&*booking.created_by, &*booking.updated_by), ("user:1", "user:1"));

    let hold = b.decide_create(bid(2), &new(Some(Hold), 0, 2), &ctx(-5)).unwrap();
    assert_eq!(hold.booking().unwrap().expires_at, Some(at(19)));
    let explicit = NewBooking { expires_at: Some(at(3)), ..new(Some(Hold), 0, 2) };
    let hold = b.decide_create(bid(2), &explicit, &ctx(-5)).unwrap();
    assert_eq!(hold.booking().unwrap().expires_at, Some(at(3)));
}

#[test]
fn create_rejects_bad_input_and_unbookable_artists() {
    let b = book();
    let err = b.decide_create(bid(1), &new(None, 2, 2), &ctx(0)).unwrap_err();
    assert_eq!(err, DomainError::invalid("endTime", "endTime must be after startTime"));
    let elsewhere = NewBooking { artist_id: OTHER, ..new(None, 0, 1) };
    let DomainError::Invalid(errs) = b.decide_create(bid(1), &elsewhere, &ctx(0)).unwrap_err() else { panic!() };
    assert_eq!(errs[0].field, "artistId");

    let mut inactive = book();
    inactive.set_artist(Artist { active: false, name: "Ada".into(), ..artist(ME) });
    let err = inactive.decide_create(bid(1), &new(None, 0, 1), &ctx(0)).unwrap_err();
    assert_eq!(err, DomainError::Unprocessable("artist Ada is inactive and cannot be booked".into()));
    let mut archived = book();
    archived.apply(&Event::ArtistArchived { artist: Artist { archived_at: Some(T0), ..artist(ME) } });
    assert!(matches!(archived.decide_create(bid(1), &new(None, 0, 1), &ctx(0)), Err(DomainError::Unprocessable(_))));
}

#[test]
fn touching_bookings_are_allowed_overlapping_ones_conflict() {
    let mut b = book();
    let first = create(&mut b, 1, Confirmed, 10, 12);
    create(&mut b, 2, Pencil, 12, 14);
    create(&mut b, 3, Pencil, 8, 10);
    let info = conflict(b.decide_create(bid(4), &new(Some(Pencil), 11, 13), &ctx(0)).unwrap_err());
    assert_eq!(info.conflicts.iter().map(|c| c.id).collect::<Vec<_>>(), vec![bid(1), bid(2)]);
    assert_eq!(info.conflicts[0], first);
    // Two-hour windows nearest to 11:00: from 14:00 (3 h away), then up to 08:00 (5 h away).
    assert_eq!(info.free_windows, vec![hours(14, 16), hours(6, 8)]);
}

#[test]
fn conflict_windows_stay_within_ninety_days() {
    let mut b = book();
    create(&mut b, 1, Confirmed, -100 * 24, 100 * 24);
    let info = conflict(b.decide_create(bid(2), &new(None, 0, 1), &ctx(0)).unwrap_err());
    assert_eq!(info.free_windows, vec![]);
}

#[test]
fn holds_overlap_freely_and_queue_in_creation_order() {
    let mut b = book();
    create(&mut b, 1, Confirmed, 0, 4);
    create(&mut b, 2, Hold, 1, 3);
    create(&mut b, 3, Hold, 2, 5);
    create(&mut b, 4, Hold, 2, 3);
    create(&mut b, 5, Hold, 10, 11);
    let rank = |b: &ArtistBook, n| b.view(bid(n)).unwrap().hold_rank;
    assert_eq!([1, 2, 3, 4, 5].map(|n| rank(&b, n)), [None, Some(1), Some(2), Some(3), Some(1)]);
    // The first hold goes: the others move up.
    let ev = b.decide_transition(bid(2), 1, Cancelled, None, &ctx(0)).unwrap();
    b.apply(&ev);
    assert_eq!([2, 3, 4].map(|n| rank(&b, n)), [None, Some(1), Some(2)]);
    let views = b.views_in(Some(hours(2, 3)));
    assert_eq!(views.iter().map(|v| v.booking.id).collect::<Vec<_>>(), vec![bid(1), bid(2), bid(3), bid(4)]);
}

#[test]
fn promoting_a_hold_into_a_taken_slot_conflicts() {
    let mut b = book();
    create(&mut b, 1, Hold, 0, 2);
    create(&mut b, 2, Pencil, 1, 3);
    let info = conflict(b.decide_transition(bid(1), 1, Pencil, None, &ctx(-5)).unwrap_err());
    assert_eq!(info.conflicts.iter().map(|c| c.id).collect::<Vec<_>>(), vec![bid(2)]);
    assert_eq!(info.free_windows, vec![hours(-1, 1), hours(3, 5)]);
    // Free windows never start before now.
    let info = conflict(b.decide_transition(bid(1), 1, Pencil, None, &ctx(0)).unwrap_err());
    assert_eq!(info.free_windows, vec![hours(3, 5)]);
    assert!(matches!(b.decide_transition(bid(1), 1, Confirmed, None, &ctx(0)), Err(DomainError::Conflict(_))));
    // Once the pencil is cancelled, the hold can be promoted.
    b.apply(&b.decide_transition(bid(2), 1, Cancelled, None, &ctx(0)).unwrap());
    let ev = b.decide_transition(bid(1), 1, Confirmed, None, &ctx(0)).unwrap();
    let Event::BookingStatusChanged { booking, from } = &ev else { panic!() };
    assert_eq!((from, booking.status, booking.expires_at, booking.version), (&Hold, Confirmed, None, 2));
    b.apply(&ev);
    assert_eq!(b.view(bid(1)).unwrap().hold_rank, None);
}

#[test]
fn transitions_follow_the_table() {
    for from in BookingStatus::ALL {
        for to in BookingStatus::ALL {
            let mut b = book();
            create(&mut b, 1, if from.is_active() { from } else { Hold }, 0, 1);
            if !from.is_active() {
                b.apply(&b.decide_transition(bid(1), 1, from, None, &ctx(0)).unwrap());
            }
            let v = b.get(bid(1)).unwrap().version;
            let got = b.decide_transition(bid(1), v, to, None, &ctx(0));
            if from.can_become(to) {
                let ev = got.unwrap();
                assert_eq!(ev.booking().unwrap().status, to);
                assert_eq!(ev.booking().unwrap().version, v + 1);
            } else {
                assert_eq!(got.unwrap_err(), DomainError::InvalidTransition { from, to }, "{from} -> {to}");
            }
        }
    }
}

#[test]
fn unknown_ids_and_stale_versions_are_refused() {
    let mut b = book();
    create(&mut b, 1, Pencil, 0, 1);
    let nf = DomainError::NotFound { entity: "booking", id: bid(9).0 };
    assert_eq!(b.decide_transition(bid(9), 1, Confirmed, None, &ctx(0)).unwrap_err(), nf);
    assert_eq!(b.decide_update(bid(9), &patch(1), &ctx(0)).unwrap_err(), nf);
    let stale = DomainError::VersionMismatch { expected: 3, current: 1 };
    assert_eq!(b.decide_transition(bid(1), 3, Confirmed, None, &ctx(0)).unwrap_err(), stale);
    let p = BookingPatch { title: Some("x".into()), ..patch(3) };
    assert_eq!(b.decide_update(bid(1), &p, &ctx(0)).unwrap_err(), stale);
    assert_eq!(b.decide_move_out(b.get(bid(1)).unwrap(), 3).unwrap_err(), stale);
}

#[test]
fn updates_change_fields_and_recheck_the_slot() {
    let mut b = book();
    create(&mut b, 1, Pencil, 0, 2);
    create(&mut b, 2, Pencil, 4, 6);
    // Growing into its own old range is fine; growing into another booking is not.
    let p = BookingPatch { start_time: Some(at(1)), end_time: Some(at(4)), ..patch(1) };
    let ev = b.decide_update(bid(1), &p, &ctx(3)).unwrap();
    let Event::BookingUpdated { booking } = &ev else { panic!() };
    assert_eq!((booking.range(), booking.version, booking.updated_at), (hours(1, 4), 2, at(3)));
    assert_eq!(booking.created_at, at(-999));
    let p = BookingPatch { end_time: Some(at(5)), ..patch(1) };
    let info = conflict(b.decide_update(bid(1), &p, &ctx(-5)).unwrap_err());
    assert_eq!(info.conflicts[0].id, bid(2));
    // Ignoring itself, the nearest 5 h window ends where booking 2 begins
    // (asked at hour -5: at hour 0 that window would start in the past).
    assert_eq!(info.free_windows[0], hours(-1, 4));
    let info = conflict(b.decide_update(bid(1), &p, &ctx(0)).unwrap_err());
    assert_eq!(info.free_windows[0], hours(6, 11));

    let p = BookingPatch { title: Some(" New ".into()), notes: Some(Some("n".into())), ..patch(1) };
    let booking = b.decide_update(bid(1), &p, &ctx(0)).unwrap().booking().unwrap().clone();
    assert_eq!((booking.title.as_str(), booking.notes.as_deref()), ("New", Some("n")));
    // Naming its own artist is fine; naming another one is a move.
    let p = BookingPatch { artist_id: Some(ME), ..patch(1) };
    assert!(b.decide_update(bid(1), &p, &ctx(0)).is_ok());
    let p = BookingPatch { artist_id: Some(OTHER), ..patch(1) };
    assert_eq!(
        b.decide_update(bid(1), &p, &ctx(0)).unwrap_err(),
        DomainError::Unprocessable("moving to another artist goes through prepare_move".into())
    );
}

#[test]
fn update_checks_the_resulting_range_and_expiry() {
    let mut b = book();
    create(&mut b, 1, Pencil, 0, 2);
    let p = BookingPatch { start_time: Some(at(2)), ..patch(1) };
    assert_eq!(
        b.decide_update(bid(1), &p, &ctx(0)).unwrap_err(),
        DomainError::invalid("endTime", validate::END_BEFORE_START)
    );
    let p = BookingPatch { end_time: Some(at(367 * 24)), ..patch(1) };
    assert_eq!(b.decide_update(bid(1), &p, &ctx(0)).unwrap_err(), DomainError::invalid("endTime", validate::TOO_LONG));
    let p = BookingPatch { expires_at: Some(at(5)), ..patch(1) };
    assert_eq!(
        b.decide_update(bid(1), &p, &ctx(0)).unwrap_err(),
        DomainError::invalid("expiresAt", "expiresAt is only allowed for holds")
    );
    assert_eq!(
        b.decide_update(bid(1), &patch(1), &ctx(0)).unwrap_err(),
        DomainError::Invalid(vec![FieldError::new("body", "nothing to change")])
    );
    create(&mut b, 2, Hold, 0, 2);
    let p = BookingPatch { expires_at: Some(at(5)), ..patch(1) };
    assert_eq!(b.decide_update(bid(2), &p, &ctx(0)).unwrap().booking().unwrap().expires_at, Some(at(5)));
    let p = BookingPatch { expires_at: Some(at(0)), ..patch(1) };
    assert!(matches!(b.decide_update(bid(2), &p, &ctx(0)), Err(DomainError::Invalid(_))));
}

#[test]
fn final_bookings_cannot_be_edited() {
    let mut b = book();
    create(&mut b, 1, Pencil, 0, 2);
    b.apply(&b.decide_transition(bid(1), 1, Cancelled, None, &ctx(0)).unwrap());
    let p = BookingPatch { title: Some("x".into()), ..patch(2) };
    assert_eq!(
        b.decide_update(bid(1), &p, &ctx(0)).unwrap_err(),
        DomainError::Unprocessable("booking is cancelled and can no longer be changed".into())
    );
    // A cancelled booking frees its slot but stays readable.
    create(&mut b, 2, Confirmed, 0, 2);
    assert_eq!(b.views_in(None).len(), 2);
}

#[test]
fn holds_expire_when_due() {
    let mut b = book();
    create(&mut b, 1, Hold, 0, 2); // created at hour -999, expires 24 h later
    create(&mut b, 2, Hold, 0, 2);
    create(&mut b, 3, Pencil, 4, 5);
    assert_eq!(b.next_expiry(), Some(at(-975)));
    assert_eq!(b.decide_expire(bid(1), &ctx(-976)), None);
    assert_eq!(b.overdue_holds(at(-976)), vec![]);
    assert_eq!(b.overdue_holds(at(-975)), vec![bid(1)]);
    assert_eq!(b.overdue_holds(at(0)), vec![bid(1), bid(2)]);
    assert_eq!(b.decide_expire(bid(3), &ctx(0)), None);
    let ev = b.decide_expire(bid(1), &ctx(-975)).unwrap();
    let Event::BookingStatusChanged { booking, from } = &ev else { panic!() };
    assert_eq!((booking.status, *from, booking.expires_at, booking.version), (Expired, Hold, None, 2));
    b.apply(&ev);
    assert_eq!(b.decide_expire(bid(1), &ctx(0)), None);
    assert_eq!(b.overdue_holds(at(0)), vec![bid(2)]);
    assert_eq!(b.next_expiry(), Some(at(-974)));
    assert_eq!(b.view(bid(2)).unwrap().hold_rank, Some(1));
}

fn two_books() -> (ArtistBook, ArtistBook) {
    (book(), ArtistBook::new(artist(OTHER)))
}

#[test]
fn moves_reserve_then_move() {
    let (mut src, mut dst) = two_books();
    create(&mut src, 1, Pencil, 0, 2);
    let p = BookingPatch { artist_id: Some(OTHER), start_time: Some(at(1)), end_time: Some(at(3)), ..patch(1) };
    let cand = src.prepare_move(bid(1), &p, &ctx(0)).unwrap();
    assert_eq!((cand.artist_id, cand.range(), cand.version), (OTHER, hours(1, 3), 2));
    dst.check_incoming(&cand, &ctx(0)).unwrap();
    dst.reserve(&cand);
    // While reserved, nothing else can take the slot on the target.
    let other = NewBooking { artist_id: OTHER, ..new(Some(Confirmed), 2, 4) };
    let info = conflict(dst.decide_create(bid(2), &other, &ctx(0)).unwrap_err());
    assert_eq!(info.conflicts, vec![cand.clone()]);
    assert_eq!(dst.availability(hours(0, 4), MIN_TIMESTAMP).free, vec![hours(0, 1), hours(3, 4)]);

    let ev = src.decide_move_out(&cand, 1).unwrap();
    assert_eq!(ev, Event::BookingMoved { booking: cand.clone().into(), from_artist_id: ME });
    src.apply(&ev);
    dst.apply(&ev);
    assert_eq!(src.get(bid(1)), None);
    assert!(src.calendar().is_empty());
    assert_eq!(dst.get(bid(1)), Some(&cand));
    assert_eq!(dst.calendar().len(), 1);
    // Replaying the move changes nothing.
    let (s, d) = (src.clone(), dst.clone());
    src.apply(&ev);
    dst.apply(&ev);
    assert_eq!((src, dst), (s, d));
}

#[test]
fn refused_or_abandoned_moves_leave_no_trace() {
    let (mut src, mut dst) = two_books();
    create(&mut src, 1, Pencil, 0, 2);
    let taken = NewBooking { artist_id: OTHER, ..new(Some(Confirmed), 1, 2) };
    dst.apply(&dst.decide_create(bid(2), &taken, &ctx(0)).unwrap());
    let p = BookingPatch { artist_id: Some(OTHER), ..patch(1) };
    let cand = src.prepare_move(bid(1), &p, &ctx(0)).unwrap();
    let info = conflict(dst.check_incoming(&cand, &ctx(0)).unwrap_err());
    assert_eq!(info.conflicts[0].id, bid(2));

    // Reserved, then the source refuses (someone changed the booking meanwhile).
    let before = dst.clone();
    let later = BookingPatch { artist_id: Some(OTHER), start_time: Some(at(4)), end_time: Some(at(6)), ..patch(1) };
    let cand = src.prepare_move(bid(1), &later, &ctx(0)).unwrap();
    dst.reserve(&cand);
    assert!(src.decide_move_out(&cand, 7).is_err());
    dst.release_reservation(bid(1));
    dst.release_reservation(bid(1));
    assert_eq!(dst, before);

    // Holds take no slot.
    create(&mut src, 3, Hold, 0, 2);
    let cand = src.prepare_move(bid(3), &BookingPatch { artist_id: Some(OTHER), ..patch(1) }, &ctx(0)).unwrap();
    dst.check_incoming(&cand, &ctx(0)).unwrap();
    dst.reserve(&cand);
    assert_eq!(dst, before);
}

#[test]
fn move_preconditions() {
    let (mut src, mut dst) = two_books();
    create(&mut src, 1, Pencil, 0, 2);
    let no_target = DomainError::invalid("artistId", "artistId must name the artist to move the booking to");
    assert_eq!(
        src.prepare_move(bid(1), &BookingPatch { title: Some("x".into()), ..patch(1) }, &ctx(0)).unwrap_err(),
        no_target
    );
    assert_eq!(
        src.prepare_move(bid(1), &BookingPatch { artist_id: Some(ME), ..patch(1) }, &ctx(0)).unwrap_err(),
        no_target
    );
    let p = BookingPatch { artist_id: Some(OTHER), ..patch(2) };
    assert!(matches!(src.prepare_move(bid(1), &p, &ctx(0)), Err(DomainError::VersionMismatch { .. })));
    let cand = src.prepare_move(bid(1), &BookingPatch { artist_id: Some(OTHER), ..patch(1) }, &ctx(0)).unwrap();
    dst.set_artist(Artist { active: false, ..dst.artist().clone() });
    assert!(matches!(dst.check_incoming(&cand, &ctx(0)), Err(DomainError::Unprocessable(_))));
    // The wrong book is asked.
    assert!(matches!(src.check_incoming(&cand, &ctx(0)), Err(DomainError::Invalid(_))));
}

#[test]
fn apply_is_idempotent_and_ignores_other_artists() {
    let mut b = book();
    let ev = b.decide_create(bid(1), &new(Some(Hold), 0, 2), &ctx(0)).unwrap();
    b.apply(&ev);
    let once = b.clone();
    b.apply(&ev);
    assert_eq!(b, once);
    let mut foreign = ev.booking().unwrap().clone();
    foreign.id = bid(2);
    foreign.artist_id = OTHER;
    b.apply(&Event::BookingCreated { booking: foreign.clone().into() });
    b.apply(&Event::BookingMoved { booking: foreign.into(), from_artist_id: ArtistId::from_u128(0xC) });
    b.apply(&Event::ArtistUpdated { artist: artist(OTHER) });
    assert_eq!(b, once);
}

#[test]
fn restore_follows_the_store() {
    let mut b = book();
    let kept = create(&mut b, 1, Pencil, 0, 2);
    let snapshot = b.clone();
    let ev = b.decide_update(bid(1), &BookingPatch { end_time: Some(at(3)), ..patch(1) }, &ctx(0)).unwrap();
    b.apply(&ev);
    create(&mut b, 2, Confirmed, 5, 6);
    b.restore(bid(1), Some(kept.into()));
    b.restore(bid(2), None);
    assert_eq!(b, snapshot);
    // A reservation refused by the store goes too.
    let mut cand = b.get(bid(1)).unwrap().clone();
    cand.id = bid(3);
    cand.start_time = at(7);
    cand.end_time = at(8);
    b.reserve(&cand);
    b.restore(bid(3), None);
    assert_eq!(b, snapshot);
}

#[test]
fn check_reports_conflicts_holds_and_windows() {
    let mut b = book();
    create(&mut b, 1, Confirmed, 2, 4);
    create(&mut b, 2, Hold, 0, 3);
    let free = b.check(hours(0, 2), None, MIN_TIMESTAMP);
    assert!(free.available && free.conflicts.is_empty() && free.free_windows.is_empty());
    assert_eq!(free.holds.iter().map(|h| (h.booking.id, h.hold_rank)).collect::<Vec<_>>(), vec![(bid(2), Some(1))]);
    let busy = b.check(hours(1, 3), None, MIN_TIMESTAMP);
    assert!(!busy.available);
    assert_eq!(busy.conflicts.iter().map(|c| c.id).collect::<Vec<_>>(), vec![bid(1)]);
    assert_eq!(busy.free_windows, vec![hours(0, 2), hours(4, 6)]);
    assert!(b.check(hours(1, 3), Some(bid(1)), MIN_TIMESTAMP).available);
}

#[test]
fn availability_lists_gaps_and_active_bookings() {
    let mut b = book();
    create(&mut b, 1, Confirmed, 2, 4);
    create(&mut b, 2, Hold, 0, 1);
    create(&mut b, 3, Pencil, 6, 7);
    b.apply(&b.decide_transition(bid(3), 1, Cancelled, None, &ctx(0)).unwrap());
    let a = b.availability(hours(0, 8), MIN_TIMESTAMP);
    assert_eq!(a.free, vec![hours(0, 2), hours(4, 8)]);
    assert_eq!(a.bookings.iter().map(|v| v.booking.id).collect::<Vec<_>>(), vec![bid(2), bid(1)]);
}

#[test]
fn active_future_bookings() {
    let mut b = book();
    assert!(!b.has_active_future(at(0)));
    create(&mut b, 1, Pencil, 0, 2);
    assert!(b.has_active_future(at(1)));
    assert!(!b.has_active_future(at(2)));
    b.apply(&b.decide_transition(bid(1), 1, Cancelled, None, &ctx(0)).unwrap());
    assert!(!b.has_active_future(at(0)));
}

#[test]
fn odd_stored_data_never_panics() {
    let mut b = book();
    let mut odd = create(&mut b, 1, Hold, 0, 1);
    for (start, end) in [(i64::MIN, i64::MAX), (5, -5), (i64::MAX, i64::MAX)] {
        odd.start_time = Timestamp(start);
        odd.end_time = Timestamp(end);
        odd.version = u64::MAX;
        b.apply(&Event::BookingUpdated { booking: odd.clone().into() });
        let _ = b.views_in(None);
        let _ = b.check(hours(0, 1), None, MIN_TIMESTAMP);
        let _ = b.availability(TimeRange { start: Timestamp(i64::MAX), end: Timestamp(i64::MIN) }, MIN_TIMESTAMP);
        let _ = b.decide_transition(bid(1), u64::MAX, Cancelled, None, &ctx(0));
    }
    b.restore(bid(1), None);
    assert!(b.calendar().is_empty());
}

#[test]
fn ten_thousand_bookings_decide_quickly() {
    let mut b = book();
    for i in 0..10_000 {
        let ev = b.decide_create(bid(i as u128 + 1), &new(Some(Confirmed), i, i + 1), &ctx(0)).unwrap();
        b.apply(&ev);
    }
    let started = std::time::Instant::now();
    for i in 0..1_000 {
        let early = ctx(-3_000);
        let info = conflict(b.decide_create(bid(20_000), &new(Some(Pencil), i * 7, i * 7 + 2), &early).unwrap_err());
        assert_eq!(info.conflicts.len(), 2);
        // The only room within 90 days (2,160 h) is before the first booking.
        assert_eq!(info.free_windows.len(), usize::from(i * 7 < 2_160));
    }
    // Generous even for a debug build; a linear scan per decision would blow it.
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
}

#[path = "artist_book_holds_tests.rs"]
mod holds;
