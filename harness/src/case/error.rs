//! Why a case file could not be loaded, and where: the file, the 1-based line and column, and
//! the dotted key (e.g. `request[2].expect.outcome`), so an author can jump straight to it.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use cors_reports::predict::LoadError;
use serde::Serialize;
use toml::de::{DeTable, DeValue};

/// A case file that cannot be turned into a [`super::Case`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct CaseError {
    /// The case file.
    pub file: PathBuf,
    /// 1-based line in the case file, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// The dotted key the problem is about, when known (`bucket.cors`, `request[1].url`).
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        LoadError::from(self).fmt(f)
    }
}

/// The error as the prediction report carries it.
impl From<&CaseError> for LoadError {
    fn from(error: &CaseError) -> Self {
        LoadError {
            file: error.file.display().to_string(),
            line: error.line,
            column: error.column,
            key: error.key.clone(),
            message: error.message.clone(),
        }
    }
}

impl CaseError {
    /// An error about the file as a whole (unreadable, not found).
    pub(crate) fn whole_file(file: &Path, message: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            line: None,
            column: None,
            key: None,
            message: message.into(),
        }
    }
}

/// Turns byte offsets of one case file's text into [`CaseError`]s with lines, columns and keys.
pub(crate) struct Locator<'a> {
    file: &'a Path,
    text: &'a str,
    /// The byte offset where each line starts, so a line number is a binary search rather than a
    /// scan from the start of the file (which, once per request, made loading quadratic).
    line_starts: Vec<usize>,
}

impl<'a> Locator<'a> {
    pub fn new(file: &'a Path, text: &'a str) -> Self {
        #[cfg(test)]
        scanned::add(text.len());
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            file,
            text,
            line_starts,
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// An error at `span` about `key` (`None`: work the key out from the document).
    pub fn error(
        &self,
        span: Option<Range<usize>>,
        key: Option<&str>,
        message: impl Into<String>,
    ) -> CaseError {
        let (line, column) = match &span {
            Some(span) => {
                let (line, column) = self.line_column(span.start);
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        let key = key
            .map(str::to_owned)
            .or_else(|| span.and_then(|span| key_path_at(self.text, span.start)));
        CaseError {
            file: self.file.to_path_buf(),
            line,
            column,
            key,
            message: message.into(),
        }
    }

    /// An error at the start of the file (for a required key that is missing).
    pub fn missing(&self, key: &str, message: impl Into<String>) -> CaseError {
        self.error(Some(0..0), Some(key), message)
    }

    /// Turns a TOML syntax or type error into a located [`CaseError`].
    pub fn toml_error(&self, error: &toml::de::Error) -> CaseError {
        let message = error.message().trim_end().to_owned();
        let key = unknown_field_name(&message);
        let span = error.span();
        let mut located = self.error(span.clone(), None, message);
        // For an unknown key, report the key's own path (the document walk finds the table the
        // key sits in, and the key is named in the message).
        if let Some(unknown) = key {
            located.key = match (span.and_then(|s| key_path_at(self.text, s.start)), unknown) {
                (Some(path), name) if path.ends_with(&name) => Some(path),
                (Some(path), name) => Some(format!("{path}.{name}")),
                (None, name) => Some(name),
            };
        }
        located
    }

    /// 1-based line of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        // The number of lines starting at or before `offset`; the first starts at 0.
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// 1-based line and column (in characters) of byte `offset`.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.line(offset);
        let line_start = self.line_starts[line - 1];
        #[cfg(test)]
        scanned::add(offset - line_start);
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// serde's "unknown field `x`, expected one of ..." names the key in backticks.
fn unknown_field_name(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split_once('`').map(|(name, _)| name.to_owned())
}

/// The dotted path of the deepest key whose key or value covers byte `offset`, e.g.
/// `request[1].expect.outcome`. `None` when the text does not parse or nothing covers it.
pub(crate) fn key_path_at(text: &str, offset: usize) -> Option<String> {
    let root = DeTable::parse(text).ok()?;
    let mut path = String::new();
    walk_table(root.get_ref(), offset, &mut path);
    (!path.is_empty()).then_some(path)
}

fn walk_table(table: &DeTable<'_>, offset: usize, path: &mut String) {
    for (key, value) in table.iter() {
        let covers_key = key.span().contains(&offset);
        let covers_value = value.span().contains(&offset);
        if covers_key || covers_value {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key.get_ref());
            if covers_value {
                walk_value(value.get_ref(), offset, path);
            }
            return;
        }
    }
    // Array-of-tables and table headers: the entry covering the offset may be nested without
    // the parent's span covering it, so look one level deeper by content.
    for (key, value) in table.iter() {
        let mut nested = String::new();
        match value.get_ref() {
            DeValue::Table(inner) => walk_table(inner, offset, &mut nested),
            DeValue::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    if let DeValue::Table(inner) = item.get_ref() {
                        let mut in_item = String::new();
                        walk_table(inner, offset, &mut in_item);
                        if !in_item.is_empty() {
                            nested = format!("[{index}].{in_item}");
                            break;
                        }
                    }
                }
            }
            _ => {}
        }
        if !nested.is_empty() {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key.get_ref());
            if !nested.starts_with('[') {
                path.push('.');
            }
            path.push_str(&nested);
            return;
        }
    }
}

fn walk_value(value: &DeValue<'_>, offset: usize, path: &mut String) {
    match value {
        DeValue::Table(inner) => walk_table(inner, offset, path),
        DeValue::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                if item.span().contains(&offset) {
                    path.push_str(&format!("[{index}]"));
                    walk_value(item.get_ref(), offset, path);
                    return;
                }
            }
        }
        _ => {}
    }
}

/// How many bytes of case text the line lookups have read on this thread: what shows that
/// locating every request of a case costs one pass over the text, not one pass per request.
#[cfg(test)]
mod scanned {
    use std::cell::Cell;

    thread_local! {
        static BYTES: Cell<usize> = const { Cell::new(0) };
    }

    pub(super) fn add(bytes: usize) {
        BYTES.with(|total| total.set(total.get() + bytes));
    }

    pub(super) fn total() -> usize {
        BYTES.with(Cell::get)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locating_every_request_reads_the_case_text_a_bounded_number_of_times() {
        let requests = 2_000;
        let mut text = String::from(
            "title = \"t\"\npage = \"https://a.example.com\"\n[server]\norigin = \"https://s.example.test\"\n",
        );
        for i in 0..requests {
            text.push_str(&format!(
                "[[request]]\nurl = \"/img/x{i}.png\"\nkind = \"img\"\n"
            ));
        }
        let before = scanned::total();
        let case = crate::case::parse_case(&text, Path::new("many.toml"), "many").unwrap();
        let read = scanned::total() - before;
        assert_eq!(case.requests.len(), requests);
        assert_eq!(case.requests[requests - 1].line, 5 + 3 * (requests - 1));
        // One pass to index the lines (plus a line's worth per lookup at most); a scan from the
        // start of the file for each request would read about requests / 2 times the text.
        assert!(
            read <= 2 * text.len(),
            "line lookups read {read} bytes of a {}-byte case",
            text.len()
        );
    }

    #[test]
    fn key_path_names_nested_keys_inside_arrays_of_tables() {
        let text = "title = \"t\"\n[[request]]\nurl = \"/a\"\n[[request]]\nurl = \"/b\"\nexpect = { outcome = \"nope\" }\n";
        let offset = text.find("\"nope\"").unwrap();
        assert_eq!(
            key_path_at(text, offset).as_deref(),
            Some("request[1].expect.outcome")
        );
    }

    #[test]
    fn line_and_column_are_one_based() {
        let locator = Locator::new(Path::new("x.toml"), "a = 1\nbé = 2\n");
        assert_eq!(locator.line_column(0), (1, 1));
        assert_eq!(locator.line_column("a = 1\nbé".len()), (2, 3));
        // The newline ends its own line; the next byte starts the next one.
        assert_eq!(locator.line_column(5), (1, 6));
        assert_eq!(locator.line_column(6), (2, 1));
        assert_eq!(locator.line(6), 2);
        assert_eq!(locator.line_column(usize::MAX), (3, 1));
    }
}
