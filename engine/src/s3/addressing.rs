//! Which bucket and key a request names: path-style (`https://s3.eu-west-1.amazonaws.com/bucket/key`)
//! or virtual-hosted (`http://bucket.s3.amazonaws.com/key`, also website endpoints
//! `bucket.s3-website-region.amazonaws.com`).
//!
//! Two entry points: [`resolve_for_endpoint`] when the bucket's endpoint is known (the case file
//! names it), and [`resolve`] when only the request is known, which recognises AWS host names
//! and falls back to path style for anything else (`localhost:9000`, a proxy).
//! Keys are percent-decoded.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Addressed;
use crate::http::split_scheme;

/// How a URL carries the bucket name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddressingStyle {
    /// The bucket is the first path segment: `/bucket/key`.
    PathStyle,
    /// The bucket is in the host name: `bucket.s3.amazonaws.com/key`.
    VirtualHosted,
}

/// The bucket (and key, if any) a request addresses. Both borrow from the request (or the
/// endpoint's bucket name) unless decoding or lower-casing had to make a copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectAddress<'a> {
    pub bucket: Cow<'a, str>,
    /// The percent-decoded key; `None` when the URL addresses the bucket itself.
    pub key: Option<Cow<'a, str>>,
    pub style: AddressingStyle,
}

impl ObjectAddress<'_> {
    /// Whether S3 sees the bucket or an object (the `ResourceType` of CORS errors).
    pub fn addressed(&self) -> Addressed {
        if self.key.is_some() {
            Addressed::Object
        } else {
            Addressed::Bucket
        }
    }
}

/// The style an endpoint origin implies for `bucket`: virtual-hosted when the endpoint's host is
/// `<bucket>.…` or the bucket name itself (a CNAME-style bucket such as `assets.example.com`),
/// path-style otherwise.
pub fn endpoint_style(bucket: &str, endpoint: &str) -> AddressingStyle {
    Endpoint::parse(bucket, endpoint).style
}

/// [`endpoint_style`] for an endpoint host already split off its URL.
fn host_style(bucket: &str, host: &str) -> AddressingStyle {
    let host = host.as_bytes();
    let bucket = bucket.as_bytes();
    let virtual_hosted = host.eq_ignore_ascii_case(bucket)
        || (host.len() > bucket.len()
            && host[..bucket.len()].eq_ignore_ascii_case(bucket)
            && host[bucket.len()] == b'.');
    if virtual_hosted {
        AddressingStyle::VirtualHosted
    } else {
        AddressingStyle::PathStyle
    }
}

/// Resolves a request against a known bucket endpoint.
///
/// `host` is the request's `Host` (port included or not), `path` its request target (a query
/// string is ignored). Returns `None` when the host is not the endpoint's host (default ports
/// are equivalent to none) or, path-style, when the path names no bucket or another bucket.
pub fn resolve_for_endpoint<'a>(
    bucket: &'a str,
    endpoint: &str,
    host: &str,
    path: &'a str,
) -> Option<ObjectAddress<'a>> {
    Endpoint::parse(bucket, endpoint).resolve(host, path)
}

/// A bucket's endpoint split once into what [`resolve_for_endpoint`] compares requests with: a
/// bucket model answers every request of a scenario against the same endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint<'b, 'e> {
    bucket: &'b str,
    host: &'e str,
    port: Option<&'e str>,
    scheme_default_port: Option<&'static str>,
    style: AddressingStyle,
}

impl<'b, 'e> Endpoint<'b, 'e> {
    pub fn parse(bucket: &'b str, endpoint: &'e str) -> Self {
        let (host, port) = split_authority(authority_of(endpoint));
        Self {
            bucket,
            host,
            port,
            scheme_default_port: default_port(endpoint),
            style: host_style(bucket, host),
        }
    }

    /// [`resolve_for_endpoint`] for this endpoint.
    pub fn resolve<'a>(&self, host: &str, path: &'a str) -> Option<ObjectAddress<'a>>
    where
        'b: 'a,
    {
        let default = self.scheme_default_port;
        let (request_host, request_port) = split_authority(host);
        let same_host = self.host.eq_ignore_ascii_case(request_host)
            && self.port.or(default) == request_port.or(default);
        if !same_host {
            return None;
        }
        let target = match self.style {
            AddressingStyle::VirtualHosted => virtual_hosted(self.bucket, path),
            AddressingStyle::PathStyle => path_style(path)?,
        };
        (target.bucket == self.bucket).then_some(target)
    }
}

/// Resolves a request with no known endpoint: a `<bucket>.s3….amazonaws.com` host (also
/// `s3-<region>`, `s3.<region>`, `s3.dualstack.<region>`, `s3-website-<region>`,
/// `s3-website.<region>`, `s3-accelerate`, and `amazonaws.com.cn`) is virtual-hosted; any other
/// host is path-style. `None` when no bucket is named (the service endpoint).
pub fn resolve<'a>(host: &str, path: &'a str) -> Option<ObjectAddress<'a>> {
    match bucket_from_aws_host(host) {
        Some(bucket) => Some(ObjectAddress {
            bucket: Cow::Owned(bucket),
            ..virtual_hosted("", path)
        }),
        None => path_style(path),
    }
}

/// The bucket named by a virtual-hosted AWS host name, if the host is one.
pub fn bucket_from_aws_host(host: &str) -> Option<String> {
    let name = split_authority(host).0.to_ascii_lowercase();
    let name = name.trim_end_matches('.');
    let service = name
        .strip_suffix(".amazonaws.com")
        .or_else(|| name.strip_suffix(".amazonaws.com.cn"))?;
    let labels: Vec<&str> = service.split('.').collect();
    // The S3 label is the rightmost `s3` / `s3-…` label; everything before it is the bucket
    // (bucket names may contain dots and may themselves start with "s3").
    let s3_label = labels
        .iter()
        .rposition(|l| *l == "s3" || l.starts_with("s3-"))?;
    (s3_label > 0).then(|| labels[..s3_label].join("."))
}

fn virtual_hosted<'a>(bucket: &'a str, path: &'a str) -> ObjectAddress<'a> {
    let path = strip_query(path);
    let key = path.strip_prefix('/').unwrap_or(path);
    ObjectAddress {
        bucket: Cow::Borrowed(bucket),
        key: (!key.is_empty()).then(|| percent_decoded(key)),
        style: AddressingStyle::VirtualHosted,
    }
}

fn path_style(path: &str) -> Option<ObjectAddress<'_>> {
    let path = strip_query(path);
    let rest = path.strip_prefix('/').unwrap_or(path);
    let (bucket, key) = match rest.split_once('/') {
        Some((bucket, key)) => (bucket, key),
        None => (rest, ""),
    };
    if bucket.is_empty() {
        return None;
    }
    Some(ObjectAddress {
        bucket: percent_decoded(bucket),
        key: (!key.is_empty()).then(|| percent_decoded(key)),
        style: AddressingStyle::PathStyle,
    })
}

fn strip_query(path: &str) -> &str {
    path.split(['?', '#']).next().unwrap_or("")
}

/// Decodes `%XX` escapes (as UTF-8); a `%` not followed by two hex digits stays as it is, and
/// `+` stays `+` (it means a space only in query strings).
pub fn percent_decode(text: &str) -> String {
    percent_decoded(text).into_owned()
}

/// [`percent_decode`], borrowing `text` when it has nothing to decode.
pub fn percent_decoded(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(high), Some(low)) = (
                bytes.get(i + 1).and_then(|b| hex_value(*b)),
                bytes.get(i + 2).and_then(|b| hex_value(*b)),
            )
        {
            out.push(high * 16 + low);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `host[:port]` of an origin or URL; the text itself when it has no scheme.
fn authority_of(url: &str) -> &str {
    let rest = split_scheme(url).map_or(url, |(_, rest)| rest);
    let end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let authority = &rest[..end];
    match authority.bytes().rposition(|b| b == b'@') {
        Some(at) => &authority[at + 1..],
        None => authority,
    }
}

fn default_port(url: &str) -> Option<&'static str> {
    match split_scheme(url).map(|(scheme, _)| scheme) {
        Some(s) if s.eq_ignore_ascii_case("https") => Some("443"),
        Some(s) if s.eq_ignore_ascii_case("http") => Some("80"),
        _ => None,
    }
}

/// Splits `host[:port]`, minding IPv6 literals (`[::1]:9000`).
fn split_authority(authority: &str) -> (&str, Option<&str>) {
    // Byte searches: this runs for every request a bucket answers.
    let bytes = authority.as_bytes();
    if bytes.first() == Some(&b'[') {
        return match bytes.iter().position(|&b| b == b']') {
            Some(end) => (&authority[..=end], authority[end + 1..].strip_prefix(':')),
            None => (authority, None),
        };
    }
    match bytes.iter().rposition(|&b| b == b':') {
        Some(colon) => (&authority[..colon], Some(&authority[colon + 1..])),
        None => (authority, None),
    }
}
