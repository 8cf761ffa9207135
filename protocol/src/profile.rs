//! Artist profiles: what a scheduler reads before booking someone, and the
//! day rate only owners and managers see.

use crate::ids::ArtistId;
use serde::{Deserialize, Serialize};

/// A skill with how good and how experienced the artist is at it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct SkillLevel {
    /// A skill tag (trimmed and lower-cased, 1 to 64 characters).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 64,
            pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
        )
    )]
    pub name: String,
    /// 1 (junior) to 5 (lead).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub level: u8,
    /// Years of experience, 0 to 80.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 80))]
    pub years: Option<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PortfolioKind {
    Reel,
    Image,
    Website,
    #[default]
    Other,
}

/// A link to the artist's work.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct PortfolioLink {
    /// An `http` or `https` URL of at most 2,000 characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000, pattern = r"^https?://[^\s]+$"))]
    pub url: String,
    /// 1 to 200 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub title: String,
    pub kind: PortfolioKind,
}

/// What a day of the artist costs. Owners and managers only.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DayRate {
    /// Whole units of `currency`.
    pub amount: u32,
    /// ISO 4217 code, upper case (`GBP`).
    pub currency: String,
}

/// The profile fields stored with an artist (the rate is kept apart, see
/// [`crate::Artist::rate`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ArtistProfile {
    pub bio: String,
    /// Levels of the artist's skills, by name; every name is one of the artist's skills.
    pub skills: Vec<SkillLevel>,
    pub portfolio: Vec<PortfolioLink>,
    pub location: Option<String>,
    /// Lower-case language codes or names (`en`, `fr`).
    pub languages: Vec<String>,
    pub avatar_url: Option<String>,
}

impl ArtistProfile {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// `GET /api/v1/artist-profiles/{artistId}`: the profile, the artist's name,
/// skills and zone; `dayRate` and `currency` are `null` for a freelancer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileView {
    pub artist_id: ArtistId,
    pub name: String,
    pub timezone: String,
    pub bio: String,
    pub skills: Vec<SkillLevel>,
    pub portfolio: Vec<PortfolioLink>,
    pub location: Option<String>,
    pub languages: Vec<String>,
    pub avatar_url: Option<String>,
    pub day_rate: Option<u32>,
    pub currency: Option<String>,
    /// The artist's version; send it back in a patch to refuse lost updates.
    pub version: u64,
}

/// Change some profile fields; absent fields stay. An owner (`artists:write`)
/// changes any profile; a freelancer their own, except `dayRate` and
/// `currency`. Managers read profiles and rates but do not change them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, optional_fields)]
pub struct ProfilePatch {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: Option<u64>,
    /// At most 5,000 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub bio: Option<String>,
    /// Replaces the skills (and so the artist's skill tags): at most 50.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub skills: Option<Vec<SkillLevel>>,
    /// At most 20 links.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub portfolio: Option<Vec<PortfolioLink>>,
    /// `null` clears it; at most 200 characters.
    #[serde(default, deserialize_with = "crate::command::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 200))]
    pub location: Option<Option<String>>,
    /// At most 20, each 2 to 35 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub languages: Option<Vec<String>>,
    /// `null` clears it; an `http`/`https` URL.
    #[serde(default, deserialize_with = "crate::command::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 2000))]
    pub avatar_url: Option<Option<String>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::TimeZoneName>))]
    pub timezone: Option<String>,
    /// `null` clears the rate (and currency). Owners only (`artists:write`).
    #[serde(default, deserialize_with = "crate::command::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, maximum = 1000000))]
    pub day_rate: Option<Option<u32>>,
    /// ISO 4217 code (`GBP`); required with a first `dayRate`. Owners only (`artists:write`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[A-Z]{3}$"))]
    pub currency: Option<String>,
}
