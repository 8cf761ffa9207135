//! The identity rows ([`AuthStore`]) on both stores: studios, users,
//! memberships, invitations, login sessions, API tokens, and what one studio's
//! ids find in another. Instantiated as `identity::postgres::<case>` and
//! `identity::sqlite::<case>`.

use super::{Backend, Kind};
use crate::common::identity::*;
use crate::common::{artist, at};
use pt_actors::store::auth::*;
use pt_protocol::ids::{ApiTokenId, UserId};
use pt_protocol::{ArtistId, TenantId};

conformance!(
    sign_up_writes_the_studio_its_owner_and_the_membership,
    sign_up_onto_an_existing_tenant_keeps_its_created_at,
    sign_up_with_a_taken_email_writes_nothing,
    studio_settings_are_replaced,
    users_are_inserted_updated_and_unique_by_email,
    members_and_a_users_studios,
    an_invitation_is_accepted_once,
    sessions_rotate_by_compare_and_set,
    revoking_a_users_sessions_beats_a_rotation_in_flight,
    racing_rotations_and_acceptances_have_one_winner,
    api_tokens_list_newest_first_and_revoke_once,
    another_studios_ids_and_other_kinds_of_token_find_nothing,
);

#[track_caller]
fn assert_duplicate<T: std::fmt::Debug>(r: Result<T, AuthStoreError>) {
    assert!(matches!(r, Err(AuthStoreError::Duplicate(_))), "expected Duplicate, got {r:?}");
}

#[track_caller]
fn assert_stale<T: std::fmt::Debug>(r: Result<T, AuthStoreError>) {
    assert!(matches!(r, Err(AuthStoreError::Stale(_))), "expected Stale, got {r:?}");
}

async fn sign_up_writes_the_studio_its_owner_and_the_membership(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (studio, owner, m) = signed_up(s, "Northlight").await;

    assert_eq!(s.studio(studio.id).await.unwrap(), Some(studio.clone()));
    assert_eq!(s.user_by_email(&owner.email).await.unwrap(), Some(owner.clone()));
    assert_eq!(s.user(owner.id).await.unwrap(), Some(owner.clone()));
    assert_eq!(s.membership(studio.id, owner.id).await.unwrap(), Some(m.clone()));
    assert_eq!(s.memberships_of_user(owner.id).await.unwrap(), vec![m.clone()]);
    assert_eq!(s.members(studio.id).await.unwrap(), vec![(m, owner)]);

    assert_eq!(s.studio(TenantId::new()).await.unwrap(), None);
    assert_eq!(s.user_by_email("nobody@studio.example").await.unwrap(), None);
    assert_eq!(s.user(UserId::new()).await.unwrap(), None);
    assert!(s.memberships_of_user(UserId::new()).await.unwrap().is_empty());
}

async fn sign_up_onto_an_existing_tenant_keeps_its_created_at(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    // A tenant made by `ensure_tenant` has the default settings.
    let before = s.studio(t).await.unwrap().expect("the tenant row");
    assert_eq!(
        (before.name.as_str(), before.timezone.as_str(), before.default_hold_minutes, before.working_week.as_str()),
        ("Studio", "UTC", 2880, WORKING_WEEK)
    );

    let studio = StudioRow { id: t, ..studio("Renamed") };
    let owner = user("Owner");
    let m = membership(t, owner.id, "studio_owner", 0);
    s.create_studio(&studio, &owner, &m).await.unwrap();
    assert_eq!(s.studio(t).await.unwrap(), Some(StudioRow { created_at: before.created_at, ..studio }));
    assert_eq!(s.members(t).await.unwrap(), vec![(m, owner)]);
}

async fn sign_up_with_a_taken_email_writes_nothing(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (_, owner, _) = signed_up(s, "First").await;

    let second = studio("Second");
    let impostor = UserRow { email: owner.email.clone(), ..user("Impostor") };
    let r = s.create_studio(&second, &impostor, &membership(second.id, impostor.id, "studio_owner", 0)).await;
    assert_duplicate(r);
    assert_eq!(s.studio(second.id).await.unwrap(), None);
    assert_eq!(s.user(impostor.id).await.unwrap(), None);
    assert!(s.memberships_of_user(impostor.id).await.unwrap().is_empty());
    assert_eq!(s.user_by_email(&owner.email).await.unwrap(), Some(owner));

    // Onto an existing tenant: its settings stay as they were.
    let t = b.tenant().await;
    let before = s.studio(t).await.unwrap();
    let third = StudioRow { id: t, ..studio("Third") };
    let r = s.create_studio(&third, &impostor, &membership(t, impostor.id, "studio_owner", 0)).await;
    assert_duplicate(r);
    assert_eq!(s.studio(t).await.unwrap(), before);
    assert!(s.members(t).await.unwrap().is_empty());
}

async fn studio_settings_are_replaced(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (studio, _, _) = signed_up(s, "Before").await;
    let changed = StudioRow {
        name: "After".into(),
        timezone: "America/Los_Angeles".into(),
        default_hold_minutes: 90,
        working_week: r#"{"days":[2,3],"start":"08:00","end":"12:00"}"#.into(),
        created_at: at(99),
        ..studio.clone()
    };
    s.update_studio(&changed).await.unwrap();
    assert_eq!(s.studio(studio.id).await.unwrap(), Some(StudioRow { created_at: studio.created_at, ..changed }));

    let unknown = StudioRow { id: TenantId::new(), ..studio };
    s.update_studio(&unknown).await.expect_err("no such studio");
    assert_eq!(s.studio(unknown.id).await.unwrap(), None);
}

async fn users_are_inserted_updated_and_unique_by_email(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let ana = user("Ana");
    s.save_user(&ana).await.unwrap();
    assert_eq!(s.user(ana.id).await.unwrap(), Some(ana.clone()));

    // The same id: display name and password hash are replaced.
    let renamed = UserRow { display_name: "Ana Lima".into(), password_hash: None, ..ana.clone() };
    s.save_user(&renamed).await.unwrap();
    assert_eq!(s.user(ana.id).await.unwrap(), Some(renamed.clone()));
    assert_eq!(s.user_by_email(&ana.email).await.unwrap(), Some(renamed.clone()));

    // Another user with the same email is refused, and nothing is written.
    let other = UserRow { email: ana.email.clone(), ..user("Other") };
    assert_duplicate(s.save_user(&other).await);
    assert_eq!(s.user(other.id).await.unwrap(), None);
    assert_eq!(s.user_by_email(&ana.email).await.unwrap(), Some(renamed));
}

async fn members_and_a_users_studios(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (a, owner_a, m_owner_a) = signed_up(s, "A").await;
    let (bb, owner_b, _) = signed_up(s, "B").await;
    let ben = user("Ben");
    s.save_user(&ben).await.unwrap();

    let in_b = membership(bb.id, ben.id, "studio_manager", 2);
    let in_a = MembershipRow { artist_id: Some(ArtistId::new()), ..membership(a.id, ben.id, "freelancer", 1) };
    s.save_membership(&in_b).await.unwrap();
    s.save_membership(&in_a).await.unwrap();
    assert_eq!(s.memberships_of_user(ben.id).await.unwrap(), vec![in_a.clone(), in_b.clone()], "oldest first");
    assert_eq!(s.members(a.id).await.unwrap(), vec![(m_owner_a, owner_a.clone()), (in_a.clone(), ben.clone())]);

    // Saving again replaces role and artist link; `created_at` stays.
    let promoted = MembershipRow { role: "studio_manager".into(), artist_id: None, created_at: at(50), ..in_a.clone() };
    s.save_membership(&promoted).await.unwrap();
    assert_eq!(s.membership(a.id, ben.id).await.unwrap(), Some(MembershipRow { created_at: at(1), ..promoted }));
    assert_eq!(s.memberships_of_user(ben.id).await.unwrap().len(), 2);

    assert_eq!(s.membership(bb.id, owner_a.id).await.unwrap(), None);
    assert_eq!(s.members(bb.id).await.unwrap().iter().map(|(_, u)| u.id).collect::<Vec<_>>(), vec![owner_b.id, ben.id]);
}

async fn an_invitation_is_accepted_once(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (studio, owner, _) = signed_up(s, "Inviting").await;
    let cleo = user("Cleo");
    let inv = invitation(studio.id, &cleo.email, owner.id);
    s.insert_invitation(&inv).await.unwrap();
    assert_eq!(s.invitation_by_hash(&inv.token_hash).await.unwrap(), Some(inv.clone()));
    assert_eq!(s.invitation_by_hash(&token_hash()).await.unwrap(), None);

    // A new user whose email is taken: refused, and the invitation stays open.
    let taken = UserRow { email: owner.email.clone(), ..cleo.clone() };
    let m = MembershipRow { artist_id: inv.artist_id, ..membership(studio.id, cleo.id, &inv.role, 3) };
    assert_duplicate(s.accept_invitation(&inv, Some(&taken), &m, at(3)).await);
    assert_eq!(s.invitation_by_hash(&inv.token_hash).await.unwrap().unwrap().accepted_at, None);
    assert_eq!(s.membership(studio.id, cleo.id).await.unwrap(), None);

    s.accept_invitation(&inv, Some(&cleo), &m, at(3)).await.unwrap();
    assert_eq!(s.invitation_by_hash(&inv.token_hash).await.unwrap().unwrap().accepted_at, Some(at(3)));
    assert_eq!(s.user(cleo.id).await.unwrap(), Some(cleo.clone()));
    assert_eq!(s.membership(studio.id, cleo.id).await.unwrap(), Some(m.clone()));

    // Once only, with or without a user.
    assert_stale(s.accept_invitation(&inv, None, &m, at(4)).await);
    assert_stale(s.accept_invitation(&inv, Some(&user("Late")), &m, at(4)).await);
    assert_eq!(s.invitation_by_hash(&inv.token_hash).await.unwrap().unwrap().accepted_at, Some(at(3)));

    // An existing user accepts without a new user row.
    let (other, other_owner, _) = signed_up(s, "Other").await;
    let inv2 = invitation(other.id, &cleo.email, other_owner.id);
    s.insert_invitation(&inv2).await.unwrap();
    let m2 = membership(other.id, cleo.id, "studio_manager", 5);
    s.accept_invitation(&inv2, None, &m2, at(5)).await.unwrap();
    assert_eq!(s.memberships_of_user(cleo.id).await.unwrap(), vec![m, m2]);
}

async fn sessions_rotate_by_compare_and_set(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (studio, owner, _) = signed_up(s, "Sessions").await;
    let s0 = session(studio.id, owner.id);
    s.insert_session(&s0).await.unwrap();
    assert_eq!(s.session_by_token(&s0.current_hash).await.unwrap(), Some(s0.clone()));
    assert_eq!(s.session(studio.id, s0.id).await.unwrap(), Some(s0.clone()));
    assert_eq!(s.session_by_token(&token_hash()).await.unwrap(), None);

    let s1 = rotated(&s0, 2);
    s.update_session(&s1, 0).await.unwrap();
    assert_eq!(s.session_by_token(&s1.current_hash).await.unwrap(), Some(s1.clone()));
    // The rotated-away token still finds its family (that is how reuse is seen).
    assert_eq!(s.session_by_token(&s0.current_hash).await.unwrap(), Some(s1.clone()));

    // A second rotation from the same read loses.
    assert_stale(s.update_session(&rotated(&s0, 3), 0).await);
    assert_eq!(s.session(studio.id, s0.id).await.unwrap(), Some(s1.clone()));

    let s2 = rotated(&s1, 4);
    s.update_session(&s2, 1).await.unwrap();
    for h in [&s0.current_hash, &s1.current_hash, &s2.current_hash] {
        assert_eq!(s.session_by_token(h).await.unwrap(), Some(s2.clone()));
    }

    // Revocation (same generation, same hash); a second one keeps the first.
    let gone = revoked(&s2, 5, "reuse");
    s.update_session(&gone, 2).await.unwrap();
    assert_eq!(s.session(studio.id, s0.id).await.unwrap(), Some(gone.clone()));
    s.update_session(&revoked(&s2, 6, "logout"), 2).await.unwrap();
    assert_eq!(s.session_by_token(&s1.current_hash).await.unwrap(), Some(gone));

    // An unknown session is stale too.
    assert_stale(s.update_session(&session(studio.id, owner.id), 0).await);
}

async fn revoking_a_users_sessions_beats_a_rotation_in_flight(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (studio, owner, _) = signed_up(s, "Revoking").await;
    let dan = user("Dan");
    s.save_user(&dan).await.unwrap();
    s.save_membership(&membership(studio.id, dan.id, "freelancer", 1)).await.unwrap();

    let (one, two, ended) = (session(studio.id, owner.id), session(studio.id, owner.id), session(studio.id, owner.id));
    let dans = session(studio.id, dan.id);
    for x in [&one, &two, &ended, &dans] {
        s.insert_session(x).await.unwrap();
    }
    let ended = revoked(&ended, 2, "logout");
    s.update_session(&ended, 0).await.unwrap();

    let mut want = vec![one.id, two.id];
    want.sort();
    assert_eq!(s.revoke_sessions_of(studio.id, owner.id, at(3), "password_changed").await.unwrap(), want);
    for x in [&one, &two] {
        assert_eq!(s.session(studio.id, x.id).await.unwrap(), Some(revoked(x, 3, "password_changed")));
    }
    assert_eq!(s.session(studio.id, ended.id).await.unwrap(), Some(ended), "the first revocation stays");
    assert_eq!(s.session(studio.id, dans.id).await.unwrap(), Some(dans.clone()), "another user's session");
    assert!(s.revoke_sessions_of(studio.id, owner.id, at(4), "logout").await.unwrap().is_empty());

    // A rotation that read the session before it was revoked must not revive it.
    assert_stale(s.update_session(&rotated(&one, 5), 0).await);
    assert_eq!(s.session(studio.id, one.id).await.unwrap(), Some(revoked(&one, 3, "password_changed")));
}

async fn racing_rotations_and_acceptances_have_one_winner(kind: Kind) {
    const RACERS: usize = 8;
    let b = Backend::migrated(kind).await;
    let (studio, owner, _) = signed_up(b.store(), "Racing").await;
    let s0 = session(studio.id, owner.id);
    b.store.insert_session(&s0).await.unwrap();
    let inv = invitation(studio.id, "racer@studio.example", owner.id);
    b.store.insert_invitation(&inv).await.unwrap();

    let rotations: Vec<_> = (0..RACERS)
        .map(|i| {
            let (store, next) = (b.store.clone(), rotated(&s0, 2 + i as i64));
            tokio::spawn(async move {
                let r = store.update_session(&next, 0).await;
                (next, r)
            })
        })
        .collect();
    let acceptances: Vec<_> = (0..RACERS)
        .map(|_| {
            let (store, inv, racer) = (b.store.clone(), inv.clone(), user("Racer"));
            let m = membership(studio.id, racer.id, "freelancer", 3);
            tokio::spawn(async move { store.accept_invitation(&inv, Some(&racer), &m, at(3)).await.map(|()| racer) })
        })
        .collect();

    let (mut winners, mut losers) = (Vec::new(), Vec::new());
    for r in futures::future::join_all(rotations).await {
        match r.unwrap() {
            (next, Ok(())) => winners.push(next),
            (next, Err(AuthStoreError::Stale(_))) => losers.push(next),
            (_, Err(e)) => panic!("expected Ok or Stale, got {e:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one rotation wins");
    assert_eq!(b.store.session(studio.id, s0.id).await.unwrap(), Some(winners[0].clone()));
    // Only the winner's new token was indexed; the losers' find nothing.
    assert_eq!(b.store.session_by_token(&winners[0].current_hash).await.unwrap(), Some(winners[0].clone()));
    for lost in &losers {
        assert_eq!(b.store.session_by_token(&lost.current_hash).await.unwrap(), None);
    }

    let mut accepted = Vec::new();
    for r in futures::future::join_all(acceptances).await {
        match r.unwrap() {
            Ok(racer) => accepted.push(racer),
            Err(e) => assert!(matches!(e, AuthStoreError::Stale(_)), "{e:?}"),
        }
    }
    assert_eq!(accepted.len(), 1, "exactly one acceptance wins");
    let members: Vec<UserId> = b.store.members(studio.id).await.unwrap().into_iter().map(|(_, u)| u.id).collect();
    assert_eq!(members, vec![owner.id, accepted[0].id], "the losers left no user or membership behind");
}

async fn api_tokens_list_newest_first_and_revoke_once(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (studio, owner, _) = signed_up(s, "Tokens").await;
    let older = api_token(studio.id, owner.id, "Calendar sync", 1);
    let newer = ApiTokenRow { expires_at: Some(at(24 * 30)), ..api_token(studio.id, owner.id, "Payroll", 2) };
    s.insert_api_token(&older).await.unwrap();
    s.insert_api_token(&newer).await.unwrap();
    assert_eq!(s.api_token_by_hash(&older.hash).await.unwrap(), Some(older.clone()));
    assert_eq!(s.api_token_by_hash(&token_hash()).await.unwrap(), None);
    assert_eq!(s.api_tokens(studio.id).await.unwrap(), vec![newer.clone(), older.clone()]);

    let gone = ApiTokenRow { revoked_at: Some(at(5)), ..older.clone() };
    assert_eq!(s.revoke_api_token(studio.id, older.id, at(5)).await.unwrap(), Some(gone.clone()));
    assert_eq!(s.revoke_api_token(studio.id, older.id, at(6)).await.unwrap(), Some(gone.clone()), "first kept");
    assert_eq!(s.api_token_by_hash(&older.hash).await.unwrap(), Some(gone.clone()));
    assert_eq!(s.api_tokens(studio.id).await.unwrap(), vec![newer, gone], "revoked ones are listed");
    assert_eq!(s.revoke_api_token(studio.id, ApiTokenId::new(), at(6)).await.unwrap(), None);
}

async fn another_studios_ids_and_other_kinds_of_token_find_nothing(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (a, owner_a, _) = signed_up(s, "A").await;
    let (other, owner_b, m_b) = signed_up(s, "B").await;
    let session_a = session(a.id, owner_a.id);
    let token_a = api_token(a.id, owner_a.id, "A's integration", 1);
    let inv_a = invitation(a.id, "someone@studio.example", owner_a.id);
    s.insert_session(&session_a).await.unwrap();
    s.insert_api_token(&token_a).await.unwrap();
    s.insert_invitation(&inv_a).await.unwrap();

    assert_eq!(s.session(other.id, session_a.id).await.unwrap(), None);
    assert_eq!(s.revoke_api_token(other.id, token_a.id, at(2)).await.unwrap(), None);
    assert_eq!(s.api_token_by_hash(&token_a.hash).await.unwrap(), Some(token_a.clone()), "still live");
    assert!(s.api_tokens(other.id).await.unwrap().is_empty());
    assert_eq!(s.membership(other.id, owner_a.id).await.unwrap(), None);
    assert_eq!(s.members(other.id).await.unwrap(), vec![(m_b, owner_b)]);
    assert!(s.revoke_sessions_of(other.id, owner_a.id, at(2), "membership_ended").await.unwrap().is_empty());
    assert_eq!(s.session(a.id, session_a.id).await.unwrap(), Some(session_a.clone()), "still live");
    // A session of A saved under B's id changes nothing of A's.
    let moved = SessionRow { tenant_id: other.id, ..rotated(&session_a, 3) };
    assert_stale(s.update_session(&moved, 0).await);
    assert_eq!(s.session_by_token(&session_a.current_hash).await.unwrap(), Some(session_a.clone()));

    // A hash finds only its own kind of row.
    assert_eq!(s.session_by_token(&token_a.hash).await.unwrap(), None);
    assert_eq!(s.session_by_token(&inv_a.token_hash).await.unwrap(), None);
    assert_eq!(s.api_token_by_hash(&session_a.current_hash).await.unwrap(), None);
    assert_eq!(s.invitation_by_hash(&token_a.hash).await.unwrap(), None);

    // A membership of an artist that exists only in memory (still queued) is fine.
    let freelancer = user("Freelancer");
    s.save_user(&freelancer).await.unwrap();
    let m = MembershipRow { artist_id: Some(artist("Queued").id), ..membership(a.id, freelancer.id, "freelancer", 4) };
    s.save_membership(&m).await.unwrap();
    assert_eq!(s.memberships_of_user(freelancer.id).await.unwrap(), vec![m]);
}
