//! Rule matching (`docs/facts/s3.md` §5) and the CORS headers a matched rule produces (§3.2, §4).
//!
//! S3 evaluates rules in document order and uses the **first** rule whose three conditions all
//! hold; no merging across rules:
//!
//! 1. origin: the `Origin` value equals one `AllowedOrigin` as a whole string, or matches it as a
//!    pattern when the value holds a `*` (anchored at both ends; `*` matches any run of
//!    characters, the empty run included, dots included). Case-sensitive (Low, §5: not
//!    documented; MinIO and LocalStack compare case-sensitively).
//! 2. method: the effective method (the preflight's `Access-Control-Request-Method`; on an
//!    actual request that header when present, else the HTTP method) equals one `AllowedMethod`.
//! 3. headers, only when `Access-Control-Request-Headers` is present: every listed name matches
//!    some `AllowedHeader` of the same rule, case-insensitively, `*` being a wildcard.
//!
//! Every tried rule leaves a plain-words step in the [`Trace`], naming the condition that failed
//! and the likely cause (trailing slash, http vs https, port, case).

use crate::config::{CorsConfiguration, CorsRule};
use crate::http::{HeaderList, HeaderText, split_on};
use crate::trace::{Actor, Recorder, Trace};

/// The `Vary` value S3 sends with every successful CORS evaluation (§3.2, §7, High).
pub const VARY_VALUE: &str =
    "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

/// Where the effective method of a request came from, for the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodSource<'a> {
    /// The preflight's `Access-Control-Request-Method`.
    PreflightRequestMethod,
    /// An actual request's own HTTP method.
    HttpMethod,
    /// An actual request's `Access-Control-Request-Method`, which overrides its HTTP method
    /// (§4, High: a GET carrying `Access-Control-Request-Method: PUT` is matched as PUT).
    OverriddenHttpMethod(&'a str),
}

/// The request side of a match.
#[derive(Debug, Clone, Copy)]
pub struct MatchInput<'a> {
    pub origin: &'a str,
    pub method: &'a str,
    pub method_source: MethodSource<'a>,
    /// The parsed `Access-Control-Request-Headers` names, `None` when the header is absent.
    pub requested_headers: Option<&'a [HeaderText]>,
}

/// Splits an `Access-Control-Request-Headers` value the way S3 does (§3.2): on `,`, trimming
/// whitespace, dropping empty items (Medium), lower-casing (High).
pub fn requested_header_names(value: &str) -> Vec<HeaderText> {
    split_on(value, b',')
        .map(|item| item.trim_matches([' ', '\t']))
        .filter(|item| !item.is_empty())
        .map(HeaderText::lowercase)
        .collect()
}

/// Anchored wildcard match: `*` stands for any run of characters, including the empty run.
/// Validation allows one `*` per value; several are handled too, so an unvalidated
/// configuration still gets a sensible answer.
pub fn wildcard_matches(pattern: &str, value: &str) -> bool {
    wildcard_matches_by(pattern, value, |p, v| p == v)
}

/// [`wildcard_matches`] with ASCII letters compared case-insensitively (no lower-cased copies).
fn wildcard_matches_ignore_ascii_case(pattern: &str, value: &str) -> bool {
    wildcard_matches_by(pattern, value, |p, v| p.eq_ignore_ascii_case(&v))
}

/// The matcher behind both: it walks bytes, which gives the same answer as walking characters
/// because a literal pattern byte can only line up with the start of the same UTF-8 character.
fn wildcard_matches_by(pattern: &str, value: &str, same: impl Fn(u8, u8) -> bool) -> bool {
    let (p, v) = (pattern.as_bytes(), value.as_bytes());
    let (mut pi, mut vi) = (0, 0);
    // Position of the last `*` seen and the value position it was tried at, for backtracking.
    let mut last_star: Option<(usize, usize)> = None;
    while vi < v.len() {
        if pi < p.len() && p[pi] == b'*' {
            last_star = Some((pi, vi));
            pi += 1;
        } else if pi < p.len() && same(p[pi], v[vi]) {
            pi += 1;
            vi += 1;
        } else if let Some((star, tried)) = last_star {
            pi = star + 1;
            vi = tried + 1;
            last_star = Some((star, tried + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// Condition 1 for one `AllowedOrigin` value.
pub fn origin_matches(allowed: &str, origin: &str) -> bool {
    if allowed.contains('*') {
        wildcard_matches(allowed, origin)
    } else {
        allowed == origin
    }
}

/// Condition 3 for one requested (already lower-cased) header name and one `AllowedHeader`.
pub fn header_matches(allowed: &str, requested: &str) -> bool {
    wildcard_matches_ignore_ascii_case(allowed, requested)
}

/// Finds the first rule that matches, writing one step per tried rule into `trace`.
pub fn find_rule(
    config: &CorsConfiguration,
    input: &MatchInput<'_>,
    trace: &mut Trace,
) -> Option<usize> {
    find_rule_recorded(config, input, &mut Recorder::to(trace))
}

/// [`find_rule`] writing to a recorder, which may be switched off.
pub(crate) fn find_rule_recorded(
    config: &CorsConfiguration,
    input: &MatchInput<'_>,
    trace: &mut Recorder<'_>,
) -> Option<usize> {
    if config.rules.is_empty() {
        trace.fail(
            Actor::S3,
            "the CORS configuration has no rules, so nothing can match",
        );
        return None;
    }
    for (index, rule) in config.rules.iter().enumerate() {
        let origin_ok = rule
            .allowed_origins
            .iter()
            .any(|a| origin_matches(a, input.origin));
        let method_ok = rule.allowed_methods.iter().any(|m| m == input.method);
        let headers_ok = input.requested_headers.is_none_or(|requested| {
            requested
                .iter()
                .all(|h| rule.allowed_headers.iter().any(|a| header_matches(a, h)))
        });
        if origin_ok && method_ok && headers_ok {
            trace.pass_with(Actor::S3, || {
                format!(
                    "{} matches: {}",
                    rule_label(index, rule),
                    describe_match(rule, input)
                )
            });
            return Some(index);
        }
        if trace.is_on() {
            let label = rule_label(index, rule);
            for failure in rule_failures(rule, input, origin_ok, method_ok) {
                trace.fail_with(Actor::S3, || format!("{label}: {failure}"));
            }
        }
    }
    trace.fail_with(Actor::S3, || {
        format!(
            "none of the {} rule(s) matches, so S3 adds no CORS headers",
            config.rules.len()
        )
    });
    None
}

/// Why `rule` does not match, one sentence per failed condition (origin, method, headers).
fn rule_failures(
    rule: &CorsRule,
    input: &MatchInput<'_>,
    origin_ok: bool,
    method_ok: bool,
) -> Vec<String> {
    let mut failures = Vec::new();
    if !origin_ok {
        failures.push(explain_origin_failure(rule, input.origin));
    }
    if !method_ok {
        failures.push(explain_method_failure(rule, input));
    }
    if let Some(requested) = input.requested_headers {
        let unmatched: Vec<&HeaderText> = requested
            .iter()
            .filter(|h| !rule.allowed_headers.iter().any(|a| header_matches(a, h)))
            .collect();
        if !unmatched.is_empty() {
            failures.push(explain_header_failure(rule, &unmatched));
        }
    }
    failures
}

/// The CORS headers S3 sends for a matched rule, in the order this engine emits them (the wire
/// order is not captured, §11.7): `Access-Control-Allow-Origin`,
/// `Access-Control-Allow-Credentials` (only when the origin is echoed), `Access-Control-Allow-Methods`
/// (the rule's whole list, §11.13), `Access-Control-Allow-Headers` (the requested names,
/// lower-cased, only when some were requested), `Access-Control-Expose-Headers` (if any),
/// `Access-Control-Max-Age` (if set), `Vary`.
pub fn cors_response_headers(
    rule: &CorsRule,
    origin: &str,
    requested_headers: Option<&[HeaderText]>,
) -> HeaderList {
    // Room for what the bucket model adds around them: S3's request ids, the object headers
    // (ETag, Content-Type, ...) and Date and Server.
    let mut headers = HeaderList(Vec::with_capacity(20));
    // §5: a literal `*` in the rule's origins wins over an echo (Medium for mixed lists, §11.10).
    if rule.allows_any_origin() {
        headers.push_static("Access-Control-Allow-Origin", "*");
    } else {
        headers.push_named("Access-Control-Allow-Origin", origin);
        headers.push_static("Access-Control-Allow-Credentials", "true");
    }
    headers.push_named(
        "Access-Control-Allow-Methods",
        HeaderText::join(&rule.allowed_methods, ", "),
    );
    // An empty header list (`Access-Control-Request-Headers:` with nothing in it) gives no
    // Access-Control-Allow-Headers line: S3's answer to that is not captured (Low).
    if let Some(names) = requested_headers.filter(|names| !names.is_empty()) {
        headers.push_named(
            "Access-Control-Allow-Headers",
            HeaderText::join(names, ", "),
        );
    }
    if !rule.expose_headers.is_empty() {
        headers.push_named(
            "Access-Control-Expose-Headers",
            HeaderText::join(&rule.expose_headers, ", "),
        );
    }
    // §11.9: whether S3 sends `Access-Control-Max-Age: 0` for a zero value is unknown; it is sent.
    if let Some(max_age) = rule.max_age() {
        headers.push_named("Access-Control-Max-Age", max_age.to_string());
    }
    headers.push_static("Vary", VARY_VALUE);
    headers
}

/// "rule 2" or "rule 2 (ID 'images')": 1-based, as people count rules in their document.
pub fn rule_label(index: usize, rule: &CorsRule) -> String {
    match &rule.id {
        Some(id) => format!("rule {} (ID '{id}')", index + 1),
        None => format!("rule {}", index + 1),
    }
}

fn describe_match(rule: &CorsRule, input: &MatchInput<'_>) -> String {
    let allowed = rule
        .allowed_origins
        .iter()
        .find(|a| origin_matches(a, input.origin))
        .map_or("", String::as_str);
    let mut text = format!(
        "origin '{}' matches AllowedOrigin '{allowed}', method '{}'{} is allowed",
        input.origin,
        input.method,
        method_source_words(input.method_source)
    );
    match input.requested_headers {
        Some(names) if !names.is_empty() => {
            text.push_str(&format!(
                ", requested headers {} are allowed",
                quoted_list(names)
            ));
        }
        _ => {}
    }
    text
}

fn method_source_words(source: MethodSource<'_>) -> String {
    match source {
        MethodSource::PreflightRequestMethod => " (Access-Control-Request-Method)".to_owned(),
        MethodSource::HttpMethod => String::new(),
        MethodSource::OverriddenHttpMethod(http) => format!(
            " (from Access-Control-Request-Method, which S3 uses instead of the request's own {http})"
        ),
    }
}

fn explain_method_failure(rule: &CorsRule, input: &MatchInput<'_>) -> String {
    let mut text = format!(
        "method '{}'{} is not among AllowedMethod {}",
        input.method,
        method_source_words(input.method_source),
        rule.allowed_methods.join(", ")
    );
    if rule
        .allowed_methods
        .iter()
        .any(|m| m.eq_ignore_ascii_case(input.method))
    {
        text.push_str(" (methods compare case-sensitively)");
    }
    text
}

fn explain_header_failure(rule: &CorsRule, unmatched: &[&HeaderText]) -> String {
    let names = quoted_list(unmatched);
    let noun = if unmatched.len() == 1 {
        "header"
    } else {
        "headers"
    };
    if rule.allowed_headers.is_empty() {
        format!(
            "requested {noun} {names} not allowed: the rule has no AllowedHeader, so any \
             Access-Control-Request-Headers fails it"
        )
    } else {
        format!(
            "requested {noun} {names} match{} none of AllowedHeader {}",
            if unmatched.len() == 1 { "es" } else { "" },
            quoted_list(&rule.allowed_headers)
        )
    }
}

fn explain_origin_failure(rule: &CorsRule, origin: &str) -> String {
    match rule.allowed_origins.as_slice() {
        [] => format!("origin '{origin}' cannot match: the rule has no AllowedOrigin"),
        [only] => {
            let mut text = format!("origin '{origin}' does not match AllowedOrigin '{only}'");
            if let Some(hint) = origin_mismatch_hint(only, origin) {
                text.push_str(&format!(" ({hint})"));
            }
            text
        }
        several => {
            let described: Vec<String> = several
                .iter()
                .map(|allowed| match origin_mismatch_hint(allowed, origin) {
                    Some(hint) => format!("'{allowed}' ({hint})"),
                    None => format!("'{allowed}'"),
                })
                .collect();
            format!(
                "origin '{origin}' matches none of AllowedOrigin {}",
                described.join(", ")
            )
        }
    }
}

/// Names the usual reason an origin misses an `AllowedOrigin`, if it is one of the usual ones.
pub fn origin_mismatch_hint(allowed: &str, origin: &str) -> Option<String> {
    if origin.is_empty() {
        return Some("the Origin header is empty".to_owned());
    }
    if origin == "null" {
        return Some(
            "the page has an opaque origin and sends 'Origin: null' (file:// page, sandboxed \
             iframe, data: URL, or a redirect across origins); only AllowedOrigin '*' or 'null' \
             matches it"
                .to_owned(),
        );
    }
    let trimmed = allowed.trim();
    if trimmed != allowed && origin_matches(trimmed, origin) {
        return Some(
            "AllowedOrigin has leading or trailing whitespace; S3 keeps values verbatim".to_owned(),
        );
    }
    if let Some(trimmed) = allowed.strip_suffix('/')
        && origin_matches(trimmed, origin)
    {
        return Some(
            "trailing slash: AllowedOrigin ends with '/', but an Origin header never does"
                .to_owned(),
        );
    }
    if let Some(trimmed) = origin.strip_suffix('/')
        && origin_matches(allowed, trimmed)
    {
        return Some("trailing slash in the Origin".to_owned());
    }
    if origin_matches(&allowed.to_ascii_lowercase(), &origin.to_ascii_lowercase()) {
        return Some("letter case differs; S3 compares origins case-sensitively".to_owned());
    }
    let allowed_parts = OriginParts::split(allowed);
    let origin_parts = OriginParts::split(origin);
    if let (Some(a), Some(o)) = (&allowed_parts, &origin_parts) {
        let without_path = &allowed[..allowed.len() - a.path.len()];
        if !a.path.is_empty() && origin_matches(without_path, origin) {
            return Some(format!(
                "AllowedOrigin carries the path '{}'; an origin is only scheme://host[:port]",
                a.path
            ));
        }
        let same_host = origin_matches(a.host, o.host);
        if same_host && a.port == o.port && a.scheme != o.scheme {
            return Some(format!("{} vs {}", o.scheme, a.scheme));
        }
        if same_host && a.scheme == o.scheme && a.port != o.port {
            return Some(port_hint(a.port, o.port));
        }
        if same_host && a.scheme != o.scheme && a.port != o.port {
            return Some(format!(
                "{} vs {}, and {}",
                o.scheme,
                a.scheme,
                port_hint(a.port, o.port)
            ));
        }
        if a.scheme == o.scheme
            && a.port == o.port
            && let Some(parent) = a.host.strip_prefix("*.")
            && o.host == parent
        {
            return Some(format!(
                "'*.{parent}' matches subdomains only: the '.' after '*' must be present, so the \
                 bare '{parent}' does not match"
            ));
        }
    }
    if allowed_parts.is_none() && origin_parts.is_some() && !allowed.contains('*') {
        return Some(
            "AllowedOrigin has no scheme; a browser's Origin is scheme://host[:port]".to_owned(),
        );
    }
    None
}

fn port_hint(allowed: Option<&str>, origin: Option<&str>) -> String {
    match (allowed, origin) {
        (Some(a), None) => format!(
            "port differs: AllowedOrigin has ':{a}', the Origin has none (browsers omit the \
             default port)"
        ),
        (None, Some(o)) => format!("port differs: the Origin has ':{o}', AllowedOrigin has none"),
        (a, o) => format!(
            "port differs: ':{}' vs ':{}'",
            o.unwrap_or_default(),
            a.unwrap_or_default()
        ),
    }
}

/// `scheme://host[:port][path]` split into parts, for explanations only (matching itself is a
/// plain string comparison, as in S3).
struct OriginParts<'a> {
    scheme: &'a str,
    host: &'a str,
    port: Option<&'a str>,
    path: &'a str,
}

impl<'a> OriginParts<'a> {
    fn split(text: &'a str) -> Option<Self> {
        let (scheme, rest) = text.split_once("://")?;
        let (authority, path) = match rest.find('/') {
            Some(slash) => (&rest[..slash], &rest[slash..]),
            None => (rest, ""),
        };
        let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
            // IPv6 literal: `[::1]:8080`.
            match bracketed.split_once(']') {
                Some((_, after)) => {
                    let host_len = authority.len() - after.len();
                    (&authority[..host_len], after.strip_prefix(':'))
                }
                None => (authority, None),
            }
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => {
                    (host, Some(port))
                }
                _ => (authority, None),
            }
        };
        Some(Self {
            scheme,
            host,
            port,
            path,
        })
    }
}

fn quoted_list<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| format!("'{}'", s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}
