//! The command line (docs/cli.md): one clap-derive struct per subcommand. Parsing only; each
//! subcommand's behaviour lives in [`crate::commands`].

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use cors_engine::Browser;

const ABOUT: &str = "Does this S3 CORS configuration do, in a real browser, what I think it does?";

const AFTER_HELP: &str = "\
Exit codes:
  0  everything agreed and every `expect` held (lint: no finding)
  1  a divergence, a failed expectation (lint: a warning or an S3 rejection)
  2  bad input or infrastructure: unreadable case, missing browser, driver crash,
     a page that stops answering (retried once, then reported; the run goes on)

Examples:
  cors-harness list cases/
  cors-harness predict cases/s3/preflight --browser chrome
  cors-harness explain cases/s3/origin/trailing-slash.toml
  cors-harness lint cors.json --page https://app.example.com --credentials
  cors-harness run cases/ --browser chrome,firefox --report-dir target/cors-report";

#[derive(Debug, Parser)]
#[command(name = "cors-harness", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run cases in headless Chrome and Firefox and compare with the prediction.
    Run(RunArgs),
    /// Predict what S3 and each browser do for the cases, without starting a browser.
    Predict(PredictArgs),
    /// Explain, step by step, why each request of one case is allowed or blocked.
    Explain(ExplainArgs),
    /// Check a CORS configuration the way S3 does and flag the classic mistakes.
    Lint(LintArgs),
    /// List the cases, grouped by folder, with their titles and tags.
    List(ListArgs),
    /// Serve a standalone S3-compatible bucket server with faithful CORS answers.
    Serve(ServeArgs),
}

/// `human` for people, `json` for tools (a stable, versioned document).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    #[default]
    Human,
    Json,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  cors-harness run                                  # every case under ./cases, both browsers
  cors-harness run cases/s3/preflight --browser chrome
  cors-harness run --filter etag --tag upload --jobs 2
  cors-harness run --baseline ci/baseline.json      # known divergences do not fail the run
  cors-harness run --webdriver http://127.0.0.1:4444 --format json > results.json")]
pub struct RunArgs {
    /// Case files or folders (searched recursively for *.toml). Default: ./cases
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Browsers to run, comma-separated. Default: every browser a case allows.
    #[arg(long, value_name = "B,...", value_delimiter = ',', value_parser = parse_browser)]
    pub browser: Vec<Browser>,
    /// Only cases whose id or title contains TEXT (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Only cases carrying TAG (repeatable: a case must carry one of them).
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// How many browser sessions run cases at the same time.
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Write the reports into DIR, each file replaced atomically: report.json, junit.xml,
    /// report.html and summary.md; with --target, target-report.json, target-report.md and
    /// target-report.html. Default: target/cors-report under the current directory.
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
    /// Do not write the report files (the summary is still printed), with or without --target.
    #[arg(long, conflicts_with = "report_dir")]
    pub no_report: bool,
    /// Divergences recorded in FILE are expected and do not fail the run. Not with --target:
    /// a baseline holds browser-run verdicts, not a target's deviations.
    #[arg(long, value_name = "FILE", conflicts_with = "target")]
    pub baseline: Option<PathBuf>,
    /// Rewrite the --baseline file with this run's divergences (not after an interrupted run).
    #[arg(long, requires = "baseline", conflicts_with = "target")]
    pub update_baseline: bool,
    /// Use a WebDriver server that is already running instead of spawning drivers.
    #[arg(long, value_name = "URL")]
    pub webdriver: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    /// Check the S3-compatible server at URL (docs/external-targets.md): probe each bucket
    /// case's answers against S3's, then run each case in the browsers against the server and
    /// judge them by what it really sent.
    #[arg(long, value_name = "URL", help_heading = "External target")]
    pub target: Option<String>,
    /// With --target: only the probe (no browser starts); skips the browser stage.
    #[arg(long, requires = "target", help_heading = "External target")]
    pub probe_only: bool,
    /// Access key for --target.
    #[arg(
        long,
        value_name = "KEY",
        requires = "target",
        help_heading = "External target"
    )]
    pub access_key: Option<String>,
    /// Secret key for --target.
    #[arg(
        long,
        value_name = "SECRET",
        requires = "target",
        help_heading = "External target"
    )]
    pub secret_key: Option<String>,
    /// Region --target signs for.
    #[arg(
        long,
        value_name = "R",
        default_value = "us-east-1",
        help_heading = "External target"
    )]
    pub region: String,
    /// How --target addresses buckets: path (/bucket/key) or virtual (Host: bucket.endpoint).
    #[arg(long, value_enum, default_value_t, help_heading = "External target")]
    pub addressing: crate::target::Addressing,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  cors-harness predict cases/s3/preflight/put-not-allowed.toml
  cors-harness predict cases/ --browser firefox --format json

The JSON document is described in docs/predict-json.md (schema_version 1).")]
pub struct PredictArgs {
    /// Case files or folders (searched recursively for *.toml).
    #[arg(value_name = "PATHS", required = true)]
    pub paths: Vec<PathBuf>,
    /// Predict for these browsers only, comma-separated. Default: the case's browsers.
    #[arg(long, value_name = "B,...", value_delimiter = ',', value_parser = parse_browser)]
    pub browser: Vec<Browser>,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  cors-harness explain cases/s3/origin/trailing-slash.toml
  cors-harness explain cases/browser/credentials/wildcard-with-include.toml --browser firefox")]
pub struct ExplainArgs {
    /// One case file.
    #[arg(value_name = "CASE")]
    pub case: PathBuf,
    /// Explain for these browsers only, comma-separated. Default: the case's browsers.
    #[arg(long, value_name = "B,...", value_delimiter = ',', value_parser = parse_browser)]
    pub browser: Vec<Browser>,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Checks, in order: whether S3 accepts the configuration (PutBucketCors validation, with S3's own
error code and message), then the classic mistakes: a path or trailing slash in an AllowedOrigin,
an origin without scheme, OPTIONS in AllowedMethods, PUT without ETag exposed, `*` in
ExposeHeaders, several wildcards, and, with --page, scheme/port mismatches and origins no rule
matches; with --credentials, `*` origins.

Exit codes: 0 no finding, 1 S3 rejects the configuration or a warning was found, 2 unreadable file.

Examples:
  cors-harness lint cors.json
  cors-harness lint cors.xml --page http://localhost:8000
  cors-harness lint cors.json --page https://app.example.com --credentials --format json")]
pub struct LintArgs {
    /// The configuration: console JSON array, CLI {\"CORSRules\": [...]} or <CORSConfiguration> XML.
    #[arg(value_name = "CORS_FILE")]
    pub cors_file: PathBuf,
    /// The origin of the page that will make the requests, e.g. https://app.example.com
    #[arg(long, value_name = "ORIGIN")]
    pub page: Option<String>,
    /// The page sends credentials (cookies, `credentials: \"include\"`, `withCredentials`).
    #[arg(long)]
    pub credentials: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  cors-harness list
  cors-harness list cases/s3 --tag preflight")]
pub struct ListArgs {
    /// Case files or folders. Default: ./cases
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Only cases carrying TAG (repeatable: a case must carry one of them).
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  cors-harness serve
  cors-harness serve --listen 0.0.0.0:9000 --data ./bucket-data --access-key dev --secret-key devsecret

Then: aws --endpoint-url http://127.0.0.1:9000 s3api put-bucket-cors --bucket b --cors-configuration file://cors.json")]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9000")]
    pub listen: SocketAddr,
    /// Keep buckets and objects in DIR (default: a temporary directory, lost on exit). Files
    /// in DIR that are not stored objects are skipped with a warning.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Access key clients sign with (requires --secret-key). Without it, requests are not checked.
    /// With it, SigV4 is enforced as S3 does: a header-signed request's x-amz-date within 15
    /// minutes of this machine's clock, presigned URLs valid for at most 7 days, `host` signed.
    #[arg(long, value_name = "KEY", requires = "secret_key")]
    pub access_key: Option<String>,
    /// Secret key clients sign with (requires --access-key).
    #[arg(long, value_name = "SECRET", requires = "access_key")]
    pub secret_key: Option<String>,
    /// Close a connection whose request line and headers have not all arrived SECONDS after
    /// their first byte (slow clients).
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,
    /// Close a connection that has sent no request for SECONDS (after connecting or after the
    /// previous answer); clients reopen one as needed.
    #[arg(long, value_name = "SECONDS", default_value_t = 90, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,
}

/// Parses one browser name as written on the command line.
pub fn parse_browser(text: &str) -> Result<Browser, String> {
    let wanted = text.trim();
    Browser::ALL
        .into_iter()
        .find(|b| b.as_str().eq_ignore_ascii_case(wanted))
        .ok_or_else(|| format!("unknown browser `{wanted}` (expected chrome or firefox)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn run_takes_a_comma_separated_browser_list() {
        let cli = Cli::parse_from([
            "cors-harness",
            "run",
            "--browser",
            "chrome,firefox",
            "cases",
        ]);
        let Command::Run(args) = cli.command else {
            panic!("expected run");
        };
        assert_eq!(args.browser, vec![Browser::Chrome, Browser::Firefox]);
        assert_eq!(args.paths, vec![PathBuf::from("cases")]);
    }

    #[test]
    fn a_baseline_is_refused_with_a_target_instead_of_being_ignored() {
        for flags in [
            &["--baseline", "b.json"][..],
            &["--baseline", "b.json", "--update-baseline"][..],
        ] {
            let error = Cli::try_parse_from(
                ["cors-harness", "run", "--target", "http://127.0.0.1:9000"]
                    .iter()
                    .chain(flags),
            )
            .expect_err("refused");
            assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
            assert!(error.to_string().contains("--target"), "{error}");
        }
    }

    #[test]
    fn no_report_works_with_a_target() {
        let cli = Cli::parse_from([
            "cors-harness",
            "run",
            "--target",
            "http://127.0.0.1:9000",
            "--no-report",
        ]);
        let Command::Run(args) = cli.command else {
            panic!("expected run");
        };
        assert!(args.no_report);
    }
}
