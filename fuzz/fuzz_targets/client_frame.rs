//! What the server does with a client's frame: decode it, and apply every
//! mutation of a push to a state that holds the demo programme. Nothing may
//! panic, a decode error must have a code, a refused mutation must leave the
//! state exactly as it was, and `apply_untracked` (the sequencer's path)
//! must decide and change exactly what `apply` does.

#![no_main]

use std::sync::OnceLock;

use ara_shared::protocol::ClientMessage;
use ara_shared::{Actor, Context, Role, State, UserId};
use libfuzzer_sys::fuzz_target;

fn actor(role: Role) -> Actor {
    Actor {
        user: UserId::from_parts(1, [1; 10]),
        name: "Fuzz".into(),
        role,
        region: None,
    }
}

/// The demo programme, so that pushed mutations meet real entities.
fn demo() -> &'static State {
    static DEMO: OnceLock<State> = OnceLock::new();
    DEMO.get_or_init(ara_shared::demo::demo_state)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let message = match ClientMessage::decode(text) {
        Ok(message) => message,
        Err(e) => {
            let _ = e.code();
            return;
        }
    };
    let ClientMessage::Push { mutations } = message else {
        return;
    };
    // The first byte picks who pushes: every role's permissions get fuzzed.
    let role = match data.first().map(|b| b % 3) {
        Some(0) => Role::Secretariat,
        Some(1) => Role::RegionEditor,
        _ => Role::Observer,
    };
    let who = actor(role);
    let ctx = Context {
        actor: &who,
        now_ms: 1_767_225_600_000,
    };
    let mut state = demo().clone();
    for envelope in mutations {
        let before = state.clone();
        let outcome = state.apply(&envelope.mutation, &ctx);
        if outcome.is_err() {
            assert_eq!(state, before, "a refused mutation changed the state");
        }
        // The sequencer's path decides and changes exactly the same.
        let mut untracked = before;
        assert_eq!(
            untracked.apply_untracked(&envelope.mutation, &ctx),
            outcome.map(drop),
            "apply_untracked decided otherwise"
        );
        assert_eq!(untracked, state, "apply_untracked changed another state");
    }
});
