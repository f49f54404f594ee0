//! A small S3 client for the probe: SigV4-signed bucket administration (CreateBucket,
//! PutBucketCors with `Content-MD5`, GetBucketCors, PutObject, DeleteObject, ListObjects,
//! DeleteBucket, ListBuckets) and unsigned or presigned raw requests for the wire probe.
//!
//! It speaks plain HTTP/1.1 through reqwest with redirects and proxies off, so what the probe
//! sees is exactly what the server sent.

use std::time::Duration;

use base64::Engine as _;
use cors_engine::HeaderList;
use md5::{Digest as _, Md5};
use reqwest::Method;

use super::endpoint::{ExternalTarget, Location};
use super::sigv4::{self, SigningKey, SigningTime, Unsigned};

/// How long a presigned URL stays valid: far longer than any probe.
const PRESIGN_SECONDS: u32 = 900;
/// No single request of the probe should take longer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// A response as the probe needs it: status, every header line in order, the body.
#[derive(Debug, Clone)]
pub struct S3Response {
    pub status: u16,
    pub headers: HeaderList,
    pub body: Vec<u8>,
}

impl S3Response {
    /// The `<Code>` of an S3 error body, if the body is one.
    pub fn error_code(&self) -> Option<String> {
        xml_elements(&String::from_utf8_lossy(&self.body), "Code")
            .into_iter()
            .next()
    }

    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why a client call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("{operation}: cannot reach the target: {source}")]
    Transport {
        operation: &'static str,
        #[source]
        source: reqwest::Error,
    },
    #[error("{operation}: the target answered {status} {}", code.as_deref().unwrap_or("(no error code)"))]
    S3 {
        operation: &'static str,
        status: u16,
        code: Option<String>,
    },
    #[error("cannot build the HTTP client: {0}")]
    Setup(#[source] reqwest::Error),
}

/// How a raw probe request is authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Sent as the browser sends it: no signature at all (S3 never authenticates preflights).
    Anonymous,
    /// A presigned URL: the signature travels in the query, the headers stay the browser's.
    Presigned,
}

/// One raw request of the wire probe.
#[derive(Debug, Clone)]
pub struct RawRequest<'a> {
    pub method: &'a str,
    pub bucket: &'a str,
    /// S3-encoded key, `""` for the bucket itself.
    pub encoded_key: &'a str,
    /// Decoded query parameters of the case's URL.
    pub query: &'a [(String, String)],
    pub headers: &'a HeaderList,
    pub body: &'a [u8],
    pub auth: Auth,
}

/// The signed S3 client for one [`ExternalTarget`].
#[derive(Debug, Clone)]
pub struct S3Client {
    http: reqwest::Client,
    target: ExternalTarget,
}

impl S3Client {
    pub fn new(target: ExternalTarget) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(ClientError::Setup)?;
        Ok(S3Client { http, target })
    }

    pub fn target(&self) -> &ExternalTarget {
        &self.target
    }

    fn key(&self) -> SigningKey<'_> {
        SigningKey {
            access_key: &self.target.access_key,
            secret_key: &self.target.secret_key,
            region: &self.target.region,
        }
    }

    /// Sends a header-signed request and returns whatever the server answered.
    async fn signed(
        &self,
        operation: &'static str,
        method: Method,
        location: &Location,
        query: &[(String, String)],
        extra_headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<S3Response, ClientError> {
        let signed = sigv4::sign_headers(
            &self.key(),
            &SigningTime::now(),
            &Unsigned {
                method: method.as_str(),
                host: &location.host,
                encoded_path: &location.encoded_path,
                query,
            },
            extra_headers,
            &body,
        );
        let url = location.url(&sigv4::canonical_query(query));
        let mut request = self
            .http
            .request(method, url)
            .header("host", &location.host)
            .header("x-amz-date", signed.amz_date)
            .header("x-amz-content-sha256", signed.content_sha256)
            .header("authorization", signed.authorization);
        for (name, value) in extra_headers {
            request = request.header(*name, *value);
        }
        let response = request
            .body(body)
            .send()
            .await
            .map_err(|source| ClientError::Transport { operation, source })?;
        read(response)
            .await
            .map_err(|source| ClientError::Transport { operation, source })
    }

    /// Like [`signed`](Self::signed), but a non-2xx answer is an error.
    async fn signed_ok(
        &self,
        operation: &'static str,
        method: Method,
        location: &Location,
        query: &[(String, String)],
        extra_headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<S3Response, ClientError> {
        let response = self
            .signed(operation, method, location, query, extra_headers, body)
            .await?;
        if response.is_success() {
            Ok(response)
        } else {
            Err(ClientError::S3 {
                operation,
                status: response.status,
                code: response.error_code(),
            })
        }
    }

    pub async fn create_bucket(&self, bucket: &str) -> Result<(), ClientError> {
        // Outside us-east-1, S3 wants the region named in the body.
        let body = if self.target.region == "us-east-1" {
            Vec::new()
        } else {
            format!(
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
                 <LocationConstraint>{}</LocationConstraint></CreateBucketConfiguration>",
                self.target.region
            )
            .into_bytes()
        };
        let location = self.target.location(bucket, "");
        self.signed_ok("CreateBucket", Method::PUT, &location, &[], &[], body)
            .await
            .map(drop)
    }

    /// PutBucketCors with `Content-MD5` (S3 requires it on this call). The answer is returned
    /// as it came, accepted or not: the probe compares a rejection with S3's.
    pub async fn put_bucket_cors(
        &self,
        bucket: &str,
        xml: &[u8],
    ) -> Result<S3Response, ClientError> {
        let md5 = base64::engine::general_purpose::STANDARD.encode(Md5::digest(xml));
        let location = self.target.location(bucket, "");
        self.signed(
            "PutBucketCors",
            Method::PUT,
            &location,
            &cors_query(),
            &[("content-md5", &md5), ("content-type", "application/xml")],
            xml.to_vec(),
        )
        .await
    }

    /// The stored CORS XML; `None` when the bucket has none (`NoSuchCORSConfiguration`).
    pub async fn get_bucket_cors(&self, bucket: &str) -> Result<Option<String>, ClientError> {
        let location = self.target.location(bucket, "");
        let response = self
            .signed(
                "GetBucketCors",
                Method::GET,
                &location,
                &cors_query(),
                &[],
                Vec::new(),
            )
            .await?;
        if response.is_success() {
            return Ok(Some(String::from_utf8_lossy(&response.body).into_owned()));
        }
        match response.error_code().as_deref() {
            Some("NoSuchCORSConfiguration") => Ok(None),
            code => Err(ClientError::S3 {
                operation: "GetBucketCors",
                status: response.status,
                code: code.map(str::to_owned),
            }),
        }
    }

    pub async fn put_object(
        &self,
        bucket: &str,
        key: &str,
        content_type: &str,
        body: &[u8],
    ) -> Result<(), ClientError> {
        let location = self.target.location(bucket, &sigv4::encode_path(key));
        self.signed_ok(
            "PutObject",
            Method::PUT,
            &location,
            &[],
            &[("content-type", content_type)],
            body.to_vec(),
        )
        .await
        .map(drop)
    }

    pub async fn delete_object(&self, bucket: &str, key: &str) -> Result<(), ClientError> {
        let location = self.target.location(bucket, &sigv4::encode_path(key));
        self.signed_ok(
            "DeleteObject",
            Method::DELETE,
            &location,
            &[],
            &[],
            Vec::new(),
        )
        .await
        .map(drop)
    }

    /// Every key in the bucket (ListObjects, following `NextMarker`/the last key while
    /// `IsTruncated`).
    pub async fn list_objects(&self, bucket: &str) -> Result<Vec<String>, ClientError> {
        let location = self.target.location(bucket, "");
        let mut keys = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let query: Vec<(String, String)> = marker
                .iter()
                .map(|m| ("marker".to_owned(), m.clone()))
                .collect();
            let response = self
                .signed_ok(
                    "ListObjects",
                    Method::GET,
                    &location,
                    &query,
                    &[],
                    Vec::new(),
                )
                .await?;
            let text = String::from_utf8_lossy(&response.body);
            let page = xml_elements(&text, "Key");
            let truncated = xml_elements(&text, "IsTruncated")
                .first()
                .is_some_and(|t| t == "true");
            let next = xml_elements(&text, "NextMarker")
                .into_iter()
                .next()
                .or_else(|| page.last().cloned());
            keys.extend(page);
            match next {
                Some(next) if truncated && marker.as_ref() != Some(&next) => marker = Some(next),
                _ => return Ok(keys),
            }
        }
    }

    pub async fn delete_bucket(&self, bucket: &str) -> Result<(), ClientError> {
        let location = self.target.location(bucket, "");
        self.signed_ok(
            "DeleteBucket",
            Method::DELETE,
            &location,
            &[],
            &[],
            Vec::new(),
        )
        .await
        .map(drop)
    }

    /// The names of every bucket the credentials own.
    pub async fn list_buckets(&self) -> Result<Vec<String>, ClientError> {
        let location = self.target.service_location();
        let response = self
            .signed_ok("ListBuckets", Method::GET, &location, &[], &[], Vec::new())
            .await?;
        Ok(xml_elements(
            &String::from_utf8_lossy(&response.body),
            "Name",
        ))
    }

    /// Deletes every object, then the bucket. A missing bucket is already clean.
    pub async fn empty_and_delete_bucket(&self, bucket: &str) -> Result<(), ClientError> {
        let keys = match self.list_objects(bucket).await {
            Ok(keys) => keys,
            Err(ClientError::S3 { code, .. }) if code.as_deref() == Some("NoSuchBucket") => {
                return Ok(());
            }
            Err(other) => return Err(other),
        };
        for key in keys {
            self.delete_object(bucket, &key).await?;
        }
        match self.delete_bucket(bucket).await {
            Err(ClientError::S3 { code, .. }) if code.as_deref() == Some("NoSuchBucket") => Ok(()),
            other => other,
        }
    }

    /// Sends one request of the wire probe as given (only presigning touches the URL) and
    /// returns the whole answer.
    pub async fn raw(&self, request: &RawRequest<'_>) -> Result<S3Response, ClientError> {
        let operation = "probe request";
        let location = self.target.location(request.bucket, request.encoded_key);
        let query = match request.auth {
            Auth::Anonymous => sigv4::canonical_query(request.query),
            Auth::Presigned => sigv4::presigned_query(
                &self.key(),
                &SigningTime::now(),
                &Unsigned {
                    method: request.method,
                    host: &location.host,
                    encoded_path: &location.encoded_path,
                    query: request.query,
                },
                PRESIGN_SECONDS,
            ),
        };
        let method =
            Method::from_bytes(request.method.as_bytes()).map_err(|_| ClientError::S3 {
                operation,
                status: 0,
                code: Some(format!("unsupported method {}", request.method)),
            })?;
        let mut builder = self
            .http
            .request(method, location.url(&query))
            .header("host", &location.host);
        for (name, value) in request.headers.iter() {
            builder = builder.header(name, value);
        }
        let response = builder
            .body(request.body.to_vec())
            .send()
            .await
            .map_err(|source| ClientError::Transport { operation, source })?;
        read(response)
            .await
            .map_err(|source| ClientError::Transport { operation, source })
    }
}

fn cors_query() -> Vec<(String, String)> {
    vec![("cors".to_owned(), String::new())]
}

async fn read(response: reqwest::Response) -> Result<S3Response, reqwest::Error> {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = response.bytes().await?.to_vec();
    Ok(S3Response {
        status,
        headers,
        body,
    })
}

/// The text of every `<name>…</name>` element, entities decoded. S3's answers are flat enough
/// that this is all the XML reading the probe needs.
pub(crate) fn xml_elements(xml: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(&close) else { break };
        out.push(unescape(&after[..end]));
        rest = &after[end + close.len()..];
    }
    out
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_elements_reads_every_occurrence_and_decodes_entities() {
        let xml = "<R><Contents><Key>a&amp;b</Key></Contents><Contents><Key>c</Key></Contents></R>";
        assert_eq!(xml_elements(xml, "Key"), ["a&b", "c"]);
        assert!(xml_elements(xml, "Code").is_empty());
    }
}
