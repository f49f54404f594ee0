//! A self-contained HTML report: one file with inline CSS and JavaScript, no network access.
//!
//! The header (run time, browser versions, totals) and the filter controls are rendered here; the
//! case × browser matrix and the detail panel are built in the page by `html/report.js` from the
//! report JSON embedded in a `<script type="application/json">` element, so the page and
//! `report.json` can never disagree. The page keeps its state in the URL fragment, so a view can
//! be linked to: `report.html#q=<text>&verdicts=diverge,expectation-failed&only=<browser>` sets the
//! filters and `#case=<id>&browser=<browser>` opens a cell's detail panel.

use std::fmt::Write as _;

use crate::model::{RunReport, SCHEMA_VERSION, Verdict};
use crate::text;

const STYLE: &str = include_str!("html/report.css");
const SCRIPT: &str = include_str!("html/report.js");

/// The report as one HTML page.
pub fn to_html(report: &RunReport) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"cors-harness\">\n\
         <title>cors-harness report {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        escape(&report.started_at)
    );
    header(&mut out, report);
    filters(&mut out, report);
    out.push_str(
        "<main>\n<div id=\"matrix-wrap\"><table id=\"matrix\"></table>\n\
         <noscript><p>The matrix is drawn by JavaScript; report.json holds the same data.</p></noscript>\n\
         </div>\n<aside id=\"detail\" hidden></aside>\n</main>\n",
    );
    let _ = write!(
        out,
        "<script type=\"application/json\" id=\"report-data\">{}</script>\n<script>\n{SCRIPT}</script>\n\
         </body>\n</html>\n",
        embedded_json(report)
    );
    out
}

fn header(out: &mut String, report: &RunReport) {
    let _ = writeln!(
        out,
        "<header>\n<h1>cors-harness run report</h1>\n\
         <p class=\"meta\">started {} \u{b7} took {} \u{b7} report schema v{SCHEMA_VERSION}</p>",
        escape(&report.started_at),
        escape(&text::duration(report.duration_ms)),
    );
    out.push_str(
        "<table class=\"totals\" id=\"totals\">\n<thead><tr><th>browser</th><th>version</th>",
    );
    for verdict in Verdict::ALL {
        let _ = write!(out, "<th>{}</th>", escape(verdict.label()));
    }
    out.push_str("<th>time</th></tr></thead>\n<tbody>\n");
    for browser in report.run_browsers() {
        let info = report.browser_info(browser);
        let version = info
            .map(|i| i.version.as_str())
            .filter(|v| !v.is_empty())
            .unwrap_or("no session");
        let _ = write!(
            out,
            "<tr data-browser=\"{browser}\"><td>{browser}</td><td class=\"version\">{}</td>",
            escape(version)
        );
        totals_cells(out, &report.totals_in(browser));
        let time = info
            .map(|i| text::duration(i.duration_ms))
            .unwrap_or_default();
        let _ = writeln!(out, "<td>{}</td></tr>", escape(&time));
    }
    out.push_str("<tr class=\"all\"><td>all</td><td class=\"version\"></td>");
    totals_cells(out, &report.totals());
    let _ = writeln!(
        out,
        "<td>{}</td></tr>\n</tbody>\n</table>",
        escape(&text::duration(report.duration_ms))
    );
    let _ = writeln!(
        out,
        "<p class=\"final-line\" id=\"final-line\">{}</p>\n</header>",
        escape(&text::final_line(report))
    );
}

fn totals_cells(out: &mut String, totals: &crate::Totals) {
    for verdict in Verdict::ALL {
        let n = totals.count(verdict);
        let nonzero = if n > 0 { " nonzero" } else { "" };
        let _ = write!(
            out,
            "<td class=\"v-{}{nonzero}\" data-verdict=\"{}\">{n}</td>",
            verdict.as_str(),
            verdict.as_str()
        );
    }
}

fn filters(out: &mut String, report: &RunReport) {
    out.push_str(
        "<section id=\"filters\">\n<label>filter <input type=\"search\" id=\"filter-text\" \
         placeholder=\"case id, title or tag\" autocomplete=\"off\"></label>\n\
         <fieldset id=\"filter-verdicts\"><legend>verdicts</legend>\n",
    );
    for verdict in Verdict::ALL {
        let _ = writeln!(
            out,
            "<label class=\"v-{v}\"><input type=\"checkbox\" value=\"{v}\" checked> {}</label>",
            escape(verdict.label()),
            v = verdict.as_str(),
        );
    }
    out.push_str(
        "</fieldset>\n<label>browser <select id=\"filter-browser\">\
         <option value=\"\">all browsers</option>",
    );
    for browser in report.run_browsers() {
        let _ = write!(out, "<option value=\"{browser}\">{browser}</option>");
    }
    out.push_str("</select></label>\n<span id=\"shown-count\"></span>\n</section>\n");
}

/// The report JSON, safe inside a `<script>` element: `<`, `>` and `&` only ever occur inside
/// JSON strings, where their `\u` escapes mean the same, so no `</script>` or `<!--` can appear.
fn embedded_json(report: &RunReport) -> String {
    let json = serde_json::to_string(report)
        .expect("a RunReport always serialises: every map key in it is a string");
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML element content and double- or single-quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("plain text"), "plain text");
    }
}
