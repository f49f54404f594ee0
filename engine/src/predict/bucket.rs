//! A minimal model of an S3 bucket's object operations, enough to predict what a page sees:
//! GET/HEAD of an existing key (200 with `ETag`, `Content-Type`, `Content-Length`,
//! `Last-Modified`; 206 with `Content-Range` for a single satisfiable `Range`, 416 `InvalidRange`
//! for an unsatisfiable one), a missing key (404 `NoSuchKey`), PUT (200 with `ETag`; the object is stored
//! so later requests see it), DELETE (204), POST to the bucket (a form upload: 204), GET of the
//! bucket (ListObjects: 200). Everything else gets 405 `MethodNotAllowed`. Authentication is not
//! modelled: every request is treated as allowed by the bucket policy.
//!
//! The CORS headers S3 adds come from [`crate::s3::actual`]; this module only decides the
//! status, the object headers and the body.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use md5::{Digest, Md5};

use crate::http::{HeaderList, HeaderText, split_on};
use crate::predict::responder::Incoming;
use crate::predict::text::Decimal;
use crate::s3::{Addressed, BucketTarget, S3Error};
use crate::scenario::{ObjectBody, ObjectSpec};

/// The `Date` of every modelled response: the scenario runs at this instant. Fixed, so
/// predictions are deterministic.
pub const SCENARIO_DATE: &str = "Tue, 24 Nov 2026 12:00:00 GMT";
/// The `Last-Modified` of the objects present before the scenario: three weeks before
/// [`SCENARIO_DATE`], as for objects uploaded long before a page reads them. Browsers derive a
/// heuristic freshness of 10 % of that age (about two days), which is what makes S3 responses
/// reusable from the HTTP cache (see [`crate::browser::http_cache`]). Objects stored by a PUT
/// during the scenario carry [`SCENARIO_DATE`] instead, so they get no heuristic freshness.
pub const LAST_MODIFIED: &str = "Tue, 03 Nov 2026 12:00:00 GMT";
/// [`SCENARIO_DATE`] minus [`LAST_MODIFIED`]: how long before a run the harness stamps the objects
/// it seeds, so real browsers see the same age the prediction assumes.
pub const SEEDED_OBJECT_AGE: std::time::Duration = std::time::Duration::from_secs(21 * 24 * 3600);
/// The `Content-Type` S3 gives an object uploaded without one.
pub const DEFAULT_CONTENT_TYPE: &str = "binary/octet-stream";
/// The request id written into error bodies.
pub const REQUEST_ID: &str = "CORSHARNESS0000";
const HOST_ID: &str = "cors-harness";

/// The objects of one bucket during one scenario: the initial objects plus the changes the
/// scenario's requests made (kept apart so a prediction never copies the initial bodies).
#[derive(Debug, Clone)]
pub struct ObjectStore<'a> {
    initial: &'a BTreeMap<String, ObjectSpec>,
    changes: BTreeMap<String, Option<ObjectSpec>>,
    /// Whether changes are kept: not during the scenario's last request, since no later
    /// request could see them (an upload's answer does not depend on storing it).
    keeps_changes: bool,
}

impl<'a> ObjectStore<'a> {
    pub fn new(initial: &'a BTreeMap<String, ObjectSpec>) -> Self {
        Self {
            initial,
            changes: BTreeMap::new(),
            keeps_changes: true,
        }
    }

    /// From now on changes are answered but not kept: no later request will look.
    pub fn stop_keeping_changes(&mut self) {
        self.keeps_changes = false;
    }

    /// Whether [`Self::put`] and [`Self::delete`] still change what later requests see.
    pub fn keeps_changes(&self) -> bool {
        self.keeps_changes
    }

    pub fn get(&self, key: &str) -> Option<&ObjectSpec> {
        self.lookup(key).map(|found| found.object())
    }

    /// The object under `key`, and whether it was present before the scenario (then borrowed
    /// for the whole scenario) or stored by one of its requests.
    pub fn lookup(&self, key: &str) -> Option<Found<'a, '_>> {
        match self.changes.get(key) {
            Some(changed) => changed.as_ref().map(Found::Stored),
            None => self.initial.get(key).map(Found::Seeded),
        }
    }

    pub fn put(&mut self, key: &str, object: ObjectSpec) {
        if self.keeps_changes {
            self.changes.insert(key.to_string(), Some(object));
        }
    }

    pub fn delete(&mut self, key: &str) {
        if self.keeps_changes {
            self.changes.insert(key.to_string(), None);
        }
    }

    /// Keys present now, sorted.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .initial
            .keys()
            .map(String::as_str)
            .filter(|k| !self.changes.contains_key(*k))
            .chain(
                self.changes
                    .iter()
                    .filter(|(_, v)| v.is_some())
                    .map(|(k, _)| k.as_str()),
            )
            .collect();
        keys.sort_unstable();
        keys
    }
}

/// An object found in an [`ObjectStore`].
#[derive(Debug, Clone, Copy)]
pub enum Found<'a, 's> {
    /// Present before the scenario and unchanged: lives as long as the scenario.
    Seeded(&'a ObjectSpec),
    /// Stored by one of the scenario's requests.
    Stored(&'s ObjectSpec),
}

impl<'a: 's, 's> Found<'a, 's> {
    pub fn object(self) -> &'s ObjectSpec {
        match self {
            Found::Seeded(object) | Found::Stored(object) => object,
        }
    }
}

/// An object-level answer, before S3's CORS headers are added. The body of an unchanged seeded
/// object is borrowed from the scenario (`'b`), the summary's key from the request (`'k`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectResponse<'b, 'k> {
    pub status: u16,
    pub headers: HeaderList,
    pub body: Cow<'b, [u8]>,
    /// What happened, for the explanation.
    pub summary: Summary<'k>,
}

/// What an object-level answer did, rendered into one sentence only when an explanation is
/// wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Summary<'k> {
    Exists {
        key: &'k str,
        status: u16,
    },
    Stored {
        key: &'k str,
    },
    Deleted {
        key: &'k str,
    },
    FormUpload {
        key: String,
    },
    MultipartCreated {
        key: &'k str,
    },
    Listed,
    /// An error answer: the method, status and S3 error code.
    Error {
        method: String,
        status: u16,
        code: String,
    },
}

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Summary::Exists { key, status } => write!(f, "object '{key}' exists: {status}"),
            Summary::Stored { key } => write!(f, "PUT stores object '{key}': 200"),
            Summary::Deleted { key } => write!(
                f,
                "DELETE of '{key}': 204 (S3 answers 204 whether or not it existed)"
            ),
            Summary::FormUpload { key } => write!(
                f,
                "POST to the bucket (browser form upload): 204, '{key}' stored"
            ),
            Summary::MultipartCreated { key } => write!(
                f,
                "POST '{key}?uploads' (CreateMultipartUpload): 200 with a new upload id"
            ),
            Summary::Listed => f.write_str("GET of the bucket (ListObjects): 200"),
            Summary::Error {
                method,
                status,
                code,
            } => write!(f, "{method}: {status} {code}"),
        }
    }
}

/// [`etag`] of an empty body: the MD5 of no bytes.
const EMPTY_BODY_ETAG: &str = "\"d41d8cd98f00b204e9800998ecf8427e\"";

/// The quoted MD5 hex S3 uses as the `ETag` of a single-part upload.
pub fn etag(body: &[u8]) -> String {
    etag_text(body).into()
}

/// [`etag`] written straight into a header text.
pub(crate) fn etag_text(body: &[u8]) -> HeaderText {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // Uploads without a body (a bare PUT, a multipart part placeholder) are common enough in
    // scenarios to skip hashing nothing.
    if body.is_empty() {
        return HeaderText::from_static(EMPTY_BODY_ETAG);
    }
    let digest = Md5::digest(body);
    let mut quoted = [b'"'; 34];
    for (i, byte) in digest.iter().enumerate() {
        quoted[1 + 2 * i] = HEX[usize::from(byte >> 4)];
        quoted[2 + 2 * i] = HEX[usize::from(byte & 0x0f)];
    }
    // Quotes and hex digits only: always ASCII.
    HeaderText::from(std::str::from_utf8(&quoted).unwrap_or_default())
}

/// Answers a non-OPTIONS request to the bucket. `target` is `None` when the URL names another
/// bucket (or none): 404 `NoSuchBucket`.
pub fn respond<'b, 'k>(
    store: &mut ObjectStore<'b>,
    bucket: &str,
    target: Option<&'k BucketTarget>,
    request: &Incoming<'_>,
) -> ObjectResponse<'b, 'k> {
    let Incoming {
        method,
        content_type,
        range,
        body,
        ..
    } = *request;
    let query = query_of(request.url);
    let Some(target) = target else {
        return error(S3Error::no_such_bucket(bucket), method);
    };
    let head = method == "HEAD";
    if let (Addressed::Object, Some(key)) = (target.addressed(), target.key.as_deref())
        && let Some(answer) = multipart(bucket, key, method, query)
    {
        return answer;
    }
    match (target.addressed(), target.key.as_deref(), method) {
        (Addressed::Object, Some(key), "GET" | "HEAD") => match store.lookup(key) {
            Some(found) => {
                let object = found.object();
                let seeded = matches!(found, Found::Seeded(_));
                let size = object.body.len() as u64;
                let span = match range.map(|r| byte_range(r, size)) {
                    Some(RangeAnswer::Unsatisfiable) => {
                        let err = S3Error::new(
                            416,
                            "InvalidRange",
                            "The requested range is not satisfiable",
                        )
                        .with_extra("RangeRequested", range.unwrap_or(""))
                        .with_extra("ActualObjectSize", size.to_string());
                        return error(err, method);
                    }
                    Some(RangeAnswer::Part(start, end)) => Some((start, end)),
                    Some(RangeAnswer::Whole) | None => None,
                };
                let mut headers = HeaderList(Vec::with_capacity(8));
                headers.push_static("Date", SCENARIO_DATE);
                let last_modified = if seeded { LAST_MODIFIED } else { SCENARIO_DATE };
                headers.push_static("Last-Modified", last_modified);
                headers.push_named("ETag", object.body.etag().clone());
                headers.push_static("Accept-Ranges", "bytes");
                headers.push_named("Content-Type", object.content_type.as_str());
                let (status, range) = match span {
                    Some((start, end)) => {
                        headers.push_named("Content-Range", format!("bytes {start}-{end}/{size}"));
                        (206, start as usize..end as usize + 1)
                    }
                    None => (200, 0..object.body.len()),
                };
                let bytes = object.body.get(range.clone()).unwrap_or(&[]);
                headers.push_named("Content-Length", Decimal::new(bytes.len() as u64).as_str());
                headers.push_static("Server", "AmazonS3");
                ObjectResponse {
                    status,
                    headers,
                    body: if head {
                        Cow::Borrowed(&[])
                    } else {
                        match found {
                            // Seeded bytes outlive the prediction: no copy.
                            Found::Seeded(seeded) => {
                                Cow::Borrowed(seeded.body.get(range).unwrap_or(&[]))
                            }
                            Found::Stored(_) => Cow::Owned(bytes.to_vec()),
                        }
                    },
                    summary: Summary::Exists { key, status },
                }
            }
            None => {
                let mut answer = error(S3Error::no_such_key(key), method);
                if head {
                    answer.body = Cow::Borrowed(&[]);
                }
                answer
            }
        },
        (Addressed::Object, Some(key), "PUT") => {
            let etag = etag_text(body);
            let mut headers = HeaderList::with_capacity(3);
            headers.push_named("ETag", etag.clone());
            headers.push_static("Content-Length", "0");
            headers.push_static("Server", "AmazonS3");
            if store.keeps_changes() {
                let object = ObjectSpec {
                    content_type: content_type.unwrap_or(DEFAULT_CONTENT_TYPE).to_string(),
                    body: ObjectBody::with_etag(body.to_vec(), etag),
                };
                store.put(key, object);
            }
            ObjectResponse {
                status: 200,
                headers,
                body: Cow::Borrowed(&[]),
                summary: Summary::Stored { key },
            }
        }
        (Addressed::Object, Some(key), "DELETE") => {
            store.delete(key);
            ObjectResponse {
                status: 204,
                headers: [("Server", "AmazonS3")].into_iter().collect(),
                body: Cow::Borrowed(&[]),
                summary: Summary::Deleted { key },
            }
        }
        (Addressed::Bucket, _, "POST") => form_upload(store, content_type, body),
        (Addressed::Bucket, _, "GET" | "HEAD") => {
            let body = if head {
                Cow::Borrowed(&[][..])
            } else {
                Cow::Owned(list_objects(bucket, store).into_bytes())
            };
            xml_answer(body, Summary::Listed)
        }
        (addressed, _, _) => error(S3Error::method_not_allowed(method, addressed), method),
    }
}

/// A 200 answer with an XML document (ListObjects, CreateMultipartUpload).
fn xml_answer<'b, 'k>(body: Cow<'b, [u8]>, summary: Summary<'k>) -> ObjectResponse<'b, 'k> {
    let mut headers = HeaderList::new();
    headers.push_static("Content-Type", "application/xml");
    headers.push_static("Server", "AmazonS3");
    ObjectResponse {
        status: 200,
        headers,
        body,
        summary,
    }
}

/// The query string of `url`, without `?` and fragment.
fn query_of(url: &str) -> &str {
    let bytes = url.as_bytes();
    let end = bytes.iter().position(|&b| b == b'#').unwrap_or(bytes.len());
    match bytes[..end].iter().position(|&b| b == b'?') {
        Some(question) => &url[question + 1..end],
        None => "",
    }
}

/// The multipart-upload operations on an object URL, by query string; `None` for any other
/// request. A scenario cannot learn the random upload id S3 hands out, so every upload id a
/// request names is unknown to the bucket (404 NoSuchUpload), as it is to the real server.
fn multipart<'k>(
    bucket: &str,
    key: &'k str,
    method: &str,
    query: &str,
) -> Option<ObjectResponse<'static, 'k>> {
    if query.is_empty() {
        return None;
    }
    let param = |name: &str| {
        split_on(query, b'&').find_map(|pair| {
            let (n, v) = match pair.bytes().position(|b| b == b'=') {
                Some(equals) => (&pair[..equals], &pair[equals + 1..]),
                None => (pair, ""),
            };
            (n == name).then_some(v)
        })
    };
    if param("uploads").is_some() {
        return Some(if method == "POST" {
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>{bucket}</Bucket><Key>{key}</Key><UploadId>unpredictable</UploadId></InitiateMultipartUploadResult>"
            );
            xml_answer(
                Cow::Owned(body.into_bytes()),
                Summary::MultipartCreated { key },
            )
        } else {
            error(
                S3Error::method_not_allowed(method, Addressed::Object),
                method,
            )
        });
    }
    let upload_id = param("uploadId")?;
    Some(match method {
        "PUT" if param("partNumber").is_some() => error(S3Error::no_such_upload(upload_id), method),
        "POST" | "DELETE" => error(S3Error::no_such_upload(upload_id), method),
        "GET" => error(S3Error::not_implemented(), method),
        _ => error(
            S3Error::method_not_allowed(method, Addressed::Object),
            method,
        ),
    })
}

/// A browser form upload (POST to the bucket with multipart/form-data): the `file` field is
/// stored under the `key` field, with the form's `Content-Type` field as its type.
fn form_upload<'k>(
    store: &mut ObjectStore<'_>,
    content_type: Option<&str>,
    body: &[u8],
) -> ObjectResponse<'static, 'k> {
    let content_type = content_type.unwrap_or("");
    if !content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return error(
            S3Error::precondition_failed(
                "Bucket POST must be of the enclosure-type multipart/form-data",
            ),
            "POST",
        );
    }
    let Some(fields) = content_type
        .split(';')
        .find_map(|item| item.trim().strip_prefix("boundary="))
        .and_then(|boundary| form_fields(body, boundary.trim_matches('"')))
    else {
        return error(S3Error::malformed_post_request(), "POST");
    };
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let Some(file) = field("file") else {
        return error(
            S3Error::invalid_argument(
                "POST requires exactly one file upload per request.",
                "file",
                "0",
            ),
            "POST",
        );
    };
    let key = match field("key") {
        Some(key) if !key.is_empty() => key.to_string(),
        _ => {
            return error(
                S3Error::invalid_argument(
                    "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
                    "key",
                    "",
                ),
                "POST",
            );
        }
    };
    if store.keeps_changes() {
        store.put(
            &key,
            ObjectSpec {
                content_type: field("content-type")
                    .unwrap_or(DEFAULT_CONTENT_TYPE)
                    .to_string(),
                body: file.as_bytes().into(),
            },
        );
    }
    ObjectResponse {
        status: 204,
        headers: [("Server", "AmazonS3")].into_iter().collect(),
        body: Cow::Borrowed(&[]),
        summary: Summary::FormUpload { key },
    }
}

/// The (name, value) pairs of a multipart/form-data body with text fields.
fn form_fields(body: &[u8], boundary: &str) -> Option<Vec<(String, String)>> {
    let text = std::str::from_utf8(body).ok()?;
    let delimiter = format!("--{boundary}");
    let mut fields = Vec::new();
    for part in text.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n")?;
        let (head, value) = part.split_once("\r\n\r\n")?;
        let name = head
            .split(';')
            .find_map(|item| item.trim().strip_prefix("name="))?
            .trim_matches('"')
            .to_string();
        fields.push((
            name,
            value.strip_suffix("\r\n").unwrap_or(value).to_string(),
        ));
    }
    Some(fields)
}

enum RangeAnswer {
    /// No usable single range: S3 sends the whole object (multiple ranges are not supported).
    Whole,
    /// Inclusive byte positions.
    Part(u64, u64),
    Unsatisfiable,
}

/// S3's reading of a `Range` header for an object of `size` bytes.
fn byte_range(value: &str, size: u64) -> RangeAnswer {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return RangeAnswer::Whole;
    };
    if spec.contains(',') {
        return RangeAnswer::Whole;
    }
    let Some((start, end)) = spec.split_once('-') else {
        return RangeAnswer::Whole;
    };
    let (start, end) = (start.trim(), end.trim());
    let number = |s: &str| s.parse::<u64>().ok();
    match (start.is_empty(), end.is_empty()) {
        // `bytes=-n`: the last n bytes.
        (true, false) => match number(end) {
            Some(0) => RangeAnswer::Unsatisfiable,
            Some(n) if size > 0 => RangeAnswer::Part(size.saturating_sub(n), size - 1),
            Some(_) => RangeAnswer::Unsatisfiable,
            None => RangeAnswer::Whole,
        },
        (false, _) => {
            let Some(first) = number(start) else {
                return RangeAnswer::Whole;
            };
            let last = if end.is_empty() {
                Some(u64::MAX)
            } else {
                number(end)
            };
            match last {
                None => RangeAnswer::Whole,
                Some(last) if last < first => RangeAnswer::Whole,
                Some(_) if first >= size => RangeAnswer::Unsatisfiable,
                Some(last) => RangeAnswer::Part(first, last.min(size - 1)),
            }
        }
        (true, true) => RangeAnswer::Whole,
    }
}

fn error(err: S3Error, method: &str) -> ObjectResponse<'static, 'static> {
    let mut headers = HeaderList::new();
    headers.push_static("Content-Type", "application/xml");
    headers.push_static("Server", "AmazonS3");
    ObjectResponse {
        status: err.status,
        summary: Summary::Error {
            method: method.to_owned(),
            status: err.status,
            code: err.code.clone(),
        },
        headers,
        body: Cow::Owned(err.to_xml(REQUEST_ID, HOST_ID).into_bytes()),
    }
}

fn list_objects(bucket: &str, store: &ObjectStore<'_>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">",
    );
    out.push_str(&format!(
        "<Name>{}</Name><Prefix></Prefix><IsTruncated>false</IsTruncated>",
        escape(bucket)
    ));
    for (key, object) in store
        .keys()
        .into_iter()
        .filter_map(|k| Some((k, store.get(k)?)))
    {
        out.push_str(&format!(
            "<Contents><Key>{}</Key><ETag>{}</ETag><Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
            escape(key),
            escape(object.body.etag()),
            object.body.len()
        ));
    }
    out.push_str("</ListBucketResult>");
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
