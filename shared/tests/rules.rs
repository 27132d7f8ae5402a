//! Every rule of `State::apply`, from the outside: what is accepted, what is
//! refused and with which code, and who may do what.

use std::collections::BTreeSet;

use ara_shared::Param;
use ara_shared::baseline::BaselineChange;
use ara_shared::conference::Conference;
use ara_shared::development::{Development, DevelopmentKind};
use ara_shared::history::history;
use ara_shared::meeting::{AgendaItem, Meeting, MeetingKind};
use ara_shared::priority::Action;
use ara_shared::reference::Initiative;
use ara_shared::stakeholder::{
    LinkTarget, Relation, Stakeholder, StakeholderKind, StakeholderLink,
};
use ara_shared::*;

fn id<T>(make: fn(u64, [u8; 10]) -> T, n: u8) -> T {
    make(u64::from(n), [n; 10])
}

fn secretariat() -> Actor {
    Actor {
        user: id(UserId::from_parts, 1),
        name: "Sabine".into(),
        role: Role::Secretariat,
        region: None,
    }
}

fn editor(region: RegionId) -> Actor {
    Actor {
        user: id(UserId::from_parts, 2),
        name: "Rita".into(),
        role: Role::RegionEditor,
        region: Some(region),
    }
}

fn observer() -> Actor {
    Actor {
        user: id(UserId::from_parts, 3),
        name: "Olga".into(),
        role: Role::Observer,
        region: None,
    }
}

fn date(s: &str) -> Date {
    s.parse().expect("valid date")
}

/// A world with two member regions (Saxony, Navarre), one applicant
/// (Lazio), one initiative and a priority led by Saxony.
struct World {
    state: State,
    log: Vec<LogEntry>,
    saxony: RegionId,
    navarre: RegionId,
    lazio: RegionId,
    priority: PriorityId,
}

impl World {
    fn new() -> Self {
        let mut w = World {
            state: State::default(),
            log: Vec::new(),
            saxony: id(RegionId::from_parts, 10),
            navarre: id(RegionId::from_parts, 11),
            lazio: id(RegionId::from_parts, 12),
            priority: id(PriorityId::from_parts, 20),
        };
        let s = secretariat();
        for (region, name, nuts) in [
            (w.saxony, "Sachsen", "DED"),
            (w.navarre, "Navarra", "ES22"),
            (w.lazio, "Lazio", "ITI4"),
        ] {
            w.ok(
                &s,
                Mutation::ApplyForMembership {
                    id: region,
                    name: name.into(),
                    country: nuts[..2].into(),
                    nuts: nuts.into(),
                    contact: String::new(),
                },
            );
        }
        w.ok(
            &s,
            Mutation::AdmitRegion {
                id: w.saxony,
                joined: date("2022-06-30"),
            },
        );
        w.ok(
            &s,
            Mutation::AdmitRegion {
                id: w.navarre,
                joined: date("2022-06-30"),
            },
        );
        w.ok(
            &s,
            Mutation::SetInitiative {
                initiative: Initiative {
                    code: "JTF".into(),
                    title: "Just Transition Fund".into(),
                    year: Some(2021),
                    unconfirmed: false,
                },
            },
        );
        let horizon = Horizon {
            term: Term::Short,
            start: Quarter::new(2026, 1).expect("q"),
            end: Quarter::new(2026, 4).expect("q"),
        };
        w.ok(
            &editor(w.saxony),
            Mutation::CreatePriority {
                id: w.priority,
                title: "Skills pact".into(),
                horizon,
            },
        );
        w
    }

    fn apply(&mut self, actor: &Actor, m: Mutation) -> Result<Vec<Change>, Rejection> {
        let result = self.state.apply(
            &m,
            &Context {
                actor,
                now_ms: 1_000,
            },
        );
        if result.is_ok() {
            self.log.push(LogEntry {
                version: Version(self.log.len() as u64 + 1),
                client_id: id(ClientId::from_parts, 9),
                seq: Seq(self.log.len() as u64 + 1),
                actor: actor.clone(),
                at_ms: 1_000,
                mutation: m,
            });
        }
        result
    }

    fn ok(&mut self, actor: &Actor, m: Mutation) -> Vec<Change> {
        let kind = m.kind();
        self.apply(actor, m)
            .unwrap_or_else(|r| panic!("{kind} refused: {r:?}"))
    }

    #[track_caller]
    fn refused(&mut self, actor: &Actor, m: Mutation, code: RejectionCode) -> Rejection {
        let before = self.state.clone();
        let rejection = self.apply(actor, m).expect_err("refused");
        assert_eq!(rejection.code, code, "{rejection:?}");
        assert_eq!(self.state, before, "a refusal leaves the state untouched");
        rejection
    }
}

fn patch() -> PriorityPatch {
    PriorityPatch::default()
}

#[test]
fn new_priority_of_a_region_editor_is_led_by_their_region() {
    let w = World::new();
    assert_eq!(w.state.priorities[&w.priority].lead_region, Some(w.saxony));
}

#[test]
fn region_editors_edit_their_regions_priorities_and_what_is_open_to_all() {
    let mut w = World::new();
    let p = w.priority;
    let navarre = editor(w.navarre);
    w.refused(
        &navarre,
        Mutation::RenamePriority {
            id: p,
            title: "Mine now".into(),
        },
        RejectionCode::NotPermitted,
    );
    w.ok(
        &editor(w.saxony),
        Mutation::RenamePriority {
            id: p,
            title: "Skills pact 2030".into(),
        },
    );
    let r = w.refused(
        &editor(w.saxony),
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                open_to_all: Some(true),
                ..patch()
            },
        },
        RejectionCode::NotPermitted,
    );
    assert_eq!(r.param(Param::Role), Some("region_editor"));
    w.ok(
        &secretariat(),
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                open_to_all: Some(true),
                ..patch()
            },
        },
    );
    w.ok(
        &navarre,
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                summary: Some("Shared".into()),
                ..patch()
            },
        },
    );
    w.refused(
        &observer(),
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                summary: Some("x".into()),
                ..patch()
            },
        },
        RejectionCode::NotPermitted,
    );
}

#[test]
fn region_editors_only_commit_their_own_region() {
    let mut w = World::new();
    let p = w.priority;
    let saxony = editor(w.saxony);
    let other = [w.navarre].into_iter().collect::<BTreeSet<_>>();
    w.refused(
        &saxony,
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                supporting_regions: Some(other),
                ..patch()
            },
        },
        RejectionCode::NotPermitted,
    );
    w.ok(
        &secretariat(),
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                supporting_regions: Some([w.navarre].into()),
                ..patch()
            },
        },
    );
    // Navarre now concerns the priority and may withdraw its own support.
    w.ok(
        &editor(w.navarre),
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                supporting_regions: Some(BTreeSet::new()),
                ..patch()
            },
        },
    );
}

/// The priority led by Saxony, with Navarre as a supporting region.
fn led_by_saxony_supported_by_navarre() -> World {
    let mut w = World::new();
    let p = w.priority;
    w.ok(
        &secretariat(),
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                supporting_regions: Some([w.navarre].into()),
                ..patch()
            },
        },
    );
    w
}

fn set_lead(id: PriorityId, lead: Option<RegionId>) -> Mutation {
    Mutation::UpdatePriority {
        id,
        patch: PriorityPatch {
            lead_region: Some(lead),
            ..patch()
        },
    }
}

#[test]
fn a_supporting_regions_editor_cannot_take_the_lead() {
    let mut w = led_by_saxony_supported_by_navarre();
    let (p, navarre) = (w.priority, w.navarre);
    let r = w.refused(
        &editor(navarre),
        set_lead(p, Some(navarre)),
        RejectionCode::NotPermitted,
    );
    assert_eq!(r.param(Param::Role), Some("region_editor"));
    // Naming the current lead again changes nothing and is no claim.
    let saxony = w.saxony;
    w.ok(&editor(navarre), set_lead(p, Some(saxony)));
}

#[test]
fn a_supporting_regions_editor_cannot_drop_the_lead() {
    let mut w = led_by_saxony_supported_by_navarre();
    let (p, navarre) = (w.priority, w.navarre);
    w.refused(
        &editor(navarre),
        set_lead(p, None),
        RejectionCode::NotPermitted,
    );
    assert_eq!(w.state.priorities[&p].lead_region, Some(w.saxony));
}

#[test]
fn an_editor_of_an_open_priority_cannot_take_its_lead() {
    let mut w = World::new();
    let (p, navarre) = (w.priority, w.navarre);
    w.ok(
        &secretariat(),
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                open_to_all: Some(true),
                ..patch()
            },
        },
    );
    w.refused(
        &editor(navarre),
        set_lead(p, Some(navarre)),
        RejectionCode::NotPermitted,
    );
    w.refused(
        &editor(navarre),
        set_lead(p, None),
        RejectionCode::NotPermitted,
    );
}

#[test]
fn the_lead_regions_editor_hands_the_lead_to_another_region() {
    let mut w = led_by_saxony_supported_by_navarre();
    let (p, saxony, navarre) = (w.priority, w.saxony, w.navarre);
    w.ok(&editor(saxony), set_lead(p, Some(navarre)));
    assert_eq!(w.state.priorities[&p].lead_region, Some(navarre));
    // Saxony no longer concerns the priority: the lead is not its to take back.
    w.refused(
        &editor(saxony),
        set_lead(p, Some(saxony)),
        RejectionCode::NotPermitted,
    );
}

#[test]
fn the_lead_regions_editor_gives_up_the_lead() {
    let mut w = led_by_saxony_supported_by_navarre();
    let (p, saxony) = (w.priority, w.saxony);
    w.ok(&editor(saxony), set_lead(p, None));
    assert_eq!(w.state.priorities[&p].lead_region, None);
}

#[test]
fn the_secretariat_moves_and_drops_any_lead() {
    let mut w = led_by_saxony_supported_by_navarre();
    let (p, navarre) = (w.priority, w.navarre);
    w.ok(&secretariat(), set_lead(p, Some(navarre)));
    assert_eq!(w.state.priorities[&p].lead_region, Some(navarre));
    w.ok(&secretariat(), set_lead(p, None));
    assert_eq!(w.state.priorities[&p].lead_region, None);
}

#[test]
fn a_priority_without_a_lead_is_claimed_only_for_the_editors_own_region() {
    let mut w = World::new();
    let (p, saxony, navarre) = (w.priority, w.saxony, w.navarre);
    w.ok(&secretariat(), set_lead(p, None));
    w.refused(
        &editor(navarre),
        set_lead(p, Some(saxony)),
        RejectionCode::NotPermitted,
    );
    w.ok(&editor(navarre), set_lead(p, Some(navarre)));
    assert_eq!(w.state.priorities[&p].lead_region, Some(navarre));
}

#[test]
fn priority_fields_are_validated() {
    let mut w = World::new();
    let p = w.priority;
    let s = secretariat();
    let r = w.refused(
        &s,
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                ten_points: Some([0, 3].into()),
                ..patch()
            },
        },
        RejectionCode::InvalidValue,
    );
    assert_eq!(r.param(Param::Field), Some("ten_points"));
    let r = w.refused(
        &s,
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                initiatives: Some(["NOPE".to_owned()].into()),
                ..patch()
            },
        },
        RejectionCode::UnknownEntity,
    );
    assert_eq!(r.param(Param::Entity), Some("initiative"));
    w.refused(
        &s,
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                lead_region: Some(Some(id(RegionId::from_parts, 99))),
                ..patch()
            },
        },
        RejectionCode::UnknownEntity,
    );
    let r = w.refused(
        &s,
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                summary: Some("x".repeat(1_001)),
                ..patch()
            },
        },
        RejectionCode::TooLong,
    );
    assert_eq!(r.param(Param::Max), Some("1000"));
    let changes = w.ok(
        &s,
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                ten_points: Some([1, 3].into()),
                initiatives: Some(["JTF".to_owned()].into()),
                dimensions: Some([Dimension::Social].into()),
                goals: Some([TransitionGoal::Skills].into()),
                ..patch()
            },
        },
    );
    let fields: BTreeSet<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        ["dimensions", "goals", "initiatives", "ten_points"].into()
    );
}

#[test]
fn endorsements_are_by_member_regions_for_themselves() {
    let mut w = World::new();
    let p = w.priority;
    w.ok(
        &editor(w.navarre),
        Mutation::EndorsePriority {
            id: p,
            region: w.navarre,
            endorse: true,
        },
    );
    w.refused(
        &editor(w.navarre),
        Mutation::EndorsePriority {
            id: p,
            region: w.saxony,
            endorse: true,
        },
        RejectionCode::NotPermitted,
    );
    let r = w.refused(
        &secretariat(),
        Mutation::EndorsePriority {
            id: p,
            region: w.lazio,
            endorse: true,
        },
        RejectionCode::NotAMember,
    );
    assert_eq!(r.param(Param::Region), Some("Lazio"));
    w.ok(
        &editor(w.navarre),
        Mutation::EndorsePriority {
            id: p,
            region: w.navarre,
            endorse: false,
        },
    );
    assert!(w.state.priorities[&p].endorsements.is_empty());
}

#[test]
fn actions_and_comments() {
    let mut w = World::new();
    let p = w.priority;
    let saxony = editor(w.saxony);
    let action = Action {
        id: id(ActionId::from_parts, 30),
        title: "Survey of training needs".into(),
        owner: Some(w.saxony),
        due: Some(date("2026-03-31")),
        done: false,
    };
    w.ok(
        &saxony,
        Mutation::SetPriorityAction {
            priority: p,
            action: action.clone(),
        },
    );
    w.ok(
        &saxony,
        Mutation::SetPriorityAction {
            priority: p,
            action: Action {
                done: true,
                ..action.clone()
            },
        },
    );
    assert_eq!(w.state.priorities[&p].actions.len(), 1);
    assert!(w.state.priorities[&p].actions[0].done);
    w.refused(
        &saxony,
        Mutation::SetPriorityAction {
            priority: p,
            action: Action {
                owner: Some(id(RegionId::from_parts, 98)),
                ..action.clone()
            },
        },
        RejectionCode::UnknownEntity,
    );
    w.refused(
        &saxony,
        Mutation::SetPriorityAction {
            priority: p,
            action: Action {
                title: " ".into(),
                ..action.clone()
            },
        },
        RejectionCode::EmptyField,
    );
    w.ok(
        &saxony,
        Mutation::RemovePriorityAction {
            priority: p,
            action: action.id,
        },
    );
    w.refused(
        &saxony,
        Mutation::RemovePriorityAction {
            priority: p,
            action: action.id,
        },
        RejectionCode::UnknownEntity,
    );

    let comment = id(CommentId::from_parts, 31);
    let navarre = editor(w.navarre);
    w.ok(
        &navarre,
        Mutation::AddComment {
            priority: p,
            id: comment,
            text: "We can host the workshop.".into(),
        },
    );
    let c = &w.state.priorities[&p].comments[0];
    assert_eq!((c.author_name.as_str(), c.at_ms), ("Rita", 1_000));
    w.refused(
        &navarre,
        Mutation::AddComment {
            priority: p,
            id: comment,
            text: "again".into(),
        },
        RejectionCode::DuplicateId,
    );
    w.refused(
        &observer(),
        Mutation::AddComment {
            priority: p,
            id: id(CommentId::from_parts, 32),
            text: "hi".into(),
        },
        RejectionCode::NotPermitted,
    );
    let other_editor = Actor {
        user: id(UserId::from_parts, 7),
        ..editor(w.saxony)
    };
    w.refused(
        &other_editor,
        Mutation::DeleteComment {
            priority: p,
            id: comment,
        },
        RejectionCode::NotPermitted,
    );
    w.ok(
        &navarre,
        Mutation::DeleteComment {
            priority: p,
            id: comment,
        },
    );
}

#[test]
fn membership_follows_its_transitions_and_only_the_secretariat_admits() {
    let mut w = World::new();
    let lazio = w.lazio;
    w.refused(
        &editor(w.saxony),
        Mutation::AdmitRegion {
            id: lazio,
            joined: date("2025-01-01"),
        },
        RejectionCode::NotPermitted,
    );
    w.refused(
        &secretariat(),
        Mutation::LeaveAlliance { id: lazio },
        RejectionCode::InvalidTransition,
    );
    w.ok(&secretariat(), Mutation::DeclineRegion { id: lazio });
    w.ok(
        &secretariat(),
        Mutation::AdmitRegion {
            id: lazio,
            joined: date("2026-01-01"),
        },
    );
    w.ok(&editor(lazio), Mutation::LeaveAlliance { id: lazio });
    assert_eq!(
        w.state.regions[&lazio].membership,
        region::Membership::Former
    );
    let r = w.refused(
        &editor(w.saxony),
        Mutation::ApplyForMembership {
            id: id(RegionId::from_parts, 40),
            name: "Copy".into(),
            country: "DE".into(),
            nuts: "DED".into(),
            contact: String::new(),
        },
        RejectionCode::AlreadyExists,
    );
    assert_eq!(r.param(Param::Key), Some("DED"));
    w.refused(
        &editor(w.saxony),
        Mutation::ApplyForMembership {
            id: id(RegionId::from_parts, 41),
            name: "X".into(),
            country: "Deu".into(),
            nuts: "DE3".into(),
            contact: String::new(),
        },
        RejectionCode::InvalidValue,
    );
    w.refused(
        &editor(w.navarre),
        Mutation::UpdateRegion {
            id: w.saxony,
            patch: RegionPatch {
                contact: Some("x".into()),
                ..Default::default()
            },
        },
        RejectionCode::NotPermitted,
    );
}

fn conference(year: u16, host: RegionId, start: &str, end: &str) -> Conference {
    Conference {
        id: id(ConferenceId::from_parts, year as u8),
        year,
        host,
        city: "Leipzig".into(),
        start: date(start),
        end: date(end),
        theme: String::new(),
        theme_priorities: BTreeSet::new(),
        unconfirmed: false,
    }
}

#[test]
fn conferences_one_a_year_hosted_by_a_member_with_the_hosts_theme() {
    let mut w = World::new();
    let s = secretariat();
    w.ok(
        &s,
        Mutation::CreateConference {
            conference: conference(2022, w.saxony, "2022-11-17", "2022-11-17"),
        },
    );
    let mut twice = conference(2022, w.navarre, "2022-12-01", "2022-12-01");
    twice.id = id(ConferenceId::from_parts, 99);
    w.refused(
        &s,
        Mutation::CreateConference { conference: twice },
        RejectionCode::AlreadyExists,
    );
    w.refused(
        &s,
        Mutation::CreateConference {
            conference: conference(2023, w.lazio, "2023-11-09", "2023-11-09"),
        },
        RejectionCode::NotAMember,
    );
    w.refused(
        &s,
        Mutation::CreateConference {
            conference: conference(2023, w.navarre, "2023-11-09", "2023-11-08"),
        },
        RejectionCode::EndsBeforeStart,
    );
    w.refused(
        &s,
        Mutation::CreateConference {
            conference: conference(2023, w.navarre, "2024-11-09", "2024-11-09"),
        },
        RejectionCode::InvalidValue,
    );
    w.ok(
        &s,
        Mutation::CreateConference {
            conference: conference(2023, w.navarre, "2023-11-09", "2023-11-09"),
        },
    );

    let leipzig = id(ConferenceId::from_parts, 2022u16 as u8);
    let theme = Mutation::SetConferenceTheme {
        id: leipzig,
        theme: "A just transition".into(),
        priorities: [w.priority].into(),
    };
    w.refused(
        &editor(w.navarre),
        theme.clone(),
        RejectionCode::NotPermitted,
    );
    w.ok(&editor(w.saxony), theme);
    w.refused(
        &editor(w.saxony),
        Mutation::SetConferenceTheme {
            id: leipzig,
            theme: "x".into(),
            priorities: [id(PriorityId::from_parts, 77)].into(),
        },
        RejectionCode::UnknownEntity,
    );
    w.refused(
        &editor(w.saxony),
        Mutation::DeleteConference { id: leipzig },
        RejectionCode::NotPermitted,
    );

    let rotation = w.state.chair_rotation();
    assert_eq!(rotation.len(), 2);
    assert_eq!(
        (rotation[0].region, rotation[0].until),
        (w.saxony, Some(date("2023-11-09")))
    );
    assert_eq!((rotation[1].region, rotation[1].until), (w.navarre, None));
}

#[test]
fn baselines_record_the_adopted_programme_and_show_what_changed() {
    let mut w = World::new();
    let s = secretariat();
    let p = w.priority;
    w.ok(
        &s,
        Mutation::SetPriorityStatus {
            id: p,
            status: PriorityStatus::Adopted,
        },
    );
    let baseline = id(BaselineId::from_parts, 50);
    w.refused(
        &editor(w.saxony),
        Mutation::AdoptBaseline {
            id: baseline,
            name: "WP".into(),
            adopted_on: date("2025-09-10"),
        },
        RejectionCode::NotPermitted,
    );
    w.ok(
        &s,
        Mutation::AdoptBaseline {
            id: baseline,
            name: "Work programme 2026".into(),
            adopted_on: date("2025-09-10"),
        },
    );
    w.refused(
        &s,
        Mutation::AdoptBaseline {
            id: baseline,
            name: "Rewritten".into(),
            adopted_on: date("2025-09-11"),
        },
        RejectionCode::BaselineImmutable,
    );
    w.refused(&s, Mutation::DeletePriority { id: p }, RejectionCode::InUse);

    w.ok(
        &s,
        Mutation::RenamePriority {
            id: p,
            title: "Skills pact 2030".into(),
        },
    );
    let horizon = w.state.priorities[&p].horizon;
    let added = id(PriorityId::from_parts, 21);
    w.ok(
        &s,
        Mutation::CreatePriority {
            id: added,
            title: "Charging".into(),
            horizon,
        },
    );
    w.ok(
        &s,
        Mutation::SetPriorityStatus {
            id: added,
            status: PriorityStatus::Adopted,
        },
    );
    let diff = w.state.baselines[&baseline].diff(&w.state);
    assert!(
        diff.contains(&BaselineChange::Changed {
            id: p,
            title: "Skills pact 2030".into(),
            fields: vec!["title".into()]
        }),
        "{diff:?}"
    );
    assert!(
        diff.contains(&BaselineChange::Added {
            id: added,
            title: "Charging".into()
        }),
        "{diff:?}"
    );
    w.ok(
        &s,
        Mutation::SetPriorityStatus {
            id: p,
            status: PriorityStatus::Dropped,
        },
    );
    let diff = w.state.baselines[&baseline].diff(&w.state);
    assert!(
        diff.iter()
            .any(|c| matches!(c, BaselineChange::Removed { id, .. } if *id == p)),
        "{diff:?}"
    );
}

#[test]
fn stakeholders_and_their_links() {
    let mut w = World::new();
    let editor = editor(w.saxony);
    let org = Stakeholder {
        id: id(StakeholderId::from_parts, 60),
        name: "CLEPA".into(),
        kind: StakeholderKind::Supplier,
        country: "BE".into(),
        website: "https://clepa.eu".into(),
    };
    w.ok(
        &editor,
        Mutation::SetStakeholder {
            stakeholder: org.clone(),
        },
    );
    let r = w.refused(
        &editor,
        Mutation::SetStakeholder {
            stakeholder: Stakeholder {
                website: "clepa dot eu".into(),
                ..org.clone()
            },
        },
        RejectionCode::InvalidValue,
    );
    assert_eq!(r.param(Param::Field), Some("website"));
    w.ok(
        &editor,
        Mutation::SetStakeholder {
            stakeholder: Stakeholder {
                country: "EU".into(),
                ..org.clone()
            },
        },
    );
    let link = StakeholderLink {
        id: id(LinkId::from_parts, 61),
        stakeholder: org.id,
        target: LinkTarget::Priority(w.priority),
        relation: Relation::Contributor,
    };
    w.ok(&editor, Mutation::LinkStakeholder { link: link.clone() });
    w.refused(
        &editor,
        Mutation::LinkStakeholder {
            link: StakeholderLink {
                id: id(LinkId::from_parts, 62),
                ..link.clone()
            },
        },
        RejectionCode::AlreadyExists,
    );
    w.refused(
        &editor,
        Mutation::LinkStakeholder {
            link: StakeholderLink {
                id: id(LinkId::from_parts, 63),
                target: LinkTarget::Region(id(RegionId::from_parts, 97)),
                ..link.clone()
            },
        },
        RejectionCode::UnknownEntity,
    );
    w.refused(
        &secretariat(),
        Mutation::DeletePriority { id: w.priority },
        RejectionCode::InUse,
    );
    w.refused(
        &editor,
        Mutation::DeleteStakeholder { id: org.id },
        RejectionCode::NotPermitted,
    );
    w.ok(&secretariat(), Mutation::DeleteStakeholder { id: org.id });
    assert!(w.state.links.is_empty(), "its links go with it");
}

#[test]
fn meetings_are_checked_and_run_by_the_secretariat() {
    let mut w = World::new();
    let s = secretariat();
    let meeting = Meeting {
        id: id(MeetingId::from_parts, 70),
        kind: MeetingKind::VideoConference,
        title: "Working group".into(),
        start_ms: 1_768_899_600_000,
        end_ms: 1_768_906_800_000,
        time_zone: "Europe/Brussels".into(),
        place: String::new(),
        video_link: "https://video.example.eu/wg".into(),
        participants: [w.saxony, w.navarre].into(),
        agenda: vec![AgendaItem {
            id: id(AgendaItemId::from_parts, 71),
            title: "Skills".into(),
            priority: Some(w.priority),
        }],
        minutes: String::new(),
        actions: vec![],
    };
    w.refused(
        &editor(w.saxony),
        Mutation::CreateMeeting {
            meeting: meeting.clone(),
        },
        RejectionCode::NotPermitted,
    );
    w.refused(
        &s,
        Mutation::CreateMeeting {
            meeting: Meeting {
                end_ms: meeting.start_ms - 1,
                ..meeting.clone()
            },
        },
        RejectionCode::EndsBeforeStart,
    );
    w.refused(
        &s,
        Mutation::CreateMeeting {
            meeting: Meeting {
                time_zone: "Mars/Olympus Mons!".into(),
                ..meeting.clone()
            },
        },
        RejectionCode::InvalidValue,
    );
    w.refused(
        &s,
        Mutation::CreateMeeting {
            meeting: Meeting {
                participants: [id(RegionId::from_parts, 96)].into(),
                ..meeting.clone()
            },
        },
        RejectionCode::UnknownEntity,
    );
    w.ok(
        &s,
        Mutation::CreateMeeting {
            meeting: meeting.clone(),
        },
    );
    w.ok(
        &s,
        Mutation::UpdateMeeting {
            id: meeting.id,
            patch: MeetingPatch {
                minutes: Some("Agreed to survey training needs.".into()),
                ..Default::default()
            },
        },
    );
    w.refused(
        &s,
        Mutation::UpdateMeeting {
            id: meeting.id,
            patch: MeetingPatch {
                video_link: Some("not a link".into()),
                ..Default::default()
            },
        },
        RejectionCode::InvalidValue,
    );
    w.refused(
        &s,
        Mutation::DeletePriority { id: w.priority },
        RejectionCode::InUse,
    );
}

#[test]
fn developments_link_to_existing_priorities() {
    let mut w = World::new();
    let d = Development {
        id: id(DevelopmentId::from_parts, 80),
        kind: DevelopmentKind::Political,
        title: "Industrial action plan".into(),
        date: date("2025-03-05"),
        source: "https://commission.europa.eu".into(),
        summary: String::new(),
        priorities: [w.priority].into(),
    };
    w.ok(
        &editor(w.navarre),
        Mutation::SetDevelopment {
            development: d.clone(),
        },
    );
    w.refused(
        &editor(w.navarre),
        Mutation::SetDevelopment {
            development: Development {
                priorities: [id(PriorityId::from_parts, 95)].into(),
                ..d.clone()
            },
        },
        RejectionCode::UnknownEntity,
    );
    w.refused(
        &editor(w.navarre),
        Mutation::DeleteDevelopment { id: d.id },
        RejectionCode::NotPermitted,
    );
    w.ok(&secretariat(), Mutation::DeleteDevelopment { id: d.id });
}

#[test]
fn reference_data_is_the_secretariats() {
    let mut w = World::new();
    let point = reference::TenPoint {
        n: 10,
        title_en: "Dialogue".into(),
        title_de: "Dialog".into(),
        summary_en: String::new(),
        unconfirmed: true,
    };
    w.refused(
        &editor(w.saxony),
        Mutation::SetTenPoint {
            point: point.clone(),
        },
        RejectionCode::NotPermitted,
    );
    w.refused(
        &secretariat(),
        Mutation::SetTenPoint {
            point: reference::TenPoint {
                n: 11,
                ..point.clone()
            },
        },
        RejectionCode::InvalidValue,
    );
    w.ok(
        &secretariat(),
        Mutation::SetTenPoint {
            point: point.clone(),
        },
    );
    let changes = w.ok(
        &secretariat(),
        Mutation::SetTenPoint {
            point: reference::TenPoint {
                unconfirmed: false,
                ..point
            },
        },
    );
    assert_eq!(changes[0].field, "unconfirmed");
    assert_eq!(changes[0].old, Some(serde_json::json!(true)));
}

#[test]
fn history_tells_who_changed_which_field_when() {
    let mut w = World::new();
    let p = w.priority;
    w.ok(
        &secretariat(),
        Mutation::RenamePriority {
            id: p,
            title: "Skills pact 2030".into(),
        },
    );
    w.ok(
        &editor(w.saxony),
        Mutation::SetPriorityStatus {
            id: p,
            status: PriorityStatus::Adopted,
        },
    );
    let items = history(&w.log, &EntityRef::Priority(p));
    let fields: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i.field.as_str(), i.actor.name.as_str()))
        .collect();
    assert_eq!(
        fields,
        [("*", "Rita"), ("title", "Sabine"), ("status", "Rita")]
    );
    assert_eq!(items[1].old, Some(serde_json::json!("Skills pact")));
}

#[test]
fn deleting_an_unreferenced_priority_removes_it_from_the_programme() {
    let mut w = World::new();
    w.refused(
        &editor(w.saxony),
        Mutation::DeletePriority { id: w.priority },
        RejectionCode::NotPermitted,
    );
    w.ok(&secretariat(), Mutation::DeletePriority { id: w.priority });
    assert!(w.state.programme_order.is_empty());
}

#[test]
fn moving_a_priority_is_for_those_who_may_edit_it() {
    let mut w = World::new();
    let p = w.priority;
    let horizon = w.state.priorities[&p].horizon;
    let other = id(PriorityId::from_parts, 22);
    w.ok(
        &secretariat(),
        Mutation::CreatePriority {
            id: other,
            title: "Charging".into(),
            horizon,
        },
    );
    w.refused(
        &editor(w.navarre),
        Mutation::MovePriority { id: p, index: 1 },
        RejectionCode::NotPermitted,
    );
    w.ok(
        &editor(w.saxony),
        Mutation::MovePriority { id: p, index: 1 },
    );
    assert_eq!(w.state.programme_order, [other, p]);
    w.refused(
        &secretariat(),
        Mutation::MovePriority {
            id: id(PriorityId::from_parts, 93),
            index: 0,
        },
        RejectionCode::UnknownEntity,
    );
    let mut backwards = horizon;
    backwards.end = Quarter::new(2025, 4).expect("q");
    w.refused(
        &secretariat(),
        Mutation::UpdatePriority {
            id: p,
            patch: PriorityPatch {
                horizon: Some(backwards),
                ..patch()
            },
        },
        RejectionCode::HorizonEndsBeforeStart,
    );
}

#[test]
fn conference_updates_keep_every_rule_of_a_new_conference() {
    let mut w = World::new();
    let s = secretariat();
    w.ok(
        &s,
        Mutation::CreateConference {
            conference: conference(2022, w.saxony, "2022-11-17", "2022-11-17"),
        },
    );
    w.ok(
        &s,
        Mutation::CreateConference {
            conference: conference(2023, w.navarre, "2023-11-09", "2023-11-09"),
        },
    );
    let pamplona = id(ConferenceId::from_parts, 2023u16 as u8);
    let update = |patch: ConferencePatch| Mutation::UpdateConference {
        id: pamplona,
        patch,
    };
    w.refused(
        &editor(w.navarre),
        update(ConferencePatch {
            city: Some("Pamplona".into()),
            ..Default::default()
        }),
        RejectionCode::NotPermitted,
    );
    w.refused(
        &s,
        update(ConferencePatch {
            host: Some(w.lazio),
            ..Default::default()
        }),
        RejectionCode::NotAMember,
    );
    w.refused(
        &s,
        update(ConferencePatch {
            end: Some(date("2023-11-08")),
            ..Default::default()
        }),
        RejectionCode::EndsBeforeStart,
    );
    w.refused(
        &s,
        update(ConferencePatch {
            city: Some("  ".into()),
            ..Default::default()
        }),
        RejectionCode::EmptyField,
    );
    let changes = w.ok(
        &s,
        update(ConferencePatch {
            city: Some("Pamplona".into()),
            unconfirmed: Some(true),
            ..Default::default()
        }),
    );
    let fields: BTreeSet<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["city", "unconfirmed"].into());
    assert!(w.state.conferences[&pamplona].unconfirmed);
    w.refused(
        &s,
        Mutation::UpdateConference {
            id: id(ConferenceId::from_parts, 1),
            patch: ConferencePatch::default(),
        },
        RejectionCode::UnknownEntity,
    );
    w.ok(&s, Mutation::DeleteConference { id: pamplona });
    w.refused(
        &s,
        Mutation::DeleteConference { id: pamplona },
        RejectionCode::UnknownEntity,
    );
    assert_eq!(w.state.chair_rotation().len(), 1);
}

#[test]
fn unconfirmed_facts_stay_marked_until_someone_confirms_them() {
    let mut w = World::new();
    let s = secretariat();
    w.ok(
        &s,
        Mutation::UpdateRegion {
            id: w.lazio,
            patch: RegionPatch {
                unconfirmed: Some(true),
                ..Default::default()
            },
        },
    );
    assert!(w.state.regions[&w.lazio].unconfirmed);
    assert!(!w.state.regions[&w.lazio].nuts_confirmed);
    w.refused(
        &editor(w.saxony),
        Mutation::UpdateRegion {
            id: w.lazio,
            patch: RegionPatch {
                unconfirmed: Some(false),
                ..Default::default()
            },
        },
        RejectionCode::NotPermitted,
    );
    // Lazio's own editor, or the secretariat, confirms it.
    let changes = w.ok(
        &editor(w.lazio),
        Mutation::UpdateRegion {
            id: w.lazio,
            patch: RegionPatch {
                unconfirmed: Some(false),
                ..Default::default()
            },
        },
    );
    assert_eq!(changes.len(), 1);
    // A NUTS code is checked against Eurostat's list: the secretariat's call.
    w.refused(
        &editor(w.lazio),
        Mutation::UpdateRegion {
            id: w.lazio,
            patch: RegionPatch {
                nuts_confirmed: Some(true),
                ..Default::default()
            },
        },
        RejectionCode::NotPermitted,
    );
    w.ok(
        &s,
        Mutation::UpdateRegion {
            id: w.lazio,
            patch: RegionPatch {
                nuts_confirmed: Some(true),
                ..Default::default()
            },
        },
    );
    let fields: Vec<String> = history(&w.log, &EntityRef::Region(w.lazio))
        .into_iter()
        .map(|h| h.field)
        .collect();
    assert_eq!(
        fields,
        ["*", "unconfirmed", "unconfirmed", "nuts_confirmed"]
    );
}

#[test]
fn links_and_meetings_can_be_removed_by_those_allowed() {
    let mut w = World::new();
    let org = Stakeholder {
        id: id(StakeholderId::from_parts, 64),
        name: "IndustriAll Europe".into(),
        kind: StakeholderKind::SocialPartner,
        country: "EU".into(),
        website: String::new(),
    };
    let link = StakeholderLink {
        id: id(LinkId::from_parts, 65),
        stakeholder: org.id,
        target: LinkTarget::Region(w.navarre),
        relation: Relation::Partner,
    };
    let nav = editor(w.navarre);
    w.ok(&nav, Mutation::SetStakeholder { stakeholder: org });
    w.ok(&nav, Mutation::LinkStakeholder { link: link.clone() });
    w.refused(
        &observer(),
        Mutation::UnlinkStakeholder { id: link.id },
        RejectionCode::NotPermitted,
    );
    let changes = w.ok(&nav, Mutation::UnlinkStakeholder { id: link.id });
    assert_eq!(changes[0].new, serde_json::Value::Null);
    assert!(
        changes[0].old.is_some(),
        "the removed link is kept in the change"
    );
    w.refused(
        &nav,
        Mutation::UnlinkStakeholder { id: link.id },
        RejectionCode::UnknownEntity,
    );

    let meeting = Meeting {
        id: id(MeetingId::from_parts, 72),
        kind: MeetingKind::WorkingLevel,
        title: "Secretariat".into(),
        start_ms: 1_768_899_600_000,
        end_ms: 1_768_906_800_000,
        time_zone: "UTC".into(),
        place: "Brussels".into(),
        video_link: String::new(),
        participants: BTreeSet::new(),
        agenda: vec![],
        minutes: String::new(),
        actions: vec![],
    };
    w.ok(&secretariat(), Mutation::CreateMeeting { meeting });
    let m = id(MeetingId::from_parts, 72);
    w.refused(
        &nav,
        Mutation::DeleteMeeting { id: m },
        RejectionCode::NotPermitted,
    );
    w.ok(&secretariat(), Mutation::DeleteMeeting { id: m });
    w.refused(
        &secretariat(),
        Mutation::DeleteMeeting { id: m },
        RejectionCode::UnknownEntity,
    );
}

#[test]
fn history_is_kept_for_every_kind_of_entity() {
    let mut w = World::new();
    let s = secretariat();
    w.ok(
        &s,
        Mutation::CreateConference {
            conference: conference(2022, w.saxony, "2022-11-17", "2022-11-17"),
        },
    );
    let leipzig = id(ConferenceId::from_parts, 2022u16 as u8);
    w.ok(
        &editor(w.saxony),
        Mutation::SetConferenceTheme {
            id: leipzig,
            theme: "A just transition".into(),
            priorities: [w.priority].into(),
        },
    );
    w.ok(
        &s,
        Mutation::MovePriority {
            id: w.priority,
            index: 0,
        },
    );
    w.ok(
        &s,
        Mutation::SetTenPoint {
            point: reference::TenPoint {
                n: 3,
                title_en: "Supplier SMEs".into(),
                title_de: "Zulieferer-KMU".into(),
                summary_en: String::new(),
                unconfirmed: false,
            },
        },
    );
    let theme = history(&w.log, &EntityRef::Conference(leipzig));
    let theme: Vec<(&str, &str)> = theme
        .iter()
        .map(|h| (h.field.as_str(), h.actor.name.as_str()))
        .collect();
    assert_eq!(
        theme,
        [
            ("*", "Sabine"),
            ("theme", "Rita"),
            ("theme_priorities", "Rita")
        ]
    );
    let order = history(&w.log, &EntityRef::Programme);
    assert_eq!(order.len(), 1);
    assert_eq!(order[0].field, "order");
    assert_eq!(history(&w.log, &EntityRef::TenPoint(3)).len(), 1);
    assert_eq!(
        history(&w.log, &EntityRef::Initiative("JTF".into()))[0].field,
        "*"
    );
    let admitted = history(&w.log, &EntityRef::Region(w.saxony));
    assert_eq!(
        admitted
            .iter()
            .map(|h| h.field.as_str())
            .collect::<Vec<_>>(),
        ["*", "joined", "membership"]
    );
    assert!(history(&w.log, &EntityRef::Meeting(id(MeetingId::from_parts, 1))).is_empty());
}

// --- What a text may hold ---

fn rename(w: &World, title: String) -> Mutation {
    Mutation::RenamePriority {
        id: w.priority,
        title,
    }
}

fn describe(w: &World, description: String) -> Mutation {
    Mutation::UpdatePriority {
        id: w.priority,
        patch: PriorityPatch {
            description: Some(description),
            ..patch()
        },
    }
}

#[track_caller]
fn refused_for(w: &mut World, m: Mutation, field: &str, expected: &str) -> Rejection {
    let r = w.refused(&secretariat(), m, RejectionCode::InvalidValue);
    assert_eq!(r.param(Param::Field), Some(field), "{r:?}");
    assert_eq!(r.param(Param::Expected), Some(expected), "{r:?}");
    r
}

#[test]
fn a_title_with_a_bidi_override_is_refused() {
    let mut w = World::new();
    let m = rename(&w, "Skills \u{202E}tcap".into());
    let r = refused_for(&mut w, m, "title", rejection::SINGLE_LINE);
    assert_eq!(r.param(Param::Character), Some("U+202E"));
    assert_eq!(w.state.priorities[&w.priority].title, "Skills pact");
}

#[test]
fn a_name_with_a_nul_character_is_refused() {
    let mut w = World::new();
    let m = Mutation::UpdateRegion {
        id: w.saxony,
        patch: RegionPatch {
            name: Some("Sach\0sen".into()),
            ..Default::default()
        },
    };
    let r = refused_for(&mut w, m, "name", rejection::SINGLE_LINE);
    assert_eq!(r.param(Param::Character), Some("U+0000"));
}

#[test]
fn a_title_with_a_line_break_is_refused() {
    let mut w = World::new();
    let m = rename(&w, "Skills\npact".into());
    refused_for(&mut w, m, "title", rejection::SINGLE_LINE);
}

#[test]
fn a_description_keeps_its_line_breaks_and_tabs() {
    let mut w = World::new();
    let text = "Two steps:\n\t1. survey\r\n\t2. train";
    let m = describe(&w, text.into());
    w.ok(&secretariat(), m);
    assert_eq!(w.state.priorities[&w.priority].description, text);
}

#[test]
fn a_description_with_a_bidi_isolate_is_refused() {
    let mut w = World::new();
    let m = describe(&w, "Budget: \u{2066}1000\u{2069} EUR".into());
    let r = refused_for(&mut w, m, "description", rejection::PLAIN_TEXT);
    assert_eq!(r.param(Param::Character), Some("U+2066"));
}

/// A field of the model as a mutation that puts a text into it.
type Put = fn(&World, String) -> Mutation;

fn action_titled(title: String) -> Action {
    Action {
        id: id(ActionId::from_parts, 34),
        title,
        owner: None,
        due: None,
        done: false,
    }
}

fn ten_point(title_en: String, title_de: String, summary_en: String) -> reference::TenPoint {
    reference::TenPoint {
        n: 3,
        title_en,
        title_de,
        summary_en,
        unconfirmed: false,
    }
}

fn development(title: String, summary: String, w: &World) -> Development {
    Development {
        id: id(DevelopmentId::from_parts, 82),
        kind: DevelopmentKind::Political,
        title,
        date: date("2025-03-05"),
        source: String::new(),
        summary,
        priorities: [w.priority].into(),
    }
}

fn meeting(w: &World, edit: impl FnOnce(&mut Meeting)) -> Mutation {
    let mut meeting = Meeting {
        id: id(MeetingId::from_parts, 74),
        kind: MeetingKind::WorkingLevel,
        title: "Working group".into(),
        start_ms: 1_768_899_600_000,
        end_ms: 1_768_906_800_000,
        time_zone: "Europe/Brussels".into(),
        place: String::new(),
        video_link: String::new(),
        participants: [w.saxony].into(),
        agenda: vec![AgendaItem {
            id: id(AgendaItemId::from_parts, 75),
            title: "Skills".into(),
            priority: None,
        }],
        minutes: String::new(),
        actions: vec![],
    };
    edit(&mut meeting);
    Mutation::CreateMeeting { meeting }
}

/// Every single-line field of the model, by the name its refusal gives.
fn single_line_fields() -> Vec<(&'static str, Put)> {
    vec![
        ("title", |_, title| Mutation::CreatePriority {
            id: id(PriorityId::from_parts, 25),
            title,
            horizon: Horizon {
                term: Term::Short,
                start: Quarter::new(2026, 1).expect("q"),
                end: Quarter::new(2026, 4).expect("q"),
            },
        }),
        ("title", rename),
        ("title", |w, title| Mutation::UpdatePriority {
            id: w.priority,
            patch: PriorityPatch {
                title: Some(title),
                ..patch()
            },
        }),
        ("title", |w, title| Mutation::SetPriorityAction {
            priority: w.priority,
            action: action_titled(title),
        }),
        ("name", |_, name| Mutation::AdoptBaseline {
            id: id(BaselineId::from_parts, 52),
            name,
            adopted_on: date("2026-01-15"),
        }),
        ("title_en", |_, t| Mutation::SetTenPoint {
            point: ten_point(t, "Punkt".into(), String::new()),
        }),
        ("title_de", |_, t| Mutation::SetTenPoint {
            point: ten_point("Point".into(), t, String::new()),
        }),
        ("title", |_, title| Mutation::SetInitiative {
            initiative: Initiative {
                code: "EGD".into(),
                title,
                year: None,
                unconfirmed: false,
            },
        }),
        ("name", |_, name| Mutation::ApplyForMembership {
            id: id(RegionId::from_parts, 15),
            name,
            country: "AT".into(),
            nuts: "AT22".into(),
            contact: String::new(),
        }),
        ("contact", |_, contact| Mutation::ApplyForMembership {
            id: id(RegionId::from_parts, 15),
            name: "Steiermark".into(),
            country: "AT".into(),
            nuts: "AT22".into(),
            contact,
        }),
        ("name", |w, name| Mutation::UpdateRegion {
            id: w.saxony,
            patch: RegionPatch {
                name: Some(name),
                ..Default::default()
            },
        }),
        ("contact", |w, contact| Mutation::UpdateRegion {
            id: w.saxony,
            patch: RegionPatch {
                contact: Some(contact),
                ..Default::default()
            },
        }),
        ("title", |w, title| Mutation::SetDevelopment {
            development: development(title, String::new(), w),
        }),
        ("city", |w, city| Mutation::CreateConference {
            conference: Conference {
                city,
                ..conference(2026, w.saxony, "2026-06-01", "2026-06-02")
            },
        }),
        ("theme", |w, theme| Mutation::CreateConference {
            conference: Conference {
                theme,
                ..conference(2026, w.saxony, "2026-06-01", "2026-06-02")
            },
        }),
        ("name", |_, name| Mutation::SetStakeholder {
            stakeholder: Stakeholder {
                id: id(StakeholderId::from_parts, 68),
                name,
                kind: StakeholderKind::Industry,
                country: "DE".into(),
                website: String::new(),
            },
        }),
        ("title", |w, title| meeting(w, |m| m.title = title)),
        ("place", |w, place| meeting(w, |m| m.place = place)),
        ("agenda", |w, t| meeting(w, |m| m.agenda[0].title = t)),
        ("title", |w, t| {
            meeting(w, |m| m.actions = vec![action_titled(t)])
        }),
    ]
}

/// Every multi-line text of the model, by the name its refusal gives.
fn multi_line_fields() -> Vec<(&'static str, Put)> {
    vec![
        ("comment", |w, text| Mutation::AddComment {
            priority: w.priority,
            id: id(CommentId::from_parts, 41),
            text,
        }),
        ("summary", |w, summary| Mutation::UpdatePriority {
            id: w.priority,
            patch: PriorityPatch {
                summary: Some(summary),
                ..patch()
            },
        }),
        ("description", describe),
        ("summary_en", |_, s| Mutation::SetTenPoint {
            point: ten_point("Point".into(), "Punkt".into(), s),
        }),
        ("summary", |w, summary| Mutation::SetDevelopment {
            development: development("Plan".into(), summary, w),
        }),
        ("minutes", |w, minutes| meeting(w, |m| m.minutes = minutes)),
    ]
}

#[test]
fn every_single_line_field_refuses_control_bidi_and_line_break_characters() {
    for (field, put) in single_line_fields() {
        let mut w = World::new();
        let m = put(&w, "Plain ＝ text, naïve – “quoted”".into());
        w.ok(&secretariat(), m);
        for bad in [
            "a\u{202E}b",
            "a\0b",
            "a\nb",
            "a\tb",
            "a\u{1b}b",
            "a\u{2028}b",
        ] {
            let mut w = World::new();
            let m = put(&w, bad.into());
            refused_for(&mut w, m, field, rejection::SINGLE_LINE);
        }
    }
}

#[test]
fn every_multi_line_text_keeps_line_breaks_and_refuses_controls_and_bidi() {
    for (field, put) in multi_line_fields() {
        let mut w = World::new();
        let m = put(&w, "First line\nsecond\r\n\tindented".into());
        w.ok(&secretariat(), m);
        for bad in ["a\u{2066}b", "a\u{202E}b", "a\0b", "a\u{7f}b"] {
            let mut w = World::new();
            let m = put(&w, bad.into());
            refused_for(&mut w, m, field, rejection::PLAIN_TEXT);
        }
    }
}

#[test]
fn an_address_with_a_control_character_is_no_address() {
    let mut w = World::new();
    let m = Mutation::SetDevelopment {
        development: Development {
            source: "https://example.eu/\u{202E}fdp.exe".into(),
            ..development("Plan".into(), String::new(), &w)
        },
    };
    refused_for(&mut w, m, "source", "url");
}

/// One index per mutation kind; adding a mutation breaks this match, so the
/// coverage test below cannot silently miss it.
fn kind_index(m: &Mutation) -> usize {
    use Mutation::*;
    match m {
        CreatePriority { .. } => 0,
        RenamePriority { .. } => 1,
        SetPriorityStatus { .. } => 2,
        MovePriority { .. } => 3,
        UpdatePriority { .. } => 4,
        DeletePriority { .. } => 5,
        EndorsePriority { .. } => 6,
        SetPriorityAction { .. } => 7,
        RemovePriorityAction { .. } => 8,
        AddComment { .. } => 9,
        DeleteComment { .. } => 10,
        AdoptBaseline { .. } => 11,
        SetTenPoint { .. } => 12,
        SetInitiative { .. } => 13,
        ApplyForMembership { .. } => 14,
        AdmitRegion { .. } => 15,
        DeclineRegion { .. } => 16,
        LeaveAlliance { .. } => 17,
        UpdateRegion { .. } => 18,
        SetDevelopment { .. } => 19,
        DeleteDevelopment { .. } => 20,
        CreateConference { .. } => 21,
        UpdateConference { .. } => 22,
        SetConferenceTheme { .. } => 23,
        DeleteConference { .. } => 24,
        SetStakeholder { .. } => 25,
        DeleteStakeholder { .. } => 26,
        LinkStakeholder { .. } => 27,
        UnlinkStakeholder { .. } => 28,
        CreateMeeting { .. } => 29,
        UpdateMeeting { .. } => 30,
        DeleteMeeting { .. } => 31,
    }
}
const KINDS: usize = 32;

fn code_index(code: RejectionCode) -> usize {
    use RejectionCode::*;
    match code {
        EmptyField => 0,
        TooLong => 1,
        UnknownEntity => 2,
        DuplicateId => 3,
        InvalidTransition => 4,
        HorizonEndsBeforeStart => 5,
        NotPermitted => 6,
        InvalidValue => 7,
        EndsBeforeStart => 8,
        InUse => 9,
        AlreadyExists => 10,
        NotAMember => 11,
        BaselineImmutable => 12,
    }
}
const CODES: usize = 13;

/// Every mutation is accepted at least once and every rejection code is
/// produced at least once, in one run through the whole model.
#[test]
fn every_mutation_applies_and_every_rejection_is_reachable() {
    let mut w = World::new();
    let (s, sax, nav, obs) = (
        secretariat(),
        editor(w.saxony),
        editor(w.navarre),
        observer(),
    );
    let horizon = w.state.priorities[&w.priority].horizon;
    let p2 = id(PriorityId::from_parts, 23);
    let p3 = id(PriorityId::from_parts, 24);
    let r4 = id(RegionId::from_parts, 13);
    let r5 = id(RegionId::from_parts, 14);
    let org = id(StakeholderId::from_parts, 66);
    let link = id(LinkId::from_parts, 67);
    let meeting = id(MeetingId::from_parts, 73);
    let development = id(DevelopmentId::from_parts, 81);
    let baseline = id(BaselineId::from_parts, 51);
    let action = Action {
        id: id(ActionId::from_parts, 33),
        title: "Workshop".into(),
        owner: None,
        due: None,
        done: false,
    };
    let rename = |title: String| Mutation::RenamePriority { id: p2, title };
    let backwards = Horizon {
        start: Quarter::new(2027, 1).expect("q"),
        ..horizon
    };
    let mut steps: Vec<(&Actor, Mutation, Option<RejectionCode>)> = vec![
        (
            &s,
            Mutation::CreatePriority {
                id: p2,
                title: "Charging".into(),
                horizon,
            },
            None,
        ),
        (
            &s,
            Mutation::CreatePriority {
                id: p2,
                title: "Again".into(),
                horizon,
            },
            Some(RejectionCode::DuplicateId),
        ),
        (
            &s,
            Mutation::CreatePriority {
                id: p3,
                title: "Back".into(),
                horizon: backwards,
            },
            Some(RejectionCode::HorizonEndsBeforeStart),
        ),
        (&s, rename(" ".into()), Some(RejectionCode::EmptyField)),
        (&s, rename("x".repeat(201)), Some(RejectionCode::TooLong)),
        (
            &s,
            rename("\u{202E}gninrahC".into()),
            Some(RejectionCode::InvalidValue),
        ),
        (
            &s,
            Mutation::UpdatePriority {
                id: p2,
                patch: PriorityPatch {
                    description: Some("\u{2066}isolated\u{2069}".into()),
                    ..patch()
                },
            },
            Some(RejectionCode::InvalidValue),
        ),
        (&s, rename("Charging everywhere".into()), None),
        (
            &obs,
            rename("Observed".into()),
            Some(RejectionCode::NotPermitted),
        ),
        (
            &s,
            Mutation::SetPriorityStatus {
                id: p2,
                status: PriorityStatus::Done,
            },
            Some(RejectionCode::InvalidTransition),
        ),
        (
            &s,
            Mutation::SetPriorityStatus {
                id: p2,
                status: PriorityStatus::Adopted,
            },
            None,
        ),
        (&s, Mutation::MovePriority { id: p2, index: 0 }, None),
        (
            &s,
            Mutation::UpdatePriority {
                id: p2,
                patch: PriorityPatch {
                    summary: Some("Everywhere".into()),
                    ..patch()
                },
            },
            None,
        ),
        (
            &s,
            Mutation::UpdatePriority {
                id: p3,
                patch: patch(),
            },
            Some(RejectionCode::UnknownEntity),
        ),
        (
            &s,
            Mutation::EndorsePriority {
                id: p2,
                region: w.lazio,
                endorse: true,
            },
            Some(RejectionCode::NotAMember),
        ),
        (
            &nav,
            Mutation::EndorsePriority {
                id: p2,
                region: w.navarre,
                endorse: true,
            },
            None,
        ),
        (
            &s,
            Mutation::SetPriorityAction {
                priority: p2,
                action: action.clone(),
            },
            None,
        ),
        (
            &s,
            Mutation::RemovePriorityAction {
                priority: p2,
                action: action.id,
            },
            None,
        ),
        (
            &nav,
            Mutation::AddComment {
                priority: p2,
                id: id(CommentId::from_parts, 34),
                text: "Yes".into(),
            },
            None,
        ),
        (
            &nav,
            Mutation::DeleteComment {
                priority: p2,
                id: id(CommentId::from_parts, 34),
            },
            None,
        ),
        (
            &s,
            Mutation::AdoptBaseline {
                id: baseline,
                name: "WP 2026".into(),
                adopted_on: date("2026-01-15"),
            },
            None,
        ),
        (
            &s,
            Mutation::AdoptBaseline {
                id: baseline,
                name: "WP 2026 bis".into(),
                adopted_on: date("2026-01-16"),
            },
            Some(RejectionCode::BaselineImmutable),
        ),
        (
            &s,
            Mutation::DeletePriority { id: p2 },
            Some(RejectionCode::InUse),
        ),
        (&s, Mutation::DeletePriority { id: w.priority }, None),
        (
            &s,
            Mutation::SetTenPoint {
                point: reference::TenPoint {
                    n: 11,
                    title_en: "X".into(),
                    title_de: "X".into(),
                    summary_en: String::new(),
                    unconfirmed: true,
                },
            },
            Some(RejectionCode::InvalidValue),
        ),
        (
            &s,
            Mutation::SetTenPoint {
                point: reference::TenPoint {
                    n: 10,
                    title_en: "Dialogue".into(),
                    title_de: "Dialog".into(),
                    summary_en: String::new(),
                    unconfirmed: true,
                },
            },
            None,
        ),
        (
            &s,
            Mutation::SetInitiative {
                initiative: Initiative {
                    code: "EGD".into(),
                    title: "European Green Deal".into(),
                    year: Some(2019),
                    unconfirmed: false,
                },
            },
            None,
        ),
        (
            &sax,
            Mutation::ApplyForMembership {
                id: r4,
                name: "Piemonte".into(),
                country: "IT".into(),
                nuts: "ITC1".into(),
                contact: String::new(),
            },
            None,
        ),
        (
            &sax,
            Mutation::ApplyForMembership {
                id: r5,
                name: "Veneto".into(),
                country: "IT".into(),
                nuts: "ITH3".into(),
                contact: String::new(),
            },
            None,
        ),
        (
            &s,
            Mutation::AdmitRegion {
                id: r4,
                joined: date("2026-02-01"),
            },
            None,
        ),
        (&s, Mutation::DeclineRegion { id: r5 }, None),
        (&s, Mutation::LeaveAlliance { id: r4 }, None),
        (
            &sax,
            Mutation::UpdateRegion {
                id: w.saxony,
                patch: RegionPatch {
                    contact: Some("ara@sachsen.test".into()),
                    ..Default::default()
                },
            },
            None,
        ),
        (
            &nav,
            Mutation::SetDevelopment {
                development: Development {
                    id: development,
                    kind: DevelopmentKind::Economic,
                    title: "Plant closure".into(),
                    date: date("2026-01-20"),
                    source: String::new(),
                    summary: String::new(),
                    priorities: [p2].into(),
                },
            },
            None,
        ),
        (&s, Mutation::DeleteDevelopment { id: development }, None),
        (
            &s,
            Mutation::CreateConference {
                conference: conference(2026, w.navarre, "2026-11-10", "2026-11-09"),
            },
            Some(RejectionCode::EndsBeforeStart),
        ),
        (
            &s,
            Mutation::CreateConference {
                conference: conference(2026, w.navarre, "2026-11-10", "2026-11-10"),
            },
            None,
        ),
        (
            &s,
            Mutation::CreateConference {
                conference: Conference {
                    id: id(ConferenceId::from_parts, 1),
                    ..conference(2026, w.saxony, "2026-12-01", "2026-12-01")
                },
            },
            Some(RejectionCode::AlreadyExists),
        ),
        (
            &s,
            Mutation::UpdateConference {
                id: id(ConferenceId::from_parts, 2026u16 as u8),
                patch: ConferencePatch {
                    city: Some("Pamplona".into()),
                    ..Default::default()
                },
            },
            None,
        ),
        (
            &nav,
            Mutation::SetConferenceTheme {
                id: id(ConferenceId::from_parts, 2026u16 as u8),
                theme: "Charging".into(),
                priorities: [p2].into(),
            },
            None,
        ),
        (
            &s,
            Mutation::DeleteConference {
                id: id(ConferenceId::from_parts, 2026u16 as u8),
            },
            None,
        ),
        (
            &nav,
            Mutation::SetStakeholder {
                stakeholder: Stakeholder {
                    id: org,
                    name: "ACEA".into(),
                    kind: StakeholderKind::Industry,
                    country: "BE".into(),
                    website: String::new(),
                },
            },
            None,
        ),
        (
            &nav,
            Mutation::LinkStakeholder {
                link: StakeholderLink {
                    id: link,
                    stakeholder: org,
                    target: LinkTarget::Priority(p2),
                    relation: Relation::Advisor,
                },
            },
            None,
        ),
        (&nav, Mutation::UnlinkStakeholder { id: link }, None),
        (&s, Mutation::DeleteStakeholder { id: org }, None),
        (
            &s,
            Mutation::CreateMeeting {
                meeting: Meeting {
                    id: meeting,
                    kind: MeetingKind::InterregionalGroup,
                    title: "Intergroup".into(),
                    start_ms: 1_768_899_600_000,
                    end_ms: 1_768_906_800_000,
                    time_zone: "Europe/Brussels".into(),
                    place: "Brussels".into(),
                    video_link: String::new(),
                    participants: [w.saxony].into(),
                    agenda: vec![],
                    minutes: String::new(),
                    actions: vec![],
                },
            },
            None,
        ),
        (
            &s,
            Mutation::UpdateMeeting {
                id: meeting,
                patch: MeetingPatch {
                    minutes: Some("Done.".into()),
                    ..Default::default()
                },
            },
            None,
        ),
        (&s, Mutation::DeleteMeeting { id: meeting }, None),
    ];
    let mut kinds = [false; KINDS];
    let mut codes = [false; CODES];
    let mut forms = BTreeSet::new();
    for (actor, mutation, expected) in steps.drain(..) {
        let kind = kind_index(&mutation);
        match expected {
            None => {
                w.ok(actor, mutation);
                kinds[kind] = true;
            }
            Some(code) => {
                let rejection = w.refused(actor, mutation, code);
                codes[code_index(code)] = true;
                forms.extend(rejection.param(Param::Expected).map(str::to_owned));
            }
        }
    }
    // The forms of text the app words on their own are produced too.
    for form in [rejection::SINGLE_LINE, rejection::PLAIN_TEXT] {
        assert!(
            forms.contains(form),
            "never refused as not {form}: {forms:?}"
        );
    }
    // Mutations applied in World::new count too.
    for entry in &w.log {
        kinds[kind_index(&entry.mutation)] = true;
    }
    let missing_kinds: Vec<usize> = (0..KINDS).filter(|i| !kinds[*i]).collect();
    let missing_codes: Vec<usize> = (0..CODES).filter(|i| !codes[*i]).collect();
    assert!(
        missing_kinds.is_empty(),
        "mutation kinds never applied: {missing_kinds:?}"
    );
    assert!(
        missing_codes.is_empty(),
        "rejection codes never produced: {missing_codes:?}"
    );
}

/// A value of reference data someone else overwrote comes back to its
/// writer with a mutation that restores it, like a priority's title does.
#[test]
fn an_overwritten_ten_point_can_be_restored() {
    let s = secretariat();
    let other = Actor {
        user: id(UserId::from_parts, 8),
        name: "Other secretariat".into(),
        ..secretariat()
    };
    let mut mine = Replica::new(id(ClientId::from_parts, 1), s.clone());
    let point = |title: &str| reference::TenPoint {
        n: 10,
        title_en: title.into(),
        title_de: "Dialog".into(),
        summary_en: String::new(),
        unconfirmed: true,
    };
    let entry = |version: u64, client: ClientId, actor: &Actor, mutation: Mutation| LogEntry {
        version: Version(version),
        client_id: client,
        seq: Seq(1),
        actor: actor.clone(),
        at_ms: 0,
        mutation,
    };
    // The point exists (the demo's placeholder); I reword it, then someone
    // else does.
    mine.receive_entries(&[entry(
        1,
        id(ClientId::from_parts, 3),
        &other,
        Mutation::SetTenPoint {
            point: point("Placeholder"),
        },
    )])
    .expect("in order");
    let sent = mine
        .propose(
            Mutation::SetTenPoint {
                point: point("Ongoing dialogue"),
            },
            0,
        )
        .expect("valid");
    mine.receive_entries(&[entry(2, sent.client_id, &s, sent.mutation.clone())])
        .expect("in order");
    let rebase = mine
        .receive_entries(&[entry(
            3,
            id(ClientId::from_parts, 2),
            &other,
            Mutation::SetTenPoint {
                point: point("Regional-EU dialogue"),
            },
        )])
        .expect("in order");
    assert_eq!(rebase.overwritten.len(), 1);
    let notice = &rebase.overwritten[0];
    assert_eq!(notice.yours, serde_json::json!("Ongoing dialogue"));
    assert_eq!(notice.by.name, "Other secretariat");
    let restore = notice.restore.clone().expect("a restore mutation");
    assert_eq!(
        restore,
        Mutation::SetTenPoint {
            point: point("Ongoing dialogue")
        }
    );
    mine.propose(restore, 0).expect("the restore applies");
    assert_eq!(mine.view().ten_points[&10].title_en, "Ongoing dialogue");
}
