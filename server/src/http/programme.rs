//! What the API gives of the work programme: the newest changes, one
//! entity's history, the CSV and iCalendar exports, the subscribable
//! calendar feed, and, for the secretariat, the full backup and how the
//! automatic backups go. Everything but the feed needs a session.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use ara_shared::account::BackupsStatus;
use ara_shared::changes::{DEFAULT_RECENT_CHANGES, MAX_RECENT_CHANGES};
use ara_shared::history::HistoryItem;
use ara_shared::{EntityRef, MeetingId, Version};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::{AppState, HttpError, Secretariat, SignedIn};
use crate::auth;
use crate::calendar;
use crate::export::{self, Backup};
use crate::store::LogStore;

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
pub(super) async fn download_backup(
    State(state): State<AppState>,
    _: Secretariat,
) -> Result<Response, HttpError> {
    let durable = state.metrics.durable_entries();
    let backup = Backup::take(&state.store, state.auth.user_records()?, durable)?;
    let body = serde_json::to_vec(&backup).map_err(HttpError::internal)?;
    let name = format!("ara-planner-backup-v{}.json", backup.version);
    Ok(attachment("application/json", &name, body))
}

/// How the automatic backups go, for the secretariat's account page.
pub(super) async fn backups_status(
    State(state): State<AppState>,
    _: Secretariat,
) -> Json<BackupsStatus> {
    Json(state.backups.status())
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
pub(super) async fn entity_history(
    State(state): State<AppState>,
    _: SignedIn,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Json<Vec<HistoryItem>>, HttpError> {
    let entity = entity_ref(&kind, &id)
        .ok_or_else(|| HttpError::BadRequest(format!("no entity {kind}/{id}")))?;
    let durable = Version(state.metrics.log_length.load(Ordering::Relaxed));
    let store = state.store.clone();
    let items = tokio::task::spawn_blocking(move || store.history(&entity, durable)).await??;
    Ok(Json(items))
}

pub(super) async fn priorities_csv(
    State(state): State<AppState>,
    _: SignedIn,
) -> Result<Response, HttpError> {
    csv_of(&state, "ara-priorities.csv", export::priorities_csv).await
}

pub(super) async fn stakeholders_csv(
    State(state): State<AppState>,
    _: SignedIn,
) -> Result<Response, HttpError> {
    csv_of(&state, "ara-stakeholders.csv", export::stakeholders_csv).await
}

/// A CSV export of the durable state, as a download named `file`.
async fn csv_of(
    state: &AppState,
    file: &str,
    export: fn(&ara_shared::State) -> String,
) -> Result<Response, HttpError> {
    let (_, current) = state.hub.read().await?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        file,
        export(&current),
    ))
}

/// The newest accepted changes, newest first, for the dashboard's "recent
/// changes by whom": `?limit=N` (1 to [`MAX_RECENT_CHANGES`], default
/// [`DEFAULT_RECENT_CHANGES`]; more is cut to the maximum). Signed-in only.
pub(super) async fn recent_changes(
    State(state): State<AppState>,
    _: SignedIn,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, HttpError> {
    let limit = match query.get("limit") {
        None => DEFAULT_RECENT_CHANGES,
        Some(n) => match n.parse::<usize>() {
            Ok(n) if n > 0 => n.min(MAX_RECENT_CHANGES),
            _ => {
                return Err(HttpError::BadRequest(
                    "limit must be a whole number from 1".into(),
                ));
            }
        },
    };
    let (version, current) = state.hub.read().await?;
    // Only what the state includes: entries past `version` are not yet durable.
    let from = Version(version.0.saturating_sub(limit as u64));
    let entries = state.store.entries_after(from, limit)?;
    let mut response =
        axum::Json(ara_shared::changes::recent(&entries, &current, version)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

pub(super) async fn meeting_ics(
    State(state): State<AppState>,
    _: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let id: MeetingId = id
        .parse()
        .map_err(|_| HttpError::BadRequest("not a meeting id".into()))?;
    let (_, current) = state.hub.read().await?;
    let meeting = current.meetings.get(&id).ok_or(HttpError::NotFound)?;
    let ics = calendar::calendar(&meeting.title, [meeting], &current, auth::now_ms());
    Ok(attachment(
        "text/calendar; charset=utf-8",
        &format!("meeting-{id}.ics"),
        ics,
    ))
}

/// The subscribable feed: the secret in the URL is the only credential,
/// because calendar clients cannot sign in.
pub(super) async fn calendar_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, HttpError> {
    let token = file.strip_suffix(".ics").ok_or(HttpError::NotFound)?;
    state
        .auth
        .feed_owner(token)
        .map_err(|_| HttpError::NotFound)?;
    let (_, current) = state.hub.read().await?;
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
