//! Bookings and artists as CSV, one row each under a header row. The columns
//! are what [`super::csv_import`] reads back: an export is a valid import.

use pt_protocol::booking::BookingView;
use pt_protocol::project::ProjectPlan;
use pt_protocol::{Artist, Timestamp};
use std::collections::HashMap;

/// The columns of a bookings file, in order.
pub const BOOKING_COLUMNS: [&str; 14] = [
    "id",
    "artist_id",
    "artist_name",
    "project_id",
    "project_name",
    "phase_id",
    "phase_name",
    "title",
    "status",
    "start_time",
    "end_time",
    "expires_at",
    "notes",
    "allow_overtime",
];

/// The columns of an artists file, in order (what `NewArtist` accepts, and the id).
pub const ARTIST_COLUMNS: [&str; 6] = ["id", "name", "email", "skills", "timezone", "active"];

/// Separates skills in the `skills` cell.
pub const SKILL_SEPARATOR: char = ';';

/// What a spreadsheet would run as a formula when a cell starts with it.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell a spreadsheet shows as text: one that would start a formula
/// (`=HYPERLINK(…)` in a booking's title, say) gets a leading `'` (OWASP's
/// advice for CSV injection). [`unguard`] takes it off again on import, so a
/// round trip is exact.
pub fn guard(cell: String) -> String {
    if cell.starts_with(FORMULA_STARTS) { format!("'{cell}") } else { cell }
}

/// The cell as it was before [`guard`].
pub fn unguard(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest.to_string(),
        _ => cell.to_string(),
    }
}

fn time(t: Option<Timestamp>) -> String {
    t.map(Timestamp::to_rfc3339).unwrap_or_default()
}

fn finish(w: csv::Writer<Vec<u8>>) -> String {
    // Writing to a Vec cannot fail, and every cell is a Rust string (UTF-8).
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// `bookings` as CSV; artist, project and phase names looked up in `artists` and `plans`.
pub fn bookings_csv(bookings: &[BookingView], artists: &[Artist], plans: &[ProjectPlan]) -> String {
    let artist_names: HashMap<_, _> = artists.iter().map(|a| (a.id, a.name.as_str())).collect();
    let project_names: HashMap<_, _> = plans.iter().map(|p| (p.project.id, p.project.name.as_str())).collect();
    let phase_names: HashMap<_, _> =
        plans.iter().flat_map(|p| p.phases.iter().map(|ph| (ph.id, ph.name.as_str()))).collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(BOOKING_COLUMNS);
    for v in bookings {
        let b = &v.booking;
        let _ = w.write_record(
            [
                b.id.to_string(),
                b.artist_id.to_string(),
                artist_names.get(&b.artist_id).copied().unwrap_or_default().to_string(),
                b.project_id.map(|p| p.to_string()).unwrap_or_default(),
                b.project_id.and_then(|p| project_names.get(&p).copied()).unwrap_or_default().to_string(),
                b.phase_id.map(|p| p.to_string()).unwrap_or_default(),
                b.phase_id.and_then(|p| phase_names.get(&p).copied()).unwrap_or_default().to_string(),
                b.title.clone(),
                b.status.to_string(),
                b.start_time.to_rfc3339(),
                b.end_time.to_rfc3339(),
                time(b.expires_at),
                b.notes.clone().unwrap_or_default(),
                b.allow_overtime.to_string(),
            ]
            .map(guard),
        );
    }
    finish(w)
}

/// `artists` as CSV.
pub fn artists_csv(artists: &[Artist]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(ARTIST_COLUMNS);
    for a in artists {
        let _ = w.write_record(
            [
                a.id.to_string(),
                a.name.clone(),
                a.email.clone().unwrap_or_default(),
                a.skills.join(&SKILL_SEPARATOR.to_string()),
                a.timezone.clone(),
                a.active.to_string(),
            ]
            .map(guard),
        );
    }
    finish(w)
}

#[cfg(test)]
mod tests {
    use super::{guard, unguard};

    #[test]
    fn formulas_are_quoted_and_unquoted() {
        for cell in ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx"] {
            let guarded = guard(cell.to_string());
            assert_eq!(guarded, format!("'{cell}"));
            assert_eq!(unguard(&guarded), cell);
        }
        for cell in ["Comp: shot 010", "'quoted", "", "2026-03-02T09:00:00Z"] {
            assert_eq!(guard(cell.to_string()), cell);
            assert_eq!(unguard(cell), cell);
        }
    }
}
