//! What a handler asks for in its signature instead of checking by hand:
//! the signed-in person ([`SignedIn`]), a member of the secretariat
//! ([`Secretariat`]), a JSON body ([`JsonBody`]). Each refuses with an
//! [`HttpError`], so every refusal has the API's format.
//!
//! Extractors of the request's parts run before the body is read: a
//! request without a session is refused as such whatever its body.

use ara_shared::Role;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

use super::{AppState, HttpError};
use crate::auth::{AuthError, UserRecord};

/// The person signed in with the request's session cookie; refused with
/// `401 not_signed_in` without one.
pub struct SignedIn(pub UserRecord);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        Ok(Self(state.auth.current_user(&parts.headers)?))
    }
}

/// A signed-in member of the secretariat; anyone else signed in is
/// refused with `403 forbidden` ("your role does not allow this").
pub struct Secretariat(pub UserRecord);

impl FromRequestParts<AppState> for Secretariat {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
        if user.role != Role::Secretariat {
            return Err(AuthError::Forbidden.into());
        }
        Ok(Self(user))
    }
}

/// A JSON request body, refused in the API's error format when it is not
/// one. `Content-Type: application/json` is required: a page of another
/// site can send a body only as a form or plain text unless the server
/// agrees to more (CORS), and this server never does.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = HttpError;

    async fn from_request(request: Request, state: &S) -> Result<Self, HttpError> {
        if !is_json(request.headers()) {
            return Err(HttpError::NotJson);
        }
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|e| match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => HttpError::TooLarge,
                _ => HttpError::BadRequest(e.body_text()),
            })?;
        serde_json::from_slice(&body)
            .map(JsonBody)
            .map_err(|e| HttpError::BadRequest(e.to_string()))
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
