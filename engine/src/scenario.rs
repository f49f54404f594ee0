//! The engine's input: a page origin, a model of the server the page talks to, and the requests the
//! page makes, in order. The harness builds a [`Scenario`] from a case file; the engine never reads
//! files itself.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::config::CorsConfiguration;
use crate::http::{HeaderList, HeaderText};

/// The `Date` of every modelled response: the scenario runs at this instant. Fixed, so
/// predictions are deterministic.
pub const SCENARIO_DATE: &str = "Tue, 24 Nov 2026 12:00:00 GMT";
/// [`SCENARIO_DATE`] as S3 writes dates in XML (listings).
pub const SCENARIO_DATE_ISO: &str = "2026-11-24T12:00:00.000Z";
/// The `Last-Modified` of the objects present before the scenario: three weeks before
/// [`SCENARIO_DATE`], as for objects uploaded long before a page reads them. Browsers derive a
/// heuristic freshness of 10 % of that age (about two days), which is what makes S3 responses
/// reusable from the HTTP cache (see [`crate::browser::http_cache`]). Objects stored by a PUT
/// during the scenario carry [`SCENARIO_DATE`] instead, so they get no heuristic freshness.
pub const LAST_MODIFIED: &str = "Tue, 03 Nov 2026 12:00:00 GMT";
/// [`LAST_MODIFIED`] as S3 writes dates in XML (listings).
pub const LAST_MODIFIED_ISO: &str = "2026-11-03T12:00:00.000Z";
/// [`SCENARIO_DATE`] minus [`LAST_MODIFIED`]: how long before a run the harness stamps the objects
/// it seeds, so real browsers see the same age the prediction assumes.
pub const SEEDED_OBJECT_AGE: std::time::Duration = std::time::Duration::from_secs(21 * 24 * 3600);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// The origin serving the page that makes the requests, e.g. `https://app.example.com`.
    pub page_origin: String,
    pub server: ServerModel,
    /// Run in order, in one page, sharing its preflight and HTTP caches.
    pub requests: Vec<RequestSpec>,
}

/// What answers the page's cross-origin requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServerModel {
    /// An Amazon S3 bucket: answers come from the S3 half of the engine.
    Bucket(BucketModel),
    /// A literal-header server: OPTIONS gets `preflight`, everything else gets `response`.
    Raw(RawModel),
    /// A server whose answers were recorded on the wire (an external S3-compatible target during
    /// a browser run): the prediction then says what the browser should do *given what that
    /// server really sent*.
    Recorded(RecordedModel),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedModel {
    /// The server's origin, e.g. `https://assets.s3.amazonaws.com`.
    pub origin: String,
    /// In the order the server answered them. A request is answered with the first exchange not
    /// yet used that has its method and URL; a request nothing was recorded for gets
    /// [`RecordedModel::UNRECORDED_STATUS`].
    pub exchanges: Vec<RecordedExchange>,
}

impl RecordedModel {
    /// The status of the answer to a request the server was never seen answering (the browser
    /// did not send it): 502, with an empty body and no headers, so no CORS check passes.
    pub const UNRECORDED_STATUS: u16 = 502;
}

/// One request the server answered, and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedExchange {
    pub method: String,
    /// Absolute URL as the page addressed it.
    pub url: String,
    pub status: u16,
    pub headers: HeaderList,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketModel {
    pub name: String,
    /// The endpoint's origin, e.g. `http://assets.s3.amazonaws.com` (virtual-hosted) or
    /// `https://s3.eu-west-1.amazonaws.com` (path-style: the bucket is the first path segment).
    pub endpoint: String,
    /// The bucket's CORS configuration as stored by S3 (already accepted by validation); `None`
    /// when the bucket has none.
    pub cors: Option<CorsConfiguration>,
    /// Objects present before the first request, by key.
    pub objects: BTreeMap<String, ObjectSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectSpec {
    pub content_type: String,
    pub body: ObjectBody,
}

/// An object's bytes, with the `ETag` S3 gives them computed once: S3 derives it when the object
/// is stored, not on every read, and a scenario's seeded objects are read by every prediction
/// of it. Serialised as the bytes alone; equal when the bytes are.
#[derive(Clone, Default)]
pub struct ObjectBody {
    bytes: Vec<u8>,
    etag: OnceLock<HeaderText>,
}

impl ObjectBody {
    /// The bytes with an `ETag` already known (the bucket model computes it while storing).
    pub(crate) fn with_etag(bytes: Vec<u8>, etag: HeaderText) -> Self {
        Self {
            bytes,
            etag: OnceLock::from(etag),
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The quoted MD5 hex S3 sends as the `ETag` of these bytes stored by a single-part upload.
    pub fn etag(&self) -> &HeaderText {
        self.etag
            .get_or_init(|| crate::s3::object::etag_text(&self.bytes))
    }
}

impl From<Vec<u8>> for ObjectBody {
    fn from(bytes: Vec<u8>) -> Self {
        Self {
            bytes,
            etag: OnceLock::new(),
        }
    }
}

impl From<&[u8]> for ObjectBody {
    fn from(bytes: &[u8]) -> Self {
        bytes.to_vec().into()
    }
}

impl std::ops::Deref for ObjectBody {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

impl AsRef<[u8]> for ObjectBody {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl PartialEq for ObjectBody {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for ObjectBody {}

impl std::fmt::Debug for ObjectBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.bytes.fmt(f)
    }
}

impl Serialize for ObjectBody {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.bytes.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ObjectBody {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<u8>::deserialize(deserializer).map(Self::from)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawModel {
    /// The server's origin, e.g. `https://api.example.com`.
    pub origin: String,
    pub preflight: RawResponse,
    pub response: RawResponse,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawResponse {
    pub status: u16,
    /// Literal header lines; a repeated name is sent as separate lines.
    pub headers: HeaderList,
    pub body: Vec<u8>,
}

/// Which page API makes the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestKind {
    Fetch,
    Xhr,
    Img,
    /// An `<img>` drawn on a canvas, then `getImageData` tried.
    ImgCanvas,
    Script,
    Font,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    #[default]
    Cors,
    NoCors,
    SameOrigin,
}

/// The request's credentials mode: fetch()'s `credentials` option, or what an element's
/// `crossorigin` attribute and XHR's `withCredentials` amount to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialsMode {
    Omit,
    #[default]
    SameOrigin,
    Include,
}

/// The CORS settings attribute of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CrossOrigin {
    Anonymous,
    UseCredentials,
}

/// fetch()'s `cache` option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CacheMode {
    #[default]
    Default,
    NoStore,
    Reload,
    NoCache,
    ForceCache,
}

/// How the page builds a request body; it decides the automatic `Content-Type` and whether the
/// body forces a preflight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum BodySpec {
    /// A string: `text/plain;charset=UTF-8` unless a Content-Type header is set.
    Text { text: String },
    /// A Blob with the given type (empty = no Content-Type).
    Blob { text: String, r#type: String },
    /// `URLSearchParams`: `application/x-www-form-urlencoded;charset=UTF-8`.
    UrlSearchParams { text: String },
    /// `FormData` with text fields: `multipart/form-data; boundary=…`.
    FormData { fields: Vec<(String, String)> },
    /// A `ReadableStream` body (`duplex: "half"`): sets the use-CORS-preflight flag.
    ReadableStream { text: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestSpec {
    pub kind: RequestKind,
    /// Absolute URL.
    pub url: String,
    /// As the script passes it (before the browser's method normalisation).
    pub method: String,
    /// Headers the script sets, in order.
    pub headers: HeaderList,
    pub body: Option<BodySpec>,
    /// fetch only; XHR and elements decide their own mode.
    pub mode: Mode,
    /// fetch: the `credentials` option; xhr: `include` means `withCredentials = true`.
    pub credentials: CredentialsMode,
    /// Elements only.
    pub crossorigin: Option<CrossOrigin>,
    pub cache: CacheMode,
    /// XHR only: an event listener registered on `xhr.upload` before `send()`.
    pub upload_listener: bool,
    /// Response headers the page tries to read, as written in the case.
    pub read_headers: Vec<String>,
    /// Pause before this request, in milliseconds (lets preflight-cache entries expire).
    pub wait_ms: u64,
}

impl RequestSpec {
    /// A plain `fetch(url)`: GET, mode cors, credentials same-origin.
    pub fn fetch(url: impl Into<String>) -> Self {
        Self {
            kind: RequestKind::Fetch,
            url: url.into(),
            method: "GET".into(),
            headers: HeaderList::new(),
            body: None,
            mode: Mode::Cors,
            credentials: CredentialsMode::SameOrigin,
            crossorigin: None,
            cache: CacheMode::Default,
            upload_listener: false,
            read_headers: Vec::new(),
            wait_ms: 0,
        }
    }
}
