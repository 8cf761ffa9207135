//! Studio administration rows on both stores: removing a membership, the
//! pending invitations and revoking one, and calendar feeds (found by hash,
//! listed, revoked once, invisible to other studios). Instantiated as
//! `admin::postgres::<case>` and `admin::sqlite::<case>`.

use super::{Backend, Kind};
use crate::common::at;
use crate::common::identity::*;
use pt_actors::store::auth::*;
use pt_actors::store::feeds::CalendarFeedRow;
use pt_protocol::{ArtistId, TenantId};

conformance!(
    a_membership_is_removed_once,
    pending_invitations_list_newest_first_and_revoke_by_deleting,
    calendar_feeds_are_found_by_hash_listed_and_revoked_once,
);

async fn a_membership_is_removed_once(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (studio, owner, owner_m) = signed_up(s, "Removing").await;
    let cleo = user("Cleo");
    s.save_user(&cleo).await.unwrap();
    let m = membership(studio.id, cleo.id, "studio_manager", 2);
    s.save_membership(&m).await.unwrap();

    // Another studio's id finds nothing.
    assert_eq!(s.remove_membership(TenantId::new(), cleo.id).await.unwrap(), None);
    assert_eq!(s.remove_membership(studio.id, cleo.id).await.unwrap(), Some(m));
    assert_eq!(s.remove_membership(studio.id, cleo.id).await.unwrap(), None);
    assert_eq!(s.membership(studio.id, cleo.id).await.unwrap(), None);
    assert_eq!(s.members(studio.id).await.unwrap(), vec![(owner_m, owner)]);
    // The user stays (they may belong to other studios).
    assert_eq!(s.user(cleo.id).await.unwrap(), Some(cleo));
}

async fn pending_invitations_list_newest_first_and_revoke_by_deleting(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (studio, owner, _) = signed_up(s, "Inviting").await;
    let first = InvitationRow { created_at: at(1), ..invitation(studio.id, "first@example.com", owner.id) };
    let second = InvitationRow { created_at: at(2), ..invitation(studio.id, "second@example.com", owner.id) };
    let accepted = InvitationRow { created_at: at(3), ..invitation(studio.id, "third@example.com", owner.id) };
    for inv in [&first, &second, &accepted] {
        s.insert_invitation(inv).await.unwrap();
    }
    let cleo = UserRow { email: accepted.email.clone(), ..user("Cleo") };
    let m = membership(studio.id, cleo.id, &accepted.role, 4);
    s.accept_invitation(&accepted, Some(&cleo), &m, at(4)).await.unwrap();
    assert_eq!(s.pending_invitations(studio.id).await.unwrap(), vec![second.clone(), first.clone()]);

    // Another studio sees none of them and cannot revoke them.
    let (other, _, _) = signed_up(s, "Other").await;
    assert!(s.pending_invitations(other.id).await.unwrap().is_empty());
    assert_eq!(s.delete_invitation(other.id, first.id).await.unwrap(), None);
    // An accepted invitation is not revoked.
    assert_eq!(s.delete_invitation(studio.id, accepted.id).await.unwrap(), None);

    assert_eq!(s.delete_invitation(studio.id, first.id).await.unwrap(), Some(first.clone()));
    assert_eq!(s.delete_invitation(studio.id, first.id).await.unwrap(), None);
    assert_eq!(s.invitation_by_hash(&first.token_hash).await.unwrap(), None, "its token finds nothing");
    assert_eq!(s.pending_invitations(studio.id).await.unwrap(), vec![second]);
}

fn feed(tenant: TenantId, created_by: pt_protocol::ids::UserId, artist: Option<ArtistId>, h: i64) -> CalendarFeedRow {
    CalendarFeedRow {
        id: uuid::Uuid::now_v7(),
        tenant_id: tenant,
        artist_id: artist,
        name: format!("Feed {h}"),
        hash: token_hash(),
        hint: "cal_abcdef…".into(),
        created_by,
        created_at: at(h),
        revoked_at: None,
    }
}

async fn calendar_feeds_are_found_by_hash_listed_and_revoked_once(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (studio, owner, _) = signed_up(s, "Feeds").await;
    let whole = feed(studio.id, owner.id, None, 1);
    let ada = feed(studio.id, owner.id, Some(ArtistId::new()), 2);
    s.insert_calendar_feed(&whole).await.unwrap();
    s.insert_calendar_feed(&ada).await.unwrap();

    assert_eq!(s.calendar_feed_by_hash(&whole.hash).await.unwrap(), Some(whole.clone()));
    assert_eq!(s.calendar_feed_by_hash(&ada.hash).await.unwrap(), Some(ada.clone()));
    assert_eq!(s.calendar_feed_by_hash(&token_hash()).await.unwrap(), None);
    assert_eq!(s.calendar_feeds(studio.id).await.unwrap(), vec![ada.clone(), whole.clone()]);

    // Another studio lists none and revokes none.
    let (other, _, _) = signed_up(s, "Other").await;
    assert!(s.calendar_feeds(other.id).await.unwrap().is_empty());
    assert_eq!(s.revoke_calendar_feed(other.id, whole.id, at(5)).await.unwrap(), None);

    let revoked = CalendarFeedRow { revoked_at: Some(at(5)), ..whole.clone() };
    assert_eq!(s.revoke_calendar_feed(studio.id, whole.id, at(5)).await.unwrap(), Some(revoked.clone()));
    // Once: the first revocation time stays.
    assert_eq!(s.revoke_calendar_feed(studio.id, whole.id, at(6)).await.unwrap(), Some(revoked.clone()));
    assert_eq!(s.calendar_feed_by_hash(&whole.hash).await.unwrap(), Some(revoked));

    // A feed's hash is a token like any other: an API token with it is refused.
    let clash = ApiTokenRow { hash: ada.hash, ..api_token(studio.id, owner.id, "Clash", 7) };
    assert!(s.insert_api_token(&clash).await.is_err());
}
