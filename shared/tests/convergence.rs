//! Property tests of the sync design with the real `Replica`, the real
//! rules and the server's real sequencer core (ordering, dedup by
//! `(client_id, seq)`), with a simulated network (fan-out, lost messages on
//! disconnect, catch-up): whatever the interleaving
//! of several clients' edits, deliveries, refusals and reconnects, every
//! replica ends with the server's state and nothing pending.

mod common;

use std::collections::VecDeque;

use ara_shared::protocol::ServerMessage;
use ara_shared::sequencer::Sequencer;
use ara_shared::{
    Actor, ClientId, Envelope, Horizon, LogEntry, Mutation, PriorityId, PriorityStatus, Quarter,
    Replica, Role, Term, UserId, Version,
};
use proptest::prelude::*;

const CLIENTS: usize = 3;
const IDS: u8 = 4;

fn actor(n: usize) -> Actor {
    Actor {
        user: UserId::from_parts(n as u64, [n as u8; 10]),
        name: format!("Person {n}"),
        role: Role::RegionEditor,
        region: None,
    }
}

fn pid(n: u8) -> PriorityId {
    PriorityId::from_parts(1_000 + u64::from(n), [n; 10])
}

fn horizon() -> Horizon {
    Horizon {
        term: Term::Short,
        start: Quarter::new(2026, 1).expect("valid"),
        end: Quarter::new(2026, 4).expect("valid"),
    }
}

/// The server's sequencer core (`ara_shared::sequencer`: order, dedup by
/// `(client_id, seq)`, client ids), with an in-memory log, fan-out and a
/// network that loses messages on a reconnect.
#[derive(Default)]
struct Server {
    core: Sequencer,
    log: Vec<LogEntry>,
    /// Pushes on the wire, not yet processed (they survive a reconnect: the
    /// old connection's frames may still arrive).
    inbox: Vec<VecDeque<(usize, Vec<Envelope>)>>,
    outbox: Vec<VecDeque<ServerMessage>>,
}

impl Server {
    fn push(&mut self, from: usize, envelopes: Vec<Envelope>) {
        let who = actor(from);
        for envelope in envelopes {
            let answer = common::serve(
                &mut self.core,
                &mut self.log,
                &mut self.outbox,
                &who,
                envelope,
                0,
            );
            self.outbox[from].push_back(answer);
        }
    }

    fn process(&mut self, client: usize) {
        while let Some((from, envelopes)) = self.inbox[client].pop_front() {
            self.push(from, envelopes);
        }
    }

    /// A reconnect: messages to the client are lost; it catches up from its
    /// version (entries) or, when `snapshot`, gets the whole state.
    fn reconnect(&mut self, client: usize, replica: &mut Replica, snapshot: bool) {
        self.outbox[client].clear();
        let applied = self.core.clients().get(replica.client_id());
        if let Some((seq, _)) = applied.and_then(|record| record.applied) {
            replica.applied_up_to(seq);
        }
        if snapshot {
            replica.receive_snapshot(self.core.version(), self.core.state().clone());
        } else {
            let from = replica.version().0 as usize;
            replica
                .receive_entries(&self.log[from..])
                .expect("catch-up has no gap");
        }
        replica.connection_reset();
    }
}

fn deliver(replica: &mut Replica, message: ServerMessage) {
    match message {
        ServerMessage::Entries { entries } => {
            replica
                .receive_entries(&entries)
                .expect("in-order delivery has no gap");
        }
        ServerMessage::Ack { seq, version } if version <= replica.version() => {
            replica.applied_up_to(seq);
        }
        ServerMessage::Rejected { seq, .. } => {
            replica.receive_rejection(seq);
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Op {
    Create { client: usize, id: u8, title: u8 },
    Rename { client: usize, id: u8, title: u8 },
    Status { client: usize, id: u8, status: u8 },
    Move { client: usize, id: u8, index: u8 },
    Send { client: usize },
    Deliver { client: usize, count: u8 },
    Process { client: usize },
    Reconnect { client: usize, snapshot: bool },
}

fn op() -> impl Strategy<Value = Op> {
    let c = 0..CLIENTS;
    prop_oneof![
        (c.clone(), 0..IDS, 0..4u8).prop_map(|(client, id, title)| Op::Create {
            client,
            id,
            title
        }),
        (c.clone(), 0..IDS, 0..4u8).prop_map(|(client, id, title)| Op::Rename {
            client,
            id,
            title
        }),
        (c.clone(), 0..IDS, 0..5u8).prop_map(|(client, id, status)| Op::Status {
            client,
            id,
            status
        }),
        (c.clone(), 0..IDS, 0..5u8).prop_map(|(client, id, index)| Op::Move { client, id, index }),
        c.clone().prop_map(|client| Op::Send { client }),
        (c.clone(), 1..6u8).prop_map(|(client, count)| Op::Deliver { client, count }),
        c.clone().prop_map(|client| Op::Process { client }),
        (c, any::<bool>()).prop_map(|(client, snapshot)| Op::Reconnect { client, snapshot }),
    ]
}

/// Titles include an empty one, which the rules refuse.
fn title(n: u8) -> String {
    ["Skills", "Batteries", "", "Supply chains"][usize::from(n % 4)].to_owned()
}

fn run(ops: Vec<Op>) -> (Server, Vec<Replica>) {
    let mut server = Server {
        inbox: vec![VecDeque::new(); CLIENTS],
        outbox: vec![VecDeque::new(); CLIENTS],
        ..Server::default()
    };
    let mut replicas: Vec<Replica> = (0..CLIENTS)
        .map(|n| {
            Replica::new(
                ClientId::from_parts(n as u64 + 1, [n as u8 + 1; 10]),
                actor(n),
            )
        })
        .collect();
    for op in ops {
        match op {
            Op::Create {
                client,
                id,
                title: t,
            } => {
                let _ = replicas[client].propose(
                    Mutation::CreatePriority {
                        id: pid(id),
                        title: title(t),
                        horizon: horizon(),
                    },
                    0,
                );
            }
            Op::Rename {
                client,
                id,
                title: t,
            } => {
                let _ = replicas[client].propose(
                    Mutation::RenamePriority {
                        id: pid(id),
                        title: title(t),
                    },
                    0,
                );
            }
            Op::Status { client, id, status } => {
                let status = PriorityStatus::ALL[usize::from(status % 5)];
                let _ = replicas[client].propose(
                    Mutation::SetPriorityStatus {
                        id: pid(id),
                        status,
                    },
                    0,
                );
            }
            Op::Move { client, id, index } => {
                let _ = replicas[client].propose(
                    Mutation::MovePriority {
                        id: pid(id),
                        index: u32::from(index),
                    },
                    0,
                );
            }
            Op::Send { client } => {
                let unsent = replicas[client].take_unsent();
                server.inbox[client].push_back((client, unsent));
            }
            Op::Process { client } => server.process(client),
            Op::Deliver { client, count } => {
                for _ in 0..count {
                    let Some(message) = server.outbox[client].pop_front() else {
                        break;
                    };
                    deliver(&mut replicas[client], message);
                }
            }
            Op::Reconnect { client, snapshot } => {
                server.reconnect(client, &mut replicas[client], snapshot)
            }
        }
    }
    // Everyone comes back online and everything is delivered.
    for _ in 0..4 {
        for client in 0..CLIENTS {
            server.process(client);
        }
        for (client, replica) in replicas.iter_mut().enumerate() {
            server.reconnect(client, replica, false);
            let unsent = replica.take_unsent();
            server.push(client, unsent);
        }
        for (client, replica) in replicas.iter_mut().enumerate() {
            while let Some(message) = server.outbox[client].pop_front() {
                deliver(replica, message);
            }
        }
    }
    (server, replicas)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn every_replica_converges_to_the_server_state(ops in prop::collection::vec(op(), 0..80)) {
        let (server, replicas) = run(ops);
        for replica in &replicas {
            prop_assert!(replica.pending().is_empty(), "pending left: {:?}", replica.pending());
            prop_assert_eq!(replica.version(), Version(server.log.len() as u64));
            prop_assert_eq!(replica.view(), server.core.state());
            prop_assert_eq!(replica.confirmed(), server.core.state());
        }
    }

    #[test]
    fn no_mutation_is_applied_twice(ops in prop::collection::vec(op(), 0..80)) {
        let (server, _) = run(ops);
        let mut seen = std::collections::HashSet::new();
        for entry in &server.log {
            prop_assert!(seen.insert((entry.client_id, entry.seq)), "{:?} applied twice", (entry.client_id, entry.seq));
        }
    }
}

#[test]
fn overwritten_value_is_reported_with_a_restore() {
    let mut server = Server {
        inbox: vec![VecDeque::new(); 2],
        outbox: vec![VecDeque::new(); 2],
        ..Server::default()
    };
    let mut a = Replica::new(ClientId::from_parts(1, [1; 10]), actor(0));
    let mut b = Replica::new(ClientId::from_parts(2, [2; 10]), actor(1));
    a.propose(
        Mutation::CreatePriority {
            id: pid(1),
            title: "Skills".into(),
            horizon: horizon(),
        },
        0,
    )
    .expect("valid");
    let sent = a.take_unsent();
    server.push(0, sent);
    for (client, replica) in [(0, &mut a), (1, &mut b)] {
        while let Some(m) = server.outbox[client].pop_front() {
            deliver(replica, m);
        }
    }
    // A renames, then B renames the same field later in server order.
    a.propose(
        Mutation::RenamePriority {
            id: pid(1),
            title: "Skills pact".into(),
        },
        0,
    )
    .expect("valid");
    let sent = a.take_unsent();
    server.push(0, sent);
    while let Some(m) = server.outbox[0].pop_front() {
        deliver(&mut a, m);
    }
    b.propose(
        Mutation::RenamePriority {
            id: pid(1),
            title: "Skills alliance".into(),
        },
        0,
    )
    .expect("valid");
    let sent = b.take_unsent();
    server.push(1, sent);
    let Some(ServerMessage::Entries { entries }) = server.outbox[0].pop_front() else {
        panic!("entries for A")
    };
    let rebase = a.receive_entries(&entries).expect("no gap");
    assert_eq!(
        rebase.overwritten.len(),
        1,
        "A is told its title was replaced"
    );
    let notice = &rebase.overwritten[0];
    assert_eq!(notice.yours, serde_json::json!("Skills pact"));
    assert_eq!(notice.theirs, serde_json::json!("Skills alliance"));
    assert_eq!(notice.by.name, "Person 1");
    assert_eq!(
        notice.restore,
        Some(Mutation::UpdatePriority {
            id: pid(1),
            patch: ara_shared::PriorityPatch {
                title: Some("Skills pact".into()),
                ..Default::default()
            },
        })
    );
}
