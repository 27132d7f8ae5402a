//! The app itself and what runs around it: the embedded assets, the app
//! shell for every deep link, the service worker and the manifest, the
//! build's version, health, metrics, and the upgrade to the sync
//! WebSocket. Refusals here are plain text ([`HttpError`]).

use std::sync::atomic::Ordering;

use ara_shared::protocol::MAX_FRAME_BYTES;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::{AppState, HttpError};
use crate::assets;

pub(super) async fn asset(
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let asset = assets::find(&format!("/assets/{file}")).ok_or(HttpError::NoSuchFile)?;
    Ok(assets::respond(asset, &headers))
}

/// The service worker, at the root so that it may control every page.
pub(super) async fn service_worker(State(state): State<AppState>) -> Response {
    state.build.respond_service_worker()
}

pub(super) async fn web_app_manifest(headers: HeaderMap) -> Result<Response, HttpError> {
    let manifest = assets::find("/manifest.webmanifest").ok_or(HttpError::NoSuchFile)?;
    Ok(assets::respond(manifest, &headers))
}

/// Which build and sync protocol this server runs, for operators and for
/// checks after a deployment.
pub(super) async fn version(State(state): State<AppState>) -> Response {
    let mut response = axum::Json(serde_json::json!({
        "build": state.build.id,
        "protocol": ara_shared::protocol::PROTOCOL_VERSION,
    }))
    .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Every other GET path is a route of the app (deep links), except paths
/// that look like files, which are plain 404s.
pub(super) async fn app_shell(uri: Uri, headers: HeaderMap) -> Result<Response, HttpError> {
    let last = uri.path().rsplit('/').next().unwrap_or("");
    if last.contains('.') && uri.path() != "/index.html" {
        return Err(HttpError::NoSuchFile);
    }
    Ok(assets::respond(assets::index(), &headers))
}

/// For monitors and load balancers: 200 "ok", or 503 with the reason while
/// the server cannot save edits.
pub(super) async fn healthz(State(state): State<AppState>) -> Response {
    if state.metrics.storage_failed.load(Ordering::Relaxed) == 1 {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "storage failed: no edit is accepted until the server is restarted",
        )
            .into_response();
    }
    if state.metrics.flush_stalled.load(Ordering::Relaxed) == 1 {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "flush stalled: the disk has not confirmed a write for more than 10 seconds",
        )
            .into_response();
    }
    if state.metrics.storage_full.load(Ordering::Relaxed) == 1 {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "storage full: edits are refused until there is room on the disk",
        )
            .into_response();
    }
    "ok".into_response()
}

pub(super) async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    if !state
        .metrics_access
        .allows(peer.ip(), &headers, &state.trusted_proxies)
    {
        return Err(HttpError::MetricsNotPublic);
    }
    let mut response = state.metrics.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    Ok(response)
}

/// Opens a sync WebSocket for a signed-in person from an allowed origin,
/// within their share of connections; the connection itself is `ws`'s.
pub(super) async fn sync(
    State(state): State<AppState>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, HttpError> {
    if !crate::security::origin_allowed(&headers, &state.allowed_origins) {
        return Err(HttpError::OriginNotAllowed);
    }
    let (user, session) = state
        .auth
        .current_session(&headers)
        .map_err(|_| HttpError::SyncNotSignedIn)?;
    let actor = user.actor();
    let slot = state
        .connections
        .take_slot(user.id)
        .ok_or(HttpError::TooManyConnections)?;
    // The transport allows somewhat more than the protocol, so that an
    // oversize message is answered with a typed error instead of a cut.
    Ok(upgrade
        .max_message_size(4 * MAX_FRAME_BYTES)
        .max_frame_size(4 * MAX_FRAME_BYTES)
        .read_buffer_size(crate::ws::READ_BUFFER_BYTES)
        .on_upgrade(move |socket| {
            crate::ws::serve(
                socket,
                actor,
                session,
                slot,
                crate::ws::Services {
                    hub: state.hub,
                    presence: state.presence,
                    shutdown: state.shutdown,
                    limits: state.limits,
                    metrics: state.metrics,
                },
            )
        })
        .into_response())
}
