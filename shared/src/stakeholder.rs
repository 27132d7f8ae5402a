//! The stakeholder network: organisations the Alliance works with (Leipzig
//! Declaration, point d) and their typed links to regions and priorities.

use serde::{Deserialize, Serialize};

use crate::ids::{LinkId, PriorityId, RegionId, StakeholderId};

keyed_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum StakeholderKind {
        PoliticalActor = "political_actor",
        Industry = "industry",
        Supplier = "supplier",
        SocialPartner = "social_partner",
        Science = "science",
        EuInstitution = "eu_institution",
        MemberState = "member_state",
        SkillsAlliance = "skills_alliance",
        Other = "other",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stakeholder {
    pub id: StakeholderId,
    pub name: String,
    pub kind: StakeholderKind,
    /// ISO code, or `EU` for EU-level bodies.
    pub country: String,
    #[serde(default)]
    pub website: String,
}

keyed_enum! {
    /// What a link is about.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Relation {
        Partner = "partner",
        Member = "member",
        Funder = "funder",
        Advisor = "advisor",
        Contributor = "contributor",
        Observer = "observer",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum LinkTarget {
    Region(RegionId),
    Priority(PriorityId),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StakeholderLink {
    pub id: LinkId,
    pub stakeholder: StakeholderId,
    pub target: LinkTarget,
    pub relation: Relation,
}
