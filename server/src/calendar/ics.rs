//! A small iCalendar (RFC 5545) writer: content lines with escaped text
//! values, folded at 75 octets, CRLF line ends. Only what the feeds need:
//! one `VCALENDAR` of `VEVENT`s with UTC date-times.

use pt_protocol::Timestamp;
use std::fmt::Write;

/// An iCalendar document being written.
pub struct Ics {
    out: String,
}

/// A property value: text is escaped (§3.3.11), the rest is written as is.
pub enum Value<'a> {
    Text(&'a str),
    /// A UTC date-time, `19980119T070000Z` (§3.3.5, form 2).
    Utc(Timestamp),
    /// Already in the property's value syntax (an integer, a status name).
    Raw(&'a str),
}

impl Ics {
    /// `BEGIN:VCALENDAR` and the calendar's own properties.
    pub fn calendar(name: &str, timezone: &str) -> Self {
        let mut ics = Self { out: String::new() };
        ics.line("BEGIN", Value::Raw("VCALENDAR"));
        ics.line("VERSION", Value::Raw("2.0"));
        ics.line("PRODID", Value::Raw("-//Production Tool//Calendar feed//EN"));
        ics.line("CALSCALE", Value::Raw("GREGORIAN"));
        ics.line("METHOD", Value::Raw("PUBLISH"));
        // Read by Apple Calendar, Google Calendar and Outlook.
        ics.line("X-WR-CALNAME", Value::Text(name));
        ics.line("X-WR-TIMEZONE", Value::Text(timezone));
        ics.line("REFRESH-INTERVAL;VALUE=DURATION", Value::Raw("PT15M"));
        ics.line("X-PUBLISHED-TTL", Value::Raw("PT15M"));
        ics
    }

    /// One content line, folded.
    pub fn line(&mut self, name: &str, value: Value<'_>) {
        let mut line = String::with_capacity(name.len() + 32);
        line.push_str(name);
        line.push(':');
        match value {
            Value::Text(t) => escape_into(&mut line, t),
            Value::Utc(t) => {
                let _ = write!(line, "{}", t.to_chrono().format("%Y%m%dT%H%M%SZ"));
            }
            Value::Raw(r) => line.push_str(r),
        }
        fold_into(&mut self.out, &line);
    }

    /// `END:VCALENDAR`, and the document.
    pub fn finish(mut self) -> String {
        self.line("END", Value::Raw("VCALENDAR"));
        self.out
    }
}

/// TEXT escaping: backslash, semicolon, comma and newlines; other control
/// characters (not allowed in TEXT) are dropped.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
}

/// Writes `line` folded: no physical line longer than 75 octets, each
/// continuation starting with a space, never splitting a UTF-8 character.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_fold_on_character_boundaries() {
        let mut ics = Ics::calendar("Studio; A, B", "Europe/London");
        let long = "é".repeat(60);
        ics.line("SUMMARY", Value::Text(&format!("a\\b\nc{long}")));
        let doc = ics.finish();
        assert!(doc.contains("X-WR-CALNAME:Studio\\; A\\, B\r\n"));
        for physical in doc.split("\r\n") {
            assert!(physical.len() <= 75, "{physical:?} is {} octets", physical.len());
        }
        let unfolded = doc.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:a\\\\b\\nc{long}\r\n")));
        assert!(doc.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") && doc.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn utc_times_are_basic_format() {
        let mut ics = Ics { out: String::new() };
        ics.line("DTSTART", Value::Utc(Timestamp::from_micros(1_772_442_000_000_000)));
        assert_eq!(ics.out, "DTSTART:20260302T090000Z\r\n");
    }
}
