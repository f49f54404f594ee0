//! Seeding a bucket on the target the way a case describes it: CreateBucket, PutBucketCors with
//! the case's configuration (compared with S3's validation), PutObject for every object. Shared
//! by the wire probe and by the forwarding router of browser runs.

use cors_engine::config::{SourceFormat, parse_put_bucket_cors_body, to_xml};

use super::client::{ClientError, S3Client};
use cors_reports::target::ServerDeviation;

use super::deviation::compare_config;
use crate::case::BucketCase;

/// What seeding found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seeded {
    /// The bucket is as the case describes it (the configuration stored or refused exactly as
    /// S3 would), objects uploaded.
    AsS3,
    /// The target and S3 disagree on the configuration (the bucket keeps whatever the target
    /// made of it); objects uploaded all the same, so a browser run still finds them.
    ConfigDeviates(ServerDeviation),
}

/// Creates `bucket` on the target and seeds it from `bucket_case`; `case_id` names deviations.
pub async fn seed_bucket(
    client: &S3Client,
    case_id: &str,
    bucket_case: &BucketCase,
    bucket: &str,
) -> Result<Seeded, ClientError> {
    client.create_bucket(bucket).await?;
    let mut config_deviation = None;

    if let Some(source) = &bucket_case.cors {
        // XML is sent as written (S3 parses exactly those bytes); JSON forms are what the
        // console and CLI turn into XML before calling PutBucketCors.
        let body = match source.format {
            SourceFormat::Xml => source.text.clone().into_bytes(),
            SourceFormat::ConsoleJson | SourceFormat::CliJson => {
                to_xml(&source.config).into_bytes()
            }
        };
        let expected = parse_put_bucket_cors_body(&body).err().map(|e| e.code);
        let answer = client.put_bucket_cors(bucket, &body).await?;
        let actual = (!(200..300).contains(&answer.status)).then(|| {
            answer
                .error_code()
                .unwrap_or_else(|| format!("HTTP {}", answer.status))
        });
        config_deviation = compare_config(case_id, expected.as_deref(), actual.as_deref());
    }

    for (key, object) in &bucket_case.objects {
        client
            .put_object(bucket, key, &object.content_type, &object.body)
            .await?;
    }
    Ok(config_deviation.map_or(Seeded::AsS3, Seeded::ConfigDeviates))
}
