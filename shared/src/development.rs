//! Developments: what is new (environmental, economic, technical, political)
//! and which priorities it affects — the programme adapts to them.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::ids::{DevelopmentId, PriorityId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DevelopmentKind {
    Environmental,
    Economic,
    Technical,
    Political,
}

impl DevelopmentKind {
    pub const ALL: [DevelopmentKind; 4] = [
        DevelopmentKind::Environmental,
        DevelopmentKind::Economic,
        DevelopmentKind::Technical,
        DevelopmentKind::Political,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DevelopmentKind::Environmental => "environmental",
            DevelopmentKind::Economic => "economic",
            DevelopmentKind::Technical => "technical",
            DevelopmentKind::Political => "political",
        }
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
