//! The stakeholder network: organisations the Alliance works with (Leipzig
//! Declaration, point d) and their typed links to regions and priorities.

use serde::{Deserialize, Serialize};

use crate::ids::{LinkId, PriorityId, RegionId, StakeholderId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StakeholderKind {
    PoliticalActor,
    Industry,
    Supplier,
    SocialPartner,
    Science,
    EuInstitution,
    MemberState,
    SkillsAlliance,
    Other,
}

impl StakeholderKind {
    pub const ALL: [StakeholderKind; 9] = [
        StakeholderKind::PoliticalActor,
        StakeholderKind::Industry,
        StakeholderKind::Supplier,
        StakeholderKind::SocialPartner,
        StakeholderKind::Science,
        StakeholderKind::EuInstitution,
        StakeholderKind::MemberState,
        StakeholderKind::SkillsAlliance,
        StakeholderKind::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            StakeholderKind::PoliticalActor => "political_actor",
            StakeholderKind::Industry => "industry",
            StakeholderKind::Supplier => "supplier",
            StakeholderKind::SocialPartner => "social_partner",
            StakeholderKind::Science => "science",
            StakeholderKind::EuInstitution => "eu_institution",
            StakeholderKind::MemberState => "member_state",
            StakeholderKind::SkillsAlliance => "skills_alliance",
            StakeholderKind::Other => "other",
        }
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

/// What a link is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Partner,
    Member,
    Funder,
    Advisor,
    Contributor,
    Observer,
}

impl Relation {
    pub const ALL: [Relation; 6] = [
        Relation::Partner,
        Relation::Member,
        Relation::Funder,
        Relation::Advisor,
        Relation::Contributor,
        Relation::Observer,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Relation::Partner => "partner",
            Relation::Member => "member",
            Relation::Funder => "funder",
            Relation::Advisor => "advisor",
            Relation::Contributor => "contributor",
            Relation::Observer => "observer",
        }
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
