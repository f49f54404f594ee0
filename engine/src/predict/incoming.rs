//! One request as it reaches the server (what the server models look at), and the exchange it
//! makes with the server.

use crate::http::HeaderList;

/// One request as it reaches the server: what the server models look at.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub origin: Option<&'a str>,
    pub access_control_request_method: Option<&'a str>,
    pub access_control_request_headers: Option<&'a str>,
    pub content_type: Option<&'a str>,
    /// The `Range` header, when the request has one.
    pub range: Option<&'a str>,
    pub body: &'a [u8],
}

/// One exchange with the server as a scenario's prediction has it: the request as the server
/// received it and the server's whole answer (see [`crate::server_exchanges`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerExchange {
    pub method: String,
    pub url: String,
    /// The request headers the server models read: `Origin`, `Access-Control-Request-Method`,
    /// `Access-Control-Request-Headers`, `Content-Type` and `Range`, when sent.
    pub request_headers: HeaderList,
    pub request_body: Vec<u8>,
    pub status: u16,
    /// Every header of the answer, in the server's order.
    pub headers: HeaderList,
    pub body: Vec<u8>,
}

impl ServerExchange {
    pub(crate) fn new(
        request: &Incoming<'_>,
        status: u16,
        headers: &HeaderList,
        body: &[u8],
    ) -> Self {
        let mut request_headers = HeaderList::with_capacity(5);
        let sent = [
            ("Origin", request.origin),
            (
                "Access-Control-Request-Method",
                request.access_control_request_method,
            ),
            (
                "Access-Control-Request-Headers",
                request.access_control_request_headers,
            ),
            ("Content-Type", request.content_type),
            ("Range", request.range),
        ];
        for (name, value) in sent {
            if let Some(value) = value {
                request_headers.push_named(name, value);
            }
        }
        Self {
            method: request.method.to_owned(),
            url: request.url.to_owned(),
            request_headers,
            request_body: request.body.to_vec(),
            status,
            headers: headers.clone(),
            body: body.to_vec(),
        }
    }
}
