//! Faults and hostile input against the real server binary: `kill -9` while
//! clients write, thousands of random and malformed frames and HTTP bodies,
//! and a client that stops reading. Every loop is bounded in count, every
//! wait in time with a message; nothing here asserts how fast anything is.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use ara_shared::protocol::{ClientMessage, ErrorCode, PROTOCOL_VERSION, ServerMessage};
use ara_shared::{
    ClientId, Envelope, Horizon, Mutation, PriorityId, PriorityPatch, Quarter, Replica, Seq, State,
    Term, Version,
};
use ara_tests::http;
use ara_tests::server::TestServer;
use ara_tests::ws::{SyncClient, WAIT, connect_raw, new_client_id};
use futures_util::{SinkExt, StreamExt};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

fn horizon() -> Horizon {
    Horizon {
        term: Term::Short,
        start: Quarter::new(2026, 1).expect("valid"),
        end: Quarter::new(2026, 4).expect("valid"),
    }
}

/// SplitMix64: enough randomness for kill moments, reproducible from the
/// seed the test prints.
struct Rng(u64);

impl Rng {
    fn from_env() -> Self {
        let seed = std::env::var("ARA_FAULT_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
            });
        eprintln!("fault seed {seed} (set ARA_FAULT_SEED={seed} to repeat)");
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

async fn send(socket: &mut Socket, message: &ClientMessage) -> bool {
    let text = serde_json::to_string(message).expect("serialise");
    socket.send(Message::text(text)).await.is_ok()
}

/// The next server message other than presence; `None` once closed.
async fn next_message(socket: &mut Socket) -> Option<ServerMessage> {
    loop {
        let frame = tokio::time::timeout(WAIT, socket.next())
            .await
            .unwrap_or_else(|_| panic!("no message from the server within {WAIT:?}"));
        match frame {
            Some(Ok(Message::Text(text))) => {
                let message: ServerMessage =
                    serde_json::from_str(&text).expect("the server sends readable JSON");
                if !matches!(message, ServerMessage::Presence { .. }) {
                    return Some(message);
                }
            }
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
            Some(Ok(_)) => {}
        }
    }
}

// ---------------------------------------------------------------------------
// kill -9 while clients write
// ---------------------------------------------------------------------------

/// A client as the app is one: a [`Replica`] that proposes, sends pending
/// mutations, rebases on entries and resends after a reconnect.
struct Writer {
    replica: Replica,
    /// The priority each of our seqs created or moved.
    touched: BTreeMap<Seq, PriorityId>,
    /// Seqs the server acknowledged: these must never be lost.
    acked: BTreeSet<Seq>,
    own: Vec<PriorityId>,
}

impl Writer {
    fn new(actor: ara_shared::Actor) -> Self {
        Self {
            replica: Replica::new(new_client_id(), actor),
            touched: BTreeMap::new(),
            acked: BTreeSet::new(),
            own: Vec::new(),
        }
    }

    /// Opens a connection, says hello with the confirmed version, takes the
    /// catch-up and resends everything pending.
    async fn connect(&mut self, server: &TestServer, cookie: &str) -> Socket {
        let mut socket = connect_raw(server, Some(cookie), None)
            .await
            .expect("sync connection after restart");
        self.replica.connection_reset();
        let last = self.replica.version();
        assert!(
            send(
                &mut socket,
                &ClientMessage::Hello {
                    protocol: PROTOCOL_VERSION,
                    client_id: self.replica.client_id(),
                    last_version: (last > Version(0)).then_some(last),
                }
            )
            .await
        );
        for _ in 0..2 {
            let message = next_message(&mut socket)
                .await
                .expect("welcome and catch-up");
            self.handle(message, None);
        }
        self.flush(&mut socket).await;
        socket
    }

    async fn flush(&mut self, socket: &mut Socket) -> bool {
        let unsent = self.replica.take_unsent();
        if unsent.is_empty() {
            return true;
        }
        send(socket, &ClientMessage::Push { mutations: unsent }).await
    }

    fn handle(&mut self, message: ServerMessage, acks: Option<&AtomicU64>) {
        match message {
            ServerMessage::Welcome {
                actor, applied_seq, ..
            } => {
                self.replica.set_actor(actor);
                if let Some(seq) = applied_seq {
                    // Applied before the crash, acknowledged or not: durable.
                    self.acked
                        .extend(self.touched.range(..=seq).map(|(s, _)| *s));
                    self.replica.applied_up_to(seq);
                }
            }
            ServerMessage::Snapshot { version, state } => {
                self.replica.receive_snapshot(version, *state);
            }
            ServerMessage::Entries { entries } => {
                self.replica
                    .receive_entries(&entries)
                    .expect("entries arrive without gaps");
            }
            ServerMessage::Ack { seq, version } => {
                self.acked.insert(seq);
                if let Some(acks) = acks {
                    acks.fetch_add(1, Ordering::Relaxed);
                }
                if version <= self.replica.version() {
                    self.replica.applied_up_to(seq);
                }
            }
            ServerMessage::Rejected { seq, rejection } => {
                panic!("mutation {seq:?} was rejected: {rejection:?}")
            }
            ServerMessage::Error { code, detail } => {
                panic!("the server refused the writer: {code:?} {detail}")
            }
            ServerMessage::Presence { .. } => {}
        }
    }

    /// A new priority, or a move of one of ours to the top: moves of
    /// different writers interleave, so the order is decided by the server.
    fn propose(&mut self, rng: &mut Rng) {
        let (id, mutation) = if self.own.is_empty() || rng.below(3) > 0 {
            let id = PriorityId(uuid::Uuid::now_v7());
            self.own.push(id);
            let title = format!("Priority {}", self.own.len());
            let mutation = Mutation::CreatePriority {
                id,
                title,
                horizon: horizon(),
            };
            (id, mutation)
        } else {
            let id = self.own[rng.below(self.own.len() as u64) as usize];
            (id, Mutation::MovePriority { id, index: 0 })
        };
        let envelope = self
            .replica
            .propose(mutation, 0)
            .expect("the writer's own mutation applies locally");
        self.touched.insert(envelope.seq, id);
    }

    /// Writes until the connection breaks (the server was killed) or
    /// `stop` is set, keeping up to `window` mutations in flight.
    async fn write(
        mut self,
        mut socket: Socket,
        acks: Arc<AtomicU64>,
        stop: Arc<AtomicBool>,
        seed: u64,
    ) -> Self {
        let mut rng = Rng(seed);
        let window = 1 + rng.below(8) as usize;
        for _ in 0..10_000 {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            while self.replica.pending().len() < window {
                self.propose(&mut rng);
            }
            if !self.flush(&mut socket).await {
                break;
            }
            let frame = tokio::time::timeout(Duration::from_millis(200), socket.next()).await;
            match frame {
                Err(_) => continue,
                Ok(Some(Ok(Message::Text(text)))) => {
                    let message: ServerMessage =
                        serde_json::from_str(&text).expect("readable JSON");
                    self.handle(message, Some(&acks));
                }
                Ok(Some(Ok(_))) => {}
                Ok(Some(Err(_)) | None) => break,
            }
        }
        self
    }

    /// Reads until nothing of ours is pending and we hold `version`.
    async fn settle(&mut self, socket: &mut Socket, version_of: impl Fn() -> Version) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !self.replica.pending().is_empty() || self.replica.version() < version_of() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "a writer did not settle: {} pending, at {} of {}",
                self.replica.pending().len(),
                self.replica.version(),
                version_of()
            );
            let message = next_message(socket)
                .await
                .expect("the connection stays open while settling");
            self.handle(message, None);
        }
    }
}

/// The server's current state and version, as a new client sees it.
async fn server_state(server: &TestServer, cookie: &str) -> (Version, State) {
    let (_, snapshot) = SyncClient::connect(server, cookie).await;
    let ServerMessage::Snapshot { version, state } = snapshot else {
        panic!("a new client gets a snapshot, got {snapshot:?}")
    };
    (version, *state)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_at_random_moments_loses_no_acknowledged_mutation() {
    const ROUNDS: usize = 10;
    const WRITERS: usize = 3;
    let mut rng = Rng::from_env();
    let mut server = TestServer::start().await;
    let cookie = server.sign_up_secretariat().await;
    // The server tells each writer who it is in `welcome`.
    let actor = ara_shared::Actor {
        user: ara_shared::UserId(uuid::Uuid::nil()),
        name: String::new(),
        role: ara_shared::Role::Secretariat,
        region: None,
    };
    let mut writers: Vec<Writer> = (0..WRITERS).map(|_| Writer::new(actor.clone())).collect();

    for round in 0..ROUNDS {
        let acks = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = Vec::new();
        for mut writer in writers.drain(..) {
            let socket = writer.connect(&server, &cookie).await;
            let seed = rng.next();
            tasks.push(tokio::spawn(writer.write(
                socket,
                acks.clone(),
                stop.clone(),
                seed,
            )));
        }
        // The moment: after a random number of acknowledgements, while the
        // writers keep pushing (so some pushes are in flight).
        let kill_after = 1 + rng.below(60);
        ara_tests::eventually(
            Duration::from_secs(30),
            &format!("{kill_after} acknowledgements in round {round}"),
            || {
                let n = acks.load(Ordering::Relaxed);
                async move { (n >= kill_after).then_some(()) }
            },
        )
        .await;
        server.kill9();
        for task in tasks {
            let writer = tokio::time::timeout(WAIT, task)
                .await
                .expect("writers notice the killed server")
                .expect("writer task did not panic");
            writers.push(writer);
        }
        stop.store(true, Ordering::Relaxed);

        // The store opens, and every acknowledged mutation is in it.
        server.start_again().await;
        let (_, state) = server_state(&server, &cookie).await;
        for writer in &writers {
            for seq in &writer.acked {
                let id = writer.touched[seq];
                assert!(
                    state.priorities.contains_key(&id),
                    "round {round}: acknowledged {seq:?} of {} is missing after kill -9",
                    writer.replica.client_id()
                );
            }
        }
    }

    // Everyone reconnects, resends what was never acknowledged, and all
    // replicas converge on the server's state.
    let mut sockets = Vec::new();
    for writer in &mut writers {
        sockets.push(writer.connect(&server, &cookie).await);
    }
    let mut final_version = Version(0);
    for _ in 0..3 {
        let (version, _) = server_state(&server, &cookie).await;
        final_version = version;
        for (writer, socket) in writers.iter_mut().zip(&mut sockets) {
            writer.settle(socket, || final_version).await;
        }
    }
    let (version, state) = server_state(&server, &cookie).await;
    assert_eq!(version, final_version, "nothing was still being written");
    let total: usize = writers.iter().map(|w| w.own.len()).sum();
    assert_eq!(
        state.priorities.len(),
        total,
        "every priority any writer created is there exactly once"
    );
    for writer in &writers {
        assert_eq!(writer.replica.version(), version);
        assert!(writer.replica.pending().is_empty());
        assert_eq!(
            writer.replica.view(),
            &state,
            "replica of {} converged",
            writer.replica.client_id()
        );
    }

    // The store these rounds of kill -9 left is whole by `ara-server check`.
    drop(sockets);
    server.kill9();
    let checked = std::process::Command::new(ara_tests::server::server_binary())
        .arg("check")
        .arg("--data-dir")
        .arg(server.data_dir())
        .output()
        .expect("run ara-server check");
    assert!(
        checked.status.success(),
        "{}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[tokio::test]
async fn sigterm_right_after_start_stops_the_server_gracefully() {
    let mut server = TestServer::start().await;
    let cookie = server.sign_up_secretariat().await;
    let (mut client, _) = SyncClient::connect(&server, &cookie).await;
    let envelope = client.envelope(Mutation::CreatePriority {
        id: PriorityId(uuid::Uuid::now_v7()),
        title: "Kept".into(),
        horizon: horizon(),
    });
    client.push(vec![envelope.clone()]).await;
    client.ack(envelope.seq).await;
    drop(client);
    // `stop` fails unless the process exits on its own with success: a
    // signal that came before the handlers were installed killed it.
    for _ in 0..10 {
        server.restart().await;
    }
    server.restart().await;
    let (_, state) = server_state(&server, &cookie).await;
    assert_eq!(state.priorities.len(), 1);
}

// ---------------------------------------------------------------------------
// Random and malformed WebSocket frames
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Frame {
    Text(String),
    Binary(Vec<u8>),
}

/// Valid messages of every kind, as JSON to be damaged.
fn valid_message(client_id: ClientId) -> impl Strategy<Value = Value> {
    let id = PriorityId(uuid::Uuid::from_u128(7));
    let push = |mutation: Mutation| {
        serde_json::to_value(ClientMessage::Push {
            mutations: vec![Envelope {
                client_id,
                seq: Seq(1),
                mutation,
            }],
        })
        .expect("serialise")
    };
    prop_oneof![
        Just(
            serde_json::to_value(ClientMessage::Hello {
                protocol: PROTOCOL_VERSION,
                client_id,
                last_version: Some(Version(3)),
            })
            .expect("serialise")
        ),
        Just(push(Mutation::CreatePriority {
            id,
            title: "Fuzzed".into(),
            horizon: horizon(),
        })),
        Just(push(Mutation::UpdatePriority {
            id,
            patch: PriorityPatch {
                summary: Some("s".into()),
                ..PriorityPatch::default()
            },
        })),
        Just(push(Mutation::MovePriority { id, index: 3 })),
        Just(json!({"type": "presence", "viewing": id, "editing": null})),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        Just(json!([])),
        Just(json!({})),
        Just(json!("hello")),
        Just(json!("push")),
        Just(json!(u64::MAX)),
        Just(json!(-1)),
    ]
}

/// One change somewhere in a JSON tree: `path` picks the node by walking.
#[derive(Clone, Debug)]
enum Damage {
    Replace(Vec<usize>, Value),
    Remove(Vec<usize>),
    Insert(Vec<usize>, String, Value),
}

fn damage() -> impl Strategy<Value = Damage> {
    let path = prop::collection::vec(0usize..8, 0..5);
    prop_oneof![
        (path.clone(), scalar()).prop_map(|(p, v)| Damage::Replace(p, v)),
        path.clone().prop_map(Damage::Remove),
        (path, "[a-z_]{1,10}", scalar()).prop_map(|(p, k, v)| Damage::Insert(p, k, v)),
    ]
}

fn apply_damage(value: &mut Value, damage: &Damage) {
    fn walk<'a>(mut node: &'a mut Value, path: &[usize]) -> (&'a mut Value, Option<usize>) {
        let mut last = None;
        for step in path {
            let len = match &*node {
                Value::Object(m) => m.len(),
                Value::Array(a) => a.len(),
                _ => break,
            };
            if len == 0 {
                break;
            }
            let i = step % len;
            last = Some(i);
            let is_leaf = match &*node {
                Value::Object(m) => !m
                    .values()
                    .nth(i)
                    .is_some_and(|c| c.is_object() || c.is_array()),
                Value::Array(a) => !(a[i].is_object() || a[i].is_array()),
                _ => true,
            };
            if is_leaf {
                return (node, last);
            }
            node = match node {
                Value::Object(m) => m.values_mut().nth(i).expect("index in range"),
                Value::Array(a) => &mut a[i],
                _ => unreachable!("checked above"),
            };
            last = None;
        }
        (node, last)
    }
    match damage {
        Damage::Replace(path, v) => {
            let (node, child) = walk(value, path);
            match (node, child) {
                (Value::Object(m), Some(i)) => {
                    if let Some(slot) = m.values_mut().nth(i) {
                        *slot = v.clone();
                    }
                }
                (Value::Array(a), Some(i)) => a[i] = v.clone(),
                (node, _) => *node = v.clone(),
            }
        }
        Damage::Remove(path) => {
            let (node, child) = walk(value, path);
            match (node, child) {
                (Value::Object(m), Some(i)) => {
                    if let Some(key) = m.keys().nth(i).cloned() {
                        m.remove(&key);
                    }
                }
                (Value::Array(a), Some(i)) => {
                    a.remove(i);
                }
                _ => {}
            }
        }
        Damage::Insert(path, key, v) => {
            let (node, _) = walk(value, path);
            if let Value::Object(m) = node {
                m.insert(key.clone(), v.clone());
            }
        }
    }
}

fn frame(client_id: ClientId) -> impl Strategy<Value = Frame> {
    prop_oneof![
        3 => (valid_message(client_id), prop::collection::vec(damage(), 1..4)).prop_map(
            |(mut value, damages)| {
                for d in &damages {
                    apply_damage(&mut value, d);
                }
                Frame::Text(value.to_string())
            }
        ),
        2 => any::<String>().prop_map(Frame::Text),
        1 => "[{}\\[\\]\":,a-z0-9 ]{0,80}".prop_map(Frame::Text),
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Frame::Binary),
    ]
}

/// An error frame with one of the `allowed` codes, then the close.
async fn expect_error(socket: &mut Socket, allowed: &[ErrorCode]) -> Result<(), String> {
    match next_message(socket).await {
        Some(ServerMessage::Error { code, .. }) if allowed.contains(&code) => {}
        other => return Err(format!("expected an error {allowed:?}, got {other:?}")),
    }
    match next_message(socket).await {
        None => Ok(()),
        Some(other) => Err(format!(
            "the connection stays open after the error: {other:?}"
        )),
    }
}

/// What one connection must see for one frame.
async fn check_frame(
    server: &TestServer,
    cookie: &str,
    client_id: ClientId,
    after_hello: bool,
    frame: &Frame,
) -> Result<(), String> {
    let mut socket = None;
    for _ in 0..200 {
        match connect_raw(server, Some(cookie), None).await {
            Ok(s) => {
                socket = Some(s);
                break;
            }
            // Connections of earlier cases may still hold their slots.
            Err(e) if e.to_string().contains("429") => {
                tokio::time::sleep(Duration::from_millis(10)).await
            }
            Err(e) => return Err(format!("upgrade refused: {e}")),
        }
    }
    let mut socket = socket.ok_or("connection slots were never released")?;
    if after_hello {
        let hello = ClientMessage::Hello {
            protocol: PROTOCOL_VERSION,
            client_id,
            last_version: None,
        };
        send(&mut socket, &hello).await;
        for _ in 0..2 {
            next_message(&mut socket).await.ok_or("no welcome")?;
        }
    }
    let (message, oracle) = match frame {
        Frame::Text(text) => (
            Message::text(text.clone()),
            Some(ClientMessage::decode(text)),
        ),
        Frame::Binary(bytes) => (Message::binary(bytes.clone()), None),
    };
    socket
        .send(message)
        .await
        .map_err(|e| format!("send: {e}"))?;

    match (oracle, after_hello) {
        (None, _) => expect_error(&mut socket, &[ErrorCode::Malformed]).await,
        (Some(Err(e)), _) => expect_error(&mut socket, &[e.code()]).await,
        (Some(Ok(ClientMessage::Hello { protocol, .. })), false) => {
            if protocol != PROTOCOL_VERSION {
                return expect_error(&mut socket, &[ErrorCode::ProtocolMismatch]).await;
            }
            match next_message(&mut socket).await {
                Some(ServerMessage::Welcome { .. }) => Ok(()),
                other => Err(format!("a valid hello is welcomed, got {other:?}")),
            }
        }
        (Some(Ok(_)), false) => expect_error(&mut socket, &[ErrorCode::HelloRequired]).await,
        (Some(Ok(ClientMessage::Hello { .. })), true) => {
            expect_error(&mut socket, &[ErrorCode::Malformed]).await
        }
        (Some(Ok(_)), true) => {
            // A decodable push or presence: either refused with a reason
            // (too many, a seq far past the window, another person's
            // client id) or the connection goes on,
            // which a sentinel push shows.
            let sentinel = Envelope {
                client_id,
                seq: Seq(1_000_000),
                mutation: Mutation::RenamePriority {
                    id: PriorityId(uuid::Uuid::from_u128(1)),
                    title: "sentinel".into(),
                },
            };
            let _ = send(
                &mut socket,
                &ClientMessage::Push {
                    mutations: vec![sentinel],
                },
            )
            .await;
            loop {
                match next_message(&mut socket).await {
                    Some(ServerMessage::Ack { seq, .. } | ServerMessage::Rejected { seq, .. })
                        if seq == Seq(1_000_000) =>
                    {
                        let _ = socket.close(None).await;
                        return Ok(());
                    }
                    Some(
                        ServerMessage::Ack { .. }
                        | ServerMessage::Rejected { .. }
                        | ServerMessage::Entries { .. },
                    ) => {}
                    Some(ServerMessage::Error {
                        code:
                            ErrorCode::Malformed
                            | ErrorCode::BatchTooLarge
                            | ErrorCode::SeqOutOfWindow
                            | ErrorCode::ClientIdTaken,
                        ..
                    }) => {
                        return match next_message(&mut socket).await {
                            None => Ok(()),
                            Some(m) => Err(format!("open after the error: {m:?}")),
                        };
                    }
                    other => {
                        return Err(format!("unexpected answer to a decodable frame: {other:?}"));
                    }
                }
            }
        }
    }
}

/// A connection that reads everything in the background and must see
/// nothing but presence and entries; at the end it still writes.
fn bystander(
    mut client: SyncClient,
    stop: tokio::sync::oneshot::Receiver<()>,
) -> tokio::task::JoinHandle<SyncClient> {
    tokio::spawn(async move {
        let mut stop = stop;
        loop {
            tokio::select! {
                _ = &mut stop => break,
                frame = client.stream.next() => match frame {
                    Some(Ok(Message::Text(text))) => {
                        let message: ServerMessage = serde_json::from_str(&text).expect("readable JSON");
                        if let ServerMessage::Entries { entries } = &message
                            && let Some(last) = entries.last()
                        {
                            assert_eq!(last.version.0, client.version.0 + entries.len() as u64, "entries without gaps");
                            client.version = last.version;
                        }
                        assert!(
                            matches!(message, ServerMessage::Presence { .. } | ServerMessage::Entries { .. }),
                            "the bystander got {message:?}"
                        );
                    }
                    Some(Ok(_)) => {}
                    other => panic!("the bystander's connection ended: {other:?}"),
                },
            }
        }
        let envelope = client.envelope(Mutation::CreatePriority {
            id: PriorityId(uuid::Uuid::now_v7()),
            title: "Still working".into(),
            horizon: horizon(),
        });
        client.push(vec![envelope.clone()]).await;
        client.ack(envelope.seq).await;
        client
    })
}

#[test]
fn random_and_malformed_frames_close_only_their_connection() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (server, cookie, watcher, stop) = runtime.block_on(async {
        let server = TestServer::start().await;
        let cookie = server.sign_up_secretariat().await;
        let (client, _) = SyncClient::connect(&server, &cookie).await;
        let (stop, rx) = tokio::sync::oneshot::channel();
        (server, cookie, bystander(client, rx), stop)
    });
    let client_id = new_client_id();
    let mut runner = TestRunner::new(Config {
        cases: 1500,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (any::<bool>(), frame(client_id));
    let outcome = runner.run(&strategy, |(after_hello, frame)| {
        runtime
            .block_on(check_frame(
                &server,
                &cookie,
                client_id,
                after_hello,
                &frame,
            ))
            .map_err(TestCaseError::fail)
    });
    if let Err(e) = outcome {
        panic!("{e}\nserver log:\n{}", server.log());
    }
    runtime.block_on(async {
        let _ = stop.send(());
        tokio::time::timeout(WAIT, watcher)
            .await
            .expect("the bystander finishes")
            .expect("the bystander saw nothing wrong");
        assert_eq!(http::get(&server.url, "/healthz", None).await.status, 200);
    });
}

// ---------------------------------------------------------------------------
// Random and malformed HTTP bodies
// ---------------------------------------------------------------------------

fn http_case() -> impl Strategy<Value = (&'static str, String, Vec<u8>, &'static str)> {
    let path = prop_oneof![
        Just("/api/setup".to_owned()),
        Just("/api/session".to_owned()),
        Just("/api/me/password".to_owned()),
        Just("/api/invitations".to_owned()),
        "[A-Za-z0-9_-]{0,48}".prop_map(|t| format!("/api/invitations/{t}/accept")),
        "[A-Za-z0-9_-]{0,48}".prop_map(|t| format!("/api/invitations/{t}")),
        "[A-Za-z0-9_-]{0,40}".prop_map(|t| format!("/api/users/{t}/role")),
        "[A-Za-z0-9_-]{0,40}".prop_map(|t| format!("/api/meetings/{t}/ics")),
        "[A-Za-z0-9_.-]{0,40}".prop_map(|t| format!("/calendar/{t}")),
        Just("/api/me/calendar-feed".to_owned()),
    ];
    let valid = prop_oneof![
        Just(
            json!({"token": "abc", "name": "N", "email": "a@b.test", "password": "a long test password"})
        ),
        Just(json!({"email": "a@b.test", "password": "wrong password here"})),
        Just(json!({"email": "x@y.test", "role": "observer"})),
        Just(json!({"role": "secretariat"})),
        Just(json!({"current": "a", "new": "b"})),
    ];
    let body = prop_oneof![
        (valid, prop::collection::vec(damage(), 0..4)).prop_map(|(mut v, ds)| {
            for d in &ds {
                apply_damage(&mut v, d);
            }
            v.to_string().into_bytes()
        }),
        prop::collection::vec(any::<u8>(), 0..256),
        any::<String>().prop_map(String::into_bytes),
    ];
    let method = prop_oneof![Just("POST"), Just("PUT"), Just("GET"), Just("DELETE")];
    let content_type = prop_oneof![
        Just("application/json"),
        Just("text/plain"),
        Just("application/x-www-form-urlencoded"),
        Just("application/json; charset=latin1"),
    ];
    (method, path, body, content_type)
}

#[test]
fn random_and_malformed_http_bodies_get_a_client_error() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (server, cookie) = runtime.block_on(async {
        let server = TestServer::start().await;
        let cookie = server.sign_up_secretariat().await;
        (server, cookie)
    });
    let mut runner = TestRunner::new(Config {
        cases: 1000,
        failure_persistence: None,
        ..Config::default()
    });
    let outcome = runner.run(
        &(http_case(), any::<bool>()),
        |((method, path, body, content_type), signed_in)| {
            let mut headers = vec![("Content-Type", content_type)];
            if signed_in {
                headers.push(("Cookie", cookie.as_str()));
            }
            let response = runtime.block_on(http::request(
                &server.url,
                method,
                &path,
                &headers,
                Some(&body),
            ));
            prop_assert!(
                response.status < 500,
                "{method} {path} answered {}: {}",
                response.status,
                response.text()
            );
            if response.status >= 400 {
                prop_assert!(
                    !response.body.is_empty(),
                    "{method} {path}: a refusal says why"
                );
            }
            Ok(())
        },
    );
    if let Err(e) = outcome {
        panic!("{e}\nserver log:\n{}", server.log());
    }
    runtime.block_on(async {
        // (A random case may have signed the secretariat out: that is a
        // valid request, so only the server itself is checked here.)
        assert_eq!(http::get(&server.url, "/healthz", None).await.status, 200);
        assert!(
            !server.log().contains("panicked"),
            "the server panicked:\n{}",
            server.log()
        );
    });
}

// ---------------------------------------------------------------------------
// A client that stops reading
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_dropped_and_slows_no_one() {
    let server = TestServer::start_with(&["--no-demo", "--send-timeout-secs", "2"]).await;
    let cookie = server.sign_up_secretariat().await;
    let rss_before = server.rss_bytes().expect("server memory readable");

    // The slow client says hello, takes its snapshot, then never reads again.
    let (slow, _) = SyncClient::connect(&server, &cookie).await;
    let (watcher, _) = SyncClient::connect(&server, &cookie).await;
    let (stop, rx) = tokio::sync::oneshot::channel();
    let watcher = bystander(watcher, rx);

    let (mut writer, _) = SyncClient::connect(&server, &cookie).await;
    let id = PriorityId(uuid::Uuid::now_v7());
    let create = writer.envelope(Mutation::CreatePriority {
        id,
        title: "Large descriptions".into(),
        horizon: horizon(),
    });
    writer.push(vec![create.clone()]).await;
    writer.ack(create.seq).await;

    // ~19 KB per entry; write until the server has dropped the slow client.
    let stalled = "ara_slow_disconnects_total{reason=\"stalled\"}";
    let mut dropped = false;
    let mut written_bytes = 0usize;
    for round in 0..400 {
        let batch: Vec<Envelope> = (0..25)
            .map(|i| {
                writer.envelope(Mutation::UpdatePriority {
                    id,
                    patch: PriorityPatch {
                        description: Some(format!("{round}-{i} {}", "x".repeat(19_000))),
                        ..PriorityPatch::default()
                    },
                })
            })
            .collect();
        written_bytes += 25 * 19_000;
        let last = batch.last().expect("non-empty").seq;
        writer.push(batch).await;
        writer.ack(last).await;
        let metrics = http::get(&server.url, "/metrics", None).await.text();
        if http::metric(&metrics, stalled) == 1 {
            dropped = true;
            break;
        }
    }
    assert!(
        dropped,
        "the slow client was not dropped after {} MB of fan-out:\n{}",
        written_bytes >> 20,
        server.log()
    );
    assert!(
        server
            .log()
            .contains("closing a sync connection that stopped reading"),
        "the server says why it dropped the connection:\n{}",
        server.log()
    );
    // Its slot is given back once the close attempt is over.
    ara_tests::eventually(
        WAIT,
        "the slow client's connection to be released",
        || async {
            let metrics = http::get(&server.url, "/metrics", None).await.text();
            (http::metric(&metrics, "ara_connected_clients") == 2).then_some(())
        },
    )
    .await;

    // The others got everything, in order, and still work.
    let _ = stop.send(());
    let watcher = tokio::time::timeout(WAIT, watcher)
        .await
        .expect("the watcher finishes")
        .expect("the watcher saw nothing wrong");
    assert_eq!(
        watcher.version,
        Version(writer.version.0 + 1),
        "the watcher saw every entry"
    );

    // The slow client, reading again, finds its connection closed.
    let mut slow = slow;
    let mut frames = 0;
    loop {
        match tokio::time::timeout(WAIT, slow.stream.next()).await {
            Ok(Some(Ok(_))) => frames += 1,
            Ok(Some(Err(_)) | None) => break,
            Err(_) => panic!("the slow client's connection is still open after {frames} frames"),
        }
        assert!(frames < 100_000, "the slow client's connection never ends");
    }

    let rss_after = server.rss_bytes().expect("server memory readable");
    assert!(
        rss_after < rss_before + (128 << 20),
        "the server grew from {} MB to {} MB",
        rss_before >> 20,
        rss_after >> 20
    );
}
