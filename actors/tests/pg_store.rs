//! PostgreSQL specifics against a real server: racing migrations, an
//! unreachable server, the exclusion constraint's semantics (touching
//! ranges, holds, a direct SQL insert refused with 23P01), and row-level
//! security: the runtime role the pool logs in as, and the refusal of one
//! that could get around the policies. What every store
//! must do (round trips, idempotency, the log, isolation, refused batches) is
//! in `store_conformance.rs`, which runs on PostgreSQL too. Each test runs in a database of its own (`testing::fresh_db`), so
//! they run in parallel. Set `PT_TEST_DATABASE_URL` to use another server.

mod common;

use common::identity::*;
use common::outbox::{job_rows, notification, outbox_rows};
use common::*;
use pt_actors::store::auth::AuthStore;
use pt_actors::store::postgres::testing::{TestDb, fresh_db};
use pt_actors::store::postgres::{APP_ROLE, AppLogin, PgStore, TENANT_TABLES};
use pt_actors::store::{Store, StoreError};
use pt_protocol::{Booking, BookingStatus, Event, TenantId};

// ---------------------------------------------------------------------------
// Fixtures (builders live in common/mod.rs)

async fn store(db: &TestDb) -> PgStore {
    PgStore::open(&db.url, &AppLogin::default(), 4).await.expect("open")
}

/// A direct connection to `db` logged in as `user` (no password: trust).
async fn connect_as(db: &TestDb, user: &str) -> tokio_postgres::Client {
    let mut config: tokio_postgres::Config = db.url.parse().unwrap();
    config.user(user);
    let (client, conn) =
        config.connect(tokio_postgres::NoTls).await.unwrap_or_else(|e| panic!("log in as {user}: {e}"));
    tokio::spawn(conn);
    client
}

/// `url` with its user replaced (URL or key=value form).
fn url_as(url: &str, user: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return format!("{url} user={user}") };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    format!("{scheme}://{user}@{host}{tail}")
}

async fn owner_sql(db: &TestDb) -> tokio_postgres::Client {
    let (sql, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    sql
}

async fn tenant(store: &PgStore) -> TenantId {
    let t = TenantId::new();
    store.ensure_tenant(t, "Studio").await.unwrap();
    t
}

// ---------------------------------------------------------------------------
// Migrations

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn migrations_run_once_even_when_raced() {
    let db = fresh_db().await;
    let store = PgStore::connect(&db.url, 8).await.unwrap();
    assert_eq!(store.kind(), "postgres");
    match store.ready().await {
        Err(StoreError::Other(m)) => assert!(m.contains("migrations not applied"), "{m}"),
        other => panic!("ready before migrate: {other:?}"),
    }

    // Five servers starting at once, each with its own pool.
    let mut racers = Vec::new();
    for _ in 0..5 {
        let url = db.url.clone();
        racers.push(tokio::spawn(async move { PgStore::connect(&url, 1).await?.migrate().await }));
    }
    for r in racers {
        r.await.unwrap().expect("racing migrate");
    }
    store.migrate().await.expect("second migrate");
    store.ready().await.expect("ready");

    let (client, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let rows = client.query("SELECT version, name FROM pt_schema_migrations ORDER BY version", &[]).await.unwrap();
    let versions: Vec<i32> = rows.iter().map(|r| r.get::<_, i32>(0)).collect();
    assert_eq!(versions[..4], [1, 2, 3, 4]);
    assert!(versions.contains(&6), "app_login: {versions:?}");
    assert_eq!(versions.last(), Some(&PgStore::schema_version()), "every embedded migration, once: {versions:?}");
}

#[tokio::test]
async fn an_unreachable_server_is_unavailable() {
    match PgStore::connect("postgres://postgres@127.0.0.1:1/postgres", 1).await {
        Err(StoreError::Unavailable(_)) => {}
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Round trips

#[tokio::test]
async fn touching_ranges_holds_and_finished_bookings_may_overlap() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let t = tenant(&store).await;
    let mut log = Log::new();
    let (a, b) = (artist("Ana"), artist("Ben"));
    let booked = booking(&a, 10, 12, BookingStatus::Pencil);
    let cancelled = status_changed(&booking(&a, 9, 13, BookingStatus::Pencil), BookingStatus::Cancelled);
    let expired =
        Booking { status: BookingStatus::Expired, expires_at: None, ..booking(&a, 10, 11, BookingStatus::Hold) };
    let batch = [
        log.cmd(vec![Event::ArtistCreated { artist: a.clone() }, Event::ArtistCreated { artist: b.clone() }]),
        log.cmd(vec![Event::BookingCreated { booking: booked.into() }]),
        // [12,13) touches [10,12): no overlap.
        log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 12, 13, BookingStatus::Confirmed)).into() }]),
        log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 8, 10, BookingStatus::Confirmed)).into() }]),
        // Holds queue on a taken slot and on each other.
        log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 10, 12, BookingStatus::Hold)).into() }]),
        log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 11, 12, BookingStatus::Hold)).into() }]),
        // Cancelled and expired bookings do not block.
        log.cmd(vec![cancelled]),
        log.cmd(vec![Event::BookingCreated { booking: expired.into() }]),
        // Another artist's pencil on the same slot is fine.
        log.cmd(vec![Event::BookingCreated { booking: (booking(&b, 10, 12, BookingStatus::Pencil)).into() }]),
    ];
    store.append(t, &batch).await.expect("no overlap among exclusive bookings of one artist");
    assert_eq!(store.load_tenant(t).await.unwrap().bookings.len(), 8);
}

#[tokio::test]
async fn the_database_itself_refuses_an_overlapping_insert() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let t = tenant(&store).await;
    let mut log = Log::new();
    let a = artist("Ana");
    let pencil = booking(&a, 9, 12, BookingStatus::Pencil);
    store
        .append(
            t,
            &[log.cmd(vec![
                Event::ArtistCreated { artist: a.clone() },
                Event::BookingCreated { booking: pencil.into() },
            ])],
        )
        .await
        .unwrap();

    let (client, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let insert = "INSERT INTO bookings (tenant_id, id, artist_id, title, start_time, end_time, status, version,
                                       created_at, created_by, updated_at, updated_by)
                  VALUES ($1, $2, $3, 'direct', $4, $5, $6, 1, now(), 'psql', now(), 'psql')";
    let (start, end) = (at(11).to_chrono(), at(14).to_chrono());
    let err = client
        .execute(insert, &[&t.0, &uuid::Uuid::now_v7(), &a.id.0, &start, &end, &"confirmed"])
        .await
        .expect_err("an overlapping confirmed booking must be refused");
    let db_err = err.as_db_error().expect("a database error");
    assert_eq!(db_err.code(), &tokio_postgres::error::SqlState::EXCLUSION_VIOLATION);
    assert_eq!(db_err.code().code(), "23P01");
    assert_eq!(db_err.constraint(), Some("no_double_booking"));

    // A hold on the same slot is fine; an empty range is not.
    client.execute(insert, &[&t.0, &uuid::Uuid::now_v7(), &a.id.0, &start, &end, &"hold"]).await.unwrap();
    let err = client.execute(insert, &[&t.0, &uuid::Uuid::now_v7(), &a.id.0, &end, &start, &"hold"]).await.unwrap_err();
    assert_eq!(err.code(), Some(&tokio_postgres::error::SqlState::CHECK_VIOLATION));
}

/// A studio with an artist and a booking, written through the store.
async fn seeded_tenant(store: &PgStore) -> (TenantId, Booking) {
    let t = tenant(store).await;
    let a = artist("Isolated");
    let b = booking(&a, 9, 10, BookingStatus::Pencil);
    // A project with a row in each project table.
    let p = project("ISO");
    let (design, build) = (phase(&p, "Design", 0, 5), phase(&p, "Build", 5, 9));
    let ms = milestone(&p, "Review", 5, None);
    let mut log = Log::new();
    store
        .append(
            t,
            &[
                log.cmd(vec![Event::ArtistCreated { artist: a.clone() }]),
                log.cmd(vec![Event::BookingCreated { booking: b.clone().into() }]),
                log.cmd(plan_events(&p, &[design.clone(), build.clone()], &[dependency(&design, &build)], &[ms])),
                log.cmd(vec![Event::NotificationCreated { notification: notification(&b) }]),
                log.cmd(job_rows(store, t).await),
            ],
        )
        .await
        .unwrap();
    outbox_rows(store, t).await;
    (t, b)
}

#[tokio::test]
async fn row_level_security_shows_the_server_role_one_tenant_only() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let (a, booking_a) = seeded_tenant(&store).await;
    let (b, _) = seeded_tenant(&store).await;
    store.save_snapshot(a, &store.load_tenant(a).await.unwrap()).await.unwrap();

    // The role the server's transactions run as: not a superuser, cannot bypass
    // RLS, owns none of the tables.
    let (sql, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let role =
        sql.query_one("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'pt_app'", &[]).await.unwrap();
    assert!(!role.get::<_, bool>(0) && !role.get::<_, bool>(1));
    let owned: i64 = sql
        .query_one("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'pt_app'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(owned, 0);

    // As that role, with no tenant set, a query without a tenant filter sees nothing.
    sql.batch_execute("SET ROLE pt_app").await.unwrap();
    for table in ["tenants", "artists", "bookings", "events", "commands", "snapshots"] {
        let n: i64 = sql.query_one(&format!("SELECT count(*) FROM {table}"), &[]).await.unwrap().get(0);
        assert_eq!(n, 0, "{table} leaks rows without a tenant setting");
    }
    // With a tenant set, exactly that tenant's rows.
    sql.execute("SELECT set_config('app.current_tenant', $1, false)", &[&a.to_string()]).await.unwrap();
    let rows = sql.query("SELECT id, tenant_id FROM bookings", &[]).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get::<_, uuid::Uuid>(0), booking_a.id.0);
    let other: i64 = sql.query_one("SELECT count(*) FROM events WHERE tenant_id = $1", &[&b.0]).await.unwrap().get(0);
    assert_eq!(other, 0, "naming the other tenant explicitly does not help");
    // Writing into another tenant is refused.
    let err = sql
        .execute("INSERT INTO tenants (id, name) VALUES ($1, 'intruder')", &[&uuid::Uuid::now_v7()])
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{err}");
    let err = sql.execute("UPDATE bookings SET title = 'x' WHERE tenant_id = $1", &[&b.0]).await.unwrap();
    assert_eq!(err, 0, "another tenant's rows cannot be updated");
}

#[tokio::test]
async fn the_store_reads_and_writes_as_the_restricted_role() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let (t, _) = seeded_tenant(&store).await;
    let (sql, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    // Take a privilege away from pt_app only: the store's writes now fail,
    // which proves they run as pt_app rather than as the login role.
    sql.batch_execute("REVOKE INSERT ON events FROM pt_app").await.unwrap();
    let a = artist("Second");
    let mut log = Log { next_seq: 3 };
    let r = store.append(t, &[log.cmd(vec![Event::ArtistCreated { artist: a }])]).await;
    assert!(matches!(&r, Err(StoreError::Other(m)) if m.contains("permission denied")), "{r:?}");
    sql.batch_execute("GRANT INSERT ON events TO pt_app").await.unwrap();
    assert_eq!(store.load_tenant(t).await.unwrap().bookings.len(), 1);
}

/// A studio with every kind of identity row: its owner's membership and a
/// second member, an invitation, a login session and an API token.
async fn identity_rows(store: &PgStore, name: &str) -> (TenantId, pt_protocol::ids::UserId) {
    let (studio, owner, _) = signed_up(store, name).await;
    store.insert_invitation(&invitation(studio.id, "invitee@studio.example", owner.id)).await.unwrap();
    store.insert_session(&session(studio.id, owner.id)).await.unwrap();
    store.insert_api_token(&api_token(studio.id, owner.id, "Sync", 1)).await.unwrap();
    let feed = pt_actors::store::feeds::CalendarFeedRow {
        id: uuid::Uuid::now_v7(),
        tenant_id: studio.id,
        artist_id: None,
        name: "Wall".into(),
        hash: token_hash(),
        hint: "cal_abcdef…".into(),
        created_by: owner.id,
        created_at: at(1),
        revoked_at: None,
    };
    pt_actors::store::feeds::FeedStore::insert_calendar_feed(store, &feed).await.unwrap();
    (studio.id, owner.id)
}

#[tokio::test]
async fn row_level_security_covers_the_identity_tables() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let (a, owner_a) = identity_rows(&store, "A").await;
    let (b, _) = identity_rows(&store, "B").await;
    // The owner of A also belongs to B.
    store.save_membership(&membership(b, owner_a, "freelancer", 2)).await.unwrap();

    let (sql, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    sql.batch_execute("SET ROLE pt_app").await.unwrap();
    let count = |table: &'static str| {
        let sql = &sql;
        async move { sql.query_one(&format!("SELECT count(*) FROM {table}"), &[]).await.unwrap().get::<_, i64>(0) }
    };
    // No tenant, no user: the tenant tables show nothing.
    for table in ["memberships", "invitations", "auth_sessions", "api_tokens", "calendar_feeds"] {
        assert_eq!(count(table).await, 0, "{table} leaks rows without a tenant setting");
    }
    // Users only where the server looks for them (0007); the token index is
    // global by design (a bearer secret's hash → its studio).
    assert_eq!(count("users").await, 0, "users leak without a user, email or tenant setting");
    assert_eq!(count("auth_token_index").await, 8, "per studio: invitation, session, API token, feed");
    let owner_b = store.members(b).await.unwrap().into_iter().map(|(m, _)| m.user_id).find(|u| *u != owner_a).unwrap();
    let visible = |setting: &'static str, value: String| {
        let sql = &sql;
        async move {
            sql.execute("SELECT set_config($1, $2, false)", &[&setting, &value]).await.unwrap();
            let rows = sql.query("SELECT id FROM users ORDER BY id", &[]).await.unwrap();
            sql.execute("SELECT set_config($1, '', false)", &[&setting]).await.unwrap();
            rows.iter().map(|r| pt_protocol::ids::UserId(r.get(0))).collect::<Vec<_>>()
        }
    };
    assert_eq!(visible("app.current_user", owner_a.to_string()).await, vec![owner_a]);
    let email: String = store.user(owner_b).await.unwrap().unwrap().email;
    assert_eq!(visible("app.user_email", email).await, vec![owner_b]);
    // A studio's members: A's owner only in A; A's owner and B's owner in B.
    assert_eq!(visible("app.current_tenant", a.to_string()).await, vec![owner_a]);
    let mut in_b = vec![owner_a, owner_b];
    in_b.sort_by_key(|u| u.0);
    assert_eq!(visible("app.current_tenant", b.to_string()).await, in_b);
    // Another user's row cannot be changed.
    sql.execute("SELECT set_config('app.current_user', $1, false)", &[&owner_a.to_string()]).await.unwrap();
    let n = sql.execute("UPDATE users SET display_name = 'x' WHERE id = $1", &[&owner_b.0]).await.unwrap();
    assert_eq!(n, 0, "an update reached another user's row");
    sql.execute("SELECT set_config('app.current_user', '', false)", &[]).await.unwrap();

    // The user being logged in sees their own memberships in every studio, and
    // nothing else of any studio.
    sql.execute("SELECT set_config('app.current_user', $1, false)", &[&owner_a.to_string()]).await.unwrap();
    let rows = sql.query("SELECT tenant_id FROM memberships ORDER BY created_at", &[]).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.get::<_, uuid::Uuid>(0)).collect::<Vec<_>>(), vec![a.0, b.0]);
    for table in ["invitations", "auth_sessions", "api_tokens"] {
        assert_eq!(count(table).await, 0, "{table} is visible to a user without a tenant");
    }
    // Reading only: a user setting does not let it write memberships.
    let err = sql
        .execute(
            "INSERT INTO memberships (tenant_id, user_id, role, created_at) VALUES ($1, $2, 'studio_owner', now())",
            &[&TenantId::new().0, &owner_a.0],
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{err}");

    // With a tenant set (and no user), exactly that tenant's rows. (`RESET
    // app.current_user` would not parse: `current_user` is a keyword.)
    sql.batch_execute("SELECT set_config('app.current_user', '', false)").await.unwrap();
    sql.execute("SELECT set_config('app.current_tenant', $1, false)", &[&a.to_string()]).await.unwrap();
    for table in ["memberships", "invitations", "auth_sessions", "api_tokens"] {
        assert_eq!(count(table).await, 1, "{table} with tenant A set");
    }
    let other: i64 =
        sql.query_one("SELECT count(*) FROM auth_sessions WHERE tenant_id = $1", &[&b.0]).await.unwrap().get(0);
    assert_eq!(other, 0, "naming the other tenant explicitly does not help");
}

#[tokio::test]
async fn the_identity_reads_run_as_the_restricted_role_too() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let (studio, owner, _) = signed_up(&store, "Restricted").await;
    let s = session(studio.id, owner.id);
    store.insert_session(&s).await.unwrap();
    let (sql, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    // Global reads (users, the token index) fail once pt_app loses the privilege.
    sql.batch_execute("REVOKE SELECT ON users, auth_token_index FROM pt_app").await.unwrap();
    let r = store.user_by_email(&owner.email).await;
    assert!(matches!(&r, Err(StoreError::Other(m)) if m.contains("permission denied")), "{r:?}");
    let r = store.session_by_token(&s.current_hash).await;
    assert!(matches!(&r, Err(StoreError::Other(m)) if m.contains("permission denied")), "{r:?}");
    sql.batch_execute("GRANT SELECT ON users, auth_token_index TO pt_app").await.unwrap();
    assert_eq!(store.user_by_email(&owner.email).await.unwrap(), Some(owner));
    assert_eq!(store.session_by_token(&s.current_hash).await.unwrap(), Some(s));
}

// ---------------------------------------------------------------------------
// The runtime role

#[tokio::test]
async fn the_pool_logs_in_as_a_role_that_row_level_security_binds() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let (t, _) = seeded_tenant(&store).await;
    // Reads, the advisory locks of load_tenant and append, readiness.
    store.load_tenant(t).await.unwrap();
    store.ready().await.unwrap();
    assert!(store.find_command(t, pt_protocol::CmdId::new()).await.unwrap().is_none());

    // As the pool's sessions see themselves.
    let role = store.runtime_role().await.unwrap();
    assert_eq!(role.user, APP_ROLE);
    assert_eq!(store.app_user(), APP_ROLE);
    assert!(!role.superuser && !role.bypass_rls, "{role:?}");
    assert!(role.privileged_memberships.is_empty() && role.owned_tables.is_empty(), "{role:?}");

    // As the server sees the pool: every connection of the store to this
    // database logged in as pt_app (the migrations' owner connection is gone).
    let sql = owner_sql(&db).await;
    let users = eventually(|| async {
        let rows = sql
            .query(
                "SELECT DISTINCT usename::text FROM pg_stat_activity
                 WHERE datname = $1 AND application_name = 'production-tool'",
                &[&db.name],
            )
            .await
            .unwrap();
        let users: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
        (users == [APP_ROLE]).then_some(users)
    })
    .await;
    let row = sql
        .query_one("SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1", &[&users[0]])
        .await
        .unwrap();
    assert_eq!((row.get::<_, bool>(0), row.get::<_, bool>(1), row.get::<_, bool>(2)), (false, false, true));
}

/// Polls `f` for up to 5 s.
async fn eventually<T, F: std::future::Future<Output = Option<T>>>(mut f: impl FnMut() -> F) -> T {
    for _ in 0..250 {
        if let Some(v) = f().await {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("condition not met within 5 s");
}

#[tokio::test]
async fn logged_in_as_the_runtime_role_a_query_without_a_tenant_sees_nothing() {
    let db = fresh_db().await;
    let store = store(&db).await;
    seeded_tenant(&store).await;
    seeded_tenant(&store).await;
    identity_rows(&store, "A").await;
    identity_rows(&store, "B").await;
    let (t, _) = seeded_tenant(&store).await;
    store.save_snapshot(t, &store.load_tenant(t).await.unwrap()).await.unwrap();

    // Every table with row-level security, the known tenant tables among them.
    let owner = owner_sql(&db).await;
    let rls: Vec<String> = owner
        .query(
            "SELECT relname::text FROM pg_class
             WHERE relrowsecurity AND relforcerowsecurity AND relnamespace = 'public'::regnamespace ORDER BY 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for table in TENANT_TABLES {
        assert!(rls.iter().any(|t| t == table), "{table} has no FORCEd row-level security: {rls:?}");
        let n: i64 = owner.query_one(&format!("SELECT count(*) FROM {table}"), &[]).await.unwrap().get(0);
        assert!(n > 0, "{table} has rows (the owner, a superuser, sees them)");
    }

    // Logged in as pt_app — no SET ROLE — and no tenant set: nothing.
    let app = connect_as(&db, APP_ROLE).await;
    let who = app.query_one("SELECT current_user::text, session_user::text", &[]).await.unwrap();
    assert_eq!((who.get::<_, String>(0), who.get::<_, String>(1)), (APP_ROLE.to_owned(), APP_ROLE.to_owned()));
    for table in &rls {
        let n: i64 = app.query_one(&format!("SELECT count(*) FROM {table}"), &[]).await.unwrap().get(0);
        assert_eq!(n, 0, "{table} leaks rows to {APP_ROLE} without a tenant setting");
    }
    // What the store needs outside its transactions works as that role …
    app.query_one("SELECT max(version) FROM pt_schema_migrations", &[]).await.unwrap();
    app.execute("SELECT pg_advisory_lock(hashtextextended($1, 7919))", &[&t.to_string()]).await.unwrap();
    app.execute("SELECT pg_advisory_unlock(hashtextextended($1, 7919))", &[&t.to_string()]).await.unwrap();
    // … and what would lift the policies does not.
    for statement in
        ["ALTER TABLE bookings DISABLE ROW LEVEL SECURITY", "ALTER TABLE bookings NO FORCE ROW LEVEL SECURITY"]
    {
        let err = app.batch_execute(statement).await.unwrap_err();
        assert_eq!(err.code(), Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{statement}: {err}");
    }
    let err = app.batch_execute("SET ROLE postgres").await.unwrap_err();
    assert_eq!(err.code(), Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{err}");
}

#[tokio::test]
async fn a_superuser_runtime_login_is_refused_at_start() {
    let db = fresh_db().await;
    // The app URL is the owner's own: a superuser.
    let app = AppLogin { url: Some(db.url.clone()), password: None };
    let err = PgStore::open(&db.url, &app, 2).await.expect_err("a superuser must not run the store");
    let StoreError::Other(m) = &err else { panic!("{err:?}") };
    let superuser = owner_sql(&db).await.query_one("SELECT current_user::text", &[]).await.unwrap().get::<_, String>(0);
    assert!(m.contains(&format!("\"{superuser}\"")), "names the role: {m}");
    assert!(m.contains("is a superuser") && m.contains("row-level security"), "says why: {m}");
    assert!(m.contains(APP_ROLE), "says what to use instead: {m}");

    // A pool opened without `open` refuses such connections just the same.
    let store = PgStore::connect_with(&db.url, &app, 2).await.unwrap();
    store.migrate().await.unwrap();
    match store.ready().await {
        Err(StoreError::Other(m)) => assert!(m.contains("refusing") && m.contains("superuser"), "{m}"),
        other => panic!("ready as a superuser: {other:?}"),
    }
}

/// A login role of its own (roles are cluster-wide: a unique name, dropped
/// after the test's database).
struct TempRole {
    name: String,
}

impl TempRole {
    async fn create(sql: &tokio_postgres::Client) -> TempRole {
        let name = format!("pt_test_role_{}", uuid::Uuid::new_v4().simple());
        sql.batch_execute(&format!("CREATE ROLE {name} LOGIN; GRANT {APP_ROLE} TO {name}")).await.unwrap();
        TempRole { name }
    }

    /// Drops the role once `db` (which it may own objects in) is gone.
    async fn drop_after(self, db: TestDb) {
        drop(db);
        let admin = std::env::var(pt_actors::store::postgres::testing::ADMIN_URL_ENV)
            .unwrap_or_else(|_| pt_actors::store::postgres::testing::DEFAULT_ADMIN_URL.to_owned());
        let (sql, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        sql.batch_execute(&format!("DROP ROLE IF EXISTS {}", self.name)).await.unwrap();
    }
}

#[tokio::test]
async fn a_runtime_role_that_owns_a_tenant_table_or_bypasses_rls_is_refused() {
    let db = fresh_db().await;
    store(&db).await;
    let sql = owner_sql(&db).await;
    let role = TempRole::create(&sql).await;
    let app = AppLogin { url: Some(url_as(&db.url, &role.name)), password: None };

    // An owner of a tenant table could switch its policies off.
    sql.batch_execute(&format!("ALTER TABLE snapshots OWNER TO {}", role.name)).await.unwrap();
    let err = PgStore::open(&db.url, &app, 2).await.expect_err("an owner must not run the store");
    assert!(err.to_string().contains(&role.name) && err.to_string().contains("owns snapshots"), "{err}");
    sql.batch_execute("ALTER TABLE snapshots OWNER TO CURRENT_USER").await.unwrap();

    // BYPASSRLS ignores the policies.
    sql.batch_execute(&format!("ALTER ROLE {} BYPASSRLS", role.name)).await.unwrap();
    let err = PgStore::open(&db.url, &app, 2).await.expect_err("a BYPASSRLS role must not run the store");
    assert!(err.to_string().contains("BYPASSRLS"), "{err}");
    sql.batch_execute(&format!("ALTER ROLE {} NOBYPASSRLS", role.name)).await.unwrap();

    // Without either, a role of one's own that is granted pt_app runs the store.
    let store = PgStore::open(&db.url, &app, 2).await.expect("a plain member of pt_app may run the store");
    assert_eq!(store.runtime_role().await.unwrap().user, role.name);
    let (t, _) = seeded_tenant(&store).await;
    assert_eq!(store.load_tenant(t).await.unwrap().bookings.len(), 1);
    store.ready().await.unwrap();
    drop((store, sql));
    role.drop_after(db).await;
}
