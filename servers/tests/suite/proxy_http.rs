//! The origin proxy driven like a browser over plain HTTP: absolute-form requests through an HTTP
//! proxy, run prefixes, host refusal, keep-alive and the wire log.

use crate::support::proxy as helpers;

use cors_servers::{PageAssets, RunRoutes, page_router};
use helpers::{
    browser_like_client, echo_router, proxy_for, raw_exchange, three_gets_on_one_connection,
};
use http::StatusCode;
use rstest::rstest;

#[rstest]
#[case::page_origin("http://app.example.test", "app.example.test")]
#[case::virtual_hosted_bucket("http://assets.s3.amazonaws.com", "assets.s3.amazonaws.com")]
#[case::explicit_port("http://api.example.test:8080", "api.example.test:8080")]
#[tokio::test]
async fn absolute_form_requests_reach_the_runs_router_without_the_prefix(
    #[case] origin: &str,
    #[case] host_header: &str,
) {
    let proxy = proxy_for(&[
        "app.example.test",
        "assets.s3.amazonaws.com",
        "api.example.test",
    ])
    .await;
    let _run = proxy
        .register_run(
            "r42",
            RunRoutes::new().with_origin(origin, echo_router("one")),
        )
        .unwrap();
    let client = browser_like_client(&proxy);

    let response = client
        .get(format!("{origin}/__run/r42/photos/cat.jpg?v=1"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.text().await.unwrap(),
        format!("one GET /photos/cat.jpg?v=1 host={host_header} origin={origin}")
    );
}

#[tokio::test]
async fn two_runs_with_the_same_host_are_served_by_their_own_routers() {
    let proxy = proxy_for(&["app.example.test"]).await;
    let origin = "http://app.example.test";
    let _a = proxy
        .register_run(
            "run-a",
            RunRoutes::new().with_origin(origin, echo_router("A")),
        )
        .unwrap();
    let _b = proxy
        .register_run(
            "run-b",
            RunRoutes::new().with_origin(origin, echo_router("B")),
        )
        .unwrap();
    let client = browser_like_client(&proxy);

    let a = client
        .get(format!("{origin}/__run/run-a/x"))
        .send()
        .await
        .unwrap();
    let b = client
        .get(format!("{origin}/__run/run-b/x"))
        .send()
        .await
        .unwrap();

    assert!(a.text().await.unwrap().starts_with("A GET /x "));
    assert!(b.text().await.unwrap().starts_with("B GET /x "));
}

#[tokio::test]
async fn dropping_the_registration_removes_the_run() {
    let proxy = proxy_for(&["app.example.test"]).await;
    let run = proxy
        .register_run(
            "gone",
            RunRoutes::new().with_origin("http://app.example.test", echo_router("G")),
        )
        .unwrap();
    let client = browser_like_client(&proxy);
    let url = "http://app.example.test/__run/gone/x";
    assert_eq!(
        client.get(url).send().await.unwrap().status(),
        StatusCode::OK
    );

    drop(run);

    let after = client.get(url).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::NOT_FOUND);
    assert!(after.text().await.unwrap().contains("no run 'gone'"));
}

#[tokio::test]
async fn a_run_id_cannot_be_registered_twice_or_be_malformed() {
    let proxy = proxy_for(&[]).await;
    let _first = proxy.register_run("same", RunRoutes::new()).unwrap();
    let twice = RunRoutes::new()
        .with_origin("https://app.example.test", echo_router("a"))
        .with_origin("https://APP.example.test:443", echo_router("b"));
    assert!(matches!(
        proxy.register_run("twice", twice),
        Err(cors_servers::ProxyError::DuplicateOrigin { .. })
    ));
    assert!(proxy.register_run("same", RunRoutes::new()).is_err());
    assert!(proxy.register_run("has/slash", RunRoutes::new()).is_err());
    assert!(
        proxy
            .register_run(
                "ok",
                RunRoutes::new().with_origin("ftp://x.test", echo_router("x"))
            )
            .is_err()
    );
}

#[tokio::test]
async fn an_undeclared_host_is_refused_and_never_contacted() {
    let proxy = proxy_for(&["app.example.test"]).await;
    let client = browser_like_client(&proxy);

    let response = client
        .get("http://example.com/__run/r1/")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        response.text().await.unwrap().trim_end(),
        "cors-harness proxy: host 'example.com' is not declared by any loaded case"
    );
}

#[rstest]
#[case::no_prefix("/favicon.ico", "carries no run prefix")]
#[case::unknown_run("/__run/nobody/page", "no run 'nobody' is registered")]
#[case::origin_not_in_run("/__run/r1/page", "serves nothing on http://other.example.test")]
#[tokio::test]
async fn a_declared_host_outside_a_run_gets_a_clear_404(#[case] path: &str, #[case] says: &str) {
    let proxy = proxy_for(&["app.example.test", "other.example.test"]).await;
    let _run = proxy
        .register_run(
            "r1",
            RunRoutes::new().with_origin("http://app.example.test", echo_router("A")),
        )
        .unwrap();
    let client = browser_like_client(&proxy);

    let response = client
        .get(format!("http://other.example.test{path}"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.text().await.unwrap();
    assert!(body.contains(says), "{body}");
}

#[tokio::test]
async fn origin_form_with_a_host_header_is_dispatched_too() {
    let proxy = proxy_for(&["app.example.test"]).await;
    let _run = proxy
        .register_run(
            "r1",
            RunRoutes::new().with_origin("http://app.example.test", echo_router("A")),
        )
        .unwrap();

    let answer = raw_exchange(
        proxy.addr(),
        "GET /__run/r1/direct HTTP/1.1\r\nHost: app.example.test\r\nConnection: close\r\n\r\n",
    )
    .await;

    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.ends_with("A GET /direct host=app.example.test origin=http://app.example.test"));
}

#[tokio::test]
async fn several_requests_share_one_kept_alive_connection() {
    let proxy = proxy_for(&["app.example.test"]).await;
    let _run = proxy
        .register_run(
            "r1",
            RunRoutes::new().with_origin("http://app.example.test", echo_router("A")),
        )
        .unwrap();
    let stream = tokio::net::TcpStream::connect(proxy.addr()).await.unwrap();
    three_gets_on_one_connection(
        stream,
        |n| format!("http://app.example.test/__run/r1/n{n}"),
        "A",
    )
    .await;
}

#[tokio::test]
async fn the_wire_log_holds_exactly_the_runs_exchanges_with_their_cors_headers() {
    let proxy = proxy_for(&["app.example.test", "assets.example.test"]).await;
    let bucket = "http://assets.example.test";
    let _r1 = proxy
        .register_run(
            "r1",
            RunRoutes::new().with_origin(bucket, echo_router("one")),
        )
        .unwrap();
    let _r2 = proxy
        .register_run(
            "r2",
            RunRoutes::new().with_origin(bucket, echo_router("two")),
        )
        .unwrap();
    let client = browser_like_client(&proxy);

    client
        .request(http::Method::OPTIONS, format!("{bucket}/__run/r1/up.txt"))
        .header("Origin", "http://app.example.test")
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "x-custom")
        .send()
        .await
        .unwrap();
    client
        .put(format!("{bucket}/__run/r1/up.txt?x=1"))
        .header("Origin", "http://app.example.test")
        .header("X-Custom", "1")
        .body("hello")
        .send()
        .await
        .unwrap();
    client
        .get(format!("{bucket}/__run/r2/other.txt"))
        .send()
        .await
        .unwrap();

    let peeked = proxy.peek_wire_log("r1");
    let log = proxy.take_wire_log("r1");
    assert_eq!(peeked, log);
    assert_eq!(log.len(), 2);

    let preflight = &log[0];
    assert!(preflight.is_preflight());
    assert_eq!(preflight.url, "http://assets.example.test/up.txt");
    assert_eq!(preflight.status, 200);
    let sent: Vec<_> = preflight.request_headers.iter().collect();
    assert_eq!(
        sent,
        [
            ("origin", "http://app.example.test"),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "x-custom"),
        ]
    );
    let answered: Vec<_> = preflight.response_headers.iter().collect();
    assert_eq!(
        answered,
        [
            ("access-control-allow-origin", "http://app.example.test"),
            ("access-control-allow-methods", "PUT"),
            ("access-control-allow-headers", "x-custom"),
            ("vary", "Origin"),
        ]
    );

    let put = &log[1];
    assert_eq!(put.method, "PUT");
    assert_eq!(put.url, "http://assets.example.test/up.txt?x=1");
    assert!(!put.is_preflight());
    assert_eq!(
        put.request_headers.len(),
        1,
        "X-Custom is not a CORS header"
    );

    assert!(
        proxy.take_wire_log("r1").is_empty(),
        "taking empties the log"
    );
    let other = proxy.take_wire_log("r2");
    assert_eq!(other.len(), 1);
    assert_eq!(other[0].url, "http://assets.example.test/other.txt");
    assert!(other[0].request_headers.is_empty());
}

#[tokio::test]
async fn redirects_stay_inside_the_run() {
    let proxy = proxy_for(&["app.example.test", "cdn.example.test"]).await;
    let redirector = axum::Router::new().fallback(|| async {
        (
            StatusCode::FOUND,
            [("location", "http://cdn.example.test/moved.txt")],
        )
    });
    let _run = proxy
        .register_run(
            "r7",
            RunRoutes::new()
                .with_origin("http://app.example.test", redirector)
                .with_origin("http://cdn.example.test", echo_router("cdn")),
        )
        .unwrap();
    let client = browser_like_client(&proxy);

    let response = client
        .get("http://app.example.test/__run/r7/old.txt")
        .send()
        .await
        .unwrap();

    assert_eq!(
        response.url().as_str(),
        "http://cdn.example.test/__run/r7/moved.txt"
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .starts_with("cdn GET /moved.txt ")
    );
    let log = proxy.take_wire_log("r7");
    let statuses: Vec<_> = log.iter().map(|e| (e.url.as_str(), e.status)).collect();
    assert_eq!(
        statuses,
        [
            ("http://app.example.test/old.txt", 302),
            ("http://cdn.example.test/moved.txt", 200),
        ]
    );
}

#[tokio::test]
async fn the_page_server_serves_its_files_uncached() {
    let proxy = proxy_for(&["app.example.test"]).await;
    let assets = PageAssets::new()
        .with_file(
            "/page",
            "text/html; charset=utf-8",
            "<!doctype html><p>runner</p>",
        )
        .with_file("runner.js", "text/javascript", "void 0;");
    let _run = proxy
        .register_run(
            "p1",
            RunRoutes::new().with_origin("http://app.example.test", page_router(assets)),
        )
        .unwrap();
    let client = browser_like_client(&proxy);

    let page = client
        .get("http://app.example.test/__run/p1/page")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(page.text().await.unwrap(), "<!doctype html><p>runner</p>");

    let script = client
        .get("http://app.example.test/__run/p1/runner.js")
        .send()
        .await
        .unwrap();
    assert_eq!(script.headers()["content-type"], "text/javascript");

    let missing = client
        .get("http://app.example.test/__run/p1/nope")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let post = client
        .post("http://app.example.test/__run/p1/page")
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn the_wire_log_keeps_the_order_cors_request_headers_were_sent_in() {
    let proxy = proxy_for(&["assets.example.test"]).await;
    let _run = proxy
        .register_run(
            "ord",
            RunRoutes::new().with_origin("http://assets.example.test", echo_router("o")),
        )
        .unwrap();

    // Chrome sends `Proxy-Connection` on plain-HTTP proxy requests; the proxy drops it before
    // the router sees the request, and that must not reorder what the log says was sent (a
    // header map removal moves its last line into the gap: here, `Origin`).
    raw_exchange(
        proxy.addr(),
        "OPTIONS http://assets.example.test/__run/ord/k HTTP/1.1\r\n\
         Connection: close\r\n\
         Proxy-Connection: keep-alive\r\n\
         Host: assets.example.test\r\n\
         Access-Control-Request-Method: PUT\r\n\
         Access-Control-Request-Headers: x-custom\r\n\
         Origin: http://app.example.test\r\n\r\n",
    )
    .await;

    let log = proxy.take_wire_log("ord");
    let names: Vec<_> = log[0].request_headers.iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "access-control-request-method",
            "access-control-request-headers",
            "origin"
        ]
    );
}

#[tokio::test]
async fn dropping_the_proxy_stops_listening_and_closes_open_connections() {
    let proxy = proxy_for(&["app.example.test"]).await;
    let addr = proxy.addr();
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (_sender, connection) = hyper::client::conn::http1::handshake::<
        _,
        http_body_util::Empty<bytes::Bytes>,
    >(hyper_util::rt::TokioIo::new(stream))
    .await
    .unwrap();
    let driver = tokio::spawn(connection);

    drop(proxy);

    let closed = tokio::time::timeout(std::time::Duration::from_secs(5), driver).await;
    assert!(closed.is_ok(), "the open connection was closed");
    // The accept loop is aborted asynchronously; give it a moment to release the socket.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_runs_in_parallel_each_see_only_their_own_traffic() {
    let proxy = proxy_for(&["app.example.test"]).await;
    const RUNS: usize = 12;
    const REQUESTS: usize = 5;
    let registrations: Vec<_> = (0..RUNS)
        .map(|n| {
            proxy
                .register_run(
                    format!("p{n}"),
                    RunRoutes::new()
                        .with_origin("http://app.example.test", echo_router(format!("L{n}"))),
                )
                .unwrap()
        })
        .collect();
    let client = browser_like_client(&proxy);

    let mut tasks = Vec::new();
    for n in 0..RUNS {
        for k in 0..REQUESTS {
            let client = client.clone();
            tasks.push(tokio::spawn(async move {
                let body = client
                    .get(format!("http://app.example.test/__run/p{n}/k{k}"))
                    .header("Origin", "http://app.example.test")
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                (n, k, body)
            }));
        }
    }
    for task in tasks {
        let (n, k, body) = task.await.unwrap();
        assert!(body.starts_with(&format!("L{n} GET /k{k} ")), "{body}");
    }

    for (n, registration) in registrations.into_iter().enumerate() {
        let mut urls: Vec<String> = registration.finish().into_iter().map(|e| e.url).collect();
        urls.sort();
        let expected: Vec<String> = (0..REQUESTS)
            .map(|k| format!("http://app.example.test/k{k}"))
            .collect();
        assert_eq!(urls, expected, "run p{n}");
    }
}
