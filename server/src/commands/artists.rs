//! Artist commands: create, change the profile, archive.
//!
//! | command | needs |
//! |---|---|
//! | `createArtist` | `artists:write` |
//! | `updateArtist` | see [`access::may_patch_artist`]: `artists:write`, or a freelancer's own profile fields |
//! | `archiveArtist` | `artists:write` (an artist the caller may not see is `404` first) |

use super::{Command, Ctx, Decision, access};
use crate::auth::Permission;
use crate::error::ApiError;
use pt_actors::CmdInput;
use pt_protocol::Artist;

pub async fn execute(cx: Ctx<'_>, command: Command, input: CmdInput) -> Result<Decision<Artist>, ApiError> {
    let (who, t) = (cx.who, cx.tenant);
    let accepted = match command {
        Command::CreateArtist { artist } => {
            who.require(Permission::ArtistsWrite)?;
            t.create_artist(artist, input).await?
        }
        Command::UpdateArtist { id, patch } => {
            t.live_artist(id).await?;
            access::may_patch_artist(who, id, &patch)?;
            t.update_artist(id, patch, input).await?
        }
        Command::ArchiveArtist { id } => {
            access::visible_artist(who, t, id).await?;
            who.require(Permission::ArtistsWrite)?;
            t.archive_artist(id, input).await?
        }
        other => unreachable!("not an artist command: {}", super::kind(&other)),
    };
    Ok(Decision::Accepted(accepted))
}
