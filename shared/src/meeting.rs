//! Meetings run by the technical secretariat: working level, video
//! conferences, annual conferences, the interregional group.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::ids::{AgendaItemId, MeetingId, PriorityId, RegionId};
use crate::priority::Action;

keyed_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum MeetingKind {
        WorkingLevel = "working_level",
        VideoConference = "video_conference",
        AnnualConference = "annual_conference",
        InterregionalGroup = "interregional_group",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub id: AgendaItemId,
    pub title: String,
    #[serde(default)]
    pub priority: Option<PriorityId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: MeetingId,
    pub kind: MeetingKind,
    pub title: String,
    /// Start and end as Unix milliseconds (UTC); shown in `time_zone`.
    pub start_ms: i64,
    pub end_ms: i64,
    /// IANA time zone name, e.g. `Europe/Brussels`.
    pub time_zone: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub video_link: String,
    #[serde(default)]
    pub participants: BTreeSet<RegionId>,
    #[serde(default)]
    pub agenda: Vec<AgendaItem>,
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// An IANA zone name: `Area/Location` of letters, digits, `_`, `-`, `+`, or `UTC`.
pub(crate) fn valid_time_zone(zone: &str) -> bool {
    zone == "UTC"
        || (zone.len() <= 40
            && zone.contains('/')
            && zone.split('/').all(|part| {
                !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
            }))
}
