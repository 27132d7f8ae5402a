//! Files written whole or not at all: the seal, the automatic backups and
//! `ara-server backup`'s file. The bytes go to a temporary name beside the
//! target, are synced, and are renamed over it; then the directory is
//! synced, so the rename itself survives a crash.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes `target` through `partial` (a name in the same directory): what
/// `fill` writes, then sync, rename, directory sync. Returns the file's size.
pub fn write(
    target: &Path,
    partial: &Path,
    fill: impl FnOnce(&mut BufWriter<fs::File>) -> std::io::Result<()>,
) -> std::io::Result<u64> {
    let mut out = BufWriter::new(fs::File::create(partial)?);
    fill(&mut out)?;
    out.flush()?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    let len = file.metadata()?.len();
    fs::rename(partial, target)?;
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty());
    fs::File::open(dir.unwrap_or(Path::new(".")))?.sync_all()?;
    Ok(len)
}

/// [`write`] of a value as JSON.
pub fn write_json(
    target: &Path,
    partial: &Path,
    value: &impl serde::Serialize,
) -> std::io::Result<u64> {
    write(target, partial, |out| {
        serde_json::to_writer(out, value).map_err(std::io::Error::other)
    })
}
