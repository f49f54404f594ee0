//! Mistakes in a CORS configuration that S3 accepts (or rejects) but that stop a browser, in
//! plain words: the checks behind `cors-harness lint`.
//!
//! S3 stores origins verbatim and compares them as strings, so an `AllowedOrigin` with a
//! trailing slash, a path, a default port or upper-case letters is accepted and then never
//! matches the `Origin` a browser sends (the fact sheet's §5, and the usual advice in tutorials
//! that gets it wrong). Findings also cover what the browser half makes of S3's answer: `*`
//! origins and credentials, unexposed `ETag`, the preflight-cache caps.

use serde::Serialize;

use super::model::{CorsConfiguration, CorsRule};
use super::validate::validate;
use crate::s3::matching::{origin_matches, origin_mismatch_hint, rule_label};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// S3 refuses the configuration.
    Error,
    /// A value that can never match what a browser sends, or a page origin no rule allows.
    Warning,
    /// Works, but commonly not what the author meant.
    Note,
}

/// One finding. `code` is a stable kebab-case name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    /// 0-based index of the rule concerned, if one is.
    pub rule: Option<usize>,
    pub message: String,
}

/// Chrome caps a preflight cache entry at two hours (browser facts: `kMaxTimeout`).
const CHROME_MAX_AGE_CAP: i64 = 7200;

/// Every finding for `config`; with `page_origin`, also whether that page can use the bucket.
/// Order: S3's own refusal first, then rule by rule, then the page origin.
pub fn lint(config: &CorsConfiguration, page_origin: Option<&str>) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Err(error) = validate(config) {
        findings.push(Finding {
            severity: Severity::Error,
            code: "s3-rejects",
            rule: None,
            message: format!(
                "S3 rejects this configuration with {} {}: {}",
                error.status, error.code, error.message
            ),
        });
    }
    for (index, rule) in config.rules.iter().enumerate() {
        let mut add = |severity, code, message: String| {
            findings.push(Finding {
                severity,
                code,
                rule: Some(index),
                message: format!("{}: {message}", rule_label(index, rule)),
            });
        };
        for origin in &rule.allowed_origins {
            if let Some((code, message)) = origin_problem(origin) {
                add(Severity::Warning, code, message);
            }
        }
        rule_notes(rule, &mut add);
        if let Some(earlier) = config.rules[..index].iter().position(|e| shadows(e, rule)) {
            add(
                Severity::Note,
                "shadowed-rule",
                format!(
                    "never used: {} matches every request this rule would (S3 uses the first \
                     matching rule)",
                    rule_label(earlier, &config.rules[earlier])
                ),
            );
        }
    }
    if let Some(page) = page_origin {
        page_findings(config, page, &mut findings);
    }
    findings
}

/// Why an `AllowedOrigin` value can never equal a browser's `Origin`, if it cannot.
fn origin_problem(origin: &str) -> Option<(&'static str, String)> {
    if origin == "*" {
        return None;
    }
    if origin.is_empty() {
        return Some((
            "origin-empty",
            "AllowedOrigin '' matches only an empty Origin header, which browsers never send"
                .to_owned(),
        ));
    }
    if origin.trim() != origin {
        return Some((
            "origin-whitespace",
            format!(
                "AllowedOrigin '{origin}' has leading or trailing whitespace; S3 keeps it and \
                 compares it verbatim"
            ),
        ));
    }
    let Some((scheme, rest)) = origin.split_once("://") else {
        if origin.contains('*') || origin == "null" {
            return None;
        }
        return Some((
            "origin-no-scheme",
            format!(
                "AllowedOrigin '{origin}' has no scheme; browsers send 'https://{origin}' or \
                 'http://{origin}'"
            ),
        ));
    };
    if let Some(slash) = rest.find('/') {
        let (authority, path) = rest.split_at(slash);
        let fixed = format!("{scheme}://{authority}");
        let (code, what) = if path == "/" {
            ("origin-trailing-slash", "ends with '/'".to_owned())
        } else {
            ("origin-has-path", format!("carries the path '{path}'"))
        };
        return Some((
            code,
            format!(
                "AllowedOrigin '{origin}' {what}; a browser's Origin is scheme://host[:port] only, \
                 so this never matches: write '{fixed}'"
            ),
        ));
    }
    let default_port = match scheme {
        "https" => Some(":443"),
        "http" => Some(":80"),
        _ => None,
    };
    if let Some(port) = default_port
        && let Some(host) = rest.strip_suffix(port)
    {
        return Some((
            "origin-default-port",
            format!(
                "AllowedOrigin '{origin}' spells out the default port; browsers omit it, so this \
                 never matches: write '{scheme}://{host}'"
            ),
        ));
    }
    if origin.chars().any(|c| c.is_ascii_uppercase()) {
        return Some((
            "origin-upper-case",
            format!(
                "AllowedOrigin '{origin}' has upper-case letters; browsers send scheme and host in \
                 lower case and S3 compares case-sensitively: write '{}'",
                origin.to_ascii_lowercase()
            ),
        ));
    }
    None
}

fn rule_notes(rule: &CorsRule, add: &mut impl FnMut(Severity, &'static str, String)) {
    let has_method = |m: &str| rule.allowed_methods.iter().any(|x| x == m);
    if rule.allows_any_origin() {
        add(
            Severity::Note,
            "wildcard-origin-credentials",
            "AllowedOrigin '*' makes S3 answer 'Access-Control-Allow-Origin: *' without \
             Access-Control-Allow-Credentials, so browsers block credentialed requests (cookies, \
             credentials: 'include', withCredentials)"
                .to_owned(),
        );
    }
    if rule
        .allowed_methods
        .iter()
        .any(|m| m.eq_ignore_ascii_case("OPTIONS"))
    {
        add(
            Severity::Note,
            "options-method",
            "OPTIONS does not belong in AllowedMethod: S3 rejects it, and it answers preflights \
             from the rule's other methods"
                .to_owned(),
        );
    }
    let writes = has_method("PUT") || has_method("POST") || has_method("DELETE");
    if writes && rule.allowed_headers.is_empty() {
        add(
            Severity::Note,
            "no-allowed-headers",
            "no AllowedHeader: any preflight that lists a header (Content-Type: application/json, \
             the x-amz-* headers SDKs add) fails this rule"
                .to_owned(),
        );
    }
    let etag_exposed = rule
        .expose_headers
        .iter()
        .any(|h| h.eq_ignore_ascii_case("ETag"));
    if (has_method("PUT") || has_method("POST")) && !etag_exposed {
        add(
            Severity::Note,
            "etag-not-exposed",
            "ETag is not in ExposeHeader, so scripts cannot read it (multipart uploads need each \
             part's ETag)"
                .to_owned(),
        );
    }
    if let Some(max_age) = rule.max_age()
        && max_age > CHROME_MAX_AGE_CAP
    {
        add(
            Severity::Note,
            "max-age-capped",
            format!(
                "MaxAgeSeconds {max_age}: Chrome keeps a preflight at most {CHROME_MAX_AGE_CAP} s, \
                 Firefox at most 86400 s"
            ),
        );
    }
}

/// Whether `earlier` matches every request `later` would, so `later` is never used.
fn shadows(earlier: &CorsRule, later: &CorsRule) -> bool {
    let origins = earlier.allows_any_origin()
        || later
            .allowed_origins
            .iter()
            .all(|o| earlier.allowed_origins.contains(o));
    let methods = later
        .allowed_methods
        .iter()
        .all(|m| earlier.allowed_methods.contains(m));
    let headers = earlier.allowed_headers.iter().any(|h| h == "*")
        || later.allowed_headers.iter().all(|h| {
            earlier
                .allowed_headers
                .iter()
                .any(|e| e.eq_ignore_ascii_case(h))
        });
    origins && methods && headers
}

fn page_findings(config: &CorsConfiguration, page: &str, findings: &mut Vec<Finding>) {
    let allowing: Vec<usize> = config
        .rules
        .iter()
        .enumerate()
        .filter(|(_, rule)| rule.allowed_origins.iter().any(|o| origin_matches(o, page)))
        .map(|(index, _)| index)
        .collect();
    if allowing.is_empty() {
        let hints: Vec<String> = config
            .rules
            .iter()
            .flat_map(|rule| &rule.allowed_origins)
            .filter_map(|allowed| {
                origin_mismatch_hint(allowed, page).map(|hint| format!("'{allowed}': {hint}"))
            })
            .collect();
        let mut message = format!("no rule allows the page origin '{page}'");
        if !hints.is_empty() {
            message.push_str(&format!(" ({})", hints.join("; ")));
        }
        findings.push(Finding {
            severity: Severity::Warning,
            code: "page-origin-not-allowed",
            rule: None,
            message,
        });
    } else if allowing
        .iter()
        .all(|&i| config.rules[i].allows_any_origin())
    {
        findings.push(Finding {
            severity: Severity::Note,
            code: "page-origin-only-by-wildcard",
            rule: Some(allowing[0]),
            message: format!(
                "the page origin '{page}' is allowed only through '*', so its credentialed \
                 requests are blocked"
            ),
        });
    }
}
