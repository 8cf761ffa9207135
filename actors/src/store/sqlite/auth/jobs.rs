//! The job marketplace in the embedded store ([`JobStore`]): the semantics
//! of the PostgreSQL store (see there and `store/jobs.rs`), filtering by
//! studio in every statement instead of row-level security. Schema:
//! `migrations/sqlite/0008_jobs.sql`.

use super::*;
use crate::store::jobs::{ApplicationFilter, JobStore, JobWrites, on_board};
use pt_protocol::job::{ApplicationId, JobApplication, JobId, JobListing};
use rusqlite::Row;

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Other(format!("encoding a job row: {e}")))
}

fn label<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    Ok(json(v)?.trim_matches('"').to_owned())
}

fn state<T: serde::de::DeserializeOwned>(row: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let text: String = row.get(i)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, format!("a job row: {e}").into())
    })
}

const UPSERT_JOB: &str = "\
INSERT INTO job_listings (tenant_id, id, status, visibility, created_at, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT (tenant_id, id) DO UPDATE SET status = excluded.status, visibility = excluded.visibility,
    state = excluded.state";

const UPSERT_BOARD: &str = "\
INSERT INTO public_jobs (job_id, tenant_id, studio_name, created_at, state)
SELECT ?1, ?2, name, ?3, ?4 FROM tenants WHERE id = ?2
ON CONFLICT (job_id) DO UPDATE SET studio_name = excluded.studio_name, state = excluded.state";

const UPSERT_APPLICATION: &str = "\
INSERT INTO job_applications (tenant_id, id, job_id, applicant, status, created_at, state)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (tenant_id, id) DO UPDATE SET status = excluded.status, state = excluded.state";

/// The batch's listing and application rows, in its transaction, in `seq` order.
pub(in crate::store::sqlite) fn write(
    tx: &rusqlite::Transaction<'_>,
    tenant: [u8; 16],
    w: &JobWrites,
) -> Result<(), StoreError> {
    for (job, deleted) in &w.jobs {
        let id = job.id.0.into_bytes();
        if *deleted {
            tx.execute("DELETE FROM job_listings WHERE tenant_id = ?1 AND id = ?2", params![tenant, id])
                .map_err(map_sqlite)?;
        } else {
            let (status, visibility) = (label(&job.status)?, label(&job.visibility)?);
            tx.prepare_cached(UPSERT_JOB)
                .map_err(map_sqlite)?
                .execute(params![tenant, id, status, visibility, job.created_at.micros(), json(job)?])
                .map_err(map_sqlite)?;
        }
        if on_board(job) && !deleted {
            tx.prepare_cached(UPSERT_BOARD)
                .map_err(map_sqlite)?
                .execute(params![id, tenant, job.created_at.micros(), json(job)?])
                .map_err(map_sqlite)?;
        } else {
            tx.execute("DELETE FROM public_jobs WHERE job_id = ?1 AND tenant_id = ?2", params![id, tenant])
                .map_err(map_sqlite)?;
        }
    }
    for a in &w.applications {
        tx.prepare_cached(UPSERT_APPLICATION)
            .map_err(map_sqlite)?
            .execute(params![
                tenant,
                a.id.0.into_bytes(),
                a.job_id.0.into_bytes(),
                a.applicant.0.into_bytes(),
                label(&a.status)?,
                a.created_at.micros(),
                json(a)?
            ])
            .map_err(map_sqlite)?;
        tx.execute(
            "INSERT INTO application_index (application_id, tenant_id, applicant) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
            params![a.id.0.into_bytes(), tenant, a.applicant.0.into_bytes()],
        )
        .map_err(map_sqlite)?;
    }
    Ok(())
}

#[async_trait]
impl JobStore for SqliteStore {
    async fn jobs(&self, tenant: TenantId) -> Result<Vec<JobListing>, StoreError> {
        self.read(move |conn| {
            all(
                conn,
                "SELECT state FROM job_listings WHERE tenant_id = ?1 ORDER BY created_at DESC, id DESC",
                params![tenant.0.into_bytes()],
                |r| state(r, 0),
            )
        })
        .await
    }

    async fn job(&self, tenant: TenantId, id: JobId) -> Result<Option<JobListing>, StoreError> {
        self.read(move |conn| {
            one(
                conn,
                "SELECT state FROM job_listings WHERE tenant_id = ?1 AND id = ?2",
                params![tenant.0.into_bytes(), id.0.into_bytes()],
                |r| state(r, 0),
            )
        })
        .await
    }

    async fn applications(&self, tenant: TenantId, f: ApplicationFilter) -> Result<Vec<JobApplication>, StoreError> {
        self.read(move |conn| {
            all(
                conn,
                "SELECT state FROM job_applications WHERE tenant_id = ?1
                   AND (?2 IS NULL OR job_id = ?2) AND (?3 IS NULL OR applicant = ?3)
                 ORDER BY created_at DESC, id DESC",
                params![tenant.0.into_bytes(), f.job.map(|j| j.0.into_bytes()), f.applicant.map(|u| u.0.into_bytes())],
                |r| state(r, 0),
            )
        })
        .await
    }

    async fn application(&self, tenant: TenantId, id: ApplicationId) -> Result<Option<JobApplication>, StoreError> {
        self.read(move |conn| {
            one(
                conn,
                "SELECT state FROM job_applications WHERE tenant_id = ?1 AND id = ?2",
                params![tenant.0.into_bytes(), id.0.into_bytes()],
                |r| state(r, 0),
            )
        })
        .await
    }

    async fn board(&self) -> Result<Vec<(TenantId, String, JobListing)>, StoreError> {
        self.read(move |conn| {
            all(
                conn,
                "SELECT tenant_id, studio_name, state FROM public_jobs ORDER BY created_at DESC, job_id DESC",
                params![],
                |r| Ok((TenantId(id(r, 0)?), r.get(1)?, state(r, 2)?)),
            )
        })
        .await
    }

    async fn board_studio(&self, job: JobId) -> Result<Option<TenantId>, StoreError> {
        self.read(move |conn| {
            one(conn, "SELECT tenant_id FROM public_jobs WHERE job_id = ?1", params![job.0.into_bytes()], |r| {
                Ok(TenantId(id(r, 0)?))
            })
        })
        .await
    }

    async fn application_studios(&self, applicant: UserId) -> Result<Vec<TenantId>, StoreError> {
        self.read(move |conn| {
            all(
                conn,
                "SELECT DISTINCT tenant_id FROM application_index WHERE applicant = ?1 ORDER BY 1",
                params![applicant.0.into_bytes()],
                |r| Ok(TenantId(id(r, 0)?)),
            )
        })
        .await
    }

    async fn application_home(&self, app: ApplicationId) -> Result<Option<(TenantId, UserId)>, StoreError> {
        self.read(move |conn| {
            one(
                conn,
                "SELECT tenant_id, applicant FROM application_index WHERE application_id = ?1",
                params![app.0.into_bytes()],
                |r| Ok((TenantId(id(r, 0)?), UserId(id(r, 1)?))),
            )
        })
        .await
    }

    async fn saved_jobs(&self, tenant: TenantId, user: UserId) -> Result<Vec<JobId>, StoreError> {
        self.read(move |conn| {
            all(
                conn,
                "SELECT job_id FROM saved_jobs WHERE tenant_id = ?1 AND user_id = ?2 ORDER BY saved_at DESC, job_id",
                params![tenant.0.into_bytes(), user.0.into_bytes()],
                |r| Ok(JobId(id(r, 0)?)),
            )
        })
        .await
    }

    async fn set_saved(
        &self,
        tenant: TenantId,
        user: UserId,
        job: JobId,
        at: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        self.write(move |conn| {
            let (t, u, j) = (tenant.0.into_bytes(), user.0.into_bytes(), job.0.into_bytes());
            match at {
                Some(at) => conn.execute(
                    "INSERT INTO saved_jobs (tenant_id, user_id, job_id, saved_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT DO NOTHING",
                    params![t, u, j, at.micros()],
                ),
                None => conn.execute(
                    "DELETE FROM saved_jobs WHERE tenant_id = ?1 AND user_id = ?2 AND job_id = ?3",
                    params![t, u, j],
                ),
            }
            .map(|_| ())
            .map_err(map_sqlite)
        })
        .await
    }

    async fn set_job_alert(
        &self,
        user: UserId,
        alert: Option<(TenantId, Vec<pt_protocol::SkillLevel>)>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let skills = match &alert {
            Some((_, s)) => Some(json(s)?),
            None => None,
        };
        self.write(move |conn| {
            let u = user.0.into_bytes();
            match (alert, skills) {
                (Some((tenant, _)), Some(skills)) => conn.execute(
                    "INSERT INTO job_alerts (user_id, tenant_id, skills, updated_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (user_id) DO UPDATE SET tenant_id = excluded.tenant_id, skills = excluded.skills,
                         updated_at = excluded.updated_at",
                    params![u, tenant.0.into_bytes(), skills, at.micros()],
                ),
                _ => conn.execute("DELETE FROM job_alerts WHERE user_id = ?1", params![u]),
            }
            .map(|_| ())
            .map_err(map_sqlite)
        })
        .await
    }

    async fn job_alert(&self, user: UserId) -> Result<Option<(TenantId, Vec<pt_protocol::SkillLevel>)>, StoreError> {
        self.read(move |conn| {
            one(
                conn,
                "SELECT tenant_id, skills FROM job_alerts WHERE user_id = ?1",
                params![user.0.into_bytes()],
                |r| Ok((TenantId(id(r, 0)?), state(r, 1)?)),
            )
        })
        .await
    }

    async fn job_alerts(&self) -> Result<Vec<(UserId, TenantId, Vec<pt_protocol::SkillLevel>)>, StoreError> {
        self.read(move |conn| {
            all(conn, "SELECT user_id, tenant_id, skills FROM job_alerts ORDER BY user_id", params![], |r| {
                Ok((UserId(id(r, 0)?), TenantId(id(r, 1)?), state(r, 2)?))
            })
        })
        .await
    }
}
