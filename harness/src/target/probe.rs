//! The wire probe of one case against a target: create a fresh bucket, apply the case's CORS
//! configuration, upload its objects, send each exchange the engine predicts the browser puts on
//! the wire, and compare every answer with the engine's S3 answer for the same bucket state.
//!
//! The exchanges come from the engine's prediction for one browser (Chrome when the case runs
//! in it, else the case's first browser): the preflight exactly as predicted (`Origin`,
//! `Access-Control-Request-Method`, `Access-Control-Request-Headers`) and the actual request with
//! `Origin`, its body, `Content-Type` and `Range`. The page's other request headers are not sent:
//! S3 never looks at them for CORS on an actual request (fact sheet §4), and an `Authorization`
//! or `x-amz-*` header from a case would clash with the probe's own signature. Requests the
//! browser would answer from its caches do not reach the wire and are not sent. Preflights and
//! form uploads go out unsigned, as S3 never authenticates those by URL; other actual requests
//! go out as presigned URLs, so a target that does not allow anonymous access answers them the
//! way S3 answers a page that reads a public (or presigned) object.
//! The exchanges and their expected answers both come from `cors_engine::server_exchanges`, the
//! prediction's own run: uploads and deletions made by earlier requests are part of the state
//! later ones see.

use cors_engine::s3::addressing::{self, ObjectAddress};
use cors_engine::{Browser, ServerExchange, server_exchanges};
use cors_reports::target::{CaseProbe, ServerDeviation};

use super::cleanup::{BucketNamer, BucketRegistry};
use super::client::{Auth, ClientError, RawRequest, S3Client, xml_elements};
use super::deviation::{ComparedAnswer, ExchangeRef, compare_answers};
use super::setup::{Seeded, seed_bucket};
use super::sigv4;
use crate::case::{BucketCase, Case};

/// Probes one bucket case; the bucket is deleted afterwards whatever happened, also when the
/// probe itself panics.
pub(crate) async fn probe_case(
    client: &S3Client,
    registry: &BucketRegistry,
    namer: &BucketNamer,
    case: &Case,
    browser: Browser,
) -> Option<CaseProbe> {
    let bucket_case = case.bucket()?.clone();
    let bucket = namer.next_name();
    registry.register(&bucket);

    let mut probe = CaseProbe {
        case_id: case.id.clone(),
        title: case.title.clone(),
        browser,
        bucket: bucket.clone(),
        exchanges: 0,
        deviations: Vec::new(),
        skipped: None,
        error: None,
        cleanup_error: None,
    };
    // The probe runs as its own task so that a panic inside it still reaches the cleanup below.
    let task = {
        let client = client.clone();
        let case = case.clone();
        let bucket = bucket.clone();
        tokio::spawn(async move {
            let mut found = Found::default();
            let result = run_case(&client, &case, &bucket_case, &bucket, browser, &mut found).await;
            (found, result)
        })
    };
    match task.await {
        Ok((found, result)) => {
            probe.exchanges = found.exchanges;
            probe.deviations = found.deviations;
            probe.skipped = found.skipped;
            probe.error = result.err().map(|e| e.to_string());
        }
        Err(join_error) => probe.error = Some(format!("the probe failed: {join_error}")),
    }
    if let Err(error) = registry.delete(client, &bucket).await {
        probe.cleanup_error = Some(error.to_string());
    }
    Some(probe)
}

/// What a case's probe has found so far (kept when it stops half-way).
#[derive(Debug, Default)]
struct Found {
    exchanges: usize,
    deviations: Vec<ServerDeviation>,
    skipped: Option<String>,
}

async fn run_case(
    client: &S3Client,
    case: &Case,
    bucket_case: &BucketCase,
    bucket: &str,
    browser: Browser,
    found: &mut Found,
) -> Result<(), ClientError> {
    if let Seeded::ConfigDeviates(deviation) =
        seed_bucket(client, &case.id, bucket_case, bucket).await?
    {
        found.deviations.push(deviation);
        found.skipped = Some(
            "the target and S3 disagree on the CORS configuration, so every answer would differ \
             for that reason alone"
                .to_owned(),
        );
        return Ok(());
    }

    let scenario = case.to_scenario();
    for (index, exchanges) in server_exchanges(&scenario, browser).iter().enumerate() {
        for exchange in exchanges {
            let Some(mapped) = map_url(bucket_case, bucket, &exchange.url) else {
                continue;
            };
            let response = client
                .raw(&RawRequest {
                    method: &exchange.method,
                    bucket: &mapped.bucket,
                    encoded_key: &mapped.encoded_key,
                    query: &mapped.query,
                    headers: &exchange.request_headers,
                    body: &exchange.request_body,
                    auth: auth_for(&exchange.method, &mapped),
                })
                .await?;
            let actual = ComparedAnswer {
                status: response.status,
                error_code: (exchange.method != "HEAD")
                    .then(|| response.error_code())
                    .flatten(),
                headers: response.headers,
            };
            found.exchanges += 1;
            let label = format!("{} {}", exchange.method, exchange.url);
            found.deviations.extend(compare_answers(
                &ExchangeRef {
                    case_id: &case.id,
                    request_index: index + 1,
                    exchange: &label,
                },
                &expected_answer(exchange),
                &actual,
            ));
        }
    }
    Ok(())
}

/// The browser whose exchanges a case's probe sends: the first of `preferred` the case runs in,
/// else Chrome if it runs there, else the case's first browser.
pub(crate) fn browser_for(case: &Case, preferred: &[Browser]) -> Browser {
    preferred
        .iter()
        .copied()
        .find(|b| case.runs_in(*b))
        .or_else(|| case.runs_in(Browser::Chrome).then_some(Browser::Chrome))
        .or_else(|| case.browsers.first().copied())
        .unwrap_or(Browser::Chrome)
}

/// S3's answer to `exchange`, as the engine's bucket model gave it in the prediction (which
/// also applied the effects of earlier requests on the objects).
fn expected_answer(exchange: &ServerExchange) -> ComparedAnswer {
    let error_code = (exchange.method != "HEAD")
        .then(|| {
            xml_elements(&String::from_utf8_lossy(&exchange.body), "Code")
                .into_iter()
                .next()
        })
        .flatten();
    ComparedAnswer {
        status: exchange.status,
        headers: exchange.headers.clone(),
        error_code,
    }
}

/// How an exchange is authenticated on the target. Preflights are sent unsigned (S3 never
/// authenticates them, §3.1); a form POST to the bucket is too, because S3 authenticates a
/// browser form upload by the policy fields in its body, not by the URL. Every other actual
/// request is presigned, so a target that refuses anonymous access answers it as S3 answers a
/// page reading a public or presigned object.
pub(crate) fn auth_for(method: &str, mapped: &MappedUrl) -> Auth {
    let form_upload = method == "POST" && mapped.encoded_key.is_empty();
    if method == "OPTIONS" || form_upload {
        Auth::Anonymous
    } else {
        Auth::Presigned
    }
}

/// Where one of the case's URLs lands on the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MappedUrl {
    pub(crate) bucket: String,
    pub(crate) encoded_key: String,
    pub(crate) query: Vec<(String, String)>,
}

/// Maps a URL of the case (on the case's bucket endpoint) to the target: the case's bucket
/// becomes the probe's bucket, any other bucket a name that does not exist on the target.
/// `None` for a URL that names no bucket at all.
pub(crate) fn map_url(bucket_case: &BucketCase, bucket: &str, url: &str) -> Option<MappedUrl> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    let authority = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    let path = parsed.path();
    let found: ObjectAddress = addressing::resolve_for_endpoint(
        &bucket_case.name,
        &bucket_case.endpoint,
        &authority,
        path,
    )
    .or_else(|| addressing::resolve(&authority, path))?;
    let target_bucket = if found.bucket == bucket_case.name {
        bucket.to_owned()
    } else {
        format!("{bucket}-absent")
    };
    Some(MappedUrl {
        bucket: target_bucket,
        encoded_key: found
            .key
            .as_deref()
            .map(sigv4::encode_path)
            .unwrap_or_default(),
        // A case may hold a presigned URL made with example credentials; the probe presigns
        // with the target's own, so the case's signature parameters are dropped.
        query: parsed
            .query_pairs()
            .filter(|(name, _)| !name.to_ascii_lowercase().starts_with("x-amz-"))
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn bucket_case(endpoint: &str) -> BucketCase {
        BucketCase {
            name: "assets".to_owned(),
            endpoint: endpoint.to_owned(),
            cors: None,
            expect_cors_error: None,
            objects: BTreeMap::new(),
        }
    }

    fn case_for(browsers: &str) -> Case {
        let text = format!(
            "title = \"t\"\npage = \"https://app.example.com\"\nbrowsers = {browsers}\n\
             [bucket]\nname = \"assets\"\n[[request]]\nurl = \"/a\"\n"
        );
        crate::case::parse_case(&text, std::path::Path::new("cases/t.toml"), "t").expect("case")
    }

    #[test]
    fn exchanges_come_from_the_preferred_browser_the_case_runs_in() {
        let both = case_for(r#"["chrome", "firefox"]"#);
        assert_eq!(browser_for(&both, &[]), Browser::Chrome);
        assert_eq!(browser_for(&both, &[Browser::Firefox]), Browser::Firefox);
        let firefox_only = case_for(r#"["firefox"]"#);
        assert_eq!(browser_for(&firefox_only, &[]), Browser::Firefox);
        assert_eq!(
            browser_for(&firefox_only, &[Browser::Chrome]),
            Browser::Firefox
        );
    }

    #[test]
    fn a_case_signature_is_dropped_so_the_probe_can_presign() {
        let case = bucket_case("https://assets.s3.amazonaws.com");
        let mapped = map_url(
            &case,
            "b",
            "https://assets.s3.amazonaws.com/k?X-Amz-Signature=00&response-content-type=a&X-Amz-Date=1",
        )
        .unwrap();
        assert_eq!(
            mapped.query,
            [("response-content-type".to_owned(), "a".to_owned())]
        );
    }

    #[test]
    fn virtual_hosted_case_urls_map_to_the_probe_bucket() {
        let case = bucket_case("http://assets.s3.amazonaws.com");
        let mapped = map_url(
            &case,
            "cors-harness-x-1",
            "http://assets.s3.amazonaws.com/a%20b.txt?v=1",
        )
        .unwrap();
        assert_eq!(mapped.bucket, "cors-harness-x-1");
        assert_eq!(mapped.encoded_key, "a%20b.txt");
        assert_eq!(mapped.query, [("v".to_owned(), "1".to_owned())]);
    }

    #[test]
    fn path_style_case_urls_map_and_other_buckets_become_absent_ones() {
        let case = bucket_case("https://s3.eu-west-1.amazonaws.com");
        let mapped = map_url(&case, "b", "https://s3.eu-west-1.amazonaws.com/assets/k").unwrap();
        assert_eq!(
            (mapped.bucket.as_str(), mapped.encoded_key.as_str()),
            ("b", "k")
        );
        let other = map_url(&case, "b", "https://s3.eu-west-1.amazonaws.com/other/k").unwrap();
        assert_eq!(other.bucket, "b-absent");
        let bucket_itself =
            map_url(&case, "b", "https://s3.eu-west-1.amazonaws.com/assets").unwrap();
        assert_eq!(bucket_itself.encoded_key, "");
    }
}
