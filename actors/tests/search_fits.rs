//! `Tenant::fits` asks every artist actor of a search at once, with one
//! clock and one cache of working spans for all: each answer must be the fit
//! the artist's own book gives, whether their week was laid out for them or
//! taken from the cache. Runs on the embedded store in a temporary directory.

use pt_actors::domain::ArtistBook;
use pt_actors::store::Store;
use pt_actors::store::sqlite::SqliteStore;
use pt_actors::{CmdInput, EngineConfig, Registry};
use pt_protocol::time::MICROS_PER_DAY;
use pt_protocol::{Day, NewArtist, TenantId, TimeRange, Timestamp};
use std::sync::Arc;

#[tokio::test]
async fn every_fit_is_the_artists_own_with_the_spans_shared() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    store.migrate().await.unwrap();
    let store: Arc<dyn Store> = Arc::new(store);
    let registry = Registry::new(store, EngineConfig::default());
    let t = registry.tenant(TenantId::new()).await.unwrap();
    // Two artists on London's clock share a week; Kolkata's is another.
    for (name, tz) in [("Ada", "Europe/London"), ("Bo", "Europe/London"), ("Cy", "Asia/Kolkata")] {
        let new = NewArtist { name: name.into(), email: None, skills: vec![], timezone: Some(tz.into()), active: None };
        t.create_artist(new, CmdInput::system("test")).await.unwrap();
    }
    let artists = t.list_artists().await.unwrap();
    assert_eq!(artists.len(), 3);

    // Four weeks from tomorrow's UTC midnight: wholly in the future, so the
    // clock the search reads does not change the answer.
    let start = Day::of_micros(Timestamp::now().micros()).plus(1).start_micros();
    let range = TimeRange { start: Timestamp(start), end: Timestamp(start + 28 * MICROS_PER_DAY) };
    let ids: Vec<_> = artists.iter().map(|a| a.id).collect();
    let fits = t.fits(&ids, range).await;
    assert_eq!(fits.len(), 3);
    for (id, fit) in fits {
        let artist = artists.iter().find(|a| a.id == id).unwrap().clone();
        let own = ArtistBook::with_studio(artist, t.settings()).fit(range, Timestamp::now());
        assert_eq!(fit, own);
        // Four weeks of the studio's Monday-to-Friday week, all free.
        assert_eq!((fit.working_days, fit.free_days, fit.free_minutes), (20, 20, 20 * 9 * 60));
    }
    registry.shutdown().await;
}
