//! Free time: what of an artist's working time is still bookable.
//!
//! *Pieces* are working spans minus holidays, approved time off and
//! exclusive bookings, never before `now`. Pieces join into *runs* when only
//! non-working time (a night, a weekend) lies between them and no booking
//! sits in it: a run is a stretch one booking could cover without touching
//! anything. A *free window* for a request is a placement of the request's
//! working time inside one run; each run offers the placement nearest to the
//! requested start.

use super::{Span, WorkSpan};
use pt_protocol::{TimeOffId, TimeRange, Timestamp};

/// A stretch of free working time inside one working span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    pub start: i64,
    pub end: i64,
    /// Index of its working span.
    pub span: usize,
}

/// Free pieces of `[from, to)`: `spans` (every working span overlapping it,
/// holidays included and skipped) minus `off` and `busy` (both sorted by start).
pub fn pieces(spans: &[WorkSpan], off: &[(i64, i64, TimeOffId)], busy: &[Span], from: i64, to: i64) -> Vec<Piece> {
    let blockers = merged(off, busy);
    let mut out = Vec::new();
    let mut k = 0;
    for (i, w) in spans.iter().enumerate() {
        if w.holiday.is_some() {
            continue;
        }
        let (mut s, e) = (w.start.max(from), w.end.min(to));
        // Blockers ending before this span never matter again (spans are in order).
        while k < blockers.len() && blockers[k].1 <= s {
            k += 1;
        }
        let mut j = k;
        while s < e && j < blockers.len() && blockers[j].0 < e {
            let (bs, be) = blockers[j];
            if bs > s {
                out.push(Piece { start: s, end: bs.min(e), span: i });
            }
            s = s.max(be);
            j += 1;
        }
        if s < e {
            out.push(Piece { start: s, end: e, span: i });
        }
    }
    out
}

/// `off` and `busy` (each sorted by start) as one list sorted by start.
fn merged(off: &[(i64, i64, TimeOffId)], busy: &[Span]) -> Vec<Span> {
    let mut out = Vec::with_capacity(off.len() + busy.len());
    let (mut i, mut j) = (0, 0);
    while i < off.len() || j < busy.len() {
        if j == busy.len() || (i < off.len() && (off[i].0, off[i].1) <= busy[j]) {
            out.push((off[i].0, off[i].1));
            i += 1;
        } else {
            out.push(busy[j]);
            j += 1;
        }
    }
    out
}

/// Pieces joined into runs: `runs[r]` is a range of indexes into `pieces`.
pub fn runs(spans: &[WorkSpan], pieces: &[Piece], busy: &[Span]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut first = 0;
    for i in 1..=pieces.len() {
        let joins = i < pieces.len() && {
            let (p, q) = (pieces[i - 1], pieces[i]);
            p.end == spans[p.span].end
                && q.start == spans[q.span].start
                && q.span == p.span + 1
                && !overlaps_any(busy, p.end, q.start)
        };
        if !joins {
            if first < i {
                out.push(first..i);
            }
            first = i;
        }
    }
    out
}

/// Whether any of the sorted, non-overlapping `busy` ranges meets `[s, e)`.
fn overlaps_any(busy: &[Span], s: i64, e: i64) -> bool {
    let i = busy.partition_point(|b| b.1 <= s);
    i < busy.len() && busy[i].0 < e
}

/// Working microseconds of `[s, e)`.
pub fn working_micros(spans: &[WorkSpan], s: i64, e: i64) -> i64 {
    spans.iter().map(|w| (w.end.min(e) - w.start.max(s)).max(0)).sum()
}

/// Up to `count` windows, each holding `len` microseconds of working time
/// inside one run, nearest to `around` first (ties: earlier first).
pub fn windows(
    pieces: &[Piece],
    runs: &[std::ops::Range<usize>],
    around: i64,
    len: i64,
    count: usize,
) -> Vec<TimeRange> {
    let mut found: Vec<(i64, i64, i64)> = runs
        .iter()
        .filter_map(|r| place(&pieces[r.clone()], around, len))
        .map(|(s, e)| ((s - around).abs(), s, e))
        .collect();
    found.sort_unstable();
    found.into_iter().take(count).map(|(_, s, e)| TimeRange { start: Timestamp(s), end: Timestamp(e) }).collect()
}

/// The placement of `len` working microseconds in `run` starting nearest to `around`.
fn place(run: &[Piece], around: i64, len: i64) -> Option<(i64, i64)> {
    let total: i64 = run.iter().map(|p| p.end - p.start).sum();
    if len <= 0 || total < len {
        return None;
    }
    let latest = instant_after(run, total - len);
    let start = if around <= run[0].start {
        run[0].start
    } else if around >= latest {
        latest
    } else {
        // Inside a piece: there; in a gap: the next piece's start.
        run.iter().find(|p| p.end > around).map_or(latest, |p| p.start.max(around))
    };
    let before: i64 = run.iter().map(|p| (p.end.min(start) - p.start).max(0)).sum();
    Some((start, instant_after(run, before + len - 1) + 1))
}

/// The instant at which `worked` microseconds of `run` have passed (the
/// start of the microsecond numbered `worked`).
fn instant_after(run: &[Piece], mut worked: i64) -> i64 {
    for p in run {
        let len = p.end - p.start;
        if worked < len {
            return p.start + worked;
        }
        worked -= len;
    }
    run.last().map_or(0, |p| p.end)
}

/// Days of work in `[from, to)`: how many local working days (holidays
/// excluded) the range holds, and how many of them are entirely free.
pub fn day_counts(spans: &[WorkSpan], pieces: &[Piece], from: i64, to: i64) -> (u32, u32) {
    let (mut working, mut free) = (0, 0);
    // Pieces are in span order; `k` walks them alongside the days.
    let mut k = 0;
    let mut i = 0;
    while i < spans.len() {
        let day = spans[i].day;
        let mut j = i;
        while j < spans.len() && spans[j].day == day {
            j += 1;
        }
        // Spans of the day wholly free: each is then exactly one piece.
        let mut full = 0;
        while k < pieces.len() && pieces[k].span < j {
            let (p, w) = (pieces[k], spans[pieces[k].span]);
            full += usize::from(p.start == w.start && p.end == w.end);
            k += 1;
        }
        let inside = spans[i..j].iter().all(|w| w.start >= from && w.end <= to);
        if spans[i].holiday.is_none() && inside {
            working += 1;
            if full == j - i {
                free += 1;
            }
        }
        i = j;
    }
    (working, free)
}
