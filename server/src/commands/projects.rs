//! Project commands: projects, phases, dependencies, milestones.
//!
//! | command | needs |
//! |---|---|
//! | `createProject` | `projects:write` |
//! | `updateProject`, `archiveProject` | `projects:write` (a project the caller may not see is `404` first) |
//! | `createPhase`, `addDependency`, `createMilestone` | `projects:write` on the named project (`404` first when invisible) |
//! | `updatePhase`, `deletePhase` | `projects:write` on the phase's project |
//! | `removeDependency` | `projects:write` on the dependency's project |
//! | `updateMilestone`, `deleteMilestone` | `projects:write` on the milestone's project |
//!
//! Owners and managers hold `projects:write`; a freelancer sees the projects
//! they are booked on (`access::visible_project`) and changes none. The rules
//! of the plan itself (dates within the project, no cycles, re-planning) are
//! the project actor's (`pt_actors::domain::project`).

use super::{Command, Ctx, Decision, access};
use crate::auth::Permission;
use crate::error::ApiError;
use pt_actors::CmdInput;
use pt_actors::project_actor::ProjectPart;
use pt_protocol::ws::CommandResult;

pub async fn execute(cx: Ctx<'_>, command: Command, input: CmdInput) -> Result<Decision<CommandResult>, ApiError> {
    let (who, t) = (cx.who, cx.tenant);
    match &command {
        Command::CreateProject { .. } => {}
        Command::UpdateProject { id, .. } | Command::ArchiveProject { id } => {
            access::visible_project(who, t, *id).await?;
        }
        Command::CreatePhase { project_id, .. }
        | Command::AddDependency { project_id, .. }
        | Command::CreateMilestone { project_id, .. } => {
            access::visible_project(who, t, *project_id).await?;
        }
        Command::UpdatePhase { id, .. } | Command::DeletePhase { id } => {
            access::visible_part(who, t, ProjectPart::Phase(*id)).await?;
        }
        Command::RemoveDependency { id } => {
            access::visible_part(who, t, ProjectPart::Dependency(*id)).await?;
        }
        Command::UpdateMilestone { id, .. } | Command::DeleteMilestone { id } => {
            access::visible_part(who, t, ProjectPart::Milestone(*id)).await?;
        }
        other => unreachable!("not a project command: {}", super::kind(other)),
    }
    who.require(Permission::ProjectsWrite)?;
    Ok(Decision::Accepted(t.project_command(command, input).await?))
}
