//! Projects, pure: every project of one studio with its phases, dependencies
//! and milestones ([`Projects`]), the rules that decide each project command
//! (`decide_*` → events, or a [`DomainError`](crate::error::DomainError)),
//! re-planning (`push` / `strict`) over the studio's working week, and the
//! schedule (slack, critical path, progress). No tokio, no I/O: the project
//! actor owns one [`Projects`] and feeds it commands.
//!
//! Dates are [`Day`]s; every range is half-open (`endDate` is the first day
//! after it). Lags count working days of the studio's week ([`WorkWeek`]).
//!
//! # Layout
//!
//! * this file — the state, its indexes, `load` / `apply` / `restore` and reads;
//! * [`workdays`] — the working week and day arithmetic (lags, slack);
//! * `graph` — one project's dependency graph as arrays, what each
//!   dependency kind requires, topological order, paths (cycle detection);
//! * `replan` — `push` and `strict`;
//! * `schedule` — slack, critical path, progress;
//! * [`validate`] — input checks;
//! * `decide` (projects, milestones) and `decide_plan` (phases, dependencies)
//!   — the `decide_*` methods.

mod decide;
mod decide_plan;
mod graph;
mod replan;
mod schedule;
pub mod validate;
pub mod workdays;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_plan;

pub use workdays::WorkWeek;

use pt_protocol::project::PhaseMove;
use pt_protocol::{
    Day, Dependency, DependencyId, Event, Milestone, MilestoneId, Phase, PhaseId, Project, ProjectId, ProjectPlan,
};
use std::collections::{BTreeSet, HashMap};

/// What a decided command gives: its events (to sequence, then apply) and,
/// for re-plans, every phase it moved.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Decided {
    pub events: Vec<Event>,
    pub moved: Vec<PhaseMove>,
}

/// The ids of what one project holds (ordered, so every answer built from
/// them is deterministic).
#[derive(Clone, Debug, Default)]
struct Members {
    phases: BTreeSet<PhaseId>,
    dependencies: BTreeSet<DependencyId>,
    milestones: BTreeSet<MilestoneId>,
}

/// Every project of one studio.
///
/// Entities by id, plus indexes kept in step by [`Projects::apply`]: the
/// members of each project, and each phase's dependencies out and in (so a
/// cascade or a re-plan never scans the studio).
#[derive(Clone, Debug, Default)]
pub struct Projects {
    projects: HashMap<ProjectId, Project>,
    phases: HashMap<PhaseId, Phase>,
    dependencies: HashMap<DependencyId, Dependency>,
    milestones: HashMap<MilestoneId, Milestone>,
    members: HashMap<ProjectId, Members>,
    /// Dependencies whose predecessor is the phase.
    successors: HashMap<PhaseId, BTreeSet<DependencyId>>,
    /// Dependencies whose successor is the phase.
    predecessors: HashMap<PhaseId, BTreeSet<DependencyId>>,
}

impl Projects {
    /// From the store's rows (activation).
    pub fn load(
        projects: Vec<Project>,
        phases: Vec<Phase>,
        dependencies: Vec<Dependency>,
        milestones: Vec<Milestone>,
    ) -> Self {
        let mut s = Self::default();
        projects.into_iter().for_each(|p| s.put_project(p));
        phases.into_iter().for_each(|p| s.put_phase(p));
        dependencies.into_iter().for_each(|d| s.put_dependency(d));
        milestones.into_iter().for_each(|m| s.put_milestone(m));
        s
    }

    /// Applies an event (events carry whole states: apply = replace or
    /// remove, so applying twice equals applying once).
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::ProjectCreated { project }
            | Event::ProjectUpdated { project }
            | Event::ProjectArchived { project } => self.put_project(project.clone()),
            Event::PhaseCreated { phase } | Event::PhaseUpdated { phase } => self.put_phase(phase.clone()),
            Event::PhaseDeleted { phase } => self.remove_phase(phase.id),
            Event::DependencyAdded { dependency } => self.put_dependency(dependency.clone()),
            Event::DependencyRemoved { dependency } => self.remove_dependency(dependency.id),
            Event::MilestoneCreated { milestone } | Event::MilestoneUpdated { milestone } => {
                self.put_milestone(milestone.clone())
            }
            Event::MilestoneDeleted { milestone } => self.remove_milestone(milestone.id),
            _ => {}
        }
    }

    /// Replaces one project's whole plan (`None`: removes it) — a revert.
    pub fn restore(&mut self, id: ProjectId, plan: Option<ProjectPlan>) {
        if let Some(m) = self.members.get(&id).cloned() {
            m.dependencies.iter().for_each(|d| self.remove_dependency(*d));
            m.milestones.iter().for_each(|x| self.remove_milestone(*x));
            m.phases.iter().for_each(|p| self.remove_phase(*p));
        }
        self.projects.remove(&id);
        self.members.remove(&id);
        if let Some(plan) = plan {
            self.put_project(plan.project);
            plan.phases.into_iter().for_each(|p| self.put_phase(p));
            plan.dependencies.into_iter().for_each(|d| self.put_dependency(d));
            plan.milestones.into_iter().for_each(|m| self.put_milestone(m));
        }
    }

    pub fn project(&self, id: ProjectId) -> Option<&Project> {
        self.projects.get(&id)
    }

    /// Every project, archived ones included, by name (ignoring case) then id.
    pub fn projects(&self) -> Vec<&Project> {
        let mut out: Vec<&Project> = self.projects.values().collect();
        out.sort_by_cached_key(|p| (p.name.to_lowercase(), p.id));
        out
    }

    /// Every project's plan, in [`Projects::projects`] order.
    pub fn plans(&self) -> Vec<ProjectPlan> {
        self.projects().iter().filter_map(|p| self.plan(p.id)).collect()
    }

    /// A project with its phases by (start, id), its dependencies by id and
    /// its milestones by (date, id).
    pub fn plan(&self, id: ProjectId) -> Option<ProjectPlan> {
        let project = self.projects.get(&id)?.clone();
        let m = self.members.get(&id).cloned().unwrap_or_default();
        let mut phases: Vec<Phase> = m.phases.iter().filter_map(|p| self.phases.get(p)).cloned().collect();
        phases.sort_by_key(|p| (p.start_date, p.id));
        let dependencies = m.dependencies.iter().filter_map(|d| self.dependencies.get(d)).cloned().collect();
        let mut milestones: Vec<Milestone> =
            m.milestones.iter().filter_map(|x| self.milestones.get(x)).cloned().collect();
        milestones.sort_by_key(|x| (x.date, x.id));
        Some(ProjectPlan { project, phases, dependencies, milestones })
    }

    pub fn phase(&self, id: PhaseId) -> Option<&Phase> {
        self.phases.get(&id)
    }

    pub fn dependency(&self, id: DependencyId) -> Option<&Dependency> {
        self.dependencies.get(&id)
    }

    pub fn milestone(&self, id: MilestoneId) -> Option<&Milestone> {
        self.milestones.get(&id)
    }

    /// The phases of a project, by (start, id).
    fn phases_of(&self, project: ProjectId) -> Vec<&Phase> {
        let mut out: Vec<&Phase> = self
            .members
            .get(&project)
            .map(|m| m.phases.iter().filter_map(|p| self.phases.get(p)).collect())
            .unwrap_or_default();
        out.sort_by_key(|p| (p.start_date, p.id));
        out
    }

    /// The milestones of a project, by (date, id).
    fn milestones_of(&self, project: ProjectId) -> Vec<&Milestone> {
        let mut out: Vec<&Milestone> = self
            .members
            .get(&project)
            .map(|m| m.milestones.iter().filter_map(|x| self.milestones.get(x)).collect())
            .unwrap_or_default();
        out.sort_by_key(|x| (x.date, x.id));
        out
    }

    /// Every dependency touching a phase (out and in), by id.
    fn dependencies_of(&self, phase: PhaseId) -> BTreeSet<DependencyId> {
        let out = self.successors.get(&phase).into_iter().flatten();
        let inc = self.predecessors.get(&phase).into_iter().flatten();
        out.chain(inc).copied().collect()
    }

    fn put_project(&mut self, p: Project) {
        self.members.entry(p.id).or_default();
        self.projects.insert(p.id, p);
    }

    fn put_phase(&mut self, p: Phase) {
        if let Some(old) = self.phases.get(&p.id)
            && old.project_id != p.project_id
            && let Some(m) = self.members.get_mut(&old.project_id)
        {
            m.phases.remove(&p.id);
        }
        self.members.entry(p.project_id).or_default().phases.insert(p.id);
        self.phases.insert(p.id, p);
    }

    fn remove_phase(&mut self, id: PhaseId) {
        if let Some(p) = self.phases.remove(&id)
            && let Some(m) = self.members.get_mut(&p.project_id)
        {
            m.phases.remove(&id);
        }
    }

    fn put_dependency(&mut self, d: Dependency) {
        self.remove_dependency(d.id);
        self.members.entry(d.project_id).or_default().dependencies.insert(d.id);
        self.successors.entry(d.predecessor_id).or_default().insert(d.id);
        self.predecessors.entry(d.successor_id).or_default().insert(d.id);
        self.dependencies.insert(d.id, d);
    }

    fn remove_dependency(&mut self, id: DependencyId) {
        let Some(d) = self.dependencies.remove(&id) else {
            return;
        };
        if let Some(m) = self.members.get_mut(&d.project_id) {
            m.dependencies.remove(&id);
        }
        for (index, phase) in [(&mut self.successors, d.predecessor_id), (&mut self.predecessors, d.successor_id)] {
            if let Some(set) = index.get_mut(&phase) {
                set.remove(&id);
                if set.is_empty() {
                    index.remove(&phase);
                }
            }
        }
    }

    fn put_milestone(&mut self, x: Milestone) {
        if let Some(old) = self.milestones.get(&x.id)
            && old.project_id != x.project_id
            && let Some(m) = self.members.get_mut(&old.project_id)
        {
            m.milestones.remove(&x.id);
        }
        self.members.entry(x.project_id).or_default().milestones.insert(x.id);
        self.milestones.insert(x.id, x);
    }

    fn remove_milestone(&mut self, id: MilestoneId) {
        if let Some(x) = self.milestones.remove(&id)
            && let Some(m) = self.members.get_mut(&x.project_id)
        {
            m.milestones.remove(&id);
        }
    }
}

/// `start → end (end exclusive)`, as messages name a range.
fn range_text(start: Day, end: Day) -> String {
    format!("{start} → {end} (end exclusive)")
}
