//! The runner observes real browsers through the real origin proxy: outcomes, statuses, readable
//! headers, preflights on the wire, canvas taint and (Chrome) console reasons, for a literal-header
//! server over plain HTTP and an S3 bucket over HTTPS.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use cors_engine::observation::Outcome;
use cors_engine::scenario::{
    BucketModel, CredentialsMode, CrossOrigin, ObjectSpec, RawModel, RawResponse, RequestKind,
    RequestSpec, Scenario, ServerModel,
};
use cors_engine::{Browser, HeaderList, ReasonCode};
use cors_harness::runner::{CaseObservation, Runner};
use cors_harness::session_pool::SessionPool;
use cors_servers::{OriginProxy, ProxyConfig};

use crate::support::local_pool;

/// A 1×1 PNG, so image loads fail only for CORS reasons.
const PIXEL_PNG: [u8; 70] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
    0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 240, 31, 0,
    5, 0, 1, 255, 137, 153, 61, 29, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

fn headers(lines: &[(&str, &str)]) -> HeaderList {
    lines.iter().copied().collect()
}

fn raw_scenario() -> Scenario {
    let allow = [
        ("Access-Control-Allow-Origin", "http://app.test"),
        ("Access-Control-Expose-Headers", "X-Exposed"),
        ("X-Exposed", "yes"),
        ("X-Hidden", "no"),
    ];
    let mut put = RequestSpec::fetch("http://api.test/put");
    put.method = "PUT".into();
    put.headers.push("Content-Type", "application/json");
    let mut read = RequestSpec::fetch("http://api.test/read");
    read.read_headers = vec!["X-Exposed".into(), "X-Hidden".into()];
    let mut credentialed = RequestSpec::fetch("http://api.test/cred");
    credentialed.credentials = CredentialsMode::Include;
    let mut xhr = RequestSpec::fetch("http://api.test/xhr");
    xhr.kind = RequestKind::Xhr;
    xhr.read_headers = vec!["x-exposed".into()];
    Scenario {
        page_origin: "http://app.test".into(),
        server: ServerModel::Raw(RawModel {
            origin: "http://api.test".into(),
            preflight: RawResponse {
                status: 204,
                headers: headers(&[
                    ("Access-Control-Allow-Origin", "http://app.test"),
                    ("Access-Control-Allow-Methods", "GET"),
                ]),
                body: vec![],
            },
            response: RawResponse {
                status: 200,
                headers: headers(&allow),
                body: b"ok".to_vec(),
            },
        }),
        requests: vec![read, put, credentialed, xhr],
    }
}

fn bucket_scenario() -> Scenario {
    let cors = cors_engine::config::parse(
        r#"[{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"], "ExposeHeaders": ["ETag"]}]"#,
    )
    .expect("a valid configuration")
    .0;
    let objects: BTreeMap<String, ObjectSpec> = ["pixel.png", "other.png"]
        .into_iter()
        .map(|key| {
            let object = ObjectSpec {
                content_type: "image/png".into(),
                body: PIXEL_PNG.to_vec().into(),
            };
            (key.to_string(), object)
        })
        .collect();
    let endpoint = "https://assets.s3.amazonaws.com";
    let mut get = RequestSpec::fetch(format!("{endpoint}/pixel.png"));
    get.read_headers = vec!["ETag".into()];
    let mut tainted = RequestSpec::fetch(format!("{endpoint}/pixel.png"));
    tainted.kind = RequestKind::ImgCanvas;
    let mut clean = RequestSpec::fetch(format!("{endpoint}/other.png"));
    clean.kind = RequestKind::ImgCanvas;
    clean.crossorigin = Some(CrossOrigin::Anonymous);
    Scenario {
        page_origin: "https://app.example.com".into(),
        server: ServerModel::Bucket(BucketModel {
            name: "assets".into(),
            endpoint: endpoint.into(),
            cors: Some(cors),
            objects,
        }),
        requests: vec![get, tainted, clean],
    }
}

struct Rig {
    runner: Runner,
    pool: Arc<SessionPool>,
    _proxy: OriginProxy,
}

async fn rig() -> Rig {
    let proxy = OriginProxy::start(ProxyConfig::default()).await.unwrap();
    let pool = local_pool(&proxy);
    let runner = Runner::new(proxy.handle().clone(), Arc::clone(&pool));
    Rig {
        runner,
        pool,
        _proxy: proxy,
    }
}

fn check_raw(observation: &CaseObservation) {
    let browser = observation.browser;
    let r = &observation.requests;
    // Simple GET: allowed, exposed header readable, unexposed hidden, no preflight.
    assert_eq!(r[0].result.outcome, Outcome::Allowed, "{browser}: {r:#?}");
    assert_eq!(r[0].result.status, Some(200));
    assert_eq!(r[0].result.readable["x-exposed"].as_deref(), Some("yes"));
    assert_eq!(r[0].result.readable["x-hidden"], None);
    assert!(!r[0].result.preflight);
    assert_eq!(r[0].result.wire.len(), 1);
    assert_eq!(
        r[0].result.wire[0].request_headers.get("origin"),
        Some("http://app.test")
    );
    // PUT + JSON: preflight crossed the wire, PUT not allowed by ACAM → blocked, PUT never sent.
    assert_eq!(r[1].result.outcome, Outcome::Blocked, "{browser}: {r:#?}");
    assert!(r[1].result.preflight);
    assert_eq!(
        r[1].result.wire.len(),
        1,
        "{browser}: {:#?}",
        r[1].result.wire
    );
    assert_eq!(
        r[1].result.wire[0]
            .request_headers
            .get("access-control-request-method"),
        Some("PUT")
    );
    // Credentialed without Allow-Credentials: blocked after the response arrived.
    assert_eq!(r[2].result.outcome, Outcome::Blocked);
    assert_eq!(r[2].result.wire.len(), 1);
    // XHR reads the exposed header.
    assert_eq!(r[3].result.outcome, Outcome::Allowed);
    assert_eq!(r[3].result.readable["x-exposed"].as_deref(), Some("yes"));
    if browser == Browser::Chrome {
        let code = |i: usize| r[i].result.reason.as_ref().map(|x| x.code);
        assert_eq!(code(1), Some(ReasonCode::MethodNotAllowed), "{r:#?}");
        assert_eq!(code(2), Some(ReasonCode::AllowCredentialsNotTrue), "{r:#?}");
        assert!(
            r[1].result
                .reason
                .as_ref()
                .unwrap()
                .console
                .as_deref()
                .unwrap()
                .contains("Method PUT is not allowed")
        );
    }
}

fn check_bucket(observation: &CaseObservation) {
    let browser = observation.browser;
    let r = &observation.requests;
    assert_eq!(r[0].result.outcome, Outcome::Allowed, "{browser}: {r:#?}");
    assert!(r[0].result.readable["etag"].is_some(), "{r:#?}");
    // No crossorigin: loads (opaque) but taints the canvas.
    assert_eq!(r[1].result.outcome, Outcome::Opaque, "{browser}: {r:#?}");
    assert_eq!(r[1].result.canvas_tainted, Some(true));
    // crossorigin=anonymous with a matching rule: clean canvas.
    assert_eq!(r[2].result.outcome, Outcome::Allowed, "{browser}: {r:#?}");
    assert_eq!(r[2].result.canvas_tainted, Some(false));
}

async fn observe_both(browser: Browser) {
    let rig = rig().await;
    let raw = rig.runner.observe(browser, &raw_scenario()).await.unwrap();
    check_raw(&raw);
    assert_eq!(raw.attempts, 1);
    assert!(!raw.browser_version.is_empty());
    let bucket = rig
        .runner
        .observe(browser, &bucket_scenario())
        .await
        .unwrap();
    check_bucket(&bucket);
    // The same scenario again in the same session: a new run, the same observation.
    let again = rig.runner.observe(browser, &raw_scenario()).await.unwrap();
    check_raw(&again);
    rig.pool.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chrome_observations() {
    observe_both(Browser::Chrome).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn firefox_observations() {
    observe_both(Browser::Firefox).await;
}
