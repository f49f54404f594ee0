//! Which bucket and key a request names. Hosts registered with `add_virtual_host` are
//! virtual-hosted (the whole path is the key); every other host goes to the engine's
//! [`cors_engine::s3::addressing::resolve`]: `bucket.s3[…].amazonaws.com` forms are
//! virtual-hosted, anything else (`localhost`, IP literals, the bare S3 endpoints, a proxy) is
//! path-style.

use std::collections::HashMap;

use std::borrow::Cow;

use cors_engine::s3::addressing::{self, AddressingStyle, ObjectAddress, percent_decode};

/// What a request addresses: a bucket (and maybe a key), or the service itself (ListBuckets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequestAddress(Option<ObjectAddress<'static>>);

impl RequestAddress {
    pub(crate) fn bucket(&self) -> Option<&str> {
        self.0.as_ref().map(|address| address.bucket.as_ref())
    }

    pub(crate) fn key(&self) -> Option<&str> {
        self.0.as_ref().and_then(|address| address.key.as_deref())
    }
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
) -> RequestAddress {
    let name = host_without_port(host).to_ascii_lowercase();
    if let Some(bucket) = virtual_hosts.get(name.trim_end_matches('.')) {
        let key = raw_path.strip_prefix('/').unwrap_or(raw_path);
        return RequestAddress(Some(ObjectAddress {
            bucket: Cow::Owned(bucket.clone()),
            key: (!key.is_empty()).then(|| Cow::Owned(percent_decode(key))),
            style: AddressingStyle::VirtualHosted,
        }));
    }
    RequestAddress(
        addressing::resolve(host, raw_path).map(|address| ObjectAddress {
            bucket: Cow::Owned(address.bucket.into_owned()),
            key: address.key.map(|key| Cow::Owned(key.into_owned())),
            style: address.style,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(bucket: Option<&str>, key: Option<&str>) -> (Option<String>, Option<String>) {
        (bucket.map(str::to_owned), key.map(str::to_owned))
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
            let address = resolve(host, path, &hosts);
            let found = (
                address.bucket().map(str::to_owned),
                address.key().map(str::to_owned),
            );
            assert_eq!(found, expected, "{host}{path}");
        }
    }
}
