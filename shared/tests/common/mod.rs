//! What the property tests share: a world to start from and a generator of
//! every kind of mutation over small pools of ids, so that generated
//! mutations collide (same priority, same year, same link) as people's do.

#![allow(dead_code)]

use std::collections::{BTreeSet, VecDeque};

use ara_shared::conference::Conference;
use ara_shared::development::{Development, DevelopmentKind};
use ara_shared::meeting::{AgendaItem, Meeting, MeetingKind};
use ara_shared::priority::Action;
use ara_shared::protocol::ServerMessage;
use ara_shared::reference::{Initiative, TenPoint};
use ara_shared::sequencer::{Pushed, Sequencer};
use ara_shared::stakeholder::{
    LinkTarget, Relation, Stakeholder, StakeholderKind, StakeholderLink,
};
use ara_shared::*;
use proptest::prelude::*;

/// How many kinds of mutation [`mutation`] builds (every variant).
pub const KINDS: u8 = 32;

pub fn pid(n: u8) -> PriorityId {
    PriorityId::from_parts(1_000 + u64::from(n % 5), [n % 5; 10])
}

/// Regions 0 and 1 are members, 2 an applicant, 3 does not exist yet.
pub fn rid(n: u8) -> RegionId {
    RegionId::from_parts(2_000 + u64::from(n % 4), [n % 4; 10])
}

/// The day `day` days after 2026-01-01.
pub fn date(day: impl Into<u16>) -> Date {
    Date::from_unix_ms((20_454 + i64::from(day.into())) * 86_400_000).expect("in range")
}

pub fn secretariat() -> Actor {
    Actor {
        user: UserId::from_parts(1, [1; 10]),
        name: "Sabine".into(),
        role: Role::Secretariat,
        region: None,
    }
}

pub fn editor(region: u8, user: u8) -> Actor {
    Actor {
        user: UserId::from_parts(u64::from(user), [user; 10]),
        name: format!("Editor {user}"),
        role: Role::RegionEditor,
        region: Some(rid(region)),
    }
}

pub fn observer() -> Actor {
    Actor {
        user: UserId::from_parts(9, [9; 10]),
        name: "Olga".into(),
        role: Role::Observer,
        region: None,
    }
}

/// The mutations every test world starts with: two member regions, one
/// applicant, one initiative.
pub fn base() -> Vec<Mutation> {
    let mut out = Vec::new();
    for (n, name, nuts) in [
        (0, "Sachsen", "DED"),
        (1, "Navarra", "ES22"),
        (2, "Lazio", "ITI4"),
    ] {
        out.push(Mutation::ApplyForMembership {
            id: rid(n),
            name: name.into(),
            country: nuts[..2].into(),
            nuts: nuts.into(),
            contact: String::new(),
        });
    }
    for n in [0, 1] {
        out.push(Mutation::AdmitRegion {
            id: rid(n),
            joined: date(0u16),
        });
    }
    out.push(Mutation::SetInitiative {
        initiative: Initiative {
            code: "JTF".into(),
            title: "Just Transition Fund".into(),
            year: Some(2021),
            unconfirmed: false,
        },
    });
    // Something to work on: priorities 0 and 1 (0 led by region 0, 1 by
    // nobody, so every editor may edit it), a stakeholder, a conference of
    // region 0, a meeting.
    for n in [0, 1] {
        out.push(mutation(0, n, 1, 1));
    }
    out.push(Mutation::UpdatePriority {
        id: pid(0),
        patch: PriorityPatch {
            lead_region: Some(Some(rid(0))),
            ..PriorityPatch::default()
        },
    });
    out.push(mutation(25, 0, 1, 1));
    out.push(mutation(21, 0, 0, 0));
    out.push(mutation(29, 0, 1, 1));
    out
}

/// Texts people type, including ones the rules refuse: empty, too long,
/// and one holding a bidirectional override (refused in every field).
pub fn text(n: u8) -> String {
    match n % 7 {
        0 => "Skills".into(),
        1 => "Batteries".into(),
        2 => String::new(),
        3 => "  Supply chains  ".into(),
        4 => "x".repeat(201),
        5 => "Over\u{202E}ride".into(),
        _ => "Charging".into(),
    }
}

fn horizon(b: u8, c: u8) -> Horizon {
    let start = Quarter::new(2025 + u16::from(b % 3), b % 4 + 1).expect("valid");
    // One in seven ends before it starts.
    let span = if c.is_multiple_of(7) {
        -1
    } else {
        i32::from(c % 6)
    };
    let end_index = i32::try_from(start.index()).expect("small") + span;
    let end = Quarter::new(
        u16::try_from(end_index / 4).expect("year"),
        u8::try_from(end_index % 4 + 1).expect("q"),
    )
    .expect("valid");
    Horizon {
        term: if c.is_multiple_of(2) {
            Term::Short
        } else {
            Term::Medium
        },
        start,
        end,
    }
}

fn conference(a: u8, b: u8, c: u8) -> Conference {
    Conference {
        id: ConferenceId::from_parts(3_000 + u64::from(a % 3), [a % 3; 10]),
        year: 2026 + u16::from(b % 2),
        host: rid(c),
        city: text(a),
        // 2026 or 2027, and one in four ends before it starts.
        start: date(u16::from(b % 2) * 365 + u16::from(c % 3)),
        end: date(u16::from(b % 2) * 365 + u16::from(c % 4)),
        theme: String::new(),
        theme_priorities: BTreeSet::new(),
        unconfirmed: c.is_multiple_of(2),
    }
}

fn meeting(a: u8, b: u8, c: u8) -> Meeting {
    let start_ms = date(b).days_since_epoch() * 86_400_000 + 9 * 3_600_000;
    Meeting {
        id: MeetingId::from_parts(4_000 + u64::from(a % 2), [a % 2; 10]),
        kind: MeetingKind::ALL[usize::from(b % 4)],
        title: text(a),
        start_ms,
        end_ms: start_ms + (i64::from(c % 4) - 1) * 3_600_000,
        time_zone: if c.is_multiple_of(5) {
            "Nowhere".into()
        } else {
            "Europe/Brussels".into()
        },
        place: String::new(),
        video_link: if c.is_multiple_of(3) {
            "not a link".into()
        } else {
            String::new()
        },
        participants: [rid(c)].into(),
        agenda: vec![AgendaItem {
            id: AgendaItemId::from_parts(5_000, [b; 10]),
            title: "Progress".into(),
            priority: Some(pid(b)),
        }],
        minutes: String::new(),
        actions: Vec::new(),
    }
}

fn action(a: u8, b: u8, c: u8) -> Action {
    Action {
        id: ActionId::from_parts(6_000 + u64::from(a % 2), [a % 2; 10]),
        title: text(b),
        owner: (c.is_multiple_of(2)).then(|| rid(c)),
        due: Some(date(c)),
        done: b.is_multiple_of(2),
    }
}

/// One mutation of kind `kind % KINDS`, its ids and values picked by `a`, `b`, `c`.
pub fn mutation(kind: u8, a: u8, b: u8, c: u8) -> Mutation {
    let set = |n: u8| -> BTreeSet<u8> { [n % 12, (n / 12) % 12].into() };
    match kind % KINDS {
        0 => Mutation::CreatePriority {
            id: pid(a),
            title: text(b),
            horizon: horizon(b, c),
        },
        1 => Mutation::RenamePriority {
            id: pid(a),
            title: text(b),
        },
        2 => Mutation::SetPriorityStatus {
            id: pid(a),
            status: PriorityStatus::ALL[usize::from(b % 5)],
        },
        3 => Mutation::MovePriority {
            id: pid(a),
            index: u32::from(b % 6),
        },
        4 => Mutation::UpdatePriority {
            id: pid(a),
            patch: PriorityPatch {
                summary: (b.is_multiple_of(2)).then(|| text(c)),
                horizon: (b.is_multiple_of(3)).then(|| horizon(c, b)),
                ten_points: (b.is_multiple_of(5)).then(|| set(c)),
                initiatives: (b.is_multiple_of(7))
                    .then(|| [if c.is_multiple_of(2) { "JTF" } else { "NOPE" }.to_owned()].into()),
                dimensions: (c.is_multiple_of(3))
                    .then(|| [Dimension::ALL[usize::from(b % 4)]].into()),
                goals: (c.is_multiple_of(4))
                    .then(|| [TransitionGoal::ALL[usize::from(b % 3)]].into()),
                lead_region: (c.is_multiple_of(5)).then(|| (b.is_multiple_of(2)).then(|| rid(b))),
                supporting_regions: (c.is_multiple_of(6)).then(|| [rid(c)].into()),
                open_to_all: (c.is_multiple_of(9)).then_some(b.is_multiple_of(2)),
                ..PriorityPatch::default()
            },
        },
        5 => Mutation::DeletePriority { id: pid(a) },
        6 => Mutation::EndorsePriority {
            id: pid(a),
            region: rid(b),
            endorse: !c.is_multiple_of(3),
        },
        7 => Mutation::SetPriorityAction {
            priority: pid(a),
            action: action(b, c, a),
        },
        8 => Mutation::RemovePriorityAction {
            priority: pid(a),
            action: action(b, c, a).id,
        },
        9 => Mutation::AddComment {
            priority: pid(a),
            id: CommentId::from_parts(7_000 + u64::from(b % 3), [b % 3; 10]),
            text: text(c),
        },
        10 => Mutation::DeleteComment {
            priority: pid(a),
            id: CommentId::from_parts(7_000 + u64::from(b % 3), [b % 3; 10]),
        },
        11 => Mutation::AdoptBaseline {
            id: BaselineId::from_parts(8_000 + u64::from(a % 2), [a % 2; 10]),
            name: text(b),
            adopted_on: date(c),
        },
        12 => Mutation::SetTenPoint {
            point: TenPoint {
                n: a % 12,
                title_en: text(b),
                title_de: "Punkt".into(),
                summary_en: String::new(),
                unconfirmed: c.is_multiple_of(2),
            },
        },
        13 => Mutation::SetInitiative {
            initiative: Initiative {
                code: if a.is_multiple_of(3) {
                    "bad code".into()
                } else {
                    format!("I{}", a % 3)
                },
                title: text(b),
                year: Some(2000 + u16::from(c)),
                unconfirmed: c.is_multiple_of(2),
            },
        },
        14 => Mutation::ApplyForMembership {
            id: rid(a),
            name: text(b),
            country: if c.is_multiple_of(4) {
                "de".into()
            } else {
                "DE".into()
            },
            nuts: format!("DE{}", c % 3),
            contact: String::new(),
        },
        15 => Mutation::AdmitRegion {
            id: rid(a),
            joined: date(b),
        },
        16 => Mutation::DeclineRegion { id: rid(a) },
        17 => Mutation::LeaveAlliance { id: rid(a) },
        18 => Mutation::UpdateRegion {
            id: rid(a),
            patch: RegionPatch {
                name: (b.is_multiple_of(2)).then(|| text(c)),
                contact: (b.is_multiple_of(3)).then(|| text(c)),
                nuts_confirmed: (c.is_multiple_of(2)).then_some(b.is_multiple_of(2)),
                unconfirmed: (c.is_multiple_of(3)).then_some(b % 2 == 1),
                ..RegionPatch::default()
            },
        },
        19 => Mutation::SetDevelopment {
            development: Development {
                id: DevelopmentId::from_parts(9_000 + u64::from(a % 2), [a % 2; 10]),
                kind: DevelopmentKind::ALL[usize::from(b % 4)],
                title: text(b),
                date: date(c),
                source: if c.is_multiple_of(3) {
                    "nope".into()
                } else {
                    String::new()
                },
                summary: String::new(),
                priorities: [pid(c)].into(),
            },
        },
        20 => Mutation::DeleteDevelopment {
            id: DevelopmentId::from_parts(9_000 + u64::from(a % 2), [a % 2; 10]),
        },
        21 => Mutation::CreateConference {
            conference: conference(a, b, c),
        },
        22 => Mutation::UpdateConference {
            id: conference(a, b, c).id,
            patch: ConferencePatch {
                host: (b.is_multiple_of(2)).then(|| rid(c)),
                city: (b.is_multiple_of(3)).then(|| text(c)),
                end: (c.is_multiple_of(2)).then(|| date(c)),
                unconfirmed: (c.is_multiple_of(3)).then_some(b.is_multiple_of(2)),
                ..ConferencePatch::default()
            },
        },
        23 => Mutation::SetConferenceTheme {
            id: conference(a, b, c).id,
            theme: text(b),
            priorities: [pid(c)].into(),
        },
        24 => Mutation::DeleteConference {
            id: conference(a, b, c).id,
        },
        25 => Mutation::SetStakeholder {
            stakeholder: Stakeholder {
                id: StakeholderId::from_parts(10_000 + u64::from(a % 2), [a % 2; 10]),
                name: text(b),
                kind: StakeholderKind::ALL[usize::from(c % 9)],
                country: if c.is_multiple_of(5) {
                    "Europe".into()
                } else {
                    "EU".into()
                },
                website: String::new(),
            },
        },
        26 => Mutation::DeleteStakeholder {
            id: StakeholderId::from_parts(10_000 + u64::from(a % 2), [a % 2; 10]),
        },
        27 => Mutation::LinkStakeholder {
            link: StakeholderLink {
                id: LinkId::from_parts(11_000 + u64::from(b % 3), [b % 3; 10]),
                stakeholder: StakeholderId::from_parts(10_000 + u64::from(a % 2), [a % 2; 10]),
                target: if c.is_multiple_of(2) {
                    LinkTarget::Priority(pid(c))
                } else {
                    LinkTarget::Region(rid(c))
                },
                relation: Relation::ALL[usize::from(c % 6)],
            },
        },
        28 => Mutation::UnlinkStakeholder {
            id: LinkId::from_parts(11_000 + u64::from(b % 3), [b % 3; 10]),
        },
        29 => Mutation::CreateMeeting {
            meeting: meeting(a, b, c),
        },
        30 => Mutation::UpdateMeeting {
            id: meeting(a, b, c).id,
            patch: MeetingPatch {
                title: (b.is_multiple_of(2)).then(|| text(c)),
                minutes: (b.is_multiple_of(3)).then(|| text(c)),
                end_ms: (c.is_multiple_of(4)).then_some(0),
                participants: (c.is_multiple_of(3)).then(|| [rid(b)].into()),
                ..MeetingPatch::default()
            },
        },
        _ => Mutation::DeleteMeeting {
            id: meeting(a, b, c).id,
        },
    }
}

/// Any mutation of any kind.
pub fn any_mutation() -> impl Strategy<Value = Mutation> {
    (0..KINDS, any::<u8>(), any::<u8>(), any::<u8>())
        .prop_map(|(kind, a, b, c)| mutation(kind, a, b, c))
}

/// What the server does with one pushed envelope, decided by its real
/// sequencer core: an applied one joins `log` and goes to every outbox;
/// returns the answer to the pusher.
pub fn serve(
    core: &mut Sequencer,
    log: &mut Vec<LogEntry>,
    outboxes: &mut [VecDeque<ServerMessage>],
    actor: &Actor,
    envelope: Envelope,
    at_ms: i64,
) -> ServerMessage {
    match core.push(actor, envelope, at_ms) {
        Pushed::Applied { entry, .. } => {
            log.push((*entry).clone());
            for outbox in outboxes {
                outbox.push_back(ServerMessage::Entries {
                    entries: vec![(*entry).clone()],
                });
            }
            ServerMessage::Ack {
                seq: entry.seq,
                version: entry.version,
            }
        }
        Pushed::Duplicate { seq, version } => ServerMessage::Ack { seq, version },
        Pushed::Rejected { seq, rejection } => ServerMessage::Rejected { seq, rejection },
        Pushed::Refused(refusal) => panic!("a client pushes with its own id: {refusal}"),
    }
}
