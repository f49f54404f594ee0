//! Finding case files under the paths given on the command line, deciding their ids, and
//! loading each one on its own so a broken file fails only itself.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use super::error::CaseError;
use super::load::load_case;
use super::model::Case;

/// The file that marks the root of a case tree: case ids are relative to the directory that
/// holds it.
pub const ROOT_MARKER: &str = "case.schema.json";

/// One case file found, loaded or not.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    pub id: String,
    pub path: PathBuf,
    pub result: Result<Case, CaseError>,
}

impl LoadedCase {
    pub fn case(&self) -> Option<&Case> {
        self.result.as_ref().ok()
    }

    pub fn error(&self) -> Option<&CaseError> {
        self.result.as_ref().err()
    }
}

/// Loads every case under `paths` (files, or folders searched recursively for `*.toml`),
/// sorted by id, each file once. A path that does not exist or a folder that cannot be read
/// yields an entry whose result is the error.
pub fn load_paths(paths: &[PathBuf]) -> Vec<LoadedCase> {
    let mut seen = BTreeSet::new();
    let mut loaded = Vec::new();
    for found in find_case_files(paths) {
        let key = std::fs::canonicalize(&found.path).unwrap_or_else(|_| found.path.clone());
        if !seen.insert(key) {
            continue;
        }
        let result = match found.problem {
            Some(problem) => Err(problem),
            None => load_case(&found.path, found.id.clone()),
        };
        loaded.push(LoadedCase {
            id: found.id,
            path: found.path,
            result,
        });
    }
    loaded.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.path.cmp(&b.path)));
    loaded
}

/// Loads one case file; its id is relative to the nearest enclosing case root.
pub fn load_case_file(path: &Path) -> Result<Case, CaseError> {
    load_case(path, case_id(path, &cases_root_for(path)))
}

/// A case file found on disk (or a path that could not be searched).
#[derive(Debug, Clone)]
pub struct FoundCase {
    pub id: String,
    pub path: PathBuf,
    problem: Option<CaseError>,
}

/// The case files under `paths`, in a deterministic order (folders walked in name order).
pub fn find_case_files(paths: &[PathBuf]) -> Vec<FoundCase> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            let root = cases_root_for(path);
            walk(path, &root, &mut found);
        } else if path.is_file() {
            let root = cases_root_for(path);
            found.push(FoundCase {
                id: case_id(path, &root),
                path: path.clone(),
                problem: None,
            });
        } else {
            found.push(FoundCase {
                id: path.display().to_string(),
                path: path.clone(),
                problem: Some(CaseError::whole_file(path, "no such case file or folder")),
            });
        }
    }
    found
}

fn walk(dir: &Path, root: &Path, found: &mut Vec<FoundCase>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            found.push(FoundCase {
                id: case_id(dir, root),
                path: dir.to_path_buf(),
                problem: Some(CaseError::whole_file(
                    dir,
                    format!("cannot read the folder: {error}"),
                )),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, root, found);
        } else if name.ends_with(".toml") {
            found.push(FoundCase {
                id: case_id(&path, root),
                path,
                problem: None,
            });
        }
    }
}

/// The root case ids are relative to: the nearest folder at or above `path` holding
/// [`ROOT_MARKER`], else the nearest folder named `cases`, else `path` itself (a folder) or
/// its parent (a file).
pub fn cases_root_for(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let start = if absolute.is_dir() {
        absolute.clone()
    } else {
        absolute
            .parent()
            .map_or_else(|| absolute.clone(), Path::to_path_buf)
    };
    if let Some(marked) = start
        .ancestors()
        .find(|dir| dir.join(ROOT_MARKER).is_file())
    {
        return marked.to_path_buf();
    }
    if let Some(named) = start
        .ancestors()
        .find(|dir| dir.file_name().is_some_and(|n| n == "cases"))
    {
        return named.to_path_buf();
    }
    start
}

/// `root/s3/preflight/put.toml` → `s3/preflight/put`.
pub fn case_id(path: &Path, root: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let relative = absolute.strip_prefix(root).unwrap_or(&absolute);
    let mut parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if let Some(last) = parts.last_mut()
        && let Some(stem) = last.strip_suffix(".toml")
    {
        *last = stem.to_owned();
    }
    parts.join("/")
}
