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
