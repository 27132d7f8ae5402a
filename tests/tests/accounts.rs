//! Sessions and what they allow, against the real server binary: a session
//! ends on sign-out, on expiry, and when the password or the role changes —
//! and so do the sync connections opened with it.

use std::time::Duration;

use ara_shared::Param;
use ara_shared::protocol::{ErrorCode, ServerMessage};
use ara_shared::{RejectionCode, Role};
use ara_tests::server::{TEST_PASSWORD, TestServer};
use ara_tests::ws::{SyncClient, new_priority};
use ara_tests::{eventually, http};
use serde_json::json;

/// A push that must be accepted: the connection works.
async fn works(client: &mut SyncClient) {
    let envelope = client.envelope(new_priority("Still connected"));
    let seq = envelope.seq;
    client.push(vec![envelope]).await;
    client.ack(seq).await;
}

#[tokio::test]
async fn a_session_expires_and_its_sync_connection_ends() {
    // Long enough to sign in and connect on a busy machine, shorter than
    // the harness's wait for a message.
    let server = TestServer::start_with(&["--no-demo", "--session-ttl-secs", "6"]).await;
    server.sign_up_secretariat().await;
    let response = http::post_json(
        &server.url,
        "/api/session",
        None,
        &json!({"email": "secretariat@ara.test", "password": TEST_PASSWORD}),
    )
    .await;
    let set_cookie = response.header("set-cookie").expect("a cookie").to_owned();
    assert!(set_cookie.contains("Max-Age=6"), "{set_cookie}");
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    assert!(!set_cookie.contains("Secure"), "plain http: no Secure flag");
    let cookie = response.cookie().expect("a session cookie");

    let (mut client, _) = SyncClient::connect(&server, &cookie).await;
    let detail = client.closed_with(ErrorCode::Unauthorized).await;
    assert!(detail.contains("expired"), "{detail}");
    let me = eventually(Duration::from_secs(10), "the session to expire", || {
        let (url, cookie) = (server.url.clone(), cookie.clone());
        async move {
            let r = http::get(&url, "/api/me", Some(&cookie)).await;
            (r.status == 401).then_some(r)
        }
    })
    .await;
    assert_eq!(me.json::<serde_json::Value>()["error"], "not_signed_in");
}

#[tokio::test]
async fn signing_out_ends_that_sessions_sync_connections_only() {
    let server = TestServer::start().await;
    let first = server.sign_up_secretariat().await;
    let second = server.sign_in("secretariat@ara.test").await;
    let (mut a, _) = SyncClient::connect(&server, &first).await;
    let (mut b, _) = SyncClient::connect(&server, &second).await;

    let out = http::request(
        &server.url,
        "DELETE",
        "/api/session",
        &[("Cookie", &first)],
        None,
    )
    .await;
    assert_eq!(out.status, 204);
    assert!(
        out.header("set-cookie")
            .is_some_and(|c| c.contains("Max-Age=0")),
        "the cookie is cleared"
    );
    let detail = a.closed_with(ErrorCode::Unauthorized).await;
    assert!(detail.contains("signed out"), "{detail}");
    works(&mut b).await;
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_sync_connections() {
    let server = TestServer::start().await;
    let here = server.sign_up_secretariat().await;
    let elsewhere = server.sign_in("secretariat@ara.test").await;
    let (mut this_tab, _) = SyncClient::connect(&server, &here).await;
    let (mut other_device, _) = SyncClient::connect(&server, &elsewhere).await;
    let changed = http::post_json(
        &server.url,
        "/api/me/password",
        Some(&here),
        &json!({"current": TEST_PASSWORD, "new": "a brand new password"}),
    )
    .await;
    assert_eq!(changed.status, 204, "{}", changed.text());
    other_device.closed_with(ErrorCode::Unauthorized).await;
    works(&mut this_tab).await;
}

#[tokio::test]
async fn a_role_change_applies_to_open_connections_at_once() {
    let server = TestServer::start().await;
    let secretariat = server.sign_up_secretariat().await;
    let editor = server
        .invite(&secretariat, "Rita", "rita@ara.test", Role::RegionEditor)
        .await;
    let (mut rita, _) = SyncClient::connect(&server, &editor).await;
    works(&mut rita).await;

    let users: Vec<ara_shared::account::UserView> =
        http::get(&server.url, "/api/users", Some(&secretariat))
            .await
            .json();
    let id = users
        .iter()
        .find(|u| u.email == "rita@ara.test")
        .expect("Rita is listed")
        .id;
    let body = json!({"role": "observer"}).to_string();
    let demoted = http::request(
        &server.url,
        "PUT",
        &format!("/api/users/{id}/role"),
        &[
            ("Cookie", &secretariat),
            ("Content-Type", "application/json"),
        ],
        Some(body.as_bytes()),
    )
    .await;
    assert_eq!(demoted.status, 200, "{}", demoted.text());

    // The open connection acted as an editor: it is closed, and the next
    // one acts as an observer.
    rita.closed_with(ErrorCode::Unauthorized).await;
    let (mut again, _) = SyncClient::connect(&server, &editor).await;
    let envelope = again.envelope(new_priority("Not any more"));
    again.push(vec![envelope]).await;
    let rejection = again
        .wait_for("the refusal", |m| match m {
            ServerMessage::Rejected { rejection, .. } => Some(rejection.clone()),
            _ => None,
        })
        .await;
    assert_eq!(rejection.code, RejectionCode::NotPermitted);
    assert_eq!(rejection.param(Param::Role), Some("observer"));
}

#[tokio::test]
async fn cookies_are_secure_when_the_public_address_is_https() {
    let server =
        TestServer::start_with(&["--no-demo", "--public-url", "https://planner.example.eu"]).await;
    let token = server.setup_token.clone().expect("a setup link");
    assert!(
        server.log().contains("https://planner.example.eu/setup#"),
        "the setup link uses the public address: {}",
        server.log()
    );
    let response = http::post_json(
        &server.url,
        "/api/setup",
        None,
        &json!({"token": token, "name": "Sabine", "email": "s@ara.test", "password": TEST_PASSWORD}),
    )
    .await;
    assert_eq!(response.status, 201, "{}", response.text());
    let set_cookie = response.header("set-cookie").expect("a cookie");
    assert!(set_cookie.contains("; Secure"), "{set_cookie}");
}
