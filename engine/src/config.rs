//! Bucket CORS configurations: the model, parsing from the three forms users paste (console JSON
//! array, CLI `{"CORSRules": [...]}`, `<CORSConfiguration>` XML), S3's own validation, and the XML
//! GetBucketCors returns.

use serde::{Deserialize, Serialize};

use crate::s3::S3Error;

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

/// Parses any of the three forms, detected from the text.
pub fn parse(_text: &str) -> Result<(CorsConfiguration, SourceFormat), ParseError> {
    todo!("config::parse")
}

/// S3's PutBucketCors validation: `Ok` when S3 would store the configuration, else the exact
/// error S3 answers with.
pub fn validate(_config: &CorsConfiguration) -> Result<(), S3Error> {
    todo!("config::validate")
}
