//! Which command a writer sends next: the mix, the conflict ratio and the
//! board's slots. The same choices drive the baseline, so both sides of the
//! comparison do the same work.

use crate::rng::Rng;
use crate::scenario::{Mix, Scenario};
use pt_protocol::ws::Command;
use pt_protocol::{ArtistId, Booking, BookingId, BookingPatch, BookingStatus, NewBooking, TimeRange, Timestamp};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The part of the calendar a run books into: `slots` slots from `start`.
#[derive(Clone, Copy, Debug)]
pub struct Board {
    pub start: Timestamp,
    pub slot_micros: i64,
    pub slots: u64,
}

/// 2030-01-07T00:00:00Z, a Monday far enough ahead that nothing is in the past.
const BOARD_START_MICROS: i64 = 1_894_060_800_000_000;
/// Longest booking, in slots.
const MAX_LEN_SLOTS: u64 = 4;

impl Board {
    pub fn new(s: &Scenario) -> Self {
        let slot_micros = i64::from(s.slot_minutes) * 60_000_000;
        let slots = u64::from(s.horizon_days) * 24 * 60 / u64::from(s.slot_minutes);
        Self { start: Timestamp::from_micros(BOARD_START_MICROS), slot_micros, slots: slots.max(MAX_LEN_SLOTS + 1) }
    }

    /// The whole board (the range of every window view).
    pub fn range(&self) -> TimeRange {
        TimeRange { start: self.start, end: self.start.plus_micros(self.slot_micros * self.slots as i64) }
    }

    fn random_range(&self, rng: &mut Rng) -> TimeRange {
        let len = 1 + rng.below(MAX_LEN_SLOTS);
        let first = rng.below(self.slots - len);
        let start = self.start.plus_micros(self.slot_micros * first as i64);
        TimeRange { start, end: start.plus_micros(self.slot_micros * len as i64) }
    }
}

/// The kinds of command in the mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    CreateHold,
    CreatePencil,
    CreateConfirmed,
    Move,
    Resize,
    Cancel,
    Promote,
    /// Not in the mix: the end-of-run fence (an artist update).
    Fence,
}

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Self::CreateHold => "create_hold",
            Self::CreatePencil => "create_pencil",
            Self::CreateConfirmed => "create_confirmed",
            Self::Move => "move",
            Self::Resize => "resize",
            Self::Cancel => "cancel",
            Self::Promote => "promote",
            Self::Fence => "fence",
        }
    }

    pub fn pick(rng: &mut Rng, mix: &Mix) -> Op {
        let table = [
            (mix.create_hold, Op::CreateHold),
            (mix.create_pencil, Op::CreatePencil),
            (mix.create_confirmed, Op::CreateConfirmed),
            (mix.r#move, Op::Move),
            (mix.resize, Op::Resize),
            (mix.cancel, Op::Cancel),
            (mix.promote, Op::Promote),
        ];
        let mut roll = rng.below(u64::from(mix.total().max(1))) as u32;
        for (w, op) in table {
            if roll < w {
                return op;
            }
            roll -= w;
        }
        Op::CreatePencil
    }
}

/// A writer's copy of the bookings it can see, with O(1) random picks among
/// the active ones (the board can hold tens of thousands).
#[derive(Clone, Debug, Default)]
pub struct Mirror {
    pub seq: u64,
    pub bookings: HashMap<BookingId, Booking>,
    active: Vec<BookingId>,
    active_pos: HashMap<BookingId, usize>,
}

impl Mirror {
    pub fn upsert(&mut self, b: Booking) {
        let id = b.id;
        let active = b.status.is_active();
        self.bookings.insert(id, b);
        match (active, self.active_pos.contains_key(&id)) {
            (true, false) => {
                self.active_pos.insert(id, self.active.len());
                self.active.push(id);
            }
            (false, true) => self.drop_active(id),
            _ => {}
        }
    }

    pub fn remove(&mut self, id: BookingId) {
        self.bookings.remove(&id);
        if self.active_pos.contains_key(&id) {
            self.drop_active(id);
        }
    }

    fn drop_active(&mut self, id: BookingId) {
        if let Some(pos) = self.active_pos.remove(&id) {
            self.active.swap_remove(pos);
            if let Some(moved) = self.active.get(pos) {
                self.active_pos.insert(*moved, pos);
            }
        }
    }

    pub fn active_len(&self) -> usize {
        self.active.len()
    }

    /// A random active booking satisfying `pred` (a few tries, then none).
    pub fn random_active(&self, rng: &mut Rng, pred: impl Fn(&Booking) -> bool) -> Option<&Booking> {
        for _ in 0..16 {
            let id = rng.pick(&self.active)?;
            let b = &self.bookings[id];
            if pred(b) {
                return Some(b);
            }
        }
        None
    }
}

/// A chosen command, and what it was meant to do.
#[derive(Clone, Debug)]
pub struct Choice {
    pub op: Op,
    pub command: Command,
    /// The booking it changes (none for creates).
    pub target: Option<BookingId>,
    /// A create deliberately aimed at a taken slot.
    pub aimed_conflict: bool,
}

/// Picks the next command of a writer that may book `artists` and sees `mirror`.
/// Bookings in `busy` (the writer's own unanswered commands) are left alone.
pub fn next_command(
    rng: &mut Rng,
    s: &Scenario,
    board: &Board,
    artists: &[ArtistId],
    mirror: &Mirror,
    busy: &HashSet<BookingId>,
) -> Choice {
    let op = Op::pick(rng, &s.mix);
    let mine = |b: &Booking| artists.contains(&b.artist_id) && !busy.contains(&b.id);
    let changed = match op {
        Op::Move if artists.len() > 1 => mirror.random_active(rng, mine).map(|b| {
            let mut to = *rng.pick(artists).unwrap_or(&b.artist_id);
            if to == b.artist_id {
                to = artists[(artists.iter().position(|a| *a == to).unwrap_or(0) + 1) % artists.len()];
            }
            let patch = BookingPatch { version: b.version, artist_id: Some(to), ..Default::default() };
            (b.id, Command::UpdateBooking { id: b.id, patch })
        }),
        Op::Move | Op::Resize => mirror.random_active(rng, mine).map(|b| {
            let longer = b.range().duration_micros() <= board.slot_micros || rng.chance(0.5);
            let end = if longer {
                b.end_time.plus_micros(board.slot_micros)
            } else {
                b.end_time.plus_micros(-board.slot_micros)
            };
            let patch = BookingPatch { version: b.version, end_time: Some(end), ..Default::default() };
            (b.id, Command::UpdateBooking { id: b.id, patch })
        }),
        Op::Cancel => mirror.random_active(rng, mine).map(|b| {
            (
                b.id,
                Command::TransitionBooking {
                    id: b.id,
                    version: b.version,
                    to: BookingStatus::Cancelled,
                    allow_overtime: None,
                },
            )
        }),
        Op::Promote => mirror
            .random_active(rng, |b| mine(b) && matches!(b.status, BookingStatus::Hold | BookingStatus::Pencil))
            .map(|b| {
                let to = if b.status == BookingStatus::Hold { BookingStatus::Pencil } else { BookingStatus::Confirmed };
                // Load runs book every hour of the week: availability is not what they measure.
                (b.id, Command::TransitionBooking { id: b.id, version: b.version, to, allow_overtime: Some(true) })
            }),
        _ => None,
    };
    if let Some((id, command)) = changed {
        return Choice { op, command, target: Some(id), aimed_conflict: false };
    }
    // A create (chosen, or the fallback when nothing fits the chosen change).
    let (op, status) = match op {
        Op::CreateHold => (op, BookingStatus::Hold),
        Op::CreateConfirmed => (op, BookingStatus::Confirmed),
        _ => (Op::CreatePencil, BookingStatus::Pencil),
    };
    let taken = if status.is_exclusive() && rng.chance(s.conflict_ratio) {
        mirror.random_active(rng, |b| artists.contains(&b.artist_id) && b.status.is_exclusive())
    } else {
        None
    };
    let (artist_id, range) = match taken {
        Some(b) => (b.artist_id, b.range()),
        None => (*rng.pick(artists).expect("writers have artists"), board.random_range(rng)),
    };
    let booking = NewBooking {
        artist_id,
        project_id: None,
        phase_id: None,
        title: format!("load {}", rng.below(1_000_000)),
        notes: None,
        start_time: range.start,
        end_time: range.end,
        status: Some(status),
        expires_at: None,
        // Load runs book every hour of the week: availability is not what they measure.
        allow_overtime: Some(true),
        queue_if_busy: None,
    };
    Choice { op, command: Command::CreateBooking { booking }, target: None, aimed_conflict: taken.is_some() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pt_protocol::Timestamp;

    fn booking(artist: ArtistId, status: BookingStatus) -> Booking {
        let t = Timestamp::from_micros(BOARD_START_MICROS);
        Booking {
            id: BookingId::new(),
            artist_id: artist,
            project_id: None,
            phase_id: None,
            title: "t".into(),
            notes: None,
            start_time: t,
            end_time: t.plus_micros(3_600_000_000),
            status,
            expires_at: None,
            version: 1,
            created_at: t,
            created_by: "x".into(),
            updated_at: t,
            updated_by: "x".into(),
            allow_overtime: true,
            challenged_by: None,
            queued_for: None,
        }
    }

    #[test]
    fn mirror_tracks_active_bookings() {
        let a = ArtistId::new();
        let mut m = Mirror::default();
        let mut b = booking(a, BookingStatus::Pencil);
        m.upsert(b.clone());
        m.upsert(booking(a, BookingStatus::Hold));
        assert_eq!(m.active_len(), 2);
        b.status = BookingStatus::Cancelled;
        m.upsert(b.clone());
        assert_eq!(m.active_len(), 1);
        m.remove(b.id);
        assert_eq!(m.bookings.len(), 1);
        let mut rng = Rng::new(1);
        assert!(m.random_active(&mut rng, |x| x.status == BookingStatus::Hold).is_some());
    }

    #[test]
    fn a_full_conflict_ratio_aims_at_taken_slots() {
        let a = ArtistId::new();
        let mut m = Mirror::default();
        let taken = booking(a, BookingStatus::Confirmed);
        m.upsert(taken.clone());
        let s = Scenario {
            conflict_ratio: 1.0,
            mix: Mix {
                create_pencil: 1,
                create_hold: 0,
                create_confirmed: 0,
                r#move: 0,
                resize: 0,
                cancel: 0,
                promote: 0,
            },
            ..Scenario::default()
        };
        let board = Board::new(&s);
        let mut rng = Rng::new(3);
        let c = next_command(&mut rng, &s, &board, &[a], &m, &HashSet::new());
        assert!(c.aimed_conflict);
        let Command::CreateBooking { booking } = c.command else { panic!() };
        assert_eq!((booking.start_time, booking.end_time), (taken.start_time, taken.end_time));
    }

    #[test]
    fn random_ranges_stay_on_the_board() {
        let board = Board::new(&Scenario::default());
        let mut rng = Rng::new(9);
        for _ in 0..10_000 {
            let r = board.random_range(&mut rng);
            assert!(r.start >= board.range().start && r.end <= board.range().end && r.start < r.end);
        }
    }
}
