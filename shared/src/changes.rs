//! Recent changes, for the dashboard's "who changed what": each accepted
//! log entry summed up as the person, the kind of change, the entity it
//! touched and that entity's title. Derived from the log and the current
//! state on request; nothing extra is stored.

use serde::{Deserialize, Serialize};

use crate::ids::Version;
use crate::mutation::{EntityRef, LogEntry, Mutation};
use crate::priority::PriorityStatus;
use crate::state::State;

/// Entries one request may ask for; more is refused by bounding.
pub const MAX_RECENT_CHANGES: usize = 100;
/// Entries returned when the request names no limit.
pub const DEFAULT_RECENT_CHANGES: usize = 20;

/// One accepted change in words the app can put together in any language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentChange {
    pub version: Version,
    pub at_ms: i64,
    /// The name of the person who made it (from their session).
    pub actor: String,
    /// The mutation's stable `type`, e.g. `set_priority_status`.
    pub kind: String,
    /// What it touched.
    pub entity: EntityRef,
    /// The entity's title now, or as the change gave it if it no longer exists.
    #[serde(default)]
    pub title: Option<String>,
    /// The status a priority was given, for status changes.
    #[serde(default)]
    pub status: Option<PriorityStatus>,
    /// The 1-based place in the programme a priority was moved to.
    #[serde(default)]
    pub position: Option<u32>,
}

/// The answer of `GET /api/changes`: newest first, as of `version`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentChanges {
    pub version: Version,
    pub changes: Vec<RecentChange>,
}

/// The entity a mutation is about (a link counts as its own entity).
pub fn touched(mutation: &Mutation) -> EntityRef {
    use Mutation::*;
    match mutation {
        CreatePriority { id, .. }
        | RenamePriority { id, .. }
        | SetPriorityStatus { id, .. }
        | MovePriority { id, .. }
        | UpdatePriority { id, .. }
        | DeletePriority { id }
        | EndorsePriority { id, .. } => EntityRef::Priority(*id),
        SetPriorityAction { priority, .. }
        | RemovePriorityAction { priority, .. }
        | AddComment { priority, .. }
        | DeleteComment { priority, .. } => EntityRef::Priority(*priority),
        AdoptBaseline { id, .. } => EntityRef::Baseline(*id),
        SetTenPoint { point } => EntityRef::TenPoint(point.n),
        SetInitiative { initiative } => EntityRef::Initiative(initiative.code.clone()),
        ApplyForMembership { id, .. }
        | AdmitRegion { id, .. }
        | DeclineRegion { id }
        | LeaveAlliance { id }
        | UpdateRegion { id, .. } => EntityRef::Region(*id),
        SetDevelopment { development } => EntityRef::Development(development.id),
        DeleteDevelopment { id } => EntityRef::Development(*id),
        CreateConference { conference } => EntityRef::Conference(conference.id),
        UpdateConference { id, .. } | SetConferenceTheme { id, .. } | DeleteConference { id } => {
            EntityRef::Conference(*id)
        }
        SetStakeholder { stakeholder } => EntityRef::Stakeholder(stakeholder.id),
        DeleteStakeholder { id } => EntityRef::Stakeholder(*id),
        LinkStakeholder { link } => EntityRef::Link(link.id),
        UnlinkStakeholder { id } => EntityRef::Link(*id),
        CreateMeeting { meeting } => EntityRef::Meeting(meeting.id),
        UpdateMeeting { id, .. } | DeleteMeeting { id } => EntityRef::Meeting(*id),
    }
}

/// The entity's title in `state`, if it still exists and has one.
fn title_in(state: &State, entity: &EntityRef) -> Option<String> {
    match entity {
        EntityRef::Priority(id) => state.priorities.get(id).map(|p| p.title.clone()),
        EntityRef::Programme => None,
        EntityRef::Region(id) => state.regions.get(id).map(|r| r.name.clone()),
        EntityRef::TenPoint(n) => state.ten_points.get(n).map(|p| p.title_en.clone()),
        EntityRef::Initiative(code) => state.initiatives.get(code).map(|i| i.title.clone()),
        EntityRef::Baseline(id) => state.baselines.get(id).map(|b| b.name.clone()),
        EntityRef::Development(id) => state.developments.get(id).map(|d| d.title.clone()),
        EntityRef::Conference(id) => state
            .conferences
            .get(id)
            .map(|c| format!("{} {}", c.city, c.year)),
        EntityRef::Stakeholder(id) => state.stakeholders.get(id).map(|s| s.name.clone()),
        EntityRef::Link(id) => state
            .links
            .get(id)
            .and_then(|l| state.stakeholders.get(&l.stakeholder))
            .map(|s| s.name.clone()),
        EntityRef::Meeting(id) => state.meetings.get(id).map(|m| m.title.clone()),
    }
}

/// The title a mutation itself carries, for entities that are gone since.
fn title_carried(mutation: &Mutation, state: &State) -> Option<String> {
    use Mutation::*;
    match mutation {
        CreatePriority { title, .. } | RenamePriority { title, .. } => Some(title.clone()),
        AdoptBaseline { name, .. } | ApplyForMembership { name, .. } => Some(name.clone()),
        SetTenPoint { point } => Some(point.title_en.clone()),
        SetInitiative { initiative } => Some(initiative.title.clone()),
        SetDevelopment { development } => Some(development.title.clone()),
        CreateConference { conference } => Some(format!("{} {}", conference.city, conference.year)),
        SetStakeholder { stakeholder } => Some(stakeholder.name.clone()),
        LinkStakeholder { link } => state
            .stakeholders
            .get(&link.stakeholder)
            .map(|s| s.name.clone()),
        CreateMeeting { meeting } => Some(meeting.title.clone()),
        _ => None,
    }
}

/// Sums up one log entry against the current state.
pub fn describe(entry: &LogEntry, state: &State) -> RecentChange {
    let entity = touched(&entry.mutation);
    let title = title_in(state, &entity).or_else(|| title_carried(&entry.mutation, state));
    let status = match &entry.mutation {
        Mutation::SetPriorityStatus { status, .. } => Some(*status),
        Mutation::UpdatePriority { patch, .. } => patch.status,
        _ => None,
    };
    let position = match &entry.mutation {
        // The index is clamped to the end when applied.
        Mutation::MovePriority { index, .. } => {
            let last =
                u32::try_from(state.programme_order.len().saturating_sub(1)).unwrap_or(u32::MAX);
            Some((*index).min(last).saturating_add(1))
        }
        _ => None,
    };
    RecentChange {
        version: entry.version,
        at_ms: entry.at_ms,
        actor: entry.actor.name.clone(),
        kind: entry.mutation.kind(),
        entity,
        title,
        status,
        position,
    }
}

/// The last `entries` (oldest first, as the log holds them) as recent
/// changes, newest first.
pub fn recent(entries: &[LogEntry], state: &State, version: Version) -> RecentChanges {
    RecentChanges {
        version,
        changes: entries.iter().rev().map(|e| describe(e, state)).collect(),
    }
}
