//! A browser killed in the middle of a case: the runner replaces the session, retries the case
//! once, and the observation is complete; a browser that cannot start at all becomes an
//! infrastructure error after two attempts (never a CORS verdict).

use std::sync::Arc;
use std::time::Duration;

use cors_engine::observation::Outcome;
use cors_engine::scenario::{RawModel, RawResponse, RequestSpec, Scenario, ServerModel};
use cors_engine::{Browser, HeaderList};
use cors_harness::browsers::{Endpoint, Launcher, ProxySettings};
use cors_harness::runner::{RunError, Runner};
use cors_harness::session_pool::SessionPool;
use cors_servers::{OriginProxy, ProxyConfig};

use crate::support::local_pool;

/// Two requests with a pause between them, so a kill during the pause lands mid-case.
fn slow_scenario(pause_ms: u64) -> Scenario {
    let allow: HeaderList = [("Access-Control-Allow-Origin", "http://app.test")]
        .into_iter()
        .collect();
    let first = RequestSpec::fetch("http://api.test/first");
    let mut second = RequestSpec::fetch("http://api.test/second");
    second.wait_ms = pause_ms;
    Scenario {
        page_origin: "http://app.test".into(),
        server: ServerModel::Raw(RawModel {
            origin: "http://api.test".into(),
            preflight: RawResponse {
                status: 204,
                headers: allow.clone(),
                body: vec![],
            },
            response: RawResponse {
                status: 200,
                headers: allow,
                body: b"ok".to_vec(),
            },
        }),
        requests: vec![first, second],
    }
}

async fn runner(proxy: &OriginProxy) -> (Arc<Runner>, Arc<SessionPool>) {
    let pool = local_pool(proxy);
    let runner = Arc::new(Runner::new(proxy.handle().clone(), Arc::clone(&pool)));
    (runner, pool)
}

fn kill(pid: u32) {
    let status = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -KILL {pid}");
}

async fn killed_browser_is_replaced_and_the_case_retried(browser: Browser) {
    let proxy = OriginProxy::start(ProxyConfig::default()).await.unwrap();
    let (runner, pool) = runner(&proxy).await;
    let warm = runner.observe(browser, &slow_scenario(0)).await.unwrap();
    assert_eq!(warm.attempts, 1);
    let pids = pool.idle_browser_pids(browser);
    assert_eq!(pids.len(), 1, "one idle {browser} session");

    let running = {
        let runner = Arc::clone(&runner);
        tokio::spawn(async move { runner.observe(browser, &slow_scenario(1500)).await })
    };
    tokio::time::sleep(Duration::from_millis(600)).await;
    kill(pids[0]);
    let observation = running.await.unwrap().expect("the retry succeeds");
    assert_eq!(observation.attempts, 2, "{observation:#?}");
    assert_eq!(observation.retried_after.len(), 1);
    assert_eq!(observation.requests.len(), 2);
    for request in &observation.requests {
        assert_eq!(request.result.outcome, Outcome::Allowed);
        assert_eq!(request.result.wire.len(), 1, "{:#?}", request.result.wire);
    }
    // The replacement session is healthy for the next case.
    let after = runner.observe(browser, &slow_scenario(0)).await.unwrap();
    assert_eq!(after.attempts, 1);
    assert_ne!(pool.idle_browser_pids(browser), pids);
    pool.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chrome_killed_mid_case_is_retried() {
    killed_browser_is_replaced_and_the_case_retried(Browser::Chrome).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn firefox_killed_mid_case_is_retried() {
    killed_browser_is_replaced_and_the_case_retried(Browser::Firefox).await;
}

/// A remote WebDriver endpoint where nothing listens: every attempt fails to start a session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_that_never_starts_is_an_infrastructure_error_after_two_attempts() {
    let proxy = OriginProxy::start(ProxyConfig::default()).await.unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let settings = ProxySettings {
        address: proxy.addr(),
        spki_sha256_base64: None,
    };
    let endpoint = Endpoint::Remote(dead.parse().unwrap());
    let pool = SessionPool::new(Launcher::new(settings, endpoint), 1);
    let runner = Runner::new(proxy.handle().clone(), Arc::clone(&pool));
    let error = runner
        .observe(Browser::Chrome, &slow_scenario(0))
        .await
        .expect_err("no session can start");
    assert_eq!(error.attempts, 2);
    assert_eq!(error.earlier.len(), 1);
    assert!(matches!(error.error, RunError::Browser(_)), "{error:?}");
}
