//! Security headers on every response, and the Content-Security-Policy the
//! app runs under.
//!
//! The policy allows only what the app uses: its own files, WebAssembly
//! (`'wasm-unsafe-eval'`), the sync WebSocket on its own host, its
//! manifest and service worker. No third-party origin and no inline code,
//! except the inline module script Trunk writes into `index.html` to start
//! the app: that one is allowed by its SHA-256, computed from the file as
//! it is served, so a new build (whose script differs) needs no restart and
//! a changed script cannot run.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};
use base64::Engine;
use sha2::{Digest, Sha256};

/// A year: long enough to protect a phone between visits; the relay sends
/// it only when people reach it over HTTPS (its own TLS, or a public URL
/// that says `https:`), where it can be trusted.
const HSTS: &str = "max-age=31536000";

/// What the headers depend on, fixed at start.
#[derive(Clone, Debug)]
pub(crate) struct HeaderPolicy {
    /// The relay itself speaks TLS: HSTS, and `wss:` for the sync endpoint.
    pub(crate) tls: bool,
    /// The address people open, when the relay is told it.
    pub(crate) public: Option<PublicOrigin>,
}

/// The scheme and host of the address people open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PublicOrigin {
    secure: bool,
    host: String,
}

impl PublicOrigin {
    /// `https://host[:port]` or `http://host[:port]`, an optional trailing
    /// `/`, nothing else: this ends up inside a header.
    pub(crate) fn parse(url: &str) -> Option<Self> {
        let (secure, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (true, rest)
        } else {
            (false, url.strip_prefix("http://")?)
        };
        let host = rest.strip_suffix('/').unwrap_or(rest);
        valid_host(host).then(|| PublicOrigin {
            secure,
            host: host.to_ascii_lowercase(),
        })
    }
}

/// A host as it may appear in a source expression: letters, digits, dots,
/// dashes, an optional port, or a bracketed IPv6 address. Anything else
/// (spaces, `;`, quotes) could change the policy, so it is left out.
fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

/// The sync endpoint's origin as a source expression (`wss://host:port`).
/// `'self'` covers it in current browsers, but not in every browser a
/// phone may have, so it is named. Behind a TLS-terminating proxy the relay
/// speaks plain HTTP, so a proxy's `X-Forwarded-Proto: https` also means
/// `wss:`; a client that forges it only changes its own page's policy.
fn sync_source(policy: &HeaderPolicy, headers: &HeaderMap) -> Option<String> {
    if let Some(public) = &policy.public {
        let scheme = if public.secure { "wss" } else { "ws" };
        return Some(format!("{scheme}://{}", public.host));
    }
    let host = headers.get(header::HOST)?.to_str().ok()?;
    if !valid_host(host) {
        return None;
    }
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
    let scheme = if policy.tls || forwarded_https {
        "wss"
    } else {
        "ws"
    };
    Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// The hashes of a page's inline code, attached by the static file handler
/// to the response of an HTML page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct InlineSources {
    /// `'sha256-…'` of each inline `<script>`.
    pub(crate) scripts: Vec<String>,
    /// `'sha256-…'` of each inline `<style>`.
    pub(crate) styles: Vec<String>,
}

impl InlineSources {
    /// Finds the inline `<script>` and `<style>` elements of `html` the way
    /// a browser's parser does for these simple cases: comments are
    /// skipped, a script with `src` is not inline, and the content runs up
    /// to the first closing tag.
    pub(crate) fn of_html(html: &str) -> Self {
        let mut found = InlineSources::default();
        let lower = html.to_ascii_lowercase();
        let mut at = 0;
        while let Some(offset) = lower[at..].find('<') {
            let start = at + offset;
            if lower[start..].starts_with("<!--") {
                match lower[start + 4..].find("-->") {
                    Some(end) => at = start + 4 + end + 3,
                    None => break,
                }
                continue;
            }
            let Some((name, attributes, body_start)) = open_tag(&lower, start) else {
                at = start + 1;
                continue;
            };
            if name != "script" && name != "style" {
                at = body_start;
                continue;
            }
            let closing = format!("</{name}");
            let body_end = lower[body_start..]
                .find(&closing)
                .map_or(html.len(), |end| body_start + end);
            let body = &html[body_start..body_end];
            if name == "script" && !has_attribute(&attributes, "src") {
                found.scripts.push(source_hash(body));
            } else if name == "style" {
                found.styles.push(source_hash(body));
            }
            at = body_end;
        }
        found
    }
}

/// The name of the tag opened at `start`, its attribute names, and where
/// its content begins; `None` when no tag starts there.
fn open_tag(lower: &str, start: usize) -> Option<(String, Vec<String>, usize)> {
    let bytes = lower.as_bytes();
    let mut i = start + 1;
    let name_start = i;
    while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
        i += 1;
    }
    if i == name_start {
        return None;
    }
    let name = lower[name_start..i].to_owned();
    let mut attributes = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i) {
            None => return Some((name, attributes, bytes.len())),
            Some(b'>') => return Some((name, attributes, i + 1)),
            Some(_) => {}
        }
        let attr_start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        attributes.push(lower[attr_start..i].to_owned());
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != quote {
                        i += 1;
                    }
                    i += 1;
                }
                _ => {
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                }
            }
        }
    }
}

fn has_attribute(attributes: &[String], name: &str) -> bool {
    attributes.iter().any(|attribute| attribute == name)
}

/// A browser hashes the element's text after its parser turned every CR
/// LF and lone CR into LF, so the file's line endings must not matter.
fn source_hash(body: &str) -> String {
    let normalized = body.replace("\r\n", "\n").replace('\r', "\n");
    let digest = Sha256::digest(normalized.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The policy for one response: `inline` for the app's page, `None` for
/// everything else (which runs no inline code at all).
pub(crate) fn content_security_policy(
    sync_source: Option<&str>,
    inline: Option<&InlineSources>,
) -> String {
    let mut script = String::from("'self' 'wasm-unsafe-eval'");
    let mut style = String::from("'self'");
    if let Some(inline) = inline {
        for hash in &inline.scripts {
            script.push(' ');
            script.push_str(hash);
        }
        for hash in &inline.styles {
            style.push(' ');
            style.push_str(hash);
        }
    }
    let mut connect = String::from("'self'");
    if let Some(source) = sync_source {
        connect.push(' ');
        connect.push_str(source);
    }
    format!(
        "default-src 'none'; script-src {script}; style-src {style}; img-src 'self'; \
         font-src 'self'; connect-src {connect}; manifest-src 'self'; worker-src 'self'; \
         form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
    )
}

/// Adds the security headers to every response, the relay's own errors and
/// the sync endpoint's answers included. A header a handler set is kept.
pub(crate) async fn add_security_headers(
    State(policy): State<Arc<HeaderPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    let sync = sync_source(&policy, request.headers());
    let mut response = next.run(request).await;
    let inline = response.extensions_mut().remove::<InlineSources>();
    let csp = content_security_policy(sync.as_deref(), inline.as_ref());
    let headers = response.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    let fixed: [(HeaderName, &'static str); 5] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // The invite secret is in the fragment, which is never sent, but
        // nothing of an address inside the app goes anywhere else either.
        (header::REFERRER_POLICY, "no-referrer"),
        // For browsers older than `frame-ancestors`.
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    if policy.tls || policy.public.as_ref().is_some_and(|public| public.secure) {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    // Errors and refusals are never worth keeping.
    if !response.status().is_success()
        && response.status() != axum::http::StatusCode::NOT_MODIFIED
        && response.status() != axum::http::StatusCode::SWITCHING_PROTOCOLS
    {
        response
            .headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash_of(body: &str) -> String {
        source_hash(body)
    }

    #[test]
    fn the_inline_script_of_a_trunk_page_is_found_and_a_script_with_src_is_not() {
        let html = "<!DOCTYPE html><html><head>\
            <script src=\"/a.js\"></script>\
            <!-- <script>commented out</script> -->\
            <SCRIPT type=\"module\">\nimport init from '/x.js';\nawait init();\n</SCRIPT>\
            <style>body{}</style>\
            <link rel=\"modulepreload\" href=\"/x.js\"></head><body></body></html>";
        let found = InlineSources::of_html(html);
        assert_eq!(
            found.scripts,
            vec![hash_of("\nimport init from '/x.js';\nawait init();\n")]
        );
        assert_eq!(found.styles, vec![hash_of("body{}")]);
    }

    #[test]
    fn line_endings_do_not_change_a_hash_as_a_browser_reads_them() {
        assert_eq!(hash_of("a\r\nb\rc"), hash_of("a\nb\nc"));
        // The known answer: SHA-256 of the empty string.
        assert_eq!(
            hash_of(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }

    #[test]
    fn a_src_inside_a_quoted_value_does_not_make_a_script_external() {
        let html = "<script data-note=\"src here\">run()</script><script src=x></script>";
        assert_eq!(InlineSources::of_html(html).scripts, vec![hash_of("run()")]);
    }

    #[test]
    fn an_unclosed_script_or_comment_ends_the_search_without_a_panic() {
        assert_eq!(
            InlineSources::of_html("<script>never closed").scripts,
            vec![hash_of("never closed")]
        );
        assert_eq!(
            InlineSources::of_html("<!-- open"),
            InlineSources::default()
        );
        assert_eq!(InlineSources::of_html("<"), InlineSources::default());
        assert_eq!(
            InlineSources::of_html("<script a='"),
            InlineSources {
                scripts: vec![hash_of("")],
                styles: vec![]
            }
        );
    }

    #[test]
    fn the_policy_allows_wasm_the_hashed_script_and_the_sync_endpoint_only() {
        let inline = InlineSources {
            scripts: vec!["'sha256-abc='".into()],
            styles: vec![],
        };
        let csp = content_security_policy(Some("wss://school.example"), Some(&inline));
        assert!(csp.starts_with("default-src 'none';"));
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc=';"));
        assert!(csp.contains("connect-src 'self' wss://school.example;"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(!csp.contains("'unsafe-eval'"));
        assert!(!csp.contains('*'));
    }

    #[test]
    fn the_sync_source_follows_tls_the_proxy_and_the_public_url() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::HOST,
            HeaderValue::from_static("School.example:8443"),
        );
        let plain = HeaderPolicy {
            tls: false,
            public: None,
        };
        let tls = HeaderPolicy {
            tls: true,
            public: None,
        };
        assert_eq!(
            sync_source(&plain, &headers).as_deref(),
            Some("ws://school.example:8443")
        );
        assert_eq!(
            sync_source(&tls, &headers).as_deref(),
            Some("wss://school.example:8443")
        );
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(
            sync_source(&plain, &headers).as_deref(),
            Some("wss://school.example:8443")
        );
        let public = HeaderPolicy {
            tls: false,
            public: PublicOrigin::parse("https://driehoek.school.example/"),
        };
        assert_eq!(
            sync_source(&public, &headers).as_deref(),
            Some("wss://driehoek.school.example")
        );
    }

    #[test]
    fn a_host_that_could_change_the_policy_is_left_out() {
        let policy = HeaderPolicy {
            tls: true,
            public: None,
        };
        for host in ["evil; script-src *", "a b", "x'y", ""] {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::HOST,
                HeaderValue::from_str(host).expect("header value"),
            );
            assert_eq!(sync_source(&policy, &headers), None, "{host}");
        }
        assert_eq!(PublicOrigin::parse("https://a b"), None);
        assert_eq!(PublicOrigin::parse("ftp://school.example"), None);
        assert_eq!(PublicOrigin::parse("https://school.example/app"), None);
        assert!(PublicOrigin::parse("https://[::1]:8443").is_some());
    }
}
