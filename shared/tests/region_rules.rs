//! The rules of a region's NUTS code: only the secretariat confirms it, a
//! changed code is no longer confirmed, and two regions never share a code.

use ara_shared::*;

fn id<T>(make: fn(u64, [u8; 10]) -> T, n: u8) -> T {
    make(u64::from(n), [n; 10])
}

fn actor(role: Role, region: Option<RegionId>) -> Actor {
    Actor {
        user: id(UserId::from_parts, 9),
        name: "Tester".into(),
        role,
        region,
    }
}

fn apply(state: &mut State, who: &Actor, m: Mutation) -> Result<Vec<Change>, Rejection> {
    state.apply(
        &m,
        &Context {
            actor: who,
            now_ms: 0,
        },
    )
}

/// Saxony (DED) and Navarre (ES22), both members, NUTS codes unconfirmed.
fn two_members() -> (State, RegionId, RegionId) {
    let mut state = State::default();
    let sec = actor(Role::Secretariat, None);
    let saxony = id(RegionId::from_parts, 1);
    let navarre = id(RegionId::from_parts, 2);
    for (region, name, country, nuts) in [
        (saxony, "Sachsen", "DE", "DED"),
        (navarre, "Navarra", "ES", "ES22"),
    ] {
        apply(
            &mut state,
            &sec,
            Mutation::ApplyForMembership {
                id: region,
                name: name.into(),
                country: country.into(),
                nuts: nuts.into(),
                contact: String::new(),
            },
        )
        .expect("application accepted");
        apply(
            &mut state,
            &sec,
            Mutation::AdmitRegion {
                id: region,
                joined: "2022-11-17".parse().expect("valid date"),
            },
        )
        .expect("admitted");
    }
    (state, saxony, navarre)
}

fn confirm(region: RegionId) -> Mutation {
    Mutation::UpdateRegion {
        id: region,
        patch: RegionPatch {
            nuts_confirmed: Some(true),
            ..RegionPatch::default()
        },
    }
}

#[test]
fn only_the_secretariat_confirms_a_nuts_code() {
    let (mut state, saxony, _) = two_members();
    let saxon_editor = actor(Role::RegionEditor, Some(saxony));
    let refused =
        apply(&mut state, &saxon_editor, confirm(saxony)).expect_err("not theirs to confirm");
    assert_eq!(refused.code, RejectionCode::NotPermitted);
    assert!(!state.regions[&saxony].nuts_confirmed);

    // The region's editor still edits its other details.
    apply(
        &mut state,
        &saxon_editor,
        Mutation::UpdateRegion {
            id: saxony,
            patch: RegionPatch {
                contact: Some("automotive@sachsen.example".into()),
                ..RegionPatch::default()
            },
        },
    )
    .expect("own region's contact");

    apply(&mut state, &actor(Role::Secretariat, None), confirm(saxony))
        .expect("secretariat confirms");
    assert!(state.regions[&saxony].nuts_confirmed);
}

#[test]
fn a_changed_nuts_code_is_no_longer_confirmed() {
    let (mut state, saxony, _) = two_members();
    let sec = actor(Role::Secretariat, None);
    apply(&mut state, &sec, confirm(saxony)).expect("confirmed");
    let change = |nuts: &str, confirmed: Option<bool>| Mutation::UpdateRegion {
        id: saxony,
        patch: RegionPatch {
            nuts: Some(nuts.into()),
            nuts_confirmed: confirmed,
            ..RegionPatch::default()
        },
    };
    // The same code again changes nothing.
    apply(&mut state, &sec, change("DED", None)).expect("same code");
    assert!(state.regions[&saxony].nuts_confirmed);
    // Another code must be checked again...
    apply(
        &mut state,
        &actor(Role::RegionEditor, Some(saxony)),
        change("DED2", None),
    )
    .expect("the region corrects its code");
    assert_eq!(state.regions[&saxony].nuts, "DED2");
    assert!(!state.regions[&saxony].nuts_confirmed);
    // ...unless the secretariat confirms it in the same change.
    apply(&mut state, &sec, change("DED", Some(true))).expect("changed and confirmed");
    assert!(state.regions[&saxony].nuts_confirmed);
}

#[test]
fn two_regions_never_share_a_nuts_code() {
    let (mut state, saxony, navarre) = two_members();
    let refused = apply(
        &mut state,
        &actor(Role::Secretariat, None),
        Mutation::UpdateRegion {
            id: navarre,
            patch: RegionPatch {
                nuts: Some("DED".into()),
                ..RegionPatch::default()
            },
        },
    )
    .expect_err("Saxony has DED");
    assert_eq!(refused.code, RejectionCode::AlreadyExists);
    assert_eq!(refused.param(Param::Key), Some("DED"));
    assert_eq!(state.regions[&navarre].nuts, "ES22");
    assert_eq!(state.regions[&saxony].nuts, "DED");
}

#[test]
fn no_demo_host_joined_after_its_conference() {
    let state = ara_shared::demo::demo_state();
    for c in state.conferences.values() {
        let host = &state.regions[&c.host];
        assert!(
            host.joined.is_some_and(|joined| joined <= c.start),
            "{} hosted {} on {} but joined on {:?}",
            host.name,
            c.city,
            c.start,
            host.joined
        );
    }
}
