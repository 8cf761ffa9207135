//! Batches in turn (`Store::append_in_turn`, the writer's pipeline) on both
//! stores: a batch commits only after it is told the one before it did, a
//! batch told "no" leaves nothing behind, and activation (`load_tenant`)
//! waits for a batch in flight instead of reading around it.

use super::*;
use pt_actors::store::{NOT_IN_TURN, Turn};
use tokio::sync::oneshot;

conformance!(
    a_batch_commits_only_in_its_turn,
    a_batch_told_no_leaves_nothing_behind,
    activation_waits_for_a_batch_in_flight,
);

/// Starts `append_in_turn` of `batch`; returns the "staged" signal, the "go"
/// sender and the append's handle.
fn start(
    store: Arc<dyn Store>,
    t: TenantId,
    batch: Vec<pt_actors::store::CommandRecord>,
) -> (oneshot::Receiver<()>, oneshot::Sender<bool>, tokio::task::JoinHandle<Result<(), StoreError>>) {
    let (staged_tx, staged) = oneshot::channel();
    let (go, go_rx) = oneshot::channel();
    let task =
        tokio::spawn(async move { store.append_in_turn(t, &batch, Turn { staged: staged_tx, go: go_rx }).await });
    (staged, go, task)
}

async fn a_batch_commits_only_in_its_turn(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let t = b.tenant().await;
    let mut log = Log::new();
    let a = artist("Ana");
    let created = booking(&a, 1, 2, BookingStatus::Pencil);
    let first = log.cmd(vec![
        Event::ArtistCreated { artist: a.clone() },
        Event::BookingCreated { booking: created.clone().into() },
    ]);
    let moved = changed(&created, |x| x.end_time = at(3));
    let second = log.cmd(vec![Event::BookingUpdated { booking: moved.clone().into() }]);

    let (staged1, go1, task1) = start(b.store.clone(), t, vec![first]);
    staged1.await.expect("the first batch's statements ran");
    // The second batch's statements run while the first has not committed;
    // the store holds its COMMIT until it is told to go.
    let (staged2, go2, task2) = start(b.store.clone(), t, vec![second]);
    go1.send(true).unwrap();
    task1.await.unwrap().expect("the first batch commits");
    staged2.await.expect("the second batch's statements ran");
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(!task2.is_finished(), "a batch does not commit before its turn");
    let visible = b.store().events_since(t, 0, 10).await.unwrap();
    assert_eq!(visible.len(), 2, "only the first batch is visible");
    go2.send(true).unwrap();
    task2.await.unwrap().expect("the second batch commits in its turn");

    let state = b.store().load_tenant(t).await.unwrap();
    assert_eq!(state.last_seq, 3);
    assert_eq!(state.bookings, vec![moved]);
    let seqs: Vec<u64> = b.store().events_since(t, 0, 10).await.unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3], "the log has no gap");
}

async fn a_batch_told_no_leaves_nothing_behind(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let t = b.tenant().await;
    let mut log = Log::new();
    let a = artist("Ana");
    let first = log.cmd(vec![Event::ArtistCreated { artist: a.clone() }]);
    b.store().append(t, &[first]).await.unwrap();
    let refused =
        log.cmd(vec![Event::BookingCreated { booking: (booking(&a, 1, 2, BookingStatus::Confirmed)).into() }]);
    let cmd = refused.cmd_id;

    let (staged, go, task) = start(b.store.clone(), t, vec![refused]);
    staged.await.expect("its statements ran");
    go.send(false).unwrap();
    match task.await.unwrap() {
        Err(StoreError::Unavailable(m)) => assert_eq!(m, NOT_IN_TURN),
        other => panic!("a batch told no answers NOT_IN_TURN, got {other:?}"),
    }
    let state = b.store().load_tenant(t).await.unwrap();
    assert_eq!((state.last_seq, state.bookings.len()), (1, 0), "nothing of it was written");
    assert_eq!(b.store().find_command(t, cmd).await.unwrap(), None);
    assert_eq!(b.store().events_since(t, 0, 10).await.unwrap().len(), 1);
}

async fn activation_waits_for_a_batch_in_flight(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let t = b.tenant().await;
    let mut log = Log::new();
    let a = artist("Ana");
    let batch = log.cmd(vec![Event::ArtistCreated { artist: a.clone() }]);

    let (staged, go, task) = start(b.store.clone(), t, vec![batch]);
    staged.await.expect("its statements ran");
    let store = b.store.clone();
    let load = tokio::spawn(async move { store.load_tenant(t).await });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    go.send(true).unwrap();
    task.await.unwrap().expect("commits");
    let state = load.await.unwrap().unwrap();
    // Never a state that misses the batch while the log has it. PostgreSQL
    // has the batch's rows in flight, so activation waits for them; the
    // embedded store writes a batch only once it is its turn, so reading
    // before it is consistent there.
    assert_eq!(state.last_seq, state.artists.len() as u64, "activation read around a batch in flight");
    if matches!(kind, Kind::Postgres) {
        assert_eq!(state.last_seq, 1, "activation waits for the batch in flight");
    }
}
