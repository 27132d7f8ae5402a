//! Reference data the priorities point to: the ten points of the Alliance's
//! founding position and the Commission initiatives. Editable by the
//! secretariat only; unconfirmed facts stay marked as such.

use serde::{Deserialize, Serialize};

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
