//! The event log and the command table on both stores: migrations, stored
//! outcomes, reads by `seq` and by entity, refused batches, concurrent
//! tenants, reopening.

use super::*;

conformance!(
    migrate_twice_and_ready,
    a_command_id_is_stored_once_with_its_outcome,
    the_log_reads_back_by_seq_and_by_entity,
    a_refused_batch_leaves_nothing_behind,
    tenants_append_concurrently,
    data_survives_reopening,
);

async fn migrate_twice_and_ready(kind: Kind) {
    let b = Backend::new(kind, false).await;
    let s = b.store();
    assert_eq!(
        s.kind(),
        match kind {
            Kind::Postgres => "postgres",
            Kind::Sqlite => "embedded",
        }
    );
    match s.ready().await {
        Err(StoreError::Other(m)) => assert!(m.contains("migrations not applied"), "{m}"),
        other => panic!("ready before migrate: {other:?}"),
    }
    // Concurrent migrations from one process, then once more.
    let racers: Vec<_> = (0..3)
        .map(|_| {
            let store = b.store.clone();
            tokio::spawn(async move { store.migrate().await })
        })
        .collect();
    for r in racers {
        r.await.unwrap().expect("racing migrate");
    }
    s.migrate().await.expect("migrate again");
    s.ready().await.expect("ready");
}

async fn a_command_id_is_stored_once_with_its_outcome(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();
    let a = artist("Ana");

    let mut create = log.cmd(vec![Event::ArtistCreated { artist: a.clone() }]);
    create.request_hash = u64::MAX;
    create.outcome = json!({ "artist": a, "note": "ünïcödé 🎬", "nested": { "list": [1, 2.5, null, true] } });
    let mut two = log.cmd(vec![
        Event::BookingCreated { booking: (booking(&a, 1, 2, BookingStatus::Hold)).into() },
        Event::BookingCreated { booking: (booking(&a, 3, 4, BookingStatus::Hold)).into() },
    ]);
    two.request_hash = 1 << 63;
    let mut small = log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 5, 6, BookingStatus::Pencil)).into() }]);
    small.request_hash = 42;
    s.append(t, &[create.clone(), two.clone(), small.clone()]).await.unwrap();

    for (rec, first, last) in [(&create, 1, 1), (&two, 2, 3), (&small, 4, 4)] {
        let found = s.find_command(t, rec.cmd_id).await.unwrap().expect("stored command");
        assert_eq!(found.cmd_id, rec.cmd_id);
        assert_eq!(found.request_hash, rec.request_hash);
        assert_eq!((found.first_seq, found.last_seq), (first, last));
        assert_eq!(found.outcome, rec.outcome);
    }
    assert_eq!(s.find_command(t, CmdId::new()).await.unwrap(), None);
    // Activation reads every persisted id (and only this tenant's).
    let mut ids = s.command_ids(t).await.unwrap();
    ids.sort();
    let mut want = vec![create.cmd_id, two.cmd_id, small.cmd_id];
    want.sort();
    assert_eq!(ids, want);
    assert!(s.command_ids(b.tenant().await).await.unwrap().is_empty());

    // The same cmd_id again (new seq, other content) is refused and changes nothing.
    let before = s.load_tenant(t).await.unwrap();
    let mut again = log.cmd(vec![Event::ArtistUpdated { artist: Artist { version: 2, ..a.clone() } }]);
    again.cmd_id = small.cmd_id;
    again.request_hash = 7;
    assert_refused(s.append(t, &[again]).await, b.duplicate_code());
    assert_eq!(s.load_artist(t, a.id).await.unwrap(), Some(a));
    assert_eq!(s.find_command(t, small.cmd_id).await.unwrap().unwrap().request_hash, 42);
    assert!(s.events_since(t, 4, 10).await.unwrap().is_empty());
    assert_same_state(s.load_tenant(t).await.unwrap(), before);
}

async fn the_log_reads_back_by_seq_and_by_entity(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();
    let a = artist("Ana");
    let other = booking(&a, 20, 21, BookingStatus::Hold);
    let bk = booking(&a, 9, 12, BookingStatus::Hold);
    let pencil = status_changed(&bk, BookingStatus::Pencil);
    let confirmed = status_changed(pencil.booking().unwrap(), BookingStatus::Confirmed);

    let first = vec![
        log.cmd(vec![Event::ArtistCreated { artist: a.clone() }]),
        log.cmd(vec![
            Event::BookingCreated { booking: bk.clone().into() },
            Event::BookingCreated { booking: other.clone().into() },
        ]),
    ];
    let second = vec![log.cmd(vec![pencil]), log.cmd(vec![confirmed])];
    s.append(t, &first).await.unwrap();
    s.append(t, &second).await.unwrap();
    let all: Vec<EventEnvelope> = first.iter().chain(&second).flat_map(|r| r.events.clone()).collect();
    assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);

    // entity_events: only that entity, in seq order, decoded exactly.
    let of_b = s.entity_events(t, bk.id.0).await.unwrap();
    assert_eq!(of_b.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![2, 4, 5]);
    assert_eq!(of_b, all.iter().filter(|e| e.event.entity().uuid() == bk.id.0).cloned().collect::<Vec<_>>());
    assert_eq!(s.entity_events(t, a.id.0).await.unwrap(), vec![all[0].clone()]);
    assert!(s.entity_events(t, uuid::Uuid::now_v7()).await.unwrap().is_empty());

    // events_since: strictly after, in order, at most `limit`; paging covers the log without gaps.
    assert_eq!(s.events_since(t, 0, 100).await.unwrap(), all);
    assert_eq!(s.events_since(t, 0, 2).await.unwrap(), all[..2].to_vec());
    assert_eq!(s.events_since(t, 2, 2).await.unwrap(), all[2..4].to_vec());
    assert_eq!(s.events_since(t, 4, 10).await.unwrap(), all[4..].to_vec());
    assert!(s.events_since(t, 5, 10).await.unwrap().is_empty());
    assert!(s.events_since(t, 0, 0).await.unwrap().is_empty());
    assert!(s.events_since(t, u64::MAX, 10).await.unwrap().is_empty());
    let (mut after, mut paged) = (0, Vec::new());
    loop {
        let page = s.events_since(t, after, 2).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.seq;
        paged.extend(page);
    }
    assert_eq!(paged, all);
}

async fn a_refused_batch_leaves_nothing_behind(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();
    let a = artist("Ana");
    let first = log.cmd(vec![Event::ArtistCreated { artist: a.clone() }]);
    s.append(t, std::slice::from_ref(&first)).await.unwrap();
    let before = s.load_tenant(t).await.unwrap();

    // Innocent commands (new artist, new booking, changed artist) before a culprit.
    let ben = artist("Ben");
    let held = booking(&a, 1, 2, BookingStatus::Hold);
    let innocent = vec![
        log.cmd(vec![Event::ArtistCreated { artist: ben.clone() }]),
        log.cmd(vec![Event::BookingCreated { booking: held.clone().into() }]),
        log.cmd(vec![Event::ArtistUpdated { artist: Artist { version: 2, ..a.clone() } }]),
    ];
    let check_nothing_changed = || async {
        assert_same_state(s.load_tenant(t).await.unwrap(), before.clone());
        assert!(s.events_since(t, 1, 100).await.unwrap().is_empty());
        for rec in &innocent {
            assert_eq!(s.find_command(t, rec.cmd_id).await.unwrap(), None);
        }
        assert_eq!(s.load_artist(t, ben.id).await.unwrap(), None);
        assert_eq!(s.load_booking(t, held.id).await.unwrap(), None);
        assert_eq!(s.load_artist(t, a.id).await.unwrap(), Some(a.clone()));
    };

    // A reused cmd_id at the end of the batch.
    let mut reused = log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 3, 4, BookingStatus::Hold)).into() }]);
    reused.cmd_id = first.cmd_id;
    let batch: Vec<_> = innocent.iter().cloned().chain([reused]).collect();
    assert_refused(s.append(t, &batch).await, b.duplicate_code());
    check_nothing_changed().await;

    // A reused seq (a sequencer bug) at the end of the batch.
    let mut dup_seq = log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 5, 6, BookingStatus::Hold)).into() }]);
    dup_seq.events[0].seq = 1;
    let batch: Vec<_> = innocent.iter().cloned().chain([dup_seq]).collect();
    assert_refused(s.append(t, &batch).await, b.duplicate_code());
    check_nothing_changed().await;

    // Without the culprit the same seqs go through: nothing half-written blocks them.
    s.append(t, &innocent).await.unwrap();
    assert_eq!(s.load_tenant(t).await.unwrap().last_seq, 4);
    assert_eq!(s.load_booking(t, held.id).await.unwrap(), Some(held));
}

async fn tenants_append_concurrently(kind: Kind) {
    const TENANTS: usize = 4;
    const APPENDS: u64 = 200;
    let b = Backend::migrated(kind).await;
    let mut tasks = Vec::new();
    for _ in 0..TENANTS {
        let t = b.tenant().await;
        let store = b.store.clone();
        tasks.push(tokio::spawn(async move {
            let mut log = Log::new();
            let a = artist("Ana");
            store.append(t, &[log.cmd(vec![Event::ArtistCreated { artist: a.clone() }])]).await.unwrap();
            let mut bookings = Vec::new();
            for i in 1..APPENDS as i64 {
                let bk = booking(&a, i, i + 1, BookingStatus::Pencil);
                store.append(t, &[log.cmd(vec![Event::BookingCreated { booking: bk.clone().into() }])]).await.unwrap();
                bookings.push(bk);
            }
            (t, TenantState { artists: vec![a], bookings, last_seq: APPENDS, ..TenantState::default() })
        }));
    }
    let mut expected = Vec::new();
    for task in tasks {
        expected.push(task.await.unwrap());
    }
    let s = b.store();
    for (t, want) in expected {
        let events = s.events_since(t, 0, 10_000).await.unwrap();
        assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=APPENDS).collect::<Vec<_>>());
        assert_same_state(s.load_tenant(t).await.unwrap(), want);
    }
}

async fn data_survives_reopening(kind: Kind) {
    let mut b = Backend::migrated(kind).await;
    let t = b.tenant().await;
    let mut log = Log::new();
    let a = artist("Ana");
    let first = log.cmd(vec![Event::ArtistCreated { artist: a.clone() }]);
    b.store.append(t, std::slice::from_ref(&first)).await.unwrap();
    compact(b.store(), t).await.unwrap();
    let bk = booking(&a, 9, 12, BookingStatus::Confirmed);
    b.store.append(t, &[log.cmd(vec![Event::BookingCreated { booking: bk.clone().into() }])]).await.unwrap();
    let before = b.store.load_tenant(t).await.unwrap();

    b.reopen().await;
    let s = b.store();
    s.migrate().await.unwrap();
    s.ready().await.unwrap();
    assert_same_state(s.load_tenant(t).await.unwrap(), before);
    assert_eq!(s.snapshot_seq(t).await.unwrap(), 1);
    assert_eq!(s.find_command(t, first.cmd_id).await.unwrap().unwrap().last_seq, 1);
    assert_eq!(s.load_booking(t, bk.id).await.unwrap(), Some(bk));
    s.append(t, &[log.cmd(vec![Event::ArtistUpdated { artist: Artist { version: 2, ..a } }])]).await.unwrap();
    assert_eq!(s.load_tenant(t).await.unwrap().last_seq, 3);
}
