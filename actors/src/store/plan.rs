//! Project events as the stores see them: which project row an event
//! carries and whether it removes that row ([`PlanChange`]), and the order
//! a [`ProjectPlan`] is read back in ([`sorted_plan`]). Both stores and the
//! snapshot replay use these, so they agree on what every event does.

use pt_protocol::{Dependency, Event, Milestone, Phase, Project, ProjectPlan};

/// One project entity's state, as an event carries it.
#[derive(Clone, Copy, Debug)]
pub enum PlanRow<'a> {
    Project(&'a Project),
    Phase(&'a Phase),
    Dependency(&'a Dependency),
    Milestone(&'a Milestone),
}

/// What a project event does to its row: replace it with `row`, or (when
/// `removed`) delete it. Projects are never removed: archiving is an update.
#[derive(Clone, Copy, Debug)]
pub struct PlanChange<'a> {
    pub row: PlanRow<'a>,
    pub removed: bool,
}

impl<'a> PlanChange<'a> {
    /// The change `event` makes to a project row (`None` for artist and booking events).
    pub fn of(event: &'a Event) -> Option<Self> {
        let (row, removed) = match event {
            Event::ProjectCreated { project }
            | Event::ProjectUpdated { project }
            | Event::ProjectArchived { project } => (PlanRow::Project(project), false),
            Event::PhaseCreated { phase } | Event::PhaseUpdated { phase } => (PlanRow::Phase(phase), false),
            Event::PhaseDeleted { phase } => (PlanRow::Phase(phase), true),
            Event::DependencyAdded { dependency } => (PlanRow::Dependency(dependency), false),
            Event::DependencyRemoved { dependency } => (PlanRow::Dependency(dependency), true),
            Event::MilestoneCreated { milestone } | Event::MilestoneUpdated { milestone } => {
                (PlanRow::Milestone(milestone), false)
            }
            Event::MilestoneDeleted { milestone } => (PlanRow::Milestone(milestone), true),
            Event::ArtistCreated { .. }
            | Event::ArtistUpdated { .. }
            | Event::ArtistArchived { .. }
            | Event::TimeOffRequested { .. }
            | Event::TimeOffDecided { .. }
            | Event::TimeOffCancelled { .. }
            | Event::BookingCreated { .. }
            | Event::BookingUpdated { .. }
            | Event::BookingMoved { .. }
            | Event::BookingStatusChanged { .. }
            | Event::BookingRestored { .. }
            | Event::NotificationCreated { .. }
            | Event::NotificationsRead { .. }
            | Event::JobCreated { .. }
            | Event::JobUpdated { .. }
            | Event::JobDeleted { .. }
            | Event::ApplicationCreated { .. }
            | Event::ApplicationUpdated { .. } => return None,
        };
        Some(Self { row, removed })
    }
}

/// A project's plan in the order [`ProjectPlan`] documents: phases by start
/// date then id, milestones by date then id; dependencies (whose order the
/// type leaves open) by id, so both stores answer the same bytes.
pub fn sorted_plan(
    project: Project,
    mut phases: Vec<Phase>,
    mut dependencies: Vec<Dependency>,
    mut milestones: Vec<Milestone>,
) -> ProjectPlan {
    phases.sort_by_key(|p| (p.start_date, p.id));
    dependencies.sort_by_key(|d| d.id);
    milestones.sort_by_key(|m| (m.date, m.id));
    ProjectPlan { project, phases, dependencies, milestones }
}
