//! The decisions about phases and dependencies — the ones that re-plan.
//!
//! * A phase lies within its project: `project.start ≤ phase.start` and
//!   `phase.end ≤ project.end` (both half-open ranges).
//! * Dependencies form a DAG: a dependency that would close a cycle is
//!   refused with the cycle, listed from the new dependency's successor to
//!   its predecessor (the existing path that the new edge would close).
//! * Changing a phase's dates, or adding a dependency its phases' dates
//!   break, re-plans by `mode` (see [`replan`](super::replan)).

use super::decide::{check_version, invalid_if_any};
use super::graph::{Edge, Graph};
use super::replan::{moved_events, push, violations};
use super::validate::{self, NOTHING_TO_CHANGE};
use super::workdays::WorkWeek;
use super::{Decided, Projects, range_text};
use crate::error::DomainError;
use pt_protocol::project_command::{NewDependency, NewPhase, PhasePatch};
use pt_protocol::{
    Dependency, DependencyId, DependencyKind, Event, FieldError, Phase, PhaseId, Project, ProjectId, ReplanMode,
    Timestamp,
};

/// Refuses a phase outside its project's range.
fn within_project(project: &Project, phase: &Phase) -> Result<(), DomainError> {
    if phase.start_date < project.start_date || phase.end_date > project.end_date {
        return Err(DomainError::Unprocessable(format!(
            "phase dates must lie within project {}'s range {}",
            project.code,
            range_text(project.start_date, project.end_date)
        )));
    }
    Ok(())
}

fn phase_patch_is_empty(p: &PhasePatch) -> bool {
    p.name.is_none()
        && p.start_date.is_none()
        && p.end_date.is_none()
        && p.progress.is_none()
        && p.color.is_none()
        && p.effort.is_none()
}

impl Projects {
    pub fn decide_create_phase(
        &self,
        project: ProjectId,
        id: PhaseId,
        new: &NewPhase,
        now: Timestamp,
    ) -> Result<Decided, DomainError> {
        let phase = Phase {
            id,
            project_id: project,
            name: new.name.trim().to_owned(),
            start_date: new.start_date,
            end_date: new.end_date,
            progress: new.progress.unwrap_or(0),
            color: new.color.as_deref().map(validate::normalize_color),
            effort: validate::normalize_effort(&new.effort),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        invalid_if_any(validate::phase(&phase))?;
        let p = self.open_project(project)?;
        if self.phases.contains_key(&id) {
            return Err(DomainError::Unprocessable(format!("phase {id} already exists")));
        }
        within_project(p, &phase)?;
        Ok(Decided { events: vec![Event::PhaseCreated { phase }], moved: Vec::new() })
    }

    /// Applies `patch` to the phase, then re-plans by its mode: the phase's
    /// event comes first, then one `phaseUpdated` per phase `push` moved.
    pub fn decide_update_phase(
        &self,
        id: PhaseId,
        patch: &PhasePatch,
        week: &WorkWeek,
        now: Timestamp,
    ) -> Result<Decided, DomainError> {
        let current = self.phases.get(&id).ok_or(DomainError::NotFound { entity: "phase", id: id.0 })?;
        let mut errs = Vec::new();
        validate::version(patch.version, &mut errs);
        if phase_patch_is_empty(patch) {
            errs.push(FieldError::new("body", NOTHING_TO_CHANGE));
        }
        invalid_if_any(errs)?;
        check_version(patch.version, current.version)?;
        let project = self.open_project(current.project_id)?;
        let mut phase = current.clone();
        if let Some(n) = &patch.name {
            phase.name = n.trim().to_owned();
        }
        phase.start_date = patch.start_date.unwrap_or(phase.start_date);
        phase.end_date = patch.end_date.unwrap_or(phase.end_date);
        phase.progress = patch.progress.unwrap_or(phase.progress);
        if let Some(c) = &patch.color {
            phase.color = c.as_deref().map(validate::normalize_color);
        }
        if let Some(e) = &patch.effort {
            phase.effort = validate::normalize_effort(e);
        }
        phase.version += 1;
        phase.updated_at = now;
        invalid_if_any(validate::phase(&phase))?;
        within_project(project, &phase)?;
        let moved_dates = (phase.start_date, phase.end_date) != (current.start_date, current.end_date);
        let mode = patch.mode.unwrap_or_default();
        let (mut events, moved) =
            if moved_dates { self.replan_phase(project, &phase, mode, week, now)? } else { (Vec::new(), Vec::new()) };
        events.insert(0, Event::PhaseUpdated { phase });
        Ok(Decided { events, moved })
    }

    /// The re-plan after `phase` got new dates: `strict` refuses any
    /// dependency into or out of it that the new dates break; `push` refuses
    /// a broken dependency into it (push never moves predecessors) and moves
    /// what follows it.
    fn replan_phase(
        &self,
        project: &Project,
        phase: &Phase,
        mode: ReplanMode,
        week: &WorkWeek,
        now: Timestamp,
    ) -> Result<(Vec<Event>, Vec<pt_protocol::project::PhaseMove>), DomainError> {
        let mut g = Graph::of(self, project.id);
        let Some(v) = g.index(phase.id) else {
            return Ok((Vec::new(), Vec::new()));
        };
        g.start[v] = phase.start_date;
        g.end[v] = phase.end_date;
        let checked: Vec<usize> = match mode {
            ReplanMode::Strict => g.inc[v].iter().chain(&g.out[v]).copied().collect(),
            ReplanMode::Push => g.inc[v].clone(),
        };
        let broken = violations(&g, checked, week);
        if !broken.is_empty() {
            return Err(DomainError::DependencyViolation(broken));
        }
        if mode == ReplanMode::Strict {
            return Ok((Vec::new(), Vec::new()));
        }
        let moved = push(&mut g, &[v], Some(v), week);
        moved_events(self, project, &g, &moved, now)
    }

    /// Removes a phase with what hangs on it: its dependencies go
    /// (`dependencyRemoved` each, by id), milestones linked to it are
    /// unlinked (`milestoneUpdated`), then `phaseDeleted`.
    pub fn decide_delete_phase(&self, id: PhaseId, now: Timestamp) -> Result<Decided, DomainError> {
        let phase = self.phases.get(&id).ok_or(DomainError::NotFound { entity: "phase", id: id.0 })?;
        self.open_project(phase.project_id)?;
        let mut events: Vec<Event> = self
            .dependencies_of(id)
            .iter()
            .filter_map(|d| self.dependencies.get(d))
            .map(|d| Event::DependencyRemoved { dependency: d.clone() })
            .collect();
        for m in self.milestones_of(phase.project_id).into_iter().filter(|m| m.phase_id == Some(id)) {
            let mut milestone = m.clone();
            milestone.phase_id = None;
            milestone.version += 1;
            milestone.updated_at = now;
            events.push(Event::MilestoneUpdated { milestone });
        }
        events.push(Event::PhaseDeleted { phase: phase.clone() });
        Ok(Decided { events, moved: Vec::new() })
    }

    /// One of the project's phases, for a dependency.
    fn phase_in(&self, project: &Project, id: PhaseId) -> Result<&Phase, DomainError> {
        let p = self.phases.get(&id).ok_or(DomainError::NotFound { entity: "phase", id: id.0 })?;
        if p.project_id != project.id {
            return Err(DomainError::Unprocessable(format!(
                "phase {} belongs to another project than {}",
                p.name, project.code
            )));
        }
        Ok(p)
    }

    /// Adds a dependency: refused when it would close a cycle; when the
    /// current dates break it, `push` (default) moves its successor and what
    /// follows, `strict` refuses.
    pub fn decide_add_dependency(
        &self,
        project: ProjectId,
        id: DependencyId,
        new: &NewDependency,
        week: &WorkWeek,
        now: Timestamp,
    ) -> Result<Decided, DomainError> {
        let mut errs = Vec::new();
        let lag = new.lag_days.unwrap_or(0);
        validate::lag(lag, &mut errs);
        if new.predecessor_id == new.successor_id {
            errs.push(FieldError::new("successorId", "a phase cannot depend on itself"));
        }
        invalid_if_any(errs)?;
        let p = self.open_project(project)?;
        let pred = self.phase_in(p, new.predecessor_id)?;
        let succ = self.phase_in(p, new.successor_id)?;
        if self.dependencies.contains_key(&id) {
            return Err(DomainError::Unprocessable(format!("dependency {id} already exists")));
        }
        let duplicate = self
            .successors
            .get(&pred.id)
            .into_iter()
            .flatten()
            .filter_map(|d| self.dependencies.get(d))
            .any(|d| d.successor_id == succ.id);
        if duplicate {
            return Err(DomainError::Unprocessable(format!(
                "phase {} already depends on phase {}",
                succ.name, pred.name
            )));
        }
        let mut g = Graph::of(self, project);
        let (Some(from), Some(to)) = (g.index(pred.id), g.index(succ.id)) else {
            return Err(DomainError::Unprocessable("the phases are not in the project's plan".into()));
        };
        if let Some(path) = g.path(to, from) {
            return Err(DomainError::DependencyCycle(path.into_iter().map(|v| g.ids[v]).collect()));
        }
        let kind = new.kind.unwrap_or(DependencyKind::FinishToStart);
        let k = g.add_edge(Edge { id, from, to, kind, lag });
        let dependency = Dependency {
            id,
            project_id: project,
            predecessor_id: pred.id,
            successor_id: succ.id,
            kind,
            lag_days: lag,
            created_at: now,
        };
        let mut events = vec![Event::DependencyAdded { dependency }];
        let mut moved = Vec::new();
        if let Some(v) = g.violation(k, week) {
            if new.mode.unwrap_or_default() == ReplanMode::Strict {
                return Err(DomainError::DependencyViolation(vec![v]));
            }
            let pushed = push(&mut g, &[to], None, week);
            let (more, moves) = moved_events(self, p, &g, &pushed, now)?;
            events.extend(more);
            moved = moves;
        }
        Ok(Decided { events, moved })
    }

    pub fn decide_remove_dependency(&self, id: DependencyId) -> Result<Decided, DomainError> {
        let d = self.dependencies.get(&id).ok_or(DomainError::NotFound { entity: "dependency", id: id.0 })?;
        self.open_project(d.project_id)?;
        Ok(Decided { events: vec![Event::DependencyRemoved { dependency: d.clone() }], moved: Vec::new() })
    }
}
