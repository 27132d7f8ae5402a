//! Requests to the server's JSON API (accounts). Sync goes over the
//! WebSocket in [`crate::sync`]; this is only for what is not a mutation.

use ara_shared::account::{AccountErrorCode, ApiErrorBody};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCredentials, RequestInit, Response};

/// Why a request did not give what was asked.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiFailure {
    /// The server could not be reached.
    Network,
    /// The server refused, with a code to translate.
    Refused(ApiErrorBody),
    /// The server answered something this app does not understand.
    Unexpected,
}

/// What a failure is, for its words: the server's typed code, or one of
/// the app's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureCode {
    Network,
    Unexpected,
    Refused(AccountErrorCode),
}

impl ApiFailure {
    pub fn code(&self) -> FailureCode {
        match self {
            ApiFailure::Network => FailureCode::Network,
            ApiFailure::Refused(body) => FailureCode::Refused(body.error),
            ApiFailure::Unexpected => FailureCode::Unexpected,
        }
    }

    /// Whether the server refused with `code`.
    pub fn is(&self, code: AccountErrorCode) -> bool {
        self.code() == FailureCode::Refused(code)
    }
}

async fn send(method: &str, path: &str, body: Option<String>) -> Result<Response, ApiFailure> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Some(body) = &body {
        init.set_body(&JsValue::from_str(body));
    }
    let request =
        Request::new_with_str_and_init(path, &init).map_err(|_| ApiFailure::Unexpected)?;
    if body.is_some() {
        let _ = request.headers().set("Content-Type", "application/json");
    }
    let window = web_sys::window().ok_or(ApiFailure::Unexpected)?;
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| ApiFailure::Network)?;
    response
        .dyn_into::<Response>()
        .map_err(|_| ApiFailure::Unexpected)
}

async fn text(response: &Response) -> Result<String, ApiFailure> {
    let promise = response.text().map_err(|_| ApiFailure::Unexpected)?;
    JsFuture::from(promise)
        .await
        .map_err(|_| ApiFailure::Network)?
        .as_string()
        .ok_or(ApiFailure::Unexpected)
}

async fn finish<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    let body = text(&response).await?;
    if response.ok() {
        // An empty success (204) reads as JSON `null`.
        let body = if body.is_empty() { "null" } else { &body };
        serde_json::from_str(body).map_err(|_| ApiFailure::Unexpected)
    } else {
        Err(serde_json::from_str::<ApiErrorBody>(&body)
            .map(ApiFailure::Refused)
            .unwrap_or(ApiFailure::Unexpected))
    }
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiFailure> {
    finish(send("GET", path, None).await?).await
}

pub async fn call<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: &B,
) -> Result<T, ApiFailure> {
    let body = serde_json::to_string(body).map_err(|_| ApiFailure::Unexpected)?;
    finish(send(method, path, Some(body)).await?).await
}

pub async fn delete(path: &str) -> Result<(), ApiFailure> {
    finish::<()>(send("DELETE", path, None).await?).await
}
