//! POST object (browser form upload): a `multipart/form-data` body with a `key` field (which may
//! contain `${filename}`), optional `Content-Type`, `success_action_status` and `x-amz-meta-*`
//! fields, and the `file` field last. Answers 204 by default, 200 or 201 (with a `PostResponse`
//! document) when `success_action_status` asks for them.
//!
//! With credentials configured, the form must carry a SigV4 policy signature (`Policy`,
//! `X-Amz-Credential`, `X-Amz-Signature`); the signature is verified, the policy's conditions are
//! not evaluated.

use bytes::Bytes;
use cors_engine::s3::S3Error;
use http::{HeaderName, StatusCode, header};

use super::errors;
use super::handlers::Call;
use super::render::{Reply, push_element};
use super::storage::ObjectAttributes;
use crate::sigv4;

/// One form field.
struct Field {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    value: Bytes,
}

pub(crate) fn post_object(call: &Call<'_>) -> Result<Reply, S3Error> {
    let content_type = call.header("content-type").unwrap_or("");
    if !content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return Err(errors::post_requires_form());
    }
    let boundary = content_type
        .split(';')
        .filter_map(|item| item.trim().strip_prefix("boundary="))
        .next()
        .map(|b| b.trim_matches('"').to_owned())
        .ok_or_else(errors::malformed_post_request)?;
    let fields = parse_form(&call.body, &boundary).ok_or_else(errors::malformed_post_request)?;
    let text = |name: &str| {
        fields
            .iter()
            .find(|field| field.name.eq_ignore_ascii_case(name) && field.filename.is_none())
            .map(|field| String::from_utf8_lossy(&field.value).into_owned())
    };
    let file = fields
        .iter()
        .find(|field| field.name == "file")
        .ok_or_else(|| {
            errors::invalid_argument(
                "POST requires exactly one file upload per request.",
                "file",
                "0",
            )
        })?;
    if let Some(credentials) = &call.shared.credentials {
        verify_policy(credentials, &text)?;
    }
    let key_template = text("key").ok_or_else(|| {
        errors::invalid_argument(
            "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
            "key",
            "",
        )
    })?;
    let key = key_template.replace("${filename}", file.filename.as_deref().unwrap_or(""));
    if key.is_empty() {
        return Err(errors::invalid_argument(
            "User key must have a length greater than 0.",
            "key",
            "",
        ));
    }
    let mut headers = Vec::new();
    for field in &fields {
        let lower = field.name.to_ascii_lowercase();
        if field.filename.is_none()
            && (lower.starts_with("x-amz-meta-")
                || matches!(
                    lower.as_str(),
                    "cache-control" | "content-disposition" | "content-encoding" | "expires"
                ))
        {
            headers.push((lower, String::from_utf8_lossy(&field.value).into_owned()));
        }
    }
    let attributes = ObjectAttributes {
        content_type: text("content-type")
            .or_else(|| file.content_type.clone())
            .unwrap_or_else(|| "binary/octet-stream".to_owned()),
        headers,
        last_modified: None,
    };
    let object = call
        .shared
        .store
        .put_object_with(call.bucket, &key, attributes, file.value.clone())
        .map_err(|error| call.storage_error(error))?;
    let location = format!(
        "http://{}/{}/{}",
        call.host,
        call.bucket,
        crate::sigv4::encode_path(&key)
    );
    let status = match text("success_action_status").as_deref() {
        Some("200") => StatusCode::OK,
        Some("201") => StatusCode::CREATED,
        _ => StatusCode::NO_CONTENT,
    };
    let reply = Reply::new(status)
        .header(header::ETAG, object.etag.clone())
        .header(header::LOCATION, location.clone());
    if status == StatusCode::CREATED {
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse>");
        push_element(&mut xml, "Location", &location);
        push_element(&mut xml, "Bucket", call.bucket);
        push_element(&mut xml, "Key", &key);
        push_element(&mut xml, "ETag", &object.etag);
        xml.push_str("</PostResponse>");
        return Ok(reply.xml(xml));
    }
    Ok(reply)
}

fn verify_policy(
    credentials: &super::Credentials,
    text: &dyn Fn(&str) -> Option<String>,
) -> Result<(), S3Error> {
    let (Some(policy), Some(credential), Some(signature)) = (
        text("policy"),
        text("x-amz-credential"),
        text("x-amz-signature"),
    ) else {
        return Err(errors::access_denied());
    };
    let parts: Vec<&str> = credential.split('/').collect();
    let [access_key, date, region, service, "aws4_request"] = parts.as_slice() else {
        return Err(errors::access_denied());
    };
    if *access_key != credentials.access_key {
        return Err(errors::invalid_access_key_id(access_key));
    }
    let key = sigv4::signing_key(&credentials.secret_key, date, region, service);
    let expected = sigv4::signature(&key, &policy);
    if expected != signature.trim() {
        return Err(errors::signature_does_not_match(
            access_key, &policy, &signature, "",
        ));
    }
    Ok(())
}

/// Splits a multipart/form-data body; `None` when the framing is broken.
fn parse_form(body: &Bytes, boundary: &str) -> Option<Vec<Field>> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut fields = Vec::new();
    let mut at = find(body, delimiter, 0)? + delimiter.len();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Some(fields);
        }
        at += 2; // CRLF after the delimiter
        let headers_end = find(body, b"\r\n\r\n", at)?;
        let head = std::str::from_utf8(body.get(at..headers_end)?).ok()?;
        let content_start = headers_end + 4;
        let next = find(body, delimiter, content_start)?;
        let content_end = next.checked_sub(2)?; // CRLF before the delimiter
        let mut field = Field {
            name: String::new(),
            filename: None,
            content_type: None,
            value: body.slice(content_start..content_end.max(content_start)),
        };
        for line in head.split("\r\n") {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let name = HeaderName::from_bytes(name.trim().as_bytes()).ok()?;
            if name == header::CONTENT_DISPOSITION {
                for item in value.split(';').map(str::trim) {
                    if let Some(v) = item.strip_prefix("name=") {
                        field.name = v.trim_matches('"').to_owned();
                    } else if let Some(v) = item.strip_prefix("filename=") {
                        field.filename = Some(v.trim_matches('"').to_owned());
                    }
                }
            } else if name == header::CONTENT_TYPE {
                field.content_type = Some(value.trim().to_owned());
            }
        }
        fields.push(field);
        at = next + delimiter.len();
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|offset| from + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_split() {
        let body = Bytes::from_static(
            b"--XX\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nup/${filename}\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XX--\r\n",
        );
        let fields = parse_form(&body, "XX").unwrap();
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].name, "key");
        assert_eq!(&fields[0].value[..], b"up/${filename}");
        assert_eq!(fields[1].filename.as_deref(), Some("a.txt"));
        assert_eq!(fields[1].content_type.as_deref(), Some("text/plain"));
        assert_eq!(&fields[1].value[..], b"hello");
        assert!(parse_form(&Bytes::from_static(b"junk"), "XX").is_none());
    }
}
