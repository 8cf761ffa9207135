//! `/api/v1/projects`, `/api/v1/project-phases`, `/api/v1/project-dependencies`,
//! `/api/v1/milestones`: thin adapters over the project commands.

use pt_protocol::ws::CommandResult;
use serde_json::Value;

/// A project command's result as its REST body: the entity itself (a phase
/// change or dependency change with the phases it moved).
pub fn rest_body(result: CommandResult) -> Value {
    let v = match result {
        CommandResult::Project { project } => serde_json::to_value(project),
        CommandResult::Phase { change } => serde_json::to_value(change),
        CommandResult::Dependency { change } => serde_json::to_value(change),
        CommandResult::DependencyRemoved { dependency } => serde_json::to_value(dependency),
        CommandResult::Milestone { milestone } => serde_json::to_value(milestone),
        CommandResult::Booking { booking } => serde_json::to_value(booking),
        CommandResult::Artist { artist } => serde_json::to_value(artist),
    };
    v.unwrap_or(Value::Null)
}
