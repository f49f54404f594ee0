//! Loading case files: every error names the file, the line and the key; relative files resolve
//! against the case's folder; every shipped case loads; the scenario and host list are right.

use std::path::{Path, PathBuf};

use cors_engine::Browser;
use cors_engine::scenario::{BodySpec, CredentialsMode, CrossOrigin, RequestKind, ServerModel};
use cors_harness::case::{
    Case, CaseError, CaseServer, case_id, cases_root_for, load_case, load_paths, parse_case,
};
use rstest::rstest;

use crate::support::cases_root;

fn parse(text: &str) -> Result<Case, CaseError> {
    parse_case(text, Path::new("cases/demo/example.toml"), "demo/example")
}

fn parse_err(text: &str) -> CaseError {
    match parse(text) {
        Ok(case) => panic!("expected an error, loaded {case:?}"),
        Err(error) => error,
    }
}

const MINIMAL: &str = r#"title = "t"
page = "https://app.example.com"

[bucket]
name = "assets"

[[request]]
url = "/a.txt"
"#;

#[test]
fn a_minimal_bucket_case_loads_with_the_documented_defaults() {
    let case = parse(MINIMAL).expect("loads");
    assert_eq!(case.id, "demo/example");
    assert_eq!(case.browsers, Browser::ALL.to_vec());
    let CaseServer::Bucket(bucket) = &case.server else {
        panic!("a bucket case")
    };
    assert_eq!(bucket.endpoint, "http://assets.s3.amazonaws.com");
    assert!(bucket.cors.is_none());
    let request = &case.requests[0];
    assert_eq!(request.spec.kind, RequestKind::Fetch);
    assert_eq!(request.spec.method, "GET");
    assert_eq!(request.spec.url, "http://assets.s3.amazonaws.com/a.txt");
    assert_eq!(request.spec.credentials, CredentialsMode::SameOrigin);
    assert_eq!(request.line, 7);
}

#[rstest]
// cases/README.md: unknown keys are an error that names the file, line and key.
#[case::unknown_top_level_key("titel = \"x\"\n", 1, "titel")]
#[case::unknown_key_in_request(
    "title = \"t\"\npage = \"https://a.example.com\"\n[bucket]\nname = \"b\"\n[[request]]\nurl = \"/x\"\nmethd = \"PUT\"\n",
    7,
    "request[0].methd"
)]
#[case::unknown_key_in_bucket(
    "title = \"t\"\npage = \"https://a.example.com\"\n[bucket]\nname = \"b\"\ncors_text = \"[]\"\n",
    5,
    "bucket.cors_text"
)]
#[case::unknown_key_in_expect(
    "title = \"t\"\npage = \"https://a.example.com\"\n[bucket]\nname = \"b\"\n[[request]]\nurl = \"/x\"\nexpect = { outcom = \"blocked\" }\n",
    7,
    "outcom"
)]
fn unknown_keys_name_file_line_and_key(#[case] text: &str, #[case] line: usize, #[case] key: &str) {
    let error = parse_err(text);
    assert_eq!(error.file, PathBuf::from("cases/demo/example.toml"));
    assert_eq!(error.line, Some(line), "{error}");
    let named = error.key.clone().unwrap_or_default();
    assert!(
        named.ends_with(key),
        "key {named:?} should end with {key}: {error}"
    );
    assert!(
        error.to_string().contains("cases/demo/example.toml:"),
        "{error}"
    );
}

#[test]
fn a_missing_title_is_named() {
    let error = parse_err(&MINIMAL.replace("title = \"t\"\n", ""));
    assert_eq!(error.key.as_deref(), Some("title"));
    assert_eq!(error.line, Some(1));
    assert!(error.message.contains("title"), "{error}");
}

#[test]
fn a_missing_page_is_named() {
    let error = parse_err(&MINIMAL.replace("page = \"https://app.example.com\"\n", ""));
    assert_eq!(error.key.as_deref(), Some("page"));
}

#[test]
fn bucket_and_server_together_are_refused_at_the_server_table() {
    let text = format!("{MINIMAL}\n[server]\norigin = \"https://api.example.test\"\n");
    let error = parse_err(&text);
    assert_eq!(error.key.as_deref(), Some("server"));
    let server_line = text.lines().position(|l| l == "[server]").unwrap() + 1;
    assert!(
        error.line.is_some_and(|l| l >= server_line),
        "line {:?} should point at [server] (line {server_line})",
        error.line
    );
    assert!(error.message.contains("exactly one"), "{error}");
}

#[test]
fn neither_bucket_nor_server_is_refused() {
    let error =
        parse_err("title = \"t\"\npage = \"https://a.example.com\"\n[[request]]\nurl = \"/x\"\n");
    assert!(error.message.contains("[bucket]") && error.message.contains("[server]"));
}

#[test]
fn bad_toml_names_the_line() {
    let error =
        parse_err("title = \"t\"\npage = \"https://a.example.com\"\n[bucket\nname = \"b\"\n");
    assert_eq!(error.line, Some(3), "{error}");
}

#[test]
fn a_wrong_value_type_names_its_key() {
    let error =
        parse_err(&MINIMAL.replace("url = \"/a.txt\"", "url = \"/a.txt\"\nwait_ms = \"soon\""));
    assert_eq!(error.key.as_deref(), Some("request[0].wait_ms"), "{error}");
    assert_eq!(error.line, Some(9));
}

#[rstest]
// setTimeout's delay is a signed 32-bit integer: 2^31 wraps to a negative delay (fires at once)
// and 2^32 + 1000 to one second, while the engine would wait the full time.
#[case::two_to_the_31(2_147_483_648)]
#[case::wraps_to_one_second(4_294_968_296)]
fn a_wait_longer_than_a_browser_timer_is_refused_with_the_limit(#[case] wait_ms: u64) {
    let text = MINIMAL.replace(
        "url = \"/a.txt\"",
        &format!("url = \"/a.txt\"\nwait_ms = {wait_ms}"),
    );
    let error = parse_err(&text);
    assert_eq!(error.file, PathBuf::from("cases/demo/example.toml"));
    assert_eq!(error.key.as_deref(), Some("request[0].wait_ms"), "{error}");
    assert_eq!(error.line, Some(9), "{error}");
    assert!(error.message.contains("2147483647"), "{error}");
    assert!(error.message.contains(&wait_ms.to_string()), "{error}");
}

#[test]
fn the_longest_browser_timer_wait_loads() {
    let text = MINIMAL.replace("url = \"/a.txt\"", "url = \"/a.txt\"\nwait_ms = 2147483647");
    let case = parse(&text).expect("loads");
    assert_eq!(case.requests[0].spec.wait_ms, 2_147_483_647);
}

#[test]
fn a_cors_parse_error_names_the_line_inside_the_case_file() {
    let text = r#"title = "t"
page = "https://app.example.com"

[bucket]
name = "assets"
cors = '''
[
  {"AllowedOrigins": ["https://app.example.com"],
   "AllowedMethods": ["GET"],,
  }
]
'''

[[request]]
url = "/a.txt"
"#;
    let error = parse_err(text);
    assert_eq!(error.key.as_deref(), Some("bucket.cors"));
    // Line 9 of the case file is line 3 of the configuration.
    assert_eq!(error.line, Some(9), "{error}");
    assert!(error.message.contains("line 3"), "{error}");
}

#[test]
fn cors_and_cors_file_are_exclusive() {
    let text = MINIMAL.replace(
        "name = \"assets\"",
        "name = \"assets\"\ncors = \"[]\"\ncors_file = \"c.json\"",
    );
    let error = parse_err(&text);
    assert_eq!(error.key.as_deref(), Some("bucket.cors_file"));
    assert_eq!(error.line, Some(7));
}

#[test]
fn body_and_body_file_are_exclusive() {
    let text = r#"title = "t"
page = "https://app.example.com"

[bucket]
name = "assets"

[bucket.objects."a.txt"]
body = "x"
body_file = "a.txt"

[[request]]
url = "/a.txt"
"#;
    let error = parse_err(text);
    assert_eq!(
        error.key.as_deref(),
        Some("bucket.objects.\"a.txt\".body_file")
    );
    assert_eq!(error.line, Some(9));
}

#[rstest]
#[case::mode_on_img("kind = \"img\"\nmode = \"no-cors\"", "request[0].mode")]
#[case::crossorigin_on_fetch("crossorigin = \"anonymous\"", "request[0].crossorigin")]
#[case::upload_listener_on_fetch("upload_listener = true", "request[0].upload_listener")]
#[case::omit_on_xhr("kind = \"xhr\"\ncredentials = \"omit\"", "request[0].credentials")]
#[case::method_on_script("kind = \"script\"\nmethod = \"POST\"", "request[0].method")]
#[case::relative_url_without_slash("", "request[0].url")]
fn fields_that_do_not_apply_to_the_request_kind_are_refused(
    #[case] extra: &str,
    #[case] key: &str,
) {
    let text = if extra.is_empty() {
        MINIMAL.replace("url = \"/a.txt\"", "url = \"a.txt\"")
    } else {
        MINIMAL.replace("url = \"/a.txt\"", &format!("url = \"/a.txt\"\n{extra}"))
    };
    let error = parse_err(&text);
    assert_eq!(error.key.as_deref(), Some(key), "{error}");
    assert!(error.line.is_some());
}

#[test]
fn an_expected_readable_header_must_be_read() {
    let text = MINIMAL.replace(
        "url = \"/a.txt\"",
        "url = \"/a.txt\"\nexpect = { readable = { etag = true } }",
    );
    let error = parse_err(&text);
    assert!(error.message.contains("read_headers"), "{error}");
    assert_eq!(error.line, Some(9), "points at the expect table");
    assert_eq!(
        error.key.as_deref(),
        Some("request[0].expect.readable.etag")
    );
}

#[test]
fn header_arrays_become_repeated_lines_in_document_order() {
    let text = MINIMAL.replace(
        "url = \"/a.txt\"",
        "url = \"/a.txt\"\nheaders = { \"X-B\" = \"2\", \"X-A\" = [\"1\", \"one\"] }",
    );
    let case = parse(&text).expect("loads");
    let lines: Vec<(&str, &str)> = case.requests[0].spec.headers.iter().collect();
    assert_eq!(lines, vec![("X-B", "2"), ("X-A", "1"), ("X-A", "one")]);
}

#[test]
fn body_kinds_build_the_engine_body() {
    let text = MINIMAL.replace(
        "url = \"/a.txt\"",
        "url = \"/a.txt\"\nmethod = \"POST\"\nbody_kind = \"form-data\"\nbody = { b = \"2\", a = \"1\" }",
    );
    let case = parse(&text).expect("loads");
    assert_eq!(
        case.requests[0].spec.body,
        Some(BodySpec::FormData {
            fields: vec![("b".into(), "2".into()), ("a".into(), "1".into())]
        })
    );
    let text = MINIMAL.replace(
        "url = \"/a.txt\"",
        "url = \"/a.txt\"\nmethod = \"PUT\"\nbody_kind = \"blob\"\nbody_type = \"image/png\"\nbody = \"x\"",
    );
    let case = parse(&text).expect("loads");
    assert_eq!(
        case.requests[0].spec.body,
        Some(BodySpec::Blob {
            text: "x".into(),
            r#type: "image/png".into()
        })
    );
}

#[test]
fn relative_cors_file_and_body_file_resolve_against_the_case_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("topic/files")).unwrap();
    std::fs::write(
        dir.path().join("topic/files/cors.json"),
        r#"{"CORSRules": [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"]}]}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("topic/files/blob.bin"), [0u8, 1, 2]).unwrap();
    let case_path = dir.path().join("topic/case.toml");
    std::fs::write(
        &case_path,
        r#"title = "t"
page = "https://app.example.com"
[bucket]
name = "assets"
cors_file = "files/cors.json"
[bucket.objects."b/blob.bin"]
body_file = "files/blob.bin"
[[request]]
url = "/b/blob.bin"
"#,
    )
    .unwrap();
    let case = load_case(&case_path, "topic/case").expect("loads");
    let bucket = case.bucket().unwrap();
    let cors = bucket.cors.as_ref().unwrap();
    assert_eq!(
        cors.file.as_deref(),
        Some(dir.path().join("topic/files/cors.json").as_path())
    );
    assert_eq!(cors.config.rules.len(), 1);
    assert!(cors.rejected.is_none());
    let object = &bucket.objects["b/blob.bin"];
    assert_eq!(object.body.as_bytes(), [0, 1, 2]);
    assert_eq!(object.content_type, "application/octet-stream");
}

#[test]
fn a_broken_cors_file_names_the_cors_file_and_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cors.xml"),
        "<CORSConfiguration>\n<CORSRule>\n</CORSConfiguration>\n",
    )
    .unwrap();
    let case_path = dir.path().join("case.toml");
    std::fs::write(
        &case_path,
        "title = \"t\"\npage = \"https://app.example.com\"\n[bucket]\nname = \"a\"\ncors_file = \"cors.xml\"\n[[request]]\nurl = \"/x\"\n",
    )
    .unwrap();
    let error = load_case(&case_path, "case").unwrap_err();
    assert_eq!(error.key.as_deref(), Some("bucket.cors_file"));
    assert_eq!(error.line, Some(5));
    assert!(error.message.contains("cors.xml:"), "{error}");
}

#[test]
fn a_missing_cors_file_is_an_error_at_its_key() {
    let text = MINIMAL.replace(
        "name = \"assets\"",
        "name = \"assets\"\ncors_file = \"nowhere.json\"",
    );
    let error = parse_err(&text);
    assert_eq!(error.key.as_deref(), Some("bucket.cors_file"));
    assert!(error.message.contains("nowhere.json"));
}

// docs/facts/s3.md §1.2: OPTIONS is not an allowed method (InvalidRequest). The case keeps the
// error and the scenario's bucket has no CORS configuration, as after a failed PutBucketCors.
#[test]
fn a_configuration_s3_refuses_leaves_the_bucket_without_cors() {
    let text = MINIMAL.replace(
        "name = \"assets\"",
        "name = \"assets\"\ncors = '[{\"AllowedOrigins\": [\"*\"], \"AllowedMethods\": [\"GET\", \"OPTIONS\"]}]'\nexpect_cors_error = \"InvalidRequest\"",
    );
    let case = parse(&text).expect("loads");
    let cors = case.bucket().unwrap().cors.as_ref().unwrap();
    let rejected = cors.rejected.as_ref().expect("S3 refuses OPTIONS");
    assert_eq!(rejected.code, "InvalidRequest");
    assert!(case.check_config_expectation().is_none());
    let ServerModel::Bucket(bucket) = case.to_scenario().server else {
        panic!("bucket scenario")
    };
    assert_eq!(bucket.cors, None);

    let wrong = text.replace("\"InvalidRequest\"", "\"MalformedXML\"");
    let failure = parse(&wrong)
        .unwrap()
        .check_config_expectation()
        .expect("fails");
    assert_eq!(failure.actual.as_deref(), Some("InvalidRequest"));
}

#[test]
fn the_scenario_and_hosts_cover_page_target_and_absolute_urls() {
    let text = r#"title = "t"
page = "https://App.Example.com/"

[server]
origin = "https://api.example.test:8443"
response = { status = 200, headers = { "Access-Control-Allow-Origin" = ["*", "https://app.example.com"] } }

[[request]]
url = "/v1"

[[request]]
kind = "img"
url = "http://cdn.example.test/p.png"
crossorigin = "use-credentials"
"#;
    let case = parse(text).expect("loads");
    assert_eq!(case.page, "https://app.example.com");
    let scenario = case.to_scenario();
    assert_eq!(scenario.page_origin, "https://app.example.com");
    assert_eq!(scenario.requests[0].url, "https://api.example.test:8443/v1");
    assert_eq!(
        scenario.requests[1].crossorigin,
        Some(CrossOrigin::UseCredentials)
    );
    let ServerModel::Raw(raw) = &scenario.server else {
        panic!("raw server")
    };
    assert_eq!(
        raw.response
            .headers
            .get_all("access-control-allow-origin")
            .count(),
        2
    );
    assert_eq!(raw.preflight.status, 200);
    let hosts: Vec<String> = case.hosts().into_iter().collect();
    assert_eq!(
        hosts,
        vec!["api.example.test", "app.example.com", "cdn.example.test"]
    );
}

#[test]
fn browsers_can_be_restricted() {
    let text = MINIMAL.replace("page =", "browsers = [\"firefox\"]\npage =");
    let case = parse(&text).expect("loads");
    assert_eq!(case.browsers, vec![Browser::Firefox]);
    assert!(!case.runs_in(Browser::Chrome));
}

#[test]
fn per_browser_expectations_override_the_common_ones() {
    let text = MINIMAL.replace(
        "url = \"/a.txt\"",
        "url = \"/a.txt\"\nexpect = { outcome = \"blocked\", preflight = false, firefox = { outcome = \"allowed\" } }",
    );
    let case = parse(&text).expect("loads");
    let expect = case.requests[0].expect.as_ref().unwrap();
    let chrome = expect.for_browser(Browser::Chrome);
    let firefox = expect.for_browser(Browser::Firefox);
    assert_eq!(chrome.outcome, Some(cors_engine::Outcome::Blocked));
    assert_eq!(firefox.outcome, Some(cors_engine::Outcome::Allowed));
    assert_eq!(firefox.preflight, Some(false));
}

#[test]
fn every_shipped_case_loads() {
    let loaded = load_paths(&[cases_root()]);
    assert!(loaded.len() >= 12, "only {} cases", loaded.len());
    for entry in &loaded {
        if let Err(error) = &entry.result {
            panic!("{}: {error}", entry.id);
        }
        let case = entry.case().unwrap();
        assert!(!case.title.is_empty());
        assert!(!case.tags.is_empty(), "{} has no tags", case.id);
        assert!(!entry.id.contains('\\') && !entry.id.ends_with(".toml"));
    }
    let ids: Vec<&str> = loaded.iter().map(|e| e.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "deterministic order");
    assert!(ids.contains(&"s3/origin/trailing-slash"));
}

#[test]
fn ids_are_relative_to_the_marked_root_even_from_a_subfolder() {
    let sub = cases_root().join("s3/origin");
    let loaded = load_paths(&[sub]);
    assert!(
        loaded.iter().all(|e| e.id.starts_with("s3/origin/")),
        "{:?}",
        loaded.iter().map(|e| &e.id).collect::<Vec<_>>()
    );
    let root = cases_root_for(&cases_root().join("s3/origin/trailing-slash.toml"));
    assert_eq!(
        case_id(&cases_root().join("s3/origin/trailing-slash.toml"), &root),
        "s3/origin/trailing-slash"
    );
}

#[test]
fn one_broken_file_fails_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-good.toml"), MINIMAL).unwrap();
    std::fs::write(dir.path().join("b-bad.toml"), "title = \n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a case").unwrap();
    let loaded = load_paths(&[dir.path().to_path_buf(), dir.path().join("missing.toml")]);
    let summary: Vec<(&str, bool)> = loaded
        .iter()
        .map(|e| (e.id.as_str(), e.result.is_ok()))
        .collect();
    assert_eq!(summary.len(), 3, "{summary:?}");
    assert!(summary.contains(&("a-good", true)));
    assert!(summary.contains(&("b-bad", false)));
    assert!(
        loaded
            .iter()
            .any(|e| e.error().is_some_and(|err| err.message.contains("no such")))
    );
}

#[test]
fn the_xml_seed_case_reads_its_fixture() {
    let loaded = load_paths(&[cases_root().join("s3/xml/localhost-get-head.toml")]);
    let case = loaded[0].case().expect("loads");
    let cors = case.bucket().unwrap().cors.as_ref().unwrap();
    assert_eq!(cors.format, cors_engine::config::SourceFormat::Xml);
    assert_eq!(
        cors.config.rules[0].allowed_origins,
        vec!["http://localhost:8000"]
    );
    assert_eq!(case.requests[1].spec.method, "HEAD");
    assert!(matches!(case.server, CaseServer::Bucket(_)));
    assert_eq!(case.requests[0].spec.kind, RequestKind::Fetch);
}
