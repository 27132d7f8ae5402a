//! The per-entity history index: what each log entry changed of each
//! entity, keyed so that one entity's history is one prefix scan, in
//! version order. It is what `GET /api/history/{kind}/{id}` reads, so one
//! entity's history costs in proportion to its own changes, not the log's.
//!
//! Key: the entity as JSON (which never holds a 0 byte), a 0 byte, then the
//! big-endian version; value: the JSON [`FieldChange`]s of that entity in
//! that entry, as [`ara_shared::history::entity_changes`] gives them (the
//! one rule the full replay uses too). The entry's time and actor are read
//! from the log.
//!
//! The order of the programme as a whole (`programme/order`) is not
//! indexed ([`is_indexed`]): each move's change holds the whole order twice
//! (about 37 KB at 500 priorities), so indexing it wrote 10 KiB per entry
//! on average on the bench's log (`ara-bench stores`, BENCHMARKS.md); its
//! history is still replayed from the log, as before the index.
//!
//! The index is derived data, written with the log and checked against it:
//! a marker row holds the version up to which it is complete, written in
//! the same sled batch as the rows. Start-up ([`catch_up`]) indexes the log
//! after the marker (a store written before the index existed, a restored
//! one, one whose last index batch a crash lost) and drops rows past the
//! log's end, before the sequencer serves anyone.

use ara_shared::history::{FieldChange, entity_changes};
use ara_shared::{Change, EntityRef, LogEntry, State, Version};

use crate::store::{LogStore, StoreError};

/// The marker row's key: a 0xFF byte can start no JSON text, so it is no
/// entity's key.
pub const MARKER_KEY: &[u8] = b"\xffindexed up to";

/// Rows written in one batch while catching up, to bound memory.
const CATCH_UP_BATCH: usize = 10_000;

/// One entity's part of one log entry, encoded for the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexRow {
    pub key: Vec<u8>,
    pub value: Vec<u8>,
}

/// Whether the history of `entity` is read from the index; the
/// programme's order is replayed from the log instead (see the module doc).
pub fn is_indexed(entity: &EntityRef) -> bool {
    !matches!(entity, EntityRef::Programme)
}

impl IndexRow {
    /// The rows of the entry at `version`, which made `changes`.
    pub fn for_entry(version: Version, changes: Vec<Change>) -> Vec<Self> {
        entity_changes(changes)
            .into_iter()
            .filter(|(entity, _)| is_indexed(entity))
            .map(|(entity, fields)| Self {
                key: key(&entity, version),
                value: serde_json::to_vec(&fields).expect("JSON values always encode"),
            })
            .collect()
    }

    /// The version this row belongs to, `None` for a key of no row (the
    /// marker, or damage).
    pub fn version_of(key: &[u8]) -> Option<Version> {
        let (prefix, version) = key.split_last_chunk::<8>()?;
        (prefix.last() == Some(&0)).then(|| Version(u64::from_be_bytes(*version)))
    }

    /// The fields stored in a row's value.
    pub fn decode(value: &[u8]) -> Result<Vec<FieldChange>, StoreError> {
        serde_json::from_slice(value)
            .map_err(|e| StoreError::Corrupt(format!("a history index row is unreadable: {e}")))
    }
}

/// Every key of `entity` starts with this, and no key of another entity does.
pub fn prefix(entity: &EntityRef) -> Vec<u8> {
    let mut key = serde_json::to_vec(entity).expect("an entity reference always encodes");
    key.push(0);
    key
}

fn key(entity: &EntityRef, version: Version) -> Vec<u8> {
    let mut key = prefix(entity);
    key.extend_from_slice(&version.0.to_be_bytes());
    key
}

/// Brings the index level with the log: drops rows past its end, and
/// indexes the entries after the marker, replaying the state they need
/// (from the newest snapshot not past the marker, else from version 1).
pub fn catch_up<S: LogStore>(store: &S) -> Result<(), StoreError> {
    let last = store.last_version()?;
    let indexed = store.history_indexed_to()?;
    if indexed > last {
        tracing::warn!(
            indexed = indexed.0,
            log = last.0,
            "history index ahead of the log dropped back"
        );
        return store.truncate_history_index(last);
    }
    if indexed == last {
        return Ok(());
    }
    let (mut state, from) = match store.latest_snapshot()? {
        Some(s) if s.version <= indexed => (s.state, s.version),
        _ => (State::default(), Version(0)),
    };
    let mut rows = Vec::new();
    store.for_each_after(from, usize::MAX, |entry| {
        let refused = |r| {
            StoreError::Corrupt(format!(
                "log entry {} no longer applies: {r}",
                entry.version
            ))
        };
        if entry.version <= indexed {
            return entry.apply_untracked_to(&mut state).map_err(refused);
        }
        let changes = entry.apply_to(&mut state).map_err(refused)?;
        rows.extend(IndexRow::for_entry(entry.version, changes));
        if rows.len() >= CATCH_UP_BATCH {
            store.write_history_index(&rows, entry.version)?;
            rows.clear();
        }
        Ok(())
    })?;
    store.write_history_index(&rows, last)?;
    tracing::info!(
        from = indexed.0,
        to = last.0,
        "history index caught up with the log"
    );
    Ok(())
}

/// Appends `entries`, the whole log from version 1, to an empty store
/// with their index rows (`restore`, `compact`), `chunk` entries a batch;
/// `after_chunk` runs after each (the bulk writer flushes there).
pub fn append_from_start<S: LogStore>(
    store: &S,
    entries: &[LogEntry],
    chunk: usize,
    mut after_chunk: impl FnMut(&S) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut state = State::default();
    for chunk in entries.chunks(chunk.max(1)) {
        let mut rows = Vec::new();
        for entry in chunk {
            let changes = entry.apply_to(&mut state).map_err(|r| {
                StoreError::Corrupt(format!("log entry {} does not apply: {r}", entry.version))
            })?;
            rows.extend(IndexRow::for_entry(entry.version, changes));
        }
        store.append(chunk, &rows)?;
        after_chunk(store)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ara_shared::{PriorityId, StakeholderId};

    /// No entity's keys fall under another's prefix, and the version
    /// comes back from every key, the marker being no row.
    #[test]
    fn keys_are_per_entity_and_carry_their_version() {
        let entities = [
            EntityRef::Programme,
            EntityRef::Initiative("A".into()),
            EntityRef::Initiative("A\"".into()),
            EntityRef::Initiative("AB".into()),
            EntityRef::TenPoint(1),
            EntityRef::TenPoint(10),
            EntityRef::Priority(PriorityId::from_parts(1, [1; 10])),
            EntityRef::Stakeholder(StakeholderId::from_parts(1, [1; 10])),
        ];
        for a in &entities {
            for version in [1, 255, 256, u64::MAX] {
                let k = key(a, Version(version));
                assert_eq!(IndexRow::version_of(&k), Some(Version(version)));
                for b in &entities {
                    assert_eq!(k.starts_with(&prefix(b)), a == b, "{a:?} under {b:?}");
                }
            }
        }
        assert_eq!(IndexRow::version_of(MARKER_KEY), None);
    }
}
