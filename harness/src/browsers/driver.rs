//! WebDriver server processes (chromedriver, geckodriver): spawn on a free port, wait for the
//! line that says where they listen, keep their output drained, and make sure they die with us.

use std::collections::VecDeque;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use url::Url;

use super::BrowserError;

/// How many trailing output lines of a driver are kept for error messages.
const KEPT_OUTPUT_LINES: usize = 40;

/// A running WebDriver server owned by the harness.
///
/// The child is spawned with `kill_on_drop(true)`, so a panic or an early return cannot orphan it;
/// [`DriverProcess::shutdown`] kills and reaps it explicitly on the normal path.
#[derive(Debug)]
pub struct DriverProcess {
    child: Child,
    url: Url,
}

/// Which line announces that a driver is ready, and the port in it.
pub(crate) type ReadinessParser = fn(&str) -> Option<u16>;

impl DriverProcess {
    /// Starts `program args…` and waits up to `deadline` for `ready` to find the port in a line of
    /// its standard output (drivers started with port 0 pick a free port and print it).
    pub(crate) async fn spawn(
        name: &'static str,
        program: &Path,
        args: &[String],
        ready: ReadinessParser,
        deadline: Duration,
    ) -> Result<Self, BrowserError> {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| BrowserError::DriverSpawn {
                driver: name,
                program: program.display().to_string(),
                source,
            })?;
        let output = Arc::new(Mutex::new(VecDeque::new()));
        let (port_tx, port_rx) = tokio::sync::oneshot::channel();
        if let Some(stdout) = child.stdout.take() {
            tokio::spawn(drain(stdout, output.clone(), Some((ready, port_tx))));
        }
        if let Some(stderr) = child.stderr.take() {
            tokio::spawn(drain(stderr, output.clone(), None));
        }
        let port = match tokio::time::timeout(deadline, port_rx).await {
            Ok(Ok(port)) => port,
            outcome => {
                let _ = child.start_kill();
                let _ = child.wait().await;
                let lines = output.lock().map(|o| o.iter().cloned().collect::<Vec<_>>());
                return Err(BrowserError::DriverNotReady {
                    driver: name,
                    waited: if outcome.is_err() {
                        Some(deadline)
                    } else {
                        None
                    },
                    output: lines.unwrap_or_default().join("\n"),
                });
            }
        };
        let url = Url::parse(&format!("http://127.0.0.1:{port}/"))
            .expect("a loopback URL with a numeric port is valid");
        Ok(Self { child, url })
    }

    /// The WebDriver endpoint, e.g. `http://127.0.0.1:40123/`.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Kills the driver and waits for it to exit, so no zombie is left behind. Any browser the
    /// driver still runs is killed first (see the `Drop` impl).
    pub async fn shutdown(mut self) {
        if let Some(pid) = self.child.id() {
            kill_descendants(pid);
        }
        kill_and_reap(&mut self.child).await;
    }
}

impl Drop for DriverProcess {
    /// `kill_on_drop` ends the driver itself, but a browser it started would survive it, e.g.
    /// when a run is interrupted while a session is starting. Kill those first.
    fn drop(&mut self) {
        if let Some(pid) = self.child.id() {
            kill_descendants(pid);
        }
    }
}

/// Sends SIGKILL to `pid`; a process that is already gone is fine.
pub(crate) fn kill_process(pid: u32) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    // SAFETY: kill(2) has no memory-safety preconditions; a stale pid at worst yields ESRCH.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
    }
}

/// Kills every process below `root` in the process tree (not `root` itself), read from `/proc`.
pub(crate) fn kill_descendants(root: u32) {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    let parents: Vec<(u32, u32)> = entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            Some((pid, parent_of(pid)?))
        })
        .collect();
    let mut tree = vec![root];
    let mut index = 0;
    while index < tree.len() {
        let parent = tree[index];
        tree.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        index += 1;
    }
    for pid in tree.into_iter().skip(1) {
        kill_process(pid);
    }
}

/// The parent pid from `/proc/<pid>/stat` (the field after the parenthesised command name).
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

async fn kill_and_reap(child: &mut Child) {
    let _ = child.start_kill();
    let _ = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
}

/// Reads `stream` line by line until it closes, keeping the last lines and reporting the port the
/// first time `ready` recognises one. A driver whose pipe is never read blocks once the pipe
/// buffer fills, so this keeps running for the driver's whole life.
async fn drain(
    stream: impl AsyncRead + Unpin,
    output: Arc<Mutex<VecDeque<String>>>,
    mut ready: Option<(ReadinessParser, tokio::sync::oneshot::Sender<u16>)>,
) {
    let mut lines = BufReader::new(stream).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some((parse, _)) = &ready
            && let Some(port) = parse(&line)
            && let Some((_, tx)) = ready.take()
        {
            let _ = tx.send(port);
        }
        if let Ok(mut kept) = output.lock() {
            if kept.len() == KEPT_OUTPUT_LINES {
                kept.pop_front();
            }
            kept.push_back(line);
        }
    }
}

/// chromedriver: "ChromeDriver was started successfully on port 40123."
pub(crate) fn chromedriver_port(line: &str) -> Option<u16> {
    let rest = line.split("started successfully on port ").nth(1)?;
    rest.trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .ok()
}

/// geckodriver: "<millis>\tgeckodriver\tINFO\tListening on 127.0.0.1:40123" (tab-separated)
pub(crate) fn geckodriver_port(line: &str) -> Option<u16> {
    let rest = line.split("Listening on ").nth(1)?;
    rest.trim().rsplit(':').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chromedriver_readiness_line_gives_port() {
        // docs/runner.md, "Drivers": the line chromedriver 156 prints.
        assert_eq!(
            chromedriver_port("ChromeDriver was started successfully on port 40123."),
            Some(40123)
        );
        assert_eq!(
            chromedriver_port("Starting ChromeDriver 156.0.8078.79"),
            None
        );
    }

    #[test]
    fn geckodriver_readiness_line_gives_port() {
        // docs/runner.md, "Drivers": geckodriver 0.37.1 logs "… geckodriver INFO Listening on 127.0.0.1:N".
        assert_eq!(
            geckodriver_port("1732460000000\tgeckodriver\tINFO\tListening on 127.0.0.1:45678"),
            Some(45678)
        );
        assert_eq!(
            geckodriver_port("1732460000000\tgeckodriver\tINFO\tother"),
            None
        );
    }
}
