//! Checks a bucket CORS configuration the way S3's PutBucketCors does (through `cors-engine`,
//! with S3's own error code and message), then flags the classic mistakes people copy from
//! tutorials: origins with a trailing slash or a path, origins without a scheme, `*` with
//! credentials, `OPTIONS` in AllowedMethods, uploads that cannot read `ETag`, and origins the
//! page's origin never matches.
//!
//! [`lint_text`] is the entry point; `checks` holds one function per mistake. Origin matching is
//! the engine's (`cors_engine::s3::matching`), so lint and prediction never disagree on it.

use cors_engine::config::{self, CorsConfiguration, ParseError, SourceFormat};
use cors_engine::s3::S3Error;
use serde::Serialize;

mod checks;

/// What the page looks like, when the caller knows.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// The page's origin, e.g. `https://app.example.com`.
    pub page: Option<String>,
    /// The page sends credentials (cookies, `credentials: "include"`, `withCredentials`).
    pub credentials: bool,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// S3 itself refuses the configuration, or a browser will block every request it targets.
    Error,
    /// Something works differently from what the author most likely meant.
    Warning,
}

/// One mistake, tied to a rule and a value where it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable kebab-case identifier (part of the JSON output).
    pub code: &'static str,
    pub severity: Severity,
    /// 1-based rule number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<usize>,
    /// The offending value as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub message: String,
}

/// The whole verdict on one configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LintReport {
    pub format: SourceFormat,
    /// S3's PutBucketCors answer when it refuses the configuration.
    pub s3_error: Option<S3Error>,
    pub findings: Vec<Finding>,
}

impl LintReport {
    /// Nothing to report: S3 accepts it and no mistake was found.
    pub fn is_clean(&self) -> bool {
        self.s3_error.is_none() && self.findings.is_empty()
    }
}

/// Parses `text` (console JSON, CLI JSON or XML) and lints it. A parse error means the text is
/// not a CORS configuration at all.
pub fn lint_text(text: &str, options: &LintOptions) -> Result<LintReport, ParseError> {
    let (configuration, format) = config::parse(text)?;
    Ok(lint_config(&configuration, format, options))
}

/// Lints an already parsed configuration.
pub fn lint_config(
    configuration: &CorsConfiguration,
    format: SourceFormat,
    options: &LintOptions,
) -> LintReport {
    LintReport {
        format,
        s3_error: config::validate(configuration).err(),
        findings: checks::run_all(configuration, options),
    }
}
