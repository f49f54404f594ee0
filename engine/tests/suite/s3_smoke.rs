//! End-to-end smoke test of the S3 half's public API: parse → validate → preflight/actual.

use cors_engine::config;
use cors_engine::s3::{self, Addressed, BucketState, S3Request};

#[test]
fn console_json_round_trip_through_preflight_and_actual() {
    let (config, format) = config::parse(
        r#"[{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET", "PUT"],
            "AllowedHeaders": ["*"], "MaxAgeSeconds": 3000}]"#,
    )
    .expect("parses");
    assert_eq!(format, config::SourceFormat::ConsoleJson);
    config::validate(&config).expect("valid");

    let request = S3Request {
        method: "OPTIONS",
        origin: Some("https://app.example.com"),
        access_control_request_method: Some("PUT"),
        access_control_request_headers: Some("Content-Type"),
        addressed: Addressed::Object,
    };
    let answer = s3::preflight(BucketState::Configured(&config), &request);
    assert_eq!(answer.status, 200);
    let headers: Vec<(&str, &str)> = answer.headers.iter().collect();
    assert_eq!(
        headers,
        [
            ("Access-Control-Allow-Origin", "https://app.example.com"),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Methods", "GET, PUT"),
            ("Access-Control-Allow-Headers", "content-type"),
            ("Access-Control-Max-Age", "3000"),
            (
                "Vary",
                "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
            ),
        ]
    );

    let get = S3Request {
        method: "GET",
        origin: Some("https://app.example.com/"),
        access_control_request_method: None,
        access_control_request_headers: None,
        addressed: Addressed::Object,
    };
    let cors = s3::actual(BucketState::Configured(&config), &get);
    assert!(cors.headers.is_empty());
    assert!(
        cors.trace.to_string().contains("trailing slash"),
        "{}",
        cors.trace
    );
}
