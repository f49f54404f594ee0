//! The flat view every renderer walks: one entry per case × browser, and the counts over them.
//!
//! A case whose file did not load has no per-browser results; it counts as a load error in every
//! browser of the run, so the matrix, the JUnit suites and the baseline all see the same cells.

use cors_engine::Browser;

use crate::model::{BrowserInfo, CaseBrowserReport, CaseReport, RunReport, Verdict};

/// One case in one browser.
#[derive(Debug, Clone, Copy)]
pub struct CaseRun<'a> {
    pub case: &'a CaseReport,
    pub browser: Browser,
    pub verdict: Verdict,
    /// The browser's result; `None` when the case file did not load.
    pub result: Option<&'a CaseBrowserReport>,
}

/// How many case-runs ended with each verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub agree: usize,
    pub diverge: usize,
    pub expectation_failed: usize,
    pub infrastructure_error: usize,
    pub load_error: usize,
}

impl Totals {
    pub fn add(&mut self, verdict: Verdict) {
        *self.slot(verdict) += 1;
    }

    pub fn count(&self, verdict: Verdict) -> usize {
        match verdict {
            Verdict::Agree => self.agree,
            Verdict::Diverge => self.diverge,
            Verdict::ExpectationFailed => self.expectation_failed,
            Verdict::InfrastructureError => self.infrastructure_error,
            Verdict::LoadError => self.load_error,
        }
    }

    /// Every case-run counted.
    pub fn case_runs(&self) -> usize {
        Verdict::ALL.iter().map(|v| self.count(*v)).sum()
    }

    fn slot(&mut self, verdict: Verdict) -> &mut usize {
        match verdict {
            Verdict::Agree => &mut self.agree,
            Verdict::Diverge => &mut self.diverge,
            Verdict::ExpectationFailed => &mut self.expectation_failed,
            Verdict::InfrastructureError => &mut self.infrastructure_error,
            Verdict::LoadError => &mut self.load_error,
        }
    }
}

impl FromIterator<Verdict> for Totals {
    fn from_iter<T: IntoIterator<Item = Verdict>>(iter: T) -> Self {
        let mut totals = Totals::default();
        iter.into_iter().for_each(|v| totals.add(v));
        totals
    }
}

impl CaseReport {
    /// This case's verdict in `browser`: its result's verdict, `LoadError` when the file did not
    /// load, `None` when the case did not run in that browser.
    pub fn verdict_in(&self, browser: Browser) -> Option<Verdict> {
        if self.load_error.is_some() {
            return Some(Verdict::LoadError);
        }
        self.result_in(browser).map(|r| r.verdict)
    }

    pub fn result_in(&self, browser: Browser) -> Option<&CaseBrowserReport> {
        self.browsers.iter().find(|b| b.browser == browser)
    }
}

impl RunReport {
    /// The run's browsers in report order: those listed in `browsers`, then any that only appear
    /// in case results; every browser when the run has none (so a load error still has a cell).
    pub fn run_browsers(&self) -> Vec<Browser> {
        let mut out: Vec<Browser> = Vec::new();
        let listed = self.browsers.iter().map(|b| b.browser);
        let seen = self
            .cases
            .iter()
            .flat_map(|c| c.browsers.iter().map(|b| b.browser));
        for browser in listed.chain(seen) {
            if !out.contains(&browser) {
                out.push(browser);
            }
        }
        if out.is_empty() {
            out.extend(Browser::ALL);
        }
        out
    }

    pub fn browser_info(&self, browser: Browser) -> Option<&BrowserInfo> {
        self.browsers.iter().find(|b| b.browser == browser)
    }

    /// Every case × browser, case by case in report order, browsers in [`Self::run_browsers`]
    /// order.
    pub fn case_runs(&self) -> Vec<CaseRun<'_>> {
        let browsers = self.run_browsers();
        self.cases
            .iter()
            .flat_map(|case| {
                browsers.iter().filter_map(move |&browser| {
                    Some(CaseRun {
                        case,
                        browser,
                        verdict: case.verdict_in(browser)?,
                        result: case.result_in(browser),
                    })
                })
            })
            .collect()
    }

    /// The case-runs of one browser.
    pub fn case_runs_in(&self, browser: Browser) -> Vec<CaseRun<'_>> {
        self.case_runs()
            .into_iter()
            .filter(|run| run.browser == browser)
            .collect()
    }

    pub fn totals(&self) -> Totals {
        self.case_runs().iter().map(|run| run.verdict).collect()
    }

    pub fn totals_in(&self, browser: Browser) -> Totals {
        self.case_runs_in(browser)
            .iter()
            .map(|run| run.verdict)
            .collect()
    }
}
