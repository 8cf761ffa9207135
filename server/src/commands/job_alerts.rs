//! Job alerts: when a listing first goes on the public board (posted open
//! and public, or changed to be), everyone with alerts on whose skills
//! cover every skill it asks for (`domain/jobs/matching.rs::alerts`) is told
//! (`jobMatched`) in the studio they turned alerts on in. Runs after the
//! command answered, off its path; the poster is not told of their own listing.

use crate::AppState;
use pt_actors::domain::jobs::matching::alerts;
use pt_protocol::NotificationKind;
use pt_protocol::job::JobListing;

/// Tells every matching alert holder about `job`, posted by the studio named `studio`.
pub fn announce(state: AppState, studio: String, job: JobListing) {
    tokio::spawn(async move {
        let holders = match state.store.job_alerts().await {
            Ok(h) => h,
            Err(e) => return tracing::warn!(error = %e, "cannot read job alerts"),
        };
        let needs: Vec<String> = job.skills.iter().map(|s| format!("{} ≥ {}", s.skill, s.min_level)).collect();
        let title = format!("New job: {}", job.title);
        let dates = pt_actors::domain::jobs::listing::dates_text(job.start_date, job.end_date);
        let body = format!("{studio} · {dates} · {}", needs.join(", "));
        let mut told = 0usize;
        for (user, home, skills) in holders {
            if user == job.created_by || !alerts(&job, &skills) {
                continue;
            }
            match state.registry.tenant(home).await {
                Ok(t) => {
                    t.notify(user, NotificationKind::JobMatched, title.clone(), body.clone(), "system:job-alerts");
                    told += 1;
                }
                Err(e) => tracing::warn!(%user, error = %e, "cannot reach a job alert holder's studio"),
            }
        }
        tracing::info!(job = %job.id, told, "job alerts sent");
    });
}
