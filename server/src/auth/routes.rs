//! The account API under `/api`: setup, sign-in and out, password,
//! invitations, people and roles. Every refusal is JSON `{error, message}`
//! with a stable `error` code that the app translates.

use ara_shared::RegionId;
use ara_shared::account::{
    AcceptInvitationRequest, ApiErrorBody, CalendarFeedStatus, ChangePasswordRequest,
    InvitationView, InviteRequest, OpenInvitation, SetRoleRequest, SetUpRequest, SignInRequest,
    UserView,
};
use ara_shared::region::Membership;
use ara_shared::{Role, UserId};
use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::de::DeserializeOwned;

use super::AuthError;
use crate::client_address::ClientAddress;
use crate::http::AppState;

/// A refused API request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error("the request body is not valid: {0}")]
    BadRequest(String),
    #[error("the request body must be JSON, sent as Content-Type: application/json")]
    NotJson,
    #[error("the request body is too large")]
    TooLarge,
    #[error(
        "this request came from a page of another site (its Origin or Sec-Fetch-Site) and was refused"
    )]
    CrossSite,
    #[error("the server failed: {0}")]
    Internal(String),
    #[error("not found")]
    NotFound,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::NotJson => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
            ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::CrossSite => (StatusCode::FORBIDDEN, "cross_site"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Internal(e) => {
                tracing::error!(error = %e, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
            ApiError::Auth(e) => (
                match e {
                    AuthError::InvalidCredentials | AuthError::NotSignedIn => {
                        StatusCode::UNAUTHORIZED
                    }
                    AuthError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
                    AuthError::Forbidden
                    | AuthError::LastSecretariat
                    | AuthError::CannotRemoveSelf => StatusCode::FORBIDDEN,
                    AuthError::InvalidToken | AuthError::UnknownUser => StatusCode::NOT_FOUND,
                    AuthError::EmailTaken | AuthError::NameTaken | AuthError::AlreadySetUp => {
                        StatusCode::CONFLICT
                    }
                    AuthError::WeakPassword
                    | AuthError::InvalidEmail
                    | AuthError::InvalidName
                    | AuthError::UnknownRegion => StatusCode::UNPROCESSABLE_ENTITY,
                    AuthError::Store(err) => {
                        tracing::error!(%err, "account storage failed");
                        StatusCode::INTERNAL_SERVER_ERROR
                    }
                },
                e.code(),
            ),
        };
        let retry_after_s = match &self {
            ApiError::Auth(AuthError::TooManyAttempts { retry_after_s }) => Some(*retry_after_s),
            _ => None,
        };
        let body = ApiErrorBody {
            error: code.to_owned(),
            message: self.to_string(),
            retry_after_s,
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(v) = retry_after_s.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

/// A JSON request body, refused in the API's error format when it is not
/// one. `Content-Type: application/json` is required: a page of another
/// site can send a body only as a form or plain text unless the server
/// agrees to more (CORS), and this server never does.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(request.headers()) {
            return Err(ApiError::NotJson);
        }
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|e| match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
                _ => ApiError::BadRequest(e.body_text()),
            })?;
        serde_json::from_slice(&body)
            .map(JsonBody)
            .map_err(|e| ApiError::BadRequest(e.to_string()))
    }
}

/// `application/json`, with or without parameters such as a charset.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/setup", post(set_up))
        .route("/api/session", post(sign_in).delete(sign_out))
        .route("/api/me", get(me))
        .route("/api/me/password", post(change_password))
        .route("/api/invitations", post(invite).get(open_invitations))
        // GET with the token (the recipient); DELETE with the id from the
        // list (the secretariat revokes).
        .route(
            "/api/invitations/{token}",
            get(invitation).delete(revoke_invitation),
        )
        .route("/api/invitations/{token}/accept", post(accept_invitation))
        .route("/api/users", get(users))
        .route("/api/users/{id}", delete(remove_user))
        .route("/api/users/{id}/role", put(set_role))
        .route("/api/me/calendar-feed", get(calendar_feed_status))
}

fn with_cookie(cookie: HeaderValue, body: impl IntoResponse) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    response
}

async fn set_up(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<SetUpRequest>,
) -> Result<Response, ApiError> {
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

async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(from): ClientAddress,
    JsonBody(req): JsonBody<SignInRequest>,
) -> Result<Response, ApiError> {
    let user = state.auth.sign_in(&req.email, &req.password, from).await?;
    let cookie = state.auth.start_session(&user).await?;
    Ok(with_cookie(cookie, Json(UserView::from(&user))))
}

async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    state.auth.sign_out(&headers).await?;
    Ok(with_cookie(
        state.auth.clear_cookie(),
        StatusCode::NO_CONTENT,
    ))
}

async fn me(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<UserView>, ApiError> {
    Ok(Json(UserView::from(&state.auth.current_user(&headers)?)))
}

async fn change_password(
    State(state): State<AppState>,
    ClientAddress(from): ClientAddress,
    headers: HeaderMap,
    JsonBody(req): JsonBody<ChangePasswordRequest>,
) -> Result<StatusCode, ApiError> {
    state
        .auth
        .change_password(&headers, &req.current, &req.new, from)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn invite(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<InviteRequest>,
) -> Result<Response, ApiError> {
    let by = state.auth.current_user(&headers)?;
    if by.role == Role::Secretariat {
        member_region(&state, req.role, req.region).await?;
    }
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

async fn invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let invitation = state.auth.invitation(&token)?;
    Ok(Json(InvitationView {
        region: invitation.region,
        link: None,
        email: invitation.email,
        role: invitation.role,
        expires_ms: invitation.expires_ms,
    })
    .into_response())
}

async fn accept_invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
    JsonBody(req): JsonBody<AcceptInvitationRequest>,
) -> Result<Response, ApiError> {
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

async fn users(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<UserView>>, ApiError> {
    let me = state.auth.current_user(&headers)?;
    if me.role != Role::Secretariat {
        return Err(AuthError::Forbidden.into());
    }
    Ok(Json(state.auth.users()?))
}

async fn set_role(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<SetRoleRequest>,
) -> Result<Json<UserView>, ApiError> {
    let me = state.auth.current_user(&headers)?;
    let id: UserId = id
        .parse()
        .map_err(|_| ApiError::BadRequest("not a user id".into()))?;
    if me.role == Role::Secretariat {
        member_region(&state, req.role, req.region).await?;
    }
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
) -> Result<(), ApiError> {
    let Some(region) = region.filter(|_| role == Role::RegionEditor) else {
        return Ok(());
    };
    let (_, current) = state
        .hub
        .read()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    match current.regions.get(&region) {
        Some(r) if r.membership == Membership::Member => Ok(()),
        _ => Err(AuthError::UnknownRegion.into()),
    }
}

fn user_id(id: &str) -> Result<UserId, ApiError> {
    id.parse()
        .map_err(|_| ApiError::BadRequest("not a user id".into()))
}

async fn remove_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let me = state.auth.current_user(&headers)?;
    state.auth.remove_user(&me, user_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn open_invitations(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<OpenInvitation>>, ApiError> {
    let me = state.auth.current_user(&headers)?;
    Ok(Json(state.auth.open_invitations(&me)?))
}

async fn revoke_invitation(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let me = state.auth.current_user(&headers)?;
    state.auth.revoke_invitation(&me, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether the person has a calendar feed (its URL is shown only when made).
async fn calendar_feed_status(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<CalendarFeedStatus>, ApiError> {
    let me = state.auth.current_user(&headers)?;
    Ok(Json(CalendarFeedStatus {
        active: me.calendar_feed.is_some(),
    }))
}
