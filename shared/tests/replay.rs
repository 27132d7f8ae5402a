//! A log entry applies again exactly as the server accepted it, even after
//! the rules of who may do what narrowed: stores keep opening, replicas and
//! history keep following the log. A new mutation is still checked.

use ara_shared::{
    Actor, ClientId, Context, Horizon, LogEntry, Mutation, PriorityId, Quarter, RejectionCode,
    Role, Seq, State, Term, UserId, Version,
};

fn observer() -> Actor {
    Actor {
        user: UserId::from_parts(3, [3; 10]),
        name: "Olga Observer".into(),
        role: Role::Observer,
        region: None,
    }
}

/// `mutation` as the log holds it, by `actor`.
fn logged(version: u64, actor: &Actor, mutation: Mutation) -> LogEntry {
    LogEntry {
        version: Version(version),
        client_id: ClientId::from_parts(4, [4; 10]),
        seq: Seq(version),
        actor: actor.clone(),
        at_ms: 0,
        mutation,
    }
}

#[test]
fn a_logged_entry_replays_without_the_permission_check_and_a_new_one_does_not() {
    let create = Mutation::CreatePriority {
        id: PriorityId::from_parts(1, [1; 10]),
        title: "Accepted under older rules".into(),
        horizon: Horizon {
            term: Term::Short,
            start: Quarter::new(2026, 1).expect("valid"),
            end: Quarter::new(2026, 2).expect("valid"),
        },
    };
    let actor = observer();
    let ctx = Context {
        actor: &actor,
        now_ms: 0,
    };
    let mut state = State::default();
    let refused = state
        .apply(&create, &ctx)
        .expect_err("an observer changes nothing");
    assert_eq!(refused.code, RejectionCode::NotPermitted);
    assert_eq!(state, State::default(), "a refusal changes nothing");

    let entry = logged(1, &actor, create);
    let changes = entry.apply_to(&mut state).expect("the log is replayed");
    assert!(!changes.is_empty(), "replay reports what it changed");
    let mut untracked = State::default();
    entry
        .apply_untracked_to(&mut untracked)
        .expect("the log is replayed");
    assert_eq!(untracked, state);

    // Validation still holds on replay: a damaged entry is refused.
    let bad = Mutation::RenamePriority {
        id: PriorityId::from_parts(1, [1; 10]),
        title: String::new(),
    };
    assert!(logged(2, &actor, bad).apply_to(&mut state).is_err());
}
