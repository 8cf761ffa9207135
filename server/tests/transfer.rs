//! CSV export and import, on both stores: studio A's artists and bookings
//! exported, imported (dry run, then for real) into a fresh studio B, whose
//! bookings then equal A's; a file with bad rows answers every problem with
//! its line, column and reason and writes nothing; conflicts inside the file
//! and with existing bookings are reported; the roles' limits hold.

mod common;

use common::{Api, Resp, TestServer, member, signup, spawn_server, temp_dir};
use pt_protocol::Timestamp;
use reqwest::Method;
use serde_json::{Value, json};

const DAY: i64 = 86_400_000_000;
const HOUR: i64 = 3_600_000_000;

/// Monday 00:00 UTC of the week after next (always in the future).
fn monday() -> i64 {
    let now = Timestamp::now().micros();
    let day = now - now.rem_euclid(DAY);
    let weekday = ((day / DAY) + 3).rem_euclid(7); // 1970-01-01 was a Thursday
    day - weekday * DAY + 14 * DAY
}

fn at(micros: i64) -> String {
    Timestamp::from_micros(micros).to_rfc3339()
}

async fn export(api: &Api, path: &str) -> (Resp, String) {
    let r = api.send(api.req(Method::GET, path).header("accept", "text/csv")).await;
    assert_eq!(r.status, 200, "{path}: {:?}", r.body);
    let text = r.body.as_str().unwrap_or_default().to_string();
    (r, text)
}

async fn import(api: &Api, kind: &str, dry_run: bool, csv: &str) -> Resp {
    let path = format!("/import/{kind}?dryRun={dry_run}");
    api.send(api.req(Method::POST, &path).header("content-type", "text/csv").body(csv.to_string())).await
}

/// The rows of a CSV text as maps from column to cell.
fn rows(csv: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    rdr.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(str::to_string)).collect()).collect()
}

/// What must survive a round trip: everything but ids.
fn comparable(csv: &str) -> Vec<Vec<String>> {
    let keep = [
        "artist_name",
        "project_name",
        "phase_name",
        "title",
        "status",
        "start_time",
        "end_time",
        "expires_at",
        "notes",
        "allow_overtime",
    ];
    let mut out: Vec<Vec<String>> = rows(csv).iter().map(|r| keep.iter().map(|k| r[*k].clone()).collect()).collect();
    out.sort();
    out
}

async fn project_with_phase(api: &Api) {
    let body =
        json!({ "name": "Feature: Lighthouse", "code": "LH", "startDate": "2026-01-05", "endDate": "2028-01-03" });
    let r = api.post("/projects", body).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.data()["id"].as_str().unwrap().to_string();
    let r = api
        .post(
            &format!("/projects/{id}/phases"),
            json!({ "name": "Comp", "startDate": "2026-01-05", "endDate": "2028-01-03" }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
}

/// Studio A: three artists (one name needing quotes), a project with a
/// phase, and bookings of every kind of status.
async fn studio_a(api: &Api) {
    project_with_phase(api).await;
    let mut ids = Vec::new();
    for (name, email, skills) in [
        ("Ana Lima", Some("ana@example.com"), json!(["compositing", "lighting"])),
        ("Ben \"Rig\", Jr.", None, json!(["rigging"])),
        ("Cy", Some("cy@example.com"), json!([])),
    ] {
        let r =
            api.post("/artists", json!({ "name": name, "email": email, "skills": skills, "timezone": "UTC" })).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        ids.push(r.data()["id"].as_str().unwrap().to_string());
    }
    let plan = api.get("/projects").await;
    let project = plan.data()[0]["id"].as_str().unwrap().to_string();
    let phases = api.get(&format!("/projects/{project}/phases")).await;
    let phase = phases.data()[0]["id"].as_str().unwrap().to_string();
    let mon = monday();
    let book = |artist: &str, title: &str, start: i64, end: i64, status: &str| json!({ "artistId": artist, "title": title, "startTime": at(start), "endTime": at(end), "status": status });
    let mut with_project = book(&ids[0], "Shot 010, comp", mon + 10 * HOUR, mon + 12 * HOUR, "pencil");
    with_project["projectId"] = json!(project);
    with_project["phaseId"] = json!(phase);
    with_project["notes"] = json!("two lines,\nand a comma");
    let mut hold = book(&ids[0], "Shot 020", mon + 11 * HOUR, mon + 13 * HOUR, "hold");
    hold["expiresAt"] = json!(at(mon + 7 * DAY));
    let mut night = book(
        &ids[1],
        "=HYPERLINK(\"http://evil.example\",\"Night rig\")",
        mon + 20 * HOUR,
        mon + 22 * HOUR,
        "confirmed",
    );
    night["allowOvertime"] = json!(true);
    for body in
        [with_project, hold, night, book(&ids[2], "Gone", mon + DAY + 10 * HOUR, mon + DAY + 11 * HOUR, "pencil")]
    {
        let r = api.post("/bookings", body).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let gone = api.get("/bookings?status=pencil").await;
    let gone = gone.data().as_array().unwrap().iter().find(|b| b["title"] == "Gone").unwrap()["id"].clone();
    let r = api.delete(&format!("/bookings/{}", gone.as_str().unwrap())).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

async fn round_trip(anon: &Api) {
    let a = signup(anon, "Transfer A").await;
    studio_a(&a).await;
    let (res, artists_csv) = export(&a, "/artists").await;
    assert_eq!(res.headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(res.headers["content-disposition"], "attachment; filename=\"artists.csv\"");
    assert!(artists_csv.starts_with("id,name,email,skills,timezone,active\n"), "{artists_csv}");
    assert!(artists_csv.contains(",\"Ben \"\"Rig\"\", Jr.\",,rigging,UTC,true\n"), "{artists_csv}");
    assert!(artists_csv.contains(",Ana Lima,ana@example.com,compositing;lighting,UTC,true\n"), "{artists_csv}");
    let (res, bookings_csv) = export(&a, "/bookings").await;
    assert_eq!(res.headers["content-disposition"], "attachment; filename=\"bookings.csv\"");
    assert!(bookings_csv.starts_with(
        "id,artist_id,artist_name,project_id,project_name,phase_id,phase_name,title,status,start_time,end_time,expires_at,notes,allow_overtime\n"
    ));
    assert_eq!(rows(&bookings_csv).len(), 4, "every booking, cancelled too: {bookings_csv}");
    // A title a spreadsheet would run as a formula is written as text.
    assert!(
        bookings_csv.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Night rig\"\")\","),
        "{bookings_csv}"
    );
    // The same filters as the JSON list.
    let (_, cancelled) = export(&a, "/bookings?status=cancelled").await;
    assert_eq!(rows(&cancelled).iter().map(|r| r["title"].as_str()).collect::<Vec<_>>(), ["Gone"]);

    let b = signup(anon, "Transfer B").await;
    project_with_phase(&b).await;
    let r = import(&b, "artists", true, &artists_csv).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.data(), &json!({ "dryRun": true, "rows": 3, "errors": [], "created": [], "reverted": [] }));
    assert_eq!(b.get("/artists").await.body["meta"]["total"], 0, "a dry run writes nothing");
    let r = import(&b, "artists", false, &artists_csv).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.data()["created"].as_array().unwrap().len(), 3);
    let (_, b_artists) = export(&b, "/artists").await;
    let strip = |csv: &str| rows(csv).into_iter().map(|mut r| r.remove("id").map(|_| r).unwrap()).collect::<Vec<_>>();
    assert_eq!(strip(&b_artists), strip(&artists_csv));

    let r = import(&b, "bookings", true, &bookings_csv).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.data()["errors"], json!([]));
    assert_eq!(b.get("/bookings").await.body["meta"]["total"], 0, "a dry run writes nothing");
    let r = import(&b, "bookings", false, &bookings_csv).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.data()["created"].as_array().unwrap().len(), 4);
    let (_, b_bookings) = export(&b, "/bookings").await;
    assert_eq!(comparable(&b_bookings), comparable(&bookings_csv));

    // The same file again: its pencil and confirmed rows now meet B's own bookings.
    let r = import(&b, "bookings", true, &bookings_csv).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // A row starts on its line of the file: the first row's notes span two.
    let mut rdr = csv::Reader::from_reader(bookings_csv.as_bytes());
    let exclusive: Vec<u64> = rdr
        .records()
        .map(Result::unwrap)
        .filter(|r| matches!(&r[8], "pencil" | "confirmed"))
        .map(|r| r.position().unwrap().line())
        .collect();
    assert!(bookings_csv.contains("\"two lines,\nand a comma\""));
    let errors = r.data()["errors"].as_array().unwrap();
    let lines: Vec<u64> = errors.iter().map(|e| e["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, exclusive, "{errors:?}");
    for e in errors {
        assert_eq!(e["column"], Value::Null);
        assert!(e["reason"].as_str().unwrap().starts_with("overlaps "), "{e}");
    }
    let r = import(&b, "bookings", false, &bookings_csv).await;
    assert_eq!((r.status.as_u16(), r.code()), (422, "unprocessable"), "{:?}", r.body);
    assert_eq!(b.get("/bookings").await.body["meta"]["total"], 4, "a refused import writes nothing");
}

async fn bad_rows(anon: &Api) {
    let api = signup(anon, "Transfer bad rows").await;
    api.artist("Ana").await;
    let mon = monday();
    let (t1, t2, t3, t4) = (at(mon + 10 * HOUR), at(mon + 12 * HOUR), at(mon + 11 * HOUR), at(mon + 13 * HOUR));
    let csv = format!(
        "artist_name,title,status,start_time,end_time,expires_at,notes,allow_overtime\n\
         Ana,Good,pencil,{t1},{t2},,,\n\
         Nobody,X,pencil,{t1},{t2},,,\n\
         Ana,,pencil,{t1},{t2},,,\n\
         Ana,Y,maybe,{t1},{t2},,,\n\
         Ana,Z,hold,2026-03-02,{t2},,,\n\
         Ana,W,hold,{t2},{t1},,,\n\
         Ana,H,hold,{t1},{t2},2020-01-01T00:00:00Z,,\n\
         Ana,Late,confirmed,{t3},{t4},,,\n\
         Ana,Short\n"
    );
    let expected = json!([
        { "line": 3, "column": "artist_name", "reason": "no artist of this studio is named `Nobody`" },
        { "line": 4, "column": "title", "reason": "title must not be empty" },
        { "line": 5, "column": "status", "reason": "`maybe` is not a status: hold, pencil, confirmed, cancelled or expired" },
        { "line": 6, "column": "start_time",
          "reason": "`2026-03-02` is not an RFC 3339 time with an offset, such as 2026-03-02T09:00:00Z" },
        { "line": 7, "column": "end_time", "reason": "endTime must be after startTime" },
        { "line": 8, "column": "expires_at", "reason": "expiresAt must be in the future" },
        { "line": 9, "column": null,
          "reason": "overlaps line 2 of this file: Ana's pencil and confirmed bookings may not overlap" },
        { "line": 10, "column": null, "reason": "this row has 2 cells; the header has 8" },
    ]);
    let r = import(&api, "bookings", true, &csv).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.data()["rows"], 9);
    assert_eq!(r.data()["errors"], expected);
    let r = import(&api, "bookings", false, &csv).await;
    assert_eq!((r.status.as_u16(), r.code()), (422, "unprocessable"), "{:?}", r.body);
    assert_eq!(r.body["error"]["details"]["errors"], expected);
    assert_eq!(r.body["error"]["details"]["created"], json!([]));
    assert_eq!(api.get("/bookings").await.body["meta"]["total"], 0, "nothing written");

    let r = import(&api, "artists", true, "name,colour\nBo,red\n").await;
    assert_eq!(
        r.data()["errors"],
        json!([{ "line": 1, "column": "colour",
                 "reason": "unknown column; the columns are id, name, email, skills, timezone, active" }])
    );
    let r = import(&api, "artists", true, "name,email\nAna,\nBo,not-an-email\n").await;
    assert_eq!(
        r.data()["errors"],
        json!([{ "line": 2, "column": "name", "reason": "the studio already has an artist named `Ana` (bookings name artists by name)" },
               { "line": 3, "column": "email", "reason": "email must look like name@example.com" }])
    );
    let r = api.send(api.req(Method::POST, "/import/artists?dryRun=true").json(&json!({ "name": "Bo" }))).await;
    assert_eq!(r.status, 415, "{:?}", r.body);
    let big = format!("name\n{}", "A\n".repeat(5_001));
    assert_eq!(import(&api, "artists", true, &big).await.status, 413);
}

async fn roles(anon: &Api) {
    let owner = signup(anon, "Transfer roles").await;
    let ana = owner.artist("Ana").await;
    let ben = owner.artist("Ben").await;
    let mon = monday();
    for (artist, title) in [(&ana, "Ana's"), (&ben, "Ben's")] {
        let r = owner.book(artist, &at(mon + 10 * HOUR), &at(mon + 12 * HOUR), "pencil").await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        let id = r.data()["id"].as_str().unwrap().to_string();
        let r = owner.patch(&format!("/bookings/{id}"), json!({ "version": 1, "title": title })).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
    }
    let (manager, _) = member(&owner, "studio_manager", None).await;
    let r = import(&manager, "artists", true, "name\nBo\n").await;
    assert_eq!((r.status.as_u16(), r.code()), (403, "forbidden"), "{:?}", r.body);
    let (_, csv) = export(&manager, "/bookings").await;
    assert_eq!(rows(&csv).len(), 2);
    let r = import(&manager, "bookings", true, &csv).await;
    assert_eq!(r.status, 200, "a manager imports bookings: {:?}", r.body);

    let (freelancer, _) = member(&owner, "freelancer", Some(&ana)).await;
    let (_, own) = export(&freelancer, "/bookings").await;
    assert_eq!(rows(&own).iter().map(|r| r["title"].as_str()).collect::<Vec<_>>(), ["Ana's"]);
    let (_, own) = export(&freelancer, &format!("/bookings?artist={ana}")).await;
    assert_eq!(rows(&own).len(), 1);
    let r = freelancer
        .send(freelancer.req(Method::GET, &format!("/bookings?artist={ben}")).header("accept", "text/csv"))
        .await;
    assert_eq!(r.status, 404, "another artist's bookings: {:?}", r.body);
    let r = freelancer.send(freelancer.req(Method::GET, "/artists").header("accept", "text/csv")).await;
    assert_eq!((r.status.as_u16(), r.code()), (403, "forbidden"), "{:?}", r.body);
    for kind in ["artists", "bookings"] {
        let r = import(&freelancer, kind, true, &csv).await;
        assert_eq!((r.status.as_u16(), r.code()), (403, "forbidden"), "{kind}: {:?}", r.body);
    }
}

/// Two real imports of the same 60 pencils at once, the second with one more
/// row of its own first: both are clean when checked (they check at the same
/// time), then they meet. Each import writes all or nothing: one refused at
/// its check answers 422; one refused during its run answers 409 with what it
/// created undone (cancelled: usually its own first row). Both never win.
async fn racing_imports(anon: &Api) {
    let api = signup(anon, "Transfer race").await;
    api.artist("Ana").await;
    let mon = monday();
    let header = "artist_name,title,status,start_time,end_time,allow_overtime\n";
    let lines: Vec<String> = (0..60)
        .map(|i| {
            let start = mon + i * DAY;
            format!("Ana,Day {i},pencil,{},{},true\n", at(start), at(start + 2 * HOUR))
        })
        .collect();
    let forward = format!("{header}{}", lines.concat());
    let own = mon + 100 * DAY;
    let backward = format!("{header}Ana,Own,pencil,{},{},true\n{}", at(own), at(own + HOUR), lines.concat());
    let (one, two) =
        tokio::join!(import(&api, "bookings", false, &forward), import(&api, "bookings", false, &backward));
    let statuses = [one.status.as_u16(), two.status.as_u16()];
    eprintln!("racing imports: {statuses:?}");
    assert_ne!(statuses, [200, 200]);
    let mut reverted = 0;
    for (r, rows) in [(&one, 60), (&two, 61)] {
        match r.status.as_u16() {
            200 => assert_eq!(r.data()["created"].as_array().unwrap().len(), rows),
            422 => assert_eq!(r.code(), "unprocessable"),
            409 => {
                assert_eq!(r.code(), "conflict");
                let details = &r.body["error"]["details"];
                assert_eq!(details["errors"].as_array().unwrap().len(), 1, "{details}");
                for id in details["reverted"].as_array().unwrap() {
                    let b = api.get(&format!("/bookings/{}", id.as_str().unwrap())).await;
                    assert_eq!(b.data()["status"], "cancelled", "undone: {:?}", b.body);
                    reverted += 1;
                }
            }
            other => panic!("{other}: {:?}", r.body),
        }
    }
    eprintln!("racing imports: {reverted} bookings undone");
    let winners = statuses.iter().filter(|s| **s == 200).count();
    let second_won = usize::from(two.status == 200);
    assert_eq!(api.get("/bookings?status=pencil").await.body["meta"]["total"], 60 * winners + second_won);
    assert_eq!(api.get("/bookings?status=cancelled").await.body["meta"]["total"], reverted);
}

async fn everything(anon: &Api) {
    round_trip(anon).await;
    bad_rows(anon).await;
    roles(anon).await;
    racing_imports(anon).await;
}

#[tokio::test]
async fn csv_export_and_import_on_postgres() {
    let (srv, _db) = TestServer::start().await;
    everything(&srv.anonymous()).await;
}

#[tokio::test]
async fn csv_export_and_import_on_the_embedded_store() {
    let dir = temp_dir("transfer");
    let (_child, base) = spawn_server(&["--data-dir".to_string(), dir.display().to_string()]).await;
    everything(&common::anon_at(&base)).await;
    let _ = std::fs::remove_dir_all(&dir);
}
