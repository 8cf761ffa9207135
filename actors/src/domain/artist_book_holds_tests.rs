//! The hold queue: challenge, deadline, lapse and promotion (see
//! `artist_book_holds.rs`). Uses the helpers of the book's unit tests.

use super::*;
use pt_protocol::ProjectId;

const P1: ProjectId = ProjectId::from_u128(0xF1);
const P2: ProjectId = ProjectId::from_u128(0xF2);
const DAY: i64 = 24 * H;

/// A hold of `project` over hours `[a, b)`, lasting until hour 500, created
/// in the order of `n`.
fn hold(book: &mut ArtistBook, n: u128, a: i64, b: i64, project: Option<ProjectId>) -> Booking {
    let nb = NewBooking { project_id: project, expires_at: Some(at(500)), ..new(Some(Hold), a, b) };
    let ev = book.decide_create(bid(n), &nb, &ctx(n as i64 - 1000)).unwrap();
    book.apply(&ev);
    ev.booking().unwrap().clone()
}

fn rank(b: &ArtistBook, n: u128) -> Option<u32> {
    b.view(bid(n)).unwrap().hold_rank
}

fn refused(r: Result<Event, DomainError>) -> String {
    match r {
        Err(DomainError::Unprocessable(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_challenge_brings_the_deadline_forward_and_the_lapse_promotes_the_challenger() {
    let mut b = book();
    hold(&mut b, 1, 0, 4, Some(P1));
    hold(&mut b, 2, 1, 3, Some(P2));
    hold(&mut b, 3, 2, 3, None);
    assert_eq!([1, 2, 3].map(|n| rank(&b, n)), [Some(1), Some(2), Some(3)]);

    let ev = b.decide_challenge(bid(1), bid(2), Some(1), DAY, &ctx(10)).unwrap();
    let Event::BookingUpdated { booking } = &ev else { panic!("{ev:?}") };
    assert_eq!((booking.challenged_by, booking.expires_at, booking.version), (Some(bid(2)), Some(at(34)), 2));
    assert_eq!(booking.status, Hold);
    b.apply(&ev);
    // Still 1st until the deadline; the book's timer now aims at it.
    assert_eq!(rank(&b, 1), Some(1));
    assert_eq!(b.next_expiry(), Some(at(34)));
    assert!(b.overdue_holds(at(33)).is_empty());
    assert_eq!(b.overdue_holds(at(34)), vec![bid(1)]);

    // No answer: the hold lapses, the challenge with it, and everyone behind moves up.
    let lapse = b.decide_expire(bid(1), &ctx(34)).unwrap();
    assert_eq!(lapse.booking().unwrap().challenged_by, None);
    b.apply(&lapse);
    assert_eq!([1, 2, 3].map(|n| rank(&b, n)), [None, Some(1), Some(2)]);
}

#[test]
fn confirming_or_releasing_answers_the_challenge() {
    for to in [Pencil, Confirmed, Cancelled] {
        let mut b = book();
        hold(&mut b, 1, 0, 4, Some(P1));
        hold(&mut b, 2, 1, 3, Some(P2));
        let ev = b.decide_challenge(bid(1), bid(2), None, DAY, &ctx(10)).unwrap();
        b.apply(&ev);
        let answer = b.decide_transition(bid(1), 2, to, None, &ctx(11)).unwrap();
        let answered = answer.booking().unwrap();
        assert_eq!((answered.status, answered.challenged_by, answered.expires_at), (to, None, None));
        b.apply(&answer);
        assert_eq!(b.next_expiry(), Some(at(500)), "only the challenger's own expiry is left");
    }
}

#[test]
fn the_deadline_never_extends_a_hold() {
    let mut b = book();
    let nb = NewBooking { project_id: Some(P1), expires_at: Some(at(20)), ..new(Some(Hold), 0, 4) };
    let ev = b.decide_create(bid(1), &nb, &ctx(-1000)).unwrap();
    b.apply(&ev);
    hold(&mut b, 2, 1, 3, Some(P2));
    let ev = b.decide_challenge(bid(1), bid(2), None, DAY, &ctx(10)).unwrap();
    assert_eq!(ev.booking().unwrap().expires_at, Some(at(20)));
}

#[test]
fn what_cannot_be_challenged() {
    let mut b = book();
    hold(&mut b, 1, 0, 4, Some(P1));
    hold(&mut b, 2, 1, 3, Some(P2));
    hold(&mut b, 3, 2, 3, Some(P1));
    hold(&mut b, 4, 10, 12, Some(P2));
    create(&mut b, 5, Pencil, 20, 22);
    hold(&mut b, 6, 20, 21, Some(P2));
    let now = ctx(0);

    assert!(refused(b.decide_challenge(bid(2), bid(3), None, DAY, &now)).contains("hold 2"));
    assert!(refused(b.decide_challenge(bid(1), bid(3), None, DAY, &now)).contains("its own project"));
    assert!(refused(b.decide_challenge(bid(1), bid(4), None, DAY, &now)).contains("same slot"));
    assert!(refused(b.decide_challenge(bid(5), bid(6), None, DAY, &now)).contains("is pencil"));
    assert!(refused(b.decide_challenge(bid(6), bid(5), None, DAY, &now)).contains("must be a hold"));
    assert!(matches!(
        b.decide_challenge(bid(1), bid(2), Some(7), DAY, &now),
        Err(DomainError::VersionMismatch { expected: 7, current: 1 })
    ));
    assert!(matches!(b.decide_challenge(bid(1), bid(99), None, DAY, &now), Err(DomainError::NotFound { .. })));

    let ev = b.decide_challenge(bid(1), bid(2), None, DAY, &now).unwrap();
    b.apply(&ev);
    assert!(refused(b.decide_challenge(bid(1), bid(2), None, DAY, &now)).contains("already challenged"));
}

/// A pencil or confirmed request with `queueIfBusy`, decided and applied.
fn request_queued(book: &mut ArtistBook, n: u128, status: BookingStatus, a: i64, b: i64) -> Booking {
    let nb = NewBooking { queue_if_busy: Some(true), ..new(Some(status), a, b) };
    let ev = book.decide_create(bid(n), &nb, &ctx(n as i64 - 1000)).unwrap();
    book.apply(&ev);
    ev.booking().unwrap().clone()
}

/// Places every waiting hold whose turn came; returns their ids in order.
fn place_all(book: &mut ArtistBook) -> Vec<BookingId> {
    let mut placed = Vec::new();
    while let Some(ev) = book.decide_place_queued(&ctx(0)) {
        let b = ev.booking().unwrap();
        assert_eq!((b.status, b.queued_for, b.expires_at), (Pencil, None, None));
        placed.push(b.id);
        book.apply(&ev);
    }
    placed
}

#[test]
fn a_busy_request_waits_as_a_hold_and_takes_its_place_when_the_slot_frees() {
    let mut b = book();
    create(&mut b, 1, Pencil, 0, 4);
    // Without queueIfBusy: the conflict, as always.
    assert!(matches!(b.decide_create(bid(2), &new(Some(Pencil), 1, 3), &ctx(0)), Err(DomainError::Conflict(_))));
    let waiting = request_queued(&mut b, 2, Pencil, 1, 3);
    assert_eq!((waiting.status, waiting.queued_for), (Hold, Some(Pencil)));
    assert_eq!(waiting.expires_at, Some(at(2 - 1000 + 24)), "it lasts as long as a new hold");
    let behind = request_queued(&mut b, 3, Pencil, 2, 3);
    assert_eq!([2, 3].map(|n| rank(&b, n)), [Some(1), Some(2)]);
    assert!(b.has_queued());
    assert!(place_all(&mut b).is_empty(), "the slot is still taken");

    // The pencil in the way goes: the 1st waiting hold takes its place, the 2nd waits on.
    let ev = b.decide_transition(bid(1), 1, Cancelled, None, &ctx(0)).unwrap();
    b.apply(&ev);
    assert_eq!(place_all(&mut b), vec![bid(2)]);
    assert_eq!(rank(&b, 3), Some(1));
    // And when that one goes too, the next.
    let ev = b.decide_transition(bid(2), 2, Cancelled, None, &ctx(0)).unwrap();
    b.apply(&ev);
    assert_eq!(place_all(&mut b), vec![bid(3)]);
    assert!(!b.has_queued());
    let _ = behind;
}

#[test]
fn a_waiting_hold_behind_an_ordinary_hold_waits_for_it_too() {
    let mut b = book();
    hold(&mut b, 1, 10, 12, Some(P1));
    create(&mut b, 2, Pencil, 10, 12);
    request_queued(&mut b, 3, Pencil, 10, 12);
    assert_eq!(rank(&b, 3), Some(2));
    let ev = b.decide_transition(bid(2), 1, Cancelled, None, &ctx(0)).unwrap();
    b.apply(&ev);
    assert!(place_all(&mut b).is_empty(), "the 1st hold keeps first call");
    let ev = b.decide_transition(bid(1), 1, Cancelled, None, &ctx(0)).unwrap();
    b.apply(&ev);
    assert_eq!(place_all(&mut b), vec![bid(3)]);
}

#[test]
fn changing_a_waiting_hold_by_hand_takes_it_off_the_list() {
    let mut b = book();
    create(&mut b, 1, Pencil, 0, 4);
    request_queued(&mut b, 2, Confirmed, 20, 22);
    // (Not busy: a plain confirmed booking, never queued.)
    assert_eq!(b.view(bid(2)).unwrap().booking.status, Confirmed);
    let w = request_queued(&mut b, 3, Confirmed, 1, 2);
    assert_eq!(w.queued_for, Some(Confirmed));
    let ev = b.decide_transition(bid(3), 1, Cancelled, None, &ctx(0)).unwrap();
    assert_eq!(ev.booking().unwrap().queued_for, None);
    b.apply(&ev);
    assert!(!b.has_queued());
}

#[test]
fn a_challenge_does_not_travel_with_a_move() {
    let mut b = book();
    hold(&mut b, 1, 0, 4, Some(P1));
    hold(&mut b, 2, 1, 3, Some(P2));
    let ev = b.decide_challenge(bid(1), bid(2), None, DAY, &ctx(10)).unwrap();
    b.apply(&ev);
    let patch = BookingPatch { artist_id: Some(OTHER), ..patch(2) };
    let moved = b.prepare_move(bid(1), &patch, &ctx(11)).unwrap();
    assert_eq!((moved.challenged_by, moved.expires_at), (None, Some(at(34))));
}
