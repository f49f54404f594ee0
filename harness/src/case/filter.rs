//! Which cases a command works on: `--filter TEXT` (in the id or title, case-insensitive) and
//! `--tag TAG` (any of them), built once from the command line and asked of every case.

use super::discover::LoadedCase;
use super::model::Case;

/// A selection of cases; the default selects every case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Lower-cased `--filter` text.
    text: Option<String>,
    tags: Vec<String>,
}

impl Filter {
    pub fn new(text: Option<&str>, tags: &[String]) -> Self {
        Filter {
            text: text.map(str::to_lowercase),
            tags: tags.to_vec(),
        }
    }

    fn text_in(&self, haystacks: &[&str]) -> bool {
        self.text
            .as_ref()
            .is_none_or(|text| haystacks.iter().any(|h| h.to_lowercase().contains(text)))
    }
}

impl Case {
    /// Whether `filter` selects this case: the text in its id or title, and one of the tags.
    pub fn matches(&self, filter: &Filter) -> bool {
        filter.text_in(&[&self.id, &self.title])
            && (filter.tags.is_empty() || filter.tags.iter().any(|t| self.tags.contains(t)))
    }
}

impl LoadedCase {
    /// [`Case::matches`]; a file that did not load has no title or tags, so only a text filter
    /// on its id can select it (and any `--tag` leaves it out).
    pub fn matches(&self, filter: &Filter) -> bool {
        match self.case() {
            Some(case) => case.matches(filter),
            None => filter.tags.is_empty() && filter.text_in(&[&self.id]),
        }
    }
}
