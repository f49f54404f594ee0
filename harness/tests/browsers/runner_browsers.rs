//! Real browsers started by the [`Launcher`] reach any host name through a proxy, report their
//! version, send `Origin` on cross-origin fetches, and (Chrome) expose the CORS console text.
//!
//! The proxy here is a stand-in: an axum server answering absolute-form proxy requests by `Host`.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cors_engine::Browser;
use cors_harness::browsers::{Endpoint, Launcher, ProxySettings};
use serde_json::json;

/// One request the stand-in proxy saw: host, path, `Origin`.
type SeenRequest = (String, String, Option<String>);

#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<SeenRequest>>>);

async fn stand_in_proxy() -> (std::net::SocketAddr, Seen) {
    let seen = Seen::default();
    let log = seen.clone();
    let app = Router::new().fallback(move |request: Request| {
        let log = log.clone();
        async move { answer(&log, request) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (address, seen)
}

fn answer(seen: &Seen, request: Request) -> Response {
    let host = header(request.headers(), "host").unwrap_or_default();
    let origin = header(request.headers(), "origin");
    let path = request.uri().path().to_string();
    seen.0
        .lock()
        .unwrap()
        .push((host.clone(), path.clone(), origin.clone()));
    match (host.as_str(), path.as_str()) {
        ("page.test", "/page") => (
            [("content-type", "text/html")],
            "<!doctype html><link rel=icon href='data:,'><title>page</title>",
        )
            .into_response(),
        ("bucket.test", "/open") => (
            [
                ("access-control-allow-origin", "http://page.test"),
                ("content-type", "text/plain"),
            ],
            "open",
        )
            .into_response(),
        ("bucket.test", "/closed") => ([("content-type", "text/plain")], "closed").into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

const FETCH_BOTH: &str = r#"
const done = arguments[arguments.length - 1];
const one = (url) => fetch(url).then(r => r.text().then(t => ({ status: r.status, text: t })),
                                     e => ({ error: String(e) }));
Promise.all([one('http://bucket.test/open'), one('http://bucket.test/closed')]).then(done);
"#;

async fn browser_reaches_stand_in_hosts(browser: Browser) {
    let (address, seen) = stand_in_proxy().await;
    let launcher = Launcher::new(
        ProxySettings {
            address,
            spki_sha256_base64: None,
        },
        Endpoint::Local,
    );
    let session = launcher.start(browser).await.expect("session starts");
    assert!(
        session
            .version()
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit()),
        "browserVersion: {}",
        session.version()
    );
    session
        .client()
        .goto("http://page.test/page")
        .await
        .unwrap();
    let result = session
        .client()
        .execute_async(FETCH_BOTH, vec![])
        .await
        .unwrap();
    assert_eq!(
        result[0],
        json!({"status": 200, "text": "open"}),
        "{result}"
    );
    assert!(
        result[1]["error"].as_str().unwrap().contains("TypeError"),
        "{result}"
    );
    let requests = seen.0.lock().unwrap().clone();
    assert!(
        requests.contains(&(
            "bucket.test".into(),
            "/closed".into(),
            Some("http://page.test".into())
        )),
        "{requests:?}"
    );
    let console = session.take_console().await.unwrap();
    if browser == Browser::Chrome {
        assert!(
            console
                .iter()
                .any(|e| e.message.contains("http://bucket.test/closed")
                    && e.message
                        .contains("No 'Access-Control-Allow-Origin' header")),
            "{console:?}"
        );
        // The endpoint drains: a second read is empty.
        assert!(session.take_console().await.unwrap().is_empty());
    } else {
        assert!(console.is_empty());
    }
    assert!(session.browser_pid().is_some());
    session.close().await;
    launcher.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chrome_reaches_hosts_through_the_proxy() {
    browser_reaches_stand_in_hosts(Browser::Chrome).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn firefox_reaches_hosts_through_the_proxy() {
    browser_reaches_stand_in_hosts(Browser::Firefox).await;
}
