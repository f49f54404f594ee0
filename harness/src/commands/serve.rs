//! `cors-harness serve`: the bucket server on its own, for pointing an SDK, the AWS CLI or a
//! local web app at an S3 whose CORS answers are the engine's.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use cors_servers::ConnectionTimeouts;
use cors_servers::bucket::{AwsKeys, serve};

use crate::cli::ServeArgs;

pub fn execute(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let credentials = match (args.access_key, args.secret_key) {
        (Some(access_key), Some(secret_key)) => Some(AwsKeys {
            access_key,
            secret_key,
        }),
        _ => None,
    };
    let timeouts = ConnectionTimeouts {
        header_read: Duration::from_secs(args.header_timeout),
        idle: Duration::from_secs(args.idle_timeout),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let storage = match &args.data {
        Some(dir) => format!("data in {}", dir.display()),
        None => "data in memory (lost on exit)".to_owned(),
    };
    let auth = if credentials.is_some() {
        "SigV4 required"
    } else {
        "no authentication"
    };
    eprintln!(
        "cors-harness: S3-compatible bucket server on http://{} ({storage}, {auth}); Ctrl-C stops it",
        args.listen
    );
    runtime
        .block_on(serve(args.listen, args.data, credentials, timeouts))
        .context("the bucket server stopped")?;
    Ok(ExitCode::SUCCESS)
}
