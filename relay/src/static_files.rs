//! Serves the built app from the `dist` folder.
//!
//! The app is a single page with client-side routes: an address without a
//! file extension is a route, so it gets `index.html` (a reloaded deep link
//! works and the app shows its own not-found page); an address with an
//! extension is a file, and a missing one is a real 404.
//!
//! Caching: files whose name carries Trunk's content hash are immutable;
//! `index.html` and the service worker are never stored by the HTTP cache
//! (the service worker keeps its own copy, and a stale one would hold a
//! phone on an old version); everything else is revalidated by ETag.

use std::{
    path::{Component, Path, PathBuf},
    sync::Arc,
    time::UNIX_EPOCH,
};

use axum::{
    body::Body,
    extract::State,
    http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};

use crate::{AppState, headers::InlineSources};

const INDEX: &str = "index.html";
const SERVICE_WORKER: &str = "sw.js";
/// Never kept by the HTTP cache: a stale `index.html` or service worker
/// would keep a phone on an old version.
const NO_STORE: &str = "no-store";
/// Kept, but revalidated (by ETag) before every use.
const NO_CACHE: &str = "no-cache";
/// Trunk puts a content hash in the names of the files it builds, so their
/// content under one name never changes.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub(crate) async fn serve(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
    }
    let Some(relative) = safe_relative_path(uri.path()) else {
        return not_found();
    };
    let is_route = relative.extension().is_none();
    let relative = if is_route {
        PathBuf::from(INDEX)
    } else {
        relative
    };
    let path = state.config.dist.join(&relative);
    let Some(file) = read_file(&path).await else {
        if is_route {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "the app is not built yet: run the build first\n",
            )
                .into_response();
        }
        return not_found();
    };
    let etag = file.etag();
    // The page's inline script is allowed by its hash, taken from the file
    // as served now: a redeployed app needs no restart of the relay.
    let inline =
        is_html(&relative).then(|| InlineSources::of_html(&String::from_utf8_lossy(&file.bytes)));
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|given| given.to_str().ok())
        .is_some_and(|given| none_match_hits(given, &etag))
    {
        let mut response = (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache_control(&relative).to_owned()),
            ],
        )
            .into_response();
        if let Some(inline) = inline {
            response.extensions_mut().insert(inline);
        }
        return response;
    }
    let mut response = if method == Method::HEAD {
        Response::new(Body::empty())
    } else {
        Response::new(Body::from(file.bytes))
    };
    if let Some(inline) = inline {
        response.extensions_mut().insert(inline);
    }
    let response_headers = response.headers_mut();
    response_headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&relative)),
    );
    response_headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control(&relative)),
    );
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        response_headers.insert(header::ETAG, etag);
    }
    response
}

/// `If-None-Match` compares weakly (RFC 9110 13.1.2): a proxy that
/// compressed the file (nginx's gzip) turned the ETag into `W/"…"`, and
/// the header may list several tags or be `*`.
fn none_match_hits(given: &str, etag: &str) -> bool {
    given.trim() == "*"
        || given
            .split(',')
            .map(|tag| tag.trim())
            .any(|tag| tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

fn is_html(path: &Path) -> bool {
    path.extension().and_then(|ext| ext.to_str()) == Some("html")
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

/// The request path as a path inside `dist`, or `None` when it tries to
/// leave it (`..`, absolute parts, backslashes, NUL).
fn safe_relative_path(request_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(request_path)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut relative = PathBuf::new();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => relative.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    if relative.as_os_str().is_empty() {
        relative.push(INDEX);
    }
    Some(relative)
}

fn percent_decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

struct StaticFile {
    bytes: Vec<u8>,
    modified_secs: u64,
}

impl StaticFile {
    /// Size and modification time: the file changes only when it is rebuilt.
    fn etag(&self) -> String {
        format!("\"{:x}-{:x}\"", self.bytes.len(), self.modified_secs)
    }
}

async fn read_file(path: &Path) -> Option<StaticFile> {
    let metadata = tokio::fs::metadata(path).await.ok()?;
    if !metadata.is_file() {
        return None;
    }
    let modified_secs = metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |age| age.as_secs());
    let bytes = tokio::fs::read(path).await.ok()?;
    Some(StaticFile {
        bytes,
        modified_secs,
    })
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|ext| ext.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        // Streaming compilation of wasm needs exactly this type.
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("webmanifest") => "application/manifest+json",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn cache_control(path: &Path) -> &'static str {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    if name == INDEX || name == SERVICE_WORKER {
        NO_STORE
    } else if has_content_hash(name) {
        IMMUTABLE
    } else {
        NO_CACHE
    }
}

/// Trunk names built files `<name>-<16 hex digits>[_bg].<ext>`.
fn has_content_hash(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_app_folder_are_refused() {
        assert_eq!(safe_relative_path("/../etc/passwd"), None);
        assert_eq!(safe_relative_path("/a/%2e%2e/%2e%2e/secret"), None);
        assert_eq!(safe_relative_path("/a\\..\\b"), None);
        assert_eq!(safe_relative_path("/%00"), None);
        assert_eq!(safe_relative_path("/%zz"), None);
    }

    #[test]
    fn ordinary_paths_map_into_the_app_folder() {
        assert_eq!(safe_relative_path("/"), Some(PathBuf::from(INDEX)));
        assert_eq!(
            safe_relative_path("/icons/icon-192.png"),
            Some(PathBuf::from("icons/icon-192.png"))
        );
        assert_eq!(
            safe_relative_path("/./dossier/a%20b"),
            Some(PathBuf::from("dossier/a b"))
        );
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_a_list() {
        let etag = "\"33f-6b1108a8\"";
        assert!(none_match_hits("\"33f-6b1108a8\"", etag));
        assert!(none_match_hits("W/\"33f-6b1108a8\"", etag));
        assert!(none_match_hits("\"other\", W/\"33f-6b1108a8\"", etag));
        assert!(none_match_hits("*", etag));
        assert!(!none_match_hits("\"33f-6b1108a9\"", etag));
    }

    #[test]
    fn only_hashed_build_files_are_cached_forever() {
        assert!(has_content_hash("driehoek-8a0c1d2e3f405162_bg.wasm"));
        assert!(has_content_hash("driehoek-8a0c1d2e3f405162.js"));
        assert!(has_content_hash("main-0123456789abcdef.css"));
        assert!(!has_content_hash("icon-192.png"));
        assert!(!has_content_hash("manifest.webmanifest"));
        assert_eq!(cache_control(Path::new("sw.js")), NO_STORE);
        assert_eq!(cache_control(Path::new(INDEX)), NO_STORE);
        assert_eq!(cache_control(Path::new("manifest.webmanifest")), NO_CACHE);
    }
}
