//! Chrome's console lines: which blocked request each "blocked by CORS policy" line is about, and
//! the engine's reason code for it.

use cors_engine::ReasonCode;
use cors_engine::browser::console::parse_chrome;

use crate::browsers::ConsoleEntry;

/// A console line that names a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConsoleReason {
    pub code: ReasonCode,
    /// The line as logged, without the source-location prefix chromedriver adds.
    pub text: String,
    /// The URL the line is about (`Access to fetch at '<url>'`), when it names one.
    pub url: Option<String>,
}

/// The console entries that carry a CORS reason, in logged order.
pub(crate) fn cors_reasons(entries: &[ConsoleEntry]) -> Vec<ConsoleReason> {
    entries
        .iter()
        .filter_map(|entry| {
            let code = parse_chrome(&entry.message)?;
            let text = strip_source(&entry.message);
            Some(ConsoleReason {
                code,
                url: quoted_url(&text),
                text,
            })
        })
        .collect()
}

/// Gives each blocked request (by `urls[i]`, `None` when not blocked) the first unused console
/// reason about its URL, in request order. Requests whose URL repeats take the lines in order.
pub(crate) fn assign(
    reasons: &[ConsoleReason],
    urls: &[Option<&str>],
) -> Vec<Option<ConsoleReason>> {
    let mut used = vec![false; reasons.len()];
    urls.iter()
        .map(|url| {
            let url = (*url)?;
            let index = reasons
                .iter()
                .enumerate()
                .position(|(i, r)| !used[i] && r.url.as_deref() == Some(url))?;
            used[index] = true;
            Some(reasons[index].clone())
        })
        .collect()
}

/// chromedriver prefixes console messages with their source: `<page url> - <text>` for
/// network-level lines, `<script url> <line>:<col> "<text>"` for script ones.
fn strip_source(message: &str) -> String {
    if let Some(start) = message.find("Access to ") {
        return message[start..].trim_end_matches('"').to_string();
    }
    message.to_string()
}

/// The URL a console line is about: `Access to fetch at 'https://x/y' from origin …` →
/// `https://x/y`; for a mixed-content line (`The page at '<page>' was loaded over HTTPS, but
/// requested an insecure script '<url>'`) the insecure resource's URL, not the page's.
fn quoted_url(text: &str) -> Option<String> {
    let rest = match text.split_once("requested an insecure ") {
        Some((_, after)) => after.split_once(" '")?.1,
        None => text.split_once(" at '")?.1,
    };
    Some(rest.split_once('\'')?.0.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(message: &str) -> ConsoleEntry {
        ConsoleEntry {
            level: "SEVERE".into(),
            message: message.into(),
        }
    }

    #[test]
    fn mixed_content_lines_name_the_insecure_url() {
        let line = "https://page.test/__run/r/page - Mixed Content: The page at 'https://page.test/__run/r/page' was loaded over HTTPS, but requested an insecure script 'http://b.test/__run/r/s.js'. This request has been blocked; the content must be served over HTTPS.";
        assert_eq!(
            quoted_url(line).as_deref(),
            Some("http://b.test/__run/r/s.js")
        );
        assert_eq!(
            quoted_url(
                "Access to fetch at 'http://b.test/k' from origin 'http://p.test' has been blocked"
            )
            .as_deref(),
            Some("http://b.test/k")
        );
    }

    #[test]
    fn lines_are_matched_to_blocked_requests_by_url_in_order() {
        // docs/facts/browser.md §8.2: the Chromium 156 templates, as chromedriver reports them.
        let entries = [
            entry(
                "http://page.test/__run/r/page - Access to fetch at 'http://b.test/__run/r/k' from origin 'http://page.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            ),
            entry("http://b.test/__run/r/k - Failed to load resource: net::ERR_FAILED"),
            entry(
                "http://page.test/__run/r/page - Access to fetch at 'http://b.test/__run/r/k' from origin 'http://page.test' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
            ),
        ];
        let reasons = cors_reasons(&entries);
        assert_eq!(reasons.len(), 2);
        assert!(reasons[0].text.starts_with("Access to fetch at"));
        let url = "http://b.test/__run/r/k";
        let assigned = assign(&reasons, &[Some(url), None, Some(url)]);
        assert_eq!(
            assigned[0].as_ref().unwrap().code,
            ReasonCode::AllowOriginMissing
        );
        assert!(assigned[1].is_none());
        assert_eq!(
            assigned[2].as_ref().unwrap().code,
            ReasonCode::PreflightStatus
        );
    }
}
