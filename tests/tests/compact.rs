//! `ara-server compact` on real stores: after it, the server serves the same
//! state and history, people stay signed in, open invitations still work,
//! and the store takes no more space; it refuses a running server's store
//! and a damaged one, and leaves both as they were.

use std::path::Path;
use std::process::{Command, Output};

use ara_shared::account::UserView;
use ara_shared::history::HistoryItem;
use ara_shared::protocol::ServerMessage;
use ara_shared::{Mutation, PriorityId, Role, State, Version};
use ara_tests::http;
use ara_tests::server::{TEST_PASSWORD, TestServer, server_binary};
use ara_tests::store::{bytes_on_disk, copy, files};
use ara_tests::ws::{SyncClient, new_priority};
use serde_json::json;

fn compact(data: &Path) -> Output {
    Command::new(server_binary())
        .arg("compact")
        .arg("--data-dir")
        .arg(data)
        .output()
        .expect("run ara-server compact")
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The names beside the data directory (where compact builds and keeps).
fn beside(data: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(data.parent().expect("a parent"))
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

async fn apply(client: &mut SyncClient, mutation: Mutation) -> Version {
    let envelope = client.envelope(mutation);
    let seq = envelope.seq;
    client.push(vec![envelope]).await;
    client.ack(seq).await
}

/// What a signed-in person can see of the store: the state, the history of
/// one priority and of the programme's order, and the accounts.
#[derive(Debug, PartialEq)]
struct Seen {
    version: Version,
    state: State,
    priority_history: Vec<HistoryItem>,
    order_history: Vec<HistoryItem>,
    users: Vec<UserView>,
}

async fn seen(server: &TestServer, cookie: &str, priority: PriorityId) -> Seen {
    let (_, snapshot) = SyncClient::connect(server, cookie).await;
    let ServerMessage::Snapshot { version, state } = snapshot else {
        panic!("a new client gets a snapshot")
    };
    let get = |path: String| async move {
        let response = http::get(&server.url, &path, Some(cookie)).await;
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        response
    };
    Seen {
        version,
        state: *state,
        priority_history: get(format!("/api/history/priority/{priority}"))
            .await
            .json(),
        order_history: get("/api/history/programme/order".into()).await.json(),
        users: get("/api/users".into()).await.json(),
    }
}

/// Invites `email` and returns the link's token, not accepted yet.
async fn open_invitation(server: &TestServer, secretariat: &str, email: &str) -> String {
    let invited = http::post_json(
        &server.url,
        "/api/invitations",
        Some(secretariat),
        &json!({"email": email, "role": Role::Observer}),
    )
    .await;
    assert_eq!(invited.status, 201, "invite: {}", invited.text());
    let link = invited.json::<serde_json::Value>()["link"]
        .as_str()
        .expect("invitation link")
        .to_owned();
    link.split('#')
        .nth(1)
        .expect("token in the fragment")
        .to_owned()
}

#[tokio::test]
async fn compact_keeps_state_history_sessions_and_invitations_and_gives_back_space() {
    // The demo programme, edits and snapshots: a store that has lived.
    let mut server = TestServer::start_with(&["--snapshot-every", "5"]).await;
    let sabine = server.sign_up_secretariat().await;
    let olga = server
        .invite(&sabine, "Olga Observer", "olga@ara.test", Role::Observer)
        .await;
    let token = open_invitation(&server, &sabine, "pia@ara.test").await;
    let (mut client, snapshot) = SyncClient::connect(&server, &sabine).await;
    let ServerMessage::Snapshot { state, .. } = snapshot else {
        panic!("a new client gets a snapshot")
    };
    let renamed = state.programme_order[0];
    for i in 0..40 {
        apply(
            &mut client,
            Mutation::RenamePriority {
                id: renamed,
                title: format!("Renamed {i} times"),
            },
        )
        .await;
        apply(&mut client, new_priority(&format!("Compacted {i}"))).await;
    }
    drop(client);
    let before = seen(&server, &sabine, renamed).await;
    let data = server.data_dir();

    // While the server runs, its store is locked: compact refuses and the
    // server goes on serving the same.
    let refused = compact(&data);
    assert!(!refused.status.success(), "{}", said(&refused));
    assert!(
        said(&refused).contains("stop the server"),
        "{}",
        said(&refused)
    );
    assert_eq!(beside(&data), ["data"], "nothing built beside the store");
    assert_eq!(seen(&server, &sabine, renamed).await, before);

    server.stop().await;
    let bytes_before = bytes_on_disk(&data);
    // What a compaction killed halfway left behind does not stand in the way.
    let leftover = data.with_file_name("data.compacting-1");
    std::fs::create_dir(&leftover).expect("mkdir");
    std::fs::write(leftover.join("db"), b"half a store").expect("write");
    let compacted = compact(&data);
    assert!(compacted.status.success(), "{}", said(&compacted));
    assert!(
        said(&compacted).contains("before") && said(&compacted).contains("after"),
        "the sizes: {}",
        said(&compacted)
    );
    assert_eq!(beside(&data), ["data"], "the old store and leftovers went");
    let bytes_after = bytes_on_disk(&data);
    assert!(
        bytes_after <= bytes_before,
        "{bytes_after} bytes after compaction, {bytes_before} before"
    );

    server.start_again().await;
    assert_eq!(
        seen(&server, &sabine, renamed).await,
        before,
        "the same state, history and accounts, with the session from before"
    );
    let olga_reads = http::get(&server.url, "/api/history/programme/order", Some(&olga)).await;
    assert_eq!(olga_reads.status, 200, "Olga is still signed in");
    let accepted = http::post_json(
        &server.url,
        &format!("/api/invitations/{token}/accept"),
        None,
        &json!({"name": "Pia Pending", "password": TEST_PASSWORD}),
    )
    .await;
    assert_eq!(
        accepted.status,
        201,
        "the open invitation: {}",
        accepted.text()
    );
    let (mut client, _) = SyncClient::connect(&server, &sabine).await;
    let version = apply(&mut client, new_priority("After the compaction")).await;
    assert_eq!(version, before.version.next(), "the log goes on");
    drop(client);

    // Asked to, it keeps the old store beside the new one, whole.
    server.stop().await;
    let kept = Command::new(server_binary())
        .args(["compact", "--keep-old", "--data-dir"])
        .arg(&data)
        .output()
        .expect("run ara-server compact --keep-old");
    assert!(kept.status.success(), "{}", said(&kept));
    let names = beside(&data);
    let [new, old] = names.as_slice() else {
        panic!("the new store and the old one: {names:?}")
    };
    assert_eq!(new, "data");
    assert!(old.starts_with("data.before-compact-"), "{old}");
    assert!(
        said(&kept).contains(old.as_str()),
        "says where: {}",
        said(&kept)
    );
    let checked = Command::new(server_binary())
        .arg("check")
        .arg("--data-dir")
        .arg(data.with_file_name(old))
        .output()
        .expect("run ara-server check");
    assert!(
        checked.status.success(),
        "the old store: {}",
        said(&checked)
    );
}

/// What a test does to a copy of a store, through sled itself.
type Damage = fn(&sled::Db);

#[tokio::test]
async fn compact_refuses_a_damaged_store_and_changes_nothing() {
    let mut server = TestServer::start_with(&["--snapshot-every", "5"]).await;
    let sabine = server.sign_up_secretariat().await;
    let (mut client, _) = SyncClient::connect(&server, &sabine).await;
    for i in 0..12 {
        apply(&mut client, new_priority(&format!("Checked {i}"))).await;
    }
    drop(client);
    server.stop().await;
    let data = server.data_dir();
    let damages: [(&str, Damage); 2] = [
        ("a gap in the log", |db| {
            let log = db.open_tree("log").expect("log tree");
            let middle = (log.len() as u64 / 2).to_be_bytes();
            log.remove(middle).expect("remove");
        }),
        // The one damage that the rebuilt store would not carry over: a
        // compaction must not hide it either.
        ("a snapshot that differs from the log", |db| {
            let snapshots = db.open_tree("snapshots").expect("tree");
            let (key, raw) = snapshots.first().expect("read").expect("a snapshot");
            let mut snapshot: serde_json::Value = serde_json::from_slice(&raw).expect("json");
            snapshot["state"]["programme_order"] = json!([]);
            snapshots
                .insert(key, serde_json::to_vec(&snapshot).expect("json"))
                .expect("insert");
        }),
    ];
    for (i, (what, damage)) in damages.into_iter().enumerate() {
        let damaged = data.with_file_name(format!("damaged-{i}"));
        copy(&data, &damaged);
        {
            let db = sled::open(&damaged).expect("sled opens the copy");
            damage(&db);
            db.flush().expect("flush");
        }
        let before = files(&damaged);
        let refused = compact(&damaged);
        assert!(!refused.status.success(), "{what}: {}", said(&refused));
        assert!(
            said(&refused).contains("damaged") && said(&refused).contains("ara-server restore"),
            "{what}: {}",
            said(&refused)
        );
        assert_eq!(files(&damaged), before, "{what}: no file changed");
        let left: Vec<String> = beside(&damaged)
            .into_iter()
            .filter(|n| n.contains("compact"))
            .collect();
        assert!(left.is_empty(), "{what}: nothing left beside: {left:?}");
    }
}
