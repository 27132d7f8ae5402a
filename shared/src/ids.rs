//! Typed identifiers and counters.
//!
//! Entity ids are UUIDv7 generated where the entity is created — usually in the
//! browser, possibly offline — so that it can be referenced before the server
//! has seen it. This crate has no randomness or clock: callers pass both in.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A UUIDv7 from a Unix time in milliseconds and ten random bytes.
            pub fn from_parts(unix_ms: u64, random: [u8; 10]) -> Self {
                Self(uuid::Builder::from_unix_timestamp_millis(unix_ms, &random).into_uuid())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// One browser installation (or other sync client); with [`Seq`] it names a mutation uniquely.
    ClientId
);
uuid_id!(
    /// A priority of the work programme.
    PriorityId
);
uuid_id!(
    /// A person in the user directory.
    UserId
);
uuid_id!(
    /// A region (member, applicant, former or declined).
    RegionId
);
uuid_id!(
    /// An adopted baseline of the work programme.
    BaselineId
);
uuid_id!(
    /// A development that priorities react to.
    DevelopmentId
);
uuid_id!(
    /// An annual conference.
    ConferenceId
);
uuid_id!(
    /// An organisation of the stakeholder network.
    StakeholderId
);
uuid_id!(
    /// A link of a stakeholder to a region or a priority.
    LinkId
);
uuid_id!(
    /// A meeting.
    MeetingId
);
uuid_id!(
    /// An action or milestone (of a priority or a meeting).
    ActionId
);
uuid_id!(
    /// A comment on a priority.
    CommentId
);
uuid_id!(
    /// An item of a meeting's agenda.
    AgendaItemId
);

/// A client's own counter for its mutations, strictly increasing per [`ClientId`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Seq(pub u64);

/// The position of an entry in the server's log; the state after `n` entries has version `n`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Version(pub u64);

impl Version {
    pub fn next(self) -> Self {
        Self(self.0 + 1)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
