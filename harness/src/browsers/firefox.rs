//! Firefox ESR: capabilities, preferences, and the command line of its own geckodriver.

use std::path::Path;

use fantoccini::wd::Capabilities;
use serde_json::json;

use super::ProxySettings;
use super::chrome::into_capabilities;

/// geckodriver serves one session per process, so every Firefox session gets its own driver on a
/// free port; `--websocket-port 0` because the default BiDi port (9222) is fixed and would clash.
pub(crate) fn geckodriver_args() -> Vec<String> {
    ["--port", "0", "--websocket-port", "0", "--log", "info"]
        .into_iter()
        .map(String::from)
        .collect()
}

/// The capabilities for a new Firefox session whose traffic all goes through the origin proxy.
/// `binary` is `None` for a remote WebDriver server, which knows its own.
pub(crate) fn capabilities(binary: Option<&Path>, proxy: &ProxySettings) -> Capabilities {
    let mut value = json!({
        "browserName": "firefox",
        // Firefox keeps caching normally with this capability (unlike Chrome, docs/runner.md).
        "acceptInsecureCerts": true,
        "proxy": proxy.capability(),
        "pageLoadStrategy": "normal",
        "moz:firefoxOptions": {
            "args": ["-headless"],
            "prefs": {
                // Firefox never proxies localhost names unless allowed.
                "network.proxy.allow_hijacking_localhost": true,
                // HTTPS-First would retry http:// origins over https://.
                "dom.security.https_first": false,
                "dom.security.https_first_pbm": false,
                "dom.security.https_first_schemeless": false,
                "dom.security.https_only_mode": false,
                // Nothing but the case's own requests should reach the proxy.
                "network.http.speculative-parallel-limit": 0,
                "network.dns.disablePrefetch": true,
                "network.prefetch-next": false,
                "network.captive-portal-service.enabled": false,
                "network.connectivity-service.enabled": false,
                "browser.safebrowsing.malware.enabled": false,
                "browser.safebrowsing.phishing.enabled": false,
                "app.update.enabled": false,
                "datareporting.policy.dataSubmissionEnabled": false,
                "toolkit.telemetry.enabled": false,
            },
        },
    });
    if let Some(binary) = binary {
        value["moz:firefoxOptions"]["binary"] = binary.display().to_string().into();
    }
    into_capabilities(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn firefox_accepts_insecure_certs_and_uses_the_proxy() {
        let proxy = ProxySettings {
            address: "127.0.0.1:4567".parse().unwrap(),
            spki_sha256_base64: None,
        };
        let caps = capabilities(Some(Path::new("/usr/bin/firefox-esr")), &proxy);
        assert_eq!(caps["acceptInsecureCerts"], true);
        assert_eq!(caps["proxy"]["httpProxy"], "127.0.0.1:4567");
        assert_eq!(caps["proxy"]["sslProxy"], "127.0.0.1:4567");
        assert_eq!(
            caps["moz:firefoxOptions"]["prefs"]["network.proxy.allow_hijacking_localhost"],
            true
        );
        assert!(!caps.keys().any(|k| k.starts_with("goog:")));
    }

    #[test]
    fn each_geckodriver_picks_free_ports() {
        let args = geckodriver_args();
        assert!(args.windows(2).any(|w| w == ["--port", "0"]));
        assert!(args.windows(2).any(|w| w == ["--websocket-port", "0"]));
    }
}
