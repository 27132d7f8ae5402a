//! Nothing is lost: the history of any entity comes from the log, which is
//! kept whole (also across restarts from a snapshot), and a backup restored
//! into a fresh data directory gives back the same log, state and accounts.

use ara_shared::account::UserView;
use ara_shared::history::HistoryItem;
use ara_shared::protocol::ServerMessage;
use ara_shared::{Horizon, Mutation, PriorityId, PriorityStatus, Quarter, Role, Term, Version};
use ara_tests::http;
use ara_tests::server::{TestServer, run_command, run_ok};
use ara_tests::ws::{SyncClient, whole_log};
use serde_json::json;

async fn apply(client: &mut SyncClient, mutation: Mutation) -> Version {
    let envelope = client.envelope(mutation);
    let seq = envelope.seq;
    client.push(vec![envelope]).await;
    client.ack(seq).await
}

async fn history(server: &TestServer, cookie: &str, path: &str) -> Vec<HistoryItem> {
    let response = http::get(&server.url, &format!("/api/history/{path}"), Some(cookie)).await;
    assert_eq!(response.status, 200, "{path}: {}", response.text());
    response.json()
}

#[tokio::test]
async fn history_of_any_entity_comes_from_the_whole_log() {
    let mut server = TestServer::start_with(&["--no-demo", "--snapshot-every", "2"]).await;
    let sabine = server.sign_up_secretariat().await;
    let rita = server
        .invite(&sabine, "Rita", "rita@ara.test", Role::RegionEditor)
        .await;
    let (mut s, _) = SyncClient::connect(&server, &sabine).await;
    let (mut r, _) = SyncClient::connect(&server, &rita).await;
    let id = PriorityId(uuid::Uuid::now_v7());
    let horizon = Horizon {
        term: Term::Short,
        start: Quarter::new(2026, 1).expect("valid"),
        end: Quarter::new(2026, 4).expect("valid"),
    };
    let other = PriorityId(uuid::Uuid::now_v7());
    apply(
        &mut s,
        Mutation::CreatePriority {
            id,
            title: "Skills pact".into(),
            horizon,
        },
    )
    .await;
    apply(
        &mut s,
        Mutation::CreatePriority {
            id: other,
            title: "Charging".into(),
            horizon,
        },
    )
    .await;
    apply(
        &mut r,
        Mutation::RenamePriority {
            id,
            title: "Skills pact 2030".into(),
        },
    )
    .await;
    apply(
        &mut s,
        Mutation::SetPriorityStatus {
            id,
            status: PriorityStatus::Adopted,
        },
    )
    .await;
    apply(
        &mut r,
        Mutation::MovePriority {
            id: other,
            index: 0,
        },
    )
    .await;

    let check = |items: Vec<HistoryItem>| {
        let who: Vec<(String, String)> = items
            .iter()
            .map(|i| (i.field.clone(), i.actor.name.clone()))
            .collect();
        assert_eq!(
            who,
            [
                ("*".to_owned(), "Sabine Sekretariat".to_owned()),
                ("title".to_owned(), "Rita".to_owned()),
                ("status".to_owned(), "Sabine Sekretariat".to_owned()),
            ]
        );
        assert_eq!(
            items[1].old,
            Some(json!("Skills pact")),
            "the replaced title"
        );
        assert_eq!(items[2].old, Some(json!("proposed")));
        assert!(items.windows(2).all(|w| w[0].version < w[1].version));
    };
    // Any signed-in person may read it, observers and editors included.
    check(history(&server, &rita, &format!("priority/{id}")).await);
    let order = history(&server, &sabine, "programme/order").await;
    assert_eq!(order.len(), 1);
    assert_eq!(order[0].actor.name, "Rita");
    assert_eq!(order[0].new, json!([other, id]));

    // Started again from a snapshot, the history before it is still there.
    drop((s, r));
    server.restart().await;
    check(history(&server, &rita, &format!("priority/{id}")).await);

    for (path, status) in [
        ("priority/not-an-id".to_owned(), 400),
        ("planet/1".to_owned(), 400),
        (format!("meeting/{id}"), 200),
    ] {
        let response = http::get(&server.url, &format!("/api/history/{path}"), Some(&sabine)).await;
        assert_eq!(response.status, status, "{path}: {}", response.text());
    }
    let anonymous = http::get(&server.url, &format!("/api/history/priority/{id}"), None).await;
    assert_eq!(anonymous.status, 401);
}

#[tokio::test]
async fn a_backup_restores_the_same_log_state_and_accounts() {
    // The demo programme: every kind of entity is in the log.
    let mut server = TestServer::start_with(&[]).await;
    let sabine = server.sign_up_secretariat().await;
    let olga = server
        .invite(&sabine, "Olga", "olga@ara.test", Role::Observer)
        .await;
    let feed = http::post_json(
        &server.url,
        "/api/me/calendar-feed",
        Some(&olga),
        &json!({}),
    )
    .await;
    let feed = feed.json::<serde_json::Value>()["url"]
        .as_str()
        .expect("a feed url")
        .to_owned();
    let (mut s, snapshot) = SyncClient::connect(&server, &sabine).await;
    let ServerMessage::Snapshot { state, .. } = snapshot else {
        panic!("snapshot expected")
    };
    let first = state.programme_order[0];
    apply(
        &mut s,
        Mutation::RenamePriority {
            id: first,
            title: "Renamed before the backup".into(),
        },
    )
    .await;
    let (original_state, original_log) = whole_log(&server, &sabine).await;
    let users: Vec<UserView> = http::get(&server.url, "/api/users", Some(&sabine))
        .await
        .json();
    let calendar = http::get(&server.url, &feed, None).await.text();

    let download = http::get(&server.url, "/api/backup", Some(&sabine)).await;
    assert_eq!(download.status, 200);
    assert!(
        download
            .header("content-disposition")
            .is_some_and(|d| d.contains("attachment")),
        "a download"
    );
    let observer_download = http::get(&server.url, "/api/backup", Some(&olga)).await;
    assert_eq!(observer_download.status, 403, "only the secretariat");
    drop(s);
    server.stop().await;

    // The command line writes the same backup of the stopped store.
    let dir = tempfile::tempdir().expect("temp dir");
    let cli_file = dir.path().join("cli-backup.json");
    run_ok(&[
        "backup".as_ref(),
        cli_file.as_os_str(),
        "--data-dir".as_ref(),
        server.data_dir().as_os_str(),
    ]);
    let downloaded: serde_json::Value = download.json();
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&cli_file).expect("read backup")).expect("JSON");
    assert_eq!(downloaded["entries"], written["entries"]);
    assert_eq!(downloaded["users"], written["users"]);
    assert_eq!(downloaded["version"], json!(original_log.len()));

    // Restore the download into a fresh directory and serve it.
    let file = dir.path().join("downloaded.json");
    std::fs::write(&file, &download.body).expect("write backup");
    let mut restored = TestServer::start().await;
    restored.kill9();
    std::fs::remove_dir_all(restored.data_dir()).expect("empty the data dir");
    run_ok(&[
        "restore".as_ref(),
        file.as_os_str(),
        "--data-dir".as_ref(),
        restored.data_dir().as_os_str(),
    ]);
    restored.start_again().await;
    let sabine = restored.sign_in("secretariat@ara.test").await;
    restored.sign_in("olga@ara.test").await;
    let (state, log) = whole_log(&restored, &sabine).await;
    assert_eq!(state, original_state, "the same state");
    assert_eq!(
        serde_json::to_value(&log).expect("json"),
        serde_json::to_value(&original_log).expect("json"),
        "the same log, entry for entry"
    );
    let restored_users: Vec<UserView> = http::get(&restored.url, "/api/users", Some(&sabine))
        .await
        .json();
    assert_eq!(restored_users, users, "the same accounts and roles");
    let restored_calendar = http::get(&restored.url, &feed, None).await;
    assert_eq!(
        restored_calendar.status, 200,
        "the calendar feed still works"
    );
    let without_stamps = |ics: &str| -> Vec<String> {
        ics.lines()
            .filter(|l| !l.starts_with("DTSTAMP"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        without_stamps(&restored_calendar.text()),
        without_stamps(&calendar)
    );

    // Restore never writes over a store.
    let output = run_command(&[
        "restore".as_ref(),
        file.as_os_str(),
        "--data-dir".as_ref(),
        restored.data_dir().as_os_str(),
    ]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("not empty"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
