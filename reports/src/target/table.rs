//! The target report's tables as plain-text cells, so that every format shows the same rows and
//! columns; each renderer only escapes and marks them up.

use super::model::{BrowserStage, TargetReport};

/// How a column's cells are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Look {
    Text,
    /// Right-aligned.
    Number,
    /// Literal protocol text (an exchange, a header value, a JSON value): monospace in HTML.
    Code,
}

/// One table: its column names and looks, and its rows of unescaped cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    pub columns: &'static [(&'static str, Look)],
    pub rows: Vec<Vec<String>>,
}

/// The cases the probe could not finish or clean up after.
pub(crate) fn unfinished_cases(report: &TargetReport) -> Table {
    Table {
        columns: &[
            ("case", Look::Text),
            ("probe error", Look::Text),
            ("cleanup error", Look::Text),
        ],
        rows: report
            .unfinished_cases()
            .map(|case| {
                vec![
                    case.case_id.clone(),
                    case.error.clone().unwrap_or_default(),
                    case.cleanup_error.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    }
}

/// The deviations counted by kind.
pub(crate) fn kinds(report: &TargetReport) -> Table {
    Table {
        columns: &[
            ("kind", Look::Text),
            ("deviations", Look::Number),
            ("cases", Look::Number),
        ],
        rows: report
            .summary
            .by_kind
            .iter()
            .map(|kind| {
                vec![
                    kind.kind.name().to_owned(),
                    kind.count.to_string(),
                    kind.cases.to_string(),
                ]
            })
            .collect(),
    }
}

/// Every deviation of every case, in case order.
pub(crate) fn deviations(report: &TargetReport) -> Table {
    Table {
        columns: &[
            ("case", Look::Text),
            ("request", Look::Number),
            ("exchange", Look::Code),
            ("kind", Look::Text),
            ("header", Look::Text),
            ("S3", Look::Code),
            ("target", Look::Code),
        ],
        rows: report
            .deviations()
            .map(|d| {
                vec![
                    d.case_id.clone(),
                    d.request_index
                        .map_or_else(|| "config".to_owned(), |i| i.to_string()),
                    d.exchange.clone(),
                    d.kind.name().to_owned(),
                    d.header.clone().unwrap_or_default(),
                    d.expected.clone().unwrap_or_else(|| "(absent)".to_owned()),
                    d.actual.clone().unwrap_or_else(|| "(absent)".to_owned()),
                ]
            })
            .collect(),
    }
}

/// The browser runs without a verdict or whose bucket stayed behind.
pub(crate) fn unfinished_runs(stage: &BrowserStage) -> Table {
    Table {
        columns: &[
            ("case", Look::Text),
            ("browser", Look::Text),
            ("error", Look::Text),
            ("cleanup error", Look::Text),
        ],
        rows: stage
            .unfinished_runs()
            .map(|run| {
                vec![
                    run.case_id.clone(),
                    run.browser.as_str().to_owned(),
                    run.error.clone().unwrap_or_default(),
                    run.cleanup_error.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    }
}

/// Every field where a browser did something else than the engine predicts.
pub(crate) fn disagreements(stage: &BrowserStage) -> Table {
    Table {
        columns: &[
            ("case", Look::Text),
            ("browser", Look::Text),
            ("request", Look::Code),
            ("field", Look::Text),
            ("predicted", Look::Code),
            ("observed", Look::Code),
        ],
        rows: stage
            .runs
            .iter()
            .flat_map(|run| {
                run.disagreements.iter().map(move |d| {
                    vec![
                        run.case_id.clone(),
                        run.browser.as_str().to_owned(),
                        format!("{}: {}", d.request_index, d.request),
                        d.field.clone(),
                        d.predicted.to_string(),
                        d.observed.to_string(),
                    ]
                })
            })
            .collect(),
    }
}
