//! The embedded store's project rows: what `append` writes for each project
//! event (encoded before the blocking pool), applied in `seq` order, and
//! `load_project`.
//!
//! Why `seq` order rather than the last state per id (as for artists and
//! bookings): every write here is one row's, so there is no bulk statement
//! to feed, and the actor's own order keeps every foreign key and the code's
//! uniqueness satisfied after each statement (dependencies are removed
//! before their phase, a project exists before its phases).

use super::*;
use crate::store::plan::{PlanChange, PlanRow, sorted_plan};
use pt_protocol::{Dependency, Milestone, Phase, Project, ProjectId, ProjectPlan};

/// One project event as a row write.
pub(super) enum PlanWrite {
    Project { id: Uuid, code: String, status: &'static str, start: i32, end: i32, state: String },
    Phase { id: Uuid, project_id: Uuid, start: i32, end: i32, progress: u8, state: String },
    Dependency { id: Uuid, project_id: Uuid, predecessor_id: Uuid, successor_id: Uuid, state: String },
    Milestone { id: Uuid, project_id: Uuid, date: i32, state: String },
    Delete { table: Table, id: Uuid },
}

/// A table rows are deleted from.
#[derive(Clone, Copy)]
pub(super) enum Table {
    Phases,
    Dependencies,
    Milestones,
}

const UPSERT_PROJECT: &str = "\
INSERT INTO projects (tenant_id, id, code, status, start_date, end_date, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (tenant_id, id) DO UPDATE SET
    code = excluded.code, status = excluded.status, start_date = excluded.start_date,
    end_date = excluded.end_date, state = excluded.state";

const UPSERT_PHASE: &str = "\
INSERT INTO project_phases (tenant_id, id, project_id, start_date, end_date, progress, state)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (tenant_id, id) DO UPDATE SET
    project_id = excluded.project_id, start_date = excluded.start_date, end_date = excluded.end_date,
    progress = excluded.progress, state = excluded.state";

const UPSERT_DEPENDENCY: &str = "\
INSERT INTO project_dependencies (tenant_id, id, project_id, predecessor_id, successor_id, state)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT (tenant_id, id) DO UPDATE SET
    project_id = excluded.project_id, predecessor_id = excluded.predecessor_id,
    successor_id = excluded.successor_id, state = excluded.state";

const UPSERT_MILESTONE: &str = "\
INSERT INTO project_milestones (tenant_id, id, project_id, date, state) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (tenant_id, id) DO UPDATE SET
    project_id = excluded.project_id, date = excluded.date, state = excluded.state";

impl Table {
    fn delete(self) -> &'static str {
        match self {
            Self::Phases => "DELETE FROM project_phases WHERE tenant_id = ?1 AND id = ?2",
            Self::Dependencies => "DELETE FROM project_dependencies WHERE tenant_id = ?1 AND id = ?2",
            Self::Milestones => "DELETE FROM project_milestones WHERE tenant_id = ?1 AND id = ?2",
        }
    }
}

impl PlanWrite {
    /// The write `event` makes, if it is a project event.
    pub(super) fn of(event: &Event) -> Result<Option<Self>, StoreError> {
        let Some(PlanChange { row, removed }) = PlanChange::of(event) else { return Ok(None) };
        let write = match row {
            PlanRow::Phase(p) if removed => Self::Delete { table: Table::Phases, id: p.id.0 },
            PlanRow::Dependency(d) if removed => Self::Delete { table: Table::Dependencies, id: d.id.0 },
            PlanRow::Milestone(m) if removed => Self::Delete { table: Table::Milestones, id: m.id.0 },
            // Never removed (archiving is an update).
            PlanRow::Project(p) => Self::Project {
                id: p.id.0,
                code: p.code.clone(),
                status: p.status.as_str(),
                start: p.start_date.0,
                end: p.end_date.0,
                state: to_json(p, "a project")?,
            },
            PlanRow::Phase(p) => Self::Phase {
                id: p.id.0,
                project_id: p.project_id.0,
                start: p.start_date.0,
                end: p.end_date.0,
                progress: p.progress,
                state: to_json(p, "a phase")?,
            },
            PlanRow::Dependency(d) => Self::Dependency {
                id: d.id.0,
                project_id: d.project_id.0,
                predecessor_id: d.predecessor_id.0,
                successor_id: d.successor_id.0,
                state: to_json(d, "a dependency")?,
            },
            PlanRow::Milestone(m) => Self::Milestone {
                id: m.id.0,
                project_id: m.project_id.0,
                date: m.date.0,
                state: to_json(m, "a milestone")?,
            },
        };
        Ok(Some(write))
    }

    /// Runs the write inside `append`'s transaction.
    pub(super) fn apply(&self, tx: &rusqlite::Transaction<'_>, t: [u8; 16]) -> Result<(), StoreError> {
        let done = match self {
            Self::Project { id, code, status, start, end, state } => tx
                .prepare_cached(UPSERT_PROJECT)
                .and_then(|mut s| s.execute(params![t, id.into_bytes(), code, status, start, end, state])),
            Self::Phase { id, project_id, start, end, progress, state } => {
                tx.prepare_cached(UPSERT_PHASE).and_then(|mut s| {
                    s.execute(params![t, id.into_bytes(), project_id.into_bytes(), start, end, progress, state])
                })
            }
            Self::Dependency { id, project_id, predecessor_id, successor_id, state } => {
                tx.prepare_cached(UPSERT_DEPENDENCY).and_then(|mut s| {
                    s.execute(params![
                        t,
                        id.into_bytes(),
                        project_id.into_bytes(),
                        predecessor_id.into_bytes(),
                        successor_id.into_bytes(),
                        state
                    ])
                })
            }
            Self::Milestone { id, project_id, date, state } => tx
                .prepare_cached(UPSERT_MILESTONE)
                .and_then(|mut s| s.execute(params![t, id.into_bytes(), project_id.into_bytes(), date, state])),
            Self::Delete { table, id } => {
                tx.prepare_cached(table.delete()).and_then(|mut s| s.execute(params![t, id.into_bytes()]))
            }
        };
        done.map(|_| ()).map_err(map_sqlite)
    }
}

/// Every `state` of `table` matching `filter` (`?1` the tenant, `?2` the project).
fn states<T: serde::de::DeserializeOwned>(
    tx: &rusqlite::Transaction<'_>,
    (table, filter, what): (&str, &str, &str),
    tenant: TenantId,
    project: ProjectId,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = tx.prepare_cached(&format!("SELECT state FROM {table} WHERE {filter}")).map_err(map_sqlite)?;
    let mut rows = stmt.query(params![tenant.0.into_bytes(), project.0.into_bytes()]).map_err(map_sqlite)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(map_sqlite)? {
        let state = row.get_ref(0).and_then(|v| Ok(v.as_str()?)).map_err(map_sqlite)?;
        out.push(from_json(state, what)?);
    }
    Ok(out)
}

/// One project's durable plan, read in one transaction (one commit's rows).
pub(super) fn load_project(
    conn: &mut Connection,
    tenant: TenantId,
    id: ProjectId,
) -> Result<Option<ProjectPlan>, StoreError> {
    let tx = conn.transaction().map_err(map_sqlite)?;
    let member = "tenant_id = ?1 AND project_id = ?2";
    let project: Option<Project> =
        states(&tx, ("projects", "tenant_id = ?1 AND id = ?2", "project"), tenant, id)?.into_iter().next();
    let plan = match project {
        None => None,
        Some(project) => {
            let phases: Vec<Phase> = states(&tx, ("project_phases", member, "phase"), tenant, id)?;
            let dependencies: Vec<Dependency> =
                states(&tx, ("project_dependencies", member, "dependency"), tenant, id)?;
            let milestones: Vec<Milestone> = states(&tx, ("project_milestones", member, "milestone"), tenant, id)?;
            Some(sorted_plan(project, phases, dependencies, milestones))
        }
    };
    tx.commit().map_err(map_sqlite)?;
    Ok(plan)
}
