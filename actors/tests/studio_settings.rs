//! The studio's settings have one owner, its tenant actor: loaded when the
//! tenant activates (a new studio starts with the one default hold), changed
//! through `Tenant::update_settings` (validated once, persisted, then used by
//! the very next hold), and read back from the store after a restart. Runs on
//! the embedded store in a temporary directory.

use pt_actors::domain::SettingsPatch;
use pt_actors::domain::settings::DEFAULT_HOLD_MINUTES;
use pt_actors::store::Store;
use pt_actors::store::sqlite::SqliteStore;
use pt_actors::{CmdInput, CommandError, EngineConfig, Registry, Tenant};
use pt_protocol::time::{MICROS_PER_DAY, MICROS_PER_MINUTE};
use pt_protocol::{ArtistId, BookingStatus, NewArtist, NewBooking, TenantId, Timestamp};
use std::sync::Arc;

async fn artist(t: &Tenant) -> ArtistId {
    let new = NewArtist { name: "Ada".into(), email: None, skills: vec![], timezone: None, active: None };
    t.create_artist(new, CmdInput::system("test")).await.unwrap().value.id
}

/// How long a hold made now without `expiresAt` lasts, in minutes.
async fn hold_minutes(t: &Tenant, artist: ArtistId) -> i64 {
    let start = Timestamp::now().plus_micros(MICROS_PER_DAY);
    let new = NewBooking {
        artist_id: artist,
        project_id: None,
        phase_id: None,
        title: "Hold".into(),
        notes: None,
        start_time: start,
        end_time: start.plus_micros(60 * MICROS_PER_MINUTE),
        status: Some(BookingStatus::Hold),
        expires_at: None,
        allow_overtime: None,
        queue_if_busy: None,
    };
    let b = t.create_booking(new, CmdInput::system("test")).await.unwrap().value.booking;
    let lasts = b.expires_at.expect("a hold expires").micros() - b.created_at.micros();
    // Rounded: the decision's clock reads a moment after `created_at`'s.
    (lasts + MICROS_PER_MINUTE / 2) / MICROS_PER_MINUTE
}

#[tokio::test]
async fn the_tenant_owns_the_default_hold_and_a_change_applies_to_the_next_hold() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    store.migrate().await.unwrap();
    let store: Arc<dyn Store> = Arc::new(store);
    let id = TenantId::new();
    let registry = Registry::new(store.clone(), EngineConfig::default());
    let t = registry.tenant(id).await.unwrap();
    // A studio nobody configured holds for the one default (the schema's
    // column default agrees with the constant).
    assert_eq!(t.settings().default_hold_minutes, DEFAULT_HOLD_MINUTES);
    let ada = artist(&t).await;
    assert_eq!(hold_minutes(&t, ada).await, DEFAULT_HOLD_MINUTES);

    let patch = SettingsPatch { default_hold_minutes: Some(90), ..SettingsPatch::default() };
    assert_eq!(t.update_settings(&patch).await.unwrap().default_hold_minutes, 90);
    assert_eq!(hold_minutes(&t, ada).await, 90, "the next hold, at once");
    assert_eq!(store.studio(id).await.unwrap().unwrap().default_hold_minutes, 90, "persisted");

    // A refused change changes nothing, in memory or in the store.
    let bad = SettingsPatch { default_hold_minutes: Some(0), name: Some("Renamed".into()), ..Default::default() };
    assert!(matches!(t.update_settings(&bad).await, Err(CommandError::Domain(_))));
    assert_eq!((t.settings().default_hold_minutes, t.settings().name.clone()), (90, format!("Studio {id}")));
    assert_eq!(store.studio(id).await.unwrap().unwrap().name, format!("Studio {id}"));

    // Concurrent changes of different fields both land.
    let rename = SettingsPatch { name: Some("Northlight".into()), ..Default::default() };
    let move_zone = SettingsPatch { timezone: Some("Europe/Oslo".into()), ..Default::default() };
    let (a, b) = tokio::join!(t.update_settings(&rename), t.update_settings(&move_zone));
    a.unwrap();
    b.unwrap();
    let now = t.settings();
    assert_eq!((now.name.as_str(), now.timezone.as_str()), ("Northlight", "Europe/Oslo"));

    // After a restart the tenant loads what was saved.
    drop(t);
    registry.shutdown().await;
    let registry = Registry::new(store.clone(), EngineConfig::default());
    let t = registry.tenant(id).await.unwrap();
    let loaded = t.settings();
    assert_eq!((loaded.default_hold_minutes, loaded.name.as_str()), (90, "Northlight"));
    assert_eq!(hold_minutes(&t, ada).await, 90);
    registry.shutdown().await;
}
