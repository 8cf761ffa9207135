//! Snapshots on both stores: loading with the events after them, falling back
//! from a corrupt one, compaction that changes nothing that loads.

use super::*;

conformance!(
    snapshots_load_with_the_events_after_them,
    a_corrupt_snapshot_falls_back_safely,
    compaction_does_not_change_what_loads,
);

async fn snapshots_load_with_the_events_after_them(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();
    let a = artist("Ana");
    let bk = booking(&a, 9, 12, BookingStatus::Hold);
    s.append(
        t,
        &[log.cmd(vec![
            Event::ArtistCreated { artist: a.clone() },
            Event::BookingCreated { booking: bk.clone().into() },
        ])],
    )
    .await
    .unwrap();

    // load_tenant starts from the snapshot: one carrying an artist the log does
    // not know (never so in real life) shows it.
    let at2 = s.load_tenant(t).await.unwrap();
    let ghost = artist("Only in the snapshot");
    let marked = TenantState { artists: vec![a.clone(), ghost], ..at2.clone() };
    s.save_snapshot(t, &marked).await.unwrap();
    assert_eq!(s.snapshot_seq(t).await.unwrap(), 2);
    assert_same_state(s.load_tenant(t).await.unwrap(), marked.clone());

    // Events after the snapshot are replayed on top of it.
    let pencil = status_changed(&bk, BookingStatus::Pencil);
    let ben = artist("Ben");
    let later = [
        log.cmd(vec![pencil.clone()]),
        log.cmd(vec![Event::ArtistCreated { artist: ben.clone() }]),
        log.cmd(vec![Event::BookingCreated { booking: (booking(&ben, 1, 2, BookingStatus::Confirmed)).into() }]),
    ];
    s.append(t, &later).await.unwrap();
    let mut want = marked.clone();
    want.apply_all(&later.iter().flat_map(|r| r.events.clone()).collect::<Vec<_>>());
    assert_eq!((want.last_seq, want.artists.len(), want.bookings.len()), (5, 3, 2));
    let got = s.load_tenant(t).await.unwrap();
    assert_same_state(got.clone(), want.clone());
    assert_eq!(got.bookings.iter().find(|x| x.id == bk.id), pencil.booking());

    // More snapshots: the newest counts, at most two are kept, re-saving one seq is fine.
    s.save_snapshot(t, &got).await.unwrap();
    s.save_snapshot(t, &got).await.unwrap();
    let cancelled = status_changed(pencil.booking().unwrap(), BookingStatus::Cancelled);
    s.append(t, &[log.cmd(vec![cancelled.clone()])]).await.unwrap();
    let at6 = s.load_tenant(t).await.unwrap();
    s.save_snapshot(t, &at6).await.unwrap();
    assert_eq!(s.snapshot_seq(t).await.unwrap(), 6);
    assert_eq!(b.snapshot_seqs(t).await, vec![6, 5]);
    assert_eq!(s.load_tenant(t).await.unwrap().bookings.iter().find(|x| x.id == bk.id), cancelled.booking());
    // An older snapshot saved late (a slow compaction) does not become the newest.
    s.save_snapshot(t, &at2).await.unwrap();
    assert_eq!(s.snapshot_seq(t).await.unwrap(), 6);
    assert_same_state(s.load_tenant(t).await.unwrap(), at6);
}

async fn a_corrupt_snapshot_falls_back_safely(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();
    let a = artist("Ana");
    let bk = booking(&a, 9, 12, BookingStatus::Hold);
    s.append(
        t,
        &[log.cmd(vec![
            Event::ArtistCreated { artist: a.clone() },
            Event::BookingCreated { booking: bk.clone().into() },
        ])],
    )
    .await
    .unwrap();
    compact(s, t).await.unwrap();
    let pencil = status_changed(&bk, BookingStatus::Pencil);
    s.append(t, &[log.cmd(vec![pencil.clone()])]).await.unwrap();
    compact(s, t).await.unwrap();
    let confirmed = status_changed(pencil.booking().unwrap(), BookingStatus::Confirmed);
    s.append(t, &[log.cmd(vec![confirmed.clone()])]).await.unwrap();
    let want = TenantState {
        artists: vec![a.clone()],
        bookings: vec![confirmed.booking().unwrap().clone()],
        last_seq: 4,
        ..TenantState::default()
    };
    assert_eq!(b.snapshot_seqs(t).await, vec![3, 2]);
    assert_same_state(s.load_tenant(t).await.unwrap(), want.clone());

    // The newest fails its checksum: the load is still exact.
    b.corrupt_snapshot(t, 3).await;
    assert_same_state(s.load_tenant(t).await.unwrap(), want.clone());
    // Both do: still exact.
    b.corrupt_snapshot(t, 2).await;
    assert_same_state(s.load_tenant(t).await.unwrap(), want.clone());
    // A fresh compaction writes a good one again; an older save evicts nothing newer.
    assert_eq!(compact(s, t).await.unwrap(), 4);
    assert_eq!(b.snapshot_seqs(t).await, vec![4, 3]);
    assert_same_state(s.load_tenant(t).await.unwrap(), want.clone());
    s.save_snapshot(t, &TenantState { artists: vec![a], bookings: vec![bk], last_seq: 2, ..TenantState::default() })
        .await
        .unwrap();
    assert_eq!(b.snapshot_seqs(t).await, vec![4, 3]);
    assert_same_state(s.load_tenant(t).await.unwrap(), want);
}

async fn compaction_does_not_change_what_loads(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();
    let artists: Vec<Artist> = (0..5).map(|i| artist(&format!("Artist {i}"))).collect();
    s.append(t, &[log.cmd(artists.iter().map(|a| Event::ArtistCreated { artist: a.clone() }).collect())])
        .await
        .unwrap();
    let mut live: Vec<Booking> = Vec::new();
    for round in 0..6i64 {
        let mut batch = Vec::new();
        for (i, a) in artists.iter().enumerate() {
            let bk = booking(a, round * 10 + i as i64, round * 10 + i as i64 + 2, BookingStatus::Hold);
            batch.push(log.cmd(vec![Event::BookingCreated { booking: bk.clone().into() }]));
            live.push(bk);
        }
        // Change some earlier bookings too, so snapshots and tails overlap on entities.
        if let Some(old) = live.get(round as usize * 2).cloned() {
            let next = status_changed(&old, BookingStatus::Pencil);
            live[round as usize * 2] = next.booking().unwrap().clone();
            batch.push(log.cmd(vec![next]));
        }
        s.append(t, &batch).await.unwrap();
        let before = s.load_tenant(t).await.unwrap();
        assert_eq!(compact(s, t).await.unwrap(), before.last_seq);
        assert_eq!(s.snapshot_seq(t).await.unwrap(), before.last_seq);
        assert_same_state(s.load_tenant(t).await.unwrap(), before);
    }
    let state = s.load_tenant(t).await.unwrap();
    assert_same_state(
        state,
        TenantState { artists, bookings: live, last_seq: log.next_seq - 1, ..TenantState::default() },
    );
}
