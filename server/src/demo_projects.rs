//! The demo studio's three projects — phases, dependencies, milestones —
//! dated around the week the demo is first seeded, made through the ordinary
//! project commands (so they have events and history like anything else).

use pt_actors::{CmdInput, Tenant};
use pt_protocol::project::SkillEffort;
use pt_protocol::project_command::{NewDependency, NewMilestone, NewPhase, NewProject};
use pt_protocol::ws::{Command, CommandResult};
use pt_protocol::{Day, DependencyKind, Phase, ProjectId, ProjectStatus};

/// A phase of a demo project: name, first and last-exclusive week offsets
/// from this week's Monday, progress, planned effort.
type PhaseSpec = (&'static str, i32, i32, u8, &'static [(&'static str, u32)]);

struct ProjectSpec {
    name: &'static str,
    code: &'static str,
    client: &'static str,
    color: &'static str,
    status: ProjectStatus,
    weeks: (i32, i32),
    budget_days: u32,
    phases: &'static [PhaseSpec],
    /// (predecessor index, successor index, kind, lag in working days)
    dependencies: &'static [(usize, usize, DependencyKind, i32)],
    /// (name, week offset, day in week, done, phase index)
    milestones: &'static [(&'static str, i32, i32, bool, Option<usize>)],
}

use DependencyKind::{FinishToStart as FS, StartToStart as SS};

const PROJECTS: [ProjectSpec; 3] = [
    ProjectSpec {
        name: "Feature: The Lighthouse",
        code: "LH",
        client: "Harbour Pictures",
        color: "#2f6fb0",
        status: ProjectStatus::Active,
        weeks: (-4, 16),
        budget_days: 420,
        phases: &[
            ("Layout", -4, -1, 100, &[("layout", 15)]),
            ("Animation", -1, 5, 35, &[("animation", 60), ("rigging", 10), ("compositing", 10)]),
            ("FX", 1, 7, 10, &[("fx", 40)]),
            ("Lighting", 3, 9, 0, &[("lighting", 45)]),
            ("Compositing", 5, 12, 0, &[("compositing", 70)]),
            ("Delivery", 12, 14, 0, &[("production", 5)]),
        ],
        dependencies: &[(0, 1, FS, 0), (1, 2, SS, 10), (1, 3, SS, 20), (3, 4, SS, 10), (2, 4, FS, -5), (4, 5, FS, 0)],
        milestones: &[
            ("Layout approved", -1, 0, true, Some(0)),
            ("Animation lock", 5, 0, false, Some(1)),
            ("Final delivery", 14, 0, false, None),
        ],
    },
    ProjectSpec {
        name: "Series: Night Shift S2",
        code: "NS2",
        client: "Northlight TV",
        color: "#8a4fb5",
        status: ProjectStatus::Active,
        weeks: (-2, 18),
        budget_days: 300,
        phases: &[
            ("Episode 1 · matchmove & layout", -2, 1, 80, &[("matchmove", 10), ("layout", 8)]),
            ("Episode 1 · animation & FX", 0, 5, 20, &[("animation", 30), ("fx", 20)]),
            ("Episode 1 · comp", 4, 8, 0, &[("compositing", 30)]),
            ("Episode 2 · build", 2, 7, 5, &[("modelling", 20), ("texturing", 15)]),
            ("Episode 2 · shots", 7, 14, 0, &[("animation", 35), ("compositing", 35)]),
        ],
        dependencies: &[(0, 1, FS, 0), (1, 2, FS, -5), (3, 4, FS, 0), (2, 4, SS, 10)],
        milestones: &[("Episode 1 air date", 9, 2, false, Some(2)), ("Episode 2 picture lock", 14, 0, false, Some(4))],
    },
    ProjectSpec {
        name: "Commercial: Aurora Coffee",
        code: "AUR",
        client: "Aurora",
        color: "#c07a1f",
        status: ProjectStatus::Planning,
        weeks: (1, 8),
        budget_days: 60,
        phases: &[
            ("Modelling", 1, 3, 0, &[("modelling", 8)]),
            ("Texturing", 2, 4, 0, &[("texturing", 6)]),
            ("Lighting & comp", 4, 7, 0, &[("lighting", 8), ("compositing", 8)]),
        ],
        dependencies: &[(0, 1, SS, 3), (1, 2, FS, 0)],
        milestones: &[("Client review", 4, 3, false, None), ("On air", 7, 4, false, None)],
    },
];

/// A seeded project: its id and its phases (for booking onto them).
pub struct DemoProject {
    pub id: ProjectId,
    pub phases: Vec<Phase>,
}

async fn run(tenant: &Tenant, command: Command) -> anyhow::Result<CommandResult> {
    let mut acc = tenant.project_command(command, CmdInput::system("system:demo")).await?;
    tenant.wait_durable(&mut acc).await?;
    Ok(acc.value)
}

/// Seeds the three projects; `monday` is this week's Monday.
pub async fn seed(tenant: &Tenant, monday: Day) -> anyhow::Result<Vec<DemoProject>> {
    let week = |w: i32| monday.plus(w * 7);
    let mut out = Vec::new();
    for spec in &PROJECTS {
        let new = NewProject {
            name: spec.name.into(),
            code: spec.code.into(),
            client: Some(spec.client.into()),
            color: Some(spec.color.into()),
            status: Some(spec.status),
            start_date: week(spec.weeks.0),
            end_date: week(spec.weeks.1),
            budget_days: Some(spec.budget_days),
            budget_amount: None,
            currency: None,
            description: Some(format!("Demo project for {}.", spec.client)),
        };
        let CommandResult::Project { project } = run(tenant, Command::CreateProject { project: new }).await? else {
            anyhow::bail!("creating a project answered something else");
        };
        let mut phases = Vec::new();
        for (name, from, to, progress, effort) in spec.phases {
            let phase = NewPhase {
                name: (*name).into(),
                start_date: week(*from),
                // Phases end on a Saturday: Monday to Friday of their last week.
                end_date: week(*to).plus(-2),
                progress: Some(*progress),
                color: None,
                effort: effort
                    .iter()
                    .map(|(skill, days)| SkillEffort { skill: (*skill).into(), days: *days })
                    .collect(),
            };
            let cmd = Command::CreatePhase { project_id: project.id, phase };
            let CommandResult::Phase { change } = run(tenant, cmd).await? else {
                anyhow::bail!("creating a phase answered something else");
            };
            phases.push(change.phase);
        }
        for (p, s, kind, lag) in spec.dependencies {
            let dependency = NewDependency {
                predecessor_id: phases[*p].id,
                successor_id: phases[*s].id,
                kind: Some(*kind),
                lag_days: Some(*lag),
                mode: None,
            };
            run(tenant, Command::AddDependency { project_id: project.id, dependency }).await?;
        }
        for (name, w, d, done, phase) in spec.milestones {
            let milestone = NewMilestone {
                name: (*name).into(),
                date: week(*w).plus(*d),
                done: Some(*done),
                phase_id: phase.map(|i| phases[i].id),
            };
            run(tenant, Command::CreateMilestone { project_id: project.id, milestone }).await?;
        }
        // Dependencies may have pushed phases: book onto their current dates.
        let plan = tenant.project_plan(project.id).await?;
        out.push(DemoProject { id: project.id, phases: plan.phases });
    }
    Ok(out)
}
