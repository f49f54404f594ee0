//! The Fetch "CORS check" on a response (facts §2.1), with each browser's classification of an
//! `Access-Control-Allow-Origin` failure (§2.2).

use std::borrow::Cow;

use crate::browser::failure::{Failure, Stage};
use crate::browser::profile::Profile;
use crate::http::HeaderList;
use crate::reason::ReasonCode;

pub const ALLOW_ORIGIN: &str = "access-control-allow-origin";
pub const ALLOW_CREDENTIALS: &str = "access-control-allow-credentials";

/// The values of `name`, one per header line, with the surrounding spaces and tabs HTTP parsing
/// removes (§2.1: `"  <origin>  "` and `" * "` pass).
pub fn trimmed_lines<'a>(
    headers: &'a HeaderList,
    name: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    headers.get_all(name).map(|v| v.trim_matches([' ', '\t']))
}

/// The combined value of `name` (lines trimmed, joined with `", "`), `None` when absent.
pub fn combined(headers: &HeaderList, name: &str) -> Option<String> {
    combined_cow(headers, name).map(Cow::into_owned)
}

/// [`combined`] without copying in the common single-line case.
pub fn combined_cow<'a>(headers: &'a HeaderList, name: &'a str) -> Option<Cow<'a, str>> {
    let mut lines = trimmed_lines(headers, name);
    let first = lines.next()?;
    let Some(second) = lines.next() else {
        return Some(Cow::Borrowed(first));
    };
    let mut value = format!("{first}, {second}");
    for line in lines {
        value.push_str(", ");
        value.push_str(line);
    }
    Some(Cow::Owned(value))
}

/// Runs the CORS check for a response with `status` and `headers`, for a request from `origin`
/// whose credentials mode is (or is not) `include`.
pub fn check(
    profile: &Profile,
    stage: Stage,
    status: u16,
    headers: &HeaderList,
    origin: &str,
    credentials_include: bool,
) -> Result<(), Failure> {
    let fail = |code, detail: &str| Err(Failure::new(code, stage, detail, status));
    let Some(value) = combined_cow(headers, ALLOW_ORIGIN) else {
        return fail(ReasonCode::AllowOriginMissing, "");
    };
    if !profile.acao_list_reported_as_multiple
        && trimmed_lines(headers, ALLOW_ORIGIN).nth(1).is_some()
    {
        // Firefox counts header lines before anything else (CORSMultipleAllowOriginNotAllowed).
        return fail(ReasonCode::AllowOriginMultiple, &value);
    }
    if value == "*" {
        if credentials_include {
            return fail(ReasonCode::WildcardOriginWithCredentials, &value);
        }
        return Ok(());
    }
    if value != origin {
        let code = if profile.acao_list_reported_as_multiple {
            chromium_mismatch_code(&value)
        } else {
            ReasonCode::AllowOriginMismatch
        };
        return fail(code, &value);
    }
    if credentials_include {
        let allow_credentials = combined_cow(headers, ALLOW_CREDENTIALS).unwrap_or_default();
        // Byte-exact and case-sensitive: `True`, `"true"` and `true, true` all fail.
        if allow_credentials != "true" {
            return fail(ReasonCode::AllowCredentialsNotTrue, &allow_credentials);
        }
    }
    Ok(())
}

/// Chromium's `CheckAccess` classification of a value that is not the origin (§2.2).
fn chromium_mismatch_code(value: &str) -> ReasonCode {
    if value.contains([' ', ',']) {
        ReasonCode::AllowOriginMultiple
    } else if value == "null" {
        ReasonCode::AllowOriginMismatch
    } else if !parses_as_url(value) {
        ReasonCode::AllowOriginInvalid
    } else {
        ReasonCode::AllowOriginMismatch
    }
}

/// A rough stand-in for Chromium's `GURL::is_valid`: a scheme, a colon, and for the special
/// schemes a non-empty host after `//`. (Medium: edge cases of URL parsing are not modelled.)
fn parses_as_url(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let mut bytes = scheme.bytes();
    let scheme_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
    if !scheme_ok {
        return false;
    }
    let special = ["http", "https", "ws", "wss", "ftp"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme));
    if special {
        let host = rest.trim_start_matches(['/', '\\']);
        let host = host.split(['/', '?', '#', '\\']).next().unwrap_or("");
        return !host.is_empty() && !host.starts_with(':');
    }
    true
}
