//! Profile and time-off commands.
//!
//! | command | needs |
//! |---|---|
//! | `updateArtistProfile` | `artists:write`; or `profile:update` for a freelancer's own artist — `dayRate` and `currency` always need `artists:write` |
//! | `requestTimeOff` | `time_off:approve` (recorded `approved`); or `availability:manage` for a freelancer's own artist (`requested`) |
//! | `decideTimeOff` | `time_off:approve` |
//! | `cancelTimeOff` | `time_off:approve` (any entry); or `availability:manage` to withdraw one's own `requested` entry |
//!
//! An artist or entry the caller may not see is `404`, whatever the command.

use super::{Command, Ctx, Decision, Done, access};
use crate::auth::Permission;
use crate::auth::service::Authenticated;
use crate::error::ApiError;
use pt_actors::{ArtistEdit, CmdInput, Tenant};
use pt_protocol::{Artist, ArtistId, TimeOffEntry, TimeOffId};

pub async fn execute(cx: Ctx<'_>, command: Command, input: CmdInput) -> Result<Done, ApiError> {
    let (who, t) = (cx.who, cx.tenant);
    match command {
        Command::UpdateArtistProfile { artist_id, patch } => {
            access::visible_artist(who, t, artist_id).await?;
            if who.owns(artist_id) {
                who.require(Permission::ProfileUpdate)?;
            } else {
                who.require(Permission::ArtistsWrite)?;
            }
            if patch.day_rate.is_some() || patch.currency.is_some() {
                who.require(Permission::ArtistsWrite)?;
            }
            let accepted = t.edit_artist(ArtistEdit::Profile { artist: artist_id, patch }, input).await?;
            Ok(Done::Artist(Decision::Accepted(accepted)))
        }
        Command::RequestTimeOff { artist_id, time_off } => {
            access::visible_artist(who, t, artist_id).await?;
            let approve = who.require(Permission::TimeOffApprove).is_ok();
            if !approve {
                if !who.owns(artist_id) {
                    return Err(who.require(Permission::TimeOffApprove).unwrap_err());
                }
                who.require(Permission::AvailabilityManage)?;
            }
            let id = TimeOffId::new();
            let edit = ArtistEdit::RequestTimeOff { artist: artist_id, id, new: time_off, approve };
            let accepted = t.edit_artist(edit, input).await?;
            Ok(Done::TimeOff(Decision::Accepted(accepted.map(|a| entry_of(&a, id)))))
        }
        Command::DecideTimeOff { id, decision } => {
            visible_entry(who, t, id).await?;
            who.require(Permission::TimeOffApprove)?;
            let accepted = t.edit_artist(ArtistEdit::DecideTimeOff { id, decision }, input).await?;
            Ok(Done::TimeOff(Decision::Accepted(accepted.map(|a| entry_of(&a, id)))))
        }
        Command::CancelTimeOff { id } => {
            let artist = visible_entry(who, t, id).await?;
            let only_requested = match who.require(Permission::TimeOffApprove) {
                Ok(()) => false,
                Err(e) if !who.owns(artist) => return Err(e),
                Err(_) => {
                    who.require(Permission::AvailabilityManage)?;
                    true
                }
            };
            let accepted = t.edit_artist(ArtistEdit::CancelTimeOff { id, only_requested }, input).await?;
            Ok(Done::TimeOff(Decision::Accepted(accepted.map(|a| entry_of(&a, id)))))
        }
        other => unreachable!("not a profile or time-off command: {}", super::kind(&other)),
    }
}

/// The artist owning time-off entry `id`, if the caller may see it (anyone's
/// with `artists:read`, a freelancer's own); else `404`.
pub async fn visible_entry(who: &Authenticated, t: &Tenant, id: TimeOffId) -> Result<ArtistId, ApiError> {
    let artists = t.list_artists().await?;
    let owner = artists.iter().find(|a| a.time_off.iter().any(|e| e.id == id)).map(|a| a.id);
    match owner {
        Some(a) if who.owns(a) || who.require(Permission::ArtistsRead).is_ok() => Ok(a),
        _ => Err(ApiError::not_found("time off")),
    }
}

/// Entry `id` of `artist`, with whose it is.
pub fn entry_of(artist: &Artist, id: TimeOffId) -> TimeOffEntry {
    let time_off = artist.time_off.iter().find(|e| e.id == id).cloned().expect("the command just wrote this entry");
    TimeOffEntry { artist_id: artist.id, artist_name: artist.name.clone(), time_off }
}
