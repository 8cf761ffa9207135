//! `GET/PATCH /studio`: the studio's settings. The tenant actor owns them
//! ([`pt_actors::domain::settings`] validates a change once); this file
//! checks the permission, translates the bodies and logs the change.

use crate::auth::Permission;
use crate::auth::service::Authenticated;
use crate::error::ApiError;
use pt_actors::Tenant;
use pt_actors::domain::settings::{self as domain, SettingsPatch};
use pt_protocol::TenantId;
use serde::{Deserialize, Serialize};

/// A studio's working week.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct WorkingWeek {
    /// ISO weekdays, 1 = Monday … 7 = Sunday, each at most once.
    #[schema(schema_with = weekdays)]
    pub days: Vec<u8>,
    /// `HH:MM`, local time of the studio.
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start: String,
    /// `HH:MM`, after `start`.
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub end: String,
}

/// The OpenAPI schema of [`WorkingWeek::days`]: 1 to 7 distinct ISO weekdays.
fn weekdays() -> utoipa::openapi::schema::ArrayBuilder {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    let day = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(7));
    ArrayBuilder::new().items(day).min_items(Some(1)).max_items(Some(7)).unique_items(true)
}

/// A studio's settings as the API shows them.
#[derive(Serialize, Debug, Clone, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StudioSettings {
    #[schema(value_type = String)]
    pub id: TenantId,
    pub name: String,
    /// IANA zone, e.g. `Europe/London`.
    pub timezone: String,
    /// How long a hold lasts when its request gives no `expiresAt`.
    pub default_hold_minutes: i64,
    /// How long the holder of a challenged 1st hold has to confirm or release it.
    pub challenge_hours: i64,
    pub working_week: WorkingWeek,
    /// Public holidays, by date: no one works them.
    pub holidays: Vec<pt_protocol::Holiday>,
}

/// A change to some settings; absent fields stay as they are.
#[derive(Deserialize, Serialize, Debug, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StudioPatch {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: Option<String>,
    #[schema(value_type = Option<pt_protocol::openapi::TimeZoneName>)]
    pub timezone: Option<String>,
    /// 1 minute to 90 days.
    #[schema(minimum = 1, maximum = 129600)]
    pub default_hold_minutes: Option<i64>,
    /// 1 hour to 30 days: how long the holder of a challenged 1st hold has to answer.
    #[schema(minimum = 1, maximum = 720)]
    pub challenge_hours: Option<i64>,
    pub working_week: Option<WorkingWeek>,
    /// Replaces the holidays (at most 400, each date once).
    #[schema(max_items = 400)]
    pub holidays: Option<Vec<pt_protocol::Holiday>>,
}

impl From<&domain::StudioSettings> for StudioSettings {
    fn from(s: &domain::StudioSettings) -> Self {
        let w = &s.working_week;
        Self {
            id: s.id,
            name: s.name.clone(),
            timezone: s.timezone.clone(),
            default_hold_minutes: s.default_hold_minutes,
            challenge_hours: s.challenge_hours,
            working_week: WorkingWeek { days: w.days.clone(), start: w.start.clone(), end: w.end.clone() },
            holidays: s.holidays.clone(),
        }
    }
}

impl From<StudioPatch> for SettingsPatch {
    fn from(p: StudioPatch) -> Self {
        Self {
            name: p.name,
            timezone: p.timezone,
            default_hold_minutes: p.default_hold_minutes,
            challenge_hours: p.challenge_hours,
            working_week: p.working_week.map(|w| domain::WorkingWeek { days: w.days, start: w.start, end: w.end }),
            holidays: p.holidays,
        }
    }
}

/// The studio's settings (any member may read them).
pub fn get(tenant: &Tenant) -> StudioSettings {
    StudioSettings::from(&*tenant.settings())
}

/// Changes the settings; needs `studio:settings`. The next hold without
/// `expiresAt` already lasts the new default.
pub async fn update(tenant: &Tenant, who: &Authenticated, patch: StudioPatch) -> Result<StudioSettings, ApiError> {
    who.require(Permission::StudioSettings)?;
    let settings = tenant.update_settings(&patch.into()).await?;
    tracing::info!(target: "pt_server::audit", actor = %who.actor(), tenant = %settings.id, "studio settings changed");
    Ok(StudioSettings::from(&*settings))
}
