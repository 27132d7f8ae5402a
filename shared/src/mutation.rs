//! The typed changes a person can make, who makes them, and what they changed.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use std::collections::BTreeSet;

use crate::conference::Conference;
use crate::date::Date;
use crate::development::Development;
use crate::ids::{
    ActionId, BaselineId, ClientId, CommentId, ConferenceId, DevelopmentId, LinkId, MeetingId,
    PriorityId, RegionId, Seq, StakeholderId, UserId, Version,
};
use crate::meeting::Meeting;
use crate::priority::{Action, Dimension, Horizon, PriorityStatus, TransitionGoal};
use crate::reference::{Initiative, TenPoint};
use crate::rejection::Rejection;
use crate::stakeholder::{Stakeholder, StakeholderLink};
use crate::state::State;

keyed_enum! {
    /// A role in the user directory; it decides what a person may change.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Role {
        /// The technical secretariat: may change everything.
        Secretariat = "secretariat",
        /// Staff of a member region: may edit the work programme.
        RegionEditor = "region_editor",
        /// Invited observers: read only.
        Observer = "observer",
    }
}

/// Who a mutation is applied on behalf of. Set by the server from the
/// session, never trusted from the client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user: UserId,
    pub name: String,
    pub role: Role,
    /// The region a region editor works for.
    #[serde(default)]
    pub region: Option<RegionId>,
}

/// Everything a mutation may depend on besides the state: the actor and the
/// time the server ordered it (the shared crate has no clock of its own).
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub actor: &'a Actor,
    pub now_ms: i64,
}

/// One typed change. The serialised `type` is stable across versions; new
/// mutations are added, existing ones never change meaning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Mutation {
    // --- The work programme ---
    /// Add a priority at the end of the programme, as proposed.
    CreatePriority {
        id: PriorityId,
        title: String,
        horizon: Horizon,
    },
    RenamePriority {
        id: PriorityId,
        title: String,
    },
    SetPriorityStatus {
        id: PriorityId,
        status: PriorityStatus,
    },
    /// Move a priority to `index` in the programme's order (clamped to the end).
    MovePriority {
        id: PriorityId,
        index: u32,
    },
    /// Change any of the fields set in `patch`.
    UpdatePriority {
        id: PriorityId,
        patch: PriorityPatch,
    },
    /// Remove a priority that no baseline, conference, development, meeting
    /// or stakeholder link refers to (otherwise drop it by status).
    DeletePriority {
        id: PriorityId,
    },
    /// A region endorses a priority (or withdraws its endorsement).
    EndorsePriority {
        id: PriorityId,
        region: RegionId,
        endorse: bool,
    },
    /// Add or replace (same id) an action or milestone of a priority.
    SetPriorityAction {
        priority: PriorityId,
        action: Action,
    },
    RemovePriorityAction {
        priority: PriorityId,
        action: ActionId,
    },
    AddComment {
        priority: PriorityId,
        id: CommentId,
        text: String,
    },
    /// The author or the secretariat removes a comment.
    DeleteComment {
        priority: PriorityId,
        id: CommentId,
    },
    /// Record the programme as adopted today under `name`.
    AdoptBaseline {
        id: BaselineId,
        name: String,
        adopted_on: Date,
    },

    // --- Reference data (secretariat) ---
    SetTenPoint {
        point: TenPoint,
    },
    SetInitiative {
        initiative: Initiative,
    },

    // --- Regions and membership ---
    /// Any signed-in person may ask for a region to join.
    ApplyForMembership {
        id: RegionId,
        name: String,
        country: String,
        nuts: String,
        contact: String,
    },
    AdmitRegion {
        id: RegionId,
        joined: Date,
    },
    DeclineRegion {
        id: RegionId,
    },
    LeaveAlliance {
        id: RegionId,
    },
    UpdateRegion {
        id: RegionId,
        patch: RegionPatch,
    },

    // --- Developments ---
    /// Add or replace (same id) a development.
    SetDevelopment {
        development: Development,
    },
    DeleteDevelopment {
        id: DevelopmentId,
    },

    // --- Conferences ---
    /// Add a conference (its theme is the host's to choose).
    CreateConference {
        conference: Conference,
    },
    UpdateConference {
        id: ConferenceId,
        patch: ConferencePatch,
    },
    /// The host region (or the secretariat) sets the theme from the programme.
    SetConferenceTheme {
        id: ConferenceId,
        theme: String,
        priorities: BTreeSet<PriorityId>,
    },
    DeleteConference {
        id: ConferenceId,
    },

    // --- Stakeholder network ---
    /// Add or replace (same id) an organisation.
    SetStakeholder {
        stakeholder: Stakeholder,
    },
    /// Remove an organisation and its links.
    DeleteStakeholder {
        id: StakeholderId,
    },
    LinkStakeholder {
        link: StakeholderLink,
    },
    UnlinkStakeholder {
        id: LinkId,
    },

    // --- Meetings ---
    CreateMeeting {
        meeting: Meeting,
    },
    UpdateMeeting {
        id: MeetingId,
        patch: MeetingPatch,
    },
    DeleteMeeting {
        id: MeetingId,
    },
}

impl Mutation {
    /// The serialised `type`, e.g. for logs and metrics.
    pub fn kind(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
            .unwrap_or_default()
    }
}

/// Reads a present `null` as `Some(None)` ("clear it") and an absent field as
/// `None` ("leave it").
mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// The fields of a priority to change; absent fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PriorityPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<PriorityStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub horizon: Option<Horizon>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ten_points: Option<BTreeSet<u8>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initiatives: Option<BTreeSet<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<BTreeSet<Dimension>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goals: Option<BTreeSet<TransitionGoal>>,
    #[serde(
        deserialize_with = "double_option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub lead_region: Option<Option<RegionId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supporting_regions: Option<BTreeSet<RegionId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_to_all: Option<bool>,
}

/// The fields of a region to change (membership changes have their own mutations).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegionPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nuts: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nuts_confirmed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConferencePatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<RegionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeetingPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<crate::meeting::MeetingKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<BTreeSet<RegionId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agenda: Option<Vec<crate::meeting::AgendaItem>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<Action>>,
}

/// A mutation as a client sends it: `(client_id, seq)` makes it idempotent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub client_id: ClientId,
    pub seq: Seq,
    pub mutation: Mutation,
}

/// An accepted mutation in the server's order: what the log stores and fans out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub version: Version,
    pub client_id: ClientId,
    pub seq: Seq,
    pub actor: Actor,
    pub at_ms: i64,
    pub mutation: Mutation,
}

impl LogEntry {
    /// Who made this entry and when, as the rules see it.
    pub fn context(&self) -> Context<'_> {
        Context {
            actor: &self.actor,
            now_ms: self.at_ms,
        }
    }

    /// This entry applied again to `state` (start-up, restore, `check`, a
    /// replica's confirmed state, history), as its actor at its time: the
    /// same validation and the same changes as [`State::apply`], but not
    /// the permission check. Who may do what narrows between versions (a
    /// supporting region no longer takes a priority's lead); the log
    /// records what the server allowed when it accepted each entry, with
    /// the actor from the session of that time, and a store must keep
    /// opening after such a change. Returns the fields it changed.
    pub fn apply_to(&self, state: &mut State) -> Result<Vec<Change>, Rejection> {
        state.replay(self)
    }

    /// [`LogEntry::apply_to`] without working out the changed fields.
    pub fn apply_untracked_to(&self, state: &mut State) -> Result<(), Rejection> {
        state.replay_untracked(self)
    }
}

/// A reference to one entity, for changes and history.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum EntityRef {
    Priority(PriorityId),
    /// The order of the work programme as a whole.
    Programme,
    Region(RegionId),
    TenPoint(u8),
    Initiative(String),
    Baseline(BaselineId),
    Development(DevelopmentId),
    Conference(ConferenceId),
    Stakeholder(StakeholderId),
    Link(LinkId),
    Meeting(MeetingId),
}

/// One field a mutation wrote, with the value it replaced (`None` when the
/// entity was created), so that an overwritten value is never lost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub entity: EntityRef,
    pub field: String,
    /// Absent on the wire when there was no old value; a field that was
    /// `null` (an unset date, say) stays `Some(Null)`.
    #[serde(
        default,
        deserialize_with = "present_value::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub old: Option<Value>,
    pub new: Value,
}

/// Reads a present JSON value, `null` included, as `Some`; with
/// `#[serde(default)]` an absent one is `None`. Plain `Option<Value>` would
/// read a replaced `null` as "nothing was replaced".
pub(crate) mod present_value {
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
        Value::deserialize(d).map(Some)
    }
}
