//! The raw server sends exactly the header lines a case wrote, read back byte for byte from a
//! TCP socket (through the origin proxy, as a browser would reach it).

use crate::support::proxy as helpers;

use cors_engine::HeaderList;
use cors_engine::scenario::{RawModel, RawResponse};
use cors_servers::{RunRoutes, raw_router};
use helpers::{proxy_for, raw_exchange};
use rstest::rstest;

const ORIGIN: &str = "http://api.example.test";

fn model() -> RawModel {
    RawModel {
        origin: ORIGIN.to_string(),
        preflight: RawResponse {
            status: 204,
            headers: HeaderList::from_iter([
                ("Access-Control-Allow-Origin", "http://app.example.test"),
                ("Access-Control-Allow-Methods", "PUT, DELETE"),
            ]),
            body: Vec::new(),
        },
        response: RawResponse {
            status: 200,
            // Two Access-Control-Allow-Origin lines: the "multiple values" mistake, which a
            // browser rejects; it must reach the browser as two lines, not one merged value.
            headers: HeaderList::from_iter([
                ("Access-Control-Allow-Origin", "http://app.example.test"),
                ("Access-Control-Allow-Origin", "http://other.example.test"),
                ("X-Note", "literal"),
            ]),
            body: b"ok".to_vec(),
        },
    }
}

async fn ask(model: RawModel, method: &str) -> String {
    let proxy = proxy_for(&["api.example.test"]).await;
    let _run = proxy
        .register_run(
            "raw",
            RunRoutes::new().with_origin(ORIGIN, raw_router(model)),
        )
        .unwrap();
    raw_exchange(
        proxy.addr(),
        &format!(
            "{method} {ORIGIN}/__run/raw/anything HTTP/1.1\r\nHost: api.example.test\r\n\
             Origin: http://app.example.test\r\nConnection: close\r\n\r\n"
        ),
    )
    .await
}

fn head_lines(answer: &str) -> Vec<&str> {
    let head = answer.split("\r\n\r\n").next().unwrap_or("");
    head.split("\r\n").collect()
}

fn body(answer: &str) -> &str {
    answer.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

#[tokio::test]
async fn repeated_header_names_arrive_as_separate_lines() {
    let answer = ask(model(), "GET").await;
    let lines = head_lines(&answer);

    assert_eq!(lines[0], "HTTP/1.1 200 OK");
    let allow_origin: Vec<_> = lines
        .iter()
        .filter(|l| {
            l.to_ascii_lowercase()
                .starts_with("access-control-allow-origin:")
        })
        .collect();
    assert_eq!(
        allow_origin,
        [
            &"Access-Control-Allow-Origin: http://app.example.test",
            &"Access-Control-Allow-Origin: http://other.example.test",
        ]
    );
    assert!(lines.contains(&"X-Note: literal"), "{lines:?}");
    assert_eq!(body(&answer), "ok");
}

#[rstest]
#[case::options_gets_the_preflight_answer("OPTIONS", "HTTP/1.1 204 No Content", 2)]
#[case::get_gets_the_response("GET", "HTTP/1.1 200 OK", 2)]
#[case::put_gets_the_response("PUT", "HTTP/1.1 200 OK", 2)]
#[case::delete_gets_the_response("DELETE", "HTTP/1.1 200 OK", 2)]
#[tokio::test]
async fn options_gets_the_preflight_and_everything_else_the_response(
    #[case] method: &str,
    #[case] status_line: &str,
    #[case] cors_lines: usize,
) {
    let answer = ask(model(), method).await;
    let lines = head_lines(&answer);

    assert_eq!(lines[0], status_line);
    let cors: Vec<_> = lines
        .iter()
        .filter(|l| l.to_ascii_lowercase().starts_with("access-control-"))
        .collect();
    assert_eq!(cors.len(), cors_lines, "{lines:?}");
}

#[tokio::test]
async fn nothing_is_added_beyond_what_http_needs() {
    let answer = ask(model(), "OPTIONS").await;
    let names: Vec<String> = head_lines(&answer)[1..]
        .iter()
        .filter_map(|l| l.split_once(':'))
        .map(|(name, _)| name.to_ascii_lowercase())
        .collect();

    for name in &names {
        assert!(
            matches!(
                name.as_str(),
                "access-control-allow-origin"
                    | "access-control-allow-methods"
                    | "content-length"
                    | "date"
                    | "connection"
            ),
            "unexpected header {name} in {names:?}"
        );
    }
    assert!(!names.iter().any(|n| n == "vary"), "no Vary of its own");
}

#[rstest]
#[case::not_found(404, "HTTP/1.1 404 Not Found")]
#[case::redirect_without_location(302, "HTTP/1.1 302 Found")]
#[case::server_error(503, "HTTP/1.1 503 Service Unavailable")]
#[tokio::test]
async fn the_status_is_sent_as_written(#[case] status: u16, #[case] status_line: &str) {
    let mut model = model();
    model.response.status = status;
    let answer = ask(model, "GET").await;
    assert_eq!(head_lines(&answer)[0], status_line);
}

#[tokio::test]
async fn an_unsendable_header_becomes_an_explained_500() {
    let mut model = model();
    model.response.headers = HeaderList::from_iter([("Bad Name", "x")]);
    let answer = ask(model, "GET").await;
    assert_eq!(head_lines(&answer)[0], "HTTP/1.1 500 Internal Server Error");
    assert!(body(&answer).contains("'Bad Name' is not a valid header name"));
}
