//! The one route table: every path the server answers and its method, and
//! the layers every request passes ([`crate::security`]). Built by
//! [`router`] from an [`AppState`] without a socket, so that the tests
//! below drive it in memory.

use axum::Router;
use axum::routing::{delete, get, post, put};

use super::{AppState, HttpError, account, programme, site};

/// Every route of the server, in one place.
pub fn router(state: AppState) -> Router {
    Router::new()
        // The app and what runs around it.
        .route("/healthz", get(site::healthz))
        .route("/metrics", get(site::metrics))
        .route("/sync", get(site::sync))
        .route("/assets/{*file}", get(site::asset))
        .route("/sw.js", get(site::service_worker))
        .route("/manifest.webmanifest", get(site::web_app_manifest))
        .route("/api/version", get(site::version))
        // Accounts, sessions, invitations, people.
        .route("/api/setup", post(account::set_up))
        .route(
            "/api/session",
            post(account::sign_in).delete(account::sign_out),
        )
        .route("/api/me", get(account::me))
        .route("/api/me/password", post(account::change_password))
        .route(
            "/api/me/calendar-feed",
            get(account::calendar_feed_status).post(account::rotate_calendar_feed),
        )
        .route(
            "/api/invitations",
            post(account::invite).get(account::open_invitations),
        )
        // GET with the token (the recipient); DELETE with the id from the
        // list (the secretariat revokes).
        .route(
            "/api/invitations/{token}",
            get(account::invitation).delete(account::revoke_invitation),
        )
        .route(
            "/api/invitations/{token}/accept",
            post(account::accept_invitation),
        )
        .route("/api/users", get(account::users))
        .route("/api/users/{id}", delete(account::remove_user))
        .route("/api/users/{id}/role", put(account::set_role))
        // The work programme: backups, exports, changes, history, calendars.
        .route("/api/backup", get(programme::download_backup))
        .route("/api/backups", get(programme::backups_status))
        .route("/api/export/priorities.csv", get(programme::priorities_csv))
        .route(
            "/api/export/stakeholders.csv",
            get(programme::stakeholders_csv),
        )
        .route("/api/changes", get(programme::recent_changes))
        .route("/api/meetings/{id}/ics", get(programme::meeting_ics))
        .route("/api/history/{kind}/{id}", get(programme::entity_history))
        .route("/calendar/{file}", get(programme::calendar_feed))
        // Any other path is the app's for GET, and unknown for the rest.
        .fallback(get(site::app_shell).fallback(|| async { HttpError::NoSuchFile }))
        // A known path asked with another method: said in words, like
        // every refusal (axum's default is an empty body).
        .method_not_allowed_fallback(|| async { HttpError::MethodNotAllowed })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::security::same_origin_writes,
        ))
        .layer(axum::middleware::from_fn(crate::security::headers))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::sync::Arc;

    use ara_shared::Role;
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::{Method, Request, StatusCode, header};
    use tower::ServiceExt as _;

    use super::*;
    use crate::auth::Auth;
    use crate::metrics::Metrics;
    use crate::store::Store;
    use crate::sync::{Hub, SyncConfig};

    const PASSWORD: &str = "a long enough password";

    /// A server's state on a fresh store, with no socket.
    struct Fixture {
        state: AppState,
        _dir: tempfile::TempDir,
        _shutdown: tokio::sync::watch::Sender<bool>,
    }

    async fn fixture() -> Fixture {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = Store::open(dir.path()).expect("a fresh store opens");
        let metrics = Arc::new(Metrics::default());
        let (shutdown, stop) = tokio::sync::watch::channel(false);
        let config = SyncConfig {
            demo: false,
            min_free_bytes: 0,
            snapshot_every: 1000,
            catch_up_window: 10_000,
        };
        let hub = Hub::start(store.clone(), config, metrics.clone(), stop.clone())
            .await
            .expect("the sequencer starts");
        let auth = Arc::new(Auth::open(&store, false).expect("the account trees open"));
        let limits = crate::ws::ConnectionLimits {
            send_timeout: std::time::Duration::from_secs(30),
            push_rate: crate::ws::DEFAULT_PUSH_RATE,
        };
        let state = AppState::new(auth, store, hub, metrics, Vec::new(), stop, limits);
        Fixture {
            state,
            _dir: dir,
            _shutdown: shutdown,
        }
    }

    /// The `Cookie` header of a new session of `user`.
    async fn cookie_of(auth: &Auth, user: &crate::auth::UserRecord) -> String {
        let set_cookie = auth.start_session(user).await.expect("a session");
        let set_cookie = set_cookie.to_str().expect("ASCII");
        set_cookie.split(';').next().expect("name=value").to_owned()
    }

    /// The first secretariat account and an observer it invited, signed in.
    async fn secretariat_and_observer(auth: &Auth) -> (String, String) {
        let token = auth
            .setup_token()
            .await
            .expect("setup")
            .expect("no account yet");
        let secretariat = auth
            .set_up(&token, "Sam Secretariat", "sam@ara.test", PASSWORD)
            .await
            .expect("the first account");
        let (token, _) = auth
            .invite(&secretariat, "olga@ara.test", Role::Observer, None)
            .await
            .expect("an invitation");
        let observer = auth
            .accept_invitation(&token, "Olga Observer", PASSWORD)
            .await
            .expect("the invited account");
        (
            cookie_of(auth, &secretariat).await,
            cookie_of(auth, &observer).await,
        )
    }

    struct Answer {
        status: StatusCode,
        /// The `error` code of a JSON answer.
        code: Option<String>,
        message: Option<String>,
    }

    async fn ask(state: &AppState, method: Method, path: &str, cookie: Option<&str>) -> Answer {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let mut request = request.body(Body::empty()).expect("a request");
        // What the listener adds to every request.
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40_000))));
        let response = router(state.clone())
            .oneshot(request)
            .await
            .expect("the router always answers");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        let json = serde_json::from_slice::<serde_json::Value>(&bytes).ok();
        let field = |name: &str| {
            json.as_ref()
                .and_then(|j| j[name].as_str())
                .map(str::to_owned)
        };
        Answer {
            status,
            code: field("error"),
            message: field("message"),
        }
    }

    /// Every route answers a stranger (no session) as it does, which no
    /// missing route would: a GET would get the app shell (200) or a plain
    /// 404, another method a plain 404 or 405.
    #[tokio::test]
    async fn every_route_answers_a_stranger_as_documented() {
        let fixture = fixture().await;
        let id = uuid::Uuid::now_v7();
        let cases: &[(Method, String, u16, Option<&str>)] = &[
            (Method::GET, "/healthz".into(), 200, None),
            (Method::GET, "/metrics".into(), 200, None),
            // Not an upgrade request: refused by the upgrade, not the shell.
            (Method::GET, "/sync".into(), 400, None),
            (Method::GET, "/assets/missing".into(), 404, None),
            (Method::GET, "/sw.js".into(), 200, None),
            (Method::GET, "/manifest.webmanifest".into(), 200, None),
            (Method::GET, "/api/version".into(), 200, None),
            (
                Method::POST,
                "/api/setup".into(),
                415,
                Some("unsupported_media_type"),
            ),
            (
                Method::POST,
                "/api/session".into(),
                415,
                Some("unsupported_media_type"),
            ),
            (Method::DELETE, "/api/session".into(), 204, None),
            (Method::GET, "/api/me".into(), 401, Some("not_signed_in")),
            (
                Method::POST,
                "/api/me/password".into(),
                415,
                Some("unsupported_media_type"),
            ),
            (
                Method::GET,
                "/api/me/calendar-feed".into(),
                401,
                Some("not_signed_in"),
            ),
            (
                Method::POST,
                "/api/me/calendar-feed".into(),
                401,
                Some("not_signed_in"),
            ),
            (
                Method::POST,
                "/api/invitations".into(),
                401,
                Some("not_signed_in"),
            ),
            (
                Method::GET,
                "/api/invitations".into(),
                401,
                Some("not_signed_in"),
            ),
            (
                Method::GET,
                "/api/invitations/no-such-token".into(),
                404,
                Some("invalid_token"),
            ),
            (
                Method::DELETE,
                "/api/invitations/no-such-id".into(),
                401,
                Some("not_signed_in"),
            ),
            (
                Method::POST,
                "/api/invitations/no-such-token/accept".into(),
                415,
                Some("unsupported_media_type"),
            ),
            (Method::GET, "/api/users".into(), 401, Some("not_signed_in")),
            (
                Method::DELETE,
                format!("/api/users/{id}"),
                401,
                Some("not_signed_in"),
            ),
            (
                Method::PUT,
                format!("/api/users/{id}/role"),
                401,
                Some("not_signed_in"),
            ),
            (
                Method::GET,
                "/api/backup".into(),
                401,
                Some("not_signed_in"),
            ),
            (
                Method::GET,
                "/api/backups".into(),
                401,
                Some("not_signed_in"),
            ),
            (
                Method::GET,
                "/api/export/priorities.csv".into(),
                401,
                Some("not_signed_in"),
            ),
            (
                Method::GET,
                "/api/export/stakeholders.csv".into(),
                401,
                Some("not_signed_in"),
            ),
            (
                Method::GET,
                "/api/changes".into(),
                401,
                Some("not_signed_in"),
            ),
            (
                Method::GET,
                format!("/api/meetings/{id}/ics"),
                401,
                Some("not_signed_in"),
            ),
            (
                Method::GET,
                format!("/api/history/priority/{id}"),
                401,
                Some("not_signed_in"),
            ),
            (
                Method::GET,
                "/calendar/no-such-feed.ics".into(),
                404,
                Some("not_found"),
            ),
            // The fallbacks themselves.
            (Method::GET, "/programme".into(), 200, None),
            (Method::GET, "/no-such-file.png".into(), 404, None),
            (Method::POST, "/no-such-path".into(), 404, None),
            (Method::PUT, "/api/me".into(), 405, None),
        ];
        for (method, path, status, code) in cases {
            let answer = ask(&fixture.state, method.clone(), path, None).await;
            assert_eq!(answer.status.as_u16(), *status, "{method} {path}");
            assert_eq!(answer.code.as_deref(), *code, "{method} {path}");
        }
    }

    /// Someone signed in without the secretariat's role is refused by every
    /// secretariat route with `403 forbidden`, as before the extractor; the
    /// secretariat passes.
    #[tokio::test]
    async fn only_the_secretariat_passes_the_secretariat_routes() {
        let fixture = fixture().await;
        let (secretariat, observer) = secretariat_and_observer(&fixture.state.auth).await;
        let id = uuid::Uuid::now_v7();
        for (method, path) in [
            (Method::GET, "/api/backup".to_owned()),
            (Method::GET, "/api/backups".into()),
            (Method::GET, "/api/users".into()),
            (Method::GET, "/api/invitations".into()),
            (Method::POST, "/api/invitations".into()),
            (Method::DELETE, "/api/invitations/no-such-id".into()),
            (Method::DELETE, format!("/api/users/{id}")),
            (Method::PUT, format!("/api/users/{id}/role")),
        ] {
            let refused = ask(&fixture.state, method.clone(), &path, Some(&observer)).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{method} {path}");
            assert_eq!(
                refused.code.as_deref(),
                Some("forbidden"),
                "{method} {path}"
            );
            assert_eq!(
                refused.message.as_deref(),
                Some("your role does not allow this"),
                "{method} {path}"
            );
            let passed = ask(&fixture.state, method.clone(), &path, Some(&secretariat)).await;
            assert_ne!(passed.status, StatusCode::FORBIDDEN, "{method} {path}");
        }
        let me = ask(&fixture.state, Method::GET, "/api/me", Some(&observer)).await;
        assert_eq!(me.status, StatusCode::OK);
    }
}
