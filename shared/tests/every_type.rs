//! Every kind of mutation, generated: each type of the model and the protocol
//! survives a JSON round trip unchanged, and no generated mutation — valid,
//! wrong or refused — panics `State::apply` or changes the state when refused.

mod common;

use std::collections::BTreeMap;

use ara_shared::account::{
    AcceptInvitationRequest, AccountErrorCode, ApiErrorBody, ChangePasswordRequest, InvitationView,
    InviteRequest, SetRoleRequest, SetUpRequest, SignInRequest, UserView,
};
use ara_shared::baseline::BaselineChange;
use ara_shared::demo;
use ara_shared::history::history;
use ara_shared::protocol::{
    ClientMessage, ConnectionId, ErrorCode, PROTOCOL_VERSION, Peer, ServerMessage,
};
use ara_shared::replica::Overwrite;
use ara_shared::*;
use common::{any_mutation, base, editor, observer, secretariat};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Serialises, parses back, and checks that nothing changed on the way.
fn round_trip<T: Serialize + DeserializeOwned + std::fmt::Debug>(value: &T) -> T {
    let text = serde_json::to_string(value).expect("serialise");
    let back: T = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "{} does not parse back ({e}): {text}",
            std::any::type_name::<T>()
        )
    });
    assert_eq!(
        serde_json::to_value(&back).expect("serialise"),
        serde_json::to_value(value).expect("serialise"),
        "{} changed in a round trip",
        std::any::type_name::<T>()
    );
    back
}

fn same<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    assert_eq!(&round_trip(value), value);
}

/// The demo plus the common base: the base's regions exist in the demo
/// under other ids, and both apply.
fn demo_and_base() -> State {
    let mut state = demo::demo_state();
    let s = secretariat();
    for m in &base() {
        let _ = state.apply(
            m,
            &Context {
                actor: &s,
                now_ms: 0,
            },
        );
    }
    state
}

/// Every error code, by an exhaustive match so that a new one is not missed.
fn every_error_code() -> Vec<ErrorCode> {
    use ErrorCode::*;
    let all = [
        ProtocolMismatch,
        UnknownMessage,
        Malformed,
        TooLarge,
        BatchTooLarge,
        HelloRequired,
        Unauthorized,
        ServerShuttingDown,
        Lagging,
        ClientIdTaken,
        SeqOutOfWindow,
        StorageFull,
        StorageFailed,
        Internal,
    ];
    for code in all {
        match code {
            ProtocolMismatch | UnknownMessage | Malformed | TooLarge | BatchTooLarge
            | HelloRequired | Unauthorized | ServerShuttingDown | Lagging | ClientIdTaken
            | SeqOutOfWindow | StorageFull | StorageFailed | Internal => {}
        }
    }
    all.to_vec()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Mutations, envelopes, log entries, the changes and rejections they
    /// produce, the state after them, and every message they travel in.
    #[test]
    fn every_type_round_trips_through_json(
        steps in prop::collection::vec((any_mutation(), 0..4u8), 1..40),
    ) {
        let mut state = demo_and_base();
        let actors = [secretariat(), editor(0, 2), editor(1, 3), observer()];
        let client_id = ClientId::from_parts(1, [1; 10]);
        let mut log = Vec::new();
        for (i, (mutation, who)) in steps.into_iter().enumerate() {
            let actor = &actors[usize::from(who)];
            let envelope = Envelope { client_id, seq: Seq(i as u64 + 1), mutation };
            same(&envelope);
            same(&ClientMessage::Push { mutations: vec![envelope.clone()] });
            match state.apply(&envelope.mutation, &Context { actor, now_ms: 1_000 }) {
                Ok(changes) => {
                    for change in &changes {
                        same(change);
                        same(&change.entity);
                    }
                    let entry = LogEntry {
                        version: Version(log.len() as u64 + 1),
                        client_id,
                        seq: envelope.seq,
                        actor: actor.clone(),
                        at_ms: 1_000,
                        mutation: envelope.mutation,
                    };
                    same(&entry);
                    log.push(entry);
                }
                Err(rejection) => {
                    same(&rejection);
                    same(&ServerMessage::Rejected { seq: envelope.seq, rejection });
                }
            }
        }
        same(&state);
        same(&ServerMessage::Entries { entries: log.clone() });
        same(&ServerMessage::Snapshot { version: Version(log.len() as u64), state: Box::new(state.clone()) });
        for baseline in state.baselines.values() {
            same(baseline);
            for change in baseline.diff(&state) {
                same(&change);
            }
        }
        for term in state.chair_rotation() {
            same(&term);
        }
        for priority in state.priorities.keys() {
            for item in history(&log, &EntityRef::Priority(*priority)) {
                same(&item);
            }
        }
    }

    /// Whatever a client sends as a well-formed mutation, for any role:
    /// no panic, and a refusal leaves everything as it was.
    #[test]
    fn generated_mutations_never_panic_and_refusals_change_nothing(
        steps in prop::collection::vec((any_mutation(), 0..4u8), 1..60),
    ) {
        let mut state = State::default();
        let s = secretariat();
        for m in base() {
            state.apply(&m, &Context { actor: &s, now_ms: 0 }).expect("base applies");
        }
        let actors = [secretariat(), editor(0, 2), editor(1, 3), observer()];
        for (mutation, who) in steps {
            let before = state.clone();
            let actor = &actors[usize::from(who)];
            if state.apply(&mutation, &Context { actor, now_ms: 0 }).is_err() {
                prop_assert_eq!(&state, &before);
            }
            if actor.role == Role::Observer {
                prop_assert_eq!(&state, &before, "an observer changes nothing");
            }
        }
    }
}

#[test]
fn every_protocol_message_round_trips() {
    let client_id = ClientId::from_parts(2, [2; 10]);
    let priority = PriorityId::from_parts(3, [3; 10]);
    same(&ClientMessage::Hello {
        protocol: PROTOCOL_VERSION,
        client_id,
        last_version: None,
    });
    same(&ClientMessage::Hello {
        protocol: PROTOCOL_VERSION,
        client_id,
        last_version: Some(Version(42)),
    });
    same(&ClientMessage::Presence {
        viewing: Some(priority),
        editing: None,
    });
    same(&ServerMessage::Welcome {
        protocol: PROTOCOL_VERSION,
        version: Version(7),
        actor: editor(0, 2),
        applied_seq: Some(Seq(3)),
        connection: ConnectionId(12),
    });
    same(&ServerMessage::Ack {
        seq: Seq(3),
        version: Version(7),
    });
    same(&ServerMessage::Presence {
        peers: vec![Peer {
            connection: ConnectionId(12),
            user: UserId::from_parts(4, [4; 10]),
            name: "Rita".into(),
            viewing: Some(priority),
            editing: Some(priority),
        }],
    });
    for code in every_error_code() {
        same(&ServerMessage::Error {
            code,
            detail: "why".into(),
        });
    }
    same(&Overwrite {
        entity: EntityRef::Priority(priority),
        field: "title".into(),
        yours: serde_json::json!("Mine"),
        theirs: serde_json::json!("Theirs"),
        by: secretariat(),
        version: Version(9),
        restore: replica::restore_mutation(
            &EntityRef::Priority(priority),
            "title",
            &serde_json::json!("Mine"),
        ),
    });
    for change in [
        BaselineChange::Added {
            id: priority,
            title: "A".into(),
        },
        BaselineChange::Removed {
            id: priority,
            title: "A".into(),
        },
        BaselineChange::Changed {
            id: priority,
            title: "A".into(),
            fields: vec!["title".into()],
        },
    ] {
        same(&change);
    }
    for entity in [
        EntityRef::Priority(priority),
        EntityRef::Programme,
        EntityRef::Region(common::rid(0)),
        EntityRef::TenPoint(10),
        EntityRef::Initiative("JTF".into()),
        EntityRef::Baseline(BaselineId::from_parts(5, [5; 10])),
        EntityRef::Development(DevelopmentId::from_parts(5, [5; 10])),
        EntityRef::Conference(ConferenceId::from_parts(5, [5; 10])),
        EntityRef::Stakeholder(StakeholderId::from_parts(5, [5; 10])),
        EntityRef::Link(LinkId::from_parts(5, [5; 10])),
        EntityRef::Meeting(MeetingId::from_parts(5, [5; 10])),
    ] {
        same(&entity);
    }
}

#[test]
fn the_account_api_bodies_round_trip() {
    let user = UserView {
        id: UserId::from_parts(6, [6; 10]),
        name: "Rita".into(),
        email: "rita@ara.test".into(),
        role: Role::RegionEditor,
        region: Some(common::rid(1)),
    };
    same(&user);
    round_trip(&SetUpRequest {
        token: "t".into(),
        name: "Sabine".into(),
        email: "s@ara.test".into(),
        password: "a long password".into(),
    });
    round_trip(&SignInRequest {
        email: "s@ara.test".into(),
        password: "a long password".into(),
    });
    round_trip(&ChangePasswordRequest {
        current: "a long password".into(),
        new: "another long one".into(),
    });
    round_trip(&InviteRequest {
        email: "o@ara.test".into(),
        role: Role::Observer,
        region: None,
    });
    same(&InvitationView {
        region: None,
        link: Some("/invite#x".into()),
        email: "o@ara.test".into(),
        role: Role::Observer,
        expires_ms: 1,
    });
    round_trip(&AcceptInvitationRequest {
        name: "Olga".into(),
        password: "a long password".into(),
    });
    round_trip(&SetRoleRequest {
        role: Role::Secretariat,
        region: None,
    });
    same(&ApiErrorBody {
        error: AccountErrorCode::TooManyAttempts,
        message: "later".into(),
        retry_after_s: Some(60),
    });
}

/// The replica is what the browser persists between visits: it must come
/// back with the same confirmed state, version and pending queue.
#[test]
fn a_persisted_replica_comes_back_the_same() {
    let mut replica = Replica::new(ClientId::from_parts(8, [8; 10]), secretariat());
    let s = secretariat();
    let entries: Vec<LogEntry> = base()
        .into_iter()
        .enumerate()
        .map(|(i, mutation)| LogEntry {
            version: Version(i as u64 + 1),
            client_id: ClientId::from_parts(9, [9; 10]),
            seq: Seq(i as u64 + 1),
            actor: s.clone(),
            at_ms: 0,
            mutation,
        })
        .collect();
    replica.receive_entries(&entries).expect("in order");
    for (i, kind) in [0u8, 1, 4, 9].into_iter().enumerate() {
        let _ = replica.propose(common::mutation(kind, 1, i as u8 * 5 + 1, 1), 0);
    }
    assert!(!replica.pending().is_empty(), "something is pending");
    let text = serde_json::to_string(&replica).expect("serialise");
    let (back, rebase) = serde_json::from_str::<Replica>(&text)
        .expect("parse")
        .restored();
    assert!(rebase.rejected.is_empty());
    assert_eq!(back.version(), replica.version());
    assert_eq!(back.confirmed(), replica.confirmed());
    assert_eq!(back.pending(), replica.pending());
    assert_eq!(back.view(), replica.view());
    assert_eq!(back.client_id(), replica.client_id());
    let _: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&text).expect("a JSON object");
}

/// Found by `every_type_round_trips_through_json`: a change that replaced a
/// `null` (a region's unset join date) came back as "nothing replaced".
#[test]
fn a_replaced_null_is_not_mistaken_for_a_creation() {
    let replaced_null = Change {
        entity: EntityRef::Region(common::rid(2)),
        field: "joined".into(),
        old: Some(serde_json::Value::Null),
        new: serde_json::json!("2026-04-06"),
    };
    same(&replaced_null);
    let created = Change {
        old: None,
        field: "*".into(),
        ..replaced_null.clone()
    };
    same(&created);
    assert_ne!(
        serde_json::to_string(&replaced_null).expect("json"),
        serde_json::to_string(&created).expect("json")
    );
    let item = ara_shared::history::HistoryItem {
        version: Version(3),
        at_ms: 0,
        actor: secretariat(),
        field: "joined".into(),
        old: Some(serde_json::Value::Null),
        new: serde_json::json!("2026-04-06"),
    };
    same(&item);
}
