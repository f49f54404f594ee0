//! Starting the third-party S3-compatible servers the target tests run against (installed by
//! `bash ci/install-targets.sh`): finding the executable, free loopback ports, waiting until the
//! S3 API answers, and killing the process when the test ends.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cors_harness::target::S3Client;

pub const INSTALL_HINT: &str = "run `bash ci/install-targets.sh` (or set CORS_HARNESS_S3RVER / \
                                CORS_HARNESS_WEED to the server's executable)";

/// A server process killed when the test ends, whatever the outcome.
pub struct ServerProcess {
    pub child: Child,
    pub _data: tempfile::TempDir,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tools_dir() -> PathBuf {
    std::env::var_os("CORS_HARNESS_TOOLS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache/cors-harness"))
        })
        .unwrap_or_else(|| PathBuf::from(".cache/cors-harness"))
}

/// The executable from `env_var`, else the install script's location; a clear failure if
/// neither exists.
pub fn locate(env_var: &str, installed: &str) -> PathBuf {
    let path = std::env::var_os(env_var)
        .map(PathBuf::from)
        .unwrap_or_else(|| tools_dir().join(installed));
    assert!(
        path.is_file(),
        "{} not found: {INSTALL_HINT}",
        path.display()
    );
    path
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free loopback port")
}

/// Starts s3rver on a free loopback port with a fresh data folder; its built-in account is
/// `S3RVER` / `S3RVER`. Call [`wait_until_ready`] before using it.
pub fn start_s3rver() -> (ServerProcess, u16) {
    let executable = locate("CORS_HARNESS_S3RVER", "s3rver/node_modules/.bin/s3rver");
    let data = tempfile::tempdir().expect("temporary directory");
    let port = free_port();
    let child = Command::new(&executable)
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "--silent", "-d"])
        .arg(data.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}; {INSTALL_HINT}", executable.display()));
    (ServerProcess { child, _data: data }, port)
}

/// Waits until ListBuckets succeeds: the server is up and its S3 API answers.
pub async fn wait_until_ready(client: &S3Client, server: &mut ServerProcess, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if client.list_buckets().await.is_ok() {
            return;
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("{what} exited before answering ({status})");
        }
        assert!(
            Instant::now() < deadline,
            "{what} did not answer within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
