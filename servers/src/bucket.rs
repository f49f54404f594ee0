//! The bucket server: an S3 REST subset whose CORS answers come from `cors-engine`.
//!
//! One [`BucketServer`] is a cheap, clonable handle over shared state (buckets, objects, CORS
//! configurations, multipart uploads). [`BucketServer::router`] answers *any* request with one
//! fallback handler that dispatches on method, `Host`, path and query, so the origin proxy can
//! mount it under arbitrary host names. The server never decides a CORS rule itself: preflights
//! are rendered from [`cors_engine::s3::preflight`] and every bucket-addressed response (errors
//! included) carries the headers of [`cors_engine::s3::actual`]; bucket-less operations
//! (ListBuckets, CreateBucket) carry none.
//!
//! Operations: CreateBucket, HeadBucket, DeleteBucket, ListBuckets, GetBucketLocation,
//! ListObjects (V1 and V2), Put/Get/DeleteBucketCors, Put/Get/Head/DeleteObject (single ranges,
//! conditional GETs, stored metadata), multipart uploads, POST form uploads. Everything else is
//! `501 NotImplemented` or `405 MethodNotAllowed`. With [`AwsKeys`], every non-OPTIONS request
//! must carry a valid SigV4 signature (header or presigned query; aws-chunked bodies decoded and
//! chunk signatures checked); OPTIONS is never authenticated, as in S3. Time is checked as S3
//! checks it: header-signed requests within 15 minutes of the server's clock, presigned URLs for
//! at most seven days from their `X-Amz-Date`, and `host` must be among the signed headers.
//!
//! Limits (chosen here, documented because S3's own answers above them are not all captured):
//! * `?cors` bodies above 64 KiB → 400 `MaxMessageLengthExceeded` (S3 documents the 64 KB limit but
//!   not its error; the code is the one S3 uses for other oversized XML bodies — Low confidence);
//! * other XML bodies (CompleteMultipartUpload) above 1 MiB → the same error;
//! * object bodies above [`BucketServerBuilder::max_object_size`] (default 256 MiB) → 400
//!   `EntityTooLarge`.
//!
//! Not emulated: website endpoints' own behaviour (HTML error documents, index documents,
//! redirects; their host names are addressed like the REST endpoint), versioning, ACLs and
//! policies, CopyObject, POST policy conditions (only the policy signature is checked), and
//! persistence of multipart uploads still in progress.

mod addressing;
mod body;
mod chunked;
mod dispatch;
mod encoding;
mod errors;
mod handlers;
#[cfg(test)]
mod hostile_input;
mod ids;
mod multipart;
mod operation;
mod panic_guard;
mod post_object;
mod render;
mod sigv4;
mod storage;
mod xml;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use cors_engine::CorsConfiguration;
use tower::ServiceExt as _;

use crate::timeouts::{self, ConnectionTimeouts, HeadClock, TimedIo};

pub use storage::StorageError;

/// Default largest object body accepted by PutObject / UploadPart / POST uploads.
pub const DEFAULT_MAX_OBJECT_SIZE: u64 = 256 * 1024 * 1024;

/// The AWS access key and secret key the server verifies SigV4 signatures against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsKeys {
    pub access_key: String,
    pub secret_key: String,
}

/// A handle on one emulated S3 account. Clones share the same state.
#[derive(Clone)]
pub struct BucketServer {
    inner: Arc<Shared>,
}

pub(crate) struct Shared {
    pub(crate) store: storage::Store,
    /// Lower-cased host name (no port) → bucket, for endpoints a case names explicitly.
    pub(crate) virtual_hosts: RwLock<HashMap<String, String>>,
    pub(crate) keys: Option<AwsKeys>,
    pub(crate) max_object_size: u64,
    /// Shared by every upload being read, so concurrent uploads cannot exhaust memory.
    pub(crate) upload_budget: body::UploadBudget,
    pub(crate) ids: ids::RequestIds,
}

/// Builds a [`BucketServer`] with persistence, AWS keys or a different object size limit.
#[derive(Debug, Clone, Default)]
pub struct BucketServerBuilder {
    data_dir: Option<PathBuf>,
    keys: Option<AwsKeys>,
    max_object_size: Option<u64>,
}

impl BucketServerBuilder {
    /// Persist buckets, objects and CORS configurations under `dir` (created if missing) and load
    /// what an earlier server left there.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.data_dir = Some(dir.into());
        self
    }

    /// Require AWS SigV4 signatures made with these keys on every non-OPTIONS request.
    pub fn keys(mut self, keys: AwsKeys) -> Self {
        self.keys = Some(keys);
        self
    }

    /// Largest object body accepted, in bytes.
    pub fn max_object_size(mut self, bytes: u64) -> Self {
        self.max_object_size = Some(bytes);
        self
    }

    pub fn build(self) -> Result<BucketServer, StorageError> {
        let store = match &self.data_dir {
            Some(dir) => storage::Store::open(dir)?,
            None => storage::Store::in_memory(),
        };
        let max_object_size = self.max_object_size.unwrap_or(DEFAULT_MAX_OBJECT_SIZE);
        Ok(BucketServer {
            inner: Arc::new(Shared {
                store,
                virtual_hosts: RwLock::new(HashMap::new()),
                keys: self.keys,
                max_object_size,
                upload_budget: body::UploadBudget::new(max_object_size),
                ids: ids::RequestIds::new(),
            }),
        })
    }
}

impl Default for BucketServer {
    fn default() -> Self {
        Self::new()
    }
}

impl BucketServer {
    /// An in-memory server without authentication.
    pub fn new() -> Self {
        BucketServer {
            inner: Arc::new(Shared {
                store: storage::Store::in_memory(),
                virtual_hosts: RwLock::new(HashMap::new()),
                keys: None,
                max_object_size: DEFAULT_MAX_OBJECT_SIZE,
                upload_budget: body::UploadBudget::new(DEFAULT_MAX_OBJECT_SIZE),
                ids: ids::RequestIds::new(),
            }),
        }
    }

    pub fn builder() -> BucketServerBuilder {
        BucketServerBuilder::default()
    }

    /// A server persisting its state under `dir`, without authentication.
    pub fn with_data_dir(dir: impl AsRef<Path>) -> Result<Self, StorageError> {
        Self::builder().data_dir(dir.as_ref()).build()
    }

    /// The axum router answering every request (method, host, path and query decide). A handler
    /// that panics answers 500 `InternalError` and logs the panic to stderr.
    pub fn router(&self) -> axum::Router {
        let shared = self.inner.clone();
        axum::Router::new().fallback(move |request: axum::extract::Request| {
            let shared = shared.clone();
            async move {
                let described = format!("{} {}", request.method(), request.uri());
                panic_guard::answer_or_internal_error(
                    &shared.clone(),
                    &described,
                    dispatch::handle(shared, request),
                )
                .await
            }
        })
    }

    /// Route requests whose `Host` is `host` (port ignored, case-insensitive) to `bucket`,
    /// virtual-hosted style. Hosts of the `bucket.s3[...].amazonaws.com` forms need no entry.
    pub fn add_virtual_host(&self, host: &str, bucket: &str) {
        let host = addressing::host_without_port(host).to_ascii_lowercase();
        self.inner
            .virtual_hosts
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(host, bucket.to_owned());
    }

    /// Creates `bucket` if it does not exist yet (seeding never fails on an existing bucket).
    pub fn create_bucket(&self, bucket: &str) -> Result<(), StorageError> {
        match self.inner.store.create_bucket(bucket) {
            Ok(()) | Err(StorageError::BucketExists) => Ok(()),
            Err(other) => Err(other),
        }
    }

    /// Stores `config` as the bucket's CORS configuration, as given (seeding does not validate:
    /// cases may deliberately hold configurations S3 would refuse).
    pub fn put_bucket_cors(
        &self,
        bucket: &str,
        config: CorsConfiguration,
    ) -> Result<(), StorageError> {
        self.inner.store.put_cors(bucket, Some(config))
    }

    /// Stores an object; returns its ETag (quoted MD5 hex, as S3 sends it).
    pub fn put_object(
        &self,
        bucket: &str,
        key: &str,
        content_type: &str,
        body: impl Into<Bytes>,
    ) -> Result<String, StorageError> {
        let object =
            self.inner
                .store
                .put_object(bucket, key, content_type.to_owned(), body.into())?;
        Ok(object.etag.clone())
    }

    /// Stores an object as if it had been uploaded at `last_modified`, for seeding a case's objects
    /// with an age: browsers derive heuristic HTTP-cache freshness from `Date - Last-Modified`, so
    /// an object uploaded "just now" is never reused from cache while an old one is.
    pub fn put_object_modified_at(
        &self,
        bucket: &str,
        key: &str,
        content_type: &str,
        body: impl Into<Bytes>,
        last_modified: std::time::SystemTime,
    ) -> Result<String, StorageError> {
        let attributes = storage::ObjectAttributes {
            content_type: content_type.to_owned(),
            headers: Vec::new(),
            last_modified: Some(last_modified.into()),
        };
        let object = self
            .inner
            .store
            .put_object_with(bucket, key, attributes, body.into())?;
        Ok(object.etag.clone())
    }

    /// The body of a stored object, if any (for tests and the harness's own checks).
    pub fn object_body(&self, bucket: &str, key: &str) -> Option<Bytes> {
        self.inner
            .store
            .get_object(bucket, key)
            .ok()
            .map(|(_, body)| body)
    }
}

/// Why [`serve`] could not start (once serving, it runs until the process ends).
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot open the data directory: {0}")]
    Storage(#[from] StorageError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Serves a bucket server on `listen` until the process ends (path-style addressing for
/// `localhost` and IP hosts, virtual-hosted for `bucket.s3.amazonaws.com` forms), closing slow
/// and idle connections after `timeouts`.
pub async fn serve(
    listen: SocketAddr,
    data: Option<PathBuf>,
    keys: Option<AwsKeys>,
    timeouts: ConnectionTimeouts,
) -> Result<(), ServeError> {
    let mut builder = BucketServer::builder();
    if let Some(dir) = data {
        builder = builder.data_dir(dir);
    }
    if let Some(keys) = keys {
        builder = builder.keys(keys);
    }
    let server = builder.build()?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|source| ServeError::Bind {
            addr: listen,
            source,
        })?;
    serve_on(listener, &server, timeouts).await;
    Ok(())
}

/// Serves `server` on connections accepted from `listener`, forever, closing slow and idle
/// connections after `timeouts`.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    server: &BucketServer,
    timeouts: ConnectionTimeouts,
) {
    let router = server.router();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            // Running out of file descriptors and similar are transient: back off briefly
            // rather than spin or stop serving everyone.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        tokio::spawn(async move {
            let clock = Arc::new(HeadClock::default());
            let service = {
                let clock = Arc::clone(&clock);
                hyper::service::service_fn(move |request: http::Request<hyper::body::Incoming>| {
                    clock.head_complete();
                    let clock = Arc::clone(&clock);
                    let answer = router.clone().oneshot(request.map(axum::body::Body::new));
                    async move {
                        let response = answer.await;
                        clock.answered();
                        response
                    }
                })
            };
            let io = hyper_util::rt::TokioIo::new(TimedIo::new(stream, Arc::clone(&clock)));
            let connection = timeouts::http1_builder(timeouts).serve_connection(io, service);
            timeouts::run_with_header_limit(connection, &clock, timeouts.header_read).await;
        });
    }
}
