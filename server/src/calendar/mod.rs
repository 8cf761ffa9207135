//! # Calendar feeds
//!
//! What a calendar app subscribed to a feed URL sees: the studio's (or one
//! artist's) bookings and approved time off, as iCalendar (RFC 5545). Built
//! from memory on every request, so a feed is as fresh as the board:
//! * holds are `STATUS:TENTATIVE` with their rank ("1st hold"; also
//!   `X-PT-HOLD-RANK`), pencils `TENTATIVE`, confirmed bookings `CONFIRMED`;
//!   cancelled and expired bookings are left out (a calendar then drops them);
//! * approved time off is a busy `CONFIRMED` event ("Time off"), its note left
//!   out (it may be private);
//! * everything from [`PAST`] ago to [`AHEAD`] ahead.
//!
//! The feed's secret and its revocation are [`crate::studio::feeds`]'s.

pub mod ics;

use ics::{Ics, Value};
use pt_actors::artist_actor::BookingFilter;
use pt_actors::store::feeds::CalendarFeedRow;
use pt_actors::{CommandError, Tenant};
use pt_protocol::booking::BookingView;
use pt_protocol::{Artist, BookingStatus, TimeOffKind, TimeRange, Timestamp};
use std::collections::HashMap;

/// How far back a feed reaches.
pub const PAST: i64 = 60 * DAY;
/// How far ahead a feed reaches.
pub const AHEAD: i64 = 400 * DAY;
const DAY: i64 = 86_400_000_000;

/// The feed's iCalendar document at `now`.
pub async fn render(tenant: &Tenant, feed: &CalendarFeedRow, now: Timestamp) -> Result<String, CommandError> {
    let settings = tenant.settings();
    let window = TimeRange::new(Timestamp(now.0 - PAST), Timestamp(now.0 + AHEAD)).expect("a non-empty window");
    let artists: HashMap<_, _> = tenant.list_artists().await?.into_iter().map(|a| (a.id, a)).collect();
    let name = match feed.artist_id.and_then(|id| artists.get(&id)) {
        Some(a) => format!("{} — {}", a.name, settings.name),
        None => settings.name.clone(),
    };
    let filter = BookingFilter { range: Some(window), project: None, status: None };
    let bookings = match feed.artist_id {
        // An archived artist's feed is empty, not an error: subscribers keep polling.
        Some(id) if !artists.contains_key(&id) => Vec::new(),
        artist => tenant.list_bookings(artist, filter).await?,
    };
    let mut ics = Ics::calendar(&name, &settings.timezone);
    let studio_feed = feed.artist_id.is_none();
    for view in bookings.iter().filter(|v| v.booking.status.is_active()) {
        let artist = artists.get(&view.booking.artist_id).map(|a| a.name.as_str());
        booking_event(&mut ics, view, artist.filter(|_| studio_feed), now);
    }
    let people: Vec<&Artist> = match feed.artist_id {
        Some(id) => artists.get(&id).into_iter().collect(),
        None => artists.values().collect(),
    };
    for artist in people {
        time_off_events(&mut ics, artist, studio_feed, window, now);
    }
    Ok(ics.finish())
}

/// "1st", "2nd", "3rd", "4th" … (11th–13th included).
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn booking_event(ics: &mut Ics, view: &BookingView, artist: Option<&str>, now: Timestamp) {
    let b = &view.booking;
    let (status, label) = match (b.status, view.hold_rank) {
        (BookingStatus::Hold, Some(rank)) => ("TENTATIVE", format!("{} hold", ordinal(rank))),
        (BookingStatus::Hold, None) => ("TENTATIVE", "Hold".to_string()),
        (BookingStatus::Pencil, _) => ("TENTATIVE", "Pencil".to_string()),
        _ => ("CONFIRMED", "Confirmed".to_string()),
    };
    let summary = match artist {
        Some(name) => format!("{name}: {} ({label})", b.title),
        None => format!("{} ({label})", b.title),
    };
    let mut description = label.clone();
    if let Some(expires) = b.expires_at.filter(|_| b.status == BookingStatus::Hold) {
        description.push_str(&format!(", lapses {}", expires.to_chrono().format("%Y-%m-%d %H:%M UTC")));
    }
    if let Some(notes) = b.notes.as_deref().filter(|n| !n.trim().is_empty()) {
        description.push_str("\n\n");
        description.push_str(notes);
    }
    ics.line("BEGIN", Value::Raw("VEVENT"));
    ics.line("UID", Value::Text(&format!("{}@production-tool", b.id.0)));
    ics.line("DTSTAMP", Value::Utc(now));
    ics.line("LAST-MODIFIED", Value::Utc(b.updated_at));
    ics.line("SEQUENCE", Value::Raw(&b.version.to_string()));
    ics.line("DTSTART", Value::Utc(b.start_time));
    ics.line("DTEND", Value::Utc(b.end_time));
    ics.line("SUMMARY", Value::Text(&summary));
    ics.line("DESCRIPTION", Value::Text(&description));
    ics.line("STATUS", Value::Raw(status));
    ics.line("TRANSP", Value::Raw("OPAQUE"));
    ics.line("CATEGORIES", Value::Text(b.status.as_str()));
    ics.line("X-PT-STATUS", Value::Raw(b.status.as_str()));
    if let Some(rank) = view.hold_rank.filter(|_| b.status == BookingStatus::Hold) {
        ics.line("X-PT-HOLD-RANK", Value::Raw(&rank.to_string()));
    }
    ics.line("END", Value::Raw("VEVENT"));
}

fn time_off_events(ics: &mut Ics, artist: &Artist, studio_feed: bool, window: TimeRange, now: Timestamp) {
    for entry in artist.time_off.iter().filter(|t| t.status == pt_protocol::TimeOffStatus::Approved) {
        if !entry.range().overlaps(&window) {
            continue;
        }
        let kind = match entry.kind {
            TimeOffKind::Vacation => "Time off (vacation)",
            TimeOffKind::Sick => "Time off (sick)",
            TimeOffKind::Other => "Time off",
        };
        let summary = if studio_feed { format!("{}: {kind}", artist.name) } else { kind.to_string() };
        ics.line("BEGIN", Value::Raw("VEVENT"));
        ics.line("UID", Value::Text(&format!("{}@production-tool", entry.id.0)));
        ics.line("DTSTAMP", Value::Utc(now));
        ics.line("LAST-MODIFIED", Value::Utc(entry.decided_at.unwrap_or(entry.created_at)));
        ics.line("DTSTART", Value::Utc(entry.start));
        ics.line("DTEND", Value::Utc(entry.end));
        ics.line("SUMMARY", Value::Text(&summary));
        ics.line("STATUS", Value::Raw("CONFIRMED"));
        ics.line("TRANSP", Value::Raw("OPAQUE"));
        ics.line("CATEGORIES", Value::Text("time off"));
        ics.line("X-PT-STATUS", Value::Raw("time_off"));
        ics.line("END", Value::Raw("VEVENT"));
    }
}

#[cfg(test)]
mod tests {
    use super::ordinal;

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].into_iter().map(ordinal).collect();
        assert_eq!(got, ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]);
    }
}
