//! The store: the log of accepted mutations, snapshots of the state, the
//! per-entity history index ([`crate::history_index`]), and the store's
//! metadata.
//!
//! The sequencer reaches the log only through [`LogStore`], the narrow seam
//! a replicated database would implement in sled's place (see "Growing past
//! one machine" in ARCHITECTURE.md). [`Store`] is its implementation on
//! sled 0.34, which also holds the accounts' trees ([`Store::tree`]).
//!
//! The log is the source of truth: key = version (big-endian u64, so sled's
//! order is version order), value = the JSON [`LogEntry`]. Nothing is
//! acknowledged before [`LogStore::flush`] returned.

pub mod seal;

use std::future::Future;
use std::path::{Path, PathBuf};

use ara_shared::clients::ClientRecord;
use ara_shared::history::{HistoryItem, HistoryReplay};
use ara_shared::{ClientId, EntityRef, LogEntry, Seq, State, Version};
use serde::{Deserialize, Serialize};

use crate::history_index::{self, IndexRow, MARKER_KEY};

/// What this build writes; a store with another marker is refused, never
/// overwritten.
const FORMAT: &[u8] = b"ara-planner-store/1";
const FORMAT_KEY: &[u8] = b"format";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the data directory {0} is in use by another ARA Planner server (or another program); stop it first or choose another --data-dir"
    )]
    Locked(PathBuf),
    #[error(
        "the data directory {dir} was written by an incompatible version ({found}); this build reads {expected}. Nothing was changed."
    )]
    Incompatible {
        dir: PathBuf,
        found: String,
        expected: String,
    },
    #[error("the store is damaged: {0}")]
    Corrupt(String),
    #[error("cannot read or write the store's files: {0}")]
    Io(#[from] std::io::Error),
    #[error("storage error: {0}")]
    Sled(#[from] sled::Error),
}

#[derive(Clone)]
pub struct Store {
    dir: PathBuf,
    db: sled::Db,
    log: sled::Tree,
    snapshots: sled::Tree,
    history: sled::Tree,
}

/// The materialised state at a version, so that start-up need not replay
/// the whole log. Derived data: losing one costs time, never edits.
#[derive(Debug, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: Version,
    pub state: State,
    /// Each client id's owner and last applied seq and version, for
    /// deduplication and client-id ownership.
    #[serde(default)]
    pub clients: Vec<(ClientId, ClientRecord)>,
    /// What a snapshot written before client ids were bound had instead:
    /// seqs without owners. Read, never written: start-up then takes the
    /// owners from the log before the snapshot (decoded, not replayed).
    #[serde(default, skip_serializing, rename = "applied")]
    pub legacy_applied: Vec<(ClientId, Seq, Version)>,
}

/// The sled tree of the per-entity history index.
pub const HISTORY_TREE: &str = "history_index";

/// Snapshots kept; older ones are removed when a new one is written.
const SNAPSHOTS_KEPT: usize = 2;

/// A log entry encoded once: the same JSON goes into the log and, inside
/// an `entries` frame, to every connection ([`entries_frame`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodedEntry {
    pub version: Version,
    pub json: String,
}

impl EncodedEntry {
    pub fn new(entry: &LogEntry) -> Result<Self, StoreError> {
        let json = serde_json::to_string(entry)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode entry: {e}")))?;
        Ok(Self {
            version: entry.version,
            json,
        })
    }

    /// Encodes every entry, in order.
    pub fn all(entries: &[LogEntry]) -> Result<Vec<Self>, StoreError> {
        entries.iter().map(Self::new).collect()
    }
}

/// The `entries` frame of the sync protocol for already encoded entries,
/// byte for byte what serialising `ServerMessage::Entries` would give.
pub fn entries_frame(entries: &[EncodedEntry]) -> String {
    const HEAD: &str = r#"{"type":"entries","entries":["#;
    const TAIL: &str = "]}";
    let body: usize = entries.iter().map(|e| e.json.len() + 1).sum();
    let mut frame = String::with_capacity(HEAD.len() + body + TAIL.len());
    frame.push_str(HEAD);
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            frame.push(',');
        }
        frame.push_str(&entry.json);
    }
    frame.push_str(TAIL);
    frame
}

fn version_key(version: Version) -> [u8; 8] {
    version.0.to_be_bytes()
}

/// What the sequencer needs from storage, and nothing more: append entries,
/// make them durable (one flush for a whole batch: the group commit), read
/// them back in order, and keep snapshots. Implementations guarantee that
/// entries are read back exactly as appended, keyed by their version.
pub trait LogStore: Clone + Send + Sync + 'static {
    /// Writes encoded entries to the log and `index`, their rows, to the
    /// history index, which then covers the log up to the last of them;
    /// durable only after [`LogStore::flush`]. The log is written first, so
    /// a crash between the two leaves the index behind the log (caught up
    /// at the next start), never ahead of it.
    fn append_encoded(
        &self,
        entries: &[EncodedEntry],
        index: &[IndexRow],
    ) -> Result<(), StoreError>;

    /// Encodes entries and writes them with their index rows (see
    /// [`LogStore::append_encoded`]).
    fn append(&self, entries: &[LogEntry], index: &[IndexRow]) -> Result<(), StoreError> {
        self.append_encoded(&EncodedEntry::all(entries)?, index)
    }

    /// The version up to which the history index covers the log (0 for a
    /// store written before it existed).
    fn history_indexed_to(&self) -> Result<Version, StoreError>;

    /// Writes index rows of entries already in the log, up to and including
    /// `up_to`, and moves the marker there, in one batch.
    fn write_history_index(&self, rows: &[IndexRow], up_to: Version) -> Result<(), StoreError>;

    /// Drops every index row after `version` and moves the marker back to
    /// it: the index must never claim versions the log lacks.
    fn truncate_history_index(&self, version: Version) -> Result<(), StoreError>;

    /// Makes everything appended so far durable. One call covers every entry
    /// appended before it: that is the group commit.
    fn flush(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Streams up to `limit` entries after `version` in order, without
    /// holding them all; a gap or an unreadable entry is damage.
    fn for_each_after(
        &self,
        version: Version,
        limit: usize,
        visit: impl FnMut(LogEntry) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// The newest log version stored, 0 for an empty log.
    fn last_version(&self) -> Result<Version, StoreError>;

    /// Bytes free for the store on its disk, if known.
    fn available_bytes(&self) -> Option<u64> {
        None
    }

    /// Stores a snapshot (durable with the next flush); old ones may go.
    fn write_snapshot(&self, snapshot: &Snapshot) -> Result<(), StoreError>;

    /// The newest readable snapshot that is not ahead of the log.
    fn latest_snapshot(&self) -> Result<Option<Snapshot>, StoreError>;

    /// Up to `limit` entries after `version`, checked for continuity.
    fn entries_after(&self, version: Version, limit: usize) -> Result<Vec<LogEntry>, StoreError> {
        let mut entries = Vec::new();
        self.for_each_after(version, limit, |entry| {
            entries.push(entry);
            Ok(())
        })?;
        Ok(entries)
    }
}

/// Entries a store written in bulk (`restore`, `compact`) takes between two
/// flushes. Measured on sled 0.34 with 50,000 and 200,000 entries of 350
/// bytes (in `LowSpace` mode): all in one batch, 2.75 times the data on
/// disk; in chunks of 100, 1.8; of 1,000, 1.6-1.7; of 10,000, 2.2-2.6. The
/// store is written in sled's usual `HighThroughput` mode all the same
/// (1.93 times at 1,000,000 entries): a store written in `LowSpace` mode
/// answered point reads about 2,000 times slower ever after (`ara-bench
/// stores`: one priority's history from the index, 1,849 ms instead of
/// 0.9 ms on 60,000 entries — as slow as replaying the whole log).
pub const BULK_CHUNK: usize = 1000;

/// Who holds sled's lock on a store's files (see [`sled_lock`]).
pub enum SledLock {
    /// No sled file in the directory.
    NoStore,
    /// Some process, this one included, has the store open.
    Held,
    /// Nobody had it; this open file holds the lock until it is dropped.
    Taken(std::fs::File),
}

/// Tries sled's own lock on the store in `dir` (an exclusive `flock` on its
/// `db` file, which sled holds while the store is open), without waiting.
pub fn sled_lock(dir: &Path) -> std::io::Result<SledLock> {
    let db = match std::fs::File::open(dir.join("db")) {
        Ok(db) => db,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(SledLock::NoStore),
        Err(e) => return Err(e),
    };
    match db.try_lock() {
        Ok(()) => Ok(SledLock::Taken(db)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(SledLock::Held),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

impl Store {
    /// Opens (or creates) the store a server runs on. The seal is checked
    /// first (see [`seal`]): files changed since a clean stop are refused
    /// before sled reads them, and a log that ends before the version it had
    /// when it was last opened is refused after sled's recovery.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let floor = seal::verify_before_open(dir)?;
        let store = Self::open_unsealed(dir)?;
        let last = store.last_version()?;
        if last < floor {
            return Err(StoreError::Corrupt(format!(
                "the log ends at version {last}, but it held version {floor} when the store was last opened; sled's recovery cut the rest off as unreadable"
            )));
        }
        seal::mark_open(dir, last)?;
        Ok(store)
    }

    /// Opens the store without looking at its seal: for `check`, which
    /// judges the seal itself and then reads a copy, and for a new store
    /// written in bulk (`CheckedBackup::build_store`), which its caller
    /// seals once closed ([`seal::seal_closed`]).
    pub fn open_unsealed(dir: &Path) -> Result<Self, StoreError> {
        let db = sled::Config::new()
            .path(dir)
            .mode(sled::Mode::HighThroughput)
            .open()
            .map_err(|e| match e {
                sled::Error::Io(io) if io.to_string().contains("lock") => {
                    StoreError::Locked(dir.to_path_buf())
                }
                sled::Error::Corruption { .. } => StoreError::Corrupt(e.to_string()),
                other => StoreError::Sled(other),
            })?;
        let incompatible = |found: String| StoreError::Incompatible {
            dir: dir.to_path_buf(),
            found,
            expected: String::from_utf8_lossy(FORMAT).into_owned(),
        };
        // Look before creating anything: trees of another program (or of an
        // unknown version) are left exactly as they are.
        let names = db.tree_names();
        let has = |name: &str| names.iter().any(|n| n.as_ref() == name.as_bytes());
        let fresh = names.len() <= 1 && db.is_empty();
        if has("meta") {
            let meta = db.open_tree("meta")?;
            match meta.get(FORMAT_KEY)? {
                Some(found) if found.as_ref() == FORMAT => {}
                Some(found) => {
                    return Err(incompatible(String::from_utf8_lossy(&found).into_owned()));
                }
                None => return Err(incompatible("no format marker".into())),
            }
        } else if !fresh {
            return Err(incompatible("no format marker".into()));
        }
        let meta = db.open_tree("meta")?;
        if fresh {
            meta.insert(FORMAT_KEY, FORMAT)?;
            db.flush()?;
        }
        let log = db.open_tree("log")?;
        let snapshots = db.open_tree("snapshots")?;
        let history = db.open_tree(HISTORY_TREE)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            db,
            log,
            snapshots,
            history,
        })
    }

    /// One entity's history up to version `durable`: from the index when
    /// the entity is indexed, else replayed from the log.
    pub fn history(
        &self,
        entity: &EntityRef,
        durable: Version,
    ) -> Result<Vec<HistoryItem>, StoreError> {
        if history_index::is_indexed(entity) {
            self.indexed_history(entity, durable)
        } else {
            self.replayed_history(entity, durable)
        }
    }

    /// The whole log up to `durable` replayed for one entity.
    fn replayed_history(
        &self,
        entity: &EntityRef,
        durable: Version,
    ) -> Result<Vec<HistoryItem>, StoreError> {
        let mut replay = HistoryReplay::new(entity.clone());
        let limit = usize::try_from(durable.0).unwrap_or(usize::MAX);
        self.for_each_after(Version(0), limit, |entry| {
            replay.feed(&entry);
            Ok(())
        })?;
        Ok(replay.finish())
    }

    /// From the index: only the rows of that entity are read, and the log
    /// entries they name.
    fn indexed_history(
        &self,
        entity: &EntityRef,
        durable: Version,
    ) -> Result<Vec<HistoryItem>, StoreError> {
        let mut items = Vec::new();
        for row in self.history.scan_prefix(history_index::prefix(entity)) {
            let (key, value) = row?;
            let version = IndexRow::version_of(&key)
                .ok_or_else(|| StoreError::Corrupt("a history index key is malformed".into()))?;
            if version > durable {
                break;
            }
            let entry = self.entry(version)?.ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "the history index names version {version}, which the log lacks"
                ))
            })?;
            items.extend(
                IndexRow::decode(&value)?
                    .into_iter()
                    .map(|field| HistoryItem::new(&entry, field)),
            );
        }
        Ok(items)
    }

    /// The log entry at `version`, if there is one.
    fn entry(&self, version: Version) -> Result<Option<LogEntry>, StoreError> {
        self.log
            .get(version_key(version))?
            .map(|raw| {
                serde_json::from_slice(&raw).map_err(|e| {
                    StoreError::Corrupt(format!("log entry {version} unreadable: {e}"))
                })
            })
            .transpose()
    }

    /// The stored value of one history index row (for `check`).
    pub fn history_row(&self, key: &[u8]) -> Result<Option<sled::IVec>, StoreError> {
        Ok(self.history.get(key)?)
    }

    /// Every row of the history index with its version, in key order, and
    /// nothing else (for `check`): a key that is neither a row nor the
    /// marker comes back as an error.
    pub fn history_rows(
        &self,
    ) -> impl Iterator<Item = Result<(Version, sled::IVec, sled::IVec), String>> + '_ {
        self.history
            .iter()
            .filter(|row| !matches!(row, Ok((key, _)) if key.as_ref() == MARKER_KEY))
            .map(|row| {
                let (key, value) = row.map_err(|e| e.to_string())?;
                let version = IndexRow::version_of(&key)
                    .ok_or_else(|| format!("the history index holds a malformed key {key:?}"))?;
                Ok((version, key, value))
            })
    }

    /// Another tree of the same database (accounts, sessions, ...).
    pub fn tree(&self, name: &str) -> Result<sled::Tree, StoreError> {
        Ok(self.db.open_tree(name)?)
    }

    /// The names of every tree in the database, sled's own default tree
    /// included (for `compact`, which must know each one it copies).
    pub fn tree_names(&self) -> Vec<String> {
        self.db
            .tree_names()
            .iter()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect()
    }

    /// Every stored snapshot, oldest first, each read or said why not (for
    /// `check`, which wants to hear about every one).
    pub fn all_snapshots(&self) -> Result<Vec<Result<Snapshot, String>>, StoreError> {
        let mut all = Vec::new();
        for item in self.snapshots.iter() {
            let (key, value) = item?;
            all.push(match serde_json::from_slice::<Snapshot>(&value) {
                Ok(snapshot) if key.as_ref() == version_key(snapshot.version) => Ok(snapshot),
                Ok(snapshot) => Err(format!(
                    "the snapshot of version {} is stored under another key",
                    snapshot.version
                )),
                Err(e) => Err(format!("a snapshot is unreadable: {e}")),
            });
        }
        Ok(all)
    }

    /// [`LogStore::flush`] for the command-line tools, which have no runtime.
    pub fn flush_blocking(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }
}

impl LogStore for Store {
    fn available_bytes(&self) -> Option<u64> {
        fs2::available_space(&self.dir).ok()
    }

    fn for_each_after(
        &self,
        version: Version,
        limit: usize,
        mut visit: impl FnMut(LogEntry) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut expected = version.next();
        for item in self.log.range(version_key(expected)..).take(limit) {
            let (key, value) = item?;
            let entry: LogEntry = serde_json::from_slice(&value)
                .map_err(|e| StoreError::Corrupt(format!("log entry {key:?} unreadable: {e}")))?;
            if entry.version != expected || key.as_ref() != version_key(expected) {
                return Err(StoreError::Corrupt(format!(
                    "log expected version {expected}, found {}",
                    entry.version
                )));
            }
            expected = expected.next();
            visit(entry)?;
        }
        Ok(())
    }

    fn last_version(&self) -> Result<Version, StoreError> {
        Ok(match self.log.last()? {
            Some((key, _)) => {
                Version(u64::from_be_bytes(key.as_ref().try_into().map_err(
                    |_| StoreError::Corrupt("log key is not 8 bytes".into()),
                )?))
            }
            None => Version(0),
        })
    }

    /// Keeps the newest [`SNAPSHOTS_KEPT`].
    fn write_snapshot(&self, snapshot: &Snapshot) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(snapshot)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode snapshot: {e}")))?;
        self.snapshots
            .insert(version_key(snapshot.version), bytes)?;
        while self.snapshots.len() > SNAPSHOTS_KEPT {
            if self.snapshots.pop_min()?.is_none() {
                break;
            }
        }
        Ok(())
    }

    /// An unreadable snapshot is skipped with a warning: the log still has
    /// everything, so start-up only takes longer.
    fn latest_snapshot(&self) -> Result<Option<Snapshot>, StoreError> {
        let last = self.last_version()?;
        for item in self.snapshots.iter().rev() {
            let (key, value) = item?;
            match serde_json::from_slice::<Snapshot>(&value) {
                Ok(snapshot)
                    if snapshot.version <= last
                        && key.as_ref() == version_key(snapshot.version) =>
                {
                    return Ok(Some(snapshot));
                }
                Ok(snapshot) => {
                    tracing::warn!(version = %snapshot.version, "snapshot ahead of the log ignored");
                }
                Err(e) => tracing::warn!(error = %e, "unreadable snapshot ignored"),
            }
        }
        Ok(None)
    }

    fn append_encoded(
        &self,
        entries: &[EncodedEntry],
        index: &[IndexRow],
    ) -> Result<(), StoreError> {
        let Some(last) = entries.last() else {
            return Ok(());
        };
        let mut batch = sled::Batch::default();
        for entry in entries {
            batch.insert(&version_key(entry.version), entry.json.as_bytes());
        }
        self.log.apply_batch(batch)?;
        self.write_history_index(index, last.version)
    }

    fn history_indexed_to(&self) -> Result<Version, StoreError> {
        match self.history.get(MARKER_KEY)? {
            None => Ok(Version(0)),
            Some(raw) => Ok(Version(u64::from_be_bytes(
                raw.as_ref().try_into().map_err(|_| {
                    StoreError::Corrupt("the history index marker is not 8 bytes".into())
                })?,
            ))),
        }
    }

    fn write_history_index(&self, rows: &[IndexRow], up_to: Version) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for row in rows {
            batch.insert(row.key.as_slice(), row.value.as_slice());
        }
        batch.insert(MARKER_KEY, &version_key(up_to));
        self.history.apply_batch(batch)?;
        Ok(())
    }

    fn truncate_history_index(&self, version: Version) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for row in self.history_rows() {
            let (row_version, key, _) = row.map_err(StoreError::Corrupt)?;
            if row_version > version {
                batch.remove(key);
            }
        }
        batch.insert(MARKER_KEY, &version_key(version));
        self.history.apply_batch(batch)?;
        Ok(())
    }

    async fn flush(&self) -> Result<(), StoreError> {
        self.db.flush_async().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ara_shared::protocol::ServerMessage;
    use ara_shared::{Actor, Mutation, PriorityId, Role, UserId};

    fn entry(version: u64, title: &str) -> LogEntry {
        LogEntry {
            version: Version(version),
            client_id: ClientId::from_parts(3, [3; 10]),
            seq: Seq(version),
            actor: Actor {
                user: UserId::from_parts(1, [1; 10]),
                name: "Jürgen \"JJ\" Ørsted".into(),
                role: Role::RegionEditor,
                region: None,
            },
            at_ms: 1_767_225_600_000,
            mutation: Mutation::RenamePriority {
                id: PriorityId::from_parts(2, [2; 10]),
                title: title.into(),
            },
        }
    }

    /// The fan-out frame built from encoded entries is exactly the
    /// protocol's `entries` message, for none, one and several entries.
    #[test]
    fn entries_frame_is_the_protocol_message() {
        for n in 0..3u64 {
            let entries: Vec<LogEntry> = (1..=n)
                .map(|v| entry(v, &format!("Skills, \"tab\"\t{v} ✓")))
                .collect();
            let encoded: Vec<EncodedEntry> = entries
                .iter()
                .map(|e| EncodedEntry::new(e).expect("encodes"))
                .collect();
            let expected = serde_json::to_string(&ServerMessage::Entries {
                entries: entries.clone(),
            })
            .expect("encodes");
            assert_eq!(entries_frame(&encoded), expected);
            let decoded: ServerMessage =
                serde_json::from_str(&entries_frame(&encoded)).expect("decodes");
            assert_eq!(decoded, ServerMessage::Entries { entries });
        }
    }

    /// What `append_encoded` writes reads back as the entries encoded.
    #[test]
    fn encoded_entries_read_back_as_appended() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("store opens");
        let entries = vec![entry(1, "One"), entry(2, "Two")];
        let encoded: Vec<EncodedEntry> = entries
            .iter()
            .map(|e| EncodedEntry::new(e).expect("encodes"))
            .collect();
        store.append_encoded(&encoded, &[]).expect("appends");
        assert_eq!(store.entries_after(Version(0), 10).expect("reads"), entries);
    }
}
