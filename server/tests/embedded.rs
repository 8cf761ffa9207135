//! The embedded default store through the real binary: it runs with nothing
//! else installed, refuses a bad data directory clearly, and a full disk never
//! loses an acknowledged change.

mod common;

use common::{Api, client, run_server_to_exit, spawn_server, spawn_server_with, temp_dir};
use serde_json::json;
use std::time::Duration;

async fn demo_owner(base: &str) -> Api {
    common::login_at(base, "owner@demo.studio", pt_server::demo::DEMO_PASSWORD).await
}

#[tokio::test]
async fn runs_without_postgres_with_the_demo_studio() {
    let dir = temp_dir("demo");
    let args = vec!["--demo".to_string(), "--data-dir".into(), dir.display().to_string()];
    let (mut child, base) = spawn_server(&args).await;
    let api = demo_owner(&base).await;
    let artists = api.get("/artists").await;
    assert_eq!(artists.body["meta"]["total"], 12, "{:?}", artists.body);
    let ready: serde_json::Value = client().get(format!("{base}/readyz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(ready["store"], "embedded");
    // SIGTERM: graceful, exit 0; the demo is not seeded twice.
    let pid = child.id().unwrap().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait()).await.unwrap().unwrap();
    assert_eq!(status.code(), Some(0));
    let (_child, base) = spawn_server(&args).await;
    assert_eq!(api.at(&base).get("/artists").await.body["meta"]["total"], 12, "the same sign-in after a restart");
    assert_eq!(demo_owner(&base).await.get("/artists").await.body["meta"]["total"], 12);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_unusable_data_directory_is_a_clear_error_at_start() {
    // A path below a regular file cannot be a directory, whoever runs the test.
    let file = temp_dir("file");
    std::fs::write(&file, b"not a directory").unwrap();
    let bad = file.join("data");
    let (code, stderr) = run_server_to_exit(&["--data-dir".into(), bad.display().to_string()]).await;
    assert_ne!(code, Some(0));
    assert!(stderr.contains(&bad.display().to_string()), "names the path: {stderr}");
    let _ = std::fs::remove_file(&file);

    // One server per data directory.
    let dir = temp_dir("locked");
    let args = vec!["--data-dir".to_string(), dir.display().to_string()];
    let (_first, _) = spawn_server(&args).await;
    let (code, stderr) = run_server_to_exit(&args).await;
    assert_ne!(code, Some(0));
    assert!(stderr.contains("in use by another pt-server"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_full_disk_means_overloaded_never_a_lost_acknowledgement() {
    let dir = temp_dir("full");
    let args = vec!["--data-dir".to_string(), dir.display().to_string(), "--max-in-flight".into(), "4".into()];
    // First learn how big the empty database is, then cap it just above that.
    let (mut child, base) = spawn_server(&args).await;
    let api = common::signup(&common::anon_at(&base), "Full Disk Studio").await;
    let a = api.artist("Full Disk").await;
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    // The schema and one artist take about 16 pages of 4 KiB (part of it may
    // still sit in the WAL after the kill); each filler booking below stores
    // ~27 KiB (event, outcome, projection), so 40 more pages fit a handful.
    // The WAL counts too: the migrations rebuild tables, and what the kill left
    // in the WAL lands in the main file at the next start.
    let size = |name: &str| std::fs::metadata(dir.join(name)).map_or(0, |m| m.len());
    let pages = ((size("production-tool.sqlite3") + size("production-tool.sqlite3-wal")) / 4096).max(16) + 40;

    let (mut child, base) = spawn_server_with(&args, &[("PT_EMBEDDED_MAX_PAGES", &pages.to_string())]).await;
    let api = api.at(&base);
    let mut acked = Vec::new();
    let mut waiting = Vec::new();
    let mut overloaded = false;
    for i in 0..2_000i64 {
        let start = 1_798_761_600 + i * 120; // 2027-01-01, 2-minute steps
        let body = json!({"artistId": a, "title": format!("filler {i}"), "status": "confirmed",
            "notes": "n".repeat(9_000), "allowOvertime": true,
            "startTime": pt_protocol::Timestamp::from_micros(start * 1_000_000).to_rfc3339(),
            "endTime": pt_protocol::Timestamp::from_micros((start + 60) * 1_000_000).to_rfc3339()});
        let api2 = api.clone();
        let mut task = tokio::spawn(async move { api2.post("/bookings", body).await });
        match tokio::time::timeout(Duration::from_millis(500), &mut task).await {
            Ok(r) => {
                let r = r.unwrap();
                match r.status.as_u16() {
                    201 => acked.push(r.data()["id"].as_str().unwrap().to_string()),
                    503 => {
                        assert_eq!(r.code(), "overloaded");
                        overloaded = true;
                        break;
                    }
                    s => panic!("unexpected {s}: {:?}", r.body),
                }
            }
            // The disk is full: accepted in memory, not acknowledged.
            Err(_) => waiting.push(task),
        }
    }
    assert!(overloaded, "a full disk ends in 503 overloaded");
    assert!(!acked.is_empty(), "some writes fit before the disk filled");
    // A request that was merely slow (a busy machine) may have finished since:
    // then it was stored, and must survive like every other acknowledgement.
    let mut pending = 0;
    for w in waiting {
        if w.is_finished() {
            let r = w.await.unwrap();
            assert_eq!(r.status, 201, "a held write is acknowledged only once stored: {:?}", r.body);
            acked.push(r.data()["id"].as_str().unwrap().to_string());
        } else {
            pending += 1;
            w.abort();
        }
    }
    assert!(pending > 0, "writes the disk could not take are held, not acknowledged and not failed");
    // Reads keep working from memory.
    assert_eq!(api.get(&format!("/artists/{a}")).await.status, 200);
    child.start_kill().unwrap();
    child.wait().await.unwrap();

    // Room again: every acknowledged booking is there.
    let (_child, base) = spawn_server(&args).await;
    let api = api.at(&base);
    for id in &acked {
        assert_eq!(api.get(&format!("/bookings/{id}")).await.status, 200, "acknowledged {id} lost");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
