//! S3's URI encoding (the SigV4 flavour: only unreserved characters stay
//! literal), plus query-string splitting that keeps raw and decoded forms.

pub(crate) use cors_engine::s3::addressing::percent_decode;

/// SigV4's `UriEncode`: unreserved characters (`A-Z a-z 0-9 - . _ ~`) literal, everything else
/// `%XX` upper-case; `/` literal only when `keep_slash`.
pub(crate) fn uri_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        let literal = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
        if literal || (keep_slash && byte == b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// One `name[=value]` item of a query string, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryParam {
    pub(crate) name: String,
    pub(crate) value: String,
    pub(crate) has_value: bool,
}

/// Splits a raw query string into decoded parameters, in order.
pub(crate) fn parse_query(raw: &str) -> Vec<QueryParam> {
    raw.split('&')
        .filter(|item| !item.is_empty())
        .map(|item| match item.split_once('=') {
            Some((name, value)) => QueryParam {
                name: percent_decode(name),
                value: percent_decode(value),
                has_value: true,
            },
            None => QueryParam {
                name: percent_decode(item),
                value: String::new(),
                has_value: false,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_follows_sigv4() {
        assert_eq!(uri_encode("a b/c~d*", true), "a%20b/c~d%2A");
        assert_eq!(uri_encode("a/b", false), "a%2Fb");
    }

    #[test]
    fn query_keeps_valueless_names() {
        let params = parse_query("cors&prefix=a%2Fb&max-keys=");
        assert_eq!(params.len(), 3);
        assert!(!params[0].has_value);
        assert_eq!(params[1].value, "a/b");
        assert!(params[2].has_value);
    }
}
