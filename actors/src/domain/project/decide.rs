//! The decisions about projects and milestones: `decide_*` turn a command into
//! the events to apply, or a [`DomainError`]. They read the state and never
//! change it, so a refused command leaves no trace.
//!
//! Checks run in a fixed order, so a client sees the most basic problem
//! first: not found → invalid input → version → archived → rules that need
//! the rest of the plan.

use super::validate::{self, NOTHING_TO_CHANGE};
use super::{Decided, Projects, range_text};
use crate::error::DomainError;
use pt_protocol::project_command::{MilestonePatch, NewMilestone, NewProject, ProjectPatch};
use pt_protocol::{Event, FieldError, Milestone, MilestoneId, Project, ProjectId, ProjectStatus, Timestamp};

/// Colours a new project gets when it names none, in turn by how many
/// projects the studio has, so neighbouring projects differ on a board.
pub const PALETTE: [&str; 8] = ["#4f7cff", "#22a06b", "#e5533d", "#f5a524", "#8e5cd9", "#13b5c8", "#d9468f", "#7a869a"];

fn one(event: Event) -> Decided {
    Decided { events: vec![event], moved: Vec::new() }
}

/// `VersionMismatch` when a version was given and is not the current one.
pub(super) fn check_version(expected: Option<u64>, current: u64) -> Result<(), DomainError> {
    match expected {
        Some(v) if v != current => Err(DomainError::VersionMismatch { expected: v, current }),
        _ => Ok(()),
    }
}

pub(super) fn invalid_if_any(errs: Vec<FieldError>) -> Result<(), DomainError> {
    if errs.is_empty() { Ok(()) } else { Err(DomainError::Invalid(errs)) }
}

fn project_patch_is_empty(p: &ProjectPatch) -> bool {
    p.name.is_none()
        && p.code.is_none()
        && p.client.is_none()
        && p.color.is_none()
        && p.status.is_none()
        && p.start_date.is_none()
        && p.end_date.is_none()
        && p.budget_days.is_none()
        && p.budget_amount.is_none()
        && p.currency.is_none()
        && p.description.is_none()
}

impl Projects {
    /// A project that exists and is not archived: what every change to a
    /// plan needs.
    pub(super) fn open_project(&self, id: ProjectId) -> Result<&Project, DomainError> {
        let p = self.projects.get(&id).ok_or(DomainError::NotFound { entity: "project", id: id.0 })?;
        if p.status == ProjectStatus::Archived {
            return Err(DomainError::Unprocessable(format!("project {} is archived", p.code)));
        }
        Ok(p)
    }

    /// Codes are unique per studio ignoring case, archived projects included
    /// (an archived project stays readable under its code).
    fn unique_code(&self, p: &Project, errs: &mut Vec<FieldError>) {
        if let Some(other) = self.projects.values().find(|o| o.id != p.id && o.code.eq_ignore_ascii_case(&p.code)) {
            errs.push(FieldError::new("code", format!("already used by project {}", other.name)));
        }
    }

    pub fn decide_create_project(
        &self,
        id: ProjectId,
        new: &NewProject,
        now: Timestamp,
    ) -> Result<Decided, DomainError> {
        let mut errs = Vec::new();
        validate::status(new.status, &mut errs);
        let color = match &new.color {
            Some(c) => validate::normalize_color(c),
            None => PALETTE[self.projects.len() % PALETTE.len()].to_owned(),
        };
        let project = Project {
            id,
            name: new.name.trim().to_owned(),
            code: new.code.clone(),
            client: new.client.clone(),
            color,
            status: new.status.unwrap_or(ProjectStatus::Planning),
            start_date: new.start_date,
            end_date: new.end_date,
            budget_days: new.budget_days,
            budget_amount: new.budget_amount,
            currency: new.currency.clone(),
            description: new.description.clone(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        errs.extend(validate::project(&project));
        self.unique_code(&project, &mut errs);
        invalid_if_any(errs)?;
        if self.projects.contains_key(&id) {
            return Err(DomainError::Unprocessable(format!("project {id} already exists")));
        }
        Ok(one(Event::ProjectCreated { project }))
    }

    pub fn decide_update_project(
        &self,
        id: ProjectId,
        patch: &ProjectPatch,
        now: Timestamp,
    ) -> Result<Decided, DomainError> {
        let current = self.projects.get(&id).ok_or(DomainError::NotFound { entity: "project", id: id.0 })?;
        let mut errs = Vec::new();
        validate::version(patch.version, &mut errs);
        validate::status(patch.status, &mut errs);
        if project_patch_is_empty(patch) {
            errs.push(FieldError::new("body", NOTHING_TO_CHANGE));
        }
        invalid_if_any(errs)?;
        check_version(patch.version, current.version)?;
        if current.status == ProjectStatus::Archived {
            let only_status = ProjectPatch { version: None, status: None, ..patch.clone() };
            if patch.status.is_none() || !project_patch_is_empty(&only_status) {
                return Err(DomainError::Unprocessable(format!(
                    "project {} is archived; only a change of its status brings it back",
                    current.code
                )));
            }
        }
        let mut p = current.clone();
        if let Some(n) = &patch.name {
            p.name = n.trim().to_owned();
        }
        if let Some(c) = &patch.code {
            p.code = c.clone();
        }
        if let Some(c) = &patch.client {
            p.client = c.clone();
        }
        if let Some(c) = &patch.color {
            p.color = validate::normalize_color(c);
        }
        p.status = patch.status.unwrap_or(p.status);
        p.start_date = patch.start_date.unwrap_or(p.start_date);
        p.end_date = patch.end_date.unwrap_or(p.end_date);
        p.budget_days = patch.budget_days.unwrap_or(p.budget_days);
        p.budget_amount = patch.budget_amount.unwrap_or(p.budget_amount);
        if let Some(c) = &patch.currency {
            p.currency = c.clone();
        }
        if let Some(d) = &patch.description {
            p.description = d.clone();
        }
        p.version += 1;
        p.updated_at = now;
        let mut errs = validate::project(&p);
        self.unique_code(&p, &mut errs);
        invalid_if_any(errs)?;
        if (p.start_date, p.end_date) != (current.start_date, current.end_date) {
            self.plan_fits(&p)?;
        }
        Ok(one(Event::ProjectUpdated { project: p }))
    }

    /// New project dates must keep every phase and milestone inside them.
    fn plan_fits(&self, p: &Project) -> Result<(), DomainError> {
        let range = range_text(p.start_date, p.end_date);
        if let Some(ph) =
            self.phases_of(p.id).into_iter().find(|x| x.start_date < p.start_date || x.end_date > p.end_date)
        {
            return Err(DomainError::Unprocessable(format!(
                "project {}'s new range {range} would leave out phase {} ({})",
                p.code,
                ph.name,
                range_text(ph.start_date, ph.end_date)
            )));
        }
        if let Some(m) = self.milestones_of(p.id).into_iter().find(|m| m.date < p.start_date || m.date > p.end_date) {
            return Err(DomainError::Unprocessable(format!(
                "project {}'s new range {range} would leave out milestone {} ({})",
                p.code, m.name, m.date
            )));
        }
        Ok(())
    }

    pub fn decide_archive_project(&self, id: ProjectId, now: Timestamp) -> Result<Decided, DomainError> {
        let current = self.projects.get(&id).ok_or(DomainError::NotFound { entity: "project", id: id.0 })?;
        if current.status == ProjectStatus::Archived {
            return Err(DomainError::Unprocessable(format!("project {} is already archived", current.code)));
        }
        let mut project = current.clone();
        project.status = ProjectStatus::Archived;
        project.version += 1;
        project.updated_at = now;
        Ok(one(Event::ProjectArchived { project }))
    }

    /// A milestone may fall on any day of the project including its end date
    /// (the first day after the last phase day: a delivery is often due then),
    /// and may name a phase of the same project.
    fn milestone_fits(&self, project: &Project, m: &Milestone) -> Result<(), DomainError> {
        if m.date < project.start_date || m.date > project.end_date {
            return Err(DomainError::Unprocessable(format!(
                "milestone date must lie within project {}'s range {} → {} (end date included)",
                project.code, project.start_date, project.end_date
            )));
        }
        if let Some(ph) = m.phase_id
            && self.phases.get(&ph).is_none_or(|x| x.project_id != project.id)
        {
            return Err(DomainError::Unprocessable(format!("phase {ph} is not a phase of project {}", project.code)));
        }
        Ok(())
    }

    pub fn decide_create_milestone(
        &self,
        project: ProjectId,
        id: MilestoneId,
        new: &NewMilestone,
        now: Timestamp,
    ) -> Result<Decided, DomainError> {
        let milestone = Milestone {
            id,
            project_id: project,
            name: new.name.trim().to_owned(),
            date: new.date,
            done: new.done.unwrap_or(false),
            phase_id: new.phase_id,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        invalid_if_any(validate::milestone(&milestone))?;
        let p = self.open_project(project)?;
        if self.milestones.contains_key(&id) {
            return Err(DomainError::Unprocessable(format!("milestone {id} already exists")));
        }
        self.milestone_fits(p, &milestone)?;
        Ok(one(Event::MilestoneCreated { milestone }))
    }

    pub fn decide_update_milestone(
        &self,
        id: MilestoneId,
        patch: &MilestonePatch,
        now: Timestamp,
    ) -> Result<Decided, DomainError> {
        let current = self.milestones.get(&id).ok_or(DomainError::NotFound { entity: "milestone", id: id.0 })?;
        let mut errs = Vec::new();
        validate::version(patch.version, &mut errs);
        if patch.name.is_none() && patch.date.is_none() && patch.done.is_none() && patch.phase_id.is_none() {
            errs.push(FieldError::new("body", NOTHING_TO_CHANGE));
        }
        invalid_if_any(errs)?;
        check_version(patch.version, current.version)?;
        let p = self.open_project(current.project_id)?;
        let mut m = current.clone();
        if let Some(n) = &patch.name {
            m.name = n.trim().to_owned();
        }
        m.date = patch.date.unwrap_or(m.date);
        m.done = patch.done.unwrap_or(m.done);
        m.phase_id = patch.phase_id.unwrap_or(m.phase_id);
        m.version += 1;
        m.updated_at = now;
        invalid_if_any(validate::milestone(&m))?;
        self.milestone_fits(p, &m)?;
        Ok(one(Event::MilestoneUpdated { milestone: m }))
    }

    pub fn decide_delete_milestone(&self, id: MilestoneId) -> Result<Decided, DomainError> {
        let m = self.milestones.get(&id).ok_or(DomainError::NotFound { entity: "milestone", id: id.0 })?;
        self.open_project(m.project_id)?;
        Ok(one(Event::MilestoneDeleted { milestone: m.clone() }))
    }
}
