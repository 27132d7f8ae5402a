//! Developments: what is new (environmental, economic, technical, political)
//! and which priorities it affects — the programme adapts to them.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::ids::{DevelopmentId, PriorityId};

keyed_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum DevelopmentKind {
        Environmental = "environmental",
        Economic = "economic",
        Technical = "technical",
        Political = "political",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Development {
    pub id: DevelopmentId,
    pub kind: DevelopmentKind,
    pub title: String,
    pub date: Date,
    /// Where it was reported (http(s) address), may be empty.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub priorities: BTreeSet<PriorityId>,
}
