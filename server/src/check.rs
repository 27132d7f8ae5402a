//! `ara-server check`: whether a store is whole, told in words. It reads a
//! copy of the data directory (sled has no read-only mode, and opening a
//! store may repair a torn tail), so the store itself is never touched,
//! and checks what the server relies on:
//!
//! - the seal (see [`crate::store::seal`]): after a clean stop, the files
//!   are those the server left; the log reaches the version it had when the
//!   store was last opened;
//! - the format marker, and that sled can open the files at all;
//! - the log: continuous versions from 1, every entry readable and valid
//!   under the rules when replayed in order;
//! - every snapshot: readable, not ahead of the log, and equal to the
//!   replayed state and client table at its version;
//! - the history index: up to its marker, exactly the rows the replay gives
//!   for every entry (none missing, none different, nothing extra), and the
//!   marker not past the log. Entries after the marker are not damage: a
//!   crash between the log's batch and the index's leaves them, and the
//!   next start indexes them;
//! - the accounts: see [`crate::auth::Auth::consistency_problems`].

use std::fs;
use std::path::{Path, PathBuf};

use ara_shared::Version;
use ara_shared::clients::Clients;
use ara_shared::sequencer::Sequencer as Core;

use crate::auth::Auth;
use crate::history_index::IndexRow;
use crate::store::{LogStore, Snapshot, Store, seal};

/// What a check found.
#[derive(Debug, Default)]
pub struct Verdict {
    /// The newest version of a readable log, as far as it could be read.
    pub version: Version,
    pub snapshots: usize,
    pub accounts: usize,
    /// Damage, each in one sentence; empty for a whole store.
    pub problems: Vec<String>,
}

impl Verdict {
    pub fn is_whole(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the store in `data_dir` without changing it.
pub fn check_data_dir(data_dir: &Path) -> anyhow::Result<Verdict> {
    if !data_dir.is_dir() {
        anyhow::bail!("{} is not a data directory", data_dir.display());
    }
    let copy = TempCopy::of(data_dir)?;
    // The seal is judged here, so that a store whose files changed is
    // still read and every other problem told too.
    let mut seal_problems = Vec::new();
    let floor = match seal::verify_before_open(&copy.path) {
        Ok(floor) => floor,
        Err(e) => {
            seal_problems.push(e.to_string());
            Version(0)
        }
    };
    let store = match Store::open_unsealed(&copy.path) {
        Ok(store) => store,
        Err(e) => {
            seal_problems.push(format!("the store does not open: {e}"));
            return Ok(Verdict {
                problems: seal_problems,
                ..Verdict::default()
            });
        }
    };
    let mut verdict = check_store(&store);
    if verdict.version < floor {
        verdict.problems.push(format!(
            "the log ends at version {}, but it held version {floor} when the store was last opened",
            verdict.version
        ));
    }
    seal_problems.append(&mut verdict.problems);
    verdict.problems = seal_problems;
    Ok(verdict)
}

/// Checks an open store, reading only: the whole check but the copy, for
/// `compact`, which holds the store it reads and made the one it writes.
pub fn check_store(store: &Store) -> Verdict {
    let mut verdict = Verdict::default();
    check_log(store, &mut verdict);
    match Auth::open(store, false).and_then(|auth| {
        verdict.accounts = auth.user_records().map_or(0, |users| users.len());
        auth.consistency_problems()
    }) {
        Ok(problems) => verdict.problems.extend(problems),
        Err(e) => verdict
            .problems
            .push(format!("the accounts cannot be read: {e}")),
    }
    verdict
}

/// Replays the log and compares every snapshot with the replay.
fn check_log(store: &Store, verdict: &mut Verdict) {
    let snapshots = match store.all_snapshots() {
        Ok(snapshots) => snapshots,
        Err(e) => {
            verdict
                .problems
                .push(format!("the snapshots cannot be read: {e}"));
            Vec::new()
        }
    };
    let mut waiting: Vec<Snapshot> = Vec::new();
    for snapshot in snapshots {
        match snapshot {
            Ok(snapshot) => waiting.push(snapshot),
            Err(e) => verdict.problems.push(e),
        }
    }
    verdict.snapshots = waiting.len();
    waiting.sort_by_key(|s| s.version);
    let mut core = Core::new();
    let mut version = Version(0);
    let mut index = IndexCheck::new(store, verdict);
    let replayed = store.for_each_after(Version(0), usize::MAX, |entry| {
        let changes = core
            .replay(&entry)
            .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
        index.entry(store, entry.version, changes, verdict);
        version = entry.version;
        if let Some(i) = waiting.iter().position(|s| s.version == version) {
            let snapshot = waiting.remove(i);
            if &snapshot.state != core.state() {
                verdict.problems.push(format!(
                    "the snapshot at version {version} differs from the replayed log"
                ));
            }
            // A client id bound at a hello but with nothing applied yet is
            // in the snapshot and cannot be in the log: compare the others.
            let applied = snapshot
                .clients
                .into_iter()
                .filter(|(_, r)| r.applied.is_some());
            if &Clients::from_records(applied) != core.clients() {
                verdict.problems.push(format!(
                    "the snapshot at version {version} has other client seqs than the log"
                ));
            }
        }
        Ok(())
    });
    verdict.version = version;
    if replayed.is_ok() {
        index.finish(store, version, verdict);
    }
    if let Err(e) = replayed {
        verdict.problems.push(format!(
            "the log stops being readable after version {version}: {e}"
        ));
    }
    for snapshot in waiting {
        verdict.problems.push(format!(
            "a snapshot at version {} is ahead of the readable log (version {version})",
            snapshot.version
        ));
    }
}

/// The history index compared with the replay, entry by entry, without
/// holding either in memory: every row the replay gives up to the marker
/// must be stored as given, and the index must hold no more rows than that.
struct IndexCheck {
    marker: Version,
    expected: u64,
}

impl IndexCheck {
    fn new(store: &Store, verdict: &mut Verdict) -> Self {
        let marker = store.history_indexed_to().unwrap_or_else(|e| {
            verdict
                .problems
                .push(format!("the history index cannot be read: {e}"));
            Version(0)
        });
        Self {
            marker,
            expected: 0,
        }
    }

    fn entry(
        &mut self,
        store: &Store,
        version: Version,
        changes: Vec<ara_shared::Change>,
        verdict: &mut Verdict,
    ) {
        if version > self.marker {
            return;
        }
        for row in IndexRow::for_entry(version, changes) {
            self.expected += 1;
            let stored = store.history_row(&row.key);
            let same = match &stored {
                Ok(Some(value)) => {
                    IndexRow::decode(value).ok() == IndexRow::decode(&row.value).ok()
                }
                _ => false,
            };
            if !same {
                let what = if matches!(stored, Ok(None)) {
                    "lacks"
                } else {
                    "has another change of"
                };
                verdict.problems.push(format!(
                    "the history index {what} {} at version {version}",
                    String::from_utf8_lossy(&row.key[..row.key.len() - 9])
                ));
            }
        }
    }

    fn finish(self, store: &Store, last: Version, verdict: &mut Verdict) {
        if self.marker > last {
            verdict.problems.push(format!(
                "the history index claims versions up to {}, past the log's end ({last})",
                self.marker
            ));
        }
        let mut stored = 0;
        for row in store.history_rows() {
            match row {
                Ok(_) => stored += 1,
                Err(e) => verdict.problems.push(e),
            }
        }
        if stored > self.expected {
            verdict.problems.push(format!(
                "the history index holds {} rows the log does not give",
                stored - self.expected
            ));
        }
    }
}

/// A copy of a data directory in the system's temporary directory,
/// removed when dropped.
struct TempCopy {
    path: PathBuf,
}

impl TempCopy {
    fn of(dir: &Path) -> anyhow::Result<Self> {
        let path = std::env::temp_dir().join(format!(
            "ara-check-{}-{}",
            std::process::id(),
            crate::auth::now_ms()
        ));
        let copy = Self { path };
        copy_dir(dir, &copy.path)?;
        Ok(copy)
    }
}

impl Drop for TempCopy {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
