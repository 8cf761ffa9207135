//! The demo studio's job marketplace, so the Jobs page is not empty: a
//! public listing on the board (posted by the manager), a studio-only one
//! the demo freelancer applied for, and a draft. Dated from next Monday.
//! Seeded once, when the studio has no listings; after the sign-ins exist.

use pt_actors::domain::jobs::decide::Applicant;
use pt_actors::jobs_actor::JobCommand;
use pt_actors::{CmdInput, Registry};
use pt_protocol::DEMO_TENANT_ID;
use pt_protocol::job::{
    ApplicationId, JobId, JobStatus, JobVisibility, NewApplication, NewJob, RateRange, SkillRequirement,
};
use pt_protocol::{Day, Timestamp};

fn listing(title: &str, skill: &str, start: Day, weeks: i32, visibility: JobVisibility, status: JobStatus) -> NewJob {
    NewJob {
        title: title.into(),
        description: Some(format!("{title} for a six-week sequence; remote-friendly, studio hours in London.")),
        skills: vec![SkillRequirement { skill: skill.into(), min_level: 3 }],
        start_date: start,
        end_date: Day(start.0 + weeks * 7 - 2),
        location: Some("London".into()),
        remote: Some(true),
        rate: Some(RateRange { min: 350, max: 500, currency: "GBP".into() }),
        positions: Some(1),
        project_id: None,
        visibility: Some(visibility),
        status: Some(status),
    }
}

pub async fn seed(registry: &Registry) -> anyhow::Result<()> {
    let tenant = registry.tenant(DEMO_TENANT_ID).await?;
    if !tenant.jobs().await?.is_empty() {
        return Ok(());
    }
    let store = registry.store();
    let user = |email: &'static str| async move {
        store
            .user_by_email(email)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .ok_or_else(|| anyhow::anyhow!("no {email}"))
    };
    let (manager, freelancer) = (user("manager@demo.studio").await?, user("freelancer@demo.studio").await?);
    let by = CmdInput::system(&format!("user:{}", manager.id));
    let today = Day::of_micros(Timestamp::now().micros());
    let monday = Day(today.0 + 7 - (today.0 + 3).rem_euclid(7));
    let posts = [
        listing("Lighting TD", "lighting", monday, 3, JobVisibility::Public, JobStatus::Open),
        listing("Compositor for Aurora", "compositing", Day(monday.0 + 7), 2, JobVisibility::Studio, JobStatus::Open),
        listing("FX artist (draft)", "fx", Day(monday.0 + 14), 4, JobVisibility::Public, JobStatus::Draft),
    ];
    let mut ids = Vec::new();
    for new in posts {
        let id = JobId::new();
        let input = CmdInput { cmd_id: pt_protocol::CmdId::new(), ..by.clone() };
        let mut acc = tenant.job_command(JobCommand::Create { id, new }, input).await?;
        tenant.wait_durable(&mut acc).await?;
        ids.push(id);
    }
    let membership = store.membership(DEMO_TENANT_ID, freelancer.id).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let who = Applicant {
        user: freelancer.id,
        name: freelancer.display_name,
        from_studio: DEMO_TENANT_ID,
        artist_id: membership.and_then(|m| m.artist_id),
        skills: Vec::new(),
    };
    let new = NewApplication { note: Some("I know the Aurora shots well.".into()), rate: Some(420) };
    let apply = JobCommand::Apply { id: ApplicationId::new(), job: ids[1], who, new };
    let mut acc = tenant.job_command(apply, CmdInput::system(&format!("user:{}", freelancer.id))).await?;
    tenant.wait_durable(&mut acc).await?;
    tracing::info!(listings = ids.len(), "demo job listings");
    Ok(())
}
