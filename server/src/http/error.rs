//! [`HttpError`], the one error type of the HTTP edge: every refusal and
//! failure of a request, each its own response.
//!
//! The API (`/api/…`, `/calendar/…`) answers JSON `{error, message}` with a
//! stable `error` code that the app translates; the app's own surfaces
//! (assets, the sync upgrade, metrics, a wrong method) answer a sentence in
//! plain text. A failure of the server itself is logged with its detail and
//! answered with the code `internal` and a sentence that gives none away.

use ara_shared::account::{AccountErrorCode, ApiErrorBody};
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::auth::AuthError;
use crate::export::BackupError;
use crate::store::StoreError;
use crate::sync::HubStopped;

/// What the client is told of a failure of the server itself.
const INTERNAL_MESSAGE: &str = "the server failed; the details are in its log";

/// A refused or failed request.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
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
    /// Something the API was asked for does not exist (JSON).
    #[error("not found")]
    NotFound,
    /// The server failed; the detail is logged, never sent.
    #[error("{INTERNAL_MESSAGE}")]
    Internal(anyhow::Error),
    /// No such file or page (plain text).
    #[error("not found")]
    NoSuchFile,
    #[error("this method is not allowed on this path")]
    MethodNotAllowed,
    #[error("the Origin header is missing or not allowed to open the sync connection")]
    OriginNotAllowed,
    #[error("sign in to sync")]
    SyncNotSignedIn,
    #[error("too many open sync connections for this account; close other tabs or devices")]
    TooManyConnections,
    #[error(
        "metrics are served only to this machine, not through a proxy, or with the bearer token set by --metrics-token"
    )]
    MetricsNotPublic,
}

impl HttpError {
    /// A failure of the server itself, for errors without a `From` here.
    pub fn internal(detail: impl Into<anyhow::Error>) -> Self {
        HttpError::Internal(detail.into())
    }
}

impl From<StoreError> for HttpError {
    fn from(e: StoreError) -> Self {
        HttpError::internal(e)
    }
}

impl From<HubStopped> for HttpError {
    fn from(e: HubStopped) -> Self {
        HttpError::internal(e)
    }
}

impl From<BackupError> for HttpError {
    fn from(e: BackupError) -> Self {
        HttpError::internal(e)
    }
}

impl From<tokio::task::JoinError> for HttpError {
    fn from(e: tokio::task::JoinError) -> Self {
        HttpError::internal(e)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            HttpError::NoSuchFile => return plain(StatusCode::NOT_FOUND, &self),
            HttpError::MethodNotAllowed => return plain(StatusCode::METHOD_NOT_ALLOWED, &self),
            HttpError::OriginNotAllowed | HttpError::MetricsNotPublic => {
                return plain(StatusCode::FORBIDDEN, &self);
            }
            HttpError::SyncNotSignedIn => return plain(StatusCode::UNAUTHORIZED, &self),
            HttpError::TooManyConnections => return plain(StatusCode::TOO_MANY_REQUESTS, &self),
            HttpError::BadRequest(_) => (StatusCode::BAD_REQUEST, AccountErrorCode::BadRequest),
            HttpError::NotJson => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                AccountErrorCode::UnsupportedMediaType,
            ),
            HttpError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                AccountErrorCode::PayloadTooLarge,
            ),
            HttpError::CrossSite => (StatusCode::FORBIDDEN, AccountErrorCode::CrossSite),
            HttpError::NotFound => (StatusCode::NOT_FOUND, AccountErrorCode::NotFound),
            HttpError::Internal(detail) => {
                tracing::error!(error = format!("{detail:#}"), "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    AccountErrorCode::Internal,
                )
            }
            HttpError::Auth(e) => (auth_status(e), e.code()),
        };
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            INTERNAL_MESSAGE.to_owned()
        } else {
            self.to_string()
        };
        let retry_after_s = match &self {
            HttpError::Auth(AuthError::TooManyAttempts { retry_after_s }) => Some(*retry_after_s),
            _ => None,
        };
        let body = ApiErrorBody {
            error: code,
            message,
            retry_after_s,
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(v) = retry_after_s.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

/// A refusal of the app's own surfaces: a sentence, as browsers and
/// monitors show it.
fn plain(status: StatusCode, error: &HttpError) -> Response {
    (status, error.to_string()).into_response()
}

/// The status of an account refusal; a storage failure is logged here,
/// where its detail is dropped from the answer.
fn auth_status(error: &AuthError) -> StatusCode {
    match error {
        AuthError::InvalidCredentials | AuthError::NotSignedIn => StatusCode::UNAUTHORIZED,
        AuthError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        AuthError::Forbidden | AuthError::LastSecretariat | AuthError::CannotRemoveSelf => {
            StatusCode::FORBIDDEN
        }
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
        AuthError::Hashing(err) => {
            tracing::error!(%err, "password hashing failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(error: HttpError) -> (StatusCode, serde_json::Value) {
        let response = error.into_response();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        (status, serde_json::from_slice(&bytes).expect("JSON"))
    }

    #[tokio::test]
    async fn internal_detail_is_logged_not_sent() {
        for error in [
            HttpError::internal(anyhow::anyhow!("secret path /var/lib/ara")),
            HttpError::from(StoreError::Corrupt("secret path /var/lib/ara".into())),
            HttpError::Auth(AuthError::Store(StoreError::Corrupt(
                "secret path /var/lib/ara".into(),
            ))),
            HttpError::Auth(AuthError::Hashing("secret parameters".into())),
        ] {
            let (status, body) = body_of(error).await;
            assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(body["error"], "internal");
            assert_eq!(body["message"], INTERNAL_MESSAGE);
        }
    }
}
