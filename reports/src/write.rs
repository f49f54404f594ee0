//! Writing every run report file into one directory, each through [`write_atomically`] so that a
//! reader never sees half a file.

use std::path::{Path, PathBuf};

use crate::atomic::write_atomically;
use crate::error::ReportError;
use crate::model::RunReport;
use crate::{html, json, junit, markdown};

/// Where [`write_reports`] put each file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenReports {
    pub json: PathBuf,
    pub junit: PathBuf,
    pub html: PathBuf,
    pub markdown: PathBuf,
}

impl WrittenReports {
    pub fn paths(&self) -> [&Path; 4] {
        [&self.json, &self.junit, &self.html, &self.markdown]
    }
}

/// Renders every file format into `dir` (created when missing): `report.json`, `junit.xml`,
/// `report.html` and `summary.md`.
pub fn write_reports(report: &RunReport, dir: &Path) -> Result<WrittenReports, ReportError> {
    std::fs::create_dir_all(dir).map_err(|e| ReportError::io("creating", dir, e))?;
    // Render everything first so a rendering error leaves the directory untouched.
    let junit_xml = junit::to_junit(report)?;
    let html_page = html::to_html(report);
    let summary_md = markdown::summary(report);
    let json_text = json::to_json(report);
    let write = |name: &str, contents: &str| -> Result<PathBuf, ReportError> {
        let path = dir.join(name);
        write_atomically(&path, contents.as_bytes())?;
        Ok(path)
    };
    Ok(WrittenReports {
        json: write("report.json", &json_text)?,
        junit: write("junit.xml", &junit_xml)?,
        html: write("report.html", &html_page)?,
        markdown: write("summary.md", &summary_md)?,
    })
}
