//! Lint for bucket CORS configurations: S3's own PutBucketCors verdict plus the classic mistakes
//! people copy from tutorials, each said in plain words with what to write instead.
//!
//! S3 stores origins verbatim and compares them as strings, so an `AllowedOrigin` with a
//! trailing slash, a path, a default port, upper-case letters or stray whitespace is accepted and
//! then never matches the `Origin` a browser sends (`docs/facts/s3.md` §5). Other findings cover
//! what the browser half makes of S3's answer: `*` origins with credentials, an unexposed `ETag`,
//! Chrome's cap on the preflight cache, and page origins no rule allows.
//!
//! [`lint_text`] and [`lint_config`] are the entry points; `checks` holds one function per
//! mistake. Origin matching is [`crate::s3::matching`]'s, so lint and prediction never disagree on
//! it. Finding codes, severities, rule numbers and messages are the documented contract of
//! `cors-harness lint --format json` (docs/predict-json.md).

use serde::Serialize;

use crate::config::{self, CorsConfiguration, ParseError, SourceFormat};
use crate::s3::S3Error;

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
    /// 1-based rule number, as people count rules in their document.
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

/// Lints an already parsed configuration: S3's verdict, then every finding in a stable order
/// (per rule: origins, methods, headers, max age; then across rules; then against the page).
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
