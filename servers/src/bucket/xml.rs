//! The XML request bodies of the non-CORS operations: CompleteMultipartUpload and
//! DeleteObjects. (The answers' documents are written by `cors_engine::s3::object`.)

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct CompleteMultipartUpload {
    #[serde(rename = "Part", default)]
    parts: Vec<CompletedPart>,
}

#[derive(Debug, Deserialize)]
struct CompletedPart {
    #[serde(rename = "PartNumber")]
    part_number: u32,
    #[serde(rename = "ETag")]
    etag: String,
}

/// The `(part number, ETag)` list of a CompleteMultipartUpload body; `None` when it is not one.
pub(crate) fn parse_complete_multipart_upload(body: &[u8]) -> Option<Vec<(u32, String)>> {
    let text = std::str::from_utf8(body).ok()?;
    if !text.contains("CompleteMultipartUpload") {
        return None;
    }
    let document: CompleteMultipartUpload = quick_xml::de::from_str(text).ok()?;
    Some(
        document
            .parts
            .into_iter()
            .map(|part| (part.part_number, part.etag))
            .collect(),
    )
}

/// A DeleteObjects request body.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct DeleteRequest {
    pub(crate) keys: Vec<String>,
    pub(crate) quiet: bool,
}

#[derive(Debug, Deserialize)]
struct Delete {
    #[serde(rename = "Object", default)]
    objects: Vec<ObjectIdentifier>,
    #[serde(rename = "Quiet", default)]
    quiet: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ObjectIdentifier {
    #[serde(rename = "Key")]
    key: String,
}

/// Reads `<Delete><Object><Key>…</Key></Object>…<Quiet>true</Quiet></Delete>`; `None` when the
/// body is not one (S3 allows at most 1000 keys).
pub(crate) fn parse_delete_objects(body: &[u8]) -> Option<DeleteRequest> {
    let text = std::str::from_utf8(body).ok()?;
    if !text.contains("<Delete") {
        return None;
    }
    let document: Delete = quick_xml::de::from_str(text).ok()?;
    if document.objects.is_empty() || document.objects.len() > 1000 {
        return None;
    }
    Some(DeleteRequest {
        keys: document.objects.into_iter().map(|o| o.key).collect(),
        quiet: document.quiet.is_some_and(|q| q.trim() == "true"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_body_from_botocore_parses() {
        let body = br#"<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ETag>"aa"</ETag><PartNumber>1</PartNumber><ChecksumCRC32>x</ChecksumCRC32></Part><Part><ETag>"bb"</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>"#;
        assert_eq!(
            parse_complete_multipart_upload(body),
            Some(vec![(1, "\"aa\"".to_owned()), (2, "\"bb\"".to_owned())])
        );
        assert_eq!(parse_complete_multipart_upload(b"<junk"), None);
        assert_eq!(parse_complete_multipart_upload(b"\xff\xfe"), None);
    }

    #[test]
    fn delete_body_from_botocore_parses() {
        let body = br#"<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a b</Key></Object><Object><Key>c</Key></Object><Quiet>true</Quiet></Delete>"#;
        assert_eq!(
            parse_delete_objects(body),
            Some(DeleteRequest {
                keys: vec!["a b".into(), "c".into()],
                quiet: true
            })
        );
        assert_eq!(parse_delete_objects(b"<Delete></Delete>"), None);
        assert_eq!(parse_delete_objects(b"junk"), None);
    }
}
