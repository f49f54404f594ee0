//! Load check for the bucket server: a mixed stream of CORS preflights, GETs and PUTs from
//! concurrent clients over loopback. Fails unless every request got the expected answer and every
//! PUT is readable afterwards; prints requests per second and latency percentiles.
//!
//! `cargo run --release -p cors-servers --example bucket_load -- --requests 20000 [--concurrency 64]
//! [--size 1024] [--data-dir DIR]`

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cors_servers::bucket::BucketServer;

const ORIGIN: &str = "https://app.example.com";
const SEEDED_OBJECTS: usize = 256;
const CORS: &str = "<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>";

struct Options {
    requests: usize,
    concurrency: usize,
    size: usize,
    data_dir: Option<std::path::PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        requests: 20_000,
        concurrency: 64,
        size: 1024,
        data_dir: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |text: String| text.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--requests" => options.requests = number(value()?)?,
            "--concurrency" => options.concurrency = number(value()?)?.max(1),
            "--size" => options.size = number(value()?)?,
            "--data-dir" => options.data_dir = Some(value()?.into()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

/// The body written to (or seeded at) a key: deterministic, so a read can be checked.
fn body_for(key: &str, size: usize) -> Vec<u8> {
    key.bytes().cycle().take(size.max(key.len())).collect()
}

#[derive(Clone, Copy)]
enum Kind {
    Preflight,
    Get,
    Put,
}

fn kind_of(index: usize) -> Kind {
    match index % 3 {
        0 => Kind::Preflight,
        1 => Kind::Get,
        _ => Kind::Put,
    }
}

/// One request of the stream; `Err` says what was wrong with the answer.
async fn run_one(
    client: &reqwest::Client,
    base: &str,
    index: usize,
    size: usize,
) -> Result<(), String> {
    match kind_of(index) {
        Kind::Preflight => {
            let response = client
                .request(reqwest::Method::OPTIONS, format!("{base}/load/put-{index}"))
                .header("origin", ORIGIN)
                .header("access-control-request-method", "PUT")
                .header("access-control-request-headers", "content-type")
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let allowed = response
                .headers()
                .get("access-control-allow-origin")
                .is_some_and(|v| v == ORIGIN);
            if response.status() != 200 || !allowed {
                return Err(format!("preflight {index}: {}", response.status()));
            }
        }
        Kind::Get => {
            let key = format!("seed-{}", index % SEEDED_OBJECTS);
            let response = client
                .get(format!("{base}/load/{key}"))
                .header("origin", ORIGIN)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let status = response.status();
            let body = response.bytes().await.map_err(|e| e.to_string())?;
            if status != 200 || body[..] != body_for(&key, size)[..] {
                return Err(format!("get {key}: {status}"));
            }
        }
        Kind::Put => {
            let key = format!("put-{index}");
            let response = client
                .put(format!("{base}/load/{key}"))
                .header("origin", ORIGIN)
                .header("content-type", "application/octet-stream")
                .body(body_for(&key, size))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if response.status() != 200 {
                return Err(format!("put {key}: {}", response.status()));
            }
        }
    }
    Ok(())
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64) * fraction).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = options()?;
    let server = match &options.data_dir {
        Some(dir) => BucketServer::with_data_dir(dir)?,
        None => BucketServer::new(),
    };
    server.create_bucket("load")?;
    server.put_bucket_cors("load", cors_engine::config::parse_xml(CORS)?)?;
    for n in 0..SEEDED_OBJECTS {
        let key = format!("seed-{n}");
        server.put_object(
            "load",
            &key,
            "application/octet-stream",
            body_for(&key, options.size),
        )?;
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let router = server.router();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.concurrency)
        .build()?;
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..options.concurrency {
        let (client, base, next) = (client.clone(), base.clone(), next.clone());
        let (total, size) = (options.requests, options.size);
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= total {
                    break;
                }
                let sent = Instant::now();
                if let Err(error) = run_one(&client, &base, index, size).await {
                    errors.push(error);
                }
                latencies.push(sent.elapsed());
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::with_capacity(options.requests);
    let mut errors = Vec::new();
    for worker in workers {
        let (mut l, mut e) = worker.await?;
        latencies.append(&mut l);
        errors.append(&mut e);
    }
    let elapsed = started.elapsed();
    latencies.sort();

    // Every PUT must be readable afterwards, byte for byte.
    let mut lost = Vec::new();
    let puts: Vec<usize> = (0..options.requests)
        .filter(|i| matches!(kind_of(*i), Kind::Put))
        .collect();
    for index in &puts {
        let key = format!("put-{index}");
        let response = client.get(format!("{base}/load/{key}")).send().await?;
        let ok = response.status() == 200
            && response.bytes().await?[..] == body_for(&key, options.size)[..];
        if !ok {
            lost.push(key);
        }
    }

    println!(
        "bucket_load: {} requests ({} preflights, {} GETs, {} PUTs) with {} concurrent clients, {} B bodies{}",
        options.requests,
        (0..options.requests)
            .filter(|i| matches!(kind_of(*i), Kind::Preflight))
            .count(),
        (0..options.requests)
            .filter(|i| matches!(kind_of(*i), Kind::Get))
            .count(),
        puts.len(),
        options.concurrency,
        options.size,
        if options.data_dir.is_some() {
            ", on disk"
        } else {
            ", in memory"
        }
    );
    println!(
        "elapsed {:.2} s, {:.0} requests/s, latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        elapsed.as_secs_f64(),
        options.requests as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
    );
    println!(
        "errors {}, lost objects {} of {}",
        errors.len(),
        lost.len(),
        puts.len()
    );
    if !errors.is_empty() || !lost.is_empty() {
        for error in errors.iter().take(10) {
            eprintln!("error: {error}");
        }
        for key in lost.iter().take(10) {
            eprintln!("lost: {key}");
        }
        return Err("the bucket server dropped or mangled requests".into());
    }
    Ok(())
}
