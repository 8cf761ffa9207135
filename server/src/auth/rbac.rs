//! Roles and permissions: who may do what inside one studio.
//!
//! The table is the specification's ("Authorization Layers"):
//!
//! | role             | permissions |
//! |------------------|-------------|
//! | `studio_owner`   | `*` — everything in the studio |
//! | `studio_manager` | `bookings:create`, `bookings:read`, `bookings:update`, `artists:read`, `projects:*` |
//! | `freelancer`     | `bookings:read:own`, `bookings:respond`, `profile:update`, `availability:manage` |
//!
//! Permissions are a closed enum with stable string names (they appear in 403
//! bodies and in API-token scopes), so a typo is a compile error, not a silent
//! denial. `projects:*` is spelled out as [`Permission::ProjectsRead`] and
//! [`Permission::ProjectsWrite`] so a route asks for exactly what it does.
//!
//! Tenancy is not decided here: a principal only ever acts inside its own
//! tenant, and ids from another tenant are `404` before any permission check
//! (a `403` would confirm that the id exists).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::Principal;

/// A member's role in one studio. A user may hold different roles in
/// different studios; the role travels with the token, per tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything inside the studio: settings, members, API tokens.
    StudioOwner,
    /// Runs the schedule: bookings, projects; reads artists.
    StudioManager,
    /// An artist: their own bookings, responses, profile and availability.
    Freelancer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::StudioOwner, Role::StudioManager, Role::Freelancer];

    /// The stable name (`studio_owner`, …) used in tokens, the database and JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::StudioOwner => "studio_owner",
            Role::StudioManager => "studio_manager",
            Role::Freelancer => "freelancer",
        }
    }

    /// Permissions granted directly (before implications such as
    /// `bookings:read` ⇒ `bookings:read:own`).
    pub const fn grants(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::StudioOwner => &Permission::ALL,
            Role::StudioManager => &[
                BookingsCreate,
                BookingsRead,
                BookingsUpdate,
                ArtistsRead,
                ProjectsRead,
                ProjectsWrite,
                TimeOffApprove,
                CalendarFeedsManage,
                JobsManage,
                JobsApply,
            ],
            Role::Freelancer => &[BookingsReadOwn, BookingsRespond, ProfileUpdate, AvailabilityManage, JobsApply],
        }
    }

    /// Whether this role may do `permission`.
    pub fn can(self, permission: Permission) -> bool {
        self.grants().iter().any(|granted| granted.implies(permission))
    }

    /// Whether this role can do everything `other` can: the rule for handing
    /// out a role (invitations, API tokens). Freelancer is not below manager:
    /// a manager cannot respond to bookings as an artist.
    pub fn includes(self, other: Role) -> bool {
        Permission::ALL.iter().all(|&p| !other.can(p) || self.can(p))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The string is not one of the three role names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{0}` (expected studio_owner, studio_manager or freelancer)")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// One thing a principal may be allowed to do inside its studio.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    BookingsCreate,
    /// Read every booking in the studio.
    BookingsRead,
    /// Read bookings of the artist linked to the principal (freelancers).
    BookingsReadOwn,
    /// Change, move, confirm or cancel bookings.
    BookingsUpdate,
    /// Accept or decline a booking offered to the principal's own artist.
    BookingsRespond,
    ArtistsRead,
    ArtistsWrite,
    ProjectsRead,
    ProjectsWrite,
    /// Studio name, timezone, hold duration, working week.
    StudioSettings,
    /// Invite, remove and change the role of members.
    MembersManage,
    /// Create and revoke API tokens for integrations.
    ApiTokensManage,
    /// Update the principal's own artist profile.
    ProfileUpdate,
    /// Manage the principal's own availability.
    AvailabilityManage,
    /// Approve or decline time-off requests; record anyone's time off.
    TimeOffApprove,
    /// Create, list and revoke the studio's calendar (iCalendar) feeds.
    CalendarFeedsManage,
    /// Subscribe URLs to the studio's events (webhooks), read their delivery
    /// logs, redeliver. Owners only: a webhook sees everything.
    WebhooksManage,
    /// Post and change the studio's job listings, see their applicants and
    /// candidates, shortlist, offer, reject, invite.
    JobsManage,
    /// Apply for listings (the studio's own, and any studio's public ones),
    /// answer offers, save listings.
    JobsApply,
}

impl Permission {
    pub const ALL: [Permission; 19] = [
        Permission::BookingsCreate,
        Permission::BookingsRead,
        Permission::BookingsReadOwn,
        Permission::BookingsUpdate,
        Permission::BookingsRespond,
        Permission::ArtistsRead,
        Permission::ArtistsWrite,
        Permission::ProjectsRead,
        Permission::ProjectsWrite,
        Permission::StudioSettings,
        Permission::MembersManage,
        Permission::ApiTokensManage,
        Permission::ProfileUpdate,
        Permission::AvailabilityManage,
        Permission::TimeOffApprove,
        Permission::CalendarFeedsManage,
        Permission::WebhooksManage,
        Permission::JobsManage,
        Permission::JobsApply,
    ];

    /// The stable name, as in the specification (`bookings:read:own`). Never
    /// rename one: clients and stored API-token scopes depend on it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Permission::BookingsCreate => "bookings:create",
            Permission::BookingsRead => "bookings:read",
            Permission::BookingsReadOwn => "bookings:read:own",
            Permission::BookingsUpdate => "bookings:update",
            Permission::BookingsRespond => "bookings:respond",
            Permission::ArtistsRead => "artists:read",
            Permission::ArtistsWrite => "artists:write",
            Permission::ProjectsRead => "projects:read",
            Permission::ProjectsWrite => "projects:write",
            Permission::StudioSettings => "studio:settings",
            Permission::MembersManage => "members:manage",
            Permission::ApiTokensManage => "api_tokens:manage",
            Permission::ProfileUpdate => "profile:update",
            Permission::AvailabilityManage => "availability:manage",
            Permission::TimeOffApprove => "time_off:approve",
            Permission::CalendarFeedsManage => "calendar_feeds:manage",
            Permission::WebhooksManage => "webhooks:manage",
            Permission::JobsManage => "jobs:manage",
            Permission::JobsApply => "jobs:apply",
        }
    }

    /// Holding `self` also grants `other`: reading every booking includes
    /// reading one's own.
    pub fn implies(self, other: Permission) -> bool {
        self == other
            || matches!(
                (self, other),
                (Permission::BookingsRead, Permission::BookingsReadOwn)
                    | (Permission::ArtistsWrite, Permission::ArtistsRead)
            )
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The string is not a permission name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown permission `{0}`")]
pub struct UnknownPermission(pub String);

impl FromStr for Permission {
    type Err = UnknownPermission;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Permission::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| UnknownPermission(s.to_owned()))
    }
}

impl Serialize for Permission {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Permission {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A denied action: the route answers `403` naming the missing permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("missing permission `{missing}`")]
pub struct Forbidden {
    pub missing: Permission,
}

impl Forbidden {
    /// Stable error code for clients.
    pub const CODE: &'static str = "forbidden";
}

/// The one check every REST route and WS command goes through.
pub fn authorize(principal: &Principal, permission: Permission) -> Result<(), Forbidden> {
    if principal.role.can(permission) { Ok(()) } else { Err(Forbidden { missing: permission }) }
}

/// How much of a collection a principal may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Everything in the studio.
    All,
    /// Only what belongs to the principal's linked artist.
    Own,
}

/// For reads with an "own" variant (bookings): `All` if the principal holds
/// `all`, `Own` if only `own`, otherwise `Forbidden` naming `own` (the least
/// that would have let them in).
pub fn authorize_scoped(principal: &Principal, all: Permission, own: Permission) -> Result<Scope, Forbidden> {
    if principal.role.can(all) {
        Ok(Scope::All)
    } else if principal.role.can(own) {
        Ok(Scope::Own)
    } else {
        Err(Forbidden { missing: own })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{AuthVia, SessionId};
    use Permission::*;
    use pt_protocol::ids::{TenantId, UserId};

    fn principal(role: Role) -> Principal {
        Principal {
            user_id: UserId::from_u128(1),
            tenant_id: TenantId::from_u128(2),
            role,
            via: AuthVia::Password { session: SessionId::from_u128(3) },
        }
    }

    /// Every role × every permission, written out so a change to the table
    /// shows up as a one-line diff here.
    #[test]
    fn permission_table() {
        #[rustfmt::skip]
        let table: [(Permission, bool, bool, bool); 19] = [
            //                      owner  manager freelancer
            (BookingsCreate,        true,  true,   false),
            (BookingsRead,          true,  true,   false),
            (BookingsReadOwn,       true,  true,   true),
            (BookingsUpdate,        true,  true,   false),
            (BookingsRespond,       true,  false,  true),
            (ArtistsRead,           true,  true,   false),
            (ArtistsWrite,          true,  false,  false),
            (ProjectsRead,          true,  true,   false),
            (ProjectsWrite,         true,  true,   false),
            (StudioSettings,        true,  false,  false),
            (MembersManage,         true,  false,  false),
            (ApiTokensManage,       true,  false,  false),
            (ProfileUpdate,         true,  false,  true),
            (AvailabilityManage,    true,  false,  true),
            (TimeOffApprove,        true,  true,   false),
            (CalendarFeedsManage,   true,  true,   false),
            (WebhooksManage,        true,  false,  false),
            (JobsManage,            true,  true,   false),
            (JobsApply,             true,  true,   true),
        ];
        assert_eq!(table.len(), Permission::ALL.len());
        for (p, owner, manager, freelancer) in table {
            assert_eq!(Role::StudioOwner.can(p), owner, "studio_owner {p}");
            assert_eq!(Role::StudioManager.can(p), manager, "studio_manager {p}");
            assert_eq!(Role::Freelancer.can(p), freelancer, "freelancer {p}");
            for (role, expected) in
                [(Role::StudioOwner, owner), (Role::StudioManager, manager), (Role::Freelancer, freelancer)]
            {
                let got = authorize(&principal(role), p);
                if expected {
                    assert_eq!(got, Ok(()));
                } else {
                    assert_eq!(got, Err(Forbidden { missing: p }), "{role} {p}");
                }
            }
        }
    }

    #[test]
    fn forbidden_names_the_missing_permission() {
        let err = authorize(&principal(Role::StudioManager), StudioSettings).unwrap_err();
        assert_eq!(err.missing, StudioSettings);
        assert_eq!(err.to_string(), "missing permission `studio:settings`");
    }

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for p in Permission::ALL {
            assert!(seen.insert(p.as_str()), "duplicate name {p}");
            assert_eq!(p.as_str().parse::<Permission>(), Ok(p));
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.as_str()));
            assert_eq!(serde_json::from_str::<Permission>(&json).unwrap(), p);
        }
        assert!("bookings:*".parse::<Permission>().is_err());
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.as_str()));
        }
        assert_eq!("admin".parse::<Role>(), Err(UnknownRole("admin".into())));
    }

    #[test]
    fn spec_names_are_the_seed_names() {
        // The seed's strings, verbatim.
        for name in ["bookings:create", "bookings:read", "bookings:update", "artists:read", "bookings:read:own"] {
            assert!(name.parse::<Permission>().is_ok(), "{name}");
        }
        for name in ["bookings:respond", "profile:update", "availability:manage"] {
            assert!(Role::Freelancer.can(name.parse().unwrap()), "{name}");
        }
    }

    #[test]
    fn scoped_reads() {
        let scope = |r| authorize_scoped(&principal(r), BookingsRead, BookingsReadOwn);
        assert_eq!(scope(Role::StudioOwner), Ok(Scope::All));
        assert_eq!(scope(Role::StudioManager), Ok(Scope::All));
        assert_eq!(scope(Role::Freelancer), Ok(Scope::Own));
        assert_eq!(
            authorize_scoped(&principal(Role::Freelancer), ProjectsRead, ProjectsRead),
            Err(Forbidden { missing: ProjectsRead })
        );
    }

    #[test]
    fn who_may_grant_which_role() {
        use Role::*;
        assert!(StudioOwner.includes(StudioOwner));
        assert!(StudioOwner.includes(StudioManager));
        assert!(StudioOwner.includes(Freelancer));
        assert!(StudioManager.includes(StudioManager));
        assert!(!StudioManager.includes(StudioOwner));
        assert!(!StudioManager.includes(Freelancer), "a manager cannot respond as an artist");
        assert!(Freelancer.includes(Freelancer));
        assert!(!Freelancer.includes(StudioManager));
    }
}
