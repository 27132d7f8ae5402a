//! The demo work programme loaded into an empty store, built from public facts
//! about the Alliance (`data/ara_seed.json`, a copy kept in this crate). It is
//! a list of ordinary mutations, so it is valid by construction.

use serde::Deserialize;

use crate::ids::PriorityId;
use crate::mutation::Mutation;
use crate::priority::{Horizon, PriorityStatus, Quarter, Term};

const SEED: &str = include_str!("../data/ara_seed.json");

#[derive(Deserialize)]
struct Seed {
    ten_points: Vec<SeedPoint>,
}

#[derive(Deserialize)]
struct SeedPoint {
    n: u8,
    title_en: String,
}

fn quarter(year: u16, q: u8) -> Quarter {
    Quarter::new(year, q).expect("demo quarters are valid")
}

/// Mutations that build the demo programme: one priority per point of the
/// Alliance's ten-point position, some adopted or under way.
pub fn demo_mutations(_now_ms: i64) -> Vec<Mutation> {
    let seed: Seed = serde_json::from_str(SEED).expect("the bundled seed is valid JSON");
    let mut mutations = Vec::new();
    for point in seed.ten_points {
        let id = PriorityId::from_parts(1_668_643_200_000 + u64::from(point.n), [point.n; 10]);
        let term = if point.n % 3 == 0 {
            Term::Medium
        } else {
            Term::Short
        };
        let end = if term == Term::Short {
            quarter(2026, 4)
        } else {
            quarter(2028, 4)
        };
        mutations.push(Mutation::CreatePriority {
            id,
            title: point.title_en,
            horizon: Horizon {
                term,
                start: quarter(2026, 1),
                end,
            },
        });
        let steps: &[PriorityStatus] = match point.n % 4 {
            0 => &[PriorityStatus::Adopted, PriorityStatus::InProgress],
            1 => &[PriorityStatus::Adopted],
            _ => &[],
        };
        for status in steps {
            mutations.push(Mutation::SetPriorityStatus {
                id,
                status: *status,
            });
        }
    }
    mutations
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mutation::{Context, Role};
    use crate::state::State;
    use crate::state::tests::actor;

    #[test]
    fn demo_mutations_all_apply() {
        let mut state = State::default();
        let a = actor(Role::Secretariat);
        for m in demo_mutations(0) {
            state
                .apply(
                    &m,
                    &Context {
                        actor: &a,
                        now_ms: 0,
                    },
                )
                .expect("demo mutation applies");
        }
        assert_eq!(state.priorities.len(), 10);
    }
}
