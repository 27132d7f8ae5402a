//! Annual conferences: one a year, hosted by the chairing region, which
//! chooses the theme from the programme. The chair rotation follows.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::ids::{ConferenceId, PriorityId, RegionId};
use crate::state::State;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conference {
    pub id: ConferenceId,
    pub year: u16,
    /// The host region chairs the Alliance for this conference's term.
    pub host: RegionId,
    pub city: String,
    pub start: Date,
    pub end: Date,
    /// Chosen by the host from the programme.
    #[serde(default)]
    pub theme: String,
    #[serde(default)]
    pub theme_priorities: BTreeSet<PriorityId>,
    /// True while a fact of the conference (its dates, its host) is not
    /// confirmed by a source: shown as unconfirmed, never as settled.
    #[serde(default)]
    pub unconfirmed: bool,
}

/// One term of the chair: from a conference to the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChairTerm {
    pub region: RegionId,
    pub from: Date,
    /// `None` for the current chair.
    pub until: Option<Date>,
}

impl State {
    /// The chair rotation as it follows from the conferences.
    pub fn chair_rotation(&self) -> Vec<ChairTerm> {
        let mut conferences: Vec<&Conference> = self.conferences.values().collect();
        conferences.sort_by_key(|c| c.start);
        let mut terms: Vec<ChairTerm> = Vec::new();
        for c in conferences {
            if let Some(last) = terms.last_mut() {
                if last.region == c.host {
                    continue;
                }
                last.until = Some(c.start);
            }
            terms.push(ChairTerm {
                region: c.host,
                from: c.start,
                until: None,
            });
        }
        terms
    }
}
