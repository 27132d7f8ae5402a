//! What every request and response passes at the HTTP edge: a request that
//! changes something must come from the app's own pages (or an allowed
//! origin), and every response tells the browser to run nothing but this
//! app's own code in it and to keep signed-in answers out of its caches.
//!
//! The session cookie is `SameSite=Lax`, which already keeps it off most
//! cross-site requests; the checks here do not rest on that alone (a
//! same-site page on another port or a sibling subdomain is still "same
//! site", and older browsers ignore the attribute).

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::http::{AppState, HttpError};

/// What the app's page may load and run: its own scripts (the bootstrap is
/// a content-hashed file, not inline) and WebAssembly, its own styles and
/// images, connections to its own origin (`'self'` covers the same-origin
/// `ws:`/`wss:` of `/sync`), its own service worker and manifest; no
/// plugins, no `<base>` elsewhere, no forms posted away, and no framing by
/// anyone (clickjacking).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
    script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; \
    img-src 'self'; \
    font-src 'self'; \
    connect-src 'self'; \
    worker-src 'self'; \
    manifest-src 'self'; \
    object-src 'none'; \
    base-uri 'self'; \
    form-action 'self'; \
    frame-ancestors 'none'";

/// Adds the security headers to every response, and `Cache-Control:
/// no-store` to every API response that sets no cache policy of its own:
/// what a signed-in person was shown must not stay in a shared or local
/// cache for the next person at that browser or proxy.
pub async fn headers(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    // For browsers older than `frame-ancestors`.
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if api {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    response
}

/// Refuses a request that may change something (any method but GET, HEAD
/// and OPTIONS) when a browser says it comes from another site: its
/// `Origin` is not the server's own or allowed, or, without `Origin`, its
/// `Sec-Fetch-Site` is not `same-origin` or `none`. A request with neither
/// header comes from a program, not from a page a person visits, and
/// passes: it cannot carry a visitor's cookie without the visitor's
/// browser.
pub async fn same_origin_writes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || from_allowed_site(request.headers(), state.allowed_origins()) {
        next.run(request).await
    } else {
        HttpError::CrossSite.into_response()
    }
}

fn from_allowed_site(headers: &HeaderMap, allowed: &[String]) -> bool {
    if headers.contains_key(header::ORIGIN) {
        return origin_allowed(headers, allowed);
    }
    match headers.get("sec-fetch-site").map(HeaderValue::as_bytes) {
        None => true,
        Some(site) => site == b"same-origin" || site == b"none",
    }
}

/// Same-origin pages and the configured origins may act with a visitor's
/// session; a page of another site must not.
pub fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return false;
    };
    let origin = origin.trim_end_matches('/').to_ascii_lowercase();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    let same_origin = host.is_some_and(|host| {
        origin == format!("http://{host}") || origin == format!("https://{host}")
    });
    same_origin || allowed.contains(&origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.insert(*name, HeaderValue::from_str(value).expect("ascii"));
        }
        h
    }

    #[test]
    fn only_same_or_configured_origins_may_sync() {
        let allowed = vec!["https://planner.example.eu".to_owned()];
        let check = |origin: Option<&str>, host: &str| {
            let mut h = headers(&[("host", host)]);
            if let Some(o) = origin {
                h.insert(header::ORIGIN, HeaderValue::from_str(o).expect("ascii"));
            }
            origin_allowed(&h, &allowed)
        };
        assert!(check(Some("http://127.0.0.1:8080"), "127.0.0.1:8080"));
        assert!(check(Some("https://planner.example.eu"), "10.0.0.1:8080"));
        assert!(!check(Some("http://evil.example"), "127.0.0.1:8080"));
        assert!(!check(Some("null"), "127.0.0.1:8080"));
        assert!(!check(None, "127.0.0.1:8080"));
    }

    #[test]
    fn writes_from_another_site_are_told_apart_from_programs_and_own_pages() {
        let allowed = Vec::new();
        let host = ("host", "planner.test");
        for (pairs, expected) in [
            (vec![host, ("origin", "http://planner.test")], true),
            (vec![host, ("origin", "http://evil.example")], false),
            (vec![host, ("origin", "null")], false),
            (vec![host, ("sec-fetch-site", "same-origin")], true),
            (vec![host, ("sec-fetch-site", "none")], true),
            (vec![host, ("sec-fetch-site", "same-site")], false),
            (vec![host, ("sec-fetch-site", "cross-site")], false),
            // A program: no Origin, no Sec-Fetch-Site.
            (vec![host], true),
            // Origin decides when both are there.
            (
                vec![
                    host,
                    ("origin", "http://evil.example"),
                    ("sec-fetch-site", "same-origin"),
                ],
                false,
            ),
        ] {
            assert_eq!(
                from_allowed_site(&headers(&pairs), &allowed),
                expected,
                "{pairs:?}"
            );
        }
    }
}
