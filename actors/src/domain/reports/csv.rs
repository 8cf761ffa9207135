//! CSV renderings of the reports, for `Accept: text/csv`.
//!
//! RFC 4180: CRLF line ends, a field with a comma, quote, CR or LF quoted,
//! inner quotes doubled. Text a user typed (artist, phase and skill names)
//! is also guarded against formula injection: a spreadsheet runs a cell that
//! starts with `=`, `+`, `-` or `@` (and, in some, a tab or CR) as a
//! formula, so such a field gets a leading `'`, which spreadsheets show as
//! text. Numbers are written with two decimals and never guarded (a negative
//! delta must stay a number).

use pt_protocol::report::{Allocation, AllocationStatus, Utilization};
use std::fmt::Write;

pub const UTILIZATION_HEADER: &str =
    "artist_id,artist_name,period_start,available_hours,hold_hours,pencil_hours,confirmed_hours,utilization";
pub const ALLOCATION_HEADER: &str = "phase_id,phase_name,skill,planned_days,booked_days,held_days,delta_days,status";

/// One line per artist and period; `utilization` empty when nothing was available.
pub fn utilization_csv(u: &Utilization) -> String {
    let mut out = String::with_capacity(64 * (1 + u.rows.len() * u.periods.len()));
    out.push_str(UTILIZATION_HEADER);
    out.push_str("\r\n");
    for row in &u.rows {
        for c in &row.cells {
            let _ = write!(out, "{},", row.artist_id);
            push_text(&mut out, &row.artist_name);
            let _ = write!(
                out,
                ",{},{:.2},{:.2},{:.2},{:.2},",
                c.period_start, c.available_hours, c.hold_hours, c.pencil_hours, c.confirmed_hours
            );
            if let Some(x) = c.utilization {
                let _ = write!(out, "{x:.2}");
            }
            out.push_str("\r\n");
        }
    }
    out
}

/// One line per phase and skill; `phase_id` and `phase_name` empty for bookings with no phase.
pub fn allocation_csv(a: &Allocation) -> String {
    let mut out = String::with_capacity(64 * (1 + a.rows.len()));
    out.push_str(ALLOCATION_HEADER);
    out.push_str("\r\n");
    for r in &a.rows {
        if let Some(id) = r.phase_id {
            let _ = write!(out, "{id}");
        }
        out.push(',');
        push_text(&mut out, r.phase_name.as_deref().unwrap_or(""));
        out.push(',');
        push_text(&mut out, &r.skill);
        let status = match r.status {
            AllocationStatus::Under => "under",
            AllocationStatus::OnPlan => "on_plan",
            AllocationStatus::Over => "over",
        };
        let _ = write!(
            out,
            ",{:.2},{:.2},{:.2},{:.2},{status}\r\n",
            r.planned_days, r.booked_days, r.held_days, r.delta_days
        );
    }
    out
}

/// Appends a text field: guarded against formulas, then quoted if it must be.
fn push_text(out: &mut String, field: &str) {
    let guard = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = field.contains([',', '"', '\r', '\n']);
    if quote {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    if quote {
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(field: &str) -> String {
        let mut out = String::new();
        push_text(&mut out, field);
        out
    }

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(text("Ada Lovelace"), "Ada Lovelace");
        assert_eq!(text("Smith, Jo"), "\"Smith, Jo\"");
        assert_eq!(text("Jo \"JJ\" Smith"), "\"Jo \"\"JJ\"\" Smith\"");
        assert_eq!(text("two\nlines"), "\"two\nlines\"");
        assert_eq!(text("a\rb"), "\"a\rb\"");
        assert_eq!(text(""), "");
    }

    #[test]
    fn formulas_are_defused_and_then_quoted() {
        assert_eq!(text("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(text("+1"), "'+1");
        assert_eq!(text("-2+3"), "'-2+3");
        assert_eq!(text("@SUM(A1:A9)"), "'@SUM(A1:A9)");
        assert_eq!(text("\tcmd"), "'\tcmd");
        assert_eq!(text("=1,2"), "\"'=1,2\"");
        assert_eq!(text("a=b"), "a=b");
    }
}
