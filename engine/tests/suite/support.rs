//! What the engine's tests share: scenario builders (a page, a server that answers with literal
//! headers, the scenario that joins them) and the bucket states of the S3 tables.

use cors_engine::config::CorsConfiguration;
use cors_engine::http::HeaderList;
use cors_engine::s3::BucketState;
use cors_engine::scenario::{
    BucketModel, ObjectSpec, RawModel, RawResponse, RequestSpec, Scenario, ServerModel,
};

/// The page most tests run in, and the cross-origin server it talks to.
pub const PAGE: &str = "http://127.0.0.1:8001";
pub const SERVER: &str = "http://127.0.0.1:8002";

/// Header lines, in order, repeated names kept.
pub fn headers(lines: &[(&str, &str)]) -> HeaderList {
    lines.iter().copied().collect()
}

/// A literal answer: `status`, the header `lines` in order, and `body`.
pub fn literal(status: u16, lines: &[(&str, &str)], body: &[u8]) -> RawResponse {
    RawResponse {
        status,
        headers: headers(lines),
        body: body.to_vec(),
    }
}

/// A server at `origin` that answers every preflight with `preflight` and every other request
/// with `response`.
pub fn raw_server(origin: &str, preflight: RawResponse, response: RawResponse) -> ServerModel {
    ServerModel::Raw(RawModel {
        origin: origin.into(),
        preflight,
        response,
    })
}

/// A server at [`SERVER`] whose preflight answer is an empty 204 (no CORS headers) and whose
/// other answers are `response`.
pub fn answering(response: RawResponse) -> ServerModel {
    raw_server(SERVER, literal(204, &[], b""), response)
}

/// The bucket `assets` at `endpoint`, with the CORS configuration `cors` (the console's JSON
/// array; `None` for no configuration) and the `objects` seeded as (key, content type, body).
pub fn bucket(endpoint: &str, cors: Option<&str>, objects: &[(&str, &str, &[u8])]) -> ServerModel {
    ServerModel::Bucket(BucketModel {
        name: "assets".into(),
        endpoint: endpoint.into(),
        cors: cors.map(|json| {
            cors_engine::config::parse(json)
                .expect("valid configuration")
                .0
        }),
        objects: objects
            .iter()
            .map(|&(key, content_type, body)| {
                let object = ObjectSpec {
                    content_type: content_type.into(),
                    body: body.to_vec().into(),
                };
                (key.to_owned(), object)
            })
            .collect(),
    })
}

/// The page at `page` making `requests`, in order, to `server`.
pub fn scenario(page: &str, server: ServerModel, requests: Vec<RequestSpec>) -> Scenario {
    Scenario {
        page_origin: page.into(),
        server,
        requests,
    }
}

/// Owned strings, for the list fields of a CORS rule.
pub fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| s.to_string()).collect()
}

/// A bucket state in a table row: the configuration itself is the test's.
#[derive(Clone, Copy)]
pub enum State {
    Missing,
    NoCors,
    Configured,
}

impl State {
    /// The bucket in this state, configured with `config` when it has a configuration.
    pub fn of(self, config: &CorsConfiguration) -> BucketState<'_> {
        match self {
            State::Missing => BucketState::Missing,
            State::NoCors => BucketState::NoCors,
            State::Configured => BucketState::Configured(config),
        }
    }
}
