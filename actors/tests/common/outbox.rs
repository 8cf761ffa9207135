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
