//! Activation time of a large studio, on each store.
//!
//! ```sh
//! cargo run --release -p pt-actors --example activation -- [ARTISTS] [BOOKINGS] [postgres|embedded|both]
//! ```
//! Defaults: 1,000 artists, 200,000 bookings, both stores. PostgreSQL comes from
//! `PT_TEST_DATABASE_URL` (a throw-away database is created and dropped).
//!
//! For each store it writes the studio through `Store::append` (the writer's
//! path, in batches of 1,000 commands), then measures, three times each:
//! * `load (no snapshot)`: `load_tenant` with no snapshot (PostgreSQL reads its
//!   projection tables; the embedded store replays the whole log);
//! * `snapshot`: one `compact` (read + encode + save);
//! * `load (snapshot)`: `load_tenant` from the snapshot plus an empty tail;
//! * `activate`: the full `Registry::tenant` activation — load, start 1,000
//!   artist actors, rebuild every calendar — which is what a first request waits for.

use pt_actors::store::postgres::{PgStore, testing::fresh_db};
use pt_actors::store::sqlite::SqliteStore;
use pt_actors::store::{CommandRecord, Store, compact};
use pt_actors::{EngineConfig, Registry};
use pt_protocol::time::{MICROS_PER_DAY, MICROS_PER_HOUR};
use pt_protocol::{
    Artist, ArtistId, Booking, BookingId, BookingStatus, CmdId, Event, EventEnvelope, TenantId, Timestamp,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

const BATCH: usize = 1_000;

fn artist(i: usize, now: Timestamp) -> Artist {
    Artist {
        id: ArtistId::new(),
        name: format!("Artist {i:04}"),
        email: Some(format!("artist{i}@bench.studio")),
        skills: vec!["compositing".into(), format!("skill-{}", i % 20)],
        timezone: "Europe/London".into(),
        active: true,
        time_off: Vec::new(),
        working_hours: None,
        profile: Default::default(),
        rate: None,
        archived_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn booking(artist: ArtistId, k: usize, now: Timestamp) -> Booking {
    // Back-to-back half days from 2026-01-05, so exclusive bookings never overlap.
    let start = 1_767_571_200_000_000 + k as i64 * MICROS_PER_DAY / 2;
    let status =
        [BookingStatus::Confirmed, BookingStatus::Pencil, BookingStatus::Cancelled, BookingStatus::Hold][k % 4];
    Booking {
        id: BookingId::new(),
        artist_id: artist,
        project_id: None,
        phase_id: None,
        title: format!("Shot {k:05}"),
        notes: k.is_multiple_of(5).then(|| "client review on Friday".into()),
        start_time: Timestamp::from_micros(start),
        end_time: Timestamp::from_micros(start + 4 * MICROS_PER_HOUR),
        status,
        expires_at: (status == BookingStatus::Hold).then(|| Timestamp::from_micros(now.micros() + 30 * MICROS_PER_DAY)),
        version: 1,
        created_at: now,
        created_by: "bench".into(),
        updated_at: now,
        updated_by: "bench".into(),
        allow_overtime: false,
        challenged_by: None,
        queued_for: None,
    }
}

async fn fill(store: &dyn Store, tenant: TenantId, artists: usize, bookings: usize) {
    let now = Timestamp::now();
    let all_artists: Vec<Artist> = (0..artists).map(|i| artist(i, now)).collect();
    let mut events: Vec<Event> = all_artists.iter().map(|a| Event::ArtistCreated { artist: a.clone() }).collect();
    let per_artist = bookings.div_ceil(artists);
    for (i, a) in all_artists.iter().enumerate() {
        for k in 0..per_artist.min(bookings - (i * per_artist).min(bookings)) {
            events.push(Event::BookingCreated { booking: (booking(a.id, k, now)).into() });
        }
    }
    let total = events.len();
    let mut seq = 0u64;
    let started = Instant::now();
    for (n, chunk) in events.chunks(BATCH).enumerate() {
        let batch: Vec<CommandRecord> = chunk
            .iter()
            .map(|e| {
                seq += 1;
                let cmd_id = CmdId::new();
                CommandRecord {
                    cmd_id,
                    request_hash: 1,
                    by: "bench".into(),
                    at: now,
                    events: vec![EventEnvelope { seq, cmd_id, at: now, by: "bench".into(), event: e.clone() }],
                    outcome: serde_json::Value::Null,
                }
            })
            .collect();
        store.append(tenant, &batch).await.expect("append");
        if n.is_multiple_of(20) {
            eprint!("\r  writing {:>3}% ({} of {total} events)", (n * BATCH * 100) / total.max(1), n * BATCH);
        }
    }
    eprintln!("\r  wrote {total} events in {:.1} s                 ", started.elapsed().as_secs_f64());
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn measure(label: &str, store: Arc<dyn Store>, artists: usize, bookings: usize) -> Vec<(String, Duration)> {
    eprintln!("{label}: {artists} artists, {bookings} bookings");
    let tenant = TenantId::new();
    store.ensure_tenant(tenant, "Bench studio").await.unwrap();
    fill(&*store, tenant, artists, bookings).await;
    let mut rows = Vec::new();
    let mut t = Vec::new();
    for _ in 0..3 {
        let s = Instant::now();
        let state = store.load_tenant(tenant).await.unwrap();
        t.push(s.elapsed());
        assert_eq!(state.bookings.len(), bookings);
    }
    rows.push(("load (no snapshot)".to_string(), median(t)));
    let mut t = Vec::new();
    for _ in 0..3 {
        let s = Instant::now();
        compact(&*store, tenant).await.unwrap();
        t.push(s.elapsed());
    }
    rows.push(("snapshot".to_string(), median(t)));
    let mut t = Vec::new();
    for _ in 0..3 {
        let s = Instant::now();
        let state = store.load_tenant(tenant).await.unwrap();
        t.push(s.elapsed());
        assert_eq!(state.artists.len(), artists);
    }
    rows.push(("load (snapshot)".to_string(), median(t)));
    let mut t = Vec::new();
    for _ in 0..3 {
        let registry = Registry::new(store.clone(), EngineConfig::default());
        let s = Instant::now();
        let active = registry.tenant(tenant).await.unwrap();
        t.push(s.elapsed());
        assert_eq!(active.list_artists().await.unwrap().len(), artists);
        registry.shutdown().await;
    }
    rows.push(("activate (registry)".to_string(), median(t)));
    rows
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let artists: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let bookings: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let which = args.get(2).map(String::as_str).unwrap_or("both");
    let mut table = Vec::new();
    if which != "postgres" {
        let dir = std::env::temp_dir().join(format!("pt-activation-{}", uuid::Uuid::now_v7().simple()));
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir).expect("open embedded store"));
        store.migrate().await.unwrap();
        table.push(("embedded", measure("embedded", store, artists, bookings).await));
        let _ = std::fs::remove_dir_all(&dir);
    }
    if which != "embedded" {
        let db = fresh_db().await;
        let pg = PgStore::connect(&db.url, 8).await.expect("connect");
        pg.migrate().await.unwrap();
        table.push(("postgres", measure("postgres", Arc::new(pg), artists, bookings).await));
    }
    println!("\nactivation of a studio with {artists} artists and {bookings} bookings (median of 3)\n");
    println!("| step | {} |", table.iter().map(|(l, _)| *l).collect::<Vec<_>>().join(" | "));
    println!("|---|{}", "---:|".repeat(table.len()));
    for i in 0..table[0].1.len() {
        let cells: Vec<String> =
            table.iter().map(|(_, rows)| format!("{:.0} ms", rows[i].1.as_secs_f64() * 1e3)).collect();
        println!("| {} | {} |", table[0].1[i].0, cells.join(" | "));
    }
}
