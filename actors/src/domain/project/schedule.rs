//! A project's schedule over its current dates: how far each phase can slip
//! (slack), the critical path, and the weighted progress.
//!
//! # Backward pass
//!
//! `F` is the latest phase end. In reverse topological order each phase gets
//! its latest end `LE`: `F`, lowered by every dependency out of it to the
//! latest value of its anchor (start or end) that still satisfies the
//! dependency against the successor's latest dates — the exact inverse of
//! the lag ([`WorkWeek::latest_with_shift_at_most`]), so a phase whose
//! dependencies hold never gets a latest date before its own. Its latest
//! start is `LE` moved back by the phase's working days (calendar days for a
//! phase with none), so a weekend before a successor is not slack.
//!
//! Slack is the number of working days in `[start, latest start)`: the
//! working days the phase can slip. A phase with slack 0 is critical (a phase
//! starting on a day off with its latest start the next working day has no
//! working day to give, so it is critical too).

use super::Projects;
use super::graph::Graph;
use super::workdays::WorkWeek;
use pt_protocol::project::{Schedule, ScheduledPhase};
use pt_protocol::{Day, DependencyKind, ProjectId};

impl Projects {
    /// The schedule of one project: slack and critical path over its current dates.
    pub fn schedule(&self, id: ProjectId, week: &WorkWeek) -> Option<Schedule> {
        self.projects.get(&id)?;
        let g = Graph::of(self, id);
        let order = g.topo_order();
        let finish = g.end.iter().max().copied();
        let latest_start = latest_starts(&g, &order, finish, week);
        let slack: Vec<i32> = (0..g.len()).map(|v| week.working_days_between(g.start[v], latest_start[v])).collect();
        let phases = (0..g.len())
            .map(|v| ScheduledPhase {
                phase_id: g.ids[v],
                start_date: g.start[v],
                end_date: g.end[v],
                latest_start: latest_start[v],
                slack_days: slack[v],
                critical: slack[v] == 0,
            })
            .collect();
        let critical_path = match finish {
            Some(f) => critical_path(&g, &order, &slack, f).into_iter().map(|v| g.ids[v]).collect(),
            None => Vec::new(),
        };
        Some(Schedule {
            project_id: id,
            start_date: g.start.iter().min().copied(),
            finish_date: finish,
            progress: self.progress(&g),
            phases,
            critical_path,
        })
    }

    /// Σ(progress × duration) / Σ(duration), 0 without phases.
    fn progress(&self, g: &Graph) -> f64 {
        let (mut weighted, mut total) = (0.0, 0.0);
        for (v, id) in g.ids.iter().enumerate() {
            let duration = f64::from(g.start[v].until(g.end[v]).max(0));
            let progress = self.phases.get(id).map_or(0, |p| p.progress);
            weighted += f64::from(progress) * duration;
            total += duration;
        }
        if total > 0.0 { weighted / total } else { 0.0 }
    }
}

/// Each node's latest start (the backward pass of the module docs). Nodes
/// outside `order` (on a cycle of corrupt data) keep their own start.
fn latest_starts(g: &Graph, order: &[usize], finish: Option<Day>, week: &WorkWeek) -> Vec<Day> {
    let Some(finish) = finish else {
        return Vec::new();
    };
    let mut ls = g.start.clone();
    let mut le = g.end.clone();
    for &v in order.iter().rev() {
        let duration = g.start[v].until(g.end[v]);
        let mut latest_end = finish;
        for &k in &g.out[v] {
            let e = &g.edges[k];
            // The latest day of the successor's bounded end…
            let successor = if e.bounds_start() { ls[e.to] } else { le[e.to] };
            // …gives the latest day of this phase's anchor.
            let anchor = week.latest_with_shift_at_most(successor, e.lag);
            let as_end = match e.kind {
                DependencyKind::FinishToStart | DependencyKind::FinishToFinish => anchor,
                DependencyKind::StartToStart | DependencyKind::StartToFinish => anchor.plus(duration),
            };
            latest_end = latest_end.min(as_end);
        }
        le[v] = latest_end;
        // Back by the phase's working days, not its calendar days: a phase
        // that runs through Friday before a Monday successor has no slack —
        // the weekend is not time it could slip into.
        let work = week.working_days_between(g.start[v], g.end[v]);
        ls[v] = if work > 0 { week.add_working_days(latest_end, -work) } else { latest_end.plus(-duration) };
    }
    ls
}

/// The longest chain (in phases) of critical phases linked by dependencies,
/// ending at a phase that ends at `finish`; ties go to the earlier start
/// (lower node index). Its first phase has no critical predecessor.
fn critical_path(g: &Graph, order: &[usize], slack: &[i32], finish: Day) -> Vec<usize> {
    let critical = |v: usize| slack[v] == 0;
    // chain[v]: phases in the longest critical chain ending at v; via[v]: its previous phase.
    let mut chain = vec![0usize; g.len()];
    let mut via: Vec<Option<usize>> = vec![None; g.len()];
    for &v in order.iter().filter(|v| critical(**v)) {
        chain[v] = 1;
        for &k in &g.inc[v] {
            let u = g.edges[k].from;
            let better = chain[u] + 1 > chain[v] || (chain[u] + 1 == chain[v] && via[v].is_some_and(|w| u < w));
            if critical(u) && chain[u] > 0 && better {
                chain[v] = chain[u] + 1;
                via[v] = Some(u);
            }
        }
    }
    let last = (0..g.len())
        .filter(|v| g.end[*v] == finish && critical(*v))
        .max_by_key(|v| (chain[*v], std::cmp::Reverse(*v)))
        .or_else(|| (0..g.len()).find(|v| g.end[*v] == finish));
    let mut path = Vec::new();
    let mut cur = last;
    while let Some(v) = cur {
        path.push(v);
        cur = via[v];
    }
    path.reverse();
    path
}
