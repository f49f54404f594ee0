//! `predict()` against a recorded server: the browser half judges exactly the answers an external
//! target sent, one recorded exchange per request.

use cors_engine::http::HeaderList;
use cors_engine::scenario::{
    CacheMode, RecordedExchange, RecordedModel, RequestSpec, Scenario, ServerModel,
};
use cors_engine::{Browser, Outcome, ReasonCode, predict, predict_results};

const PAGE: &str = "https://app.example.com";
const OBJECT: &str = "https://assets.s3.amazonaws.com/cat.jpg";

fn exchange(method: &str, status: u16, headers: &[(&str, &str)]) -> RecordedExchange {
    RecordedExchange {
        method: method.into(),
        url: OBJECT.into(),
        status,
        headers: headers.iter().copied().collect::<HeaderList>(),
        body: b"meow".to_vec(),
    }
}

fn scenario(exchanges: Vec<RecordedExchange>, requests: Vec<RequestSpec>) -> Scenario {
    Scenario {
        page_origin: PAGE.into(),
        server: ServerModel::Recorded(RecordedModel {
            origin: "https://assets.s3.amazonaws.com".into(),
            exchanges,
        }),
        requests,
    }
}

fn no_store_get() -> RequestSpec {
    let mut request = RequestSpec::fetch(OBJECT);
    request.cache = CacheMode::NoStore;
    request
}

fn put() -> RequestSpec {
    let mut request = RequestSpec::fetch(OBJECT);
    request.method = "PUT".into();
    request
}

#[test]
fn a_recorded_answer_with_the_page_origin_is_readable() {
    let s = scenario(
        vec![exchange(
            "GET",
            200,
            &[("Access-Control-Allow-Origin", PAGE)],
        )],
        vec![RequestSpec::fetch(OBJECT)],
    );
    for browser in Browser::ALL {
        let results = predict_results(&s, browser);
        assert_eq!(results[0].outcome, Outcome::Allowed, "{browser}");
        assert_eq!(results[0].status, Some(200), "{browser}");
    }
}

#[test]
fn a_recorded_answer_without_cors_headers_is_blocked_as_missing_allow_origin() {
    let s = scenario(
        vec![exchange("GET", 200, &[("Content-Type", "image/jpeg")])],
        vec![RequestSpec::fetch(OBJECT)],
    );
    for browser in Browser::ALL {
        let result = &predict(&s, browser).requests[0].result;
        assert_eq!(result.outcome, Outcome::Blocked, "{browser}");
        assert_eq!(
            result.reason.as_ref().map(|r| r.code),
            Some(ReasonCode::AllowOriginMissing),
            "{browser}"
        );
    }
}

#[test]
fn each_recorded_exchange_answers_one_request_in_order() {
    // The target allowed the first GET and not the second (as a server whose CORS changed would).
    let s = scenario(
        vec![
            exchange("GET", 200, &[("Access-Control-Allow-Origin", PAGE)]),
            exchange("GET", 200, &[]),
        ],
        vec![no_store_get(), no_store_get()],
    );
    for browser in Browser::ALL {
        let outcomes: Vec<Outcome> = predict_results(&s, browser)
            .iter()
            .map(|r| r.outcome)
            .collect();
        assert_eq!(outcomes, [Outcome::Allowed, Outcome::Blocked], "{browser}");
    }
}

#[test]
fn a_preflight_the_server_was_never_seen_answering_fails() {
    // Only the PUT was recorded: the engine's preflight gets the unrecorded answer (502, no CORS
    // headers), so the PUT is predicted blocked at the preflight and never sent.
    let s = scenario(
        vec![exchange(
            "PUT",
            200,
            &[("Access-Control-Allow-Origin", PAGE)],
        )],
        vec![put()],
    );
    for browser in Browser::ALL {
        let result = &predict(&s, browser).requests[0].result;
        assert!(result.preflight, "{browser}");
        assert_eq!(result.outcome, Outcome::Blocked, "{browser}");
        assert_eq!(result.wire.len(), 1, "{browser}");
        assert_eq!(
            result.wire[0].status,
            RecordedModel::UNRECORDED_STATUS,
            "{browser}"
        );
    }
}

/// A GET stored in the cache, then a request the real browser revalidated: the server's `304`
/// confirmed the stored response, which is what the page got.
fn revalidation(second: RequestSpec, not_modified_headers: &[(&str, &str)]) -> Scenario {
    let mut first = exchange(
        "GET",
        200,
        &[
            ("Access-Control-Allow-Origin", PAGE),
            ("Access-Control-Expose-Headers", "ETag"),
            ("Content-Length", "4"),
            ("ETag", "\"abc\""),
            // Uploaded just before: no heuristic freshness, so the browser may not reuse the
            // response, only revalidate it.
            ("Date", "Tue, 24 Nov 2026 18:08:26 GMT"),
            ("Last-Modified", "Tue, 24 Nov 2026 18:08:26 GMT"),
        ],
    );
    first.body = b"meow".to_vec();
    let mut revalidated = exchange(&second.method, 304, not_modified_headers);
    revalidated.body = Vec::new();
    scenario(
        vec![first, revalidated],
        vec![RequestSpec::fetch(OBJECT), second],
    )
}

fn head_reading(names: &[&str]) -> RequestSpec {
    let mut request = RequestSpec::fetch(OBJECT);
    request.method = "HEAD".into();
    request.read_headers = names.iter().map(|n| n.to_string()).collect();
    request
}

#[test]
fn a_304_to_a_revalidation_delivers_the_stored_response() {
    // Chrome 156 revalidates a HEAD against the GET it stored (s3/xml/localhost-get-head run
    // against external targets): the page sees 200 and the stored headers.
    let s = revalidation(
        head_reading(&["content-length", "etag"]),
        &[("Access-Control-Allow-Origin", PAGE), ("ETag", "\"abc\"")],
    );
    for browser in Browser::ALL {
        let result = &predict(&s, browser).requests[1].result;
        assert_eq!(result.outcome, Outcome::Allowed, "{browser}");
        assert_eq!(result.status, Some(200), "{browser}");
        assert_eq!(
            result.wire[0].status, 304,
            "the wire still shows the 304 ({browser})"
        );
        assert_eq!(
            result.readable["content-length"],
            Some("4".to_string()),
            "{browser}"
        );
    }
}

#[test]
fn the_304s_headers_update_the_stored_ones() {
    // The stored GET allowed the page; the 304 carries no Access-Control-Allow-Origin, so the
    // stored one still applies — and a new ETag replaces the stored one.
    let s = revalidation(head_reading(&["etag"]), &[("ETag", "\"new\"")]);
    for browser in Browser::ALL {
        let result = &predict_results(&s, browser)[1];
        assert_eq!(result.outcome, Outcome::Allowed, "{browser}");
        assert_eq!(
            result.readable["etag"],
            Some("\"new\"".to_string()),
            "{browser}"
        );
    }
}

#[test]
fn a_304_with_nothing_stored_is_the_answer() {
    // No earlier response for the URL: the 304 is all the page gets.
    let s = scenario(
        vec![exchange(
            "GET",
            304,
            &[("Access-Control-Allow-Origin", PAGE)],
        )],
        vec![RequestSpec::fetch(OBJECT)],
    );
    for browser in Browser::ALL {
        assert_eq!(
            predict_results(&s, browser)[0].status,
            Some(304),
            "{browser}"
        );
    }
}
