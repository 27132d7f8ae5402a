//! The tab protocol's decisions, as a tab sees the others' messages.

use ara_shared::{Actor, Horizon, PriorityId, Quarter, Role, Term};

use super::*;

const ME: u64 = 2;
const LEADER: u64 = 9;

fn create(n: u8) -> Mutation {
    Mutation::CreatePriority {
        id: PriorityId::from_parts(100 + u64::from(n), [n; 10]),
        title: format!("Priority {n}"),
        horizon: Horizon {
            term: Term::Short,
            start: Quarter::new(2026, 1).expect("valid"),
            end: Quarter::new(2026, 4).expect("valid"),
        },
    }
}

fn replica() -> Replica {
    let actor = Actor {
        user: UserId::from_parts(7, [7; 10]),
        name: "Anna".into(),
        role: Role::Secretariat,
        region: None,
    };
    Replica::new(ClientId::from_parts(1, [1; 10]), actor)
}

/// The leader's whole replica, as it sends it to `to` (or to all).
fn full(to: Option<u64>, op: u64, replica: &Replica) -> TabMessage {
    TabMessage::Full {
        to,
        leader: LEADER,
        op,
        replica: serde_json::to_string(replica).expect("serialise"),
        all_sent: false,
        loaded: true,
        connection: ConnectionState::Online,
        peers: Vec::new(),
        own_connection: None,
    }
}

fn queued(n: u64, mutation: Mutation, origin: Option<(u64, u64)>) -> TabMessage {
    TabMessage::Op {
        n,
        op: ReplicaOp::Propose {
            mutation: Box::new(mutation),
            now_ms: 1,
            origin,
        },
    }
}

/// A tab that follows `LEADER` and has its replica as of op 0.
fn synced_follower() -> TabProtocol {
    let mut tab = TabProtocol::default();
    tab.joined(ME);
    tab.become_follower();
    let step = tab.receive(full(None, 0, &replica()));
    assert!(matches!(step, Step::Adopt(_)), "{step:?}");
    tab
}

/// Proposes on this tab's copy, as the handle does before the leader queues it.
fn edit(tab: &mut TabProtocol, copy: &mut Replica, mutation: Mutation) -> Option<TabMessage> {
    let envelope = copy.propose(mutation.clone(), 1).expect("valid");
    tab.tentative(mutation, 1, envelope.seq)
}

fn withdraw(copy: &mut Replica, seq: Option<Seq>) {
    if let Some(seq) = seq {
        copy.withdraw_from(seq);
    }
}

#[test]
fn a_follower_asks_the_leader_to_queue_its_edit() {
    let mut tab = synced_follower();
    let mut copy = replica();
    let message = edit(&mut tab, &mut copy, create(1));
    assert!(
        matches!(
            message,
            Some(TabMessage::Propose {
                tab: ME,
                request: 1,
                ..
            })
        ),
        "{message:?}"
    );
}

#[test]
fn an_edit_made_before_the_role_is_known_is_asked_for_once_the_tab_follows() {
    let mut tab = TabProtocol::default();
    tab.joined(ME);
    let mut copy = replica();
    assert!(edit(&mut tab, &mut copy, create(1)).is_none());
    let messages = tab.become_follower();
    assert!(
        matches!(
            messages.as_slice(),
            [
                TabMessage::Join { tab: ME },
                TabMessage::Propose {
                    tab: ME,
                    request: 1,
                    ..
                }
            ]
        ),
        "{messages:?}"
    );
}

#[test]
fn the_leaders_op_takes_the_place_of_the_tentative_edit() {
    let mut tab = synced_follower();
    let mut copy = replica();
    edit(&mut tab, &mut copy, create(1));
    edit(&mut tab, &mut copy, create(2));
    // The leader queued the second edit first (request 2 of this tab).
    let step = tab.receive(queued(1, create(2), Some((ME, 2))));
    let Step::Replay { withdraw_from, op } = step else {
        panic!("{step:?}");
    };
    assert_eq!(withdraw_from, Some(Seq(1)));
    withdraw(&mut copy, withdraw_from);
    let ReplicaOp::Propose { mutation, .. } = op else {
        panic!("{op:?}");
    };
    copy.propose(*mutation, 1).expect("valid");
    tab.reapply(&mut copy);
    assert_eq!(copy.pending().len(), 2, "each edit once");
    assert_eq!(
        copy.pending()[0].mutation,
        create(2),
        "in the leader's order"
    );
    assert!(tab.has_tentative(), "the first edit is still the tab's own");
}

#[test]
fn another_tabs_edit_is_replayed_under_this_tabs_tentative_one() {
    let mut tab = synced_follower();
    let mut copy = replica();
    edit(&mut tab, &mut copy, create(1));
    let step = tab.receive(queued(1, create(3), Some((7, 1))));
    let Step::Replay { withdraw_from, .. } = step else {
        panic!("{step:?}");
    };
    assert_eq!(withdraw_from, Some(Seq(1)));
    withdraw(&mut copy, withdraw_from);
    copy.propose(create(3), 1).expect("valid");
    tab.reapply(&mut copy);
    let order: Vec<_> = copy.pending().iter().map(|e| e.mutation.clone()).collect();
    assert_eq!(order, vec![create(3), create(1)]);
}

#[test]
fn a_missed_op_asks_for_the_whole_replica_again() {
    let mut tab = synced_follower();
    let step = tab.receive(queued(2, create(1), None));
    assert!(
        matches!(step, Step::Post(TabMessage::Join { tab: ME })),
        "{step:?}"
    );
    // Until it comes, ops are not replayed.
    let step = tab.receive(queued(3, create(2), None));
    assert!(matches!(step, Step::Nothing), "{step:?}");
}

#[test]
fn before_the_replica_comes_only_the_tabs_own_queued_edits_are_forgotten() {
    let mut tab = TabProtocol::default();
    tab.joined(ME);
    tab.become_follower();
    let mut copy = replica();
    edit(&mut tab, &mut copy, create(1));
    let step = tab.receive(queued(5, create(9), Some((7, 1))));
    assert!(matches!(step, Step::Nothing), "{step:?}");
    let step = tab.receive(queued(6, create(1), Some((ME, 1))));
    assert!(
        matches!(
            step,
            Step::Queued {
                withdraw_from: Some(Seq(1))
            }
        ),
        "{step:?}"
    );
    assert!(!tab.has_tentative());
}

#[test]
fn a_refused_edit_is_taken_back_and_told() {
    let mut tab = synced_follower();
    let mut copy = replica();
    edit(&mut tab, &mut copy, create(1));
    let refused = |tab| TabMessage::Refused {
        tab,
        request: 1,
        rejection: Rejection::new(ara_shared::RejectionCode::NotPermitted),
    };
    let step = tab.receive(refused(7));
    assert!(matches!(step, Step::Nothing), "another tab's: {step:?}");
    let step = tab.receive(refused(ME));
    assert!(
        matches!(
            step,
            Step::Refused {
                withdraw_from: Some(Seq(1)),
                ..
            }
        ),
        "{step:?}"
    );
    assert!(!tab.has_tentative());
}

#[test]
fn a_replica_sent_to_another_tab_is_not_adopted() {
    let mut tab = TabProtocol::default();
    tab.joined(ME);
    tab.become_follower();
    let step = tab.receive(full(Some(7), 3, &replica()));
    assert!(matches!(step, Step::Nothing), "{step:?}");
    let step = tab.receive(full(Some(ME), 3, &replica()));
    assert!(matches!(step, Step::Adopt(_)), "{step:?}");
    // It follows from the replica's op on.
    assert!(matches!(
        tab.receive(queued(4, create(1), None)),
        Step::Replay { .. }
    ));
}

#[test]
fn a_new_leader_is_asked_to_queue_the_edits_the_old_one_never_did() {
    let mut tab = synced_follower();
    let mut copy = replica();
    edit(&mut tab, &mut copy, create(1));
    // The same leader resyncing this tab: nothing to ask again.
    let Step::Adopt(adopted) = tab.receive(full(Some(ME), 0, &replica())) else {
        panic!("adopted");
    };
    assert!(adopted.repost.is_empty());
    // Another tab took over the lock and resyncs everyone.
    let mut message = full(None, 0, &replica());
    if let TabMessage::Full { leader, .. } = &mut message {
        *leader = 11;
    }
    let Step::Adopt(adopted) = tab.receive(message) else {
        panic!("adopted");
    };
    assert!(
        matches!(
            adopted.repost.as_slice(),
            [TabMessage::Propose {
                tab: ME,
                request: 1,
                ..
            }]
        ),
        "{:?}",
        adopted.repost
    );
}

#[test]
fn a_replica_whose_edits_were_all_sent_arrives_with_them_sent() {
    let mut tab = TabProtocol::default();
    tab.joined(ME);
    tab.become_follower();
    let mut leaders = replica();
    leaders.propose(create(1), 1).expect("valid");
    let mut message = full(None, 1, &leaders);
    if let TabMessage::Full { all_sent, .. } = &mut message {
        *all_sent = true;
    }
    let Step::Adopt(mut adopted) = tab.receive(message) else {
        panic!("adopted");
    };
    assert_eq!(adopted.replica.pending().len(), 1);
    assert!(adopted.replica.take_unsent().is_empty());
}

#[test]
fn the_leader_answers_joins_and_queues_the_followers_edits() {
    let mut tab = TabProtocol::default();
    tab.joined(ME);
    tab.become_leader();
    assert!(tab.is_leader());
    let step = tab.receive(TabMessage::Join { tab: 5 });
    assert!(matches!(step, Step::SendFull { to: 5 }), "{step:?}");
    let step = tab.receive(TabMessage::Propose {
        tab: 5,
        request: 3,
        mutation: Box::new(create(1)),
        now_ms: 1,
    });
    assert!(
        matches!(
            step,
            Step::Queue {
                tab: 5,
                request: 3,
                ..
            }
        ),
        "{step:?}"
    );
    // What only a follower listens to, the leader ignores.
    let step = tab.receive(queued(1, create(1), None));
    assert!(matches!(step, Step::Nothing), "{step:?}");
    assert_eq!((tab.next_op(), tab.next_op()), (1, 2));
}

#[test]
fn a_follower_ignores_what_is_meant_for_the_leader() {
    let mut tab = synced_follower();
    for message in [
        TabMessage::Join { tab: 5 },
        TabMessage::Resume,
        TabMessage::Focus {
            viewing: None,
            editing: None,
        },
    ] {
        let step = tab.receive(message);
        assert!(matches!(step, Step::Nothing), "{step:?}");
    }
}

#[test]
fn a_tab_that_becomes_leader_queues_its_tentative_edits_itself() {
    let mut tab = synced_follower();
    let mut copy = replica();
    edit(&mut tab, &mut copy, create(1));
    edit(&mut tab, &mut copy, create(2));
    let (withdraw_from, edits) = tab.become_leader();
    assert_eq!(withdraw_from, Some(Seq(1)));
    assert_eq!(edits, vec![(create(1), 1), (create(2), 1)]);
    assert!(tab.is_leader());
    assert!(!tab.has_tentative());
}
