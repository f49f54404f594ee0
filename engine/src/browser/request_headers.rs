//! Request headers: which ones a script may set, which ones are CORS-safelisted, and the
//! `Access-Control-Request-Headers` value (facts §1.3, §1.4, §1.6, §1.8).

use crate::browser::method;
use crate::browser::profile::Profile;
use crate::http::{HeaderList, HeaderText, is_token};

/// Longest value a safelisted header may have (§1.3).
pub const MAX_SAFELISTED_VALUE_LEN: usize = 128;
/// Largest sum of safelisted values before they all turn unsafe (§1.3).
pub const MAX_SAFELISTED_TOTAL_LEN: usize = 1024;

const FORBIDDEN_NAMES: [&str; 21] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

const METHOD_OVERRIDE_NAMES: [&str; 3] = [
    "x-http-method",
    "x-http-method-override",
    "x-method-override",
];

/// A forbidden request-header (§1.4): the `Headers` object drops it silently.
pub fn is_forbidden(name: &str, value: &str) -> bool {
    let starts_with = |prefix: &str| {
        name.as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    if FORBIDDEN_NAMES.iter().any(|f| f.eq_ignore_ascii_case(name))
        || starts_with("proxy-")
        || starts_with("sec-")
    {
        return true;
    }
    METHOD_OVERRIDE_NAMES
        .iter()
        .any(|m| m.eq_ignore_ascii_case(name))
        && value
            .split(',')
            .any(|m| method::is_forbidden(m.trim_matches([' ', '\t'])))
}

/// A CORS-unsafe request-header byte (§1.3).
fn is_unsafe_byte(b: u8) -> bool {
    UNSAFE_BYTES[usize::from(b)]
}

/// [`is_unsafe_byte`] as a table: every byte of every safelisted value is looked up.
static UNSAFE_BYTES: [bool; 256] = crate::http::byte_set(
    b"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0a\x0b\x0c\x0d\x0e\x0f\
      \x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f\"():<>?@[\\]{}",
);

/// Whether one (name, value) pair is a CORS-safelisted request-header for this profile (§1.3,
/// and §1.8 for Chromium's additions).
pub fn is_safelisted(profile: &Profile, name: &str, value: &str) -> bool {
    if value.len() > MAX_SAFELISTED_VALUE_LEN {
        return false;
    }
    let bytes = value.as_bytes();
    let lower = LowerName::of(name);
    // A name too long for the buffer is on no safelist.
    match lower.as_ref().map_or("", LowerName::as_str) {
        "accept" => {
            !bytes.iter().copied().any(is_unsafe_byte)
                && (value.is_ascii() || !profile.non_ascii_accept_is_unsafe)
        }
        "accept-language" | "content-language" => bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b" *,-.;=".contains(&b)),
        "content-type" => is_safelisted_content_type(value),
        "range" => is_simple_range(value),
        other if profile.safelists_client_hints => is_chromium_extra_safelisted(other, value),
        _ => false,
    }
}

/// A header name lower-cased on the stack: the safelist checks run for every header of every
/// request, so they do not allocate. `None` for names longer than every listed name.
struct LowerName {
    bytes: [u8; 32],
    len: usize,
}

impl LowerName {
    fn of(name: &str) -> Option<Self> {
        let mut bytes = [0u8; 32];
        bytes
            .get_mut(..name.len())?
            .copy_from_slice(name.as_bytes());
        bytes[..name.len()].make_ascii_lowercase();
        Some(Self {
            bytes,
            len: name.len(),
        })
    }

    fn as_str(&self) -> &str {
        // ASCII lower-casing keeps UTF-8 valid.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

/// `Content-Type`: no unsafe byte, parses as a MIME type, and its essence is one of the three
/// form-compatible types. Parameters are not inspected beyond the unsafe-byte rule.
pub fn is_safelisted_content_type(value: &str) -> bool {
    if value.bytes().any(is_unsafe_byte) {
        return false;
    }
    mime_essence(value).is_some_and(|(kind, subtype)| {
        [
            ("application", "x-www-form-urlencoded"),
            ("multipart", "form-data"),
            ("text", "plain"),
        ]
        .iter()
        .any(|(k, s)| kind.eq_ignore_ascii_case(k) && subtype.eq_ignore_ascii_case(s))
    })
}

/// The `type` and `subtype` of a MIME type per the strict "parse a MIME type" (compare them
/// case-insensitively), or `None` when it does not parse.
fn mime_essence(value: &str) -> Option<(&str, &str)> {
    let value = value.trim_matches(is_http_whitespace);
    let (kind, rest) = value.split_once('/')?;
    let subtype = rest.split(';').next().unwrap_or("");
    let subtype = subtype.trim_end_matches(is_http_whitespace);
    if !is_token(kind) || !is_token(subtype) {
        return None;
    }
    Some((kind, subtype))
}

fn is_http_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// `Range`: exactly `bytes=<start>-[<end>]`, no whitespace, start present, start ≤ end.
fn is_simple_range(value: &str) -> bool {
    let Some(spec) = value.strip_prefix("bytes=") else {
        return false;
    };
    let Some((start, end)) = spec.split_once('-') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(start) {
        return false;
    }
    if end.is_empty() {
        return true;
    }
    if !digits(end) {
        return false;
    }
    match (start.parse::<u128>(), end.parse::<u128>()) {
        (Ok(s), Ok(e)) => s <= e,
        _ => false,
    }
}

/// Chromium's extra safelist (`cors.cc` `IsCorsSafelistedHeader`, §1.8): client hints with valid
/// syntax and `Intervention` with any value. Empty values are refused (WPT client-hint tests).
fn is_chromium_extra_safelisted(lower_name: &str, value: &str) -> bool {
    if value.is_empty() {
        return false;
    }
    let integer = || value.bytes().all(|b| b.is_ascii_digit());
    let decimal = || {
        let mut parts = value.splitn(2, '.');
        let whole = parts.next().unwrap_or("");
        let fraction = parts.next();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        digits(whole) && fraction.is_none_or(digits)
    };
    match lower_name {
        "device-memory" | "dpr" | "downlink" => decimal(),
        "width" | "viewport-width" | "rtt" => integer(),
        "ect" => matches!(value, "slow-2g" | "2g" | "3g" | "4g"),
        "save-data" => value == "on",
        "intervention" => true,
        _ => false,
    }
}

/// The no-CORS-safelisted request-headers (§1.6): what the `request-no-cors` guard keeps.
pub fn is_no_cors_safelisted(profile: &Profile, name: &str, value: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "accept" | "accept-language" | "content-language" | "content-type"
    ) && is_safelisted(profile, &lower, value)
}

/// The CORS-unsafe request-header names of `headers` (one entry per name, values already
/// combined), as a sorted, lower-cased, de-duplicated list (§1.3).
pub fn unsafe_names(profile: &Profile, headers: &HeaderList) -> Vec<HeaderText> {
    let mut unsafe_names = Vec::new();
    let mut safelisted_total = 0usize;
    for (name, value) in headers.iter() {
        if is_safelisted(profile, name, value) {
            safelisted_total += value.len();
        } else {
            unsafe_names.push(HeaderText::lowercase(name));
        }
    }
    if safelisted_total > MAX_SAFELISTED_TOTAL_LEN {
        // Rare: every safelisted header becomes unsafe too, so the safelist runs again rather
        // than every request keeping a list of them.
        unsafe_names.extend(
            headers
                .iter()
                .filter(|(name, value)| is_safelisted(profile, name, value))
                .map(|(name, _)| HeaderText::lowercase(name)),
        );
    }
    unsafe_names.sort_unstable();
    unsafe_names.dedup();
    unsafe_names
}

/// The `Access-Control-Request-Headers` value: the names joined with `,` and no space.
pub fn request_headers_value(unsafe_names: &[HeaderText]) -> HeaderText {
    HeaderText::join(unsafe_names, ",")
}

/// Strips leading and trailing HTTP whitespace, as the `Headers` API normalises values.
pub fn normalise_value(value: &str) -> &str {
    value.trim_matches(is_http_whitespace)
}

#[cfg(test)]
mod tests {
    use super::is_unsafe_byte;

    /// The table against the Fetch standard's wording: a byte below 0x20 other than HT, DEL,
    /// or one of `"():<>?@[\]{}`.
    #[test]
    fn unsafe_bytes_follow_the_fetch_standard() {
        for b in 0..=u8::MAX {
            let expected = (b < 0x20 && b != b'\t') || b == 0x7f || b"\"():<>?@[\\]{}".contains(&b);
            assert_eq!(is_unsafe_byte(b), expected, "byte {b:#04x}");
        }
    }
}
