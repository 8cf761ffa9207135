//! Criterion micro-benchmarks of the project domain on a 200-phase project
//! with 400 finish-to-start dependencies (a layered DAG): a re-plan that
//! pushes most of the graph, and the schedule.
//!
//! `cargo bench -p pt-actors --bench project`
//!
//! The plan: 20 layers of 10 phases, each phase a whole week (Monday to the
//! next Monday, exclusive), back to back with the next layer. Phase `j` of
//! layer `L` follows phases `j` and `j + 1 (mod 10)` of layer `L − 1` (380
//! dependencies), and the phases of layers 2 and 3 also follow phase `j` two
//! layers back (20 more). Moving the very first phase 5 days later pushes
//! every phase downstream of it — 154 of the other 199 — each by a week (its
//! new start falls on a Saturday and moves on to Monday).
//!
//! Targets: re-plan ≤ 10 ms, schedule ≤ 5 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use pt_actors::domain::project::{Projects, WorkWeek};
use pt_protocol::project_command::PhasePatch;
use pt_protocol::{
    Day, Dependency, DependencyId, DependencyKind, Phase, PhaseId, Project, ProjectId, ProjectStatus, ReplanMode,
    Timestamp,
};
use std::hint::black_box;

const LAYERS: usize = 20;
const WIDTH: usize = 10;
const PROJECT: ProjectId = ProjectId::from_u128(1);
/// 2030-01-07, a Monday.
const START: Day = Day(21_921);
const NOW: Timestamp = Timestamp(1_893_456_000_000_000);

fn phase_id(layer: usize, j: usize) -> PhaseId {
    PhaseId::from_u128(1_000 + (layer * WIDTH + j) as u128)
}

fn plan() -> Projects {
    let project = Project {
        id: PROJECT,
        name: "Bench".into(),
        code: "BENCH".into(),
        client: None,
        color: "#4f7cff".into(),
        status: ProjectStatus::Active,
        start_date: START,
        end_date: START.plus(400),
        budget_days: None,
        budget_amount: None,
        currency: None,
        description: None,
        version: 1,
        created_at: NOW,
        updated_at: NOW,
    };
    let mut phases = Vec::new();
    let mut deps = Vec::new();
    let mut link = |a: PhaseId, b: PhaseId| {
        deps.push(Dependency {
            id: DependencyId::from_u128(10_000 + deps.len() as u128),
            project_id: PROJECT,
            predecessor_id: a,
            successor_id: b,
            kind: DependencyKind::FinishToStart,
            lag_days: 0,
            created_at: NOW,
        })
    };
    for layer in 0..LAYERS {
        for j in 0..WIDTH {
            let start = START.plus(7 * layer as i32);
            phases.push(Phase {
                id: phase_id(layer, j),
                project_id: PROJECT,
                name: format!("L{layer} P{j}"),
                start_date: start,
                end_date: start.plus(7),
                progress: (j * 10) as u8,
                color: None,
                effort: Vec::new(),
                version: 1,
                created_at: NOW,
                updated_at: NOW,
            });
            if layer > 0 {
                link(phase_id(layer - 1, j), phase_id(layer, j));
                link(phase_id(layer - 1, (j + 1) % WIDTH), phase_id(layer, j));
            }
            if layer == 2 || layer == 3 {
                link(phase_id(layer - 2, j), phase_id(layer, j));
            }
        }
    }
    assert_eq!((phases.len(), deps.len()), (200, 400));
    Projects::load(vec![project], phases, deps, Vec::new())
}

fn bench_project(c: &mut Criterion) {
    let projects = plan();
    let week = WorkWeek::from_iso_days(&[1, 2, 3, 4, 5]);
    let first = phase_id(0, 0);
    let patch = PhasePatch {
        start_date: Some(START.plus(5)),
        end_date: Some(START.plus(12)),
        mode: Some(ReplanMode::Push),
        ..Default::default()
    };
    let decided = projects.decide_update_phase(first, &patch, &week, NOW).expect("the push fits the project");
    assert_eq!(decided.moved.len(), 154, "the push moves most of the graph");

    let mut g = c.benchmark_group("project_200_phases_400_deps");
    g.bench_function("decide_update_phase/push_first_phase_5_days", |b| {
        b.iter(|| black_box(projects.decide_update_phase(first, black_box(&patch), &week, NOW)))
    });
    g.bench_function("schedule", |b| b.iter(|| black_box(projects.schedule(black_box(PROJECT), &week))));
    g.finish();
}

criterion_group!(benches, bench_project);
criterion_main!(benches);
