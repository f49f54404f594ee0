//! The server side of a scenario: a literal-header server, or an S3 bucket answered by the S3
//! half plus the object model of [`super::bucket`].

use std::borrow::Cow;

use crate::http::{HeaderList, HeaderText};
use crate::predict::bucket::{self, ObjectStore};
pub use crate::predict::incoming::Incoming;
use crate::s3::addressing::Endpoint;
use crate::s3::{self, Addressed, BucketState, ObjectAddress, S3Request};
use crate::scenario::{
    BucketModel, RawModel, RawResponse, RecordedModel, SCENARIO_DATE, ServerModel,
};
use crate::text::{Decimal, cat};
use crate::trace::{Actor, Recorder};

/// The server's whole response; a literal server's answer is borrowed from the scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer<'a> {
    pub status: u16,
    pub headers: Cow<'a, HeaderList>,
    pub body: Cow<'a, [u8]>,
}

/// The server of one scenario, with the state the scenario's requests change.
#[derive(Debug, Clone)]
pub enum Responder<'a> {
    Raw(&'a RawModel),
    Bucket {
        model: &'a BucketModel,
        endpoint: Endpoint<'a, 'a>,
        store: ObjectStore<'a>,
    },
    Recorded {
        model: &'a RecordedModel,
        /// Which recorded exchanges earlier requests have used.
        used: Vec<bool>,
    },
}

impl<'a> Responder<'a> {
    pub fn new(server: &'a ServerModel) -> Self {
        match server {
            ServerModel::Raw(raw) => Responder::Raw(raw),
            ServerModel::Bucket(model) => Responder::Bucket {
                model,
                endpoint: Endpoint::parse(&model.name, &model.endpoint),
                store: ObjectStore::new(&model.objects),
            },
            ServerModel::Recorded(model) => Responder::Recorded {
                model,
                used: vec![false; model.exchanges.len()],
            },
        }
    }

    /// The next request is the scenario's last: what it changes on the server need not be kept.
    pub(crate) fn last_request_follows(&mut self) {
        if let Responder::Bucket { store, .. } = self {
            store.stop_keeping_changes();
        }
    }

    /// Whether the answers were recorded from a real server (which may have answered a real
    /// browser's conditional request).
    pub(crate) fn is_recorded(&self) -> bool {
        matches!(self, Responder::Recorded { .. })
    }

    /// The answer to `request`; its steps go to `trace`, which may be switched off.
    pub(crate) fn respond_recorded(
        &mut self,
        request: &Incoming<'_>,
        trace: &mut Recorder<'_>,
    ) -> Answer<'a> {
        match self {
            Responder::Raw(raw) => {
                let raw: &'a RawModel = raw;
                let (literal, which) = if request.method == "OPTIONS" {
                    (&raw.preflight, "preflight")
                } else {
                    (&raw.response, "response")
                };
                trace.info_with(Actor::Server, || {
                    cat(&[
                        request.method,
                        " ",
                        request.url,
                        ": the server sends its literal ",
                        which,
                        " (",
                        Decimal::new(literal.status.into()).as_str(),
                        ")",
                    ])
                });
                Answer {
                    status: literal.status,
                    headers: with_framing_headers(literal),
                    body: if request.method == "HEAD" {
                        Cow::Borrowed(&[])
                    } else {
                        Cow::Borrowed(&literal.body)
                    },
                }
            }
            Responder::Bucket {
                model,
                endpoint,
                store,
            } => respond_bucket(model, endpoint, store, request, trace),
            Responder::Recorded { model, used } => {
                let model: &'a RecordedModel = model;
                respond_recorded(model, used, request, trace)
            }
        }
    }
}

/// The literal headers plus what the HTTP stack of the harness's literal server adds on its own:
/// `Content-Length` for the body (not on 204 or 304, which carry none) and `Date`. Browsers
/// expose both to the page like any other header (Content-Length is safelisted; `*` exposes
/// Date), so the prediction has to know they are there.
fn with_framing_headers(literal: &RawResponse) -> Cow<'_, HeaderList> {
    let needs_length =
        !matches!(literal.status, 204 | 304) && !literal.headers.contains("content-length");
    let needs_date = !literal.headers.contains("date");
    if !needs_length && !needs_date {
        return Cow::Borrowed(&literal.headers);
    }
    let mut headers = literal.headers.clone();
    if needs_length {
        headers.push_named(
            "Content-Length",
            Decimal::new(literal.body.len() as u64).as_str(),
        );
    }
    if needs_date {
        headers.push_static("Date", SCENARIO_DATE);
    }
    Cow::Owned(headers)
}

/// The first unused recorded answer to a request with the same method and URL.
fn respond_recorded<'a>(
    model: &'a RecordedModel,
    used: &mut [bool],
    request: &Incoming<'_>,
    trace: &mut Recorder<'_>,
) -> Answer<'a> {
    let found = model
        .exchanges
        .iter()
        .zip(used.iter_mut())
        .find(|(exchange, used)| {
            !**used && exchange.method == request.method && exchange.url == request.url
        });
    match found {
        Some((exchange, used)) => {
            *used = true;
            trace.info_with(Actor::Server, || {
                cat(&[
                    request.method,
                    " ",
                    request.url,
                    ": the server answered ",
                    Decimal::new(exchange.status.into()).as_str(),
                    " (recorded)",
                ])
            });
            Answer {
                status: exchange.status,
                headers: Cow::Borrowed(&exchange.headers),
                body: if request.method == "HEAD" {
                    Cow::Borrowed(&[])
                } else {
                    Cow::Borrowed(&exchange.body)
                },
            }
        }
        None => {
            trace.info_with(Actor::Server, || {
                cat(&[
                    request.method,
                    " ",
                    request.url,
                    ": no answer to this request was recorded (the browser did not send it)",
                ])
            });
            Answer {
                status: RecordedModel::UNRECORDED_STATUS,
                headers: Cow::Owned(HeaderList::new()),
                body: Cow::Borrowed(&[]),
            }
        }
    }
}

fn respond_bucket<'a>(
    model: &BucketModel,
    endpoint: &Endpoint<'_, '_>,
    store: &mut ObjectStore<'a>,
    request: &Incoming<'_>,
    trace: &mut Recorder<'_>,
) -> Answer<'a> {
    let target = target(model, endpoint, request.url);
    let state = match (&target, &model.cors) {
        (None, _) => BucketState::Missing,
        (Some(_), None) => BucketState::NoCors,
        (Some(_), Some(config)) => BucketState::Configured(config),
    };
    let s3_request = S3Request {
        method: request.method,
        origin: request.origin,
        access_control_request_method: request.access_control_request_method,
        access_control_request_headers: request.access_control_request_headers,
        addressed: target
            .as_ref()
            .map_or(Addressed::Bucket, ObjectAddress::addressed),
    };
    if request.method == "OPTIONS" {
        let answer = s3::preflight_recorded(state, &s3_request, trace);
        let mut headers = answer.headers;
        // Room for the error's headers and the framing (a no-op after a match, whose list was
        // made with room to spare).
        headers.0.reserve(7);
        let body = match &answer.error {
            Some(error) => {
                headers.push_static("Content-Type", "application/xml");
                headers.push_static("Transfer-Encoding", "chunked");
                // A browser never hands a preflight's body to the page, so when no one is
                // reading the explanation the error document is not worth writing.
                if trace.is_on() {
                    error
                        .to_xml(bucket::REQUEST_ID, bucket::HOST_ID)
                        .into_bytes()
                } else {
                    Vec::new()
                }
            }
            None => Vec::new(),
        };
        if answer.error.is_none() && answer.status != 204 {
            headers.push_static("Content-Length", "0");
        }
        let headers = framed(headers, answer.status);
        trace.info_with(Actor::S3, || {
            cat(&[
                "OPTIONS ",
                request.url,
                ": S3 answers ",
                Decimal::new(answer.status.into()).as_str(),
            ])
        });
        return Answer {
            status: answer.status,
            headers: Cow::Owned(headers),
            body: Cow::Owned(body),
        };
    }
    let object = bucket::respond(store, &model.name, target.as_ref(), request);
    let cors = s3::actual_recorded(state, &s3_request, trace);
    trace.info_with(Actor::S3, || object.summary.to_string());
    // S3 puts its CORS headers (and Vary) before the object headers. (The CORS list is made
    // with room for the object headers and the framing; without CORS headers nothing needs
    // moving, and the object's list has room for the framing.)
    let headers = if cors.headers.0.is_empty() {
        object.headers
    } else {
        let mut headers = cors.headers;
        headers.0.extend(object.headers.0);
        headers
    };
    let headers = framed(headers, object.status);
    Answer {
        status: object.status,
        headers: Cow::Owned(headers),
        body: object.body,
    }
}

/// An answer's headers as S3 frames them: its request ids first, then `headers` (the CORS
/// headers and the operation's own), then `Date`, `Connection: close` on a 400
/// ([`s3::S3Error::closes_connection`]) and `Server`. Uses the room `headers` was made with.
fn framed(mut headers: HeaderList, status: u16) -> HeaderList {
    let ids = [
        (
            HeaderText::from_static("x-amz-request-id"),
            HeaderText::from_static(bucket::REQUEST_ID),
        ),
        (
            HeaderText::from_static("x-amz-id-2"),
            HeaderText::from_static(bucket::HOST_ID),
        ),
    ];
    headers.0.splice(0..0, ids);
    headers.push_static("Date", SCENARIO_DATE);
    if status == 400 {
        headers.push_static("Connection", "close");
    }
    headers.push_static("Server", "AmazonS3");
    headers
}

/// The bucket and key `url` names on this bucket's endpoint; `None` when it names another bucket
/// (S3 then answers as for a missing bucket).
fn target<'a>(
    model: &'a BucketModel,
    endpoint: &Endpoint<'a, '_>,
    url: &'a str,
) -> Option<ObjectAddress<'a>> {
    let rest = crate::http::split_scheme(url).map_or(url, |(_, rest)| rest);
    let (host, path) = match rest.bytes().position(|b| matches!(b, b'/' | b'?' | b'#')) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let found = endpoint
        .resolve(host, path)
        .or_else(|| s3::addressing::resolve(host, path))?;
    (found.bucket == model.name).then_some(found)
}
