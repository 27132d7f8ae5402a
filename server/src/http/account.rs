//! The account API under `/api`: setup, sign-in and out, password,
//! invitations, people and roles, and the person's calendar feed URL. The
//! rules are `auth`'s; this module only turns requests into its calls and
//! its answers into responses.

use ara_shared::RegionId;
use ara_shared::account::{
    AcceptInvitationRequest, CalendarFeedStatus, ChangePasswordRequest, InvitationView,
    InviteRequest, OpenInvitation, SetRoleRequest, SetUpRequest, SignInRequest, UserView,
};
use ara_shared::region::Membership;
use ara_shared::{Role, UserId};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{AppState, HttpError, JsonBody, Secretariat, SignedIn};
use crate::auth::AuthError;
use crate::client_address::ClientAddress;

fn with_cookie(cookie: HeaderValue, body: impl IntoResponse) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    response
}

pub(super) async fn set_up(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<SetUpRequest>,
) -> Result<Response, HttpError> {
    let user = state
        .auth
        .set_up(&req.token, &req.name, &req.email, &req.password)
        .await?;
    let cookie = state.auth.start_session(&user).await?;
    Ok(with_cookie(
        cookie,
        (StatusCode::CREATED, Json(UserView::from(&user))),
    ))
}

pub(super) async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(from): ClientAddress,
    JsonBody(req): JsonBody<SignInRequest>,
) -> Result<Response, HttpError> {
    let user = state.auth.sign_in(&req.email, &req.password, from).await?;
    let cookie = state.auth.start_session(&user).await?;
    Ok(with_cookie(cookie, Json(UserView::from(&user))))
}

pub(super) async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    state.auth.sign_out(&headers).await?;
    Ok(with_cookie(
        state.auth.clear_cookie(),
        StatusCode::NO_CONTENT,
    ))
}

pub(super) async fn me(SignedIn(me): SignedIn) -> Json<UserView> {
    Json(UserView::from(&me))
}

/// Needs the session itself, not only its person: every other session of
/// the account ends.
pub(super) async fn change_password(
    State(state): State<AppState>,
    ClientAddress(from): ClientAddress,
    headers: HeaderMap,
    JsonBody(req): JsonBody<ChangePasswordRequest>,
) -> Result<StatusCode, HttpError> {
    state
        .auth
        .change_password(&headers, &req.current, &req.new, from)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn invite(
    State(state): State<AppState>,
    Secretariat(by): Secretariat,
    JsonBody(req): JsonBody<InviteRequest>,
) -> Result<Response, HttpError> {
    member_region(&state, req.role, req.region).await?;
    let (token, invitation) = state
        .auth
        .invite(&by, &req.email, req.role, req.region)
        .await?;
    let view = InvitationView {
        region: invitation.region,
        link: Some(format!("/invite#{token}")),
        email: invitation.email,
        role: invitation.role,
        expires_ms: invitation.expires_ms,
    };
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// The invitation behind a link, for its recipient (who has no session).
pub(super) async fn invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<InvitationView>, HttpError> {
    let invitation = state.auth.invitation(&token)?;
    Ok(Json(InvitationView {
        region: invitation.region,
        link: None,
        email: invitation.email,
        role: invitation.role,
        expires_ms: invitation.expires_ms,
    }))
}

pub(super) async fn accept_invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
    JsonBody(req): JsonBody<AcceptInvitationRequest>,
) -> Result<Response, HttpError> {
    let user = state
        .auth
        .accept_invitation(&token, &req.name, &req.password)
        .await?;
    let cookie = state.auth.start_session(&user).await?;
    Ok(with_cookie(
        cookie,
        (StatusCode::CREATED, Json(UserView::from(&user))),
    ))
}

pub(super) async fn users(
    State(state): State<AppState>,
    _: Secretariat,
) -> Result<Json<Vec<UserView>>, HttpError> {
    Ok(Json(state.auth.users()?))
}

pub(super) async fn set_role(
    State(state): State<AppState>,
    Secretariat(me): Secretariat,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<SetRoleRequest>,
) -> Result<Json<UserView>, HttpError> {
    let id = user_id(&id)?;
    member_region(&state, req.role, req.region).await?;
    Ok(Json(
        state.auth.set_role(&me, id, req.role, req.region).await?,
    ))
}

/// A region given for a region editor must be a member region of the
/// Alliance (the app offers only those); other roles have no region.
async fn member_region(
    state: &AppState,
    role: Role,
    region: Option<RegionId>,
) -> Result<(), HttpError> {
    let Some(region) = region.filter(|_| role == Role::RegionEditor) else {
        return Ok(());
    };
    let (_, current) = state.hub.read().await?;
    match current.regions.get(&region) {
        Some(r) if r.membership == Membership::Member => Ok(()),
        _ => Err(AuthError::UnknownRegion.into()),
    }
}

fn user_id(id: &str) -> Result<UserId, HttpError> {
    id.parse()
        .map_err(|_| HttpError::BadRequest("not a user id".into()))
}

pub(super) async fn remove_user(
    State(state): State<AppState>,
    Secretariat(me): Secretariat,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    state.auth.remove_user(&me, user_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn open_invitations(
    State(state): State<AppState>,
    Secretariat(me): Secretariat,
) -> Result<Json<Vec<OpenInvitation>>, HttpError> {
    Ok(Json(state.auth.open_invitations(&me)?))
}

/// The secretariat withdraws an invitation, named by the id of the list.
pub(super) async fn revoke_invitation(
    State(state): State<AppState>,
    Secretariat(me): Secretariat,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    state.auth.revoke_invitation(&me, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether the person has a calendar feed (its URL is shown only when made).
pub(super) async fn calendar_feed_status(SignedIn(me): SignedIn) -> Json<CalendarFeedStatus> {
    Json(CalendarFeedStatus {
        active: me.calendar_feed.is_some(),
    })
}

/// A new secret feed URL for the person; the previous one stops working.
pub(super) async fn rotate_calendar_feed(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
) -> Result<Response, HttpError> {
    let url = state.auth.rotate_calendar_feed(&me).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(serde_json::json!({ "url": url })),
    )
        .into_response())
}
