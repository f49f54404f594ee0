//! Which bucket and key a request names. Hosts registered with `add_virtual_host` are
//! virtual-hosted (the whole path is the key); every other host goes to the engine's
//! [`cors_engine::s3::addressing::resolve`]: `bucket.s3[…].amazonaws.com` forms are
//! virtual-hosted, anything else (`localhost`, IP literals, the bare S3 endpoints, a proxy) is
//! path-style.

use std::collections::HashMap;

use cors_engine::s3::addressing::{self, percent_decode};

/// The bucket and key a request addresses; both absent for the service itself (ListBuckets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) bucket: Option<String>,
    pub(crate) key: Option<String>,
}

/// `host[:port]` → `host` (IPv6 literals keep their brackets).
pub(crate) fn host_without_port(host: &str) -> &str {
    if host.starts_with('[') {
        return match host.find(']') {
            Some(end) => &host[..=end],
            None => host,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Resolves `host` (as sent, maybe with a port) and the raw (still percent-encoded) path.
pub(crate) fn resolve(
    host: &str,
    raw_path: &str,
    virtual_hosts: &HashMap<String, String>,
) -> Target {
    let name = host_without_port(host).to_ascii_lowercase();
    if let Some(bucket) = virtual_hosts.get(name.trim_end_matches('.')) {
        let key = raw_path.strip_prefix('/').unwrap_or(raw_path);
        return Target {
            bucket: Some(bucket.clone()),
            key: (!key.is_empty()).then(|| percent_decode(key)),
        };
    }
    match addressing::resolve(host, raw_path) {
        Some(target) => Target {
            bucket: Some(target.bucket.into_owned()),
            key: target.key.map(std::borrow::Cow::into_owned),
        },
        None => Target {
            bucket: None,
            key: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(bucket: Option<&str>, key: Option<&str>) -> Target {
        Target {
            bucket: bucket.map(str::to_owned),
            key: key.map(str::to_owned),
        }
    }

    #[test]
    fn forms_resolve_to_bucket_and_key() {
        let mut hosts = HashMap::new();
        hosts.insert("cdn.example.com".to_owned(), "media".to_owned());
        let cases = [
            ("127.0.0.1:9000", "/", target(None, None)),
            ("localhost", "/assets", target(Some("assets"), None)),
            ("localhost", "/assets/", target(Some("assets"), None)),
            (
                "localhost:1",
                "/assets/a%20b/c",
                target(Some("assets"), Some("a b/c")),
            ),
            ("[::1]:9000", "/b/k", target(Some("b"), Some("k"))),
            (
                "assets.s3.amazonaws.com",
                "/cat.jpg",
                target(Some("assets"), Some("cat.jpg")),
            ),
            (
                "my.assets.s3.eu-west-1.amazonaws.com",
                "/",
                target(Some("my.assets"), None),
            ),
            (
                "assets.s3-website-us-east-1.amazonaws.com",
                "/x",
                target(Some("assets"), Some("x")),
            ),
            (
                "assets.s3-website.eu-west-1.amazonaws.com",
                "/x",
                target(Some("assets"), Some("x")),
            ),
            (
                "s3.amazonaws.com",
                "/assets/x",
                target(Some("assets"), Some("x")),
            ),
            ("s3.us-west-2.amazonaws.com", "/", target(None, None)),
            (
                "CDN.example.com:8443",
                "/a/b",
                target(Some("media"), Some("a/b")),
            ),
            ("other.example.com", "/b/k", target(Some("b"), Some("k"))),
        ];
        for (host, path, expected) in cases {
            assert_eq!(resolve(host, path, &hosts), expected, "{host}{path}");
        }
    }
}
