//! The history of an entity — who changed which field when — derived from
//! the log by replaying it: nothing extra is stored, and nothing is lost.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids::Version;
use crate::mutation::{Actor, EntityRef, LogEntry};
use crate::state::State;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub version: Version,
    pub at_ms: i64,
    pub actor: Actor,
    pub field: String,
    /// As in [`crate::mutation::Change`]: absent when the entity was
    /// created, `null` when the field was unset.
    #[serde(
        default,
        deserialize_with = "crate::mutation::present_value::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub old: Option<Value>,
    pub new: Value,
}

/// Every change to `entity` in `log` (which must start at version 1), oldest
/// first. Entries that do not apply (a damaged log) are skipped.
pub fn history(log: &[LogEntry], entity: &EntityRef) -> Vec<HistoryItem> {
    let mut replay = HistoryReplay::new(entity.clone());
    for entry in log {
        replay.feed(entry);
    }
    replay.finish()
}

/// [`history`] for a log read one entry at a time (the server streams it
/// from its store instead of holding the whole log in memory).
pub struct HistoryReplay {
    state: State,
    entity: EntityRef,
    items: Vec<HistoryItem>,
}

impl HistoryReplay {
    pub fn new(entity: EntityRef) -> Self {
        Self {
            state: State::default(),
            entity,
            items: Vec::new(),
        }
    }

    /// The next entry of the log, in order from version 1.
    pub fn feed(&mut self, entry: &LogEntry) {
        let Ok(changes) = self.state.replay(entry) else {
            return;
        };
        let entity = &self.entity;
        self.items.extend(
            changes
                .into_iter()
                .filter(|c| &c.entity == entity)
                .map(|c| HistoryItem {
                    version: entry.version,
                    at_ms: entry.at_ms,
                    actor: entry.actor.clone(),
                    field: c.field,
                    old: c.old,
                    new: c.new,
                }),
        );
    }

    pub fn finish(self) -> Vec<HistoryItem> {
        self.items
    }
}
