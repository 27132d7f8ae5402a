//! The HTTP edge of the real server, against clients that misbehave on
//! purpose: one section per hole closed, each test one way in that must now
//! be shut (and, where it matters, the way that must stay open).
//!
//! Every wait is bounded ([`BOUND`]), so a server that keeps a connection
//! open fails the test instead of hanging it; the flags are set small so
//! that the tests are quick.

use std::time::Duration;

use ara_shared::{Horizon, Mutation, PriorityId, Quarter, Term};
use ara_tests::http::{self, Response};
use ara_tests::server::{TEST_PASSWORD, TestServer};
use ara_tests::ws::SyncClient;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a test waits for the server to do what it must.
const BOUND: Duration = Duration::from_secs(10);

/// The stable code of an API refusal.
fn error_code(response: &Response) -> String {
    response.json::<Value>()["error"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

// --- Raw connections ---

fn authority(server: &TestServer) -> &str {
    server.url.trim_start_matches("http://")
}

async fn connect(server: &TestServer) -> TcpStream {
    TcpStream::connect(authority(server))
        .await
        .expect("connect to the server")
}

/// Reads until the server closes the connection (end of stream or reset);
/// fails if it is still open after [`BOUND`].
async fn wait_closed_by_server(stream: &mut TcpStream, what: &str) {
    let mut buf = [0u8; 4096];
    let closed = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(BOUND, closed)
        .await
        .unwrap_or_else(|_| panic!("{what}: the connection was still open after {BOUND:?}"));
}

/// One GET on a new connection: the status, or `None` if the server closed
/// the connection without an answer.
async fn try_get(server: &TestServer, path: &str) -> Option<u16> {
    let mut stream = connect(server).await;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        authority(server)
    );
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = Vec::new();
    tokio::time::timeout(BOUND, stream.read_to_end(&mut answer))
        .await
        .ok()?
        .ok()?;
    let status_line = String::from_utf8_lossy(&answer).lines().next()?.to_owned();
    status_line.split_whitespace().nth(1)?.parse().ok()
}

/// A server whose connections must send their headers within a second.
async fn impatient_server() -> TestServer {
    TestServer::start_with(&["--no-demo", "--header-read-timeout-secs", "1"]).await
}

// --- Slow and idle connections ---

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed() {
    let server = impatient_server().await;
    let mut stream = connect(&server).await;
    wait_closed_by_server(&mut stream, "a connection that sent nothing").await;
}

#[tokio::test]
async fn half_a_request_line_is_closed() {
    let server = impatient_server().await;
    let mut stream = connect(&server).await;
    stream.write_all(b"GET /api/v").await.expect("send");
    wait_closed_by_server(&mut stream, "half a request line").await;
}

#[tokio::test]
async fn headers_trickled_a_byte_at_a_time_are_closed() {
    let server = impatient_server().await;
    let mut stream = connect(&server).await;
    let (mut reader, mut writer) = stream.split();
    writer
        .write_all(format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Slow: ", authority(&server)).as_bytes())
        .await
        .expect("send");
    // A byte every 200 ms: never idle, never done.
    let trickle = async {
        let mut buf = [0u8; 1024];
        let mut tick = tokio::time::interval(Duration::from_millis(200));
        loop {
            tokio::select! {
                read = reader.read(&mut buf) => if matches!(read, Ok(0) | Err(_)) {
                    return;
                },
                _ = tick.tick() => if writer.write_all(b"a").await.is_err() {
                    return;
                },
            }
        }
    };
    tokio::time::timeout(BOUND, trickle)
        .await
        .unwrap_or_else(|_| panic!("a trickled header was still read after {BOUND:?}"));
}

#[tokio::test]
async fn a_kept_alive_connection_left_idle_is_closed() {
    // The header-read timeout is longer than the wait: only the idle
    // timeout can close it.
    let server = TestServer::start_with(&[
        "--no-demo",
        "--header-read-timeout-secs",
        "60",
        "--idle-timeout-secs",
        "1",
    ])
    .await;
    let mut stream = connect(&server).await;
    let request = format!(
        "GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n",
        authority(&server)
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = [0u8; 512];
    let n = tokio::time::timeout(BOUND, stream.read(&mut answer))
        .await
        .expect("an answer")
        .expect("read the answer");
    assert!(
        answer[..n].starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer[..n])
    );
    wait_closed_by_server(&mut stream, "a kept-alive connection left idle").await;
}

#[tokio::test]
async fn a_sync_websocket_outlives_the_http_timeouts() {
    let server = TestServer::start_with(&[
        "--no-demo",
        "--header-read-timeout-secs",
        "1",
        "--idle-timeout-secs",
        "1",
    ])
    .await;
    let cookie = server.sign_up_secretariat().await;
    let (mut client, _) = SyncClient::connect(&server, &cookie).await;
    // Three times both timeouts, with nothing sent either way.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let envelope = client.envelope(Mutation::CreatePriority {
        id: PriorityId(uuid::Uuid::now_v7()),
        title: "Still connected".into(),
        horizon: Horizon {
            term: Term::Short,
            start: Quarter::new(2026, 1).expect("valid"),
            end: Quarter::new(2026, 4).expect("valid"),
        },
    });
    let seq = envelope.seq;
    client.push(vec![envelope]).await;
    client.ack(seq).await;
}

#[tokio::test]
async fn connections_over_the_per_address_cap_are_closed_at_once() {
    let server = TestServer::start_with(&[
        "--no-demo",
        "--max-connections-per-address",
        "3",
        "--header-read-timeout-secs",
        "60",
    ])
    .await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(connect(&server).await);
    }
    let mut extra = connect(&server).await;
    wait_closed_by_server(&mut extra, "a fourth connection with a cap of three").await;

    // The three still work.
    let mut first = held.remove(0);
    let request = format!(
        "GET /healthz HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        authority(&server)
    );
    first.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    tokio::time::timeout(BOUND, first.read_to_end(&mut answer))
        .await
        .expect("an answer within the bound")
        .expect("read");
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );

    // That one closed: its place is free for a new connection.
    ara_tests::eventually(BOUND, "a new connection after one closed", || async {
        (try_get(&server, "/healthz").await == Some(200)).then_some(())
    })
    .await;
}

// --- Where state-changing requests come from ---

async fn invite(server: &TestServer, cookie: &str, extra: &[(&str, &str)]) -> Response {
    let body = json!({"email": "eve@ara.test", "role": "observer"}).to_string();
    let mut headers = vec![("Cookie", cookie)];
    headers.extend_from_slice(extra);
    http::request(
        &server.url,
        "POST",
        "/api/invitations",
        &headers,
        Some(body.as_bytes()),
    )
    .await
}

async fn open_invitations(server: &TestServer, cookie: &str) -> usize {
    let list = http::get(&server.url, "/api/invitations", Some(cookie)).await;
    assert_eq!(list.status, 200, "{}", list.text());
    list.json::<Vec<Value>>().len()
}

#[tokio::test]
async fn a_write_from_another_sites_page_is_refused() {
    let server = TestServer::start().await;
    let cookie = server.sign_up_secretariat().await;
    let json = ("Content-Type", "application/json");
    for (what, headers) in [
        (
            "an Origin of another site",
            vec![json, ("Origin", "http://evil.example")],
        ),
        ("an opaque Origin", vec![json, ("Origin", "null")]),
        (
            "Sec-Fetch-Site: cross-site",
            vec![json, ("Sec-Fetch-Site", "cross-site")],
        ),
        (
            "a form of another site",
            vec![
                ("Content-Type", "text/plain"),
                ("Origin", "http://evil.example"),
            ],
        ),
    ] {
        let refused = invite(&server, &cookie, &headers).await;
        assert_eq!(refused.status, 403, "{what}: {}", refused.text());
        assert_eq!(error_code(&refused), "cross_site", "{what}");
        assert!(
            !refused.json::<Value>()["message"]
                .as_str()
                .unwrap_or_default()
                .is_empty(),
            "{what}: the refusal says why"
        );
    }
    assert_eq!(
        open_invitations(&server, &cookie).await,
        0,
        "nothing was done"
    );

    // The app's own page, and a program, may.
    let own = server.url.clone();
    let from_the_app = invite(
        &server,
        &cookie,
        &[json, ("Origin", &own), ("Sec-Fetch-Site", "same-origin")],
    )
    .await;
    assert_eq!(from_the_app.status, 201, "{}", from_the_app.text());
    let signed_out = http::request(
        &server.url,
        "DELETE",
        "/api/session",
        &[("Cookie", &cookie), ("Origin", "http://evil.example")],
        None,
    )
    .await;
    assert_eq!(
        signed_out.status, 403,
        "another site cannot sign people out"
    );
    assert_eq!(open_invitations(&server, &cookie).await, 1);
}

#[tokio::test]
async fn a_json_body_must_say_it_is_json() {
    let server = TestServer::start().await;
    let cookie = server.sign_up_secretariat().await;
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let headers: Vec<(&str, &str)> = content_type
            .map(|c| vec![("Content-Type", c)])
            .unwrap_or_default();
        let refused = invite(&server, &cookie, &headers).await;
        assert_eq!(refused.status, 415, "{content_type:?}: {}", refused.text());
        assert_eq!(error_code(&refused), "unsupported_media_type");
    }
    let body = json!({"email": "secretariat@ara.test", "password": TEST_PASSWORD}).to_string();
    let sign_in = http::request(
        &server.url,
        "POST",
        "/api/session",
        &[("Content-Type", "text/plain;charset=UTF-8")],
        Some(body.as_bytes()),
    )
    .await;
    assert_eq!(sign_in.status, 415, "{}", sign_in.text());
    assert_eq!(open_invitations(&server, &cookie).await, 0);
    let accepted = invite(
        &server,
        &cookie,
        &[("Content-Type", "application/json; charset=utf-8")],
    )
    .await;
    assert_eq!(accepted.status, 201, "{}", accepted.text());
}

// --- Security headers ---

fn assert_security_headers(response: &Response, what: &str) {
    let csp = response
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what} has a Content-Security-Policy"));
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{what}: {directive} in {csp}");
    }
    for loose in ["'unsafe-inline'", "'unsafe-eval'", "*", "data:"] {
        assert!(!csp.contains(loose), "{what}: no {loose} in {csp}");
    }
    assert_eq!(
        response.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        response.header("referrer-policy"),
        Some("same-origin"),
        "{what}"
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_api_answers_are_not_stored() {
    let server = TestServer::start_with(&[]).await;
    let cookie = server.sign_up_secretariat().await;

    let shell = http::get(&server.url, "/programme", None).await;
    assert_eq!(shell.status, 200);
    assert_security_headers(&shell, "the app shell");
    let html = shell.text();
    assert!(
        html.split("<script").skip(1).all(|tag| tag
            .split('>')
            .next()
            .is_some_and(|attrs| attrs.contains(" src="))),
        "no inline script in the shell: {html}"
    );
    let asset = html
        .split('"')
        .find(|s| s.starts_with("/assets/") && s.ends_with(".js"))
        .expect("the shell links a script")
        .to_owned();
    let script = http::get(&server.url, &asset, None).await;
    assert_eq!(script.status, 200);
    assert_security_headers(&script, "a script");
    assert_security_headers(&http::get(&server.url, "/sw.js", None).await, "the worker");

    for path in [
        "/api/me",
        "/api/users",
        "/api/invitations",
        "/api/changes",
        "/api/history/programme/order",
    ] {
        let response = http::get(&server.url, path, Some(&cookie)).await;
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        assert_security_headers(&response, path);
        assert_eq!(response.header("cache-control"), Some("no-store"), "{path}");
    }
    let feed = http::request(
        &server.url,
        "POST",
        "/api/me/calendar-feed",
        &[("Cookie", &cookie)],
        None,
    )
    .await;
    assert_eq!(feed.status, 201, "{}", feed.text());
    assert_eq!(feed.header("cache-control"), Some("no-store"));
    let refused = http::get(&server.url, "/api/me", None).await;
    assert_eq!(refused.status, 401);
    assert_eq!(
        refused.header("cache-control"),
        Some("no-store"),
        "a refusal too"
    );
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

// --- Metrics ---

#[tokio::test]
async fn metrics_are_for_this_machine_and_not_through_a_proxy() {
    let server = TestServer::start().await;
    let local = http::get(&server.url, "/metrics", None).await;
    assert_eq!(local.status, 200, "{}", local.text());
    assert!(local.text().contains("ara_log_length"));
    for forwarded in [
        ("X-Forwarded-For", "203.0.113.7"),
        ("Forwarded", "for=203.0.113.7"),
        ("X-Real-IP", "203.0.113.7"),
    ] {
        let refused = http::request(&server.url, "GET", "/metrics", &[forwarded], None).await;
        assert_eq!(refused.status, 403, "{forwarded:?}");
        assert!(
            refused.text().contains("--metrics-token"),
            "says why: {}",
            refused.text()
        );
        assert!(!refused.text().contains("ara_"), "{forwarded:?}");
    }
    let no_token = http::request(
        &server.url,
        "GET",
        "/metrics",
        &[("Authorization", "Bearer guess")],
        None,
    )
    .await;
    assert_eq!(no_token.status, 403, "no token is configured");
}

#[tokio::test]
async fn metrics_token_lets_a_monitor_in_and_a_wrong_one_out() {
    let server = TestServer::start_with_env(
        &["--no-demo"],
        &[("ARA_METRICS_TOKEN", "monitoring-secret-0123456789")],
    )
    .await;
    let read = |headers: Vec<(&'static str, &'static str)>| {
        let server = &server;
        async move { http::request(&server.url, "GET", "/metrics", &headers, None).await }
    };
    let wrong = read(vec![(
        "Authorization",
        "Bearer monitoring-secret-012345678",
    )])
    .await;
    assert_eq!(wrong.status, 403);
    let not_bearer = read(vec![("Authorization", "Basic bW9uaXRvcjpzZWNyZXQ=")]).await;
    assert_eq!(not_bearer.status, 403);
    let right = read(vec![(
        "Authorization",
        "Bearer monitoring-secret-0123456789",
    )])
    .await;
    assert_eq!(right.status, 200, "{}", right.text());
    assert!(right.text().contains("ara_log_length"));
    let through_a_proxy = read(vec![
        ("Authorization", "Bearer monitoring-secret-0123456789"),
        ("X-Forwarded-For", "203.0.113.7"),
    ])
    .await;
    assert_eq!(through_a_proxy.status, 200, "the token is enough");
}
