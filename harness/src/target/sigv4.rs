//! AWS Signature Version 4 for S3, the two forms the probe needs: the `Authorization` header (for
//! bucket administration: CreateBucket, PutBucketCors, PutObject, …) and the presigned query
//! string (for the actual requests a page would make with a presigned URL: no headers to add,
//! so the request stays what the browser sends apart from its URL).
//!
//! Paths and query strings are encoded here once, with S3's rules (every byte except the
//! unreserved set `A-Z a-z 0-9 - . _ ~` is percent-encoded; `/` stays in paths), and the caller
//! sends exactly the encoded path and query this module returns, so the signed canonical request
//! and the request on the wire cannot disagree.

use cors_servers::sigv4::{
    ALGORITHM, CanonicalRequest, credential_scope, format_amz_date, format_scope_date, sha256_hex,
    signature, signing_key, string_to_sign,
};
pub(crate) use cors_servers::sigv4::{UNSIGNED_PAYLOAD, encode_path};
use time::OffsetDateTime;

/// The service name in the credential scope.
const SERVICE: &str = "s3";

/// Who signs, and for which region.
#[derive(Debug, Clone)]
pub(crate) struct SigningKey<'a> {
    pub(crate) access_key: &'a str,
    pub(crate) secret_key: &'a str,
    pub(crate) region: &'a str,
}

/// The moment of signing, as SigV4 writes it.
#[derive(Debug, Clone)]
pub(crate) struct SigningTime {
    /// `20260124T153000Z`
    pub(crate) amz_date: String,
    /// `20260124`
    pub(crate) date: String,
}

impl SigningTime {
    pub(crate) fn now() -> Self {
        Self::at(OffsetDateTime::now_utc())
    }

    pub(crate) fn at(at: OffsetDateTime) -> Self {
        SigningTime {
            amz_date: format_amz_date(at),
            date: format_scope_date(at),
        }
    }
}

/// A request to sign: the encoded path and the (decoded) query parameters.
#[derive(Debug, Clone)]
pub(crate) struct Unsigned<'a> {
    pub(crate) method: &'a str,
    /// `host[:port]` exactly as the `Host` header will carry it.
    pub(crate) host: &'a str,
    /// Already S3-encoded (see [`encode_path`]).
    pub(crate) encoded_path: &'a str,
    /// Decoded names and values; `("cors", "")` for `?cors`.
    pub(crate) query: &'a [(String, String)],
}

/// Headers to add to a header-signed request.
#[derive(Debug, Clone)]
pub(crate) struct SignedHeaders {
    pub(crate) amz_date: String,
    pub(crate) content_sha256: String,
    pub(crate) authorization: String,
}

/// Signs with the `Authorization` header. `extra_headers` are further headers sent and signed
/// (lower-case names, e.g. `content-md5`, `content-type`).
pub(crate) fn sign_headers(
    key: &SigningKey<'_>,
    time: &SigningTime,
    request: &Unsigned<'_>,
    extra_headers: &[(&str, &str)],
    body: &[u8],
) -> SignedHeaders {
    let content_sha256 = sha256_hex(body);
    let extra_names: Vec<String> = extra_headers
        .iter()
        .map(|(name, _)| name.to_ascii_lowercase())
        .collect();
    let mut headers: Vec<(&str, String)> = vec![
        ("host", request.host.to_owned()),
        ("x-amz-content-sha256", content_sha256.clone()),
        ("x-amz-date", time.amz_date.clone()),
    ];
    headers.extend(
        extra_names
            .iter()
            .zip(extra_headers)
            .map(|(name, (_, value))| (name.as_str(), value.trim().to_owned())),
    );
    headers.sort();
    let canonical_query = canonical_query(request.query);
    let canonical = CanonicalRequest {
        method: request.method,
        encoded_path: request.encoded_path,
        canonical_query: &canonical_query,
        headers: &headers,
        payload_hash: &content_sha256,
    };
    let scope = scope(key, time);
    let signature = sign(key, time, &scope, &canonical.render());
    SignedHeaders {
        amz_date: time.amz_date.clone(),
        authorization: format!(
            "{ALGORITHM} Credential={}/{scope}, SignedHeaders={}, Signature={signature}",
            key.access_key,
            canonical.signed_headers()
        ),
        content_sha256,
    }
}

/// The full query string of a presigned URL (the request's own parameters plus the `X-Amz-*`
/// ones), already encoded; only `host` is signed.
pub(crate) fn presigned_query(
    key: &SigningKey<'_>,
    time: &SigningTime,
    request: &Unsigned<'_>,
    expires_seconds: u32,
) -> String {
    let scope = scope(key, time);
    let mut query: Vec<(String, String)> = request.query.to_vec();
    query.extend([
        ("X-Amz-Algorithm".to_owned(), ALGORITHM.to_owned()),
        (
            "X-Amz-Credential".to_owned(),
            format!("{}/{scope}", key.access_key),
        ),
        ("X-Amz-Date".to_owned(), time.amz_date.clone()),
        ("X-Amz-Expires".to_owned(), expires_seconds.to_string()),
        ("X-Amz-SignedHeaders".to_owned(), "host".to_owned()),
    ]);
    let canonical_query = canonical_query(&query);
    let headers = [("host", request.host.to_owned())];
    let canonical = CanonicalRequest {
        method: request.method,
        encoded_path: request.encoded_path,
        canonical_query: &canonical_query,
        headers: &headers,
        payload_hash: UNSIGNED_PAYLOAD,
    };
    let signature = sign(key, time, &scope, &canonical.render());
    format!("{canonical_query}&X-Amz-Signature={signature}")
}

/// The query parameters sorted by encoded name (then value), each `name=value`, joined by `&`.
pub(crate) fn canonical_query(query: &[(String, String)]) -> String {
    cors_servers::sigv4::canonical_query(query.iter().map(|(name, value)| (name, value)))
}

fn scope(key: &SigningKey<'_>, time: &SigningTime) -> String {
    credential_scope(&time.date, key.region, SERVICE)
}

fn sign(key: &SigningKey<'_>, time: &SigningTime, scope: &str, canonical: &str) -> String {
    let signing_key = signing_key(key.secret_key, &time.date, key.region, SERVICE);
    signature(
        &signing_key,
        &string_to_sign(&time.amz_date, scope, canonical),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE_KEY: SigningKey<'static> = SigningKey {
        access_key: "AKIAIOSFODNN7EXAMPLE",
        secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region: "us-east-1",
    };

    const EXAMPLE_REQUEST: Unsigned<'static> = Unsigned {
        method: "GET",
        host: "examplebucket.s3.amazonaws.com",
        encoded_path: "/test.txt",
        query: &[],
    };

    fn example_time() -> SigningTime {
        // 2013-05-24T00:00:00Z, the date of the AWS SigV4 S3 examples.
        let time = SigningTime::at(time::macros::datetime!(2013-05-24 00:00 UTC));
        assert_eq!(time.date, "20130524");
        time
    }

    /// The "GET Object" example of the AWS SigV4-for-S3 documentation (header form), whose
    /// published signature is f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41.
    /// The example signs a `range` header, passed here as an extra header.
    #[test]
    fn header_signature_matches_the_aws_example() {
        let signed = sign_headers(
            &EXAMPLE_KEY,
            &example_time(),
            &EXAMPLE_REQUEST,
            &[("range", "bytes=0-9")],
            b"",
        );
        assert!(
            signed.authorization.ends_with(
                "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
            ),
            "{}",
            signed.authorization
        );
    }

    /// The presigned-URL example of the same documentation (86400 s expiry), whose published
    /// signature is aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404.
    #[test]
    fn presigned_signature_matches_the_aws_example() {
        let query = presigned_query(&EXAMPLE_KEY, &example_time(), &EXAMPLE_REQUEST, 86_400);
        assert!(
            query.ends_with(
                "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
            ),
            "{query}"
        );
    }
}
