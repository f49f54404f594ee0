//! Markdown for a CI job summary (GitHub's `$GITHUB_STEP_SUMMARY` renders it): totals per browser,
//! then each divergence folded in a `<details>` block.
//!
//! Everything that comes from a case file or a browser is escaped: a title with `|` must not break
//! the table, and one with `<script>` must stay text.

use std::fmt::Write as _;

use crate::baseline::{BaselineDiff, Change};
use crate::model::{CaseBrowserReport, RunReport, Verdict};
use crate::text;

/// Divergences shown in full; the rest are counted. GitHub truncates a job summary above 1 MiB,
/// and a few dozen explanations are as many as anyone reads there.
const MAX_DETAILED_DIVERGENCES: usize = 40;

/// The run's summary.
pub fn summary(report: &RunReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", inline(&text::final_line(report)));
    let _ = writeln!(out, "Started {}.\n", inline(&report.started_at));
    totals_table(&mut out, report);
    divergences(&mut out, report);
    bulleted(
        &mut out,
        report,
        Verdict::ExpectationFailed,
        "Expectation failures",
        |r| r.expectation_failures.join("; "),
    );
    bulleted(
        &mut out,
        report,
        Verdict::InfrastructureError,
        "Infrastructure errors",
        |r| r.infrastructure_error.clone().unwrap_or_default(),
    );
    let load_errors: Vec<_> = report
        .cases
        .iter()
        .filter_map(|c| Some((c, c.load_error.as_deref()?)))
        .collect();
    if !load_errors.is_empty() {
        let _ = writeln!(out, "### Load errors ({})\n", load_errors.len());
        for (case, error) in load_errors {
            let _ = writeln!(
                out,
                "- {} ({}): {}",
                code(&case.id),
                code(&case.file),
                inline(error)
            );
        }
        out.push('\n');
    }
    out
}

fn totals_table(out: &mut String, report: &RunReport) {
    out.push_str(
        "| browser | version | agree | diverge | expectation failed | infrastructure error | load error | time |\n",
    );
    out.push_str("|---|---|--:|--:|--:|--:|--:|--:|\n");
    for browser in report.run_browsers() {
        let info = report.browser_info(browser);
        let version = info.map(|i| i.version.as_str()).filter(|v| !v.is_empty());
        let totals = report.totals_in(browser);
        let _ = write!(
            out,
            "| {browser} | {} |",
            version.map(inline).unwrap_or_else(|| "(no session)".into())
        );
        for verdict in Verdict::ALL {
            let _ = write!(out, " {} |", totals.count(verdict));
        }
        let time = info
            .map(|i| text::duration(i.duration_ms))
            .unwrap_or_default();
        let _ = writeln!(out, " {time} |");
    }
    out.push('\n');
}

fn divergences(out: &mut String, report: &RunReport) {
    let runs: Vec<_> = report
        .case_runs()
        .into_iter()
        .filter(|r| r.verdict == Verdict::Diverge)
        .filter_map(|r| Some((r, r.result?)))
        .collect();
    if runs.is_empty() {
        return;
    }
    let _ = writeln!(out, "### Divergences ({})\n", runs.len());
    let hidden = runs.len().saturating_sub(MAX_DETAILED_DIVERGENCES);
    for (run, result) in runs.into_iter().take(MAX_DETAILED_DIVERGENCES) {
        let _ = writeln!(
            out,
            "<details><summary><code>{}</code> in {}: {}</summary>\n",
            html(&run.case.id),
            run.browser,
            html(&text::differing_fields(result))
        );
        let _ = writeln!(out, "{}\n", inline(&run.case.title));
        divergence_body(out, result);
        out.push_str("</details>\n\n");
    }
    if hidden > 0 {
        let _ = writeln!(
            out,
            "…and {hidden} more divergences; `report.html` and `report.json` have them all.\n"
        );
    }
}

fn divergence_body(out: &mut String, result: &CaseBrowserReport) {
    for (i, request) in result.requests.iter().enumerate() {
        if request.differences.is_empty() {
            continue;
        }
        let _ = writeln!(out, "Request {}: {}\n", i + 1, code(&request.label));
        out.push_str("| field | predicted | observed |\n|---|---|---|\n");
        for d in &request.differences {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                code(&d.field),
                code(&text::value(&d.predicted)),
                code(&text::value(&d.observed))
            );
        }
        out.push('\n');
        let explanation = request.explanation.to_string();
        if !explanation.is_empty() {
            let _ = writeln!(out, "Explanation:\n\n{}", fenced(&explanation));
        }
    }
}

fn bulleted(
    out: &mut String,
    report: &RunReport,
    verdict: Verdict,
    heading: &str,
    message: impl Fn(&CaseBrowserReport) -> String,
) {
    let runs: Vec<_> = report
        .case_runs()
        .into_iter()
        .filter(|r| r.verdict == verdict)
        .filter_map(|r| Some((r, r.result?)))
        .collect();
    if runs.is_empty() {
        return;
    }
    let _ = writeln!(out, "### {heading} ({})\n", runs.len());
    for (run, result) in runs {
        let _ = writeln!(
            out,
            "- {} in {}: {}",
            code(&run.case.id),
            run.browser,
            inline(&message(result))
        );
    }
    out.push('\n');
}

/// The comparison with a baseline, for the same job summary.
pub fn baseline(diff: &BaselineDiff) -> String {
    let mut out = format!("### Baseline: {}\n\n", inline(&diff.counts_phrase()));
    let changed: Vec<_> = diff
        .entries
        .iter()
        .filter(|e| e.change != Change::Unchanged)
        .collect();
    if !changed.is_empty() {
        out.push_str("| change | case | browser | verdict | browser version changed |\n");
        out.push_str("|---|---|---|---|---|\n");
        for entry in changed {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                entry.change.as_str(),
                code(&entry.case_id),
                entry.browser,
                inline(&entry.verdicts()),
                if entry.browser_version_changed {
                    "yes"
                } else {
                    ""
                }
            );
        }
        out.push('\n');
    }
    for change in &diff.browser_versions {
        let _ = writeln!(
            out,
            "- {} changed from {} to {}",
            change.browser,
            code(&change.baseline),
            code(&change.current)
        );
    }
    out
}

/// Escapes text for HTML contexts inside Markdown (`<summary>`, `<code>`).
fn html(s: &str) -> String {
    crate::html::escape(s)
}

/// Text in running Markdown or a table cell: HTML-escaped, Markdown punctuation and line breaks
/// neutralised.
pub(crate) fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An inline code span. `<code>` (not backticks) so that `|` can be escaped inside a table and
/// backticks in the text need no special fence; Markdown still parses between the tags, hence
/// [`inline`] escaping.
fn code(s: &str) -> String {
    format!("<code>{}</code>", inline(s))
}

/// A fenced code block whose fence is longer than any backtick run inside.
fn fenced(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{}\n{fence}\n", s.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_text_cannot_break_a_table_or_inject_html() {
        assert_eq!(
            inline("a|b <script>*x*</script>"),
            "a\\|b &lt;script&gt;\\*x\\*&lt;/script&gt;"
        );
    }

    #[test]
    fn code_spans_escape_pipes_and_markup() {
        assert_eq!(code("<a|b>"), "<code>&lt;a\\|b&gt;</code>");
    }

    #[test]
    fn fences_outgrow_backtick_runs() {
        assert_eq!(fenced("x ```` y"), "`````text\nx ```` y\n`````\n");
        assert_eq!(fenced("plain"), "```text\nplain\n```\n");
    }
}
