//! Query-string splitting that keeps raw and decoded forms (S3's URI encoding itself lives in
//! [`crate::sigv4`]).

pub(crate) use cors_engine::s3::addressing::percent_decode;

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
    fn query_keeps_valueless_names() {
        let params = parse_query("cors&prefix=a%2Fb&max-keys=");
        assert_eq!(params.len(), 3);
        assert!(!params[0].has_value);
        assert_eq!(params[1].value, "a/b");
        assert!(params[2].has_value);
    }
}
