//! The summary printed at the end of `cors-harness run`: counts per browser, then everything that
//! needs a person's attention, then one final line.

use std::fmt::Write as _;

use crate::baseline::{BaselineDiff, Change};
use crate::model::{CaseBrowserReport, RequestReport, RunReport, Verdict};
use crate::text;

/// ANSI styling that collapses to nothing when colour is off.
#[derive(Clone, Copy)]
struct Style {
    color: bool,
}

impl Style {
    fn paint(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn bold(self, s: &str) -> String {
        self.paint("1", s)
    }

    fn dim(self, s: &str) -> String {
        self.paint("2", s)
    }

    fn verdict(self, verdict: Verdict, s: &str) -> String {
        let code = match verdict {
            Verdict::Agree => "32",
            Verdict::Diverge => "1;31",
            Verdict::ExpectationFailed => "1;33",
            Verdict::InfrastructureError => "1;35",
            Verdict::LoadError => "1;31",
        };
        self.paint(code, s)
    }
}

/// The end-of-run summary; `color` adds ANSI colours.
pub fn summary(report: &RunReport, color: bool) -> String {
    let style = Style { color };
    let mut out = String::new();
    browser_lines(&mut out, report);
    for run in report.case_runs() {
        let Some(result) = run.result else { continue };
        let heading = match run.verdict {
            Verdict::Agree | Verdict::LoadError => continue,
            Verdict::Diverge => "DIVERGE",
            Verdict::ExpectationFailed => "EXPECTATION FAILED",
            Verdict::InfrastructureError => "INFRASTRUCTURE ERROR",
        };
        let _ = writeln!(
            out,
            "\n{}  {}  [{}]  {}",
            style.verdict(run.verdict, heading),
            style.bold(&run.case.id),
            run.browser,
            style.dim(&run.case.title)
        );
        match run.verdict {
            Verdict::Diverge => divergence(&mut out, result, style),
            Verdict::ExpectationFailed => {
                for failure in &result.expectation_failures {
                    let _ = writeln!(out, "  {failure}");
                }
            }
            _ => {
                let _ = writeln!(
                    out,
                    "  {} (after {} attempt{})",
                    result
                        .infrastructure_error
                        .as_deref()
                        .unwrap_or("unknown error"),
                    result.attempts,
                    if result.attempts == 1 { "" } else { "s" }
                );
            }
        }
    }
    for case in report.cases.iter() {
        if let Some(error) = &case.load_error {
            let _ = writeln!(
                out,
                "\n{}  {}  ({})\n  {error}",
                style.verdict(Verdict::LoadError, "LOAD ERROR"),
                style.bold(&case.id),
                case.file
            );
        }
    }
    let code = report.exit_code();
    let line = text::final_line(report);
    let line = match code {
        0 => style.paint("1;32", &line),
        1 => style.paint("1;31", &line),
        _ => style.paint("1;35", &line),
    };
    let _ = writeln!(out, "\n{line}");
    out
}

fn browser_lines(out: &mut String, report: &RunReport) {
    let browsers = report.run_browsers();
    let rows: Vec<[String; 4]> = browsers
        .iter()
        .map(|&browser| {
            let info = report.browser_info(browser);
            let version = info
                .map(|i| i.version.as_str())
                .filter(|v| !v.is_empty())
                .unwrap_or("(no session)");
            let time = info
                .map(|i| text::duration(i.duration_ms))
                .unwrap_or_default();
            [
                browser.to_string(),
                version.to_string(),
                text::totals_phrase(&report.totals_in(browser)),
                time,
            ]
        })
        .collect();
    let width = |col: usize| rows.iter().map(|r| r[col].len()).max().unwrap_or(0);
    let (w0, w1, w2) = (width(0), width(1), width(2));
    for [name, version, totals, time] in rows {
        let line = format!("{name:<w0$}  {version:<w1$}  {totals:<w2$}  {time}");
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

fn divergence(out: &mut String, result: &CaseBrowserReport, style: Style) {
    for (i, request) in result.requests.iter().enumerate() {
        if request.differences.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  request {}: {}", i + 1, request.label);
        let width = request
            .differences
            .iter()
            .map(|d| d.field.len())
            .max()
            .unwrap_or(0);
        for d in &request.differences {
            let _ = writeln!(
                out,
                "    {:<width$}  predicted {}, observed {}",
                d.field,
                style.bold(&text::value(&d.predicted)),
                style.bold(&text::value(&d.observed)),
            );
        }
        explanation(out, request, style);
    }
}

/// The explanation's failing steps, or, when the engine saw nothing fail, its whole trace: the
/// reader needs to know why the engine let the request through.
fn explanation(out: &mut String, request: &RequestReport, style: Style) {
    let failing: Vec<_> = text::failing_steps(&request.explanation).collect();
    let (heading, steps) = if failing.is_empty() {
        (
            "engine's explanation:",
            request.explanation.steps().iter().collect(),
        )
    } else {
        ("engine's failing steps:", failing)
    };
    if steps.is_empty() {
        return;
    }
    let _ = writeln!(out, "    {}", style.dim(heading));
    for step in steps {
        let _ = writeln!(out, "      {:<7} {}", text::actor(step), step.text);
    }
    let console = request.observed.as_ref().and_then(|o| o.reason.as_ref());
    if let Some(console) = console.and_then(|r| r.console.as_deref()) {
        let _ = writeln!(out, "    {} {console}", style.dim("browser console:"));
    }
}

/// The comparison with a baseline: every entry that is not unchanged, then the counts.
pub fn baseline(diff: &BaselineDiff, color: bool) -> String {
    let style = Style { color };
    let mut out = String::new();
    for entry in diff
        .entries
        .iter()
        .filter(|e| e.change != Change::Unchanged)
    {
        let label = match entry.change {
            Change::Regression => style.paint("1;31", "REGRESSION"),
            Change::Fixed => style.paint("1;32", "FIXED"),
            Change::Changed => style.paint("1;33", "CHANGED"),
            Change::New => style.paint("36", "NEW"),
            Change::Removed => style.dim("REMOVED"),
            Change::Unchanged => unreachable!("filtered out above"),
        };
        let _ = writeln!(
            out,
            "{label}  {}  [{}]  {}",
            style.bold(&entry.case_id),
            entry.browser,
            entry.verdicts()
        );
    }
    for change in &diff.browser_versions {
        let _ = writeln!(
            out,
            "{}  {} {} -> {}",
            style.paint("33", "BROWSER VERSION"),
            change.browser,
            change.baseline,
            change.current
        );
    }
    let _ = writeln!(out, "baseline: {}", diff.counts_phrase());
    out
}
