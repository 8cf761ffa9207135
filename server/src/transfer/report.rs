//! What an import answers: [`ImportReport`], for a dry run and a real run alike.

use serde::Serialize;

/// One problem in an uploaded file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RowError {
    /// The file's line the row starts on (the header is line 1).
    #[schema(minimum = 1)]
    pub line: u64,
    /// The header name of the cell at fault; `null` for the whole row (a
    /// conflict, a malformed row) or the whole file.
    #[schema(required = true)]
    pub column: Option<String>,
    /// What is wrong, for humans.
    pub reason: String,
}

impl RowError {
    pub fn cell(line: u64, column: &str, reason: impl Into<String>) -> Self {
        Self { line, column: Some(column.to_string()), reason: reason.into() }
    }

    pub fn row(line: u64, reason: impl Into<String>) -> Self {
        Self { line, column: None, reason: reason.into() }
    }
}

/// The outcome of an import. A dry run writes nothing and lists every
/// problem; a real run writes every row or none.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportReport {
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
    /// Data rows in the file (the header not counted).
    #[schema(minimum = 0)]
    pub rows: u64,
    /// Every problem found, by line; empty when the file can be imported.
    pub errors: Vec<RowError>,
    /// The ids created, in file order (empty for a dry run or a refusal).
    #[schema(value_type = Vec<String>)]
    #[ts(type = "string[]")]
    pub created: Vec<uuid::Uuid>,
    /// After a row failed during a real run: the ids created before it and
    /// then undone (artists archived, bookings cancelled — they stay, cancelled,
    /// in the audit trail). Empty otherwise.
    #[schema(value_type = Vec<String>)]
    #[ts(type = "string[]")]
    pub reverted: Vec<uuid::Uuid>,
}

impl ImportReport {
    pub fn new(dry_run: bool, rows: usize) -> Self {
        Self { dry_run, rows: rows as u64, ..Self::default() }
    }

    /// Errors by line (stable: a line keeps its columns in order).
    pub fn sort(&mut self) {
        self.errors.sort_by_key(|e| e.line);
    }
}
