//! POST object (a browser form upload): a `multipart/form-data` body with a `key` field (which
//! may contain `${filename}`), optional `Content-Type`, `success_action_status`, `x-amz-meta-*`
//! and stored-header fields, and the `file` field. The body is read as bytes: the file may be
//! anything, and the other fields are read as (lossy) UTF-8 text.

use std::borrow::Cow;

use crate::s3::S3Error;

use super::DEFAULT_CONTENT_TYPE;

/// One part of a multipart/form-data body; the value is borrowed from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField<'a> {
    pub name: String,
    /// The `filename` of a file part.
    pub filename: Option<String>,
    /// The part's own `Content-Type`.
    pub content_type: Option<String>,
    pub value: &'a [u8],
}

/// Splits a multipart/form-data body at `boundary`; `None` when the framing is broken.
pub fn parse_form<'a>(body: &'a [u8], boundary: &str) -> Option<Vec<FormField<'a>>> {
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
        let mut field = FormField {
            name: String::new(),
            filename: None,
            content_type: None,
            value: body.get(content_start..content_end.max(content_start))?,
        };
        for line in head.split("\r\n") {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let name = name.trim();
            if !is_header_name(name) {
                return None;
            }
            if name.eq_ignore_ascii_case("content-disposition") {
                for item in value.split(';').map(str::trim) {
                    if let Some(v) = item.strip_prefix("name=") {
                        field.name = v.trim_matches('"').to_owned();
                    } else if let Some(v) = item.strip_prefix("filename=") {
                        field.filename = Some(v.trim_matches('"').to_owned());
                    }
                }
            } else if name.eq_ignore_ascii_case("content-type") {
                field.content_type = Some(value.trim().to_owned());
            }
        }
        fields.push(field);
        at = next + delimiter.len();
    }
}

/// An HTTP token: what a part's header line must start with.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|offset| from + offset)
}

/// A form upload's fields, checked as far as S3 checks them before authenticating the form: a
/// multipart/form-data body with a `file` field.
#[derive(Debug, Clone)]
pub struct PostForm<'a> {
    fields: Vec<FormField<'a>>,
    file: usize,
}

/// Reads the body of a POST to the bucket. Errors, in S3's order: not multipart/form-data
/// (412), broken framing or no boundary (`MalformedPOSTRequest`), no `file` field.
pub fn read_post_form<'a>(
    content_type: Option<&str>,
    body: &'a [u8],
) -> Result<PostForm<'a>, S3Error> {
    let content_type = content_type.unwrap_or("");
    if !content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return Err(S3Error::post_requires_form());
    }
    let fields = content_type
        .split(';')
        .find_map(|item| item.trim().strip_prefix("boundary="))
        .and_then(|boundary| parse_form(body, boundary.trim_matches('"')))
        .ok_or_else(S3Error::malformed_post_request)?;
    let file = fields
        .iter()
        .position(|field| field.name == "file")
        .ok_or_else(S3Error::post_without_file)?;
    Ok(PostForm { fields, file })
}

impl<'a> PostForm<'a> {
    /// The value of a text field (not a file part), by case-insensitive name.
    pub fn text(&self, name: &str) -> Option<Cow<'a, str>> {
        self.fields
            .iter()
            .find(|field| field.name.eq_ignore_ascii_case(name) && field.filename.is_none())
            .map(|field| String::from_utf8_lossy(field.value))
    }

    /// The `file` part.
    pub fn file(&self) -> &FormField<'a> {
        &self.fields[self.file]
    }

    /// The key the object is stored under: the `key` field with `${filename}` replaced by the
    /// file part's name.
    pub fn key(&self) -> Result<String, S3Error> {
        let template = self.text("key").ok_or_else(S3Error::post_without_key)?;
        let key = template.replace("${filename}", self.file().filename.as_deref().unwrap_or(""));
        if key.is_empty() {
            return Err(S3Error::post_empty_key());
        }
        Ok(key)
    }

    /// The stored object's type: the `Content-Type` field, else the file part's own type.
    pub fn content_type(&self) -> Cow<'a, str> {
        self.text("content-type")
            .or_else(|| self.file().content_type.clone().map(Cow::Owned))
            .unwrap_or(Cow::Borrowed(DEFAULT_CONTENT_TYPE))
    }

    /// The fields S3 stores as object headers (`x-amz-meta-*`, `Cache-Control`,
    /// `Content-Disposition`, `Content-Encoding`, `Expires`), names lower-cased, in form order.
    pub fn stored_headers(&self) -> Vec<(String, String)> {
        self.fields
            .iter()
            .filter(|field| field.filename.is_none())
            .filter_map(|field| {
                let lower = field.name.to_ascii_lowercase();
                let stored = lower.starts_with("x-amz-meta-")
                    || matches!(
                        lower.as_str(),
                        "cache-control" | "content-disposition" | "content-encoding" | "expires"
                    );
                stored.then(|| (lower, String::from_utf8_lossy(field.value).into_owned()))
            })
            .collect()
    }

    /// The answer's status: 200 or 201 when `success_action_status` asks for it, else 204.
    pub fn success_status(&self) -> u16 {
        match self.text("success_action_status").as_deref() {
            Some("200") => 200,
            Some("201") => 201,
            _ => 204,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"--XX\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nup/${filename}\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhel\xfflo\r\n--XX--\r\n";

    #[test]
    fn form_fields_split_over_any_bytes() {
        let fields = parse_form(BODY, "XX").unwrap();
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].name, "key");
        assert_eq!(fields[0].value, b"up/${filename}");
        assert_eq!(fields[1].filename.as_deref(), Some("a.txt"));
        assert_eq!(fields[1].content_type.as_deref(), Some("text/plain"));
        assert_eq!(fields[1].value, b"hel\xfflo");
        assert!(parse_form(b"junk", "XX").is_none());
    }

    #[test]
    fn a_post_form_names_its_key_type_and_status() {
        let form = read_post_form(Some("multipart/form-data; boundary=XX"), BODY).unwrap();
        assert_eq!(form.key().unwrap(), "up/a.txt");
        assert_eq!(form.content_type(), "text/plain");
        assert_eq!(form.success_status(), 204);
        assert_eq!(
            read_post_form(Some("text/plain"), BODY).unwrap_err().status,
            412
        );
        assert_eq!(
            read_post_form(Some("multipart/form-data"), BODY)
                .unwrap_err()
                .code,
            "MalformedPOSTRequest"
        );
    }
}
