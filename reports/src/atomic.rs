//! Replacing a file so that a reader never sees half of it: the contents go to a temporary file
//! in the same directory, which is then renamed over the final name. Every report file the
//! workspace writes goes through here.

use std::io::Write as _;
use std::path::Path;

use crate::error::ReportError;

/// Writes `contents` to `path` through a temporary file in the same directory and a rename, so
/// `path` holds either its old contents or all of the new ones.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), ReportError> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".cors-harness-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| ReportError::io("creating a temporary file in", dir, e))?;
    temp.write_all(contents)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| ReportError::io("writing", temp.path().to_path_buf(), e))?;
    temp.persist(path)
        .map_err(|e| ReportError::io("renaming a temporary file to", path, e.error))?;
    Ok(())
}
