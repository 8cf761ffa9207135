//! The projected state on both stores: every field round-trips, the latest
//! event is the durable state, tenants see only their own rows, and the
//! double-booking guard.

use super::*;

conformance!(
    round_trip_with_every_field,
    the_latest_event_is_the_durable_state,
    tenants_see_only_their_own_rows,
    double_bookings_are_refused_but_rebooking_in_one_batch_is_not,
);

async fn round_trip_with_every_field(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);

    let full = Artist {
        time_off: vec![
            pt_protocol::TimeOff::approved(pt_protocol::TimeRange { start: at(48), end: at(96) }),
            pt_protocol::TimeOff::approved(pt_protocol::TimeRange { start: at(200), end: at(201) }),
        ],
        ..artist("Zoë Ångström")
    };
    let bare = Artist {
        email: None,
        skills: vec![],
        timezone: "Asia/Tokyo".into(),
        active: false,
        archived_at: Some(at(3)),
        ..artist("Bare")
    };
    let unicode =
        Artist { skills: vec!["合成".into(), "rigging".into(), "éclairage 🎬".into()], ..artist("Łukasz") };
    let confirmed = Booking {
        notes: Some("Notes: ünïcödé — « 撮影 » 🎥\nsecond line, 'quotes' and \"doubles\"".into()),
        title: "Shot 010 — 合成".into(),
        ..booking(&full, 9, 17, BookingStatus::Confirmed)
    };
    let hold = Booking { project_id: None, ..booking(&full, 9, 17, BookingStatus::Hold) };
    let pencil = booking(&unicode, 9, 17, BookingStatus::Pencil);
    assert!(hold.expires_at.is_some() && pencil.expires_at.is_none());

    let mut log = Log::new();
    let batch = vec![
        log.cmd(vec![
            Event::ArtistCreated { artist: full.clone() },
            Event::ArtistCreated { artist: bare.clone() },
            Event::ArtistCreated { artist: unicode.clone() },
        ]),
        log.cmd(vec![Event::BookingCreated { booking: confirmed.clone().into() }]),
        log.cmd(vec![Event::BookingCreated { booking: hold.clone().into() }]),
        log.cmd(vec![Event::BookingCreated { booking: pencil.clone().into() }]),
    ];
    s.append(t, &batch).await.unwrap();

    let want = TenantState {
        artists: vec![full.clone(), bare.clone(), unicode.clone()],
        bookings: vec![confirmed.clone(), hold.clone(), pencil.clone()],
        last_seq: 6,
        ..TenantState::default()
    };
    assert_same_state(s.load_tenant(t).await.unwrap(), want);
    assert_eq!(s.load_artist(t, bare.id).await.unwrap(), Some(bare));
    assert_eq!(s.load_artist(t, unicode.id).await.unwrap(), Some(unicode));
    assert_eq!(s.load_booking(t, confirmed.id).await.unwrap(), Some(confirmed));
    assert_eq!(s.load_booking(t, hold.id).await.unwrap(), Some(hold));
    assert_eq!(s.load_booking(t, BookingId::new()).await.unwrap(), None);
    assert_eq!(s.load_artist(t, ArtistId::new()).await.unwrap(), None);
    let all: Vec<EventEnvelope> = batch.iter().flat_map(|r| r.events.clone()).collect();
    assert_eq!(s.events_since(t, 0, 100).await.unwrap(), all, "events come back exactly");

    // An empty tenant loads empty at seq 0; ensure_tenant is idempotent; an empty batch is fine.
    let empty = b.tenant().await;
    s.ensure_tenant(empty, "Studio again").await.unwrap();
    assert_eq!(s.load_tenant(empty).await.unwrap(), TenantState::default());
    s.append(empty, &[]).await.unwrap();
    assert_eq!(s.snapshot_seq(empty).await.unwrap(), 0);
}

async fn the_latest_event_is_the_durable_state(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();

    let a = artist("Ana");
    let a2 = Artist { name: "Ana B.".into(), version: 2, ..a.clone() };
    let bk = booking(&a, 9, 12, BookingStatus::Hold);
    let b_pencil = changed(&bk, |b| {
        b.status = BookingStatus::Pencil;
        b.expires_at = None;
    });
    let b_moved = changed(&b_pencil, |b| {
        b.start_time = at(13);
        b.end_time = at(15);
        b.notes = Some("moved".into());
    });
    let b_confirmed = status_changed(&b_moved, BookingStatus::Confirmed);
    let final_booking = b_confirmed.booking().unwrap().clone();
    s.append(
        t,
        &[
            log.cmd(vec![
                Event::ArtistCreated { artist: a.clone() },
                Event::BookingCreated { booking: bk.clone().into() },
            ]),
            log.cmd(vec![
                Event::ArtistUpdated { artist: a2.clone() },
                Event::BookingStatusChanged { booking: b_pencil.into(), from: BookingStatus::Hold },
                Event::BookingUpdated { booking: b_moved.into() },
            ]),
            log.cmd(vec![b_confirmed]),
        ],
    )
    .await
    .unwrap();
    assert_eq!(s.load_artist(t, a.id).await.unwrap(), Some(a2.clone()));
    assert_eq!(s.load_booking(t, bk.id).await.unwrap(), Some(final_booking.clone()));
    assert_same_state(
        s.load_tenant(t).await.unwrap(),
        TenantState {
            artists: vec![a2.clone()],
            bookings: vec![final_booking.clone()],
            last_seq: 6,
            ..TenantState::default()
        },
    );

    // A later batch replaces it again; archiving keeps the artist.
    let cancelled = status_changed(&final_booking, BookingStatus::Cancelled);
    let archived = Artist { archived_at: Some(at(20)), active: false, version: 3, ..a2 };
    s.append(t, &[log.cmd(vec![cancelled.clone()]), log.cmd(vec![Event::ArtistArchived { artist: archived.clone() }])])
        .await
        .unwrap();
    assert_eq!(s.load_booking(t, bk.id).await.unwrap().as_ref(), cancelled.booking());
    assert_eq!(s.load_artist(t, a.id).await.unwrap(), Some(archived));
    assert_eq!(s.load_tenant(t).await.unwrap().last_seq, 8);
}

async fn tenants_see_only_their_own_rows(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (t1, t2) = (b.tenant().await, b.tenant().await);

    // Both logs start at seq 1: seq is per tenant.
    let (mut log1, mut log2) = (Log::new(), Log::new());
    let (a1, a2) = (artist("One"), artist("Two"));
    let (b1, b2) = (booking(&a1, 9, 17, BookingStatus::Confirmed), booking(&a2, 9, 17, BookingStatus::Confirmed));
    let r1 = log1
        .cmd(vec![Event::ArtistCreated { artist: a1.clone() }, Event::BookingCreated { booking: b1.clone().into() }]);
    let r2 = log2
        .cmd(vec![Event::ArtistCreated { artist: a2.clone() }, Event::BookingCreated { booking: b2.clone().into() }]);
    s.append(t1, std::slice::from_ref(&r1)).await.unwrap();
    s.append(t2, std::slice::from_ref(&r2)).await.unwrap();
    s.save_snapshot(t1, &s.load_tenant(t1).await.unwrap()).await.unwrap();

    let want1 =
        TenantState { artists: vec![a1.clone()], bookings: vec![b1.clone()], last_seq: 2, ..TenantState::default() };
    assert_same_state(s.load_tenant(t1).await.unwrap(), want1);
    assert_same_state(
        s.load_tenant(t2).await.unwrap(),
        TenantState { artists: vec![a2.clone()], bookings: vec![b2.clone()], last_seq: 2, ..TenantState::default() },
    );
    assert_eq!(s.snapshot_seq(t2).await.unwrap(), 0);
    assert_eq!(s.load_booking(t2, b1.id).await.unwrap(), None);
    assert_eq!(s.load_artist(t1, a2.id).await.unwrap(), None);
    assert_eq!(s.find_command(t2, r1.cmd_id).await.unwrap(), None);
    assert!(s.entity_events(t1, b2.id.0).await.unwrap().is_empty());
    assert_eq!(s.events_since(t1, 0, 10).await.unwrap(), r1.events);
    assert_eq!(s.events_since(t2, 0, 10).await.unwrap(), r2.events);

    // A booking may not point at another tenant's artist; an unknown tenant cannot append.
    let stray = booking(&a1, 1, 2, BookingStatus::Hold);
    assert_refused(
        s.append(t2, &[log2.cmd(vec![Event::BookingCreated { booking: stray.into() }])]).await,
        b.foreign_key_code(),
    );
    let unknown = TenantId::new();
    let orphan = Log::new().cmd(vec![Event::ArtistCreated { artist: artist("Nobody") }]);
    assert_refused(s.append(unknown, &[orphan]).await, b.foreign_key_code());
}

async fn double_bookings_are_refused_but_rebooking_in_one_batch_is_not(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();
    let (a, ben) = (artist("Ana"), artist("Ben"));
    let old = booking(&a, 9, 17, BookingStatus::Confirmed);
    let bens = booking(&ben, 9, 17, BookingStatus::Pencil);
    s.append(
        t,
        &[log.cmd(vec![
            Event::ArtistCreated { artist: a.clone() },
            Event::ArtistCreated { artist: ben.clone() },
            Event::BookingCreated { booking: old.clone().into() },
            Event::BookingCreated { booking: bens.clone().into() },
        ])],
    )
    .await
    .unwrap();

    // Touching ranges, holds, finished bookings and another artist's slot never clash.
    let fine = [
        log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 17, 18, BookingStatus::Pencil)).into() }]),
        log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 8, 9, BookingStatus::Confirmed)).into() }]),
        log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 10, 12, BookingStatus::Hold)).into() }]),
        log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 11, 12, BookingStatus::Hold)).into() }]),
        log.cmd(vec![status_changed(&booking(&a, 9, 13, BookingStatus::Hold), BookingStatus::Cancelled)]),
    ];
    s.append(t, &fine).await.expect("no overlap among exclusive bookings");

    // An overlap, with a stored booking or inside the batch, refuses the whole batch.
    let before = s.load_tenant(t).await.unwrap();
    let next = log.next_seq;
    let innocent = log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 1, 2, BookingStatus::Hold)).into() }]);
    let clash = log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 16, 18, BookingStatus::Pencil)).into() }]);
    assert_double_booking(s.append(t, &[innocent.clone(), clash]).await);
    log.next_seq = next;
    let p1 = log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 20, 22, BookingStatus::Pencil)).into() }]);
    let p2 = log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 21, 23, BookingStatus::Confirmed)).into() }]);
    assert_double_booking(s.append(t, &[p1, p2]).await);
    log.next_seq = next;
    assert_same_state(s.load_tenant(t).await.unwrap(), before);
    assert_eq!(s.find_command(t, innocent.cmd_id).await.unwrap(), None);

    // Cancel and rebook one slot, and move Ben's pencil onto Ana's freed slot
    // while a new booking takes Ben's: only the batch's final states count.
    let rebooked = booking(&a, 9, 17, BookingStatus::Pencil);
    let moved = changed(&bens, |x| x.artist_id = a.id);
    let batch = [
        log.cmd(vec![status_changed(&old, BookingStatus::Cancelled)]),
        log.cmd(vec![Event::BookingCreated { booking: rebooked.clone().into() }]),
        log.cmd(vec![status_changed(&rebooked, BookingStatus::Cancelled)]),
        log.cmd(vec![Event::BookingMoved { booking: moved.clone().into(), from_artist_id: ben.id }]),
        log.cmd(vec![Event::BookingCreated { booking: (booking(&ben, 9, 17, BookingStatus::Confirmed)).into() }]),
    ];
    s.append(t, &batch).await.expect("only the final states of a batch are checked");
    assert_eq!(s.load_booking(t, moved.id).await.unwrap(), Some(moved));
    let state = s.load_tenant(t).await.unwrap();
    assert_eq!(state.last_seq, 4 + fine.len() as u64 + batch.len() as u64);
}
