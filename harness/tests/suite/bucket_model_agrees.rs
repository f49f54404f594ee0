//! The engine's bucket model and the bucket server are one S3: every request a browser sends in
//! a bucket case of the corpus (preflights and actual requests, in each browser the case runs
//! in) gets the same status, headers and body from the real server — seeded as the runner
//! seeds it and spoken to over HTTP — as the prediction assumed (`cors_engine::server_exchanges`).
//! Values that depend on the clock or on random ids are compared for presence only.

use cors_engine::{ServerExchange, server_exchanges};
use cors_harness::runner::server_router;

use crate::support::shipped_bucket_cases;

/// Headers whose values come from the clock or a random id.
const RUN_DEPENDENT: [&str; 4] = ["date", "last-modified", "x-amz-request-id", "x-amz-id-2"];
/// XML elements whose text comes from the clock or a random id.
const RUN_DEPENDENT_ELEMENTS: [&str; 5] = [
    "RequestId",
    "HostId",
    "UploadId",
    "LastModified",
    "CreationDate",
];

/// An answer in comparable form: lower-cased header names sorted (the order of S3's headers is
/// the CORS comparison's business), run-dependent values replaced by a marker.
#[derive(Debug, PartialEq, Eq)]
struct Comparable {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn comparable(status: u16, headers: Vec<(String, String)>, body: &[u8]) -> Comparable {
    let mut headers: Vec<(String, String)> = headers
        .into_iter()
        .map(|(name, value)| {
            let name = name.to_ascii_lowercase();
            let value = if RUN_DEPENDENT.contains(&name.as_str()) {
                "<present>".to_owned()
            } else {
                value
            };
            (name, value)
        })
        .collect();
    let mut body = String::from_utf8_lossy(body).into_owned();
    // A random upload id makes the body's length run-dependent too.
    if body.contains("<UploadId>") {
        for (name, value) in &mut headers {
            if name == "content-length" {
                *value = "<present>".to_owned();
            }
        }
    }
    headers.sort();
    for element in RUN_DEPENDENT_ELEMENTS {
        body = mask_element(&body, element);
    }
    Comparable {
        status,
        headers,
        body,
    }
}

/// Replaces the text of every `<name>…</name>` with a marker.
fn mask_element(text: &str, name: &str) -> String {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(&open) {
        let after = start + open.len();
        let Some(end) = rest[after..].find(&close) else {
            break;
        };
        out.push_str(&rest[..after]);
        out.push_str("<present>");
        rest = &rest[after + end..];
    }
    out.push_str(rest);
    out
}

/// Sends `exchange` to the server listening on `port`, addressed to the host of its URL.
async fn send(client: &reqwest::Client, port: u16, exchange: &ServerExchange) -> Comparable {
    let url = url::Url::parse(&exchange.url).expect("absolute URL");
    let authority = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    let path_and_query = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let method = reqwest::Method::from_bytes(exchange.method.as_bytes()).expect("method");
    let mut request = client
        .request(method, format!("http://127.0.0.1:{port}{path_and_query}"))
        .header("host", authority)
        .body(exchange.request_body.clone());
    for (name, value) in exchange.request_headers.iter() {
        request = request.header(name, value);
    }
    let response = request.send().await.expect("the bucket server answers");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let body = response.bytes().await.expect("body");
    comparable(status, headers, &body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bucket_case_gets_the_modelled_answers_from_the_bucket_server() {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let cases = shipped_bucket_cases();
    let mut compared = 0usize;
    let mut disagreements = Vec::new();
    for case in &cases {
        let scenario = case.to_scenario();
        for &browser in &case.browsers {
            // A fresh server per run, seeded as the runner seeds it.
            let router = server_router(&scenario).expect("seeded server");
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let port = listener.local_addr().expect("address").port();
            let server = tokio::spawn(async move { axum::serve(listener, router).await });
            for (index, exchanges) in server_exchanges(&scenario, browser).iter().enumerate() {
                for exchange in exchanges {
                    let modelled = comparable(
                        exchange.status,
                        exchange
                            .headers
                            .iter()
                            .map(|(n, v)| (n.to_owned(), v.to_owned()))
                            .collect(),
                        &exchange.body,
                    );
                    let served = send(&client, port, exchange).await;
                    compared += 1;
                    if modelled != served {
                        disagreements.push(format!(
                            "{} ({browser:?}) request {}: {} {}\n  model:  {modelled:?}\n  server: {served:?}",
                            case.id,
                            index + 1,
                            exchange.method,
                            exchange.url
                        ));
                    }
                }
            }
            server.abort();
        }
    }
    assert!(compared > 100, "only {compared} exchanges compared");
    assert!(
        disagreements.is_empty(),
        "{} of {compared} exchanges differ:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
