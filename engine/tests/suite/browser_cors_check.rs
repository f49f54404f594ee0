//! The CORS check on actual responses (docs/facts/browser.md §2.1) and how each browser
//! classifies a failure (§2.2).

use cors_engine::browser::cors_check::check;
use cors_engine::browser::failure::Stage;
use cors_engine::scenario::{CredentialsMode, RequestSpec, Scenario};
use cors_engine::{Browser, Outcome, ReasonCode, predict};
use rstest::rstest;

use crate::support::{PAGE, answering, headers, literal, scenario};

fn verdict(browser: Browser, lines: &[(&str, &str)], include: bool) -> Result<(), ReasonCode> {
    check(
        browser.profile(),
        Stage::Actual,
        200,
        &headers(lines),
        PAGE,
        include,
    )
    .map_err(|f| f.code)
}

const ACAO: &str = "Access-Control-Allow-Origin";
const ACAC: &str = "Access-Control-Allow-Credentials";

// §2.1 consequences, confirmed in the lab in both browsers. Codes per §2.2 (Chrome, Firefox).
#[rstest]
#[case::s2_1_missing(&[], false, Err(ReasonCode::AllowOriginMissing), Err(ReasonCode::AllowOriginMissing))]
#[case::s2_1_exact_origin(&[(ACAO, PAGE)], false, Ok(()), Ok(()))]
#[case::s2_1_star(&[(ACAO, "*")], false, Ok(()), Ok(()))]
#[case::s2_1_trailing_slash(&[(ACAO, "http://127.0.0.1:8001/")], false, Err(ReasonCode::AllowOriginMismatch), Err(ReasonCode::AllowOriginMismatch))]
#[case::s2_1_uppercase(&[(ACAO, "HTTP://127.0.0.1:8001")], false, Err(ReasonCode::AllowOriginMismatch), Err(ReasonCode::AllowOriginMismatch))]
#[case::s2_1_null(&[(ACAO, "null")], false, Err(ReasonCode::AllowOriginMismatch), Err(ReasonCode::AllowOriginMismatch))]
#[case::s2_1_two_lines_same(&[(ACAO, PAGE), (ACAO, PAGE)], false, Err(ReasonCode::AllowOriginMultiple), Err(ReasonCode::AllowOriginMultiple))]
#[case::s2_1_list_in_one_line(&[(ACAO, "http://127.0.0.1:8001, http://x.test")], false, Err(ReasonCode::AllowOriginMultiple), Err(ReasonCode::AllowOriginMismatch))]
#[case::s2_1_spaces_trimmed(&[(ACAO, "  http://127.0.0.1:8001  ")], false, Ok(()), Ok(()))]
#[case::s2_1_star_spaces_trimmed(&[(ACAO, " * ")], false, Ok(()), Ok(()))]
#[case::s2_1_tab_trimmed(&[(ACAO, "\t*")], false, Ok(()), Ok(()))]
#[case::s2_1_star_with_include(&[(ACAO, "*"), (ACAC, "true")], true, Err(ReasonCode::WildcardOriginWithCredentials), Err(ReasonCode::WildcardOriginWithCredentials))]
#[case::s2_1_origin_without_acac(&[(ACAO, PAGE)], true, Err(ReasonCode::AllowCredentialsNotTrue), Err(ReasonCode::AllowCredentialsNotTrue))]
#[case::s2_1_acac_capital_true(&[(ACAO, PAGE), (ACAC, "True")], true, Err(ReasonCode::AllowCredentialsNotTrue), Err(ReasonCode::AllowCredentialsNotTrue))]
#[case::s2_1_acac_true(&[(ACAO, PAGE), (ACAC, "true")], true, Ok(()), Ok(()))]
#[case::s2_1_acac_spaces(&[(ACAO, PAGE), (ACAC, " true ")], true, Ok(()), Ok(()))]
#[case::s2_1_two_acac_lines(&[(ACAO, PAGE), (ACAC, "true"), (ACAC, "true")], true, Err(ReasonCode::AllowCredentialsNotTrue), Err(ReasonCode::AllowCredentialsNotTrue))]
#[case::s2_1_acac_ignored_without_include(&[(ACAO, "*"), (ACAC, "true")], false, Ok(()), Ok(()))]
#[case::s2_2_chrome_invalid_value(&[(ACAO, "127.0.0.1:8001")], false, Err(ReasonCode::AllowOriginInvalid), Err(ReasonCode::AllowOriginMismatch))]
#[case::s2_2_empty_value(&[(ACAO, "")], false, Err(ReasonCode::AllowOriginInvalid), Err(ReasonCode::AllowOriginMismatch))]
#[case::wpt_origin_double_star(&[(ACAO, "**")], false, Err(ReasonCode::AllowOriginInvalid), Err(ReasonCode::AllowOriginMismatch))]
#[case::wpt_origin_quoted_star(&[(ACAO, "\"*\"")], false, Err(ReasonCode::AllowOriginInvalid), Err(ReasonCode::AllowOriginMismatch))]
#[case::wpt_origin_explicit_port_80(&[(ACAO, "http://127.0.0.1:8001:80")], false, Err(ReasonCode::AllowOriginMismatch), Err(ReasonCode::AllowOriginMismatch))]
fn s2_cors_check_table(
    #[case] lines: &[(&str, &str)],
    #[case] include: bool,
    #[case] chrome: Result<(), ReasonCode>,
    #[case] firefox: Result<(), ReasonCode>,
) {
    assert_eq!(verdict(Browser::Chrome, lines, include), chrome, "chrome");
    assert_eq!(
        verdict(Browser::Firefox, lines, include),
        firefox,
        "firefox"
    );
}

fn raw_scenario(status: u16, lines: &[(&str, &str)], credentials: CredentialsMode) -> Scenario {
    let mut request = RequestSpec::fetch("http://127.0.0.1:8002/data");
    request.credentials = credentials;
    scenario(
        PAGE,
        answering(literal(status, lines, b"ok")),
        vec![request],
    )
}

// §2.1: the status of the actual response is irrelevant — a 500 with a valid ACAO is readable.
#[test]
fn s2_1_status_500_is_readable() {
    for browser in Browser::ALL {
        let p = predict(
            &raw_scenario(500, &[(ACAO, "*")], CredentialsMode::SameOrigin),
            browser,
        );
        let r = &p.requests[0].result;
        assert_eq!(
            (r.outcome, r.status, r.preflight),
            (Outcome::Allowed, Some(500), false)
        );
        assert!(r.reason.is_none());
    }
}

// §2.1: a simple GET without ACAO reaches the server (one wire exchange, Origin sent) and fails.
#[test]
fn s2_1_missing_acao_blocks_after_sending() {
    for browser in Browser::ALL {
        let p = predict(&raw_scenario(200, &[], CredentialsMode::Include), browser);
        let r = &p.requests[0].result;
        assert_eq!(r.outcome, Outcome::Blocked);
        assert_eq!(r.status, None);
        assert_eq!(r.wire.len(), 1);
        assert_eq!(r.wire[0].request_headers.get("origin"), Some(PAGE));
        assert_eq!(
            r.reason.as_ref().map(|r| r.code),
            Some(ReasonCode::AllowOriginMissing)
        );
        assert!(!p.requests[0].trace.steps().is_empty());
    }
}
