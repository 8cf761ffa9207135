//! Notification and outbox rows for the PostgreSQL store's tests.

use super::at;
use pt_actors::store::postgres::PgStore;
use pt_protocol::{Booking, TenantId};

/// A notification about `b` to someone, to be emailed too.
pub fn notification(b: &Booking) -> pt_protocol::Notification {
    pt_protocol::Notification {
        id: pt_protocol::NotificationId::new(),
        user_id: pt_protocol::UserId::new(),
        kind: pt_protocol::NotificationKind::BookingOffered,
        title: "New booking for you".into(),
        body: "A body".into(),
        booking_id: Some(b.id),
        artist_id: Some(b.artist_id),
        by: "user:test".into(),
        created_at: at(1),
        read_at: None,
        email: true,
    }
}

/// A row in each outbox table (the email delivery is queued by the append above).
pub async fn outbox_rows(store: &PgStore, t: TenantId) {
    use pt_actors::store::outbox::{AttemptRow, OutboxStore, Outcome, WebhookRow};
    let user = pt_protocol::UserId::new();
    store.save_preferences(t, user, &Default::default(), at(1)).await.unwrap();
    let hook = WebhookRow {
        tenant_id: t,
        id: uuid::Uuid::now_v7(),
        url: "https://hooks.example/pt".into(),
        events: vec!["bookingCreated".into()],
        secret: "whsec_test".into(),
        created_by: user,
        created_at: at(1),
        deleted_at: None,
        cursor: 0,
    };
    store.insert_webhook(&hook).await.unwrap();
    let due = store.due_deliveries(t, at(2), 10).await.unwrap();
    assert_eq!(due.len(), 1, "the notification's email is queued with it");
    let tried = AttemptRow { attempt: 1, at: at(2), status_code: Some(250), error: None };
    store.record_attempt(t, due[0].id, Some(&tried), Outcome::Sent).await.unwrap();
    assert!(store.outbox_tenants().await.unwrap().contains(&t));
}

/// A public open listing and an application to it, as events; and a saved listing.
pub async fn job_rows(store: &PgStore, t: TenantId) -> Vec<pt_protocol::Event> {
    use pt_actors::store::jobs::JobStore;
    use pt_protocol::job::*;
    let user = pt_protocol::UserId::new();
    let job = JobListing {
        id: JobId::new(),
        title: "Compositor".into(),
        description: String::new(),
        skills: vec![SkillRequirement { skill: "compositing".into(), min_level: 3 }],
        start_date: pt_protocol::Day(20_000),
        end_date: pt_protocol::Day(20_010),
        location: None,
        remote: true,
        rate: None,
        positions: 1,
        project_id: None,
        status: JobStatus::Open,
        visibility: JobVisibility::Public,
        created_by: user,
        created_at: at(1),
        updated_at: at(1),
        version: 1,
    };
    let application = JobApplication {
        id: ApplicationId::new(),
        job_id: job.id,
        applicant: pt_protocol::UserId::new(),
        applicant_name: "Ana".into(),
        from_studio: t,
        artist_id: None,
        booking_id: None,
        note: String::new(),
        rate: None,
        skills: Vec::new(),
        status: ApplicationStatus::Applied,
        created_at: at(2),
        updated_at: at(2),
        version: 1,
    };
    store.set_saved(t, user, job.id, Some(at(3))).await.unwrap();
    vec![pt_protocol::Event::JobCreated { job }, pt_protocol::Event::ApplicationCreated { application }]
}
