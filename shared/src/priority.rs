//! Priorities of the work programme and the value types they are made of.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use std::collections::BTreeSet;

use crate::date::Date;
use crate::ids::{ActionId, CommentId, PriorityId, RegionId, UserId};

/// A calendar quarter, the unit the work programme plans in. A value that
/// exists is valid: `q` is 1..=4 and `year` is 2000..=2100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "QuarterRepr", into = "QuarterRepr")]
pub struct Quarter {
    year: u16,
    q: u8,
}

#[derive(Serialize, Deserialize)]
struct QuarterRepr {
    year: u16,
    q: u8,
}

/// Why a quarter could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuarterError {
    #[error("quarter must be 1 to 4")]
    QuarterOutOfRange,
    #[error("year must be between 2000 and 2100")]
    YearOutOfRange,
    #[error("expected a quarter like 2025-Q3")]
    Syntax,
}

impl Quarter {
    pub const MIN_YEAR: u16 = 2000;
    pub const MAX_YEAR: u16 = 2100;

    pub fn new(year: u16, q: u8) -> Result<Self, QuarterError> {
        if !(1..=4).contains(&q) {
            return Err(QuarterError::QuarterOutOfRange);
        }
        if !(Self::MIN_YEAR..=Self::MAX_YEAR).contains(&year) {
            return Err(QuarterError::YearOutOfRange);
        }
        Ok(Self { year, q })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn q(self) -> u8 {
        self.q
    }

    /// Quarters since the year 0, for arithmetic and layout.
    pub fn index(self) -> u32 {
        u32::from(self.year) * 4 + u32::from(self.q) - 1
    }
}

impl TryFrom<QuarterRepr> for Quarter {
    type Error = QuarterError;
    fn try_from(r: QuarterRepr) -> Result<Self, Self::Error> {
        Quarter::new(r.year, r.q)
    }
}

impl From<Quarter> for QuarterRepr {
    fn from(q: Quarter) -> Self {
        QuarterRepr {
            year: q.year,
            q: q.q,
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

impl FromStr for Quarter {
    type Err = QuarterError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (year, q) = s.trim().split_once("-Q").ok_or(QuarterError::Syntax)?;
        let year = year.parse().map_err(|_| QuarterError::Syntax)?;
        let q = q.parse().map_err(|_| QuarterError::Syntax)?;
        Quarter::new(year, q)
    }
}

keyed_enum! {
    /// Short or medium term, as the declaration's work programme distinguishes.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Term {
        Short = "short",
        Medium = "medium",
    }
}

/// When a priority is planned: its term and the quarters it spans (start <= end).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Horizon {
    pub term: Term,
    pub start: Quarter,
    pub end: Quarter,
}

keyed_enum! {
    /// Where a priority stands. Transitions are limited by [`PriorityStatus::can_become`].
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum PriorityStatus {
        Proposed = "proposed",
        Adopted = "adopted",
        InProgress = "in_progress",
        Done = "done",
        Dropped = "dropped",
    }
}

impl PriorityStatus {
    /// The programme is adaptable, so most moves are allowed, including one
    /// step back (a restore after a conflict must be possible); what is ruled
    /// out are jumps that skip adoption, such as proposed → done.
    pub fn can_become(self, next: PriorityStatus) -> bool {
        use PriorityStatus::*;
        if self == next {
            return true;
        }
        matches!(
            (self, next),
            (Proposed, Adopted | Dropped)
                | (Adopted, Proposed | InProgress | Dropped)
                | (InProgress, Adopted | Done | Dropped)
                | (Done, InProgress)
                | (Dropped, Proposed)
        )
    }
}

keyed_enum! {
    /// The development dimensions the declaration aligns the programme with.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Dimension {
        Environmental = "environmental",
        Economic = "economic",
        Technical = "technical",
        Social = "social",
    }
}

keyed_enum! {
    /// The goals of a just transition (Leipzig Declaration, point a).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum TransitionGoal {
        Employment = "employment",
        Skills = "skills",
        Competitiveness = "competitiveness",
    }
}

/// An action or milestone, of a priority or a meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub id: ActionId,
    pub title: String,
    #[serde(default)]
    pub owner: Option<RegionId>,
    #[serde(default)]
    pub due: Option<Date>,
    #[serde(default)]
    pub done: bool,
}

/// A comment on a priority; the author and time come from the log entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: CommentId,
    pub author: UserId,
    pub author_name: String,
    pub at_ms: i64,
    pub text: String,
}

/// A thematic priority of the work programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priority {
    pub id: PriorityId,
    pub title: String,
    pub status: PriorityStatus,
    pub horizon: Horizon,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub description: String,
    /// Points (1–10) of the Alliance's ten-point position it serves.
    #[serde(default)]
    pub ten_points: BTreeSet<u8>,
    /// Codes of the Commission initiatives it aligns with.
    #[serde(default)]
    pub initiatives: BTreeSet<String>,
    #[serde(default)]
    pub dimensions: BTreeSet<Dimension>,
    #[serde(default)]
    pub goals: BTreeSet<TransitionGoal>,
    #[serde(default)]
    pub lead_region: Option<RegionId>,
    #[serde(default)]
    pub supporting_regions: BTreeSet<RegionId>,
    #[serde(default)]
    pub endorsements: BTreeSet<RegionId>,
    #[serde(default)]
    pub actions: Vec<Action>,
    #[serde(default)]
    pub comments: Vec<Comment>,
    /// Set by the secretariat: every region editor may edit it.
    #[serde(default)]
    pub open_to_all: bool,
}

impl Priority {
    /// A new proposed priority with nothing but its title and horizon.
    pub fn new(id: PriorityId, title: String, horizon: Horizon) -> Self {
        Self {
            id,
            title,
            status: PriorityStatus::Proposed,
            horizon,
            summary: String::new(),
            description: String::new(),
            ten_points: BTreeSet::new(),
            initiatives: BTreeSet::new(),
            dimensions: BTreeSet::new(),
            goals: BTreeSet::new(),
            lead_region: None,
            supporting_regions: BTreeSet::new(),
            endorsements: BTreeSet::new(),
            actions: Vec::new(),
            comments: Vec::new(),
            open_to_all: false,
        }
    }

    /// Regions this priority belongs to (lead and supporting).
    pub fn concerns(&self, region: RegionId) -> bool {
        self.lead_region == Some(region) || self.supporting_regions.contains(&region)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_parses_and_prints() {
        let q: Quarter = "2025-Q3".parse().expect("valid quarter");
        assert_eq!((q.year(), q.q()), (2025, 3));
        assert_eq!(q.to_string(), "2025-Q3");
        assert_eq!(
            "2025-Q5".parse::<Quarter>(),
            Err(QuarterError::QuarterOutOfRange)
        );
        assert_eq!(
            "1999-Q1".parse::<Quarter>(),
            Err(QuarterError::YearOutOfRange)
        );
        assert_eq!("2025Q1".parse::<Quarter>(), Err(QuarterError::Syntax));
    }

    #[test]
    fn quarter_deserialisation_rejects_out_of_range() {
        assert!(serde_json::from_str::<Quarter>(r#"{"year":2025,"q":0}"#).is_err());
        let q: Quarter = serde_json::from_str(r#"{"year":2025,"q":4}"#).expect("valid");
        assert_eq!(q.index(), 2025 * 4 + 3);
    }

    #[test]
    fn status_cannot_skip_adoption() {
        use PriorityStatus::*;
        assert!(Proposed.can_become(Adopted));
        assert!(!Proposed.can_become(Done));
        assert!(!Proposed.can_become(InProgress));
        assert!(Done.can_become(InProgress));
        assert!(!Dropped.can_become(Done));
    }
}
