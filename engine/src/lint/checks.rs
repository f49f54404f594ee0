//! One function per classic mistake. Each pushes [`Finding`]s with the rule number (1-based),
//! the value as written and a message that says what the browser or S3 will do and what to
//! write instead.

use crate::browser::profile::{CHROME, FIREFOX};
use crate::config::{CorsConfiguration, CorsRule};
use crate::http::origin_of;
use crate::s3::matching::{header_matches, origin_matches};

use super::{Finding, LintOptions, Severity};

/// Every check, in a stable order: per rule (origins, methods, headers), then across rules,
/// then against the page.
pub(crate) fn run_all(configuration: &CorsConfiguration, options: &LintOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, rule) in configuration.rules.iter().enumerate() {
        let number = index + 1;
        for origin in &rule.allowed_origins {
            origin_shape(number, origin, &mut findings);
        }
        methods(number, rule, &mut findings);
        headers(number, rule, &mut findings);
        max_age(number, rule, &mut findings);
    }
    shadowed_rules(configuration, &mut findings);
    credentials(configuration, options, &mut findings);
    if let Some(page) = options.page.as_deref() {
        page_matching(configuration, page, &mut findings);
    }
    findings
}

/// Whether any AllowedOrigin of `rule` matches `origin`, exactly as S3 decides it.
fn rule_matches_origin(rule: &CorsRule, origin: &str) -> bool {
    rule.allowed_origins
        .iter()
        .any(|allowed| origin_matches(allowed, origin))
}

fn finding(
    code: &'static str,
    severity: Severity,
    rule: usize,
    value: &str,
    message: String,
) -> Finding {
    Finding {
        code,
        severity,
        rule: Some(rule),
        value: Some(value.to_owned()),
        message,
    }
}

/// An AllowedOrigin split as a browser origin would be: scheme, host, explicit port, and
/// whatever follows the authority.
struct OriginParts<'a> {
    scheme: &'a str,
    host: &'a str,
    port: Option<&'a str>,
    rest: &'a str,
}

fn split_origin_value(value: &str) -> Option<OriginParts<'_>> {
    let (scheme, after) = value.split_once("://")?;
    let authority_end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(authority_end);
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            (host, Some(port))
        }
        _ => (authority, None),
    };
    Some(OriginParts {
        scheme,
        host,
        port,
        rest,
    })
}

fn default_port(scheme: &str) -> Option<&'static str> {
    match scheme.to_ascii_lowercase().as_str() {
        "http" => Some("80"),
        "https" => Some("443"),
        _ => None,
    }
}

fn origin_shape(rule: usize, value: &str, findings: &mut Vec<Finding>) {
    if value.matches('*').count() > 1 {
        findings.push(finding(
            "multiple-wildcards",
            Severity::Error,
            rule,
            value,
            format!(
                "rule {rule}: AllowedOrigin \"{value}\" has more than one `*`; S3 refuses it \
                 (InvalidRequest). One `*` matches any run of characters, dots included, so \
                 `https://*.example.com` already covers every subdomain"
            ),
        ));
    }
    if value.is_empty() {
        findings.push(finding(
            "origin-empty",
            Severity::Warning,
            rule,
            value,
            format!(
                "rule {rule}: an empty AllowedOrigin is stored by S3 but matches no browser, \
                 which always sends a non-empty Origin"
            ),
        ));
        return;
    }
    if value == "*" {
        return;
    }
    if value.trim() != value {
        findings.push(finding(
            "origin-whitespace",
            Severity::Error,
            rule,
            value,
            format!(
                "rule {rule}: AllowedOrigin \"{value}\" has leading or trailing whitespace; S3 \
                 keeps values verbatim and compares whole strings, so this never matches. Write \
                 \"{}\"",
                value.trim()
            ),
        ));
        return;
    }
    let Some(parts) = split_origin_value(value) else {
        // `null` is what opaque origins send (sandboxed iframes, file:// pages), so it matches.
        if !value.contains('*') && value != "null" {
            findings.push(finding(
                "origin-without-scheme",
                Severity::Error,
                rule,
                value,
                format!(
                    "rule {rule}: AllowedOrigin \"{value}\" has no scheme; browsers send \
                     `Origin: https://{value}` (scheme included), which never equals it. Write \
                     \"https://{value}\" (or \"http://…\" for a plain-HTTP page)"
                ),
            ));
        }
        return;
    };
    let bare = format!(
        "{}://{}{}",
        parts.scheme,
        parts.host,
        parts.port.map(|p| format!(":{p}")).unwrap_or_default()
    );
    if parts.rest == "/" {
        findings.push(finding(
            "origin-trailing-slash",
            Severity::Error,
            rule,
            value,
            format!(
                "rule {rule}: AllowedOrigin \"{value}\" ends with `/`; browsers send the origin \
                 without one (`Origin: {bare}`) and S3 compares whole strings, so this rule never \
                 matches. Write \"{bare}\""
            ),
        ));
    } else if !parts.rest.is_empty() {
        findings.push(finding(
            "origin-has-path",
            Severity::Error,
            rule,
            value,
            format!(
                "rule {rule}: AllowedOrigin \"{value}\" has a path (`{}`); an origin is only \
                 scheme, host and port, browsers send `Origin: {bare}`, so this rule never \
                 matches. Write \"{bare}\"",
                parts.rest
            ),
        ));
    }
    if let (Some(port), Some(default)) = (parts.port, default_port(parts.scheme))
        && port == default
    {
        let without = format!("{}://{}", parts.scheme, parts.host);
        findings.push(finding(
            "origin-default-port",
            Severity::Error,
            rule,
            value,
            format!(
                "rule {rule}: AllowedOrigin \"{value}\" spells out the default port {port}; \
                 browsers omit it (`Origin: {without}`), so this never matches. Write \"{without}\""
            ),
        ));
    }
    if bare != bare.to_ascii_lowercase() {
        findings.push(finding(
            "origin-uppercase",
            Severity::Warning,
            rule,
            value,
            format!(
                "rule {rule}: AllowedOrigin \"{value}\" has upper-case letters; browsers send \
                 scheme and host in lower case and S3 is believed to compare exactly. Write \"{}\"",
                bare.to_ascii_lowercase()
            ),
        ));
    }
}

fn methods(rule: usize, cors_rule: &CorsRule, findings: &mut Vec<Finding>) {
    for method in &cors_rule.allowed_methods {
        if method.eq_ignore_ascii_case("OPTIONS") {
            findings.push(finding(
                "options-method",
                Severity::Error,
                rule,
                method,
                format!(
                    "rule {rule}: S3 refuses OPTIONS in AllowedMethods (InvalidRequest: Found \
                     unsupported HTTP method in CORS config), and the browser never needs it: \
                     S3 answers the OPTIONS preflight itself, from the rule whose AllowedMethods \
                     holds the method the page asks for (PUT, POST, ...). Remove OPTIONS"
                ),
            ));
        } else if method != &method.to_ascii_uppercase() {
            findings.push(finding(
                "method-not-uppercase",
                Severity::Error,
                rule,
                method,
                format!(
                    "rule {rule}: S3 accepts only GET, PUT, HEAD, POST and DELETE in upper case; \
                     write \"{}\"",
                    method.to_ascii_uppercase()
                ),
            ));
        }
    }
    let uploads = cors_rule
        .allowed_methods
        .iter()
        .any(|m| m == "PUT" || m == "POST");
    let exposes_etag = cors_rule
        .expose_headers
        .iter()
        .any(|h| h.eq_ignore_ascii_case("etag"));
    if cors_rule.allowed_methods.iter().any(|m| m == "PUT") && !exposes_etag {
        findings.push(finding(
            "etag-not-exposed",
            Severity::Warning,
            rule,
            "PUT",
            format!(
                "rule {rule}: allows PUT but does not expose ETag; the browser hides every \
                 response header that is not safelisted or exposed, so the page cannot read \
                 the ETag of an uploaded part and multipart uploads (AWS SDK Upload, Uppy, …) \
                 fail at CompleteMultipartUpload. Add \"ETag\" to ExposeHeaders"
            ),
        ));
    }
    if uploads && cors_rule.allowed_headers.is_empty() {
        findings.push(finding(
            "no-allowed-headers",
            Severity::Warning,
            rule,
            "",
            format!(
                "rule {rule}: allows uploads but no AllowedHeaders; a PUT or POST that sets \
                 Content-Type to anything but text/plain, multipart/form-data or \
                 application/x-www-form-urlencoded (image/png, application/json, …), or any \
                 x-amz-*/Authorization header, is preflighted with those header names, and a \
                 rule without AllowedHeaders refuses every such preflight (403). Add \
                 AllowedHeaders [\"Content-Type\"] (or [\"*\"])"
            ),
        ));
    }
}

fn headers(rule: usize, cors_rule: &CorsRule, findings: &mut Vec<Finding>) {
    for header in &cors_rule.allowed_headers {
        if header.matches('*').count() > 1 {
            findings.push(finding(
                "multiple-wildcards",
                Severity::Error,
                rule,
                header,
                format!(
                    "rule {rule}: AllowedHeader \"{header}\" has more than one `*`; S3 refuses \
                     it (InvalidRequest). Use one, e.g. \"x-amz-*\", or \"*\" for every header"
                ),
            ));
        }
    }
    for header in &cors_rule.expose_headers {
        if header.contains('*') {
            findings.push(finding(
                "expose-wildcard",
                Severity::Error,
                rule,
                header,
                format!(
                    "rule {rule}: ExposeHeader \"{header}\" has a `*`; S3 refuses wildcards in \
                     ExposeHeader (InvalidRequest) and browsers would honour a bare `*` only on \
                     requests without credentials. List the headers by name (ETag, \
                     x-amz-version-id, x-amz-meta-…)"
                ),
            ));
        }
    }
}

/// Browsers cap how long they keep a preflight result, whatever `Access-Control-Max-Age` says
/// (docs/facts/browser.md §4.1: Chromium's `kMaxTimeout` is two hours, Firefox's a day), so a
/// longer MaxAgeSeconds does not save the preflights its author expects.
fn max_age(rule: usize, cors_rule: &CorsRule, findings: &mut Vec<Finding>) {
    let Some(seconds) = cors_rule.max_age() else {
        return;
    };
    let chrome_cap = CHROME.max_age_cap_s;
    if u64::try_from(seconds).is_ok_and(|s| s > chrome_cap) {
        let firefox_cap = FIREFOX.max_age_cap_s;
        let firefox = if u64::try_from(seconds).is_ok_and(|s| s > firefox_cap) {
            format!("Firefox at most {firefox_cap} s")
        } else {
            "Firefox honours it".to_owned()
        };
        findings.push(finding(
            "max-age-capped",
            Severity::Warning,
            rule,
            &seconds.to_string(),
            format!(
                "rule {rule}: MaxAgeSeconds {seconds}: Chrome keeps a preflight result at most \
                 {chrome_cap} s and {firefox}, so pages are preflighted again sooner than this \
                 says. Write {chrome_cap} or less to get what every browser does"
            ),
        ));
    }
}

/// Whether `earlier` answers every request `later` could: every origin of `later` is matched
/// by `earlier`, with at least the same methods and headers. S3 uses the first matching rule
/// only, so `later` then never applies.
fn covers(earlier: &CorsRule, later: &CorsRule) -> bool {
    let origins = later.allowed_origins.iter().all(|origin| {
        earlier.allowed_origins.iter().any(|pattern| {
            pattern == "*"
                || pattern == origin
                || (!origin.contains('*') && origin_matches(pattern, origin))
        })
    });
    let methods = later
        .allowed_methods
        .iter()
        .all(|m| earlier.allowed_methods.contains(m));
    let headers = later.allowed_headers.iter().all(|h| {
        earlier
            .allowed_headers
            .iter()
            .any(|e| e == "*" || e.eq_ignore_ascii_case(h) || header_matches(e, h))
    });
    origins && methods && headers && !later.allowed_origins.is_empty()
}

fn shadowed_rules(configuration: &CorsConfiguration, findings: &mut Vec<Finding>) {
    for (j, later) in configuration.rules.iter().enumerate() {
        if let Some(i) = configuration.rules[..j]
            .iter()
            .position(|earlier| covers(earlier, later))
        {
            findings.push(Finding {
                code: "shadowed-rule",
                severity: Severity::Warning,
                rule: Some(j + 1),
                value: None,
                message: format!(
                    "rule {}: never used; rule {} matches every origin and method it lists and \
                     S3 answers with the first matching rule only (no merging), so rule {}'s \
                     ExposeHeaders and MaxAgeSeconds never reach the browser. Move the more \
                     specific rule first",
                    j + 1,
                    i + 1,
                    j + 1
                ),
            });
        }
    }
}

fn credentials(
    configuration: &CorsConfiguration,
    options: &LintOptions,
    findings: &mut Vec<Finding>,
) {
    if !options.credentials {
        return;
    }
    let page = options.page.as_deref();
    let candidates: Vec<usize> = match page {
        // Only the first rule matching the page decides (ignoring the method, which varies).
        Some(page) => configuration
            .rules
            .iter()
            .position(|rule| rule_matches_origin(rule, page))
            .into_iter()
            .collect(),
        None => (0..configuration.rules.len()).collect(),
    };
    for index in candidates {
        let rule = &configuration.rules[index];
        if rule.allows_any_origin() {
            let number = index + 1;
            let who = page.map_or_else(|| "the page".to_owned(), str::to_owned);
            findings.push(finding(
                "wildcard-origin-with-credentials",
                Severity::Error,
                number,
                "*",
                format!(
                    "rule {number}: AllowedOrigins holds `*`, so S3 answers \
                     `Access-Control-Allow-Origin: *` without Access-Control-Allow-Credentials, \
                     and browsers refuse `*` on a request with credentials: every credentialed \
                     request from {who} is blocked. List the page's origin instead of `*`"
                ),
            ));
        }
    }
}

fn page_matching(configuration: &CorsConfiguration, page: &str, findings: &mut Vec<Finding>) {
    if configuration
        .rules
        .iter()
        .any(|rule| rule_matches_origin(rule, page))
    {
        return;
    }
    let page_parts = split_origin_value(page);
    for (index, rule) in configuration.rules.iter().enumerate() {
        let number = index + 1;
        for value in &rule.allowed_origins {
            let (Some(page_parts), Some(parts)) = (&page_parts, split_origin_value(value)) else {
                continue;
            };
            if !parts.host.eq_ignore_ascii_case(page_parts.host) || value.contains('*') {
                continue;
            }
            let same_scheme = parts.scheme.eq_ignore_ascii_case(page_parts.scheme);
            let port = parts.port.or(default_port(parts.scheme));
            let page_port = page_parts.port.or(default_port(page_parts.scheme));
            if !same_scheme {
                findings.push(finding(
                    "scheme-mismatch",
                    Severity::Error,
                    number,
                    value,
                    format!(
                        "rule {number}: AllowedOrigin \"{value}\" is {} but the page {page} is \
                         {}; the scheme is part of the origin, so they never match. Add \"{}\"",
                        parts.scheme,
                        page_parts.scheme,
                        origin_of(page).unwrap_or_else(|| page.to_owned())
                    ),
                ));
            } else if port != page_port {
                findings.push(finding(
                    "port-mismatch",
                    Severity::Error,
                    number,
                    value,
                    format!(
                        "rule {number}: AllowedOrigin \"{value}\" names port {} but the page \
                         {page} uses port {}; the port is part of the origin. Add \"{page}\"",
                        port.unwrap_or("?"),
                        page_port.unwrap_or("?")
                    ),
                ));
            }
        }
    }
    findings.push(Finding {
        code: "page-not-matched",
        severity: Severity::Error,
        rule: None,
        value: Some(page.to_owned()),
        message: format!(
            "no rule's AllowedOrigins matches {page}: S3 answers its preflights with 403 and its \
             other requests without CORS headers, so the browser blocks every cross-origin read \
             from that page"
        ),
    });
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use crate::config;

    use super::*;

    fn codes(json: &str, page: Option<&str>, credentials: bool) -> Vec<&'static str> {
        let (configuration, _) = config::parse(json).expect("parses");
        let options = LintOptions {
            page: page.map(str::to_owned),
            credentials,
        };
        run_all(&configuration, &options)
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    #[rstest]
    // docs/facts/s3.md §5: a trailing slash breaks the whole-string origin match (High).
    #[case::s3_5_trailing_slash(
        r#"[{"AllowedOrigins":["https://a.example.com/"],"AllowedMethods":["GET"]}]"#,
        None,
        false,
        "origin-trailing-slash"
    )]
    #[case::s3_5_path(
        r#"[{"AllowedOrigins":["https://a.example.com/app"],"AllowedMethods":["GET"]}]"#,
        None,
        false,
        "origin-has-path"
    )]
    #[case::s3_5_no_scheme(
        r#"[{"AllowedOrigins":["a.example.com"],"AllowedMethods":["GET"]}]"#,
        None,
        false,
        "origin-without-scheme"
    )]
    // docs/facts/s3.md §5: `http://www.example.com:80` does not match `http://www.example.com`.
    #[case::s3_5_default_port(
        r#"[{"AllowedOrigins":["http://a.example.com:80"],"AllowedMethods":["GET"]}]"#,
        None,
        false,
        "origin-default-port"
    )]
    // docs/facts/s3.md §1.2: values are stored verbatim, so whitespace stays and never matches.
    #[case::s3_1_2_whitespace(
        r#"[{"AllowedOrigins":[" https://a.example.com"],"AllowedMethods":["GET"]}]"#,
        None,
        false,
        "origin-whitespace"
    )]
    // docs/facts/s3.md §1.2: an empty AllowedOrigin is accepted.
    #[case::s3_1_2_empty_origin(
        r#"[{"AllowedOrigins":[""],"AllowedMethods":["GET"]}]"#,
        None,
        false,
        "origin-empty"
    )]
    // docs/facts/browser.md §4.1: Chromium caps Max-Age at 7200 s (kMaxTimeout).
    #[case::browser_4_1_max_age_cap(
        r#"[{"AllowedOrigins":["*"],"AllowedMethods":["GET"],"MaxAgeSeconds":86400}]"#,
        None,
        false,
        "max-age-capped"
    )]
    #[case::s3_5_upper_case(
        r#"[{"AllowedOrigins":["https://App.example.com"],"AllowedMethods":["GET"]}]"#,
        None,
        false,
        "origin-uppercase"
    )]
    // docs/facts/s3.md §1.2: OPTIONS is not an allowed method (InvalidRequest).
    #[case::s3_1_2_options(
        r#"[{"AllowedOrigins":["*"],"AllowedMethods":["GET","OPTIONS"]}]"#,
        None,
        false,
        "options-method"
    )]
    #[case::s3_1_2_lowercase_method(
        r#"[{"AllowedOrigins":["*"],"AllowedMethods":["get"]}]"#,
        None,
        false,
        "method-not-uppercase"
    )]
    // docs/facts/s3.md §1.2: more than one `*` in an AllowedOrigin or AllowedHeader is refused.
    #[case::s3_1_2_two_wildcards(
        r#"[{"AllowedOrigins":["https://*.*.example.com"],"AllowedMethods":["GET"]}]"#,
        None,
        false,
        "multiple-wildcards"
    )]
    #[case::s3_1_2_two_header_wildcards(
        r#"[{"AllowedOrigins":["*"],"AllowedMethods":["GET"],"AllowedHeaders":["x-*-*"]}]"#,
        None,
        false,
        "multiple-wildcards"
    )]
    // docs/facts/s3.md §1.2: any `*` in an ExposeHeader is refused.
    #[case::s3_1_2_expose_wildcard(
        r#"[{"AllowedOrigins":["*"],"AllowedMethods":["GET"],"ExposeHeaders":["*"]}]"#,
        None,
        false,
        "expose-wildcard"
    )]
    // docs/facts/s3.md §5: a rule without AllowedHeader rejects any preflight listing headers.
    #[case::s3_5_no_allowed_headers(
        r#"[{"AllowedOrigins":["*"],"AllowedMethods":["PUT"],"ExposeHeaders":["ETag"]}]"#,
        None,
        false,
        "no-allowed-headers"
    )]
    #[case::put_without_etag(
        r#"[{"AllowedOrigins":["*"],"AllowedMethods":["PUT"],"AllowedHeaders":["*"]}]"#,
        None,
        false,
        "etag-not-exposed"
    )]
    // docs/facts/s3.md §5: the first matching rule is used, no merging (High).
    #[case::s3_5_first_match(r#"[{"AllowedOrigins":["*"],"AllowedMethods":["GET","PUT"]},{"AllowedOrigins":["https://a.example.com"],"AllowedMethods":["GET"]}]"#, None, false, "shadowed-rule")]
    // docs/facts/s3.md §3.2: a `*` rule answers ACAO * without Access-Control-Allow-Credentials.
    #[case::s3_3_2_star_with_credentials(
        r#"[{"AllowedOrigins":["*"],"AllowedMethods":["GET"]}]"#,
        Some("https://a.example.com"),
        true,
        "wildcard-origin-with-credentials"
    )]
    #[case::scheme_mismatch(
        r#"[{"AllowedOrigins":["http://a.example.com"],"AllowedMethods":["GET"]}]"#,
        Some("https://a.example.com"),
        false,
        "scheme-mismatch"
    )]
    #[case::port_mismatch(
        r#"[{"AllowedOrigins":["https://a.example.com:8443"],"AllowedMethods":["GET"]}]"#,
        Some("https://a.example.com"),
        false,
        "port-mismatch"
    )]
    #[case::page_not_matched(
        r#"[{"AllowedOrigins":["https://b.example.com"],"AllowedMethods":["GET"]}]"#,
        Some("https://a.example.com"),
        false,
        "page-not-matched"
    )]
    fn each_mistake_is_found(
        #[case] json: &str,
        #[case] page: Option<&str>,
        #[case] credentials: bool,
        #[case] code: &str,
    ) {
        let found = codes(json, page, credentials);
        assert!(found.contains(&code), "{code} not in {found:?}");
    }

    #[rstest]
    #[case::exact_origin(
        r#"[{"AllowedOrigins":["https://a.example.com"],"AllowedMethods":["GET"]}]"#,
        Some("https://a.example.com"),
        true
    )]
    // docs/facts/s3.md §5: one `*` matches any run, dots included.
    #[case::wildcard_subdomain(
        r#"[{"AllowedOrigins":["https://*.example.com"],"AllowedMethods":["GET"]}]"#,
        Some("https://a.example.com"),
        true
    )]
    #[case::star_without_credentials(
        r#"[{"AllowedOrigins":["*"],"AllowedMethods":["GET","HEAD"]}]"#,
        Some("https://a.example.com"),
        false
    )]
    #[case::upload_done_right(r#"[{"AllowedOrigins":["https://a.example.com"],"AllowedMethods":["GET","PUT","POST"],"AllowedHeaders":["*"],"ExposeHeaders":["ETag"]}]"#, Some("https://a.example.com"), true)]
    // Opaque origins (sandboxed iframes, file:// pages) send `Origin: null`, which this matches.
    #[case::null_origin(
        r#"[{"AllowedOrigins":["null"],"AllowedMethods":["GET"]}]"#,
        None,
        false
    )]
    // docs/facts/browser.md §4.1: values up to the cap are honoured by both browsers.
    #[case::max_age_at_chrome_cap(
        r#"[{"AllowedOrigins":["*"],"AllowedMethods":["GET"],"MaxAgeSeconds":7200}]"#,
        None,
        false
    )]
    // A specific rule first and a catch-all second is the right order: nothing is shadowed.
    #[case::specific_then_star(r#"[{"AllowedOrigins":["https://a.example.com"],"AllowedMethods":["GET"],"ExposeHeaders":["ETag"]},{"AllowedOrigins":["*"],"AllowedMethods":["GET"]}]"#, None, false)]
    fn good_configurations_are_clean(
        #[case] json: &str,
        #[case] page: Option<&str>,
        #[case] credentials: bool,
    ) {
        assert_eq!(codes(json, page, credentials), Vec::<&str>::new());
    }

    #[test]
    fn findings_name_the_rule_and_the_value() {
        let (configuration, _) = config::parse(
            r#"[{"AllowedOrigins":["https://a.example.com"],"AllowedMethods":["GET"]},
                {"AllowedOrigins":["https://b.example.com/"],"AllowedMethods":["GET"]}]"#,
        )
        .unwrap();
        let findings = run_all(&configuration, &LintOptions::default());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, Some(2));
        assert_eq!(findings[0].value.as_deref(), Some("https://b.example.com/"));
        assert!(
            findings[0]
                .message
                .contains("Write \"https://b.example.com\"")
        );
    }
}
