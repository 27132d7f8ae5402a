//! Convergence with every kind of mutation and every role: four clients — the
//! secretariat, two region editors and an altered client that believes it is
//! the secretariat while the server knows it as an observer — propose
//! generated mutations (many refused, locally or by the server), go offline
//! for a while, lose messages on reconnect, and catch up from entries or a
//! snapshot. Whatever the interleaving, every replica ends with the server's
//! state, nothing is pending, nothing is applied twice, and the server's
//! state is exactly `State::apply` of its log in server order.

mod common;

use std::collections::{HashSet, VecDeque};

use ara_shared::protocol::ServerMessage;
use ara_shared::sequencer::Sequencer;
use ara_shared::{
    Actor, ClientId, Context, Envelope, LogEntry, Mutation, Replica, Seq, State, Version,
};
use common::{any_mutation, base, editor, observer, secretariat};
use proptest::prelude::*;

const CLIENTS: usize = 4;
/// The altered client: its replica acts as the secretariat, the server
/// applies its pushes as an observer.
const ALTERED: usize = 3;

/// Who the server applies a client's mutations for (from its session).
fn server_actor(client: usize) -> Actor {
    match client {
        0 => secretariat(),
        1 => editor(0, 2),
        2 => editor(1, 3),
        _ => observer(),
    }
}

/// Who the client's replica believes it is.
fn replica_actor(client: usize) -> Actor {
    if client == ALTERED {
        secretariat()
    } else {
        server_actor(client)
    }
}

fn client_id(client: usize) -> ClientId {
    ClientId::from_parts(100 + client as u64, [client as u8 + 1; 10])
}

/// The server's sequencer core (`ara_shared::sequencer`: one order, dedup
/// by `(client, seq)`, client ids, validation with the client's real role)
/// with an in-memory log, fan-out and catch-up.
struct Server {
    core: Sequencer,
    log: Vec<LogEntry>,
    /// Pushes on the wire, per sending client, not yet processed.
    inbox: Vec<VecDeque<Vec<Envelope>>>,
    /// Messages on the wire to each client.
    outbox: Vec<VecDeque<ServerMessage>>,
}

impl Server {
    fn new() -> Self {
        let mut server = Self {
            core: Sequencer::new(),
            log: Vec::new(),
            inbox: vec![VecDeque::new(); CLIENTS],
            outbox: vec![VecDeque::new(); CLIENTS],
        };
        // The world everyone starts from, written by a fifth client.
        let setup = ClientId::from_parts(99, [99; 10]);
        let envelopes = base()
            .into_iter()
            .enumerate()
            .map(|(i, mutation)| Envelope {
                client_id: setup,
                seq: Seq(i as u64 + 1),
                mutation,
            })
            .collect();
        server.apply(0, envelopes, None);
        assert_eq!(server.log.len(), base().len(), "the whole base applies");
        server
    }

    /// Applies envelopes in order as `client`'s session; answers go to
    /// `reply` (none for the setup).
    fn apply(&mut self, client: usize, envelopes: Vec<Envelope>, reply: Option<usize>) {
        let actor = server_actor(client);
        for envelope in envelopes {
            let at_ms = self.log.len() as i64;
            let answer = common::serve(
                &mut self.core,
                &mut self.log,
                &mut self.outbox,
                &actor,
                envelope,
                at_ms,
            );
            if let Some(to) = reply {
                self.outbox[to].push_back(answer);
            }
        }
    }

    fn process(&mut self, client: usize) {
        while let Some(envelopes) = self.inbox[client].pop_front() {
            self.apply(client, envelopes, Some(client));
        }
    }

    /// A new connection: what was on the wire to the client is lost; it
    /// learns its last applied seq and catches up from its version, or
    /// gets the whole state.
    fn reconnect(&mut self, client: usize, replica: &mut Replica, snapshot: bool) {
        self.outbox[client].clear();
        let applied = self.core.clients().get(replica.client_id());
        if let Some((seq, _)) = applied.and_then(|record| record.applied) {
            replica.applied_up_to(seq);
        }
        if snapshot {
            replica.receive_snapshot(self.core.version(), self.core.state().clone());
        } else {
            let from = usize::try_from(replica.version().0).expect("small");
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
    Propose {
        client: usize,
        mutation: Box<Mutation>,
    },
    Send {
        client: usize,
    },
    Deliver {
        client: usize,
        count: u8,
    },
    Process {
        client: usize,
    },
    /// The connection drops; the client keeps editing offline.
    GoOffline {
        client: usize,
    },
    Reconnect {
        client: usize,
        snapshot: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let c = 0..CLIENTS;
    prop_oneof![
        10 => (c.clone(), any_mutation()).prop_map(|(client, mutation)| Op::Propose { client, mutation: Box::new(mutation) }),
        2 => c.clone().prop_map(|client| Op::Send { client }),
        3 => (c.clone(), 1..8u8).prop_map(|(client, count)| Op::Deliver { client, count }),
        2 => c.clone().prop_map(|client| Op::Process { client }),
        1 => c.clone().prop_map(|client| Op::GoOffline { client }),
        1 => (c, any::<bool>()).prop_map(|(client, snapshot)| Op::Reconnect { client, snapshot }),
    ]
}

fn run(ops: Vec<Op>) -> (Server, Vec<Replica>) {
    let mut server = Server::new();
    let mut replicas: Vec<Replica> = (0..CLIENTS)
        .map(|n| Replica::new(client_id(n), replica_actor(n)))
        .collect();
    // Everyone starts connected and caught up with the world.
    for (client, replica) in replicas.iter_mut().enumerate() {
        server.reconnect(client, replica, false);
    }
    let mut online = [true; CLIENTS];
    for op in ops {
        match op {
            Op::Propose { client, mutation } => {
                // Refused locally or not, the person may try anything.
                let _ = replicas[client].propose(*mutation, 0);
            }
            Op::Send { client } if online[client] => {
                let unsent = replicas[client].take_unsent();
                if !unsent.is_empty() {
                    server.inbox[client].push_back(unsent);
                }
            }
            Op::Deliver { client, count } if online[client] => {
                for _ in 0..count {
                    let Some(message) = server.outbox[client].pop_front() else {
                        break;
                    };
                    deliver(&mut replicas[client], message);
                }
            }
            Op::Process { client } => server.process(client),
            Op::GoOffline { client } => online[client] = false,
            Op::Reconnect { client, snapshot } => {
                server.reconnect(client, &mut replicas[client], snapshot);
                online[client] = true;
            }
            Op::Send { .. } | Op::Deliver { .. } => {}
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
            server.apply(client, unsent, Some(client));
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
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_replica_and_the_server_converge(ops in prop::collection::vec(op(), 0..240)) {
        let (server, replicas) = run(ops);

        // The server's state is its log applied in order, from nothing.
        let mut replayed = State::default();
        for entry in &server.log {
            let ctx = Context { actor: &entry.actor, now_ms: entry.at_ms };
            prop_assert!(replayed.apply(&entry.mutation, &ctx).is_ok(), "log entry {} does not replay", entry.version);
        }
        prop_assert_eq!(&replayed, server.core.state());

        for (n, replica) in replicas.iter().enumerate() {
            prop_assert!(replica.pending().is_empty(), "client {} has pending {:?}", n, replica.pending());
            prop_assert_eq!(replica.version(), Version(server.log.len() as u64));
            prop_assert_eq!(replica.confirmed(), server.core.state());
            prop_assert_eq!(replica.view(), server.core.state());
        }

        let mut seen = HashSet::new();
        for entry in &server.log {
            prop_assert!(seen.insert((entry.client_id, entry.seq)), "{:?} applied twice", (entry.client_id, entry.seq));
            prop_assert!(entry.client_id != client_id(ALTERED), "the observer's altered client changed something");
        }
    }
}
