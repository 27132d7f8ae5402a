//! The sled store: the log of accepted mutations and the store's metadata.
//!
//! The log is the source of truth: key = version (big-endian u64, so sled's
//! order is version order), value = the JSON [`LogEntry`]. Nothing is
//! acknowledged before [`Store::flush`] returned.

use std::path::{Path, PathBuf};

use ara_shared::{LogEntry, Version};

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
    #[error("the store is damaged: {0}. Nothing was changed; restore from a backup.")]
    Corrupt(String),
    #[error("storage error: {0}")]
    Sled(#[from] sled::Error),
}

#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    log: sled::Tree,
}

fn version_key(version: Version) -> [u8; 8] {
    version.0.to_be_bytes()
}

impl Store {
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
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
        let meta = db.open_tree("meta")?;
        let log = db.open_tree("log")?;
        match meta.get(FORMAT_KEY)? {
            Some(found) if found.as_ref() == FORMAT => {}
            Some(found) => {
                return Err(StoreError::Incompatible {
                    dir: dir.to_path_buf(),
                    found: String::from_utf8_lossy(&found).into_owned(),
                    expected: String::from_utf8_lossy(FORMAT).into_owned(),
                });
            }
            None if !log.is_empty() => {
                return Err(StoreError::Incompatible {
                    dir: dir.to_path_buf(),
                    found: "no format marker".into(),
                    expected: String::from_utf8_lossy(FORMAT).into_owned(),
                });
            }
            None => {
                meta.insert(FORMAT_KEY, FORMAT)?;
                db.flush()?;
            }
        }
        Ok(Self { db, log })
    }

    /// Another tree of the same database (accounts, sessions, ...).
    pub fn tree(&self, name: &str) -> Result<sled::Tree, StoreError> {
        Ok(self.db.open_tree(name)?)
    }

    /// Every entry in version order; a gap or an unreadable entry is damage.
    pub fn load_log(&self) -> Result<Vec<LogEntry>, StoreError> {
        self.entries_after(Version(0), usize::MAX)
    }

    /// Up to `limit` entries after `version`, checked for continuity.
    pub fn entries_after(
        &self,
        version: Version,
        limit: usize,
    ) -> Result<Vec<LogEntry>, StoreError> {
        let mut expected = version.next();
        let mut entries = Vec::new();
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
            entries.push(entry);
        }
        Ok(entries)
    }

    /// Writes entries to the log (not yet durable: see [`Store::flush`]).
    pub fn append(&self, entries: &[LogEntry]) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for entry in entries {
            let value = serde_json::to_vec(entry)
                .map_err(|e| StoreError::Corrupt(format!("cannot encode entry: {e}")))?;
            batch.insert(&version_key(entry.version), value);
        }
        self.log.apply_batch(batch)?;
        Ok(())
    }

    /// Makes everything written so far durable. One call covers every entry
    /// appended before it: that is the group commit.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.db.flush_async().await?;
        Ok(())
    }
}
