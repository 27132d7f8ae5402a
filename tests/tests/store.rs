//! The log, snapshots, catch-up and shutdown of the real server binary, over
//! real WebSockets on loopback with a temp store.

use ara_shared::protocol::{
    ClientMessage, ErrorCode, MAX_FRAME_BYTES, PROTOCOL_VERSION, ServerMessage,
};
use ara_shared::{
    ClientId, Context, Envelope, Horizon, LogEntry, Mutation, PriorityId, Quarter, Seq, State,
    Term, Version,
};
use ara_tests::http;
use ara_tests::server::TestServer;
use ara_tests::ws::{SyncClient, connect_raw, new_client_id, whole_log};

fn create(title: &str) -> Mutation {
    Mutation::CreatePriority {
        id: PriorityId(uuid::Uuid::now_v7()),
        title: title.into(),
        horizon: Horizon {
            term: Term::Medium,
            start: Quarter::new(2026, 1).expect("valid"),
            end: Quarter::new(2027, 4).expect("valid"),
        },
    }
}

async fn signed_in(args: &[&str]) -> (TestServer, String) {
    let mut all = vec!["--no-demo"];
    all.extend_from_slice(args);
    let server = TestServer::start_with(&all).await;
    let cookie = server.sign_up_secretariat().await;
    (server, cookie)
}

/// Pushes `n` new priorities in batches of `batch`, waiting for every ack;
/// returns the version of the last one.
async fn write(client: &mut SyncClient, n: usize, batch: usize) -> Version {
    let mut last = Version(0);
    let mut written = 0;
    while written < n {
        let size = batch.min(n - written);
        let envelopes: Vec<Envelope> = (0..size)
            .map(|i| client.envelope(create(&format!("Priority {}", written + i))))
            .collect();
        let seq = envelopes.last().expect("non-empty").seq;
        client.push(envelopes).await;
        last = client.ack(seq).await;
        written += size;
    }
    last
}

/// The state after applying `entries` in order, as any replica would.
fn replay(entries: &[LogEntry]) -> State {
    let mut state = State::default();
    for entry in entries {
        let ctx = Context {
            actor: &entry.actor,
            now_ms: entry.at_ms,
        };
        state
            .apply(&entry.mutation, &ctx)
            .unwrap_or_else(|r| panic!("entry {} does not replay: {r:?}", entry.version));
    }
    state
}

/// The newest versions in the log and among the snapshots of a stopped
/// server's store.
fn newest_versions(server: &TestServer) -> (u64, Option<u64>) {
    // Opening a store with sled writes to it (its recovery snapshot), which
    // the seal would then rightly refuse: read a copy.
    let copy = tempfile::tempdir().expect("temp dir");
    ara_tests::store::copy(&server.data_dir(), copy.path());
    let db = sled::open(copy.path()).expect("the stopped server's store opens");
    let version = |tree: &str| {
        db.open_tree(tree)
            .expect("tree")
            .last()
            .expect("readable")
            .map(|(key, _)| u64::from_be_bytes(key.as_ref().try_into().expect("8-byte key")))
    };
    (version("log").unwrap_or(0), version("snapshots"))
}

/// Reads entries from `client` until it holds `version`.
async fn entries_until(client: &mut SyncClient, version: Version) -> Vec<LogEntry> {
    let mut entries = Vec::new();
    while client.version < version {
        if let ServerMessage::Entries { entries: chunk } = client.recv().await {
            entries.extend(chunk);
        }
    }
    entries
}

/// Opens a sync connection as `client_id` and returns the welcome's
/// `applied_seq` and what the connection sent after it.
async fn hello(
    server: &TestServer,
    cookie: &str,
    client_id: ClientId,
    last_version: Option<Version>,
) -> (Option<Seq>, SyncClient, ServerMessage) {
    let mut client = SyncClient::hello_as(server, cookie, client_id, last_version).await;
    let ServerMessage::Welcome { applied_seq, .. } = client.recv().await else {
        panic!("welcome expected")
    };
    let catch_up = client.recv().await;
    (applied_seq, client, catch_up)
}

#[tokio::test]
async fn start_up_from_snapshot_and_tail_equals_full_replay() {
    let (mut server, cookie) = signed_in(&["--snapshot-every", "7"]).await;
    let (mut client, _) = SyncClient::connect(&server, &cookie).await;
    // Batches of 3: snapshots fall between batches, and a tail follows the last.
    let last = write(&mut client, 31, 3).await;
    let first = client_state(&server, &cookie).await.programme_order[0];
    let rename = client.envelope(Mutation::RenamePriority {
        id: first,
        title: "Renamed after the last snapshot".into(),
    });
    let seq = rename.seq;
    client.push(vec![rename]).await;
    let last = client.ack(seq).await.max(last);
    drop(client);
    // No shutdown snapshot: kill -9 leaves the periodic ones and a tail.
    server.kill9();
    let (log, snapshot) = newest_versions(&server);
    assert_eq!(log, last.0);
    let snapshot = snapshot.expect("a periodic snapshot was written");
    assert!(
        snapshot > 0 && snapshot < log,
        "snapshot at {snapshot}, log at {log}: there is a tail to replay"
    );

    server.start_again().await;
    let from_snapshot = client_state(&server, &cookie).await;
    let (_, entries) = whole_log(&server, &cookie).await;
    assert_eq!(entries.len() as u64, last.0);
    assert_eq!(
        replay(&entries),
        from_snapshot,
        "snapshot + tail equals the log replayed"
    );

    // The server itself replaying the whole log agrees too.
    server.kill9();
    {
        let db = sled::open(server.data_dir()).expect("store");
        db.open_tree("snapshots")
            .expect("tree")
            .clear()
            .expect("clear");
        db.flush().expect("flush");
    }
    server.start_again().await;
    assert_eq!(client_state(&server, &cookie).await, from_snapshot);
}

/// The state a new client gets (a snapshot).
async fn client_state(server: &TestServer, cookie: &str) -> State {
    let (_, snapshot) = SyncClient::connect(server, cookie).await;
    let ServerMessage::Snapshot { state, .. } = snapshot else {
        panic!("a new client gets a snapshot")
    };
    *state
}

#[tokio::test]
async fn a_client_far_behind_gets_a_snapshot_then_the_tail() {
    let (server, cookie) = signed_in(&["--catch-up-window", "5"]).await;
    // Connected from the start, it sees every entry.
    let (mut witness, _) = SyncClient::connect(&server, &cookie).await;
    let (mut writer, _) = SyncClient::connect(&server, &cookie).await;
    let v3 = write(&mut writer, 3, 1).await;

    // Within the window: the entries it lacks.
    let (_, _, near) = hello(&server, &cookie, new_client_id(), Some(Version(1))).await;
    let ServerMessage::Entries { entries } = near else {
        panic!("entries expected, got {near:?}")
    };
    assert_eq!(
        entries.iter().map(|e| e.version.0).collect::<Vec<_>>(),
        [2, 3]
    );

    let v13 = write(&mut writer, 10, 4).await;
    assert_eq!(v13.0, v3.0 + 10);
    let (_, mut far, catch_up) = hello(&server, &cookie, new_client_id(), Some(v3)).await;
    let ServerMessage::Snapshot { version, state } = catch_up else {
        panic!("a snapshot past the window, got {catch_up:?}")
    };
    assert_eq!(version, v13);
    let all = entries_until(&mut witness, v13).await;
    assert_eq!(*state, replay(&all));

    // The tail follows on the same connection, without a gap.
    let v14 = write(&mut writer, 1, 1).await;
    let tail = far
        .wait_for("the tail after the snapshot", |m| match m {
            ServerMessage::Entries { entries } => Some(entries.clone()),
            _ => None,
        })
        .await;
    assert_eq!(tail.first().map(|e| e.version), Some(v13.next()));
    assert_eq!(tail.last().map(|e| e.version), Some(v14));
}

#[tokio::test]
async fn a_client_ahead_of_the_server_starts_again_from_a_snapshot() {
    let (server, cookie) = signed_in(&[]).await;
    let (mut writer, _) = SyncClient::connect(&server, &cookie).await;
    let v = write(&mut writer, 2, 2).await;
    // As after a restore from an older backup.
    let (_, _, catch_up) = hello(&server, &cookie, new_client_id(), Some(Version(1_000))).await;
    let ServerMessage::Snapshot { version, state } = catch_up else {
        panic!("snapshot expected, got {catch_up:?}")
    };
    assert_eq!(version, v);
    assert_eq!(state.priorities.len(), 2);
}

#[tokio::test]
async fn a_long_catch_up_comes_in_frames_within_the_limit() {
    let (server, cookie) = signed_in(&[]).await;
    let (mut writer, _) = SyncClient::connect(&server, &cookie).await;
    let last = write(&mut writer, 1_100, 500).await;
    assert_eq!(last, Version(1_100));

    let stream = connect_raw(&server, Some(&cookie), None)
        .await
        .expect("upgrade");
    let mut raw = SyncClient::ungreeted(stream);
    raw.send(&ClientMessage::Hello {
        protocol: PROTOCOL_VERSION,
        client_id: new_client_id(),
        last_version: Some(Version(0)),
    })
    .await;
    assert!(matches!(raw.recv().await, ServerMessage::Welcome { .. }));
    let mut versions = Vec::new();
    let mut frames = 0;
    while versions.last() != Some(&1_100) {
        let message = raw.recv().await;
        let size = serde_json::to_string(&message).expect("serialise").len();
        assert!(size <= MAX_FRAME_BYTES, "a catch-up frame of {size} bytes");
        let ServerMessage::Entries { entries } = message else {
            panic!("entries expected")
        };
        versions.extend(entries.iter().map(|e| e.version.0));
        frames += 1;
    }
    assert_eq!(versions, (1..=1_100).collect::<Vec<_>>());
    assert_eq!(frames, 3, "500 entries a frame");
}

/// SIGTERM and Ctrl-C (SIGINT) stop the server the same way: what it has
/// taken from a connection is committed and acknowledged, a snapshot is
/// written, and the connection is closed with a reason.
#[tokio::test]
async fn shutdown_on_sigterm_and_sigint_finishes_in_flight_work() {
    for signal in ["TERM", "INT"] {
        let (mut server, cookie) = signed_in(&["--snapshot-every", "100000"]).await;
        let (mut client, _) = SyncClient::connect(&server, &cookie).await;
        let client_id = client.client_id;
        // Ten batches on the wire, then the signal as soon as the first is in.
        let mut last_seq = Seq(0);
        for b in 0..10 {
            let batch: Vec<Envelope> = (0..50)
                .map(|i| client.envelope(create(&format!("Batch {b} item {i}"))))
                .collect();
            last_seq = batch.last().expect("non-empty").seq;
            client.push(batch).await;
        }
        client.ack(Seq(50)).await;
        server.signal(signal);

        let mut acked = Seq(50);
        loop {
            match client.recv().await {
                ServerMessage::Ack { seq, .. } => acked = acked.max(seq),
                ServerMessage::Rejected { seq, rejection } => {
                    panic!("{seq:?} rejected: {rejection:?}")
                }
                ServerMessage::Error { code, .. } => {
                    assert_eq!(code, ErrorCode::ServerShuttingDown, "SIG{signal}");
                    break;
                }
                ServerMessage::Entries { .. } => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(
            client.try_recv().await.is_none(),
            "the connection closes after the reason"
        );
        server.wait_stopped(signal).await;
        assert!(acked <= last_seq);

        let (log, snapshot) = newest_versions(&server);
        assert_eq!(
            snapshot,
            Some(log),
            "SIG{signal}: a snapshot of the last version was written on the way out"
        );
        server.start_again().await;
        let (applied, _, catch_up) = hello(&server, &cookie, client_id, None).await;
        assert_eq!(
            applied,
            Some(acked),
            "SIG{signal}: everything the server applied was acknowledged before the close"
        );
        let ServerMessage::Snapshot { state, .. } = catch_up else {
            panic!("snapshot expected")
        };
        assert_eq!(state.priorities.len() as u64, acked.0);
    }
}

#[tokio::test]
async fn the_log_length_is_known_after_a_restart() {
    let (mut server, cookie) = signed_in(&[]).await;
    let (mut client, _) = SyncClient::connect(&server, &cookie).await;
    write(&mut client, 3, 3).await;
    drop(client);
    server.restart().await;
    let metrics = http::get(&server.url, "/metrics", None).await.text();
    assert!(metrics.contains("ara_log_length 3\n"), "{metrics}");
}
