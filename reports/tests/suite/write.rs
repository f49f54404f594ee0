use cors_reports::{from_json, write_reports};

use crate::sample::sample;

/// `CORS_REPORTS_SAMPLE_DIR=/tmp/sample cargo test -p cors-reports` leaves the sample run's
/// reports there, to look at them.
#[test]
fn sample_reports_on_request() {
    if let Some(dir) = std::env::var_os("CORS_REPORTS_SAMPLE_DIR") {
        let dir = std::path::Path::new(&dir);
        let report = sample();
        write_reports(&report, dir).unwrap();
        let terminal = cors_reports::terminal::summary(&report, true);
        std::fs::write(dir.join("terminal.txt"), terminal).unwrap();
    }
}

#[test]
fn writes_every_format_atomically_into_a_new_directory() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("target/cors-reports");
    let report = sample();
    let written = write_reports(&report, &dir).unwrap();

    assert_eq!(written.json, dir.join("report.json"));
    assert_eq!(written.junit, dir.join("junit.xml"));
    assert_eq!(written.html, dir.join("report.html"));
    assert_eq!(written.markdown, dir.join("summary.md"));
    let json = std::fs::read_to_string(&written.json).unwrap();
    assert_eq!(from_json(&json).unwrap(), report);
    assert!(
        std::fs::read_to_string(&written.junit)
            .unwrap()
            .starts_with("<?xml")
    );
    assert!(
        std::fs::read_to_string(&written.html)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    assert!(
        std::fs::read_to_string(&written.markdown)
            .unwrap()
            .starts_with("## cors-harness:")
    );

    // Writing again replaces the files and leaves no temporary file behind.
    let mut second = report.clone();
    second.duration_ms = 1;
    write_reports(&second, &dir).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["junit.xml", "report.html", "report.json", "summary.md"]
    );
    let json = std::fs::read_to_string(&written.json).unwrap();
    assert_eq!(from_json(&json).unwrap().duration_ms, 1);
}

#[test]
fn an_unwritable_directory_is_an_io_error() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let err = write_reports(&sample(), &file.join("reports")).unwrap_err();
    assert!(matches!(err, cors_reports::ReportError::Io { .. }), "{err}");
    assert!(err.to_string().contains("a-file"), "{err}");
}
