//! One request as it reaches the server: what the server models look at.

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
