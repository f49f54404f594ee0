//! Query-string splitting that keeps raw and decoded forms (S3's URI encoding itself lives in
//! [`crate::sigv4`]).

pub(crate) use cors_engine::s3::addressing::percent_decode;

/// Whether a raw path's percent-escapes decode to UTF-8 text. [`percent_decode`] replaces
/// what does not with U+FFFD, which would make `%ff`, `%fe` and `%ef%bf%bd` one key.
pub(crate) fn decodes_to_utf8(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    std::str::from_utf8(&decoded).is_ok()
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
    fn only_utf8_paths_decode() {
        for good in [
            "/b/k",
            "/b/%ef%bf%bd",
            "/b/%C3%A9",
            "/b/%01%00",
            "/b/100%",
            "/b/%zz",
        ] {
            assert!(decodes_to_utf8(good), "{good}");
        }
        for bad in ["/b/%ff", "/b/%fe", "/b/%c3", "/b/a%80b", "/b/%ed%a0%80"] {
            assert!(!decodes_to_utf8(bad), "{bad}");
        }
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
