//! What every request passes at the HTTP edge: a request that changes
//! something must come from the app's own pages (or an allowed origin).
//!
//! The session cookie is `SameSite=Lax`, which already keeps it off most
//! cross-site requests; the checks here do not rest on that alone (a
//! same-site page on another port or a sibling subdomain is still "same
//! site", and older browsers ignore the attribute).

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::routes::ApiError;
use crate::http::AppState;

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
        ApiError::CrossSite.into_response()
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
