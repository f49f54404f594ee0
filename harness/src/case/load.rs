//! Reading one case file: TOML → [`CaseFile`] → checked, resolved [`Case`].
//!
//! Every failure is a [`CaseError`] naming the file, line, column and key. Checks that serde
//! cannot express (exactly one of `[bucket]`/`[server]`, fields that only apply to some request
//! kinds, exclusive keys) are done here, against the spans serde kept.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use cors_engine::Browser;
use cors_engine::config;
use cors_engine::http::{HeaderList, is_token, origin_of};
use cors_engine::scenario::{
    BodySpec, CacheMode, CredentialsMode, Mode, ObjectSpec, RawModel, RawResponse, RequestKind,
    RequestSpec,
};
use cors_reports::predict::{ExpectFields, ReadableExpect};
use toml::Spanned;

use super::error::{CaseError, Locator};
use super::expect::Expectation;
use super::file::{
    BodyFile, BodyKind, BucketFile, CaseFile, ExpectFieldsFile, ExpectFile, HeaderTable,
    ObjectFile, RawResponseFile, ReadableExpectFile, RequestFile, ServerFile,
};
use super::model::{BucketCase, Case, CaseRequest, CaseServer, CorsSource};

/// Reads and checks the case file at `path`; `id` is its case id.
pub fn load_case(path: &Path, id: impl Into<String>) -> Result<Case, CaseError> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| CaseError::whole_file(path, format!("cannot read the case: {error}")))?;
    parse_case(&text, path, id)
}

/// Checks case text as if read from `path` (relative `cors_file`/`body_file` resolve against
/// `path`'s directory).
pub fn parse_case(text: &str, path: &Path, id: impl Into<String>) -> Result<Case, CaseError> {
    let locator = Locator::new(path, text);
    let file: CaseFile = toml::from_str(text).map_err(|error| locator.toml_error(&error))?;
    let base_dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    Builder {
        locator: &locator,
        base_dir,
    }
    .build(file, path, id.into())
}

/// The longest pause a page can take: `setTimeout` takes its delay as a WebIDL `long` (a signed
/// 32-bit integer), so a longer one wraps around (2^31 becomes negative and fires at once,
/// 2^32 + 1000 waits one second) while the engine would assume the full wait.
const MAX_WAIT_MS: u64 = (1 << 31) - 1;

struct Builder<'a> {
    locator: &'a Locator<'a>,
    base_dir: PathBuf,
}

type Loaded<T> = Result<T, CaseError>;

impl Builder<'_> {
    fn at<T>(&self, spanned: &Spanned<T>, key: &str, message: impl Into<String>) -> CaseError {
        self.locator
            .error(Some(spanned.span()), Some(key), message.into())
    }

    fn build(&self, file: CaseFile, path: &Path, id: String) -> Loaded<Case> {
        let title = file.title.ok_or_else(|| {
            self.locator
                .missing("title", "missing required key `title`")
        })?;
        if title.get_ref().trim().is_empty() || title.get_ref().contains('\n') {
            return Err(self.at(&title, "title", "`title` must be one non-empty line"));
        }
        let page = file
            .page
            .ok_or_else(|| self.locator.missing("page", "missing required key `page`"))?;
        let page_origin = parse_origin(page.get_ref())
            .map_err(|why| self.at(&page, "page", format!("`page` {why}")))?;
        let browsers = match file.browsers {
            None => Browser::ALL.to_vec(),
            Some(list) if list.is_empty() => {
                return Err(self.locator.error(
                    None,
                    Some("browsers"),
                    "`browsers` is empty; omit it to run in every browser",
                ));
            }
            Some(list) => Browser::ALL
                .into_iter()
                .filter(|b| list.contains(b))
                .collect(),
        };
        let server = match (file.bucket, file.server) {
            (Some(bucket), None) => CaseServer::Bucket(self.bucket(bucket)?),
            (None, Some(server)) => CaseServer::Server(self.server(server)?),
            (Some(_), Some(server)) => {
                return Err(self.at(
                    &server,
                    "server",
                    "a case has exactly one of [bucket] or [server], this one has both",
                ));
            }
            (None, None) => {
                return Err(self.locator.missing(
                    "bucket",
                    "a case needs exactly one of [bucket] (an S3 bucket) or [server] (a \
                     literal-header server)",
                ));
            }
        };
        let base_origin = match &server {
            CaseServer::Bucket(bucket) => bucket.endpoint.clone(),
            CaseServer::Server(raw) => raw.origin.clone(),
        };
        if file.request.is_empty() {
            return Err(self
                .locator
                .missing("request", "a case needs at least one [[request]] table"));
        }
        let requests = file
            .request
            .into_iter()
            .enumerate()
            .map(|(index, request)| self.request(index, request, &base_origin))
            .collect::<Loaded<Vec<_>>>()?;
        Ok(Case {
            id,
            path: path.to_path_buf(),
            title: title.into_inner().trim().to_owned(),
            tags: file.tags,
            page: page_origin,
            browsers,
            server,
            requests,
        })
    }

    fn bucket(&self, bucket: Spanned<BucketFile>) -> Loaded<BucketCase> {
        let bucket = bucket.into_inner();
        let name = bucket.name.get_ref().trim().to_owned();
        if name.is_empty() || name.contains(['/', ' ']) {
            return Err(self.at(
                &bucket.name,
                "bucket.name",
                "`bucket.name` must be a bucket name (no spaces or slashes)",
            ));
        }
        let endpoint = match &bucket.endpoint {
            Some(endpoint) => parse_origin(endpoint.get_ref())
                .map_err(|why| self.at(endpoint, "bucket.endpoint", format!("`endpoint` {why}")))?,
            None => format!("http://{name}.s3.amazonaws.com"),
        };
        let cors = match (&bucket.cors, &bucket.cors_file) {
            (Some(_), Some(file)) => {
                return Err(self.at(
                    file,
                    "bucket.cors_file",
                    "`cors` and `cors_file` are exclusive: give the configuration once",
                ));
            }
            (Some(text), None) => Some(self.embedded_cors(text)?),
            (None, Some(file)) => Some(self.cors_file(file)?),
            (None, None) => None,
        };
        let expect_cors_error = match bucket.expect_cors_error {
            Some(code) if cors.is_none() => {
                return Err(self.at(
                    &code,
                    "bucket.expect_cors_error",
                    "`expect_cors_error` needs a `cors` or `cors_file` to validate",
                ));
            }
            Some(code) => Some(code.into_inner()),
            None => None,
        };
        let mut objects = BTreeMap::new();
        for (key, object) in bucket.objects {
            let spec = self.object(&key, object)?;
            objects.insert(key, spec);
        }
        Ok(BucketCase {
            name,
            endpoint,
            cors,
            expect_cors_error,
            objects,
        })
    }

    fn embedded_cors(&self, text: &Spanned<String>) -> Loaded<CorsSource> {
        let source = text.get_ref();
        match config::parse(source) {
            Ok((configuration, format)) => Ok(cors_source(None, source, configuration, format)),
            Err(error) => {
                let inner_line = error.line.unwrap_or(1);
                let first_line = self.first_content_line(text.span());
                let mut located = self.at(
                    text,
                    "bucket.cors",
                    format!(
                        "the CORS configuration does not parse (its line {inner_line}): {}",
                        error.message
                    ),
                );
                located.line = Some(first_line + inner_line - 1);
                located.column = None;
                Err(located)
            }
        }
    }

    /// The case-file line where the content of the string at `span` starts: a newline right
    /// after an opening `'''` or `"""` is not part of the string.
    fn first_content_line(&self, span: Range<usize>) -> usize {
        let line = self.locator.line(span.start);
        let raw = &self.locator.text()[span.start.min(self.locator.text().len())..];
        let after_delimiter = raw
            .strip_prefix("'''")
            .or_else(|| raw.strip_prefix("\"\"\""));
        match after_delimiter {
            Some(rest) if rest.starts_with('\n') || rest.starts_with("\r\n") => line + 1,
            _ => line,
        }
    }

    fn cors_file(&self, file: &Spanned<String>) -> Loaded<CorsSource> {
        let path = self.base_dir.join(file.get_ref());
        let text = std::fs::read_to_string(&path).map_err(|error| {
            self.at(
                file,
                "bucket.cors_file",
                format!("cannot read {}: {error}", path.display()),
            )
        })?;
        let (configuration, format) = config::parse(&text).map_err(|error| {
            let line = error.line.map(|l| format!(":{l}")).unwrap_or_default();
            self.at(
                file,
                "bucket.cors_file",
                format!(
                    "{}{line}: the CORS configuration does not parse: {}",
                    path.display(),
                    error.message
                ),
            )
        })?;
        Ok(cors_source(Some(path), &text, configuration, format))
    }

    fn object(&self, key: &str, object: Spanned<ObjectFile>) -> Loaded<ObjectSpec> {
        let dotted = format!("bucket.objects.\"{key}\"");
        if key.starts_with('/') {
            return Err(self.at(
                &object,
                &dotted,
                "object keys have no leading `/` (the URL `/a/b.txt` addresses the key `a/b.txt`)",
            ));
        }
        let object = object.into_inner();
        let body = match (&object.body, &object.body_file) {
            (Some(_), Some(file)) => {
                return Err(self.at(
                    file,
                    &format!("{dotted}.body_file"),
                    "`body` and `body_file` are exclusive",
                ));
            }
            (Some(text), None) => text.clone().into_bytes(),
            (None, Some(file)) => {
                let path = self.base_dir.join(file.get_ref());
                std::fs::read(&path).map_err(|error| {
                    self.at(
                        file,
                        &format!("{dotted}.body_file"),
                        format!("cannot read {}: {error}", path.display()),
                    )
                })?
            }
            (None, None) => Vec::new(),
        };
        Ok(ObjectSpec {
            content_type: object
                .content_type
                .unwrap_or_else(|| content_type_for(key).to_owned()),
            body: body.into(),
        })
    }

    fn server(&self, server: Spanned<ServerFile>) -> Loaded<RawModel> {
        let server = server.into_inner();
        let origin = parse_origin(server.origin.get_ref())
            .map_err(|why| self.at(&server.origin, "server.origin", format!("`origin` {why}")))?;
        Ok(RawModel {
            origin,
            preflight: raw_response(server.preflight),
            response: raw_response(server.response),
        })
    }

    fn request(
        &self,
        index: usize,
        request: Spanned<RequestFile>,
        base_origin: &str,
    ) -> Loaded<CaseRequest> {
        let line = self.locator.line(request.span().start);
        let request = request.into_inner();
        let key = |name: &str| format!("request[{index}].{name}");
        let kind = request.kind.unwrap_or(RequestKind::Fetch);
        let kind_name = kind_name(kind);
        let is_script_api = matches!(kind, RequestKind::Fetch | RequestKind::Xhr);
        let not_for_kind = |spanned_span: Range<usize>, name: &str, who: &str| {
            self.locator.error(
                Some(spanned_span),
                Some(&key(name)),
                format!("`{name}` applies to {who} only, this request is `kind = \"{kind_name}\"`"),
            )
        };

        let url = resolve_url(base_origin, request.url.get_ref())
            .map_err(|why| self.at(&request.url, &key("url"), why))?;

        let method = match &request.method {
            Some(method) if !is_script_api => {
                return Err(not_for_kind(method.span(), "method", "fetch and xhr"));
            }
            Some(method) => {
                let text = method.get_ref();
                if !is_token(text) {
                    return Err(self.at(
                        method,
                        &key("method"),
                        format!("`{text}` is not an HTTP method token"),
                    ));
                }
                text.clone()
            }
            None => "GET".to_owned(),
        };

        let headers = match &request.headers {
            Some(headers) if !is_script_api && !headers.get_ref().0.is_empty() => {
                return Err(not_for_kind(headers.span(), "headers", "fetch and xhr"));
            }
            Some(headers) => header_list(headers.get_ref()),
            None => HeaderList::new(),
        };

        let body = self.body(&request, &key, is_script_api, &not_for_kind)?;

        let mode = match &request.mode {
            Some(mode) if kind != RequestKind::Fetch => {
                return Err(not_for_kind(mode.span(), "mode", "fetch"));
            }
            Some(mode) => *mode.get_ref(),
            None => Mode::Cors,
        };
        let credentials = match &request.credentials {
            Some(credentials) if !is_script_api => {
                return Err(not_for_kind(
                    credentials.span(),
                    "credentials",
                    "fetch and xhr (elements use `crossorigin`)",
                ));
            }
            Some(credentials)
                if kind == RequestKind::Xhr && *credentials.get_ref() == CredentialsMode::Omit =>
            {
                return Err(self.at(
                    credentials,
                    &key("credentials"),
                    "xhr has no `omit`: use `include` (withCredentials = true) or `same-origin`",
                ));
            }
            Some(credentials) => *credentials.get_ref(),
            None => CredentialsMode::SameOrigin,
        };
        let crossorigin = match &request.crossorigin {
            Some(value) if is_script_api => {
                return Err(not_for_kind(
                    value.span(),
                    "crossorigin",
                    "img, img-canvas, script and font (fetch and xhr use `mode`/`credentials`)",
                ));
            }
            Some(value) => Some(*value.get_ref()),
            None => None,
        };
        let cache = match &request.cache {
            Some(cache) if kind != RequestKind::Fetch => {
                return Err(not_for_kind(cache.span(), "cache", "fetch"));
            }
            Some(cache) => *cache.get_ref(),
            None => CacheMode::Default,
        };
        let upload_listener = match &request.upload_listener {
            Some(flag) if kind != RequestKind::Xhr => {
                return Err(not_for_kind(flag.span(), "upload_listener", "xhr"));
            }
            Some(flag) => *flag.get_ref(),
            None => false,
        };
        if !is_script_api && !request.read_headers.is_empty() {
            return Err(self.locator.error(
                Some(request.url.span()),
                Some(&key("read_headers")),
                format!(
                    "`read_headers` applies to fetch and xhr only, this request is `kind = \"{kind_name}\"`"
                ),
            ));
        }
        let wait_ms = match &request.wait_ms {
            Some(wait) if *wait.get_ref() > MAX_WAIT_MS => {
                return Err(self.at(
                    wait,
                    &key("wait_ms"),
                    format!(
                        "`wait_ms` is at most {MAX_WAIT_MS} (2^31 - 1, the longest a browser \
                         timer waits: a longer `setTimeout` delay wraps around), this is {}",
                        wait.get_ref()
                    ),
                ));
            }
            Some(wait) => *wait.get_ref(),
            None => 0,
        };
        let read_headers = request.read_headers.clone();
        let expect = match &request.expect {
            Some(expect) => Some(self.expectation(expect, kind, &read_headers, &key)?),
            None => None,
        };
        Ok(CaseRequest {
            spec: RequestSpec {
                kind,
                url,
                method,
                headers,
                body,
                mode,
                credentials,
                crossorigin,
                cache,
                upload_listener,
                read_headers,
                wait_ms,
            },
            expect,
            line,
        })
    }

    fn body(
        &self,
        request: &RequestFile,
        key: &dyn Fn(&str) -> String,
        is_script_api: bool,
        not_for_kind: &dyn Fn(Range<usize>, &str, &str) -> CaseError,
    ) -> Loaded<Option<BodySpec>> {
        let Some(body) = &request.body else {
            if let Some(kind) = &request.body_kind {
                return Err(self.at(kind, &key("body_kind"), "`body_kind` needs a `body`"));
            }
            if let Some(body_type) = &request.body_type {
                return Err(self.at(body_type, &key("body_type"), "`body_type` needs a `body`"));
            }
            return Ok(None);
        };
        if !is_script_api {
            return Err(not_for_kind(body.span(), "body", "fetch and xhr"));
        }
        let body_kind = request
            .body_kind
            .as_ref()
            .map_or(BodyKind::Text, |k| *k.get_ref());
        if let Some(body_type) = &request.body_type
            && body_kind != BodyKind::Blob
        {
            return Err(self.at(
                body_type,
                &key("body_type"),
                "`body_type` is the Blob's type: it needs `body_kind = \"blob\"`",
            ));
        }
        let text = match (body.get_ref(), body_kind) {
            (BodyFile::Fields(fields), BodyKind::FormData) => {
                let fields = fields
                    .0
                    .iter()
                    .flat_map(|(name, values)| values.iter().map(|v| (name.clone(), v.clone())))
                    .collect();
                return Ok(Some(BodySpec::FormData { fields }));
            }
            (BodyFile::Fields(_), _) => {
                return Err(self.at(
                    body,
                    &key("body"),
                    "a table `body` is for `body_kind = \"form-data\"`; other bodies are strings",
                ));
            }
            (BodyFile::Text(_), BodyKind::FormData) => {
                return Err(self.at(
                    body,
                    &key("body"),
                    "`body_kind = \"form-data\"` takes a table of fields, e.g. body = { name = \"value\" }",
                ));
            }
            (BodyFile::Text(text), _) => text.clone(),
        };
        Ok(Some(match body_kind {
            BodyKind::Text => BodySpec::Text { text },
            BodyKind::Blob => BodySpec::Blob {
                text,
                r#type: request
                    .body_type
                    .as_ref()
                    .map(|t| t.get_ref().clone())
                    .unwrap_or_default(),
            },
            BodyKind::UrlSearchParams => BodySpec::UrlSearchParams { text },
            BodyKind::ReadableStream => BodySpec::ReadableStream { text },
            BodyKind::FormData => unreachable!("handled above"),
        }))
    }

    fn expectation(
        &self,
        spanned: &Spanned<ExpectFile>,
        kind: RequestKind,
        read_headers: &[String],
        key: &dyn Fn(&str) -> String,
    ) -> Loaded<Expectation> {
        let expect = spanned.get_ref();
        let span = spanned.span();
        let common = ExpectFieldsFile {
            outcome: expect.outcome,
            preflight: expect.preflight,
            status: expect.status,
            readable: expect.readable.clone(),
            canvas_tainted: expect.canvas_tainted,
            reason: expect.reason,
        };
        let mut expectation = Expectation {
            common: self.expect_fields(&common, "expect", kind, read_headers, key, &span)?,
            per_browser: BTreeMap::new(),
        };
        for browser in Browser::ALL {
            if let Some(fields) = expect.browser(browser) {
                let prefix = format!("expect.{browser}");
                let fields = self.expect_fields(fields, &prefix, kind, read_headers, key, &span)?;
                expectation.per_browser.insert(browser, fields);
            }
        }
        Ok(expectation)
    }

    fn expect_fields(
        &self,
        fields: &ExpectFieldsFile,
        prefix: &str,
        kind: RequestKind,
        read_headers: &[String],
        key: &dyn Fn(&str) -> String,
        span: &Range<usize>,
    ) -> Loaded<ExpectFields> {
        // The fields of `expect` carry no spans of their own: point at the `expect` table.
        let error = |name: &str, message: String| {
            self.locator.error(
                Some(span.clone()),
                Some(&key(&format!("{prefix}.{name}"))),
                message,
            )
        };
        if fields.canvas_tainted.is_some() && kind != RequestKind::ImgCanvas {
            return Err(error(
                "canvas_tainted",
                format!(
                    "`canvas_tainted` applies to `kind = \"img-canvas\"` only, this request is `{}`",
                    kind_name(kind)
                ),
            ));
        }
        let mut readable = BTreeMap::new();
        for (name, want) in fields.readable.iter().flatten() {
            let lower = name.to_ascii_lowercase();
            if !read_headers.iter().any(|h| h.eq_ignore_ascii_case(name)) {
                return Err(error(
                    &format!("readable.{name}"),
                    format!("the request does not read `{name}`: add it to `read_headers`"),
                ));
            }
            let want = match want {
                ReadableExpectFile::Value(value) => ReadableExpect::Value(value.clone()),
                ReadableExpectFile::Present(true) => ReadableExpect::Readable,
                ReadableExpectFile::Present(false) => ReadableExpect::Hidden,
            };
            readable.insert(lower, want);
        }
        Ok(ExpectFields {
            outcome: fields.outcome,
            preflight: fields.preflight,
            status: fields.status,
            readable,
            canvas_tainted: fields.canvas_tainted,
            reason: fields.reason,
        })
    }
}

fn cors_source(
    file: Option<PathBuf>,
    text: &str,
    configuration: config::CorsConfiguration,
    format: config::SourceFormat,
) -> CorsSource {
    let rejected = config::validate(&configuration).err();
    CorsSource {
        file,
        text: text.to_owned(),
        format,
        config: configuration,
        rejected,
    }
}

fn raw_response(response: Option<RawResponseFile>) -> RawResponse {
    let response = response.unwrap_or(RawResponseFile {
        status: None,
        headers: HeaderTable::default(),
        body: None,
    });
    RawResponse {
        status: response.status.unwrap_or(200),
        headers: header_list(&response.headers),
        body: response.body.unwrap_or_default().into_bytes(),
    }
}

fn header_list(table: &HeaderTable) -> HeaderList {
    table
        .0
        .iter()
        .flat_map(|(name, values)| values.iter().map(move |v| (name.clone(), v.clone())))
        .collect()
}

/// The serialised origin of `text`, which must be an absolute http(s) URL with no path
/// (a single trailing `/` is tolerated).
pub(crate) fn parse_origin(text: &str) -> Result<String, String> {
    let text = text.trim();
    let origin = origin_of(text).ok_or_else(|| {
        format!("must be an origin such as https://app.example.com, not `{text}`")
    })?;
    let after_scheme = text.split_once("://").map_or("", |(_, rest)| rest);
    let rest = after_scheme
        .find(['/', '?', '#'])
        .map_or("", |i| &after_scheme[i..]);
    if !(rest.is_empty() || rest == "/") {
        return Err(format!(
            "must be an origin (scheme, host, port) without a path: `{text}` has `{rest}`"
        ));
    }
    if after_scheme.contains('@') {
        return Err(format!("must not carry user information: `{text}`"));
    }
    Ok(origin)
}

/// A path (`/photos/cat.jpg`) resolves against `base_origin`; an absolute http(s) URL is kept.
fn resolve_url(base_origin: &str, url: &str) -> Result<String, String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        origin_of(url).ok_or_else(|| format!("`{url}` is not a valid http(s) URL"))?;
        let after_scheme = url.split_once("://").map_or("", |(_, rest)| rest);
        // A browser always requests at least `/`.
        if !after_scheme.contains('/') {
            let (authority, rest) = after_scheme
                .find(['?', '#'])
                .map_or((after_scheme, ""), |i| after_scheme.split_at(i));
            let scheme = &url[..url.len() - after_scheme.len()];
            return Ok(format!("{scheme}{authority}/{rest}"));
        }
        Ok(url.to_owned())
    } else if url.starts_with('/') && !url.starts_with("//") {
        Ok(format!("{base_origin}{url}"))
    } else {
        Err(format!(
            "`{url}` must be a path starting with `/` (resolved against {base_origin}) or an \
             absolute http(s) URL"
        ))
    }
}

fn kind_name(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Fetch => "fetch",
        RequestKind::Xhr => "xhr",
        RequestKind::Img => "img",
        RequestKind::ImgCanvas => "img-canvas",
        RequestKind::Script => "script",
        RequestKind::Font => "font",
    }
}

/// A Content-Type from the key's extension, as an upload tool would set it.
fn content_type_for(key: &str) -> &'static str {
    let extension = key
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "json" => "application/json",
        "txt" => "text/plain",
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised_and_paths_refused() {
        assert_eq!(
            parse_origin("https://App.Example.com/").unwrap(),
            "https://app.example.com"
        );
        assert_eq!(
            parse_origin("http://localhost:8000").unwrap(),
            "http://localhost:8000"
        );
        assert!(parse_origin("https://app.example.com/index.html").is_err());
        assert!(parse_origin("app.example.com").is_err());
    }

    #[test]
    fn relative_urls_resolve_against_the_server_origin() {
        let base = "https://assets.s3.amazonaws.com";
        assert_eq!(
            resolve_url(base, "/a/b.txt").unwrap(),
            "https://assets.s3.amazonaws.com/a/b.txt"
        );
        assert_eq!(
            resolve_url(base, "http://other.test").unwrap(),
            "http://other.test/"
        );
        assert!(resolve_url(base, "a/b.txt").is_err());
        assert!(resolve_url(base, "//other.test/x").is_err());
    }
}
