//! The configuration model: rules exactly as S3 stores them, and the parse error type.

use serde::{Deserialize, Serialize};

/// A bucket's CORS configuration, values verbatim as S3 stores them (no normalisation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorsConfiguration {
    pub rules: Vec<CorsRule>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorsRule {
    pub id: Option<String>,
    pub allowed_methods: Vec<String>,
    pub allowed_origins: Vec<String>,
    pub allowed_headers: Vec<String>,
    pub expose_headers: Vec<String>,
    /// Kept as text so a non-integer value can be reported the way S3 does.
    pub max_age_seconds: Option<String>,
}

impl CorsRule {
    /// `MaxAgeSeconds` as S3 writes it into `Access-Control-Max-Age`: the integer in decimal.
    /// `None` when unset or not an integer (validation rejects the latter).
    pub fn max_age(&self) -> Option<i64> {
        self.max_age_seconds.as_deref().and_then(parse_xml_integer)
    }

    /// Whether the origin list holds the literal `*`, which makes S3 answer
    /// `Access-Control-Allow-Origin: *` instead of echoing the origin.
    pub fn allows_any_origin(&self) -> bool {
        self.allowed_origins.iter().any(|o| o == "*")
    }
}

/// Reads an `xs:integer` the way a schema validator does: surrounding XML whitespace is
/// collapsed away, an optional sign, then at least one ASCII digit. Values that do not fit an
/// `i64` are treated as not an integer.
pub(crate) fn parse_xml_integer(text: &str) -> Option<i64> {
    let trimmed = text.trim_matches([' ', '\t', '\r', '\n']);
    let digits = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let unsigned = trimmed.strip_prefix('+').unwrap_or(trimmed);
    unsigned.parse().ok()
}

/// Which of the three forms a configuration was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    ConsoleJson,
    CliJson,
    Xml,
}

/// The text could not be read as a CORS configuration at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub format: Option<SourceFormat>,
    /// 1-based line of the problem in the parsed text, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(
        format: Option<SourceFormat>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            format,
            line,
            message: message.into(),
        }
    }
}

/// The 1-based line holding byte `offset` of `text`.
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
