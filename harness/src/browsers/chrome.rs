//! Chromium: command-line switches, capabilities, and the console log endpoint that carries the
//! exact "blocked by CORS policy" text.

use std::path::Path;

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use serde_json::{Value, json};

use super::ProxySettings;

/// The switches every harness Chromium gets (`docs/runner.md`, verified as root on Debian).
fn base_switches() -> Vec<String> {
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--disable-extensions",
        "--mute-audio",
        // Without this Chromium first tries https:// for every http:// origin a case uses.
        "--disable-features=HttpsUpgrades",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

/// The capabilities for a new Chromium session whose traffic all goes through the origin proxy.
///
/// Chrome trusts the proxy's certificates through `--ignore-certificate-errors-spki-list` and
/// never gets `acceptInsecureCerts`: that capability also keeps https responses out of Chrome's
/// HTTP cache, which would silently break every HTTP-cache case (`docs/runner.md`).
///
/// `binary` and `user_data_dir` are `None` for a remote WebDriver server, which uses its own.
pub(crate) fn capabilities(
    binary: Option<&Path>,
    user_data_dir: Option<&Path>,
    proxy: &ProxySettings,
) -> Capabilities {
    let mut args = base_switches();
    if let Some(dir) = user_data_dir {
        args.push(format!("--user-data-dir={}", dir.display()));
    }
    args.push(format!("--proxy-server={}", proxy.address));
    // Chromium bypasses the proxy for loopback names unless told not to.
    args.push("--proxy-bypass-list=<-loopback>".into());
    if let Some(spki) = &proxy.spki_sha256_base64 {
        args.push(format!("--ignore-certificate-errors-spki-list={spki}"));
    }
    let mut options = json!({
        "args": args,
        "excludeSwitches": ["enable-automation"],
    });
    if let Some(binary) = binary {
        options["binary"] = binary.display().to_string().into();
    }
    let value = json!({
        "browserName": "chrome",
        "goog:chromeOptions": options,
        "goog:loggingPrefs": { "browser": "ALL" },
        "proxy": proxy.capability(),
        "pageLoadStrategy": "normal",
    });
    into_capabilities(value)
}

pub(crate) fn into_capabilities(value: Value) -> Capabilities {
    match value {
        Value::Object(map) => map,
        _ => Capabilities::new(),
    }
}

/// `POST /session/{id}/se/log {"type": "browser"}`: returns (and clears) the browser console
/// entries collected since the last call. Only chromedriver implements it.
#[derive(Debug)]
pub(crate) struct ReadConsoleLog;

impl WebDriverCompatibleCommand for ReadConsoleLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

/// One console entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleEntry {
    pub level: String,
    pub message: String,
}

/// Parses the log endpoint's answer; anything unexpected yields no entries.
pub(crate) fn parse_console_log(value: &Value) -> Vec<ConsoleEntry> {
    value
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter_map(|entry| {
                    Some(ConsoleEntry {
                        level: entry.get("level")?.as_str()?.to_string(),
                        message: entry.get("message")?.as_str()?.to_string(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_is_routed_through_the_proxy_and_trusts_only_its_key() {
        let proxy = ProxySettings {
            address: "127.0.0.1:4567".parse().unwrap(),
            spki_sha256_base64: Some("c3BraQ==".into()),
        };
        let caps = capabilities(
            Some(Path::new("/usr/bin/chromium")),
            Some(Path::new("/tmp/p")),
            &proxy,
        );
        let args: Vec<&str> = caps["goog:chromeOptions"]["args"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(args.contains(&"--proxy-server=127.0.0.1:4567"));
        assert!(args.contains(&"--ignore-certificate-errors-spki-list=c3BraQ=="));
        assert!(args.contains(&"--disable-features=HttpsUpgrades"));
        assert!(args.contains(&"--user-data-dir=/tmp/p"));
        // docs/runner.md: acceptInsecureCerts would keep https responses out of Chrome's cache.
        assert!(!caps.contains_key("acceptInsecureCerts"));
        assert_eq!(caps["goog:loggingPrefs"]["browser"], "ALL");
    }

    #[test]
    fn console_log_entries_are_parsed() {
        let value = json!([
            {"level": "SEVERE", "message": "Access to fetch at 'x' …", "source": "javascript", "timestamp": 1},
            {"bogus": true}
        ]);
        let entries = parse_console_log(&value);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].level, "SEVERE");
    }
}
