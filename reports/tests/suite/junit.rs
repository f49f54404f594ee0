use cors_reports::junit::to_junit;
use serde::Deserialize;

use crate::sample::{DIVERGE_CASE, EXPECTATION_CASE, INFRA_CASE, load_error_case, sample};

#[derive(Debug, Deserialize)]
struct Suites {
    #[serde(rename = "@tests")]
    tests: usize,
    #[serde(rename = "@failures")]
    failures: usize,
    #[serde(rename = "@errors")]
    errors: usize,
    #[serde(rename = "testsuite", default)]
    suites: Vec<Suite>,
}

#[derive(Debug, Deserialize)]
struct Suite {
    #[serde(rename = "@name")]
    name: String,
    #[serde(rename = "@tests")]
    tests: usize,
    #[serde(rename = "@failures")]
    failures: usize,
    #[serde(rename = "@errors")]
    errors: usize,
    properties: Properties,
    #[serde(rename = "testcase", default)]
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Properties {
    property: Vec<Property>,
}

#[derive(Debug, Deserialize)]
struct Property {
    #[serde(rename = "@name")]
    name: String,
    #[serde(rename = "@value")]
    value: String,
}

#[derive(Debug, Deserialize)]
struct Case {
    #[serde(rename = "@name")]
    name: String,
    #[serde(rename = "@classname")]
    classname: String,
    #[serde(rename = "@time")]
    time: Option<String>,
    failure: Option<Problem>,
    error: Option<Problem>,
}

#[derive(Debug, Deserialize)]
struct Problem {
    #[serde(rename = "@message")]
    message: String,
    #[serde(rename = "@type")]
    kind: String,
    #[serde(rename = "$text", default)]
    text: String,
}

fn parse(xml: &str) -> Suites {
    quick_xml::de::from_str(xml).unwrap_or_else(|e| panic!("junit.xml does not parse: {e}\n{xml}"))
}

fn suite<'a>(suites: &'a Suites, name: &str) -> &'a Suite {
    suites
        .suites
        .iter()
        .find(|s| s.name == name)
        .expect("suite exists")
}

#[test]
fn one_suite_per_browser_with_counts() {
    let suites = parse(&to_junit(&sample()).unwrap());
    assert_eq!((suites.tests, suites.failures, suites.errors), (8, 2, 1));
    let names: Vec<&str> = suites.suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["chrome", "firefox"]);
    let chrome = suite(&suites, "chrome");
    assert_eq!((chrome.tests, chrome.failures, chrome.errors), (4, 1, 0));
    let firefox = suite(&suites, "firefox");
    assert_eq!((firefox.tests, firefox.failures, firefox.errors), (4, 1, 1));
    assert!(
        firefox
            .cases
            .iter()
            .all(|c| c.classname == "firefox" && c.time.is_some())
    );
}

#[test]
fn suites_carry_browser_versions() {
    let suites = parse(&to_junit(&sample()).unwrap());
    let version = |name| {
        suite(&suites, name)
            .properties
            .property
            .iter()
            .find(|p| p.name == "browser.version")
            .map(|p| p.value.clone())
    };
    assert_eq!(version("chrome").as_deref(), Some("142.0.7444.175"));
    assert_eq!(version("firefox").as_deref(), Some("140.5.0esr"));
}

#[test]
fn a_divergence_is_a_failure_naming_fields_values_and_explanation() {
    let suites = parse(&to_junit(&sample()).unwrap());
    let case = suite(&suites, "chrome")
        .cases
        .iter()
        .find(|c| c.name == DIVERGE_CASE)
        .unwrap();
    let failure = case.failure.as_ref().expect("a <failure>");
    assert_eq!(failure.kind, "diverge");
    assert!(failure.message.contains("outcome"), "{}", failure.message);
    assert!(failure.message.contains("status"), "{}", failure.message);
    assert!(
        failure
            .text
            .contains("outcome: predicted blocked, observed allowed"),
        "{}",
        failure.text
    );
    assert!(
        failure
            .text
            .contains("PUT is not in Access-Control-Allow-Methods: GET"),
        "{}",
        failure.text
    );
}

#[test]
fn expectation_failures_fail_and_infrastructure_errors_error() {
    let suites = parse(&to_junit(&sample()).unwrap());
    let firefox = suite(&suites, "firefox");
    let expectation = firefox
        .cases
        .iter()
        .find(|c| c.name == EXPECTATION_CASE)
        .unwrap();
    let failure = expectation.failure.as_ref().unwrap();
    assert_eq!(failure.kind, "expectation-failed");
    assert!(failure.message.contains("readable.etag"));
    let infra = firefox.cases.iter().find(|c| c.name == INFRA_CASE).unwrap();
    assert!(infra.failure.is_none());
    let error = infra.error.as_ref().unwrap();
    assert_eq!(error.kind, "infrastructure-error");
    assert!(
        error.message.contains("after 2 attempts: geckodriver"),
        "{}",
        error.message
    );
}

#[test]
fn a_case_that_did_not_load_is_an_error_in_every_browser() {
    let mut report = sample();
    report.cases.push(load_error_case("broken/no-page-origin"));
    let suites = parse(&to_junit(&report).unwrap());
    assert_eq!((suites.tests, suites.failures, suites.errors), (10, 2, 3));
    for s in &suites.suites {
        let case = s
            .cases
            .iter()
            .find(|c| c.name == "broken/no-page-origin")
            .unwrap();
        let error = case.error.as_ref().unwrap();
        assert_eq!(error.kind, "load-error");
        assert!(error.message.contains("missing field `origin`"));
    }
}
