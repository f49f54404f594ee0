//! Where an S3-compatible server is and how to address its buckets: the [`ExternalTarget`] the probe
//! talks to, and the URL (plus `Host`) of a bucket or object on it.

use cors_reports::target::TargetInfo;
use serde::Serialize;
use url::Url;

/// How bucket names travel in URLs on the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Addressing {
    /// `http://endpoint/<bucket>/<key>`: works with any endpoint, including `127.0.0.1:port`.
    #[default]
    Path,
    /// `Host: <bucket>.<endpoint host>`, path `/<key>`: the connection still goes to the
    /// endpoint's address; only the `Host` header carries the bucket, so no DNS entry is needed.
    Virtual,
}

/// An S3-compatible server and the credentials to administer buckets on it.
#[derive(Debug, Clone)]
pub struct ExternalTarget {
    /// Scheme, host and port of the S3 API, e.g. `http://127.0.0.1:8333`.
    pub endpoint: Url,
    pub access_key: String,
    pub secret_key: String,
    pub region: String,
    pub addressing: Addressing,
}

/// Why an [`ExternalTarget`] cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("the target endpoint '{0}' is not an http:// or https:// URL with a host")]
    BadEndpoint(String),
}

/// A bucket or object location on the target, ready to request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    /// `http://host:port` to connect to: always the endpoint, also for virtual-hosted
    /// addressing, whose bucket travels in the `Host` header only.
    pub(crate) origin: String,
    /// `host[:port]` as the `Host` header carries it (and as SigV4 signs it).
    pub(crate) host: String,
    /// S3-encoded path, starting with `/`.
    pub(crate) encoded_path: String,
}

impl Location {
    /// The URL with an already-encoded query (`""` for none).
    pub(crate) fn url(&self, encoded_query: &str) -> String {
        if encoded_query.is_empty() {
            format!("{}{}", self.origin, self.encoded_path)
        } else {
            format!("{}{}?{encoded_query}", self.origin, self.encoded_path)
        }
    }
}

impl ExternalTarget {
    /// Checks the endpoint: http(s), a host, no path beyond `/`.
    pub fn new(
        endpoint: &str,
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
        region: impl Into<String>,
        addressing: Addressing,
    ) -> Result<Self, TargetError> {
        let url =
            Url::parse(endpoint).map_err(|_| TargetError::BadEndpoint(endpoint.to_owned()))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(TargetError::BadEndpoint(endpoint.to_owned()));
        }
        Ok(ExternalTarget {
            endpoint: url,
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            region: region.into(),
            addressing,
        })
    }

    /// `host[:port]` of the endpoint (port only when not the scheme's default).
    pub(crate) fn endpoint_authority(&self) -> String {
        let host = self.endpoint.host_str().unwrap_or_default();
        match self.endpoint.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        }
    }

    fn endpoint_origin(&self) -> String {
        format!("{}://{}", self.endpoint.scheme(), self.endpoint_authority())
    }

    /// The location of `bucket` (and `encoded_key`, already S3-encoded, `""` for the bucket
    /// itself).
    pub(crate) fn location(&self, bucket: &str, encoded_key: &str) -> Location {
        match self.addressing {
            Addressing::Path => Location {
                origin: self.endpoint_origin(),
                host: self.endpoint_authority(),
                encoded_path: if encoded_key.is_empty() {
                    format!("/{bucket}")
                } else {
                    format!("/{bucket}/{encoded_key}")
                },
            },
            Addressing::Virtual => {
                let host = format!("{bucket}.{}", self.endpoint_authority());
                Location {
                    origin: self.endpoint_origin(),
                    host,
                    encoded_path: format!("/{encoded_key}"),
                }
            }
        }
    }

    /// The service endpoint itself (ListBuckets).
    pub(crate) fn service_location(&self) -> Location {
        Location {
            origin: self.endpoint_origin(),
            host: self.endpoint_authority(),
            encoded_path: "/".to_owned(),
        }
    }
}

/// The target as the report names it, without its keys.
impl From<&ExternalTarget> for TargetInfo {
    fn from(target: &ExternalTarget) -> Self {
        TargetInfo {
            endpoint: target.endpoint.to_string(),
            region: target.region.clone(),
            addressing: match target.addressing {
                Addressing::Path => "path",
                Addressing::Virtual => "virtual",
            }
            .to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(addressing: Addressing) -> ExternalTarget {
        ExternalTarget::new("http://127.0.0.1:9000", "k", "s", "us-east-1", addressing).unwrap()
    }

    #[test]
    fn path_style_puts_the_bucket_in_the_path() {
        let location = target(Addressing::Path).location("b", "photos/cat.jpg");
        assert_eq!(location.url(""), "http://127.0.0.1:9000/b/photos/cat.jpg");
        assert_eq!(location.host, "127.0.0.1:9000");
        assert_eq!(
            target(Addressing::Path).location("b", "").url("cors="),
            "http://127.0.0.1:9000/b?cors="
        );
    }

    #[test]
    fn virtual_style_puts_the_bucket_in_the_host() {
        let location = target(Addressing::Virtual).location("b", "k");
        assert_eq!(location.url(""), "http://127.0.0.1:9000/k");
        assert_eq!(location.host, "b.127.0.0.1:9000");
    }

    #[test]
    fn endpoints_must_be_http_urls() {
        assert!(ExternalTarget::new("ftp://x", "k", "s", "r", Addressing::Path).is_err());
        assert!(ExternalTarget::new("not a url", "k", "s", "r", Addressing::Path).is_err());
    }
}
