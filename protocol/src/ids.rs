//! Newtype ids. Every id is a UUID; new ones are UUID v7 (time-ordered), so
//! they index well and sort roughly by creation.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ts_rs::TS)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
        #[ts(type = "string")]
        pub struct $name(pub Uuid);

        // A canonical UUID string in every format (MessagePack included), so
        // TypeScript clients can use ids as map keys without conversion.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut buf = Uuid::encode_buffer();
                s.serialize_str(self.0.hyphenated().encode_lower(&mut buf))
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
                Uuid::parse_str(&s).map(Self).map_err(|e| serde::de::Error::custom(format!("`{s}` is not a UUID ({e})")))
            }
        }

        impl $name {
            /// A fresh, time-ordered (v7) id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            pub const fn from_u128(v: u128) -> Self {
                Self(Uuid::from_u128(v))
            }
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }
    };
}

id_type!(
    /// A studio.
    TenantId
);
id_type!(
    /// An artist (a bookable person) inside one tenant.
    ArtistId
);
id_type!(
    /// A booking of one artist.
    BookingId
);
id_type!(
    /// A project bookings may belong to.
    ProjectId
);
id_type!(
    /// A phase of one project.
    PhaseId
);
id_type!(
    /// A dependency between two phases of one project.
    DependencyId
);
id_type!(
    /// A milestone of one project.
    MilestoneId
);
id_type!(
    /// One time-off entry (a request, approved leave …) of one artist.
    TimeOffId
);
id_type!(
    /// A client-chosen command id (UUID v7); the idempotency key of a command.
    CmdId
);
id_type!(
    /// A user of the product (scheduler, owner, freelancer).
    UserId
);
id_type!(
    /// One notification to one user.
    NotificationId
);
id_type!(
    /// A job listing.
    JobId
);
id_type!(
    /// One freelancer's application to one job listing.
    ApplicationId
);
id_type!(
    /// A login session: one refresh-token family (access tokens carry it as `sid`).
    AuthSessionId
);
id_type!(
    /// An API token record (never the secret itself).
    ApiTokenId
);
