//! Input checks of project commands: the one validation of the wire contract
//! in `pt_protocol::project_command`.
//!
//! The checks run on the *candidate* entity a command would produce (the
//! current one with a patch applied, or a new one), so a partial update is
//! checked against the fields it keeps — an `endDate` alone is compared with
//! the current `startDate`. Each function returns every problem it finds;
//! field names are the camelCase JSON paths (`endDate`, `effort[1].days`).
//! Rules that need other entities (code uniqueness, dates within the
//! project, cycles) live with the decisions.

use crate::domain::validate::{MAX_NAME_CHARS, MAX_SKILL_CHARS, MAX_SKILLS};
use pt_protocol::day::{MAX_DAY, MIN_DAY};
use pt_protocol::project::SkillEffort;
use pt_protocol::{Day, FieldError, Milestone, Phase, Project, ProjectStatus};

pub const MAX_CODE_CHARS: usize = 16;
pub const MAX_CLIENT_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// 20 years of 365.25 days.
pub const MAX_PROJECT_SPAN_DAYS: i32 = 7_305;
pub const MAX_BUDGET_DAYS: u32 = 10_000_000;
pub const MAX_BUDGET_AMOUNT: u64 = 1_000_000_000_000;
pub const MAX_EFFORT_DAYS: u32 = 100_000;
pub const MAX_LAG_DAYS: i32 = 365;

pub const ARCHIVE_BY_DELETING: &str = "archive a project by deleting it";
pub const NOTHING_TO_CHANGE: &str = "nothing to change";

/// A project as a create or an update would leave it (name already trimmed).
pub fn project(p: &Project) -> Vec<FieldError> {
    let mut errs = Vec::new();
    name(&p.name, &mut errs);
    code(&p.code, &mut errs);
    if let Some(c) = &p.client
        && c.chars().count() > MAX_CLIENT_CHARS
    {
        errs.push(FieldError::new("client", format!("client must be at most {MAX_CLIENT_CHARS} characters")));
    }
    color("color", &p.color, &mut errs);
    dates(p.start_date, p.end_date, &mut errs);
    if p.start_date < p.end_date && p.start_date.until(p.end_date) > MAX_PROJECT_SPAN_DAYS {
        errs.push(FieldError::new("endDate", "a project may span at most 20 years"));
    }
    if p.budget_days.is_some_and(|d| d > MAX_BUDGET_DAYS) {
        errs.push(FieldError::new("budgetDays", format!("budgetDays must be at most {MAX_BUDGET_DAYS}")));
    }
    if p.budget_amount.is_some_and(|a| a > MAX_BUDGET_AMOUNT) {
        errs.push(FieldError::new("budgetAmount", format!("budgetAmount must be at most {MAX_BUDGET_AMOUNT}")));
    }
    match (&p.budget_amount, &p.currency) {
        (Some(_), None) => errs.push(FieldError::new("currency", "currency is required with budgetAmount")),
        (None, Some(_)) => errs.push(FieldError::new("budgetAmount", "budgetAmount is required with currency")),
        _ => {}
    }
    if let Some(c) = &p.currency
        && !(c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
    {
        errs.push(FieldError::new("currency", "currency must be an ISO 4217 code such as EUR"));
    }
    if p.description.as_ref().is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS) {
        errs.push(FieldError::new(
            "description",
            format!("description must be at most {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    errs
}

/// A phase as a create or an update would leave it (name trimmed, effort
/// normalized by [`normalize_effort`]).
pub fn phase(p: &Phase) -> Vec<FieldError> {
    let mut errs = Vec::new();
    name(&p.name, &mut errs);
    dates(p.start_date, p.end_date, &mut errs);
    if p.progress > 100 {
        errs.push(FieldError::new("progress", "progress must be 0 to 100"));
    }
    if let Some(c) = &p.color {
        color("color", c, &mut errs);
    }
    effort(&p.effort, &mut errs);
    errs
}

pub fn milestone(m: &Milestone) -> Vec<FieldError> {
    let mut errs = Vec::new();
    name(&m.name, &mut errs);
    day("date", m.date, &mut errs);
    errs
}

/// Status given in a create or update: anything but `archived`.
pub fn status(s: Option<ProjectStatus>, errs: &mut Vec<FieldError>) {
    if s == Some(ProjectStatus::Archived) {
        errs.push(FieldError::new("status", ARCHIVE_BY_DELETING));
    }
}

/// The version a patch expects, when given: 1 or more.
pub fn version(v: Option<u64>, errs: &mut Vec<FieldError>) {
    if v == Some(0) {
        errs.push(FieldError::new("version", "version must be the version you last read (1 or more)"));
    }
}

pub fn lag(l: i32, errs: &mut Vec<FieldError>) {
    if !(-MAX_LAG_DAYS..=MAX_LAG_DAYS).contains(&l) {
        errs.push(FieldError::new("lagDays", format!("lagDays must be between -{MAX_LAG_DAYS} and {MAX_LAG_DAYS}")));
    }
}

/// Skill tags trimmed and lower-cased, in the given order (duplicates are
/// kept, for [`phase`] to report).
pub fn normalize_effort(effort: &[SkillEffort]) -> Vec<SkillEffort> {
    effort.iter().map(|e| SkillEffort { skill: e.skill.trim().to_lowercase(), days: e.days }).collect()
}

/// `#rrggbb` in lower case, when it is one (colours compare as stored).
pub fn normalize_color(c: &str) -> String {
    c.to_ascii_lowercase()
}

fn effort(effort: &[SkillEffort], errs: &mut Vec<FieldError>) {
    if effort.len() > MAX_SKILLS {
        errs.push(FieldError::new("effort", format!("at most {MAX_SKILLS} skills")));
    }
    for (i, e) in effort.iter().enumerate() {
        if !(1..=MAX_SKILL_CHARS).contains(&e.skill.chars().count()) {
            errs.push(FieldError::new(
                format!("effort[{i}].skill"),
                format!("each skill must be 1 to {MAX_SKILL_CHARS} characters"),
            ));
        } else if effort[..i].iter().any(|o| o.skill == e.skill) {
            errs.push(FieldError::new(format!("effort[{i}].skill"), format!("skill {} is listed twice", e.skill)));
        }
        if !(1..=MAX_EFFORT_DAYS).contains(&e.days) {
            errs.push(FieldError::new(format!("effort[{i}].days"), format!("days must be 1 to {MAX_EFFORT_DAYS}")));
        }
    }
}

fn name(n: &str, errs: &mut Vec<FieldError>) {
    if n.is_empty() {
        errs.push(FieldError::new("name", "name must not be empty"));
    } else if n.chars().count() > MAX_NAME_CHARS {
        errs.push(FieldError::new("name", format!("name must be at most {MAX_NAME_CHARS} characters")));
    } else if n.chars().any(char::is_control) {
        errs.push(FieldError::new("name", "name must be one line without control characters"));
    }
}

fn code(c: &str, errs: &mut Vec<FieldError>) {
    let ok = (1..=MAX_CODE_CHARS).contains(&c.len())
        && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok {
        errs.push(FieldError::new("code", "code must be 1 to 16 letters, digits, - or _"));
    }
}

fn color(field: &str, c: &str, errs: &mut Vec<FieldError>) {
    let ok = c.len() == 7 && c.starts_with('#') && c.bytes().skip(1).all(|b| b.is_ascii_hexdigit());
    if !ok {
        errs.push(FieldError::new(field, format!("{field} must be a colour as #rrggbb")));
    }
}

fn day(field: &str, d: Day, errs: &mut Vec<FieldError>) {
    if d < MIN_DAY || d > MAX_DAY {
        errs.push(FieldError::new(field, format!("{field} must be between 1970-01-01 and 9999-12-31")));
    }
}

fn dates(start: Day, end: Day, errs: &mut Vec<FieldError>) {
    day("startDate", start, errs);
    day("endDate", end, errs);
    if end <= start {
        errs.push(FieldError::new("endDate", "endDate must be after startDate"));
    }
}
