//! Temporary files of one invocation: a name no other invocation can pick
//! (two invocations of the same report or import, a redelivery beside the
//! first attempt, may run at once in one process or container), removed
//! when dropped, also on an early error.

use std::path::{Path, PathBuf};

/// A temporary file path, unique to its maker, removed when dropped.
#[derive(Debug)]
pub struct TempFile(PathBuf);

impl TempFile {
    /// A fresh path in the system's temporary directory:
    /// `pulse-{what}-{random}.{ext}`. Nothing is created yet.
    pub fn new(what: &str, ext: &str) -> Self {
        TempFile(std::env::temp_dir().join(format!("pulse-{what}-{}.{ext}", crate::domain::links::new_id())))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_makers_of_the_same_file_get_two_paths_and_each_is_removed_when_dropped() {
        let (a, b) = (TempFile::new("report", "csv"), TempFile::new("report", "csv"));
        assert_ne!(a.path(), b.path());
        std::fs::write(a.path(), "x").unwrap();
        let kept = a.path().to_path_buf();
        drop(a);
        assert!(!kept.exists());
    }
}
