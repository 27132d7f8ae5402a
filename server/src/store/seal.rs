//! The seal: what the data directory held when the server last let go of
//! it, kept in a small file beside sled's (`ara-seal.json`).
//!
//! sled takes a damaged file for a crash in the middle of a write: it
//! recovers up to the damage, cuts off the rest and opens — a store that
//! lost most of its log would start as if it were young (and, with an
//! empty log, load the demo again). The seal catches that before anything
//! is lost for good:
//!
//! - After a clean stop, once sled has closed its files, the seal holds the
//!   size and SHA-256 of every file and the log's last version. The next
//!   open compares the files *before sled touches them*: any difference
//!   (truncated, overwritten, missing) refuses the store, unchanged.
//! - While a server runs the seal says "open" with the version the log had
//!   when it opened: after a crash, sled's recovery runs as it must, and a
//!   log that then ends before that version is refused.
//!
//! A store without a seal (made before it existed, or by `restore`) opens
//! as before and gets one.

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use ara_shared::Version;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::StoreError;

const NAME: &str = "ara-seal.json";
const PARTIAL: &str = "ara-seal.json.partial";
/// How long sealing waits for sled to let go of its files.
const LET_GO: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Seal {
    /// The log's last version when the seal was written; the log never ends
    /// before it.
    version: Version,
    /// The files after a clean stop; `None` while a server has the store
    /// open (or after it stopped without sealing).
    #[serde(default)]
    files: Option<Vec<SealedFile>>,
}

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct SealedFile {
    /// Relative to the data directory, with `/` between parts.
    path: String,
    len: u64,
    sha256: String,
}

/// Reads the seal and, after a clean stop, compares the files with it.
/// Returns the version the log must reach (0 without a seal).
pub fn verify_before_open(dir: &Path) -> Result<Version, StoreError> {
    let seal = match fs::read(dir.join(NAME)) {
        Ok(bytes) => serde_json::from_slice::<Seal>(&bytes)
            .map_err(|e| StoreError::Corrupt(format!("the seal file {NAME} is unreadable: {e}")))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Version(0)),
        Err(e) => return Err(StoreError::Io(e)),
    };
    if let Some(sealed) = &seal.files {
        let now = files(dir)?;
        let differences: Vec<String> = differences(sealed, &now);
        if !differences.is_empty() {
            return Err(StoreError::Corrupt(format!(
                "its files changed after the server stopped cleanly ({}); the store was not opened",
                differences.join("; ")
            )));
        }
    }
    Ok(seal.version)
}

/// Marks the store open at `version` (before anything is written to it).
pub fn mark_open(dir: &Path, version: Version) -> Result<(), StoreError> {
    write(
        dir,
        &Seal {
            version,
            files: None,
        },
    )
}

/// Seals a store that no process has open any more: the caller has
/// dropped every handle. sled's background thread lets go of the files a
/// little after the last handle, so this waits for its lock, up to
/// [`LET_GO`]; if sled still holds them then, nothing is sealed and `false`
/// returned: the seal stays "open", which only means the next start cannot
/// compare the files.
pub fn seal_closed(dir: &Path, version: Version) -> Result<bool, StoreError> {
    let started = std::time::Instant::now();
    // Held while the files are read, so that nobody opens them meanwhile.
    let lock = loop {
        match super::sled_lock(dir)? {
            super::SledLock::Taken(lock) => break lock,
            super::SledLock::NoStore => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("no sled file in {}", dir.display()),
                )
                .into());
            }
            super::SledLock::Held if started.elapsed() > LET_GO => return Ok(false),
            super::SledLock::Held => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    };
    let files = files(dir)?;
    drop(lock);
    write(
        dir,
        &Seal {
            version,
            files: Some(files),
        },
    )?;
    Ok(true)
}

fn write(dir: &Path, seal: &Seal) -> Result<(), StoreError> {
    crate::whole_file::write(&dir.join(NAME), &dir.join(PARTIAL), |out| {
        serde_json::to_writer_pretty(out, seal).map_err(std::io::Error::other)
    })?;
    Ok(())
}

/// Every file of the store (all but the seal), sorted by path.
fn files(dir: &Path) -> Result<Vec<SealedFile>, StoreError> {
    let mut found = Vec::new();
    let mut pending: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(dir)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            if relative == NAME || relative == PARTIAL {
                continue;
            }
            let (len, sha256) = digest(&path)?;
            found.push(SealedFile {
                path: relative,
                len,
                sha256,
            });
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

fn digest(path: &Path) -> Result<(u64, String), StoreError> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        len += n as u64;
    }
    Ok((len, hex::encode(hasher.finalize())))
}

/// What differs between the sealed files and those found, in words.
fn differences(sealed: &[SealedFile], now: &[SealedFile]) -> Vec<String> {
    let mut out = Vec::new();
    for file in sealed {
        match now.iter().find(|f| f.path == file.path) {
            None => out.push(format!("{} is missing", file.path)),
            Some(f) if f.len != file.len => out.push(format!(
                "{} has {} bytes instead of {}",
                file.path, f.len, file.len
            )),
            Some(f) if f.sha256 != file.sha256 => {
                out.push(format!("{} has other contents", file.path));
            }
            Some(_) => {}
        }
    }
    for file in now {
        if !sealed.iter().any(|f| f.path == file.path) {
            out.push(format!("{} is new", file.path));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_seal_refuses_any_change_and_an_open_one_only_sets_the_floor() {
        let dir = tempfile::tempdir().expect("dir");
        let d = dir.path();
        assert_eq!(verify_before_open(d).expect("no seal"), Version(0));
        fs::write(d.join("db"), b"0123456789").expect("db");
        fs::create_dir(d.join("blobs")).expect("blobs");
        fs::write(d.join("blobs").join("1"), b"blob").expect("blob");
        assert!(seal_closed(d, Version(7)).expect("seal"));
        assert_eq!(verify_before_open(d).expect("whole"), Version(7));

        fs::write(d.join("db"), b"0123456780").expect("overwrite");
        let refused = verify_before_open(d).expect_err("changed").to_string();
        assert!(refused.contains("db has other contents"), "{refused}");
        fs::write(d.join("db"), b"01234").expect("truncate");
        let refused = verify_before_open(d).expect_err("changed").to_string();
        assert!(
            refused.contains("db has 5 bytes instead of 10"),
            "{refused}"
        );
        fs::write(d.join("db"), b"0123456789").expect("restore");
        fs::remove_file(d.join("blobs").join("1")).expect("remove");
        let refused = verify_before_open(d).expect_err("changed").to_string();
        assert!(refused.contains("blobs/1 is missing"), "{refused}");

        mark_open(d, Version(9)).expect("open");
        assert_eq!(
            verify_before_open(d).expect("open seals compare no files"),
            Version(9)
        );
    }
}
