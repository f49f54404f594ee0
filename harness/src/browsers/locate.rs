//! Where the browser and driver binaries are: an environment override, else the first match on
//! `PATH` (plus `~/.cargo/bin` for geckodriver, where `cargo install` puts it).

use std::path::{Path, PathBuf};

use cors_engine::Browser;

use super::BrowserError;

/// One program the harness needs for a browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Program {
    Browser,
    Driver,
}

/// The binaries of one browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binaries {
    pub browser: PathBuf,
    pub driver: PathBuf,
}

impl Binaries {
    /// Finds both binaries of `browser`, or explains how to install what is missing.
    pub fn find(browser: Browser) -> Result<Self, BrowserError> {
        Ok(Self {
            browser: find_program(browser, Program::Browser)?,
            driver: find_program(browser, Program::Driver)?,
        })
    }
}

/// The environment variable that overrides a program's location.
pub(crate) fn override_variable(browser: Browser, program: Program) -> &'static str {
    match (browser, program) {
        (Browser::Chrome, Program::Browser) => "CORS_HARNESS_CHROME",
        (Browser::Chrome, Program::Driver) => "CORS_HARNESS_CHROMEDRIVER",
        (Browser::Firefox, Program::Browser) => "CORS_HARNESS_FIREFOX",
        (Browser::Firefox, Program::Driver) => "CORS_HARNESS_GECKODRIVER",
    }
}

/// The names tried on `PATH`, most specific first.
fn candidate_names(browser: Browser, program: Program) -> &'static [&'static str] {
    match (browser, program) {
        (Browser::Chrome, Program::Browser) => &[
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
            "chrome",
        ],
        (Browser::Chrome, Program::Driver) => &["chromedriver"],
        (Browser::Firefox, Program::Browser) => &["firefox-esr", "firefox"],
        (Browser::Firefox, Program::Driver) => &["geckodriver"],
    }
}

/// How to get the programs of `browser`.
pub(crate) fn install_hint(browser: Browser) -> &'static str {
    match browser {
        Browser::Chrome => {
            "install Chromium and its driver with `bash ci/install.sh`, or \
             `apt-get install chromium chromium-driver`"
        }
        Browser::Firefox => {
            "install Firefox ESR and geckodriver with `bash ci/install.sh`, or \
             `apt-get install firefox-esr` and `cargo install geckodriver --locked`"
        }
    }
}

pub(crate) fn find_program(browser: Browser, program: Program) -> Result<PathBuf, BrowserError> {
    let variable = override_variable(browser, program);
    let names = candidate_names(browser, program);
    let missing = |detail: String| BrowserError::Missing {
        browser,
        program: match program {
            Program::Browser => "browser",
            Program::Driver => "driver",
        },
        detail,
        hint: install_hint(browser),
    };
    if let Some(value) = std::env::var_os(variable).filter(|v| !v.is_empty()) {
        let path = PathBuf::from(&value);
        if let Some(found) = resolve(&path) {
            return Ok(found);
        }
        return Err(missing(format!(
            "{variable}={} is not an executable file",
            path.display()
        )));
    }
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    for name in names {
        for dir in &dirs {
            let candidate = dir.join(name);
            if is_executable(&candidate) {
                return Ok(candidate);
            }
        }
    }
    Err(missing(format!(
        "none of {} found on PATH (set {variable} to its location)",
        names.join(", ")
    )))
}

/// An override may be a bare name (looked up on `PATH`) or a path.
fn resolve(path: &Path) -> Option<PathBuf> {
    if path.components().count() > 1 {
        return is_executable(path).then(|| path.to_path_buf());
    }
    let dirs = std::env::var_os("PATH")?;
    std::env::split_paths(&dirs)
        .map(|dir| dir.join(path))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_browser_message_says_how_to_install() {
        let error = BrowserError::Missing {
            browser: Browser::Firefox,
            program: "driver",
            detail: "none of geckodriver found on PATH".into(),
            hint: install_hint(Browser::Firefox),
        };
        let text = error.to_string();
        assert!(
            text.contains("cargo install geckodriver --locked"),
            "{text}"
        );
        assert!(text.contains("bash ci/install.sh"), "{text}");
    }

    #[test]
    fn a_path_override_must_be_executable() {
        assert_eq!(resolve(Path::new("/nonexistent/dir/chromium")), None);
        assert_eq!(
            resolve(Path::new("/bin/sh")),
            Some(PathBuf::from("/bin/sh"))
        );
    }
}
