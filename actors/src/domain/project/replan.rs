//! Re-planning after a change of dates or a new dependency: `strict` lists
//! what the change breaks, `push` moves successors until nothing is broken.
//!
//! # Push
//!
//! Every phase downstream of the changed one (or of the new dependency's
//! successor) is visited once, in topological order, so each is moved after
//! all of its predecessors reached their final dates. A visited phase is
//! moved forward — never backward — just far enough that *every* dependency
//! into it holds, keeping its duration in calendar days:
//!
//! * a broken start bound (finish_to_start, start_to_start) moves its start
//!   to the bound, then on to the next working day when the bound is a day
//!   off (work starts on a working day);
//! * a broken end bound (finish_to_finish, start_to_finish) moves it so its
//!   end is the bound (ends are exclusive, so no working-day rounding).
//!
//! Both rounding steps only move later, so the result satisfies every bound.
//! Push never moves the changed phase itself nor any predecessor: a change
//! that moves a phase before what its own predecessors allow is refused.
//! Cost: O(phases + dependencies) per re-plan.

use super::Projects;
use super::graph::Graph;
use super::workdays::WorkWeek;
use crate::error::DomainError;
use pt_protocol::project::{PhaseMove, Violation};
use pt_protocol::{Day, Event, Project, Timestamp};

/// A phase push moved: its node and dates before (the graph has the new ones).
#[derive(Clone, Copy, Debug)]
pub(super) struct Moved {
    pub node: usize,
    pub old_start: Day,
    pub old_end: Day,
}

/// The edges among `edges` that the graph's current dates break, by
/// dependency id (each once).
pub(super) fn violations(g: &Graph, edges: impl IntoIterator<Item = usize>, week: &WorkWeek) -> Vec<Violation> {
    let mut out: Vec<Violation> = edges.into_iter().filter_map(|k| g.violation(k, week)).collect();
    out.sort_by_key(|v| v.dependency_id);
    out.dedup_by_key(|v| v.dependency_id);
    out
}

/// Moves every phase downstream of `roots` (roots included, `fixed`
/// excluded) as far as its dependencies require; returns the moves in the
/// order they were made. See the module docs for the rule.
pub(super) fn push(g: &mut Graph, roots: &[usize], fixed: Option<usize>, week: &WorkWeek) -> Vec<Moved> {
    let reach = g.downstream(roots);
    let mut moved = Vec::new();
    for v in g.topo_order() {
        if !reach[v] || Some(v) == fixed {
            continue;
        }
        let (start, end) = (g.start[v], g.end[v]);
        let duration = start.until(end);
        let (mut start_bound, mut end_bound) = (None::<Day>, None::<Day>);
        for &k in &g.inc[v] {
            let b = g.bound(k, week);
            let slot = if g.edges[k].bounds_start() { &mut start_bound } else { &mut end_bound };
            *slot = Some(slot.map_or(b, |s| s.max(b)));
        }
        let mut new_start = start;
        if let Some(b) = start_bound.filter(|b| *b > start) {
            new_start = week.next_working_day(b);
        }
        if let Some(b) = end_bound.filter(|b| *b > end) {
            new_start = new_start.max(b.plus(-duration));
        }
        if new_start > start {
            g.start[v] = new_start;
            g.end[v] = new_start.plus(duration);
            moved.push(Moved { node: v, old_start: start, old_end: end });
        }
    }
    moved
}

/// `push`'s moves as `phaseUpdated` events (version + 1) and [`PhaseMove`]s,
/// refusing a move past the project's end.
pub(super) fn moved_events(
    projects: &Projects,
    project: &Project,
    g: &Graph,
    moved: &[Moved],
    now: Timestamp,
) -> Result<(Vec<Event>, Vec<PhaseMove>), DomainError> {
    let mut events = Vec::with_capacity(moved.len());
    let mut moves = Vec::with_capacity(moved.len());
    for m in moved {
        let id = g.ids[m.node];
        let Some(current) = projects.phases.get(&id) else {
            continue;
        };
        let (new_start, new_end) = (g.start[m.node], g.end[m.node]);
        if new_end > project.end_date {
            return Err(DomainError::Unprocessable(format!(
                "pushing successors would move phase {} to {new_start} → {new_end}, past project {}'s range {} → {} \
                 (end exclusive)",
                current.name, project.code, project.start_date, project.end_date
            )));
        }
        let mut phase = current.clone();
        phase.start_date = new_start;
        phase.end_date = new_end;
        phase.version += 1;
        phase.updated_at = now;
        moves.push(PhaseMove { phase_id: id, old_start: m.old_start, old_end: m.old_end, new_start, new_end });
        events.push(Event::PhaseUpdated { phase });
    }
    Ok((events, moves))
}
