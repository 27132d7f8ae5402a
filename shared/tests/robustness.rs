//! Whatever arrives, nothing panics: arbitrary bytes through the decoder,
//! and well-formed but wrong mutations (every field of the demo's mutations
//! scrambled) through `State::apply`, for every role, with
//! `State::apply_untracked` deciding and changing exactly the same. Plus serde round trips
//! and the size of a typical batch on the wire.

use ara_shared::demo::{demo_mutations, demo_state};
use ara_shared::protocol::{ClientMessage, ServerMessage};
use ara_shared::*;
use proptest::prelude::*;
use serde_json::Value;

fn actor(role: Role, region: Option<RegionId>) -> Actor {
    Actor {
        user: UserId::from_parts(5, [5; 10]),
        name: "Fuzz".into(),
        role,
        region,
    }
}

/// Replacements for a JSON leaf: wrong types, empty, huge, out of range,
/// ids that exist elsewhere or nowhere.
fn leaf(state: &State) -> impl Strategy<Value = Value> {
    let ids: Vec<Value> = state
        .priorities
        .keys()
        .map(|k| serde_json::json!(k))
        .chain(state.regions.keys().map(|k| serde_json::json!(k)))
        .take(20)
        .collect();
    prop_oneof![
        Just(Value::Null),
        Just(serde_json::json!("")),
        Just(serde_json::json!("   ")),
        Just(serde_json::json!("x".repeat(30_000))),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<bool>().prop_map(|b| serde_json::json!(b)),
        Just(serde_json::json!(-1)),
        Just(serde_json::json!(u64::MAX)),
        Just(serde_json::json!("2024-02-30")),
        Just(serde_json::json!("Mars/Base")),
        Just(serde_json::json!("00000000-0000-7000-8000-000000000000")),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
        proptest::sample::select(ids),
        "[a-zA-Z0-9 ._/-]{0,12}".prop_map(Value::String),
    ]
}

fn leaves(value: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "type" {
                    continue;
                }
                path.push(k.clone());
                leaves(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(i.to_string());
                leaves(v, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn replace(value: &mut Value, path: &[String], with: Value) {
    let mut at = value;
    for key in path {
        at = match at {
            Value::Object(map) => match map.get_mut(key) {
                Some(v) => v,
                None => return,
            },
            Value::Array(items) => match key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(v) => v,
                None => return,
            },
            _ => return,
        };
    }
    *at = with;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_the_decoder(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = ClientMessage::decode(&text);
        let _ = serde_json::from_str::<ServerMessage>(&text);
    }

    #[test]
    fn arbitrary_json_shaped_frames_never_panic_the_decoder(
        kind in prop_oneof![Just("hello"), Just("push"), Just("nope")],
        body in "[\\[\\]{}\":,0-9a-z_ -]{0,200}",
    ) {
        let _ = ClientMessage::decode(&format!("{{\"type\":\"{kind}\",{body}}}"));
    }

    #[test]
    fn wrong_mutations_never_panic_and_refusals_change_nothing(
        pick in any::<prop::sample::Index>(),
        scramble in prop::collection::vec((any::<prop::sample::Index>(), leaf(&demo_state())), 1..4),
        role in prop_oneof![Just(Role::Secretariat), Just(Role::RegionEditor), Just(Role::Observer)],
    ) {
        let state = demo_state();
        let mutations = demo_mutations(0);
        let mut value = serde_json::to_value(pick.get(&mutations)).expect("serialise");
        let mut paths = Vec::new();
        leaves(&value, &mut Vec::new(), &mut paths);
        for (index, with) in scramble {
            if !paths.is_empty() {
                let path: &Vec<String> = index.get(&paths);
                replace(&mut value, path, with);
            }
        }
        if let Ok(mutation) = serde_json::from_value::<Mutation>(value) {
            let region = state.regions.keys().next().copied();
            let who = actor(role, region);
            let ctx = Context { actor: &who, now_ms: 0 };
            let mut after = state.clone();
            let outcome = after.apply(&mutation, &ctx);
            match &outcome {
                Ok(_) => {}
                Err(_) => prop_assert_eq!(&after, &state),
            }
            // The server's path, without the changed fields: the same
            // verdict and the same state.
            let mut untracked = state.clone();
            prop_assert_eq!(
                untracked.apply_untracked(&mutation, &ctx),
                outcome.map(drop)
            );
            prop_assert_eq!(&untracked, &after);
        }
    }
}

#[test]
fn every_type_round_trips_through_json() {
    let state = demo_state();
    let text = serde_json::to_string(&state).expect("serialise");
    assert_eq!(serde_json::from_str::<State>(&text).expect("parse"), state);
    for m in demo_mutations(0) {
        let text = serde_json::to_string(&m).expect("serialise");
        assert_eq!(serde_json::from_str::<Mutation>(&text).expect("parse"), m);
    }
    let snapshot = ServerMessage::Snapshot {
        version: Version(9),
        state: Box::new(state),
    };
    let text = serde_json::to_string(&snapshot).expect("serialise");
    assert_eq!(
        serde_json::from_str::<ServerMessage>(&text).expect("parse"),
        snapshot
    );
}

/// The size of a typical push (50 edits of the kinds people make most) on
/// the wire; the figure goes into ARCHITECTURE.md.
#[test]
fn typical_batch_size_on_the_wire() {
    let state = demo_state();
    let client_id = ClientId::from_parts(1, [1; 10]);
    let ids: Vec<PriorityId> = state.programme_order.clone();
    let mutations: Vec<Envelope> = (0..50u64)
        .map(|i| {
            let id = ids[i as usize % ids.len()];
            let mutation = match i % 5 {
                0 => Mutation::RenamePriority {
                    id,
                    title: format!("Reskilling pact for supplier workforces {i}"),
                },
                1 => Mutation::SetPriorityStatus {
                    id,
                    status: PriorityStatus::InProgress,
                },
                2 => Mutation::MovePriority {
                    id,
                    index: (i % 7) as u32,
                },
                3 => Mutation::UpdatePriority {
                    id,
                    patch: PriorityPatch {
                        summary: Some(
                            "Join up regional training offers with the Pact for Skills.".into(),
                        ),
                        ..Default::default()
                    },
                },
                _ => Mutation::AddComment {
                    priority: id,
                    id: CommentId::from_parts(i, [i as u8; 10]),
                    text: "Agreed at the working-level meeting.".into(),
                },
            };
            Envelope {
                client_id,
                seq: Seq(i + 1),
                mutation,
            }
        })
        .collect();
    let actor = actor(Role::RegionEditor, state.regions.keys().next().copied());
    let entries: Vec<LogEntry> = mutations
        .iter()
        .enumerate()
        .map(|(i, e)| LogEntry {
            version: Version(10_000 + i as u64),
            client_id: e.client_id,
            seq: e.seq,
            actor: actor.clone(),
            at_ms: 1_768_899_600_000,
            mutation: e.mutation.clone(),
        })
        .collect();
    let text = serde_json::to_string(&ClientMessage::Push { mutations }).expect("serialise");
    let fanout = serde_json::to_string(&ServerMessage::Entries { entries }).expect("serialise");
    let snapshot = serde_json::to_string(&ServerMessage::Snapshot {
        version: Version(1),
        state: Box::new(state),
    })
    .expect("serialise");
    println!(
        "typical push of 50 mutations: {} bytes ({} bytes each); the same as fanned-out entries: {} bytes ({} each); snapshot of the demo state: {} bytes",
        text.len(),
        text.len() / 50,
        fanout.len(),
        fanout.len() / 50,
        snapshot.len()
    );
    assert!(
        text.len() < 32 * 1024 && fanout.len() < 64 * 1024,
        "a typical batch stays far below the frame limit"
    );
}
