//! AWS Signature Version 4 for S3, the two forms the probe needs: the `Authorization` header (for
//! bucket administration: CreateBucket, PutBucketCors, PutObject, …) and the presigned query
//! string (for the actual requests a page would make with a presigned URL: no headers to add,
//! so the request stays what the browser sends apart from its URL).
//!
//! Paths and query strings are encoded here once, with S3's rules (every byte except the
//! unreserved set `A-Z a-z 0-9 - . _ ~` is percent-encoded; `/` stays in paths), and the caller
//! sends exactly the encoded path and query this module returns, so the signed canonical request
//! and the request on the wire cannot disagree.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The service name in the credential scope.
const SERVICE: &str = "s3";
/// The payload hash a presigned URL always claims.
pub(crate) const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

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
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self::from_unix(seconds)
    }

    /// From seconds since the Unix epoch (UTC), using the proleptic Gregorian calendar.
    pub(crate) fn from_unix(seconds: u64) -> Self {
        let days = (seconds / 86_400) as i64;
        let secs_of_day = seconds % 86_400;
        let (year, month, day) = civil_from_days(days);
        let date = format!("{year:04}{month:02}{day:02}");
        let amz_date = format!(
            "{date}T{:02}{:02}{:02}Z",
            secs_of_day / 3600,
            secs_of_day / 60 % 60,
            secs_of_day % 60
        );
        SigningTime { amz_date, date }
    }
}

/// Days since 1970-01-01 → (year, month, day); Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
    let content_sha256 = hex::encode(Sha256::digest(body));
    let mut headers: Vec<(String, String)> = vec![
        ("host".into(), request.host.to_owned()),
        ("x-amz-content-sha256".into(), content_sha256.clone()),
        ("x-amz-date".into(), time.amz_date.clone()),
    ];
    headers.extend(
        extra_headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned())),
    );
    headers.sort();
    let signed_names = headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_headers: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let canonical = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method,
        request.encoded_path,
        canonical_query(request.query),
        canonical_headers,
        signed_names,
        content_sha256
    );
    let scope = scope(key, time);
    let signature = signature(key, time, &scope, &canonical);
    SignedHeaders {
        amz_date: time.amz_date.clone(),
        content_sha256,
        authorization: format!(
            "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed_names}, Signature={signature}",
            key.access_key
        ),
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
    let canonical = format!(
        "{}\n{}\n{}\nhost:{}\n\nhost\n{UNSIGNED_PAYLOAD}",
        request.method, request.encoded_path, canonical_query, request.host
    );
    let signature = signature(key, time, &scope, &canonical);
    format!("{canonical_query}&X-Amz-Signature={signature}")
}

/// The query parameters sorted by encoded name (then value), each `name=value`, joined by `&`.
pub(crate) fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> = query
        .iter()
        .map(|(n, v)| (encode_component(n), encode_component(v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn scope(key: &SigningKey<'_>, time: &SigningTime) -> String {
    format!("{}/{}/{SERVICE}/aws4_request", time.date, key.region)
}

fn signature(key: &SigningKey<'_>, time: &SigningTime, scope: &str, canonical: &str) -> String {
    let string_to_sign = format!(
        "{ALGORITHM}\n{}\n{scope}\n{}",
        time.amz_date,
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let secret = format!("AWS4{}", key.secret_key);
    let k_date = hmac(secret.as_bytes(), time.date.as_bytes());
    let k_region = hmac(&k_date, key.region.as_bytes());
    let k_service = hmac(&k_region, SERVICE.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    hex::encode(hmac(&k_signing, string_to_sign.as_bytes()))
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // An HMAC key of any length is valid, so `new_from_slice` cannot fail here.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// S3's URI encoding of one query name or value: everything but the unreserved set.
pub(crate) fn encode_component(text: &str) -> String {
    encode(text, false)
}

/// S3's URI encoding of a path: like [`encode_component`] but `/` is kept.
pub(crate) fn encode_path(path: &str) -> String {
    encode(path, true)
}

fn encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let unreserved = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
        if unreserved || (keep_slash && byte == b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_conversion_matches_known_dates() {
        // 2013-05-24T00:00:00Z, the date of the AWS SigV4 S3 examples.
        let t = SigningTime::from_unix(1_369_353_600);
        assert_eq!(t.amz_date, "20130524T000000Z");
        let t = SigningTime::from_unix(951_782_400 + 3_661); // 2000-02-29T01:01:01Z
        assert_eq!(t.amz_date, "20000229T010101Z");
    }

    /// The "GET Object" example of the AWS SigV4-for-S3 documentation (header form), whose
    /// published signature is f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41.
    /// The example signs a `range` header, passed here as an extra header.
    #[test]
    fn header_signature_matches_the_aws_example() {
        let key = SigningKey {
            access_key: "AKIAIOSFODNN7EXAMPLE",
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            region: "us-east-1",
        };
        let time = SigningTime::from_unix(1_369_353_600);
        let signed = sign_headers(
            &key,
            &time,
            &Unsigned {
                method: "GET",
                host: "examplebucket.s3.amazonaws.com",
                encoded_path: "/test.txt",
                query: &[],
            },
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
        let key = SigningKey {
            access_key: "AKIAIOSFODNN7EXAMPLE",
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            region: "us-east-1",
        };
        let time = SigningTime::from_unix(1_369_353_600);
        let query = presigned_query(
            &key,
            &time,
            &Unsigned {
                method: "GET",
                host: "examplebucket.s3.amazonaws.com",
                encoded_path: "/test.txt",
                query: &[],
            },
            86_400,
        );
        assert!(
            query.ends_with(
                "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
            ),
            "{query}"
        );
    }

    #[test]
    fn encoding_keeps_only_unreserved_bytes() {
        assert_eq!(encode_path("/a b/c+d~é"), "/a%20b/c%2Bd~%C3%A9");
        assert_eq!(encode_component("a/b=c"), "a%2Fb%3Dc");
    }
}
