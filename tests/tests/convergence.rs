//! The real replica against the real server: three people (the secretariat,
//! a region editor, and an observer whose altered client edits anyway) edit
//! the demo programme at the same time, go offline, edit offline and come
//! back. In the end every replica shows exactly the server's state, and the
//! server's state is its log applied in order.

use std::time::Duration;

use ara_shared::protocol::{ClientMessage, PROTOCOL_VERSION, ServerMessage};
use ara_shared::{
    Actor, CommentId, Context, LogEntry, Mutation, PriorityId, PriorityPatch, PriorityStatus,
    Replica, Role, State, Version,
};
use ara_tests::server::TestServer;
use ara_tests::ws::{SyncClient, connect_raw, new_client_id};
use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;

/// A small deterministic random source, so a failure can be replayed.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// One person's app: the replica and, when online, its connection.
struct Person {
    name: &'static str,
    cookie: String,
    replica: Replica,
    conn: Option<SyncClient>,
}

impl Person {
    /// What the app does with one server message.
    fn receive(&mut self, message: ServerMessage) -> bool {
        let r = &mut self.replica;
        match message {
            ServerMessage::Welcome {
                actor, applied_seq, ..
            } => {
                r.connection_reset();
                // The altered client ignores who the server says it is.
                if self.name != "altered" {
                    r.set_actor(actor);
                }
                if let Some(seq) = applied_seq {
                    r.applied_up_to(seq);
                }
            }
            ServerMessage::Snapshot { version, state } => {
                r.receive_snapshot(version, *state);
            }
            // A gap (false): the app reconnects to catch up.
            ServerMessage::Entries { entries } => return r.receive_entries(&entries).is_ok(),
            ServerMessage::Ack { seq, version } if version <= r.version() => {
                r.applied_up_to(seq);
            }
            ServerMessage::Rejected { seq, .. } => {
                r.receive_rejection(seq);
            }
            _ => {}
        }
        true
    }

    async fn connect(&mut self, server: &TestServer) {
        let stream = connect_raw(server, Some(&self.cookie), None)
            .await
            .expect("sync connection");
        let mut conn = SyncClient::ungreeted(stream);
        let last_version = (self.replica.version() > Version(0)).then(|| self.replica.version());
        conn.send(&ClientMessage::Hello {
            protocol: PROTOCOL_VERSION,
            client_id: self.replica.client_id(),
            last_version,
        })
        .await;
        self.conn = Some(conn);
    }

    /// Sends what is pending and not yet sent on this connection.
    async fn send(&mut self) {
        if let Some(conn) = &mut self.conn {
            let mutations = self.replica.take_unsent();
            if !mutations.is_empty() {
                conn.send(&ClientMessage::Push { mutations }).await;
            }
        }
    }

    /// Reads what has arrived, waiting at most `wait` for each message.
    async fn read(&mut self, server: &TestServer, wait: Duration) {
        loop {
            let Some(conn) = &mut self.conn else { return };
            let frame = match tokio::time::timeout(wait, conn.stream.next()).await {
                Err(_) => return,
                Ok(frame) => frame,
            };
            let message = match frame {
                Some(Ok(Message::Text(text))) => {
                    serde_json::from_str::<ServerMessage>(&text).expect("a server message")
                }
                Some(Ok(_)) => continue,
                _ => {
                    // Closed: reconnect, as the app does.
                    self.conn = None;
                    self.connect(server).await;
                    continue;
                }
            };
            if !self.receive(message) {
                self.conn = None;
                self.connect(server).await;
            }
        }
    }
}

fn edit(dice: &mut Dice, view: &State, who: &Actor) -> Option<Mutation> {
    let ids: Vec<PriorityId> = view.programme_order.clone();
    let id = *ids.get(dice.roll(ids.len().max(1)))?;
    let regions: Vec<_> = view.regions.keys().copied().collect();
    Some(match dice.roll(7) {
        0 => Mutation::RenamePriority {
            id,
            title: ["Skills pact", "Battery value chain", "", "Charging"][dice.roll(4)].into(),
        },
        1 => Mutation::SetPriorityStatus {
            id,
            status: PriorityStatus::ALL[dice.roll(5)],
        },
        2 => Mutation::MovePriority {
            id,
            index: dice.roll(25) as u32,
        },
        3 => Mutation::UpdatePriority {
            id,
            patch: PriorityPatch {
                summary: Some(format!("Edited by {}", who.name)),
                ..PriorityPatch::default()
            },
        },
        4 => Mutation::AddComment {
            priority: id,
            id: CommentId(uuid::Uuid::now_v7()),
            text: format!("{} agrees", who.name),
        },
        5 => Mutation::EndorsePriority {
            id,
            region: regions[dice.roll(regions.len())],
            endorse: dice.roll(2) == 0,
        },
        _ => Mutation::CreatePriority {
            id: PriorityId(uuid::Uuid::now_v7()),
            title: format!("New from {}", who.name),
            horizon: view.priorities[&id].horizon,
        },
    })
}

#[tokio::test]
async fn three_people_editing_online_and_offline_converge_with_the_server() {
    let server = TestServer::start_with(&[]).await;
    let secretariat = server.sign_up_secretariat().await;
    let (_, snapshot) = SyncClient::connect(&server, &secretariat).await;
    let ServerMessage::Snapshot { state, .. } = snapshot else {
        panic!("snapshot expected")
    };
    let region = *state.regions.keys().next().expect("demo regions");
    let invited = ara_tests::http::post_json(
        &server.url,
        "/api/invitations",
        Some(&secretariat),
        &serde_json::json!({"email": "rita@ara.test", "role": "region_editor", "region": region}),
    )
    .await;
    let token = invited.json::<serde_json::Value>()["link"]
        .as_str()
        .and_then(|l| l.split('#').nth(1))
        .expect("an invitation token")
        .to_owned();
    let accepted = ara_tests::http::post_json(
        &server.url,
        &format!("/api/invitations/{token}/accept"),
        None,
        &serde_json::json!({"name": "Rita", "password": ara_tests::server::TEST_PASSWORD}),
    )
    .await;
    let rita = accepted.cookie().expect("session");
    let olga = server
        .invite(&secretariat, "Olga", "olga@ara.test", Role::Observer)
        .await;

    let believed = |name: &str, role: Role, region| Actor {
        user: ara_shared::UserId(uuid::Uuid::now_v7()),
        name: name.into(),
        role,
        region,
    };
    let mut people = vec![
        Person {
            name: "secretariat",
            cookie: secretariat,
            replica: Replica::new(new_client_id(), believed("Sabine", Role::Secretariat, None)),
            conn: None,
        },
        Person {
            name: "editor",
            cookie: rita,
            replica: Replica::new(
                new_client_id(),
                believed("Rita", Role::RegionEditor, Some(region)),
            ),
            conn: None,
        },
        Person {
            name: "altered",
            cookie: olga,
            // An observer whose app was altered to believe it is the secretariat.
            replica: Replica::new(new_client_id(), believed("Olga", Role::Secretariat, None)),
            conn: None,
        },
    ];
    for p in &mut people {
        p.connect(&server).await;
    }
    let short = Duration::from_millis(5);
    let mut dice = Dice(0x5eed_a11a_2025);
    for _ in 0..240 {
        let who = dice.roll(people.len());
        let p = &mut people[who];
        match dice.roll(10) {
            0..=4 => {
                if let Some(m) = edit(&mut dice, p.replica.view(), p.replica.actor()) {
                    let _ = p.replica.propose(m, 0);
                }
            }
            5 | 6 => p.send().await,
            7 => p.read(&server, short).await,
            // Offline: the connection drops, edits go on locally.
            8 => p.conn = None,
            _ => {
                if p.conn.is_none() {
                    p.connect(&server).await;
                }
            }
        }
    }

    // Everyone comes back and syncs until nothing is pending.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        for p in &mut people {
            if p.conn.is_none() {
                p.connect(&server).await;
            }
            p.read(&server, Duration::from_millis(100)).await;
            p.send().await;
            p.read(&server, Duration::from_millis(100)).await;
        }
        let version = log_length(&server).await;
        let settled = people
            .iter()
            .all(|p| p.replica.pending().is_empty() && p.replica.version() == version);
        if settled {
            let (_, snapshot) = SyncClient::connect(&server, &people[0].cookie).await;
            let ServerMessage::Snapshot { version: at, state } = snapshot else {
                panic!("snapshot expected")
            };
            assert_eq!(at, version);
            for p in &people {
                assert_eq!(
                    p.replica.confirmed(),
                    &*state,
                    "{}'s confirmed state",
                    p.name
                );
                assert_eq!(p.replica.view(), &*state, "what {} sees", p.name);
            }
            assert_server_state_is_its_log(&server, &people[0].cookie, version, &state).await;
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the replicas did not settle: {:?}",
            people
                .iter()
                .map(|p| (p.name, p.replica.pending().len(), p.replica.version()))
                .collect::<Vec<_>>()
        );
    }
}

/// The server's durable version, from its metrics.
async fn log_length(server: &TestServer) -> Version {
    let metrics = ara_tests::http::get(&server.url, "/metrics", None)
        .await
        .text();
    let length = metrics
        .lines()
        .find_map(|l| l.strip_prefix("ara_log_length "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("ara_log_length in {metrics}"));
    Version(length)
}

/// The server's state equals its whole log applied in order, and nothing
/// the altered observer client sent is in it.
async fn assert_server_state_is_its_log(
    server: &TestServer,
    cookie: &str,
    version: Version,
    state: &State,
) {
    let (mut client, first) =
        SyncClient::connect_as(server, cookie, new_client_id(), Some(Version(0))).await;
    let mut entries: Vec<LogEntry> = Vec::new();
    let mut message = first;
    loop {
        if let ServerMessage::Entries { entries: chunk } = message {
            entries.extend(chunk);
        }
        if entries.last().map_or(Version(0), |e| e.version) >= version {
            break;
        }
        message = client.recv().await;
    }
    let mut replayed = State::default();
    for entry in &entries {
        assert_ne!(
            entry.actor.role,
            Role::Observer,
            "an observer changed something"
        );
        let ctx = Context {
            actor: &entry.actor,
            now_ms: entry.at_ms,
        };
        replayed
            .apply(&entry.mutation, &ctx)
            .unwrap_or_else(|r| panic!("entry {} does not replay: {r:?}", entry.version));
    }
    assert_eq!(&replayed, state);
}
