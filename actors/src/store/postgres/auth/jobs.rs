//! The job marketplace in PostgreSQL ([`JobStore`]): listings and
//! applications written by `append` from their events (in its transaction)
//! and read under the studio's row-level security; the board and the
//! application index read across studios (see `store/jobs.rs`). Schema:
//! `migrations/0014_jobs.sql`.

use super::*;
use crate::store::jobs::{ApplicationFilter, JobStore, JobWrites, on_board};
use pt_protocol::job::{ApplicationId, JobApplication, JobId, JobListing};

fn json<T: serde::Serialize>(v: &T) -> Result<serde_json::Value, StoreError> {
    serde_json::to_value(v).map_err(|e| StoreError::Other(format!("encoding a job row: {e}")))
}

fn state<T: serde::de::DeserializeOwned>(row: &Row, i: usize) -> Result<T, StoreError> {
    serde_json::from_value(get(row, i)?).map_err(|e| StoreError::Other(format!("a job row in the database: {e}")))
}

fn label<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    match json(v)? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(StoreError::Other(format!("not a label: {other}"))),
    }
}

const UPSERT_JOB: &str = "\
INSERT INTO job_listings (tenant_id, id, status, visibility, created_at, state) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (tenant_id, id) DO UPDATE SET status = EXCLUDED.status, visibility = EXCLUDED.visibility,
    state = EXCLUDED.state";

const UPSERT_BOARD: &str = "\
INSERT INTO public_jobs (job_id, tenant_id, studio_name, created_at, state)
SELECT $1, $2, name, $3, $4 FROM tenants WHERE id = $2
ON CONFLICT (job_id) DO UPDATE SET studio_name = EXCLUDED.studio_name, state = EXCLUDED.state";

const UPSERT_APPLICATION: &str = "\
INSERT INTO job_applications (tenant_id, id, job_id, applicant, status, created_at, state)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (tenant_id, id) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state";

/// The batch's listing and application rows, in its transaction, in `seq` order.
pub(in crate::store::postgres) async fn write(
    tx: &Transaction<'_>,
    tenant: Uuid,
    w: &JobWrites,
) -> Result<(), StoreError> {
    for (job, deleted) in &w.jobs {
        let id = job.id.0;
        if *deleted {
            tx.execute("DELETE FROM job_listings WHERE tenant_id = $1 AND id = $2", &[&tenant, &id])
                .await
                .map_err(map_pg)?;
        } else {
            let (status, visibility) = (label(&job.status)?, label(&job.visibility)?);
            let at = job.created_at.to_chrono();
            tx.execute(UPSERT_JOB, &[&tenant, &id, &status, &visibility, &at, &json(job)?]).await.map_err(map_pg)?;
        }
        if on_board(job) && !deleted {
            tx.execute(UPSERT_BOARD, &[&id, &tenant, &job.created_at.to_chrono(), &json(job)?])
                .await
                .map_err(map_pg)?;
        } else {
            tx.execute("DELETE FROM public_jobs WHERE job_id = $1 AND tenant_id = $2", &[&id, &tenant])
                .await
                .map_err(map_pg)?;
        }
    }
    for a in &w.applications {
        let status = label(&a.status)?;
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 7] =
            [&tenant, &a.id.0, &a.job_id.0, &a.applicant.0, &status, &a.created_at.to_chrono(), &json(a)?];
        tx.execute(UPSERT_APPLICATION, &params).await.map_err(map_pg)?;
        tx.execute(
            "INSERT INTO application_index (application_id, tenant_id, applicant) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            &[&a.id.0, &tenant, &a.applicant.0],
        )
        .await
        .map_err(map_pg)?;
    }
    Ok(())
}

impl PgStore {
    async fn tenant_rows(
        &self,
        tenant: TenantId,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let rows = tx.query(sql, params).await.map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        Ok(rows)
    }

    async fn global_rows(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = global_tx(&mut conn, None, true).await?;
        let rows = tx.query(sql, params).await.map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        Ok(rows)
    }
}

#[async_trait]
impl JobStore for PgStore {
    async fn jobs(&self, tenant: TenantId) -> Result<Vec<JobListing>, StoreError> {
        let rows = self
            .tenant_rows(
                tenant,
                "SELECT state FROM job_listings WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC",
                &[&tenant.0],
            )
            .await?;
        rows.iter().map(|r| state(r, 0)).collect()
    }

    async fn job(&self, tenant: TenantId, id: JobId) -> Result<Option<JobListing>, StoreError> {
        let rows = self
            .tenant_rows(tenant, "SELECT state FROM job_listings WHERE tenant_id = $1 AND id = $2", &[&tenant.0, &id.0])
            .await?;
        rows.first().map(|r| state(r, 0)).transpose()
    }

    async fn applications(&self, tenant: TenantId, f: ApplicationFilter) -> Result<Vec<JobApplication>, StoreError> {
        let rows = self
            .tenant_rows(
                tenant,
                "SELECT state FROM job_applications WHERE tenant_id = $1
                   AND ($2::uuid IS NULL OR job_id = $2) AND ($3::uuid IS NULL OR applicant = $3)
                 ORDER BY created_at DESC, id DESC",
                &[&tenant.0, &f.job.map(|j| j.0), &f.applicant.map(|u| u.0)],
            )
            .await?;
        rows.iter().map(|r| state(r, 0)).collect()
    }

    async fn application(&self, tenant: TenantId, id: ApplicationId) -> Result<Option<JobApplication>, StoreError> {
        let rows = self
            .tenant_rows(
                tenant,
                "SELECT state FROM job_applications WHERE tenant_id = $1 AND id = $2",
                &[&tenant.0, &id.0],
            )
            .await?;
        rows.first().map(|r| state(r, 0)).transpose()
    }

    async fn board(&self) -> Result<Vec<(TenantId, String, JobListing)>, StoreError> {
        let rows = self
            .global_rows(
                "SELECT tenant_id, studio_name, state FROM public_jobs ORDER BY created_at DESC, job_id DESC",
                &[],
            )
            .await?;
        rows.iter().map(|r| Ok((TenantId(get(r, 0)?), get(r, 1)?, state(r, 2)?))).collect()
    }

    async fn board_studio(&self, job: JobId) -> Result<Option<TenantId>, StoreError> {
        let rows = self.global_rows("SELECT tenant_id FROM public_jobs WHERE job_id = $1", &[&job.0]).await?;
        rows.first().map(|r| Ok(TenantId(get(r, 0)?))).transpose()
    }

    async fn application_studios(&self, applicant: UserId) -> Result<Vec<TenantId>, StoreError> {
        let rows = self
            .global_rows(
                "SELECT DISTINCT tenant_id FROM application_index WHERE applicant = $1 ORDER BY 1",
                &[&applicant.0],
            )
            .await?;
        rows.iter().map(|r| Ok(TenantId(get(r, 0)?))).collect()
    }

    async fn application_home(&self, id: ApplicationId) -> Result<Option<(TenantId, UserId)>, StoreError> {
        let rows = self
            .global_rows("SELECT tenant_id, applicant FROM application_index WHERE application_id = $1", &[&id.0])
            .await?;
        rows.first().map(|r| Ok((TenantId(get(r, 0)?), UserId(get(r, 1)?)))).transpose()
    }

    async fn saved_jobs(&self, tenant: TenantId, user: UserId) -> Result<Vec<JobId>, StoreError> {
        let rows = self
            .tenant_rows(
                tenant,
                "SELECT job_id FROM saved_jobs WHERE tenant_id = $1 AND user_id = $2 ORDER BY saved_at DESC, job_id",
                &[&tenant.0, &user.0],
            )
            .await?;
        rows.iter().map(|r| Ok(JobId(get(r, 0)?))).collect()
    }

    async fn set_saved(
        &self,
        tenant: TenantId,
        user: UserId,
        job: JobId,
        at: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, false).await?;
        match at {
            Some(at) => {
                tx.execute(
                    "INSERT INTO saved_jobs (tenant_id, user_id, job_id, saved_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT DO NOTHING",
                    &[&tenant.0, &user.0, &job.0, &at.to_chrono()],
                )
                .await
            }
            None => {
                tx.execute(
                    "DELETE FROM saved_jobs WHERE tenant_id = $1 AND user_id = $2 AND job_id = $3",
                    &[&tenant.0, &user.0, &job.0],
                )
                .await
            }
        }
        .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)
    }

    async fn set_job_alert(
        &self,
        user: UserId,
        alert: Option<(TenantId, Vec<pt_protocol::SkillLevel>)>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let tx = global_tx(&mut conn, Some(user), false).await?;
        match alert {
            Some((tenant, skills)) => {
                tx.execute(
                    "INSERT INTO job_alerts (user_id, tenant_id, skills, updated_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (user_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, skills = EXCLUDED.skills,
                         updated_at = EXCLUDED.updated_at",
                    &[&user.0, &tenant.0, &json(&skills)?, &at.to_chrono()],
                )
                .await
            }
            None => tx.execute("DELETE FROM job_alerts WHERE user_id = $1", &[&user.0]).await,
        }
        .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)
    }

    async fn job_alert(&self, user: UserId) -> Result<Option<(TenantId, Vec<pt_protocol::SkillLevel>)>, StoreError> {
        let rows = self.global_rows("SELECT tenant_id, skills FROM job_alerts WHERE user_id = $1", &[&user.0]).await?;
        rows.first().map(|r| Ok((TenantId(get(r, 0)?), state(r, 1)?))).transpose()
    }

    async fn job_alerts(&self) -> Result<Vec<(UserId, TenantId, Vec<pt_protocol::SkillLevel>)>, StoreError> {
        let rows = self.global_rows("SELECT user_id, tenant_id, skills FROM job_alerts ORDER BY user_id", &[]).await?;
        rows.iter().map(|r| Ok((UserId(get(r, 0)?), TenantId(get(r, 1)?), state(r, 2)?))).collect()
    }
}
