//! How a target's answer differs from S3's: one [`ServerDeviation`] (a report type) per
//! difference, named by [`DeviationKind`].
//!
//! A response is compared on what the CORS protocol and S3's error contract make observable:
//! the status, each `Access-Control-*` header (missing, extra, different value — values are
//! compared exactly, since S3's exact text is the reference), whether `Vary` is present, and
//! the error `Code`. Other headers and bodies are the server's own business.

use std::collections::BTreeSet;

use cors_engine::HeaderList;
use cors_reports::target::{DeviationKind, ServerDeviation};

/// The parts of one answer that are compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparedAnswer {
    pub status: u16,
    /// Every header line; only the CORS ones are looked at.
    pub headers: HeaderList,
    pub error_code: Option<String>,
}

/// Where a comparison happens, for the deviations it produces.
#[derive(Debug, Clone)]
pub struct ExchangeRef<'a> {
    pub case_id: &'a str,
    pub request_index: usize,
    pub exchange: &'a str,
}

/// The differences between S3's answer (`expected`) and the target's (`actual`), status first,
/// then headers in name order, then `Vary`, then the error code.
pub fn compare_answers(
    at: &ExchangeRef<'_>,
    expected: &ComparedAnswer,
    actual: &ComparedAnswer,
) -> Vec<ServerDeviation> {
    let mut out = Vec::new();
    let mut push =
        |kind, header: Option<&str>, expected: Option<String>, actual: Option<String>| {
            out.push(ServerDeviation {
                case_id: at.case_id.to_owned(),
                request_index: Some(at.request_index),
                exchange: at.exchange.to_owned(),
                kind,
                header: header.map(str::to_owned),
                expected,
                actual,
            });
        };
    if expected.status != actual.status {
        push(
            DeviationKind::Status,
            None,
            Some(expected.status.to_string()),
            Some(actual.status.to_string()),
        );
    }
    let names: BTreeSet<String> = access_control_names(&expected.headers)
        .chain(access_control_names(&actual.headers))
        .collect();
    for name in &names {
        let wanted = expected.headers.get_combined(name);
        let got = actual.headers.get_combined(name);
        let kind = match (&wanted, &got) {
            (Some(_), None) => DeviationKind::HeaderMissing,
            (None, Some(_)) => DeviationKind::HeaderExtra,
            (Some(w), Some(g)) if w != g => DeviationKind::HeaderValue,
            _ => continue,
        };
        push(kind, Some(&canonical_name(name)), wanted, got);
    }
    let wanted_vary = expected.headers.get_combined("vary");
    let got_vary = actual.headers.get_combined("vary");
    if wanted_vary.is_some() != got_vary.is_some() {
        push(DeviationKind::Vary, Some("Vary"), wanted_vary, got_vary);
    }
    let is_error = |answer: &ComparedAnswer| answer.status >= 300;
    if is_error(expected) && is_error(actual) && expected.error_code != actual.error_code {
        push(
            DeviationKind::ErrorCode,
            None,
            expected.error_code.clone(),
            actual.error_code.clone(),
        );
    }
    out
}

/// S3's answer to PutBucketCors (`None`: accepted; `Some(code)`: rejected with that code) against
/// the target's; at most one deviation.
pub fn compare_config(
    case_id: &str,
    expected_rejection: Option<&str>,
    actual_rejection: Option<&str>,
) -> Option<ServerDeviation> {
    let kind = match (expected_rejection, actual_rejection) {
        (None, None) => return None,
        (Some(_), None) => DeviationKind::ConfigAccepted,
        (None, Some(_)) => DeviationKind::ConfigRejected,
        (Some(e), Some(a)) if e == a => return None,
        (Some(_), Some(_)) => DeviationKind::ConfigErrorCode,
    };
    Some(ServerDeviation {
        case_id: case_id.to_owned(),
        request_index: None,
        exchange: "PUT ?cors".to_owned(),
        kind,
        header: None,
        expected: Some(expected_rejection.unwrap_or("accepted").to_owned()),
        actual: Some(actual_rejection.unwrap_or("accepted").to_owned()),
    })
}

/// The lower-cased `Access-Control-*` names of a header list.
fn access_control_names(headers: &HeaderList) -> impl Iterator<Item = String> + '_ {
    headers
        .iter()
        .map(|(name, _)| name.to_ascii_lowercase())
        .filter(|name| name.starts_with("access-control-"))
}

/// `access-control-allow-origin` → `Access-Control-Allow-Origin`, for readable tables.
fn canonical_name(lower: &str) -> String {
    lower
        .split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn answer(status: u16, headers: &[(&str, &str)], code: Option<&str>) -> ComparedAnswer {
        ComparedAnswer {
            status,
            headers: headers.iter().copied().collect(),
            error_code: code.map(str::to_owned),
        }
    }

    fn kinds(
        expected: &ComparedAnswer,
        actual: &ComparedAnswer,
    ) -> Vec<(DeviationKind, Option<String>)> {
        let at = ExchangeRef {
            case_id: "c",
            request_index: 1,
            exchange: "OPTIONS http://b/k",
        };
        compare_answers(&at, expected, actual)
            .into_iter()
            .map(|d| (d.kind, d.header))
            .collect()
    }

    const VARY: &str = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

    #[test]
    fn identical_answers_have_no_deviation_and_header_case_does_not_matter() {
        let s3 = answer(
            200,
            &[("Access-Control-Allow-Origin", "*"), ("Vary", VARY)],
            None,
        );
        let target = answer(
            200,
            &[("access-control-allow-origin", "*"), ("vary", "Origin")],
            None,
        );
        assert!(kinds(&s3, &target).is_empty());
    }

    // s3-cors-facts §3.2: the ACAO value is `*` for a `*` rule; s3rver answers `*` always, so
    // an echoed origin against `*` is a value deviation.
    #[rstest]
    #[case::s3_3_2_value_differs(
        &[("Access-Control-Allow-Origin", "https://a.example")],
        &[("Access-Control-Allow-Origin", "*")],
        DeviationKind::HeaderValue
    )]
    // §4: S3 sends Allow-Credentials only with an echoed origin; an extra one is a deviation.
    #[case::s3_4_credentials_extra(
        &[],
        &[("Access-Control-Allow-Credentials", "true")],
        DeviationKind::HeaderExtra
    )]
    // §3.2: Allow-Methods is always on a successful preflight.
    #[case::s3_3_2_methods_missing(
        &[("Access-Control-Allow-Methods", "GET, PUT")],
        &[],
        DeviationKind::HeaderMissing
    )]
    fn cors_headers_are_compared_by_name_and_value(
        #[case] s3: &[(&str, &str)],
        #[case] target: &[(&str, &str)],
        #[case] kind: DeviationKind,
    ) {
        let found = kinds(&answer(200, s3, None), &answer(200, target, None));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, kind);
    }

    // §3.1 step 5 and §3.3: a refused preflight is 403 AccessForbidden without CORS headers or
    // Vary; a 200 with ACAO and Vary differs in status, header and Vary.
    #[test]
    fn a_permissive_answer_to_a_refused_preflight_lists_status_header_and_vary() {
        let s3 = answer(403, &[], Some("AccessForbidden"));
        let target = answer(
            200,
            &[("Access-Control-Allow-Origin", "*"), ("Vary", "Origin")],
            None,
        );
        assert_eq!(
            kinds(&s3, &target),
            [
                (DeviationKind::Status, None),
                (
                    DeviationKind::HeaderExtra,
                    Some("Access-Control-Allow-Origin".to_owned())
                ),
                (DeviationKind::Vary, Some("Vary".to_owned())),
            ]
        );
    }

    // §3.1 steps 2–3: both refuse, but with another code.
    #[test]
    fn error_codes_are_compared_when_both_sides_fail() {
        let s3 = answer(403, &[], Some("AccessForbidden"));
        let target = answer(403, &[], Some("AccessDenied"));
        assert_eq!(kinds(&s3, &target), [(DeviationKind::ErrorCode, None)]);
        let ok = answer(200, &[], None);
        assert!(kinds(&ok, &answer(200, &[], Some("Ignored"))).is_empty());
    }

    // §1.2: PutBucketCors validation; the target must refuse what S3 refuses, with S3's code.
    #[rstest]
    #[case::both_accept(None, None, None)]
    #[case::s3_1_2_target_accepts_invalid(
        Some("InvalidRequest"),
        None,
        Some(DeviationKind::ConfigAccepted)
    )]
    #[case::target_rejects_valid(None, Some("MalformedXML"), Some(DeviationKind::ConfigRejected))]
    #[case::s3_1_2_other_code(
        Some("InvalidRequest"),
        Some("MalformedXML"),
        Some(DeviationKind::ConfigErrorCode)
    )]
    #[case::same_code(Some("MalformedXML"), Some("MalformedXML"), None)]
    fn configuration_answers(
        #[case] s3: Option<&str>,
        #[case] target: Option<&str>,
        #[case] kind: Option<DeviationKind>,
    ) {
        assert_eq!(compare_config("c", s3, target).map(|d| d.kind), kind);
    }
}
