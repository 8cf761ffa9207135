//! A PostgreSQL outage under load: the server keeps deciding while its bounded
//! buffer has room, then answers `overloaded`; reads keep working; `/readyz`
//! says the store is down; when the database returns, the buffer drains and
//! nothing is lost.
//!
//! The outage is real network failure: the server reaches PostgreSQL through a
//! TCP proxy that this test cuts (closing every connection and refusing new
//! ones) and restores.

mod common;

use common::{TestServer, eventually};
use pt_actors::EngineConfig;
use pt_actors::store::postgres::testing::fresh_db;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(upstream: &'static str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (up2, links2) = (up.clone(), links.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else { break };
                if !up2.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is refused/reset
                }
                let link = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                links2.lock().await.push(link);
            }
        });
        Proxy { port, up, links }
    }

    async fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for l in self.links.lock().await.drain(..) {
            l.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

fn booking(artist: &str, hour: u32) -> serde_json::Value {
    json!({"artistId": artist, "title": format!("during outage {hour}"), "status": "confirmed",
        "startTime": format!("2026-12-01T{hour:02}:00:00Z"), "endTime": format!("2026-12-01T{hour:02}:30:00Z"), "allowOvertime": true})
}

#[tokio::test]
async fn database_outage_fills_the_buffer_then_drains_without_loss() {
    let db = fresh_db().await;
    let proxy = Proxy::start("127.0.0.1:5432").await;
    let via_proxy = db.url.replacen("127.0.0.1:5432", &format!("127.0.0.1:{}", proxy.port), 1);
    assert_ne!(via_proxy, db.url, "the test database URL must name 127.0.0.1:5432");
    let config = EngineConfig { max_in_flight: 8, ..Default::default() };
    let srv = TestServer::start_on(&via_proxy, config).await;
    let api = srv.api();
    let a = api.artist("Outage").await;
    assert_eq!(api.post("/bookings", booking(&a, 0)).await.status, 201);

    proxy.cut().await;
    // Eight commands fit the buffer: accepted in memory, their answers wait for the database.
    let waiting: Vec<_> = (1..=8)
        .map(|h| {
            let (api, body) = (api.clone(), booking(&a, h));
            tokio::spawn(async move { api.post("/bookings", body).await })
        })
        .collect();
    // Reads keep working and already show them.
    eventually(Duration::from_secs(10), || {
        let api = api.clone();
        let a = a.clone();
        async move { (api.get(&format!("/artists/{a}/bookings")).await.data().as_array()?.len() == 9).then_some(()) }
    })
    .await;
    // The ninth finds the buffer full.
    let refused = api.post("/bookings", booking(&a, 9)).await;
    assert_eq!((refused.status.as_u16(), refused.code()), (503, "overloaded"), "{:?}", refused.body);
    assert_eq!(refused.headers.get("retry-after").unwrap(), "1");
    let ready = srv.client.get(format!("{}/readyz", srv.base)).send().await.unwrap();
    assert_eq!(ready.status(), 503, "readiness reports the store down");
    for w in &waiting {
        assert!(!w.is_finished(), "nothing is acknowledged while the database is away");
    }

    proxy.restore();
    for w in waiting {
        let r = tokio::time::timeout(Duration::from_secs(30), w).await.expect("drains after the outage").unwrap();
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    eventually(Duration::from_secs(15), || {
        let c = srv.client.clone();
        let url = format!("{}/readyz", srv.base);
        async move { (c.get(url).send().await.ok()?.status() == 200).then_some(()) }
    })
    .await;
    // Nothing lost: the nine accepted bookings are in the database.
    let n: i64 = srv
        .sql()
        .await
        .query_one("SELECT count(*) FROM bookings WHERE title LIKE 'during outage%'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 9);
    // And the server takes new work again.
    assert_eq!(api.post("/bookings", booking(&a, 9)).await.status, 201);
    srv.stop().await;
}
