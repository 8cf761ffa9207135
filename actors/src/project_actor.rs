//! The project actor: one per studio, it owns every project of the studio
//! ([`Projects`]) and serializes every project command — code uniqueness is
//! studio-wide, so one owner decides it. The decision is pure; the actor asks
//! the log to sequence the resulting events (a re-plan may move many phases:
//! one command, several events) and applies them only once the log accepted.
//! Reads (lists, plans, schedules, a booking's project check) are answered
//! from the same memory.

use crate::command::{Accepted, CmdMeta, CommandError, DurableWait};
use crate::domain::StudioSettings;
use crate::domain::project::{Decided, Projects, WorkWeek};
use crate::error::DomainError;
use crate::log::{LogMsg, Sequenced, sequence_all};
use pt_protocol::event::EntityRef;
use pt_protocol::project::{DependencyChange, PhaseChange, PhaseMove, Schedule};
use pt_protocol::project_command::PhasePatch;
use pt_protocol::ws::{Command, CommandResult};
use pt_protocol::{
    DependencyId, Event, MilestoneId, PhaseId, Project, ProjectId, ProjectPlan, ProjectStatus, Timestamp,
};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use std::sync::Arc;
use tokio::sync::watch;

pub type Reply<T> = RpcReplyPort<Result<Accepted<T>, CommandError>>;

/// Which project an id belongs to (for routing reads and visibility).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectPart {
    Phase(PhaseId),
    Dependency(DependencyId),
    Milestone(MilestoneId),
}

pub enum ProjectMsg {
    /// A project command (one of the `Command` project kinds); answers its result.
    Decide {
        command: Box<Command>,
        meta: CmdMeta,
        reply: Reply<CommandResult>,
    },
    /// What a phase change would do, without doing it (the Gantt's drag preview).
    Preview {
        id: PhaseId,
        patch: Box<PhasePatch>,
        reply: RpcReplyPort<Result<PhaseChange, CommandError>>,
    },
    /// Every project, archived ones included.
    List {
        reply: RpcReplyPort<Vec<Project>>,
    },
    Plan {
        id: ProjectId,
        reply: RpcReplyPort<Option<ProjectPlan>>,
    },
    /// Every plan (the tenant view's snapshot, reports).
    Plans {
        reply: RpcReplyPort<Vec<ProjectPlan>>,
    },
    Schedule {
        id: ProjectId,
        reply: RpcReplyPort<Option<Schedule>>,
    },
    /// The project a phase, dependency or milestone belongs to.
    ProjectOf {
        part: ProjectPart,
        reply: RpcReplyPort<Option<ProjectId>>,
    },
    /// May a booking name this project (and phase)? A project that is not
    /// archived, and a phase of it.
    CheckBookingTarget {
        project: Option<ProjectId>,
        phase: Option<PhaseId>,
        reply: RpcReplyPort<Result<(), CommandError>>,
    },
    /// From the tenant actor, after the writer reverted a refused change.
    Restore {
        id: ProjectId,
        durable: Option<Box<ProjectPlan>>,
        entities: Vec<EntityRef>,
    },
}

pub struct ProjectActor;

/// What a decided command answers with, read from the state after it.
enum Answer {
    Project(ProjectId),
    Phase(PhaseId),
    Dependency(DependencyId),
    Milestone(MilestoneId),
    /// Something removed, as it was.
    Gone(Box<CommandResult>),
}

impl Answer {
    /// The answer, from the entity states the events carry (the last event
    /// about the entity wins, as when they are applied).
    fn result(self, events: &[Event], moved: Vec<PhaseMove>) -> Result<CommandResult, CommandError> {
        let lost = |what: &str| CommandError::Internal(format!("the decided {what} has no event"));
        let last = |pick: &dyn Fn(&Event) -> Option<CommandResult>| events.iter().rev().find_map(pick);
        Ok(match self {
            Answer::Project(id) => last(&|e| match e {
                Event::ProjectCreated { project }
                | Event::ProjectUpdated { project }
                | Event::ProjectArchived { project }
                    if project.id == id =>
                {
                    Some(CommandResult::Project { project: project.clone() })
                }
                _ => None,
            })
            .ok_or_else(|| lost("project"))?,
            Answer::Phase(id) => {
                let phase = events
                    .iter()
                    .rev()
                    .find_map(|e| match e {
                        Event::PhaseCreated { phase } | Event::PhaseUpdated { phase } if phase.id == id => Some(phase),
                        _ => None,
                    })
                    .ok_or_else(|| lost("phase"))?;
                CommandResult::Phase { change: PhaseChange { phase: phase.clone(), moved } }
            }
            Answer::Dependency(id) => {
                let dependency = events
                    .iter()
                    .find_map(|e| match e {
                        Event::DependencyAdded { dependency } if dependency.id == id => Some(dependency),
                        _ => None,
                    })
                    .ok_or_else(|| lost("dependency"))?;
                CommandResult::Dependency { change: DependencyChange { dependency: dependency.clone(), moved } }
            }
            Answer::Milestone(id) => last(&|e| match e {
                Event::MilestoneCreated { milestone } | Event::MilestoneUpdated { milestone } if milestone.id == id => {
                    Some(CommandResult::Milestone { milestone: milestone.clone() })
                }
                _ => None,
            })
            .ok_or_else(|| lost("milestone"))?,
            Answer::Gone(r) => *r,
        })
    }
}

pub struct ProjectArgs {
    pub projects: Projects,
    pub log: ActorRef<LogMsg>,
    pub durable: watch::Receiver<u64>,
    pub settings: watch::Receiver<Arc<StudioSettings>>,
}

pub struct ProjectState {
    projects: Projects,
    log: ActorRef<LogMsg>,
    durable: watch::Receiver<u64>,
    settings: watch::Receiver<Arc<StudioSettings>>,
}

impl ProjectState {
    fn week(&self) -> WorkWeek {
        WorkWeek::from_iso_days(&self.settings.borrow().working_week.days)
    }

    /// The pure decision of one command, and what its answer is about.
    fn decide(&self, command: &Command) -> Result<(Decided, Answer), CommandError> {
        let now = Timestamp::now();
        let week = self.week();
        let p = &self.projects;
        Ok(match command {
            Command::CreateProject { project } => {
                let id = ProjectId::new();
                (p.decide_create_project(id, project, now)?, Answer::Project(id))
            }
            Command::UpdateProject { id, patch } => (p.decide_update_project(*id, patch, now)?, Answer::Project(*id)),
            Command::ArchiveProject { id } => (p.decide_archive_project(*id, now)?, Answer::Project(*id)),
            Command::CreatePhase { project_id, phase } => {
                let id = PhaseId::new();
                (p.decide_create_phase(*project_id, id, phase, now)?, Answer::Phase(id))
            }
            Command::UpdatePhase { id, patch } => (p.decide_update_phase(*id, patch, &week, now)?, Answer::Phase(*id)),
            Command::DeletePhase { id } => {
                let phase = p.phase(*id).cloned().ok_or(CommandError::not_found("phase", id.0))?;
                let gone = CommandResult::Phase { change: PhaseChange { phase, moved: Vec::new() } };
                (p.decide_delete_phase(*id, now)?, Answer::Gone(Box::new(gone)))
            }
            Command::AddDependency { project_id, dependency } => {
                let id = DependencyId::new();
                (p.decide_add_dependency(*project_id, id, dependency, &week, now)?, Answer::Dependency(id))
            }
            Command::RemoveDependency { id } => {
                let dependency = p.dependency(*id).cloned().ok_or(CommandError::not_found("dependency", id.0))?;
                let gone = CommandResult::DependencyRemoved { dependency };
                (p.decide_remove_dependency(*id)?, Answer::Gone(Box::new(gone)))
            }
            Command::CreateMilestone { project_id, milestone } => {
                let id = MilestoneId::new();
                (p.decide_create_milestone(*project_id, id, milestone, now)?, Answer::Milestone(id))
            }
            Command::UpdateMilestone { id, patch } => {
                (p.decide_update_milestone(*id, patch, now)?, Answer::Milestone(*id))
            }
            Command::DeleteMilestone { id } => {
                let milestone = p.milestone(*id).cloned().ok_or(CommandError::not_found("milestone", id.0))?;
                let gone = CommandResult::Milestone { milestone };
                (p.decide_delete_milestone(*id)?, Answer::Gone(Box::new(gone)))
            }
            other => {
                return Err(CommandError::Internal(format!("the project actor does not decide `{other:?}`")));
            }
        })
    }

    async fn run(&mut self, command: Command, meta: CmdMeta) -> Result<Accepted<CommandResult>, CommandError> {
        let (decided, answer) = self.decide(&command)?;
        let value = answer.result(&decided.events, decided.moved)?;
        match sequence_all(&self.log, &self.durable, meta, decided.events.clone(), &value).await? {
            Sequenced::New { first_seq, last_seq, durable } => {
                for e in &decided.events {
                    self.projects.apply(e);
                }
                Ok(Accepted { first_seq, last_seq, value, duplicate: false, durable: DurableWait::Channel(durable) })
            }
            Sequenced::Replay(acc) => Ok(acc),
        }
    }

    fn check_booking_target(&self, project: Option<ProjectId>, phase: Option<PhaseId>) -> Result<(), CommandError> {
        let Some(project_id) = project else {
            return match phase {
                Some(_) => Err(DomainError::invalid("phaseId", "a phase needs its projectId").into()),
                None => Ok(()),
            };
        };
        let Some(p) = self.projects.project(project_id) else {
            return Err(
                DomainError::Unprocessable(format!("project {project_id} does not exist in this studio")).into()
            );
        };
        if p.status == ProjectStatus::Archived {
            return Err(DomainError::Unprocessable(format!(
                "project {} is archived and takes no new bookings",
                p.name
            ))
            .into());
        }
        if let Some(ph) = phase
            && self.projects.phase(ph).is_none_or(|x| x.project_id != project_id)
        {
            return Err(DomainError::Unprocessable(format!("phase {ph} is not a phase of project {}", p.name)).into());
        }
        Ok(())
    }
}

impl Actor for ProjectActor {
    type Msg = ProjectMsg;
    type State = ProjectState;
    type Arguments = ProjectArgs;

    async fn pre_start(
        &self,
        _myself: ActorRef<ProjectMsg>,
        args: ProjectArgs,
    ) -> Result<ProjectState, ActorProcessingErr> {
        Ok(ProjectState { projects: args.projects, log: args.log, durable: args.durable, settings: args.settings })
    }

    async fn handle(
        &self,
        _myself: ActorRef<ProjectMsg>,
        msg: ProjectMsg,
        s: &mut ProjectState,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            ProjectMsg::Decide { command, meta, reply } => {
                let _ = reply.send(s.run(*command, meta).await);
            }
            ProjectMsg::Preview { id, patch, reply } => {
                let week = s.week();
                let r = s
                    .projects
                    .decide_update_phase(id, &patch, &week, Timestamp::now())
                    .map_err(CommandError::from)
                    .and_then(|d| match Answer::Phase(id).result(&d.events, d.moved)? {
                        CommandResult::Phase { change } => Ok(change),
                        _ => Err(CommandError::Internal("a preview answers a phase".into())),
                    });
                let _ = reply.send(r);
            }
            ProjectMsg::List { reply } => {
                let _ = reply.send(s.projects.projects().into_iter().cloned().collect());
            }
            ProjectMsg::Plan { id, reply } => {
                let _ = reply.send(s.projects.plan(id));
            }
            ProjectMsg::Plans { reply } => {
                let _ = reply.send(s.projects.plans());
            }
            ProjectMsg::Schedule { id, reply } => {
                let week = s.week();
                let _ = reply.send(s.projects.schedule(id, &week));
            }
            ProjectMsg::ProjectOf { part, reply } => {
                let p = &s.projects;
                let found = match part {
                    ProjectPart::Phase(id) => p.phase(id).map(|x| x.project_id),
                    ProjectPart::Dependency(id) => p.dependency(id).map(|x| x.project_id),
                    ProjectPart::Milestone(id) => p.milestone(id).map(|x| x.project_id),
                };
                let _ = reply.send(found);
            }
            ProjectMsg::CheckBookingTarget { project, phase, reply } => {
                let _ = reply.send(s.check_booking_target(project, phase));
            }
            ProjectMsg::Restore { id, durable, entities } => {
                s.projects.restore(id, durable.map(|b| *b));
                tracing::warn!(project = %id, "restored a project from the store after a refused write");
                for e in entities {
                    let _ = s.log.send_message(LogMsg::Fence(e));
                }
            }
        }
        Ok(())
    }
}
