//! The browser half: the Fetch standard's CORS protocol with a Chrome and a Firefox profile.
//!
//! Every module here is a pure function of its inputs. [`profile`] holds what differs between the
//! two browsers as data; the other modules take a [`Profile`] and never branch on the browser's
//! name themselves, so a third profile would be a new constant, not new code.
//!
//! The facts are in `docs/facts/browser.md` (Chromium 156, Firefox 153 ESR); each module cites
//! the sections (`§n.m`) it encodes and marks Medium/Low facts where it relies on them.
//!
//! Not modelled: redirects (§6: a 3xx actual response is taken as final; a redirected preflight
//! is refused), Local Network Access prompts (§7.3), cache partitioning across top-level sites
//! (one page per scenario), Firefox's first-run preflight-cache race (§4.3), `Expires`/`Date`
//! arithmetic when a literal server sends no `Date` (see [`http_cache`]).

use serde::{Deserialize, Serialize};

pub mod body;
pub mod console;
pub mod cors_check;
pub mod element;
pub mod failure;
pub mod http_cache;
pub mod method;
pub mod mixed_content;
pub mod preflight;
pub mod preflight_cache;
pub mod profile;
pub mod request;
pub mod request_headers;
pub mod response_headers;

pub use failure::{Failure, Rejection, Stage};
pub use profile::Profile;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Browser {
    Chrome,
    Firefox,
}

impl Browser {
    pub const ALL: [Browser; 2] = [Browser::Chrome, Browser::Firefox];

    pub fn as_str(self) -> &'static str {
        match self {
            Browser::Chrome => "chrome",
            Browser::Firefox => "firefox",
        }
    }

    /// The behaviour profile of this browser.
    pub fn profile(self) -> &'static Profile {
        match self {
            Browser::Chrome => &profile::CHROME,
            Browser::Firefox => &profile::FIREFOX,
        }
    }
}

impl std::fmt::Display for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
