//! `append`'s project rows: the last state of every project, phase,
//! dependency and milestone a batch touched, written with one bulk
//! statement per table and kind of write.
//!
//! Only the last state per id counts (see [`LastStates`]): an entity created
//! and deleted in one batch is a delete of a row that is not there (a
//! no-op), and one deleted and never re-created is a delete. The order keeps
//! every foreign key satisfied at each statement: dependencies and
//! milestones are deleted before the phases they may reference, projects are
//! written before phases, and phases (written or deleted) before the
//! dependencies and milestones that are written.

use super::write::LastStates;
use super::*;
use crate::store::plan::{PlanChange, PlanRow};
use chrono::NaiveDate;
use pt_protocol::{Day, Dependency, DependencyKind, Milestone, Phase, Project};

const UPSERT_PROJECTS: &str = "\
INSERT INTO projects (tenant_id, id, name, code, client, color, status, start_date, end_date, budget_days,
                      budget_amount, currency, description, version, created_at, updated_at)
SELECT $1::uuid, u.* FROM UNNEST($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[],
                                 $9::date[], $10::bigint[], $11::bigint[], $12::text[], $13::text[], $14::bigint[],
                                 $15::timestamptz[], $16::timestamptz[]) AS u
ON CONFLICT (tenant_id, id) DO UPDATE SET
    name = EXCLUDED.name, code = EXCLUDED.code, client = EXCLUDED.client, color = EXCLUDED.color,
    status = EXCLUDED.status, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
    budget_days = EXCLUDED.budget_days, budget_amount = EXCLUDED.budget_amount, currency = EXCLUDED.currency,
    description = EXCLUDED.description, version = EXCLUDED.version, created_at = EXCLUDED.created_at,
    updated_at = EXCLUDED.updated_at";

const UPSERT_PHASES: &str = "\
INSERT INTO project_phases (tenant_id, id, project_id, name, start_date, end_date, progress, color, effort, version,
                            created_at, updated_at)
SELECT $1::uuid, u.* FROM UNNEST($2::uuid[], $3::uuid[], $4::text[], $5::date[], $6::date[], $7::smallint[],
                                 $8::text[], $9::jsonb[], $10::bigint[], $11::timestamptz[], $12::timestamptz[]) AS u
ON CONFLICT (tenant_id, id) DO UPDATE SET
    project_id = EXCLUDED.project_id, name = EXCLUDED.name, start_date = EXCLUDED.start_date,
    end_date = EXCLUDED.end_date, progress = EXCLUDED.progress, color = EXCLUDED.color, effort = EXCLUDED.effort,
    version = EXCLUDED.version, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at";

const UPSERT_DEPENDENCIES: &str = "\
INSERT INTO project_dependencies (tenant_id, id, project_id, predecessor_id, successor_id, kind, lag_days, created_at)
SELECT $1::uuid, u.* FROM UNNEST($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::int[],
                                 $8::timestamptz[]) AS u
ON CONFLICT (tenant_id, id) DO UPDATE SET
    project_id = EXCLUDED.project_id, predecessor_id = EXCLUDED.predecessor_id,
    successor_id = EXCLUDED.successor_id, kind = EXCLUDED.kind, lag_days = EXCLUDED.lag_days,
    created_at = EXCLUDED.created_at";

const UPSERT_MILESTONES: &str = "\
INSERT INTO project_milestones (tenant_id, id, project_id, name, date, done, phase_id, version, created_at, updated_at)
SELECT $1::uuid, u.* FROM UNNEST($2::uuid[], $3::uuid[], $4::text[], $5::date[], $6::bool[], $7::uuid[],
                                 $8::bigint[], $9::timestamptz[], $10::timestamptz[]) AS u
ON CONFLICT (tenant_id, id) DO UPDATE SET
    project_id = EXCLUDED.project_id, name = EXCLUDED.name, date = EXCLUDED.date, done = EXCLUDED.done,
    phase_id = EXCLUDED.phase_id, version = EXCLUDED.version, created_at = EXCLUDED.created_at,
    updated_at = EXCLUDED.updated_at";

const DELETE_PHASES: &str = "DELETE FROM project_phases WHERE tenant_id = $1 AND id = ANY($2)";
const DELETE_DEPENDENCIES: &str = "DELETE FROM project_dependencies WHERE tenant_id = $1 AND id = ANY($2)";
const DELETE_MILESTONES: &str = "DELETE FROM project_milestones WHERE tenant_id = $1 AND id = ANY($2)";

/// A day as a PostgreSQL `date` (checked: a [`Day`] can hold days chrono cannot).
pub(super) fn to_date(d: Day) -> Result<NaiveDate, StoreError> {
    /// 1970-01-01 counted from 0001-01-01 (day 1).
    const EPOCH_FROM_CE: i32 = 719_163;
    d.0.checked_add(EPOCH_FROM_CE)
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| StoreError::Other(format!("day {} is outside the dates the store can hold", d.0)))
}

pub(super) fn dependency_kind_str(k: DependencyKind) -> &'static str {
    match k {
        DependencyKind::FinishToStart => "finish_to_start",
        DependencyKind::StartToStart => "start_to_start",
        DependencyKind::FinishToFinish => "finish_to_finish",
        DependencyKind::StartToFinish => "start_to_finish",
    }
}

/// The project rows of one batch: what to write and what to delete.
pub(super) struct PlanWrites<'a> {
    projects: Vec<&'a Project>,
    phases: Vec<&'a Phase>,
    gone_phases: Vec<Uuid>,
    dependencies: Vec<&'a Dependency>,
    gone_dependencies: Vec<Uuid>,
    milestones: Vec<&'a Milestone>,
    gone_milestones: Vec<Uuid>,
}

/// Last states split into rows to write and ids to delete.
fn split<'a, T>(states: &LastStates<Uuid, (&'a T, bool)>, id: fn(&T) -> Uuid) -> (Vec<&'a T>, Vec<Uuid>) {
    let (mut keep, mut gone) = (Vec::new(), Vec::new());
    for (state, removed) in states.states() {
        if removed { gone.push(id(state)) } else { keep.push(state) }
    }
    (keep, gone)
}

impl<'a> PlanWrites<'a> {
    pub(super) fn of(batch: &'a [CommandRecord]) -> Self {
        let (mut projects, mut phases) = (LastStates::new(), LastStates::new());
        let (mut dependencies, mut milestones) = (LastStates::new(), LastStates::new());
        for env in batch.iter().flat_map(|r| &r.events) {
            let Some(PlanChange { row, removed }) = PlanChange::of(&env.event) else { continue };
            match row {
                // Never removed (archiving is an update).
                PlanRow::Project(p) => projects.offer(p.id.0, env.seq, p),
                PlanRow::Phase(p) => phases.offer(p.id.0, env.seq, (p, removed)),
                PlanRow::Dependency(d) => dependencies.offer(d.id.0, env.seq, (d, removed)),
                PlanRow::Milestone(m) => milestones.offer(m.id.0, env.seq, (m, removed)),
            }
        }
        let (phases, gone_phases) = split(&phases, |p: &Phase| p.id.0);
        let (dependencies, gone_dependencies) = split(&dependencies, |d: &Dependency| d.id.0);
        let (milestones, gone_milestones) = split(&milestones, |m: &Milestone| m.id.0);
        Self {
            projects: projects.states().collect(),
            phases,
            gone_phases,
            dependencies,
            gone_dependencies,
            milestones,
            gone_milestones,
        }
    }

    /// Runs the statements in foreign-key order, each to its answer (an empty
    /// one sends nothing). Not pipelined: a statement still waiting for its
    /// prepare round trip can be overtaken by a cached one, and a phase row
    /// would then reach the database before its new project.
    pub(super) async fn write(&self, tx: &Transaction<'_>, tenant: Uuid) -> Result<(), StoreError> {
        delete(tx, DELETE_DEPENDENCIES, tenant, &self.gone_dependencies).await?;
        delete(tx, DELETE_MILESTONES, tenant, &self.gone_milestones).await?;
        upsert_projects(tx, tenant, &self.projects).await?;
        upsert_phases(tx, tenant, &self.phases).await?;
        delete(tx, DELETE_PHASES, tenant, &self.gone_phases).await?;
        upsert_dependencies(tx, tenant, &self.dependencies).await?;
        upsert_milestones(tx, tenant, &self.milestones).await
    }
}

async fn delete(tx: &Transaction<'_>, sql: &str, tenant: Uuid, ids: &[Uuid]) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    tx.execute(sql, &[&tenant, &ids]).await.map_err(map_pg)?;
    Ok(())
}

async fn upsert_projects(tx: &Transaction<'_>, tenant: Uuid, projects: &[&Project]) -> Result<(), StoreError> {
    if projects.is_empty() {
        return Ok(());
    }
    let id: Vec<Uuid> = projects.iter().map(|p| p.id.0).collect();
    let name: Vec<&str> = projects.iter().map(|p| p.name.as_str()).collect();
    let code: Vec<&str> = projects.iter().map(|p| p.code.as_str()).collect();
    let client: Vec<Option<&str>> = projects.iter().map(|p| p.client.as_deref()).collect();
    let color: Vec<&str> = projects.iter().map(|p| p.color.as_str()).collect();
    let status: Vec<&str> = projects.iter().map(|p| p.status.as_str()).collect();
    let start: Vec<NaiveDate> = projects.iter().map(|p| to_date(p.start_date)).collect::<Result<_, _>>()?;
    let end: Vec<NaiveDate> = projects.iter().map(|p| to_date(p.end_date)).collect::<Result<_, _>>()?;
    let budget_days: Vec<Option<i64>> = projects.iter().map(|p| p.budget_days.map(i64::from)).collect();
    let budget_amount: Vec<Option<i64>> = projects
        .iter()
        .map(|p| p.budget_amount.map(|a| to_i64(a, "project budget")).transpose())
        .collect::<Result<_, _>>()?;
    let currency: Vec<Option<&str>> = projects.iter().map(|p| p.currency.as_deref()).collect();
    let description: Vec<Option<&str>> = projects.iter().map(|p| p.description.as_deref()).collect();
    let version: Vec<i64> = projects.iter().map(|p| to_i64(p.version, "project version")).collect::<Result<_, _>>()?;
    let created_at: Vec<DateTime<Utc>> = projects.iter().map(|p| p.created_at.to_chrono()).collect();
    let updated_at: Vec<DateTime<Utc>> = projects.iter().map(|p| p.updated_at.to_chrono()).collect();
    tx.execute(
        UPSERT_PROJECTS,
        &[
            &tenant,
            &id,
            &name,
            &code,
            &client,
            &color,
            &status,
            &start,
            &end,
            &budget_days,
            &budget_amount,
            &currency,
            &description,
            &version,
            &created_at,
            &updated_at,
        ],
    )
    .await
    .map_err(map_pg)?;
    Ok(())
}

async fn upsert_phases(tx: &Transaction<'_>, tenant: Uuid, phases: &[&Phase]) -> Result<(), StoreError> {
    if phases.is_empty() {
        return Ok(());
    }
    let id: Vec<Uuid> = phases.iter().map(|p| p.id.0).collect();
    let project_id: Vec<Uuid> = phases.iter().map(|p| p.project_id.0).collect();
    let name: Vec<&str> = phases.iter().map(|p| p.name.as_str()).collect();
    let start: Vec<NaiveDate> = phases.iter().map(|p| to_date(p.start_date)).collect::<Result<_, _>>()?;
    let end: Vec<NaiveDate> = phases.iter().map(|p| to_date(p.end_date)).collect::<Result<_, _>>()?;
    let progress: Vec<i16> = phases.iter().map(|p| i16::from(p.progress)).collect();
    let color: Vec<Option<&str>> = phases.iter().map(|p| p.color.as_deref()).collect();
    let effort: Vec<serde_json::Value> = phases.iter().map(|p| serde_json::json!(p.effort)).collect();
    let version: Vec<i64> = phases.iter().map(|p| to_i64(p.version, "phase version")).collect::<Result<_, _>>()?;
    let created_at: Vec<DateTime<Utc>> = phases.iter().map(|p| p.created_at.to_chrono()).collect();
    let updated_at: Vec<DateTime<Utc>> = phases.iter().map(|p| p.updated_at.to_chrono()).collect();
    tx.execute(
        UPSERT_PHASES,
        &[
            &tenant,
            &id,
            &project_id,
            &name,
            &start,
            &end,
            &progress,
            &color,
            &effort,
            &version,
            &created_at,
            &updated_at,
        ],
    )
    .await
    .map_err(map_pg)?;
    Ok(())
}

async fn upsert_dependencies(tx: &Transaction<'_>, tenant: Uuid, deps: &[&Dependency]) -> Result<(), StoreError> {
    if deps.is_empty() {
        return Ok(());
    }
    let id: Vec<Uuid> = deps.iter().map(|d| d.id.0).collect();
    let project_id: Vec<Uuid> = deps.iter().map(|d| d.project_id.0).collect();
    let predecessor: Vec<Uuid> = deps.iter().map(|d| d.predecessor_id.0).collect();
    let successor: Vec<Uuid> = deps.iter().map(|d| d.successor_id.0).collect();
    let kind: Vec<&str> = deps.iter().map(|d| dependency_kind_str(d.kind)).collect();
    let lag: Vec<i32> = deps.iter().map(|d| d.lag_days).collect();
    let created_at: Vec<DateTime<Utc>> = deps.iter().map(|d| d.created_at.to_chrono()).collect();
    tx.execute(UPSERT_DEPENDENCIES, &[&tenant, &id, &project_id, &predecessor, &successor, &kind, &lag, &created_at])
        .await
        .map_err(map_pg)?;
    Ok(())
}

async fn upsert_milestones(tx: &Transaction<'_>, tenant: Uuid, milestones: &[&Milestone]) -> Result<(), StoreError> {
    if milestones.is_empty() {
        return Ok(());
    }
    let id: Vec<Uuid> = milestones.iter().map(|m| m.id.0).collect();
    let project_id: Vec<Uuid> = milestones.iter().map(|m| m.project_id.0).collect();
    let name: Vec<&str> = milestones.iter().map(|m| m.name.as_str()).collect();
    let date: Vec<NaiveDate> = milestones.iter().map(|m| to_date(m.date)).collect::<Result<_, _>>()?;
    let done: Vec<bool> = milestones.iter().map(|m| m.done).collect();
    let phase_id: Vec<Option<Uuid>> = milestones.iter().map(|m| m.phase_id.map(|p| p.0)).collect();
    let version: Vec<i64> =
        milestones.iter().map(|m| to_i64(m.version, "milestone version")).collect::<Result<_, _>>()?;
    let created_at: Vec<DateTime<Utc>> = milestones.iter().map(|m| m.created_at.to_chrono()).collect();
    let updated_at: Vec<DateTime<Utc>> = milestones.iter().map(|m| m.updated_at.to_chrono()).collect();
    tx.execute(
        UPSERT_MILESTONES,
        &[&tenant, &id, &project_id, &name, &date, &done, &phase_id, &version, &created_at, &updated_at],
    )
    .await
    .map_err(map_pg)?;
    Ok(())
}
