//! Drives the bucket server with the real AWS CLI (SigV4 really verified): bucket creation,
//! PutBucketCors from a JSON file, GetBucketCors, objects, DeleteBucketCors, and a multipart
//! upload and ranged download through `aws s3 cp`.
//!
//! Runs when `aws` is on PATH or `CORS_HARNESS_AWS_CLI` names the executable; otherwise it says
//! why and passes.

use crate::support::bucket as support;

use std::path::{Path, PathBuf};
use std::process::Output;

use cors_servers::bucket::{AwsKeys, BucketServer};

const ACCESS_KEY: &str = "AKIDCORSHARNESSTEST";
const SECRET_KEY: &str = "cors-harness/secret/key/for/tests";

fn cli_path() -> Option<PathBuf> {
    let candidate = std::env::var_os("CORS_HARNESS_AWS_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("aws"));
    let works = std::process::Command::new(&candidate)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    works.then_some(candidate)
}

struct Cli {
    program: PathBuf,
    endpoint: String,
    config_dir: PathBuf,
    secret: String,
}

impl Cli {
    async fn run(&self, args: &[&str]) -> Output {
        tokio::process::Command::new(&self.program)
            .args(args)
            .args(["--endpoint-url", &self.endpoint])
            .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", &self.secret)
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", self.config_dir.join("config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.config_dir.join("credentials"),
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_PAGER", "")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .output()
            .await
            .expect("the AWS CLI runs")
    }

    /// `aws configure set NAME VALUE` into the temporary config file.
    async fn configure(&self, name: &str, value: &str) {
        let output = tokio::process::Command::new(&self.program)
            .args(["configure", "set", name, value])
            .env("AWS_CONFIG_FILE", self.config_dir.join("config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.config_dir.join("credentials"),
            )
            .output()
            .await
            .expect("the AWS CLI runs");
        assert!(
            output.status.success(),
            "aws configure set {name} {value}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    async fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args).await;
        assert!(
            output.status.success(),
            "aws {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    async fn fails_with(&self, args: &[&str], code: &str) {
        let output = self.run(args).await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "aws {args:?} should fail");
        assert!(
            stderr.contains(code),
            "aws {args:?}: expected {code} in {stderr}"
        );
    }
}

/// A bucket server that checks SigV4 with the CLI's keys.
fn keyed_server() -> BucketServer {
    BucketServer::builder()
        .keys(AwsKeys {
            access_key: ACCESS_KEY.into(),
            secret_key: SECRET_KEY.into(),
        })
        .build()
        .unwrap()
}

fn write(path: &Path, contents: &[u8]) -> String {
    std::fs::write(path, contents).unwrap();
    path.to_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_cli_round_trip_with_sigv4() {
    let Some(program) = cli_path() else {
        eprintln!("skipped: no AWS CLI (install awscli or set CORS_HARNESS_AWS_CLI)");
        return;
    };
    let server = keyed_server();
    let running = support::start(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let cli = Cli {
        program,
        endpoint: running.base.clone(),
        config_dir: dir.path().to_owned(),
        secret: SECRET_KEY.into(),
    };
    // The multipart threshold lowered to 5 MB in the temporary config file, so a 10 MiB upload
    // uses two parts.
    for (name, value) in [
        ("default.region", "us-east-1"),
        ("default.s3.multipart_threshold", "5MB"),
        ("default.s3.multipart_chunksize", "5MB"),
    ] {
        cli.configure(name, value).await;
    }
    let config = std::fs::read_to_string(dir.path().join("config")).unwrap();
    assert!(config.contains("multipart_threshold = 5MB"), "{config}");

    cli.ok(&["s3api", "create-bucket", "--bucket", "cli-bucket"])
        .await;
    cli.ok(&["s3api", "head-bucket", "--bucket", "cli-bucket"])
        .await;

    let cors = write(
        &dir.path().join("cors.json"),
        br#"{"CORSRules": [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 600}]}"#,
    );
    cli.ok(&[
        "s3api",
        "put-bucket-cors",
        "--bucket",
        "cli-bucket",
        "--cors-configuration",
        &format!("file://{cors}"),
    ])
    .await;
    let got: serde_json::Value = serde_json::from_str(
        &cli.ok(&["s3api", "get-bucket-cors", "--bucket", "cli-bucket"])
            .await,
    )
    .unwrap();
    assert_eq!(
        got,
        serde_json::json!({"CORSRules": [{"AllowedHeaders": ["*"], "AllowedMethods": ["GET", "PUT"], "AllowedOrigins": ["https://app.example.com"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 600}]})
    );

    let small = write(&dir.path().join("hello.txt"), b"hello from the AWS CLI\n");
    let put: serde_json::Value = serde_json::from_str(
        &cli.ok(&[
            "s3api",
            "put-object",
            "--bucket",
            "cli-bucket",
            "--key",
            "docs/hello.txt",
            "--body",
            &small,
            "--content-type",
            "text/plain",
        ])
        .await,
    )
    .unwrap();
    assert_eq!(
        put["ETag"],
        format!("\"{}\"", md5_hex(b"hello from the AWS CLI\n"))
    );
    let downloaded = dir.path().join("hello.out");
    let got: serde_json::Value = serde_json::from_str(
        &cli.ok(&[
            "s3api",
            "get-object",
            "--bucket",
            "cli-bucket",
            "--key",
            "docs/hello.txt",
            downloaded.to_str().unwrap(),
        ])
        .await,
    )
    .unwrap();
    assert_eq!(got["ContentType"], "text/plain");
    assert_eq!(
        std::fs::read(&downloaded).unwrap(),
        b"hello from the AWS CLI\n"
    );

    // The configuration the CLI stored is the one the engine answers preflights from.
    let preflight = support::client()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/cli-bucket/docs/hello.txt", running.base),
        )
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "PUT")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 200);
    assert_eq!(
        preflight.headers()["access-control-allow-methods"],
        "GET, PUT"
    );

    cli.ok(&["s3api", "delete-bucket-cors", "--bucket", "cli-bucket"])
        .await;
    cli.fails_with(
        &["s3api", "get-bucket-cors", "--bucket", "cli-bucket"],
        "NoSuchCORSConfiguration",
    )
    .await;

    // 10 MiB through `aws s3 cp`: multipart upload (two 5 MiB parts), then a download.
    let big: Vec<u8> = (0..10 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let big_path = write(&dir.path().join("big.bin"), &big);
    cli.ok(&["s3", "cp", &big_path, "s3://cli-bucket/big.bin"])
        .await;
    assert_eq!(
        server.object_body("cli-bucket", "big.bin").as_deref(),
        Some(&big[..])
    );
    let head: serde_json::Value = serde_json::from_str(
        &cli.ok(&[
            "s3api",
            "head-object",
            "--bucket",
            "cli-bucket",
            "--key",
            "big.bin",
        ])
        .await,
    )
    .unwrap();
    assert!(
        head["ETag"].as_str().unwrap().ends_with("-2\""),
        "multipart ETag: {head}"
    );
    assert_eq!(head["ContentLength"], 10 * 1024 * 1024);
    let big_out = dir.path().join("big.out");
    cli.ok(&[
        "s3",
        "cp",
        "s3://cli-bucket/big.bin",
        big_out.to_str().unwrap(),
    ])
    .await;
    assert_eq!(std::fs::read(&big_out).unwrap(), big);
    let listing = cli
        .ok(&["s3", "ls", "s3://cli-bucket/", "--recursive"])
        .await;
    assert!(
        listing.contains("big.bin") && listing.contains("docs/hello.txt"),
        "{listing}"
    );

    // DeleteObjects through `aws s3 rm --recursive`, then DeleteBucket.
    cli.ok(&["s3", "rm", "s3://cli-bucket", "--recursive"])
        .await;
    assert!(server.object_body("cli-bucket", "big.bin").is_none());
    cli.ok(&["s3", "rb", "s3://cli-bucket"]).await;
    cli.fails_with(&["s3api", "head-bucket", "--bucket", "cli-bucket"], "404")
        .await;

    // A wrong secret is refused.
    let wrong = Cli {
        secret: "not-the-secret".into(),
        ..cli
    };
    wrong
        .fails_with(&["s3api", "list-buckets"], "SignatureDoesNotMatch")
        .await;
}

fn md5_hex(data: &[u8]) -> String {
    use md5::{Digest, Md5};
    hex::encode(Md5::digest(data))
}

/// A key with control characters: the CLI asks for `encoding-type=url` and decodes what it gets,
/// so both listings (and `aws s3 ls`) show the key, and it reads the object back by that key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_cli_lists_a_bucket_with_control_character_keys() {
    let Some(program) = cli_path() else {
        eprintln!("skipped: no AWS CLI (install awscli or set CORS_HARNESS_AWS_CLI)");
        return;
    };
    let server = keyed_server();
    server.create_bucket("ctl-bucket").unwrap();
    let key = "dir/a\u{1}b\u{1f}c d+e";
    server
        .put_object("ctl-bucket", key, "text/plain", &b"control"[..])
        .unwrap();
    let running = support::start(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let cli = Cli {
        program,
        endpoint: running.base.clone(),
        config_dir: dir.path().to_owned(),
        secret: SECRET_KEY.into(),
    };
    cli.configure("default.region", "us-east-1").await;
    let expected = serde_json::Value::String(key.to_owned());
    for operation in ["list-objects-v2", "list-objects"] {
        let listed: serde_json::Value = serde_json::from_str(
            &cli.ok(&["s3api", operation, "--bucket", "ctl-bucket"])
                .await,
        )
        .unwrap();
        assert_eq!(listed["Contents"][0]["Key"], expected, "{operation}");
    }
    let ls = cli.ok(&["s3", "ls", "s3://ctl-bucket/dir/"]).await;
    assert!(ls.contains("a\u{1}b\u{1f}c d+e"), "{ls:?}");
    let out = dir.path().join("out");
    cli.ok(&[
        "s3api",
        "get-object",
        "--bucket",
        "ctl-bucket",
        "--key",
        key,
        out.to_str().unwrap(),
    ])
    .await;
    assert_eq!(std::fs::read(&out).unwrap(), b"control");
}
