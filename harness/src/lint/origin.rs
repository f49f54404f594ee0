//! S3's AllowedOrigin matching (s3-cors-facts.md §5): a literal compares as a whole string; `*`
//! alone matches anything; one `*` inside a value matches any run of characters, the empty run
//! included, and the pattern is anchored at both ends.
//!
//! Case-sensitivity is not documented by AWS; like MinIO and LocalStack we compare exactly
//! (fact sheet §5 rates this Low).

use cors_engine::CorsRule;

/// Whether the AllowedOrigin `pattern` matches the `Origin` header value `origin`.
pub fn origin_pattern_matches(pattern: &str, origin: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == origin,
        Some((prefix, rest)) => {
            // More than one `*` never reaches matching on S3 (PutBucketCors refuses it); treat
            // further stars as literal text so the answer stays "no match" rather than a guess.
            let suffix = rest;
            origin.len() >= prefix.len() + suffix.len()
                && origin.starts_with(prefix)
                && origin.ends_with(suffix)
        }
    }
}

/// Whether any AllowedOrigin of `rule` matches `origin`.
pub fn s3_rule_matches_origin(rule: &CorsRule, origin: &str) -> bool {
    rule.allowed_origins
        .iter()
        .any(|pattern| origin_pattern_matches(pattern, origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    // s3-cors-facts.md §5: the wildcard matches the empty run and is anchored at both ends.
    #[test]
    fn wildcard_matches_any_run_including_empty() {
        assert!(origin_pattern_matches("*", "localhost:4566"));
        assert!(origin_pattern_matches(
            "http://*.origin.com",
            "http://test.origin.com"
        ));
        assert!(origin_pattern_matches("start*end", "startend"));
        assert!(!origin_pattern_matches("start*end", "0start12end"));
        assert!(!origin_pattern_matches("*suffix", "foo.suffix.get"));
        assert!(origin_pattern_matches("prefix*", "prefix"));
    }

    // s3-cors-facts.md §5: literal values compare scheme, host and port; a trailing slash breaks it.
    #[test]
    fn literals_compare_whole_strings() {
        assert!(origin_pattern_matches("https://a.test", "https://a.test"));
        assert!(!origin_pattern_matches("https://a.test/", "https://a.test"));
        assert!(!origin_pattern_matches("http://a.test", "https://a.test"));
        assert!(!origin_pattern_matches("http://a.test:80", "http://a.test"));
    }
}
