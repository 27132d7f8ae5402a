//! The typed changes a person can make, who makes them, and what they changed.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids::{ClientId, PriorityId, Seq, UserId, Version};
use crate::priority::{Horizon, PriorityStatus};

/// A role in the user directory; it decides what a person may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The technical secretariat: may change everything.
    Secretariat,
    /// Staff of a member region: may edit the work programme.
    RegionEditor,
    /// Invited observers: read only.
    Observer,
}

/// Who a mutation is applied on behalf of. Set by the server from the
/// session, never trusted from the client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user: UserId,
    pub name: String,
    pub role: Role,
}

/// Everything a mutation may depend on besides the state: the actor and the
/// time the server ordered it (the shared crate has no clock of its own).
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub actor: &'a Actor,
    pub now_ms: i64,
}

/// One typed change. The serialised `type` is stable across versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Mutation {
    /// Add a priority at the end of the programme.
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

/// A reference to one entity, for changes and history.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum EntityRef {
    Priority(PriorityId),
    /// The order of the work programme as a whole.
    Programme,
}

/// One field a mutation wrote, with the value it replaced (`None` when the
/// entity was created), so that an overwritten value is never lost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub entity: EntityRef,
    pub field: String,
    pub old: Option<Value>,
    pub new: Value,
}
