//! The app's files, built and compressed by `build.rs` and embedded in the
//! binary, served with their content type and cache policy.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// One embedded file in three encodings.
pub struct EmbeddedAsset {
    pub path: &'static str,
    pub content_type: &'static str,
    /// Content-hashed name: may be cached for ever.
    pub immutable: bool,
    pub identity: &'static [u8],
    pub gzip: &'static [u8],
    pub br: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// What this server serves as its build: the build id (with the operator's
/// salt, if any) and the service worker that carries it. A browser installs
/// a new worker, and so offers the update, whenever these bytes change.
pub struct Build {
    pub id: String,
    pub service_worker: String,
}

impl Build {
    /// The embedded build; a non-empty `salt` gives it another identity, so
    /// that browsers fetch the whole app again (used by the tests to serve
    /// "a new build" without compiling a second binary).
    pub fn new(salt: Option<&str>) -> Self {
        let id = match salt.map(str::trim).filter(|s| !s.is_empty()) {
            Some(salt) => format!("{BUILD_ID}-{salt}"),
            None => BUILD_ID.to_owned(),
        };
        // The id is hex and the salt a flag value: keep the JS string literal safe.
        let literal: String = id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || *c == '.')
            .collect();
        Self {
            service_worker: SERVICE_WORKER_TEMPLATE.replace("{{build}}", &literal),
            id: literal,
        }
    }

    /// `/sw.js`: never cached by HTTP, so that the browser's update check
    /// always sees the current build; allowed to control the whole origin.
    pub fn respond_service_worker(&self) -> Response {
        let mut response = (StatusCode::OK, self.service_worker.clone()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/javascript; charset=utf-8"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert("service-worker-allowed", HeaderValue::from_static("/"));
        response
    }
}

pub fn find(path: &str) -> Option<&'static EmbeddedAsset> {
    ASSETS.iter().find(|a| a.path == path)
}

pub fn index() -> &'static EmbeddedAsset {
    find("/index.html").expect("build.rs always embeds index.html")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// The best encoding the client accepts (a `q=0` entry refuses it).
fn negotiate(headers: &HeaderMap) -> Encoding {
    let accepted = |name: &str| {
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|item| {
                let mut parts = item.split(';');
                let coding = parts.next().unwrap_or("").trim();
                let refused = parts.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q == 0.0)
                });
                coding.eq_ignore_ascii_case(name) && !refused
            })
    };
    if accepted("br") {
        Encoding::Brotli
    } else if accepted("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// The response for `asset`, compressed as the request allows.
pub fn respond(asset: &'static EmbeddedAsset, request: &HeaderMap) -> Response {
    let (body, encoding) = match negotiate(request) {
        Encoding::Brotli => (asset.br, Some("br")),
        Encoding::Gzip => (asset.gzip, Some("gzip")),
        Encoding::Identity => (asset.identity, None),
    };
    let cache = if asset.immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).expect("ascii"),
        );
        h
    }

    #[test]
    fn negotiation_prefers_brotli_and_honours_refusals() {
        assert_eq!(negotiate(&with("gzip, deflate, br")), Encoding::Brotli);
        assert_eq!(negotiate(&with("gzip, br;q=0")), Encoding::Gzip);
        assert_eq!(negotiate(&with("identity")), Encoding::Identity);
        assert_eq!(negotiate(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn every_hashed_asset_is_embedded_with_its_encodings() {
        assert!(ASSETS.iter().any(|a| a.content_type == "application/wasm"));
        for asset in ASSETS {
            assert!(!asset.identity.is_empty(), "{}", asset.path);
            assert!(
                !asset.gzip.is_empty() && !asset.br.is_empty(),
                "{}",
                asset.path
            );
            assert_eq!(asset.immutable, asset.path.starts_with("/assets/"));
        }
        let html = std::str::from_utf8(index().identity).expect("utf-8 html");
        for ext in [".js", ".wasm", ".css"] {
            let asset = ASSETS
                .iter()
                .find(|a| a.path.ends_with(ext))
                .expect("asset embedded");
            assert!(html.contains(asset.path), "index.html links {}", asset.path);
        }
    }
}
