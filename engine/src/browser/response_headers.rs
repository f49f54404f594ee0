//! Which response headers the page can read (facts §5).

use crate::browser::cors_check;
use crate::browser::preflight::parse_tokens;
use crate::http::{HeaderList, HeaderText};

pub const EXPOSE_HEADERS: &str = "access-control-expose-headers";

/// CORS-safelisted response-header names (Content-Length included since Chrome 76 / Firefox 87).
const SAFELISTED: [&str; 7] = [
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

/// How the response reached the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tainting {
    /// Same-origin: every header but `Set-Cookie` is readable.
    Basic,
    /// A CORS response: the safelist plus `Access-Control-Expose-Headers`.
    Cors { credentials_include: bool },
    /// no-cors: nothing is readable.
    Opaque,
}

/// The names a CORS response exposes beyond the safelist: the parsed ACEH list (empty when any
/// element is not a token, §5), lower-cased.
pub fn exposed_names(headers: &HeaderList) -> Vec<HeaderText> {
    parse_tokens(headers, EXPOSE_HEADERS)
        .map(|list| list.into_iter().map(HeaderText::into_lowercase).collect())
        .unwrap_or_default()
}

/// Whether the page may read header `name` of a response with `tainting`. `exposed` is
/// [`exposed_names`] of the response.
pub fn is_readable(name: &str, tainting: Tainting, exposed: &[HeaderText]) -> bool {
    // `exposed` is lower-cased already; `name` is compared without a lower-cased copy.
    let is = |other: &str| name.eq_ignore_ascii_case(other);
    if is("set-cookie") || is("set-cookie2") {
        return false;
    }
    match tainting {
        Tainting::Basic => true,
        Tainting::Opaque => false,
        Tainting::Cors {
            credentials_include,
        } => {
            SAFELISTED.iter().any(|safelisted| is(safelisted))
                || exposed.iter().any(|e| is(e))
                || (!credentials_include && exposed.iter().any(|e| e == "*"))
        }
    }
}

/// The value the page reads for `name` (`headers.get(name)` / `getResponseHeader(name)`): the
/// trimmed lines joined with `", "`, or `None` when hidden or absent.
pub fn read(
    headers: &HeaderList,
    name: &str,
    tainting: Tainting,
    exposed: &[HeaderText],
) -> Option<String> {
    if !is_readable(name, tainting, exposed) {
        return None;
    }
    cors_check::combined(headers, name)
}
