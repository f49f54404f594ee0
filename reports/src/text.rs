//! Plain-text pieces several renderers share: durations, counts, values and the one-line summary.

use cors_engine::Trace;
use cors_engine::trace::{StepVerdict, TraceStep};

use crate::model::{CaseBrowserReport, RunReport, Verdict};
use crate::runs::Totals;

/// `850 ms`, `14.2 s`, `3 min 05 s`.
pub(crate) fn duration(ms: u64) -> String {
    if ms < 1_000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1_000.0)
    } else {
        format!("{} min {:02} s", ms / 60_000, (ms % 60_000) / 1_000)
    }
}

/// `1 diverge`, `2 infrastructure errors`.
pub(crate) fn count(n: usize, verdict: Verdict) -> String {
    let noun = match (verdict, n == 1) {
        (Verdict::Agree, _) => "agree",
        (Verdict::Diverge, _) => "diverge",
        (Verdict::ExpectationFailed, true) => "expectation failure",
        (Verdict::ExpectationFailed, false) => "expectation failures",
        (Verdict::InfrastructureError, true) => "infrastructure error",
        (Verdict::InfrastructureError, false) => "infrastructure errors",
        (Verdict::LoadError, true) => "load error",
        (Verdict::LoadError, false) => "load errors",
    };
    format!("{n} {noun}")
}

/// `4 case-runs, 3 agree, 1 diverge`: agree always, the other verdicts when they occurred.
pub(crate) fn totals_phrase(totals: &Totals) -> String {
    let runs = totals.case_runs();
    let mut parts = vec![format!(
        "{runs} case-run{}",
        if runs == 1 { "" } else { "s" }
    )];
    for verdict in Verdict::ALL {
        let n = totals.count(verdict);
        if verdict == Verdict::Agree || n > 0 {
            parts.push(count(n, verdict));
        }
    }
    parts.join(", ")
}

/// `cors-harness: 212 case-runs, 210 agree, 1 diverge, 1 infrastructure error in 14.2 s`.
pub(crate) fn final_line(report: &RunReport) -> String {
    format!(
        "cors-harness: {} in {}",
        totals_phrase(&report.totals()),
        duration(report.duration_ms)
    )
}

/// A compared value as people read it: bare words for simple strings, JSON otherwise (so an
/// empty string, whitespace or quotes stay visible).
pub(crate) fn value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s)
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.:/".contains(c)) =>
        {
            s.clone()
        }
        serde_json::Value::Null => "none".to_string(),
        other => other.to_string(),
    }
}

/// `request 1: outcome, status; request 2: readable.etag`, or `outcome, status` when the case has
/// a single request.
pub(crate) fn differing_fields(result: &CaseBrowserReport) -> String {
    let single = result.requests.len() == 1;
    result
        .requests
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.differences.is_empty())
        .map(|(i, r)| {
            let fields: Vec<&str> = r.differences.iter().map(|d| d.field.as_str()).collect();
            if single {
                fields.join(", ")
            } else {
                format!("request {}: {}", i + 1, fields.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The steps of an explanation that rejected something.
pub(crate) fn failing_steps(trace: &Trace) -> impl Iterator<Item = &TraceStep> {
    trace
        .steps()
        .iter()
        .filter(|s| s.verdict == StepVerdict::Fail)
}

pub(crate) fn actor(step: &TraceStep) -> &'static str {
    match step.actor {
        cors_engine::trace::Actor::S3 => "s3",
        cors_engine::trace::Actor::Server => "server",
        cors_engine::trace::Actor::Browser => "browser",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_pick_a_readable_unit() {
        assert_eq!(duration(850), "850 ms");
        assert_eq!(duration(14_240), "14.2 s");
        assert_eq!(duration(185_000), "3 min 05 s");
    }

    #[test]
    fn values_keep_strings_that_need_quotes_quoted() {
        assert_eq!(value(&serde_json::json!("blocked")), "blocked");
        assert_eq!(value(&serde_json::json!("")), "\"\"");
        assert_eq!(value(&serde_json::json!("a b")), "\"a b\"");
        assert_eq!(value(&serde_json::json!(null)), "none");
        assert_eq!(value(&serde_json::json!(200)), "200");
    }

    #[test]
    fn totals_phrase_lists_agree_and_what_happened() {
        let totals: Totals = [Verdict::Agree, Verdict::Agree, Verdict::InfrastructureError]
            .into_iter()
            .collect();
        assert_eq!(
            totals_phrase(&totals),
            "3 case-runs, 2 agree, 1 infrastructure error"
        );
    }
}
