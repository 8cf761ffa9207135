//! # CSV export and import
//!
//! * [`csv_export`] — `GET /bookings` and `GET /artists` (and the reports)
//!   answer CSV when asked with `Accept: text/csv`: [`wants_csv`], [`csv_response`].
//! * [`csv_import`] — reads an uploaded file (the export's format) into rows:
//!   header checks, per-cell parsing, each problem with its line and column.
//! * [`check`] — what the file means for this studio: names resolved to ids,
//!   the domain's own input rules, conflicts with current bookings (the
//!   availability check `POST /bookings/check-availability` uses) and between
//!   rows of the file.
//! * [`apply`] — a real import: every row through the one command layer
//!   ([`crate::commands::execute`]), undone by compensating commands if one
//!   fails half way.
//! * [`report`] — the [`report::ImportReport`] every import answers.
//!
//! The routes are in [`crate::routes::transfer`] (import) and the list
//! routes of `bookings` and `artists` (export).
pub mod apply;
pub mod check;
pub mod csv_export;
pub mod csv_import;
pub mod report;

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Whether the caller asked for CSV (`Accept: text/csv`).
pub fn wants_csv(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|m| m.trim().starts_with("text/csv")))
}

/// A CSV answer, downloaded as `<name>.csv`.
pub fn csv_response(body: String, name: &str) -> Response {
    let mut res = body.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.csv\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
