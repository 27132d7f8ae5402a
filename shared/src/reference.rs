//! Reference data the priorities point to: the ten points of the Alliance's
//! founding position and the Commission initiatives. The crate carries them
//! ([`ten_points`], [`initiatives`], from its own copy of the seed,
//! `data/ara_seed.json`); in a store they are editable by the secretariat
//! only, and unconfirmed facts stay marked as such.

use serde::{Deserialize, Serialize};

/// The public facts the reference and demo data are built from.
pub(crate) const SEED: &str = include_str!("../data/ara_seed.json");

#[derive(Deserialize)]
struct Seed {
    ten_points: Vec<SeedPoint>,
    commission_initiatives: Vec<SeedInitiative>,
}

#[derive(Deserialize)]
struct SeedPoint {
    n: u8,
    title_en: String,
    title_de: String,
    topic_summary_en: String,
    #[serde(default)]
    unconfirmed: bool,
}

#[derive(Deserialize)]
struct SeedInitiative {
    code: String,
    title: String,
    year: Option<u16>,
    #[serde(default)]
    unconfirmed_fields: Vec<String>,
}

fn seed() -> Seed {
    serde_json::from_str(SEED).expect("the bundled seed is valid JSON")
}

/// The ten points of the Alliance's founding position (June 2022), in
/// order. Point 10 is a placeholder the seed marks as unconfirmed.
pub fn ten_points() -> Vec<TenPoint> {
    seed()
        .ten_points
        .into_iter()
        .map(|p| TenPoint {
            n: p.n,
            title_en: p.title_en,
            title_de: p.title_de,
            summary_en: p.topic_summary_en.chars().take(1_000).collect(),
            unconfirmed: p.unconfirmed,
        })
        .collect()
}

/// The Commission initiatives priorities align with; one whose fields the
/// seed could not all check is marked unconfirmed.
pub fn initiatives() -> Vec<Initiative> {
    seed()
        .commission_initiatives
        .into_iter()
        .map(|i| Initiative {
            unconfirmed: !i.unconfirmed_fields.is_empty(),
            code: i.code,
            title: i.title.chars().take(200).collect(),
            year: i.year,
        })
        .collect()
}

/// One point of the Alliance's ten-point position (June 2022).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenPoint {
    /// 1 to 10.
    pub n: u8,
    pub title_en: String,
    pub title_de: String,
    pub summary_en: String,
    /// True while no source confirms the point's wording.
    #[serde(default)]
    pub unconfirmed: bool,
}

/// A European Commission initiative a priority may align with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Initiative {
    /// Short code, e.g. `EGD`, `FF55`: upper-case letters, digits, `-`, `_`.
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub year: Option<u16>,
    #[serde(default)]
    pub unconfirmed: bool,
}

pub(crate) fn valid_code(code: &str) -> bool {
    (1..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ten_points_are_in_the_crate_with_their_marks() {
        let points = ten_points();
        assert_eq!(
            points.iter().map(|p| p.n).collect::<Vec<_>>(),
            (1..=10).collect::<Vec<_>>()
        );
        assert!(
            points
                .iter()
                .all(|p| !p.title_en.is_empty() && !p.title_de.is_empty())
        );
        let unconfirmed: Vec<u8> = points
            .iter()
            .filter(|p| p.unconfirmed)
            .map(|p| p.n)
            .collect();
        assert_eq!(unconfirmed, [10], "point 10 is a marked placeholder");
        assert!(points[9].title_en.contains("placeholder"));
    }

    #[test]
    fn initiatives_have_valid_codes_and_keep_their_marks() {
        let all = initiatives();
        assert!(all.len() >= 20);
        assert!(all.iter().all(|i| valid_code(&i.code)), "codes are valid");
        assert!(all.iter().any(|i| i.unconfirmed) && all.iter().any(|i| !i.unconfirmed));
    }
}
