//! The history endpoint reads the per-entity history index, and answers
//! exactly what the full replay of the log gives
//! (`ara_shared::history::history`) for every entity of a varied log:
//! while serving, after a restart, after a restore of a backup, for a store
//! written before the index existed, and for one whose index a crash left
//! ahead of the log.

use std::collections::BTreeSet;
use std::path::Path;

use ara_shared::history::{HistoryItem, history};
use ara_shared::protocol::ServerMessage;
use ara_shared::{
    Action, ActionId, CommentId, EntityRef, LinkId, LogEntry, Mutation, PriorityId, PriorityPatch,
    State, Version,
};
use ara_tests::http;
use ara_tests::server::{TestServer, run_command, run_ok};
use ara_tests::ws::{SyncClient, new_priority, whole_log};

const INDEX_TREE: &str = "history_index";

async fn apply(client: &mut SyncClient, mutation: Mutation) -> Version {
    let envelope = client.envelope(mutation);
    let seq = envelope.seq;
    client.push(vec![envelope]).await;
    client.ack(seq).await
}

async fn created(client: &mut SyncClient, title: &str) -> PriorityId {
    let mutation = new_priority(title);
    let Mutation::CreatePriority { id, .. } = mutation else {
        unreachable!("new_priority creates a priority")
    };
    apply(client, mutation).await;
    id
}

/// The demo programme plus edits of every kind that reach an entity
/// directly or through another: renames, moves, patches, actions, comments
/// added and removed, links made and unmade, a stakeholder deleted with its
/// links, a priority deleted.
async fn varied_edits(server: &TestServer, cookie: &str) {
    let (mut s, snapshot) = SyncClient::connect(server, cookie).await;
    let ServerMessage::Snapshot { state, .. } = snapshot else {
        panic!("a new client gets a snapshot")
    };
    let kept = created(&mut s, "Kept and edited").await;
    let gone = created(&mut s, "Deleted again").await;
    let comment = CommentId(uuid::Uuid::now_v7());
    let action = ActionId(uuid::Uuid::now_v7());
    let link = state.links.values().next().expect("the demo links").clone();
    let linked = state
        .links
        .values()
        .find(|l| l.stakeholder != link.stakeholder)
        .expect("links of another stakeholder")
        .stakeholder;
    let mut renamed = state.stakeholders[&link.stakeholder].clone();
    renamed.name = format!("{} (renamed)", renamed.name);
    let edits = vec![
        Mutation::RenamePriority {
            id: kept,
            title: "Kept, renamed".into(),
        },
        Mutation::MovePriority { id: kept, index: 0 },
        Mutation::UpdatePriority {
            id: kept,
            patch: PriorityPatch {
                summary: Some("Why it matters".into()),
                open_to_all: Some(true),
                ..PriorityPatch::default()
            },
        },
        Mutation::SetPriorityAction {
            priority: kept,
            action: Action {
                id: action,
                title: "First step".into(),
                owner: None,
                due: None,
                done: false,
            },
        },
        Mutation::AddComment {
            priority: kept,
            id: comment,
            text: "Noted".into(),
        },
        Mutation::DeleteComment {
            priority: kept,
            id: comment,
        },
        Mutation::MovePriority { id: gone, index: 1 },
        Mutation::DeletePriority { id: gone },
        Mutation::SetStakeholder {
            stakeholder: renamed,
        },
        Mutation::UnlinkStakeholder { id: link.id },
        Mutation::LinkStakeholder {
            link: ara_shared::stakeholder::StakeholderLink {
                id: LinkId(uuid::Uuid::now_v7()),
                ..link
            },
        },
        Mutation::DeleteStakeholder { id: linked },
        Mutation::RenamePriority {
            id: kept,
            title: "Kept, renamed twice".into(),
        },
    ];
    for edit in edits {
        apply(&mut s, edit).await;
    }
}

/// Every entity any entry of `log` changed, plus one that none did.
fn entities(log: &[LogEntry]) -> BTreeSet<EntityRef> {
    let mut state = State::default();
    let mut all = BTreeSet::new();
    for entry in log {
        let changes = entry
            .apply_to(&mut state)
            .expect("the server's log replays");
        all.extend(changes.into_iter().map(|c| c.entity));
    }
    all.insert(EntityRef::Priority(PriorityId(uuid::Uuid::now_v7())));
    all
}

fn path(entity: &EntityRef) -> String {
    match entity {
        EntityRef::Priority(id) => format!("priority/{id}"),
        EntityRef::Programme => "programme/order".into(),
        EntityRef::Region(id) => format!("region/{id}"),
        EntityRef::TenPoint(n) => format!("ten_point/{n}"),
        EntityRef::Initiative(code) => format!("initiative/{code}"),
        EntityRef::Baseline(id) => format!("baseline/{id}"),
        EntityRef::Development(id) => format!("development/{id}"),
        EntityRef::Conference(id) => format!("conference/{id}"),
        EntityRef::Stakeholder(id) => format!("stakeholder/{id}"),
        EntityRef::Link(id) => format!("link/{id}"),
        EntityRef::Meeting(id) => format!("meeting/{id}"),
    }
}

/// The server's history of every entity of the log equals the full replay's.
async fn check_every_history(server: &TestServer, cookie: &str, stage: &str) {
    let (_, log) = whole_log(server, cookie).await;
    let entities = entities(&log);
    assert!(
        entities.len() > 20,
        "{stage}: a varied log ({} entities)",
        entities.len()
    );
    let mut items = 0;
    for entity in &entities {
        let path = path(entity);
        let response = http::get(&server.url, &format!("/api/history/{path}"), Some(cookie)).await;
        assert_eq!(response.status, 200, "{stage} {path}: {}", response.text());
        let served: Vec<HistoryItem> = response.json();
        assert_eq!(served, history(&log, entity), "{stage}: {path}");
        items += served.len();
    }
    assert!(
        items >= log.len(),
        "{stage}: every entry is in some history"
    );
}

fn check_is_whole(data: &Path) {
    run_ok(&["check".as_ref(), "--data-dir".as_ref(), data.as_os_str()]);
}

/// A copy of a stopped server's store, changed with sled itself, in a
/// temp dir a [`TestServer`] can start in.
fn changed_copy(data: &Path, change: impl FnOnce(&sled::Db)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    ara_tests::store::copy(data, &dir.path().join("data"));
    let db = sled::open(dir.path().join("data")).expect("sled opens the copy");
    change(&db);
    db.flush().expect("flush");
    drop(db);
    // Changed behind the server's back on purpose, as a store written
    // before the seal existed would be: without the seal (which would
    // rightly refuse the changed files).
    std::fs::remove_file(dir.path().join("data").join("ara-seal.json")).expect("the seal");
    dir
}

/// Whether a stopped store's history index has its marker, and whether
/// that marker is the log's last version (the index covers all of it).
/// Read from a copy, so no lock of ours is left on the store itself.
fn indexed_to_and_log_length(data: &Path) -> (bool, bool) {
    let dir = tempfile::tempdir().expect("temp dir");
    ara_tests::store::copy(data, dir.path());
    let db = sled::open(dir.path()).expect("sled opens the copy");
    let marker = db
        .open_tree(INDEX_TREE)
        .expect("index tree")
        .get(b"\xffindexed up to")
        .expect("read");
    let last = db.open_tree("log").expect("log tree").len() as u64;
    let covers = marker
        .as_ref()
        .is_some_and(|m| m.as_ref() == last.to_be_bytes().as_slice());
    (marker.is_some(), covers)
}

#[tokio::test]
async fn history_through_the_index_equals_the_full_replay() {
    let mut server = TestServer::start_with(&["--snapshot-every", "7"]).await;
    let sabine = server.sign_up_secretariat().await;
    varied_edits(&server, &sabine).await;
    check_every_history(&server, &sabine, "serving").await;

    server.restart().await;
    check_every_history(&server, &sabine, "after a restart").await;
    server.stop().await;
    check_is_whole(&server.data_dir());

    // Restored from a backup: restore builds the index with the log.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("backup.json");
    run_ok(&[
        "backup".as_ref(),
        file.as_os_str(),
        "--data-dir".as_ref(),
        server.data_dir().as_os_str(),
    ]);
    let restored = tempfile::tempdir().expect("temp dir");
    run_ok(&[
        "restore".as_ref(),
        file.as_os_str(),
        "--data-dir".as_ref(),
        restored.path().join("data").as_os_str(),
    ]);
    check_is_whole(&restored.path().join("data"));
    assert_eq!(
        indexed_to_and_log_length(&restored.path().join("data")),
        (true, true),
        "restore wrote the index of the whole log"
    );
    let mut restored = TestServer::start_in(restored, &[]).await;
    let cookie = restored.sign_in("secretariat@ara.test").await;
    check_every_history(&restored, &cookie, "after a restore").await;
    restored.stop().await;

    // Written before the index existed: the first start builds it.
    let before_index = changed_copy(&server.data_dir(), |db| {
        assert!(db.drop_tree(INDEX_TREE).expect("drop the index"));
    });
    check_is_whole(&before_index.path().join("data"));
    let mut upgraded = TestServer::start_in(before_index, &[]).await;
    check_every_history(&upgraded, &sabine, "a store without an index").await;
    upgraded.stop().await;
    check_is_whole(&upgraded.data_dir());

    // A crash kept the index's last batch but not the log's (nor the
    // snapshots written after it): the start drops what the log lacks.
    let ahead = changed_copy(&server.data_dir(), |db| {
        let log = db.open_tree("log").expect("log tree");
        log.pop_max().expect("remove").expect("the last entry");
        log.pop_max().expect("remove").expect("the entry before");
        db.open_tree("snapshots")
            .expect("snapshots tree")
            .clear()
            .expect("clear");
    });
    let ahead_data = ahead.path().join("data");
    let refused = run_command(&[
        "check".as_ref(),
        "--data-dir".as_ref(),
        ahead_data.as_os_str(),
    ]);
    assert!(!refused.status.success(), "check names an index ahead");
    assert!(
        String::from_utf8_lossy(&refused.stdout).contains("past the log's end"),
        "{}",
        String::from_utf8_lossy(&refused.stdout)
    );
    let mut repaired = TestServer::start_in(ahead, &[]).await;
    check_every_history(&repaired, &sabine, "an index ahead of the log").await;
    repaired.stop().await;
    // The repaired store is whole, index and all.
    let checked = run_command(&[
        "check".as_ref(),
        "--data-dir".as_ref(),
        repaired.data_dir().as_os_str(),
    ]);
    let said = String::from_utf8_lossy(&checked.stdout);
    assert!(checked.status.success(), "{said}");
    assert!(said.contains("The store is whole."), "{said}");
}
