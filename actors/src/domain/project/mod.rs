//! Projects, pure: every project of one studio with its phases, dependencies
//! and milestones ([`Projects`]), the rules that decide each project command
//! (`decide_*` → events, or a [`DomainError`]), re-planning (`push` /
//! `strict`) over the studio's working week, and the schedule (slack,
//! critical path, progress). No tokio, no I/O: the project actor owns one
//! [`Projects`] and feeds it commands.
//!
//! Dates are [`Day`]s; every range is half-open (`endDate` is the first day
//! after it). Lags count working days of the studio's week ([`WorkWeek`]).

use crate::error::DomainError;
use pt_protocol::project::{PhaseMove, Schedule};
use pt_protocol::project_command::{
    MilestonePatch, NewDependency, NewMilestone, NewPhase, NewProject, PhasePatch, ProjectPatch,
};
use pt_protocol::{
    Day, Dependency, DependencyId, Event, Milestone, MilestoneId, Phase, PhaseId, Project, ProjectId, ProjectPlan,
    Timestamp,
};

/// The studio's working days (ISO weekdays 1 = Monday … 7 = Sunday).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkWeek {
    days: [bool; 7],
}

impl WorkWeek {
    /// From ISO weekdays; an empty list means every day.
    pub fn from_iso_days(days: &[u8]) -> Self {
        let mut out = [days.is_empty(); 7];
        for d in days.iter().filter(|d| (1..=7).contains(*d)) {
            out[usize::from(*d - 1)] = true;
        }
        Self { days: out }
    }

    pub fn is_working(&self, day: Day) -> bool {
        self.days[usize::from(day.weekday() - 1)]
    }
}

/// What a decided command gives: its events (to sequence, then apply) and,
/// for re-plans, every phase it moved.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Decided {
    pub events: Vec<Event>,
    pub moved: Vec<PhaseMove>,
}

/// Every project of one studio.
#[derive(Clone, Debug, Default)]
pub struct Projects {}

impl Projects {
    /// From the store's rows (activation).
    pub fn load(
        _projects: Vec<Project>,
        _phases: Vec<Phase>,
        _dependencies: Vec<Dependency>,
        _milestones: Vec<Milestone>,
    ) -> Self {
        unimplemented!()
    }

    /// Applies an event (events carry whole states: apply = replace or remove).
    pub fn apply(&mut self, _event: &Event) {
        unimplemented!()
    }

    /// Replaces one project's whole plan (`None`: removes it) — a revert.
    pub fn restore(&mut self, _id: ProjectId, _plan: Option<ProjectPlan>) {
        unimplemented!()
    }

    pub fn project(&self, _id: ProjectId) -> Option<&Project> {
        unimplemented!()
    }

    /// Every project, archived ones included, by name then id.
    pub fn projects(&self) -> Vec<&Project> {
        unimplemented!()
    }

    pub fn plan(&self, _id: ProjectId) -> Option<ProjectPlan> {
        unimplemented!()
    }

    pub fn phase(&self, _id: PhaseId) -> Option<&Phase> {
        unimplemented!()
    }

    pub fn dependency(&self, _id: DependencyId) -> Option<&Dependency> {
        unimplemented!()
    }

    pub fn milestone(&self, _id: MilestoneId) -> Option<&Milestone> {
        unimplemented!()
    }

    pub fn decide_create_project(
        &self,
        _id: ProjectId,
        _new: &NewProject,
        _now: Timestamp,
    ) -> Result<Decided, DomainError> {
        unimplemented!()
    }

    pub fn decide_update_project(
        &self,
        _id: ProjectId,
        _patch: &ProjectPatch,
        _now: Timestamp,
    ) -> Result<Decided, DomainError> {
        unimplemented!()
    }

    pub fn decide_archive_project(&self, _id: ProjectId, _now: Timestamp) -> Result<Decided, DomainError> {
        unimplemented!()
    }

    pub fn decide_create_phase(
        &self,
        _project: ProjectId,
        _id: PhaseId,
        _new: &NewPhase,
        _now: Timestamp,
    ) -> Result<Decided, DomainError> {
        unimplemented!()
    }

    pub fn decide_update_phase(
        &self,
        _id: PhaseId,
        _patch: &PhasePatch,
        _week: &WorkWeek,
        _now: Timestamp,
    ) -> Result<Decided, DomainError> {
        unimplemented!()
    }

    pub fn decide_delete_phase(&self, _id: PhaseId, _now: Timestamp) -> Result<Decided, DomainError> {
        unimplemented!()
    }

    pub fn decide_add_dependency(
        &self,
        _project: ProjectId,
        _id: DependencyId,
        _new: &NewDependency,
        _week: &WorkWeek,
        _now: Timestamp,
    ) -> Result<Decided, DomainError> {
        unimplemented!()
    }

    pub fn decide_remove_dependency(&self, _id: DependencyId) -> Result<Decided, DomainError> {
        unimplemented!()
    }

    pub fn decide_create_milestone(
        &self,
        _project: ProjectId,
        _id: MilestoneId,
        _new: &NewMilestone,
        _now: Timestamp,
    ) -> Result<Decided, DomainError> {
        unimplemented!()
    }

    pub fn decide_update_milestone(
        &self,
        _id: MilestoneId,
        _patch: &MilestonePatch,
        _now: Timestamp,
    ) -> Result<Decided, DomainError> {
        unimplemented!()
    }

    pub fn decide_delete_milestone(&self, _id: MilestoneId) -> Result<Decided, DomainError> {
        unimplemented!()
    }

    /// The schedule of one project: slack and critical path over its current dates.
    pub fn schedule(&self, _id: ProjectId, _week: &WorkWeek) -> Option<Schedule> {
        unimplemented!()
    }
}
