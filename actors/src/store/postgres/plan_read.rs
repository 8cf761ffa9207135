//! Project rows read back: every project of a tenant (activation from the
//! projections) or one project's plan (`load_project`, the writer's revert
//! path), and rows ↔ types.

use super::*;
use crate::store::plan::sorted_plan;
use chrono::NaiveDate;
use pt_protocol::{
    Day, Dependency, DependencyId, DependencyKind, Milestone, MilestoneId, Phase, PhaseId, Project, ProjectId,
    ProjectPlan, ProjectStatus,
};
use tokio_postgres::types::ToSql;

const PROJECT_COLUMNS: &str = "id, name, code, client, color, status, start_date, end_date, budget_days, \
                               budget_amount, currency, description, version, created_at, updated_at";
const PHASE_COLUMNS: &str =
    "id, project_id, name, start_date, end_date, progress, color, effort, version, created_at, updated_at";
const DEPENDENCY_COLUMNS: &str = "id, project_id, predecessor_id, successor_id, kind, lag_days, created_at";
const MILESTONE_COLUMNS: &str = "id, project_id, name, date, done, phase_id, version, created_at, updated_at";

/// The project rows of a tenant, or of one of its projects.
pub(super) struct PlanRows {
    pub(super) projects: Vec<Project>,
    pub(super) phases: Vec<Phase>,
    pub(super) dependencies: Vec<Dependency>,
    pub(super) milestones: Vec<Milestone>,
}

/// Reads the rows of every project of `tenant` (`project: None`) or of one,
/// pipelined, inside `tx` (so they describe one commit when `tx` is
/// REPEATABLE READ).
pub(super) async fn plan_rows(
    tx: &Transaction<'_>,
    tenant: TenantId,
    project: Option<ProjectId>,
) -> Result<PlanRows, StoreError> {
    let one = project.map(|p| p.0);
    let (own, member, params): (&str, &str, Vec<&(dyn ToSql + Sync)>) = match &one {
        Some(id) => ("tenant_id = $1 AND id = $2", "tenant_id = $1 AND project_id = $2", vec![&tenant.0, id]),
        None => ("tenant_id = $1", "tenant_id = $1", vec![&tenant.0]),
    };
    let sql = [
        format!("SELECT {PROJECT_COLUMNS} FROM projects WHERE {own} ORDER BY id"),
        format!("SELECT {PHASE_COLUMNS} FROM project_phases WHERE {member} ORDER BY id"),
        format!("SELECT {DEPENDENCY_COLUMNS} FROM project_dependencies WHERE {member} ORDER BY id"),
        format!("SELECT {MILESTONE_COLUMNS} FROM project_milestones WHERE {member} ORDER BY id"),
    ];
    let (projects, phases, dependencies, milestones) = futures::try_join!(
        tx.query(&sql[0], &params),
        tx.query(&sql[1], &params),
        tx.query(&sql[2], &params),
        tx.query(&sql[3], &params),
    )
    .map_err(map_pg)?;
    Ok(PlanRows {
        projects: projects.iter().map(project_from_row).collect::<Result<_, _>>()?,
        phases: phases.iter().map(phase_from_row).collect::<Result<_, _>>()?,
        dependencies: dependencies.iter().map(dependency_from_row).collect::<Result<_, _>>()?,
        milestones: milestones.iter().map(milestone_from_row).collect::<Result<_, _>>()?,
    })
}

pub(super) async fn load_project(
    store: &PgStore,
    tenant: TenantId,
    id: ProjectId,
) -> Result<Option<ProjectPlan>, StoreError> {
    let mut conn = store.conn().await?;
    // One snapshot: the plan of one commit, never half a batch's.
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let rows = plan_rows(&tx, tenant, Some(id)).await?;
    tx.commit().await.map_err(map_pg)?;
    let Some(project) = rows.projects.into_iter().next() else { return Ok(None) };
    Ok(Some(sorted_plan(project, rows.phases, rows.dependencies, rows.milestones)))
}

fn day(row: &Row, column: &str) -> Result<Day, StoreError> {
    Ok(Day::from_naive(row.try_get::<_, NaiveDate>(column).map_err(map_pg)?))
}

fn project_from_row(row: &Row) -> Result<Project, StoreError> {
    let status: &str = row.try_get("status").map_err(map_pg)?;
    let budget_days: Option<i64> = row.try_get("budget_days").map_err(map_pg)?;
    let budget_amount: Option<i64> = row.try_get("budget_amount").map_err(map_pg)?;
    Ok(Project {
        id: ProjectId(row.try_get("id").map_err(map_pg)?),
        name: row.try_get("name").map_err(map_pg)?,
        code: row.try_get("code").map_err(map_pg)?,
        client: row.try_get("client").map_err(map_pg)?,
        color: row.try_get("color").map_err(map_pg)?,
        status: ProjectStatus::parse(status)
            .ok_or_else(|| StoreError::Other(format!("unknown project status `{status}` in the database")))?,
        start_date: day(row, "start_date")?,
        end_date: day(row, "end_date")?,
        budget_days: budget_days
            .map(|d| u32::try_from(d).map_err(|_| StoreError::Other(format!("budget of {d} days in the database"))))
            .transpose()?,
        budget_amount: budget_amount.map(|a| to_u64(a, "project budget")).transpose()?,
        currency: row.try_get("currency").map_err(map_pg)?,
        description: row.try_get("description").map_err(map_pg)?,
        version: to_u64(row.try_get("version").map_err(map_pg)?, "project version")?,
        created_at: Timestamp::from_chrono(row.try_get("created_at").map_err(map_pg)?),
        updated_at: Timestamp::from_chrono(row.try_get("updated_at").map_err(map_pg)?),
    })
}

fn phase_from_row(row: &Row) -> Result<Phase, StoreError> {
    let progress: i16 = row.try_get("progress").map_err(map_pg)?;
    Ok(Phase {
        id: PhaseId(row.try_get("id").map_err(map_pg)?),
        project_id: ProjectId(row.try_get("project_id").map_err(map_pg)?),
        name: row.try_get("name").map_err(map_pg)?,
        start_date: day(row, "start_date")?,
        end_date: day(row, "end_date")?,
        progress: u8::try_from(progress)
            .map_err(|_| StoreError::Other(format!("phase progress {progress} in the database")))?,
        color: row.try_get("color").map_err(map_pg)?,
        effort: serde_json::from_value(row.try_get("effort").map_err(map_pg)?)
            .map_err(|e| StoreError::Other(format!("undecodable phase effort in the database: {e}")))?,
        version: to_u64(row.try_get("version").map_err(map_pg)?, "phase version")?,
        created_at: Timestamp::from_chrono(row.try_get("created_at").map_err(map_pg)?),
        updated_at: Timestamp::from_chrono(row.try_get("updated_at").map_err(map_pg)?),
    })
}

fn dependency_from_row(row: &Row) -> Result<Dependency, StoreError> {
    let kind: &str = row.try_get("kind").map_err(map_pg)?;
    Ok(Dependency {
        id: DependencyId(row.try_get("id").map_err(map_pg)?),
        project_id: ProjectId(row.try_get("project_id").map_err(map_pg)?),
        predecessor_id: PhaseId(row.try_get("predecessor_id").map_err(map_pg)?),
        successor_id: PhaseId(row.try_get("successor_id").map_err(map_pg)?),
        kind: [
            DependencyKind::FinishToStart,
            DependencyKind::StartToStart,
            DependencyKind::FinishToFinish,
            DependencyKind::StartToFinish,
        ]
        .into_iter()
        .find(|k| super::plan_write::dependency_kind_str(*k) == kind)
        .ok_or_else(|| StoreError::Other(format!("unknown dependency kind `{kind}` in the database")))?,
        lag_days: row.try_get("lag_days").map_err(map_pg)?,
        created_at: Timestamp::from_chrono(row.try_get("created_at").map_err(map_pg)?),
    })
}

fn milestone_from_row(row: &Row) -> Result<Milestone, StoreError> {
    let phase_id: Option<Uuid> = row.try_get("phase_id").map_err(map_pg)?;
    Ok(Milestone {
        id: MilestoneId(row.try_get("id").map_err(map_pg)?),
        project_id: ProjectId(row.try_get("project_id").map_err(map_pg)?),
        name: row.try_get("name").map_err(map_pg)?,
        date: day(row, "date")?,
        done: row.try_get("done").map_err(map_pg)?,
        phase_id: phase_id.map(PhaseId),
        version: to_u64(row.try_get("version").map_err(map_pg)?, "milestone version")?,
        created_at: Timestamp::from_chrono(row.try_get("created_at").map_err(map_pg)?),
        updated_at: Timestamp::from_chrono(row.try_get("updated_at").map_err(map_pg)?),
    })
}
