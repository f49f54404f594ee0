//! Comparing a run with a committed baseline run, so CI fails on what got worse rather than on
//! every divergence the corpus already knows about.

use std::collections::HashMap;
use std::path::Path;

use cors_engine::Browser;

use crate::atomic::write_atomically;
use crate::error::ReportError;
use crate::json;
use crate::model::{RunReport, Verdict};
use crate::runs::CaseRun;

/// How one case × browser moved between the baseline and the current run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// Same verdict as in the baseline.
    Unchanged,
    /// Agreed in the baseline; now diverges or fails its expectation.
    Regression,
    /// Did not agree in the baseline; agrees now.
    Fixed,
    /// Some other verdict change that is neither (e.g. diverge → infrastructure error).
    Changed,
    /// Not in the baseline.
    New,
    /// In the baseline, not in the current run.
    Removed,
}

impl Change {
    pub const ALL: [Change; 6] = [
        Change::Regression,
        Change::Fixed,
        Change::Changed,
        Change::New,
        Change::Removed,
        Change::Unchanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Change::Unchanged => "unchanged",
            Change::Regression => "regression",
            Change::Fixed => "fixed",
            Change::Changed => "changed",
            Change::New => "new",
            Change::Removed => "removed",
        }
    }

    fn classify(baseline: Verdict, current: Verdict) -> Change {
        match (baseline, current) {
            (b, c) if b == c => Change::Unchanged,
            (Verdict::Agree, Verdict::Diverge | Verdict::ExpectationFailed) => Change::Regression,
            (_, Verdict::Agree) => Change::Fixed,
            _ => Change::Changed,
        }
    }
}

/// One case × browser in either run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineEntry {
    pub case_id: String,
    pub browser: Browser,
    pub change: Change,
    /// The verdict in the baseline; `None` for a new entry.
    pub baseline: Option<Verdict>,
    /// The verdict now; `None` for a removed entry.
    pub current: Option<Verdict>,
    /// Both runs used this browser, at different versions: a change may be the browser's doing.
    pub browser_version_changed: bool,
}

impl BaselineEntry {
    /// `agree -> diverge`, `new: agree`, `removed: diverge`, or the unchanged verdict.
    pub fn verdicts(&self) -> String {
        match (self.baseline, self.current) {
            (Some(b), Some(c)) if b == c => b.as_str().to_string(),
            (Some(b), Some(c)) => format!("{} -> {}", b.as_str(), c.as_str()),
            (None, Some(c)) => format!("new: {}", c.as_str()),
            (Some(b), None) => format!("removed: {}", b.as_str()),
            (None, None) => String::new(),
        }
    }
}

/// A browser whose version differs between the two runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserVersionChange {
    pub browser: Browser,
    pub baseline: String,
    pub current: String,
}

/// Every case × browser of both runs, classified.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaselineDiff {
    /// Current run order first, then the removed entries in baseline order.
    pub entries: Vec<BaselineEntry>,
    pub browser_versions: Vec<BrowserVersionChange>,
}

impl BaselineDiff {
    pub fn has_regressions(&self) -> bool {
        self.entries.iter().any(|e| e.change == Change::Regression)
    }

    pub fn with_change(&self, change: Change) -> impl Iterator<Item = &BaselineEntry> {
        self.entries.iter().filter(move |e| e.change == change)
    }

    pub fn count(&self, change: Change) -> usize {
        self.with_change(change).count()
    }

    /// `1 regression, 0 fixed, 2 new, 10 unchanged`: regressions always, the rest when present.
    pub fn counts_phrase(&self) -> String {
        Change::ALL
            .iter()
            .filter_map(|&change| {
                let n = self.count(change);
                let label = match (change, n == 1) {
                    (Change::Regression, true) => "regression",
                    (Change::Regression, false) => "regressions",
                    (other, _) => other.as_str(),
                };
                (n > 0 || change == Change::Regression).then(|| format!("{n} {label}"))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Classifies every case × browser of `current` against `baseline`.
pub fn compare(baseline: &RunReport, current: &RunReport) -> BaselineDiff {
    let version = |report: &RunReport, browser: Browser| {
        report
            .browser_info(browser)
            .map(|i| i.version.clone())
            .filter(|v| !v.is_empty())
    };
    let browser_versions: Vec<BrowserVersionChange> = current
        .run_browsers()
        .into_iter()
        .filter_map(|browser| {
            let (b, c) = (version(baseline, browser)?, version(current, browser)?);
            (b != c).then_some(BrowserVersionChange {
                browser,
                baseline: b,
                current: c,
            })
        })
        .collect();
    let version_changed = |browser| browser_versions.iter().any(|c| c.browser == browser);

    let baseline_runs = baseline.case_runs();
    let current_runs = current.case_runs();
    let verdicts = |runs: &[CaseRun<'_>]| -> HashMap<(String, Browser), Verdict> {
        runs.iter()
            .map(|r| ((r.case.id.clone(), r.browser), r.verdict))
            .collect()
    };
    let (before_map, now_map) = (verdicts(&baseline_runs), verdicts(&current_runs));

    let mut entries: Vec<BaselineEntry> = current_runs
        .iter()
        .map(|run| {
            let before = before_map.get(&(run.case.id.clone(), run.browser)).copied();
            BaselineEntry {
                case_id: run.case.id.clone(),
                browser: run.browser,
                change: before.map_or(Change::New, |b| Change::classify(b, run.verdict)),
                baseline: before,
                current: Some(run.verdict),
                browser_version_changed: before.is_some() && version_changed(run.browser),
            }
        })
        .collect();
    entries.extend(
        baseline_runs
            .iter()
            .filter(|run| !now_map.contains_key(&(run.case.id.clone(), run.browser)))
            .map(|run| BaselineEntry {
                case_id: run.case.id.clone(),
                browser: run.browser,
                change: Change::Removed,
                baseline: Some(run.verdict),
                current: None,
                browser_version_changed: false,
            }),
    );
    BaselineDiff {
        entries,
        browser_versions,
    }
}

/// Reads a baseline written by [`update_baseline`].
pub fn load_baseline(path: &Path) -> Result<RunReport, ReportError> {
    let text = std::fs::read_to_string(path).map_err(|e| ReportError::io("reading", path, e))?;
    json::from_json(&text)
}

/// Makes `report` the new baseline at `path`, atomically.
pub fn update_baseline(path: &Path, report: &RunReport) -> Result<(), ReportError> {
    write_atomically(path, json::to_json(report).as_bytes())
}
