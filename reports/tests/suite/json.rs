use cors_reports::{ReportError, SCHEMA_VERSION, from_json, to_json};

use crate::sample::{DIVERGE_CASE, sample};

#[test]
fn json_round_trips_the_whole_report() {
    let report = sample();
    let text = to_json(&report);
    assert!(text.ends_with('\n'));
    assert_eq!(from_json(&text).unwrap(), report);
}

#[test]
fn json_names_fields_as_documented() {
    let value: serde_json::Value = serde_json::from_str(&to_json(&sample())).unwrap();
    assert_eq!(value["schema_version"], SCHEMA_VERSION);
    let diverge = value["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == DIVERGE_CASE)
        .unwrap();
    let chrome = &diverge["browsers"][0];
    assert_eq!(chrome["browser"], "chrome");
    assert_eq!(chrome["verdict"], "diverge");
    let request = &chrome["requests"][0];
    assert_eq!(request["predicted"]["outcome"], "blocked");
    assert_eq!(request["observed"]["outcome"], "allowed");
    assert_eq!(request["differences"][0]["field"], "outcome");
    assert_eq!(request["explanation"][2]["verdict"], "fail");
}

#[test]
fn a_newer_schema_is_refused_by_name() {
    let mut value: serde_json::Value = serde_json::from_str(&to_json(&sample())).unwrap();
    value["schema_version"] = (SCHEMA_VERSION + 1).into();
    let err = from_json(&value.to_string()).unwrap_err();
    assert!(
        matches!(err, ReportError::UnsupportedSchema { found, .. } if found == SCHEMA_VERSION + 1),
        "{err}"
    );
}

#[test]
fn text_that_is_not_a_report_is_an_error() {
    assert!(matches!(
        from_json("{\"cases\": []}"),
        Err(ReportError::Json(_))
    ));
    assert!(matches!(from_json("not json"), Err(ReportError::Json(_))));
}

/// The example in docs/run-json.md is a real report this version reads.
#[test]
fn documented_example_parses() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/run-json.md"))
        .expect("docs/run-json.md exists");
    let start = doc
        .find("```json\n")
        .expect("the doc has a ```json example")
        + "```json\n".len();
    let end = start + doc[start..].find("\n```").expect("the example is closed");
    let report = from_json(&doc[start..end]).expect("the documented example parses");
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(!report.cases.is_empty());
}
