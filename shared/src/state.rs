//! The materialised state of one alliance and the one place mutations are
//! validated and applied ([`State::apply`]).
//!
//! Over 800 lines on purpose: `State::apply` is the one match over every
//! mutation, and the helpers each arm calls stay beside it, so that every
//! rule of a change is read in one file; the unit tests are at the end.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::baseline::{Baseline, in_programme};
use crate::conference::Conference;
use crate::date::Date;
use crate::development::Development;
use crate::ids::{
    BaselineId, ConferenceId, DevelopmentId, LinkId, MeetingId, PriorityId, RegionId, StakeholderId,
};
use crate::meeting::{Meeting, valid_time_zone};
use crate::mutation::{
    Change, ConferencePatch, Context, EntityRef, LogEntry, MeetingPatch, Mutation, PriorityPatch,
    RegionPatch,
};
use crate::permission;
use crate::priority::{Action, Comment, Horizon, Priority};
use crate::reference::{Initiative, TenPoint, valid_code};
use crate::region::{Membership, Region, valid_country, valid_nuts};
use crate::rejection::{
    Param, Rejection, RejectionCode, invalid, optional_line, optional_text, optional_url,
    required_line, required_text, unknown,
};
use crate::stakeholder::{LinkTarget, Stakeholder, StakeholderLink};

/// Longest priority title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest name of a region, organisation, meeting, conference city, baseline.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest summary.
pub const MAX_SUMMARY_CHARS: usize = 1_000;
/// Longest long text (description, minutes, comment).
pub const MAX_LONG_TEXT_CHARS: usize = 20_000;
/// Most actions, agenda items or comments on one entity.
pub const MAX_ITEMS: usize = 500;

/// Everything the Alliance's planner holds. Only [`State::apply`] changes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub priorities: BTreeMap<PriorityId, Priority>,
    /// The programme's order: every priority exactly once.
    pub programme_order: Vec<PriorityId>,
    #[serde(default)]
    pub regions: BTreeMap<RegionId, Region>,
    /// Keyed by point number; a list on the wire (JSON keys are strings).
    #[serde(default, with = "ten_points_as_list")]
    pub ten_points: BTreeMap<u8, TenPoint>,
    #[serde(default)]
    pub initiatives: BTreeMap<String, Initiative>,
    #[serde(default)]
    pub baselines: BTreeMap<BaselineId, Baseline>,
    #[serde(default)]
    pub developments: BTreeMap<DevelopmentId, Development>,
    #[serde(default)]
    pub conferences: BTreeMap<ConferenceId, Conference>,
    #[serde(default)]
    pub stakeholders: BTreeMap<StakeholderId, Stakeholder>,
    #[serde(default)]
    pub links: BTreeMap<LinkId, StakeholderLink>,
    #[serde(default)]
    pub meetings: BTreeMap<MeetingId, Meeting>,
}

type Applied = Result<Vec<Change>, Rejection>;

/// Whether an edit works out the fields it changed (see [`State::apply`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Track {
    Changes,
    Nothing,
}

/// Whether the actor's permission is checked: always for a new mutation,
/// never for an entry of the log, which the server accepted under the
/// rules of its time (see [`State::replay`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gate {
    Permission,
    Logged,
}

mod ten_points_as_list {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serializer};

    use crate::reference::TenPoint;

    pub fn serialize<S: Serializer>(map: &BTreeMap<u8, TenPoint>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.values())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<u8, TenPoint>, D::Error> {
        Ok(Vec::<TenPoint>::deserialize(d)?
            .into_iter()
            .map(|p| (p.n, p))
            .collect())
    }
}

/// The changed top-level fields of an entity, with their old values.
fn diff(
    track: Track,
    entity: EntityRef,
    old: &impl Serialize,
    new: &impl Serialize,
) -> Vec<Change> {
    if track == Track::Nothing {
        return Vec::new();
    }
    let (Ok(Value::Object(old)), Ok(Value::Object(new))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return Vec::new();
    };
    new.into_iter()
        .filter(|(k, v)| old.get(k) != Some(v))
        .map(|(field, value)| Change {
            entity: entity.clone(),
            old: Some(old.get(&field).cloned().unwrap_or(Value::Null)),
            field,
            new: value,
        })
        .collect()
}

fn created(entity: EntityRef, value: &impl Serialize) -> Vec<Change> {
    vec![Change {
        entity,
        field: "*".into(),
        old: None,
        new: serde_json::to_value(value).unwrap_or_default(),
    }]
}

fn removed(entity: EntityRef, value: &impl Serialize) -> Vec<Change> {
    vec![Change {
        entity,
        field: "*".into(),
        old: Some(serde_json::to_value(value).unwrap_or_default()),
        new: Value::Null,
    }]
}

fn in_use(entity: &str, by: &str) -> Rejection {
    Rejection::new(RejectionCode::InUse)
        .with(Param::Entity, entity)
        .with(Param::By, by)
}

fn too_many(field: &str) -> Rejection {
    Rejection::new(RejectionCode::TooLong)
        .with(Param::Field, field)
        .with(Param::Max, MAX_ITEMS)
}

impl State {
    /// Priorities in programme order.
    pub fn priorities_in_order(&self) -> impl Iterator<Item = &Priority> {
        self.programme_order
            .iter()
            .filter_map(|id| self.priorities.get(id))
    }

    /// Validates `mutation` against this state and the actor, then applies it,
    /// returning the fields it changed with their old values (for history and
    /// the "overwritten" notice). On rejection the state is untouched. Never
    /// panics.
    pub fn apply(&mut self, mutation: &Mutation, ctx: &Context) -> Applied {
        self.apply_tracking(mutation, ctx, Track::Changes, Gate::Permission)
    }

    /// [`State::apply`] without working out the changed fields: for the
    /// server's sequencer, which keeps only the state. Accepts and refuses
    /// exactly what `apply` does.
    pub fn apply_untracked(&mut self, mutation: &Mutation, ctx: &Context) -> Result<(), Rejection> {
        self.apply_tracking(mutation, ctx, Track::Nothing, Gate::Permission)
            .map(drop)
    }

    /// See [`LogEntry::apply_to`], the one way in.
    pub(crate) fn replay(&mut self, entry: &LogEntry) -> Applied {
        self.apply_tracking(
            &entry.mutation,
            &entry.context(),
            Track::Changes,
            Gate::Logged,
        )
    }

    /// See [`LogEntry::apply_untracked_to`].
    pub(crate) fn replay_untracked(&mut self, entry: &LogEntry) -> Result<(), Rejection> {
        self.apply_tracking(
            &entry.mutation,
            &entry.context(),
            Track::Nothing,
            Gate::Logged,
        )
        .map(drop)
    }

    fn apply_tracking(
        &mut self,
        mutation: &Mutation,
        ctx: &Context,
        track: Track,
        gate: Gate,
    ) -> Applied {
        if gate == Gate::Permission {
            permission::check(self, ctx.actor, mutation)?;
        }
        use Mutation::*;
        match mutation {
            CreatePriority { id, title, horizon } => {
                self.create_priority(*id, title, *horizon, ctx)
            }
            RenamePriority { id, title } => self.update_priority(
                track,
                *id,
                &PriorityPatch {
                    title: Some(title.clone()),
                    ..PriorityPatch::default()
                },
            ),
            SetPriorityStatus { id, status } => self.update_priority(
                track,
                *id,
                &PriorityPatch {
                    status: Some(*status),
                    ..PriorityPatch::default()
                },
            ),
            MovePriority { id, index } => self.move_priority(*id, *index),
            UpdatePriority { id, patch } => self.update_priority(track, *id, patch),
            DeletePriority { id } => self.delete_priority(*id),
            EndorsePriority {
                id,
                region,
                endorse,
            } => self.endorse(track, *id, *region, *endorse),
            SetPriorityAction { priority, action } => {
                self.set_priority_action(track, *priority, action)
            }
            RemovePriorityAction { priority, action } => {
                self.edit_priority(track, *priority, |p| {
                    let before = p.actions.len();
                    p.actions.retain(|a| a.id != *action);
                    if p.actions.len() == before {
                        return Err(unknown("action", action));
                    }
                    Ok(())
                })
            }
            AddComment { priority, id, text } => {
                let text = required_text("comment", text, MAX_LONG_TEXT_CHARS)?;
                let comment = Comment {
                    id: *id,
                    author: ctx.actor.user,
                    author_name: ctx.actor.name.clone(),
                    at_ms: ctx.now_ms,
                    text,
                };
                self.edit_priority(track, *priority, |p| {
                    if p.comments.iter().any(|c| c.id == comment.id) {
                        return Err(duplicate("comment", comment.id));
                    }
                    if p.comments.len() >= MAX_ITEMS {
                        return Err(too_many("comments"));
                    }
                    p.comments.push(comment);
                    Ok(())
                })
            }
            DeleteComment { priority, id } => self.edit_priority(track, *priority, |p| {
                let before = p.comments.len();
                p.comments.retain(|c| c.id != *id);
                if p.comments.len() == before {
                    return Err(unknown("comment", id));
                }
                Ok(())
            }),
            AdoptBaseline {
                id,
                name,
                adopted_on,
            } => self.adopt_baseline(*id, name, *adopted_on),
            SetTenPoint { point } => self.set_ten_point(track, point),
            SetInitiative { initiative } => self.set_initiative(track, initiative),
            ApplyForMembership {
                id,
                name,
                country,
                nuts,
                contact,
            } => self.apply_for_membership(*id, name, country, nuts, contact),
            AdmitRegion { id, joined } => {
                self.set_membership(track, *id, Membership::Member, Some(*joined))
            }
            DeclineRegion { id } => self.set_membership(track, *id, Membership::Declined, None),
            LeaveAlliance { id } => self.set_membership(track, *id, Membership::Former, None),
            UpdateRegion { id, patch } => self.update_region(track, *id, patch),
            SetDevelopment { development } => self.set_development(track, development),
            DeleteDevelopment { id } => {
                let old = self
                    .developments
                    .remove(id)
                    .ok_or_else(|| unknown("development", id))?;
                Ok(removed(EntityRef::Development(*id), &old))
            }
            CreateConference { conference } => self.create_conference(conference),
            UpdateConference { id, patch } => self.update_conference(track, *id, patch),
            SetConferenceTheme {
                id,
                theme,
                priorities,
            } => self.set_theme(track, *id, theme, priorities),
            DeleteConference { id } => {
                let old = self
                    .conferences
                    .remove(id)
                    .ok_or_else(|| unknown("conference", id))?;
                Ok(removed(EntityRef::Conference(*id), &old))
            }
            SetStakeholder { stakeholder } => self.set_stakeholder(track, stakeholder),
            DeleteStakeholder { id } => self.delete_stakeholder(*id),
            LinkStakeholder { link } => self.link(link),
            UnlinkStakeholder { id } => {
                let old = self.links.remove(id).ok_or_else(|| unknown("link", id))?;
                Ok(removed(EntityRef::Link(*id), &old))
            }
            CreateMeeting { meeting } => self.create_meeting(meeting),
            UpdateMeeting { id, patch } => self.update_meeting(track, *id, patch),
            DeleteMeeting { id } => {
                let old = self
                    .meetings
                    .remove(id)
                    .ok_or_else(|| unknown("meeting", id))?;
                Ok(removed(EntityRef::Meeting(*id), &old))
            }
        }
    }

    // --- References that must exist ---

    fn known_region(&self, id: RegionId) -> Result<(), Rejection> {
        self.regions
            .contains_key(&id)
            .then_some(())
            .ok_or_else(|| unknown("region", id))
    }

    fn known_priority(&self, id: PriorityId) -> Result<(), Rejection> {
        self.priorities
            .contains_key(&id)
            .then_some(())
            .ok_or_else(|| unknown("priority", id))
    }

    fn known_priorities<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a PriorityId>,
    ) -> Result<(), Rejection> {
        ids.into_iter().try_for_each(|id| self.known_priority(*id))
    }

    fn known_regions<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a RegionId>,
    ) -> Result<(), Rejection> {
        ids.into_iter().try_for_each(|id| self.known_region(*id))
    }

    // --- Priorities ---

    fn create_priority(
        &mut self,
        id: PriorityId,
        title: &str,
        horizon: Horizon,
        ctx: &Context,
    ) -> Applied {
        if self.priorities.contains_key(&id) {
            return Err(duplicate("priority", id));
        }
        let title = required_line("title", title, MAX_TITLE_CHARS)?;
        valid_horizon(&horizon)?;
        let mut priority = Priority::new(id, title, horizon);
        // A region editor's new priority is led by their region.
        if let Some(region) = ctx.actor.region.filter(|r| self.regions.contains_key(r)) {
            priority.lead_region = Some(region);
        }
        let changes = created(EntityRef::Priority(id), &priority);
        self.priorities.insert(id, priority);
        self.programme_order.push(id);
        Ok(changes)
    }

    /// Applies `edit` to a copy of the priority, checks the whole result, and
    /// only then stores it, reporting every field that changed.
    fn edit_priority(
        &mut self,
        track: Track,
        id: PriorityId,
        edit: impl FnOnce(&mut Priority) -> Result<(), Rejection>,
    ) -> Applied {
        let old = self
            .priorities
            .get(&id)
            .ok_or_else(|| unknown("priority", id))?;
        let mut new = old.clone();
        edit(&mut new)?;
        let changes = diff(track, EntityRef::Priority(id), old, &new);
        self.priorities.insert(id, new);
        Ok(changes)
    }

    fn update_priority(&mut self, track: Track, id: PriorityId, patch: &PriorityPatch) -> Applied {
        let title = patch
            .title
            .as_deref()
            .map(|t| required_line("title", t, MAX_TITLE_CHARS))
            .transpose()?;
        let summary = patch
            .summary
            .as_deref()
            .map(|t| optional_text("summary", t, MAX_SUMMARY_CHARS))
            .transpose()?;
        let description = patch
            .description
            .as_deref()
            .map(|t| optional_text("description", t, MAX_LONG_TEXT_CHARS))
            .transpose()?;
        if let Some(h) = &patch.horizon {
            valid_horizon(h)?;
        }
        if let Some(points) = &patch.ten_points
            && let Some(bad) = points.iter().find(|n| !(1..=10).contains(*n))
        {
            return Err(invalid("ten_points", "1-10").with(Param::Value, bad));
        }
        if let Some(codes) = &patch.initiatives
            && let Some(bad) = codes.iter().find(|c| !self.initiatives.contains_key(*c))
        {
            return Err(unknown("initiative", bad));
        }
        if let Some(Some(lead)) = patch.lead_region {
            self.known_region(lead)?;
        }
        if let Some(regions) = &patch.supporting_regions {
            self.known_regions(regions)?;
        }
        self.edit_priority(track, id, |p| {
            if let Some(status) = patch.status
                && !p.status.can_become(status)
            {
                return Err(Rejection::new(RejectionCode::InvalidTransition)
                    .with(Param::From, p.status.key())
                    .with(Param::To, status.key()));
            }
            if let Some(t) = title {
                p.title = t;
            }
            if let Some(t) = summary {
                p.summary = t;
            }
            if let Some(t) = description {
                p.description = t;
            }
            if let Some(s) = patch.status {
                p.status = s;
            }
            if let Some(h) = patch.horizon {
                p.horizon = h;
            }
            if let Some(v) = &patch.ten_points {
                p.ten_points = v.clone();
            }
            if let Some(v) = &patch.initiatives {
                p.initiatives = v.clone();
            }
            if let Some(v) = &patch.dimensions {
                p.dimensions = v.clone();
            }
            if let Some(v) = &patch.goals {
                p.goals = v.clone();
            }
            if let Some(v) = patch.lead_region {
                p.lead_region = v;
            }
            if let Some(v) = &patch.supporting_regions {
                p.supporting_regions = v.clone();
            }
            if let Some(v) = patch.open_to_all {
                p.open_to_all = v;
            }
            Ok(())
        })
    }

    fn move_priority(&mut self, id: PriorityId, index: u32) -> Applied {
        self.known_priority(id)?;
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

    fn delete_priority(&mut self, id: PriorityId) -> Applied {
        self.known_priority(id)?;
        if self
            .baselines
            .values()
            .any(|b| b.priorities.iter().any(|p| p.id == id))
        {
            return Err(in_use("priority", "baseline"));
        }
        if self
            .conferences
            .values()
            .any(|c| c.theme_priorities.contains(&id))
        {
            return Err(in_use("priority", "conference"));
        }
        if self
            .developments
            .values()
            .any(|d| d.priorities.contains(&id))
        {
            return Err(in_use("priority", "development"));
        }
        if self
            .meetings
            .values()
            .any(|m| m.agenda.iter().any(|a| a.priority == Some(id)))
        {
            return Err(in_use("priority", "meeting"));
        }
        if self
            .links
            .values()
            .any(|l| l.target == LinkTarget::Priority(id))
        {
            return Err(in_use("priority", "stakeholder"));
        }
        let old = self
            .priorities
            .remove(&id)
            .ok_or_else(|| unknown("priority", id))?;
        self.programme_order.retain(|p| *p != id);
        Ok(removed(EntityRef::Priority(id), &old))
    }

    fn endorse(
        &mut self,
        track: Track,
        id: PriorityId,
        region: RegionId,
        endorse: bool,
    ) -> Applied {
        match self.regions.get(&region) {
            None => return Err(unknown("region", region)),
            Some(r) if endorse && r.membership != Membership::Member => {
                return Err(Rejection::new(RejectionCode::NotAMember).with(Param::Region, &r.name));
            }
            Some(_) => {}
        }
        self.edit_priority(track, id, |p| {
            if endorse {
                p.endorsements.insert(region);
            } else {
                p.endorsements.remove(&region);
            }
            Ok(())
        })
    }

    fn set_priority_action(
        &mut self,
        track: Track,
        priority: PriorityId,
        action: &Action,
    ) -> Applied {
        let action = self.valid_action(action)?;
        self.edit_priority(track, priority, |p| {
            if let Some(existing) = p.actions.iter_mut().find(|a| a.id == action.id) {
                *existing = action;
            } else if p.actions.len() >= MAX_ITEMS {
                return Err(too_many("actions"));
            } else {
                p.actions.push(action);
            }
            Ok(())
        })
    }

    fn valid_action(&self, action: &Action) -> Result<Action, Rejection> {
        if let Some(owner) = action.owner {
            self.known_region(owner)?;
        }
        Ok(Action {
            title: required_line("title", &action.title, MAX_TITLE_CHARS)?,
            ..action.clone()
        })
    }

    fn adopt_baseline(&mut self, id: BaselineId, name: &str, adopted_on: Date) -> Applied {
        if self.baselines.contains_key(&id) {
            return Err(Rejection::new(RejectionCode::BaselineImmutable));
        }
        let baseline = Baseline {
            id,
            name: required_line("name", name, MAX_NAME_CHARS)?,
            adopted_on,
            priorities: self
                .priorities_in_order()
                .filter(|p| in_programme(p))
                .cloned()
                .collect(),
        };
        let changes = created(EntityRef::Baseline(id), &baseline);
        self.baselines.insert(id, baseline);
        Ok(changes)
    }

    // --- Reference data ---

    fn set_ten_point(&mut self, track: Track, point: &TenPoint) -> Applied {
        if !(1..=10).contains(&point.n) {
            return Err(invalid("n", "1-10"));
        }
        let point = TenPoint {
            n: point.n,
            title_en: required_line("title_en", &point.title_en, MAX_TITLE_CHARS)?,
            title_de: required_line("title_de", &point.title_de, MAX_TITLE_CHARS)?,
            summary_en: optional_text("summary_en", &point.summary_en, MAX_SUMMARY_CHARS)?,
            unconfirmed: point.unconfirmed,
        };
        let entity = EntityRef::TenPoint(point.n);
        let changes = match self.ten_points.get(&point.n) {
            Some(old) => diff(track, entity, old, &point),
            None => created(entity, &point),
        };
        self.ten_points.insert(point.n, point);
        Ok(changes)
    }

    fn set_initiative(&mut self, track: Track, initiative: &Initiative) -> Applied {
        if !valid_code(&initiative.code) {
            return Err(invalid("code", "code"));
        }
        if let Some(year) = initiative.year
            && !(1950..=2100).contains(&year)
        {
            return Err(invalid("year", "year"));
        }
        let initiative = Initiative {
            title: required_line("title", &initiative.title, MAX_TITLE_CHARS)?,
            ..initiative.clone()
        };
        let entity = EntityRef::Initiative(initiative.code.clone());
        let changes = match self.initiatives.get(&initiative.code) {
            Some(old) => diff(track, entity, old, &initiative),
            None => created(entity, &initiative),
        };
        self.initiatives.insert(initiative.code.clone(), initiative);
        Ok(changes)
    }

    // --- Regions ---

    fn apply_for_membership(
        &mut self,
        id: RegionId,
        name: &str,
        country: &str,
        nuts: &str,
        contact: &str,
    ) -> Applied {
        if self.regions.contains_key(&id) {
            return Err(duplicate("region", id));
        }
        let region = Region {
            id,
            name: required_line("name", name, MAX_NAME_CHARS)?,
            country: valid_country(country)
                .then(|| country.to_owned())
                .ok_or_else(|| invalid("country", "country"))?,
            nuts: valid_nuts(nuts)
                .then(|| nuts.to_owned())
                .ok_or_else(|| invalid("nuts", "nuts"))?,
            nuts_confirmed: false,
            membership: Membership::Applicant,
            contact: optional_line("contact", contact, MAX_NAME_CHARS)?,
            joined: None,
            unconfirmed: false,
        };
        if self.regions.values().any(|r| r.nuts == region.nuts) {
            return Err(Rejection::new(RejectionCode::AlreadyExists)
                .with(Param::Entity, "region")
                .with(Param::Key, &region.nuts));
        }
        let changes = created(EntityRef::Region(id), &region);
        self.regions.insert(id, region);
        Ok(changes)
    }

    fn set_membership(
        &mut self,
        track: Track,
        id: RegionId,
        to: Membership,
        joined: Option<Date>,
    ) -> Applied {
        let old = self.regions.get(&id).ok_or_else(|| unknown("region", id))?;
        use Membership::*;
        let allowed = matches!(
            (old.membership, to),
            (Applicant, Member | Declined) | (Member, Former) | (Former | Declined, Member)
        );
        if !allowed {
            return Err(Rejection::new(RejectionCode::InvalidTransition)
                .with(Param::From, old.membership.key())
                .with(Param::To, to.key()));
        }
        let mut new = old.clone();
        new.membership = to;
        if joined.is_some() {
            new.joined = joined;
        }
        let changes = diff(track, EntityRef::Region(id), old, &new);
        self.regions.insert(id, new);
        Ok(changes)
    }

    fn update_region(&mut self, track: Track, id: RegionId, patch: &RegionPatch) -> Applied {
        let old = self.regions.get(&id).ok_or_else(|| unknown("region", id))?;
        let mut new = old.clone();
        if let Some(name) = &patch.name {
            new.name = required_line("name", name, MAX_NAME_CHARS)?;
        }
        if let Some(country) = &patch.country {
            if !valid_country(country) {
                return Err(invalid("country", "country"));
            }
            new.country = country.clone();
        }
        if let Some(nuts) = &patch.nuts {
            if !valid_nuts(nuts) {
                return Err(invalid("nuts", "nuts"));
            }
            if *nuts != old.nuts {
                if self.regions.values().any(|r| r.id != id && r.nuts == *nuts) {
                    return Err(Rejection::new(RejectionCode::AlreadyExists)
                        .with(Param::Entity, "region")
                        .with(Param::Key, nuts));
                }
                // A new code has not been checked yet, unless this very
                // change confirms it.
                new.nuts_confirmed = false;
            }
            new.nuts = nuts.clone();
        }
        if let Some(confirmed) = patch.nuts_confirmed {
            new.nuts_confirmed = confirmed;
        }
        if let Some(contact) = &patch.contact {
            new.contact = optional_line("contact", contact, MAX_NAME_CHARS)?;
        }
        if let Some(unconfirmed) = patch.unconfirmed {
            new.unconfirmed = unconfirmed;
        }
        let changes = diff(track, EntityRef::Region(id), old, &new);
        self.regions.insert(id, new);
        Ok(changes)
    }

    // --- Developments ---

    fn set_development(&mut self, track: Track, d: &Development) -> Applied {
        self.known_priorities(&d.priorities)?;
        let d = Development {
            title: required_line("title", &d.title, MAX_TITLE_CHARS)?,
            source: optional_url("source", &d.source)?,
            summary: optional_text("summary", &d.summary, MAX_SUMMARY_CHARS)?,
            ..d.clone()
        };
        let entity = EntityRef::Development(d.id);
        let changes = match self.developments.get(&d.id) {
            Some(old) => diff(track, entity, old, &d),
            None => created(entity, &d),
        };
        self.developments.insert(d.id, d);
        Ok(changes)
    }

    // --- Conferences ---

    fn valid_conference(&self, c: &Conference) -> Result<Conference, Rejection> {
        match self.regions.get(&c.host) {
            None => return Err(unknown("region", c.host)),
            Some(r) if r.membership != Membership::Member => {
                return Err(Rejection::new(RejectionCode::NotAMember).with(Param::Region, &r.name));
            }
            Some(_) => {}
        }
        if c.end < c.start {
            return Err(Rejection::new(RejectionCode::EndsBeforeStart).with(Param::Field, "end"));
        }
        if c.start.year() != c.year {
            return Err(invalid("start", "date_in_year").with(Param::Year, c.year));
        }
        if self
            .conferences
            .values()
            .any(|o| o.year == c.year && o.id != c.id)
        {
            return Err(Rejection::new(RejectionCode::AlreadyExists)
                .with(Param::Entity, "conference")
                .with(Param::Key, c.year));
        }
        self.known_priorities(&c.theme_priorities)?;
        Ok(Conference {
            city: required_line("city", &c.city, MAX_NAME_CHARS)?,
            theme: optional_line("theme", &c.theme, MAX_TITLE_CHARS)?,
            ..c.clone()
        })
    }

    fn create_conference(&mut self, c: &Conference) -> Applied {
        if self.conferences.contains_key(&c.id) {
            return Err(duplicate("conference", c.id));
        }
        let c = self.valid_conference(c)?;
        let changes = created(EntityRef::Conference(c.id), &c);
        self.conferences.insert(c.id, c);
        Ok(changes)
    }

    fn update_conference(
        &mut self,
        track: Track,
        id: ConferenceId,
        patch: &ConferencePatch,
    ) -> Applied {
        let old = self
            .conferences
            .get(&id)
            .ok_or_else(|| unknown("conference", id))?;
        let mut new = old.clone();
        if let Some(host) = patch.host {
            new.host = host;
        }
        if let Some(city) = &patch.city {
            new.city = city.clone();
        }
        if let Some(start) = patch.start {
            new.start = start;
        }
        if let Some(end) = patch.end {
            new.end = end;
        }
        if let Some(unconfirmed) = patch.unconfirmed {
            new.unconfirmed = unconfirmed;
        }
        let new = self.valid_conference(&new)?;
        let old = self
            .conferences
            .get(&id)
            .ok_or_else(|| unknown("conference", id))?;
        let changes = diff(track, EntityRef::Conference(id), old, &new);
        self.conferences.insert(id, new);
        Ok(changes)
    }

    fn set_theme(
        &mut self,
        track: Track,
        id: ConferenceId,
        theme: &str,
        priorities: &BTreeSet<PriorityId>,
    ) -> Applied {
        let old = self
            .conferences
            .get(&id)
            .ok_or_else(|| unknown("conference", id))?;
        let mut new = old.clone();
        new.theme = theme.to_owned();
        new.theme_priorities = priorities.clone();
        let new = self.valid_conference(&new)?;
        let old = self
            .conferences
            .get(&id)
            .ok_or_else(|| unknown("conference", id))?;
        let changes = diff(track, EntityRef::Conference(id), old, &new);
        self.conferences.insert(id, new);
        Ok(changes)
    }

    // --- Stakeholders ---

    fn set_stakeholder(&mut self, track: Track, s: &Stakeholder) -> Applied {
        let country = s.country.trim();
        if !(valid_country(country) || country == "EU") {
            return Err(invalid("country", "country"));
        }
        let s = Stakeholder {
            name: required_line("name", &s.name, MAX_NAME_CHARS)?,
            country: country.to_owned(),
            website: optional_url("website", &s.website)?,
            ..s.clone()
        };
        let entity = EntityRef::Stakeholder(s.id);
        let changes = match self.stakeholders.get(&s.id) {
            Some(old) => diff(track, entity, old, &s),
            None => created(entity, &s),
        };
        self.stakeholders.insert(s.id, s);
        Ok(changes)
    }

    fn delete_stakeholder(&mut self, id: StakeholderId) -> Applied {
        let old = self
            .stakeholders
            .remove(&id)
            .ok_or_else(|| unknown("stakeholder", id))?;
        let mut changes = removed(EntityRef::Stakeholder(id), &old);
        let links: Vec<LinkId> = self
            .links
            .values()
            .filter(|l| l.stakeholder == id)
            .map(|l| l.id)
            .collect();
        for link in links {
            if let Some(old) = self.links.remove(&link) {
                changes.extend(removed(EntityRef::Link(link), &old));
            }
        }
        Ok(changes)
    }

    fn link(&mut self, link: &StakeholderLink) -> Applied {
        if self.links.contains_key(&link.id) {
            return Err(duplicate("link", link.id));
        }
        if !self.stakeholders.contains_key(&link.stakeholder) {
            return Err(unknown("stakeholder", link.stakeholder));
        }
        match link.target {
            LinkTarget::Region(r) => self.known_region(r)?,
            LinkTarget::Priority(p) => self.known_priority(p)?,
        }
        if self.links.values().any(|l| {
            l.stakeholder == link.stakeholder
                && l.target == link.target
                && l.relation == link.relation
        }) {
            return Err(Rejection::new(RejectionCode::AlreadyExists)
                .with(Param::Entity, "link")
                .with(Param::Key, link.relation.key()));
        }
        let changes = created(EntityRef::Link(link.id), link);
        self.links.insert(link.id, link.clone());
        Ok(changes)
    }

    // --- Meetings ---

    fn valid_meeting(&self, m: &Meeting) -> Result<Meeting, Rejection> {
        if m.end_ms < m.start_ms {
            return Err(Rejection::new(RejectionCode::EndsBeforeStart).with(Param::Field, "end"));
        }
        // 2000-01-01 to 2100-12-31: dates the calendar exports can carry.
        if !(946_684_800_000..=4_133_980_799_000).contains(&m.start_ms)
            || m.end_ms > 4_133_980_799_000
        {
            return Err(invalid("start", "date"));
        }
        if !valid_time_zone(&m.time_zone) {
            return Err(invalid("time_zone", "time_zone"));
        }
        self.known_regions(&m.participants)?;
        if m.agenda.len() > MAX_ITEMS {
            return Err(too_many("agenda"));
        }
        if m.actions.len() > MAX_ITEMS {
            return Err(too_many("actions"));
        }
        let mut agenda = Vec::with_capacity(m.agenda.len());
        for item in &m.agenda {
            if let Some(p) = item.priority {
                self.known_priority(p)?;
            }
            let mut item = item.clone();
            item.title = required_line("agenda", &item.title, MAX_TITLE_CHARS)?;
            agenda.push(item);
        }
        let actions = m
            .actions
            .iter()
            .map(|a| self.valid_action(a))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Meeting {
            title: required_line("title", &m.title, MAX_NAME_CHARS)?,
            place: optional_line("place", &m.place, MAX_NAME_CHARS)?,
            video_link: optional_url("video_link", &m.video_link)?,
            minutes: optional_text("minutes", &m.minutes, MAX_LONG_TEXT_CHARS)?,
            agenda,
            actions,
            ..m.clone()
        })
    }

    fn create_meeting(&mut self, m: &Meeting) -> Applied {
        if self.meetings.contains_key(&m.id) {
            return Err(duplicate("meeting", m.id));
        }
        let m = self.valid_meeting(m)?;
        let changes = created(EntityRef::Meeting(m.id), &m);
        self.meetings.insert(m.id, m);
        Ok(changes)
    }

    fn update_meeting(&mut self, track: Track, id: MeetingId, patch: &MeetingPatch) -> Applied {
        let old = self
            .meetings
            .get(&id)
            .ok_or_else(|| unknown("meeting", id))?;
        let mut new = old.clone();
        if let Some(v) = patch.kind {
            new.kind = v;
        }
        if let Some(v) = &patch.title {
            new.title = v.clone();
        }
        if let Some(v) = patch.start_ms {
            new.start_ms = v;
        }
        if let Some(v) = patch.end_ms {
            new.end_ms = v;
        }
        if let Some(v) = &patch.time_zone {
            new.time_zone = v.clone();
        }
        if let Some(v) = &patch.place {
            new.place = v.clone();
        }
        if let Some(v) = &patch.video_link {
            new.video_link = v.clone();
        }
        if let Some(v) = &patch.participants {
            new.participants = v.clone();
        }
        if let Some(v) = &patch.agenda {
            new.agenda = v.clone();
        }
        if let Some(v) = &patch.minutes {
            new.minutes = v.clone();
        }
        if let Some(v) = &patch.actions {
            new.actions = v.clone();
        }
        let new = self.valid_meeting(&new)?;
        let old = self
            .meetings
            .get(&id)
            .ok_or_else(|| unknown("meeting", id))?;
        let changes = diff(track, EntityRef::Meeting(id), old, &new);
        self.meetings.insert(id, new);
        Ok(changes)
    }
}

fn duplicate(entity: &str, id: impl ToString) -> Rejection {
    Rejection::new(RejectionCode::DuplicateId)
        .with(Param::Entity, entity)
        .with(Param::Id, id)
}

fn valid_horizon(h: &Horizon) -> Result<(), Rejection> {
    if h.end < h.start {
        return Err(Rejection::new(RejectionCode::HorizonEndsBeforeStart));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ids::UserId;
    use crate::mutation::{Actor, Role};
    use crate::priority::{PriorityStatus, Quarter, Term};

    pub(crate) fn actor(role: Role) -> Actor {
        Actor {
            user: UserId::from_parts(1, [1; 10]),
            name: "Test".into(),
            role,
            region: None,
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
        assert_eq!(err.param(Param::Max), Some("200"));
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
        assert_eq!(err.param(Param::Id), Some(pid(9).to_string().as_str()));
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
        assert_eq!(err.param(Param::To), Some("done"));
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
