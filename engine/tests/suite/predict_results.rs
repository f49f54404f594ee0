//! `predict_results` skips the explanations and the cache entries no later request can use; its
//! results must still be exactly those of `predict()`, request by request, in both browsers.
//! Each scenario exercises one path where the two could drift apart: the preflight cache, the
//! HTTP cache, failures, elements, the last request of a scenario.

use cors_engine::scenario::{
    BodySpec, CacheMode, CredentialsMode, CrossOrigin, Mode, RequestKind, RequestSpec, ServerModel,
};
use cors_engine::{Browser, predict, predict_results};
use rstest::rstest;

use crate::support::{self, literal, raw_server, scenario};

const PAGE: &str = "https://app.example.com";
const BUCKET_URL: &str = "https://assets.s3.amazonaws.com/cat.jpg";

fn raw(max_age: &str, allow_origin: &str) -> ServerModel {
    raw_server(
        "https://api.example.com",
        literal(
            204,
            &[
                ("Access-Control-Allow-Origin", allow_origin),
                ("Access-Control-Allow-Methods", "PUT"),
                ("Access-Control-Allow-Headers", "x-token"),
                ("Access-Control-Max-Age", max_age),
            ],
            b"",
        ),
        literal(
            200,
            &[
                ("Access-Control-Allow-Origin", allow_origin),
                ("Cache-Control", "max-age=60"),
                ("X-Secret", "1"),
            ],
            b"{}",
        ),
    )
}

fn bucket(cors: Option<&str>) -> ServerModel {
    let objects: &[(&str, &str, &[u8])] = &[("cat.jpg", "image/jpeg", b"meow")];
    support::bucket("https://assets.s3.amazonaws.com", cors, objects)
}

const ALLOW_APP: &str = r#"[{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 30}]"#;
const ALLOW_OTHER: &str =
    r#"[{"AllowedOrigins": ["https://other.example.com/"], "AllowedMethods": ["GET"]}]"#;

fn get(url: &str) -> RequestSpec {
    let mut r = RequestSpec::fetch(url);
    r.read_headers = vec!["ETag".into(), "X-Secret".into(), "Content-Type".into()];
    r
}

fn put(url: &str, wait_ms: u64) -> RequestSpec {
    let mut r = RequestSpec::fetch(url);
    r.method = "put".into();
    r.headers.push("X-Token", "1");
    r.body = Some(BodySpec::Text { text: "hi".into() });
    r.wait_ms = wait_ms;
    r
}

fn element(kind: RequestKind, url: &str, crossorigin: Option<CrossOrigin>) -> RequestSpec {
    let mut r = RequestSpec::fetch(url);
    r.kind = kind;
    r.crossorigin = crossorigin;
    r
}

fn credentialed(mut r: RequestSpec) -> RequestSpec {
    r.credentials = CredentialsMode::Include;
    r
}

#[rstest]
#[case::raw_preflight_then_cached(raw("60", PAGE), vec![put("https://api.example.com/a", 0), put("https://api.example.com/a", 1000)])]
#[case::raw_preflight_cache_expires(raw("1", PAGE), vec![put("https://api.example.com/a", 0), put("https://api.example.com/a", 5000)])]
#[case::raw_http_cache_reuse(raw("5", PAGE), vec![get("https://api.example.com/a"), get("https://api.example.com/a")])]
#[case::raw_wrong_origin(raw("5", "https://evil.example"), vec![get("https://api.example.com/a"), put("https://api.example.com/a", 0)])]
#[case::raw_credentials(raw("5", "*"), vec![credentialed(get("https://api.example.com/a"))])]
#[case::raw_no_cors(raw("5", PAGE), vec![{ let mut r = get("https://api.example.com/a"); r.mode = Mode::NoCors; r }])]
#[case::raw_rejected_method(raw("5", PAGE), vec![{ let mut r = get("https://api.example.com/a"); r.method = "CONNECT".into(); r }])]
#[case::raw_no_store(raw("5", PAGE), vec![{ let mut r = get("https://api.example.com/a"); r.cache = CacheMode::NoStore; r }, get("https://api.example.com/a")])]
#[case::bucket_get_put_get(bucket(Some(ALLOW_APP)), vec![get(BUCKET_URL), put(BUCKET_URL, 0), get(BUCKET_URL), put(BUCKET_URL, 0)])]
#[case::bucket_img_then_fetch(bucket(Some(ALLOW_APP)), vec![element(RequestKind::Img, BUCKET_URL, None), get(BUCKET_URL)])]
#[case::bucket_canvas(bucket(Some(ALLOW_APP)), vec![element(RequestKind::ImgCanvas, BUCKET_URL, None), element(RequestKind::ImgCanvas, BUCKET_URL, Some(CrossOrigin::Anonymous))])]
#[case::bucket_no_rule(bucket(Some(ALLOW_OTHER)), vec![get(BUCKET_URL), put(BUCKET_URL, 0)])]
#[case::bucket_no_cors(bucket(None), vec![get(BUCKET_URL), element(RequestKind::Script, BUCKET_URL, Some(CrossOrigin::Anonymous))])]
#[case::bucket_missing_key(bucket(Some(ALLOW_APP)), vec![get("https://assets.s3.amazonaws.com/dog.jpg"), get("https://other.s3.amazonaws.com/cat.jpg")])]
fn results_equal_those_of_predict(#[case] server: ServerModel, #[case] requests: Vec<RequestSpec>) {
    let scenario = scenario(PAGE, server, requests);
    for browser in Browser::ALL {
        let full: Vec<_> = predict(&scenario, browser)
            .requests
            .into_iter()
            .map(|r| r.result)
            .collect();
        assert_eq!(predict_results(&scenario, browser), full, "{browser}");
    }
}
