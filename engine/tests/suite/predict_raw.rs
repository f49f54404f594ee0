//! `predict()` against a literal-header server: ordering, the clock, and the output contract.

use cors_engine::scenario::{RequestSpec, Scenario};
use cors_engine::{Browser, Outcome, ReasonCode, predict};

use crate::support::{literal, raw_server};

fn scenario(requests: Vec<RequestSpec>) -> Scenario {
    let preflight = literal(
        204,
        &[
            ("Access-Control-Allow-Origin", "https://app.example.com"),
            ("Access-Control-Allow-Methods", "PUT"),
            ("Access-Control-Max-Age", "2"),
        ],
        b"",
    );
    let response = literal(
        200,
        &[("Access-Control-Allow-Origin", "https://app.example.com")],
        b"ok",
    );
    let server = raw_server("https://api.example.com", preflight, response);
    crate::support::scenario("https://app.example.com", server, requests)
}

fn put(wait_ms: u64) -> RequestSpec {
    let mut r = RequestSpec::fetch("https://api.example.com/items/1");
    r.method = "PUT".into();
    r.wait_ms = wait_ms;
    r
}

#[test]
fn the_clock_expires_preflight_cache_entries() {
    let s = scenario(vec![put(0), put(1999), put(1), put(0)]);
    for browser in Browser::ALL {
        let p = predict(&s, browser);
        assert_eq!(p.browser, browser);
        let preflights: Vec<bool> = p.requests.iter().map(|r| r.result.preflight).collect();
        // Max-Age 2: reused at 1.999 s, expired at exactly 2 s, then cached again.
        assert_eq!(preflights, [true, false, true, false], "{browser}");
        assert!(
            p.requests
                .iter()
                .all(|r| r.result.outcome == Outcome::Allowed)
        );
    }
}

#[test]
fn prediction_serialises_to_the_contract_json() {
    let mut bad = RequestSpec::fetch("https://api.example.com/x");
    bad.method = "CONNECT".into();
    let p = predict(&scenario(vec![put(0), bad]), Browser::Chrome);
    let json = serde_json::to_value(&p).expect("serialises");
    assert_eq!(json["browser"], "chrome");
    assert_eq!(json["requests"][0]["result"]["outcome"], "allowed");
    assert_eq!(json["requests"][0]["result"]["preflight"], true);
    assert_eq!(json["requests"][1]["result"]["outcome"], "blocked");
    assert_eq!(
        json["requests"][1]["result"]["reason"]["code"],
        "request-rejected"
    );
    let back: cors_engine::Prediction = serde_json::from_value(json).expect("round-trips");
    assert_eq!(back, p);
    assert_eq!(
        p.requests[1].result.reason.as_ref().map(|r| r.code),
        Some(ReasonCode::RequestRejected)
    );
}

#[test]
fn every_request_is_explained() {
    let p = predict(&scenario(vec![put(0), put(0)]), Browser::Firefox);
    let first = p.requests[0].trace.to_string();
    assert!(
        first.contains("a preflight is needed: method PUT is not GET, HEAD or POST"),
        "{first}"
    );
    assert!(first.contains("cached for 2 s"), "{first}");
    let second = p.requests[1].trace.to_string();
    assert!(second.contains("no preflight is sent"), "{second}");
}

#[test]
fn prediction_equals_itself_as_observation() {
    // The comparison contract: a prediction compared with itself has no differences.
    let p = predict(&scenario(vec![put(0)]), Browser::Chrome);
    let r = &p.requests[0].result;
    assert!(r.differences(r).is_empty());
}
