//! Why a range is not workable, overlap by overlap.
//!
//! A scheduler's reading of the rules:
//!
//! * **outside working hours** — the range starts before or ends after the
//!   artist's working time (an evening, a weekend), or holds no working time
//!   at all. Nights and weekends *inside* a multi-day booking are fine: a
//!   booking from Monday 09:00 to Friday 18:00 is a working week.
//! * **holiday** — a studio holiday falls on a working day the range covers.
//! * **time off** — approved time off covers working time the range covers
//!   (time off over a weekend the booking merely spans does not count).

use super::{Span, Week, WorkSpan};
use pt_protocol::{TimeOffId, TimeRange, Timestamp, Unavailability, UnavailableReason};

/// Every overlap of `range` with time the artist does not work, by start.
/// Empty when the whole range is workable.
pub fn unavailability(week: &Week, off: &[(i64, i64, TimeOffId)], range: TimeRange) -> Vec<Unavailability> {
    let (a, b) = (range.start.0, range.end.0);
    let spans = week.spans(a, b);
    let mut out = Vec::new();
    match (spans.first(), spans.last()) {
        (Some(first), Some(last)) => {
            if a < first.start {
                out.push(entry(UnavailableReason::OutsideWorkingHours, (a, first.start)));
            }
            if b > last.end {
                out.push(entry(UnavailableReason::OutsideWorkingHours, (last.end, b)));
            }
        }
        _ => out.push(entry(UnavailableReason::OutsideWorkingHours, (a, b))),
    }
    holidays(week, &spans, (a, b), &mut out);
    for &(os, oe, id) in off.iter().take_while(|o| o.0 < b) {
        if oe <= a {
            continue;
        }
        let (s, e) = (os.max(a), oe.min(b));
        if spans.iter().any(|w| w.start < e && w.end > s) {
            out.push(Unavailability { time_off_id: Some(id), ..entry(UnavailableReason::TimeOff, (s, e)) });
        }
    }
    out.sort_by_key(|u| (u.start, u.reason));
    out
}

/// One entry per holiday: from its first working span in the range to its last.
fn holidays(week: &Week, spans: &[WorkSpan], (a, b): Span, out: &mut Vec<Unavailability>) {
    let mut i = 0;
    while i < spans.len() {
        let Some(h) = spans[i].holiday else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j + 1 < spans.len() && spans[j + 1].holiday == Some(h) {
            j += 1;
        }
        let (s, e) = (spans[i].start.max(a), spans[j].end.min(b));
        if s < e {
            let name = week.holidays[h].name.clone();
            out.push(Unavailability { holiday: Some(name), ..entry(UnavailableReason::Holiday, (s, e)) });
        }
        i = j + 1;
    }
}

fn entry(reason: UnavailableReason, (s, e): Span) -> Unavailability {
    Unavailability { reason, start: Timestamp(s), end: Timestamp(e), time_off_id: None, holiday: None }
}
