use std::path::Path;
use std::process::Command;

use cors_reports::html::to_html;

use crate::sample::{AGREE_CASE, DIVERGE_CASE, case_mut, sample};

const HOSTILE_TITLE: &str = "<script>document.title='injected'</script> & </script><!--";

fn hostile_sample() -> cors_reports::RunReport {
    let mut report = sample();
    case_mut(&mut report, AGREE_CASE).title = HOSTILE_TITLE.into();
    report
}

#[test]
fn page_is_self_contained() {
    let html = to_html(&sample());
    assert!(html.starts_with("<!DOCTYPE html>"));
    for external in ["<link", "src=", "http-equiv", "@import", "url("] {
        assert!(
            !html.contains(external),
            "page loads something from outside: {external}"
        );
    }
    assert!(html.contains("<script type=\"application/json\" id=\"report-data\">"));
}

#[test]
fn report_text_never_becomes_markup() {
    let html = to_html(&hostile_sample());
    assert!(
        !html.contains("<script>document.title"),
        "title leaked as markup"
    );
    assert!(
        !html.contains("<!--"),
        "a comment opener would change script parsing"
    );
    // Only the page's own two script elements close.
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(html.contains("\\u003cscript\\u003edocument.title"));
}

#[test]
fn header_shows_versions_and_totals() {
    let html = to_html(&sample());
    assert!(html.contains("142.0.7444.175"));
    assert!(html.contains("140.5.0esr"));
    assert!(html.contains(
        "cors-harness: 8 case-runs, 5 agree, 1 diverge, 1 expectation failure, 1 infrastructure error in 14.2 s"
    ));
}

/// Chromium's DOM after the page's script ran, with the diverging Chrome cell opened.
fn rendered_dom(html: &str, hash: &str) -> String {
    let chromium = Path::new("/usr/bin/chromium");
    assert!(
        chromium.exists(),
        "headless Chromium is needed to render the HTML report: `bash ci/install.sh` installs it"
    );
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, html).unwrap();
    let profile = dir.path().join("profile");
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}{hash}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        dom.contains("<html"),
        "chromium printed no DOM: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    dom
}

#[test]
fn chromium_renders_matrix_filters_and_detail() {
    let hash = format!("#case={}&browser=chrome", DIVERGE_CASE.replace('/', "%2F"));
    let dom = rendered_dom(&to_html(&hostile_sample()), &hash);

    // The matrix: 4 cases × 2 browsers, coloured by verdict.
    assert_eq!(dom.matches("<tr class=\"case-row\"").count(), 4, "{dom}");
    assert_eq!(dom.matches("<td class=\"cell v-").count(), 8);
    assert_eq!(dom.matches("<td class=\"cell v-agree").count(), 5);
    assert_eq!(dom.matches("<td class=\"cell v-diverge").count(), 1);
    assert_eq!(
        dom.matches("<td class=\"cell v-expectation-failed").count(),
        1
    );
    assert_eq!(
        dom.matches("<td class=\"cell v-infrastructure-error")
            .count(),
        1
    );
    assert!(dom.contains(&format!("data-case-id=\"{DIVERGE_CASE}\"")));

    // Filters are there and counted what they show.
    assert!(dom.contains("id=\"filter-text\""));
    assert_eq!(dom.matches("<input type=\"checkbox\"").count(), 5);
    assert!(dom.contains("<option value=\"firefox\">firefox</option>"));
    assert!(dom.contains("showing 4 of 4 cases"));

    // The detail panel opened from the URL, with the difference on `outcome` highlighted.
    assert!(
        !dom.contains("<aside id=\"detail\" hidden"),
        "detail panel stayed closed"
    );
    assert!(dom.contains("<td class=\"cell v-diverge selected\""));
    assert!(dom.contains("<tr class=\"differs\" data-field=\"outcome\"><td><code>outcome</code></td><td>blocked</td><td>allowed</td></tr>"));
    assert!(
        dom.contains("<tr data-field=\"preflight\">"),
        "agreeing fields are not highlighted"
    );
    assert!(dom.contains("method-not-allowed"));
    assert!(dom.contains("Access-Control-Request-Method: PUT"));
    assert!(dom.contains("PUT is not in Access-Control-Allow-Methods: GET"));

    // The hostile title is text, and its script never ran.
    assert!(dom.contains("&lt;script&gt;document.title='injected'&lt;/script&gt;"));
    assert!(!dom.contains("<title>injected"));
}

#[test]
fn chromium_applies_filters_from_the_url() {
    let html = to_html(&sample());

    let dom = rendered_dom(&html, "#q=ETAG");
    assert!(
        dom.contains("showing 1 of 4 cases"),
        "text filter on the title"
    );
    assert_eq!(dom.matches("<tr class=\"case-row\" ").count(), 1);
    assert_eq!(dom.matches("<tr class=\"case-row hidden\"").count(), 3);

    let dom = rendered_dom(&html, "#q=credentials");
    assert!(dom.contains("showing 1 of 4 cases"), "text filter on a tag");

    let dom = rendered_dom(&html, "#verdicts=diverge,infrastructure-error&only=firefox");
    assert!(
        dom.contains("showing 1 of 4 cases"),
        "only the infrastructure error is left"
    );
    assert!(dom.contains("<th data-browser=\"chrome\" class=\"hidden\">"));
    assert!(dom.contains("<td class=\"cell v-infrastructure-error\" data-browser=\"firefox\""));
}
