//! What the browser does with a server's frame: decode it as the app does
//! (`serde_json` into `ServerMessage`) and feed entries and snapshots to a
//! replica. Nothing may panic; a gap is an error, never a wrong state.

#![no_main]

use ara_shared::protocol::ServerMessage;
use ara_shared::{Actor, ClientId, Replica, Role, UserId};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(message) = serde_json::from_slice::<ServerMessage>(data) else {
        return;
    };
    let actor = Actor {
        user: UserId::from_parts(1, [1; 10]),
        name: "Fuzz".into(),
        role: Role::RegionEditor,
        region: None,
    };
    let mut replica = Replica::new(ClientId::from_parts(2, [2; 10]), actor);
    match message {
        ServerMessage::Entries { entries } => {
            let before = replica.version();
            if replica.receive_entries(&entries).is_err() {
                assert!(replica.version() >= before, "a gap moved the replica back");
            }
        }
        ServerMessage::Snapshot { version, state } => {
            replica.receive_snapshot(version, *state);
            assert_eq!(replica.version(), version);
        }
        ServerMessage::Ack { seq, .. } => {
            replica.applied_up_to(seq);
        }
        ServerMessage::Rejected { seq, .. } => {
            replica.receive_rejection(seq);
        }
        _ => {}
    }
});
