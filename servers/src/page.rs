//! The page server: a handful of in-memory files on the case's page origin (the runner page and
//! whatever it loads), always sent with `Cache-Control: no-store` so a page never comes from a
//! browser cache shared with an earlier run.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode, header};

/// One file of the page origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFile {
    pub content_type: String,
    pub body: Bytes,
}

/// The files the page server serves, by path (`/page`, `/runner.js`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageAssets {
    files: BTreeMap<String, PageFile>,
}

impl PageAssets {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the file at `path`; a path without a leading `/` gets one.
    pub fn with_file(
        mut self,
        path: impl Into<String>,
        content_type: impl Into<String>,
        body: impl Into<Bytes>,
    ) -> Self {
        self.insert(path, content_type, body);
        self
    }

    /// Adds (or replaces) the file at `path`; a path without a leading `/` gets one.
    pub fn insert(
        &mut self,
        path: impl Into<String>,
        content_type: impl Into<String>,
        body: impl Into<Bytes>,
    ) {
        let mut path = path.into();
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        self.files.insert(
            path,
            PageFile {
                content_type: content_type.into(),
                body: body.into(),
            },
        );
    }

    pub fn get(&self, path: &str) -> Option<&PageFile> {
        self.files.get(path)
    }
}

/// A router serving `assets` by exact path for `GET` and `HEAD`.
pub fn page_router(assets: PageAssets) -> Router {
    let assets = Arc::new(assets);
    Router::new().fallback(move |request: Request| {
        let assets = Arc::clone(&assets);
        async move { serve(&assets, &request) }
    })
}

fn serve(assets: &PageAssets, request: &Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "cors-harness page server: only GET and HEAD\n".to_string(),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let path = request.uri().path();
    let Some(file) = assets.get(path) else {
        return text(
            StatusCode::NOT_FOUND,
            format!("cors-harness page server: no file at '{path}'\n"),
        );
    };
    let mut response = Response::new(Body::from(file.body.clone()));
    let headers = response.headers_mut();
    // A content type the case gave but HTTP cannot carry falls back to bytes, not an error page.
    let content_type = HeaderValue::from_str(&file.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn text(status: StatusCode, message: String) -> Response {
    let mut response = Response::new(Body::from(message));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
