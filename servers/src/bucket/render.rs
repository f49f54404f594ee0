//! Turns an operation's result into S3's wire form: common headers (`x-amz-request-id`,
//! `x-amz-id-2`, `Date`, `Server: AmazonS3`), the engine's CORS headers in the engine's order,
//! and S3's error framing (XML declaration, newline, single-line `<Error>`, chunked, and
//! `Connection: close` on 400s).

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use cors_engine::HeaderList;
use cors_engine::s3::S3Error;
use http::{HeaderName, HeaderValue, StatusCode, header};
use hyper::body::Frame;
use time::OffsetDateTime;
use time::macros::format_description;

use super::ids::ResponseIds;

/// An operation's answer before the common headers are added.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: Vec<(HeaderName, String)>,
    pub(crate) body: ReplyBody,
}

#[derive(Debug)]
pub(crate) enum ReplyBody {
    /// No body; `Content-Length` as the operation set it (HEAD), else 0.
    Empty,
    /// A body of known length.
    Sized(Bytes),
    /// An error document, sent chunked like S3 does.
    Chunked(Bytes),
}

impl Reply {
    pub(crate) fn new(status: StatusCode) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: ReplyBody::Empty,
        }
    }

    pub(crate) fn header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub(crate) fn xml(mut self, document: String) -> Self {
        self.headers
            .push((header::CONTENT_TYPE, "application/xml".to_owned()));
        self.body = ReplyBody::Sized(Bytes::from(document));
        self
    }

    pub(crate) fn body(mut self, body: Bytes) -> Self {
        self.body = ReplyBody::Sized(body);
        self
    }

    /// S3's error framing for `error`; `RequestId`/`HostId` are the response's own ids.
    pub(crate) fn error(error: &S3Error, ids: &ResponseIds) -> Self {
        let status =
            StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Reply {
            status,
            // S3's order (§8): Content-Type, Transfer-Encoding, then Date.
            headers: vec![
                (header::CONTENT_TYPE, "application/xml".to_owned()),
                (header::TRANSFER_ENCODING, "chunked".to_owned()),
            ],
            body: ReplyBody::Chunked(Bytes::from(error_document(error, ids))),
        }
    }
}

/// S3's error document, from the engine; `RequestId`/`HostId` are the response's own ids.
pub(crate) fn error_document(error: &S3Error, ids: &ResponseIds) -> String {
    error.to_xml(&ids.request_id, &ids.host_id)
}

/// RFC 1123 date in GMT, as in S3's `Date` and `Last-Modified` headers.
pub(crate) fn http_date(at: OffsetDateTime) -> String {
    let format = format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    at.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}

/// ISO 8601 with milliseconds, as in S3's XML listings.
pub(crate) fn iso_date(at: OffsetDateTime) -> String {
    let format =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    at.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}

/// Assembles the wire response: ids, CORS headers, operation headers, `Date`, `Connection: close`
/// for 400s, `Server`.
pub(crate) fn finish(reply: Reply, ids: &ResponseIds, cors: &HeaderList) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    append(headers, "x-amz-request-id", &ids.request_id);
    append(headers, "x-amz-id-2", &ids.host_id);
    for (name, value) in cors.iter() {
        append(headers, name, value);
    }
    let mut has_length = false;
    for (name, value) in &reply.headers {
        has_length |= name == header::CONTENT_LENGTH;
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.append(name.clone(), value);
        }
    }
    append(headers, "date", &http_date(OffsetDateTime::now_utc()));
    if reply.status == StatusCode::BAD_REQUEST {
        append(headers, "connection", "close");
    }
    append(headers, "server", "AmazonS3");
    *response.body_mut() = match reply.body {
        ReplyBody::Empty => {
            // 204 and 304 never describe a body length (a cache would otherwise merge a bogus
            // `Content-Length: 0` into the stored response on revalidation).
            let bodiless = matches!(
                reply.status,
                StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED
            );
            if !has_length && !bodiless {
                append(response.headers_mut(), "content-length", "0");
            }
            Body::empty()
        }
        ReplyBody::Sized(bytes) => Body::from(bytes),
        ReplyBody::Chunked(bytes) => Body::new(UnsizedBody(Some(bytes))),
    };
    response
}

fn append(headers: &mut http::HeaderMap, name: &str, value: &str) {
    if let (Ok(name), Ok(value)) = (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(value),
    ) {
        headers.append(name, value);
    }
}

/// A one-frame body that does not announce its length, so hyper sends it chunked.
struct UnsizedBody(Option<Bytes>);

impl hyper::body::Body for UnsizedBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(self.0.take().map(|bytes| Ok(Frame::data(bytes))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_document_is_one_line_after_the_declaration() {
        let error = S3Error {
            status: 403,
            code: "AccessForbidden".into(),
            message: "CORSResponse: Bucket not found".into(),
            extras: vec![
                ("Method".into(), "OPTIONS".into()),
                ("ResourceType".into(), "BUCKET".into()),
            ],
        };
        let ids = ResponseIds {
            request_id: "0123456789ABCDEF".into(),
            host_id: "aG9zdA==".into(),
        };
        assert_eq!(
            error_document(&error, &ids),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessForbidden</Code>\
             <Message>CORSResponse: Bucket not found</Message><Method>OPTIONS</Method>\
             <ResourceType>BUCKET</ResourceType><RequestId>0123456789ABCDEF</RequestId>\
             <HostId>aG9zdA==</HostId></Error>"
        );
    }

    #[test]
    fn dates_are_rfc1123_gmt() {
        let at = time::macros::datetime!(2026-11-24 14:53:46 UTC);
        assert_eq!(http_date(at), "Tue, 24 Nov 2026 14:53:46 GMT");
        assert_eq!(iso_date(at), "2026-11-24T14:53:46.000Z");
    }
}
