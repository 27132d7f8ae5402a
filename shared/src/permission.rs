//! Who may make which change. One function lists every mutation, so the
//! rules can be read in one place; [`State::apply`] calls it first.

use crate::ids::RegionId;
use crate::mutation::{Actor, Mutation, Role};
use crate::priority::Priority;
use crate::rejection::{Rejection, not_permitted};
use crate::state::State;

/// A region editor edits priorities of their region, priorities without a
/// lead, and what the secretariat opened to all.
pub fn can_edit_priority(actor: &Actor, priority: &Priority) -> bool {
    match actor.role {
        Role::Secretariat => true,
        Role::Observer => false,
        Role::RegionEditor => {
            priority.open_to_all
                || priority.lead_region.is_none()
                || actor.region.is_some_and(|r| priority.concerns(r))
        }
    }
}

/// Whether a region editor of `own` may change a priority's lead from
/// `current` to `next`. Leading is a region's commitment: a priority
/// without a lead may be claimed for the editor's own region only, and a
/// priority with a lead changes hands only through the lead region's own
/// editors (to another region, or to none). Otherwise a supporting region,
/// or anyone editing an open priority, could take the lead or drop it, and
/// with it every other region's right to edit.
fn may_set_lead(own: Option<RegionId>, current: Option<RegionId>, next: Option<RegionId>) -> bool {
    if next == current {
        return true;
    }
    match current {
        Some(lead) => own == Some(lead),
        None => next.is_some() && next == own,
    }
}

fn own_region(actor: &Actor, region: RegionId) -> bool {
    actor.role == Role::Secretariat || actor.region == Some(region)
}

/// Checks the actor against the mutation on the current state. Missing
/// entities are left to the mutation's own validation (a clearer message).
pub fn check(state: &State, actor: &Actor, mutation: &Mutation) -> Result<(), Rejection> {
    use Mutation::*;
    let deny = || Err(not_permitted(actor.role.key()));
    if actor.role == Role::Observer {
        return deny();
    }
    let secretariat = actor.role == Role::Secretariat;
    let priority_editable = |id| {
        state
            .priorities
            .get(id)
            .is_none_or(|p| can_edit_priority(actor, p))
    };
    let allowed = match mutation {
        CreatePriority { .. } => true,
        // Moving one priority shifts others, but what moves is the editor's
        // own (or an open) priority: that is the change they make.
        RenamePriority { id, .. }
        | SetPriorityStatus { id, .. }
        | UpdatePriority { id, .. }
        | MovePriority { id, .. } => priority_editable(id),
        SetPriorityAction { priority, .. } | RemovePriorityAction { priority, .. } => {
            priority_editable(priority)
        }
        DeletePriority { .. } => secretariat,
        EndorsePriority { region, .. } => own_region(actor, *region),
        AddComment { .. } => true,
        DeleteComment { priority, id } => {
            secretariat
                || state
                    .priorities
                    .get(priority)
                    .and_then(|p| p.comments.iter().find(|c| c.id == *id))
                    .is_none_or(|c| c.author == actor.user)
        }
        AdoptBaseline { .. } | SetTenPoint { .. } | SetInitiative { .. } => secretariat,
        ApplyForMembership { .. } => true,
        AdmitRegion { .. } | DeclineRegion { .. } => secretariat,
        LeaveAlliance { id } | UpdateRegion { id, .. } => own_region(actor, *id),
        SetDevelopment { .. } => true,
        DeleteDevelopment { .. } => secretariat,
        CreateConference { .. } | UpdateConference { .. } | DeleteConference { .. } => secretariat,
        SetConferenceTheme { id, .. } => {
            secretariat
                || state
                    .conferences
                    .get(id)
                    .is_some_and(|c| actor.region == Some(c.host))
        }
        SetStakeholder { .. } | LinkStakeholder { .. } | UnlinkStakeholder { .. } => true,
        DeleteStakeholder { .. } => secretariat,
        CreateMeeting { .. } | UpdateMeeting { .. } | DeleteMeeting { .. } => secretariat,
    };
    if !allowed {
        return deny();
    }
    // A confirmed NUTS code was checked against Eurostat's classification:
    // the secretariat confirms it, not the region itself.
    if let (Role::RegionEditor, UpdateRegion { patch, .. }) = (actor.role, mutation)
        && patch.nuts_confirmed.is_some()
    {
        return deny();
    }
    // A region editor who edits a priority's regions may only add or remove
    // their own region as a supporter; other regions' commitments are theirs
    // to make. The lead is the lead region's to hand on or give up.
    if let (Role::RegionEditor, UpdatePriority { id, patch }) = (actor.role, mutation)
        && let Some(current) = state.priorities.get(id)
    {
        let own = actor.region;
        let lead_ok = patch
            .lead_region
            .is_none_or(|lead| may_set_lead(own, current.lead_region, lead));
        let supporting_ok = patch.supporting_regions.as_ref().is_none_or(|next| {
            next.symmetric_difference(&current.supporting_regions)
                .all(|r| Some(*r) == own)
        });
        // Opening a priority to every region is the secretariat's decision.
        if !(lead_ok && supporting_ok) || patch.open_to_all.is_some() {
            return deny();
        }
    }
    Ok(())
}
