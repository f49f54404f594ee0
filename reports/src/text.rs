//! Plain-text pieces several renderers share: durations, counts, values, the one-line summary
//! and a request's predicted-vs-observed comparison.

use cors_engine::trace::{StepVerdict, TraceStep};
use cors_engine::{RequestResult, Trace, WireExchange};

use crate::model::{CaseBrowserReport, RequestReport, RunReport, Verdict};
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
        "cors-harness: {} in {}{}",
        totals_phrase(&report.totals()),
        duration(report.duration_ms),
        if report.interrupted {
            " (interrupted: the runs that had not finished are infrastructure errors)"
        } else {
            ""
        }
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

/// One row of a predicted-vs-observed comparison.
pub(crate) struct FieldRow {
    pub name: String,
    pub predicted: serde_json::Value,
    /// `None` when nothing was observed.
    pub observed: Option<serde_json::Value>,
    pub differs: bool,
}

/// The compared fields of a request in display order — outcome, preflight, status, each readable
/// header, canvas_tainted when either side has it, the reason code — plus any field a difference
/// names that is not among them.
pub(crate) fn field_rows(request: &RequestReport) -> Vec<FieldRow> {
    use serde_json::{Value, json};
    let fields = |r: &RequestResult| -> Vec<(String, Value)> {
        let mut out = vec![
            ("outcome".to_string(), json!(r.outcome)),
            ("preflight".to_string(), json!(r.preflight)),
            ("status".to_string(), json!(r.status)),
        ];
        out.extend(
            r.readable
                .iter()
                .map(|(name, v)| (format!("readable.{name}"), json!(v))),
        );
        out.push(("canvas_tainted".to_string(), json!(r.canvas_tainted)));
        out.push((
            "reason".to_string(),
            json!(r.reason.as_ref().map(|r| r.code)),
        ));
        out
    };
    let predicted = fields(&request.predicted);
    let observed = request.observed.as_ref().map(fields);
    let mut names: Vec<String> = predicted.iter().map(|(n, _)| n.clone()).collect();
    for (name, _) in observed.iter().flatten() {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    for d in &request.differences {
        if !names.contains(&d.field) {
            names.push(d.field.clone());
        }
    }
    // Readable names sort together, after status, like the JSON object they come from.
    names.sort_by_key(|n| match n.as_str() {
        "outcome" => (0, String::new()),
        "preflight" => (1, String::new()),
        "status" => (2, String::new()),
        "canvas_tainted" => (4, String::new()),
        "reason" => (5, String::new()),
        other if other.starts_with("readable.") => (3, other.to_string()),
        other => (6, other.to_string()),
    });
    let lookup = |side: &[(String, Value)], name: &str| {
        side.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    };
    names
        .into_iter()
        .filter_map(|name| {
            let difference = request.differences.iter().find(|d| d.field == name);
            let p = difference
                .map(|d| d.predicted.clone())
                .or_else(|| lookup(&predicted, &name))
                .unwrap_or(Value::Null);
            let o = match (&observed, difference) {
                (_, Some(d)) => Some(d.observed.clone()),
                (Some(side), None) => Some(lookup(side, &name).unwrap_or(Value::Null)),
                (None, None) => None,
            };
            // An optional field nobody has is noise.
            if name == "canvas_tainted" && p.is_null() && o.as_ref().is_none_or(Value::is_null) {
                return None;
            }
            Some(FieldRow {
                differs: difference.is_some(),
                name,
                predicted: p,
                observed: o,
            })
        })
        .collect()
}

/// A request as plain text: the field comparison, console lines, both wires and the
/// explanation. Every line starts with `indent`.
pub(crate) fn request_block(request: &RequestReport, indent: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let rows = field_rows(request);
    let show = |v: &serde_json::Value| value(v);
    let table: Vec<[String; 3]> = rows
        .iter()
        .map(|r| {
            let observed = r
                .observed
                .as_ref()
                .map_or("(not observed)".to_string(), show);
            [r.name.clone(), show(&r.predicted), observed]
        })
        .collect();
    let w0 = table
        .iter()
        .map(|r| r[0].len())
        .max()
        .unwrap_or(0)
        .max("field".len());
    let w1 = table
        .iter()
        .map(|r| r[1].len())
        .max()
        .unwrap_or(0)
        .max("predicted".len());
    let w2 = table
        .iter()
        .map(|r| r[2].len())
        .max()
        .unwrap_or(0)
        .max("observed".len());
    let _ = writeln!(
        out,
        "{indent}{:<w0$}  {:<w1$}  observed",
        "field", "predicted"
    );
    for (row, [name, p, o]) in rows.iter().zip(&table) {
        let line = format!(
            "{indent}{name:<w0$}  {p:<w1$}  {o:<w2$}  {}",
            if row.differs { "<- differs" } else { "" }
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let console = |r: Option<&RequestResult>| r?.reason.as_ref()?.console.clone();
    if let Some(c) = console(Some(&request.predicted)) {
        let _ = writeln!(out, "{indent}console (predicted): {c}");
    }
    if let Some(c) = console(request.observed.as_ref()) {
        let _ = writeln!(out, "{indent}console (observed):  {c}");
    }
    let _ = writeln!(out, "{indent}wire (predicted):");
    wire_lines(&mut out, &request.predicted.wire, indent);
    if let Some(observed) = &request.observed {
        let _ = writeln!(out, "{indent}wire (observed):");
        wire_lines(&mut out, &observed.wire, indent);
    }
    if !request.explanation.steps().is_empty() {
        let _ = writeln!(out, "{indent}explanation:");
        for line in request.explanation.to_string().lines() {
            let _ = writeln!(out, "{indent}{line}");
        }
    }
    out
}

fn wire_lines(out: &mut String, wire: &[WireExchange], indent: &str) {
    use std::fmt::Write as _;
    if wire.is_empty() {
        let _ = writeln!(out, "{indent}  (nothing)");
    }
    for x in wire {
        let _ = writeln!(out, "{indent}  {} {} -> {}", x.method, x.url, x.status);
        for (name, v) in x.request_headers.iter() {
            let _ = writeln!(out, "{indent}    > {name}: {v}");
        }
        for (name, v) in x.response_headers.iter() {
            let _ = writeln!(out, "{indent}    < {name}: {v}");
        }
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
