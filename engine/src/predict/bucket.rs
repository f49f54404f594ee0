//! The objects of one S3 bucket during a scenario, and the answers to the requests that read or
//! change them: GET/HEAD of an existing key (200 with `Last-Modified`, `ETag`, `Content-Type`,
//! `Content-Length`, `response-*` overrides; 206 with `Content-Range` for a single satisfiable
//! `Range`, 416 `InvalidRange` for an unsatisfiable one), a missing key (404 `NoSuchKey`), PUT
//! (200 with `ETag`; the object is stored so later requests see it), DELETE (204), POST to the
//! bucket (a form upload: 204, or the status `success_action_status` asks for), GET of the bucket
//! (ListObjects V1 or V2), HEAD of the bucket (HeadBucket), CreateMultipartUpload. Everything
//! else gets 405 `MethodNotAllowed`. Authentication is not modelled: every request is treated as
//! allowed by the bucket policy.
//!
//! How S3 reads a range or a form and writes its documents and errors comes from
//! [`crate::s3::object`] and [`crate::s3::S3Error`], which the bucket server calls too. The CORS
//! headers S3 adds come from [`crate::s3::actual`] and the framing (request ids, `Date`,
//! `Server`) from the responder; this module decides the status, the operation's headers and
//! the body.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use crate::http::{HeaderList, split_on};
use crate::predict::incoming::Incoming;
use crate::s3::object::{self, ListEcho, ListEntry, RangeRequest};
use crate::s3::{Addressed, ObjectAddress, S3Error};
use crate::scenario::{
    LAST_MODIFIED, LAST_MODIFIED_ISO, ObjectBody, ObjectSpec, SCENARIO_DATE, SCENARIO_DATE_ISO,
};
use crate::text::Decimal;

/// The request id written into error bodies and `x-amz-request-id`.
pub const REQUEST_ID: &str = "CORSHARNESS0000";
/// The host id written into error bodies and `x-amz-id-2`.
pub const HOST_ID: &str = "cors-harness";
/// The upload id of a modelled CreateMultipartUpload: the real one is random, so a scenario
/// can never name it.
const UPLOAD_ID: &str = "unpredictable";
/// Room for the lines S3 frames every answer with (request ids, `Date`, `Connection`,
/// `Server`), added by the responder to the operation's own.
const FRAMING: usize = 5;

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
    BucketExists,
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
            Summary::BucketExists => f.write_str("HEAD of the bucket (HeadBucket): 200"),
            Summary::Error {
                method,
                status,
                code,
            } => write!(f, "{method}: {status} {code}"),
        }
    }
}

/// Answers a non-OPTIONS request to the bucket with the operation's own headers; the caller
/// adds S3's framing (request ids, CORS headers, `Date`, `Server`). `target` is `None` when the
/// URL names another bucket (or none): 404 `NoSuchBucket`.
pub fn respond<'b, 'k>(
    store: &mut ObjectStore<'b>,
    bucket: &str,
    target: Option<&'k ObjectAddress>,
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
                let span = match object::resolve_range(range, size) {
                    RangeRequest::Unsatisfiable => {
                        return error(S3Error::invalid_range(range.unwrap_or(""), size), method);
                    }
                    RangeRequest::Part(span) => Some(span),
                    RangeRequest::Whole => None,
                };
                let mut headers = HeaderList::with_capacity(6 + FRAMING);
                let last_modified = if seeded { LAST_MODIFIED } else { SCENARIO_DATE };
                headers.push_static("Last-Modified", last_modified);
                headers.push_named("ETag", object.body.etag().clone());
                let overridden = |name: &str| {
                    let mut parameter = String::with_capacity(9 + name.len());
                    parameter.push_str("response-");
                    parameter.push_str(name);
                    query_param(query, &parameter).map(crate::s3::addressing::percent_decode)
                };
                // Overrides are rare: most queries are cache-busters.
                let overrides = query.contains("response-");
                if overrides {
                    for name in object::RESPONSE_OVERRIDES {
                        if let Some(value) = overridden(name) {
                            headers.push_named(name, value);
                        }
                    }
                }
                headers.push_static("Accept-Ranges", "bytes");
                match overrides.then(|| overridden("content-type")).flatten() {
                    Some(content_type) => headers.push_named("Content-Type", content_type),
                    None => headers.push_named("Content-Type", object.content_type.as_str()),
                }
                let (status, range) = match span {
                    Some(span) => {
                        headers.push_named("Content-Range", object::content_range(&span, size));
                        (206, *span.start() as usize..*span.end() as usize + 1)
                    }
                    None => (200, 0..object.body.len()),
                };
                let bytes = object.body.get(range.clone()).unwrap_or(&[]);
                headers.push_named("Content-Length", Decimal::new(bytes.len() as u64).as_str());
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
            None => error(S3Error::no_such_key(key), method),
        },
        (Addressed::Object, Some(key), "PUT") => {
            let etag = object::etag_text(body);
            let mut headers = HeaderList::with_capacity(2 + FRAMING);
            headers.push_named("ETag", etag.clone());
            headers.push_static("Content-Length", "0");
            if store.keeps_changes() {
                let object = ObjectSpec {
                    content_type: content_type
                        .unwrap_or(object::DEFAULT_CONTENT_TYPE)
                        .to_string(),
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
                headers: HeaderList::with_capacity(FRAMING),
                body: Cow::Borrowed(&[]),
                summary: Summary::Deleted { key },
            }
        }
        (Addressed::Bucket, _, "POST") => form_upload(store, bucket, request),
        (Addressed::Bucket, _, "HEAD") => {
            // HeadBucket.
            let mut headers = HeaderList::with_capacity(2 + FRAMING);
            headers.push_static("x-amz-bucket-region", "us-east-1");
            headers.push_static("Content-Length", "0");
            ObjectResponse {
                status: 200,
                headers,
                body: Cow::Borrowed(&[]),
                summary: Summary::BucketExists,
            }
        }
        (Addressed::Bucket, _, "GET") => xml_answer(
            list_objects(bucket, store, query).into_bytes(),
            Summary::Listed,
        ),
        (addressed, _, _) => error(S3Error::method_not_allowed(method, addressed), method),
    }
}

/// A 200 answer with an XML document (ListObjects, CreateMultipartUpload).
fn xml_answer<'k>(body: Vec<u8>, summary: Summary<'k>) -> ObjectResponse<'static, 'k> {
    let mut headers = HeaderList::with_capacity(2 + FRAMING);
    headers.push_static("Content-Type", "application/xml");
    headers.push_named("Content-Length", Decimal::new(body.len() as u64).as_str());
    ObjectResponse {
        status: 200,
        headers,
        body: Cow::Owned(body),
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

/// The value of query parameter `name` (as written, not decoded), if present.
fn query_param<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    if query.is_empty() {
        return None;
    }
    split_on(query, b'&').find_map(|pair| {
        let (n, v) = match pair.bytes().position(|b| b == b'=') {
            Some(equals) => (&pair[..equals], &pair[equals + 1..]),
            None => (pair, ""),
        };
        (n == name).then_some(v)
    })
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
    let param = |name: &str| query_param(query, name);
    if param("uploads").is_some() {
        return Some(if method == "POST" {
            let body = object::initiate_multipart_upload(bucket, key, UPLOAD_ID);
            xml_answer(body.into_bytes(), Summary::MultipartCreated { key })
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

/// A browser form upload (POST to the bucket with multipart/form-data), read by
/// [`object::read_post_form`]: the `file` field is stored under the `key` field.
fn form_upload<'k>(
    store: &mut ObjectStore<'_>,
    bucket: &str,
    request: &Incoming<'_>,
) -> ObjectResponse<'static, 'k> {
    let form = match object::read_post_form(request.content_type, request.body) {
        Ok(form) => form,
        Err(err) => return error(err, "POST"),
    };
    let key = match form.key() {
        Ok(key) => key,
        Err(err) => return error(err, "POST"),
    };
    let file = form.file().value;
    let etag = object::etag_text(file);
    let location = object::location(host_of(request.url), bucket, &key);
    let status = form.success_status();
    let mut headers = HeaderList::with_capacity(4 + FRAMING);
    headers.push_named("ETag", etag.clone());
    headers.push_named("Location", location.as_str());
    let body = if status == 201 {
        let xml = object::post_response(&location, bucket, &key, &etag);
        headers.push_static("Content-Type", "application/xml");
        headers.push_named("Content-Length", Decimal::new(xml.len() as u64).as_str());
        Cow::Owned(xml.into_bytes())
    } else {
        if status != 204 {
            headers.push_static("Content-Length", "0");
        }
        Cow::Borrowed(&[][..])
    };
    if store.keeps_changes() {
        store.put(
            &key,
            ObjectSpec {
                content_type: form.content_type().into_owned(),
                body: ObjectBody::with_etag(file.to_vec(), etag),
            },
        );
    }
    ObjectResponse {
        status,
        headers,
        body,
        summary: Summary::FormUpload { key },
    }
}

/// The host (with port) of an absolute URL.
fn host_of(url: &str) -> &str {
    let rest = crate::http::split_scheme(url).map_or(url, |(_, rest)| rest);
    let end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// An error answer, framed as S3 sends it: an XML document, chunked. A HEAD answer carries
/// neither (and so no body length either).
fn error(err: S3Error, method: &str) -> ObjectResponse<'static, 'static> {
    let mut headers = HeaderList::with_capacity(2 + FRAMING);
    let body = if method == "HEAD" {
        headers.push_static("Content-Length", "0");
        Vec::new()
    } else {
        headers.push_static("Content-Type", "application/xml");
        headers.push_static("Transfer-Encoding", "chunked");
        err.to_xml(REQUEST_ID, HOST_ID).into_bytes()
    };
    ObjectResponse {
        status: err.status,
        summary: Summary::Error {
            method: method.to_owned(),
            status: err.status,
            code: err.code,
        },
        headers,
        body: Cow::Owned(body),
    }
}

/// ListObjects (V1, or V2 with `list-type=2`) of the whole bucket, filtered by `prefix`.
fn list_objects(bucket: &str, store: &ObjectStore<'_>, query: &str) -> String {
    let prefix = query_param(query, "prefix").unwrap_or("");
    let entries: Vec<ListEntry<'_>> = store
        .keys()
        .into_iter()
        .filter(|key| key.starts_with(prefix))
        .filter_map(|key| {
            let found = store.lookup(key)?;
            let object = found.object();
            Some(ListEntry {
                key,
                last_modified: match found {
                    Found::Seeded(_) => LAST_MODIFIED_ISO,
                    Found::Stored(_) => SCENARIO_DATE_ISO,
                },
                etag: object.body.etag(),
                size: object.body.len() as u64,
            })
        })
        .collect();
    let echo = ListEcho {
        bucket,
        prefix,
        max_keys: 1000,
        version_2: query_param(query, "list-type") == Some("2"),
        ..ListEcho::default()
    };
    object::list_objects(&echo, &entries, &[])
}
