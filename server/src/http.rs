//! The HTTP surface, assembled in one place: the app's assets, the sync
//! WebSocket (with its Origin check), and health. Every route passes the
//! checks and headers of [`crate::security`].

use std::sync::Arc;

use ara_shared::protocol::MAX_FRAME_BYTES;
use axum::Router;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::watch;

use crate::assets;
use crate::auth::routes::ApiError;
use crate::auth::{self, Auth, AuthError};
use crate::backups::Backups;
use crate::calendar;
use crate::client_address::TrustedProxies;
use crate::export::{self, Backup};
use crate::metrics::{Metrics, MetricsAccess};
use crate::presence::Presence;
use crate::store::{LogStore, Store};
use crate::sync::Hub;
use ara_shared::changes::{DEFAULT_RECENT_CHANGES, MAX_RECENT_CHANGES};
use ara_shared::history::HistoryItem;
use ara_shared::{EntityRef, MeetingId, Version};
use axum::Json;
use std::collections::HashMap;
use std::sync::atomic::Ordering;

use ara_shared::Role;
use ara_shared::account::BackupsStatus;
use axum::http::HeaderValue;

#[derive(Clone)]
pub struct AppState {
    pub auth: Arc<Auth>,
    pub store: Store,
    pub hub: Hub,
    pub metrics: Arc<Metrics>,
    presence: Arc<Presence>,
    /// Open sync connections per person, to bound what one account can hold.
    connections: crate::ws::Connections,
    allowed_origins: Arc<Vec<String>>,
    shutdown: watch::Receiver<bool>,
    /// What one sync connection may do.
    limits: crate::ws::ConnectionLimits,
    /// The build the app shell, service worker and `/api/version` announce.
    build: Arc<assets::Build>,
    /// Whose `X-Forwarded-For` names the client.
    trusted_proxies: Arc<TrustedProxies>,
    metrics_access: Arc<MetricsAccess>,
    /// The automatic backups and how they went.
    backups: Arc<Backups>,
}

impl AppState {
    pub fn new(
        auth: Arc<Auth>,
        store: Store,
        hub: Hub,
        metrics: Arc<Metrics>,
        allowed_origins: Vec<String>,
        shutdown: watch::Receiver<bool>,
        limits: crate::ws::ConnectionLimits,
    ) -> Self {
        let allowed_origins = allowed_origins
            .into_iter()
            .map(|o| o.trim().trim_end_matches('/').to_ascii_lowercase())
            .filter(|o| !o.is_empty())
            .collect();
        let backups = Arc::new(Backups::off(metrics.clone()));
        let connections = crate::ws::Connections::new(metrics.clone());
        Self {
            auth,
            store,
            hub,
            metrics,
            presence: Arc::default(),
            connections,
            allowed_origins: Arc::new(allowed_origins),
            shutdown,
            limits,
            build: Arc::new(assets::Build::new(None)),
            trusted_proxies: Arc::default(),
            metrics_access: Arc::new(MetricsAccess::new(None)),
            backups,
        }
    }

    /// Believes `X-Forwarded-For` from these proxies (see `--trusted-proxies`).
    pub fn with_trusted_proxies(mut self, proxies: Arc<TrustedProxies>) -> Self {
        self.trusted_proxies = proxies;
        self
    }

    /// Serves `/metrics` also to requests with this bearer token.
    pub fn with_metrics_access(mut self, access: MetricsAccess) -> Self {
        self.metrics_access = Arc::new(access);
        self
    }

    /// Whose `X-Forwarded-For` names the client (see [`crate::client_address`]).
    pub fn trusted_proxies(&self) -> &TrustedProxies {
        &self.trusted_proxies
    }

    /// Origins besides the server's own whose pages may act with a session.
    pub fn allowed_origins(&self) -> &[String] {
        &self.allowed_origins
    }

    /// Serves `build` instead of the embedded one as it is (see `--build-salt`).
    /// Shows these automatic backups to the secretariat.
    pub fn with_backups(mut self, backups: Arc<Backups>) -> Self {
        self.backups = backups;
        self
    }

    pub fn with_build(mut self, build: assets::Build) -> Self {
        self.build = Arc::new(build);
        self
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/sync", get(sync))
        .route("/assets/{*file}", get(asset))
        .route("/sw.js", get(service_worker))
        .route("/manifest.webmanifest", get(web_app_manifest))
        .route("/api/version", get(version))
        .merge(crate::auth::routes::routes())
        .route("/api/backup", get(download_backup))
        .route("/api/backups", get(backups_status))
        .route("/api/export/priorities.csv", get(priorities_csv))
        .route("/api/export/stakeholders.csv", get(stakeholders_csv))
        .route("/api/changes", get(recent_changes))
        .route("/api/meetings/{id}/ics", get(meeting_ics))
        .route("/api/history/{kind}/{id}", get(entity_history))
        .route("/api/me/calendar-feed", post(rotate_feed))
        .route("/calendar/{file}", get(calendar_feed))
        // Any other path is the app's for GET, and unknown for the rest.
        .fallback(get(app_shell).fallback(|| async { HttpError::NotFound }))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::security::same_origin_writes,
        ))
        .layer(axum::middleware::from_fn(crate::security::headers))
        .with_state(state)
}

/// Typed refusals of HTTP requests, in words.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("not found")]
    NotFound,
    #[error("the Origin header is missing or not allowed to open the sync connection")]
    OriginNotAllowed,
    #[error("sign in to sync")]
    NotSignedIn,
    #[error("too many open sync connections for this account; close other tabs or devices")]
    TooManyConnections,
    #[error(
        "metrics are served only to this machine, not through a proxy, or with the bearer token set by --metrics-token"
    )]
    MetricsNotPublic,
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = match self {
            HttpError::NotFound => StatusCode::NOT_FOUND,
            HttpError::OriginNotAllowed | HttpError::MetricsNotPublic => StatusCode::FORBIDDEN,
            HttpError::NotSignedIn => StatusCode::UNAUTHORIZED,
            HttpError::TooManyConnections => StatusCode::TOO_MANY_REQUESTS,
        };
        (status, self.to_string()).into_response()
    }
}

/// A known path asked with another method: said in words, like every
/// refusal (axum's default is an empty body).
async fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        "this method is not allowed on this path",
    )
        .into_response()
}

async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Result<Response, HttpError> {
    let asset = assets::find(&format!("/assets/{file}")).ok_or(HttpError::NotFound)?;
    Ok(assets::respond(asset, &headers))
}

/// The service worker, at the root so that it may control every page.
async fn service_worker(State(state): State<AppState>) -> Response {
    state.build.respond_service_worker()
}

async fn web_app_manifest(headers: HeaderMap) -> Result<Response, HttpError> {
    let manifest = assets::find("/manifest.webmanifest").ok_or(HttpError::NotFound)?;
    Ok(assets::respond(manifest, &headers))
}

/// Which build and sync protocol this server runs, for operators and for
/// checks after a deployment.
async fn version(State(state): State<AppState>) -> Response {
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
async fn app_shell(uri: Uri, headers: HeaderMap) -> Result<Response, HttpError> {
    let last = uri.path().rsplit('/').next().unwrap_or("");
    if last.contains('.') && uri.path() != "/index.html" {
        return Err(HttpError::NotFound);
    }
    Ok(assets::respond(assets::index(), &headers))
}

fn attachment(content_type: &'static str, name: &str, body: impl IntoResponse) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The full backup, for the secretariat only.
async fn download_backup(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let me = state.auth.current_user(&headers)?;
    if me.role != Role::Secretariat {
        return Err(AuthError::Forbidden.into());
    }
    let durable = state.metrics.durable_entries();
    let backup = Backup::take(&state.store, state.auth.user_records()?, durable)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let body = serde_json::to_vec(&backup).map_err(|e| ApiError::Internal(e.to_string()))?;
    let name = format!("ara-planner-backup-v{}.json", backup.version);
    Ok(attachment("application/json", &name, body))
}

/// For monitors and load balancers: 200 "ok", or 503 with the reason while
/// the server cannot save edits.
async fn healthz(State(state): State<AppState>) -> Response {
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

/// How the automatic backups go, for the secretariat's account page.
async fn backups_status(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<BackupsStatus>, ApiError> {
    let me = state.auth.current_user(&headers)?;
    if me.role != Role::Secretariat {
        return Err(AuthError::Forbidden.into());
    }
    Ok(Json(state.backups.status()))
}

/// The entity a history request names: `priority/{uuid}`, `region/{uuid}`,
/// …, `ten_point/{1-10}`, `initiative/{code}`, `programme/order`.
fn entity_ref(kind: &str, id: &str) -> Option<EntityRef> {
    Some(match kind {
        "programme" => EntityRef::Programme,
        "ten_point" => EntityRef::TenPoint(id.parse().ok()?),
        "initiative" => EntityRef::Initiative(id.to_owned()),
        "priority" => EntityRef::Priority(id.parse().ok()?),
        "region" => EntityRef::Region(id.parse().ok()?),
        "baseline" => EntityRef::Baseline(id.parse().ok()?),
        "development" => EntityRef::Development(id.parse().ok()?),
        "conference" => EntityRef::Conference(id.parse().ok()?),
        "stakeholder" => EntityRef::Stakeholder(id.parse().ok()?),
        "link" => EntityRef::Link(id.parse().ok()?),
        "meeting" => EntityRef::Meeting(id.parse().ok()?),
        _ => return None,
    })
}

/// Who changed which field of one entity when, with the values replaced:
/// read from the history index, which holds what the replay of the log
/// gives (`ara_shared::history`), so it costs that entity's changes, not
/// the log's length. Only durable entries count (those up to the last flush).
async fn entity_history(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Json<Vec<HistoryItem>>, ApiError> {
    state.auth.current_user(&headers)?;
    let entity = entity_ref(&kind, &id)
        .ok_or_else(|| ApiError::BadRequest(format!("no entity {kind}/{id}")))?;
    let durable = Version(state.metrics.log_length.load(Ordering::Relaxed));
    let store = state.store.clone();
    let items = tokio::task::spawn_blocking(move || store.history(&entity, durable))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(items))
}

async fn priorities_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    state.auth.current_user(&headers)?;
    let (_, current) = state
        .hub
        .read()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        "ara-priorities.csv",
        export::priorities_csv(&current),
    ))
}

/// The newest accepted changes, newest first, for the dashboard's "recent
/// changes by whom": `?limit=N` (1 to [`MAX_RECENT_CHANGES`], default
/// [`DEFAULT_RECENT_CHANGES`]; more is cut to the maximum). Signed-in only.
async fn recent_changes(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    state.auth.current_user(&headers)?;
    let limit = match query.get("limit") {
        None => DEFAULT_RECENT_CHANGES,
        Some(n) => match n.parse::<usize>() {
            Ok(n) if n > 0 => n.min(MAX_RECENT_CHANGES),
            _ => {
                return Err(ApiError::BadRequest(
                    "limit must be a whole number from 1".into(),
                ));
            }
        },
    };
    let (version, current) = state
        .hub
        .read()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    // Only what the state includes: entries past `version` are not yet durable.
    let from = Version(version.0.saturating_sub(limit as u64));
    let entries = state
        .store
        .entries_after(from, limit)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut response =
        axum::Json(ara_shared::changes::recent(&entries, &current, version)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn metrics(
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

async fn stakeholders_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    state.auth.current_user(&headers)?;
    let (_, current) = state
        .hub
        .read()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        "ara-stakeholders.csv",
        export::stakeholders_csv(&current),
    ))
}

async fn meeting_ics(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state.auth.current_user(&headers)?;
    let id: MeetingId = id
        .parse()
        .map_err(|_| ApiError::BadRequest("not a meeting id".into()))?;
    let (_, current) = state
        .hub
        .read()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let meeting = current.meetings.get(&id).ok_or(ApiError::NotFound)?;
    let ics = calendar::calendar(&meeting.title, [meeting], &current, auth::now_ms());
    Ok(attachment(
        "text/calendar; charset=utf-8",
        &format!("meeting-{id}.ics"),
        ics,
    ))
}

async fn rotate_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let me = state.auth.current_user(&headers)?;
    let url = state.auth.rotate_calendar_feed(&me).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(serde_json::json!({ "url": url })),
    )
        .into_response())
}

/// The subscribable feed: the secret in the URL is the only credential,
/// because calendar clients cannot sign in.
async fn calendar_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let token = file.strip_suffix(".ics").ok_or(ApiError::NotFound)?;
    state
        .auth
        .feed_owner(token)
        .map_err(|_| ApiError::NotFound)?;
    let (_, current) = state
        .hub
        .read()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut meetings: Vec<_> = current.meetings.values().collect();
    meetings.sort_by_key(|m| m.start_ms);
    let ics = calendar::calendar("ARA meetings", meetings, &current, auth::now_ms());
    let mut response = ics.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

async fn sync(
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
        .map_err(|_| HttpError::NotSignedIn)?;
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
