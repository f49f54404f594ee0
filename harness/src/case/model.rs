//! The validated case: what a case file means once every reference is resolved (relative URLs
//! made absolute, `cors_file`/`body_file` read, the CORS text parsed and checked the way S3's
//! PutBucketCors checks it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use cors_engine::Browser;
use cors_engine::config::{CorsConfiguration, SourceFormat};
use cors_engine::http::origin_of;
use cors_engine::s3::S3Error;
use cors_engine::scenario::{
    BucketModel, ObjectSpec, RawModel, RequestSpec, Scenario, ServerModel,
};
use cors_reports::predict::ConfigExpectationFailure;
use serde::Serialize;

use super::expect::Expectation;

/// One loaded case file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// The path relative to the cases root, without `.toml`, `/`-separated
    /// (e.g. `s3/preflight/put-needs-method`).
    pub id: String,
    /// The file it was loaded from.
    pub path: PathBuf,
    pub title: String,
    pub tags: Vec<String>,
    /// The page's origin, serialised (`https://app.example.com`).
    pub page: String,
    /// The browsers the case runs in (default: all), in [`Browser::ALL`] order.
    pub browsers: Vec<Browser>,
    pub server: CaseServer,
    /// The page's requests, in order; at least one.
    pub requests: Vec<CaseRequest>,
}

/// What the page's requests go to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum CaseServer {
    Bucket(BucketCase),
    /// A literal-header server.
    Server(RawModel),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BucketCase {
    pub name: String,
    /// The endpoint origin (default `http://<name>.s3.amazonaws.com`).
    pub endpoint: String,
    /// The CORS configuration as written, parsed and validated; `None` when the case gives none.
    pub cors: Option<CorsSource>,
    /// Extension `expect_cors_error`: the S3 error code PutBucketCors is expected to answer.
    pub expect_cors_error: Option<String>,
    pub objects: BTreeMap<String, ObjectSpec>,
}

/// A CORS configuration as the case wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorsSource {
    /// `cors_file`, resolved, when the text came from a file.
    pub file: Option<PathBuf>,
    pub text: String,
    pub format: SourceFormat,
    pub config: CorsConfiguration,
    /// S3's PutBucketCors answer when it rejects the configuration. The bucket then has no CORS
    /// configuration at all, exactly as after a failed PutBucketCors.
    pub rejected: Option<S3Error>,
}

impl CorsSource {
    /// The configuration S3 stores: `None` when S3 rejected it.
    pub fn accepted(&self) -> Option<&CorsConfiguration> {
        self.rejected.is_none().then_some(&self.config)
    }
}

/// One `[[request]]`: the engine's request (absolute URL) plus the author's assertion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseRequest {
    pub spec: RequestSpec,
    pub expect: Option<Expectation>,
    /// 1-based line of the `[[request]]` table in the case file.
    pub line: usize,
}

impl Case {
    /// The engine's input for this case. URLs are the case's own; the runner adds its isolation
    /// prefix itself.
    pub fn to_scenario(&self) -> Scenario {
        let server = match &self.server {
            CaseServer::Bucket(bucket) => ServerModel::Bucket(BucketModel {
                name: bucket.name.clone(),
                endpoint: bucket.endpoint.clone(),
                cors: bucket.cors.as_ref().and_then(CorsSource::accepted).cloned(),
                objects: bucket.objects.clone(),
            }),
            CaseServer::Server(raw) => ServerModel::Raw(raw.clone()),
        };
        Scenario {
            page_origin: self.page.clone(),
            server,
            requests: self.requests.iter().map(|r| r.spec.clone()).collect(),
        }
    }

    /// The bucket, when the case is about one.
    pub fn bucket(&self) -> Option<&BucketCase> {
        match &self.server {
            CaseServer::Bucket(bucket) => Some(bucket),
            CaseServer::Server(_) => None,
        }
    }

    /// The origin the requests' relative URLs resolve against: the bucket endpoint or the raw
    /// server's origin.
    pub fn server_origin(&self) -> &str {
        match &self.server {
            CaseServer::Bucket(bucket) => &bucket.endpoint,
            CaseServer::Server(raw) => &raw.origin,
        }
    }

    /// Every origin the case touches: the page, the bucket endpoint or server origin, and the
    /// origin of every absolute request URL. Sorted, without duplicates.
    pub fn origins(&self) -> BTreeSet<String> {
        let mut origins = BTreeSet::new();
        origins.insert(self.page.clone());
        origins.insert(self.server_origin().to_owned());
        for request in &self.requests {
            if let Some(origin) = origin_of(&request.spec.url) {
                origins.insert(origin);
            }
        }
        origins
    }

    /// Every host name the case touches (lower-case, without port): what the origin proxy must
    /// route to the harness.
    pub fn hosts(&self) -> BTreeSet<String> {
        self.origins()
            .iter()
            .filter_map(|origin| host_of_origin(origin))
            .collect()
    }

    /// Whether this case runs in `browser`.
    pub fn runs_in(&self, browser: Browser) -> bool {
        self.browsers.contains(&browser)
    }

    /// The browsers this case runs in among `wanted` (all of its own when `wanted` is empty),
    /// in [`Browser::ALL`] order.
    pub fn browsers_among(&self, wanted: &[Browser]) -> Vec<Browser> {
        self.browsers
            .iter()
            .copied()
            .filter(|b| wanted.is_empty() || wanted.contains(b))
            .collect()
    }

    /// Checks `bucket.expect_cors_error` against S3's validation; `None` when it holds (or the
    /// case makes no such assertion and S3 accepts the configuration).
    ///
    /// A rejected configuration without `expect_cors_error` is not a failure: the case then
    /// tests a bucket whose PutBucketCors failed, and `predict` says so.
    pub fn check_config_expectation(&self) -> Option<ConfigExpectationFailure> {
        let bucket = self.bucket()?;
        let actual = bucket
            .cors
            .as_ref()
            .and_then(|c| c.rejected.as_ref())
            .map(|e| e.code.clone());
        let expected = bucket.expect_cors_error.clone()?;
        if actual.as_deref() == Some(expected.as_str()) {
            return None;
        }
        let message = match &actual {
            Some(code) => {
                format!("expected PutBucketCors to fail with {expected}, it fails with {code}")
            }
            None => format!("expected PutBucketCors to fail with {expected}, S3 accepts it"),
        };
        Some(ConfigExpectationFailure {
            expected: Some(expected),
            actual,
            message,
        })
    }
}

/// `https://Host.example:8443` → `host.example`; IPv6 literals keep their brackets.
pub(crate) fn host_of_origin(origin: &str) -> Option<String> {
    let (_, authority) = origin.split_once("://")?;
    let host = if authority.starts_with('[') {
        authority.split_inclusive(']').next()?
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}
