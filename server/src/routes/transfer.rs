//! `/api/v1/import/{artists,bookings}`: CSV import with a dry run (the
//! export is `GET /artists` and `GET /bookings` with `Accept: text/csv`).
//! The work is in [`crate::transfer`]; this file is the HTTP end.

use crate::auth::Permission;
use crate::commands::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiQuery, Auth};
use crate::routes::Data;
use crate::transfer::apply::{self, Outcome};
use crate::transfer::check;
use crate::transfer::csv_import::{self, ARTIST_FILE, BOOKING_FILE, MAX_CSV_BYTES};
use crate::transfer::report::{ImportReport, RowError};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use pt_protocol::ErrorCode;
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ImportQuery {
    /// `true`: check every row and write nothing; `false`: import (every row or none).
    pub dry_run: bool,
}

/// A `text/csv` body of at most [`MAX_CSV_BYTES`] (larger than the JSON limit).
pub struct CsvBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for CsvBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !ct.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("text/csv") {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::Invalid,
                "expected Content-Type: text/csv",
            ));
        }
        match axum::body::to_bytes(req.into_body(), MAX_CSV_BYTES).await {
            Ok(b) => Ok(Self(b)),
            Err(_) => Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                format!("an import file may be at most {MAX_CSV_BYTES} bytes"),
            )),
        }
    }
}

/// Import artists from CSV (the columns of the export: id (ignored), name,
/// email, skills (`;`-separated), timezone, active; `name` required).
/// Refused per row: the domain's rules, a name the studio or the file
/// already has. `artists:write`.
#[utoipa::path(post, path = "/import/artists", operation_id = "importArtists", tag = "artists", params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The export's format: a header row, then one artist a row"),
    responses((status = 200, description = "A dry run (problems in `errors`), or every row imported (`created`)", body = Data<ImportReport>),
        (status = 400, description = "`invalid`: a bad `dryRun`, or not an artists file (the header row names none of its columns)", body = ErrorBody),
        (status = 409, description = "`conflict`: a row was refused during the import (the studio changed since the check); \
            what was created before it is undone. `details`: the ImportReport", body = ErrorBody),
        (status = 413, description = "`payload_too_large`: more than 4 MiB or 5,000 rows", body = ErrorBody),
        (status = 415, description = "`invalid`: the body is not `Content-Type: text/csv`", body = ErrorBody),
        (status = 422, description = "`unprocessable`: some rows are bad, nothing was written. `details`: the ImportReport", body = ErrorBody)))]
pub async fn import_artists(
    State(state): State<crate::AppState>,
    Auth { who, tenant: t }: Auth,
    ApiQuery(q): ApiQuery<ImportQuery>,
    CsvBody(body): CsvBody,
) -> Result<Response, ApiError> {
    who.require(Permission::ArtistsWrite)?;
    let sheet = csv_import::read(&body, &ARTIST_FILE)?;
    let mut report = ImportReport::new(q.dry_run, sheet.records);
    report.errors = sheet.errors.clone();
    let planned = check::artists(&t, &sheet, &mut report.errors).await?;
    if let Some(refusal) = refuse(&mut report) {
        return refusal;
    }
    let cx = Ctx { state: &state, who: &who, tenant: &t };
    answer(report, apply::artists(cx, planned).await)
}

/// Import bookings from CSV (the columns of the export). The artist is
/// `artist_id` when it is this studio's, else the one artist named exactly
/// `artist_name`; project and phase likewise (optional). `status` defaults to
/// `pencil`; `cancelled` and `expired` rows are created as holds and ended.
/// Refused per row: unreadable cells, the domain's rules (times, status,
/// hold expiry), an inactive artist, and for pencil and confirmed rows an
/// overlap with the artist's bookings or another row of the file, or time the
/// artist does not work (unless `allow_overtime`). `bookings:create`.
#[utoipa::path(post, path = "/import/bookings", operation_id = "importBookings", tag = "bookings", params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The export's format: a header row, then one booking a row"),
    responses((status = 200, description = "A dry run (problems in `errors`), or every row imported (`created`)", body = Data<ImportReport>),
        (status = 400, description = "`invalid`: a bad `dryRun`, or not a bookings file (the header row names none of its columns)", body = ErrorBody),
        (status = 409, description = "`conflict`: a row was refused during the import (the studio changed since the check); \
            what was created before it is undone (bookings cancelled). `details`: the ImportReport", body = ErrorBody),
        (status = 413, description = "`payload_too_large`: more than 4 MiB or 5,000 rows", body = ErrorBody),
        (status = 415, description = "`invalid`: the body is not `Content-Type: text/csv`", body = ErrorBody),
        (status = 422, description = "`unprocessable`: some rows are bad, nothing was written. `details`: the ImportReport", body = ErrorBody)))]
pub async fn import_bookings(
    State(state): State<crate::AppState>,
    Auth { who, tenant: t }: Auth,
    ApiQuery(q): ApiQuery<ImportQuery>,
    CsvBody(body): CsvBody,
) -> Result<Response, ApiError> {
    who.require(Permission::BookingsCreate)?;
    let sheet = csv_import::read(&body, &BOOKING_FILE)?;
    let mut report = ImportReport::new(q.dry_run, sheet.records);
    report.errors = sheet.errors.clone();
    let planned = check::bookings(&who, &t, &sheet, &mut report.errors).await?;
    if let Some(refusal) = refuse(&mut report) {
        return refusal;
    }
    let cx = Ctx { state: &state, who: &who, tenant: &t };
    answer(report, apply::bookings(cx, planned).await)
}

/// The answer when nothing is to be written: a dry run (200) or a file with
/// bad rows (422, the report as details).
fn refuse(report: &mut ImportReport) -> Option<Result<Response, ApiError>> {
    report.sort();
    if report.dry_run {
        return Some(Ok(Json(Data { data: report.clone() }).into_response()));
    }
    if report.errors.is_empty() {
        return None;
    }
    let lines = report.errors.iter().map(|e| e.line).collect::<std::collections::BTreeSet<_>>().len();
    let message = format!("{lines} line(s) of the file have problems; nothing was imported");
    let details = serde_json::to_value(&*report).unwrap_or_default();
    Some(Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Unprocessable, message).with_details(details)))
}

fn answer(mut report: ImportReport, outcome: Outcome) -> Result<Response, ApiError> {
    match outcome {
        Outcome::Done(created) => {
            report.created = created;
            Ok(Json(Data { data: report }).into_response())
        }
        Outcome::Failed { line, error, reverted } => {
            let undone = reverted.len();
            report.errors = vec![RowError::row(line, format!("{}: {}", error.code, error.message))];
            report.reverted = reverted;
            let message = format!(
                "line {line} was refused during the import ({}); the {undone} row(s) created before it were undone",
                error.message
            );
            let details = serde_json::to_value(&report).unwrap_or_default();
            Err(ApiError::new(StatusCode::CONFLICT, ErrorCode::Conflict, message).with_details(details))
        }
    }
}
