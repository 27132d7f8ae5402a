//! Stores on disk, as the tests and the bench look at them: their size,
//! their files, copies of them.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

/// The bytes the files below `dir` take on disk, as `du` counts them (what
/// `ara-server compact` prints as a store's size).
pub fn bytes_on_disk(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).expect("read the directory") {
        let entry = entry.expect("a directory entry");
        let meta = entry.metadata().expect("a file's metadata");
        total += if meta.is_dir() {
            bytes_on_disk(&entry.path())
        } else {
            meta.blocks() * 512
        };
    }
    total
}

/// Every file below `dir` with its bytes, to see that nothing changed.
pub fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(next) = todo.pop() {
        for entry in std::fs::read_dir(&next).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                all.insert(path.clone(), std::fs::read(&path).expect("read file"));
            }
        }
    }
    all
}

/// Copies the directory `from` to `to`, files and subdirectories.
pub fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}
