//! `ara-server compact`: rewrites a stopped server's store into a fresh one
//! and swaps it in, to give back the space sled 0.34 keeps growing into.
//!
//! The log and the accounts go through the same checked path as a backup
//! and its restore ([`Backup::of_stopped_store`], [`Backup::check`],
//! [`CheckedBackup::build_store`]); what a backup leaves out but a running
//! service needs (sessions, open invitations, the setup token) is copied
//! as it is. Every tree is named in [`TREES`]: a store with a tree this
//! build does not know is refused rather than rewritten without it.
//!
//! The order is what makes a crash harmless: the old store is checked as
//! `ara-server check` does (on a copy, so a refused store is left as it
//! was), then kept locked throughout; the new one is built in `D.compacting-<pid>`,
//! checked, and only then exchanged with `D` in one atomic rename
//! (`renameat2(RENAME_EXCHANGE)`), so `D` always holds one whole store, the
//! old or the new. The old one is then moved to `D.before-compact-<time>`
//! and removed, or kept with `--keep-old`. A leftover `D.compacting-*` is
//! either a half-built new store or, after a crash in the last step, the old
//! one: both are disposable, and the next run removes them.

use std::fs;
use std::path::{Path, PathBuf};

use ara_shared::Version;

use crate::check::{check_data_dir, check_store};
use crate::export::{Backup, BackupError, CheckedBackup};
use crate::store::{SledLock, Store, StoreError, seal, sled_lock};

/// How a tree reaches the new store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Carried {
    /// Through the checked backup: the log and the accounts.
    Checked,
    /// Made again from what was checked: the snapshot of the last version,
    /// the email index and the calendar feeds of the accounts. The snapshot
    /// has the client ids of the log; an id bound at a hello that never got
    /// an edit applied is not carried: its browser binds it again at its next
    /// hello, and nobody else has seen it.
    Rebuilt,
    /// Copied key for key: what a backup leaves out but a running service
    /// needs. Session and invitation tokens are stored as hashes, so the
    /// same cookies and links keep working.
    Verbatim,
}

/// Every tree of a store and how compaction carries it.
const TREES: [(&str, Carried); 10] = [
    ("log", Carried::Checked),
    // Written with the log from the checked entries.
    ("history_index", Carried::Rebuilt),
    ("users", Carried::Checked),
    ("snapshots", Carried::Rebuilt),
    ("emails", Carried::Rebuilt),
    ("feeds", Carried::Rebuilt),
    ("sessions", Carried::Verbatim),
    ("invitations", Carried::Verbatim),
    // The format marker and the pending setup token's hash.
    ("meta", Carried::Verbatim),
    // sled's own tree; the server writes nothing there.
    ("__sled__default", Carried::Verbatim),
];

/// What to do with the old store once the new one is in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OldStore {
    /// Removed: the new store was checked, and backups are the way back.
    Remove,
    /// Kept in `D.before-compact-<time>`, for whoever wants to go back by
    /// hand (stop the server, swap the directories).
    Keep,
}

/// What a compaction did.
#[derive(Debug)]
pub struct Compacted {
    pub version: Version,
    pub accounts: usize,
    /// Bytes on disk of the data directory before and after.
    pub bytes_before: u64,
    pub bytes_after: u64,
    /// Where the old store is, when kept.
    pub old: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum CompactError {
    #[error(
        "an ARA Planner server (or another program) has the store in {0} open; stop the server, then run compact again (it rewrites the whole store)"
    )]
    Running(PathBuf),
    #[error("{0} is not a data directory")]
    NoStore(PathBuf),
    #[error(
        "the store in {dir} is damaged, so it was not compacted and nothing was changed:\n{}\nRun `ara-server check --data-dir {}` for the whole report and restore the newest backup into a new --data-dir with `ara-server restore FILE --data-dir NEW`",
        .problems.iter().map(|p| format!("problem: {p}")).collect::<Vec<_>>().join("\n"),
        .dir.display()
    )]
    Damaged { dir: PathBuf, problems: Vec<String> },
    #[error(
        "the store in {dir} could not be checked, so nothing was changed: {reason}. The check reads a copy in the temporary directory: give it room (or point TMPDIR elsewhere) and run compact again"
    )]
    NotChecked { dir: PathBuf, reason: String },
    #[error(
        "the store in {dir} has a tree `{tree}` this build does not know; compacting would drop it, so nothing was changed. Use the ara-server that wrote it"
    )]
    UnknownTree { dir: PathBuf, tree: String },
    #[error(
        "the compacted store did not pass the check, so it was removed and {dir} was not changed (please report this):\n{}",
        .problems.iter().map(|p| format!("problem: {p}")).collect::<Vec<_>>().join("\n")
    )]
    NewStoreDamaged { dir: PathBuf, problems: Vec<String> },
    #[error(
        "cannot swap the compacted store into {dir}: {source}. {dir} was not changed; compact needs a file system that can exchange two directories atomically (Linux renameat2)"
    )]
    Swap {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for CompactError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> CompactError {
    let what = what.into();
    move |source| CompactError::Io { what, source }
}

/// A sibling of `dir`: its name with `suffix` appended.
fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    dir.with_file_name(name)
}

/// Compacts the stopped store in `data_dir` (see the module doc).
pub fn compact_data_dir(data_dir: &Path, old_store: OldStore) -> Result<Compacted, CompactError> {
    // The real directory: a relative `./data` has no parent to put the
    // siblings in, and through a symbolic link the swap would move the
    // link instead of the store.
    let data_dir = &match fs::canonicalize(data_dir) {
        Ok(dir) if dir.is_dir() => dir,
        _ => return Err(CompactError::NoStore(data_dir.to_path_buf())),
    };
    refuse_if_running(data_dir)?;
    // The same check as `ara-server check`, on a copy: a store that is
    // refused is left exactly as it was (opening it with sled would not).
    let verdict = check_data_dir(data_dir).map_err(|e| CompactError::NotChecked {
        dir: data_dir.clone(),
        reason: format!("{e:#}"),
    })?;
    if !verdict.is_whole() {
        return Err(CompactError::Damaged {
            dir: data_dir.clone(),
            problems: verdict.problems,
        });
    }
    let old = match Store::open(data_dir) {
        Ok(store) => store,
        Err(StoreError::Locked(dir)) => return Err(CompactError::Running(dir)),
        Err(e) => return Err(e.into()),
    };
    // From here on the old store is locked: no server starts on it, and no
    // other compaction of it runs, until it has been swapped out. What was
    // checked above is read again through the checked backup path.
    remove_leftovers(data_dir)?;
    if let Some(tree) = old
        .tree_names()
        .into_iter()
        .find(|name| !TREES.iter().any(|(known, _)| known == name))
    {
        return Err(CompactError::UnknownTree {
            dir: data_dir.clone(),
            tree,
        });
    }
    let checked = Backup::of_stopped_store(&old)?.check()?;
    let staging = sibling(data_dir, &format!(".compacting-{}", std::process::id()));
    let built = build(&old, &checked, &staging, data_dir);
    let accounts = match built {
        Ok(accounts) => accounts,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    // Sealed as a stopped server's store, so the first start compares its
    // files.
    if let Err(e) = seal::seal_closed(&staging, checked.version()) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e.into());
    }
    let bytes_before = bytes_on_disk(data_dir).map_err(io("measuring the old store"))?;
    let bytes_after = bytes_on_disk(&staging).map_err(io("measuring the new store"))?;
    let old = swap_in(&staging, data_dir, old, old_store)?;
    Ok(Compacted {
        version: checked.version(),
        accounts,
        bytes_before,
        bytes_after,
        old,
    })
}

/// Refuses, without touching it, a store that a server (or anything else
/// using sled) has open: sled holds an exclusive `flock` on its `db` file.
fn refuse_if_running(data_dir: &Path) -> Result<(), CompactError> {
    match sled_lock(data_dir) {
        // No sled file: `Store::open` says what is wrong with the directory.
        // A lock taken here is released at once, for `Store::open`.
        Ok(SledLock::NoStore | SledLock::Taken(_)) => Ok(()),
        Ok(SledLock::Held) => Err(CompactError::Running(data_dir.to_path_buf())),
        Err(source) => Err(CompactError::Io {
            what: format!("looking whether a server has {} open", data_dir.display()),
            source,
        }),
    }
}

/// Puts the built and checked store in `staging` in the place of the old
/// one in `data_dir`, whose open store `old` still holds its lock; returns
/// where the old store was kept, if it was.
fn swap_in(
    staging: &Path,
    data_dir: &Path,
    old: Store,
    old_store: OldStore,
) -> Result<Option<PathBuf>, CompactError> {
    if let Err(source) = exchange(staging, data_dir) {
        let _ = fs::remove_dir_all(staging);
        return Err(CompactError::Swap {
            dir: data_dir.to_path_buf(),
            source,
        });
    }
    // `data_dir` now holds the new store; `staging` the old one, still
    // locked by `old` (the lock goes with the open file, not the name).
    let kept = sibling(
        data_dir,
        &format!(
            ".before-compact-{}",
            crate::calendar::utc(crate::auth::now_ms())
        ),
    );
    fs::rename(staging, &kept).map_err(io(format!(
        "the new store is in place, but the old one could not be moved from {} to {}",
        staging.display(),
        kept.display()
    )))?;
    drop(old);
    match old_store {
        OldStore::Keep => Ok(Some(kept)),
        OldStore::Remove => {
            fs::remove_dir_all(&kept).map_err(io(format!(
                "the new store is in place, but the old one in {} could not be removed",
                kept.display()
            )))?;
            Ok(None)
        }
    }
}

/// Builds the new store in `staging` from the checked backup and the trees
/// copied as they are, and checks it as read back from disk; returns its
/// number of accounts.
fn build(
    old: &Store,
    checked: &CheckedBackup,
    staging: &Path,
    data_dir: &Path,
) -> Result<usize, CompactError> {
    let new = checked.build_store(staging)?;
    for (name, carried) in TREES {
        if carried == Carried::Verbatim {
            copy_tree(&old.tree(name)?, &new.tree(name)?)?;
        }
    }
    new.flush_blocking()?;
    drop(new);
    let new = Store::open(staging)?;
    let verdict = check_store(&new);
    if !verdict.is_whole() {
        return Err(CompactError::NewStoreDamaged {
            dir: data_dir.to_path_buf(),
            problems: verdict.problems,
        });
    }
    Ok(verdict.accounts)
}

fn copy_tree(from: &sled::Tree, to: &sled::Tree) -> Result<(), StoreError> {
    let mut batch = sled::Batch::default();
    for item in from.iter() {
        let (key, value) = item?;
        batch.insert(key, value);
    }
    to.apply_batch(batch)?;
    Ok(())
}

/// Removes what an interrupted compaction of `data_dir` left beside it.
fn remove_leftovers(data_dir: &Path) -> Result<(), CompactError> {
    let Some(parent) = data_dir.parent() else {
        return Ok(());
    };
    let prefix = sibling(data_dir, ".compacting-");
    let prefix = prefix.file_name().unwrap_or_default().to_string_lossy();
    for entry in fs::read_dir(parent).map_err(io("listing the data directory's parent"))? {
        let entry = entry.map_err(io("listing the data directory's parent"))?;
        if entry.file_name().to_string_lossy().starts_with(&*prefix) {
            tracing::info!(path = %entry.path().display(), "removing what an interrupted compaction left");
            fs::remove_dir_all(entry.path()).map_err(io(format!(
                "removing {}, left by an interrupted compaction",
                entry.path().display()
            )))?;
        }
    }
    Ok(())
}

/// The bytes the files below `dir` take on disk (as `du` counts them).
pub fn bytes_on_disk(dir: &Path) -> std::io::Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() {
            bytes_on_disk(&entry.path())?
        } else {
            allocated(&meta)
        };
    }
    Ok(total)
}

/// A size for people: bytes, KiB, MiB or GiB with one decimal.
pub fn size(bytes: u64) -> String {
    let units = ["KiB", "MiB", "GiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = units[0];
    for next in &units[1..] {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    format!("{value:.1} {unit}")
}

#[cfg(unix)]
fn allocated(meta: &fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt as _;
    meta.blocks() * 512
}

#[cfg(not(unix))]
fn allocated(meta: &fs::Metadata) -> u64 {
    meta.len()
}

/// Swaps two directories in one step: at every moment each name holds one
/// of them.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE)?;
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "exchanging two directories atomically needs Linux",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_swaps_two_directories() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::create_dir(&a).expect("mkdir");
        fs::create_dir(&b).expect("mkdir");
        fs::write(a.join("was-a"), b"").expect("write");
        fs::write(b.join("was-b"), b"").expect("write");
        exchange(&a, &b).expect("exchanges");
        assert!(a.join("was-b").exists() && b.join("was-a").exists());
    }

    #[test]
    fn siblings_append_to_the_name() {
        assert_eq!(
            sibling(Path::new("/srv/ara/data.v2"), ".compacting-7"),
            Path::new("/srv/ara/data.v2.compacting-7")
        );
    }
}
