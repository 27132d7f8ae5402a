//! The server over real HTTP and WebSocket on loopback, with a temp store.

use std::io::Read as _;

use ara_shared::Param;
use ara_shared::protocol::{ClientMessage, ErrorCode, PROTOCOL_VERSION, ServerMessage};
use ara_shared::{Horizon, Mutation, PriorityId, Quarter, RejectionCode, Role, Seq, Term};
use ara_tests::http;
use ara_tests::server::TestServer;
use ara_tests::ws::{SyncClient, connect_raw, new_client_id};

fn horizon() -> Horizon {
    Horizon {
        term: Term::Short,
        start: Quarter::new(2026, 1).expect("valid"),
        end: Quarter::new(2026, 4).expect("valid"),
    }
}

fn new_priority(title: &str) -> (PriorityId, Mutation) {
    let id = PriorityId(uuid::Uuid::now_v7());
    (
        id,
        Mutation::CreatePriority {
            id,
            title: title.into(),
            horizon: horizon(),
        },
    )
}

fn titles(state: &ara_shared::State) -> Vec<String> {
    state
        .priorities_in_order()
        .map(|p| p.title.clone())
        .collect()
}

async fn signed_in_server() -> (TestServer, String) {
    let server = TestServer::start().await;
    let cookie = server.sign_up_secretariat().await;
    (server, cookie)
}

#[tokio::test]
async fn assets_are_served_with_types_caching_and_compression() {
    let server = TestServer::start().await;
    let index = http::get(&server.url, "/", None).await;
    assert_eq!(index.status, 200);
    assert_eq!(
        index.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    let html = index.text();
    let find = |ext: &str| -> String {
        html.split('"')
            .find(|s| s.starts_with("/assets/") && s.ends_with(ext))
            .unwrap_or_else(|| panic!("index.html links a {ext} asset: {html}"))
            .to_owned()
    };
    for (path, content_type) in [
        (find(".js"), "text/javascript; charset=utf-8"),
        (find(".wasm"), "application/wasm"),
        (find(".css"), "text/css; charset=utf-8"),
        (find(".svg"), "image/svg+xml"),
    ] {
        let plain = http::request(
            &server.url,
            "GET",
            &path,
            &[("Accept-Encoding", "identity")],
            None,
        )
        .await;
        assert_eq!(plain.status, 200, "{path}");
        assert_eq!(plain.header("content-type"), Some(content_type), "{path}");
        assert_eq!(
            plain.header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(plain.header("content-encoding"), None);

        let br = http::request(
            &server.url,
            "GET",
            &path,
            &[("Accept-Encoding", "gzip, br")],
            None,
        )
        .await;
        assert_eq!(br.header("content-encoding"), Some("br"), "{path}");
        let mut decoded = Vec::new();
        brotli::Decompressor::new(br.body.as_slice(), 4096)
            .read_to_end(&mut decoded)
            .expect("valid brotli");
        assert_eq!(decoded, plain.body, "brotli body of {path}");

        let gz = http::request(
            &server.url,
            "GET",
            &path,
            &[("Accept-Encoding", "gzip")],
            None,
        )
        .await;
        assert_eq!(gz.header("content-encoding"), Some("gzip"), "{path}");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(gz.body.as_slice())
            .read_to_end(&mut decoded)
            .expect("valid gzip");
        assert_eq!(decoded, plain.body, "gzip body of {path}");
    }
    assert!(
        http::get(&server.url, "/assets/nothing-here.js", None)
            .await
            .status
            == 404,
        "an unknown asset is a 404"
    );
    let deep_link = http::get(&server.url, "/programme", None).await;
    assert_eq!(deep_link.status, 200, "app routes serve the app shell");
    assert_eq!(deep_link.text(), html);
}

#[tokio::test]
async fn mutation_from_one_client_reaches_another() {
    let (server, cookie) = signed_in_server().await;
    let (mut a, _) = SyncClient::connect(&server, &cookie).await;
    let (mut b, snapshot) = SyncClient::connect(&server, &cookie).await;
    assert!(
        matches!(snapshot, ServerMessage::Snapshot { .. }),
        "a new client gets a snapshot"
    );

    let (id, create) = new_priority("Battery value chain");
    let envelope = a.envelope(create);
    a.push(vec![envelope.clone()]).await;
    let version = a.ack(envelope.seq).await;

    let entry = b
        .wait_for("the entry at B", |m| match m {
            ServerMessage::Entries { entries } => {
                entries.iter().find(|e| e.version == version).cloned()
            }
            _ => None,
        })
        .await;
    assert_eq!(entry.client_id, a.client_id);
    assert_eq!(entry.actor.role, Role::Secretariat);
    assert!(matches!(entry.mutation, Mutation::CreatePriority { id: got, .. } if got == id));
}

#[tokio::test]
async fn invalid_mutations_are_refused_with_a_typed_rejection() {
    let (server, cookie) = signed_in_server().await;
    let (mut a, _) = SyncClient::connect(&server, &cookie).await;
    let (mut b, _) = SyncClient::connect(&server, &cookie).await;

    let empty = a.envelope(Mutation::CreatePriority {
        id: PriorityId(uuid::Uuid::now_v7()),
        title: "   ".into(),
        horizon: horizon(),
    });
    let unknown = a.envelope(Mutation::RenamePriority {
        id: PriorityId(uuid::Uuid::now_v7()),
        title: "Renamed".into(),
    });
    let (_, valid) = new_priority("Still accepted after two refusals");
    let valid = a.envelope(valid);
    a.push(vec![empty.clone(), unknown.clone(), valid.clone()])
        .await;

    let mut refused = Vec::new();
    while refused.len() < 2 {
        if let ServerMessage::Rejected { seq, rejection } = a.recv().await {
            refused.push((seq, rejection));
        }
    }
    assert_eq!(refused[0].0, empty.seq);
    assert_eq!(refused[0].1.code, RejectionCode::EmptyField);
    assert_eq!(refused[0].1.param(Param::Field), Some("title"));
    assert_eq!(refused[1].0, unknown.seq);
    assert_eq!(refused[1].1.code, RejectionCode::UnknownEntity);
    let version = a.ack(valid.seq).await;

    // B sees only the accepted one: the refusals were never fanned out.
    let entries = b
        .wait_for("entries at B", |m| match m {
            ServerMessage::Entries { entries } => Some(entries.clone()),
            _ => None,
        })
        .await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].version, version);
    assert_eq!(entries[0].seq, valid.seq);
}

#[tokio::test]
async fn pushing_the_same_mutation_twice_applies_it_once() {
    let (server, cookie) = signed_in_server().await;
    let (mut a, _) = SyncClient::connect(&server, &cookie).await;
    let (_, create) = new_priority("Once only");
    let envelope = a.envelope(create);
    a.push(vec![envelope.clone()]).await;
    let first = a.ack(envelope.seq).await;
    a.push(vec![envelope.clone()]).await;
    let second = a.ack(envelope.seq).await;
    assert_eq!(
        first, second,
        "the duplicate is acknowledged with the same version"
    );

    let (_, snapshot) = SyncClient::connect(&server, &cookie).await;
    let ServerMessage::Snapshot { version, state } = snapshot else {
        panic!("snapshot expected")
    };
    assert_eq!(version, first);
    assert_eq!(titles(&state), ["Once only"]);
}

async fn write_titles(
    server: &TestServer,
    cookie: &str,
    n: usize,
) -> (ara_shared::ClientId, Vec<String>) {
    let (mut client, _) = SyncClient::connect(server, cookie).await;
    let mut written = Vec::new();
    let mut last = Seq(0);
    let mut batch = Vec::new();
    for i in 0..n {
        let title = format!("Durable priority {i}");
        let (_, create) = new_priority(&title);
        let envelope = client.envelope(create);
        last = envelope.seq;
        batch.push(envelope);
        written.push(title);
    }
    client.push(batch).await;
    client.ack(last).await;
    (client.client_id, written)
}

#[tokio::test]
async fn acknowledged_edits_survive_a_restart() {
    let (mut server, cookie) = signed_in_server().await;
    let (_, written) = write_titles(&server, &cookie, 20).await;
    server.restart().await;
    let (_, snapshot) = SyncClient::connect(&server, &cookie).await;
    let ServerMessage::Snapshot { state, .. } = snapshot else {
        panic!("snapshot expected")
    };
    assert_eq!(titles(&state), written);
}

#[tokio::test]
async fn acknowledged_edits_survive_kill_9() {
    let (mut server, cookie) = signed_in_server().await;
    let (client_id, written) = write_titles(&server, &cookie, 50).await;
    server.kill9();
    server.start_again().await;
    let (_, snapshot) = SyncClient::connect_as(&server, &cookie, client_id, None).await;
    let ServerMessage::Snapshot { state, version } = snapshot else {
        panic!("snapshot expected")
    };
    assert_eq!(
        titles(&state),
        written,
        "every acknowledged mutation is there"
    );
    assert_eq!(version.0, 50);
}

#[tokio::test]
async fn a_client_catches_up_from_its_version() {
    let (server, cookie) = signed_in_server().await;
    let (mut a, _) = SyncClient::connect(&server, &cookie).await;
    let (_, first) = new_priority("Before");
    let first = a.envelope(first);
    a.push(vec![first.clone()]).await;
    let v1 = a.ack(first.seq).await;
    write_titles(&server, &cookie, 5).await;

    let (_, catch_up) = SyncClient::connect_as(&server, &cookie, new_client_id(), Some(v1)).await;
    let ServerMessage::Entries { entries } = catch_up else {
        panic!("entries expected, got {catch_up:?}")
    };
    let versions: Vec<u64> = entries.iter().map(|e| e.version.0).collect();
    assert_eq!(versions, [2, 3, 4, 5, 6]);
}

#[tokio::test]
async fn sync_needs_a_session_and_an_allowed_origin() {
    let (server, cookie) = signed_in_server().await;
    let no_session = connect_raw(&server, None, None).await.expect_err("refused");
    assert!(no_session.to_string().contains("401"), "{no_session}");
    let wrong_origin = connect_raw(&server, Some(&cookie), Some("http://evil.example"))
        .await
        .expect_err("refused");
    assert!(wrong_origin.to_string().contains("403"), "{wrong_origin}");
    let no_origin = connect_raw(&server, Some(&cookie), Some(""))
        .await
        .expect_err("refused");
    assert!(no_origin.to_string().contains("403"), "{no_origin}");
    let forged = connect_raw(&server, Some("ara_session=forged"), None)
        .await
        .expect_err("refused");
    assert!(forged.to_string().contains("401"), "{forged}");
}

async fn expect_error(client: &mut SyncClient, code: ErrorCode) {
    let message = client.recv().await;
    assert!(
        matches!(&message, ServerMessage::Error { code: got, .. } if *got == code),
        "expected error {code:?}, got {message:?}"
    );
    assert!(
        client.try_recv().await.is_none(),
        "the connection is closed after the error"
    );
}

#[tokio::test]
async fn unknown_malformed_and_oversize_frames_close_only_that_connection() {
    let (server, cookie) = signed_in_server().await;
    let (mut bystander, _) = SyncClient::connect(&server, &cookie).await;

    let (mut c, _) = SyncClient::connect(&server, &cookie).await;
    c.send_text(r#"{"type":"subscribe","topic":"all"}"#).await;
    expect_error(&mut c, ErrorCode::UnknownMessage).await;

    let (mut c, _) = SyncClient::connect(&server, &cookie).await;
    c.send_text("{ not json").await;
    expect_error(&mut c, ErrorCode::Malformed).await;

    let (mut c, _) = SyncClient::connect(&server, &cookie).await;
    c.send_text(r#"{"type":"push","mutations":[{"client_id":"x"}]}"#)
        .await;
    expect_error(&mut c, ErrorCode::Malformed).await;

    let (mut c, _) = SyncClient::connect(&server, &cookie).await;
    let big = format!(
        r#"{{"type":"push","mutations":[],"pad":"{}"}}"#,
        "x".repeat(1 << 21)
    );
    c.send_text(&big).await;
    expect_error(&mut c, ErrorCode::TooLarge).await;

    let (mut c, _) = SyncClient::connect(&server, &cookie).await;
    let batch: Vec<_> = (0..501)
        .map(|i| c.envelope(new_priority(&format!("P{i}")).1))
        .collect();
    c.push(batch).await;
    expect_error(&mut c, ErrorCode::BatchTooLarge).await;

    // The server and the other client are untouched.
    let (_, create) = new_priority("Still working");
    let envelope = bystander.envelope(create);
    bystander.push(vec![envelope.clone()]).await;
    bystander.ack(envelope.seq).await;
    assert_eq!(http::get(&server.url, "/healthz", None).await.status, 200);
}

#[tokio::test]
async fn another_protocol_version_is_refused() {
    let (server, cookie) = signed_in_server().await;
    let stream = connect_raw(&server, Some(&cookie), None)
        .await
        .expect("upgrade");
    let mut c = SyncClient::ungreeted(stream);
    c.send(&ClientMessage::Hello {
        protocol: PROTOCOL_VERSION + 1,
        client_id: c.client_id,
        last_version: None,
    })
    .await;
    expect_error(&mut c, ErrorCode::ProtocolMismatch).await;
}

#[tokio::test]
async fn observer_mutation_is_refused_by_the_server() {
    let (server, secretariat) = signed_in_server().await;
    let observer = server
        .invite(
            &secretariat,
            "Olga Observer",
            "olga@ara.test",
            Role::Observer,
        )
        .await;
    let (mut o, _) = SyncClient::connect(&server, &observer).await;
    let (_, create) = new_priority("Not allowed");
    let envelope = o.envelope(create);
    o.push(vec![envelope.clone()]).await;
    let rejection = o
        .wait_for("the rejection", |m| match m {
            ServerMessage::Rejected { seq, rejection } if *seq == envelope.seq => {
                Some(rejection.clone())
            }
            _ => None,
        })
        .await;
    assert_eq!(rejection.code, RejectionCode::NotPermitted);
}

#[tokio::test]
async fn too_many_failed_sign_ins_are_refused() {
    let (server, _) = signed_in_server().await;
    let attempt = || async {
        http::post_json(
            &server.url,
            "/api/session",
            None,
            &serde_json::json!({"email": "secretariat@ara.test", "password": "wrong password!!"}),
        )
        .await
    };
    for _ in 0..5 {
        let r = attempt().await;
        assert_eq!(r.status, 401, "{}", r.text());
        assert_eq!(
            r.json::<serde_json::Value>()["error"],
            "invalid_credentials"
        );
    }
    let blocked = attempt().await;
    assert_eq!(blocked.status, 429);
    assert_eq!(
        blocked.json::<serde_json::Value>()["error"],
        "too_many_attempts"
    );
    assert!(blocked.header("retry-after").is_some());
    // Even the right password waits now.
    let right = http::post_json(
        &server.url,
        "/api/session",
        None,
        &serde_json::json!({"email": "secretariat@ara.test", "password": ara_tests::server::TEST_PASSWORD}),
    )
    .await;
    assert_eq!(right.status, 429);
}

#[tokio::test]
async fn invitation_links_work_once_and_setup_needs_its_token() {
    let (server, secretariat) = signed_in_server().await;
    let invited = http::post_json(
        &server.url,
        "/api/invitations",
        Some(&secretariat),
        &serde_json::json!({"email": "rita@ara.test", "role": "region_editor"}),
    )
    .await;
    let link = invited.json::<serde_json::Value>()["link"]
        .as_str()
        .expect("link")
        .to_owned();
    let token = link.split('#').nth(1).expect("token");
    let accept = |name: &'static str| {
        let path = format!("/api/invitations/{token}/accept");
        let url = server.url.clone();
        async move {
            http::post_json(
                &url,
                &path,
                None,
                &serde_json::json!({"name": name, "password": "another long password"}),
            )
            .await
        }
    };
    assert_eq!(accept("Rita").await.status, 201);
    let again = accept("Mallory").await;
    assert_eq!(again.status, 404);
    assert_eq!(again.json::<serde_json::Value>()["error"], "invalid_token");
    let unknown = http::get(&server.url, "/api/invitations/not-a-token", None).await;
    assert_eq!(unknown.status, 404);
    let setup_again = http::post_json(
        &server.url,
        "/api/setup",
        None,
        &serde_json::json!({"token": "x", "name": "X", "email": "x@ara.test", "password": "long enough password"}),
    )
    .await;
    assert_eq!(setup_again.status, 409);
    let bad_body = http::post_json(
        &server.url,
        "/api/session",
        None,
        &serde_json::json!({"user": 1}),
    )
    .await;
    assert_eq!(bad_body.status, 400);
    assert_eq!(bad_body.json::<serde_json::Value>()["error"], "bad_request");
}

#[tokio::test]
async fn expired_invitation_is_refused() {
    let server = TestServer::start_with(&["--no-demo", "--invitation-ttl-secs", "1"]).await;
    let secretariat = server.sign_up_secretariat().await;
    let invited = http::post_json(
        &server.url,
        "/api/invitations",
        Some(&secretariat),
        &serde_json::json!({"email": "late@ara.test", "role": "observer"}),
    )
    .await;
    let link = invited.json::<serde_json::Value>()["link"]
        .as_str()
        .expect("link")
        .to_owned();
    let token = link.split('#').nth(1).expect("token").to_owned();
    let path = format!("/api/invitations/{token}");
    let expired = ara_tests::eventually(
        std::time::Duration::from_secs(10),
        "the invitation to expire",
        || {
            let (url, path) = (server.url.clone(), path.clone());
            async move {
                let r = http::get(&url, &path, None).await;
                (r.status == 404).then_some(r)
            }
        },
    )
    .await;
    assert_eq!(
        expired.json::<serde_json::Value>()["error"],
        "invalid_token"
    );
}

#[tokio::test]
async fn backup_restores_to_an_equal_store_and_csv_parses() {
    let (mut server, cookie) = signed_in_server().await;
    let (_, written) = write_titles(&server, &cookie, 12).await;

    let csv = http::get(&server.url, "/api/export/priorities.csv", Some(&cookie)).await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let mut reader = csv::Reader::from_reader(csv.body.as_slice());
    let headers = reader.headers().expect("csv header").clone();
    assert_eq!(&headers[2], "title");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("csv row")).collect();
    assert_eq!(
        rows.iter().map(|r| r[2].to_owned()).collect::<Vec<_>>(),
        written
    );

    let download = http::get(&server.url, "/api/backup", Some(&cookie)).await;
    assert_eq!(download.status, 200);
    server.stop().await;

    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), &download.body).expect("write backup");
    let target = tempfile::tempdir().expect("temp dir");
    let restored_dir = target.path().join("restored");
    let status = std::process::Command::new(ara_tests::server::server_binary())
        .arg("restore")
        .arg(file.path())
        .arg("--data-dir")
        .arg(&restored_dir)
        .status()
        .expect("run restore");
    assert!(status.success());

    // The restored store serves the same programme to the same account.
    let mut restored = TestServer::start().await;
    restored.kill9();
    std::fs::remove_dir_all(restored.data_dir()).ok();
    copy_dir(&restored_dir, &restored.data_dir());
    restored.start_again().await;
    let signed_in = http::post_json(
        &restored.url,
        "/api/session",
        None,
        &serde_json::json!({"email": "secretariat@ara.test", "password": ara_tests::server::TEST_PASSWORD}),
    )
    .await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text());
    let cookie = signed_in.cookie().expect("session");
    let (_, snapshot) = SyncClient::connect(&restored, &cookie).await;
    let ServerMessage::Snapshot { state, version } = snapshot else {
        panic!("snapshot expected")
    };
    assert_eq!(titles(&state), written);
    assert_eq!(version.0, 12);

    // A damaged backup is refused and nothing is created.
    std::fs::write(file.path(), b"{\"format\":\"ara-planner-backup/1\"").expect("write");
    let refused_dir = target.path().join("refused");
    let output = std::process::Command::new(ara_tests::server::server_binary())
        .args(["restore"])
        .arg(file.path())
        .arg("--data-dir")
        .arg(&refused_dir)
        .output()
        .expect("run restore");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("not an ARA Planner backup"));
    assert!(!refused_dir.exists());
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

#[tokio::test]
async fn a_second_server_on_the_same_data_dir_stops_with_a_clear_error() {
    let server = TestServer::start().await;
    let output = std::process::Command::new(ara_tests::server::server_binary())
        .arg("--addr")
        .arg("127.0.0.1:0")
        .arg("--data-dir")
        .arg(server.data_dir())
        .output()
        .expect("run a second server");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("in use by another ARA Planner server"),
        "{stderr}"
    );
}

#[tokio::test]
async fn metrics_count_accepted_and_rejected_mutations() {
    let (server, cookie) = signed_in_server().await;
    write_titles(&server, &cookie, 3).await;
    let (mut c, _) = SyncClient::connect(&server, &cookie).await;
    let bad = c.envelope(Mutation::RenamePriority {
        id: PriorityId(uuid::Uuid::now_v7()),
        title: "x".into(),
    });
    c.push(vec![bad]).await;
    c.wait_for("rejection", |m| {
        matches!(m, ServerMessage::Rejected { .. }).then_some(())
    })
    .await;
    let metrics = http::get(&server.url, "/metrics", None).await.text();
    assert!(
        metrics.contains("ara_mutations_accepted_total 3\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("ara_mutations_rejected_total 1\n"),
        "{metrics}"
    );
    assert!(metrics.contains("ara_log_length 3\n"), "{metrics}");
    assert!(metrics.contains("ara_connected_clients 1\n"), "{metrics}");
    assert!(metrics.contains("ara_flush_seconds_count"), "{metrics}");
}

#[tokio::test]
async fn the_demo_programme_loads_on_first_start() {
    let server = TestServer::start_with(&[]).await;
    let cookie = server.sign_up_secretariat().await;
    let (_, snapshot) = SyncClient::connect(&server, &cookie).await;
    let ServerMessage::Snapshot { state, .. } = snapshot else {
        panic!("snapshot expected")
    };
    assert!(
        state.priorities.len() >= 20,
        "{} priorities",
        state.priorities.len()
    );
    assert!(state.regions.len() >= 15);
    assert!(state.stakeholders.len() >= 20);
    assert_eq!(state.ten_points.len(), 10);
    assert!(state.ten_points[&10].unconfirmed);
    assert_eq!(state.conferences.len(), 4);
    assert!(!state.meetings.is_empty());
}

fn parse_ics(text: &str) -> Vec<ical::parser::ical::component::IcalCalendar> {
    ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()))
        .map(|c| c.expect("valid iCalendar"))
        .collect()
}

fn prop<'a>(event: &'a ical::parser::ical::component::IcalEvent, name: &str) -> Option<&'a str> {
    event
        .properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
}

#[tokio::test]
async fn meetings_export_as_ics_and_as_a_subscribable_feed() {
    let server = TestServer::start_with(&[]).await;
    let cookie = server.sign_up_secretariat().await;
    let (_, snapshot) = SyncClient::connect(&server, &cookie).await;
    let ServerMessage::Snapshot { state, .. } = snapshot else {
        panic!("snapshot expected")
    };
    let meeting = state
        .meetings
        .values()
        .find(|m| !m.video_link.is_empty())
        .expect("a demo video conference");

    let ics = http::get(
        &server.url,
        &format!("/api/meetings/{}/ics", meeting.id),
        Some(&cookie),
    )
    .await;
    assert_eq!(ics.status, 200, "{}", ics.text());
    assert_eq!(
        ics.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    let calendars = parse_ics(&ics.text());
    assert_eq!(calendars.len(), 1);
    let event = &calendars[0].events[0];
    assert_eq!(prop(event, "SUMMARY"), Some(meeting.title.as_str()));
    assert_eq!(prop(event, "DTSTART"), Some("20260120T090000Z"));
    assert_eq!(prop(event, "URL"), Some(meeting.video_link.as_str()));
    assert!(prop(event, "UID").is_some_and(|u| u.contains(&meeting.id.to_string())));
    assert!(prop(event, "DESCRIPTION").is_some_and(|d| d.contains("Agenda")));
    assert_eq!(
        http::get(
            &server.url,
            &format!("/api/meetings/{}/ics", meeting.id),
            None
        )
        .await
        .status,
        401
    );

    let feed = http::post_json(
        &server.url,
        "/api/me/calendar-feed",
        Some(&cookie),
        &serde_json::json!({}),
    )
    .await;
    assert_eq!(feed.status, 201);
    let url = feed.json::<serde_json::Value>()["url"]
        .as_str()
        .expect("url")
        .to_owned();
    let subscribed = http::get(&server.url, &url, None).await;
    assert_eq!(
        subscribed.status, 200,
        "the feed needs no cookie, only its secret"
    );
    let calendars = parse_ics(&subscribed.text());
    assert_eq!(calendars[0].events.len(), state.meetings.len());

    // A new secret replaces the old one.
    let rotated = http::post_json(
        &server.url,
        "/api/me/calendar-feed",
        Some(&cookie),
        &serde_json::json!({}),
    )
    .await;
    let new_url = rotated.json::<serde_json::Value>()["url"]
        .as_str()
        .expect("url")
        .to_owned();
    assert_ne!(new_url, url);
    assert_eq!(http::get(&server.url, &url, None).await.status, 404);
    assert_eq!(http::get(&server.url, &new_url, None).await.status, 200);
    assert_eq!(
        http::get(&server.url, "/calendar/guess.ics", None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn stakeholders_export_as_csv() {
    let server = TestServer::start_with(&[]).await;
    let cookie = server.sign_up_secretariat().await;
    let csv_response = http::get(&server.url, "/api/export/stakeholders.csv", Some(&cookie)).await;
    assert_eq!(csv_response.status, 200);
    let mut reader = csv::Reader::from_reader(csv_response.body.as_slice());
    assert_eq!(
        reader.headers().expect("header").iter().collect::<Vec<_>>(),
        ["id", "name", "kind", "country", "website", "links"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert!(rows.len() >= 20);
    assert!(
        rows.iter()
            .any(|r| r[1].starts_with("CLEPA") && r[2] == *"supplier")
    );
    assert!(
        rows.iter().all(|r| !r[5].is_empty()),
        "every demo organisation has links"
    );
}

#[tokio::test]
async fn password_change_ends_other_sessions() {
    let (server, first) = signed_in_server().await;
    let sign_in = |password: &'static str| {
        let url = server.url.clone();
        async move {
            http::post_json(
                &url,
                "/api/session",
                None,
                &serde_json::json!({"email": "secretariat@ara.test", "password": password}),
            )
            .await
        }
    };
    let second = sign_in(ara_tests::server::TEST_PASSWORD)
        .await
        .cookie()
        .expect("second session");
    let wrong = http::post_json(
        &server.url,
        "/api/me/password",
        Some(&first),
        &serde_json::json!({"current": "not it at all", "new": "a brand new password"}),
    )
    .await;
    assert_eq!(wrong.status, 401);
    let short = http::post_json(
        &server.url,
        "/api/me/password",
        Some(&first),
        &serde_json::json!({"current": ara_tests::server::TEST_PASSWORD, "new": "short"}),
    )
    .await;
    assert_eq!(short.status, 422);
    let changed = http::post_json(&server.url, "/api/me/password", Some(&first), &serde_json::json!({"current": ara_tests::server::TEST_PASSWORD, "new": "a brand new password"})).await;
    assert_eq!(changed.status, 204, "{}", changed.text());
    assert_eq!(
        http::get(&server.url, "/api/me", Some(&first)).await.status,
        200,
        "this session stays"
    );
    assert_eq!(
        http::get(&server.url, "/api/me", Some(&second))
            .await
            .status,
        401,
        "other sessions end"
    );
    assert_eq!(sign_in("a brand new password").await.status, 200);
    let out = http::request(
        &server.url,
        "DELETE",
        "/api/session",
        &[("Cookie", &first)],
        None,
    )
    .await;
    assert_eq!(out.status, 204);
    assert_eq!(
        http::get(&server.url, "/api/me", Some(&first)).await.status,
        401,
        "signed out"
    );
}

#[tokio::test]
async fn the_secretariat_changes_roles_and_others_cannot() {
    let (server, secretariat) = signed_in_server().await;
    let editor = server
        .invite(&secretariat, "Rita", "rita@ara.test", Role::RegionEditor)
        .await;
    let users: Vec<ara_shared::account::UserView> =
        http::get(&server.url, "/api/users", Some(&secretariat))
            .await
            .json();
    let rita = users
        .iter()
        .find(|u| u.email == "rita@ara.test")
        .expect("rita listed")
        .id;
    let me = users
        .iter()
        .find(|u| u.role == Role::Secretariat)
        .expect("secretariat listed")
        .id;
    assert_eq!(
        http::get(&server.url, "/api/users", Some(&editor))
            .await
            .status,
        403
    );
    let body = serde_json::json!({"role": "observer"}).to_string();
    let forbidden = http::request(
        &server.url,
        "PUT",
        &format!("/api/users/{me}/role"),
        &[("Cookie", &editor), ("Content-Type", "application/json")],
        Some(body.as_bytes()),
    )
    .await;
    assert_eq!(forbidden.status, 403);
    let last = http::request(
        &server.url,
        "PUT",
        &format!("/api/users/{me}/role"),
        &[
            ("Cookie", &secretariat),
            ("Content-Type", "application/json"),
        ],
        Some(body.as_bytes()),
    )
    .await;
    assert_eq!(
        last.status, 403,
        "the last secretariat account keeps its role"
    );
    let demoted = http::request(
        &server.url,
        "PUT",
        &format!("/api/users/{rita}/role"),
        &[
            ("Cookie", &secretariat),
            ("Content-Type", "application/json"),
        ],
        Some(body.as_bytes()),
    )
    .await;
    assert_eq!(demoted.status, 200);
    assert_eq!(
        demoted.json::<ara_shared::account::UserView>().role,
        Role::Observer
    );
    // Her next connection acts as an observer.
    let (mut c, _) = SyncClient::connect(&server, &editor).await;
    let envelope = c.envelope(new_priority("Not any more").1);
    c.push(vec![envelope]).await;
    let rejection = c
        .wait_for("refusal", |m| match m {
            ServerMessage::Rejected { rejection, .. } => Some(rejection.clone()),
            _ => None,
        })
        .await;
    assert_eq!(rejection.code, RejectionCode::NotPermitted);
}

#[tokio::test]
async fn a_damaged_or_foreign_data_dir_stops_the_server_and_is_left_alone() {
    // A directory written by another program's sled (no format marker, data in it).
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    {
        let db = sled::open(&data).expect("sled");
        db.open_tree("log")
            .expect("tree")
            .insert(1u64.to_be_bytes(), b"not json".to_vec())
            .expect("insert");
        db.flush().expect("flush");
    }
    let output = std::process::Command::new(ara_tests::server::server_binary())
        .args(["--addr", "127.0.0.1:0", "--data-dir"])
        .arg(&data)
        .output()
        .expect("run server");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("incompatible version"), "{stderr}");
    {
        let db = sled::open(&data).expect("still a readable sled store");
        let names: Vec<String> = db
            .tree_names()
            .iter()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect();
        assert!(
            !names.iter().any(|n| n == "meta" || n == "snapshots"),
            "no tree of ours was created: {names:?}"
        );
        let log = db.open_tree("log").expect("tree");
        assert_eq!(
            log.get(1u64.to_be_bytes()).expect("read").as_deref(),
            Some(&b"not json"[..]),
            "its data is untouched"
        );
    }

    // A store of ours whose log is damaged.
    let (mut server, cookie) = signed_in_server().await;
    write_titles(&server, &cookie, 3).await;
    server.stop().await;
    {
        let db = sled::open(server.data_dir()).expect("sled");
        db.open_tree("log")
            .expect("tree")
            .insert(2u64.to_be_bytes(), b"{broken".to_vec())
            .expect("insert");
        db.open_tree("snapshots")
            .expect("tree")
            .clear()
            .expect("clear");
        db.flush().expect("flush");
    }
    let output = std::process::Command::new(ara_tests::server::server_binary())
        .args(["--addr", "127.0.0.1:0", "--data-dir"])
        .arg(server.data_dir())
        .output()
        .expect("run server");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("damaged"), "{stderr}");
}

#[tokio::test]
async fn presence_shows_who_is_online_and_editing_and_is_never_stored() {
    let (mut server, secretariat) = signed_in_server().await;
    let bob = server
        .invite(
            &secretariat,
            "Bob Navarra",
            "bob@ara.test",
            Role::RegionEditor,
        )
        .await;
    let (mut a, _) = SyncClient::connect(&server, &secretariat).await;
    let (mut b, _) = SyncClient::connect(&server, &bob).await;
    a.wait_presence("both online", |peers| peers.len() == 2)
        .await;
    let priority = PriorityId(uuid::Uuid::now_v7());
    b.send(&ClientMessage::Presence {
        viewing: Some(priority),
        editing: Some(priority),
    })
    .await;
    a.wait_presence("Bob editing", |peers| {
        peers
            .iter()
            .any(|p| p.name == "Bob Navarra" && p.editing == Some(priority))
    })
    .await;
    drop(b);
    a.wait_presence("Bob gone", |peers| peers.len() == 1).await;

    server.restart().await;
    let (mut again, _) = SyncClient::connect(&server, &secretariat).await;
    again
        .wait_presence("only this connection", |peers| {
            peers.len() == 1 && peers[0].editing.is_none()
        })
        .await;
}

#[tokio::test]
async fn connections_are_closed_with_a_reason_on_shutdown() {
    let (mut server, cookie) = signed_in_server().await;
    let (mut a, _) = SyncClient::connect(&server, &cookie).await;
    server.stop().await;
    let message = a.recv().await;
    assert!(
        matches!(
            &message,
            ServerMessage::Error {
                code: ErrorCode::ServerShuttingDown,
                ..
            }
        ),
        "{message:?}"
    );
}

#[tokio::test]
async fn one_account_holds_a_bounded_number_of_connections() {
    let (server, cookie) = signed_in_server().await;
    let mut open = Vec::new();
    for _ in 0..16 {
        open.push(
            connect_raw(&server, Some(&cookie), None)
                .await
                .expect("within the limit"),
        );
    }
    let refused = connect_raw(&server, Some(&cookie), None)
        .await
        .expect_err("over the limit");
    assert!(refused.to_string().contains("429"), "{refused}");
    open.pop();
    // Closing one frees its slot once the server has seen the close.
    ara_tests::eventually(
        std::time::Duration::from_secs(10),
        "a free slot",
        || async {
            connect_raw(&server, Some(&cookie), None)
                .await
                .ok()
                .map(|_| ())
        },
    )
    .await;
}
