//! What the browser's offline persistence and its tabs rely on in the
//! `Replica`: a stored replica comes back with the same client id, seq
//! counter, confirmed state and pending queue; and a tab that proposed
//! tentatively can take its proposals back so that the tab owning the queue
//! decides their seqs.

use ara_shared::{
    Actor, ClientId, Horizon, Mutation, PriorityId, Quarter, Replica, Role, Seq, Term, UserId,
};

fn actor() -> Actor {
    Actor {
        user: UserId::from_parts(7, [7; 10]),
        name: "Anna".into(),
        role: Role::Secretariat,
        region: None,
    }
}

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
    Replica::new(ClientId::from_parts(1, [1; 10]), actor())
}

fn seqs(r: &Replica) -> Vec<u64> {
    r.pending().iter().map(|e| e.seq.0).collect()
}

#[test]
fn a_stored_replica_comes_back_with_its_queue_and_counter() {
    let mut r = replica();
    r.propose(create(1), 1).expect("valid");
    r.propose(create(2), 2).expect("valid");
    let text = serde_json::to_string(&r).expect("serialise");
    let (mut back, rebase) = serde_json::from_str::<Replica>(&text)
        .expect("deserialise")
        .restored();
    assert!(rebase.rejected.is_empty());
    assert_eq!(back.client_id(), r.client_id());
    assert_eq!(seqs(&back), vec![1, 2]);
    assert_eq!(back.view().priorities.len(), 2, "the view is rebuilt");
    // Nothing counts as sent after a restart: the next connection sends all.
    assert_eq!(back.take_unsent().len(), 2);
    let next = back.propose(create(3), 3).expect("valid");
    assert_eq!(
        next.seq,
        Seq(3),
        "the counter goes on, so (client, seq) stays unique"
    );
}

#[test]
fn withdrawn_proposals_give_their_seqs_back() {
    let mut r = replica();
    r.propose(create(1), 1).expect("valid");
    r.propose(create(2), 2).expect("valid");
    r.propose(create(3), 3).expect("valid");
    let withdrawn = r.withdraw_from(Seq(2));
    assert_eq!(withdrawn.len(), 2);
    assert_eq!(seqs(&r), vec![1]);
    assert_eq!(r.view().priorities.len(), 1, "the view loses them too");
    // Another tab's proposal takes seq 2; ours follow it.
    r.propose(create(4), 4).expect("valid");
    r.propose(withdrawn[0].mutation.clone(), 5)
        .expect("still valid");
    assert_eq!(seqs(&r), vec![1, 2, 3]);
    assert_eq!(r.view().priorities.len(), 3);
}

#[test]
fn sent_proposals_are_never_withdrawn() {
    let mut r = replica();
    r.propose(create(1), 1).expect("valid");
    r.propose(create(2), 2).expect("valid");
    assert_eq!(r.take_unsent().len(), 2);
    r.propose(create(3), 3).expect("valid");
    let withdrawn = r.withdraw_from(Seq(1));
    assert_eq!(withdrawn.len(), 1, "only the unsent one");
    assert_eq!(seqs(&r), vec![1, 2]);
    assert_eq!(r.propose(create(4), 4).expect("valid").seq, Seq(3));
}

#[test]
fn withdrawing_nothing_changes_nothing() {
    let mut r = replica();
    r.propose(create(1), 1).expect("valid");
    assert!(r.withdraw_from(Seq(5)).is_empty());
    assert_eq!(r.propose(create(2), 2).expect("valid").seq, Seq(2));
}

/// A browser whose client id the server refuses as another person's goes
/// on under a new one: its unsent edits are numbered from 1 again and all
/// sent on the next connection, and new ones follow them.
#[test]
fn a_new_client_id_renumbers_the_queue_and_sends_it_all_again() {
    let mut r = replica();
    r.propose(create(1), 1).expect("valid");
    r.propose(create(2), 2).expect("valid");
    r.propose(create(3), 3).expect("valid");
    r.applied_up_to(Seq(1));
    assert_eq!(r.take_unsent().len(), 2);
    let new_id = ClientId::from_parts(2, [2; 10]);
    r.rekey(new_id);
    assert_eq!(r.client_id(), new_id);
    assert_eq!(seqs(&r), vec![1, 2]);
    let unsent = r.take_unsent();
    assert_eq!(unsent.len(), 2, "nothing counts as sent under the new id");
    assert!(unsent.iter().all(|e| e.client_id == new_id));
    let next = r.propose(create(4), 4).expect("valid");
    assert_eq!((next.client_id, next.seq), (new_id, Seq(3)));
}
