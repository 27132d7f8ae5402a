//! Recent changes: every log entry is summed up with the entity it touched,
//! that entity's current title (or the one the change carried), and the
//! status or place it was given; newest first.

use ara_shared::changes::{describe, recent, touched};
use ara_shared::meeting::{Meeting, MeetingKind};
use ara_shared::sequencer::{Pushed, Sequencer};
use ara_shared::*;

fn id<T>(make: fn(u64, [u8; 10]) -> T, n: u8) -> T {
    make(u64::from(n), [n; 10])
}

fn secretariat() -> Actor {
    Actor {
        user: id(UserId::from_parts, 1),
        name: "Sabine Sekretariat".into(),
        role: Role::Secretariat,
        region: None,
    }
}

fn horizon() -> Horizon {
    Horizon {
        term: Term::Short,
        start: Quarter::new(2026, 1).expect("valid"),
        end: Quarter::new(2026, 4).expect("valid"),
    }
}

/// Applies `mutations` in order and returns the log and the final state.
fn run(mutations: Vec<Mutation>) -> (Vec<LogEntry>, State) {
    let actor = secretariat();
    let mut core = Sequencer::new();
    let mut log = Vec::new();
    for (i, mutation) in mutations.into_iter().enumerate() {
        let envelope = Envelope {
            client_id: id(ClientId::from_parts, 9),
            seq: Seq(i as u64 + 1),
            mutation,
        };
        match core.push(&actor, envelope, 1_000 * (i as i64 + 1)) {
            Pushed::Applied { entry, .. } => log.push(*entry),
            refused => panic!("mutation {i} refused: {refused:?}"),
        }
    }
    (log, core.state().clone())
}

#[test]
fn changes_name_the_person_the_kind_and_the_current_title() {
    let a = id(PriorityId::from_parts, 1);
    let b = id(PriorityId::from_parts, 2);
    let (log, state) = run(vec![
        Mutation::CreatePriority {
            id: a,
            title: "Battery skills".into(),
            horizon: horizon(),
        },
        Mutation::CreatePriority {
            id: b,
            title: "Supplier network".into(),
            horizon: horizon(),
        },
        Mutation::SetPriorityStatus {
            id: a,
            status: PriorityStatus::Adopted,
        },
        Mutation::MovePriority { id: b, index: 0 },
        Mutation::RenamePriority {
            id: a,
            title: "Battery skills academy".into(),
        },
    ]);
    let changes = recent(&log, &state, Version(5));
    assert_eq!(changes.version, Version(5));
    let versions: Vec<u64> = changes.changes.iter().map(|c| c.version.0).collect();
    assert_eq!(versions, [5, 4, 3, 2, 1], "newest first");

    let rename = &changes.changes[0];
    assert_eq!(rename.actor, "Sabine Sekretariat");
    assert_eq!(rename.kind, "rename_priority");
    assert_eq!(rename.entity, EntityRef::Priority(a));
    assert_eq!(rename.at_ms, 5_000);

    let status = &changes.changes[2];
    assert_eq!(status.kind, "set_priority_status");
    assert_eq!(status.status, Some(PriorityStatus::Adopted));
    assert_eq!(
        status.title.as_deref(),
        Some("Battery skills academy"),
        "the title as it is now, not as it was"
    );

    let moved = &changes.changes[1];
    assert_eq!(moved.kind, "move_priority");
    assert_eq!(moved.position, Some(1));
    assert_eq!(moved.title.as_deref(), Some("Supplier network"));
}

#[test]
fn a_removed_entity_keeps_the_title_its_change_carried() {
    let a = id(PriorityId::from_parts, 1);
    let meeting = Meeting {
        id: id(MeetingId::from_parts, 3),
        kind: MeetingKind::VideoConference,
        title: "Working group call".into(),
        start_ms: 1_800_000_000_000,
        end_ms: 1_800_003_600_000,
        time_zone: "Europe/Brussels".into(),
        place: String::new(),
        video_link: String::new(),
        participants: Default::default(),
        agenda: Vec::new(),
        minutes: String::new(),
        actions: Vec::new(),
    };
    let (log, state) = run(vec![
        Mutation::CreatePriority {
            id: a,
            title: "Short-lived".into(),
            horizon: horizon(),
        },
        Mutation::DeletePriority { id: a },
        Mutation::CreateMeeting {
            meeting: meeting.clone(),
        },
    ]);
    let created = describe(&log[0], &state);
    assert_eq!(created.title.as_deref(), Some("Short-lived"));
    let deleted = describe(&log[1], &state);
    assert_eq!(deleted.kind, "delete_priority");
    assert_eq!(
        deleted.title, None,
        "a deletion carries no title and the priority is gone"
    );
    let meeting_change = describe(&log[2], &state);
    assert_eq!(meeting_change.entity, EntityRef::Meeting(meeting.id));
    assert_eq!(meeting_change.title.as_deref(), Some("Working group call"));
}

#[test]
fn a_move_past_the_end_is_reported_at_the_last_place() {
    let a = id(PriorityId::from_parts, 1);
    let b = id(PriorityId::from_parts, 2);
    let (log, state) = run(vec![
        Mutation::CreatePriority {
            id: a,
            title: "First".into(),
            horizon: horizon(),
        },
        Mutation::CreatePriority {
            id: b,
            title: "Second".into(),
            horizon: horizon(),
        },
        Mutation::MovePriority { id: a, index: 99 },
    ]);
    assert_eq!(describe(&log[2], &state).position, Some(2));
}

#[test]
fn every_demo_mutation_touches_an_entity_with_a_title() {
    let (log, state) = run(demo::demo_mutations(0));
    for entry in &log {
        let change = describe(entry, &state);
        assert_eq!(change.entity, touched(&entry.mutation));
        assert!(
            change.title.as_ref().is_some_and(|t| !t.is_empty()),
            "{} has no title",
            change.kind
        );
    }
}
