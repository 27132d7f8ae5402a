//! The materialised state of one alliance and the one place mutations are
//! validated and applied.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::ids::PriorityId;
use crate::mutation::{Change, Context, EntityRef, Mutation, Role};
use crate::priority::{Horizon, Priority, PriorityStatus};
use crate::rejection::{Rejection, RejectionCode};

/// Longest priority title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

/// Everything the work programme holds. Only [`State::apply`] changes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub priorities: BTreeMap<PriorityId, Priority>,
    /// The programme's order: every priority exactly once.
    pub programme_order: Vec<PriorityId>,
}

impl State {
    /// Priorities in programme order.
    pub fn priorities_in_order(&self) -> impl Iterator<Item = &Priority> {
        self.programme_order
            .iter()
            .filter_map(|id| self.priorities.get(id))
    }

    /// Validates `mutation` against this state and the actor, then applies it.
    /// On rejection the state is untouched. Never panics.
    pub fn apply(&mut self, mutation: &Mutation, ctx: &Context) -> Result<Vec<Change>, Rejection> {
        if ctx.actor.role == Role::Observer {
            return Err(Rejection::new(RejectionCode::NotPermitted).with("role", "observer"));
        }
        match mutation {
            Mutation::CreatePriority { id, title, horizon } => {
                self.create_priority(*id, title, *horizon)
            }
            Mutation::RenamePriority { id, title } => {
                let title = valid_title(title)?;
                let p = self.priority_mut(*id)?;
                let old = std::mem::replace(&mut p.title, title);
                Ok(vec![field_change(*id, "title", json!(old), json!(p.title))])
            }
            Mutation::SetPriorityStatus { id, status } => {
                let p = self.priority_mut(*id)?;
                if !p.status.can_become(*status) {
                    return Err(Rejection::new(RejectionCode::InvalidTransition)
                        .with("from", p.status.key())
                        .with("to", status.key()));
                }
                let old = std::mem::replace(&mut p.status, *status);
                Ok(vec![field_change(*id, "status", json!(old), json!(status))])
            }
            Mutation::MovePriority { id, index } => self.move_priority(*id, *index),
        }
    }

    fn priority_mut(&mut self, id: PriorityId) -> Result<&mut Priority, Rejection> {
        self.priorities.get_mut(&id).ok_or_else(|| {
            Rejection::new(RejectionCode::UnknownEntity)
                .with("entity", "priority")
                .with("id", id)
        })
    }

    fn create_priority(
        &mut self,
        id: PriorityId,
        title: &str,
        horizon: Horizon,
    ) -> Result<Vec<Change>, Rejection> {
        if self.priorities.contains_key(&id) {
            return Err(Rejection::new(RejectionCode::DuplicateId)
                .with("entity", "priority")
                .with("id", id));
        }
        let title = valid_title(title)?;
        if horizon.end < horizon.start {
            return Err(Rejection::new(RejectionCode::HorizonEndsBeforeStart));
        }
        let priority = Priority {
            id,
            title,
            status: PriorityStatus::Proposed,
            horizon,
        };
        let new = serde_json::to_value(&priority).unwrap_or_default();
        self.priorities.insert(id, priority);
        self.programme_order.push(id);
        Ok(vec![Change {
            entity: EntityRef::Priority(id),
            field: "*".into(),
            old: None,
            new,
        }])
    }

    fn move_priority(&mut self, id: PriorityId, index: u32) -> Result<Vec<Change>, Rejection> {
        self.priority_mut(id)?;
        let old = self.programme_order.clone();
        self.programme_order.retain(|p| *p != id);
        let at = usize::try_from(index)
            .unwrap_or(usize::MAX)
            .min(self.programme_order.len());
        self.programme_order.insert(at, id);
        Ok(vec![Change {
            entity: EntityRef::Programme,
            field: "order".into(),
            old: Some(json!(old)),
            new: json!(self.programme_order),
        }])
    }
}

fn valid_title(title: &str) -> Result<String, Rejection> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Rejection::new(RejectionCode::EmptyField).with("field", "title"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(Rejection::new(RejectionCode::TooLong)
            .with("field", "title")
            .with("max", MAX_TITLE_CHARS));
    }
    Ok(title.to_owned())
}

fn field_change(
    id: PriorityId,
    field: &str,
    old: serde_json::Value,
    new: serde_json::Value,
) -> Change {
    Change {
        entity: EntityRef::Priority(id),
        field: field.into(),
        old: Some(old),
        new,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ids::UserId;
    use crate::mutation::Actor;
    use crate::priority::{Quarter, Term};

    pub(crate) fn actor(role: Role) -> Actor {
        Actor {
            user: UserId::from_parts(1, [1; 10]),
            name: "Test".into(),
            role,
        }
    }

    pub(crate) fn horizon() -> Horizon {
        Horizon {
            term: Term::Short,
            start: Quarter::new(2025, 1).expect("valid"),
            end: Quarter::new(2025, 4).expect("valid"),
        }
    }

    pub(crate) fn pid(n: u8) -> PriorityId {
        PriorityId::from_parts(u64::from(n), [n; 10])
    }

    fn apply(state: &mut State, m: Mutation) -> Result<Vec<Change>, Rejection> {
        let a = actor(Role::RegionEditor);
        state.apply(
            &m,
            &Context {
                actor: &a,
                now_ms: 0,
            },
        )
    }

    fn create(state: &mut State, n: u8, title: &str) {
        apply(
            state,
            Mutation::CreatePriority {
                id: pid(n),
                title: title.into(),
                horizon: horizon(),
            },
        )
        .expect("create succeeds");
    }

    #[test]
    fn create_appends_to_programme_as_proposed() {
        let mut s = State::default();
        create(&mut s, 1, "  Skills pact  ");
        create(&mut s, 2, "Battery value chain");
        let titles: Vec<_> = s.priorities_in_order().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["Skills pact", "Battery value chain"]);
        assert_eq!(s.priorities[&pid(1)].status, PriorityStatus::Proposed);
    }

    #[test]
    fn empty_and_overlong_titles_are_rejected() {
        let mut s = State::default();
        create(&mut s, 1, "A");
        let err = apply(
            &mut s,
            Mutation::RenamePriority {
                id: pid(1),
                title: "   ".into(),
            },
        )
        .expect_err("empty title");
        assert_eq!(err.code, RejectionCode::EmptyField);
        let err = apply(
            &mut s,
            Mutation::RenamePriority {
                id: pid(1),
                title: "x".repeat(MAX_TITLE_CHARS + 1),
            },
        )
        .expect_err("long title");
        assert_eq!(err.code, RejectionCode::TooLong);
        assert_eq!(err.param("max"), Some("200"));
        assert_eq!(s.priorities[&pid(1)].title, "A");
    }

    #[test]
    fn unknown_priority_is_rejected_with_its_id() {
        let mut s = State::default();
        let err = apply(
            &mut s,
            Mutation::RenamePriority {
                id: pid(9),
                title: "B".into(),
            },
        )
        .expect_err("unknown");
        assert_eq!(err.code, RejectionCode::UnknownEntity);
        assert_eq!(err.param("id"), Some(pid(9).to_string().as_str()));
    }

    #[test]
    fn duplicate_id_and_backwards_horizon_are_rejected() {
        let mut s = State::default();
        create(&mut s, 1, "A");
        let dup = Mutation::CreatePriority {
            id: pid(1),
            title: "B".into(),
            horizon: horizon(),
        };
        assert_eq!(
            apply(&mut s, dup).expect_err("dup").code,
            RejectionCode::DuplicateId
        );
        let mut h = horizon();
        std::mem::swap(&mut h.start, &mut h.end);
        let back = Mutation::CreatePriority {
            id: pid(2),
            title: "B".into(),
            horizon: h,
        };
        assert_eq!(
            apply(&mut s, back).expect_err("backwards").code,
            RejectionCode::HorizonEndsBeforeStart
        );
        assert_eq!(s.priorities.len(), 1);
    }

    #[test]
    fn rename_reports_the_replaced_value() {
        let mut s = State::default();
        create(&mut s, 1, "Old");
        let changes = apply(
            &mut s,
            Mutation::RenamePriority {
                id: pid(1),
                title: "New".into(),
            },
        )
        .expect("rename");
        assert_eq!(changes[0].old, Some(json!("Old")));
        assert_eq!(changes[0].new, json!("New"));
    }

    #[test]
    fn status_transitions_are_checked() {
        let mut s = State::default();
        create(&mut s, 1, "A");
        let err = apply(
            &mut s,
            Mutation::SetPriorityStatus {
                id: pid(1),
                status: PriorityStatus::Done,
            },
        )
        .expect_err("skip");
        assert_eq!(err.code, RejectionCode::InvalidTransition);
        assert_eq!(err.param("to"), Some("done"));
        apply(
            &mut s,
            Mutation::SetPriorityStatus {
                id: pid(1),
                status: PriorityStatus::Adopted,
            },
        )
        .expect("adopt");
        assert_eq!(s.priorities[&pid(1)].status, PriorityStatus::Adopted);
    }

    #[test]
    fn move_reorders_and_clamps() {
        let mut s = State::default();
        for n in 1..=3 {
            create(&mut s, n, "P");
        }
        apply(
            &mut s,
            Mutation::MovePriority {
                id: pid(3),
                index: 0,
            },
        )
        .expect("move");
        assert_eq!(s.programme_order, [pid(3), pid(1), pid(2)]);
        apply(
            &mut s,
            Mutation::MovePriority {
                id: pid(3),
                index: 99,
            },
        )
        .expect("move");
        assert_eq!(s.programme_order, [pid(1), pid(2), pid(3)]);
    }

    #[test]
    fn observer_cannot_edit_priority() {
        let mut s = State::default();
        create(&mut s, 1, "A");
        let o = actor(Role::Observer);
        let err = s
            .apply(
                &Mutation::RenamePriority {
                    id: pid(1),
                    title: "B".into(),
                },
                &Context {
                    actor: &o,
                    now_ms: 0,
                },
            )
            .expect_err("observer");
        assert_eq!(err.code, RejectionCode::NotPermitted);
    }
}
