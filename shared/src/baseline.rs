//! Adopted baselines of the work programme and what changed since.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::ids::{BaselineId, PriorityId};
use crate::priority::{Priority, PriorityStatus};
use crate::state::State;

/// A named, dated snapshot of the programme as adopted. Never edited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub id: BaselineId,
    pub name: String,
    pub adopted_on: Date,
    /// The priorities that were adopted, under way or done, in programme order.
    pub priorities: Vec<Priority>,
}

/// Whether a priority belongs in a baseline: it was part of the adopted programme.
pub fn in_programme(p: &Priority) -> bool {
    matches!(
        p.status,
        PriorityStatus::Adopted | PriorityStatus::InProgress | PriorityStatus::Done
    )
}

/// How one priority differs from the baseline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BaselineChange {
    Added {
        id: PriorityId,
        title: String,
    },
    Removed {
        id: PriorityId,
        title: String,
    },
    Changed {
        id: PriorityId,
        title: String,
        fields: Vec<String>,
    },
}

fn fields_of(p: &Priority) -> BTreeMap<String, serde_json::Value> {
    match serde_json::to_value(p) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            // Discussion is not part of what was adopted.
            .filter(|(k, _)| k != "comments")
            .collect(),
        _ => BTreeMap::new(),
    }
}

impl Baseline {
    /// What changed in the programme since this baseline: priorities added
    /// to or removed from the programme, and the fields that changed.
    pub fn diff(&self, now: &State) -> Vec<BaselineChange> {
        let current: BTreeMap<PriorityId, &Priority> = now
            .priorities_in_order()
            .filter(|p| in_programme(p))
            .map(|p| (p.id, p))
            .collect();
        let mut changes = Vec::new();
        for old in &self.priorities {
            match current.get(&old.id) {
                None => changes.push(BaselineChange::Removed {
                    id: old.id,
                    title: old.title.clone(),
                }),
                Some(new) => {
                    let (a, b) = (fields_of(old), fields_of(new));
                    let fields: Vec<String> = b
                        .iter()
                        .filter(|(k, v)| a.get(*k) != Some(*v))
                        .map(|(k, _)| k.clone())
                        .collect();
                    if !fields.is_empty() {
                        changes.push(BaselineChange::Changed {
                            id: old.id,
                            title: new.title.clone(),
                            fields,
                        });
                    }
                }
            }
        }
        for (id, p) in &current {
            if !self.priorities.iter().any(|old| old.id == *id) {
                changes.push(BaselineChange::Added {
                    id: *id,
                    title: p.title.clone(),
                });
            }
        }
        changes
    }
}
