//! Reading an uploaded CSV file (the export's format) into typed rows.
//!
//! The header row is required; a column the file kind does not know, a
//! repeated column or a missing required one is an error on line 1. Each
//! cell is parsed on its own, and every problem is kept with its line (the
//! line the row starts on, the header being line 1) and column, so one
//! answer lists them all. Id columns (`id`) are read and ignored: an import
//! always creates.

use super::csv_export::SKILL_SEPARATOR;
use super::report::RowError;
use crate::error::ApiError;
use axum::http::StatusCode;
use pt_protocol::{ArtistId, BookingStatus, ErrorCode, FieldError, NewArtist, PhaseId, ProjectId, Timestamp};
use std::collections::HashMap;

/// Most data rows one import takes.
pub const MAX_ROWS: usize = 5_000;
/// Largest file one import takes (5,000 rows of about 800 bytes).
pub const MAX_CSV_BYTES: usize = 4 * 1024 * 1024;

/// A file's data rows, by column name, and the problems met reading it.
#[derive(Debug, Default)]
pub struct Sheet {
    /// Data rows in the file, read or not.
    pub records: usize,
    pub rows: Vec<Row>,
    pub errors: Vec<RowError>,
}

/// One data row: its line and its cells by column name (empty cells left out).
#[derive(Debug)]
pub struct Row {
    pub line: u64,
    cells: HashMap<String, String>,
}

impl Row {
    /// The cell of `column`, white space around it trimmed; `None` when empty.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.cells.get(column).map(|s| s.trim()).filter(|s| !s.is_empty())
    }
}

/// The columns one kind of file may have, and those it must have.
pub struct Columns {
    pub allowed: &'static [&'static str],
    pub required: &'static [&'static str],
}

fn too_many_rows() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
        format!("an import takes at most {MAX_ROWS} rows; split the file"),
    )
}

/// Reads `body` as CSV with a header row. More than [`MAX_ROWS`] rows is a
/// `413`, a header naming none of the columns (not this kind of file at all)
/// a `400`; everything else wrong is in the sheet's errors.
pub fn read(body: &[u8], columns: &Columns) -> Result<Sheet, ApiError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let mut sheet = Sheet::default();
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(body);
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => {
            sheet.errors.push(RowError::row(1, format!("the header row cannot be read: {e}")));
            return Ok(sheet);
        }
    };
    if header.iter().all(String::is_empty) {
        sheet.errors.push(RowError::row(1, "the file is empty: a header row naming the columns is required"));
        return Ok(sheet);
    }
    if !header.iter().any(|h| columns.allowed.contains(&h.as_str())) {
        let expected = columns.allowed.join(", ");
        return Err(ApiError::invalid(
            "body",
            format!("not a CSV file of this kind: the header row names none of its columns ({expected})"),
        ));
    }
    check_header(&header, columns, &mut sheet.errors);
    for record in rdr.records() {
        if sheet.records == MAX_ROWS {
            return Err(too_many_rows());
        }
        sheet.records += 1;
        match record {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line());
                let cells = header.iter().cloned().zip(r.iter().map(super::csv_export::unguard)).collect();
                sheet.rows.push(Row { line, cells });
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let reason = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("this row has {len} cells; the header has {expected_len}")
                    }
                    csv::ErrorKind::Utf8 { .. } => "this row is not valid UTF-8".to_string(),
                    _ => format!("this row cannot be read: {e}"),
                };
                sheet.errors.push(RowError::row(line, reason));
            }
        }
    }
    Ok(sheet)
}

fn check_header(header: &[String], columns: &Columns, errors: &mut Vec<RowError>) {
    let mut seen = Vec::new();
    for name in header {
        if !columns.allowed.contains(&name.as_str()) {
            let expected = columns.allowed.join(", ");
            errors.push(RowError::cell(1, name, format!("unknown column; the columns are {expected}")));
        } else if seen.contains(&name) {
            errors.push(RowError::cell(1, name, "this column appears twice"));
        }
        seen.push(name);
    }
    for required in columns.required {
        if !header.iter().any(|h| h == required) {
            errors.push(RowError::cell(1, required, "this column is required"));
        }
    }
}

/// The CSV column of a field the domain's validation names (`endTime` →
/// `end_time`, `skills[2]` → `skills`), if the file has such a column.
pub fn column_of(field: &str, allowed: &[&str]) -> Option<String> {
    let base = field.split(['[', '.']).next().unwrap_or(field);
    let mut snake = String::new();
    for c in base.chars() {
        if c.is_ascii_uppercase() {
            snake.push('_');
            snake.push(c.to_ascii_lowercase());
        } else {
            snake.push(c);
        }
    }
    allowed.contains(&snake.as_str()).then_some(snake)
}

/// The domain's field errors as errors of row `line`.
pub fn field_errors(line: u64, errs: Vec<FieldError>, allowed: &[&str], out: &mut Vec<RowError>) {
    for e in errs {
        out.push(RowError { line, column: column_of(&e.field, allowed), reason: e.reason });
    }
}

fn bool_cell(row: &Row, column: &str, errors: &mut Vec<RowError>) -> Option<bool> {
    match row.get(column)?.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => {
            errors.push(RowError::cell(row.line, column, "must be true or false"));
            None
        }
    }
}

fn id_cell<T: std::str::FromStr>(row: &Row, column: &str, errors: &mut Vec<RowError>) -> Option<T> {
    let cell = row.get(column)?;
    match cell.parse() {
        Ok(id) => Some(id),
        Err(_) => {
            errors.push(RowError::cell(row.line, column, format!("`{cell}` is not a UUID")));
            None
        }
    }
}

fn time_cell(row: &Row, column: &str, errors: &mut Vec<RowError>) -> Option<Timestamp> {
    let cell = row.get(column)?;
    match Timestamp::parse_rfc3339(cell) {
        Ok(t) => Some(t),
        Err(_) => {
            let reason = format!("`{cell}` is not an RFC 3339 time with an offset, such as 2026-03-02T09:00:00Z");
            errors.push(RowError::cell(row.line, column, reason));
            None
        }
    }
}

/// The columns of an artists file.
pub const ARTIST_FILE: Columns = Columns { allowed: &super::csv_export::ARTIST_COLUMNS, required: &["name"] };

/// The columns of a bookings file (an artist is named by `artist_id` or
/// `artist_name`: at least one of them is checked per row).
pub const BOOKING_FILE: Columns =
    Columns { allowed: &super::csv_export::BOOKING_COLUMNS, required: &["title", "start_time", "end_time"] };

/// One artist row as the command that creates it.
pub fn artist_row(row: &Row, errors: &mut Vec<RowError>) -> NewArtist {
    let skills = row
        .get("skills")
        .map(|s| s.split(SKILL_SEPARATOR).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    NewArtist {
        name: row.get("name").unwrap_or_default().to_string(),
        email: row.get("email").map(str::to_string),
        skills,
        timezone: row.get("timezone").map(str::to_string),
        active: bool_cell(row, "active", errors),
    }
}

/// One booking row, parsed; names not yet resolved to this studio's ids.
#[derive(Clone, Debug)]
pub struct BookingRow {
    pub line: u64,
    pub artist_id: Option<ArtistId>,
    pub artist_name: Option<String>,
    pub project_id: Option<ProjectId>,
    pub project_name: Option<String>,
    pub phase_id: Option<PhaseId>,
    pub phase_name: Option<String>,
    pub title: String,
    pub status: BookingStatus,
    pub start_time: Timestamp,
    pub end_time: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub notes: Option<String>,
    pub allow_overtime: bool,
}

/// One booking row, or `None` when a cell could not be read (the reasons
/// are in `errors`).
pub fn booking_row(row: &Row, errors: &mut Vec<RowError>) -> Option<BookingRow> {
    let before = errors.len();
    let line = row.line;
    let artist_id = id_cell(row, "artist_id", errors);
    let artist_name = row.get("artist_name").map(str::to_string);
    if row.get("artist_id").is_none() && artist_name.is_none() {
        errors.push(RowError::cell(line, "artist_name", "name the artist: artist_id or artist_name is required"));
    }
    let status = match row.get("status") {
        None => Some(BookingStatus::Pencil),
        Some(s) => BookingStatus::parse(&s.to_ascii_lowercase()).or_else(|| {
            let reason = format!("`{s}` is not a status: hold, pencil, confirmed, cancelled or expired");
            errors.push(RowError::cell(line, "status", reason));
            None
        }),
    };
    let start_time = time_cell(row, "start_time", errors);
    let end_time = time_cell(row, "end_time", errors);
    for (column, value) in [("start_time", start_time), ("end_time", end_time)] {
        if value.is_none() && row.get(column).is_none() {
            errors.push(RowError::cell(line, column, "required"));
        }
    }
    let parsed = BookingRow {
        line,
        artist_id,
        artist_name,
        project_id: id_cell(row, "project_id", errors),
        project_name: row.get("project_name").map(str::to_string),
        phase_id: id_cell(row, "phase_id", errors),
        phase_name: row.get("phase_name").map(str::to_string),
        // Untrimmed: the domain's rules trim and judge it, as for JSON.
        title: row.cells.get("title").cloned().unwrap_or_default(),
        status: status.unwrap_or(BookingStatus::Pencil),
        start_time: start_time.unwrap_or(Timestamp::from_micros(0)),
        end_time: end_time.unwrap_or(Timestamp::from_micros(0)),
        expires_at: time_cell(row, "expires_at", errors),
        notes: row.cells.get("notes").filter(|n| !n.is_empty()).cloned(),
        allow_overtime: bool_cell(row, "allow_overtime", errors).unwrap_or(false),
    };
    (errors.len() == before).then_some(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_checked() {
        let sheet = read(b"name,colour,name\nAna,red,Ana\n", &ARTIST_FILE).unwrap();
        let got: Vec<_> = sheet.errors.iter().map(|e| (e.line, e.column.as_deref())).collect();
        assert_eq!(got, [(1, Some("colour")), (1, Some("name"))]);
        let sheet = read(b"email\nx@y.z\n", &ARTIST_FILE).unwrap();
        assert_eq!(sheet.errors, [RowError::cell(1, "name", "this column is required")]);
        let sheet = read(b"", &ARTIST_FILE).unwrap();
        assert_eq!(sheet.errors.len(), 1);
        assert_eq!(read(b"{}", &ARTIST_FILE).unwrap_err().status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn lines_count_quoted_newlines_and_short_rows_are_errors() {
        let sheet = read(b"name,email\n\"Ana\nMaria\",a@b.co\nBen\nCy,c@d.co\n", &ARTIST_FILE).unwrap();
        let lines: Vec<_> = sheet.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 5]);
        assert_eq!(sheet.errors, [RowError::row(4, "this row has 1 cells; the header has 2")]);
    }

    #[test]
    fn too_many_rows_is_413() {
        let mut body = b"name\n".to_vec();
        for i in 0..=MAX_ROWS {
            body.extend(format!("A{i}\n").as_bytes());
        }
        assert_eq!(read(&body, &ARTIST_FILE).unwrap_err().status, StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[test]
    fn booking_cells() {
        let body = b"artist_name,title,status,start_time,end_time,allow_overtime\n\
            Ana,Shot,maybe,2026-03-02,2026-03-02T10:00:00Z,perhaps\n,Shot,,2026-03-02T09:00:00Z,,\n";
        let sheet = read(body, &BOOKING_FILE).unwrap();
        let mut errors = Vec::new();
        assert!(sheet.rows.iter().all(|r| booking_row(r, &mut errors).is_none()));
        let got: Vec<_> = errors.iter().map(|e| (e.line, e.column.as_deref().unwrap_or("-"))).collect();
        assert_eq!(got, [(2, "status"), (2, "start_time"), (2, "allow_overtime"), (3, "artist_name"), (3, "end_time")]);
    }

    #[test]
    fn fields_map_to_columns() {
        assert_eq!(column_of("endTime", BOOKING_FILE.allowed).as_deref(), Some("end_time"));
        assert_eq!(column_of("skills[2]", ARTIST_FILE.allowed).as_deref(), Some("skills"));
        assert_eq!(column_of("version", ARTIST_FILE.allowed), None);
    }
}
