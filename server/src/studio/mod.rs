//! # Studio administration
//!
//! What a studio's owners and managers change about their studio, one file
//! per concept, each with the request and answer bodies it uses:
//! * [`settings`] — name, time zone, default hold, working week. The studio's
//!   tenant actor owns them ([`pt_actors::Tenant::update_settings`]); this
//!   module checks the permission and translates the bodies.
//! * [`members`] — who belongs to the studio, their role and linked artist;
//!   removing a member.
//! * [`invitations`] — inviting someone by email, the pending list, revoking
//!   (accepting is a sign-in: [`crate::auth::signup`]).
//! * [`api_tokens`] — integrations' `pt_…` tokens.
//! * [`feeds`] — secret calendar (iCalendar) feed URLs.
//!
//! Every function acts on the caller's own studio (the bearer token's): there
//! is no path across studios. Credentials and sessions are [`crate::auth`]'s;
//! when a change here ends someone's access, it asks the
//! [`AuthService`](crate::auth::service::AuthService) to revoke it.

pub mod api_tokens;
pub mod feeds;
pub mod invitations;
pub mod members;
pub mod settings;

use crate::auth::service::store_error;
use crate::error::ApiError;
use pt_actors::store::Store;
use pt_protocol::{ArtistId, TenantId};

/// `not_found` unless the studio has this (unarchived) artist: a member is
/// only ever linked to one of their own studio's artists.
async fn studio_artist(store: &dyn Store, tenant: TenantId, artist: ArtistId) -> Result<(), ApiError> {
    match store.load_artist(tenant, artist).await.map_err(store_error)? {
        Some(a) if a.archived_at.is_none() => Ok(()),
        _ => Err(ApiError::not_found("artist")),
    }
}
