//! `ara-server check` on real stores: a store the server wrote is whole;
//! each kind of damage is found and named, the checked files are never
//! changed, and the command exits non-zero.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ara_shared::{Horizon, Mutation, PriorityId, Quarter, Role, Term};
use ara_tests::server::{TestServer, server_binary};
use ara_tests::store::{copy, files};
use ara_tests::ws::SyncClient;

fn check(data: &Path) -> Output {
    Command::new(server_binary())
        .arg("check")
        .arg("--data-dir")
        .arg(data)
        .output()
        .expect("run ara-server check")
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A stopped store with the demo programme, accounts, a session, edits
/// and a snapshot in its middle (`--snapshot-every 5`).
async fn written_store(dir: &Path) -> PathBuf {
    let mut server = TestServer::start_with(&["--snapshot-every", "5"]).await;
    let sabine = server.sign_up_secretariat().await;
    server
        .invite(&sabine, "Olga Observer", "olga@ara.test", Role::Observer)
        .await;
    // A client that greets and edits nothing: its id is bound in the
    // snapshots written after, but the log cannot know it.
    let (greeted_only, _) = SyncClient::connect(&server, &sabine).await;
    drop(greeted_only);
    let (mut client, _) = SyncClient::connect(&server, &sabine).await;
    for i in 0..12 {
        let envelope = client.envelope(Mutation::CreatePriority {
            id: PriorityId(uuid::Uuid::now_v7()),
            title: format!("Checked {i}"),
            horizon: Horizon {
                term: Term::Short,
                start: Quarter::new(2026, 1).expect("valid"),
                end: Quarter::new(2026, 2).expect("valid"),
            },
        });
        let seq = envelope.seq;
        client.push(vec![envelope]).await;
        client.ack(seq).await;
    }
    drop(client);
    server.stop().await;
    let data = dir.join("written");
    copy(&server.data_dir(), &data);
    data
}

fn history_index(db: &sled::Db) -> sled::Tree {
    db.open_tree("history_index").expect("history index tree")
}

/// The first row of the history index (its marker sorts last).
fn first_row(index: &sled::Tree) -> (sled::IVec, sled::IVec) {
    index.first().expect("read").expect("an indexed row")
}

/// Opens a copy of the store with sled itself and changes it by `damage`.
fn damaged(written: &Path, name: &str, damage: impl FnOnce(&sled::Db)) -> PathBuf {
    let data = written.with_file_name(name);
    copy(written, &data);
    let db = sled::open(&data).expect("sled opens the copy");
    damage(&db);
    db.flush().expect("flush");
    data
}

#[tokio::test]
async fn check_finds_a_written_store_whole_and_names_each_kind_of_damage() {
    let dir = tempfile::tempdir().expect("temp dir");
    let written = written_store(dir.path()).await;
    let before = files(&written);
    let whole = check(&written);
    assert!(whole.status.success(), "{}", said(&whole));
    assert!(
        said(&whole).contains("The store is whole."),
        "{}",
        said(&whole)
    );
    assert_eq!(files(&written), before, "check changed no file");

    let log = |db: &sled::Db| db.open_tree("log").expect("log tree");
    let middle = |db: &sled::Db| {
        let n = log(db).len() as u64;
        (n / 2).to_be_bytes()
    };
    let cases: Vec<(&str, PathBuf, &str)> = vec![
        (
            "a gap in the log",
            damaged(&written, "gap", |db| {
                log(db).remove(middle(db)).expect("remove");
            }),
            "stops being readable",
        ),
        (
            "an unreadable entry",
            damaged(&written, "garbled", |db| {
                log(db)
                    .insert(middle(db), &b"{not json"[..])
                    .expect("insert");
            }),
            "stops being readable",
        ),
        (
            "an entry against the rules",
            damaged(&written, "forged", |db| {
                let key = middle(db);
                let raw = log(db).get(key).expect("get").expect("entry");
                let mut entry: serde_json::Value = serde_json::from_slice(&raw).expect("json");
                entry["mutation"] = serde_json::json!({
                    "type": "rename_priority",
                    "id": uuid::Uuid::now_v7(),
                    "title": "Nobody's"
                });
                log(db)
                    .insert(key, serde_json::to_vec(&entry).expect("json"))
                    .expect("insert");
            }),
            "does not apply",
        ),
        (
            "a snapshot that differs from the log",
            damaged(&written, "snapshot", |db| {
                let snapshots = db.open_tree("snapshots").expect("tree");
                let (key, raw) = snapshots.first().expect("read").expect("a snapshot");
                let mut snapshot: serde_json::Value = serde_json::from_slice(&raw).expect("json");
                snapshot["state"]["programme_order"] = serde_json::json!([]);
                snapshots
                    .insert(key, serde_json::to_vec(&snapshot).expect("json"))
                    .expect("insert");
            }),
            "differs from the replayed log",
        ),
        (
            "an entity's change missing from the history index",
            damaged(&written, "index-missing", |db| {
                let index = history_index(db);
                let (key, _) = first_row(&index);
                index.remove(key).expect("remove");
            }),
            "the history index lacks",
        ),
        (
            "another change in the history index",
            damaged(&written, "index-changed", |db| {
                let index = history_index(db);
                let (key, _) = first_row(&index);
                index
                    .insert(key, &br#"[{"field":"title","new":"Forged"}]"#[..])
                    .expect("insert");
            }),
            "the history index has another change of",
        ),
        (
            "a row in the history index the log does not give",
            damaged(&written, "index-extra", |db| {
                let index = history_index(db);
                let (key, value) = first_row(&index);
                let mut extra = key.to_vec();
                let at = extra.len() - 8;
                extra[at..].copy_from_slice(&3u64.to_be_bytes());
                assert!(
                    index.get(&extra).expect("get").is_none(),
                    "version 3 did not touch the first entity"
                );
                index.insert(extra, value).expect("insert");
            }),
            "rows the log does not give",
        ),
        (
            "an account its email does not find",
            damaged(&written, "emails", |db| {
                let emails = db.open_tree("emails").expect("tree");
                emails.remove("olga@ara.test").expect("remove");
            }),
            "not found by its email",
        ),
    ];
    for (what, data, words) in cases {
        let before = files(&data);
        let refused = check(&data);
        assert!(!refused.status.success(), "{what}: {}", said(&refused));
        assert!(said(&refused).contains(words), "{what}: {}", said(&refused));
        assert!(
            said(&refused).contains("ara-server restore"),
            "{what}: the way out"
        );
        assert_eq!(files(&data), before, "{what}: check changed no file");
    }
}
