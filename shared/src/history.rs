//! The history of an entity — who changed which field when — derived from
//! the log by replaying it, so nothing is lost.
//!
//! [`entity_changes`] is the one rule for which entities an applied entry
//! touches and what it changed of each: the full replay ([`HistoryReplay`])
//! and the server's per-entity history index both go through it, so the two
//! cannot disagree. What an entry changed depends on the state before it
//! (the value it replaced, the links a deleted stakeholder took with it), so
//! the index stores each entity's [`FieldChange`]s as the replay computed
//! them, not just the versions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids::Version;
use crate::mutation::{Actor, Change, EntityRef, LogEntry};
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

impl HistoryItem {
    /// The item `entry` gives for one of the fields it changed.
    pub fn new(entry: &LogEntry, change: FieldChange) -> Self {
        Self {
            version: entry.version,
            at_ms: entry.at_ms,
            actor: entry.actor.clone(),
            field: change.field,
            old: change.old,
            new: change.new,
        }
    }
}

/// One field an entry changed of one entity: a [`Change`] without its
/// entity, as the history index stores it under that entity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    /// As in [`Change`]: absent when the entity was created.
    #[serde(
        default,
        deserialize_with = "crate::mutation::present_value::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub old: Option<Value>,
    pub new: Value,
}

/// The entities an applied entry touched, each with the fields it changed
/// there, in the order the entry changed them.
pub fn entity_changes(changes: Vec<Change>) -> BTreeMap<EntityRef, Vec<FieldChange>> {
    let mut by_entity: BTreeMap<EntityRef, Vec<FieldChange>> = BTreeMap::new();
    for change in changes {
        by_entity
            .entry(change.entity)
            .or_default()
            .push(FieldChange {
                field: change.field,
                old: change.old,
                new: change.new,
            });
    }
    by_entity
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
        let Ok(changes) = entry.apply_to(&mut self.state) else {
            return;
        };
        if let Some(fields) = entity_changes(changes).remove(&self.entity) {
            self.items
                .extend(fields.into_iter().map(|f| HistoryItem::new(entry, f)));
        }
    }

    pub fn finish(self) -> Vec<HistoryItem> {
        self.items
    }
}
