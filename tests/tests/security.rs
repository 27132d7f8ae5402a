//! The access holes a security probe of the running server found, each
//! closed at its cause and checked here against the real binary: a removed
//! person's open connection, client ids taken over, one-time links used
//! twice at once, names that pass for someone else's, and backups that
//! `restore` took on trust.

use std::process::Command;

use ara_shared::clients::SEQ_WINDOW;
use ara_shared::protocol::{ClientMessage, ErrorCode, ServerMessage};
use ara_shared::{Envelope, Mutation, Role, Seq};
use ara_tests::http;
use ara_tests::server::{TEST_PASSWORD, TestServer, server_binary};
use ara_tests::ws::{SyncClient, connect_raw, new_client_id, new_priority};
use futures_util::SinkExt as _;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

/// Pushes `mutation` and waits for its acknowledgement.
async fn apply(client: &mut SyncClient, mutation: Mutation) {
    let envelope = client.envelope(mutation);
    let seq = envelope.seq;
    client.push(vec![envelope]).await;
    client.ack(seq).await;
}

/// The titles of the programme's priorities as a new client sees them.
async fn titles(server: &TestServer, cookie: &str) -> Vec<String> {
    let (_client, catch_up) = SyncClient::connect(server, cookie).await;
    let ServerMessage::Snapshot { state, .. } = catch_up else {
        panic!("a new client gets a snapshot, got {catch_up:?}");
    };
    state.priorities.values().map(|p| p.title.clone()).collect()
}

async fn user_id(server: &TestServer, secretariat: &str, email: &str) -> String {
    let users: Vec<Value> = http::get(&server.url, "/api/users", Some(secretariat))
        .await
        .json();
    users
        .iter()
        .find(|u| u["email"] == email)
        .and_then(|u| u["id"].as_str())
        .unwrap_or_else(|| panic!("{email} has an account: {users:?}"))
        .to_owned()
}

#[tokio::test]
async fn removing_a_person_closes_their_open_sync_connection_and_nothing_they_push_after_applies() {
    let server = TestServer::start().await;
    let sabine = server.sign_up_secretariat().await;
    let eva = server
        .invite(&sabine, "Eva Editor", "eva@ara.test", Role::Secretariat)
        .await;
    let (mut eva_sync, _) = SyncClient::connect(&server, &eva).await;
    apply(&mut eva_sync, new_priority("Written before the removal")).await;

    let id = user_id(&server, &sabine, "eva@ara.test").await;
    let removed = http::request(
        &server.url,
        "DELETE",
        &format!("/api/users/{id}"),
        &[("Cookie", sabine.as_str())],
        None,
    )
    .await;
    assert_eq!(removed.status, 204, "{}", removed.text());

    // Sent after the removal was answered: the socket may still be open
    // for this one frame, but what it carries must never apply.
    let late = eva_sync.envelope(new_priority("Written after the removal"));
    let frame = serde_json::to_string(&ClientMessage::Push {
        mutations: vec![late],
    })
    .expect("encode");
    let _ = eva_sync.stream.send(Message::text(frame)).await;
    let reason = eva_sync.closed_with(ErrorCode::Unauthorized).await;
    assert!(reason.contains("removed"), "{reason}");

    let titles = titles(&server, &sabine).await;
    assert!(titles.contains(&"Written before the removal".to_owned()));
    assert!(
        !titles.contains(&"Written after the removal".to_owned()),
        "{titles:?}"
    );
    let upgrade = connect_raw(&server, Some(&eva), None).await;
    assert!(upgrade.is_err(), "a removed person cannot open a new one");
}

#[tokio::test]
async fn a_client_id_belongs_to_the_person_who_first_used_it_also_after_a_restart() {
    let mut server = TestServer::start().await;
    let sabine = server.sign_up_secretariat().await;
    let mallory = server
        .invite(&sabine, "Mallory", "mallory@ara.test", Role::Secretariat)
        .await;
    let victim_id = new_client_id();
    let (mut victim, _) = SyncClient::connect_as(&server, &sabine, victim_id, None).await;
    apply(&mut victim, new_priority("The victim's first")).await;

    // Another person says hello with the victim's id: refused.
    let mut thief = SyncClient::hello_as(&server, &mallory, victim_id, None).await;
    thief.closed_with(ErrorCode::ClientIdTaken).await;

    // Their own id with a seq far ahead, meant to make later pushes look
    // like duplicates: refused, nothing applied.
    let (mut own, _) = SyncClient::connect(&server, &mallory).await;
    own.push(vec![Envelope {
        client_id: own.client_id,
        seq: Seq(SEQ_WINDOW + 1),
        mutation: new_priority("Far ahead"),
    }])
    .await;
    own.closed_with(ErrorCode::SeqOutOfWindow).await;

    // The victim's edits still apply, and the binding survives a restart.
    apply(&mut victim, new_priority("The victim's second")).await;
    drop(victim);
    server.restart().await;
    let mut thief = SyncClient::hello_as(&server, &mallory, victim_id, None).await;
    thief.closed_with(ErrorCode::ClientIdTaken).await;
    let (mut victim, _) = SyncClient::connect_as(&server, &sabine, victim_id, None).await;
    // A new connection of the same browser goes on counting after seq 2.
    victim.envelope(new_priority("already sent as seq 1"));
    victim.envelope(new_priority("already sent as seq 2"));
    apply(&mut victim, new_priority("The victim's third")).await;
    let titles = titles(&server, &sabine).await;
    for title in [
        "The victim's first",
        "The victim's second",
        "The victim's third",
    ] {
        assert!(titles.contains(&title.to_owned()), "{title}: {titles:?}");
    }
    assert!(!titles.contains(&"Far ahead".to_owned()));
}

#[tokio::test]
async fn presence_names_connections_not_client_ids() {
    let server = TestServer::start().await;
    let sabine = server.sign_up_secretariat().await;
    let olga = server
        .invite(&sabine, "Olga Observer", "olga@ara.test", Role::Observer)
        .await;
    let (mut a, _) = SyncClient::connect(&server, &sabine).await;
    let (b, _) = SyncClient::connect(&server, &olga).await;
    a.wait_presence("both online", |peers| peers.len() == 2)
        .await;
    let seen = serde_json::to_string(a.presence.last().expect("a presence list")).expect("json");
    for id in [a.client_id, b.client_id] {
        assert!(!seen.contains(&id.to_string()), "{id} in {seen}");
    }
}

/// The token of a new invitation of `email` by the secretariat.
async fn invitation(server: &TestServer, secretariat: &str, email: &str) -> String {
    let invited = http::post_json(
        &server.url,
        "/api/invitations",
        Some(secretariat),
        &json!({"email": email, "role": Role::Observer, "region": null}),
    )
    .await;
    assert_eq!(invited.status, 201, "{}", invited.text());
    let link = invited.json::<Value>()["link"]
        .as_str()
        .expect("a link")
        .to_owned();
    link.split('#').nth(1).expect("token").to_owned()
}

async fn accept(server: &TestServer, token: &str, name: &str) -> http::Response {
    http::post_json(
        &server.url,
        &format!("/api/invitations/{token}/accept"),
        None,
        &json!({"name": name, "password": TEST_PASSWORD}),
    )
    .await
}

#[tokio::test]
async fn concurrent_accepts_of_one_invitation_make_one_account_and_a_backup_that_restores() {
    let mut server = TestServer::start().await;
    let sabine = server.sign_up_secretariat().await;
    let token = invitation(&server, &sabine, "twice@ara.test").await;
    let names: Vec<String> = (0..4).map(|i| format!("Attempt {i}")).collect();
    let answers =
        futures_util::future::join_all(names.iter().map(|name| accept(&server, &token, name)))
            .await;
    let created = answers.iter().filter(|r| r.status == 201).count();
    assert_eq!(
        created,
        1,
        "{:?}",
        answers.iter().map(|r| r.text()).collect::<Vec<_>>()
    );
    for refused in answers.iter().filter(|r| r.status != 201) {
        assert_eq!(refused.status, 404, "{}", refused.text());
        assert_eq!(refused.json::<Value>()["error"], "invalid_token");
    }
    let users: Vec<Value> = http::get(&server.url, "/api/users", Some(&sabine))
        .await
        .json();
    assert_eq!(
        users
            .iter()
            .filter(|u| u["email"] == "twice@ara.test")
            .count(),
        1,
        "{users:?}"
    );

    let backup = http::get(&server.url, "/api/backup", Some(&sabine)).await;
    assert_eq!(backup.status, 200);
    server.stop().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("backup.json");
    std::fs::write(&file, &backup.body).expect("write backup");
    let restored = restore(&file, &dir.path().join("data"));
    assert!(restored.status.success(), "{}", stderr(&restored));
}

#[tokio::test]
async fn concurrent_setups_with_one_token_make_one_secretariat() {
    let server = TestServer::start().await;
    let token = server.setup_token.clone().expect("a setup link");
    let bodies: Vec<Value> = (0..3)
        .map(|i| json!({"token": token, "name": format!("Setup {i}"), "email": format!("setup{i}@ara.test"), "password": TEST_PASSWORD}))
        .collect();
    let answers = futures_util::future::join_all(
        bodies
            .iter()
            .map(|body| http::post_json(&server.url, "/api/setup", None, body)),
    )
    .await;
    let created: Vec<_> = answers.iter().filter(|r| r.status == 201).collect();
    assert_eq!(
        created.len(),
        1,
        "{:?}",
        answers.iter().map(|r| r.text()).collect::<Vec<_>>()
    );
    let cookie = created[0].cookie().expect("a session");
    let users: Vec<Value> = http::get(&server.url, "/api/users", Some(&cookie))
        .await
        .json();
    assert_eq!(users.len(), 1, "{users:?}");
}

#[tokio::test]
async fn a_name_that_passes_for_someone_elses_is_refused_and_the_link_keeps_working() {
    let server = TestServer::start().await;
    let sabine = server.sign_up_secretariat().await;
    let token = invitation(&server, &sabine, "copy@ara.test").await;
    for (name, status, code) in [
        ("sabine  SEKRETARIAT", 409, "name_taken"),
        ("SabineSekretariat", 409, "name_taken"),
        ("Sabine\u{202E}tairaterkeS", 422, "invalid_name"),
        ("Eve\u{0}", 422, "invalid_name"),
        ("Eve\nSabine Sekretariat", 422, "invalid_name"),
    ] {
        let refused = accept(&server, &token, name).await;
        assert_eq!(refused.status, status, "{name:?}: {}", refused.text());
        assert_eq!(refused.json::<Value>()["error"], code, "{name:?}");
    }
    let accepted = accept(&server, &token, "Sabine Sekretariat (Lazio)").await;
    assert_eq!(accepted.status, 201, "{}", accepted.text());
}

fn restore(file: &std::path::Path, data: &std::path::Path) -> std::process::Output {
    Command::new(server_binary())
        .arg("restore")
        .arg(file)
        .arg("--data-dir")
        .arg(data)
        .output()
        .expect("run ara-server restore")
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `restore` checks a backup as the live server checks requests: forged
/// authors, a password hash that is not Argon2id, emails that differ only
/// in case, names that pass for another's are refused, and nothing is
/// written.
#[tokio::test]
async fn restore_refuses_what_the_live_server_would_never_have_written() {
    let mut server = TestServer::start().await;
    let sabine = server.sign_up_secretariat().await;
    let olga = server
        .invite(&sabine, "Olga Observer", "olga@ara.test", Role::Secretariat)
        .await;
    let (mut client, _) = SyncClient::connect(&server, &olga).await;
    apply(&mut client, new_priority("By Olga")).await;
    let backup: Value = http::get(&server.url, "/api/backup", Some(&sabine))
        .await
        .json();
    server.stop().await;

    let olga_index = |b: &Value| {
        b["users"]
            .as_array()
            .expect("users")
            .iter()
            .position(|u| u["email"] == "olga@ara.test")
            .expect("olga")
    };
    let forged_author = {
        let mut b = backup.clone();
        let entries = b["entries"].as_array_mut().expect("entries");
        let last = entries.last_mut().expect("an entry");
        last["actor"]["name"] = json!("Sabine Sekretariat");
        b
    };
    let broken_hash = {
        let mut b = backup.clone();
        let i = olga_index(&b);
        b["users"][i]["password_hash"] = json!("plain text");
        b
    };
    let duplicate_email = {
        let mut b = backup.clone();
        let i = olga_index(&b);
        let mut copy = b["users"][i].clone();
        copy["id"] = json!(uuid::Uuid::now_v7());
        copy["email"] = json!("OLGA@ara.test");
        copy["name"] = json!("Another Olga");
        b["users"].as_array_mut().expect("users").push(copy);
        b
    };
    let same_name = {
        let mut b = backup.clone();
        let i = olga_index(&b);
        let mut copy = b["users"][i].clone();
        copy["id"] = json!(uuid::Uuid::now_v7());
        copy["email"] = json!("olga2@ara.test");
        copy["name"] = json!("olga   observer");
        b["users"].as_array_mut().expect("users").push(copy);
        b
    };
    let dir = tempfile::tempdir().expect("temp dir");
    for (what, bad, says) in [
        ("forged author", forged_author, "author"),
        ("broken hash", broken_hash, "Argon2id"),
        ("duplicate email", duplicate_email, "email"),
        ("same name", same_name, "name"),
    ] {
        let file = dir.path().join("bad.json");
        std::fs::write(&file, serde_json::to_vec(&bad).expect("json")).expect("write");
        let data = dir.path().join(what.replace(' ', "-"));
        let refused = restore(&file, &data);
        assert!(!refused.status.success(), "{what} was restored");
        assert!(
            stderr(&refused).contains(says),
            "{what}: {}",
            stderr(&refused)
        );
        assert!(!data.exists(), "{what}: nothing is written");
    }
    let file = dir.path().join("good.json");
    std::fs::write(&file, serde_json::to_vec(&backup).expect("json")).expect("write");
    let restored = restore(&file, &dir.path().join("good"));
    assert!(restored.status.success(), "{}", stderr(&restored));
}
