//! [`Tenant`]'s project side: project commands go to the studio's project
//! actor (idempotency first, like every command); reads come from its memory.
//! The cross-aggregate rules live here, where both owners are reachable: a
//! booking names a live project and one of its phases; a phase with active
//! bookings is not deleted.

use crate::artist_actor::BookingFilter;
use crate::command::{Accepted, CommandError, ask};
use crate::error::DomainError;
use crate::project_actor::{ProjectMsg, ProjectPart};
use crate::tenant::{CmdInput, Tenant};
use pt_protocol::project::{PhaseChange, Schedule};
use pt_protocol::project_command::PhasePatch;
use pt_protocol::ws::{Command, CommandResult};
use pt_protocol::{PhaseId, Project, ProjectId, ProjectPlan};
use ractor::ActorRef;

impl Tenant {
    fn project_actor(&self) -> Result<ActorRef<ProjectMsg>, CommandError> {
        self.owners.projects.get().cloned().ok_or_else(|| CommandError::Unavailable("the studio is starting".into()))
    }

    /// Runs a project command (`CreateProject` … `DeleteMilestone`).
    pub async fn project_command(
        &self,
        command: Command,
        input: CmdInput,
    ) -> Result<Accepted<CommandResult>, CommandError> {
        if let Some(prev) = self.stored::<CommandResult>(&input).await? {
            return Ok(prev);
        }
        if let Command::DeletePhase { id } = &command {
            self.ensure_no_active_bookings(*id).await?;
        }
        let actor = self.project_actor()?;
        ask(&actor, |reply| ProjectMsg::Decide { command: Box::new(command), meta: input.meta(), reply }).await?
    }

    async fn ensure_no_active_bookings(&self, phase: PhaseId) -> Result<(), CommandError> {
        let Some(project) = self.project_of(ProjectPart::Phase(phase)).await? else {
            return Err(CommandError::not_found("phase", phase.0));
        };
        let filter = BookingFilter { project: Some(project), ..BookingFilter::default() };
        let n = self
            .list_bookings(None, filter)
            .await?
            .iter()
            .filter(|v| v.booking.phase_id == Some(phase) && v.booking.status.is_active())
            .count();
        if n > 0 {
            return Err(DomainError::Unprocessable(format!(
                "{n} active booking(s) name this phase; move them to another phase or cancel them first"
            ))
            .into());
        }
        Ok(())
    }

    /// What `UpdatePhase` would do, without doing it.
    pub async fn preview_phase(&self, id: PhaseId, patch: PhasePatch) -> Result<PhaseChange, CommandError> {
        ask(&self.project_actor()?, |reply| ProjectMsg::Preview { id, patch: Box::new(patch), reply }).await?
    }

    /// Every project, archived ones included.
    pub async fn list_projects(&self) -> Result<Vec<Project>, CommandError> {
        ask(&self.project_actor()?, |reply| ProjectMsg::List { reply }).await
    }

    pub async fn project_plan(&self, id: ProjectId) -> Result<ProjectPlan, CommandError> {
        ask(&self.project_actor()?, |reply| ProjectMsg::Plan { id, reply })
            .await?
            .ok_or(CommandError::not_found("project", id.0))
    }

    /// Every project's plan.
    pub async fn project_plans(&self) -> Result<Vec<ProjectPlan>, CommandError> {
        ask(&self.project_actor()?, |reply| ProjectMsg::Plans { reply }).await
    }

    pub async fn project_schedule(&self, id: ProjectId) -> Result<Schedule, CommandError> {
        ask(&self.project_actor()?, |reply| ProjectMsg::Schedule { id, reply })
            .await?
            .ok_or(CommandError::not_found("project", id.0))
    }

    /// The project a phase, dependency or milestone belongs to.
    pub async fn project_of(&self, part: ProjectPart) -> Result<Option<ProjectId>, CommandError> {
        ask(&self.project_actor()?, |reply| ProjectMsg::ProjectOf { part, reply }).await
    }

    /// A booking may name this project and phase: `unprocessable` when the
    /// project is unknown or archived, or the phase is not the project's.
    pub(crate) async fn check_booking_target(
        &self,
        project: Option<ProjectId>,
        phase: Option<PhaseId>,
    ) -> Result<(), CommandError> {
        if project.is_none() && phase.is_none() {
            return Ok(());
        }
        ask(&self.project_actor()?, |reply| ProjectMsg::CheckBookingTarget { project, phase, reply }).await?
    }
}
