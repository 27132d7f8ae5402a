//! The HTTP edge of the real server, against clients that misbehave on
//! purpose: one section per hole closed, each test one way in that must now
//! be shut (and, where it matters, the way that must stay open).

use ara_tests::http::{self, Response};
use ara_tests::server::{TEST_PASSWORD, TestServer};
use serde_json::{Value, json};

/// The stable code of an API refusal.
fn error_code(response: &Response) -> String {
    response.json::<Value>()["error"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

// --- Sign-in limits behind a reverse proxy ---

async fn sign_in_from(server: &TestServer, password: &str, forwarded_for: &str) -> Response {
    let body = json!({"email": "secretariat@ara.test", "password": password}).to_string();
    http::request(
        &server.url,
        "POST",
        "/api/session",
        &[
            ("Content-Type", "application/json"),
            ("X-Forwarded-For", forwarded_for),
        ],
        Some(body.as_bytes()),
    )
    .await
}

/// Fails sign-ins from `guesser` until it must wait; returns the refusal.
async fn guess_until_refused(server: &TestServer, guesser: &str) -> Response {
    for attempt in 1..=20 {
        let response = sign_in_from(server, "not the password!", guesser).await;
        match response.status {
            401 => continue,
            429 => {
                assert!(attempt > 1, "the first failure is free");
                return response;
            }
            other => panic!("attempt {attempt}: {other} {}", response.text()),
        }
    }
    panic!("twenty failed sign-ins from {guesser} never had to wait");
}

#[tokio::test]
async fn a_guesser_behind_a_trusted_proxy_never_blocks_the_owner_elsewhere() {
    // The tests connect from loopback: here that is the proxy.
    let server =
        TestServer::start_with(&["--no-demo", "--trusted-proxies", "10.0.0.0/8,127.0.0.1"]).await;
    server.sign_up_secretariat().await;
    let refused = guess_until_refused(&server, "203.0.113.7").await;
    assert_eq!(error_code(&refused), "too_many_attempts");
    let retry_after: u64 = refused
        .header("retry-after")
        .and_then(|s| s.parse().ok())
        .expect("a Retry-After in seconds");
    assert!(retry_after >= 1);
    assert_eq!(refused.json::<Value>()["retry_after_s"], json!(retry_after));

    // The owner, at another address behind the same proxy, signs in at once.
    let owner = sign_in_from(&server, TEST_PASSWORD, "198.51.100.9, 10.1.2.3").await;
    assert_eq!(owner.status, 200, "{}", owner.text());
    // The guesser still waits, even with the right password.
    let guesser = sign_in_from(&server, TEST_PASSWORD, "203.0.113.7").await;
    assert_eq!(guesser.status, 429, "{}", guesser.text());
    // What the guesser says left of the proxy's entry changes nothing.
    let spoofed = sign_in_from(&server, TEST_PASSWORD, "198.51.100.9, 203.0.113.7").await;
    assert_eq!(spoofed.status, 429, "{}", spoofed.text());
}

#[tokio::test]
async fn forwarded_for_from_a_peer_that_is_not_a_trusted_proxy_is_ignored() {
    let server = TestServer::start_with(&["--no-demo", "--trusted-proxies", "10.0.0.0/8"]).await;
    server.sign_up_secretariat().await;
    guess_until_refused(&server, "203.0.113.7").await;
    // Claiming another address does not escape the wait: the peer is the
    // same, and it is not a proxy the server trusts.
    let spoofed = sign_in_from(&server, TEST_PASSWORD, "198.51.100.9").await;
    assert_eq!(spoofed.status, 429, "{}", spoofed.text());
}
